//! `.flowtest` files (SPEC §15): test cases, read with the flow language's
//! lexical rules and values.
//!
//! The file's shape is simple (`test "NAME" { ITEM… }`, each item a few words
//! and at most one value), so it is read here straight from the pre-scan's
//! token stream, and every value is handed to the grammar's `value_piece`
//! on its own span and lowered as plain data. A mistake costs its item: it
//! gets one diagnostic (E600, or the value's own E101, E102, E109, E111) and
//! reading resumes at the next item or case.

use super::lower::{Lowerer, Mode};
use super::scan::{self, Kind, Token};
use super::{found_at, pest_expected, FlowParser, Rule};
use crate::ast::{
    IdList, Object, TestCase, TestFile, TestItem, TestItemKind, Text, Value, ValueKind,
};
use crate::diagnostic::{shorten, suggest, Code, Diagnostic};
use crate::span::Span;
use pest::Parser as _;

/// The words that start an item.
pub const ITEMS: [&str; 4] = ["event", "output", "choose", "expect"];
/// The words after `expect`.
pub const EXPECTATIONS: [&str; 5] = ["fires", "ran", "skipped", "input", "branch"];

/// A parsed test file and its syntax diagnostics, in source order.
#[derive(Debug, Clone)]
pub struct ParsedTest {
    /// The cases that were read; a case with a mistake keeps its other items.
    pub file: TestFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one `.flowtest` source text.
pub fn parse_test(src: &str) -> ParsedTest {
    let mut scanned = scan::scan(src);
    let mut diagnostics = std::mem::take(&mut scanned.errors);
    // An unterminated text block or comment, or nesting past the limit,
    // ends the readable text: what stands before it is still read, so that
    // the first mistake of the file is always reported.
    let (text, fatal) = match scanned.fatal.take() {
        Some(fatal) => (&src[..fatal.span.start], Some(fatal)),
        None => (src, None),
    };
    let comments = match fatal {
        Some(_) => scan::scan(text).comments,
        None => scanned.comments,
    };
    let tokens = scan::tokens(text);
    let mut reader = Reader {
        src: text,
        groups: groups(text, &tokens),
        tokens,
        low: Lowerer::new(text, 0, &comments),
        diags: Vec::new(),
        truncated: fatal.is_some(),
    };
    let cases = reader.file();
    diagnostics.append(&mut reader.diags);
    diagnostics.append(&mut reader.low.diags);
    diagnostics.extend(fatal);
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    diagnostics.dedup_by(|a, b| a.span == b.span && a.code == b.code);
    drop(reader);
    ParsedTest {
        file: TestFile { cases, comments },
        diagnostics,
    }
}

/// For each opening token, the index of its closing token (`None`: never
/// closed); closers that close nothing are left out.
///
/// Indentation decides where a closer is ambiguous: a closer that starts its
/// line, indented less than the line that opened the innermost open group,
/// closes the group opened on a line indented as it is, and the groups
/// inside that one are left open. So a `}` left out on line 3 is reported
/// there, not at the case's `{`.
fn groups(src: &str, tokens: &[Token]) -> Vec<Option<usize>> {
    let mut close = vec![None; tokens.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            Kind::Open(_) => open.push(i),
            Kind::Close(c) => {
                let opener = Kind::Open(scan::opener(c));
                let own = indentation(src, t.span.start);
                let at = match (own, open.last()) {
                    (Some(col), Some(&top))
                        if indentation_of_line(src, tokens[top].span.start) > col =>
                    {
                        open.iter().rposition(|&o| {
                            tokens[o].kind == opener
                                && indentation_of_line(src, tokens[o].span.start) == col
                        })
                    }
                    _ => None,
                };
                // Otherwise a closer ends the innermost group of its kind.
                let at = at.or_else(|| open.iter().rposition(|&o| tokens[o].kind == opener));
                if let Some(at) = at {
                    close[open[at]] = Some(i);
                    open.truncate(at);
                }
            }
            _ => {}
        }
    }
    close
}

/// The indentation of the line at `offset`, when only whitespace stands
/// before `offset` on it.
fn indentation(src: &str, offset: usize) -> Option<usize> {
    let line = src[..offset].rfind('\n').map_or(0, |n| n + 1);
    src[line..offset]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(offset - line)
}

/// The indentation of the line that holds `offset`.
fn indentation_of_line(src: &str, offset: usize) -> usize {
    let line = src[..offset].rfind('\n').map_or(0, |n| n + 1);
    src[line..offset]
        .bytes()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count()
}

struct Reader<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    groups: Vec<Option<usize>>,
    low: Lowerer<'s>,
    diags: Vec<Diagnostic>,
    /// The text stops before a fatal error: an open group at its end is
    /// that error's doing, not a mistake of its own.
    truncated: bool,
}

impl<'s> Reader<'s> {
    fn kind(&self, i: usize) -> Kind {
        self.tokens.get(i).map_or(Kind::Eof, |t| t.kind)
    }

    fn span(&self, i: usize) -> Span {
        let last = self.tokens.len() - 1;
        self.tokens[i.min(last)].span
    }

    fn text(&self, i: usize) -> &'s str {
        let span = self.span(i);
        &self.src[span.start..span.end]
    }

    fn is_word(&self, i: usize, word: &str) -> bool {
        self.kind(i) == Kind::Word && self.text(i) == word
    }

    /// What stands at token `i`, for a message.
    fn found(&self, i: usize) -> String {
        match self.kind(i) {
            Kind::Eof => "end of file".to_string(),
            _ => found_at(self.src, self.span(i).start).0,
        }
    }

    fn expected(&mut self, i: usize, what: &str, label: &str) {
        let span = self.span(i);
        let span = match self.kind(i) {
            // At the end, point at the last thing written.
            Kind::Eof => {
                let end = self.src.trim_end().len();
                let width = self.src[..end]
                    .chars()
                    .next_back()
                    .map_or(0, char::len_utf8);
                Span::new(end - width, end)
            }
            _ => span,
        };
        self.diags.push(
            Diagnostic::new(
                Code::E600,
                span,
                format!("expected {what}, found {}", self.found(i)),
            )
            .with_label(label.to_string()),
        );
    }

    /// Past the group that token `i` opens, or past the token (an opener
    /// never closed has been reported; what follows it is read again).
    fn skip(&self, i: usize) -> usize {
        match (self.kind(i), self.groups.get(i).copied().flatten()) {
            (Kind::Open(_), Some(close)) => close + 1,
            _ => i + 1,
        }
    }

    fn file(&mut self) -> Vec<TestCase> {
        let mut cases = Vec::new();
        let mut p = 0;
        while self.kind(p) != Kind::Eof {
            if self.is_word(p, "test") {
                let (case, next) = self.case(p);
                cases.extend(case);
                p = next;
                continue;
            }
            let help = match self.kind(p) {
                Kind::Word => suggest(self.text(p), ["test"])
                    .map(|w| format!("did you mean `{w}`?"))
                    .or_else(|| {
                        ITEMS
                            .contains(&self.text(p))
                            .then(|| "items stand inside a case: `test \"NAME\" { … }`".to_string())
                    }),
                _ => None,
            };
            self.expected(p, "`test`", "a test file holds `test \"NAME\" { … }` cases");
            if let (Some(help), Some(last)) = (help, self.diags.last_mut()) {
                *last = last.clone().with_help(help);
            }
            // Resume at the next `test`.
            p = self.skip(p);
            while self.kind(p) != Kind::Eof && !self.is_word(p, "test") {
                p = self.skip(p);
            }
        }
        cases
    }

    /// The case whose `test` keyword is token `k`, and the token after it.
    fn case(&mut self, k: usize) -> (Option<TestCase>, usize) {
        let keyword = self.span(k);
        let name = match self.kind(k + 1) {
            Kind::Str => self.plain_text(k + 1),
            Kind::OpenStr => None,
            _ => {
                self.expected(
                    k + 1,
                    "the case's name",
                    "expected a string: `test \"NAME\" {`",
                );
                None
            }
        };
        let open = k + 2;
        if self.kind(open) != Kind::Open(b'{') {
            if name.is_some() {
                self.expected(open, "`{`", "a case's items stand between `{` and `}`");
            }
            let mut p = open;
            while self.kind(p) != Kind::Eof && !self.is_word(p, "test") {
                p = self.skip(p);
            }
            return (None, p);
        }
        let close = match self.groups[open] {
            Some(close) => close,
            None => {
                if !self.truncated {
                    self.diags.push(
                        Diagnostic::new(Code::E600, self.span(open), "this `{` is never closed")
                            .with_label("the case starts here")
                            .with_help("close the case with `}`"),
                    );
                }
                // Up to the next case that starts its own line, or the end.
                let mut p = open + 1;
                while self.kind(p) != Kind::Eof && !(self.is_word(p, "test") && self.own_line(p)) {
                    p = self.skip(p);
                }
                p
            }
        };
        let items = self.items(open + 1, close);
        let end = match self.kind(close) {
            Kind::Close(_) => self.span(close).end,
            _ => self.span(close.saturating_sub(1)).end,
        };
        let next = if self.kind(close) == Kind::Close(b'}') {
            close + 1
        } else {
            close
        };
        let case = name.map(|name| TestCase {
            keyword,
            name,
            items,
            span: Span::new(keyword.start, end.max(keyword.end)),
        });
        (case, next)
    }

    fn own_line(&self, i: usize) -> bool {
        let start = self.span(i).start;
        self.src[..start]
            .bytes()
            .rev()
            .take_while(|&b| b != b'\n')
            .all(|b| b == b' ' || b == b'\t' || b == b'\r')
    }

    /// The items between tokens `from` and `to` (a case's braces).
    fn items(&mut self, from: usize, to: usize) -> Vec<TestItem> {
        let mut items = Vec::new();
        let mut p = from;
        while p < to {
            let word = (self.kind(p) == Kind::Word).then(|| self.text(p));
            match word {
                Some(w) if ITEMS.contains(&w) => {
                    let (item, next) = self.item(p, to);
                    items.extend(item);
                    p = next;
                }
                _ => {
                    self.expected(
                        p,
                        "an item",
                        "expected `event`, `output`, `choose` or `expect`",
                    );
                    let help = word
                        .and_then(|w| suggest(w, ITEMS.iter().chain(&EXPECTATIONS).copied()))
                        .map(|s| match EXPECTATIONS.contains(&s) {
                            true => format!("did you mean `expect {s}`?"),
                            false => format!("did you mean `{s}`?"),
                        });
                    if let (Some(help), Some(last)) = (help, self.diags.last_mut()) {
                        *last = last.clone().with_help(help);
                    }
                    p = self.resume(p, to);
                }
            }
        }
        items
    }

    /// The next item's first word after a mistake at token `p`.
    fn resume(&self, p: usize, to: usize) -> usize {
        let mut p = self.skip(p);
        while p < to && !(self.kind(p) == Kind::Word && ITEMS.contains(&self.text(p))) {
            p = self.skip(p);
        }
        p.min(to)
    }

    /// The item starting at token `k`, and the token after it.
    fn item(&mut self, k: usize, to: usize) -> (Option<TestItem>, usize) {
        let keyword = self.span(k);
        let read = match self.text(k) {
            "event" => self
                .value(k + 1, to)
                .map(|(v, n)| (TestItemKind::Event(v), n)),
            "output" => self.id(k + 1, to, "a step id").and_then(|id| {
                self.value(k + 2, to)
                    .map(|(value, n)| (TestItemKind::Output { id, value }, n))
            }),
            "choose" => self.id(k + 1, to, "a block id").and_then(|id| {
                self.name(k + 2, to, "a branch name")
                    .map(|branch| (TestItemKind::Choose { id, branch }, k + 3))
            }),
            _ => self.expectation(k + 1, to),
        };
        match read {
            Some((kind, next)) => {
                let end = self.span(next - 1).end;
                let item = TestItem {
                    keyword,
                    kind,
                    span: Span::new(keyword.start, end),
                };
                (Some(item), next)
            }
            None => (None, self.resume(k, to)),
        }
    }

    fn expectation(&mut self, k: usize, to: usize) -> Option<(TestItemKind, usize)> {
        let word = (k < to && self.kind(k) == Kind::Word).then(|| self.text(k));
        match word {
            Some("fires") => {
                let value = match (k + 1 < to).then(|| self.text(k + 1)) {
                    Some("true") => true,
                    Some("false") => false,
                    _ => {
                        self.expected(k + 1, "`true` or `false`", "whether the trigger fires");
                        return None;
                    }
                };
                let fires = TestItemKind::ExpectFires {
                    fires: value,
                    span: self.span(k + 1),
                };
                Some((fires, k + 2))
            }
            Some("ran") => self
                .id_list(k + 1, to)
                .map(|(l, n)| (TestItemKind::ExpectRan(l), n)),
            Some("skipped") => self
                .id_list(k + 1, to)
                .map(|(l, n)| (TestItemKind::ExpectSkipped(l), n)),
            Some("input") => self.id(k + 1, to, "a step id").and_then(|id| {
                self.value(k + 2, to)
                    .map(|(value, n)| (TestItemKind::ExpectInput { id, value }, n))
            }),
            Some("branch") => self.id(k + 1, to, "an if or block id").and_then(|id| {
                self.name(k + 2, to, "a branch name")
                    .map(|branch| (TestItemKind::ExpectBranch { id, branch }, k + 3))
            }),
            _ => {
                self.expected(
                    k,
                    "`fires`, `ran`, `skipped`, `input` or `branch` after `expect`",
                    "expected what to expect",
                );
                if let Some(s) = word.and_then(|w| suggest(w, EXPECTATIONS)) {
                    if let Some(last) = self.diags.last_mut() {
                        *last = last
                            .clone()
                            .with_help(format!("did you mean `expect {s}`?"));
                    }
                }
                None
            }
        }
    }

    /// An id: a bare identifier or name (`if-1`), or a string.
    fn id(&mut self, i: usize, to: usize, what: &str) -> Option<Text> {
        if i < to && self.kind(i) == Kind::Word && super::is_name(self.text(i)) {
            return Some(Text {
                value: self.text(i).to_string(),
                span: self.span(i),
            });
        }
        if i < to && self.kind(i) == Kind::Str {
            return self.plain_text(i);
        }
        if self.kind(i) != Kind::OpenStr {
            self.expected(i, what, &format!("expected {what}"));
        }
        None
    }

    /// A branch name: a name, or a string.
    fn name(&mut self, i: usize, to: usize, what: &str) -> Option<Text> {
        self.id(i, to, what)
    }

    fn id_list(&mut self, i: usize, to: usize) -> Option<(IdList, usize)> {
        let close = match (self.kind(i), self.groups.get(i).copied().flatten()) {
            (Kind::Open(b'['), Some(close)) if close < to => close,
            (Kind::Open(b'['), None) if self.truncated => return None,
            (Kind::Open(b'['), _) => {
                self.diags.push(
                    Diagnostic::new(Code::E600, self.span(i), "this `[` is never closed")
                        .with_label("the list starts here")
                        .with_help("close the list with `]`"),
                );
                return None;
            }
            _ => {
                self.expected(i, "a list of ids", "expected `[` and step ids: `[a, b]`");
                return None;
            }
        };
        let mut ids = Vec::new();
        let mut p = i + 1;
        while p < close {
            ids.push(self.id(p, close, "a step id")?);
            p += 1;
            if self.kind(p) == Kind::Comma {
                p += 1;
            }
        }
        let span = self.span(i).to(self.span(close));
        Some((IdList { ids, span }, close + 1))
    }

    /// A string or text block read as plain text.
    fn plain_text(&mut self, i: usize) -> Option<Text> {
        let pair = self.piece(self.span(i))?;
        Some(self.low.text(pair))
    }

    /// The value starting at token `i`, and the token after it.
    fn value(&mut self, i: usize, to: usize) -> Option<(Value, usize)> {
        let end = match self.kind(i) {
            _ if i >= to => {
                self.expected(i, "a value", "expected a value");
                return None;
            }
            Kind::Str | Kind::Word => i,
            Kind::Open(b'{' | b'[') => match self.groups[i] {
                Some(close) if close < to => close,
                None if self.truncated => return None,
                _ => {
                    let what = self.text(i);
                    self.diags.push(
                        Diagnostic::new(
                            Code::E600,
                            self.span(i),
                            format!("this `{what}` is never closed"),
                        )
                        .with_label("the value starts here"),
                    );
                    return None;
                }
            },
            Kind::OpenStr => return None,
            _ => {
                self.expected(i, "a value", "expected a value");
                return None;
            }
        };
        let span = self.span(i).to(self.span(end));
        let Some(pair) = self.piece(span) else {
            self.report_piece(span);
            return None;
        };
        let value = self.low.value(pair, Mode::Data);
        self.duplicate_keys(&value);
        Some((value, end + 1))
    }

    /// The grammar's `value_piece` on `span`, lowered from its offset.
    fn piece(&mut self, span: Span) -> Option<pest::iterators::Pair<'s, Rule>> {
        let src: &'s str = self.src;
        let pairs = FlowParser::parse(Rule::value_piece, &src[span.start..span.end]).ok()?;
        self.low.rebase(span.start);
        pairs.into_iter().next()?.into_inner().next()
    }

    /// Says where and why the value on `span` does not parse.
    fn report_piece(&mut self, span: Span) {
        // A string left open in the value is its one mistake, reported
        // (E101); what pest says of the rest would be a second.
        let from = self.tokens.partition_point(|t| t.span.start < span.start);
        if self.tokens[from..]
            .iter()
            .take_while(|t| t.span.start < span.end)
            .any(|t| t.kind == Kind::OpenStr)
        {
            return;
        }
        pest::set_error_detail(true);
        let err = FlowParser::parse(Rule::value_piece, &self.src[span.start..span.end]).err();
        pest::set_error_detail(false);
        let (at, expected) = match err {
            Some(err) => pest_expected(&err),
            None => (0, "a value".to_string()),
        };
        let at = (span.start + at).min(span.end.saturating_sub(1));
        let (found, width) = found_at(self.src, at);
        let width = self.src[at..]
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .find(|&w| w >= width.min(span.end - at).max(1))
            .unwrap_or(0);
        self.diags.push(
            Diagnostic::new(
                Code::E600,
                Span::new(at, at + width),
                format!("expected {expected}, found {found}"),
            )
            .with_label(format!("expected {}", shorten(&expected, 60))),
        );
    }

    /// E109 for a key written twice in one object of a value.
    fn duplicate_keys(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::Object(Object { members, .. }) => {
                let mut seen: foldhash::HashMap<&str, Span> = Default::default();
                for m in members {
                    if let Some(first) = seen.insert(&m.key.value, m.key.span) {
                        seen.insert(&m.key.value, first);
                        self.diags.push(
                            Diagnostic::new(
                                Code::E109,
                                m.key.span,
                                format!("duplicate key `{}`", shorten(&m.key.value, 40)),
                            )
                            .with_label("written again here")
                            .with_secondary(first, "first written here")
                            .with_help("keep one of the two"),
                        );
                    }
                    self.duplicate_keys(&m.value);
                }
            }
            ValueKind::Array(items) => items.iter().for_each(|v| self.duplicate_keys(v)),
            _ => {}
        }
    }
}
