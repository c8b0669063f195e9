//! `.flowtest` parsing, checking and running on arbitrary text, and fmt's
//! guarantees on test files.
#![no_main]

// The binary's allocator, under the fuzzer as in the binary (issue 20).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| flowc::fuzzing::flowtest(data));
