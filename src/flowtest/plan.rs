//! A workflow's body made ready to run many times: every string read once
//! for its `{{…}}` references, every element tied to its place in the
//! `.flow` file.

use crate::ast::{self, Else, Stmt};
use crate::span::Span;
use serde_json::Value;

/// One element of `workflow_blocks`, as the model runs it.
#[derive(Debug, Clone)]
pub enum Node {
    Action {
        id: String,
        ty: String,
        input: Template,
        span: Span,
    },
    /// An if-else block: its condition and its two branches.
    If {
        id: String,
        operator: String,
        left: Template,
        right: Template,
        then: Vec<Node>,
        otherwise: Vec<Node>,
        /// Its index among the plan's branch points.
        point: usize,
        span: Span,
    },
    /// Any other block: the case's `choose` says which branch it takes.
    Block {
        id: String,
        ty: String,
        branches: Vec<(String, Vec<Node>)>,
        point: usize,
        span: Span,
    },
    /// An element the model cannot run (a `raw` element of another kind).
    Unknown { what: String, span: Span },
}

/// What an id names, for the test file's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdKind {
    Step,
    If,
    /// A generic block, with its type.
    Block(String),
}

/// An `if` or block: where the flow can go one way or another.
#[derive(Debug, Clone)]
pub struct BranchPoint {
    pub id: String,
    pub kind: IdKind,
    /// Its branch names, in order (`then`, `else` for an if).
    pub branches: Vec<String>,
    /// The `if` or `block` keyword (or the `raw` element) in the `.flow` file.
    pub span: Span,
}

/// A workflow, ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub nodes: Vec<Node>,
    /// `trigger_constraints`, when the body has them.
    pub constraints: Option<Value>,
    /// Every id the body defines, in the order written.
    pub ids: Vec<(String, IdKind, Span)>,
    pub points: Vec<BranchPoint>,
}

impl Plan {
    /// What `id` names, if the workflow has it.
    pub fn kind(&self, id: &str) -> Option<&IdKind> {
        self.ids.iter().find(|(i, _, _)| i == id).map(|(_, k, _)| k)
    }

    pub fn point(&self, id: &str) -> Option<&BranchPoint> {
        self.points.iter().find(|p| p.id == id)
    }

    pub fn is_step(&self, id: &str) -> bool {
        self.kind(id) == Some(&IdKind::Step)
    }
}

/// A value with its references read: what is rendered for each case.
#[derive(Debug, Clone)]
pub enum Template {
    /// No reference inside: the value as it is.
    Literal(Value),
    /// A string that is exactly one reference: the referenced value itself.
    Whole(Reference),
    /// A string with references inside longer text.
    Text(Vec<Part>),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
}

#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    Ref(Reference),
}

/// `{{root.segment…}}` in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub segments: Vec<String>,
}

impl Reference {
    pub fn path(&self) -> String {
        self.segments.join(".")
    }
}

/// Builds the plan of a checked file: `body` is what `flowc build` emits for it.
pub fn plan(file: &ast::File, body: &Value) -> Plan {
    let mut builder = Builder {
        ids: Vec::new(),
        points: Vec::new(),
    };
    let empty = Vec::new();
    let blocks = body
        .get("workflow_blocks")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let nodes = builder.list(blocks, Some(&file.workflow.body), file.workflow.span);
    Plan {
        nodes,
        constraints: body.get("trigger_constraints").cloned(),
        ids: builder.ids,
        points: builder.points,
    }
}

struct Builder {
    ids: Vec<(String, IdKind, Span)>,
    points: Vec<BranchPoint>,
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

impl Builder {
    /// The elements of one list; `stmts` are the statements they were
    /// emitted from, where the list comes from flow text (not from `raw`).
    fn list(&mut self, elements: &[Value], stmts: Option<&[Stmt]>, outer: Span) -> Vec<Node> {
        elements
            .iter()
            .enumerate()
            .map(|(i, el)| {
                let stmt = stmts.and_then(|s| s.get(i));
                self.element(el, stmt, outer)
            })
            .collect()
    }

    fn element(&mut self, el: &Value, stmt: Option<&Stmt>, outer: Span) -> Node {
        let span = match stmt {
            Some(Stmt::Step(s)) => s.keyword.to(s.id.span),
            Some(Stmt::If(s)) => s.keyword,
            Some(Stmt::Block(s)) => s.keyword.to(s.id.span),
            Some(Stmt::Raw(s)) => s.keyword,
            Some(Stmt::Error(s)) => s.keyword,
            None => outer,
        };
        // Inside a `raw` element nothing more is known of its place.
        let raw = matches!(stmt, Some(Stmt::Raw(_)) | None);
        let id = text(el, "id").to_string();
        match (text(el, "$kind"), text(el, "type")) {
            ("Action", ty) => {
                self.ids.push((id.clone(), IdKind::Step, span));
                // A step written in flow text renders from its tree, where
                // `\{{…}}` is text for another template engine, not a
                // reference; a `raw` one from its JSON, as the platform reads it.
                let input = match stmt {
                    Some(Stmt::Step(step)) => match &step.input {
                        Some(object) => from_object(object),
                        None => Template::Literal(Value::Object(serde_json::Map::new())),
                    },
                    _ => template(el.get("input").unwrap_or(&Value::Null), true),
                };
                Node::Action {
                    id,
                    ty: ty.to_string(),
                    input,
                    span,
                }
            }
            ("Block", "if-else") if !raw || el.pointer("/inputs/condition").is_some() => {
                let condition = el.pointer("/inputs/condition").unwrap_or(&Value::Null);
                let (then_stmts, else_stmts): (Option<&[Stmt]>, Option<Vec<Stmt>>) = match stmt {
                    Some(Stmt::If(i)) => (
                        Some(&i.then.stmts),
                        Some(match &i.otherwise {
                            Some(Else::If(inner)) => vec![Stmt::If((**inner).clone())],
                            Some(Else::Body(body)) => body.stmts.clone(),
                            None => Vec::new(),
                        }),
                    ),
                    _ => (None, None),
                };
                self.ids.push((id.clone(), IdKind::If, span));
                let point = self.points.len();
                self.points.push(BranchPoint {
                    id: id.clone(),
                    kind: IdKind::If,
                    branches: vec!["then".to_string(), "else".to_string()],
                    span,
                });
                let branch = |name: &str| -> &[Value] {
                    el.get("branches")
                        .and_then(|b| b.get(name))
                        .and_then(Value::as_array)
                        .map_or(&[], Vec::as_slice)
                };
                let (left, right) = match stmt {
                    Some(Stmt::If(i)) => {
                        (from_ast(&i.condition.left), from_ast(&i.condition.right))
                    }
                    _ => (
                        template(condition.get("left").unwrap_or(&Value::Null), true),
                        template(condition.get("right").unwrap_or(&Value::Null), true),
                    ),
                };
                let then = self.list(branch("then"), then_stmts, span);
                let otherwise = self.list(branch("else"), else_stmts.as_deref(), span);
                Node::If {
                    id,
                    operator: text(condition, "operatorName").to_string(),
                    left,
                    right,
                    then,
                    otherwise,
                    point,
                    span,
                }
            }
            ("Block", ty) => {
                let kind = IdKind::Block(ty.to_string());
                self.ids.push((id.clone(), kind.clone(), span));
                let point = self.points.len();
                let written: Vec<(String, &[Value])> = el
                    .get("branches")
                    .and_then(Value::as_object)
                    .map(|b| {
                        b.iter()
                            .map(|(name, list)| {
                                (name.clone(), list.as_array().map_or(&[][..], Vec::as_slice))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.points.push(BranchPoint {
                    id: id.clone(),
                    kind,
                    branches: written.iter().map(|(n, _)| n.clone()).collect(),
                    span,
                });
                let branches = written
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, list))| {
                        let stmts = match stmt {
                            Some(Stmt::Block(b)) => b.branches.get(i).map(|b| &b.body.stmts[..]),
                            _ => None,
                        };
                        let nodes = self.list(list, stmts, span);
                        (name, nodes)
                    })
                    .collect();
                Node::Block {
                    id,
                    ty: ty.to_string(),
                    branches,
                    point,
                    span,
                }
            }
            (kind, _) => {
                let what = match kind {
                    "" => "a `raw` element without a `$kind`".to_string(),
                    kind => format!("a `raw` element of `$kind` `{kind}`"),
                };
                Node::Unknown { what, span }
            }
        }
    }
}

/// A value of the tree: references are those the parser read (`<<…>>`,
/// `{{…}}`, bare paths), and escaped text stays text.
fn from_ast(value: &ast::Value) -> Template {
    use ast::{Piece, ValueKind};
    match &value.kind {
        ValueKind::String(pieces) => match pieces.as_slice() {
            [Piece::Ref(r)] => Template::Whole(Reference {
                segments: r.segments.clone(),
            }),
            _ if pieces.iter().all(|p| matches!(p, Piece::Text(_))) => {
                Template::Literal(Value::String(
                    pieces
                        .iter()
                        .map(|p| match p {
                            Piece::Text(t) => t.as_str(),
                            Piece::Ref(_) => "",
                        })
                        .collect(),
                ))
            }
            _ => Template::Text(
                pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => Part::Text(t.clone()),
                        Piece::Ref(r) => Part::Ref(Reference {
                            segments: r.segments.clone(),
                        }),
                    })
                    .collect(),
            ),
        },
        ValueKind::Path(r) => Template::Whole(Reference {
            segments: r.segments.clone(),
        }),
        ValueKind::Number(n) => Template::Literal(serde_json::from_str(n).unwrap_or(Value::Null)),
        ValueKind::Bool(b) => Template::Literal(Value::Bool(*b)),
        ValueKind::Null | ValueKind::Invalid => Template::Literal(Value::Null),
        ValueKind::Object(o) => from_object(o),
        ValueKind::Array(items) => {
            let items: Vec<Template> = items.iter().map(from_ast).collect();
            literal_or(Template::Array(items))
        }
    }
}

fn from_object(object: &ast::Object) -> Template {
    let members = object
        .members
        .iter()
        .map(|m| (m.key.value.clone(), from_ast(&m.value)))
        .collect();
    literal_or(Template::Object(members))
}

/// A compound template with no reference inside, as one literal value.
fn literal_or(t: Template) -> Template {
    fn literal(t: &Template) -> Option<Value> {
        match t {
            Template::Literal(v) => Some(v.clone()),
            Template::Object(members) => members
                .iter()
                .map(|(k, v)| literal(v).map(|v| (k.clone(), v)))
                .collect::<Option<serde_json::Map<_, _>>>()
                .map(Value::Object),
            Template::Array(items) => items
                .iter()
                .map(literal)
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            Template::Whole(_) | Template::Text(_) => None,
        }
    }
    match literal(&t) {
        Some(v) => Template::Literal(v),
        None => t,
    }
}

/// Reads `value` for references (`{{…}}` in strings) where `read` is set.
pub fn template(value: &Value, read: bool) -> Template {
    if !read || !has_reference(value) {
        return Template::Literal(value.clone());
    }
    match value {
        Value::String(s) => {
            let parts = parts(s);
            match parts.as_slice() {
                [Part::Ref(r)] => Template::Whole(r.clone()),
                _ => Template::Text(parts),
            }
        }
        Value::Object(map) => Template::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), template(v, true)))
                .collect(),
        ),
        Value::Array(items) => Template::Array(items.iter().map(|v| template(v, true)).collect()),
        _ => Template::Literal(value.clone()),
    }
}

fn has_reference(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains("{{") && parts(s).iter().any(|p| matches!(p, Part::Ref(_))),
        Value::Object(map) => map.values().any(has_reference),
        Value::Array(items) => items.iter().any(has_reference),
        _ => false,
    }
}

/// A string split into text and well-formed `{{a.b}}` references (spaces
/// just inside the braces allowed, as the platform reads them).
pub fn parts(s: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        match reference_at(after) {
            Some((reference, len)) => {
                text.push_str(&rest[..open]);
                if !text.is_empty() {
                    out.push(Part::Text(std::mem::take(&mut text)));
                }
                out.push(Part::Ref(reference));
                rest = &after[len..];
            }
            None => {
                text.push_str(&rest[..open + 1]);
                rest = &rest[open + 1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Part::Text(text));
    }
    out
}

/// The reference at the start of `s` (just after `{{`) and its length up to
/// and with its `}}`.
fn reference_at(s: &str) -> Option<(Reference, usize)> {
    let close = s.find("}}")?;
    let inner = s[..close].trim_matches(' ');
    let segments: Vec<String> = inner.split('.').map(str::to_string).collect();
    let well_formed = segments.len() >= 2
        && segments
            .iter()
            .all(|seg| crate::syntax::is_segment(seg.as_str()));
    well_formed.then(|| (Reference { segments }, close + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_split_into_text_and_references() {
        let shown = |s: &str| -> Vec<String> {
            parts(s)
                .into_iter()
                .map(|p| match p {
                    Part::Text(t) => format!("T:{t}"),
                    Part::Ref(r) => format!("R:{}", r.path()),
                })
                .collect()
        };
        assert_eq!(shown("{{a.b}}"), ["R:a.b"]);
        assert_eq!(shown("x {{ a.b }} y"), ["T:x ", "R:a.b", "T: y"]);
        assert_eq!(shown("{{name}} {{a.b}}"), ["T:{{name}} ", "R:a.b"]);
        assert_eq!(shown("{{{a.b}}"), ["T:{", "R:a.b"]);
        assert_eq!(shown("{{a . b}}"), ["T:{{a . b}}"]);
        assert_eq!(shown("no {{ end"), ["T:no {{ end"]);
    }
}
