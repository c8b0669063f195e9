//! Adversarial inputs as correctness cases: each gives exactly the expected
//! outcome, through the library and the real binary. Their timings live in
//! the benchmarks (`benches/`), not here.

mod common;

use common::{flowc_in, text};
use flowc::{check_source, Catalog, Code};

const HEADER: &str = "workflow \"w\" {\n  trigger manual-trigger\n";
const SIZE: usize = 200_000;

fn codes(src: &str) -> Vec<Code> {
    check_source(src, &Catalog::default())
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

fn run(args: &[&str], src: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.flow"), src).unwrap();
    let mut all = args.to_vec();
    all.push("x.flow");
    let out = flowc_in(dir.path(), &all, b"");
    (
        out.status.code().expect("exited, not killed"),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn a_string_of_markers_is_one_e103() {
    for marker in ["<<", "{{"] {
        let src = format!(
            "{HEADER}  step a: t {{ k: \"{}\" }}\n}}\n",
            marker.repeat(SIZE / 2)
        );
        assert_eq!(codes(&src), vec![Code::E103]);
    }
}

#[test]
fn a_string_of_bad_escapes_is_one_e102() {
    let src = format!(
        "{HEADER}  step a: t {{ k: \"{}\" }}\n}}\n",
        "\\q".repeat(SIZE / 2)
    );
    assert_eq!(codes(&src), vec![Code::E102]);
}

#[test]
fn long_tokens_are_quoted_short() {
    let word = "a".repeat(SIZE);
    let src = format!("{HEADER}  step a: t {{ k: {word} }}\n}}\n");
    let checked = check_source(&src, &Catalog::default());
    assert_eq!(checked.diagnostics.len(), 1);
    let d = &checked.diagnostics[0];
    assert_eq!(d.code, Code::E111);
    assert_eq!(
        d.message,
        format!("bare word `{}…` where a value is expected", "a".repeat(40))
    );
    assert_eq!(d.span.len(), SIZE);
}

#[test]
fn thousands_of_unknown_references_each_get_e201() {
    let n = 3000;
    let mut src = HEADER.to_string();
    for i in 0..n {
        src.push_str(&format!("  step s{i}: t {{ k: \"<<x{i}.output.y>>\" }}\n"));
    }
    src.push_str("}\n");
    let checked = check_source(&src, &Catalog::default());
    assert_eq!(checked.diagnostics.len(), n);
    assert!(checked.diagnostics.iter().all(|d| d.code == Code::E201));
    // Suggestions stop after a hundred; the diagnostics do not.
    let helped = checked
        .diagnostics
        .iter()
        .filter(|d| d.help.is_some())
        .count();
    assert!(helped <= 100, "{helped}");
}

#[test]
fn thousands_of_allow_comments_each_silence_their_statement() {
    let n = 5000;
    let mut src = HEADER.to_string();
    src.push_str("  step a: t\n  if a.output.x == 1 {\n    step b: t\n  }\n");
    for i in 0..n {
        src.push_str(&format!(
            "  // flowc: allow(W201)\n  step s{i}: t {{ k: b.output.x }}\n"
        ));
    }
    src.push_str("}\n");
    assert_eq!(codes(&src), vec![]);
}

#[test]
fn a_long_line_is_drawn_as_a_window() {
    // An error far along one line: miette cannot indent past 65,535 columns.
    let members: String = (0..20_000).map(|i| format!(" k{i}: 1")).collect();
    let src = format!("{HEADER}  step a: t {{{members}\n");
    let (status, _, stderr) = run(&["check"], &src);
    assert_eq!(status, 1);
    assert!(
        stderr.contains("missing `}` to close the `{` of line 3"),
        "{stderr}"
    );
    // The last character written, the final `1`.
    let column = "  step a: t {".len() + members.len();
    assert!(
        stderr.contains(&format!("[x.flow:3:{column}]")),
        "{}",
        &stderr[..stderr.len().min(600)]
    );
    assert!(
        stderr.lines().all(|l| l.chars().count() < 400),
        "lines are windows, not the whole line"
    );
}

#[test]
fn hundreds_of_thousands_of_diagnostics_are_listed_in_json_and_capped_in_human() {
    let n = 20_000;
    let src = format!("{HEADER}{}}}\n", "  step a: t\n".repeat(n));
    let (status, stdout, _) = run(&["check", "--format", "json"], &src);
    assert_eq!(status, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["errors"], n - 1);
    let (status, _, stderr) = run(&["check"], &src);
    assert_eq!(status, 1);
    assert_eq!(stderr.matches("duplicate id `a`").count(), 100);
    assert!(stderr.contains(&format!(
        "… and {} more in x.flow (`--format json` lists them all)",
        n - 1 - 100
    )));
    assert!(stderr.ends_with(&format!("checked 1 file: {} errors, 0 warnings\n", n - 1)));
}

#[test]
fn garbage_never_panics_any_command() {
    let garbage: String = (0..SIZE)
        .map(|i| char::from(33 + ((i * 7919) % 90) as u8))
        .collect();
    for args in [
        &["check"][..],
        &["check", "--format", "sarif"],
        &["fmt", "--check"],
        &["graph"],
        &["build"],
    ] {
        let (status, _, stderr) = run(args, &garbage);
        assert!(
            status == 1,
            "{args:?}: {status} {}",
            &stderr[..stderr.len().min(300)]
        );
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn hostile_json_for_import() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("deep.json", "[".repeat(SIZE), 1),
        (
            "braces.json",
            format!(
                "{{\"name\":\"w\",\"trigger_type\":\"webhook\",\"workflow_blocks\":[{{\"$kind\":\"Action\",\"id\":\"a\",\"type\":\"t\",\"name\":\"a\",\"input\":{{\"k\":\"{}\"}}}}]}}",
                "{{".repeat(SIZE / 2)
            ),
            0,
        ),
        (
            "wide.json",
            format!(
                "{{\"name\":\"w\",\"trigger_type\":\"webhook\",\"workflow_blocks\":[],\"workflow_editor_state\":{{{}}}}}",
                (0..20_000).map(|i| format!("\"k{i}\":{i}")).collect::<Vec<_>>().join(",")
            ),
            0,
        ),
    ];
    for (name, body, status) in cases {
        std::fs::write(dir.path().join(name), &body).unwrap();
        let out = flowc_in(dir.path(), &["import", name], b"");
        assert_eq!(
            out.status.code(),
            Some(status),
            "{name}: {}",
            &text(&out.stderr)[..200.min(out.stderr.len())]
        );
        if status == 0 {
            // And back again, exactly.
            std::fs::write(dir.path().join("back.flow"), &out.stdout).unwrap();
            let built = flowc_in(dir.path(), &["build", "--compact", "back.flow"], b"");
            let want = flowc::json::parse(&body).unwrap().to_json();
            let got = flowc::json::parse(&text(&built.stdout)).unwrap().to_json();
            assert!(flowc::import::same_body(&got, &want), "{name}");
        }
    }
}

#[test]
fn an_error_in_every_hundredth_of_100_000_steps_is_each_reported_once() {
    // The recovering parse reads the file piece by piece: every error is
    // found, at its own line, and nothing else is reported.
    let n = 100_000;
    let mut src = HEADER.to_string();
    src.push_str("  step s0: t\n");
    for i in 1..n {
        if i % 100 == 0 {
            src.push_str(&format!(
                "  step s{i} t {{ k: \"<<s{}.output.x>>\" }}\n",
                i - 1
            ));
        } else {
            src.push_str(&format!(
                "  step s{i}: t {{ k: \"<<s{}.output.x>>\" }}\n",
                i - 1
            ));
        }
    }
    src.push_str("}\n");
    let checked = flowc::check_source(&src, &flowc::Catalog::default());
    let lines: Vec<usize> = checked
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code, Code::E100, "{d:?}");
            src[..d.span.start].matches('\n').count() + 1
        })
        .collect();
    let want: Vec<usize> = (1..n).filter(|i| i % 100 == 0).map(|i| i + 3).collect();
    assert_eq!(lines, want);
}

#[test]
fn unclosed_calls_in_a_when_are_each_parsed_once() {
    // A failed call was tried again as a variable, parsing the text after
    // its `(` twice: 2^n for n unclosed calls. Twenty (sixty levels, under
    // the limit of 64) took minutes; now they take a parse.
    let unit = "(a == \"h\"in [2\"s\", \"t&\"\"& ] )v\" n-r";
    let src = format!(
        "{HEADER}  when {}\n  step a: t\n}}\n",
        vec![unit; 20].join(" ")
    );
    let codes = codes(&src);
    assert!(codes.contains(&Code::E100), "{codes:?}");
}
