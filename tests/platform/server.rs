//! A small workflow API on 127.0.0.1 for the platform tests, written from
//! `../shared/api/*.md`: create, get, update with carry-over and `null`
//! clearing, versions, a Bearer check, the create schema on every version,
//! faults on demand, and a record of every request.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `METHOD PATH`, for asserting the sequence of requests.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// A fault served instead of the normal answer.
#[derive(Debug, Clone)]
pub enum Fault {
    /// This status, with a `Retry-After` when given, and a JSON message.
    Status(u16, Option<u64>),
    /// This status, with the request's `Authorization` header in the message.
    Echo(u16),
    /// Read the request, then close the connection without an answer.
    Close,
    /// A redirect to this URL.
    Redirect(String),
    /// Start an answer, then close the connection halfway through it.
    Cut,
}

/// Which version `GET` returns while a newer inactive draft exists: the API
/// page leaves it open, so the tests run under both readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetReturns {
    Newest,
    Active,
}

#[derive(Debug, Clone)]
pub struct Workflow {
    /// Every version's body fields (create-body keys only), oldest first.
    pub versions: Vec<Map<String, Value>>,
    /// Index of the active version.
    pub active: usize,
    /// The exact text `GET` answers while the first version is current,
    /// for numbers whose lexemes `serde_json::Value` would not keep.
    pub raw: Option<String>,
}

pub struct State {
    pub token: String,
    pub workflows: BTreeMap<String, Workflow>,
    pub requests: Vec<Request>,
    /// Faults waiting, each for the next request of its method.
    pub faults: Vec<(&'static str, Fault)>,
    pub get_returns: GetReturns,
    serial: u64,
}

pub struct Server {
    pub url: String,
    state: Arc<Mutex<State>>,
}

pub const TOKEN: &str = "tok-7f3a9c1e5b2d4f60a8e1";

const SERVER_FIELDS: [&str; 7] = [
    "id",
    "workflow_id",
    "is_active",
    "version_number",
    "created_at",
    "updated_at",
    "webhook_url",
];

const OPTIONAL: [&str; 4] = [
    "description",
    "trigger_configuration",
    "trigger_constraints",
    "workflow_editor_state",
];

impl Server {
    pub fn start() -> Server {
        Server::start_with(GetReturns::Newest)
    }

    pub fn start_with(get_returns: GetReturns) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            token: TOKEN.to_string(),
            workflows: BTreeMap::new(),
            requests: Vec::new(),
            faults: Vec::new(),
            get_returns,
            serial: 0,
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Server { url, state }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Every request so far, as `METHOD PATH`.
    pub fn lines(&self) -> Vec<String> {
        self.state().requests.iter().map(Request::line).collect()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Serves `fault` to the next request with this method.
    pub fn fault(&self, method: &'static str, fault: Fault) {
        self.state().faults.push((method, fault));
    }

    /// A workflow made on the platform directly, whose `GET` answers
    /// exactly `response` until it is edited.
    pub fn seed_raw(&self, id: &str, response: &str) {
        let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(response) else {
            panic!("a response is an object")
        };
        fields.retain(|k, v| !v.is_null() && !SERVER_FIELDS.contains(&k.as_str()));
        self.state().workflows.insert(
            id.to_string(),
            Workflow {
                versions: vec![fields],
                active: 0,
                raw: Some(response.to_string()),
            },
        );
    }

    /// An edit made in the dashboard: a new inactive version.
    pub fn edit(&self, id: &str, change: impl FnOnce(&mut Map<String, Value>)) {
        let mut state = self.state();
        let workflow = state.workflows.get_mut(id).expect("the workflow exists");
        let mut fields = workflow.versions.last().unwrap().clone();
        change(&mut fields);
        workflow.versions.push(fields);
    }

    /// The newest version's body fields.
    pub fn newest(&self, id: &str) -> Map<String, Value> {
        self.state().workflows[id].versions.last().unwrap().clone()
    }

    pub fn version_count(&self, id: &str) -> usize {
        self.state().workflows[id].versions.len()
    }
}

/// The workflow id the server gives its n-th workflow.
pub fn workflow_id(n: u64) -> String {
    format!("6b1f0c2e-0000-4000-8000-{n:012}")
}

fn serve(stream: TcpStream, shared: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let Some(mut request) = read_request(&mut reader) else {
        return;
    };
    let mut stream = stream;
    if request.method == "CONNECT" {
        // A proxy's tunnel: say yes, then read the request sent through it.
        shared.lock().unwrap().requests.push(request);
        let _ = stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        match read_request(&mut reader) {
            Some(tunnelled) => request = tunnelled,
            None => return,
        }
    }
    answer(stream, request, shared);
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut first = String::new();
    if reader.read_line(&mut first).unwrap_or(0) == 0 {
        return None;
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8(body).expect("a UTF-8 body"),
    })
}

fn answer(mut stream: TcpStream, request: Request, shared: &Mutex<State>) {
    let answer = {
        let mut state = shared.lock().unwrap();
        state.requests.push(request.clone());
        let fault = state
            .faults
            .iter()
            .position(|(m, _)| *m == request.method)
            .map(|i| state.faults.remove(i).1);
        match fault {
            Some(fault) => Err(fault),
            None => Ok(state.answer(&request)),
        }
    };
    let (status, retry_after, body) = match answer {
        Ok((status, Answer::Raw(text))) => (status, None, text),
        Ok((status, Answer::Json(body))) => (status, None, serde_json::to_string(&body).unwrap()),
        Err(Fault::Status(status, retry_after)) => (
            status,
            retry_after,
            json!({"message": format!("injected fault {status}")}).to_string(),
        ),
        Err(Fault::Echo(status)) => (
            status,
            None,
            json!({"message": format!("you sent {}", request.header("authorization").unwrap_or_default())})
                .to_string(),
        ),
        Err(Fault::Redirect(to)) => {
            let _ = stream.write_all(
                format!("HTTP/1.1 307 X\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            return;
        }
        Err(Fault::Close) => return,
        Err(Fault::Cut) => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id\"");
            return;
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(seconds) = retry_after {
        head.push_str(&format!("Retry-After: {seconds}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn message(text: &str) -> Value {
    json!({ "message": text })
}

/// An answer's body: JSON to serialize, or exact text.
enum Answer {
    Json(Value),
    Raw(String),
}

impl State {
    fn answer(&mut self, request: &Request) -> (u16, Answer) {
        // Through a proxy the target is absolute: route on its path.
        let path = match request.path.strip_prefix("http://") {
            Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]).to_string(),
            None => request.path.clone(),
        };
        let request = &Request {
            path,
            ..request.clone()
        };
        if request.method == "GET"
            && request.header("authorization") == Some(&format!("Bearer {}", self.token))
        {
            let id = request.path.strip_prefix("/workflows/").unwrap_or_default();
            if let Some(Workflow {
                raw: Some(raw),
                versions,
                ..
            }) = self.workflows.get(id)
            {
                if versions.len() == 1 {
                    return (200, Answer::Raw(raw.clone()));
                }
            }
        }
        let (status, body) = self.answer_json(request);
        (status, Answer::Json(body))
    }

    fn answer_json(&mut self, request: &Request) -> (u16, Value) {
        if request.header("authorization") != Some(&format!("Bearer {}", self.token)) {
            return (401, message("invalid or missing token"));
        }
        let id = request.path.strip_prefix("/workflows/");
        match (request.method.as_str(), request.path.as_str(), id) {
            ("POST", "/workflows", _) => self.create(&request.body),
            ("GET", _, Some(id)) => match self.workflows.get(id) {
                None => (404, message("workflow not found")),
                Some(workflow) => {
                    let index = match self.get_returns {
                        GetReturns::Newest => workflow.versions.len() - 1,
                        GetReturns::Active => workflow.active,
                    };
                    (200, self.response(id, index))
                }
            },
            ("PATCH", _, Some(id)) => self.update(id, &request.body),
            _ => (404, message("no such route")),
        }
    }

    fn create(&mut self, body: &str) -> (u16, Value) {
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(body) else {
            return (400, message("the body is not a JSON object"));
        };
        if let Err(why) = valid(&fields) {
            return (422, message(&why));
        }
        let id = workflow_id(self.workflows.len() as u64 + 1);
        self.workflows.insert(
            id.clone(),
            Workflow {
                versions: vec![fields],
                active: 0,
                raw: None,
            },
        );
        (200, self.response(&id, 0))
    }

    fn update(&mut self, id: &str, body: &str) -> (u16, Value) {
        let Some(workflow) = self.workflows.get(id) else {
            return (404, message("workflow not found"));
        };
        let Ok(Value::Object(change)) = serde_json::from_str::<Value>(body) else {
            return (400, message("the body is not a JSON object"));
        };
        // Omitted fields carry over from the current version; null clears.
        let mut fields = workflow.versions.last().unwrap().clone();
        for (key, value) in change {
            if value.is_null() && OPTIONAL.contains(&key.as_str()) {
                fields.remove(&key);
            } else {
                fields.insert(key, value);
            }
        }
        if let Err(why) = valid(&fields) {
            return (422, message(&why));
        }
        let workflow = self.workflows.get_mut(id).unwrap();
        workflow.versions.push(fields);
        let index = workflow.versions.len() - 1;
        (200, self.response(id, index))
    }

    fn response(&mut self, id: &str, index: usize) -> Value {
        self.serial += 1;
        let workflow = &self.workflows[id];
        let fields = &workflow.versions[index];
        let field = |k: &str| fields.get(k).cloned().unwrap_or(Value::Null);
        json!({
            "id": 1000 + index,
            "workflow_id": id,
            "name": field("name"),
            "description": field("description"),
            "is_active": workflow.active == index,
            "trigger_type": field("trigger_type"),
            "version_number": index + 1,
            "created_at": "2026-12-01T10:00:00Z",
            "updated_at": "2026-12-01T10:00:00Z",
            "workflow_blocks": field("workflow_blocks"),
            "trigger_configuration": field("trigger_configuration"),
            "trigger_constraints": field("trigger_constraints"),
            "webhook_url": null,
        })
    }
}

/// Checks a version's fields against the create schema.
fn valid(fields: &Map<String, Value>) -> Result<(), String> {
    let schema = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/schema/create-workflow.schema.json"),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).unwrap();
    let value = Value::Object(fields.clone());
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}
