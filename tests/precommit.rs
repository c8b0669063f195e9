//! `.pre-commit-hooks.yaml`: the real `pre-commit try-repo` on this checkout,
//! in a scratch git repository with good and bad `.flow` files.
//!
//! pre-commit builds flowc with `cargo install` (`language: rust`). The build
//! goes to `target/ecosystem`, shared with `tests/action.rs`, unoptimised
//! (`common::quick_install_env`), so that CI pays for one quick build.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const GOOD: &str = "workflow \"Ping\" {\n  trigger manual-trigger\n\n  step ping: noop\n}\n";
const BAD: &str = "workflow \"Ping\" {\n  trigger no-such-trigger\n\n  step ping: noop\n}\n";
/// Clean, but not in the canonical layout: `fmt` rewrites it to GOOD.
const UNFORMATTED: &str = "workflow \"Ping\" {\n    trigger manual-trigger\n  step ping: noop }\n";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs (install it with `apt-get install git`)");
    assert!(out.status.success(), "git {args:?}: {:?}", out);
}

/// `pre-commit try-repo ROOT --files FILES` in `dir`: every hook of the
/// checkout on the given files.
fn try_repo(dir: &Path, home: &Path, files: &[&str]) -> Output {
    let root = common::root();
    let out = Command::new("pre-commit")
        .arg("try-repo")
        .arg(&root)
        .arg("--files")
        .args(files)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .envs(common::quick_install_env())
        .env("NO_COLOR", "1")
        // try-repo commits the checkout's uncommitted changes to a shadow
        // repository; it needs an identity to do so.
        .env("GIT_AUTHOR_NAME", "flowc tests")
        .env("GIT_AUTHOR_EMAIL", "tests@flowc.invalid")
        .env("GIT_COMMITTER_NAME", "flowc tests")
        .env("GIT_COMMITTER_EMAIL", "tests@flowc.invalid")
        .output();
    match out {
        Ok(out) => out,
        Err(err) => panic!(
            "cannot run pre-commit ({err}): install it with `python3 -m pip install pre-commit` \
             (./test.sh does)"
        ),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_hooks_pass_good_files_and_fail_bad_ones() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("repo");
    let home = scratch.path().join("pre-commit-home");
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "."]);
    std::fs::write(dir.join("good.flow"), GOOD).unwrap();
    std::fs::write(dir.join("bad.flow"), BAD).unwrap();
    std::fs::write(dir.join("unformatted.flow"), UNFORMATTED).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a flow").unwrap();
    // Staged, as before a commit: pre-commit sees a hook's changes in the diff.
    git(&dir, &["add", "."]);

    // A good file passes both hooks; a file that is not .flow is not given
    // to them at all.
    let out = try_repo(&dir, &home, &["good.flow", "notes.txt"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("flowc check....") && stdout.contains("Passed"),
        "{stdout}"
    );
    assert!(stdout.contains("flowc fmt....."), "{stdout}");
    assert!(!stdout.contains("Failed"), "{stdout}");

    // A bad file fails flowc-check with its diagnostic; an unformatted one
    // fails flowc-fmt, which rewrites it in the canonical layout.
    let out = try_repo(&dir, &home, &["bad.flow", "unformatted.flow"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    let check = stdout.find("flowc check....").expect("the check hook ran");
    let fmt = stdout.find("flowc fmt.....").expect("the fmt hook ran");
    let (check_part, fmt_part) = if check < fmt {
        (&stdout[check..fmt], &stdout[fmt..])
    } else {
        (&stdout[check..], &stdout[fmt..check])
    };
    assert!(check_part.contains("Failed"), "{stdout}");
    assert!(check_part.contains("- exit code: 1"), "{stdout}");
    assert!(
        check_part.contains("unknown trigger type `no-such-trigger`"),
        "{stdout}"
    );
    assert!(
        check_part.contains("checked 2 files: 1 error, 0 warnings"),
        "{stdout}"
    );
    assert!(fmt_part.contains("Failed"), "{stdout}");
    assert!(
        fmt_part.contains("- files were modified by this hook"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("unformatted.flow")).unwrap(),
        GOOD
    );
    assert_eq!(std::fs::read_to_string(dir.join("bad.flow")).unwrap(), BAD);
}
