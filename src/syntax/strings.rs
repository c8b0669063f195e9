//! String and text-block decoding: escapes (E102), indentation (E101) and references in text (E103).
//!
//! Decoding keeps, for every character, the source bytes it came from and
//! whether it was escaped, so that a reference found in the decoded text
//! still points at its exact place in the file, and `\<<` stays literal.

use crate::ast::{Piece, Reference};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// One decoded character and where it came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Char {
    ch: char,
    span: Span,
    /// Written as `\<` or `\{`: never opens a reference.
    escaped: bool,
}

/// A run of raw source text to decode, starting at byte `offset`.
pub(crate) struct Chunk<'a> {
    pub offset: usize,
    pub text: &'a str,
}

/// Decoded text, ready to be read as plain text or as a template.
pub(crate) enum Decoded<'a> {
    /// Source text with no escape in it: it is its own value (most strings).
    Verbatim {
        offset: usize,
        text: &'a str,
    },
    Chars(Vec<Char>),
}

/// Decodes the body of a string (between its quotes).
pub(crate) fn decode_string<'a>(
    offset: usize,
    inner: &'a str,
    diags: &mut Vec<Diagnostic>,
) -> Decoded<'a> {
    if !inner.contains('\\') {
        return Decoded::Verbatim {
            offset,
            text: inner,
        };
    }
    let mut chars = Vec::with_capacity(inner.len());
    decode_chunk(offset, inner, &mut chars, diags);
    Decoded::Chars(chars)
}

/// Decodes a text block from its raw content lines and the closing line's
/// indentation (SPEC §2).
pub(crate) fn decode_text_block(
    lines: &[Chunk<'_>],
    indent: &str,
    diags: &mut Vec<Diagnostic>,
) -> Decoded<'static> {
    let mut chars = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            // The line break itself: point at the end of the previous line.
            let at = lines[i - 1].offset + lines[i - 1].text.len();
            chars.push(Char {
                ch: '\n',
                span: Span::new(at, at),
                escaped: false,
            });
        }
        let text = line.text;
        if text.chars().all(|c| c == ' ' || c == '\t') {
            continue;
        }
        if let Some(rest) = text.strip_prefix(indent) {
            decode_chunk(line.offset + indent.len(), rest, &mut chars, diags);
        } else {
            let written = text.len() - text.trim_start_matches([' ', '\t']).len();
            // With no indentation at all, point at the line's first character,
            // whole: a one-byte span could end inside a multi-byte one.
            let shown = if written > 0 {
                written
            } else {
                text.chars().next().map_or(0, char::len_utf8)
            };
            diags.push(
                Diagnostic::new(
                    Code::E101,
                    Span::new(line.offset, line.offset + shown),
                    "text block line is indented less than its closing `\"\"\"`",
                )
                .with_label(format!(
                    "indented {} columns; the closing `\"\"\"` is at {}",
                    written,
                    indent.chars().count()
                ))
                .with_help("indent every line at least as far as the closing `\"\"\"`, with the same mix of tabs and spaces"),
            );
            decode_chunk(line.offset + written, &text[written..], &mut chars, diags);
        }
    }
    Decoded::Chars(chars)
}

fn decode_chunk(offset: usize, text: &str, out: &mut Vec<Char>, all: &mut Vec<Diagnostic>) {
    // One bad escape reported per string or line: more would flood.
    let mut found = Vec::new();
    decode_escapes(offset, text, out, &mut found);
    all.extend(found.into_iter().take(1));
}

fn decode_escapes(offset: usize, text: &str, out: &mut Vec<Char>, diags: &mut Vec<Diagnostic>) {
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let start = offset + i;
        if c != '\\' {
            out.push(Char {
                ch: c,
                span: Span::new(start, start + c.len_utf8()),
                escaped: false,
            });
            continue;
        }
        let Some((_, e)) = iter.next() else {
            diags.push(
                Diagnostic::new(
                    Code::E102,
                    Span::new(start, start + 1),
                    "`\\` at the end of a line",
                )
                .with_label("escapes nothing")
                .with_help("write `\\\\` for a backslash"),
            );
            break;
        };
        let end = start + 1 + e.len_utf8();
        let simple = match e {
            '"' => Some(('"', false)),
            '\\' => Some(('\\', false)),
            '/' => Some(('/', false)),
            'b' => Some(('\u{8}', false)),
            'f' => Some(('\u{c}', false)),
            'n' => Some(('\n', false)),
            'r' => Some(('\r', false)),
            't' => Some(('\t', false)),
            '<' => Some(('<', true)),
            '{' => Some(('{', true)),
            _ => None,
        };
        if let Some((ch, escaped)) = simple {
            out.push(Char {
                ch,
                span: Span::new(start, end),
                escaped,
            });
            continue;
        }
        if e != 'u' {
            diags.push(
                Diagnostic::new(Code::E102, Span::new(start, end), format!("invalid escape `\\{e}`"))
                    .with_label("unknown escape")
                    .with_help("write `\\\\` for a backslash; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX \\< \\{"),
            );
            continue;
        }
        let Some(high) = hex4(text, i + 2) else {
            let shown = text[i..].chars().take(6).collect::<String>();
            diags.push(
                Diagnostic::new(
                    Code::E102,
                    Span::new(start, start + shown.len()),
                    format!("invalid unicode escape `{shown}`"),
                )
                .with_label("needs four hex digits")
                .with_help("write exactly four hex digits: `\\u00e9`"),
            );
            continue;
        };
        skip(&mut iter, 4);
        let mut span = Span::new(start, start + 6);
        let ch = if (0xD800..0xDC00).contains(&high) {
            // A high surrogate must be followed by an escaped low one.
            match text
                .get(i + 6..i + 8)
                .filter(|s| *s == "\\u")
                .and(hex4(text, i + 8))
            {
                Some(low) if (0xDC00..0xE000).contains(&low) => {
                    skip(&mut iter, 6);
                    span.end += 6;
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                _ => None,
            }
        } else {
            char::from_u32(high)
        };
        match ch {
            Some(ch) => out.push(Char { ch, span, escaped: false }),
            None => diags.push(
                Diagnostic::new(Code::E102, span, format!("lone surrogate `{}`", &text[i..i + 6]))
                    .with_label("not part of a surrogate pair")
                    .with_help("a high surrogate (\\uD800-\\uDBFF) must be followed by a low one (\\uDC00-\\uDFFF)"),
            ),
        }
    }
}

fn hex4(text: &str, at: usize) -> Option<u32> {
    let digits = text.get(at..at + 4)?;
    if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(digits, 16).ok()
    } else {
        None
    }
}

fn skip(iter: &mut impl Iterator, n: usize) {
    for _ in 0..n {
        iter.next();
    }
}

impl Decoded<'_> {
    /// The text as plain data: escapes resolved, nothing read as a reference.
    pub fn plain(&self) -> String {
        match self {
            Decoded::Verbatim { text, .. } => text.to_string(),
            Decoded::Chars(chars) => chars.iter().map(|c| c.ch).collect(),
        }
    }

    /// The text as a template: `<<a.b>>` and `{{a.b}}` become references.
    pub fn template(&self, diags: &mut Vec<Diagnostic>) -> Vec<Piece> {
        let owned;
        let chars = match self {
            Decoded::Verbatim { text, .. } if !text.contains("<<") && !text.contains("{{") => {
                return vec![Piece::Text(text.to_string())];
            }
            Decoded::Verbatim { offset, text } => {
                owned = text
                    .char_indices()
                    .map(|(i, ch)| Char {
                        ch,
                        span: Span::new(offset + i, offset + i + ch.len_utf8()),
                        escaped: false,
                    })
                    .collect::<Vec<_>>();
                &owned
            }
            Decoded::Chars(chars) => chars,
        };
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut reported = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let close = match c.ch {
                '<' => '>',
                '{' => '}',
                _ => '\0',
            };
            let opens = close != '\0'
                && !c.escaped
                && chars.get(i + 1).is_some_and(|n| n.ch == c.ch && !n.escaped);
            if !opens {
                text.push(c.ch);
                i += 1;
                continue;
            }
            match read_reference(chars, i, close) {
                Ok((reference, next)) => {
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Ref(reference));
                    i = next;
                }
                Err(diag) => {
                    // One per string: the rest of a string like `<<<<…`
                    // would otherwise flood the report.
                    if !reported {
                        diags.push(diag);
                        reported = true;
                    }
                    text.push(c.ch);
                    text.push(c.ch);
                    i += 2;
                }
            }
        }
        if !text.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Text(text));
        }
        pieces
    }
}

fn is_segment_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Reads the reference opened at `open` (two marker characters); returns it
/// and the index just past its closing marker.
fn read_reference(
    chars: &[Char],
    open: usize,
    close: char,
) -> Result<(Reference, usize), Diagnostic> {
    let opener: String = [chars[open].ch; 2].iter().collect();
    let closer: String = [close; 2].iter().collect();
    let open_span = chars[open].span.to(chars[open + 1].span);
    let malformed = |span: Span, label: &str| {
        Diagnostic::new(Code::E103, span, format!("`{opener}` does not open a well-formed reference"))
            .with_label(label.to_string())
            .with_help(format!(
                "a reference is `{opener}step.output.field{closer}`; for a literal `{opener}` write `\\{}{}`",
                chars[open].ch, chars[open].ch
            ))
    };
    let is_space = |c: &Char| c.ch == ' ' || c.ch == '\t';
    let mut i = open + 2;
    while chars.get(i).is_some_and(is_space) {
        i += 1;
    }
    let mut segments = Vec::new();
    loop {
        let start = i;
        while chars.get(i).is_some_and(|c| is_segment_char(c.ch)) {
            i += 1;
        }
        if i == start {
            let span = chars.get(i).map_or(open_span, |c| open_span.to(c.span));
            return Err(malformed(span, "expected a path segment here"));
        }
        segments.push(chars[start..i].iter().map(|c| c.ch).collect::<String>());
        // Whitespace may only stand just before the closing marker.
        let mut j = i;
        while chars.get(j).is_some_and(is_space) {
            j += 1;
        }
        match chars.get(j) {
            Some(c) if c.ch == '.' => {
                if j != i || chars.get(j + 1).is_some_and(is_space) {
                    let span = chars[i].span.to(chars.get(j + 1).unwrap_or(&chars[j]).span);
                    return Err(Diagnostic::new(Code::E103, span, "whitespace inside a reference path")
                        .with_label("remove this space")
                        .with_help("only the ends of a reference may have spaces: `<< a.b >>`, not `<<a . b>>`"));
                }
                i = j + 1;
            }
            Some(c) if c.ch == close && chars.get(j + 1).is_some_and(|n| n.ch == close) => {
                if segments.len() < 2 {
                    let span = open_span.to(chars[j + 1].span);
                    return Err(malformed(span, "a reference needs at least two segments"));
                }
                let span = open_span.to(chars[j + 1].span);
                return Ok((Reference { segments, span }, j + 2));
            }
            Some(c) => {
                let span = open_span.to(c.span);
                let label = if is_space(&chars[j - 1]) {
                    "whitespace inside a reference path"
                } else {
                    "unexpected character in a reference"
                };
                return Err(malformed(span, label));
            }
            None => {
                let last = chars.last().map_or(open_span, |c| c.span);
                return Err(malformed(
                    open_span.to(last),
                    &format!("no closing `{closer}`"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(src: &str) -> (Vec<Piece>, Vec<(Code, Span)>) {
        let mut diags = Vec::new();
        let pieces = decode_string(0, src, &mut diags).template(&mut diags);
        (pieces, diags.iter().map(|d| (d.code, d.span)).collect())
    }

    fn r(segments: &[&str], start: usize, end: usize) -> Piece {
        Piece::Ref(Reference {
            segments: segments.iter().map(|s| s.to_string()).collect(),
            span: Span::new(start, end),
        })
    }

    fn t(s: &str) -> Piece {
        Piece::Text(s.to_string())
    }

    #[test]
    fn references_and_their_spans() {
        assert_eq!(
            template("a <<x.y>> b"),
            (vec![t("a "), r(&["x", "y"], 2, 9), t(" b")], vec![])
        );
        assert_eq!(
            template("{{ x.output.y }}"),
            (vec![r(&["x", "output", "y"], 0, 16)], vec![])
        );
        assert_eq!(
            template("<<3f-2a.output.0>>").0,
            vec![r(&["3f-2a", "output", "0"], 0, 18)]
        );
    }

    #[test]
    fn escaped_markers_stay_literal() {
        assert_eq!(
            template(r"\<<name>> \{{name}}"),
            (vec![t("<<name>> {{name}}")], vec![])
        );
        // The escaped `<` is text; the two after it open a reference.
        assert_eq!(
            template(r"\<<<a.b>>"),
            (vec![t("<"), r(&["a", "b"], 2, 9)], vec![])
        );
        assert_eq!(template(r"x\<<y"), (vec![t("x<<y")], vec![]));
    }

    #[test]
    fn malformed_references() {
        assert_eq!(template("<<a . b>>").1, vec![(Code::E103, Span::new(3, 6))]);
        assert_eq!(template("<<a>>").1, vec![(Code::E103, Span::new(0, 5))]);
        assert_eq!(template("<<a.b").1, vec![(Code::E103, Span::new(0, 5))]);
        assert_eq!(template("{{#each}}").1, vec![(Code::E103, Span::new(0, 3))]);
        assert_eq!(template("a < b > c << d").1.len(), 1);
        assert_eq!(template("a < b > c").1, vec![]);
    }

    #[test]
    fn escapes() {
        let mut diags = Vec::new();
        let d = decode_string(0, r#"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00"#, &mut diags);
        assert_eq!(d.plain(), "q\" \\ / \u{8}\u{c}\n\r\t é 😀");
        assert!(diags.is_empty());
        let d = decode_string(10, r"a\qb \ud800x \u12", &mut diags);
        assert_eq!(d.plain(), "ab x 12");
        // One per string: the first.
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.span)).collect();
        assert_eq!(found, vec![(Code::E102, Span::new(11, 13))]);
        for (text, span) in [
            (r"x \ud800x", Span::new(12, 18)),
            (r"x \u12", Span::new(12, 16)),
        ] {
            diags.clear();
            decode_string(10, text, &mut diags);
            let found: Vec<_> = diags.iter().map(|d| (d.code, d.span)).collect();
            assert_eq!(found, vec![(Code::E102, span)], "{text}");
        }
    }

    #[test]
    fn text_block_indentation() {
        let mut diags = Vec::new();
        let lines = [
            Chunk {
                offset: 0,
                text: "    Owner",
            },
            Chunk {
                offset: 10,
                text: "      deeper",
            },
            Chunk {
                offset: 23,
                text: "  ",
            },
            Chunk {
                offset: 26,
                text: "    end",
            },
        ];
        assert_eq!(
            decode_text_block(&lines, "    ", &mut diags).plain(),
            "Owner\n  deeper\n\nend"
        );
        assert!(diags.is_empty());
        let lines = [
            Chunk {
                offset: 0,
                text: "\tx",
            },
            Chunk {
                offset: 3,
                text: "  y",
            },
        ];
        assert_eq!(decode_text_block(&lines, "\t", &mut diags).plain(), "x\ny");
        assert_eq!(
            diags.iter().map(|d| (d.code, d.span)).collect::<Vec<_>>(),
            vec![(Code::E101, Span::new(3, 5))]
        );
    }
}
