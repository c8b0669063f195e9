//! The catalog on the real binary: discovery (beside, parent, `--catalog`, none),
//! a catalog with mistakes, and SARIF output validated against SARIF 2.1.0.

mod common;

use common::{flowc_in, text};
use std::path::Path;

const CATALOG: &str = r#"
[actions.send-email]
outputs = ["id"]
[actions.send-email.inputs]
to = { type = "string", required = true }
subject = { type = "string" }
"#;

const FLOW: &str = r#"workflow "Mail" {
  trigger manual-trigger
  step mail: send-email { subject: "Hi" }
  step again: send-email { to: "<<mail.output.idd>>" }
}
"#;

fn codes(dir: &Path, args: &[&str]) -> (Vec<String>, i32) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = flowc_in(dir, &all, b"");
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", text(&out.stderr)));
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap()
            )
        })
        .collect();
    (found, out.status.code().unwrap())
}

#[test]
fn catalog_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flowc.toml"), CATALOG).unwrap();
    std::fs::write(dir.path().join("mail.flow"), FLOW).unwrap();
    assert_eq!(
        codes(dir.path(), &["mail.flow"]),
        (vec!["E501 mail.flow".into(), "E504 mail.flow".into()], 1)
    );
}

#[test]
fn catalog_in_a_parent_folder_and_none() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("project/flows/deep")).unwrap();
    std::fs::write(dir.path().join("project/flowc.toml"), CATALOG).unwrap();
    std::fs::write(dir.path().join("project/flows/deep/mail.flow"), FLOW).unwrap();
    std::fs::write(dir.path().join("mail.flow"), FLOW).unwrap();
    let (found, status) = codes(dir.path(), &["project/flows"]);
    assert_eq!(
        found,
        vec![
            "E501 project/flows/deep/mail.flow",
            "E504 project/flows/deep/mail.flow"
        ]
    );
    assert_eq!(status, 1);
    // Outside the project there is no catalog: nothing is checked beyond §6.
    assert_eq!(codes(dir.path(), &["mail.flow"]), (vec![], 0));
}

#[test]
fn explicit_catalog_overrides_discovery() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flowc.toml"), "[actions.other]\n").unwrap();
    std::fs::write(dir.path().join("mine.toml"), CATALOG).unwrap();
    std::fs::write(dir.path().join("mail.flow"), FLOW).unwrap();
    let (found, _) = codes(dir.path(), &["mail.flow"]);
    assert_eq!(found, vec!["E500 mail.flow", "E500 mail.flow"]);
    let (found, _) = codes(dir.path(), &["--catalog", "mine.toml", "mail.flow"]);
    assert_eq!(found, vec!["E501 mail.flow", "E504 mail.flow"]);
    let out = flowc_in(
        dir.path(),
        &["check", "--catalog", "missing.toml", "mail.flow"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error: cannot read `missing.toml`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_bad_catalog_is_reported_once_and_not_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flowc.toml"),
        "[actions.send-email]\noutputz = [\"id\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.flow"), FLOW).unwrap();
    std::fs::write(dir.path().join("b.flow"), FLOW).unwrap();
    let (found, status) = codes(dir.path(), &["."]);
    // Reported once for two files; the flows are checked against the defaults.
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("E505 ") && found[0].ends_with("flowc.toml"),
        "{found:?}"
    );
    assert_eq!(status, 1);
    let out = flowc_in(dir.path(), &["check", "a.flow"], b"");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown key `outputz` in [actions.send-email]"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `outputs`?"), "{stderr}");
    assert!(stderr.contains("flowc.toml:2:1"), "{stderr}");
    assert!(
        stderr.ends_with("checked 1 file: 1 error, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn sarif_output_validates_against_sarif_2_1_0() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("tests/schema/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let root = common::root();
    let out = flowc_in(
        &root,
        &[
            "check",
            "--format",
            "sarif",
            "tests/conformance/fail",
            "examples",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        flowc::Code::ALL.len()
    );
    // Every rule's help is its document from docs/codes, as Markdown and as
    // the text `flowc explain` prints.
    for (rule, &code) in run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .zip(flowc::Code::ALL)
    {
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["help"]["markdown"], flowc::explain::markdown(code));
        assert_eq!(rule["help"]["text"], flowc::explain::render(code));
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 15);
    let first = &results[0];
    assert_eq!(first["ruleId"], "E111");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/conformance/fail/bare-word.flow"
    );
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 4, "startColumn": 34, "endLine": 4, "endColumn": 37})
    );
    // A SARIF file with a problem can fail validation: the check is live.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}
