//! A linear lexical pre-scan: comments, unterminated literals (E101) and nesting depth (E108).
//!
//! It runs before the PEG parser so that no input can make the parser's
//! recursion deep: the depth of SPEC §6 (E108) is computed here without
//! recursion, from a light token stream. It also collects every comment,
//! which the grammar's `WHITESPACE` rule takes in silently.

use crate::ast::Comment;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

/// Deepest nesting allowed (SPEC §6, E108).
pub const MAX_DEPTH: i64 = 64;

pub(crate) struct Scan {
    pub comments: Vec<Comment>,
    /// An E101 (an unterminated text block or block comment) or E108 that
    /// stops the file's later checks.
    pub fatal: Option<Diagnostic>,
    /// Errors that do not stop the file: strings left open at the end of
    /// their line (E101), which the lexer ends there.
    pub errors: Vec<Diagnostic>,
    /// Where each statement of the workflow body starts (by its keyword),
    /// and the offset of the workflow's closing brace: the seams along
    /// which the body is parsed in runs (see `syntax::parse_runs`).
    pub top_level: Vec<usize>,
    pub workflow_close: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// An identifier, keyword, name, path or number, and which of the words
    /// the nesting depends on it is (read once, here, rather than compared
    /// as text for every rule of [`Depth::token`]).
    Word(Kw),
    /// A string or text block.
    Str,
    /// A string left open at the end of its line (already an E101).
    OpenStr,
    Open(u8),
    Close,
    Colon,
    Comma,
    /// `!` alone (not `!=`).
    Bang,
    /// `&&` or `||`.
    Junction,
    /// Any other operator or character.
    Other,
}

/// The words [`Depth`] looks at; any other word is `Kw::Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    If,
    Else,
    Block,
    Branch,
    Not,
    In,
    And,
    Or,
    Step,
    Raw,
    Workflow,
    Description,
    Trigger,
    When,
    Constraints,
    EditorState,
    Other,
}

impl Kw {
    fn of(word: &[u8]) -> Kw {
        // By length first: most words are ids and names, and fail at once.
        match word.len() {
            2 => match word {
                b"if" => Kw::If,
                b"in" => Kw::In,
                b"or" => Kw::Or,
                _ => Kw::Other,
            },
            3 => match word {
                b"not" => Kw::Not,
                b"and" => Kw::And,
                b"raw" => Kw::Raw,
                _ => Kw::Other,
            },
            4 => match word {
                b"else" => Kw::Else,
                b"step" => Kw::Step,
                b"when" => Kw::When,
                _ => Kw::Other,
            },
            5 if word == b"block" => Kw::Block,
            6 if word == b"branch" => Kw::Branch,
            7 if word == b"trigger" => Kw::Trigger,
            8 if word == b"workflow" => Kw::Workflow,
            11 => match word {
                b"description" => Kw::Description,
                b"constraints" => Kw::Constraints,
                _ => Kw::Other,
            },
            12 if word == b"editor_state" => Kw::EditorState,
            _ => Kw::Other,
        }
    }
}

pub(crate) fn scan(src: &str) -> Scan {
    let mut lexer = Lexer::new(src);
    let mut depth = Depth::new();
    // Two tokens of lookahead: `not in (` is a `not` before a call of `in`.
    let mut pending: Option<(Tok, Span)> = lexer.next();
    let mut next = lexer.next();
    while let Some((tok, span)) = pending {
        let after = lexer.next();
        if let Err(diag) = depth.token(tok, span, next.map(|n| n.0), after.map(|n| n.0)) {
            lexer.fatal.get_or_insert(diag);
            break;
        }
        pending = next;
        next = after;
    }
    Scan {
        comments: lexer.comments,
        fatal: lexer.fatal,
        errors: lexer.errors,
        top_level: depth.top_level,
        workflow_close: depth.workflow_close,
    }
}

/// What the recovering parser reads: one token of the light token stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An identifier, keyword, name, path or number.
    Word,
    /// A string or text block.
    Str,
    /// A string left open at the end of its line (already an E101).
    OpenStr,
    /// `{`, `[` or `(`.
    Open(u8),
    /// `}`, `]` or `)`.
    Close(u8),
    Colon,
    Comma,
    /// An operator or any other character.
    Other,
    /// The end of the file.
    Eof,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub kind: Kind,
    pub span: Span,
}

/// The whole token stream of a file whose scan found nothing fatal, ending
/// with one [`Kind::Eof`] token.
pub(crate) fn tokens(src: &str) -> Vec<Token> {
    let mut lexer = Lexer::new(src);
    let mut out = Vec::new();
    // The brackets opened on the current line and not closed on it.
    let mut line = Vec::new();
    let mut prev_end = 0;
    while let Some((tok, span)) = lexer.next() {
        if src.as_bytes()[prev_end..span.start].contains(&b'\n') {
            line.clear();
        }
        prev_end = span.end;
        let kind = match tok {
            Tok::Word(_) => Kind::Word,
            Tok::Str => {
                // A text block ends on a line of its own.
                if src.as_bytes()[span.start..span.end].contains(&b'\n') {
                    line.clear();
                }
                Kind::Str
            }
            Tok::OpenStr => {
                swallowed_brackets(src, span, &mut line, &mut out);
                continue;
            }
            Tok::Open(b) => {
                line.push(b);
                Kind::Open(b)
            }
            Tok::Close => {
                let b = src.as_bytes()[span.start];
                if line.last() == Some(&opener(b)) {
                    line.pop();
                }
                Kind::Close(b)
            }
            Tok::Colon => Kind::Colon,
            Tok::Comma => Kind::Comma,
            Tok::Bang | Tok::Junction | Tok::Other => Kind::Other,
        };
        out.push(Token { kind, span });
    }
    out.push(Token {
        kind: Kind::Eof,
        span: Span::new(src.len(), src.len()),
    });
    out
}

/// The opening bracket a closing one closes.
pub(crate) fn opener(close: u8) -> u8 {
    match close {
        b'}' => b'{',
        b']' => b'[',
        _ => b'(',
    }
}

/// The closing bracket of an opening one.
pub(crate) fn closer(open: u8) -> char {
    match open {
        b'{' => '}',
        b'[' => ']',
        _ => ')',
    }
}

/// A string left open at `span` (it runs to the end of its line), as the
/// recovering parser reads it: the string up to the first bracket it
/// swallowed, then each bracket it swallowed as a token of its own. The
/// closing quote left out most likely belonged before such a bracket
/// (`workflow "Name {`, `{ a: "x }`), and the brackets decide how the lines
/// below are grouped; read as text, every one would be a second mistake
/// after the one already reported (E101). The words between them stay
/// unread: they are part of that one mistake. A swallowed closing bracket
/// counts only where it closes a bracket opened earlier on its line (`line`,
/// those still open there): where it does not, the quote left out is
/// elsewhere (`"T"ag raised" { tag: "x" }`), and the rest of the line stays
/// in the string.
fn swallowed_brackets(src: &str, span: Span, line: &mut Vec<u8>, out: &mut Vec<Token>) {
    let bytes = src.as_bytes();
    let mut ghosts = Vec::new();
    let mut i = span.start + 1;
    while i < span.end {
        match bytes[i] {
            // `\{` and `\[` are text.
            b'\\' => i += 1,
            b @ (b'{' | b'[' | b'(') => {
                line.push(b);
                ghosts.push(Token {
                    kind: Kind::Open(b),
                    span: Span::new(i, i + 1),
                });
            }
            b @ (b'}' | b']' | b')') => {
                if line.last() != Some(&opener(b)) {
                    break;
                }
                line.pop();
                ghosts.push(Token {
                    kind: Kind::Close(b),
                    span: Span::new(i, i + 1),
                });
            }
            _ => {}
        }
        i += 1;
    }
    let end = ghosts.first().map_or(span.end, |g| g.span.start);
    out.push(Token {
        kind: Kind::OpenStr,
        span: Span::new(span.start, end),
    });
    out.extend(ghosts);
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    comments: Vec<Comment>,
    fatal: Option<Diagnostic>,
    errors: Vec<Diagnostic>,
}

/// The bytes a word, path or number goes on with: word bytes, `.` and `+`
/// (a table: one load per byte of every word in the file).
static IN_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b'+');
        b += 1;
    }
    table
};

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src: src.as_bytes(),
            text: src,
            pos: 0,
            comments: Vec::new(),
            fatal: None,
            errors: Vec::new(),
        }
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn line_end(&self, from: usize) -> usize {
        self.src[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.src.len(), |i| from + i)
    }

    fn own_line(&self, at: usize) -> bool {
        self.src[..at]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .all(|&b| b == b' ' || b == b'\t' || b == b'\r')
    }

    fn next(&mut self) -> Option<(Tok, Span)> {
        if self.fatal.is_some() {
            return None;
        }
        loop {
            let start = self.pos;
            let b = self.peek(0);
            if start >= self.src.len() {
                return None;
            }
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    // The whole run at once: indentation is a fair part of a file.
                    self.pos += 1;
                    while matches!(self.src.get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                        self.pos += 1;
                    }
                }
                b'/' if self.peek(1) == b'/' => {
                    self.pos = self.line_end(start);
                    self.comments.push(Comment {
                        span: Span::new(start, self.pos),
                        own_line: self.own_line(start),
                        block: false,
                    });
                }
                b'/' if self.peek(1) == b'*' => {
                    let Some(close) = find(&self.src[start + 2..], b"*/") else {
                        self.fatal = Some(
                            Diagnostic::new(
                                Code::E101,
                                Span::new(start, start + 2),
                                "unterminated block comment",
                            )
                            .with_label("comment starts here")
                            .with_help("close it with `*/`; block comments do not nest"),
                        );
                        return None;
                    };
                    self.pos = start + 2 + close + 2;
                    self.comments.push(Comment {
                        span: Span::new(start, self.pos),
                        own_line: self.own_line(start),
                        block: true,
                    });
                }
                b'"' if self.peek(1) == b'"' && self.peek(2) == b'"' => {
                    return self.text_block(start).map(|s| (Tok::Str, s));
                }
                b'"' => return Some(self.string(start)),
                b'{' | b'[' | b'(' => {
                    self.pos += 1;
                    return Some((Tok::Open(b), Span::new(start, start + 1)));
                }
                b'}' | b']' | b')' => {
                    self.pos += 1;
                    return Some((Tok::Close, Span::new(start, start + 1)));
                }
                b':' => {
                    self.pos += 1;
                    return Some((Tok::Colon, Span::new(start, start + 1)));
                }
                b',' => {
                    self.pos += 1;
                    return Some((Tok::Comma, Span::new(start, start + 1)));
                }
                b'!' if self.peek(1) != b'=' => {
                    self.pos += 1;
                    return Some((Tok::Bang, Span::new(start, start + 1)));
                }
                b'&' | b'|' if self.peek(1) == b => {
                    self.pos += 2;
                    return Some((Tok::Junction, Span::new(start, start + 2)));
                }
                b'=' | b'!' | b'<' | b'>' => {
                    while matches!(self.peek(0), b'=' | b'!' | b'<' | b'>') {
                        self.pos += 1;
                    }
                    return Some((Tok::Other, Span::new(start, self.pos)));
                }
                _ if is_word_byte(b) || b == b'.' || b == b'+' => {
                    // Words, paths and numbers alike: `a.b-c.0`, `-2.5E-3`.
                    self.pos += 1;
                    while self
                        .src
                        .get(self.pos)
                        .is_some_and(|&b| IN_WORD[usize::from(b)])
                    {
                        self.pos += 1;
                    }
                    return Some((
                        Tok::Word(Kw::of(&self.src[start..self.pos])),
                        Span::new(start, self.pos),
                    ));
                }
                _ => {
                    // Step over one whole character, whatever its width.
                    let width = self.text[start..].chars().next().map_or(1, char::len_utf8);
                    self.pos += width;
                    return Some((Tok::Other, Span::new(start, self.pos)));
                }
            }
        }
    }

    /// A string, or one left open, which ends at its line (SPEC §6).
    fn string(&mut self, start: usize) -> (Tok, Span) {
        let mut i = start + 1;
        while i < self.src.len() {
            // Jump over plain characters to the next byte that matters, a
            // word at a time; a carriage return among them ends the string
            // too. The portable search, not memchr's SIMD one: see the note
            // on the memchr dependency in Cargo.toml.
            let rest = &self.src[i..];
            let stop = memchr::arch::all::memchr::Three::new(b'"', b'\\', b'\n')
                .find(rest)
                .unwrap_or(rest.len());
            i += memchr::arch::all::memchr::One::new(b'\r')
                .find(&rest[..stop])
                .unwrap_or(stop);
            if i >= self.src.len() {
                break;
            }
            match self.src[i] {
                b'"' => {
                    self.pos = i + 1;
                    return (Tok::Str, Span::new(start, self.pos));
                }
                b'\\' if !matches!(self.src.get(i + 1), Some(b'\n' | b'\r') | None) => i += 2,
                b'\n' | b'\r' => break,
                _ => i += 1,
            }
        }
        let end = self.line_end(start);
        let end = if self.src[..end].ends_with(b"\r") {
            end - 1
        } else {
            end
        };
        self.errors.push(
            Diagnostic::new(Code::E101, Span::new(start, end), "unterminated string")
                .with_label("this string is not closed on its line")
                .with_help(
                    "close it with `\"`; for text over several lines use a text block (`\"\"\"`)",
                ),
        );
        self.pos = end;
        (Tok::OpenStr, Span::new(start, end))
    }

    fn text_block(&mut self, start: usize) -> Option<Span> {
        // The opening line's rest belongs to the block (the lowering rejects
        // anything but whitespace there); content lines follow until a line
        // of indentation and `"""`.
        let mut line = self.line_end(start);
        while line < self.src.len() {
            let content = line + 1;
            let indent = self.src[content..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            if self.src[content + indent..].starts_with(b"\"\"\"") {
                self.pos = content + indent + 3;
                return Some(Span::new(start, self.pos));
            }
            line = self.line_end(content);
        }
        self.fatal = Some(
            Diagnostic::new(
                Code::E101,
                Span::new(start, start + 3),
                "unterminated text block",
            )
            .with_label("text block starts here")
            .with_help("end it with a line holding only indentation and `\"\"\"`"),
        );
        None
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The nesting levels of SPEC §6, tracked over the token stream.
///
/// The workflow body is level 0; each `if`, `else if`, `block`, object,
/// array, parenthesis, call and `not` adds one. Brackets carry most of it;
/// the rest is the shape of the statements around them:
/// - an `if`'s body and its `else` body are one level below the `if`, and an
///   `else if` is one level deeper than the `if` it continues;
/// - brackets inside an `if`'s condition are inside the `if`;
/// - a `branch NAME { … }` of a block adds nothing beyond the block;
/// - each `not` (or `!`) adds one until its operand ends at `and`, `or` or `,`.
struct Depth {
    frames: Vec<Frame>,
    top_level: Vec<usize>,
    workflow_close: Option<usize>,
    /// The last token was a colon: the word after it is a name.
    after_colon: bool,
    /// The last token was a word: a `(` after it opens a call.
    after_word: bool,
}

struct Frame {
    /// Level of what stands directly inside this bracket.
    level: i64,
    /// Opened by `block ID: TYPE {`: its `branch` bodies add nothing.
    is_block: bool,
    /// Number of `else if` in the statement chain being read.
    chain: i64,
    /// `not`s whose operand is still being read.
    nots: i64,
    /// An `if` whose condition is being read.
    condition: Option<Cond>,
    /// `block` seen; its brace is the next `{`.
    pending_block: bool,
    /// `branch` seen inside a block frame: tokens until its `{`.
    pending_branch: bool,
    /// `else` was the last token.
    after_else: bool,
}

struct Cond {
    /// Level of the `if` itself.
    level: i64,
    /// Operands and operator read so far (the body brace follows the third).
    items: u32,
    id_seen: bool,
}

impl Frame {
    fn new(level: i64, is_block: bool) -> Frame {
        Frame {
            level,
            is_block,
            chain: 0,
            nots: 0,
            condition: None,
            pending_block: false,
            pending_branch: false,
            after_else: false,
        }
    }
}

impl Depth {
    fn new() -> Depth {
        Depth {
            frames: vec![Frame::new(-1, false)],
            top_level: Vec::new(),
            workflow_close: None,
            after_colon: false,
            after_word: false,
        }
    }

    fn check(level: i64, span: Span, what: &str) -> Result<(), Diagnostic> {
        if level > MAX_DEPTH {
            Err(Diagnostic::new(
                Code::E108,
                span,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            )
            .with_label(format!("this {what} is at level {level}"))
            .with_help(
                "split the deepest part into a flatter structure; the workflow body is level 0",
            ))
        } else {
            Ok(())
        }
    }

    fn token(
        &mut self,
        tok: Tok,
        span: Span,
        next: Option<Tok>,
        after: Option<Tok>,
    ) -> Result<(), Diagnostic> {
        // A keyword is only one where a name cannot stand: not a key
        // (`not:`), not a type or value after a colon (`step a: if`), not the
        // name of a call (`and(…)`).
        let after_colon = std::mem::replace(&mut self.after_colon, tok == Tok::Colon);
        let keyword = !after_colon && next != Some(Tok::Colon) && next != Some(Tok::Open(b'('));
        let body_level = self.frames.len() == 2;
        let frame = self
            .frames
            .last_mut()
            .expect("the root frame is never popped");
        let after_else = std::mem::take(&mut frame.after_else);
        let written = tok;
        let tok = match tok {
            Tok::Word(_) if !keyword => Tok::Word(Kw::Other),
            tok => tok,
        };
        // Statements of the workflow body itself: its brace is the second
        // frame, and an `else if` continues the statement before it.
        if body_level
            && frame.condition.is_none()
            && !after_else
            && matches!(tok, Tok::Word(Kw::Step | Kw::If | Kw::Block | Kw::Raw))
        {
            self.top_level.push(span.start);
        }
        match tok {
            Tok::Word(Kw::If) => {
                if after_else {
                    frame.chain += 1;
                } else {
                    frame.chain = 0;
                }
                let level = frame.level + 1 + frame.chain;
                frame.condition = Some(Cond {
                    level,
                    items: 0,
                    id_seen: false,
                });
                Self::check(level, span, if after_else { "`else if`" } else { "`if`" })?;
            }
            Tok::Word(Kw::Else) => frame.after_else = true,
            Tok::Word(Kw::Block) if frame.condition.is_none() => {
                frame.pending_block = true;
                Self::check(frame.level + 1, span, "block")?;
            }
            Tok::Word(Kw::Branch) if frame.is_block => frame.pending_branch = true,
            Tok::Word(Kw::Not)
                if next == Some(Tok::Word(Kw::In)) && after != Some(Tok::Open(b'(')) =>
            {
                Self::item(frame)
            }
            Tok::Word(Kw::Not) | Tok::Bang => {
                frame.nots += 1;
                Self::check(frame.level + frame.nots, span, "`not`")?;
            }
            Tok::Word(Kw::And | Kw::Or) | Tok::Junction | Tok::Comma => frame.nots = 0,
            Tok::Word(
                Kw::Workflow
                | Kw::Description
                | Kw::Trigger
                | Kw::When
                | Kw::Constraints
                | Kw::EditorState
                | Kw::Step
                | Kw::Raw,
            ) if frame.condition.is_none() => {
                frame.nots = 0;
                frame.chain = 0;
            }
            Tok::Open(bracket) => {
                let (level, is_block, what) =
                    if bracket == b'{' && frame.condition.as_ref().is_some_and(|c| c.items >= 3) {
                        let cond = frame.condition.take().expect("checked above");
                        (cond.level, false, "")
                    } else if bracket == b'{' && after_else {
                        (frame.level + 1 + frame.chain, false, "")
                    } else if bracket == b'{' && frame.pending_block {
                        frame.pending_block = false;
                        (frame.level + 1, true, "")
                    } else if bracket == b'{' && frame.pending_branch {
                        frame.pending_branch = false;
                        (frame.level, false, "")
                    } else {
                        let base = frame.condition.as_ref().map_or(frame.level, |c| c.level);
                        let what = match bracket {
                            b'{' => "object",
                            b'[' => "array",
                            _ if self.after_word => "call",
                            _ => "parenthesis",
                        };
                        (base + frame.nots + 1, false, what)
                    };
                if !what.is_empty() {
                    Self::check(level, span, what)?;
                }
                self.frames.push(Frame::new(level, is_block));
            }
            Tok::Close => {
                if self.frames.len() > 1 {
                    self.frames.pop();
                }
                if self.frames.len() == 1 && self.workflow_close.is_none() {
                    self.workflow_close = Some(span.start);
                }
                // A closed bracket is one operand of an enclosing condition.
                let frame = self
                    .frames
                    .last_mut()
                    .expect("the root frame is never popped");
                Self::item(frame);
            }
            Tok::Colon => {
                if let Some(cond) = frame.condition.as_mut() {
                    if cond.items == 1 && !cond.id_seen {
                        cond.items = 0;
                        cond.id_seen = true;
                    }
                }
            }
            Tok::Word(_) | Tok::Str | Tok::OpenStr | Tok::Other => Self::item(frame),
        }
        self.after_word = matches!(written, Tok::Word(_));
        Ok(())
    }

    fn item(frame: &mut Frame) {
        if let Some(cond) = frame.condition.as_mut() {
            cond.items += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fatal(src: &str) -> Option<(Code, Span)> {
        scan(src).fatal.map(|d| (d.code, d.span))
    }

    fn errors(src: &str) -> Vec<(Code, Span)> {
        scan(src).errors.iter().map(|d| (d.code, d.span)).collect()
    }

    fn nested_ifs(n: usize) -> String {
        let mut s = String::from("workflow \"w\" {\n trigger manual-trigger\n step a: noop\n");
        for _ in 0..n {
            s.push_str("if a.output.x == 1 {\n");
        }
        s.push_str("step b: noop\n");
        for _ in 0..n {
            s.push_str("}\n");
        }
        s.push_str("}\n");
        s
    }

    #[test]
    fn keywords_are_read_whole() {
        let words = [
            ("if", Kw::If),
            ("else", Kw::Else),
            ("block", Kw::Block),
            ("branch", Kw::Branch),
            ("not", Kw::Not),
            ("in", Kw::In),
            ("and", Kw::And),
            ("or", Kw::Or),
            ("step", Kw::Step),
            ("raw", Kw::Raw),
            ("workflow", Kw::Workflow),
            ("description", Kw::Description),
            ("trigger", Kw::Trigger),
            ("when", Kw::When),
            ("constraints", Kw::Constraints),
            ("editor_state", Kw::EditorState),
        ];
        for (word, kw) in words {
            assert_eq!(Kw::of(word.as_bytes()), kw, "{word}");
            // A longer or shorter word, or another case, is no keyword.
            assert_eq!(Kw::of(format!("{word}s").as_bytes()), Kw::Other, "{word}s");
            assert_eq!(Kw::of(&word.as_bytes()[1..]), Kw::Other, "{word}");
            assert_eq!(Kw::of(word.to_uppercase().as_bytes()), Kw::Other, "{word}");
        }
        for word in ["inputs", "if-1", "a.b", "x", "editor-state", ""] {
            assert_eq!(Kw::of(word.as_bytes()), Kw::Other, "{word}");
        }
    }

    #[test]
    fn sixty_four_ifs_are_fine_sixty_five_are_not() {
        assert_eq!(fatal(&nested_ifs(64)), None);
        assert_eq!(fatal(&nested_ifs(65)).map(|f| f.0), Some(Code::E108));
    }

    #[test]
    fn else_if_chains_nest() {
        let mut s = String::from("workflow \"w\" { trigger manual-trigger step a: noop\n if a.output.x == 0 { step z: noop }");
        for i in 1..64 {
            s.push_str(&format!(" else if a.output.x == {i} {{ step s{i}: noop }}"));
        }
        assert_eq!(fatal(&format!("{s} }}")), None);
        s.push_str(" else if a.output.x == 64 { step last: noop }");
        assert_eq!(fatal(&format!("{s} }}")).map(|f| f.0), Some(Code::E108));
    }

    #[test]
    fn objects_count_from_level_one() {
        let deep = |n: usize| {
            format!(
                "workflow \"w\" {{ trigger manual-trigger step a: noop {}{} }}",
                "{ k: ".repeat(n),
                "}".repeat(n)
            )
        };
        assert_eq!(fatal(&deep(64)), None);
        assert_eq!(fatal(&deep(65)).map(|f| f.0), Some(Code::E108));
    }

    #[test]
    fn block_branches_add_nothing() {
        let mut s = String::from("workflow \"w\" { trigger manual-trigger\n");
        for i in 0..64 {
            s.push_str(&format!("block b{i}: each {{ branch body {{\n"));
        }
        s.push_str(&"} }\n".repeat(64));
        s.push('}');
        assert_eq!(fatal(&s), None);
    }

    #[test]
    fn nots_count_until_their_operand_ends() {
        let w =
            |e: &str| format!("workflow \"w\" {{ trigger manual-trigger when {e} step a: noop }}");
        assert_eq!(fatal(&w(&format!("{}x", "not ".repeat(64)))), None);
        assert_eq!(
            fatal(&w(&format!("{}x", "not ".repeat(65)))).map(|f| f.0),
            Some(Code::E108)
        );
        // A hundred `not`s joined by `and` are each one level deep.
        assert_eq!(fatal(&w(&vec!["not x"; 100].join(" and "))), None);
        assert_eq!(fatal(&w("x not in [1]")), None);
    }

    #[test]
    fn hundred_thousand_levels_stop_early() {
        let src = format!(
            "workflow \"w\" {{ trigger manual-trigger step a: noop {{ k: {} }}",
            "[".repeat(100_000)
        );
        let (code, span) = fatal(&src).unwrap();
        assert_eq!(code, Code::E108);
        assert_eq!(&src[span.start..span.end], "[");
    }

    #[test]
    fn unterminated_literals() {
        // A string left open ends at its line and does not stop the file.
        assert_eq!(fatal("workflow \"w {\n}"), None);
        assert_eq!(
            errors("workflow \"w {\r\n}"),
            vec![(Code::E101, Span::new(9, 13))]
        );
        assert_eq!(fatal("/* x"), Some((Code::E101, Span::new(0, 2))));
        assert_eq!(
            fatal("x \"\"\"\n  a\n"),
            Some((Code::E101, Span::new(2, 5)))
        );
        assert_eq!(fatal("x \"\"\"\n  a\n  \"\"\" }"), None);
    }

    #[test]
    fn comments_are_collected_with_their_line_position() {
        let s = scan("// a\nworkflow /* b */ \"w\" { // c\n}");
        let spans: Vec<_> = s
            .comments
            .iter()
            .map(|c| (c.span, c.own_line, c.block))
            .collect();
        assert_eq!(
            spans,
            vec![
                (Span::new(0, 4), true, false),
                (Span::new(14, 21), false, true),
                (Span::new(28, 32), false, false)
            ]
        );
    }

    #[test]
    fn strings_hide_brackets() {
        assert_eq!(
            fatal(&format!("workflow \"{}\" {{ }}", "[".repeat(1000))),
            None
        );
    }
}
