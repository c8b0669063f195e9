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
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    let order = "link/flowc.order";
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={order}");
    // The flag is the GNU toolchain's (cc, then rust-lld or ld): Linux only.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    println!("cargo:rustc-link-arg-bin=flowc=-no-pie");
    let dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let order = Path::new(&dir).join(order);
    if !order.is_file() {
        return;
    }
    let flags = [
        format!("-Wl,--symbol-ordering-file={}", order.display()),
        // Names the file lists but this build lacks (another rustc,
        // another Cargo.lock, a debug build) are simply not placed.
        "-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    if linker_takes(&flags) {
        for flag in flags {
            println!("cargo:rustc-link-arg-bin=flowc={flag}");
        }
    }
}

/// Whether this build's linker accepts `flags`: rust-lld (rustc's default
/// on x86_64 Linux since 1.90) does, GNU ld does not, and which one links
/// depends on the toolchain and its configuration (a distribution's rustc,
/// `-C link-arg=-fuse-ld=…`, a configured `linker`). So a program of one
/// line is linked with them, the way this build will link flowc.
fn linker_takes(flags: &[String]) -> bool {
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let source = out.join("probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let mut probe = Command::new(rustc);
    probe
        .arg("--edition=2021")
        .arg("--crate-type=bin")
        .arg("-o")
        .arg(out.join("probe"))
        .arg(&source);
    if let Ok(target) = env::var("TARGET") {
        probe.arg("--target").arg(target);
    }
    if let Some(linker) = env::var_os("RUSTC_LINKER") {
        let mut arg = std::ffi::OsString::from("linker=");
        arg.push(linker);
        probe.arg("-C").arg(arg);
    }
    let rustflags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    probe.args(rustflags.split('\x1f').filter(|f| !f.is_empty()));
    for flag in flags {
        probe.arg("-C").arg(format!("link-arg={flag}"));
    }
    probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
