//! A JSON value that keeps what serde_json's `Value` cannot: number lexemes
//! exactly as written (`1e3`, `-2.5E-3`, `-0`) and object members in order,
//! duplicates included, so that the importer can refuse them.
//!
//! Formatting is still serde_json's: [`Json`] implements `Serialize`, and a
//! number goes out as a raw fragment of its own lexeme.

use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A JSON number, as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in written order.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn object() -> Json {
        Json::Object(Vec::new())
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(lexeme) => serde_json::value::RawValue::from_string(lexeme.clone())
                .map_err(S::Error::custom)?
                .serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Whether `b` must be escaped in a JSON string.
fn special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The first byte at or after `from` that must be escaped in a JSON
/// string. Eight bytes are tested at a time (most strings have nothing to
/// escape): a word holds a special byte exactly when one of its bytes is
/// below 0x20 or equal to `"` or `\\`, which the classic "has a zero byte"
/// and "has a byte less than n" tests tell without false negatives; the
/// byte loop then finds which one.
fn find_special(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
        if below_space
            || has_zero(w ^ (ONES * u64::from(b'"')))
            || has_zero(w ^ (ONES * u64::from(b'\\')))
        {
            break;
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| special(b)).map(|at| i + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_lexeme() {
        let value = Json::Array(
            ["1e3", "-2.5E-3", "1.50", "-0", "12345678901234567890123"]
                .iter()
                .map(|n| Json::Number(n.to_string()))
                .collect(),
        );
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            "[1e3,-2.5E-3,1.50,-0,12345678901234567890123]"
        );
    }

    #[test]
    fn pretty_layout_is_serde_jsons() {
        let value = Json::Object(vec![
            ("a".into(), Json::object()),
            ("b".into(), Json::Array(vec![])),
            (
                "c".into(),
                Json::Array(vec![Json::Number("1".into()), Json::Null]),
            ),
        ]);
        assert_eq!(
            serde_json::to_string_pretty(&value).unwrap(),
            "{\n  \"a\": {},\n  \"b\": [],\n  \"c\": [\n    1,\n    null\n  ]\n}"
        );
    }
}

// ---------------------------------------------------------------------------
// Parsing, with spans.

use crate::span::Span;

/// A parsed JSON value with the byte span of every node, for diagnostics that
/// point into the JSON file. Members keep their written order, duplicates included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub value: NodeValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    /// The number's lexeme exactly as written (`1e3`, `-0`, `1.50`).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// (key, key span, value) in written order; duplicate keys are kept.
    Object(Vec<(String, Span, Node)>),
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl ParseError {
    fn new(message: impl Into<String>, span: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span,
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Deepest nesting of arrays and objects accepted (a body deeper than this
/// cannot be written as flow text anyway).
pub const MAX_JSON_DEPTH: usize = 256;

/// Parses one JSON text (RFC 8259): leading/trailing whitespace allowed, nothing else after the value.
///
/// Strict: no comments, trailing commas, leading zeros, `+` signs, NaN or
/// Infinity, raw control characters in strings or lone surrogate escapes, and
/// no byte order mark. The parse is iterative and linear in the input, and
/// refuses nesting deeper than [`MAX_JSON_DEPTH`].
pub fn parse(text: &str) -> Result<Node, ParseError> {
    if text.starts_with('\u{FEFF}') {
        return Err(ParseError::new(
            "unexpected byte order mark (U+FEFF) at the start of the input",
            Span::new(0, '\u{FEFF}'.len_utf8()),
        ));
    }
    Parser {
        text,
        bytes: text.as_bytes(),
    }
    .document()
}

impl Node {
    /// The plain value, dropping spans. Object members keep their written
    /// order, duplicates included, as `Json::Object` does.
    pub fn to_json(&self) -> Json {
        match &self.value {
            NodeValue::Null => Json::Null,
            NodeValue::Bool(b) => Json::Bool(*b),
            NodeValue::Number(lexeme) => Json::Number(lexeme.clone()),
            NodeValue::String(s) => Json::String(s.clone()),
            NodeValue::Array(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|(key, _, value)| (key.clone(), value.to_json()))
                    .collect(),
            ),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
}

/// An array or object whose closing bracket has not been read yet.
enum Frame {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        members: Vec<(String, Span, Node)>,
        /// The key whose value is being read.
        key: (String, Span),
    },
}

impl Parser<'_> {
    /// The whole text: one value between optional whitespace. Containers are
    /// kept on an explicit stack, so deep nesting cannot overflow the call stack.
    fn document(&self) -> Result<Node, ParseError> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut pos = self.skip_ws(0);
        loop {
            // Read a value at `pos`, or open a container and go read its first element.
            let mut node = match self.bytes.get(pos) {
                Some(&open @ (b'[' | b'{')) => {
                    if stack.len() == MAX_JSON_DEPTH {
                        return Err(ParseError::new(
                            format!("nesting deeper than {MAX_JSON_DEPTH} levels"),
                            Span::new(pos, pos + 1),
                        ));
                    }
                    let start = pos;
                    pos = self.skip_ws(pos + 1);
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.bytes.get(pos) == Some(&close) {
                        let value = if open == b'[' {
                            NodeValue::Array(Vec::new())
                        } else {
                            NodeValue::Object(Vec::new())
                        };
                        Node {
                            value,
                            span: Span::new(start, pos + 1),
                        }
                    } else if open == b'[' {
                        stack.push(Frame::Array {
                            start,
                            items: Vec::new(),
                        });
                        continue;
                    } else {
                        let (key, next) = self.key(pos, "expected a string key or `}`")?;
                        stack.push(Frame::Object {
                            start,
                            members: Vec::new(),
                            key,
                        });
                        pos = next;
                        continue;
                    }
                }
                _ => self.scalar(pos)?,
            };
            // Hand the finished value to the innermost open container, and
            // close every container that ends right after it.
            loop {
                pos = self.skip_ws(node.span.end);
                let Some(frame) = stack.last_mut() else {
                    if pos < self.bytes.len() {
                        let (_, span) = self.token(pos);
                        return Err(ParseError::new(
                            "trailing characters after the JSON value",
                            span,
                        ));
                    }
                    return Ok(node);
                };
                let (close, expected) = match frame {
                    Frame::Array { items, .. } => {
                        items.push(node);
                        (b']', "expected `,` or `]` after an array element")
                    }
                    Frame::Object { members, key, .. } => {
                        let (key, key_span) = std::mem::take(key);
                        members.push((key, key_span, node));
                        (b'}', "expected `,` or `}` after an object member")
                    }
                };
                match self.bytes.get(pos) {
                    Some(b',') => {
                        let comma = pos;
                        pos = self.skip_ws(pos + 1);
                        if self.bytes.get(pos) == Some(&close) {
                            return Err(ParseError::new(
                                format!("trailing comma before `{}`", close as char),
                                Span::new(comma, comma + 1),
                            ));
                        }
                        if let Frame::Object { key, .. } = frame {
                            let (next_key, next) = self.key(pos, "expected a string key")?;
                            *key = next_key;
                            pos = next;
                        }
                        break;
                    }
                    Some(&b) if b == close => {
                        let end = pos + 1;
                        node = match stack.pop() {
                            Some(Frame::Array { start, items }) => Node {
                                value: NodeValue::Array(items),
                                span: Span::new(start, end),
                            },
                            Some(Frame::Object { start, members, .. }) => Node {
                                value: NodeValue::Object(members),
                                span: Span::new(start, end),
                            },
                            None => unreachable!("a frame was just read"),
                        };
                    }
                    _ => return Err(self.unexpected(pos, expected)),
                }
            }
        }
    }

    /// An object key at `pos` and its colon; returns the key and where its value starts.
    fn key(&self, pos: usize, expected: &str) -> Result<((String, Span), usize), ParseError> {
        if self.bytes.get(pos) != Some(&b'"') {
            return Err(self.unexpected(pos, expected));
        }
        let key = self.string(pos)?;
        let colon = self.skip_ws(key.1.end);
        if self.bytes.get(colon) != Some(&b':') {
            return Err(self.unexpected(colon, "expected `:` after an object key"));
        }
        Ok((key, self.skip_ws(colon + 1)))
    }

    /// A string, number or literal at `pos`.
    fn scalar(&self, pos: usize) -> Result<Node, ParseError> {
        match self.bytes.get(pos) {
            Some(b'"') => {
                let (s, span) = self.string(pos)?;
                Ok(Node {
                    value: NodeValue::String(s),
                    span,
                })
            }
            // `+` and `.` cannot start a JSON number, but reading them as one
            // gives the better message ("invalid number `+1`").
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number(pos),
            Some(b) if b.is_ascii_alphabetic() => {
                let len = self.bytes[pos..]
                    .iter()
                    .take_while(|b| is_word_byte(**b))
                    .count();
                let value = match &self.text[pos..pos + len] {
                    "null" => NodeValue::Null,
                    "true" => NodeValue::Bool(true),
                    "false" => NodeValue::Bool(false),
                    _ => return Err(self.unexpected(pos, "expected a JSON value")),
                };
                Ok(Node {
                    value,
                    span: Span::new(pos, pos + len),
                })
            }
            _ => Err(self.unexpected(pos, "expected a JSON value")),
        }
    }

    /// A number at `pos`: the whole run of number-like characters, which must
    /// match RFC 8259's grammar exactly.
    fn number(&self, start: usize) -> Result<Node, ParseError> {
        let len = self.bytes[start..]
            .iter()
            .take_while(|&&b| is_word_byte(b) || matches!(b, b'.' | b'+' | b'-'))
            .count();
        let lexeme = &self.text[start..start + len];
        let span = Span::new(start, start + len);
        if !is_json_number(lexeme.as_bytes()) {
            return Err(ParseError::new(format!("invalid number `{lexeme}`"), span));
        }
        Ok(Node {
            value: NodeValue::Number(lexeme.to_owned()),
            span,
        })
    }

    /// The string whose opening quote is at `start`, unescaped, and its span
    /// (quotes included).
    fn string(&self, start: usize) -> Result<(String, Span), ParseError> {
        let bytes = self.bytes;
        let mut out = String::new();
        let mut i = start + 1;
        // Start of the run of plain characters not yet copied to `out`.
        let mut chunk = i;
        loop {
            while i < bytes.len() && !matches!(bytes[i], b'"' | b'\\' | 0x00..=0x1F) {
                i += 1;
            }
            let Some(&b) = bytes.get(i) else {
                return Err(unterminated(start));
            };
            out.push_str(&self.text[chunk..i]);
            match b {
                b'"' => return Ok((out, Span::new(start, i + 1))),
                b'\\' => {
                    i = self.escape(start, i, &mut out)?;
                    chunk = i;
                }
                _ => return Err(control_character(b, i)),
            }
        }
    }

    /// The escape whose backslash is at `i`, in the string opened at
    /// `start`; pushes its character and returns where the escape ends.
    fn escape(&self, start: usize, i: usize, out: &mut String) -> Result<usize, ParseError> {
        let Some(&e) = self.bytes.get(i + 1) else {
            return Err(unterminated(start));
        };
        let ch = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(i, out),
            0x00..=0x1F => return Err(control_character(e, i + 1)),
            _ => {
                let c = self.text[i + 1..].chars().next().unwrap_or_default();
                return Err(ParseError::new(
                    format!("invalid escape `\\{c}`"),
                    Span::new(i, i + 1 + c.len_utf8()),
                ));
            }
        };
        out.push(ch);
        Ok(i + 2)
    }

    /// A `\uXXXX` escape at `i`, or a surrogate pair of them.
    fn unicode_escape(&self, i: usize, out: &mut String) -> Result<usize, ParseError> {
        let Some(unit) = self.hex4(i + 2) else {
            // Show at most the four characters that should have been hex digits.
            let shown = 2 + self.text[i + 2..]
                .chars()
                .take(4)
                .take_while(|&c| c != '"' && c != '\\' && c >= ' ')
                .map(char::len_utf8)
                .sum::<usize>();
            return Err(ParseError::new(
                format!("invalid unicode escape `{}`", &self.text[i..i + shown]),
                Span::new(i, i + shown),
            ));
        };
        let (ch, end) = match unit {
            // A high surrogate must be followed by an escaped low one.
            0xD800..=0xDBFF => match (self.bytes.get(i + 6..i + 8), self.hex4(i + 8)) {
                (Some(b"\\u"), Some(low @ 0xDC00..=0xDFFF)) => (
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)),
                    i + 12,
                ),
                _ => (None, i + 6),
            },
            // A low surrogate on its own yields `None`.
            _ => (char::from_u32(unit), i + 6),
        };
        match ch {
            Some(ch) => {
                out.push(ch);
                Ok(end)
            }
            None => Err(ParseError::new(
                format!("lone surrogate `{}`", &self.text[i..i + 6]),
                Span::new(i, i + 6),
            )),
        }
    }

    /// Four hex digits at `at`.
    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits.iter().try_fold(0, |acc, &b| {
            let digit = (b as char).to_digit(16)?;
            Some(acc * 16 + digit)
        })
    }

    fn skip_ws(&self, mut pos: usize) -> usize {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(pos) {
            pos += 1;
        }
        pos
    }

    /// "{expected}, found …" at `pos`, or "unexpected end of input" there.
    fn unexpected(&self, pos: usize, expected: &str) -> ParseError {
        if pos >= self.bytes.len() {
            let end = self.bytes.len();
            return ParseError::new("unexpected end of input", Span::new(end, end));
        }
        let (found, span) = self.token(pos);
        ParseError::new(format!("{expected}, found {found}"), span)
    }

    /// What stands at `pos` (a character boundary before the end), for a
    /// message, and its span: a whole word for a letter, else one character.
    fn token(&self, pos: usize) -> (String, Span) {
        let rest = &self.text[pos..];
        if rest.as_bytes()[0].is_ascii_alphabetic() {
            // Enough of the word to recognise it, however long it is.
            let len = rest
                .bytes()
                .take(40)
                .take_while(|b| is_word_byte(*b))
                .count();
            return (format!("`{}`", &rest[..len]), Span::new(pos, pos + len));
        }
        let c = rest.chars().next().unwrap_or_default();
        let found = if c.is_control() || c.is_whitespace() || c == '\u{FEFF}' {
            format!("U+{:04X}", c as u32)
        } else if c == '`' {
            "`` ` ``".to_owned()
        } else {
            format!("`{c}`")
        };
        (found, Span::new(pos, pos + c.len_utf8()))
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn unterminated(start: usize) -> ParseError {
    ParseError::new("unterminated string", Span::new(start, start + 1))
}

fn control_character(b: u8, at: usize) -> ParseError {
    ParseError::new(
        format!("unescaped control character U+{b:04X} in string"),
        Span::new(at, at + 1),
    )
}

/// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`, the whole of `s`.
fn is_json_number(s: &[u8]) -> bool {
    let digits = |i: &mut usize| {
        let from = *i;
        while s.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    let mut i = usize::from(s.first() == Some(&b'-'));
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if let Some(b'e' | b'E') = s.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = s.get(i) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == s.len()
}

#[cfg(test)]
mod parse_tests {
    use super::*;
    use proptest::prelude::*;

    /// `parse(text).to_json()`, minified by serde_json.
    fn minified(text: &str) -> String {
        let node = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        serde_json::to_string(&node.to_json()).unwrap()
    }

    fn error(text: &str) -> (String, std::ops::Range<usize>) {
        let e = parse(text).expect_err(text);
        (e.message, e.span.start..e.span.end)
    }

    #[test]
    fn round_trips_keep_lexemes_order_and_duplicates() {
        let cases = [
            ("null", "null"),
            (" true ", "true"),
            ("\n\tfalse\r\n", "false"),
            ("0", "0"),
            (
                "[1e3, -2.5E-3, -0, 1.50, 0.0e+0, 1E-0, 12345678901234567890123]",
                "[1e3,-2.5E-3,-0,1.50,0.0e+0,1E-0,12345678901234567890123]",
            ),
            ("{}", "{}"),
            ("[]", "[]"),
            ("[ { } , [ ] , [[]] ]", "[{},[],[[]]]"),
            (r#"{ "b": 1, "a": 2, "b": 3 }"#, r#"{"b":1,"a":2,"b":3}"#),
            (
                r#"{"a": {"x": null, "x": [true, false]}, "a": ""}"#,
                r#"{"a":{"x":null,"x":[true,false]},"a":""}"#,
            ),
            (r#""héllo wörld ✓ 😀""#, r#""héllo wörld ✓ 😀""#),
            (
                r#""q\" b\\ n\n t\t r\r b\b f\f c\u0001 \u001f""#,
                r#""q\" b\\ n\n t\t r\r b\b f\f c\u0001 \u001f""#,
            ),
            (
                r#"{"ключ": ["значение", 1.0]}"#,
                r#"{"ключ":["значение",1.0]}"#,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(minified(text), expected, "{text:?}");
        }
    }

    #[test]
    fn escapes_are_decoded() {
        let cases = [
            (r#""\u00e9\u00E9""#, "éé"),
            (r#""\/""#, "/"),
            (r#""\ud83d\ude00""#, "😀"),
            (r#""\uD83D\uDE00x""#, "😀x"),
            (r#""a\u0000b""#, "a\0b"),
            (r#""\uffff\u0041""#, "\u{ffff}A"),
            (r#""""#, ""),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse(text).unwrap().value,
                NodeValue::String(expected.into()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn spans_of_nodes_and_keys() {
        // `é` is two bytes (12..14), so everything after it is one further on.
        let text = r#" {"a": [1, "é"], "b" : null, "a":-0} "#;
        let node = parse(text).unwrap();
        assert_eq!(node.span, Span::new(1, 37));
        let NodeValue::Object(members) = &node.value else {
            panic!("{node:?}")
        };
        let keys: Vec<_> = members
            .iter()
            .map(|(k, span, v)| (k.as_str(), *span, v.span))
            .collect();
        assert_eq!(
            keys,
            [
                ("a", Span::new(2, 5), Span::new(7, 16)),
                ("b", Span::new(18, 21), Span::new(24, 28)),
                ("a", Span::new(30, 33), Span::new(34, 36)),
            ]
        );
        let NodeValue::Array(items) = &members[0].2.value else {
            panic!()
        };
        assert_eq!(items[0].span, Span::new(8, 9));
        // The string node covers its quotes and the two-byte `é`.
        assert_eq!(items[1].span, Span::new(11, 15));
        assert_eq!(&text[11..15], "\"é\"");
        assert_eq!(members[2].2.value, NodeValue::Number("-0".into()));
        assert_eq!(&text[34..36], "-0");

        let text = "[true,false,null,\"\\n\",{}]";
        let NodeValue::Array(items) = parse(text).unwrap().value else {
            panic!()
        };
        let spans: Vec<&str> = items
            .iter()
            .map(|n| &text[n.span.start..n.span.end])
            .collect();
        assert_eq!(spans, ["true", "false", "null", "\"\\n\"", "{}"]);
    }

    #[test]
    fn errors_have_messages_and_spans() {
        let cases: &[(&str, &str, std::ops::Range<usize>)] = &[
            ("", "unexpected end of input", 0..0),
            ("  \n ", "unexpected end of input", 4..4),
            ("[1,2", "unexpected end of input", 4..4),
            ("[", "unexpected end of input", 1..1),
            (r#"{"a":"#, "unexpected end of input", 5..5),
            (r#"{"a""#, "unexpected end of input", 4..4),
            (
                r#"{"a":1 ]"#,
                "expected `,` or `}` after an object member, found `]`",
                7..8,
            ),
            (
                "[1 2]",
                "expected `,` or `]` after an array element, found `2`",
                3..4,
            ),
            (
                "[1}",
                "expected `,` or `]` after an array element, found `}`",
                2..3,
            ),
            ("\"abc", "unterminated string", 0..1),
            ("[\"abc\\", "unterminated string", 1..2),
            ("[1] x", "trailing characters after the JSON value", 4..5),
            ("{} {}", "trailing characters after the JSON value", 3..4),
            ("1 2", "trailing characters after the JSON value", 2..3),
            (
                "null // comment",
                "trailing characters after the JSON value",
                5..6,
            ),
            ("01", "invalid number `01`", 0..2),
            ("-01", "invalid number `-01`", 0..3),
            ("[00]", "invalid number `00`", 1..3),
            ("+1", "invalid number `+1`", 0..2),
            (".5", "invalid number `.5`", 0..2),
            ("1.", "invalid number `1.`", 0..2),
            ("1.e3", "invalid number `1.e3`", 0..4),
            ("1e", "invalid number `1e`", 0..2),
            ("1e+", "invalid number `1e+`", 0..3),
            ("-", "invalid number `-`", 0..1),
            ("[1-2]", "invalid number `1-2`", 1..4),
            ("0x1F", "invalid number `0x1F`", 0..4),
            ("-Infinity", "invalid number `-Infinity`", 0..9),
            ("NaN", "expected a JSON value, found `NaN`", 0..3),
            ("Infinity", "expected a JSON value, found `Infinity`", 0..8),
            ("[True]", "expected a JSON value, found `True`", 1..5),
            ("nul", "expected a JSON value, found `nul`", 0..3),
            ("nulls", "expected a JSON value, found `nulls`", 0..5),
            ("'a'", "expected a JSON value, found `'`", 0..1),
            ("// c\n1", "expected a JSON value, found `/`", 0..1),
            ("/* c */ 1", "expected a JSON value, found `/`", 0..1),
            ("]", "expected a JSON value, found `]`", 0..1),
            ("[,1]", "expected a JSON value, found `,`", 1..2),
            ("[é]", "expected a JSON value, found `é`", 1..3),
            ("[\u{a0}1]", "expected a JSON value, found U+00A0", 1..3),
            ("[\u{c}1]", "expected a JSON value, found U+000C", 1..2),
            ("[`]", "expected a JSON value, found `` ` ``", 1..2),
            ("[1,]", "trailing comma before `]`", 2..3),
            ("[1 , ]", "trailing comma before `]`", 3..4),
            (r#"{"a":1,}"#, "trailing comma before `}`", 6..7),
            ("{a:1}", "expected a string key or `}`, found `a`", 1..2),
            ("{1:1}", "expected a string key or `}`, found `1`", 1..2),
            ("{,}", "expected a string key or `}`, found `,`", 1..2),
            (r#"{"a":1, 2}"#, "expected a string key, found `2`", 8..9),
            (
                r#"{"a" 1}"#,
                "expected `:` after an object key, found `1`",
                5..6,
            ),
            (
                r#"{"a"=1}"#,
                "expected `:` after an object key, found `=`",
                4..5,
            ),
            (r#"{"a":}"#, "expected a JSON value, found `}`", 5..6),
            (
                "\"a\nb\"",
                "unescaped control character U+000A in string",
                2..3,
            ),
            (
                "\"\t\"",
                "unescaped control character U+0009 in string",
                1..2,
            ),
            (
                "\"a\u{0}\"",
                "unescaped control character U+0000 in string",
                2..3,
            ),
            (
                "\"\u{1f}\"",
                "unescaped control character U+001F in string",
                1..2,
            ),
            (
                "\"\\\n\"",
                "unescaped control character U+000A in string",
                2..3,
            ),
            (r#""\x""#, "invalid escape `\\x`", 1..3),
            (r#""\'""#, "invalid escape `\\'`", 1..3),
            ("\"\\é\"", "invalid escape `\\é`", 1..4),
            (r#""\u12G4""#, "invalid unicode escape `\\u12G4`", 1..7),
            (r#""\u12""#, "invalid unicode escape `\\u12`", 1..5),
            (r#""\U0041""#, "invalid escape `\\U`", 1..3),
            ("\"\\u", "invalid unicode escape `\\u`", 1..3),
            ("\"\\u00é\"", "invalid unicode escape `\\u00é`", 1..7),
            (r#""\ud800""#, "lone surrogate `\\ud800`", 1..7),
            (r#""\uDBFF""#, "lone surrogate `\\uDBFF`", 1..7),
            (r#""\udc00""#, "lone surrogate `\\udc00`", 1..7),
            (r#""x\ud800\u0041""#, "lone surrogate `\\ud800`", 2..8),
            (r#""\ud800\ud800""#, "lone surrogate `\\ud800`", 1..7),
            (r#""\ud800x""#, "lone surrogate `\\ud800`", 1..7),
            ("\"\\ud800", "lone surrogate `\\ud800`", 1..7),
            (r#""\ude00\ud83d""#, "lone surrogate `\\ude00`", 1..7),
            (
                "\u{feff}{}",
                "unexpected byte order mark (U+FEFF) at the start of the input",
                0..3,
            ),
            ("[\u{feff}]", "expected a JSON value, found U+FEFF", 1..4),
        ];
        for (text, message, span) in cases {
            assert_eq!(error(text), (message.to_string(), span.clone()), "{text:?}");
        }
    }

    #[test]
    fn long_words_are_shortened_in_messages() {
        let text = format!("[{}]", "x".repeat(10_000));
        assert_eq!(
            error(&text),
            (
                format!("expected a JSON value, found `{}`", "x".repeat(40)),
                1..41
            )
        );
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn nesting_up_to_the_limit_is_accepted() {
        assert_eq!(MAX_JSON_DEPTH, 256);
        let text = nested(256);
        let mut node = parse(&text).unwrap();
        assert_eq!(node.span, Span::new(0, 512));
        let mut depth = 1;
        while let NodeValue::Array(mut items) = node.value {
            let Some(inner) = items.pop() else { break };
            node = inner;
            depth += 1;
        }
        assert_eq!(depth, 256);
        assert_eq!(minified(&text), text);

        let objects = format!("{}1{}", r#"{"a": "#.repeat(256), "}".repeat(256));
        assert!(parse(&objects).is_ok());
    }

    #[test]
    fn nesting_past_the_limit_points_at_the_bracket() {
        let message = "nesting deeper than 256 levels".to_string();
        assert_eq!(error(&nested(257)), (message.clone(), 256..257));
        let mixed = format!("{}{{}}{}", "[".repeat(256), "]".repeat(256));
        assert_eq!(error(&mixed), (message.clone(), 256..257));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(257), "}".repeat(257));
        assert_eq!(error(&objects), (message.clone(), 5 * 256..5 * 256 + 1));
        // A million brackets: the error, not a stack overflow.
        assert_eq!(error(&"[".repeat(1_000_000)), (message.clone(), 256..257));
        assert_eq!(error(&nested(1_000_000)), (message.clone(), 256..257));
        let objects = r#"{"a":"#.repeat(1_000_000);
        assert_eq!(error(&objects), (message, 5 * 256..5 * 256 + 1));
    }

    #[test]
    fn a_megabyte_parses_whole() {
        let item = r#"{"id": 12345, "name": "caf\u00e9 \"x\" — plain text here", "tags": ["a", "b"], "ok": true, "n": -1.5e-3},"#;
        let count = 1_000_000 / item.len() + 1;
        let mut text = String::with_capacity(count * item.len() + 2);
        text.push('[');
        for _ in 0..count {
            text.push_str(item);
        }
        text.pop();
        text.push(']');
        assert!(text.len() > 1_000_000);
        let node = parse(&text).unwrap();
        let NodeValue::Array(items) = &node.value else {
            panic!()
        };
        assert_eq!(items.len(), count);
        assert_eq!(
            items[count - 1].to_json().get("name"),
            Some(&Json::String("café \"x\" — plain text here".into()))
        );

        // One 1 MB string, with and without escapes.
        let long = format!("\"{}\"", "é\\n".repeat(350_000));
        assert!(long.len() > 1_000_000);
        let NodeValue::String(s) = parse(&long).unwrap().value else {
            panic!()
        };
        assert_eq!(s.len(), 3 * 350_000);
    }

    const TOKENS: &[&str] = &[
        "[", "]", "{", "}", ",", ":", " ", "\n", "\"a\"", "\"é\"", "\"", "\\", "\\u", "d800",
        "dc00", "00e9", "1", "0", "-", ".", "e", "+", "true", "nul", "x", "é", "\u{feff}", "\t",
        "\u{1}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_F10C), ..ProptestConfig::default() })]

        /// Accepts exactly what serde_json accepts, and every error span lies
        /// inside the text on character boundaries, non-empty unless at the end.
        #[test]
        fn agrees_with_serde_json(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..16)) {
            let text = tokens.concat();
            let ours = parse(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", text, ours, theirs);
            match ours {
                Ok(node) => {
                    let ours: serde_json::Value =
                        serde_json::from_str(&serde_json::to_string(&node.to_json()).unwrap()).unwrap();
                    prop_assert_eq!(ours, theirs.unwrap());
                }
                Err(e) => {
                    let Span { start, end } = e.span;
                    prop_assert!(start <= end && end <= text.len());
                    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                    prop_assert!(start < end || start == text.len(), "{:?}: {:?}", text, e);
                    prop_assert!(!e.message.ends_with('.'));
                }
            }
        }
    }
}

/// Writes JSON text exactly as serde_json's compact or pretty printer does
/// (two-space indent, `": "`, `{}` and `[]` when empty, the same string
/// escapes), straight into a string: the emitter's hot path, with no tree of
/// serde calls in between and number lexemes written as they are.
pub(crate) struct Writer {
    pub out: String,
    pretty: bool,
    depth: usize,
    /// Whether the innermost open container has a member yet.
    has_value: bool,
}

/// Something that writes itself as JSON.
pub(crate) trait WriteJson {
    fn write_json(&self, w: &mut Writer);
}

impl Writer {
    pub fn new(pretty: bool, capacity: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            pretty,
            depth: 0,
            has_value: false,
        }
    }

    fn indent(&mut self) {
        // One copy for the usual depths rather than one per level.
        const SPACES: &str = "                                                                ";
        let mut width = 2 * self.depth;
        while width > 0 {
            let n = width.min(SPACES.len());
            self.out.push_str(&SPACES[..n]);
            width -= n;
        }
    }

    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.depth += 1;
        self.has_value = false;
    }

    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        if self.has_value && self.pretty {
            self.out.push('\n');
            self.indent();
        }
        self.out.push(bracket);
        // The container just closed is a value of the one around it.
        self.has_value = true;
    }

    /// Starts a member or an element.
    fn next_item(&mut self) {
        if self.has_value {
            self.out.push(',');
        }
        if self.pretty {
            self.out.push('\n');
            self.indent();
        }
    }

    pub fn begin_object(&mut self) {
        self.open('{');
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) {
        self.open('[');
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Writes `key` and the separator; the value follows.
    pub fn key(&mut self, key: &str) {
        self.next_item();
        self.string(key);
        self.out.push_str(if self.pretty { ": " } else { ":" });
        self.has_value = false;
    }

    /// Starts an array element; the value follows.
    pub fn element(&mut self) {
        self.next_item();
        self.has_value = false;
    }

    /// Marks the end of a member's or element's value.
    fn done(&mut self) {
        self.has_value = true;
    }

    pub fn string(&mut self, s: &str) {
        self.out.push('"');
        let bytes = s.as_bytes();
        let mut start = 0;
        // Copy runs of plain bytes whole; stop only where an escape goes.
        while let Some(i) = find_special(bytes, start) {
            self.out.push_str(&s[start..i]);
            let b = bytes[i];
            match b {
                b'"' => self.out.push_str("\\\""),
                b'\\' => self.out.push_str("\\\\"),
                b'\n' => self.out.push_str("\\n"),
                b'\r' => self.out.push_str("\\r"),
                b'\t' => self.out.push_str("\\t"),
                0x08 => self.out.push_str("\\b"),
                0x0c => self.out.push_str("\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.push_str("\\u00");
                    self.out.push(HEX[(b >> 4) as usize] as char);
                    self.out.push(HEX[(b & 0xf) as usize] as char);
                }
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
        self.done();
    }

    /// A number, or any JSON text that needs no escaping, as it is.
    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
        self.done();
    }

    /// `key` then a string value.
    pub fn string_member(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    /// `key` then any value.
    pub fn member(&mut self, key: &str, value: &impl WriteJson) {
        self.key(key);
        value.write_json(self);
        self.done();
    }

    /// An array of values.
    pub fn array<T: WriteJson>(&mut self, items: &[T]) {
        self.begin_array();
        for item in items {
            self.element();
            item.write_json(self);
            self.done();
        }
        self.end_array();
    }

    /// The text with the trailing newline flowc always writes.
    pub fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }
}

impl WriteJson for Json {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Json::Null => w.raw("null"),
            Json::Bool(b) => w.raw(if *b { "true" } else { "false" }),
            Json::Number(n) => w.raw(n),
            Json::String(s) => w.string(s),
            Json::Array(items) => w.array(items),
            Json::Object(members) => {
                w.begin_object();
                for (key, value) in members {
                    w.member(key, value);
                }
                w.end_object();
            }
        }
    }
}

#[cfg(test)]
mod writer_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn deep_nesting_is_indented_as_serde_json_does() {
        // Deeper than the writer's block of spaces (32 levels).
        let mut v = Json::String("x".into());
        for _ in 0..40 {
            v = Json::Array(vec![v]);
        }
        let mut w = Writer::new(true, 0);
        v.write_json(&mut w);
        assert_eq!(w.finish(), serde_json::to_string_pretty(&v).unwrap() + "\n");
    }

    fn value() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(|n| Json::Number(n.to_string())),
            any::<String>().prop_map(Json::String),
            "[\\u{0}-\\u{20}\"\\\\a-z\\u{7f}é😀]{0,8}".prop_map(Json::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                prop::collection::vec(("[a-z\"]{0,3}", inner), 0..4).prop_map(Json::Object),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_F10C), ..ProptestConfig::default() })]

        #[test]
        fn finds_the_first_special_byte_as_a_byte_loop_does(
            s in "[\\u{0}-\\u{21}\"\\\\#-\\[\\]-~\\u{7f}é😀]{0,40}",
            from in 0usize..48,
        ) {
            let bytes = s.as_bytes();
            let from = from.min(bytes.len());
            let naive = bytes[from..].iter().position(|&b| special(b)).map(|at| from + at);
            prop_assert_eq!(find_special(bytes, from), naive);
        }

        #[test]
        fn writes_what_serde_json_writes(v in value()) {
            for pretty in [false, true] {
                let mut w = Writer::new(pretty, 0);
                v.write_json(&mut w);
                let expected = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) };
                prop_assert_eq!(w.finish(), expected.unwrap() + "\n");
            }
        }
    }
}
