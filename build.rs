//! Links the `flowc` binary as a position-dependent executable.
//!
//! A position-independent executable is relocated by the dynamic loader at
//! every start: `flowc` had about 4,250 relative relocations (clap's, the
//! TLS stack's and the parser's tables), which cost ~60,000 instructions
//! and ~20 page faults per run, about 3% of a `flowc check` of 100 steps.
//! Linked at a fixed address, the binary has none (shared libraries, the
//! heap and the stack are still placed at random). Only the binary: the
//! library, tests and benchmarks link as usual. See BENCHMARKS.md, issue 13.
fn main() {
    // The flag is the GNU toolchain's (cc, then rust-lld or ld): Linux only.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bin=flowc=-no-pie");
    }
}
