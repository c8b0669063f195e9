//! Emission: a checked file to the exact `POST /workflows` body (SPEC §4).
//!
//! The body is built from dedicated output types, not from the AST, so the
//! JSON is a deliberate contract: key order, number lexemes and the
//! `{{…}}` form of references are decided here and nowhere else.

use crate::ast::*;
use crate::catalog::Catalog;
use crate::json::Json;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The request body of `POST /workflows`, keys in the API page's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    pub name: String,
    pub trigger_type: String,
    pub workflow_blocks: Vec<Element>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_configuration: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_constraints: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_editor_state: Option<Json>,
}

/// One element of `workflow_blocks` or of a branch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Element {
    Action(Action),
    Block(BlockElement),
    /// A `raw` object, verbatim.
    Raw(Json),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    #[serde(rename = "$kind")]
    pub kind: &'static str,
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub name: String,
    pub input: Json,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockElement {
    #[serde(rename = "$kind")]
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub ty: String,
    pub id: String,
    pub inputs: Json,
    pub branches: Branches,
}

/// Branches in written order.
#[derive(Debug, Clone, PartialEq)]
pub struct Branches(pub Vec<(String, Vec<Element>)>);

impl Serialize for Branches {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, elements) in &self.0 {
            map.serialize_entry(name, elements)?;
        }
        map.end()
    }
}

impl Body {
    /// Pretty JSON, two-space indent, with a trailing newline.
    pub fn to_pretty(&self) -> String {
        finish(serde_json::to_string_pretty(self))
    }

    /// One line of JSON with a trailing newline.
    pub fn to_compact(&self) -> String {
        finish(serde_json::to_string(self))
    }
}

/// Serialises any part of a body (such as `workflow_blocks` alone).
pub fn to_json<T: Serialize>(value: &T, pretty: bool) -> String {
    finish(if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    })
}

fn finish(result: serde_json::Result<String>) -> String {
    // Our output types hold only strings, maps and JSON values with string
    // keys, which cannot fail to serialise.
    let mut text = result.unwrap_or_default();
    text.push('\n');
    text
}

/// Builds the body of a file (which the caller has checked).
pub(crate) fn body(file: &File, catalog: &Catalog) -> Body {
    let wf = &file.workflow;
    let mut body = Body {
        name: wf.name.value.clone(),
        trigger_type: String::new(),
        workflow_blocks: elements(&wf.body, catalog),
        description: None,
        trigger_configuration: None,
        trigger_constraints: None,
        workflow_editor_state: None,
    };
    for header in &wf.headers {
        match &header.kind {
            HeaderKind::Description(text) => body.description = Some(text.value.clone()),
            HeaderKind::Trigger { name, config } => {
                body.trigger_type = name.value.clone();
                body.trigger_configuration = config.as_ref().map(value);
            }
            HeaderKind::When(expr) => body.trigger_constraints = Some(logic(expr)),
            HeaderKind::Constraints(v) => body.trigger_constraints = Some(value(v)),
            HeaderKind::EditorState(v) => body.workflow_editor_state = Some(value(v)),
        }
    }
    body
}

fn elements(stmts: &[Stmt], catalog: &Catalog) -> Vec<Element> {
    stmts
        .iter()
        .map(|stmt| match stmt {
            Stmt::Step(step) => Element::Action(Action {
                kind: "Action",
                id: step.id.value.clone(),
                ty: step.ty.value.clone(),
                name: step.name.as_ref().unwrap_or(&step.id).value.clone(),
                input: step.input.as_ref().map_or_else(Json::object, object),
            }),
            Stmt::If(i) => if_element(i, catalog),
            Stmt::Block(b) => Element::Block(BlockElement {
                kind: "Block",
                ty: b.ty.value.clone(),
                id: b.id.value.clone(),
                inputs: b.inputs.as_ref().map_or_else(Json::object, object),
                branches: Branches(
                    b.branches
                        .iter()
                        .map(|br| (br.name.value.clone(), elements(&br.body.stmts, catalog)))
                        .collect(),
                ),
            }),
            Stmt::Raw(r) => Element::Raw(object(&r.object)),
        })
        .collect()
}

fn if_element(i: &If, catalog: &Catalog) -> Element {
    let op = &i.condition.operator.value;
    let operator = catalog.operator(op).unwrap_or(op);
    let condition = Json::Object(vec![
        ("operatorName".into(), Json::String(operator.to_string())),
        ("left".into(), value(&i.condition.left)),
        ("right".into(), value(&i.condition.right)),
    ]);
    let inputs = vec![("condition".to_string(), condition)];
    let otherwise = match &i.otherwise {
        None => Vec::new(),
        Some(Else::If(inner)) => vec![if_element(inner, catalog)],
        Some(Else::Body(body)) => elements(&body.stmts, catalog),
    };
    Element::Block(BlockElement {
        kind: "Block",
        ty: "if-else".to_string(),
        id: i.id(),
        inputs: Json::Object(inputs),
        branches: Branches(vec![
            ("then".to_string(), elements(&i.then.stmts, catalog)),
            ("else".to_string(), otherwise),
        ]),
    })
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
