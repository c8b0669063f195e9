//! `flowc push`, `pull` and `diff` (SPEC §14) on the real binary, against a
//! workflow API of the tests' own on 127.0.0.1 (`platform/server.rs`).
//! Every run is checked for the token in its output, and every project's
//! files when the test ends.

mod common;
#[path = "platform/server.rs"]
mod server;

use server::{workflow_id, Fault, GetReturns, Server, TOKEN};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

const ALPHA: &str = r#"workflow "Alpha" {
  description "First"
  trigger manual-trigger

  step ping: http-request { url: "https://example.com", retries: 1.50 }
}
"#;

const BETA: &str = r#"workflow "Beta" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "vip" }
}
"#;

const GAMMA: &str = r#"workflow "Gamma" {
  trigger webhook

  step note: add-note { text: "hello" }
}
"#;

const LOCK_HEAD: &str =
    "# Which platform workflow each .flow file is, written by `flowc push` and\n\
                         # `flowc pull`. Commit this file; do not edit it by hand.\n";

const DRAFT: &str = "inactive draft: activate it on the platform";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A folder of `.flow` files, deleted at the end; it must never hold the token.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        let project = Project {
            dir: tempfile::tempdir().unwrap(),
        };
        for (name, text) in files {
            project.write(name, text);
        }
        project
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn lock(&self) -> String {
        self.read("flowc.lock")
    }

    fn has(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// Runs flowc against `server` with the right token.
    fn run(&self, server: &Server, args: &[&str]) -> Run {
        self.run_env(args, Some(&server.url), Some(TOKEN))
    }

    fn run_env(&self, args: &[&str], url: Option<&str>, token: Option<&str>) -> Run {
        self.run_with(args, url, token, &[])
    }

    /// Runs flowc with extra environment variables.
    fn run_with(
        &self,
        args: &[&str],
        url: Option<&str>,
        token: Option<&str>,
        vars: &[(&str, &str)],
    ) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flowc"));
        command.args(args).current_dir(self.dir.path());
        // Nothing of the machine's environment may route the requests elsewhere.
        for var in [
            "FLOWC_API_URL",
            "FLOWC_API_TOKEN",
            "ALL_PROXY",
            "all_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "NO_PROXY",
            "no_proxy",
        ] {
            command.env_remove(var);
        }
        command.envs(vars.iter().copied());
        if let Some(url) = url {
            command.env("FLOWC_API_URL", url);
        }
        if let Some(token) = token {
            command.env("FLOWC_API_TOKEN", token);
        }
        let output = command.output().expect("flowc runs");
        let run = Run {
            code: output.status.code().expect("flowc exits"),
            stdout: common::text(&output.stdout),
            stderr: common::text(&output.stderr),
        };
        for secret in [Some(TOKEN), token.filter(|t| t.trim().len() >= 6)]
            .into_iter()
            .flatten()
        {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "the token was printed:\n{}\n{}",
                run.stdout,
                run.stderr
            );
        }
        run
    }

    /// The body `build --compact` prints for a file, without the newline.
    fn compact(&self, name: &str) -> String {
        let output = common::flowc_in(self.dir.path(), &["build", "--compact", name], b"");
        assert!(output.status.success(), "{}", common::text(&output.stderr));
        common::text(&output.stdout)
            .trim_end_matches('\n')
            .to_string()
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        fn walk(dir: &Path) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    assert!(
                        !String::from_utf8_lossy(&bytes).contains(TOKEN),
                        "the token was written to {}",
                        path.display()
                    );
                }
            }
        }
        walk(self.dir.path());
    }
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The lock's text for these (file, workflow id, version, body) entries, in key order.
fn lock_text(entries: &[(&str, &str, u64, &str)]) -> String {
    let mut text = LOCK_HEAD.to_string();
    for (file, id, version, body) in entries {
        text.push_str(&format!(
            "\n[\"{file}\"]\nworkflow_id = \"{id}\"\nversion_number = {version}\nbody_sha256 = \"{}\"\n",
            sha256(body)
        ));
    }
    text
}

fn id(n: u64) -> String {
    workflow_id(n)
}

/// The body of an update: the body, then `null` for each optional field it lacks.
fn with_nulls(body: &str, missing: &[&str]) -> String {
    let mut text = body.strip_suffix('}').unwrap().to_string();
    for key in missing {
        text.push_str(&format!(",\"{key}\":null"));
    }
    text.push('}');
    text
}

/// A project with a.flow and b.flow, both pushed.
fn pushed(server: &Server) -> Project {
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA)]);
    let run = project.run(server, &["push"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    server.clear_requests();
    project
}

#[test]
fn first_push_creates_then_an_unchanged_push_sends_nothing() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA)]);
    let run = project.run(&server, &["push"]);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "a.flow: created\nb.flow: created\n");
    assert_eq!(run.code, 0);

    let (a, b) = (project.compact("a.flow"), project.compact("b.flow"));
    let requests = server.requests();
    assert_eq!(server.lines(), ["POST /workflows", "POST /workflows"]);
    assert_eq!(requests[0].body, a);
    assert_eq!(requests[1].body, b);
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.header("user-agent"),
            Some(concat!("flowc/", env!("CARGO_PKG_VERSION")))
        );
    }
    assert_eq!(
        project.lock(),
        lock_text(&[("a.flow", &id(1), 1, &a), ("b.flow", &id(2), 1, &b)])
    );

    server.clear_requests();
    let run = project.run(&server, &["push"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "a.flow: unchanged\nb.flow: unchanged\n", "")
    );
    assert!(server.lines().is_empty(), "{:?}", server.lines());
}

#[test]
fn an_update_sends_every_field_and_null_for_a_removed_description() {
    for reading in [GetReturns::Newest, GetReturns::Active] {
        let server = Server::start_with(reading);
        let project = pushed(&server);
        let before = project.lock();
        project.write("a.flow", &ALPHA.replace("  description \"First\"\n", ""));
        let a = project.compact("a.flow");

        let run = project.run(&server, &["push"]);
        assert_eq!(run.stderr, "");
        assert_eq!(
            run.stdout,
            format!("a.flow: updated (version 2, {DRAFT})\nb.flow: unchanged\n")
        );
        assert_eq!(run.code, 0);
        let path = format!("/workflows/{}", id(1));
        assert_eq!(
            server.lines(),
            [format!("GET {path}"), format!("PATCH {path}")]
        );
        assert_eq!(
            server.requests()[1].body,
            with_nulls(
                &a,
                &[
                    "description",
                    "trigger_configuration",
                    "trigger_constraints",
                    "workflow_editor_state"
                ]
            )
        );
        assert_eq!(server.newest(&id(1)).get("description"), None);
        let b_entry = before.split("\n[\"b.flow\"]").nth(1).unwrap();
        assert_eq!(
            project.lock(),
            format!(
                "{}[\"b.flow\"]{b_entry}",
                lock_text(&[("a.flow", &id(1), 2, &a)]) + "\n"
            )
        );

        // A second update: under either reading of GET, no drift is seen.
        server.clear_requests();
        project.write("a.flow", &ALPHA.replace("First", "Second"));
        let run = project.run(&server, &["push", "a.flow"]);
        assert_eq!(
            (run.code, run.stdout, run.stderr),
            (
                0,
                format!("a.flow: updated (version 3, {DRAFT})\n"),
                String::new()
            )
        );
        assert_eq!(server.lines().len(), 2);
        assert_eq!(
            server.newest(&id(1)).get("description"),
            Some(&serde_json::json!("Second"))
        );
    }
}

#[test]
fn drift_is_refused_unless_forced() {
    let server = Server::start();
    let project = pushed(&server);
    server.edit(&id(1), |fields| {
        fields.insert("name".into(), "Alpha (edited in the dashboard)".into());
    });
    project.write("a.flow", &ALPHA.replace("First", "Changed here"));
    let before = project.lock();

    let run = project.run(&server, &["push"]);
    assert_eq!(run.stdout, "b.flow: unchanged\n");
    assert_eq!(
        run.stderr,
        format!(
            "error: a.flow: refused: workflow {} was changed on the platform since it was last \
             pushed or pulled (version 2 there, 1 in flowc.lock); see the difference with \
             `flowc diff a.flow`, or overwrite it with `flowc push --force a.flow`\n",
            id(1)
        )
    );
    assert_eq!(run.code, 1);
    assert_eq!(server.lines(), [format!("GET /workflows/{}", id(1))]);
    assert_eq!(project.lock(), before);
    assert_eq!(server.version_count(&id(1)), 2);

    server.clear_requests();
    let run = project.run(&server, &["push", "--force"]);
    assert_eq!(
        run.stdout,
        format!("a.flow: updated (version 3, {DRAFT})\nb.flow: unchanged\n")
    );
    assert_eq!(
        run.stderr,
        format!(
            "note: a.flow: overwrote version 2 of workflow {}, changed on the platform\n",
            id(1)
        )
    );
    assert_eq!(run.code, 0);
    assert_eq!(server.lines().len(), 2);
    assert_eq!(server.newest(&id(1))["name"], "Alpha");
    assert!(project.lock().contains("version_number = 3\n"));
}

#[test]
fn a_dry_run_reads_but_writes_nothing() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA), ("c.flow", GAMMA)]);
    assert_eq!(project.run(&server, &["push", "a.flow", "b.flow"]).code, 0);
    server.clear_requests();
    server.edit(&id(2), |fields| {
        fields.insert("name".into(), "Beta, edited".into());
    });
    project.write("a.flow", &ALPHA.replace("First", "Changed"));
    project.write("b.flow", &BETA.replace("vip", "gold"));
    let before = project.lock();

    let run = project.run(&server, &["push", "--dry-run"]);
    assert_eq!(run.stdout, "a.flow: would update\nc.flow: would create\n");
    assert!(
        run.stderr.starts_with("error: b.flow: refused: workflow "),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        server.lines(),
        [
            format!("GET /workflows/{}", id(1)),
            format!("GET /workflows/{}", id(2))
        ]
    );
    assert_eq!(project.lock(), before);

    server.clear_requests();
    let run = project.run(&server, &["push", "--dry-run", "--force"]);
    assert_eq!(
        run.stdout,
        "a.flow: would update\nb.flow: would update, overwriting version 2 changed on the \
         platform\nc.flow: would create\n"
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(server.lines().iter().all(|l| l.starts_with("GET ")));
    assert_eq!(project.lock(), before);
}

#[test]
fn a_wrong_token_stops_the_run_with_exit_2() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA)]);
    let wrong = "wrong-token-5c9d2e";
    let run = project.run_env(&["push"], Some(&server.url), Some(wrong));
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: a.flow: POST /workflows: 401 Unauthorized (the server says: invalid or missing \
         token); the token was refused: check FLOWC_API_TOKEN\n\
         error: stopped: nothing more was sent\n"
    );
    assert_eq!(run.code, 2);
    assert_eq!(server.lines(), ["POST /workflows"]);
    assert!(!project.has("flowc.lock"));
}

#[test]
fn a_missing_token_is_exit_2_before_any_request() {
    let server = Server::start();
    let project = pushed(&server);
    for args in [
        &["push"][..],
        &["push", "--dry-run"],
        &["diff"],
        &["pull", "x"],
    ] {
        for token in [None, Some(""), Some("  ")] {
            let run = project.run_env(args, Some(&server.url), token);
            assert_eq!(
                (run.code, run.stdout.as_str(), run.stderr.as_str()),
                (
                    2,
                    "",
                    "error: FLOWC_API_TOKEN is not set: set it to your workflow API token\n"
                ),
                "{args:?}"
            );
        }
    }
    assert!(server.lines().is_empty());
}

#[test]
fn a_token_the_server_echoes_is_never_printed() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA)]);
    // The server answers 422 and says the Authorization header back.
    server.fault("POST", Fault::Echo(422));
    let run = project.run(&server, &["push"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: a.flow: POST /workflows: 422 Unprocessable Entity (the server says: you \
             sent Bearer [FLOWC_API_TOKEN])\n"
        )
    );
}

#[test]
fn transient_faults_are_retried() {
    let server = Server::start();
    let project = pushed(&server);
    project.write("a.flow", &ALPHA.replace("First", "Changed"));
    server.fault("GET", Fault::Status(503, Some(0)));
    server.fault("GET", Fault::Close);
    server.fault("PATCH", Fault::Status(429, Some(0)));
    server.fault("PATCH", Fault::Status(502, Some(0)));
    let run = project.run(&server, &["push", "a.flow"]);
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            0,
            format!("a.flow: updated (version 2, {DRAFT})\n"),
            String::new()
        )
    );
    let get = format!("GET /workflows/{}", id(1));
    let patch = format!("PATCH /workflows/{}", id(1));
    assert_eq!(
        server.lines(),
        [
            get.clone(),
            get.clone(),
            get,
            patch.clone(),
            patch.clone(),
            patch
        ]
    );
    assert_eq!(server.version_count(&id(1)), 2);
}

#[test]
fn a_create_is_retried_after_429_only() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA), ("c.flow", GAMMA)]);
    server.fault("POST", Fault::Status(429, Some(0)));
    server.fault("POST", Fault::Status(500, Some(0)));
    let run = project.run(&server, &["push"]);
    // a: 429, then a second POST answered 500: it may exist, so not sent again.
    assert_eq!(run.stdout, "b.flow: created\nc.flow: created\n");
    assert_eq!(
        run.stderr,
        "error: a.flow: POST /workflows: 500 Internal Server Error (the server says: injected \
         fault 500); the workflow may have been created anyway, so it was not sent again: look \
         for it on the platform, and if it is there, pull it with `flowc pull WORKFLOW_ID -o \
         FILE` instead of pushing again\n"
    );
    assert_eq!(run.code, 1);
    assert_eq!(server.lines(), ["POST /workflows"; 4]);
    let (b, c) = (project.compact("b.flow"), project.compact("c.flow"));
    assert_eq!(
        project.lock(),
        lock_text(&[("b.flow", &id(1), 1, &b), ("c.flow", &id(2), 1, &c)])
    );
}

#[test]
fn a_create_whose_connection_drops_is_not_sent_again() {
    for fault in [Fault::Close, Fault::Cut] {
        let server = Server::start();
        let project = Project::new(&[("a.flow", ALPHA)]);
        server.fault("POST", fault.clone());
        let run = project.run(&server, &["push"]);
        assert_eq!(run.code, 1, "{fault:?}");
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.starts_with("error: a.flow: POST /workflows: ")
                && run.stderr.contains(
                    "; the workflow may have been created anyway, so it was not sent again"
                ),
            "{fault:?}: {}",
            run.stderr
        );
        assert_eq!(server.lines(), ["POST /workflows"]);
        assert!(!project.has("flowc.lock"));
    }
}

#[test]
fn persistent_faults_fail_that_file_and_the_others_go_on() {
    let server = Server::start();
    let project = pushed(&server);
    let before = project.lock();
    project.write("a.flow", &ALPHA.replace("First", "Changed"));
    project.write("b.flow", &BETA.replace("vip", "gold"));
    for _ in 0..4 {
        server.fault("GET", Fault::Status(500, Some(0)));
    }
    let run = project.run(&server, &["push"]);
    assert_eq!(
        run.stdout,
        format!("b.flow: updated (version 2, {DRAFT})\n")
    );
    assert_eq!(
        run.stderr,
        format!(
            "error: a.flow: GET /workflows/{}: 500 Internal Server Error (the server says: \
             injected fault 500) after 4 attempts\n",
            id(1)
        )
    );
    assert_eq!(run.code, 1);
    assert_eq!(server.lines().len(), 6);
    // The lock is true for what happened: a as before, b at version 2.
    let b = project.compact("b.flow");
    let a_entry = before.split("\n[\"b.flow\"]").next().unwrap();
    assert_eq!(
        project.lock(),
        format!(
            "{a_entry}{}",
            lock_text(&[("b.flow", &id(2), 2, &b)])
                .strip_prefix(LOCK_HEAD)
                .unwrap()
        )
    );
}

#[test]
fn a_persistently_dropped_connection_fails_the_file() {
    let server = Server::start();
    let project = pushed(&server);
    project.write("a.flow", &ALPHA.replace("First", "Changed"));
    for _ in 0..4 {
        server.fault("GET", Fault::Close);
    }
    let run = project.run(&server, &["push", "a.flow"]);
    assert_eq!(
        run.stderr,
        format!(
            "error: a.flow: GET /workflows/{}: the connection closed without an answer after 4 \
             attempts\n",
            id(1)
        )
    );
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
}

#[test]
fn an_unreachable_host_is_exit_2() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA)]);
    let url = format!("http://127.0.0.1:{port}");
    let run = project.run_env(&["push"], Some(&url), Some(TOKEN));
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: a.flow: POST /workflows: cannot connect after 4 attempts: connection refused; \
         check FLOWC_API_URL and the network\nerror: stopped: nothing more was sent\n"
    );
    assert_eq!(run.code, 2);
    assert!(!project.has("flowc.lock"));
}

#[test]
fn a_bad_url_is_exit_2() {
    let project = Project::new(&[("a.flow", ALPHA)]);
    let run = project.run_env(&["push"], Some("ftp://127.0.0.1"), Some(TOKEN));
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: FLOWC_API_URL must be an http:// or https:// URL, such as \
             https://api.open.cx, not `ftp://127.0.0.1`\n"
        )
    );
}

#[test]
fn a_file_with_errors_stops_the_push_before_any_request() {
    let server = Server::start();
    let broken = BETA.replace("\"vip\"", "\"<<nope.output.x>>\"");
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", &broken)]);
    let run = project.run(&server, &["push"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("E201"), "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("error: nothing was sent: fix the errors first\n"),
        "{}",
        run.stderr
    );
    assert!(server.lines().is_empty());
    assert!(!project.has("flowc.lock"));
}

#[test]
fn a_partial_failure_leaves_the_lock_true() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA), ("c.flow", GAMMA)]);
    assert_eq!(project.run(&server, &["push", "a.flow"]).code, 0);
    server.clear_requests();
    server.fault("POST", Fault::Status(400, None));
    let run = project.run(&server, &["push"]);
    assert_eq!(run.stdout, "a.flow: unchanged\nc.flow: created\n");
    assert_eq!(
        run.stderr,
        "error: b.flow: POST /workflows: 400 Bad Request (the server says: injected fault 400)\n"
    );
    assert_eq!(run.code, 1);
    let (a, c) = (project.compact("a.flow"), project.compact("c.flow"));
    assert_eq!(
        project.lock(),
        lock_text(&[("a.flow", &id(1), 1, &a), ("c.flow", &id(2), 1, &c)])
    );

    // A refused token midway stops at once: c is not sent, the lock keeps b.
    let project = Project::new(&[("a.flow", ALPHA), ("b.flow", BETA), ("c.flow", GAMMA)]);
    let server = Server::start();
    assert_eq!(project.run(&server, &["push", "a.flow"]).code, 0);
    server.fault("POST", Fault::Status(403, None));
    let run = project.run(&server, &["push"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "a.flow: unchanged\n");
    assert_eq!(server.lines(), ["POST /workflows", "POST /workflows"]);
    assert_eq!(project.lock(), lock_text(&[("a.flow", &id(1), 1, &a)]));
}

/// A body flow text can only write with `raw`, and numbers in odd lexemes.
const ODD: &str = r#"{"name":"Odd numbers & raw","trigger_type":"manual-trigger","workflow_blocks":[{"$kind":"Action","id":"wait","type":"delay","name":"wait","input":{"seconds":1.50,"big":12345678901234567890123,"exp":1E+3,"neg":-0,"tiny":2.5e-7}},{"$kind":"Note","text":"kept as it is","weight":0.10}],"trigger_configuration":{"limit":1.0}}"#;

/// `ODD` as `GET` answers it: server fields around, a null description.
fn odd_response() -> String {
    format!(
        r#"{{"id":7,"workflow_id":"wf-odd","is_active":true,"version_number":1,"created_at":"2026-12-01T10:00:00Z","updated_at":"2026-12-01T10:00:00Z","webhook_url":null,"description":null,"trigger_constraints":null,{}"#,
        &ODD[1..]
    )
}

#[test]
fn pull_writes_flow_text_that_builds_back_the_body() {
    let server = Server::start();
    server.seed_raw("wf-odd", &odd_response());
    let project = Project::new(&[]);
    let run = project.run(&server, &["pull", "wf-odd"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "pulled workflow wf-odd (version 1) into odd-numbers-raw.flow\n",
            ""
        )
    );
    assert_eq!(server.lines(), ["GET /workflows/wf-odd"]);
    assert_eq!(
        project.read("odd-numbers-raw.flow"),
        "workflow \"Odd numbers & raw\" {\n  \
           trigger manual-trigger { limit: 1.0 }\n\n  \
           step wait: delay { seconds: 1.50, big: 12345678901234567890123, exp: 1E+3, neg: -0, tiny: 2.5e-7 }\n  \
           raw { \"$kind\": \"Note\", text: \"kept as it is\", weight: 0.10 }\n\
         }\n"
    );
    let body = project.compact("odd-numbers-raw.flow");
    assert_eq!(body, ODD);
    assert_eq!(
        project.lock(),
        lock_text(&[("odd-numbers-raw.flow", "wf-odd", 1, &body)])
    );

    // A push right after a pull sends nothing.
    server.clear_requests();
    let run = project.run(&server, &["push"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "odd-numbers-raw.flow: unchanged\n")
    );
    assert!(server.lines().is_empty());

    // The default file exists and is this workflow's: pulled again in place.
    server.edit("wf-odd", |fields| {
        fields.insert("name".into(), "Odd numbers & raw".into());
        fields.insert("description".into(), "now described".into());
    });
    let run = project.run(&server, &["pull", "wf-odd"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(project
        .read("odd-numbers-raw.flow")
        .contains("description \"now described\""));
    assert!(project.lock().contains("version_number = 2\n"));
}

#[test]
fn pull_refuses_to_overwrite_another_file_and_reports_a_missing_workflow() {
    let server = Server::start();
    server.seed_raw("wf-odd", &odd_response());
    let project = Project::new(&[("odd-numbers-raw.flow", ALPHA)]);
    let run = project.run(&server, &["pull", "wf-odd"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: `odd-numbers-raw.flow` exists and flowc.lock does not link it to workflow \
             wf-odd: nothing was written; give -o FILE to choose where to write it\n"
        )
    );
    assert_eq!(project.read("odd-numbers-raw.flow"), ALPHA);
    assert!(!project.has("flowc.lock"));

    let run = project.run(&server, &["pull", "wf-odd", "-o", "flows/odd.flow"]);
    assert_eq!(run.code, 2, "the folder does not exist: {}", run.stderr);
    std::fs::create_dir(project.path("flows")).unwrap();
    let run = project.run(&server, &["pull", "wf-odd", "-o", "flows/odd.flow"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(project.lock().contains("[\"flows/odd.flow\"]\n"));

    let run = project.run(&server, &["pull", "no such"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "error: workflow no such: GET /workflows/no%20such: 404 Not Found (the server says: \
             workflow not found); check the id (the workflow_id UUID, not the version's id)\n"
        )
    );
}

#[test]
fn the_lock_lives_beside_the_nearest_catalog() {
    let server = Server::start();
    let project = Project::new(&[
        ("flows/flowc.toml", "[triggers]\nextra = []\n"),
        ("flows/support/a.flow", ALPHA),
    ]);
    let run = project.run(&server, &["push", "flows"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "flows/support/a.flow: created\n");
    assert!(!project.has("flowc.lock"));
    assert!(project
        .read("flows/flowc.lock")
        .contains("[\"support/a.flow\"]\n"));
}

#[test]
fn diff_shows_changes_on_the_platform_as_flow_text() {
    let server = Server::start();
    let project = pushed(&server);
    let run = project.run(&server, &["diff"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(
        server.lines(),
        [
            format!("GET /workflows/{}", id(1)),
            format!("GET /workflows/{}", id(2))
        ]
    );

    server.edit(&id(1), |fields| {
        fields.insert("description".into(), "Edited in the dashboard".into());
    });
    project.write("c.flow", GAMMA);
    let run = project.run(&server, &["diff"]);
    assert_eq!(
        run.stdout,
        format!(
            "--- a.flow (platform: workflow {}, version 2)\n\
             +++ a.flow (local)\n\
             @@ -1,6 +1,6 @@\n \
             workflow \"Alpha\" {{\n   \
             trigger manual-trigger\n\
             -  description \"Edited in the dashboard\"\n\
             +  description \"First\"\n \n   \
             step ping: http-request {{ url: \"https://example.com\", retries: 1.50 }}\n \
             }}\n",
            id(1)
        )
    );
    assert_eq!(
        run.stderr,
        "note: c.flow is not in flowc.lock: `flowc push` would create it\n"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn diff_ignores_the_editor_state_which_the_api_does_not_return() {
    let server = Server::start();
    let project = Project::new(&[(
        "a.flow",
        &ALPHA.replace(
            "  trigger manual-trigger\n",
            "  trigger manual-trigger\n  editor_state { zoom: 1 }\n",
        ),
    )]);
    assert_eq!(project.run(&server, &["push"]).code, 0);
    let run = project.run(&server, &["diff"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn requests_go_through_the_proxy_of_the_environment() {
    let proxy = Server::start();
    let project = Project::new(&[("a.flow", ALPHA)]);
    // The API's host does not exist: only the proxy, on 127.0.0.1, is reached.
    let run = project.run_with(
        &["push"],
        Some("http://api.flowc-test.invalid"),
        Some(TOKEN),
        &[("HTTP_PROXY", &proxy.url)],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "a.flow: created\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        proxy.lines(),
        ["CONNECT api.flowc-test.invalid:80", "POST /workflows"]
    );
    // The proxy learns the host, not the token.
    assert_eq!(proxy.requests()[0].header("authorization"), None);

    // NO_PROXY names the API's host: the proxy (closed) is not used.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let server = Server::start();
    project.write("b.flow", BETA);
    let run = project.run_with(
        &["push", "b.flow"],
        Some(&server.url),
        Some(TOKEN),
        &[("HTTP_PROXY", &closed), ("NO_PROXY", "127.0.0.1")],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "b.flow: created\n"),
        "{}",
        run.stderr
    );
    assert_eq!(server.lines(), ["POST /workflows"]);
}

#[test]
fn a_redirect_is_not_followed_so_the_token_stays_with_the_api() {
    let server = Server::start();
    let elsewhere = Server::start();
    let project = Project::new(&[("a.flow", ALPHA)]);
    server.fault(
        "POST",
        Fault::Redirect(format!("{}/workflows", elsewhere.url)),
    );
    let run = project.run(&server, &["push"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: a.flow: POST /workflows: 307 Redirect (not followed)\n"
        )
    );
    assert!(elsewhere.lines().is_empty());
}

#[test]
fn a_failed_update_may_have_been_applied() {
    let server = Server::start();
    let project = pushed(&server);
    project.write("a.flow", &ALPHA.replace("First", "Changed"));
    for _ in 0..4 {
        server.fault("PATCH", Fault::Status(503, Some(0)));
    }
    let run = project.run(&server, &["push", "a.flow"]);
    assert_eq!(
        run.stderr,
        format!(
            "error: a.flow: PATCH /workflows/{}: 503 Service Unavailable (the server says: \
             injected fault 503) after 4 attempts; the update may have been applied anyway: if \
             the next push reports drift, `flowc diff` shows whether the platform already has \
             this file's body\n",
            id(1)
        )
    );
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
}

#[test]
fn a_workflow_gone_from_the_platform_says_how_to_create_it_again() {
    let server = Server::start();
    let project = pushed(&server);
    server.state().workflows.clear();
    project.write("a.flow", &ALPHA.replace("First", "Changed"));
    let run = project.run(&server, &["push", "a.flow"]);
    let lock = project.path("flowc.lock").canonicalize().unwrap();
    assert_eq!(
        run.stderr,
        format!(
            "error: a.flow: GET /workflows/{0}: 404 Not Found (the server says: workflow not \
             found); workflow {0} is not on the platform: remove `a.flow` from {1} to create \
             it again\n",
            id(1),
            lock.display()
        )
    );
    assert_eq!(run.code, 1);
}

#[test]
fn standard_input_and_a_broken_lock_are_usage_errors() {
    let server = Server::start();
    let project = Project::new(&[("a.flow", ALPHA)]);
    let run = project.run(&server, &["push", "-"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: standard input has no place in flowc.lock: give the .flow files themselves\n"
        )
    );
    project.write("flowc.lock", "[\"a.flow\"]\nworkflow_id = 7\n");
    let run = project.run(&server, &["push"]);
    let lock = project.path("flowc.lock").canonicalize().unwrap();
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: `{}` is not a valid lock: `a.flow`: unexpected `workflow_id` or a wrong \
                 type\n",
                lock.display()
            )
        )
    );
    assert!(server.lines().is_empty());
}
