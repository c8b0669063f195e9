//! Links the `flowc` binary position-dependent, with its hot code together.
//!
//! A position-independent executable is relocated by the dynamic loader at
//! every start: `flowc` had about 4,250 relative relocations (clap's, the
//! TLS stack's and the parser's tables), which cost ~60,000 instructions
//! and ~20 page faults per run, about 3% of a `flowc check` of 100 steps.
//! Linked at a fixed address, the binary has none (shared libraries, the
//! heap and the stack are still placed at random).
//!
//! The functions a check, a build or a format runs are spread over 4.5 MB
//! of code by fat LTO; a 100-step check touched 42 windows of it. With
//! `link/flowc.order` (written by `benches/symbol-order.sh`) the linker puts
//! them first, and the check touches 12: 10% of its wall time when the
//! binary's pages are in the page cache as small folios, as they are after
//! a link or a read from disk. See BENCHMARKS.md, issue 13.
//!
//! Only the binary: the library, tests and benchmarks link as usual.
use std::env;
use std::process::Command;

fn main() {
    let order = "link/flowc.order";
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={order}");
    // The flag is the GNU toolchain's (cc, then rust-lld or ld): Linux only.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bin=flowc=-no-pie");
    }
    if links_with_lld() {
        let dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        let path = std::path::Path::new(&dir).join(order);
        if path.is_file() {
            println!(
                "cargo:rustc-link-arg-bin=flowc=-Wl,--symbol-ordering-file={}",
                path.display()
            );
            // Names the file lists but this build lacks (another rustc,
            // another Cargo.lock, a debug build) are simply not placed.
            println!("cargo:rustc-link-arg-bin=flowc=-Wl,--no-warn-symbol-ordering");
        }
    }
}

/// Whether the binary is linked by rust-lld, which reads a symbol ordering
/// file: the default on x86_64-unknown-linux-gnu since Rust 1.90, unless the
/// configuration chooses another linker. GNU ld would refuse the option.
fn links_with_lld() -> bool {
    if env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu") {
        return false;
    }
    // A linker of the user's choice (`linker = …`) may be GNU ld.
    if env::var_os("RUSTC_LINKER").is_some() {
        return false;
    }
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if [
        "linker-features",
        "linker-flavor",
        "link-self-contained",
        "fuse-ld",
        "linker=",
    ]
    .iter()
    .any(|f| flags.contains(f))
    {
        return false;
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8_lossy(&out.stdout);
    let minor = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    minor.is_some_and(|m| m >= 90)
}
