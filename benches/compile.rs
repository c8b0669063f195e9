//! Benchmarks of each stage of the pipeline on generated workloads of 100,
//! 10,000 and 100,000 steps (see `gen/mod.rs`).
//!
//! ```text
//! cargo bench --bench compile                 # everything, about two minutes
//! cargo bench --bench compile -- build        # one group
//! ```
//!
//! `BENCHMARKS.md` says how to read the numbers against the targets.

#[path = "gen/mod.rs"]
mod gen;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use flowc::{Catalog, Checked};
use std::sync::LazyLock;

/// Steps per workload.
const SIZES: [usize; 3] = [100, 10_000, 100_000];

/// Each workload's source, generated once, in `SIZES` order.
static SOURCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    SIZES
        .iter()
        .map(|&n| {
            let src = gen::generate(n, gen::DEFAULT_SEED);
            let checked = flowc::check_source(&src, &Catalog::default());
            assert!(
                checked.diagnostics.is_empty(),
                "the generated workload of {n} steps has diagnostics: {:?}",
                checked.diagnostics
            );
            src
        })
        .collect()
});

/// Each workload already checked, for the emit benchmark.
static CHECKED: LazyLock<Vec<Checked>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|src| flowc::check_source(src, &Catalog::default()))
        .collect()
});

fn source(n: usize) -> &'static str {
    let i = SIZES.iter().position(|&s| s == n).expect("a known size");
    &SOURCES[i]
}

fn main() {
    divan::main();
}

/// Text to syntax tree: pre-scan, pest, lowering.
#[divan::bench(args = SIZES, sample_count = 30, max_time = 5)]
fn parse(bencher: Bencher, n: usize) {
    let src = source(n);
    bencher
        .counter(BytesCount::of_str(src))
        .bench(|| flowc::syntax::parse(black_box(src)));
}

/// Parse plus every check (`check_source`), as `flowc check` runs it.
#[divan::bench(args = SIZES, sample_count = 30, max_time = 5)]
fn check(bencher: Bencher, n: usize) {
    let src = source(n);
    let catalog = Catalog::default();
    bencher
        .counter(BytesCount::of_str(src))
        .bench(|| flowc::check_source(black_box(src), &catalog));
}

/// Body construction and pretty JSON from an already checked file.
#[divan::bench(args = SIZES, sample_count = 30, max_time = 5)]
fn emit(bencher: Bencher, n: usize) {
    let i = SIZES.iter().position(|&s| s == n).expect("a known size");
    let checked = &CHECKED[i];
    bencher
        .counter(BytesCount::of_str(&SOURCES[i]))
        .bench(|| black_box(checked).body().expect("no errors").to_pretty());
}

/// The whole of `flowc build` in process: check, then emit.
#[divan::bench(args = SIZES, sample_count = 30, max_time = 5)]
fn build(bencher: Bencher, n: usize) {
    let src = source(n);
    let catalog = Catalog::default();
    bencher.counter(BytesCount::of_str(src)).bench(|| {
        flowc::check_source(black_box(src), &catalog)
            .body()
            .expect("no errors")
            .to_pretty()
    });
}

/// Hostile inputs of about 1 MB each (their outcomes are pinned by
/// `tests/adversarial.rs`): the time to check them and render every report.
const HOSTILE: [&str; 6] = [
    "open-brackets",
    "markers",
    "long-word",
    "unknown-references",
    "allow-comments",
    "duplicate-ids",
];

fn hostile(kind: &str) -> String {
    const MB: usize = 1_000_000;
    let head = "workflow \"w\" {\n  trigger manual-trigger\n";
    match kind {
        "open-brackets" => format!("{head}  step a: t {{ k: {}", "[".repeat(MB)),
        "markers" => format!(
            "{head}  step a: t {{ k: \"{}\" }}\n}}\n",
            "<<".repeat(MB / 2)
        ),
        "long-word" => format!("{head}  step a: t {{ k: {} }}\n}}\n", "a".repeat(MB)),
        "unknown-references" => {
            let steps: String = (0..25_000)
                .map(|i| format!("  step s{i}: t {{ k: \"<<x{i}.output.y>>\" }}\n"))
                .collect();
            format!("{head}{steps}}}\n")
        }
        "allow-comments" => {
            let steps: String = (0..25_000)
                .map(|i| format!("  // flowc: allow(W201)\n  step s{i}: t\n"))
                .collect();
            format!("{head}{steps}}}\n")
        }
        _ => format!("{head}{}}}\n", "  step a: t\n".repeat(MB / 12)),
    }
}

#[divan::bench(args = HOSTILE, sample_count = 10, max_time = 5)]
fn adversarial(bencher: Bencher, kind: &str) {
    let src = hostile(kind);
    let catalog = Catalog::default();
    bencher.counter(BytesCount::of_str(&src)).bench(|| {
        let checked = flowc::check_source(black_box(&src), &catalog);
        let report = flowc::report::FileReport {
            name: "hostile.flow",
            source: &src,
            diagnostics: &checked.diagnostics,
        };
        let counts = flowc::report::Counts::of(std::slice::from_ref(&report));
        (
            flowc::report::json(std::slice::from_ref(&report), counts),
            flowc::report::sarif(std::slice::from_ref(&report)),
        )
    });
}

/// Each workload with a syntax error in every hundredth step (the colon
/// after its id left out): the recovering parse, which reads the file piece
/// by piece and must stay linear (SPEC §6).
static BROKEN: LazyLock<Vec<String>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|src| {
            let mut out = String::with_capacity(src.len());
            let mut steps = 0;
            for line in src.split_inclusive('\n') {
                if line.trim_start().starts_with("step ") {
                    steps += 1;
                    if steps % 100 == 0 {
                        out.push_str(&line.replacen(": ", " ", 1));
                        continue;
                    }
                }
                out.push_str(line);
            }
            out
        })
        .collect()
});

/// Parse and check with an error in every hundredth step.
#[divan::bench(args = SIZES, sample_count = 20, max_time = 5)]
fn recover(bencher: Bencher, n: usize) {
    let i = SIZES.iter().position(|&s| s == n).expect("a known size");
    let src = &BROKEN[i];
    bencher
        .counter(BytesCount::of_str(src))
        .bench(|| flowc::check_source(black_box(src), &Catalog::default()));
}
