//! No input makes the pipeline panic, and whatever compiles without errors
//! and without `raw` elements is a schema-valid body.
//!
//! Inputs are arbitrary bytes, arbitrary text built from the language's own
//! tokens (multi-byte characters among them), and examples mutated by
//! deleting, duplicating and inserting bytes.

mod common;

use flowc::{check_source, Catalog};
use proptest::prelude::*;

fn examples() -> Vec<String> {
    common::all_sources()
        .into_iter()
        .map(|(_, src)| src)
        .collect()
}

/// Runs the whole pipeline with the fuzz targets' assertions (every span of
/// every diagnostic, primary and secondary, within the source and on
/// character boundaries; every report format; graph; fmt's guarantees); a
/// clean result must also be a schema-valid body.
fn pipeline(source: &str) {
    flowc::fuzzing::pipeline(source.as_bytes());
    let checked = check_source(source, &Catalog::default());
    if let Some(body) = checked.body() {
        // `raw` elements are emitted unchecked (W500), and an allow comment
        // lets a knowingly broken body through: only the rest is vouched for.
        let unchecked = checked
            .diagnostics
            .iter()
            .any(|d| d.code == flowc::Code::W500)
            || source.contains("allow");
        if !unchecked {
            common::assert_schema_valid(&body.to_pretty());
        }
    }
}

const TOKENS: &[&str] = &[
    "workflow",
    "\"w\"",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ",",
    "trigger",
    "manual-trigger",
    "cron-trigger",
    "when",
    "constraints",
    "editor_state",
    "description",
    "step",
    "a",
    "b",
    "noop",
    "if",
    "else",
    "block",
    "inputs",
    "branch",
    "raw",
    "and",
    "or",
    "not",
    "in",
    "true",
    "false",
    "null",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    "contains",
    "a.output.x",
    "b.output",
    "\"<<a.output.y>>\"",
    "\"{{ b.output.z }}\"",
    "\"<<\"",
    "1.50",
    "-0",
    "1e3",
    "\"\"\"\n  x\n  \"\"\"",
    "// flowc: allow(W201)\n",
    "/* c */",
    "\n",
    " ",
    "\"\\u00e9\"",
    "\"\\q\"",
    "!",
    "&&",
    "||",
    "missing(\"x\")",
    "\"id\"",
    "\"$kind\"",
    "✓",
    "\"🚀\"",
    "é",
    "\"\"\"\n✓\n \"\"\"",
    "\t",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_F10C), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        pipeline(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_token_soup(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..80)) {
        pipeline(&tokens.join(" "));
    }

    #[test]
    fn mutated_examples(
        which in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..3, any::<u8>()), 1..6),
    ) {
        let all = examples();
        let mut bytes = which.get(&all).clone().into_bytes();
        for (at, kind, byte) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => { bytes.remove(i); }
                1 => { let b = bytes[i]; bytes.insert(i, b); }
                _ => {
                    // Punctuation, and characters of two, three and four bytes.
                    let pieces = ["{", "}", "[", "]", "(", ")", ":", ",", "\"", "<", ">", ".", "\n", "é", "✓", "🚀"];
                    let piece = pieces[byte as usize % pieces.len()];
                    bytes.splice(i..i, piece.bytes());
                }
            }
        }
        pipeline(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn every_example_survives_every_single_byte_deletion() {
    // Exhaustive over one example: each prefix-truncation and each deletion.
    let source = std::fs::read_to_string(
        common::root().join("tests/conformance/pass/01-first-example.flow"),
    )
    .unwrap();
    for i in 0..source.len() {
        if source.is_char_boundary(i) {
            pipeline(&source[..i]);
            let mut s = source.clone();
            if s.is_char_boundary(i + 1) {
                s.remove(i);
                pipeline(&s);
            }
        }
    }
}

#[test]
fn every_example_survives_a_multibyte_character_anywhere() {
    // The class of the first fuzzer crash: a span that ends inside a
    // multi-byte character. Insert one before every character of an
    // example that exercises strings, text blocks and references.
    let source = std::fs::read_to_string(
        common::root().join("tests/conformance/pass/03-cron-text-block.flow"),
    )
    .unwrap();
    for (i, _) in source.char_indices() {
        for piece in ["✓", "🚀"] {
            let mut s = source.clone();
            s.insert_str(i, piece);
            pipeline(&s);
        }
    }
}
