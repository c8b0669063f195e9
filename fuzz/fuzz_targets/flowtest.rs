//! `.flowtest` parsing, checking and running on arbitrary text, and fmt's
//! guarantees on test files.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| flowc::fuzzing::flowtest(data));
