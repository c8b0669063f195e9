//! `flowc test` (SPEC §15) through the real binary: the examples' cases and
//! coverage, each report format exactly, exit codes, and the model's
//! failures, on files in a temporary folder.

mod common;

use common::flowc_in;
use serde_json::{json, Value};

/// A folder holding `files` (name, text), and by default a `flowc.toml`
/// that declares the root `ticket`, which the event fills.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flowc.toml"),
        "[references]\nroots = [\"ticket\"]\n",
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

const WORKFLOW: &str = r#"workflow "Route" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step lookup: http-request { url: "https://crm.example.com/<<ticket.id>>" }
  if lookup.output.status == 200 {
    step tag: add-ticket-tag { tag: "vip-<<lookup.output.body.tier>>", count: lookup.output.body.seats }
  } else {
    step alert: send-slack-message { text: "lookup failed: <<lookup.output.status>>" }
  }
}
"#;

#[test]
fn the_examples_pass_and_cover_every_branch() {
    let out = flowc_in(&common::root(), &["test", "--coverage", "examples"], b"");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(!stdout.contains("not covered"), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(
        stdout.ends_with(
            "coverage: 30 of 30 branches taken in 6 workflows\ntested 24 cases: 24 passed, 0 failed\n"
        ),
        "{stdout}"
    );
    // Every example has its test file.
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn the_examples_test_files_are_formatted() {
    let mut files = vec!["fmt".to_string(), "--check".to_string()];
    for f in std::fs::read_dir(common::root().join("examples")).unwrap() {
        let path = f.unwrap().path();
        if path.extension().is_some_and(|e| e == "flowtest") {
            files.push(path.display().to_string());
        }
    }
    assert_eq!(files.len(), 2 + 6);
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = flowc_in(&common::root(), &args, b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_failing_case_shows_its_first_failure_and_the_trace() {
    let dir = folder(&[
        ("route.flow", WORKFLOW),
        (
            "route.flowtest",
            r#"test "passes" {
  event { ticket: { priority: "urgent", id: "t-1" } }
  output lookup { status: 200, body: { tier: "gold", seats: 12 } }
  expect ran [lookup, tag]
  expect input tag { tag: "vip-gold", count: 12 }
}

test "expects the wrong branch" {
  event { ticket: { priority: "urgent", id: "t-2" } }
  output lookup { status: 503 }
  expect branch if-1 then
  expect ran [lookup, tag]
}
"#,
        ),
    ]);
    let out = flowc_in(dir.path(), &["test", "route.flow"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "");
    assert_eq!(
        text(&out.stdout),
        r#"ok   route.flowtest:1: passes
FAIL route.flowtest:8: expects the wrong branch
     expected `if-1` to take `then`, but it took `else` (route.flowtest:11)
     … and 1 more (`--format json` lists them all)
     trace:
       trigger fires: its constraints gave true
       step lookup (http-request, route.flow:5) input {"url":"https://crm.example.com/t-2"}
       if if-1 (route.flow:6): 503 equals 200 is false: takes else
       step alert (send-slack-message, route.flow:9) input {"text":"lookup failed: 503"}
tested 2 cases: 1 passed, 1 failed
"#
    );
}

#[test]
fn json_lists_every_case_with_its_failures_and_trace() {
    let dir = folder(&[
        ("route.flow", WORKFLOW),
        (
            "route.flowtest",
            r#"test "a missing field names the step, the reference and what is there" {
  event { ticket: { priority: "urgent", id: "t-1" } }
  output lookup { status: 200, body: { plan: "x" } }
}

test "not urgent" {
  event { ticket: { priority: "low" } }
  expect fires false
}
"#,
        ),
    ]);
    let out = flowc_in(dir.path(), &["test", "--format", "json", "."], b"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report,
        json!({
            "cases": 2, "passed": 1, "failed": 1,
            "files": [{
                "file": "./route.flowtest",
                "workflow": "./route.flow",
                "diagnostics": [],
                "cases": [
                    {
                        "name": "a missing field names the step, the reference and what is there",
                        "line": 1,
                        "outcome": "failed",
                        "failures": [{
                            "message": "step `tag`: `{{lookup.output.body.tier}}`: `lookup.output.body` has no `tier`; it has `plan`",
                            "line": 1,
                            "flow_line": 7
                        }],
                        "trace": [
                            {"event": "trigger", "constraints": true, "fires": true},
                            {"event": "step", "id": "lookup", "type": "http-request", "line": 5,
                             "input": {"url": "https://crm.example.com/t-1"}},
                            {"event": "condition", "id": "if-1", "line": 6, "operator": "equals",
                             "left": 200, "right": 200, "outcome": true, "branch": "then"}
                        ]
                    },
                    {
                        "name": "not urgent",
                        "line": 6,
                        "outcome": "passed",
                        "failures": [],
                        "trace": [{"event": "trigger", "constraints": false, "fires": false}]
                    }
                ]
            }]
        })
    );
}

#[test]
fn references_that_are_the_whole_string_keep_their_type() {
    let dir = folder(&[
        ("route.flow", WORKFLOW),
        (
            "route.flowtest",
            r#"test "seats stay a number, the tier is spliced into text" {
  event { ticket: { priority: "urgent", id: 7 } }
  output lookup { status: 200.0, body: { tier: { level: 2 }, seats: [1, 2] } }
  expect input lookup { url: "https://crm.example.com/7" }
  expect input tag { tag: "vip-{\"level\":2}", count: [1, 2] }
}
"#,
        ),
    ]);
    let out = flowc_in(dir.path(), &["test"], b"");
    assert_eq!(
        text(&out.stdout),
        "ok   ./route.flowtest:1: seats stay a number, the tier is spliced into text\ntested 1 case: 1 passed, 0 failed\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn what_the_model_cannot_decide_fails_the_case_and_says_why() {
    let flow = r#"workflow "Loop" {
  trigger ticket-created
  step list: list-agents
  block each: for-each {
    inputs { items: list.output.agents }
    branch one { step dm: send-slack-message { text: "hi" } }
  }
  if list.output.count matches_regex "^[0-9]+$" {
    step never: noop
  }
}
"#;
    let catalog = "[references]\nroots = [\"ticket\"]\n[operators]\nnames = [\"matches_regex\"]\n";
    let dir = folder(&[
        ("loop.flow", flow),
        ("flowc.toml", catalog),
        (
            "loop.flowtest",
            "test \"no choose\" {\n  expect ran [list]\n}\n\ntest \"a catalog operator\" {\n  output list { agents: [], count: 3 }\n  choose each one\n}\n",
        ),
    ]);
    let out = flowc_in(dir.path(), &["test", "--format", "json"], b"");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = report["files"][0]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["failures"][0]["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "block `each` (`for-each`): the model cannot tell which branch it takes; say it in the case with `choose each BRANCH`",
            "`if-1`'s condition: the operator `matches_regex` has no semantics in flowc's model (it knows equals, not_equals, greater_than, greater_than_or_equals, less_than, less_than_or_equals, contains, not_contains, starts_with and ends_with)",
        ]
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_reference_to_a_step_that_did_not_run_fails_the_case() {
    let flow = r#"workflow "Maybe" {
  trigger ticket-created
  if ticket.vip == true {
    step lookup: http-request { url: "https://crm.example.com" }
  }
  // flowc: allow(W201)
  step tell: send-email { body: "<<lookup.output.status>>" }
}
"#;
    let dir = folder(&[
        ("maybe.flow", flow),
        (
            "maybe.flowtest",
            "test \"not vip\" {\n  event { ticket: { vip: false } }\n}\n",
        ),
    ]);
    let out = flowc_in(dir.path(), &["test", "--format", "json"], b"");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["files"][0]["cases"][0]["failures"][0]["message"],
        "step `tell`: `{{lookup.output.status}}` reads step `lookup`, which did not run before it"
    );
}

#[test]
fn junit_has_one_suite_per_test_file() {
    let dir = folder(&[
        ("route.flow", WORKFLOW),
        (
            "route.flowtest",
            "test \"ok <&>\" {\n  event { ticket: { priority: \"urgent\", id: 1 } }\n  output lookup { status: 200, body: { tier: \"a\", seats: 1 } }\n}\n\ntest \"fails\" {\n  expect fires true\n}\n",
        ),
    ]);
    let out = flowc_in(dir.path(), &["test", "--format", "junit"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="flowc test" tests="2" failures="1" errors="0">
  <testsuite name="./route.flowtest" tests="2" failures="1" errors="0" skipped="0" time="0">
    <testcase name="ok &lt;&amp;&gt;" classname="./route.flow" file="./route.flowtest" line="1" time="0"/>
    <testcase name="fails" classname="./route.flow" file="./route.flowtest" line="6" time="0">
      <failure message="expected the trigger to fire, but its constraints are false for this event" type="expectation">expected the trigger to fire, but its constraints are false for this event
trace:
  trigger does not fire: its constraints gave false</failure>
    </testcase>
  </testsuite>
</testsuites>
"#
    );
}

#[test]
fn lcov_records_every_branch_against_the_flow_file() {
    let dir = folder(&[
        ("route.flow", WORKFLOW),
        (
            "route.flowtest",
            "test \"then\" {\n  event { ticket: { priority: \"urgent\", id: 1 } }\n  output lookup { status: 200, body: { tier: \"a\", seats: 1 } }\n}\n",
        ),
    ]);
    let out = flowc_in(
        dir.path(),
        &[
            "test",
            "--coverage",
            "--lcov",
            "cov/lcov.info",
            "route.flowtest",
        ],
        b"",
    );
    // The folder for the lcov file does not exist: nothing is written, exit 2.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot write `cov/lcov.info`"));
    let out = flowc_in(
        dir.path(),
        &[
            "test",
            "--coverage",
            "--lcov",
            "lcov.info",
            "route.flowtest",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "ok   route.flowtest:1: then\nroute.flow:6: `if-1` branch `else` not covered (ran, but never took it)\ncoverage: 1 of 2 branches taken in 1 workflow\ntested 1 case: 1 passed, 0 failed\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lcov.info")).unwrap(),
        "TN:\nSF:route.flow\nBRDA:6,0,0,1\nBRDA:6,0,1,0\nBRF:2\nBRH:1\nDA:5,1\nDA:6,1\nDA:7,1\nDA:9,0\nLF:4\nLH:3\nend_of_record\n"
    );
}

#[test]
fn a_workflow_with_errors_is_not_run() {
    let dir = folder(&[
        (
            "route.flow",
            &WORKFLOW.replace("<<ticket.id>>", "<<lokup.output.id>>"),
        ),
        (
            "route.flowtest",
            "test \"anything\" {\n  expect ran [lookup]\n}\n",
        ),
    ]);
    let out = flowc_in(dir.path(), &["test", "--format", "junit"], b"");
    assert_eq!(out.status.code(), Some(1));
    let xml = text(&out.stdout);
    assert!(
        xml.contains("<testsuites name=\"flowc test\" tests=\"1\" failures=\"0\" errors=\"1\">"),
        "{xml}"
    );
    assert!(xml.contains("<error message=\"the file has errors: no case ran\">./route.flow:5:61: E201 reference to unknown step `lokup`"), "{xml}");
}

#[test]
fn test_file_mistakes_and_orphans_are_e6xx() {
    let dir = folder(&[
        ("route.flow", WORKFLOW),
        (
            "route.flowtest",
            "test \"t\" {\n  output lokup { status: 200 }\n}\n",
        ),
        ("lonely.flowtest", "test \"t\" {\n  expect fires true\n}\n"),
    ]);
    let out = flowc_in(dir.path(), &["test", "--format", "json"], b"");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags: Vec<(String, String, String, u64)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().clone())
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        diags,
        [
            (
                "./route.flowtest".into(),
                "E601".into(),
                "the workflow has no step, `if` or block `lokup`".into(),
                2
            ),
            (
                "./lonely.flowtest".into(),
                "E600".into(),
                "no workflow beside this test file: `./lonely.flow` does not exist".into(),
                1
            ),
        ]
    );
}

#[test]
fn usage_and_input_problems_exit_2() {
    let dir = folder(&[("route.flow", WORKFLOW)]);
    std::fs::write(dir.path().join("bad.flowtest"), b"test \"\xff\" {}\n").unwrap();
    std::fs::write(dir.path().join("bad.flow"), WORKFLOW).unwrap();
    for (args, message) in [
        (&["test", "-"][..], "reads files, not standard input"),
        (&["test", "missing.flow"][..], "cannot read `missing.flow`"),
        (
            &["test", "bad.flowtest"][..],
            "`bad.flowtest` is not valid UTF-8",
        ),
        (
            &["test", "route.json"][..],
            "is neither a .flow nor a .flowtest file",
        ),
        (&["test", "--format", "xml"][..], "invalid value 'xml'"),
    ] {
        let out = flowc_in(dir.path(), args, b"");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(message),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_workflow_without_tests_gets_a_note_and_passes() {
    let dir = folder(&[("route.flow", WORKFLOW)]);
    let out = flowc_in(dir.path(), &["test", "--coverage"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "note: `./route.flow` has no test file (write its cases in `./route.flowtest`)\n"
    );
    assert_eq!(
        text(&out.stdout),
        "./route.flow:6: `if-1` branch `then` not covered (never ran)\n./route.flow:6: `if-1` branch `else` not covered (never ran)\ncoverage: 0 of 2 branches taken in 1 workflow\ntested 0 cases: 0 passed, 0 failed\n"
    );
}

/// The README's tour shows `flowc test docs/tour` failing: its console
/// block is exactly what the binary prints, and the test file it quotes is
/// the one in docs/tour.
#[test]
fn the_readme_tour_shows_what_flowc_test_prints() {
    let root = common::root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "$ cargo run -q -- test docs/tour\n";
    let start = readme
        .find(command)
        .expect("the README runs the tour's test")
        + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = flowc_in(&root, &["test", "docs/tour"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), shown);
    let quoted = "```flowtest\n";
    let at = readme
        .find(quoted)
        .expect("the README quotes the test file")
        + quoted.len();
    let body = &readme[at..at + readme[at..].find("```").unwrap()];
    let file = std::fs::read_to_string(root.join("docs/tour/escalation.flowtest")).unwrap();
    assert!(
        file.contains(body),
        "the README's test cases are not in docs/tour/escalation.flowtest"
    );
}

/// A test file nested 100,000 levels deep gets E108 where the 65th level
/// opens, and nothing runs: no stack overflow, exit 1.
#[test]
fn a_test_file_nested_too_deep_is_e108() {
    let deep = format!(
        "test \"deep\" {{\n  event {{ a: {}{} }}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let dir = folder(&[("route.flow", WORKFLOW), ("route.flowtest", &deep)]);
    let out = flowc_in(dir.path(), &["test", "--format", "json", "."], b"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = &report["files"][0]["diagnostics"];
    assert_eq!(
        diagnostics
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (
                d["code"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap()
            ))
            .collect::<Vec<_>>(),
        // The event's object is level 1: its 64th `[` is level 65, at
        // column 13 + 64.
        vec![("E108", 2, 77)]
    );
    assert_eq!(report["cases"], json!(0));
}
