//! The yardstick for `flowc build`: read a JSON body file, parse it with
//! serde_json and pretty-print it back to stdout. flowc parses a richer
//! language and checks it, but its output is this very JSON, so this is the
//! least work any tool producing it could do.
//!
//! ```text
//! cargo run --release --example limit -- BODY.json
//! ```

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: limit BODY.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("limit: {}: {err}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(err) => {
            eprintln!("limit: {}: {err}", path.to_string_lossy());
            return ExitCode::from(1);
        }
    };
    let mut pretty = serde_json::to_string_pretty(&value).expect("a Value always serializes");
    pretty.push('\n');
    let mut out = std::io::stdout().lock();
    if out
        .write_all(pretty.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
