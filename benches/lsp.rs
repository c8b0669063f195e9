//! `flowc lsp` end to end: the time from a one-character change to its
//! diagnostics on documents of 100, 1,000 and 10,000 steps, and the
//! server's memory over 5,000 edits (SPEC §13, "Speed").
//!
//! ```text
//! cargo bench --bench lsp
//! ```
//!
//! It drives the real binary over standard input and output, as an editor
//! does; `BENCHMARKS.md` records the figures.

#[path = "gen/mod.rs"]
mod gen;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: std::process::Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("flowc lsp starts");
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 0,
        };
        server.request("initialize", json!({ "capabilities": {} }));
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let text = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).expect("read");
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length:") {
                length = n.trim().parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("a body");
        serde_json::from_slice(&body).expect("JSON")
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `version`; returns how many there are.
    fn diagnostics(&mut self, version: i64) -> usize {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["version"] == json!(version)
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .map_or(0, Vec::len);
            }
        }
    }

    /// Resident memory of the server, in KiB (Linux).
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("exits");
        assert!(status.success(), "flowc lsp exited with {status}");
    }
}

/// A one-character change at the end of the first line of the workflow
/// body's first string: typing and deleting an `x` in turn.
fn edit(server: &mut Server, uri: &str, version: i64, line: u32, character: u32) {
    let (range, text) = if version % 2 == 0 {
        (
            json!({ "start": { "line": line, "character": character }, "end": { "line": line, "character": character } }),
            "x",
        )
    } else {
        (
            json!({ "start": { "line": line, "character": character }, "end": { "line": line, "character": character + 1 } }),
            "",
        )
    };
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "range": range, "text": text }],
        }),
    );
}

fn open(server: &mut Server, uri: &str, text: &str) -> usize {
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "flow", "version": 1, "text": text } }),
    );
    server.diagnostics(1)
}

/// Where to type: just inside the description's string.
fn typing_place(text: &str) -> (u32, u32) {
    let at = text.find("description \"").expect("a description") + "description \"".len();
    let line = text[..at].matches('\n').count() as u32;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].encode_utf16().count() as u32)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/flowc.toml");
    std::fs::copy(catalog, dir.path().join("flowc.toml")).expect("the catalog");
    println!("change-to-diagnostics, one character typed or deleted in the description");
    println!(
        "{:>7} {:>9} {:>9} {:>9} {:>9} {:>6}",
        "steps", "KiB", "median", "p90", "max", "edits"
    );
    for steps in [100usize, 1_000, 10_000] {
        let text = gen::generate(steps, gen::DEFAULT_SEED);
        let path = dir.path().join(format!("w{steps}.flow"));
        std::fs::write(&path, &text).expect("written");
        let uri = format!("file://{}", path.display());
        let mut server = Server::start();
        assert_eq!(open(&mut server, &uri, &text), 0, "the workload is clean");
        let (line, character) = typing_place(&text);
        let edits = if steps >= 10_000 { 40 } else { 200 };
        let mut times = Vec::with_capacity(edits);
        for version in 2..2 + edits as i64 {
            let start = Instant::now();
            edit(&mut server, &uri, version, line, character);
            assert_eq!(server.diagnostics(version), 0);
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "{steps:>7} {:>9} {:>7.1}ms {:>7.1}ms {:>7.1}ms {edits:>6}",
            text.len() / 1024,
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.9).as_secs_f64() * 1e3,
            times.last().expect("timed").as_secs_f64() * 1e3,
        );
        server.stop();
    }

    // Where the time goes: the library's work per version, in process.
    println!();
    println!("in process, 10,000 steps (median of 15)");
    let text = gen::generate(10_000, gen::DEFAULT_SEED);
    let catalog = flowc::Catalog::from_toml(&std::fs::read_to_string(catalog).expect("read"))
        .expect("a valid catalog");
    let median = |f: &dyn Fn()| {
        let mut times: Vec<Duration> = (0..15)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect();
        times.sort();
        times[7].as_secs_f64() * 1e3
    };
    let check = median(&|| drop(flowc::check_source(&text, &catalog)));
    let analysis = median(&|| drop(flowc::analysis::Analysis::new(&text, &catalog)));
    println!("check_source {check:>7.1}ms   Analysis::new {analysis:>7.1}ms");

    println!();
    println!("memory over 5,000 edits of the 1,000-step document (VmRSS)");
    let text = gen::generate(1_000, gen::DEFAULT_SEED);
    let path = dir.path().join("memory.flow");
    std::fs::write(&path, &text).expect("written");
    let uri = format!("file://{}", path.display());
    let mut server = Server::start();
    open(&mut server, &uri, &text);
    let (line, character) = typing_place(&text);
    for version in 2..=5_001i64 {
        edit(&mut server, &uri, version, line, character);
        server.diagnostics(version);
        if version == 2 || (version - 1) % 1_000 == 0 {
            println!(
                "after {:>5} edits: {:>7} KiB",
                version - 1,
                server.rss_kib()
            );
        }
    }
    server.stop();
}
