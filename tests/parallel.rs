//! The parse in runs (on one thread or several) gives exactly what the
//! whole-file parse gives: the same tree, spans, `if` numbers, comments and
//! diagnostics.

mod common;

#[path = "../benches/gen/mod.rs"]
#[allow(dead_code)]
mod gen;

use flowc::syntax::{parse_split, parse_whole};

fn same(name: &str, src: &str) -> bool {
    let whole = parse_whole(src);
    let mut split_any = false;
    // One statement a run, a few, and the size `parse` uses; on one
    // thread and several.
    for (threads, run_bytes) in [(1, 1), (1, 300), (1, 8192), (2, 1), (3, 200), (7, 8192)] {
        let how = format!("{name}: {threads} threads, runs of {run_bytes} bytes");
        if let Some(split) = parse_split(src, threads, run_bytes) {
            split_any = true;
            assert_eq!(split.file, whole.file, "{how}");
            assert_eq!(split.diagnostics, whole.diagnostics, "{how}");
            assert_eq!(split.fatal, whole.fatal, "{how}");
        }
    }
    split_any
}

#[test]
fn every_fixture_parses_the_same_split_or_whole() {
    let mut split = 0;
    for (name, src) in common::all_sources() {
        if same(&name, &src) {
            split += 1;
        }
    }
    assert!(split >= 30, "only {split} fixtures split");
}

#[test]
fn generated_workloads_parse_the_same_split_or_whole() {
    for (n, seed) in [(300, 1), (2000, 7), (5000, 42)] {
        let src = gen::generate(n, seed);
        assert!(same(&format!("{n} steps, seed {seed}"), &src));
        let whole = parse_whole(&src);
        assert!(whole.diagnostics.is_empty());
    }
}

#[test]
fn files_that_do_not_split_cleanly_fall_back() {
    // A header after a statement, a second workflow, a syntax error: the
    // split parse declines, and the whole parse words the error.
    for src in [
        "workflow \"w\" { trigger webhook step a: t step b: t description \"x\" }",
        "workflow \"a\" { trigger webhook step a: t } workflow \"b\" { }",
        "workflow \"w\" { trigger webhook step a: t step b t }",
        "workflow \"w\" { trigger webhook }",
    ] {
        for threads in [1, 2] {
            assert!(parse_split(src, threads, 1).is_none(), "{src}");
        }
    }
}
