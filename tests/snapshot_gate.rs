//! `flowc build --out-dir DIR --check`: the gate for committed bodies. It
//! names each body that is missing, different or stale, and writes nothing.

mod common;

use common::{flowc_in, text};
use std::path::Path;

const ALPHA: &str = "workflow \"Alpha\" {\n  trigger manual-trigger\n  step a: noop\n}\n";
const BETA: &str = "workflow \"Beta\" {\n  trigger manual-trigger\n  step b: noop\n}\n";
const GAMMA: &str = "workflow \"Gamma\" {\n  trigger manual-trigger\n  step c: noop\n}\n";

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file below `dir` with its bytes, to show that nothing was written.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A project whose bodies were built into `out/` by flowc itself.
fn built() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "flows/alpha.flow", ALPHA);
    write(dir.path(), "flows/beta.flow", BETA);
    write(dir.path(), "flows/sub/gamma.flow", GAMMA);
    let out = flowc_in(dir.path(), &["build", "flows", "--out-dir", "out"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    dir
}

#[test]
fn up_to_date_bodies_pass() {
    let dir = built();
    let before = contents(dir.path());
    let out = flowc_in(
        dir.path(),
        &["build", "flows", "--out-dir", "out", "--check"],
        b"",
    );
    assert_eq!(
        (out.status.code(), text(&out.stdout), text(&out.stderr)),
        (
            Some(0),
            String::new(),
            "compared 3 bodies: all up to date\n".to_string()
        )
    );
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn changed_missing_and_stale_bodies_are_each_named() {
    let dir = built();
    // beta.flow changes, gamma's body was never committed, and a body
    // remains of a flow that was deleted.
    write(
        dir.path(),
        "flows/beta.flow",
        &BETA.replace("b: noop", "b: wait"),
    );
    std::fs::remove_file(dir.path().join("out/gamma.json")).unwrap();
    write(dir.path(), "out/deleted.json", "{}\n");
    write(dir.path(), "out/notes.txt", "not a body\n");
    let before = contents(dir.path());
    let out = flowc_in(
        dir.path(),
        &["build", "flows", "--out-dir", "out", "--check"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "different: out/beta.json (built from flows/beta.flow)
--- out/beta.json
+++ out/beta.json (built)
@@ -6,5 +6,5 @@
       \"$kind\": \"Action\",
       \"id\": \"b\",
-      \"type\": \"noop\",
+      \"type\": \"wait\",
       \"name\": \"b\",
       \"input\": {}
stale: out/deleted.json (no .flow file builds it)
missing: out/gamma.json (built from flows/sub/gamma.flow)
"
    );
    assert_eq!(
        text(&out.stderr),
        "compared 3 bodies: 1 missing, 1 different, 1 stale\n"
    );
    assert_eq!(contents(dir.path()), before, "--check writes nothing");
}

#[test]
fn the_options_of_the_build_are_compared_too() {
    let dir = built();
    // Bodies committed pretty are different from compact ones.
    let out = flowc_in(
        dir.path(),
        &["build", "flows", "--out-dir", "out", "--check", "--compact"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "compared 3 bodies: 0 missing, 3 different, 0 stale\n"
    );
    // A folder that does not exist yet: everything is missing, and it is
    // not created.
    let out = flowc_in(
        dir.path(),
        &["build", "flows", "--out-dir", "none/yet", "--check"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "missing: none/yet/alpha.json (built from flows/alpha.flow)
missing: none/yet/beta.json (built from flows/beta.flow)
missing: none/yet/gamma.json (built from flows/sub/gamma.flow)
"
    );
    assert!(!dir.path().join("none").exists());
}

#[test]
fn errors_are_reported_and_their_body_is_neither_compared_nor_stale() {
    let dir = built();
    write(
        dir.path(),
        "flows/beta.flow",
        &BETA.replace("manual-trigger", "no-such-trigger"),
    );
    let out = flowc_in(
        dir.path(),
        &["build", "flows", "--out-dir", "out", "--check"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown trigger type `no-such-trigger`"),
        "{stderr}"
    );
    assert!(
        stderr
            .ends_with("checked 3 files: 1 error, 0 warnings\ncompared 2 bodies: all up to date\n"),
        "{stderr}"
    );
}

#[test]
fn check_needs_an_out_dir() {
    let dir = built();
    let out = flowc_in(dir.path(), &["build", "flows/alpha.flow", "--check"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "error: the following required arguments were not provided:\n  --out-dir <DIR>\n"
        ),
        "{}",
        text(&out.stderr)
    );
}
