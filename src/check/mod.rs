//! Checks: every rule of SPEC §6 that needs the whole tree, run after parsing.
//!
//! The checker reports and goes on: each problem becomes a diagnostic and
//! checking continues, so a file's mistakes all show up in one run. It never
//! changes the tree; `emit` reads the same tree afterwards.

mod actions;
mod allow;
pub mod cron;
pub mod jsonlogic;
mod refs;

use crate::ast::*;
use crate::catalog::Catalog;
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::span::Span;
use std::collections::HashMap;

/// The checker's maps: keys are ids and object keys, hashed with foldhash
/// (seeded per process) rather than SipHash, which was 2% of a 100-step
/// check's instructions.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    Step,
    Raw,
    If,
    Block,
}

/// The first definition of an id.
#[derive(Debug, Clone)]
pub(crate) struct Def {
    pub kind: IdKind,
    pub span: Span,
    /// Position of the defining statement in flow (pre-)order.
    pub order: usize,
    /// The (block order, branch index) pairs enclosing it, outermost first.
    pub path: Vec<(usize, usize)>,
    /// A step's action type.
    pub ty: Option<String>,
}

/// A statement as the walkers see it: an `else if` is a statement of its
/// `else` branch.
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Step(&'a Step),
    If(&'a If),
    Block(&'a Block),
    Raw(&'a Raw),
    Error(&'a ErrorStmt),
}

impl<'a> Node<'a> {
    pub fn of(stmt: &'a Stmt) -> Node<'a> {
        match stmt {
            Stmt::Step(s) => Node::Step(s),
            Stmt::If(s) => Node::If(s),
            Stmt::Block(s) => Node::Block(s),
            Stmt::Raw(s) => Node::Raw(s),
            Stmt::Error(s) => Node::Error(s),
        }
    }

    pub fn span(self) -> Span {
        match self {
            Node::Step(s) => s.span,
            Node::If(s) => s.span,
            Node::Block(s) => s.span,
            Node::Raw(s) => s.span,
            Node::Error(s) => s.span,
        }
    }
}

/// A branch of a block: the block's order number and the branch's index.
pub(crate) type BranchRef = (usize, usize);

/// What [`visit`] calls for each statement.
pub(crate) type Visitor<'a, 'f> = dyn FnMut(Node<'a>, usize, &[BranchRef]) + 'f;

/// Calls `f` on every statement in flow order, with its order number and
/// the branches enclosing it.
pub(crate) fn visit<'a>(stmts: &'a [Stmt], f: &mut Visitor<'a, '_>) {
    fn list<'a>(
        stmts: &'a [Stmt],
        path: &mut Vec<(usize, usize)>,
        order: &mut usize,
        f: &mut Visitor<'a, '_>,
    ) {
        for stmt in stmts {
            node(Node::of(stmt), path, order, f);
        }
    }
    fn node<'a>(
        n: Node<'a>,
        path: &mut Vec<(usize, usize)>,
        order: &mut usize,
        f: &mut Visitor<'a, '_>,
    ) {
        let me = *order;
        *order += 1;
        f(n, me, path);
        match n {
            Node::If(i) => {
                path.push((me, 0));
                list(&i.then.stmts, path, order, f);
                path.pop();
                path.push((me, 1));
                match &i.otherwise {
                    Some(Else::If(inner)) => node(Node::If(inner), path, order, f),
                    Some(Else::Body(body)) => list(&body.stmts, path, order, f),
                    None => {}
                }
                path.pop();
            }
            Node::Block(b) => {
                for (i, branch) in b.branches.iter().enumerate() {
                    path.push((me, i));
                    list(&branch.body.stmts, path, order, f);
                    path.pop();
                }
            }
            Node::Step(_) | Node::Raw(_) | Node::Error(_) => {}
        }
    }
    list(stmts, &mut Vec::new(), &mut 0, f);
}

/// The id a raw element declares, if its `"id"` is a string.
pub(crate) fn raw_id(raw: &Raw) -> Option<(&str, Span)> {
    raw.object
        .members
        .iter()
        .find(|m| m.key.value == "id")
        .and_then(|m| match &m.value.kind {
            ValueKind::String(pieces) => match pieces.as_slice() {
                [Piece::Text(t)] => Some((t.as_str(), m.value.span)),
                _ => None,
            },
            _ => None,
        })
}

/// Shared state of one file's check.
pub(crate) struct Ctx<'a> {
    pub src: &'a str,
    pub catalog: &'a Catalog,
    pub diags: Vec<Diagnostic>,
    /// Shared, so that resolving a reference takes a handle, not a copy.
    pub defs: Map<String, std::rc::Rc<Def>>,
    /// Ids of steps and raw elements in flow order, for suggestions.
    pub steps: Vec<String>,
    /// How many more unknown references get a suggestion: each costs a
    /// pass over every step, so a file with thousands stays linear.
    pub suggestions_left: usize,
}

impl Ctx<'_> {
    pub fn push(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    /// A step or a raw element with an id: something with an output.
    pub fn is_step(&self, id: &str) -> bool {
        self.defs
            .get(id)
            .is_some_and(|d| matches!(d.kind, IdKind::Step | IdKind::Raw))
    }
}

/// Runs every check of SPEC §6 on a parsed file.
pub(crate) fn check(src: &str, file: &File, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut ctx = Ctx {
        src,
        catalog,
        diags: Vec::new(),
        defs: Map::default(),
        steps: Vec::new(),
        suggestions_left: 100,
    };
    let wf = &file.workflow;
    // A name the parser could not read has an empty span and was reported.
    if wf.name.value.is_empty() && !wf.name.span.is_empty() {
        ctx.push(empty(wf.name.span, "workflow name"));
    }
    definitions(&mut ctx, &wf.body);
    headers(&mut ctx, wf);
    statements(&mut ctx, &wf.body);
    refs::check(&mut ctx, wf);
    let mut diags = ctx.diags;
    diags.sort_by_key(|d| (d.span.start, d.code));
    allow::apply(src, file, diags)
}

fn empty(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::E208, span, format!("empty {what}"))
        .with_label(format!("the {what} must not be empty"))
        .with_help("the API rejects empty names, ids and types: write at least one character")
}

fn headers(ctx: &mut Ctx, wf: &Workflow) {
    let mut seen: Vec<&Header> = Vec::new();
    for header in &wf.headers {
        let keyword = header.kind.keyword();
        if let Some(first) = seen.iter().find(|h| h.kind.keyword() == keyword) {
            ctx.push(
                Diagnostic::new(
                    Code::E104,
                    header.keyword,
                    format!("header `{keyword}` given twice"),
                )
                .with_label("second one")
                .with_secondary(first.keyword, "first one")
                .with_help("keep one of them"),
            );
            continue;
        }
        seen.push(header);
    }
    let find = |k: &str| seen.iter().find(|h| h.kind.keyword() == k).copied();
    if let (Some(when), Some(constraints)) = (find("when"), find("constraints")) {
        let (later, earlier) = if when.span.start > constraints.span.start {
            (when, constraints)
        } else {
            (constraints, when)
        };
        ctx.push(
            Diagnostic::new(Code::E105, later.keyword, "both `when` and `constraints`")
                .with_label(format!("`{}` here", later.kind.keyword()))
                .with_secondary(
                    earlier.keyword,
                    format!("`{}` here", earlier.kind.keyword()),
                )
                .with_help("both set `trigger_constraints`: keep one"),
        );
    }
    if find("trigger").is_none() {
        ctx.push(
            Diagnostic::new(
                Code::E106,
                wf.keyword.to(wf.name.span),
                "workflow has no `trigger`",
            )
            .with_label("no trigger header")
            .with_help("add one, such as `trigger manual-trigger`"),
        );
    }
    for header in &seen {
        match &header.kind {
            HeaderKind::Trigger { name, config } => trigger(ctx, name, config.as_ref()),
            HeaderKind::When(expr) => jsonlogic::check_when(ctx, expr),
            HeaderKind::Constraints(value) => {
                duplicate_keys(ctx, value);
                jsonlogic::check_constraints(ctx, value);
            }
            HeaderKind::EditorState(value) => duplicate_keys(ctx, value),
            HeaderKind::Description(_) | HeaderKind::Broken(_) => {}
        }
    }
}

fn trigger(ctx: &mut Ctx, name: &Text, config: Option<&Value>) {
    if let Some(config) = config {
        duplicate_keys(ctx, config);
    }
    if !ctx.catalog.is_trigger(&name.value) {
        let mut diag = Diagnostic::new(
            Code::E300,
            name.span,
            format!("unknown trigger type `{}`", name.value),
        )
        .with_label("not a trigger the API knows");
        diag = match suggest(&name.value, ctx.catalog.triggers()) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help("the API's trigger types are listed by `flowc explain E300`; a project adds its own in `flowc.toml` under [triggers] extra"),
        };
        ctx.push(diag);
        return;
    }
    if name.value != "cron-trigger" {
        return;
    }
    let needs_cron = |span: Span| {
        Diagnostic::new(Code::E301, span, "`cron-trigger` without a cron expression")
            .with_label("no cron expression")
            .with_help("write `trigger cron-trigger \"0 8 * * 1-5\"` or `trigger cron-trigger { cron: \"0 8 * * 1-5\" }`")
    };
    let cron = match config.map(|c| &c.kind) {
        None => return ctx.push(needs_cron(name.span)),
        Some(ValueKind::String(_)) => config.expect("matched"),
        Some(ValueKind::Object(object)) => {
            match object.members.iter().find(|m| m.key.value == "cron") {
                Some(member) => &member.value,
                None => return ctx.push(needs_cron(config.expect("matched").span)),
            }
        }
        Some(_) => return ctx.push(needs_cron(config.expect("matched").span)),
    };
    let ValueKind::String(pieces) = &cron.kind else {
        return ctx.push(
            Diagnostic::new(Code::E302, cron.span, "`cron` must be a string")
                .with_label("not a string")
                .with_help("quote the expression: `cron: \"0 8 * * 1-5\"`"),
        );
    };
    let text = crate::emit::string_text(pieces);
    if let Err(err) = cron::validate(&text) {
        // Point inside the string when it is written without escapes.
        let written = &ctx.src[cron.span.start..cron.span.end];
        let span = if written.len() == text.len() + 2 && written[1..written.len() - 1] == text {
            let start = cron.span.start + 1 + err.range.start;
            Span::new(start, (cron.span.start + 1 + err.range.end).max(start))
        } else {
            cron.span
        };
        ctx.push(
            Diagnostic::new(Code::E302, span, format!("invalid cron expression: {}", err.message))
                .with_label(err.message)
                .with_help("5 fields (minute hour day-of-month month day-of-week), or 6 with leading seconds, or one of @yearly @monthly @weekly @daily @hourly"),
        );
    }
}

/// Collects every id into `ctx.defs`; a second definition is E200.
fn definitions(ctx: &mut Ctx, body: &[Stmt]) {
    let mut found: Vec<(String, Def, bool)> = Vec::new();
    visit(body, &mut |node, order, path| {
        let (id, kind, span) = match node {
            Node::Step(s) => (s.id.value.clone(), IdKind::Step, s.id.span),
            Node::If(i) => (
                i.id(),
                IdKind::If,
                i.id.as_ref().map_or(i.keyword, |t| t.span),
            ),
            Node::Block(b) => (b.id.value.clone(), IdKind::Block, b.id.span),
            Node::Raw(r) => match raw_id(r) {
                Some((id, span)) => (id.to_string(), IdKind::Raw, span),
                None => return,
            },
            // A statement that failed to parse still defines the id it
            // names, so that references to it are not reported as well.
            Node::Error(e) => match &e.id {
                Some(id) => (
                    id.value.clone(),
                    match e.kind {
                        StmtKind::Step => IdKind::Step,
                        StmtKind::If => IdKind::If,
                        StmtKind::Block => IdKind::Block,
                        StmtKind::Raw => IdKind::Raw,
                    },
                    id.span,
                ),
                None => return,
            },
        };
        found.push((
            id,
            Def {
                kind,
                span,
                order,
                path: path.to_vec(),
                ty: match node {
                    Node::Step(s) => Some(s.ty.value.clone()),
                    _ => None,
                },
            },
            matches!(node, Node::If(i) if i.id.is_none()),
        ));
    });
    for (id, def, automatic) in found {
        let span = def.span;
        if let Some(first) = ctx.defs.get(&id) {
            let first_span = first.span;
            let mut diag = Diagnostic::new(Code::E200, span, format!("duplicate id `{id}`"))
                .with_label("defined again here")
                .with_secondary(first_span, "first defined here")
                .with_help("ids of steps, blocks and raw elements share one namespace; rename one");
            if automatic {
                diag = diag
                    .with_label(format!("this `if` gets the automatic id `{id}`"))
                    .with_help("give the `if` an id of its own, such as `if check: …`, or rename the other");
            }
            ctx.push(diag);
            continue;
        }
        if matches!(def.kind, IdKind::Step | IdKind::Raw) {
            ctx.steps.push(id.clone());
        }
        ctx.defs.insert(id, std::rc::Rc::new(def));
    }
}

/// Per-statement checks that need no scope: empty ids, operators, keys, warnings.
fn statements(ctx: &mut Ctx, body: &[Stmt]) {
    let mut nodes = Vec::new();
    visit(body, &mut |node, _, _| nodes.push(node));
    for node in nodes {
        match node {
            Node::Step(step) => {
                if step.id.value.is_empty() {
                    ctx.push(empty(step.id.span, "step id"));
                }
                if step.ty.value.is_empty() {
                    ctx.push(empty(step.ty.span, "step type"));
                }
                if let Some(input) = &step.input {
                    object_keys(ctx, input);
                }
                actions::check_step(ctx, step);
            }
            Node::If(i) => {
                if let Some(id) = i.id.as_ref().filter(|id| id.value.is_empty()) {
                    ctx.push(empty(id.span, "if id"));
                }
                // A condition the parser could not read was reported and
                // stands as an empty operator between invalid operands.
                if !i.condition.operator.span.is_empty() {
                    condition(ctx, &i.condition);
                }
                if i.then.stmts.is_empty() {
                    ctx.push(
                        Diagnostic::new(
                            Code::W401,
                            Span::new(i.then.span.start, i.then.span.start + 1),
                            "empty `then` branch",
                        )
                        .with_label("nothing runs when the condition holds")
                        .with_help(
                            "add a step, or invert the condition and move the `else` branch here",
                        ),
                    );
                }
            }
            Node::Block(b) => {
                if b.id.value.is_empty() {
                    ctx.push(empty(b.id.span, "block id"));
                }
                if b.ty.value.is_empty() {
                    ctx.push(empty(b.ty.span, "block type"));
                }
                if let Some(inputs) = &b.inputs {
                    object_keys(ctx, inputs);
                }
                let mut seen: Vec<&Text> = Vec::new();
                for branch in &b.branches {
                    if let Some(first) = seen.iter().find(|n| n.value == branch.name.value) {
                        ctx.push(
                            Diagnostic::new(
                                Code::E109,
                                branch.name.span,
                                format!("duplicate branch `{}`", branch.name.value),
                            )
                            .with_label("second branch of this name")
                            .with_secondary(first.span, "first one")
                            .with_help(
                                "the branches of a block are keys of one object: rename one",
                            ),
                        );
                    } else {
                        seen.push(&branch.name);
                    }
                }
            }
            Node::Raw(r) => {
                object_keys(ctx, &r.object);
                ctx.push(
                    Diagnostic::new(Code::W500, r.keyword, "`raw` object: emitted unchecked")
                        .with_label("flowc checks nothing inside")
                        .with_help("prefer `step` or `block` where they fit; `// flowc: allow(W500)` silences this"),
                );
            }
            Node::Error(_) => {}
        }
    }
}

fn condition(ctx: &mut Ctx, cond: &Condition) {
    duplicate_keys(ctx, &cond.left);
    duplicate_keys(ctx, &cond.right);
    let op = &cond.operator;
    if ctx.catalog.operator(&op.value).is_none() {
        let mut diag = Diagnostic::new(
            Code::E400,
            op.span,
            format!("unknown condition operator `{}`", op.value),
        )
        .with_label("not a known operator");
        let names = ctx.catalog.operators.iter().map(String::as_str);
        diag = match suggest(&op.value, names) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help(format!(
                "known operators: {}",
                ctx.catalog.operators.join(", ")
            )),
        };
        ctx.push(diag);
    }
    if !has_reference(&cond.left) && !has_reference(&cond.right) {
        ctx.push(
            Diagnostic::new(
                Code::W400,
                cond.left.span.to(cond.right.span),
                "condition with no reference on either side",
            )
            .with_label("always the same outcome")
            .with_help("compare a step's output, such as `lookup.output.status == 200`"),
        );
    }
}

fn has_reference(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Path(_) => true,
        ValueKind::String(pieces) => pieces.iter().any(|p| matches!(p, Piece::Ref(_))),
        ValueKind::Object(o) => o.members.iter().any(|m| has_reference(&m.value)),
        ValueKind::Array(items) => items.iter().any(has_reference),
        _ => false,
    }
}

fn object_keys(ctx: &mut Ctx, object: &Object) {
    // Most objects are small: a hash map pays off only for large ones.
    let mut seen: Map<&str, Span> = Map::default();
    let members = &object.members;
    for (i, member) in members.iter().enumerate() {
        let first = if members.len() <= 16 {
            members[..i]
                .iter()
                .find(|m| m.key.value == member.key.value)
                .map(|m| m.key.span)
        } else {
            let first = seen.get(member.key.value.as_str()).copied();
            seen.entry(&member.key.value).or_insert(member.key.span);
            first
        };
        if let Some(first) = first {
            ctx.push(
                Diagnostic::new(
                    Code::E109,
                    member.key.span,
                    format!("duplicate key `{}`", member.key.value),
                )
                .with_label("second one")
                .with_secondary(first, "first one")
                .with_help("an object's keys must be unique; keep one"),
            );
        }
        duplicate_keys(ctx, &member.value);
    }
}

fn duplicate_keys(ctx: &mut Ctx, value: &Value) {
    match &value.kind {
        ValueKind::Object(o) => object_keys(ctx, o),
        ValueKind::Array(items) => items.iter().for_each(|v| duplicate_keys(ctx, v)),
        _ => {}
    }
}
