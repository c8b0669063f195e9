//! JsonLogic's own shared test suite (`tests/data/jsonlogic-tests.json`, MIT
//! licence, see `tests/data/README.md`) as the yardstick of SPEC §5: every
//! rule in it passes `flowc check` as a `constraints` value with no
//! diagnostic, and `flowc build` emits it unchanged, number lexemes and key
//! order included.

mod common;

use flowc::json::{self, Json, NodeValue};

/// Every distinct rule of the suite, as written in it.
fn rules() -> Vec<String> {
    let text = std::fs::read_to_string(common::root().join("tests/data/jsonlogic-tests.json"))
        .expect("the suite is in tests/data");
    let NodeValue::Array(entries) = json::parse(&text).expect("the suite is JSON").value else {
        panic!("the suite is an array");
    };
    let mut rules: Vec<String> = Vec::new();
    for entry in entries {
        // Strings are section titles; each test is `[rule, data, expected]`.
        if let NodeValue::Array(test) = entry.value {
            let rule = &text[test[0].span.start..test[0].span.end];
            if !rules.iter().any(|r| r == rule) {
                rules.push(rule.to_string());
            }
        }
    }
    rules
}

fn flow(rule: &str) -> String {
    format!("workflow \"Rule\" {{\n  trigger manual-trigger\n  constraints {rule}\n}}\n")
}

#[test]
fn the_suite_holds_245_rules() {
    assert_eq!(rules().len(), 245);
}

#[test]
fn every_rule_of_the_suite_checks_clean_and_builds_unchanged() {
    let rules = rules();
    let dir = tempfile::tempdir().unwrap();
    for (i, rule) in rules.iter().enumerate() {
        std::fs::write(dir.path().join(format!("rule-{i:03}.flow")), flow(rule)).unwrap();
    }
    let root = dir.path().to_str().unwrap();

    let out = common::flowc(&["check", "--format", "json", root], b"");
    let report = common::text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    let report = json::parse(&report).unwrap().to_json();
    assert_eq!(report.get("files"), Some(&Json::Number("245".into())));
    assert_eq!(report.get("diagnostics"), Some(&Json::Array(Vec::new())));

    let bodies = dir.path().join("out");
    let out = common::flowc(&["build", root, "--out-dir", bodies.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    for (i, rule) in rules.iter().enumerate() {
        let body = std::fs::read_to_string(bodies.join(format!("rule-{i:03}.json"))).unwrap();
        let body = json::parse(&body).unwrap().to_json();
        let expected = json::parse(rule).unwrap().to_json();
        assert_eq!(
            body.get("trigger_constraints"),
            Some(&expected),
            "rule {i}: {rule}"
        );
    }
}

#[test]
fn the_rules_flowc_once_refused() {
    // The eleven rules of the suite that were E303 or E304 before SPEC §5
    // listed `?:` and the arities the suite implies, checked in the library.
    for rule in [
        r#"{"?:": [true, 1, 2]}"#,
        r#"{"if": []}"#,
        r#"{"if": [true]}"#,
        r#"{"var": null}"#,
        r#"{"var": []}"#,
        r#"{"missing": []}"#,
    ] {
        let checked = flowc::check_source(&flow(rule), &flowc::Catalog::default());
        assert_eq!(checked.diagnostics, Vec::new(), "{rule}");
    }
}

#[test]
fn arities_still_bind() {
    for (rule, message) in [
        (
            r#"{"?:": [true, 1]}"#,
            "`?:` takes exactly 3 arguments, found 2",
        ),
        (
            r#"{"var": ["a", 1, 2]}"#,
            "`var` takes 0 to 2 arguments, found 3",
        ),
        (
            r#"{"var": true}"#,
            "`var` takes a string, a number, a list or `null`",
        ),
        (r#"{"?": [1, 2, 3]}"#, "unknown JSON Logic operation `?`"),
    ] {
        let checked = flowc::check_source(&flow(rule), &flowc::Catalog::default());
        let messages: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.message.as_ref())
            .collect();
        assert_eq!(messages, [message], "{rule}");
    }
}

#[test]
fn every_rule_of_the_suite_imports_and_builds_back() {
    // import's guarantee (SPEC §10) on every rule: as `when` where one
    // reproduces it, as a `constraints` value otherwise.
    for rule in rules() {
        let body = format!(
            "{{\"name\": \"n\", \"trigger_type\": \"manual-trigger\", \"trigger_constraints\": {rule}, \"workflow_blocks\": []}}"
        );
        flowc::fuzzing::import_roundtrip(body.as_bytes());
        assert!(flowc::import::import(&body).is_ok(), "{rule}");
    }
}
