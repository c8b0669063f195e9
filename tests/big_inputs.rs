//! Big inputs have exact outcomes (issue 11): one very long line, a string
//! of a million escapes, a file with 10,000 errors. Their time and memory
//! are measured in BENCHMARKS.md ("Big inputs"), not asserted here.

mod common;

use flowc::json::{self, Json};

const HEADER: &str = "workflow \"w\" {\n  trigger manual-trigger\n";

fn write(src: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.flow");
    std::fs::write(&path, src).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

/// The `input.k` of the first block of a built body.
fn input_k(body: &str) -> Json {
    let body = json::parse(body).unwrap().to_json();
    let Some(Json::Array(blocks)) = body.get("workflow_blocks") else {
        panic!("no blocks");
    };
    blocks[0].get("input").unwrap().get("k").unwrap().clone()
}

#[test]
fn a_four_mebibyte_line_builds_whole() {
    let text = "abcdéfgh✓".repeat((4 << 20) / 12);
    let src = format!("{HEADER}  step a: t {{ k: \"{text}\" }}\n}}\n");
    let (_dir, path) = write(&src);
    let out = common::flowc(&["build", &path], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    assert_eq!(input_k(&common::text(&out.stdout)), Json::String(text));
}

#[test]
fn a_million_escapes_decode_exactly() {
    let src = format!(
        "{HEADER}  step a: t {{ k: \"{}\" }}\n}}\n",
        "\\n\\u00e9".repeat(500_000)
    );
    let (_dir, path) = write(&src);
    let out = common::flowc(&["build", &path], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    assert_eq!(
        input_k(&common::text(&out.stdout)),
        Json::String("\né".repeat(500_000))
    );
}

#[test]
fn ten_thousand_errors_are_all_listed_and_a_hundred_drawn() {
    let mut src = HEADER.to_string();
    for i in 0..10_000 {
        src.push_str(&format!("  step s{i}: t {{ k: \"<<x{i}.output.y>>\" }}\n"));
    }
    src.push_str("}\n");
    let (_dir, path) = write(&src);

    let out = common::flowc(&["check", "--format", "json", &path], b"");
    assert_eq!(out.status.code(), Some(1));
    let report = json::parse(&common::text(&out.stdout)).unwrap().to_json();
    assert_eq!(report.get("errors"), Some(&Json::Number("10000".into())));
    let Some(Json::Array(diagnostics)) = report.get("diagnostics") else {
        panic!("no diagnostics");
    };
    assert_eq!(diagnostics.len(), 10_000);
    assert_eq!(
        diagnostics[9_999].get("line"),
        Some(&Json::Number("10002".into()))
    );

    let out = common::flowc(&["check", &path], b"");
    assert_eq!(out.status.code(), Some(1));
    let stderr = common::text(&out.stderr);
    assert_eq!(stderr.matches("× reference to unknown step").count(), 100);
    assert!(
        stderr.contains(&format!(
            "… and 9900 more in {path} (`--format json` lists them all)\n"
        )),
        "{stderr}"
    );
    assert!(stderr.ends_with("checked 1 file: 10000 errors, 0 warnings\n"));
}
