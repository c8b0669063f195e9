//! Replays every crash input kept under `fuzz/regressions/<target>/` through
//! the same assertions the fuzz targets make (`flowc::fuzzing`), on stable,
//! and runs the real binary on each `.flow` one: every command ends with
//! status 0 or 1, never a panic.

mod common;

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = common::root().join("fuzz/regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        // `.gitkeep` keeps an empty folder in git.
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let files = inputs(target);
    for file in &files {
        let data = std::fs::read(file).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{} fails again: {message}", file.display());
        }
    }
    files.len()
}

#[test]
fn pipeline_regressions_replay() {
    assert!(replay("pipeline", flowc::fuzzing::pipeline) >= 1);
}

#[test]
fn import_roundtrip_regressions_replay() {
    replay("import_roundtrip", flowc::fuzzing::import_roundtrip);
}

#[test]
fn catalog_regressions_replay() {
    replay("catalog", flowc::fuzzing::catalog);
}

#[test]
fn flowtest_regressions_replay() {
    replay("flowtest", flowc::fuzzing::flowtest);
}

/// The flowtest target's properties on every test file the project has.
#[test]
fn flowtest_properties_hold_on_every_fixture() {
    let mut count = 0;
    for dir in ["examples", "tests/ui/flowtest"] {
        for entry in std::fs::read_dir(common::root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "flowtest") {
                let test = std::fs::read(&path).unwrap();
                flowc::fuzzing::flowtest(&test);
                // And against its own workflow, where it has one.
                if let Ok(flow) = std::fs::read(path.with_extension("flow")) {
                    flowc::fuzzing::flowtest(&[flow, vec![0], test].concat());
                }
                count += 1;
            }
        }
    }
    assert!(count >= 15, "{count}");
}

#[test]
fn the_binary_survives_every_pipeline_regression() {
    for file in inputs("pipeline") {
        let path = file.to_str().unwrap();
        let utf8 = std::str::from_utf8(&std::fs::read(&file).unwrap()).is_ok();
        let commands: [&[&str]; 7] = [
            &["check", path],
            &["check", "--format", "json", path],
            &["check", "--format", "github", path],
            &["check", "--format", "sarif", path],
            &["build", path],
            &["fmt", "--check", path],
            &["graph", path],
        ];
        for args in commands {
            let out = common::flowc(args, b"");
            let stderr = common::text(&out.stderr);
            let code = out.status.code();
            let expected: &[i32] = if utf8 { &[0, 1] } else { &[2] };
            assert!(
                code.is_some_and(|c| expected.contains(&c)) && !stderr.contains("panicked"),
                "flowc {args:?} ended with {code:?}\n{stderr}"
            );
        }
    }
}

#[test]
fn unindented_multibyte_line_in_a_text_block_is_one_whole_character() {
    // The first crash the fuzzer found: a text-block line with no
    // indentation that starts with `✓` got an E101 span ending inside it.
    let source = "workflow\"\"{step s:\"\"\"\n\u{2713}\n \"\"\"}";
    let checked = flowc::check_source(source, &flowc::Catalog::default());
    let e101 = checked
        .diagnostics
        .iter()
        .find(|d| d.code == flowc::Code::E101)
        .expect("the indentation error");
    assert_eq!(e101.span, flowc::Span::new(22, 25));
}
