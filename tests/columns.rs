//! One column, everywhere: every report format counts columns in characters
//! (SPEC §7), the human report's location header included.

mod common;

use flowc::json::{self, Json};

/// Two four-byte rockets before the span: column 22 in characters, 28 in bytes.
const SOURCE: &str = "workflow \"W\" {\n  trigger manual-trigger\n  step a: x { v: \"🚀🚀 <<nope.output.x>>\" }\n}\n";

fn number(n: usize) -> Json {
    Json::Number(n.to_string())
}

#[test]
fn human_header_counts_characters_like_json() {
    let out = common::flowc(&["check", "-"], SOURCE.as_bytes());
    let stderr = common::text(&out.stderr);
    assert!(
        stderr.contains("╭─[<stdin>:3:22]\n"),
        "the header is not 3:22:\n{stderr}"
    );

    let out = common::flowc(&["check", "--format", "json", "-"], SOURCE.as_bytes());
    let report = json::parse(&common::text(&out.stdout)).unwrap().to_json();
    let Some(Json::Array(diagnostics)) = report.get("diagnostics") else {
        panic!("no diagnostics");
    };
    let d = &diagnostics[0];
    assert_eq!(d.get("line"), Some(&number(3)));
    assert_eq!(d.get("column"), Some(&number(22)));
    assert_eq!(d.get("end_column"), Some(&number(39)));
}

#[test]
fn github_and_sarif_count_characters_too() {
    let out = common::flowc(&["check", "--format", "github", "-"], SOURCE.as_bytes());
    assert!(
        common::text(&out.stdout).contains(",line=3,col=22,endLine=3,endColumn=39,"),
        "{}",
        common::text(&out.stdout)
    );
    let out = common::flowc(&["check", "--format", "sarif", "-"], SOURCE.as_bytes());
    let sarif = common::text(&out.stdout);
    assert!(
        sarif.contains("\"startLine\": 3,\n                  \"startColumn\": 22,"),
        "{sarif}"
    );
}

#[test]
fn human_header_on_a_long_line_counts_characters() {
    // A line longer than 1,000 characters is drawn as a window; its header
    // still names the span's own character column.
    let source = format!(
        "workflow \"W\" {{\n  trigger manual-trigger\n  step a: x {{ v: \"{} <<nope.output.x>>\" }}\n}}\n",
        "é".repeat(1200)
    );
    let out = common::flowc(&["check", "-"], source.as_bytes());
    let stderr = common::text(&out.stderr);
    assert!(stderr.contains("[<stdin>:3:1220]"), "{stderr}");
}
