//! Lowering: pest's parse tree to [`crate::ast`], one function per grammar rule.
//!
//! This is where escapes, text blocks and references inside strings are
//! decoded, and where shape errors that the grammar accepts on purpose get
//! their codes: bare words (E111), headers after statements (E100), a bad
//! text-block opening line (E101).

use super::strings::{decode_string, decode_text_block, Chunk, Decoded};
use super::Rule;
use crate::ast::*;
use crate::diagnostic::{shorten, Code, Diagnostic};
use crate::span::Span;
use pest::iterators::{Pair, Pairs};

/// How strings in a value are read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Step inputs, conditions, block inputs, trigger configuration:
    /// `<<…>>` and `{{…}}` are references, bare paths are references.
    Template,
    /// `raw`, `editor_state`, `constraints`: plain data; a bare path is E111.
    Data,
}

pub(crate) struct Lowerer<'s> {
    /// The whole file.
    src: &'s str,
    /// Where the text pest parsed starts in the file: a clean file's body is
    /// parsed in runs, and a broken one in pieces, each on its own.
    base: usize,
    /// Every comment, in source order, to trim trailing trivia off spans.
    comments: &'s [Comment],
    pub diags: Vec<Diagnostic>,
}

impl<'s> Lowerer<'s> {
    pub fn new(src: &'s str, base: usize, comments: &'s [Comment]) -> Lowerer<'s> {
        Lowerer {
            src,
            base,
            comments,
            diags: Vec::new(),
        }
    }

    /// Lowers pairs of a piece parsed on its own, starting at `base`.
    pub fn rebase(&mut self, base: usize) {
        self.base = base;
    }

    /// The file offset of an offset in the parsed text.
    fn at(&self, offset: usize) -> usize {
        self.base + offset
    }

    /// A pair's span without the whitespace and comments pest takes in
    /// when an optional part at its end is absent (`step a: t // note`).
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        let (start, mut end) = (self.at(span.start()), self.at(span.end()));
        let bytes = self.src.as_bytes();
        let last = bytes[..end].last().copied();
        // A comment ends at a line feed, at the end of the file or after
        // `*/`; anywhere else (most nodes) there is nothing to trim.
        let may_end_comment = !self.comments.is_empty()
            && (matches!(bytes.get(end), None | Some(b'\n')) || bytes[..end].ends_with(b"*/"));
        if !may_end_comment && !matches!(last, Some(b' ' | b'\t' | b'\r' | b'\n')) {
            return Span::new(start, end);
        }
        loop {
            // Bytes, not chars: the four are ASCII, and this runs for every
            // node of a file with comments.
            while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
                end -= 1;
            }
            match self.comments.binary_search_by_key(&end, |c| c.span.end) {
                Ok(i) if self.comments[i].span.start >= start => end = self.comments[i].span.start,
                _ => break,
            }
        }
        Span::new(start, end)
    }

    /// The `workflow_head` rule: keyword, name and headers (the parallel
    /// parse reads the statements apart).
    pub fn workflow_head(&mut self, pair: Pair<'_, Rule>) -> (Span, Text, Vec<Header>) {
        let mut inner = pair.into_inner();
        let keyword = self.span(&inner.next().expect("workflow keyword"));
        let name = self.text(inner.next().expect("workflow name"));
        let headers = inner
            .filter(|p| p.as_rule() != Rule::EOI)
            .map(|h| self.header(h))
            .collect();
        (keyword, name, headers)
    }

    /// The `statements` rule: a run of the body's statements, added to
    /// `stmts`.
    pub fn statement_run(&mut self, pair: Pair<'_, Rule>, stmts: &mut Vec<Stmt>) {
        for p in pair.into_inner() {
            if p.as_rule() != Rule::EOI {
                stmts.push(self.statement(p));
            }
        }
    }

    pub fn workflow(&mut self, pair: Pair<'_, Rule>) -> Workflow {
        let whole = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = self.span(&inner.next().expect("workflow keyword"));
        let name = self.text(inner.next().expect("workflow name"));
        let mut headers = Vec::new();
        let mut body = Vec::new();
        for item in inner {
            match item.as_rule() {
                Rule::description
                | Rule::trigger
                | Rule::when
                | Rule::constraints
                | Rule::editor_state => {
                    let header = self.header(item);
                    if let Some(first) = body.first() {
                        self.diags.push(header_after_statement(&header, first));
                    }
                    headers.push(header);
                }
                _ => body.push(self.statement(item)),
            }
        }
        Workflow {
            keyword,
            name,
            headers,
            body,
            span: whole,
        }
    }

    pub(crate) fn header(&mut self, pair: Pair<'_, Rule>) -> Header {
        let whole = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let keyword = self.span(&inner.next().expect("header keyword"));
        let kind = match rule {
            Rule::description => {
                HeaderKind::Description(self.text(inner.next().expect("description")))
            }
            Rule::trigger => {
                let name = self.name(inner.next().expect("trigger name"));
                let config = inner.next().map(|v| self.value(v, Mode::Template));
                HeaderKind::Trigger { name, config }
            }
            Rule::when => HeaderKind::When(self.expr(inner.next().expect("expression"))),
            Rule::constraints => {
                HeaderKind::Constraints(self.value(inner.next().expect("value"), Mode::Data))
            }
            _ => HeaderKind::EditorState(self.value(inner.next().expect("value"), Mode::Data)),
        };
        Header {
            keyword,
            kind,
            span: whole,
        }
    }

    fn statements(&mut self, pairs: Pairs<'_, Rule>) -> Vec<Stmt> {
        pairs.map(|p| self.statement(p)).collect()
    }

    pub fn statement(&mut self, pair: Pair<'_, Rule>) -> Stmt {
        match pair.as_rule() {
            Rule::step => Stmt::Step(self.step(pair)),
            Rule::if_stmt => Stmt::If(self.if_stmt(pair)),
            Rule::block => Stmt::Block(self.block(pair)),
            _ => {
                let whole = self.span(&pair);
                let mut inner = pair.into_inner();
                let keyword = self.span(&inner.next().expect("raw keyword"));
                let object = self.object(inner.next().expect("raw object"), Mode::Data);
                Stmt::Raw(Raw {
                    keyword,
                    object,
                    span: whole,
                })
            }
        }
    }

    fn step(&mut self, pair: Pair<'_, Rule>) -> Step {
        let whole = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = self.span(&inner.next().expect("step keyword"));
        let id = self.id(inner.next().expect("step id"));
        let ty = self.id(inner.next().expect("step type"));
        let mut name = None;
        let mut input = None;
        for part in inner {
            match part.as_rule() {
                Rule::object => input = Some(self.object(part, Mode::Template)),
                _ => name = Some(self.text(part)),
            }
        }
        Step {
            keyword,
            id,
            ty,
            name,
            input,
            span: whole,
        }
    }

    fn if_stmt(&mut self, pair: Pair<'_, Rule>) -> If {
        let whole = self.span(&pair);
        // Numbered once the whole body is read (`ast::number_ifs`).
        let number = 0;
        let mut inner = pair.into_inner().peekable();
        let keyword = self.span(&inner.next().expect("if keyword"));
        let id = match inner.peek().map(Pair::as_rule) {
            Some(Rule::condition) | None => None,
            Some(_) => Some(self.id(inner.next().expect("peeked"))),
        };
        let condition = self.condition(inner.next().expect("condition"));
        let then = self.body(inner.next().expect("then body"));
        let otherwise = inner.next().map(|clause| {
            let branch = clause.into_inner().nth(1).expect("else branch");
            match branch.as_rule() {
                Rule::if_stmt => Else::If(Box::new(self.if_stmt(branch))),
                _ => Else::Body(self.body(branch)),
            }
        });
        If {
            keyword,
            id,
            number,
            condition,
            then,
            otherwise,
            span: whole,
        }
    }

    fn body(&mut self, pair: Pair<'_, Rule>) -> Body {
        let whole = self.span(&pair);
        Body {
            stmts: self.statements(pair.into_inner()),
            span: whole,
        }
    }

    pub(crate) fn condition(&mut self, pair: Pair<'_, Rule>) -> Condition {
        let mut inner = pair.into_inner();
        let left = self.value(inner.next().expect("left operand"), Mode::Template);
        let op = inner.next().expect("operator");
        let operator = Text {
            value: op.as_str().to_string(),
            span: self.span(&op),
        };
        let right = self.value(inner.next().expect("right operand"), Mode::Template);
        Condition {
            left,
            operator,
            right,
        }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let whole = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = self.span(&inner.next().expect("block keyword"));
        let id = self.id(inner.next().expect("block id"));
        let ty = self.id(inner.next().expect("block type"));
        let mut inputs = None;
        let mut branches = Vec::new();
        for part in inner {
            match part.as_rule() {
                Rule::kw_inputs => {}
                Rule::object => inputs = Some(self.object(part, Mode::Template)),
                _ => {
                    let mut b = part.into_inner();
                    b.next(); // `branch`
                    let name = self.name(b.next().expect("branch name"));
                    let body = self.body(b.next().expect("branch body"));
                    branches.push(Branch { name, body });
                }
            }
        }
        Block {
            keyword,
            id,
            ty,
            inputs,
            branches,
            span: whole,
        }
    }

    /// An id or type: a bare name or a string, read as plain text.
    fn id(&mut self, pair: Pair<'_, Rule>) -> Text {
        match pair.as_rule() {
            Rule::identifier | Rule::name => self.name(pair),
            _ => self.text(pair),
        }
    }

    pub(crate) fn name(&mut self, pair: Pair<'_, Rule>) -> Text {
        Text {
            value: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    /// A string or text block read as plain text.
    pub(crate) fn text(&mut self, pair: Pair<'_, Rule>) -> Text {
        let whole = self.span(&pair);
        let value = self.decode(pair).plain();
        Text { value, span: whole }
    }

    fn decode<'i>(&mut self, pair: Pair<'i, Rule>) -> Decoded<'i> {
        match pair.as_rule() {
            Rule::string => {
                let written = pair.as_str();
                let inner = &written[1..written.len() - 1];
                decode_string(self.at(pair.as_span().start()) + 1, inner, &mut self.diags)
            }
            _ => self.text_block(pair),
        }
    }

    fn text_block(&mut self, pair: Pair<'_, Rule>) -> Decoded<'static> {
        let mut lines = Vec::new();
        let mut indent = "";
        for part in pair.into_inner() {
            let text = part.as_str();
            match part.as_rule() {
                Rule::tb_trailing => {
                    if !text.trim_matches([' ', '\t']).is_empty() {
                        let trimmed = text.trim_start_matches([' ', '\t']);
                        let start = self.at(part.as_span().start()) + text.len() - trimmed.len();
                        self.diags.push(
                            Diagnostic::new(
                                Code::E101,
                                Span::new(start, self.at(part.as_span().end())),
                                "text after the opening `\"\"\"` of a text block",
                            )
                            .with_label("nothing may follow `\"\"\"` on its line")
                            .with_help("start the text on the next line, or use a `\"…\"` string"),
                        );
                    }
                }
                Rule::tb_line => {
                    let content = text.strip_suffix('\n').unwrap_or(text);
                    let content = content.strip_suffix('\r').unwrap_or(content);
                    lines.push(Chunk {
                        offset: self.at(part.as_span().start()),
                        text: content,
                    });
                }
                _ => indent = text,
            }
        }
        decode_text_block(&lines, indent, &mut self.diags)
    }

    pub(crate) fn value(&mut self, pair: Pair<'_, Rule>, mode: Mode) -> Value {
        let whole = self.span(&pair);
        let inner = pair;
        let kind = match inner.as_rule() {
            Rule::string | Rule::text_block => {
                let decoded = self.decode(inner);
                match mode {
                    Mode::Template => ValueKind::String(decoded.template(&mut self.diags)),
                    Mode::Data => ValueKind::String(vec![Piece::Text(decoded.plain())]),
                }
            }
            Rule::number => ValueKind::Number(inner.as_str().to_string()),
            Rule::kw_true => ValueKind::Bool(true),
            Rule::kw_false => ValueKind::Bool(false),
            Rule::kw_null => ValueKind::Null,
            Rule::object => ValueKind::Object(self.object(inner, mode)),
            Rule::array => {
                ValueKind::Array(inner.into_inner().map(|v| self.value(v, mode)).collect())
            }
            Rule::path if mode == Mode::Template => ValueKind::Path(Reference {
                segments: inner.as_str().split('.').map(str::to_string).collect(),
                span: whole,
            }),
            Rule::path => {
                self.diags.push(
                    Diagnostic::new(
                        Code::E111,
                        whole,
                        format!("bare path `{}` in plain data", shorten(inner.as_str(), 40)),
                    )
                    .with_label("references are not read here")
                    .with_help(format!(
                        "`raw`, `constraints` and `editor_state` hold plain data: quote it, \"{}\"",
                        inner.as_str()
                    )),
                );
                ValueKind::Invalid
            }
            _ => {
                self.diags.push(
                    Diagnostic::new(
                        Code::E111,
                        whole,
                        format!(
                            "bare word `{}` where a value is expected",
                            shorten(inner.as_str(), 40)
                        ),
                    )
                    .with_label("expected a value")
                    .with_help(format!("quote it: \"{}\"", shorten(inner.as_str(), 40))),
                );
                ValueKind::Invalid
            }
        };
        Value { kind, span: whole }
    }

    pub(crate) fn object(&mut self, pair: Pair<'_, Rule>, mode: Mode) -> Object {
        let whole = self.span(&pair);
        // `member` is silent: keys and values come in turn.
        let mut inner = pair.into_inner();
        let mut members = Vec::with_capacity(inner.len() / 2);
        while let Some(key_pair) = inner.next() {
            let key = match key_pair.as_rule() {
                Rule::name => self.name(key_pair),
                _ => self.text(key_pair),
            };
            let value = self.value(inner.next().expect("member value"), mode);
            members.push(Member { key, value });
        }
        Object {
            members,
            span: whole,
        }
    }

    pub(crate) fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let whole = self.span(&pair);
        match pair.as_rule() {
            Rule::expr | Rule::and_expr => {
                let rule = pair.as_rule();
                let mut parts: Vec<Expr> = pair
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::kw_and | Rule::kw_or))
                    .map(|p| self.expr(p))
                    .collect();
                if parts.len() == 1 {
                    return parts.pop().expect("one part");
                }
                let kind = if rule == Rule::expr {
                    ExprKind::Or(parts)
                } else {
                    ExprKind::And(parts)
                };
                Expr { kind, span: whole }
            }
            Rule::not_expr => {
                let mut inner = pair.into_inner();
                let first = inner.next().expect("not or comparison");
                match first.as_rule() {
                    Rule::not_op => Expr {
                        kind: ExprKind::Not(Box::new(self.expr(inner.next().expect("negated")))),
                        span: whole,
                    },
                    _ => self.expr(first),
                }
            }
            Rule::cmp => {
                let mut inner = pair.into_inner();
                let first = self.expr(inner.next().expect("first term"));
                let mut rest = Vec::new();
                while let Some(op) = inner.next() {
                    let op = CompareOp {
                        op: match op.as_str() {
                            "in" => "in",
                            s if s.starts_with("not") => "not in",
                            s => compare_op(s),
                        },
                        span: self.span(&op),
                    };
                    rest.push((op, self.expr(inner.next().expect("next term"))));
                }
                if rest.is_empty() {
                    return first;
                }
                Expr {
                    kind: ExprKind::Compare {
                        first: Box::new(first),
                        rest,
                    },
                    span: whole,
                }
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.name(inner.next().expect("call name"));
                let args = inner.map(|a| self.expr(a)).collect();
                Expr {
                    kind: ExprKind::Call { name, args },
                    span: whole,
                }
            }
            Rule::list => Expr {
                kind: ExprKind::List(pair.into_inner().map(|e| self.expr(e)).collect()),
                span: whole,
            },
            Rule::paren => Expr {
                kind: ExprKind::Paren(Box::new(
                    self.expr(pair.into_inner().next().expect("inner")),
                )),
                span: whole,
            },
            Rule::var => Expr {
                kind: ExprKind::Var(pair.as_str().to_string()),
                span: whole,
            },
            Rule::path => Expr {
                kind: ExprKind::Var(pair.as_str().to_string()),
                span: whole,
            },
            Rule::string | Rule::text_block => {
                let text = self.decode(pair).plain();
                Expr {
                    kind: ExprKind::Literal(Value {
                        kind: ValueKind::String(vec![Piece::Text(text)]),
                        span: whole,
                    }),
                    span: whole,
                }
            }
            rule => {
                let kind = match rule {
                    Rule::number => ValueKind::Number(pair.as_str().to_string()),
                    Rule::kw_true => ValueKind::Bool(true),
                    Rule::kw_false => ValueKind::Bool(false),
                    _ => ValueKind::Null,
                };
                Expr {
                    kind: ExprKind::Literal(Value { kind, span: whole }),
                    span: whole,
                }
            }
        }
    }
}

/// E100 for a header written after the workflow's first statement.
pub(crate) fn header_after_statement(header: &Header, first: &Stmt) -> Diagnostic {
    let start = first.span().start;
    Diagnostic::new(
        Code::E100,
        header.keyword,
        format!(
            "header `{}` after the first statement",
            header.kind.keyword()
        ),
    )
    .with_label("headers must come first")
    .with_secondary(Span::new(start, start), "the first statement starts here")
    .with_help("move it above the first statement")
}

fn compare_op(symbol: &str) -> &'static str {
    match symbol {
        "===" => "===",
        "!==" => "!==",
        "==" => "==",
        "!=" => "!=",
        ">=" => ">=",
        ">" => ">",
        "<=" => "<=",
        _ => "<",
    }
}
