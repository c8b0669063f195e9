//! `--color auto|always|never`, `NO_COLOR` and `CLICOLOR_FORCE` on the real
//! binary. Its stderr is a pipe here, so `auto` means no colour unless
//! `CLICOLOR_FORCE` asks for it.

// On the binary's allocator, as every test of the library (tests/common).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

use std::process::{Command, Output, Stdio};

/// A syntax error, which every command that reads `.flow` files reports.
const BAD: &str = "workflow \"x\" {\n  trigger manual-trigger\n  step a noop\n}\n";

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.flow"), BAD).unwrap();
    Command::new(env!("CARGO_BIN_EXE_flowc"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("flowc runs")
}

/// Whether the diagnostics on stderr carry ANSI colour.
fn coloured(args: &[&str], env: &[(&str, &str)]) -> bool {
    let out = run(args, env);
    assert_eq!(out.status.code(), Some(1), "{args:?} {env:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("E100"), "{stderr}");
    stderr.contains("\x1b[")
}

#[test]
fn every_command_that_prints_diagnostics_takes_color() {
    for command in [
        &["check", "bad.flow"][..],
        &["build", "bad.flow"],
        &["graph", "bad.flow"],
        &["fmt", "--check", "bad.flow"],
    ] {
        let with = |flag: &'static str| [command, &["--color", flag]].concat();
        assert!(
            !coloured(command, &[]),
            "{command:?}: a pipe gets no colour"
        );
        assert!(coloured(&with("always"), &[]), "{command:?}");
        assert!(!coloured(&with("never"), &[]), "{command:?}");
        assert!(!coloured(&with("auto"), &[]), "{command:?}");
    }
}

#[test]
fn auto_follows_no_color_and_clicolor_force() {
    let check = ["check", "bad.flow"];
    assert!(coloured(&check, &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&check, &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(
        &check,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    // The flag wins over the environment, both ways.
    assert!(coloured(
        &["check", "--color", "always", "bad.flow"],
        &[("NO_COLOR", "1")]
    ));
    assert!(!coloured(
        &["check", "--color", "never", "bad.flow"],
        &[("CLICOLOR_FORCE", "1")]
    ));
}

#[test]
fn a_bad_value_is_a_usage_error() {
    let out = run(&["check", "--color", "sometimes", "bad.flow"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("error: invalid value 'sometimes' for '--color <WHEN>'\n"));
}
