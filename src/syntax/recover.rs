//! Recovery: a file that failed to parse whole, read again piece by piece.
//!
//! The pre-scan's token stream gives the boundaries: brackets are matched
//! once (an indented group whose indentation ends is closed where it ends),
//! and a header or statement starts at its keyword. Each statement is first
//! parsed whole by pest on its own span; only one that fails is taken apart
//! (its id, type, condition, bodies, object members, array items), every
//! leaf (strings, numbers, paths, `when` expressions, conditions) again
//! parsed by pest. What cannot be read becomes an error node
//! ([`Stmt::Error`], [`HeaderKind::Broken`], [`ValueKind::Invalid`]) after
//! one diagnostic, and reading resumes at the next header, statement, member
//! or item. Everything here is linear in the number of tokens.

use super::lower::{Lowerer, Mode};
use super::scan::{Kind, Token};
use super::{found_at, pest_expected, FlowParser, Rule};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use pest::iterators::Pair;
use pest::Parser as _;

const STATEMENTS: [&str; 4] = ["step", "if", "block", "raw"];
const HEADERS: [&str; 5] = [
    "description",
    "trigger",
    "when",
    "constraints",
    "editor_state",
];

/// Where a bracket group ends (for an opening token), or that a closing
/// token closes one (`Closed` of itself).
#[derive(Debug, Clone, Copy)]
enum End {
    /// At this closing token.
    Closed(usize),
    /// Never closed: the group ends before this token.
    Open(usize),
}

/// What the recovering parse gives back.
pub(crate) struct Recovered {
    pub workflow: Option<Workflow>,
    pub diagnostics: Vec<Diagnostic>,
    /// E107: later checks are skipped.
    pub fatal: bool,
}

pub(crate) fn parse(src: &str, comments: &[Comment], errors: Vec<Diagnostic>) -> Recovered {
    let toks = super::scan::tokens(src);
    let lines = Lines::new(src, &toks);
    let ends = match_brackets(src, &toks, &lines);
    let open_strings = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == Kind::OpenStr)
        .map(|(i, _)| i)
        .collect();
    let mut low = Lowerer::new(src, 0, comments);
    low.diags = errors;
    let mut parser = Parser {
        src,
        toks,
        lines,
        ends,
        low,
        open_strings,
        quiet_closes: false,
        absorbed: None,
        limit: 0,
        resume: None,
        fatal: false,
        line_index: std::cell::OnceCell::new(),
    };
    let workflow = parser.file();
    let mut diagnostics = parser.low.diags;
    diagnostics.sort_by_key(|d| d.span.start);
    Recovered {
        workflow,
        diagnostics,
        fatal: parser.fatal,
    }
}

/// The closing brackets of the groups still open after `toks`, innermost
/// first, each followed by a space. Brackets nest as written here, whatever
/// the indentation: a prefix without mistakes, so closed, parses whole (a
/// closing bracket closes the nearest open one of its kind and those opened
/// after it).
pub(crate) fn closers(toks: &[Token]) -> String {
    let mut open = Vec::new();
    for tok in toks {
        match tok.kind {
            Kind::Open(b) => open.push(b),
            Kind::Close(b) => {
                let want = super::scan::opener(b);
                if let Some(i) = open.iter().rposition(|&o| o == want) {
                    open.truncate(i);
                }
            }
            _ => {}
        }
    }
    open.iter()
        .rev()
        .flat_map(|&b| [super::scan::closer(b), ' '])
        .collect()
}

/// Per token: whether it is the first on its line, and that line's
/// indentation in bytes.
struct Lines {
    first: Vec<bool>,
    indent: Vec<u32>,
}

impl Lines {
    fn new(src: &str, toks: &[Token]) -> Lines {
        let bytes = src.as_bytes();
        let mut first = Vec::with_capacity(toks.len());
        let mut indent = Vec::with_capacity(toks.len());
        let mut prev_end = 0;
        let mut line_indent = 0u32;
        for (i, tok) in toks.iter().enumerate() {
            let gap = &bytes[prev_end..tok.span.start];
            let starts = i == 0 || gap.contains(&b'\n');
            if starts {
                let line_start = gap
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(prev_end, |at| prev_end + at + 1);
                line_indent = bytes[line_start..tok.span.start]
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count() as u32;
            } else if i > 0 && bytes[toks[i - 1].span.start..prev_end].contains(&b'\n') {
                // After a text block: the line is its closing line.
                let block = &bytes[toks[i - 1].span.start..prev_end];
                let at = toks[i - 1].span.start
                    + block.iter().rposition(|&b| b == b'\n').expect("checked")
                    + 1;
                line_indent = bytes[at..]
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count() as u32;
            }
            first.push(starts);
            indent.push(line_indent);
            prev_end = tok.span.end;
        }
        Lines { first, indent }
    }

    /// The token's column when it starts its line.
    fn column(&self, toks: &[Token], src: &str, k: usize) -> Option<u32> {
        if !self.first[k] {
            return None;
        }
        let start = toks[k].span.start;
        let line = src[..start].rfind('\n').map_or(0, |at| at + 1);
        Some((start - line) as u32)
    }
}

fn keyword_of<'a>(src: &'a str, toks: &[Token], k: usize) -> Option<&'a str> {
    let tok = toks[k];
    if tok.kind != Kind::Word {
        return None;
    }
    let text = &src[tok.span.start..tok.span.end];
    (STATEMENTS.contains(&text) || HEADERS.contains(&text)).then_some(text)
}

/// A header or statement keyword where one may start: not a key (`step:`),
/// not a value or type after a colon (`step a: if`), not the `if` of an
/// `else if`.
fn item_start(src: &str, toks: &[Token], k: usize) -> bool {
    let Some(keyword) = keyword_of(src, toks, k) else {
        return false;
    };
    let before = |word: &str| {
        k > 0
            && toks[k - 1].kind == Kind::Word
            && &src[toks[k - 1].span.start..toks[k - 1].span.end] == word
    };
    toks.get(k + 1).is_some_and(|t| t.kind != Kind::Colon)
        && (k == 0 || toks[k - 1].kind != Kind::Colon)
        && !(keyword == "if" && before("else"))
}

/// Matches brackets over the whole token stream. A group that follows
/// indentation ends, unclosed, where its indentation ends: at a token that
/// starts a line no deeper than the line that opened the group, or at a
/// closing bracket that starts a line less deep. A group follows
/// indentation when its first line inside is deeper than that line, or when
/// it has content on its opening line (`{ a: "…` then a new line). A
/// closing bracket closes the nearest open group of its kind and, unclosed,
/// the groups opened after it.
fn match_brackets(src: &str, toks: &[Token], lines: &Lines) -> Vec<Option<End>> {
    struct Open {
        at: usize,
        indent: u32,
        /// Decided by the first token inside that starts a line.
        indented: Option<bool>,
        /// Something stands after the bracket on its own line.
        inline: Option<bool>,
    }
    let mut ends = vec![None; toks.len()];
    let mut stack: Vec<Open> = Vec::new();
    for (k, tok) in toks.iter().enumerate() {
        let column = lines.column(toks, src, k);
        if let Some(top) = stack.last_mut() {
            if top.inline.is_none() {
                top.inline = Some(column.is_none());
            }
        }
        if let Some(col) = column {
            let close = matches!(tok.kind, Kind::Close(_));
            while let Some(top) = stack.last() {
                let follows = match top.indented {
                    Some(indented) => indented,
                    None => top.inline == Some(true),
                };
                let ends_here = follows
                    && tok.kind != Kind::Eof
                    && ((!close && col <= top.indent) || (close && col < top.indent));
                if !ends_here {
                    break;
                }
                ends[top.at] = Some(End::Open(k));
                stack.pop();
            }
            if let Some(top) = stack.last_mut() {
                if top.indented.is_none() {
                    top.indented = Some(col > top.indent || top.inline == Some(true));
                }
            }
        }
        match tok.kind {
            Kind::Open(_) => stack.push(Open {
                at: k,
                indent: lines.indent[k],
                indented: None,
                inline: None,
            }),
            Kind::Close(c) => {
                let want = super::scan::opener(c);
                let target = stack
                    .iter()
                    .rposition(|o| toks[o.at].kind == Kind::Open(want));
                // A closing bracket that starts a line deeper than the line
                // that opened the group it would close, in a group that follows
                // indentation, belongs to a group never opened (a `{` left
                // out): it closes nothing.
                let stray = target.is_some_and(|i| {
                    let o = &stack[i];
                    i + 1 == stack.len()
                        && o.indented == Some(true)
                        && column.is_some_and(|c| c > o.indent)
                });
                if let Some(i) = target.filter(|_| !stray) {
                    while stack.len() > i + 1 {
                        let o = stack.pop().expect("above i");
                        ends[o.at] = Some(End::Open(k));
                    }
                    let o = stack.pop().expect("at i");
                    ends[o.at] = Some(End::Closed(k));
                    // A closing token's own entry says that it closes a group.
                    ends[k] = Some(End::Closed(k));
                }
            }
            Kind::Eof => {
                while let Some(o) = stack.pop() {
                    ends[o.at] = Some(End::Open(k));
                }
            }
            _ => {}
        }
    }
    ends
}

/// How an id or type token was read.
enum Read {
    Ok(Text),
    /// Already reported (a string left open).
    Reported,
    /// Not there: nothing reported yet.
    Missing,
}

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Token>,
    lines: Lines,
    ends: Vec<Option<End>>,
    low: Lowerer<'s>,
    /// Tokens of strings left open: such a string may have swallowed a
    /// closing bracket, which is then not reported as missing as well.
    open_strings: Vec<usize>,
    /// After the workflow closed early, the file's last closing bracket,
    /// matched by nothing, is the one that was meant to close it.
    quiet_closes: bool,
    /// A closing bracket that a statement took as its own (after a `{`
    /// left out): not reported as closing nothing.
    absorbed: Option<usize>,
    /// The end of the items being read, for a statement that reads past its
    /// own extent (an `if` without the `{` of its body).
    limit: usize,
    /// Where the items resume after such a statement.
    resume: Option<usize>,
    fatal: bool,
    /// Line numbers for messages, built on the first need.
    line_index: std::cell::OnceCell<crate::span::LineIndex>,
}

impl<'s> Parser<'s> {
    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.line_index
            .get_or_init(|| crate::span::LineIndex::new(self.src))
            .line_col(self.src, offset)
            .line
    }

    fn kind(&self, k: usize) -> Kind {
        self.toks.get(k).map_or(Kind::Eof, |t| t.kind)
    }

    fn span(&self, k: usize) -> Span {
        let last = self.toks.len() - 1;
        self.toks[k.min(last)].span
    }

    fn text(&self, k: usize) -> &'s str {
        let span = self.span(k);
        &self.src[span.start..span.end]
    }

    fn word(&self, k: usize, word: &str) -> bool {
        self.kind(k) == Kind::Word && self.text(k) == word
    }

    fn item_start(&self, k: usize) -> bool {
        k < self.toks.len() && item_start(self.src, &self.toks, k)
    }

    /// From token `from` to the end of token `to - 1`.
    fn cover(&self, from: usize, to: usize) -> Span {
        Span::new(self.span(from).start, self.span(to.max(from + 1) - 1).end)
    }

    /// The token after the tree that starts at `k`.
    fn tree_end(&self, k: usize) -> usize {
        if matches!(self.kind(k), Kind::Close(_)) {
            return k + 1;
        }
        match self.ends.get(k).copied().flatten() {
            Some(End::Closed(c)) => c + 1,
            Some(End::Open(e)) => e,
            None => k + 1,
        }
    }

    /// Where the group opened at `k` ends, and whether it is closed there.
    fn group_end(&self, k: usize) -> (usize, bool) {
        match self.ends.get(k).copied().flatten() {
            Some(End::Closed(c)) => (c, true),
            Some(End::Open(e)) => (e, false),
            None => (k + 1, false),
        }
    }

    /// The token after the item that starts at `k`: trees up to the next
    /// header or statement, or `to`.
    /// In an indented file, a line that starts no deeper than the item's
    /// keyword (but with `else`) starts something else, such as a statement
    /// whose keyword is misspelled.
    fn extent(&self, k: usize, to: usize) -> usize {
        let column = self.lines.column(&self.toks, self.src, k);
        let mut e = self.tree_end(k);
        while e < to && !self.item_start(e) && !matches!(self.kind(e), Kind::Close(_)) {
            if let (Some(item), Some(here)) = (column, self.lines.column(&self.toks, self.src, e)) {
                if here <= item && !self.word(e, "else") {
                    break;
                }
            }
            e = self.tree_end(e);
        }
        e.min(to)
    }

    /// What token `k` is, for a message.
    fn found(&self, k: usize) -> String {
        match self.kind(k) {
            Kind::Eof => "end of file".to_string(),
            _ => found_at(self.src, self.span(k).start).0,
        }
    }

    /// Where to point for token `k`: the token, or at the end of the file
    /// the last thing written.
    fn point(&self, k: usize) -> Span {
        match self.kind(k) {
            Kind::Eof => {
                let end = self.src.trim_end().len();
                let width = self.src[..end]
                    .chars()
                    .next_back()
                    .map_or(0, char::len_utf8);
                Span::new(end - width, end)
            }
            _ => {
                let span = self.span(k);
                // A text block's first line is enough to point at.
                let text = &self.src[span.start..span.end];
                match text.find('\n') {
                    Some(at) => Span::new(span.start, span.start + at),
                    None => span,
                }
            }
        }
    }

    fn push(&mut self, diag: Diagnostic) {
        // A string left open swallows the rest of its line: what goes wrong
        // on that line is that one mistake, already reported (E101).
        if diag.code == Code::E100 && !self.open_strings.is_empty() {
            let at = diag.span.start;
            let i = self
                .open_strings
                .partition_point(|&s| self.span(s).start <= at);
            let near = |s: usize| {
                let span = self.span(s);
                let (from, to) = if span.start <= at {
                    (span.start, at)
                } else {
                    (at, span.start)
                };
                !self.src[from..to].contains('\n')
            };
            if (i > 0 && near(self.open_strings[i - 1]))
                || self.open_strings.get(i).is_some_and(|&s| near(s))
            {
                return;
            }
        }
        self.low.diags.push(diag);
    }

    /// E100: `expected …, found …` at token `k`.
    fn expected(&mut self, k: usize, what: &str) {
        self.expected_as(k, what, what);
    }

    /// E100 with a shorter word in the message than in the label: "expected
    /// `:`, found `noop`", labelled "expected `:` after the step's id".
    fn expected_as(&mut self, k: usize, short: &str, what: &str) {
        let found = self.found(k);
        self.push(
            Diagnostic::new(
                Code::E100,
                self.point(k),
                format!("expected {short}, found {found}"),
            )
            .with_label(format!("expected {what}")),
        );
    }

    /// Parses `span` as one piece with pest; `None`, reporting nothing, when
    /// it does not parse.
    fn piece(&mut self, rule: Rule, span: Span) -> Option<Pair<'s, Rule>> {
        let src: &'s str = self.src;
        let pairs = FlowParser::parse(rule, &src[span.start..span.end]).ok()?;
        self.low.rebase(span.start);
        pairs.into_iter().next()?.into_inner().next()
    }

    /// Like [`Parser::piece`], reporting pest's error when it fails. A
    /// piece that ends too early says what follows it (token `follow`).
    fn piece_or_report(&mut self, rule: Rule, span: Span, follow: usize) -> Option<Pair<'s, Rule>> {
        if let Some(pair) = self.piece(rule, span) {
            return Some(pair);
        }
        pest::set_error_detail(true);
        let err = FlowParser::parse(rule, &self.src[span.start..span.end]).err();
        pest::set_error_detail(false);
        let (at, expected) = match err {
            Some(err) => pest_expected(&err),
            None => (span.end - span.start, "something else".to_string()),
        };
        let at = span.start + at;
        let diag = if at >= span.end {
            // Nothing more in the piece: what follows it is the surprise,
            // but the place is the end of what was written.
            let end = self.src[..span.end].trim_end().len();
            let width = self.src[..end]
                .chars()
                .next_back()
                .map_or(0, char::len_utf8);
            Diagnostic::new(
                Code::E100,
                Span::new(end - width, end),
                format!("expected {expected}, found {}", self.found(follow)),
            )
            .with_label(format!("expected {expected} after this"))
        } else {
            let (found, width) = found_at(self.src, at);
            let width = width.min(span.end - at).max(1);
            let width = self.src[at..]
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .find(|&w| w >= width)
                .unwrap_or(0);
            Diagnostic::new(
                Code::E100,
                Span::new(at, at + width),
                format!("expected {expected}, found {found}"),
            )
            .with_label(format!("expected {expected}"))
        };
        self.push(diag);
        None
    }

    /// The last character of token `k`.
    fn last_char(&self, k: usize) -> Span {
        let end = self.span(k).end;
        let width = self.src[..end]
            .chars()
            .next_back()
            .map_or(0, char::len_utf8);
        Span::new(end - width, end)
    }

    /// E100 for a `{` left out after token `last`, at the end of its line.
    fn missing_open(&mut self, last: usize, message: &'static str, other: Span, label: &str) {
        self.push(
            Diagnostic::new(Code::E100, self.last_char(last), message)
                .with_label("expected `{` after this")
                .with_secondary(other, label.to_string())
                .with_help("add `{` at the end of this line"),
        );
    }

    /// A bracket group opened at `open` and never closed before `before`:
    /// one E100 where it is missing, with a label on the bracket.
    fn unclosed(&mut self, open: usize, before: usize) {
        let i = self.open_strings.partition_point(|&s| s <= open);
        if self.open_strings.get(i).is_some_and(|&s| s < before) {
            return;
        }
        let (close, what) = match self.kind(open) {
            Kind::Open(b'[') => (']', "array"),
            Kind::Open(b'(') => (')', "parenthesis"),
            _ => ('}', "brace"),
        };
        // The last thing written before it goes missing (its last
        // character): where the bracket belongs. Before an `else` that
        // starts its line (`} else {` written `else {`), the bracket belonged
        // in front of the `else`, on its line.
        let last = before.max(open + 1) - 1;
        let before_else = self.word(before, "else") && self.lines.first[before];
        let (end, width, label) = if before_else {
            let span = self.span(before);
            (span.end, span.len(), "expected `}` before this")
        } else {
            let at = self.last_char(last);
            (at.end, at.len(), "")
        };
        let opened = self.line(self.span(open).start);
        let bracket = self.text(open);
        // Several groups left open at one place (a file cut short) are one
        // mistake: one diagnostic, labelling each bracket.
        let bracket_span = self.span(open);
        if let Some(last) = self.low.diags.last_mut() {
            if last.code == Code::E100
                && last.span == Span::new(end - width, end)
                && last.message.starts_with("missing `")
            {
                last.secondary.push(crate::diagnostic::Label {
                    span: bracket_span,
                    message: format!("this {what} is never closed").into(),
                });
                return;
            }
        }
        let diag = Diagnostic::new(
            Code::E100,
            Span::new(end - width, end),
            format!("missing `{close}` to close the `{bracket}` of line {opened}"),
        )
        .with_label(if label.is_empty() {
            format!("expected `{close}` after this")
        } else {
            label.to_string()
        })
        .with_secondary(self.span(open), format!("this {what} is never closed"))
        .with_help(format!("add `{close}` where it ends"));
        self.push(diag);
    }

    // ------------------------------------------------------------ file --

    fn file(&mut self) -> Option<Workflow> {
        let eof = self.toks.len() - 1;
        let mut k = 0;
        if !self.word(0, "workflow") {
            let Some(first) = (0..eof).find(|&i| self.word(i, "workflow")) else {
                if eof == 0 {
                    let end = self.src.len();
                    self.push(
                        Diagnostic::new(
                            Code::E107,
                            Span::new(end, end),
                            "no workflow in this file",
                        )
                        .with_label("the file ends here")
                        .with_help("a file holds exactly one `workflow \"Name\" { … }`"),
                    );
                } else {
                    self.start_error(0);
                }
                self.fatal = true;
                return None;
            };
            self.start_error(0);
            k = first;
        }
        let keyword = self.span(k);
        let mut p = k + 1;
        let name = match self.id_at(p, false) {
            Read::Ok(text) if self.kind(p) != Kind::Word => {
                p += 1;
                text
            }
            read => {
                if matches!(read, Read::Missing | Read::Ok(_)) {
                    self.expected(p, "the workflow's name, a string");
                }
                if matches!(self.kind(p), Kind::OpenStr | Kind::Word) {
                    p += 1;
                }
                // The rest of a name written without its quotes (`workflow
                // Bulk close" {`) is that one mistake: the body is the `{`
                // on the keyword's line.
                let mut q = p;
                while !matches!(self.kind(q), Kind::Open(_) | Kind::Close(_) | Kind::Eof)
                    && !self.lines.first[q]
                {
                    q += 1;
                }
                if self.kind(q) == Kind::Open(b'{') && !self.lines.first[q] {
                    p = q;
                }
                Text {
                    value: String::new(),
                    span: Span::new(keyword.end, keyword.end),
                }
            }
        };
        let mut headers = Vec::new();
        let mut body = Vec::new();
        let close;
        if self.kind(p) == Kind::Open(b'{') {
            let (end, closed) = self.group_end(p);
            self.items(p + 1, end, true, &mut headers, &mut body);
            if closed {
                close = Some(end);
            } else {
                self.unclosed(p, end);
                close = None;
            }
        } else {
            self.expected(p, "`{`");
            // The file's last `}` is then the workflow's.
            self.quiet_closes = true;
            self.items(p, eof, true, &mut headers, &mut body);
            self.quiet_closes = false;
            close = None;
        }
        let mut span_end = close.map_or(self.span(eof.max(1) - 1).end, |c| self.span(c).end);
        if let Some(close) = close {
            let after = close + 1;
            if after < eof {
                if let Some(second) = (after..eof).find(|&i| self.word(i, "workflow")) {
                    self.second_workflow(second, k);
                    self.fatal = true;
                } else {
                    self.closed_early(after, close);
                    self.quiet_closes = true;
                    self.items(after, eof, true, &mut headers, &mut body);
                    span_end = self.span(eof - 1).end;
                }
            }
        }
        number_ifs(&mut body);
        Some(Workflow {
            keyword,
            name,
            headers,
            body,
            span: Span::new(keyword.start, span_end),
        })
    }

    /// The file does not start with `workflow`.
    fn start_error(&mut self, k: usize) {
        let found = self.found(k);
        self.push(
            Diagnostic::new(
                Code::E100,
                self.point(k),
                format!("expected `workflow`, found {found}"),
            )
            .with_label("a file starts with its workflow")
            .with_help("write `workflow \"Name\" { … }`"),
        );
    }

    fn second_workflow(&mut self, second: usize, first: usize) {
        self.push(
            Diagnostic::new(
                Code::E107,
                self.span(second),
                "a second workflow in one file",
            )
            .with_label("second workflow")
            .with_secondary(self.span(first), "the first workflow")
            .with_help("move it to a file of its own: a file holds exactly one workflow"),
        );
    }

    /// Something stands after the `}` that closed the workflow: that brace
    /// closed it early, one `}` too many above it.
    fn closed_early(&mut self, after: usize, close: usize) {
        let line = self.line(self.span(after).start);
        let found = self.found(after);
        self.push(
            Diagnostic::new(
                Code::E100,
                self.span(close),
                format!("this `}}` closes the workflow early: {found} follows it, at line {line}"),
            )
            .with_label("the workflow ends here")
            .with_secondary(self.point(after), "this stands outside the workflow")
            .with_help("a `}` closes more than was opened: remove the extra one"),
        );
    }

    // ----------------------------------------------------------- items --

    /// Headers (`top`: the workflow body) and statements from `k` to `to`.
    fn items(
        &mut self,
        mut k: usize,
        to: usize,
        top: bool,
        headers: &mut Vec<Header>,
        stmts: &mut Vec<Stmt>,
    ) {
        while k < to {
            let keyword = keyword_of(self.src, &self.toks, k);
            match self.kind(k) {
                // Where a statement stands, `step:` is a step without its id.
                Kind::Word
                    if STATEMENTS.contains(&keyword.unwrap_or(""))
                        && (self.item_start(k) || self.kind(k + 1) == Kind::Colon) =>
                {
                    let end = self.extent(k, to);
                    self.limit = to;
                    stmts.push(self.statement(k, end));
                    k = self.resume.take().unwrap_or(end);
                }
                Kind::Word if self.item_start(k) => {
                    let end = self.extent(k, to);
                    let header = self.header(k, end);
                    if !top {
                        let name = header.kind.keyword();
                        self.push(
                            Diagnostic::new(
                                Code::E100,
                                header.keyword,
                                format!("header `{name}` inside a statement"),
                            )
                            .with_label("headers belong to the workflow")
                            .with_help("move it to the top of the workflow, before the statements"),
                        );
                    } else {
                        if let Some(first) = stmts.first() {
                            self.push(super::lower::header_after_statement(&header, first));
                        }
                        headers.push(header);
                    }
                    k = end;
                }
                // After an early close, the file's last `}` is the one that
                // was meant to close the workflow.
                Kind::Close(_) if self.quiet_closes && k + 2 == self.toks.len() => k += 1,
                Kind::Close(_) if self.absorbed == Some(k) => k += 1,
                Kind::Close(c) => {
                    let c = c as char;
                    self.push(
                        Diagnostic::new(Code::E100, self.span(k), format!("unexpected `{c}`"))
                            .with_label("this closes nothing that is open")
                            .with_help("remove it"),
                    );
                    k += 1;
                }
                Kind::Word if self.text(k) == "else" => {
                    self.push(
                        Diagnostic::new(Code::E100, self.span(k), "`else` without an `if`")
                            .with_label("no `if` ends right before it")
                            .with_help("an `else` follows the `}` of an `if` body"),
                    );
                    k = self.skip(k, to);
                }
                Kind::Word if self.misspelled(k).is_some() => {
                    // Read as the statement it was meant to be, so that its id
                    // is defined and its inside checked.
                    let meant = self.misspelled(k).expect("checked");
                    let found = self.text(k).to_string();
                    self.push(
                        Diagnostic::new(
                            Code::E100,
                            self.span(k),
                            format!("expected a statement or `}}`, found `{found}`"),
                        )
                        .with_label("not a keyword")
                        .with_help(format!("did you mean `{meant}`?")),
                    );
                    let end = self.extent(k, to);
                    let stmt = match meant {
                        "step" => self.step(k, end),
                        _ => self.block(k, end),
                    };
                    stmts.push(stmt);
                    k = end;
                }
                _ => {
                    let what = if top && stmts.is_empty() {
                        "a header or a statement"
                    } else {
                        "a statement or `}`"
                    };
                    self.expected(k, what);
                    k = self.skip(k, to);
                }
            }
        }
    }

    /// A word close to `step` or `block` followed by an id and a colon: a
    /// statement whose keyword is misspelled.
    fn misspelled(&self, k: usize) -> Option<&'static str> {
        if !matches!(self.kind(k + 1), Kind::Word | Kind::Str) || self.kind(k + 2) != Kind::Colon {
            return None;
        }
        crate::diagnostic::suggest(self.text(k), ["step", "block"])
    }

    /// Past the tree at `k` and whatever follows it up to the next item.
    fn skip(&self, k: usize, to: usize) -> usize {
        let mut e = self.tree_end(k);
        while e < to && !self.item_start(e) && !matches!(self.kind(e), Kind::Close(_)) {
            e = self.tree_end(e);
        }
        e.min(to).max(k + 1)
    }

    /// The span of a group opened at `open` whose contents end at token
    /// `end`: to its closing bracket, or, left open, to its last token
    /// (reported once, here).
    fn group_span(&mut self, open: usize, end: usize, closed: bool) -> Span {
        if !closed {
            self.unclosed(open, end);
        }
        let last = if closed { end } else { end.max(open + 1) - 1 };
        Span::new(self.span(open).start, self.span(last).end)
    }

    /// A body `{ statements }` opened at `open`.
    fn body(&mut self, open: usize) -> Body {
        let (end, closed) = self.group_end(open);
        let mut stmts = Vec::new();
        let mut headers = Vec::new();
        self.items(open + 1, end, false, &mut headers, &mut stmts);
        Body {
            stmts,
            span: self.group_span(open, end, closed),
        }
    }

    // ------------------------------------------------------- statements --

    fn statement(&mut self, k: usize, end: usize) -> Stmt {
        let whole = self.cover(k, end);
        if let Some(pair) = self.piece(Rule::statement_piece, whole) {
            return self.low.statement(pair);
        }
        match self.text(k) {
            "step" => self.step(k, end),
            "if" => match self.if_stmt(k, end) {
                Ok(i) => Stmt::If(i),
                Err(e) => Stmt::Error(e),
            },
            "block" => self.block(k, end),
            _ => self.raw(k, end),
        }
    }

    fn error_stmt(&self, k: usize, end: usize, kind: StmtKind, id: Option<Text>) -> ErrorStmt {
        ErrorStmt {
            keyword: self.span(k),
            kind,
            id,
            span: self.cover(k, end),
        }
    }

    /// An id (`ident`: an identifier or a string) or a type (a name or a
    /// string) at token `k`.
    fn id_at(&mut self, k: usize, ident: bool) -> Read {
        match self.kind(k) {
            Kind::Word => {
                let text = self.text(k);
                let ok = if ident {
                    super::is_identifier(text)
                } else {
                    super::is_name(text)
                };
                if ok {
                    Read::Ok(Text {
                        value: text.to_string(),
                        span: self.span(k),
                    })
                } else {
                    Read::Missing
                }
            }
            Kind::Str => match self.piece_or_report(Rule::value_piece, self.span(k), k + 1) {
                Some(pair) => Read::Ok(self.low.text(pair)),
                None => Read::Reported,
            },
            Kind::OpenStr => Read::Reported,
            _ => Read::Missing,
        }
    }

    /// The id of `step "a: noop` (a string left open that swallowed the `:`
    /// after the id): the text before the colon, so that the statement
    /// still defines it and references to it are not a second mistake.
    fn open_id(&self, k: usize) -> Option<Text> {
        if self.kind(k) != Kind::OpenStr {
            return None;
        }
        let span = self.span(k);
        let text = &self.text(k)[1..];
        let id = &text[..text.find(':')?];
        (!id.is_empty() && !id.contains('\\')).then(|| Text {
            value: id.to_string(),
            span: Span::new(span.start + 1, span.start + 1 + id.len()),
        })
    }

    /// Reports leftovers of a statement read up to `p` but written up to
    /// `end`.
    fn leftover(&mut self, p: usize, end: usize, what: &str) {
        if p < end {
            self.expected(p, what);
        }
    }

    /// The `ID: TYPE` after the keyword at `k` of a step or a block: the
    /// id, the type and the token after them, or, where one is missing, the
    /// error node the statement becomes after its one diagnostic.
    fn id_and_type(
        &mut self,
        k: usize,
        end: usize,
        kind: StmtKind,
    ) -> Result<(Text, Text, usize), ErrorStmt> {
        let noun = if kind == StmtKind::Step {
            "step"
        } else {
            "block"
        };
        let mut p = k + 1;
        let id = match self.id_at(p, true) {
            Read::Ok(id) => id,
            read => {
                if matches!(read, Read::Missing) {
                    self.expected(p, &format!("the {noun}'s id"));
                }
                let id = self.open_id(p);
                return Err(self.error_stmt(k, end, kind, id));
            }
        };
        p += 1;
        if self.kind(p) != Kind::Colon {
            // A step's label says where the `:` goes; a block's, what it is.
            match kind {
                StmtKind::Step => self.expected_as(p, "`:`", "`:` after the step's id"),
                _ => self.expected(p, "`:`"),
            }
            return Err(self.error_stmt(k, end, kind, Some(id)));
        }
        p += 1;
        let ty = match self.id_at(p, false) {
            Read::Ok(ty) => ty,
            read => {
                if matches!(read, Read::Missing) {
                    self.expected(p, &format!("the {noun}'s type"));
                }
                return Err(self.error_stmt(k, end, kind, Some(id)));
            }
        };
        Ok((id, ty, p + 1))
    }

    fn step(&mut self, k: usize, end: usize) -> Stmt {
        let (id, ty, mut p) = match self.id_and_type(k, end, StmtKind::Step) {
            Ok(head) => head,
            Err(error) => return Stmt::Error(error),
        };
        let mut name = None;
        if matches!(self.kind(p), Kind::Str | Kind::OpenStr) && p < end {
            if let Read::Ok(text) = self.id_at(p, false) {
                name = Some(text);
            }
            p += 1;
        }
        let mut input = None;
        if self.kind(p) == Kind::Open(b'{') && p < end {
            input = Some(self.object(p, Mode::Template));
            p = self.tree_end(p);
        } else if p < end && self.lines.first[p] && self.member_start(p) {
            // Inputs on the lines below without their `{`: one error where
            // it is missing, and the inputs read up to the `}` they end at.
            self.missing_open(
                p - 1,
                "missing `{` before the step's inputs",
                self.span(p),
                "the inputs start here",
            );
            let members = self.members(p, end, Mode::Template);
            input = Some(Object {
                members,
                span: self.cover(p, end),
            });
            if self.kind(end) == Kind::Close(b'}') && self.ends[end].is_none() {
                self.absorbed = Some(end);
            }
            p = end;
        }
        self.leftover(p, end, "the step's inputs `{ … }` or the next statement");
        Stmt::Step(Step {
            keyword: self.span(k),
            id,
            ty,
            name,
            input,
            span: self.cover(k, end),
        })
    }

    fn if_stmt(&mut self, k: usize, end: usize) -> Result<If, ErrorStmt> {
        let mut p = k + 1;
        let mut id = None;
        if matches!(self.kind(p), Kind::Word | Kind::Str) && self.kind(p + 1) == Kind::Colon {
            match self.id_at(p, true) {
                Read::Ok(text) => id = Some(text),
                Read::Reported => {}
                Read::Missing => {
                    self.expected(p, "the `if`'s id or its condition");
                    return Err(self.error_stmt(k, end, StmtKind::If, None));
                }
            }
            p += 2;
        }
        // The body is the `{` group after `operand operator operand`; where
        // the condition is not of that shape, the first `{` group after at
        // least one operand that no other `{` group follows (an operand may
        // be an object).
        let start = p;
        let mut q = p;
        let mut body = None;
        let second = self.tree_end(p);
        let third = self.tree_end(second + 1);
        let operator = match self.kind(second) {
            Kind::Other => matches!(self.text(second), "==" | "!=" | ">=" | ">" | "<=" | "<"),
            Kind::Word => super::is_name(self.text(second)),
            _ => false,
        };
        if operator && third < end && self.kind(third) == Kind::Open(b'{') {
            body = Some(third);
        }
        while body.is_none() && q < end && !self.word(q, "else") {
            let next = self.tree_end(q);
            if q > start && self.kind(q) == Kind::Open(b'{') && self.kind(next) != Kind::Open(b'{')
            {
                body = Some(q);
                break;
            }
            q = next;
        }
        let Some(open) = body else {
            if let Some(close) = self.braceless_body(k, end) {
                return Ok(self.if_without_brace(k, id, start, end, close));
            }
            self.expected(q.min(end), "`{` to start the `if` body");
            return Err(self.error_stmt(k, end, StmtKind::If, id));
        };
        let condition = self.condition(start, open);
        let then = self.body(open);
        let (otherwise, p) = self.else_clause(self.tree_end(open), end);
        self.leftover(p, end, "`else` or the next statement");
        Ok(If {
            keyword: self.span(k),
            id,
            number: 0,
            condition,
            then,
            otherwise,
            span: self.cover(k, end),
        })
    }

    /// An `if` whose condition ends its line and whose statements follow on
    /// deeper lines without the `{`: the `}` that closes nothing, at the
    /// `if`'s column, after them.
    fn braceless_body(&self, k: usize, end: usize) -> Option<usize> {
        let column = self.lines.column(&self.toks, self.src, k)?;
        let inner = self.lines.column(&self.toks, self.src, end)?;
        if end >= self.limit || !self.item_start(end) || inner <= column {
            return None;
        }
        let mut c = end;
        while c < self.limit {
            if self.kind(c) == Kind::Close(b'}') {
                let stray = self.ends[c].is_none();
                return (stray && self.lines.column(&self.toks, self.src, c) == Some(column))
                    .then_some(c);
            }
            c = self.tree_end(c);
        }
        None
    }

    /// Reads an `if` written without the `{` of its body (see
    /// [`Parser::braceless_body`]): one error where the brace is missing,
    /// the statements up to `close` as its body, then its `else`. The items
    /// around it resume after what it read.
    fn if_without_brace(
        &mut self,
        k: usize,
        id: Option<Text>,
        start: usize,
        end: usize,
        close: usize,
    ) -> If {
        // The body's own items set the limit for theirs.
        let outer = self.limit;
        self.missing_open(
            end - 1,
            "missing `{` to start the `if` body",
            self.span(close),
            "the body ends here",
        );
        let condition = self.condition(start, end);
        let mut stmts = Vec::new();
        self.items(end, close, false, &mut Vec::new(), &mut stmts);
        let then = Body {
            stmts,
            span: self.cover(end, close + 1),
        };
        let limit = self.extent(close, outer);
        let (otherwise, p) = self.else_clause(close + 1, limit);
        self.leftover(p, limit, "`else` or the next statement");
        self.resume = Some(limit);
        If {
            keyword: self.span(k),
            id,
            number: 0,
            condition,
            then,
            otherwise,
            span: self.cover(k, limit),
        }
    }

    /// The condition written from token `start` to `to`, or after one error
    /// an empty operator between invalid operands.
    fn condition(&mut self, start: usize, to: usize) -> Condition {
        match self.piece_or_report(Rule::condition_piece, self.cover(start, to), to) {
            Some(pair) => self.low.condition(pair),
            None => {
                let at = Span::new(self.span(to).start, self.span(to).start);
                let invalid = Value {
                    kind: ValueKind::Invalid,
                    span: at,
                };
                Condition {
                    left: invalid.clone(),
                    operator: Text {
                        value: String::new(),
                        span: at,
                    },
                    right: invalid,
                }
            }
        }
    }

    /// An `else` clause at `p`, if any, read up to `end`; and where reading
    /// stopped.
    fn else_clause(&mut self, mut p: usize, end: usize) -> (Option<Else>, usize) {
        let mut otherwise = None;
        if p < end && self.word(p, "else") {
            if self.word(p + 1, "if") && p + 1 < end {
                otherwise = Some(match self.if_stmt(p + 1, end) {
                    Ok(inner) => Else::If(Box::new(inner)),
                    Err(e) => Else::Body(Body {
                        span: e.span,
                        stmts: vec![Stmt::Error(e)],
                    }),
                });
                p = end;
            } else if self.kind(p + 1) == Kind::Open(b'{') && p + 1 < end {
                otherwise = Some(Else::Body(self.body(p + 1)));
                p = self.tree_end(p + 1);
            } else {
                self.expected(p + 1, "`if` or `{` after `else`");
                p = end;
            }
        }
        (otherwise, p)
    }

    fn block(&mut self, k: usize, end: usize) -> Stmt {
        let (id, ty, p) = match self.id_and_type(k, end, StmtKind::Block) {
            Ok(head) => head,
            Err(error) => return Stmt::Error(error),
        };
        if self.kind(p) != Kind::Open(b'{') || p >= end {
            self.expected(p, "`{`");
            return Stmt::Error(self.error_stmt(k, end, StmtKind::Block, Some(id)));
        }
        let open = p;
        let (inner_end, closed) = self.group_end(open);
        let mut q = open + 1;
        let mut inputs = None;
        if self.word(q, "inputs") && q < inner_end {
            if self.kind(q + 1) == Kind::Open(b'{') && q + 1 < inner_end {
                inputs = Some(self.object(q + 1, Mode::Template));
                q = self.tree_end(q + 1);
            } else {
                self.expected(q + 1, "the block's inputs `{ … }`");
                q += 1;
            }
        }
        let mut branches = Vec::new();
        while q < inner_end {
            if self.word(q, "branch") {
                match self.id_at(q + 1, false) {
                    Read::Ok(name) if self.kind(q + 1) == Kind::Word => {
                        if self.kind(q + 2) == Kind::Open(b'{') && q + 2 < inner_end {
                            let body = self.body(q + 2);
                            branches.push(Branch { name, body });
                            q = self.tree_end(q + 2);
                        } else {
                            self.expected(q + 2, "the branch's body `{ … }`");
                            q = self.skip_to_branch(q + 2, inner_end);
                        }
                    }
                    _ => {
                        self.expected(q + 1, "the branch's name");
                        q = self.skip_to_branch(q + 1, inner_end);
                    }
                }
            } else {
                self.expected(q, "`branch` or `}`");
                q = self.skip_to_branch(q, inner_end);
            }
        }
        if !closed {
            self.unclosed(open, inner_end);
        }
        self.leftover(self.tree_end(open), end, "the next statement");
        Stmt::Block(Block {
            keyword: self.span(k),
            id,
            ty,
            inputs,
            branches,
            span: self.cover(k, end),
        })
    }

    fn skip_to_branch(&self, k: usize, to: usize) -> usize {
        let mut e = self.tree_end(k);
        while e < to && !self.word(e, "branch") {
            e = self.tree_end(e);
        }
        e.min(to).max(k + 1)
    }

    fn raw(&mut self, k: usize, end: usize) -> Stmt {
        if self.kind(k + 1) != Kind::Open(b'{') || k + 1 >= end {
            self.expected(k + 1, "the raw element's object `{ … }`");
            return Stmt::Error(self.error_stmt(k, end, StmtKind::Raw, None));
        }
        let object = self.object(k + 1, Mode::Data);
        self.leftover(self.tree_end(k + 1), end, "the next statement");
        Stmt::Raw(Raw {
            keyword: self.span(k),
            object,
            span: self.cover(k, end),
        })
    }

    // ---------------------------------------------------------- headers --

    fn header(&mut self, k: usize, end: usize) -> Header {
        let whole = self.cover(k, end);
        if let Some(pair) = self.piece(Rule::header_piece, whole) {
            return self.low.header(pair);
        }
        let keyword: &'static str = HEADERS
            .iter()
            .find(|h| **h == self.text(k))
            .copied()
            .unwrap_or("description");
        let kind = match keyword {
            "description" => match self.id_at(k + 1, false) {
                Read::Ok(text) if self.kind(k + 1) != Kind::Word && k + 1 < end => {
                    self.leftover(k + 2, end, "the next header or statement");
                    HeaderKind::Description(text)
                }
                Read::Reported => HeaderKind::Broken(keyword),
                _ => {
                    self.expected(k + 1, "the description, a string");
                    HeaderKind::Broken(keyword)
                }
            },
            "trigger" => self.trigger(k, end),
            "when" => {
                if k + 1 >= end {
                    self.expected(k + 1, "an expression");
                    HeaderKind::Broken(keyword)
                } else {
                    match self.piece_or_report(Rule::expr_piece, self.cover(k + 1, end), end) {
                        Some(pair) => HeaderKind::When(self.low.expr(pair)),
                        None => HeaderKind::Broken(keyword),
                    }
                }
            }
            _ => {
                if k + 1 >= end {
                    self.expected(k + 1, "a value");
                    HeaderKind::Broken(keyword)
                } else {
                    let value = self.value(k + 1, Mode::Data);
                    self.leftover(self.tree_end(k + 1), end, "the next header or statement");
                    if keyword == "constraints" {
                        HeaderKind::Constraints(value)
                    } else {
                        HeaderKind::EditorState(value)
                    }
                }
            }
        };
        Header {
            keyword: self.span(k),
            kind,
            span: whole,
        }
    }

    fn trigger(&mut self, k: usize, end: usize) -> HeaderKind {
        let name = match self.kind(k + 1) {
            Kind::Word if super::is_name(self.text(k + 1)) && k + 1 < end => Text {
                value: self.text(k + 1).to_string(),
                span: self.span(k + 1),
            },
            Kind::Str | Kind::OpenStr if k + 1 < end => {
                if self.kind(k + 1) == Kind::Str {
                    let found = self.found(k + 1);
                    self.push(
                        Diagnostic::new(
                            Code::E100,
                            self.point(k + 1),
                            format!("expected a name, found {found}"),
                        )
                        .with_label("expected a name")
                        .with_help(
                            "trigger types are written bare: `trigger webhook`, not `trigger \"webhook\"`",
                        ),
                    );
                }
                return HeaderKind::Broken("trigger");
            }
            _ => {
                self.expected(k + 1, "the trigger type, a name");
                return HeaderKind::Broken("trigger");
            }
        };
        let mut config = None;
        let mut p = k + 2;
        if p < end {
            config = Some(self.value(p, Mode::Template));
            p = self.tree_end(p);
        }
        self.leftover(p, end, "the next header or statement");
        HeaderKind::Trigger { name, config }
    }

    // ----------------------------------------------------------- values --

    fn value(&mut self, k: usize, mode: Mode) -> Value {
        match self.kind(k) {
            Kind::Open(b'{') => {
                let object = self.object(k, mode);
                Value {
                    span: object.span,
                    kind: ValueKind::Object(object),
                }
            }
            Kind::Open(b'[') => self.array(k, mode),
            Kind::OpenStr => Value {
                kind: ValueKind::Invalid,
                span: self.span(k),
            },
            Kind::Str | Kind::Word => {
                match self.piece_or_report(Rule::value_piece, self.span(k), k + 1) {
                    Some(pair) => self.low.value(pair, mode),
                    None => Value {
                        kind: ValueKind::Invalid,
                        span: self.span(k),
                    },
                }
            }
            Kind::Other if self.text(k).starts_with("<<") => {
                let path = match self.kind(k + 1) {
                    Kind::Word => self.text(k + 1),
                    _ => "step.output.field",
                };
                self.push(
                    Diagnostic::new(Code::E100, self.span(k), "expected a value, found `<<`")
                        .with_label("a reference outside a string")
                        .with_help(format!(
                            "write it inside a string, \"<<{path}>>\", or as a bare path, {path}"
                        )),
                );
                Value {
                    kind: ValueKind::Invalid,
                    span: self.span(k),
                }
            }
            _ => {
                self.expected(k, "a value");
                Value {
                    kind: ValueKind::Invalid,
                    span: self.span(k),
                }
            }
        }
    }

    /// The whole group at `k` as one value, when it parses.
    fn whole_group(&mut self, k: usize, mode: Mode) -> Option<Value> {
        let (end, closed) = self.group_end(k);
        if !closed {
            return None;
        }
        let pair = self.piece(Rule::value_piece, self.cover(k, end + 1))?;
        Some(self.low.value(pair, mode))
    }

    fn object(&mut self, k: usize, mode: Mode) -> Object {
        if let Some(Value {
            kind: ValueKind::Object(object),
            ..
        }) = self.whole_group(k, mode)
        {
            return object;
        }
        let (end, closed) = self.group_end(k);
        let members = self.members(k + 1, end, mode);
        Object {
            members,
            span: self.group_span(k, end, closed),
        }
    }

    /// The members of an object from token `p` to `end`.
    fn members(&mut self, mut p: usize, end: usize, mode: Mode) -> Vec<Member> {
        let mut members = Vec::new();
        while p < end {
            match self.kind(p) {
                Kind::Word | Kind::Str | Kind::OpenStr => {
                    let key_at = p;
                    if self.kind(p + 1) != Kind::Colon || p + 1 >= end {
                        if self.kind(p) != Kind::OpenStr {
                            let key = crate::diagnostic::shorten(self.text(p), 40);
                            self.expected_as(p + 1, "`:`", &format!("`:` after the key `{key}`"));
                        }
                        // A value written without its colon goes with it.
                        p = self.next_member(p + 1, end);
                        continue;
                    }
                    let colon = p + 1;
                    p += 2;
                    let missing = p >= end
                        || self.kind(p) == Kind::Comma
                        || (self.lines.first[p]
                            && (self.item_start(p)
                                || (matches!(self.kind(p), Kind::Word | Kind::Str)
                                    && self.kind(p + 1) == Kind::Colon)));
                    if missing {
                        let key = crate::diagnostic::shorten(self.text(key_at), 40);
                        self.push(
                            Diagnostic::new(
                                Code::E100,
                                self.span(colon),
                                format!("expected a value after `{key}:`, found {}", self.found(p)),
                            )
                            .with_label("a value must follow this `:`"),
                        );
                        p = self.next_member(p, end);
                        continue;
                    }
                    let key = match self.kind(key_at) {
                        Kind::Word if super::is_name(self.text(key_at)) => Some(Text {
                            value: self.text(key_at).to_string(),
                            span: self.span(key_at),
                        }),
                        Kind::Word => {
                            self.expected(key_at, "a key");
                            None
                        }
                        _ => match self.id_at(key_at, false) {
                            Read::Ok(text) => Some(text),
                            _ => None,
                        },
                    };
                    let reported = self.low.diags.len();
                    let value = self.value(p, mode);
                    p = self.tree_end(p);
                    let bad =
                        matches!(value.kind, ValueKind::Invalid) && self.low.diags.len() > reported;
                    if let Some(key) = key {
                        members.push(Member { key, value });
                    }
                    if bad {
                        // The rest of a value that could not be read.
                        p = self.next_member(p, end);
                    } else if p < end && self.kind(p) == Kind::Comma {
                        p += 1;
                    } else if p < end && !self.member_start(p) && !self.lines.first[p] {
                        self.expected(p, "`,`, the next member or `}`");
                        p = self.next_member(p, end);
                    }
                }
                _ => {
                    self.expected(p, "a key or `}`");
                    p = self.next_member(self.tree_end(p), end);
                }
            }
        }
        members
    }

    /// A key and its colon at `p`.
    fn member_start(&self, p: usize) -> bool {
        matches!(self.kind(p), Kind::Word | Kind::Str | Kind::OpenStr)
            && self.kind(p + 1) == Kind::Colon
    }

    /// Where reading members resumes after a mistake at `p`: past the next
    /// comma, or at the next key and colon or the next line.
    fn next_member(&self, mut p: usize, end: usize) -> usize {
        while p < end {
            if self.kind(p) == Kind::Comma {
                return p + 1;
            }
            if self.member_start(p) || self.lines.first[p] {
                return p;
            }
            p = self.tree_end(p);
        }
        end
    }

    fn array(&mut self, k: usize, mode: Mode) -> Value {
        if let Some(value) = self.whole_group(k, mode) {
            return value;
        }
        let (end, closed) = self.group_end(k);
        let mut items = Vec::new();
        let mut p = k + 1;
        let mut after_item = false;
        while p < end {
            match self.kind(p) {
                Kind::Comma if after_item => {
                    after_item = false;
                    p += 1;
                }
                Kind::Comma | Kind::Colon => {
                    self.expected(p, "a value or `]`");
                    p += 1;
                }
                _ => {
                    let reported = self.low.diags.len();
                    let item = self.value(p, mode);
                    p = self.tree_end(p);
                    if matches!(item.kind, ValueKind::Invalid) && self.low.diags.len() > reported {
                        // The rest of an item that could not be read.
                        while p < end && self.kind(p) != Kind::Comma {
                            p = self.tree_end(p);
                        }
                    }
                    items.push(item);
                    after_item = true;
                }
            }
        }
        Value {
            span: self.group_span(k, end, closed),
            kind: ValueKind::Array(items),
        }
    }
}
