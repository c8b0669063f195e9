//! `flowc graph` (SPEC §11): Mermaid and dot snapshots of the conformance
//! cases, escaping of awkward ids and labels, and Graphviz acceptance.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use flowc::graph::{render, Format};
use flowc::{check_source, Catalog};

/// Renders a source text (which must parse).
fn draw(src: &str, format: Format, data: bool) -> String {
    let checked = check_source(src, &Catalog::default());
    let file = checked.file().expect("the source parses");
    render(file, format, data)
}

/// Renders one of `tests/conformance/pass/`.
fn case(name: &str, format: Format, data: bool) -> String {
    let path = common::root().join("tests/conformance/pass").join(name);
    let src = std::fs::read_to_string(&path).unwrap();
    draw(&src, format, data)
}

#[test]
fn first_example() {
    let file = "01-first-example.flow";
    insta::assert_snapshot!("01-mermaid", case(file, Format::Mermaid, false));
    insta::assert_snapshot!("01-mermaid-data", case(file, Format::Mermaid, true));
    insta::assert_snapshot!("01-dot", case(file, Format::Dot, false));
    insta::assert_snapshot!("01-dot-data", case(file, Format::Dot, true));
}

#[test]
fn else_if_chain() {
    let file = "04-else-if-chain.flow";
    insta::assert_snapshot!("04-mermaid", case(file, Format::Mermaid, false));
    insta::assert_snapshot!("04-dot", case(file, Format::Dot, false));
}

#[test]
fn generic_block_and_raw() {
    let file = "05-generic-block-raw.flow";
    insta::assert_snapshot!("05-mermaid", case(file, Format::Mermaid, false));
    insta::assert_snapshot!("05-dot", case(file, Format::Dot, false));
}

#[test]
fn nested_scopes() {
    let file = "08-nested-scopes.flow";
    insta::assert_snapshot!("08-mermaid", case(file, Format::Mermaid, false));
    insta::assert_snapshot!("08-mermaid-data", case(file, Format::Mermaid, true));
    insta::assert_snapshot!("08-dot", case(file, Format::Dot, false));
    insta::assert_snapshot!("08-dot-data", case(file, Format::Dot, true));
}

/// Quoted ids, quotes, backslashes and markup in names and conditions; empty
/// branches; a file with check errors and no trigger.
const AWKWARD: &str = r#"workflow "Say \"hi\" \\ <b>" {
  step "6f1c9a2e-0b7d-4c1e-9f3a-2d5e8b7c4a10": http-request "Fetch \"it\" <now> & #1" { url: "x" }
  if "a b": "<<6f1c9a2e-0b7d-4c1e-9f3a-2d5e8b7c4a10.output.v>>" == "x\"y <<6f1c9a2e-0b7d-4c1e-9f3a-2d5e8b7c4a10.output.w>> \<<lit" {
  } else {
  }
  block loop: for-each {
    inputs { items: [1, {k: "{{6f1c9a2e-0b7d-4c1e-9f3a-2d5e8b7c4a10.output.items}}"}] }
    branch body {}
    branch empty-one { raw { "x": 1 } }
  }
  step "odd id": "custom type" { a: "<<6f1c9a2e-0b7d-4c1e-9f3a-2d5e8b7c4a10.output.a>> <<nope.x>> <<loop.x>>" }
}
"#;

#[test]
fn awkward_ids_and_labels() {
    insta::assert_snapshot!("awkward-mermaid", draw(AWKWARD, Format::Mermaid, true));
    insta::assert_snapshot!("awkward-dot", draw(AWKWARD, Format::Dot, true));
}

#[test]
fn no_trigger_means_a_trigger_node() {
    let out = draw("workflow \"W\" { step a: t }", Format::Mermaid, false);
    assert_eq!(
        out,
        "flowchart TD\n    n0([\"trigger\"])\n    n1[\"a<br/>t\"]\n    n2((\"end\"))\n    n0 --> n1\n    n1 --> n2\n"
    );
}

/// Every rendering of every conformance case and of [`AWKWARD`].
fn all_outputs(format: Format) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let dir = common::root().join("tests/conformance/pass");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".flow"))
        .collect();
    names.sort();
    for name in names {
        for data in [false, true] {
            out.push((format!("{name} data={data}"), case(&name, format, data)));
        }
    }
    for data in [false, true] {
        out.push((format!("awkward data={data}"), draw(AWKWARD, format, data)));
    }
    out
}

#[test]
fn output_is_tidy_and_deterministic() {
    for format in [Format::Mermaid, Format::Dot] {
        let first = all_outputs(format);
        assert_eq!(first, all_outputs(format));
        for (what, text) in first {
            assert!(text.ends_with('\n'), "{what}: no final newline");
            assert!(!text.ends_with("\n\n"), "{what}: blank line at the end");
            for line in text.lines() {
                assert_eq!(line, line.trim_end(), "{what}: trailing space");
            }
            match format {
                Format::Mermaid => assert!(text.starts_with("flowchart TD\n"), "{what}"),
                Format::Dot => assert!(text.starts_with("digraph workflow {\n"), "{what}"),
            }
        }
    }
}

/// Graphviz accepts every dot output. `./test.sh` installs Graphviz; without
/// it this test fails and says so, rather than passing having checked nothing.
#[test]
fn graphviz_accepts_dot_output() {
    let available = Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        available,
        "`dot` is not on PATH: install Graphviz (`apt-get install graphviz`, \
         or run ./test.sh, which does)"
    );
    for (what, text) in all_outputs(Format::Dot) {
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dot starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success() && output.stderr.is_empty(),
            "{what}: dot rejected it:\n{}\n{text}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
