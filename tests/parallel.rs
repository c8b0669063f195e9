//! The parallel parse of large files gives exactly what the whole-file parse
//! gives: the same tree, spans, `if` numbers, comments and diagnostics.

mod common;

#[path = "../benches/gen/mod.rs"]
#[allow(dead_code)]
mod gen;

use flowc::syntax::{parse_split, parse_whole};

fn same(name: &str, src: &str) -> bool {
    let whole = parse_whole(src);
    let mut split_any = false;
    for parts in [2, 3, 7] {
        if let Some(split) = parse_split(src, parts) {
            split_any = true;
            assert_eq!(split.file, whole.file, "{name}: {parts} parts");
            assert_eq!(
                split.diagnostics, whole.diagnostics,
                "{name}: {parts} parts"
            );
            assert_eq!(split.fatal, whole.fatal, "{name}: {parts} parts");
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
        assert!(parse_split(src, 2).is_none(), "{src}");
    }
}
