//! `flowc import` on arbitrary text: what it accepts builds back the same body.
#![no_main]

// The binary's allocator, under the fuzzer as in the binary (issue 20).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| flowc::fuzzing::import_roundtrip(data));
