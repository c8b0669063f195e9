//! `flowc fmt`: one canonical layout for a parsed file, comments and single blank lines kept (SPEC §9).
//!
//! The printer works on the syntax tree, so the same code writes what the
//! importer builds. With the original source at hand it also keeps comments
//! where they stand, single blank lines between statements, and text blocks
//! where the author wrote them.

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Lines longer than this put one member of an object or array a line.
pub const WIDTH: usize = 100;

/// Formats a source text; `Err` with its diagnostics when it has syntax errors (E1xx).
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::syntax::parse(src);
    let syntax: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code.is_syntax())
        .cloned()
        .collect();
    match parsed.file {
        Some(file) if syntax.is_empty() && !parsed.fatal => Ok(format(&file, Some(src))),
        _ => Err(syntax),
    }
}

/// Prints `file` in canonical layout. `src` is the text it was parsed from,
/// if any: comments, blank lines and text blocks come from it.
pub fn format(file: &File, src: Option<&str>) -> String {
    let mut p = Printer {
        out: String::new(),
        src,
        comments: if src.is_some() { &file.comments } else { &[] },
        next: 0,
        indent: 0,
        last_end: 0,
    };
    p.file(file);
    p.out
}

/// Formats a `.flowtest` source text (SPEC §15); `Err` with its syntax
/// diagnostics when it has any.
pub fn format_test_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::syntax::parse_test(src);
    if parsed.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(parsed.diagnostics);
    }
    let mut p = Printer {
        out: String::new(),
        src: Some(src),
        comments: &parsed.file.comments,
        next: 0,
        indent: 0,
        last_end: 0,
    };
    p.test_file(&parsed.file);
    Ok(p.out)
}

/// How a string's text is read back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// References are read: literal `<<` and `{{` need escaping.
    Template,
    /// Plain text: written as it is.
    Plain,
}

/// An object or an array, borrowed, for the one-line attempt.
#[derive(Clone, Copy)]
enum Compound<'v> {
    Object(&'v Object),
    Array(&'v [Value], Span),
}

struct Printer<'a> {
    out: String,
    src: Option<&'a str>,
    comments: &'a [Comment],
    /// The first comment not printed yet.
    next: usize,
    indent: usize,
    /// Source offset just past the last thing printed.
    last_end: usize,
}

use crate::syntax::{is_identifier, is_name};

/// Characters of a string as written between its quotes.
fn escape_into(
    out: &mut String,
    text: &str,
    mode: Mode,
    next_is_marker: Option<char>,
    in_block: bool,
) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if !in_block => out.push_str("\\\""),
            '"' if in_block && out.ends_with("\"\"") => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if in_block => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if !in_block => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            '<' | '{' if mode == Mode::Template => {
                // A marker character followed by the same one would open a
                // reference: escape the first.
                let following = chars.peek().copied().or(next_is_marker);
                if following == Some(c) {
                    out.push('\\');
                }
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// The decoded pieces of a string, written back between quotes (no quotes).
fn string_body(pieces: &[Piece], mode: Mode, in_block: bool) -> String {
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                let next = match pieces.get(i + 1) {
                    Some(Piece::Ref(_)) => Some('<'),
                    _ => None,
                };
                escape_into(&mut out, t, mode, next, in_block);
            }
            Piece::Ref(r) => {
                out.push_str("<<");
                out.push_str(&r.path());
                out.push_str(">>");
            }
        }
    }
    out
}

/// Whether a text block can hold this text exactly: several lines, none of
/// which has only whitespace or ends in whitespace (editors strip those).
fn fits_text_block(pieces: &[Piece]) -> bool {
    let text: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.as_str(),
            Piece::Ref(_) => "x",
        })
        .collect();
    text.contains('\n')
        && !text.contains('\r')
        && text
            .split('\n')
            .all(|line| line.is_empty() || !line.ends_with([' ', '\t']))
}

impl Printer<'_> {
    /// A printer with no source: no comments, no blank lines to keep.
    fn detached() -> Printer<'static> {
        Printer {
            out: String::new(),
            src: None,
            comments: &[],
            next: 0,
            indent: 0,
            last_end: 0,
        }
    }

    fn column(&self) -> usize {
        let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
        self.out[line_start..].chars().count()
    }

    fn push_indent(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    fn newline(&mut self) {
        self.out.push('\n');
    }

    /// A blank line stands in the source between `from` and `to`.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        let Some(src) = self.src else { return false };
        if from >= to || to > src.len() {
            return false;
        }
        let gap = &src[from..to];
        let mut newlines = 0;
        for c in gap.chars() {
            match c {
                '\n' => {
                    newlines += 1;
                    if newlines >= 2 {
                        return true;
                    }
                }
                ' ' | '\t' | '\r' => {}
                _ => newlines = 0,
            }
        }
        false
    }

    fn comment_text(&self, c: &Comment) -> &str {
        let src = self.src.unwrap_or_default();
        src[c.span.start..c.span.end].trim_end()
    }

    /// Prints, each on its own line, the comments that start before `until`;
    /// with `blank_lines`, a blank line of the source before each item is kept
    /// (`first` is true at the start of a list, where none is).
    fn leading(&mut self, until: usize, blank_lines: bool, mut first: bool) {
        while let Some(c) = self
            .comments
            .get(self.next)
            .filter(|c| c.span.start < until)
        {
            if blank_lines && !first && self.blank_between(self.last_end, c.span.start) {
                self.newline();
            }
            self.push_indent();
            let text = self.comment_text(c).to_string();
            self.out.push_str(&text);
            self.newline();
            self.last_end = c.span.end;
            self.next += 1;
            first = false;
        }
        if blank_lines && !first && self.blank_between(self.last_end, until) {
            self.newline();
        }
    }

    /// Appends the comments that stand on the same source line after `end`.
    fn trailing(&mut self, end: usize) {
        self.last_end = self.last_end.max(end);
        let Some(src) = self.src else { return };
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start < self.last_end || src[self.last_end..c.span.start].contains('\n') {
                break;
            }
            let text = self.comment_text(c).to_string();
            self.out.push(' ');
            self.out.push_str(&text);
            self.last_end = c.span.end;
            self.next += 1;
            if !c.block {
                break;
            }
        }
    }

    fn has_comment_in(&self, span: Span) -> bool {
        self.comments[self.next..]
            .iter()
            .take_while(|c| c.span.start < span.end)
            .any(|c| c.span.start >= span.start)
    }

    fn file(&mut self, file: &File) {
        let wf = &file.workflow;
        self.leading(wf.keyword.start, true, true);
        self.out.push_str("workflow ");
        self.text(&wf.name);
        self.out.push_str(" {");
        self.trailing(wf.name.span.end);
        self.newline();
        self.indent += 1;
        for header in &wf.headers {
            self.leading(header.span.start, false, true);
            self.push_indent();
            self.header(header);
            self.trailing(header.span.end);
            self.newline();
        }
        let mut first = true;
        for stmt in &wf.body {
            if first && !wf.headers.is_empty() {
                self.newline();
            }
            self.leading(stmt.span().start, true, first);
            self.stmt(stmt);
            first = false;
        }
        self.leading(wf.span.end.saturating_sub(1), true, first);
        self.indent -= 1;
        self.out.push('}');
        self.trailing(wf.span.end);
        self.newline();
        // Comments after the workflow.
        self.leading(usize::MAX, true, false);
    }

    fn test_file(&mut self, file: &TestFile) {
        for (i, case) in file.cases.iter().enumerate() {
            self.leading(case.keyword.start, true, i == 0);
            if i > 0 && !self.out.ends_with("\n\n") {
                self.newline();
            }
            self.out.push_str("test ");
            self.text(&case.name);
            self.out.push_str(" {");
            self.trailing(case.name.span.end);
            self.newline();
            self.indent += 1;
            let mut first = true;
            for item in &case.items {
                self.leading(item.span.start, true, first);
                self.push_indent();
                self.test_item(&item.kind);
                self.trailing(item.span.end);
                self.newline();
                first = false;
            }
            self.leading(case.span.end.saturating_sub(1), true, first);
            self.indent -= 1;
            self.out.push('}');
            self.trailing(case.span.end);
            self.newline();
        }
        self.leading(usize::MAX, true, file.cases.is_empty());
    }

    fn test_item(&mut self, kind: &TestItemKind) {
        self.out.push_str(kind.words());
        match kind {
            TestItemKind::Event(value) => {
                self.out.push(' ');
                self.value(value, Mode::Plain);
            }
            TestItemKind::Output { id, value } | TestItemKind::ExpectInput { id, value } => {
                self.out.push(' ');
                self.ty(id);
                self.out.push(' ');
                self.value(value, Mode::Plain);
            }
            TestItemKind::Choose { id, branch } | TestItemKind::ExpectBranch { id, branch } => {
                self.out.push(' ');
                self.ty(id);
                self.out.push(' ');
                self.ty(branch);
            }
            TestItemKind::ExpectFires { fires, .. } => {
                self.out.push_str(if *fires { " true" } else { " false" });
            }
            TestItemKind::ExpectRan(list) | TestItemKind::ExpectSkipped(list) => {
                self.out.push_str(" [");
                for (i, id) in list.ids.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.ty(id);
                }
                self.out.push(']');
                self.last_end = self.last_end.max(list.span.end);
            }
        }
    }

    fn header(&mut self, header: &Header) {
        match &header.kind {
            HeaderKind::Description(text) => {
                self.out.push_str("description ");
                self.text(text);
            }
            HeaderKind::Trigger { name, config } => {
                self.out.push_str("trigger ");
                self.out.push_str(&name.value);
                if let Some(config) = config {
                    self.out.push(' ');
                    self.value(config, Mode::Template);
                }
            }
            HeaderKind::When(expr) => {
                self.out.push_str("when ");
                let text = expr_text(expr);
                self.out.push_str(&text);
            }
            HeaderKind::Constraints(value) => {
                self.out.push_str("constraints ");
                self.value(value, Mode::Plain);
            }
            HeaderKind::EditorState(value) => {
                self.out.push_str("editor_state ");
                self.value(value, Mode::Plain);
            }
            // `fmt` refuses files with syntax errors, the only ones that
            // hold these; the keyword alone keeps the printer total.
            HeaderKind::Broken(keyword) => self.out.push_str(keyword),
        }
    }

    fn stmts(&mut self, stmts: &[Stmt], close: usize) {
        let mut first = true;
        for stmt in stmts {
            self.leading(stmt.span().start, true, first);
            self.stmt(stmt);
            first = false;
        }
        self.leading(close, true, first);
    }

    fn stmt(&mut self, stmt: &Stmt) {
        self.push_indent();
        match stmt {
            Stmt::Step(step) => {
                self.out.push_str("step ");
                self.id(&step.id);
                self.out.push_str(": ");
                self.ty(&step.ty);
                if let Some(name) = &step.name {
                    self.out.push(' ');
                    self.text(name);
                }
                if let Some(input) = &step.input {
                    self.out.push(' ');
                    self.object(input, Mode::Template, 0);
                }
            }
            Stmt::If(i) => self.if_stmt(i),
            Stmt::Block(b) => {
                self.out.push_str("block ");
                self.id(&b.id);
                self.out.push_str(": ");
                self.ty(&b.ty);
                self.out.push_str(" {");
                self.newline();
                self.indent += 1;
                let mut first = true;
                if let Some(inputs) = &b.inputs {
                    self.leading(inputs.span.start, false, true);
                    self.push_indent();
                    self.out.push_str("inputs ");
                    self.object(inputs, Mode::Template, 0);
                    self.trailing(inputs.span.end);
                    self.newline();
                    first = false;
                }
                for branch in &b.branches {
                    self.leading(branch.name.span.start, true, first);
                    self.push_indent();
                    self.out.push_str("branch ");
                    self.out.push_str(&branch.name.value);
                    self.out.push(' ');
                    self.body(&branch.body);
                    self.trailing(branch.body.span.end);
                    self.newline();
                    first = false;
                }
                self.leading(b.span.end.saturating_sub(1), true, first);
                self.indent -= 1;
                self.push_indent();
                self.out.push('}');
            }
            Stmt::Raw(r) => {
                self.out.push_str("raw ");
                self.object(&r.object, Mode::Plain, 0);
            }
            // Only in files with syntax errors, which `fmt` refuses.
            Stmt::Error(e) => {
                self.out.push_str(match e.kind {
                    StmtKind::Step => "step",
                    StmtKind::If => "if",
                    StmtKind::Block => "block",
                    StmtKind::Raw => "raw",
                });
                if let Some(id) = &e.id {
                    self.out.push(' ');
                    self.id(id);
                }
            }
        }
        self.trailing(stmt.span().end);
        self.newline();
    }

    fn if_stmt(&mut self, i: &If) {
        self.out.push_str("if ");
        if let Some(id) = &i.id {
            self.id(id);
            self.out.push_str(": ");
        }
        self.value(&i.condition.left, Mode::Template);
        self.out.push(' ');
        self.out.push_str(&i.condition.operator.value);
        self.out.push(' ');
        self.value(&i.condition.right, Mode::Template);
        self.out.push(' ');
        self.body(&i.then);
        match &i.otherwise {
            None => {}
            Some(Else::If(inner)) => {
                self.out.push_str(" else ");
                self.if_stmt(inner);
            }
            Some(Else::Body(body)) => {
                self.out.push_str(" else ");
                self.body(body);
            }
        }
    }

    /// `{ statements }`, `{}` when empty.
    fn body(&mut self, body: &Body) {
        if body.stmts.is_empty() && !self.has_comment_in(body.span) {
            self.out.push_str("{}");
            self.last_end = self.last_end.max(body.span.end);
            return;
        }
        self.out.push('{');
        self.trailing(body.span.start.saturating_add(1));
        self.newline();
        self.indent += 1;
        self.stmts(&body.stmts, body.span.end.saturating_sub(1));
        self.indent -= 1;
        self.push_indent();
        self.out.push('}');
        self.last_end = self.last_end.max(body.span.end);
    }

    fn id(&mut self, id: &Text) {
        if is_identifier(&id.value) {
            self.out.push_str(&id.value);
        } else {
            self.text(id);
        }
    }

    fn ty(&mut self, ty: &Text) {
        if is_name(&ty.value) {
            self.out.push_str(&ty.value);
        } else {
            self.text(ty);
        }
    }

    fn key(&mut self, key: &Text) {
        if is_name(&key.value) {
            self.out.push_str(&key.value);
        } else {
            self.out.push('"');
            escape_into(&mut self.out, &key.value, Mode::Plain, None, false);
            self.out.push('"');
        }
    }

    /// Plain text: a name, id or description.
    fn text(&mut self, text: &Text) {
        let pieces = [Piece::Text(text.value.clone())];
        let block = self.written_as_block(text.span);
        self.string(&pieces, Mode::Plain, block);
    }

    fn written_as_block(&self, span: Span) -> bool {
        self.src
            .is_some_and(|s| s.get(span.start..).is_some_and(|t| t.starts_with("\"\"\"")))
    }

    fn string(&mut self, pieces: &[Piece], mode: Mode, block: bool) {
        if !(block && fits_text_block(pieces)) {
            self.out.push('"');
            let body = string_body(pieces, mode, false);
            self.out.push_str(&body);
            self.out.push('"');
            return;
        }
        let body = string_body(pieces, mode, true);
        self.out.push_str("\"\"\"");
        self.indent += 1;
        for line in body.split('\n') {
            self.newline();
            if !line.is_empty() {
                self.push_indent();
                self.out.push_str(line);
            }
        }
        self.newline();
        self.push_indent();
        self.out.push_str("\"\"\"");
        self.indent -= 1;
    }

    /// Whether `value` would be written as a text block somewhere inside.
    fn has_text_block(&self, value: &Value) -> bool {
        match &value.kind {
            ValueKind::String(pieces) => {
                self.written_as_block(value.span) && fits_text_block(pieces)
            }
            ValueKind::Object(o) => o.members.iter().any(|m| self.has_text_block(&m.value)),
            ValueKind::Array(items) => items.iter().any(|v| self.has_text_block(v)),
            _ => false,
        }
    }

    fn value(&mut self, value: &Value, mode: Mode) {
        match &value.kind {
            ValueKind::String(pieces) => {
                let block = self.written_as_block(value.span);
                self.string(pieces, mode, block);
            }
            ValueKind::Number(n) => self.out.push_str(n),
            ValueKind::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            ValueKind::Null | ValueKind::Invalid => self.out.push_str("null"),
            ValueKind::Path(r) => self.out.push_str(&r.path()),
            ValueKind::Object(o) => self.object(o, mode, 0),
            ValueKind::Array(items) => self.array(items, value.span, mode, 0),
        }
    }

    /// An object or array on one line, if it can be.
    fn one_line(&self, compound: Compound<'_>, mode: Mode) -> Option<String> {
        let (block, span) = match compound {
            Compound::Object(o) => (
                o.members.iter().any(|m| self.has_text_block(&m.value)),
                o.span,
            ),
            Compound::Array(items, span) => (items.iter().any(|v| self.has_text_block(v)), span),
        };
        if block || self.has_comment_in(span) {
            return None;
        }
        let mut p = Printer::detached();
        p.compound_flat(compound, mode);
        Some(p.out)
    }

    fn value_flat(&mut self, value: &Value, mode: Mode) {
        match &value.kind {
            ValueKind::Object(o) => self.compound_flat(Compound::Object(o), mode),
            ValueKind::Array(items) => self.compound_flat(Compound::Array(items, value.span), mode),
            _ => self.value(value, mode),
        }
    }

    fn compound_flat(&mut self, compound: Compound<'_>, mode: Mode) {
        match compound {
            Compound::Object(o) if o.members.is_empty() => self.out.push_str("{}"),
            Compound::Object(o) => {
                self.out.push_str("{ ");
                for (i, m) in o.members.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.key(&m.key);
                    self.out.push_str(": ");
                    self.value_flat(&m.value, mode);
                }
                self.out.push_str(" }");
            }
            Compound::Array(items, _) => {
                self.out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value_flat(v, mode);
                }
                self.out.push(']');
            }
        }
    }

    fn fits(&self, text: &str, suffix: usize) -> bool {
        self.column() + text.chars().count() + suffix <= WIDTH
    }

    fn object(&mut self, object: &Object, mode: Mode, suffix: usize) {
        if let Some(line) = self
            .one_line(Compound::Object(object), mode)
            .filter(|l| self.fits(l, suffix))
        {
            self.out.push_str(&line);
            self.last_end = self.last_end.max(object.span.end);
            return;
        }
        self.out.push('{');
        self.trailing(object.span.start.saturating_add(1));
        self.newline();
        self.indent += 1;
        for m in &object.members {
            self.leading(m.key.span.start, false, true);
            self.push_indent();
            self.key(&m.key);
            self.out.push_str(": ");
            self.value(&m.value, mode);
            self.trailing(m.value.span.end);
            self.newline();
        }
        self.leading(object.span.end.saturating_sub(1), false, true);
        self.indent -= 1;
        self.push_indent();
        self.out.push('}');
        self.last_end = self.last_end.max(object.span.end);
    }

    fn array(&mut self, items: &[Value], span: Span, mode: Mode, suffix: usize) {
        if let Some(line) = self
            .one_line(Compound::Array(items, span), mode)
            .filter(|l| self.fits(l, suffix))
        {
            self.out.push_str(&line);
            self.last_end = self.last_end.max(span.end);
            return;
        }
        self.out.push('[');
        self.trailing(span.start.saturating_add(1));
        self.newline();
        self.indent += 1;
        for v in items {
            self.leading(v.span.start, false, true);
            self.push_indent();
            self.value(v, mode);
            self.trailing(v.span.end);
            self.newline();
        }
        self.leading(span.end.saturating_sub(1), false, true);
        self.indent -= 1;
        self.push_indent();
        self.out.push(']');
        self.last_end = self.last_end.max(span.end);
    }
}

/// A value on one line as flow text writes it: paths bare, references in
/// strings as `<<…>>` (for labels, such as a graph's conditions).
pub fn inline_value(value: &Value) -> String {
    let mut p = Printer::detached();
    p.value_flat(value, Mode::Template);
    p.out
}

/// A `when` expression in canonical form: `and`, `or`, `not` as words,
/// parentheses where they were written.
pub(crate) fn expr_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal(v) => match &v.kind {
            ValueKind::String(pieces) => format!("\"{}\"", string_body(pieces, Mode::Plain, false)),
            ValueKind::Number(n) => n.clone(),
            ValueKind::Bool(b) => b.to_string(),
            _ => "null".to_string(),
        },
        ExprKind::List(items) => format!(
            "[{}]",
            items.iter().map(expr_text).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Var(path) => path.clone(),
        ExprKind::Call { name, args } => format!(
            "{}({})",
            name.value,
            args.iter().map(expr_text).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Not(inner) => format!("not {}", expr_text(inner)),
        ExprKind::Paren(inner) => format!("({})", expr_text(inner)),
        ExprKind::And(items) => items
            .iter()
            .map(expr_text)
            .collect::<Vec<_>>()
            .join(" and "),
        ExprKind::Or(items) => items.iter().map(expr_text).collect::<Vec<_>>().join(" or "),
        ExprKind::Compare { first, rest } => {
            let mut out = expr_text(first);
            for (op, e) in rest {
                out.push(' ');
                out.push_str(op.op);
                out.push(' ');
                out.push_str(&expr_text(e));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(src: &str) -> String {
        format_source(src).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn canonical_layout() {
        let src = "// top\nworkflow  \"W\"{trigger manual-trigger description \"d\"\nstep a:noop{x:1,y:[1,2]}\n\n\n// lead\nstep b : t \"B\" { z : \"<<a.output.x>>\" } // trail\nif a.output.x==1{step c:noop}else if a.output.x == 2 {step d: noop} else {}\n}";
        assert_eq!(
            fmt(src),
            "// top\nworkflow \"W\" {\n  trigger manual-trigger\n  description \"d\"\n\n  step a: noop { x: 1, y: [1, 2] }\n\n  // lead\n  step b: t \"B\" { z: \"<<a.output.x>>\" } // trail\n  if a.output.x == 1 {\n    step c: noop\n  } else if a.output.x == 2 {\n    step d: noop\n  } else {}\n}\n"
        );
    }

    #[test]
    fn escapes_literal_markers_only_where_needed() {
        let src = r#"workflow "W" { trigger webhook step a: t { x: "\<<a>> \{{b}} <{ a < b", y: "\<<<a.output.b>>", z: "{{ a.output.c }}" } }"#;
        let out = fmt(src);
        assert!(out.contains(r#"x: "\<<a>> \{{b}} <{ a < b""#), "{out}");
        assert!(out.contains(r#"y: "\<<<a.output.b>>""#), "{out}");
        assert!(out.contains(r#"z: "<<a.output.c>>""#), "{out}");
    }

    #[test]
    fn long_objects_break_one_member_a_line() {
        let long = "x".repeat(80);
        let src = format!(
            "workflow \"W\" {{ trigger webhook step a: t {{ a: \"{long}\", b: [1, 2] }} }}"
        );
        assert_eq!(
            fmt(&src),
            format!("workflow \"W\" {{\n  trigger webhook\n\n  step a: t {{\n    a: \"{long}\"\n    b: [1, 2]\n  }}\n}}\n")
        );
    }

    #[test]
    fn text_blocks_stay_text_blocks() {
        let src = "workflow \"W\" {\n trigger webhook\n step a: t { note: \"\"\"\n     one\n       two <<x.output.y>>\n\n     three\n     \"\"\" }\n}\n";
        assert_eq!(
            fmt(src),
            "workflow \"W\" {\n  trigger webhook\n\n  step a: t {\n    note: \"\"\"\n      one\n        two <<x.output.y>>\n\n      three\n      \"\"\"\n  }\n}\n"
        );
    }

    #[test]
    fn when_is_normalised() {
        let src = "workflow \"W\" { trigger webhook when !(a == 1 || b) && c not in [1,2] && 0 < d <= 3 step a: t }";
        assert!(fmt(src).contains("  when not (a == 1 or b) and c not in [1, 2] and 0 < d <= 3\n"));
    }

    #[test]
    fn syntax_errors_are_refused() {
        assert!(format_source("workflow \"W\" { step }").is_err());
        assert!(format_source("workflow \"W\" { trigger t step a: t { x: GET } }").is_err());
    }
}
