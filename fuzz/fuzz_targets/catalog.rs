//! The `flowc.toml` reader on arbitrary text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| flowc::fuzzing::catalog(data));
