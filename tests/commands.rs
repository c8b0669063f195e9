//! `flowc fmt`, `import`, `graph` and `explain` on the real binary.

mod common;

use common::{flowc, flowc_in, text};

const UGLY: &str = "workflow \"W\" { trigger manual-trigger\nstep a:noop {x:1}\n}\n";
const PRETTY: &str = "workflow \"W\" {\n  trigger manual-trigger\n\n  step a: noop { x: 1 }\n}\n";

#[test]
fn fmt_check_prints_a_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.flow"), UGLY).unwrap();
    let out = flowc_in(dir.path(), &["fmt", "--check", "w.flow"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "--- a/w.flow\n+++ b/w.flow\n@@ -1,3 +1,5 @@\n-workflow \"W\" { trigger manual-trigger\n-step a:noop {x:1}\n+workflow \"W\" {\n+  trigger manual-trigger\n+\n+  step a: noop { x: 1 }\n }\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("w.flow")).unwrap(),
        UGLY
    );
}

#[test]
fn fmt_rewrites_in_place_and_then_has_nothing_to_say() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.flow"), UGLY).unwrap();
    let out = flowc_in(dir.path(), &["fmt", "."], b"");
    assert_eq!(
        (out.status.code(), text(&out.stdout), text(&out.stderr)),
        (Some(0), String::new(), String::new())
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("w.flow")).unwrap(),
        PRETTY
    );
    let again = flowc_in(dir.path(), &["fmt", "--check", "."], b"");
    assert_eq!(
        (again.status.code(), text(&again.stdout)),
        (Some(0), String::new())
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec!["w.flow"], "no temporary file is left");
}

#[test]
fn fmt_stdin_to_stdout() {
    let out = flowc(&["fmt", "-"], UGLY.as_bytes());
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), PRETTY.to_string())
    );
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "workflow \"W\" {\n  trigger manual-trigger\n  step a noop\n}\n";
    std::fs::write(dir.path().join("w.flow"), broken).unwrap();
    let out = flowc_in(dir.path(), &["fmt", "w.flow"], b"");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("expected `:`, found `noop`"), "{stderr}");
    assert!(
        stderr.ends_with("left unformatted 1 file: 1 error, 0 warnings\n"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("w.flow")).unwrap(),
        broken
    );
}

const BODY: &str = r#"{
  "id": 12, "name": "Ping", "trigger_type": "manual-trigger", "created_at": "2026-01-01T00:00:00Z",
  "workflow_blocks": [{"$kind": "Action", "id": "ping", "type": "noop", "name": "ping", "input": {"n": 1.50}}]
}"#;

#[test]
fn import_writes_flow_text_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("body.json"), BODY).unwrap();
    let out = flowc_in(dir.path(), &["import", "body.json"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let flow =
        "workflow \"Ping\" {\n  trigger manual-trigger\n\n  step ping: noop { n: 1.50 }\n}\n";
    assert_eq!(text(&out.stdout), flow);
    assert_eq!(
        text(&out.stderr),
        "note: dropped the server field `id`\nnote: dropped the server field `created_at`\n"
    );
    let out = flowc_in(dir.path(), &["import", "body.json", "-o", "ping.flow"], b"");
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), String::new())
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ping.flow")).unwrap(),
        flow
    );
    // And back: the create body, without the server fields.
    let built = flowc_in(dir.path(), &["build", "--compact", "ping.flow"], b"");
    assert_eq!(
        text(&built.stdout),
        "{\"name\":\"Ping\",\"trigger_type\":\"manual-trigger\",\"workflow_blocks\":[{\"$kind\":\"Action\",\"id\":\"ping\",\"type\":\"noop\",\"name\":\"ping\",\"input\":{\"n\":1.50}}]}\n"
    );
}

#[test]
fn import_refusals_point_into_the_json() {
    let body = "{\"name\": \"W\", \"trigger_type\": \"webhook\",\n \"workflow_blocks\": [\n  {\"$kind\": \"Block\", \"type\": \"for-each\", \"id\": \"b\", \"inputs\": {}, \"branches\": {\"body\": [42]}}\n]}\n";
    let out = flowc(&["import", "-"], body.as_bytes());
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(1), String::new())
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the element at `workflow_blocks[0].branches.body[0]` is not an object"),
        "{stderr}"
    );
    assert!(stderr.contains("[<stdin>:3:89]"), "{stderr}");
    let out = flowc(&["import", "-"], b"{\"name\": ");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("E700"), "{}", text(&out.stderr));
}

#[test]
fn graph_prints_mermaid_or_dot() {
    let root = common::root();
    let out = flowc_in(
        &root,
        &["graph", "tests/conformance/pass/02-minimal.flow"],
        b"",
    );
    assert_eq!(
        text(&out.stdout),
        "flowchart TD\n    n0([\"manual-trigger\"])\n    n1[\"ping<br/>noop\"]\n    n2((\"end\"))\n    n0 --> n1\n    n1 --> n2\n"
    );
    let out = flowc_in(
        &root,
        &[
            "graph",
            "--format",
            "dot",
            "--data",
            "examples/escalation.flow",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("digraph workflow {\n"));
    let out = flowc(&["graph", "-"], b"workflow \"W\" { step }");
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(1), String::new())
    );
}

#[test]
fn explain_prints_every_code_and_refuses_others() {
    for code in flowc::Code::ALL {
        let out = flowc(&["explain", &code.as_str().to_lowercase()], b"");
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).starts_with(&format!("{code}: {}\n", code.summary())));
    }
    let out = flowc(&["explain", "E999"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: unknown code `E999`"));
}
