//! The workflow API over HTTP (SPEC §14): timeouts, retries with growing waits, and failures that say what to do.
//!
//! The token goes into the `Authorization` header and nowhere else: no
//! failure built here holds it, and redirects are not followed, so it is
//! never sent to another host.

use std::fmt;
use std::io::ErrorKind;
use std::time::Duration;

/// Where the API is when `FLOWC_API_URL` is not set.
pub const DEFAULT_URL: &str = "https://api.open.cx";

/// Retries after the first attempt.
const RETRIES: u32 = 3;

/// The longest wait a `Retry-After` can ask for; a server asking for more
/// gets this much, so that a run in CI ends.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        })
    }
}

/// A successful answer's body.
#[derive(Debug)]
pub struct Answer {
    pub text: String,
}

/// Why a request failed, after any retries.
#[derive(Debug)]
pub enum Failure {
    /// 401 or 403: the token was refused. The run stops.
    Denied {
        status: u16,
        message: Option<String>,
    },
    /// No connection could be made. The run stops.
    Unreachable { cause: String, attempts: u32 },
    /// The request could not be sent at all (a bad URL, a TLS failure). The run stops.
    Broken { cause: String },
    /// A create met a 5xx or a dropped connection: it may have happened.
    MaybeCreated { cause: String },
    /// Any other status, or a 429/5xx that outlasted the retries.
    Status {
        status: u16,
        message: Option<String>,
        attempts: u32,
    },
    /// The connection dropped or timed out, every time.
    Dropped { cause: String, attempts: u32 },
}

/// A failed request: what was asked and what went wrong.
#[derive(Debug)]
pub struct RequestError {
    pub method: Method,
    pub path: String,
    pub failure: Failure,
}

impl RequestError {
    /// Whether the whole run must stop (exit 2): the token or the host is wrong.
    pub fn stops_run(&self) -> bool {
        matches!(
            self.failure,
            Failure::Denied { .. } | Failure::Unreachable { .. } | Failure::Broken { .. }
        )
    }

    /// Whether the request may have reached the server and been applied:
    /// a 5xx answer or a connection lost after it was made.
    pub fn may_have_applied(&self) -> bool {
        match self.failure {
            Failure::Status { status, .. } => status >= 500,
            Failure::Dropped { .. } | Failure::MaybeCreated { .. } => true,
            _ => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self.failure {
            Failure::Denied { status, .. } | Failure::Status { status, .. } => Some(status),
            _ => None,
        }
    }
}

fn status_text(status: u16, message: &Option<String>) -> String {
    let reason = reason(status);
    let mut text = if reason.is_empty() {
        status.to_string()
    } else {
        format!("{status} {reason}")
    };
    if let Some(message) = message {
        text.push_str(&format!(" (the server says: {message})"));
    }
    text
}

fn attempts_text(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (method, path) = (self.method, &self.path);
        match &self.failure {
            Failure::Denied { status, message } => write!(
                f,
                "{method} {path}: {}; the token was refused: check FLOWC_API_TOKEN",
                status_text(*status, message)
            ),
            Failure::Unreachable { cause, attempts } => write!(
                f,
                "{method} {path}: cannot connect{}: {cause}; check FLOWC_API_URL and the network",
                attempts_text(*attempts)
            ),
            Failure::Broken { cause } => write!(f, "{method} {path}: {cause}"),
            Failure::MaybeCreated { cause } => write!(
                f,
                "{method} {path}: {cause}; the workflow may have been created anyway, so it was \
                 not sent again: look for it on the platform, and if it is there, pull it with \
                 `flowc pull WORKFLOW_ID -o FILE` instead of pushing again"
            ),
            Failure::Status {
                status,
                message,
                attempts,
            } => write!(
                f,
                "{method} {path}: {}{}",
                status_text(*status, message),
                attempts_text(*attempts)
            ),
            Failure::Dropped { cause, attempts } => {
                write!(f, "{method} {path}: {cause}{}", attempts_text(*attempts))
            }
        }
    }
}

/// What one attempt ended with, before retries are decided.
enum Attempt {
    Answer {
        status: u16,
        text: String,
        retry_after: Option<Duration>,
    },
    /// No connection was made: safe to send again, whatever the method.
    NotConnected(String),
    /// Connected, but no complete answer came.
    Dropped(String),
    /// The request cannot be sent.
    Broken(String),
}

/// A client of one API base URL with one token.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    authorization: String,
    /// The first wait between attempts; each next one doubles.
    first_wait: Duration,
}

impl Client {
    /// A client of `base` (without a trailing `/`) sending `token`.
    pub fn new(base: &str, token: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(30)))
            .http_status_as_error(false)
            // A redirect could carry the request (and, with some clients, the
            // token) to another host: none is followed.
            .max_redirects(0)
            .user_agent(format!("flowc/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            authorization: format!("Bearer {token}"),
            first_wait: Duration::from_millis(500),
        }
    }

    /// Sends one request, retrying 429, 5xx and dropped connections (a
    /// `POST` only when it cannot have been applied), and returns a 2xx answer.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<Answer, RequestError> {
        let url = format!("{}{path}", self.base);
        let error = |failure| RequestError {
            method,
            path: path.to_string(),
            failure,
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let growing = self.first_wait * 2u32.pow(attempts - 1);
            let wait = match self.once(method, &url, body) {
                Attempt::Answer { status, text, .. } if (200..300).contains(&status) => {
                    return Ok(Answer { text })
                }
                Attempt::Answer { status, text, .. } if status == 401 || status == 403 => {
                    return Err(error(Failure::Denied {
                        status,
                        message: server_message(&text),
                    }))
                }
                Attempt::Answer {
                    status,
                    text,
                    retry_after,
                } if status == 429 || status >= 500 => {
                    let message = server_message(&text);
                    if method == Method::Post && status != 429 {
                        return Err(error(Failure::MaybeCreated {
                            cause: status_text(status, &message),
                        }));
                    }
                    if attempts > RETRIES {
                        return Err(error(Failure::Status {
                            status,
                            message,
                            attempts,
                        }));
                    }
                    retry_after.map_or(growing, |w| w.min(LONGEST_WAIT))
                }
                Attempt::Answer { status, text, .. } => {
                    return Err(error(Failure::Status {
                        status,
                        message: server_message(&text),
                        attempts,
                    }))
                }
                Attempt::NotConnected(cause) => {
                    if attempts > RETRIES {
                        return Err(error(Failure::Unreachable { cause, attempts }));
                    }
                    growing
                }
                Attempt::Dropped(cause) => {
                    if method == Method::Post {
                        return Err(error(Failure::MaybeCreated { cause }));
                    }
                    if attempts > RETRIES {
                        return Err(error(Failure::Dropped { cause, attempts }));
                    }
                    growing
                }
                Attempt::Broken(cause) => return Err(error(Failure::Broken { cause })),
            };
            std::thread::sleep(wait);
        }
    }

    fn once(&self, method: Method, url: &str, body: Option<&str>) -> Attempt {
        let auth = self.authorization.as_str();
        let sent = match method {
            Method::Get => self
                .agent
                .get(url)
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .call(),
            Method::Post | Method::Patch => {
                let request = if method == Method::Post {
                    self.agent.post(url)
                } else {
                    self.agent.patch(url)
                };
                request
                    .header("Authorization", auth)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .send(body.unwrap_or_default())
            }
        };
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => return classify(err),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after);
        match response.body_mut().read_to_string() {
            Ok(text) => Attempt::Answer {
                status,
                text,
                retry_after,
            },
            Err(err) => Attempt::Dropped(format!("the answer was cut off ({})", describe(&err))),
        }
    }
}

/// A `Retry-After` value: seconds, or an HTTP date (IMF-fixdate, as RFC
/// 9110 says servers send it) turned into the time until then.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let then = http_date(value)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Duration::from_secs(then.saturating_sub(now)))
}

/// Seconds since 1970 of an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts[..] else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let (day, year) = (day.parse::<i64>().ok()?, year.parse::<i64>().ok()?);
    let clock: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = clock[..] else { return None };
    // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3_600 + m * 60 + s).ok()
}

/// Sorts a ureq error into what the retry rules need to know.
fn classify(err: ureq::Error) -> Attempt {
    use ureq::Error;
    match &err {
        // A proxy that refused the tunnel never passed the request on.
        Error::HostNotFound | Error::ConnectionFailed | Error::ConnectProxyFailed(_) => {
            Attempt::NotConnected(describe(&err))
        }
        Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            Attempt::NotConnected(describe(&err))
        }
        Error::Io(io)
            if matches!(
                io.kind(),
                ErrorKind::ConnectionRefused
                    | ErrorKind::AddrNotAvailable
                    | ErrorKind::NetworkUnreachable
                    | ErrorKind::HostUnreachable
            ) =>
        {
            Attempt::NotConnected(describe(&err))
        }
        Error::BadUri(_) | Error::Http(_) | Error::InvalidProxyUrl | Error::Tls(_) => {
            Attempt::Broken(describe(&err))
        }
        _ => Attempt::Dropped(describe(&err)),
    }
}

/// An error's words, lowercase first as our messages are.
fn describe(err: &ureq::Error) -> String {
    use ureq::Error;
    match err {
        Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => "connection refused".to_string(),
            ErrorKind::ConnectionReset => "the connection was reset".to_string(),
            ErrorKind::UnexpectedEof => "the connection closed without an answer".to_string(),
            _ => io.to_string(),
        },
        Error::Timeout(_) => "timed out (10 s to connect, 30 s in all)".to_string(),
        other => {
            let text = other.to_string();
            // "Invalid proxy url" reads as ours; "CONNECT" stays as it is.
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), Some(d)) if d.is_lowercase() => c
                    .to_lowercase()
                    .chain(text[c.len_utf8()..].chars())
                    .collect(),
                _ => text,
            }
        }
    }
}

/// The server's message in an error answer: the `message`, `error` or
/// `detail` of a JSON object, else the text itself, on one line and short.
fn server_message(text: &str) -> Option<String> {
    let from_json = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            ["message", "error", "detail"]
                .iter()
                .find_map(|k| match v.get(k) {
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(inner @ serde_json::Value::Object(_)) => inner
                        .get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string),
                    _ => None,
                })
        });
    let text = from_json.unwrap_or_else(|| text.to_string());
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return None;
    }
    Some(match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    })
}

/// The reason phrase of the statuses an API answers with.
fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        301 | 302 | 303 | 307 | 308 => "Redirect (not followed)",
        _ => "",
    }
}

/// `id` as one path segment: everything but unreserved characters escaped.
pub fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages_come_from_json_or_text() {
        assert_eq!(
            server_message(r#"{"message":"name is required"}"#).as_deref(),
            Some("name is required")
        );
        assert_eq!(
            server_message(r#"{"error":{"message":"bad"}}"#).as_deref(),
            Some("bad")
        );
        assert_eq!(
            server_message("  oops\n  again ").as_deref(),
            Some("oops again")
        );
        assert_eq!(server_message(""), None);
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599)
        );
        // A date in the past means now.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
    }

    #[test]
    fn ids_are_escaped_as_one_segment() {
        assert_eq!(segment("a1-b_c.d~e"), "a1-b_c.d~e");
        assert_eq!(segment("a/b c?"), "a%2Fb%20c%3F");
    }
}
