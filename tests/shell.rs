//! `flowc completions SHELL` and `flowc man` on the real binary.

mod common;

use common::{flowc, text};
use std::process::Command;

/// Runs `script` in bash after loading flowc's bash completion, and returns
/// its standard output.
fn in_bash(script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let completion = dir.path().join("flowc.bash");
    let out = flowc(&["completions", "bash"], b"");
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(&completion, &out.stdout).unwrap();
    let run = Command::new("bash")
        .arg("-c")
        .arg(format!("source {}\n{script}", completion.display()))
        .output()
        .expect("bash runs (install it with `apt-get install bash`)");
    assert!(run.status.success(), "{}", text(&run.stderr));
    text(&run.stdout)
}

#[test]
fn bash_completion_is_valid_and_completes_commands_and_flags() {
    let out = flowc(&["completions", "bash"], b"");
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), &out.stdout).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(script.path())
        .output()
        .expect("bash runs (install it with `apt-get install bash`)");
    assert!(syntax.status.success(), "{}", text(&syntax.stderr));

    let commands = in_bash(
        "COMP_WORDS=(flowc b); COMP_CWORD=1; _flowc flowc b flowc; echo \"${COMPREPLY[@]}\"",
    );
    assert_eq!(commands, "build\n");
    let flags = in_bash(
        "COMP_WORDS=(flowc build --ch); COMP_CWORD=2; _flowc flowc --ch build; echo \"${COMPREPLY[@]}\"",
    );
    assert_eq!(flags, "--check\n");
    let formats = in_bash(
        "COMP_WORDS=(flowc check --format ''); COMP_CWORD=3; _flowc flowc '' --format; echo \"${COMPREPLY[@]}\"",
    );
    assert_eq!(formats, "human json github sarif\n");
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = flowc(&["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        for command in ["build", "check", "fmt", "import", "graph", "explain", "man"] {
            assert!(script.contains(command), "{shell}: {command} missing");
        }
    }
    let out = flowc(&["completions", "tcsh"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: invalid value 'tcsh' for '<SHELL>'\n"));
}

#[test]
fn man_prints_one_roff_page_documenting_every_command() {
    let out = flowc(&["man"], b"");
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(
        page.contains(&format!(
            ".TH flowc 1  \"flowc {}\" \n.SH NAME\nflowc \\- Compile and check .flow workflow files\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{page}"
    );
    for command in [
        "BUILD",
        "FMT",
        "GRAPH",
        "IMPORT",
        "EXPLAIN",
        "CHECK",
        "COMPLETIONS",
        "MAN",
    ] {
        assert!(
            page.contains(&format!(".SH \"FLOWC {command}\"\n.SS SYNOPSIS\n")),
            "{command} has no section"
        );
    }
    // Each flag of each command is on the page.
    for flag in [
        "\\-\\-out\\-dir",
        "\\-\\-check",
        "\\-\\-deny\\-warnings",
        "\\-\\-data",
    ] {
        assert!(page.contains(&format!("\\fB{flag}\\fR")), "{flag} missing");
    }
    // No pointers to pages that do not exist.
    assert!(!page.contains("flowc\\-build(1)"));
}
