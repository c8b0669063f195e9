//! Prints a realistic, clean `.flow` program of N steps (N actions, plus
//! about one if-else block in five elements, nested up to four deep).
//!
//! ```text
//! cargo run --release --example gen -- N [SEED] > workload.flow
//! ```
//!
//! The same N and SEED always print the same program; SEED defaults to a
//! fixed value and may be written in decimal or as `0x…` hex.

#[path = "../benches/gen/mod.rs"]
mod gen;

use std::io::Write as _;
use std::process::ExitCode;

fn parse_u64(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.replace('_', "").parse().ok(),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (steps, seed) = match args.as_slice() {
        [n] => (parse_u64(n), Some(gen::DEFAULT_SEED)),
        [n, seed] => (parse_u64(n), parse_u64(seed)),
        _ => (None, None),
    };
    let (Some(steps), Some(seed)) = (steps, seed) else {
        eprintln!("usage: gen N [SEED]   (N steps, SEED a number; prints a .flow program)");
        return ExitCode::from(2);
    };
    let text = gen::generate(steps as usize, seed);
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
