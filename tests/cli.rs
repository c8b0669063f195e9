//! End-to-end tests of the `flowc` binary (SPEC §6–7): exit statuses, the
//! exact bytes of `build`'s output, the `human`, `json` and `github` formats
//! of `check`, file handling (`-o`, `--out-dir`, directories, stdin) and
//! hostile input (deep nesting, invalid UTF-8, garbage).

mod common;

use common::{assert_schema_valid, flowc, flowc_in, root, text};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

// ------------------------------------------------------------------ helpers --

/// `tests/conformance/pass/02-minimal.flow`, relative to the project folder.
const MINIMAL: &str = "tests/conformance/pass/02-minimal.flow";

/// What `flowc build` prints for [`MINIMAL`].
const MINIMAL_PRETTY: &str = r#"{
  "name": "Ping",
  "trigger_type": "manual-trigger",
  "workflow_blocks": [
    {
      "$kind": "Action",
      "id": "ping",
      "type": "noop",
      "name": "ping",
      "input": {}
    }
  ]
}
"#;

/// One warning (W400, with help) and one error (E201, without help).
const SMALL: &str = r#"workflow "Small" {
  trigger manual-trigger
  step a: noop
  if 1 == 1 {
    step b: noop { x: "<<nope.output.y>>" }
  }
}
"#;

/// Only a warning: an empty `then` branch (W401).
const WARNING_ONLY: &str = r#"workflow "Beta" {
  trigger manual-trigger
  step p: noop
  if p.output.ok == true {
  }
}
"#;

/// Only an error: an unknown trigger (E300).
const BAD_TRIGGER: &str = r#"workflow "Gamma" {
  trigger nope-trigger
  step g: noop
}
"#;

const E108_HELP: &str =
    "split the deepest part into a flatter structure; the workflow body is level 0";

/// The exit status; a run killed by a signal (a stack overflow, say) fails here.
fn status(out: &Output) -> i32 {
    out.status.code().unwrap_or_else(|| {
        panic!(
            "flowc was killed: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The run ended with one of flowc's own statuses, not a panic or a signal.
fn assert_no_crash(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = status(out);
    assert!((0..=2).contains(&code), "exit status {code}\n{stderr}");
    assert!(!stderr.contains("panicked"), "flowc panicked:\n{stderr}");
    assert!(!stderr.contains("overflowed its stack"), "{stderr}");
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn write(dir: &Path, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents).unwrap();
    path
}

/// Every file below `dir`, as sorted `/`-separated relative paths.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, found);
            } else {
                let relative = path.strip_prefix(base).unwrap();
                let parts: Vec<_> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort();
    found
}

/// Parses `check --format json` output.
fn json_report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn codes(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// 1-based line and character column of byte `offset` of `src`.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of the `n`th (1-based) occurrence of `needle` in `src`.
fn nth_offset(src: &str, needle: &str, n: usize) -> usize {
    src.match_indices(needle)
        .nth(n - 1)
        .unwrap_or_else(|| panic!("fewer than {n} `{needle}`"))
        .0
}

/// Runs the binary on standard input in an empty temporary folder, so that
/// no `flowc.toml` of the project applies.
fn flowc_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let dir = tempdir();
    flowc_in(dir.path(), args, stdin)
}

/// Runs the binary with extra environment variables (the helpers clear `NO_COLOR`).
fn flowc_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowc"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("flowc runs")
}

/// A small deterministic generator (xorshift64*), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

// ------------------------------------------------------- hostile: nesting --

const N: usize = 100_000;

/// Checks `src` as a file and from stdin: exactly one E108, on the bytes
/// `at..at + width`, exit 1 and no output; `build` fails the same way.
fn assert_one_e108(src: &str, at: usize, width: usize, what: &str) {
    let dir = tempdir();
    write(dir.path(), "deep.flow", src);
    let out = flowc_in(dir.path(), &["check", "--format", "json", "deep.flow"], b"");
    assert_no_crash(&out);
    assert_eq!(status(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let report = json_report(&out);
    let (line, column) = line_col(src, at);
    assert_eq!(
        report,
        json!({
            "files": 1,
            "errors": 1,
            "warnings": 0,
            "diagnostics": [{
                "file": "deep.flow",
                "code": "E108",
                "severity": "error",
                "message": "nesting deeper than 64 levels",
                "line": line,
                "column": column,
                "end_line": line,
                "end_column": column + width,
                "help": E108_HELP,
            }],
        })
    );

    let out = flowc_stdin(&["build", "-"], src.as_bytes());
    assert_no_crash(&out);
    assert_eq!(status(&out), 1);
    assert_eq!(out.stdout, b"");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("this {what} is at level 65")),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(stderr.contains(&format!("[<stdin>:{line}:{column}]")));
    assert!(stderr.ends_with(
        "\nfor more about E108, run `flowc explain E108`\nbuilt 1 file: 1 error, 0 warnings\n"
    ));
    assert_eq!(stderr.matches("nesting deeper than").count(), 1);
}

const HEADER: &str = "workflow \"w\" {\n  trigger manual-trigger\n  step a: noop\n";

#[test]
fn hostile_100k_nested_ifs_give_one_e108() {
    let src = format!(
        "{HEADER}{}step b: noop\n{}}}\n",
        "if a.output.x == 1 {\n".repeat(N),
        "}\n".repeat(N)
    );
    // The 65th `if` is at level 65.
    let at = nth_offset(&src, "if a.output", 65);
    assert_eq!(line_col(&src, at), (68, 1));
    assert_one_e108(&src, at, 2, "`if`");

    // The whole human report, which is short here.
    let out = flowc_stdin(&["build", "-"], src.as_bytes());
    assert_eq!(
        text(&out.stderr),
        "E108

  × nesting deeper than 64 levels
    ╭─[<stdin>:68:1]
 67 │ if a.output.x == 1 {
 68 │ if a.output.x == 1 {
    · ─┬
    ·  ╰── this `if` is at level 65
 69 │ if a.output.x == 1 {
    ╰────
  help: split the deepest part into a flatter structure; the workflow body is level 0
for more about E108, run `flowc explain E108`
built 1 file: 1 error, 0 warnings
"
    );
}

#[test]
fn hostile_100k_nested_arrays_in_a_step_input_give_one_e108() {
    let src = format!(
        "workflow \"w\" {{\n  trigger manual-trigger\n  step c: noop {{ k: {}{} }}\n}}\n",
        "[".repeat(N),
        "]".repeat(N)
    );
    // The input object is level 1, so the 64th `[` is level 65.
    let at = src.find('[').unwrap() + 63;
    assert_eq!(line_col(&src, at), (3, 84));
    assert_one_e108(&src, at, 1, "array");
}

#[test]
fn hostile_100k_nested_objects_give_one_e108() {
    let src = format!(
        "workflow \"w\" {{\n  trigger manual-trigger\n  step c: noop {}1{}\n}}\n",
        "{ k: ".repeat(N),
        " }".repeat(N)
    );
    let at = nth_offset(&src, "{ k:", 65);
    assert_one_e108(&src, at, 1, "object");
}

#[test]
fn hostile_100k_parentheses_in_when_give_one_e108() {
    let src = format!(
        "workflow \"w\" {{\n  trigger manual-trigger\n  when {}x{}\n  step a: noop\n}}\n",
        "(".repeat(N),
        ")".repeat(N)
    );
    let at = src.find('(').unwrap() + 64;
    assert_eq!(line_col(&src, at), (3, 72));
    assert_one_e108(&src, at, 1, "parenthesis");
}

#[test]
fn hostile_100k_nots_in_when_give_one_e108() {
    let src = format!(
        "workflow \"w\" {{\n  trigger manual-trigger\n  when {}x\n  step a: noop\n}}\n",
        "not ".repeat(N)
    );
    let at = nth_offset(&src, "not ", 65);
    assert_eq!(line_col(&src, at), (3, 264));
    assert_one_e108(&src, at, 3, "`not`");

    let bangs = src.replace("not ", "!");
    let at = nth_offset(&bangs, "!", 65);
    assert_one_e108(&bangs, at, 1, "`not`");
}

#[test]
fn hostile_100k_nested_calls_in_when_give_one_e108() {
    let src = format!(
        "workflow \"w\" {{\n  trigger manual-trigger\n  when {}x{}\n  step a: noop\n}}\n",
        "max(".repeat(N),
        ")".repeat(N)
    );
    let at = nth_offset(&src, "(", 65);
    assert_one_e108(&src, at, 1, "call");
}

#[test]
fn hostile_100k_else_if_chain_gives_one_e108() {
    let mut src = format!("{HEADER}  if a.output.x == 0 {{ step z: noop }}");
    for i in 1..N {
        src.push_str(&format!(" else if a.output.x == {i} {{ step s{i}: noop }}"));
    }
    src.push_str("\n}\n");
    // The first `if` is level 1, the 64th `else if` level 65.
    let at = nth_offset(&src, " else if", 64) + " else ".len();
    assert_eq!(&src[at..at + 2], "if");
    assert_one_e108(&src, at, 2, "`else if`");
}

/// Nesting depth of JSON text (brackets outside strings).
fn json_depth(json: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for c in json.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{' | '[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, '}' | ']') => depth -= 1,
            _ => {}
        }
    }
    deepest
}

#[test]
fn sixty_four_levels_are_fine() {
    let ifs = format!(
        "{HEADER}{}step b: noop\n{}}}\n",
        "if a.output.x == 1 {\n".repeat(64),
        "}\n".repeat(64)
    );
    let arrays = format!(
        "{HEADER}  step c: noop {{ k: {}{} }}\n}}\n",
        "[".repeat(63),
        "]".repeat(63)
    );
    let nots = format!(
        "workflow \"w\" {{\n  trigger manual-trigger\n  when {}x\n}}\n",
        "not ".repeat(64)
    );
    // The JSON is deeper than the flow: three JSON levels per `if`
    // (block, `branches`, `then`), two per `not` (`{"!": [`).
    for (src, json_levels) in [(ifs, 196), (arrays, 67), (nots, 130)] {
        let out = flowc_stdin(&["build", "--compact", "-"], src.as_bytes());
        assert_eq!(status(&out), 0, "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "");
        let body = text(&out.stdout);
        assert_eq!(body.matches('\n').count(), 1);
        assert!(body.ends_with("}\n"));
        assert_eq!(json_depth(&body), json_levels);
        // serde_json, which the schema check uses, refuses JSON nested
        // deeper than 128 levels.
        if json_levels <= 128 {
            assert_schema_valid(&body);
        }
    }
}

/// BUG: the depth pre-scan counts the keywords `not` and `if` as nesting
/// even where they are only names (an object key, a step type), so valid
/// files get a false E108: 33 objects nested under keys named `not` are 33
/// levels deep, yet each `not:` counts one more level.
#[test]
fn keywords_used_as_names_add_no_nesting() {
    let keys = |key: &str| {
        format!(
            "workflow \"w\" {{\n  trigger manual-trigger\n  step a: noop {}1{}\n}}\n",
            format!("{{ {key}: ").repeat(33),
            " }".repeat(33)
        )
    };
    let types = |ty: &str| {
        format!(
            "workflow \"w\" {{\n  trigger manual-trigger\n  step a: {ty} {}1{}\n}}\n",
            "{ k: ".repeat(64),
            " }".repeat(64)
        )
    };
    let mut wrong = Vec::new();
    for (what, src) in [
        (
            "33 objects under keys named `nut` (the control)",
            keys("nut"),
        ),
        ("33 objects under keys named `not`", keys("not")),
        (
            "64 objects in a step of type `noop` (the control)",
            types("noop"),
        ),
        ("64 objects in a step of type `not`", types("not")),
        ("64 objects in a step of type `if`", types("if")),
    ] {
        let out = flowc_stdin(&["check", "--format", "json", "-"], src.as_bytes());
        assert_no_crash(&out);
        let codes = codes(&json_report(&out));
        if !codes.is_empty() || status(&out) != 0 {
            wrong.push(format!("{what}: exit {}, {codes:?}", status(&out)));
        }
    }
    assert!(
        wrong.is_empty(),
        "no more than 64 levels, yet:\n{}",
        wrong.join("\n")
    );
}

/// BUG: a `not` followed by a call whose name is a keyword (`and(…)`,
/// `in(…)`) is not counted: `not and(` ×33 is 66 levels deep (each `not`
/// and each call adds one), yet no E108 is reported.
#[test]
fn not_before_a_keyword_named_call_counts_as_a_level() {
    let when = |open: &str, close: &str, n: usize| {
        format!(
            "workflow \"w\" {{\n  trigger manual-trigger\n  when {}x{}\n}}\n",
            open.repeat(n),
            close.repeat(n)
        )
    };
    let mut wrong = Vec::new();
    for (open, close, n, expected) in [
        ("not max(", ")", 32, vec![]),
        ("not max(", ")", 33, vec!["E108"]),
        ("not and(", ")", 32, vec![]),
        ("not and(", ")", 33, vec!["E108"]),
        ("not in(", ", [1])", 33, vec!["E108"]),
    ] {
        let src = when(open, close, n);
        let out = flowc_stdin(&["check", "--format", "json", "-"], src.as_bytes());
        assert_no_crash(&out);
        let codes = codes(&json_report(&out));
        let status = status(&out);
        if codes != expected || status != if expected.is_empty() { 0 } else { 1 } {
            wrong.push(format!(
                "`{open}` x{n} ({} levels): expected {expected:?}, got exit {status}, {codes:?}",
                2 * n
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// --------------------------------------------------- hostile: bytes, files --

#[test]
fn invalid_utf8_in_a_file_exits_2() {
    let dir = tempdir();
    write(
        dir.path(),
        "bad.flow",
        b"workflow \"w\xff\" {\n  trigger manual-trigger\n}\n",
    );
    let out = flowc_in(dir.path(), &["check", "bad.flow"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "error: `bad.flow` is not valid UTF-8 (invalid byte at offset 11)\n\
         checked 0 files: 0 errors, 0 warnings\n"
    );

    let out = flowc_in(dir.path(), &["build", "bad.flow"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "error: `bad.flow` is not valid UTF-8 (invalid byte at offset 11)\n"
    );
}

#[test]
fn invalid_utf8_on_stdin_exits_2() {
    // A truncated two-byte sequence at the very end.
    let out = flowc_stdin(&["check", "-"], b"ab\xc3");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "error: `<stdin>` is not valid UTF-8 (invalid byte at offset 2)\n\
         checked 0 files: 0 errors, 0 warnings\n"
    );

    let out = flowc_stdin(&["build", "-"], b"workflow \"\xc0\xaf\" {}");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "error: `<stdin>` is not valid UTF-8 (invalid byte at offset 10)\n"
    );
}

#[test]
fn binary_garbage_never_crashes() {
    let dir = tempdir();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..24 {
        let len = rng.below(3000);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Always some NULs, and sometimes a plausible start.
        for _ in 0..1 + len / 100 {
            if len > 0 {
                let at = rng.below(len);
                bytes[at] = 0;
            }
        }
        if round % 3 == 0 {
            let mut prefixed = b"workflow \"w\" { trigger webhook ".to_vec();
            prefixed.append(&mut bytes);
            bytes = prefixed;
        }
        let expected = match std::str::from_utf8(&bytes) {
            Ok(_) => None,
            Err(e) => Some(e.valid_up_to()),
        };

        let out = flowc_stdin(&["check", "--format", "json", "-"], &bytes);
        assert_no_crash(&out);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        match expected {
            Some(offset) => {
                assert_eq!(status(&out), 2, "round {round}");
                assert_eq!(
                    stderr,
                    format!(
                        "error: `<stdin>` is not valid UTF-8 (invalid byte at offset {offset})\n"
                    )
                );
            }
            None => {
                assert_eq!(status(&out), 1, "round {round}");
                assert!(json_report(&out)["errors"].as_u64().unwrap() >= 1);
            }
        }

        let file = format!("garbage-{round}.flow");
        write(dir.path(), &file, &bytes);
        let out = flowc_in(dir.path(), &["build", &file], b"");
        assert_no_crash(&out);
        assert!(matches!(status(&out), 1 | 2), "round {round}");
        assert_eq!(out.stdout, b"", "round {round}");
    }
}

#[test]
fn valid_utf8_garbage_never_crashes() {
    // Pieces of text, separated by `¦`.
    const PIECES: &str =
        "\0¦\u{feff}¦\u{1b}[31m¦\u{7f}¦é¦🚀¦\u{2028}¦\r¦\r\n¦\n¦\t¦ ¦{¦}¦[¦]¦(¦)¦\"¦\
        \"\"\"¦\\¦\\u¦\\ud800¦/*¦*/¦//¦<<¦>>¦{{¦}}¦:¦,¦.¦!¦==¦<=¦&&¦||¦workflow¦\"w\"¦trigger¦\
        manual-trigger¦cron-trigger¦when¦step¦a:¦noop¦if¦else¦block¦branch¦inputs¦raw¦not¦and¦in¦\
        constraints¦editor_state¦description¦a.output.x¦<<a.output.x>>¦1¦-0.5e3¦true¦null¦x¦\
        missing(¦var";
    let pieces: Vec<&str> = PIECES.split('¦').collect();
    let mut rng = Rng(42);
    for round in 0..40 {
        let mut src = String::new();
        if round % 2 == 0 {
            src.push_str("workflow \"w\" { trigger manual-trigger ");
        }
        for _ in 0..rng.below(80) {
            src.push_str(pieces[rng.below(pieces.len())]);
            if rng.below(3) == 0 {
                src.push(' ');
            }
        }
        if round % 2 == 0 {
            src.push_str(" }");
        }

        let out = flowc_stdin(&["check", "--format", "json", "-"], src.as_bytes());
        assert_no_crash(&out);
        // Valid UTF-8 is always read: the status is about diagnostics only.
        let code = status(&out);
        assert!(matches!(code, 0 | 1), "round {round}: {src:?}");
        let report = json_report(&out);
        let lines = src.matches('\n').count() + 1;
        for d in report["diagnostics"].as_array().unwrap() {
            let line = d["line"].as_u64().unwrap() as usize;
            let end_line = d["end_line"].as_u64().unwrap() as usize;
            assert!(1 <= line && line <= end_line && end_line <= lines, "{d}");
            assert!(d["column"].as_u64().unwrap() >= 1, "{d}");
        }
        assert_eq!(code == 1, report["errors"].as_u64().unwrap() > 0);

        let out = flowc_stdin(&["build", "-"], src.as_bytes());
        assert_no_crash(&out);
        assert_eq!(status(&out), code, "round {round}: {src:?}");
        if code == 0 {
            assert_schema_valid(&text(&out.stdout));
        } else {
            assert_eq!(out.stdout, b"");
        }
    }
}

#[test]
fn a_missing_file_exits_2() {
    let dir = tempdir();
    let why = std::fs::read(dir.path().join("missing.flow"))
        .unwrap_err()
        .to_string();
    let out = flowc_in(dir.path(), &["check", "missing.flow"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: cannot read `missing.flow`: {why}\nchecked 0 files: 0 errors, 0 warnings\n"
        )
    );

    let out = flowc_in(dir.path(), &["build", "missing.flow"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        format!("error: cannot read `missing.flow`: {why}\n")
    );

    // An unreadable file wins over diagnostics in other files.
    write(dir.path(), "bad.flow", BAD_TRIGGER);
    let out = flowc_in(
        dir.path(),
        &["check", "--format", "json", "bad.flow", "missing.flow"],
        b"",
    );
    assert_eq!(status(&out), 2);
    assert_eq!(codes(&json_report(&out)), ["E300"]);
    assert_eq!(
        text(&out.stderr),
        format!("error: cannot read `missing.flow`: {why}\n")
    );
}

#[test]
fn bad_usage_exits_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--bogus"],
            "error: unexpected argument '--bogus' found\n",
        ),
        (
            &["build", "--nope", MINIMAL],
            "error: unexpected argument '--nope' found\n",
        ),
        (
            &["check", "--format", "xml", MINIMAL],
            "error: invalid value 'xml' for '--format <FORMAT>'\n",
        ),
        (
            &["build", "-o"],
            "error: a value is required for '--output <FILE>' but none was supplied\n",
        ),
        (
            &["build", "-o", "x.json", "--out-dir", "d", MINIMAL],
            "error: the argument '--output <FILE>' cannot be used with '--out-dir <DIR>'\n",
        ),
        (
            &["frobnicate"],
            "error: unrecognized subcommand 'frobnicate'\n",
        ),
    ];
    let dir = tempdir();
    let minimal = root().join(MINIMAL);
    for (args, first_line) in cases {
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == MINIMAL {
                    minimal.to_str().unwrap()
                } else {
                    a
                }
            })
            .collect();
        let out = flowc_in(dir.path(), &args, b"");
        assert_eq!(status(&out), 2, "{args:?}");
        assert_eq!(out.stdout, b"", "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(first_line), "{args:?}: {stderr}");
    }
    // Nothing was written by the refused runs.
    assert_eq!(listing(dir.path()), Vec::<String>::new());

    // No subcommand: the usage, on stderr.
    let out = flowc(&[], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert!(text(&out.stderr).contains("Usage: flowc [OPTIONS] <COMMAND>"));

    // Help and version are not errors.
    let out = flowc(&["--version"], b"");
    assert_eq!(
        (status(&out), text(&out.stdout)),
        (0, "flowc 0.1.0\n".into())
    );
    let out = flowc(&["check", "--help"], b"");
    assert_eq!(status(&out), 0);
    assert!(text(&out.stdout).contains("--deny-warnings"));
}

#[test]
fn an_empty_file_is_e107() {
    let dir = tempdir();
    write(dir.path(), "empty.flow", "");
    let out = flowc_in(
        dir.path(),
        &["check", "--format", "json", "empty.flow"],
        b"",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(
        json_report(&out),
        json!({
            "files": 1, "errors": 1, "warnings": 0,
            "diagnostics": [{
                "file": "empty.flow", "code": "E107", "severity": "error",
                "message": "no workflow in this file",
                "line": 1, "column": 1, "end_line": 1, "end_column": 1,
                "help": "a file holds exactly one `workflow \"Name\" { … }`",
            }],
        })
    );
    let out = flowc_in(dir.path(), &["build", "empty.flow"], b"");
    assert_eq!(status(&out), 1);
    assert_eq!(out.stdout, b"");
    assert!(text(&out.stderr).ends_with("\nbuilt 1 file: 1 error, 0 warnings\n"));
}

#[test]
fn a_file_of_comments_only_is_e107() {
    let src = "// just a comment\n/* a block\n   comment */\n// another\n";
    let out = flowc_stdin(&["check", "--format", "json", "-"], src.as_bytes());
    assert_eq!(status(&out), 1);
    assert_eq!(
        json_report(&out),
        json!({
            "files": 1, "errors": 1, "warnings": 0,
            "diagnostics": [{
                "file": "<stdin>", "code": "E107", "severity": "error",
                "message": "no workflow in this file",
                "line": 5, "column": 1, "end_line": 5, "end_column": 1,
                "help": "a file holds exactly one `workflow \"Name\" { … }`",
            }],
        })
    );
}

// ---------------------------------------------------------------- build -o --

#[test]
fn build_o_with_errors_leaves_the_old_file_untouched() {
    let dir = tempdir();
    write(dir.path(), "bad.flow", BAD_TRIGGER);
    let old: &[u8] = b"{\"previous\": \"build\"}\n\0\xff not even UTF-8";
    write(dir.path(), "out.json", old);

    let out = flowc_in(dir.path(), &["build", "bad.flow", "-o", "out.json"], b"");
    assert_eq!(status(&out), 1);
    assert_eq!(out.stdout, b"");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown trigger type `nope-trigger`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("\nbuilt 1 file: 1 error, 0 warnings\n"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.path().join("out.json")).unwrap(), old);
    assert_eq!(listing(dir.path()), ["bad.flow", "out.json"]);

    // Without a previous file, none appears.
    let out = flowc_in(dir.path(), &["build", "bad.flow", "-o", "new.json"], b"");
    assert_eq!(status(&out), 1);
    assert_eq!(listing(dir.path()), ["bad.flow", "out.json"]);
}

#[test]
fn build_o_writes_exactly_the_body() {
    let dir = tempdir();
    write(
        dir.path(),
        "good.flow",
        std::fs::read(root().join(MINIMAL)).unwrap(),
    );
    write(
        dir.path(),
        "out.json",
        "stale contents, much longer than nothing at all",
    );

    let out = flowc_in(dir.path(), &["build", "good.flow", "-o", "out.json"], b"");
    assert_eq!(status(&out), 0, "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"");
    assert_eq!(out.stderr, b"");
    let written = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert_eq!(written, MINIMAL_PRETTY);
    assert_schema_valid(&written);

    // Into a subfolder that exists, with the long flag and --compact.
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    let out = flowc_in(
        dir.path(),
        &[
            "build",
            "--compact",
            "good.flow",
            "--output",
            "dist/body.json",
        ],
        b"",
    );
    assert_eq!(status(&out), 0, "{}", text(&out.stderr));
    let compact = std::fs::read_to_string(dir.path().join("dist/body.json")).unwrap();
    assert_eq!(compact.lines().count(), 1);
    assert_schema_valid(&compact);

    // No temporary file is left behind.
    assert_eq!(
        listing(dir.path()),
        ["dist/body.json", "good.flow", "out.json"]
    );
}

#[test]
fn build_o_with_warnings_writes_and_reports() {
    let dir = tempdir();
    write(dir.path(), "warn.flow", WARNING_ONLY);
    let out = flowc_in(dir.path(), &["build", "warn.flow", "-o", "out.json"], b"");
    assert_eq!(status(&out), 0);
    assert_eq!(out.stdout, b"");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("W401\n"), "{stderr}");
    assert!(
        stderr.ends_with("\nbuilt 1 file: 0 errors, 1 warning\n"),
        "{stderr}"
    );
    let body = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert_schema_valid(&body);
    assert_eq!(listing(dir.path()), ["out.json", "warn.flow"]);
}

// ------------------------------------------------------------- --out-dir --

const ALPHA: &str = r#"workflow "Alpha" {
  trigger webhook
  step x: noop
  if 1 == 2 {
    step y: noop
  }
}
"#;

const ALPHA_PRETTY: &str = r#"{
  "name": "Alpha",
  "trigger_type": "webhook",
  "workflow_blocks": [
    {
      "$kind": "Action",
      "id": "x",
      "type": "noop",
      "name": "x",
      "input": {}
    },
    {
      "$kind": "Block",
      "type": "if-else",
      "id": "if-1",
      "inputs": {
        "condition": {
          "operatorName": "equals",
          "left": 1,
          "right": 2
        }
      },
      "branches": {
        "then": [
          {
            "$kind": "Action",
            "id": "y",
            "type": "noop",
            "name": "y",
            "input": {}
          }
        ],
        "else": []
      }
    }
  ]
}
"#;

const BETA_PRETTY: &str = r#"{
  "name": "Beta",
  "trigger_type": "manual-trigger",
  "workflow_blocks": [
    {
      "$kind": "Action",
      "id": "p",
      "type": "noop",
      "name": "p",
      "input": {}
    },
    {
      "$kind": "Block",
      "type": "if-else",
      "id": "if-1",
      "inputs": {
        "condition": {
          "operatorName": "equals",
          "left": "{{p.output.ok}}",
          "right": true
        }
      },
      "branches": {
        "then": [],
        "else": []
      }
    }
  ]
}
"#;

/// `src/` with files written out of order: `z`, `sub/a` (a warning each),
/// `c` (an error), `b` (a warning), and a file that is not `.flow`.
fn tree() -> tempfile::TempDir {
    let dir = tempdir();
    write(
        dir.path(),
        "src/z.flow",
        "workflow \"Zeta\" {\n  trigger webhook\n  if 3 == 3 {\n    step q: noop\n  }\n}\n",
    );
    write(dir.path(), "src/sub/a.flow", ALPHA);
    write(dir.path(), "src/c.flow", BAD_TRIGGER);
    write(dir.path(), "src/b.flow", WARNING_ONLY);
    write(
        dir.path(),
        "src/notes.txt",
        "workflow? no, not a .flow file",
    );
    dir
}

#[test]
fn out_dir_writes_each_good_file_and_skips_the_bad_one() {
    let dir = tree();
    let out = flowc_in(dir.path(), &["build", "src", "--out-dir", "out/json"], b"");
    assert_eq!(status(&out), 1);
    assert_eq!(out.stdout, b"");
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with("\nbuilt 4 files: 1 error, 3 warnings\n"),
        "{stderr}"
    );
    // Reported in sorted path order.
    let order: Vec<usize> = [
        "[src/b.flow:",
        "[src/c.flow:",
        "[src/sub/a.flow:",
        "[src/z.flow:",
    ]
    .iter()
    .map(|f| {
        stderr
            .find(f)
            .unwrap_or_else(|| panic!("{f} missing:\n{stderr}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{stderr}");

    assert_eq!(
        listing(dir.path()),
        [
            "out/json/a.json",
            "out/json/b.json",
            "out/json/z.json",
            "src/b.flow",
            "src/c.flow",
            "src/notes.txt",
            "src/sub/a.flow",
            "src/z.flow",
        ]
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join("out/json").join(f)).unwrap();
    assert_eq!(read("a.json"), ALPHA_PRETTY);
    assert_eq!(read("b.json"), BETA_PRETTY);
    for f in ["a.json", "b.json", "z.json"] {
        assert_schema_valid(&read(f));
    }
    // Each file is what `build FILE` prints.
    let single = flowc_in(dir.path(), &["build", "src/z.flow"], b"");
    assert_eq!(status(&single), 0);
    assert_eq!(text(&single.stdout), read("z.json"));
}

#[test]
fn directories_are_searched_recursively_in_sorted_order() {
    let dir = tree();
    let out = flowc_in(dir.path(), &["check", "--format", "json", "src"], b"");
    assert_eq!(status(&out), 1);
    let report = json_report(&out);
    assert_eq!(
        (&report["files"], &report["errors"], &report["warnings"]),
        (&json!(4), &json!(1), &json!(3))
    );
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["src/b.flow", "src/c.flow", "src/sub/a.flow", "src/z.flow"]
    );
    assert_eq!(codes(&report), ["W401", "E300", "W400", "W400"]);

    // PATH defaults to `.`.
    let out = flowc_in(&dir.path().join("src"), &["check"], b"");
    assert_eq!(status(&out), 1);
    assert!(text(&out.stderr).ends_with("\nchecked 4 files: 1 error, 3 warnings\n"));
    let out = flowc_in(&dir.path().join("src/sub"), &["build"], b"");
    assert_eq!(status(&out), 0);
    assert_eq!(text(&out.stdout), ALPHA_PRETTY);
}

#[test]
fn several_files_without_out_dir_exit_2() {
    let dir = tree();
    let out = flowc_in(dir.path(), &["build", "src/b.flow", "src/z.flow"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "error: 2 files to build: give --out-dir DIR to write each as DIR/NAME.json\n"
    );

    let out = flowc_in(dir.path(), &["build", "src", "-o", "all.json"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        text(&out.stderr),
        "error: 4 files to build: give --out-dir DIR to write each as DIR/NAME.json\n"
    );
    assert!(!dir.path().join("all.json").exists());
}

#[test]
fn out_dir_refuses_two_files_with_one_name() {
    let dir = tempdir();
    let minimal = std::fs::read_to_string(root().join(MINIMAL)).unwrap();
    write(dir.path(), "x/a.flow", &minimal);
    write(dir.path(), "x/y/a.flow", minimal.replace("Ping", "Pong"));
    let out = flowc_in(dir.path(), &["build", "x", "--out-dir", "out"], b"");
    assert_eq!(status(&out), 2);
    assert_eq!(
        text(&out.stderr),
        "error: `x/a.flow` and `x/y/a.flow` would both be written to `out/a.json`\n"
    );
    // The clash is found before anything is written.
    assert!(!dir.path().join("out").exists());
}

// ------------------------------------------------------- check --format --

const SMALL_JSON: &str = r#"{
  "files": 1,
  "errors": 1,
  "warnings": 1,
  "diagnostics": [
    {
      "file": "small.flow",
      "code": "W400",
      "severity": "warning",
      "message": "condition with no reference on either side",
      "line": 4,
      "column": 6,
      "end_line": 4,
      "end_column": 12,
      "help": "compare a step's output, such as `lookup.output.status == 200`"
    },
    {
      "file": "small.flow",
      "code": "E201",
      "severity": "error",
      "message": "reference to unknown step `nope`",
      "line": 5,
      "column": 24,
      "end_line": 5,
      "end_column": 41,
      "help": null
    }
  ]
}
"#;

fn small_dir() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "small.flow", SMALL);
    dir
}

#[test]
fn format_json_exact_output() {
    let dir = small_dir();
    let out = flowc_in(
        dir.path(),
        &["check", "--format", "json", "small.flow"],
        b"",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(out.stderr, b"", "no summary line in JSON mode");
    let stdout = text(&out.stdout);
    assert_eq!(stdout, SMALL_JSON);

    // Key order, on the raw text.
    let keys = [
        "\"files\"",
        "\"errors\"",
        "\"warnings\"",
        "\"diagnostics\"",
        "\"file\"",
        "\"code\"",
        "\"severity\"",
        "\"message\"",
        "\"line\"",
        "\"column\"",
        "\"end_line\"",
        "\"end_column\"",
        "\"help\"",
    ];
    let at: Vec<usize> = keys.iter().map(|k| stdout.find(k).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}

#[test]
fn format_json_counts_columns_in_characters() {
    // `é` is 2 bytes and `🚀` 4; the reference starts at character 31.
    let src = "workflow \"w\" {\n  trigger manual-trigger\n  step a: noop { t: \"é🚀\", u: \"<<zz.output.x>>\" }\n}\n";
    let out = flowc_stdin(&["check", "--format", "json", "-"], src.as_bytes());
    assert_eq!(status(&out), 1);
    let report = json_report(&out);
    let d = &report["diagnostics"][0];
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(
        (
            &d["code"],
            &d["line"],
            &d["column"],
            &d["end_line"],
            &d["end_column"]
        ),
        (&json!("E201"), &json!(3), &json!(31), &json!(3), &json!(46))
    );

    // Multi-byte characters inside the span count once each too: the
    // unterminated string `"🚀é x` is 5 characters (10 bytes), after a key
    // `"é"` on the same line.
    let src =
        "workflow \"w\" {\n  trigger manual-trigger\n  step a: noop { \"é\": 1, t: \"🚀é x\n}\n";
    let out = flowc_stdin(&["check", "--format", "json", "-"], src.as_bytes());
    assert_eq!(status(&out), 1);
    let report = json_report(&out);
    assert_eq!(codes(&report), ["E101"]);
    let d = &report["diagnostics"][0];
    let start = line_col(src, src.find("\"🚀").unwrap());
    let end = line_col(src, src.find(" x\n").unwrap() + 2);
    assert_eq!((start, end), ((3, 29), (3, 34)));
    assert_eq!(
        (&d["line"], &d["column"], &d["end_line"], &d["end_column"]),
        (&json!(3), &json!(29), &json!(3), &json!(34))
    );
    assert_eq!(d["message"], "unterminated string");
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1() {
    let dir = tempdir();
    write(dir.path(), "warn.flow", WARNING_ONLY);
    let expected = "{
  \"files\": 1,
  \"errors\": 0,
  \"warnings\": 1,
  \"diagnostics\": [
    {
      \"file\": \"warn.flow\",
      \"code\": \"W401\",
      \"severity\": \"warning\",
      \"message\": \"empty `then` branch\",
      \"line\": 4,
      \"column\": 26,
      \"end_line\": 4,
      \"end_column\": 27,
      \"help\": \"add a step, or invert the condition and move the `else` branch here\"
    }
  ]
}
";
    let out = flowc_in(dir.path(), &["check", "--format", "json", "warn.flow"], b"");
    assert_eq!(status(&out), 0);
    assert_eq!(text(&out.stdout), expected);
    let out = flowc_in(
        dir.path(),
        &["check", "--format", "json", "--deny-warnings", "warn.flow"],
        b"",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(text(&out.stdout), expected);

    for format in ["human", "github"] {
        let out = flowc_in(dir.path(), &["check", "--format", format, "warn.flow"], b"");
        assert_eq!(status(&out), 0, "{format}");
        assert!(text(&out.stderr).ends_with("checked 1 file: 0 errors, 1 warning\n"));
        let out = flowc_in(
            dir.path(),
            &["check", "--deny-warnings", "--format", format, "warn.flow"],
            b"",
        );
        assert_eq!(status(&out), 1, "{format}");
        assert!(text(&out.stderr).ends_with("checked 1 file: 0 errors, 1 warning\n"));
    }

    // `build` does not take the flag, and builds despite warnings.
    let out = flowc_in(dir.path(), &["build", "warn.flow"], b"");
    assert_eq!(status(&out), 0);
    assert_eq!(text(&out.stdout), BETA_PRETTY);
}

#[test]
fn format_github_exact_output() {
    let dir = small_dir();
    let out = flowc_in(
        dir.path(),
        &["check", "--format", "github", "small.flow"],
        b"",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(
        text(&out.stdout),
        format!(
            "::warning file=small.flow,line=4,col=6,endLine=4,endColumn=12,title=W400::\
             condition with no reference on either side\n\
             ::error file=small.flow,line=5,col=24,endLine=5,endColumn=41,title=E201::\
             reference to unknown step `nope`\n"
        )
    );
    assert_eq!(text(&out.stderr), "checked 1 file: 1 error, 1 warning\n");
}

#[test]
fn format_github_escapes_file_names() {
    let dir = tempdir();
    write(dir.path(), "a,b:c%.flow", BAD_TRIGGER);
    let out = flowc_in(
        dir.path(),
        &["check", "--format", "github", "a,b:c%.flow"],
        b"",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(
        text(&out.stdout),
        "::error file=a%2Cb%3Ac%25.flow,line=2,col=11,endLine=2,endColumn=23,title=E300::\
         unknown trigger type `nope-trigger`\n"
    );
}

const SMALL_HUMAN: &str = r#"W400

  ⚠ condition with no reference on either side
   ╭─[small.flow:4:6]
 3 │   step a: noop
 4 │   if 1 == 1 {
   ·      ───┬──
   ·         ╰── always the same outcome
 5 │     step b: noop { x: "<<nope.output.y>>" }
   ╰────
  help: compare a step's output, such as `lookup.output.status == 200`

E201

  × reference to unknown step `nope`
   ╭─[small.flow:5:24]
 4 │   if 1 == 1 {
 5 │     step b: noop { x: "<<nope.output.y>>" }
   ·                        ────────┬────────
   ·                                ╰── no step has this id
 6 │   }
   ╰────
for more about E201, W400, run `flowc explain` with the code
checked 1 file: 1 error, 1 warning
"#;

#[test]
fn format_human_exact_output_without_colour() {
    let dir = small_dir();
    for env in [&[("NO_COLOR", "1")][..], &[]] {
        for args in [
            &["check", "small.flow"][..],
            &["check", "--format", "human", "small.flow"],
        ] {
            let out = flowc_env(dir.path(), args, env);
            assert_eq!(status(&out), 1);
            assert_eq!(out.stdout, b"", "{args:?}");
            let stderr = text(&out.stderr);
            assert!(!stderr.contains("\x1b["), "ANSI escapes with {env:?}");
            assert_eq!(stderr, SMALL_HUMAN, "{args:?} {env:?}");
        }
    }
}

#[test]
fn summary_line_counts_in_words() {
    let dir = tempdir();
    write(dir.path(), "one.flow", SMALL);
    write(dir.path(), "two.flow", WARNING_ONLY);
    write(
        dir.path(),
        "three.flow",
        std::fs::read(root().join(MINIMAL)).unwrap(),
    );
    let summary = |args: &[&str]| {
        let out = flowc_in(dir.path(), args, b"");
        let stderr = text(&out.stderr);
        let last = stderr.lines().last().unwrap_or_default().to_string();
        (status(&out), last)
    };
    assert_eq!(
        summary(&["check", "three.flow"]),
        (0, "checked 1 file: 0 errors, 0 warnings".into())
    );
    assert_eq!(
        summary(&["check", "two.flow", "three.flow"]),
        (0, "checked 2 files: 0 errors, 1 warning".into())
    );
    assert_eq!(
        summary(&["check", "."]),
        (1, "checked 3 files: 1 error, 2 warnings".into())
    );
    assert_eq!(
        summary(&["check", "--format", "github", "one.flow", "one.flow"]),
        (1, "checked 2 files: 2 errors, 2 warnings".into())
    );
    // A clean `build` prints nothing at all on stderr.
    let out = flowc_in(dir.path(), &["build", "three.flow"], b"");
    assert_eq!((status(&out), out.stderr.as_slice()), (0, &b""[..]));
}

/// BUG: when the report cannot be written (a full disk), `check` says so
/// on stderr but exits 0, so a CI step passes with no report; `build`
/// exits 2 for the same failure.
#[test]
fn check_fails_when_its_report_cannot_be_written() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return;
    }
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_flowc"))
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(std::fs::OpenOptions::new().write(true).open(full).unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        (status(&out), text(&out.stderr))
    };
    let (code, stderr) = run(&["build", MINIMAL]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: cannot write to standard output: "));

    let (code, stderr) = run(&["check", "--format", "json", "examples"]);
    assert!(stderr.starts_with("error: cannot write to standard output: "));
    assert_eq!(
        code, 2,
        "the JSON report was lost, yet `check` exited {code}"
    );
}

/// A reader that goes away (`flowc … | head -c0`) is not a crash.
#[test]
fn a_closed_stdout_is_not_a_crash() {
    let source = std::fs::read(root().join(MINIMAL)).unwrap();
    for args in [
        &["build", "-"][..],
        &["build", "--compact", "-"],
        &["check", "--format", "json", "-"],
        &["check", "--format", "github", "-"],
    ] {
        let dir = tempdir();
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowc"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before flowc has read its input.
        drop(child.stdout.take());
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, &source).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert_no_crash(&out);
    }
}

// ----------------------------------------------------------------- stdin --

#[test]
fn build_reads_stdin() {
    let source = std::fs::read(root().join(MINIMAL)).unwrap();
    let out = flowc_stdin(&["build", "-"], &source);
    assert_eq!(status(&out), 0, "{}", text(&out.stderr));
    assert_eq!(out.stderr, b"");
    assert_eq!(text(&out.stdout), MINIMAL_PRETTY);
    assert_schema_valid(&text(&out.stdout));

    // Standard input under --out-dir is `stdin.json`.
    let dir = tempdir();
    let out = flowc_in(dir.path(), &["build", "-", "--out-dir", "o"], &source);
    assert_eq!(status(&out), 0);
    assert_eq!(listing(dir.path()), ["o/stdin.json"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("o/stdin.json")).unwrap(),
        MINIMAL_PRETTY
    );

    // Errors from stdin: nothing on stdout, `<stdin>` in the report.
    let out = flowc_stdin(&["build", "-"], BAD_TRIGGER.as_bytes());
    assert_eq!(status(&out), 1);
    assert_eq!(out.stdout, b"");
    assert!(text(&out.stderr).contains("╭─[<stdin>:2:11]"));
}

#[test]
fn check_names_stdin_in_json() {
    let out = flowc_stdin(&["check", "--format", "json", "-"], SMALL.as_bytes());
    assert_eq!(status(&out), 1);
    assert_eq!(
        text(&out.stdout),
        SMALL_JSON.replace("small.flow", "<stdin>")
    );

    let out = flowc(
        &["check", "--format", "github", "-"],
        BAD_TRIGGER.as_bytes(),
    );
    assert!(text(&out.stdout).starts_with("::error file=<stdin>,line=2,col=11,"));

    let source = std::fs::read(root().join(MINIMAL)).unwrap();
    let out = flowc_stdin(&["check", "--format", "json", "-"], &source);
    assert_eq!(status(&out), 0);
    assert_eq!(
        text(&out.stdout),
        "{\n  \"files\": 1,\n  \"errors\": 0,\n  \"warnings\": 0,\n  \"diagnostics\": []\n}\n"
    );
}

// ------------------------------------------------- --compact, --blocks-only --

#[test]
fn compact_and_blocks_only_exact_output() {
    let path = root().join(MINIMAL);
    let path = path.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["build", path];
        args.extend_from_slice(extra);
        let out = flowc(&args, b"");
        assert_eq!(status(&out), 0, "{extra:?}: {}", text(&out.stderr));
        assert_eq!(out.stderr, b"", "{extra:?}");
        text(&out.stdout)
    };

    let pretty = run(&[]);
    assert_eq!(pretty, MINIMAL_PRETTY);
    assert_eq!(
        pretty,
        std::fs::read_to_string(root().join("tests/conformance/pass/02-minimal.json")).unwrap()
    );
    assert_schema_valid(&pretty);

    let compact = run(&["--compact"]);
    assert_eq!(
        compact,
        "{\"name\":\"Ping\",\"trigger_type\":\"manual-trigger\",\"workflow_blocks\":[{\"$kind\":\"Action\",\"id\":\"ping\",\"type\":\"noop\",\"name\":\"ping\",\"input\":{}}]}\n"
    );
    assert_schema_valid(&compact);
    let a: Value = serde_json::from_str(&pretty).unwrap();
    let b: Value = serde_json::from_str(&compact).unwrap();
    assert_eq!(a, b);

    let blocks = run(&["--blocks-only"]);
    assert_eq!(
        blocks,
        r#"[
  {
    "$kind": "Action",
    "id": "ping",
    "type": "noop",
    "name": "ping",
    "input": {}
  }
]
"#
    );
    assert_eq!(
        run(&["--blocks-only", "--compact"]),
        "[{\"$kind\":\"Action\",\"id\":\"ping\",\"type\":\"noop\",\"name\":\"ping\",\"input\":{}}]\n"
    );
    assert_eq!(
        run(&["--compact", "--blocks-only"]),
        run(&["--blocks-only", "--compact"])
    );
    let blocks: Value = serde_json::from_str(&blocks).unwrap();
    assert_eq!(blocks, a["workflow_blocks"]);
}

// -------------------------------------------------------------- examples --

fn example_files() -> Vec<PathBuf> {
    common::flow_files(&["examples"])
}

#[test]
fn every_example_checks_cleanly_under_deny_warnings() {
    let files = example_files();
    assert!(files.len() >= 5, "{files:?}");
    for file in &files {
        let path = file.to_str().unwrap();
        let out = flowc(&["check", "--deny-warnings", path], b"");
        assert_eq!(status(&out), 0, "{path}: {}", text(&out.stderr));
        assert_eq!(out.stdout, b"", "{path}");
        assert_eq!(
            text(&out.stderr),
            "checked 1 file: 0 errors, 0 warnings\n",
            "{path}"
        );

        let out = flowc(&["build", path], b"");
        assert_eq!(status(&out), 0, "{path}");
        assert_eq!(out.stderr, b"", "{path}");
        assert_schema_valid(&text(&out.stdout));
    }

    let out = flowc(&["check", "examples"], b"");
    assert_eq!(status(&out), 0);
    assert_eq!(
        text(&out.stderr),
        format!("checked {} files: 0 errors, 0 warnings\n", files.len())
    );
    let out = flowc(
        &["check", "--format", "json", "--deny-warnings", "examples"],
        b"",
    );
    assert_eq!(status(&out), 0);
    assert_eq!(
        json_report(&out),
        json!({"files": files.len(), "errors": 0, "warnings": 0, "diagnostics": []})
    );

    // --out-dir over the folder writes one body per example.
    let dir = tempdir();
    let examples = root().join("examples");
    let out = flowc_in(
        dir.path(),
        &["build", examples.to_str().unwrap(), "--out-dir", "bodies"],
        b"",
    );
    assert_eq!(status(&out), 0, "{}", text(&out.stderr));
    let expected: Vec<String> = files
        .iter()
        .map(|f| format!("bodies/{}.json", f.file_stem().unwrap().to_str().unwrap()))
        .collect();
    assert_eq!(listing(dir.path()), expected);
}
