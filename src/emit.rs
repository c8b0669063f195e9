//! Emission: a checked file to the exact `POST /workflows` body (SPEC §4).
//!
//! The body is a set of dedicated output types, not the AST serialised, so
//! the JSON is a deliberate contract: key order, number lexemes and the
//! `{{…}}` form of references are decided here and nowhere else. The types
//! borrow from the checked tree, and write themselves straight into the
//! output text: nothing is copied on the way.

use crate::ast::*;
use crate::catalog::Catalog;
use crate::json::{Json, WriteJson, Writer};
use std::borrow::Cow;

/// The request body of `POST /workflows`, keys in the API page's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Body<'a> {
    pub name: &'a str,
    pub trigger_type: &'a str,
    pub workflow_blocks: Vec<Element<'a>>,
    pub description: Option<&'a str>,
    pub trigger_configuration: Option<&'a Value>,
    /// Compiled from `when`, or the `constraints` value.
    pub trigger_constraints: Option<Constraints<'a>>,
    pub workflow_editor_state: Option<&'a Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Constraints<'a> {
    /// A `when` expression compiled to JSON Logic.
    Logic(Json),
    /// A `constraints` value, verbatim.
    Value(&'a Value),
}

/// One element of `workflow_blocks` or of a branch.
#[derive(Debug, Clone, PartialEq)]
pub enum Element<'a> {
    /// `{"$kind": "Action", "id", "type", "name", "input"}`.
    Action {
        id: &'a str,
        ty: &'a str,
        name: &'a str,
        /// `None` writes `{}`.
        input: Option<&'a Object>,
    },
    /// `{"$kind": "Block", "type", "id", "inputs", "branches"}`.
    Block {
        ty: &'a str,
        id: Cow<'a, str>,
        inputs: Inputs<'a>,
        /// Branches in written order.
        branches: Vec<(&'a str, Vec<Element<'a>>)>,
    },
    /// A `raw` object, verbatim.
    Raw(&'a Object),
}

/// A block's `inputs`.
#[derive(Debug, Clone, PartialEq)]
pub enum Inputs<'a> {
    /// A generic block's inputs (`None` writes `{}`).
    Object(Option<&'a Object>),
    /// An if-else block's `{"condition": {"operatorName", "left", "right"}}`.
    Condition {
        operator: &'a str,
        left: &'a Value,
        right: &'a Value,
    },
}

impl Body<'_> {
    /// Pretty JSON, two-space indent, with a trailing newline.
    pub fn to_pretty(&self) -> String {
        to_json(self, true)
    }

    /// One line of JSON with a trailing newline.
    pub fn to_compact(&self) -> String {
        to_json(self, false)
    }

    /// The `workflow_blocks` array alone.
    pub fn blocks_to_json(&self, pretty: bool) -> String {
        let mut w = Writer::new(pretty, 1024);
        w.array(&self.workflow_blocks);
        w.finish()
    }
}

/// Writes a body (or a part of one) as JSON text with a trailing newline,
/// exactly as serde_json's printers would.
pub(crate) fn to_json(value: &impl WriteJson, pretty: bool) -> String {
    let mut w = Writer::new(pretty, 4096);
    value.write_json(&mut w);
    w.finish()
}

impl WriteJson for Body<'_> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.string_member("name", self.name);
        w.string_member("trigger_type", self.trigger_type);
        w.key("workflow_blocks");
        w.array(&self.workflow_blocks);
        if let Some(d) = self.description {
            w.string_member("description", d);
        }
        if let Some(config) = self.trigger_configuration {
            w.member("trigger_configuration", config);
        }
        match &self.trigger_constraints {
            Some(Constraints::Logic(json)) => w.member("trigger_constraints", json),
            Some(Constraints::Value(value)) => w.member("trigger_constraints", *value),
            None => {}
        }
        if let Some(state) = self.workflow_editor_state {
            w.member("workflow_editor_state", state);
        }
        w.end_object();
    }
}

impl WriteJson for Element<'_> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        match self {
            Element::Action {
                id,
                ty,
                name,
                input,
            } => {
                w.string_member("$kind", "Action");
                w.string_member("id", id);
                w.string_member("type", ty);
                w.string_member("name", name);
                w.key("input");
                write_object(w, *input);
            }
            Element::Block {
                ty,
                id,
                inputs,
                branches,
            } => {
                w.string_member("$kind", "Block");
                w.string_member("type", ty);
                w.string_member("id", id);
                w.key("inputs");
                match inputs {
                    Inputs::Object(object) => write_object(w, *object),
                    Inputs::Condition {
                        operator,
                        left,
                        right,
                    } => {
                        w.begin_object();
                        w.key("condition");
                        w.begin_object();
                        w.string_member("operatorName", operator);
                        w.member("left", *left);
                        w.member("right", *right);
                        w.end_object();
                        w.end_object();
                    }
                }
                w.key("branches");
                w.begin_object();
                for (name, elements) in branches {
                    w.key(name);
                    w.array(elements);
                }
                w.end_object();
            }
            Element::Raw(object) => {
                for m in &object.members {
                    w.member(&m.key.value, &m.value);
                }
            }
        }
        w.end_object();
    }
}

fn write_object(w: &mut Writer, object: Option<&Object>) {
    w.begin_object();
    for m in object.map_or(&[][..], |o| &o.members) {
        w.member(&m.key.value, &m.value);
    }
    w.end_object();
}

impl WriteJson for Value {
    fn write_json(&self, w: &mut Writer) {
        match &self.kind {
            ValueKind::String(pieces) => match pieces.as_slice() {
                [Piece::Text(t)] => w.string(t),
                _ => w.string(&string_text(pieces)),
            },
            ValueKind::Number(n) => w.raw(n),
            ValueKind::Bool(b) => w.raw(if *b { "true" } else { "false" }),
            ValueKind::Null | ValueKind::Invalid => w.raw("null"),
            ValueKind::Object(o) => write_object(w, Some(o)),
            ValueKind::Array(items) => w.array(items),
            ValueKind::Path(r) => {
                // One buffer, no formatting machinery: this runs for every
                // bare reference of a large file.
                let len = r.segments.iter().map(|s| s.len() + 1).sum::<usize>();
                let mut text = String::with_capacity(len + 4);
                text.push_str("{{");
                for (i, segment) in r.segments.iter().enumerate() {
                    if i > 0 {
                        text.push('.');
                    }
                    text.push_str(segment);
                }
                text.push_str("}}");
                w.string(&text);
            }
        }
    }
}

/// Builds the body of a file (which the caller has checked).
pub(crate) fn body<'a>(file: &'a File, catalog: &'a Catalog) -> Body<'a> {
    let wf = &file.workflow;
    let mut body = Body {
        name: &wf.name.value,
        trigger_type: "",
        workflow_blocks: elements(&wf.body, catalog),
        description: None,
        trigger_configuration: None,
        trigger_constraints: None,
        workflow_editor_state: None,
    };
    for header in &wf.headers {
        match &header.kind {
            HeaderKind::Description(text) => body.description = Some(&text.value),
            HeaderKind::Trigger { name, config } => {
                body.trigger_type = &name.value;
                body.trigger_configuration = config.as_ref();
            }
            HeaderKind::When(expr) => {
                body.trigger_constraints = Some(Constraints::Logic(logic(expr)))
            }
            HeaderKind::Constraints(v) => body.trigger_constraints = Some(Constraints::Value(v)),
            HeaderKind::EditorState(v) => body.workflow_editor_state = Some(v),
            // Only a file with syntax errors has one, and it emits nothing.
            HeaderKind::Broken(_) => {}
        }
    }
    body
}

fn elements<'a>(stmts: &'a [Stmt], catalog: &'a Catalog) -> Vec<Element<'a>> {
    stmts
        .iter()
        .filter_map(|stmt| {
            Some(match stmt {
                Stmt::Step(step) => Element::Action {
                    id: &step.id.value,
                    ty: &step.ty.value,
                    name: &step.name.as_ref().unwrap_or(&step.id).value,
                    input: step.input.as_ref(),
                },
                Stmt::If(i) => if_element(i, catalog),
                Stmt::Block(b) => Element::Block {
                    ty: &b.ty.value,
                    id: Cow::Borrowed(&b.id.value),
                    inputs: Inputs::Object(b.inputs.as_ref()),
                    branches: b
                        .branches
                        .iter()
                        .map(|br| (br.name.value.as_str(), elements(&br.body.stmts, catalog)))
                        .collect(),
                },
                Stmt::Raw(r) => Element::Raw(&r.object),
                // Only a file with syntax errors has one, and it emits nothing.
                Stmt::Error(_) => return None,
            })
        })
        .collect()
}

fn if_element<'a>(i: &'a If, catalog: &'a Catalog) -> Element<'a> {
    let op = i.condition.operator.value.as_str();
    let otherwise = match &i.otherwise {
        None => Vec::new(),
        Some(Else::If(inner)) => vec![if_element(inner, catalog)],
        Some(Else::Body(body)) => elements(&body.stmts, catalog),
    };
    Element::Block {
        ty: "if-else",
        id: match &i.id {
            Some(id) => Cow::Borrowed(&id.value),
            None => Cow::Owned(format!("if-{}", i.number)),
        },
        inputs: Inputs::Condition {
            operator: catalog.operator(op).unwrap_or(op),
            left: &i.condition.left,
            right: &i.condition.right,
        },
        branches: vec![
            ("then", elements(&i.then.stmts, catalog)),
            ("else", otherwise),
        ],
    }
}

/// The text a string emits: references as `{{path}}`.
pub(crate) fn string_text(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Ref(r) => {
                out.push_str("{{");
                out.push_str(&r.path());
                out.push_str("}}");
            }
        }
    }
    out
}

fn object(o: &Object) -> Json {
    Json::Object(
        o.members
            .iter()
            .map(|m| (m.key.value.clone(), value(&m.value)))
            .collect(),
    )
}

/// A value as JSON.
pub(crate) fn value(v: &Value) -> Json {
    match &v.kind {
        ValueKind::String(pieces) => Json::String(string_text(pieces)),
        ValueKind::Number(n) => Json::Number(n.clone()),
        ValueKind::Bool(b) => Json::Bool(*b),
        ValueKind::Null | ValueKind::Invalid => Json::Null,
        ValueKind::Object(o) => object(o),
        ValueKind::Array(items) => Json::Array(items.iter().map(value).collect()),
        ValueKind::Path(r) => Json::String(format!("{{{{{}}}}}", r.path())),
    }
}

fn op(name: &str, args: Vec<Json>) -> Json {
    Json::Object(vec![(name.to_string(), Json::Array(args))])
}

/// A `when` expression as JSON Logic (SPEC §5).
pub(crate) fn logic(e: &Expr) -> Json {
    match &e.kind {
        ExprKind::Literal(v) => value(v),
        ExprKind::List(items) => Json::Array(items.iter().map(logic).collect()),
        ExprKind::Var(path) => Json::Object(vec![("var".into(), Json::String(path.clone()))]),
        ExprKind::Call { name, args } => op(&name.value, args.iter().map(logic).collect()),
        ExprKind::Not(inner) => op("!", vec![logic(inner)]),
        ExprKind::Paren(inner) => logic(inner),
        ExprKind::And(items) => op("and", items.iter().map(logic).collect()),
        ExprKind::Or(items) => op("or", items.iter().map(logic).collect()),
        ExprKind::Compare { first, rest } => {
            if rest.len() == 1 {
                let (cmp, right) = &rest[0];
                let args = vec![logic(first), logic(right)];
                return match cmp.op {
                    "not in" => op("!", vec![op("in", args)]),
                    o => op(o, args),
                };
            }
            // A between chain `a < b < c` (checked to be one by `check`).
            let mut args = vec![logic(first)];
            args.extend(rest.iter().map(|(_, e)| logic(e)));
            op(rest[0].0.op, args)
        }
    }
}
