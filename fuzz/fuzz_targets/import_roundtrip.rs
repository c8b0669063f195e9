//! `flowc import` on arbitrary text: what it accepts builds back the same body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| flowc::fuzzing::import_roundtrip(data));
