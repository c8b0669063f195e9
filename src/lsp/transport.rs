//! Base protocol framing over standard input and output, tolerant of bad input.
//!
//! lsp-server's own stdio transport ends its reader at the first payload
//! that is not a JSON-RPC message; this one answers such a payload with a
//! JSON-RPC error and reads on, so no input ends the server.

use lsp_server::Message;
use std::io::{BufRead, Write};
use std::sync::mpsc;

/// What the reader hands to the main loop.
pub enum Incoming {
    Message(Message),
    /// A payload that was not a message: the error response to send, as
    /// JSON (its id may be `null`, which `lsp_server::Response` cannot say).
    Invalid(serde_json::Value),
}

/// Starts a thread that reads messages from standard input until it ends.
pub fn reader() -> mpsc::Receiver<Incoming> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        while let Some(payload) = read_payload(&mut input) {
            let incoming = match parse(&payload) {
                Ok(message) => Incoming::Message(message),
                Err(response) => Incoming::Invalid(response),
            };
            if tx.send(incoming).is_err() {
                break;
            }
        }
    });
    rx
}

/// A payload as a message, or the error response to send for it.
fn parse(payload: &[u8]) -> Result<Message, serde_json::Value> {
    let error = |id: serde_json::Value, code: i32, message: String| {
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code, "message": message },
        })
    };
    let value: serde_json::Value = serde_json::from_slice(payload)
        .map_err(|e| error(serde_json::Value::Null, -32700, format!("not JSON: {e}")))?;
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    // A response (to our own request) has a result or an error; anything
    // else without a method is no message at all. lsp-server's types would
    // read `{"id": 1}` as an empty response, which nobody would answer.
    let is_message = value.is_object()
        && (value
            .get("method")
            .is_some_and(serde_json::Value::is_string)
            || value.get("result").is_some()
            || value.get("error").is_some());
    if !is_message {
        return Err(error(
            id,
            -32600,
            "not a JSON-RPC request, notification or response".into(),
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| error(id, -32600, format!("not a JSON-RPC message: {e}")))
}

/// Reads one payload: headers up to an empty line, then `Content-Length`
/// bytes. Header blocks without a usable length are skipped; `None` at the
/// end of input.
fn read_payload(input: &mut impl BufRead) -> Option<Vec<u8>> {
    loop {
        let mut length: Option<usize> = None;
        let mut line = String::new();
        loop {
            line.clear();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let header = line.trim_end_matches(['\r', '\n']);
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok();
                }
            }
        }
        // A blank line with no length before it: nothing to read yet.
        let Some(length) = length else { continue };
        let mut payload = vec![0; length];
        input.read_exact(&mut payload).ok()?;
        return Some(payload);
    }
}

/// Writes one JSON-RPC payload to standard output.
pub fn write(value: &impl serde::Serialize) -> std::io::Result<()> {
    let text = serde_json::to_string(value)?;
    let mut out = std::io::stdout().lock();
    write!(out, "Content-Length: {}\r\n\r\n", text.len())?;
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Writes a message as lsp-server lays it out (with `"jsonrpc": "2.0"`).
pub fn send(message: &Message) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    message.write(&mut out)
}
