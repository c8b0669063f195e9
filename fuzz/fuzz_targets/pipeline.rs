//! The whole pipeline on arbitrary text: check, every report format, graph,
//! fmt's guarantees and the span invariant.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| flowc::fuzzing::pipeline(data));
