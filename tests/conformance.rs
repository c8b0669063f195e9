//! The shared conformance cases (a copy of `../shared/conformance/`), run on the real binary.

mod common;

use common::{assert_schema_valid, flowc, schema_errors, text};
use std::collections::BTreeSet;

fn cases(folder: &str) -> Vec<std::path::PathBuf> {
    common::flow_files(&[&format!("tests/conformance/{folder}")])
}

#[test]
fn pass_cases_build_byte_for_byte() {
    let files = cases("pass");
    assert_eq!(files.len(), 10);
    for flow in files {
        let path = flow.to_str().unwrap();
        let out = flowc(&["build", path], b"");
        let expected = std::fs::read_to_string(flow.with_extension("json")).unwrap();
        assert_eq!(out.status.code(), Some(0), "{path}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), expected, "{path}");
        assert_schema_valid(&expected);
    }
}

#[test]
fn fail_cases_report_exactly_the_expected_codes() {
    let files = cases("fail");
    assert_eq!(files.len(), 15);
    for flow in files {
        let path = flow.to_str().unwrap();
        let source = std::fs::read_to_string(&flow).unwrap();
        let expected: BTreeSet<String> = source
            .lines()
            .filter_map(|l| l.strip_prefix("// expect: "))
            .map(|c| c.trim().to_string())
            .collect();
        let out = flowc(&["check", "--format", "json", path], b"");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found: BTreeSet<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(found, expected, "{path}");
        let status = if expected.iter().any(|c| c.starts_with('E')) {
            1
        } else {
            0
        };
        assert_eq!(out.status.code(), Some(status), "{path}");
    }
}

#[test]
fn the_schema_check_can_fail() {
    // An empty name and an if-else block without an else branch.
    let bad = r#"{"name": "", "trigger_type": "webhook", "workflow_blocks": [
        {"$kind": "Block", "type": "if-else", "id": "x", "inputs": {"condition": {"operatorName": "equals", "left": 1, "right": 1}}, "branches": {"then": []}}
    ]}"#;
    assert_eq!(schema_errors(bad).len(), 2, "{:?}", schema_errors(bad));
}
