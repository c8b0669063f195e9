//! `flowc import`: a create-workflow (or response) body back to canonical flow text (SPEC §10).
//!
//! The body becomes a syntax tree, which `fmt` prints. Sugar (`step`, `if`,
//! `else if`, `block`, bare paths, omitted names and ids) is used only where
//! it builds back to exactly the same JSON; anything else becomes `block` or
//! `raw`. Checks that an allow comment can silence are silenced at the top of
//! the file, so `build(import(J))` is `J` even for a body that breaks them.

use crate::ast::*;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic};
use crate::json::{self, Json, Node, NodeValue};
use crate::span::Span;
use crate::syntax::{is_identifier, is_name, is_segment};

/// Fields of a response body that a create body does not have.
const SERVER_FIELDS: [&str; 7] = [
    "id",
    "workflow_id",
    "is_active",
    "version_number",
    "created_at",
    "updated_at",
    "webhook_url",
];

/// Flow text, and what the import did that the user should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub text: String,
    /// Notes for standard error: dropped fields, added allow comments.
    pub notes: Vec<String>,
}

/// Imports one JSON text. Diagnostics point into `json_text` and name the
/// JSON path of the problem.
pub fn import(json_text: &str) -> Result<Imported, Vec<Diagnostic>> {
    import_unchecked(json_text).inspect_err(|d| crate::debug_assert_spans(json_text, d))
}

fn import_unchecked(json_text: &str) -> Result<Imported, Vec<Diagnostic>> {
    let root = json::parse(json_text).map_err(|e| {
        vec![
            Diagnostic::new(Code::E700, e.span, format!("invalid JSON: {}", e.message))
                .with_label(e.message),
        ]
    })?;
    let mut duplicates = Vec::new();
    find_duplicates(&root, "", &mut duplicates);
    if !duplicates.is_empty() {
        return Err(duplicates);
    }
    let mut importer = Importer {
        catalog: Catalog::default(),
        notes: Vec::new(),
    };
    let file = importer.file(&root).map_err(|d| vec![d])?;
    let text = crate::fmt::format(&file, None);
    let text = importer.allow_what_breaks(text);
    Ok(Imported {
        text,
        notes: importer.notes,
    })
}

fn at(path: &str) -> String {
    if path.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{path}`")
    }
}

fn key_path(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", serde_json::to_string(key).unwrap_or_default()),
    }
}

fn find_duplicates(node: &Node, path: &str, out: &mut Vec<Diagnostic>) {
    match &node.value {
        NodeValue::Object(members) => {
            // A scan for small objects, a map for large ones: linear either way.
            let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
            for (i, (key, span, value)) in members.iter().enumerate() {
                let first = if members.len() <= 16 {
                    members[..i]
                        .iter()
                        .find(|(k, _, _)| k == key)
                        .map(|(_, s, _)| *s)
                } else {
                    let first = seen.get(key.as_str()).copied();
                    seen.entry(key).or_insert(*span);
                    first
                };
                if let Some(first) = first {
                    out.push(
                        Diagnostic::new(
                            Code::E703,
                            *span,
                            format!("duplicate key `{key}` in the object at {}", at(path)),
                        )
                        .with_label("second one")
                        .with_secondary(first, "first one")
                        .with_help(
                            "flow text cannot write an object with a key twice (E109): remove one",
                        ),
                    );
                }
                find_duplicates(value, &key_path(path, key), out);
            }
        }
        NodeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_duplicates(item, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

struct Importer {
    catalog: Catalog,
    notes: Vec<String>,
}

fn text(value: impl Into<String>) -> Text {
    Text {
        value: value.into(),
        span: Span::DETACHED,
    }
}

fn detached(kind: ValueKind) -> Value {
    Value {
        kind,
        span: Span::DETACHED,
    }
}

fn members(node: &Node) -> Option<&[(String, Span, Node)]> {
    match &node.value {
        NodeValue::Object(m) => Some(m),
        _ => None,
    }
}

fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    members(node)?
        .iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, _, v)| v)
}

fn string(node: &Node) -> Option<&str> {
    match &node.value {
        NodeValue::String(s) => Some(s),
        _ => None,
    }
}

/// The object's keys are exactly `keys`, in any order.
fn has_keys(node: &Node, keys: &[&str]) -> bool {
    members(node).is_some_and(|m| {
        m.len() == keys.len() && keys.iter().all(|k| m.iter().any(|(key, _, _)| key == k))
    })
}

/// The object's keys are exactly `keys`, in this order.
fn has_keys_in_order(node: &Node, keys: &[&str]) -> bool {
    members(node).is_some_and(|m| {
        m.len() == keys.len() && m.iter().zip(keys).all(|((k, _, _), want)| k == want)
    })
}

/// Splits a JSON string into literal text and the `{{a.b}}` references the
/// platform fills in; only the exact form flowc emits is a reference.
fn template_pieces(s: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(found) = s[i..].find("{{") {
        let open = i + found;
        // Read the path's characters only, so that each `{{` costs the
        // length of what follows it up to the first other character.
        let start = open + 2;
        let len = s[start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            .count();
        let path = &s[start..start + len];
        let closed = s[start + len..].starts_with("}}");
        let mut segments = path.split('.');
        let well_formed = closed && path.contains('.') && segments.all(is_segment);
        if !well_formed {
            i = open + 1;
            continue;
        }
        if open > text_start {
            pieces.push(Piece::Text(s[text_start..open].to_string()));
        }
        pieces.push(Piece::Ref(Reference {
            segments: path.split('.').map(str::to_string).collect(),
            span: Span::DETACHED,
        }));
        i = start + len + 2;
        text_start = i;
    }
    if text_start < s.len() || pieces.is_empty() {
        pieces.push(Piece::Text(s[text_start..].to_string()));
    }
    pieces
}

/// Levels of SPEC §6 (E108): flow text cannot nest deeper.
const MAX_LEVEL: usize = crate::syntax::MAX_DEPTH as usize;

fn too_deep(node: &Node, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E704,
        node.span,
        format!(
            "{} is nested deeper than flow text can write ({MAX_LEVEL} levels)",
            at(path)
        ),
    )
    .with_label("too deep")
    .with_help("flatten the workflow; flow text allows 64 levels of blocks, objects and arrays")
}

impl Importer {
    fn file(&mut self, root: &Node) -> Result<File, Diagnostic> {
        let Some(top) = members(root) else {
            return Err(Diagnostic::new(Code::E701, root.span, "the body is not a JSON object")
                .with_label("expected an object")
                .with_help("a workflow body is an object with `name`, `trigger_type` and `workflow_blocks`"));
        };
        let required = |key: &str, what: &str| -> Diagnostic {
            Diagnostic::new(Code::E701, root.span, format!("the body has no `{key}`"))
                .with_label(format!("`{key}` ({what}) is required"))
                .with_help("a workflow body has `name`, `trigger_type` and `workflow_blocks`")
        };
        let name = get(root, "name").ok_or_else(|| required("name", "a string"))?;
        let trigger =
            get(root, "trigger_type").ok_or_else(|| required("trigger_type", "a string"))?;
        let blocks =
            get(root, "workflow_blocks").ok_or_else(|| required("workflow_blocks", "an array"))?;
        let wrong = |node: &Node, key: &str, what: &str| {
            Diagnostic::new(Code::E701, node.span, format!("`{key}` must be {what}"))
                .with_label(format!("expected {what}"))
        };
        let name = string(name).ok_or_else(|| wrong(name, "name", "a string"))?;
        let trigger_name =
            string(trigger).ok_or_else(|| wrong(trigger, "trigger_type", "a string"))?;
        if !is_name(trigger_name) {
            return Err(Diagnostic::new(
                Code::E701,
                trigger.span,
                format!("trigger type `{trigger_name}` cannot be written in flow text"),
            )
            .with_label("not a name")
            .with_help("a trigger type is a bare name: letters, digits, `_` and `-`, starting with a letter"));
        }
        let NodeValue::Array(elements) = &blocks.value else {
            return Err(wrong(blocks, "workflow_blocks", "an array"));
        };
        let mut headers = Vec::new();
        let header = |kind| Header {
            keyword: Span::DETACHED,
            kind,
            span: Span::DETACHED,
        };
        for (key, _, value) in top {
            let present = !matches!(value.value, NodeValue::Null);
            match key.as_str() {
                "name" | "trigger_type" | "workflow_blocks" => {}
                "description" if present => {
                    let description = string(value)
                        .ok_or_else(|| wrong(value, "description", "a string or null"))?;
                    headers.push((0, header(HeaderKind::Description(text(description)))));
                }
                "trigger_configuration" if present => {
                    let config = self.value(value, "trigger_configuration", true, 1)?;
                    headers.push((
                        1,
                        header(HeaderKind::Trigger {
                            name: text(trigger_name),
                            config: Some(config),
                        }),
                    ));
                }
                "trigger_constraints" if present => {
                    let kind = match self.when(value) {
                        Some(expr) => HeaderKind::When(expr),
                        None => HeaderKind::Constraints(self.value(
                            value,
                            "trigger_constraints",
                            false,
                            1,
                        )?),
                    };
                    headers.push((2, header(kind)));
                }
                "workflow_editor_state" if present => {
                    let state = self.value(value, "workflow_editor_state", false, 1)?;
                    headers.push((3, header(HeaderKind::EditorState(state))));
                }
                "description"
                | "trigger_configuration"
                | "trigger_constraints"
                | "workflow_editor_state" => {}
                k if SERVER_FIELDS.contains(&k) => {
                    self.notes.push(format!("dropped the server field `{k}`"))
                }
                k => self
                    .notes
                    .push(format!("dropped the unknown top-level key `{k}`")),
            }
        }
        if !headers.iter().any(|(order, _)| *order == 1) {
            headers.push((
                1,
                header(HeaderKind::Trigger {
                    name: text(trigger_name),
                    config: None,
                }),
            ));
        }
        // Trigger first, then description, constraints and editor state.
        headers.sort_by_key(|(order, _)| match order {
            1 => 0,
            0 => 1,
            n => *n,
        });
        let mut body = Vec::with_capacity(elements.len());
        for (i, element) in elements.iter().enumerate() {
            body.push(self.element(element, &format!("workflow_blocks[{i}]"), 0)?);
        }
        number_ifs(&mut body);
        Ok(File {
            workflow: Workflow {
                keyword: Span::DETACHED,
                name: text(name),
                headers: headers.into_iter().map(|(_, h)| h).collect(),
                body,
                span: Span::DETACHED,
            },
            comments: Vec::new(),
        })
    }

    /// A JSON value as a flow value; `template` reads `{{…}}` references.
    /// `level` is the level the value stands at (SPEC §6).
    fn value(
        &mut self,
        node: &Node,
        path: &str,
        template: bool,
        level: usize,
    ) -> Result<Value, Diagnostic> {
        let kind = match &node.value {
            NodeValue::Null => ValueKind::Null,
            NodeValue::Bool(b) => ValueKind::Bool(*b),
            NodeValue::Number(n) => ValueKind::Number(n.clone()),
            NodeValue::String(s) if template => {
                let pieces = template_pieces(s);
                match pieces.as_slice() {
                    [Piece::Ref(r)] if is_name(r.root()) => ValueKind::Path(r.clone()),
                    _ => ValueKind::String(pieces),
                }
            }
            NodeValue::String(s) => ValueKind::String(vec![Piece::Text(s.clone())]),
            NodeValue::Array(items) => {
                if level > MAX_LEVEL {
                    return Err(too_deep(node, path));
                }
                let mut values = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    values.push(self.value(item, &format!("{path}[{i}]"), template, level + 1)?);
                }
                ValueKind::Array(values)
            }
            NodeValue::Object(_) => ValueKind::Object(self.object(node, path, template, level)?),
        };
        Ok(detached(kind))
    }

    fn object(
        &mut self,
        node: &Node,
        path: &str,
        template: bool,
        level: usize,
    ) -> Result<Object, Diagnostic> {
        if level > MAX_LEVEL {
            return Err(too_deep(node, path));
        }
        let mut out = Vec::new();
        for (key, _, value) in members(node).unwrap_or_default() {
            out.push(Member {
                key: text(key.clone()),
                value: self.value(value, &key_path(path, key), template, level + 1)?,
            });
        }
        Ok(Object {
            members: out,
            span: Span::DETACHED,
        })
    }

    fn elements(&mut self, node: &Node, path: &str, level: usize) -> Result<Vec<Stmt>, Diagnostic> {
        let NodeValue::Array(items) = &node.value else {
            unreachable!("checked by the caller")
        };
        let mut stmts = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            stmts.push(self.element(item, &format!("{path}[{i}]"), level)?);
        }
        Ok(stmts)
    }

    /// One element of a list whose statements stand at `level`.
    fn element(&mut self, node: &Node, path: &str, level: usize) -> Result<Stmt, Diagnostic> {
        if members(node).is_none() {
            return Err(Diagnostic::new(
                Code::E702,
                node.span,
                format!("the element at `{path}` is not an object"),
            )
            .with_label("expected an object")
            .with_help("every element of a block list is an object with `$kind`"));
        }
        let kind = get(node, "$kind").and_then(string);
        let is_object =
            |key: &str| get(node, key).is_some_and(|n| matches!(n.value, NodeValue::Object(_)));
        let string_at = |key: &str| get(node, key).and_then(string);
        if kind == Some("Action")
            && has_keys(node, &["$kind", "id", "type", "name", "input"])
            && string_at("id").is_some()
            && string_at("type").is_some()
            && string_at("name").is_some()
            && is_object("input")
        {
            let id = string_at("id").unwrap_or_default();
            let name = string_at("name").unwrap_or_default();
            let input = get(node, "input").expect("checked above");
            let input = match members(input) {
                Some([]) => None,
                _ => Some(self.object(input, &format!("{path}.input"), true, level + 1)?),
            };
            return Ok(Stmt::Step(Step {
                keyword: Span::DETACHED,
                id: text(id),
                ty: text(string_at("type").unwrap_or_default()),
                name: (name != id).then(|| text(name)),
                input,
                span: Span::DETACHED,
            }));
        }
        let block_shape = kind == Some("Block")
            && has_keys(node, &["$kind", "type", "id", "inputs", "branches"])
            && string_at("type").is_some()
            && string_at("id").is_some()
            && is_object("inputs")
            && get(node, "branches").and_then(members).is_some_and(|b| {
                b.iter()
                    .all(|(_, _, v)| matches!(v.value, NodeValue::Array(_)))
            });
        if block_shape && level + 1 > MAX_LEVEL {
            return Err(too_deep(node, path));
        }
        if block_shape && string_at("type") == Some("if-else") {
            if let Some(stmt) = self.if_else(node, path, level)? {
                return Ok(stmt);
            }
        }
        let branches = get(node, "branches").and_then(members).unwrap_or_default();
        if block_shape && branches.iter().all(|(name, _, _)| is_name(name)) {
            let inputs = get(node, "inputs").expect("checked above");
            let inputs = match members(inputs) {
                Some([]) => None,
                _ => Some(self.object(inputs, &format!("{path}.inputs"), true, level + 2)?),
            };
            let mut out = Vec::with_capacity(branches.len());
            for (name, _, list) in branches {
                let body = self.elements(list, &format!("{path}.branches.{name}"), level + 1)?;
                out.push(Branch {
                    name: text(name.clone()),
                    body: Body {
                        stmts: body,
                        span: Span::DETACHED,
                    },
                });
            }
            return Ok(Stmt::Block(Block {
                keyword: Span::DETACHED,
                id: text(string_at("id").unwrap_or_default()),
                ty: text(string_at("type").unwrap_or_default()),
                inputs,
                branches: out,
                span: Span::DETACHED,
            }));
        }
        let object = self.object(node, path, false, level + 1)?;
        Ok(Stmt::Raw(Raw {
            keyword: Span::DETACHED,
            object,
            span: Span::DETACHED,
        }))
    }

    /// The `if` sugar, when it reproduces the block exactly.
    fn if_else(
        &mut self,
        node: &Node,
        path: &str,
        level: usize,
    ) -> Result<Option<Stmt>, Diagnostic> {
        let inputs = get(node, "inputs").expect("checked by the caller");
        let branches = get(node, "branches").expect("checked by the caller");
        if !has_keys_in_order(inputs, &["condition"])
            || !has_keys_in_order(branches, &["then", "else"])
        {
            return Ok(None);
        }
        let condition = get(inputs, "condition").expect("checked above");
        if !has_keys_in_order(condition, &["operatorName", "left", "right"]) {
            return Ok(None);
        }
        let Some(operator) = get(condition, "operatorName").and_then(string) else {
            return Ok(None);
        };
        let written = match self
            .catalog
            .symbols
            .iter()
            .find(|(_, name)| name == operator)
        {
            Some((symbol, _)) => symbol.clone(),
            None if is_name(operator) && self.catalog.operator(operator).is_some() => {
                operator.to_string()
            }
            None => return Ok(None),
        };
        let cond_path = format!("{path}.inputs.condition");
        let left = self.value(
            get(condition, "left").expect("checked"),
            &format!("{cond_path}.left"),
            true,
            level + 2,
        )?;
        let right = self.value(
            get(condition, "right").expect("checked"),
            &format!("{cond_path}.right"),
            true,
            level + 2,
        )?;
        let then = self.elements(
            get(branches, "then").expect("checked"),
            &format!("{path}.branches.then"),
            level + 1,
        )?;
        let else_list = get(branches, "else").expect("checked");
        let else_path = format!("{path}.branches.else");
        let mut otherwise = self.elements(else_list, &else_path, level + 1)?;
        let otherwise = match otherwise.len() {
            0 => None,
            1 if matches!(otherwise[0], Stmt::If(_)) => {
                let Some(Stmt::If(inner)) = otherwise.pop() else {
                    unreachable!("matched above")
                };
                // An `else if` stands one level deeper than a nested `if`
                // would: re-read it there, so that depth is checked right.
                let inner_node = match &else_list.value {
                    NodeValue::Array(items) => &items[0],
                    _ => unreachable!("checked by the caller"),
                };
                if level + 2 > MAX_LEVEL {
                    return Err(too_deep(inner_node, &format!("{else_path}[0]")));
                }
                Some(Else::If(Box::new(inner)))
            }
            _ => Some(Else::Body(Body {
                stmts: otherwise,
                span: Span::DETACHED,
            })),
        };
        Ok(Some(Stmt::If(If {
            keyword: Span::DETACHED,
            id: Some(text(get(node, "id").and_then(string).unwrap_or_default())),
            number: 0,
            condition: Condition {
                left,
                operator: text(written),
                right,
            },
            then: Body {
                stmts: then,
                span: Span::DETACHED,
            },
            otherwise,
            span: Span::DETACHED,
        })))
    }

    /// Trigger constraints as a `when` expression, if one compiles back to
    /// exactly the same JSON Logic.
    fn when(&self, node: &Node) -> Option<Expr> {
        let expr = logic_expr(node, 0)?;
        (crate::emit::logic(&expr) == node.to_json()).then_some(expr)
    }

    /// Adds an allow comment for every silenceable error the text has, so
    /// that it builds; notes what was silenced.
    fn allow_what_breaks(&mut self, text: String) -> String {
        let checked = crate::check_source(&text, &self.catalog);
        let mut codes: Vec<Code> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && !d.code.is_syntax())
            .map(|d| d.code)
            .collect();
        codes.sort();
        codes.dedup();
        if codes.is_empty() {
            return text;
        }
        let list: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        self.notes.push(format!(
            "the body breaks checks {}: wrote `// flowc: allow({})` before `workflow`; run `flowc check` on the result to see where",
            list.join(", "),
            list.join(", ")
        ));
        format!("// flowc: allow({})\n{text}", list.join(", "))
    }
}

/// Numbers the `if`s in pre-order and drops ids equal to the automatic `if-N`.
fn number_ifs(stmts: &mut [Stmt]) {
    crate::ast::number_ifs(stmts);
    crate::ast::for_each_if_mut(stmts, &mut |i| {
        if i.id
            .as_ref()
            .is_some_and(|id| id.value == format!("if-{}", i.number))
        {
            i.id = None;
        }
    });
}

fn expr(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::DETACHED,
    }
}

/// A term of a comparison: compound expressions need parentheses.
fn term(e: Expr) -> Expr {
    match e.kind {
        ExprKind::And(_) | ExprKind::Or(_) | ExprKind::Not(_) | ExprKind::Compare { .. } => {
            expr(ExprKind::Paren(Box::new(e)))
        }
        _ => e,
    }
}

fn is_var_path(path: &str) -> bool {
    let mut segments = path.split('.');
    let first = segments.next().unwrap_or_default();
    let rest: Vec<&str> = segments.collect();
    if !rest.iter().all(|s| is_segment(s)) {
        return false;
    }
    if rest.is_empty() {
        is_identifier(first)
    } else {
        is_name(first)
    }
}

fn compare_op(op: &str) -> Option<&'static str> {
    Some(match op {
        "==" => "==",
        "===" => "===",
        "!=" => "!=",
        "!==" => "!==",
        ">" => ">",
        ">=" => ">=",
        "<" => "<",
        "<=" => "<=",
        "in" => "in",
        _ => return None,
    })
}

/// JSON Logic as a `when` expression (SPEC §5 read backwards).
fn logic_expr(node: &Node, depth: usize) -> Option<Expr> {
    if depth > MAX_LEVEL {
        return None;
    }
    let literal = |kind| Some(expr(ExprKind::Literal(detached(kind))));
    match &node.value {
        NodeValue::Null => literal(ValueKind::Null),
        NodeValue::Bool(b) => literal(ValueKind::Bool(*b)),
        NodeValue::Number(n) => literal(ValueKind::Number(n.clone())),
        NodeValue::String(s) => literal(ValueKind::String(vec![Piece::Text(s.clone())])),
        NodeValue::Array(items) => {
            let items = items
                .iter()
                .map(|i| logic_expr(i, depth + 1))
                .collect::<Option<Vec<_>>>()?;
            Some(expr(ExprKind::List(items)))
        }
        NodeValue::Object(members) => {
            let [(op, _, arg)] = members.as_slice() else {
                return None;
            };
            let args = match &arg.value {
                NodeValue::Array(items) => items,
                NodeValue::String(path) if op == "var" && is_var_path(path) => {
                    return Some(expr(ExprKind::Var(path.clone())));
                }
                _ => return None,
            };
            let parts = || {
                args.iter()
                    .map(|a| logic_expr(a, depth + 1))
                    .collect::<Option<Vec<_>>>()
            };
            match (op.as_str(), args.len()) {
                ("and" | "or", n) if n >= 2 => {
                    let items = parts()?
                        .into_iter()
                        .map(|e| match e.kind {
                            ExprKind::And(_) | ExprKind::Or(_) => {
                                expr(ExprKind::Paren(Box::new(e)))
                            }
                            _ => e,
                        })
                        .collect();
                    Some(expr(if op == "and" {
                        ExprKind::And(items)
                    } else {
                        ExprKind::Or(items)
                    }))
                }
                ("!", 1) => {
                    if let NodeValue::Object(inner) = &args[0].value {
                        if let [(op, _, arg)] = inner.as_slice() {
                            if let (true, NodeValue::Array(pair)) = (op == "in", &arg.value) {
                                if pair.len() == 2 {
                                    let left = term(logic_expr(&pair[0], depth + 2)?);
                                    let right = term(logic_expr(&pair[1], depth + 2)?);
                                    return Some(expr(ExprKind::Compare {
                                        first: Box::new(left),
                                        rest: vec![(
                                            CompareOp {
                                                op: "not in",
                                                span: Span::DETACHED,
                                            },
                                            right,
                                        )],
                                    }));
                                }
                            }
                        }
                    }
                    let inner = logic_expr(&args[0], depth + 1)?;
                    let inner = match inner.kind {
                        ExprKind::And(_) | ExprKind::Or(_) => {
                            expr(ExprKind::Paren(Box::new(inner)))
                        }
                        _ => inner,
                    };
                    Some(expr(ExprKind::Not(Box::new(inner))))
                }
                (o, n)
                    if compare_op(o).is_some()
                        && (n == 2 || (n == 3 && matches!(o, "<" | "<="))) =>
                {
                    let op = compare_op(o)?;
                    let mut terms = parts()?.into_iter().map(term);
                    let first = terms.next()?;
                    let rest = terms
                        .map(|t| {
                            (
                                CompareOp {
                                    op,
                                    span: Span::DETACHED,
                                },
                                t,
                            )
                        })
                        .collect();
                    Some(expr(ExprKind::Compare {
                        first: Box::new(first),
                        rest,
                    }))
                }
                (o, _)
                    if is_name(o)
                        && crate::check::jsonlogic::OPERATIONS
                            .iter()
                            .any(|(name, _, _)| *name == o) =>
                {
                    Some(expr(ExprKind::Call {
                        name: text(o),
                        args: parts()?,
                    }))
                }
                _ => None,
            }
        }
    }
}

/// Whether `built` is `original` as SPEC §10 compares bodies: the same keys
/// and values with the same number lexemes, the key order kept inside every
/// `input`, `inputs` and value object (the order of a body's or an element's
/// own keys is free).
pub fn same_body(built: &Json, original: &Json) -> bool {
    let strip = |j: &Json| -> Json {
        match j {
            Json::Object(members) => Json::Object(
                members
                    .iter()
                    // Server fields and unknown keys are dropped; a null optional is absent.
                    .filter(|(k, v)| is_body_key(k) && !(is_optional(k) && *v == Json::Null))
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        }
    };
    unordered(&strip(built), &strip(original), 0)
}

fn is_optional(key: &str) -> bool {
    matches!(
        key,
        "description" | "trigger_configuration" | "trigger_constraints" | "workflow_editor_state"
    )
}

fn is_body_key(key: &str) -> bool {
    is_optional(key) || matches!(key, "name" | "trigger_type" | "workflow_blocks")
}

/// Compares with free key order at the body and element level; `level` 0
/// is the body, 1 an element.
fn unordered(a: &Json, b: &Json, level: usize) -> bool {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) if level <= 1 => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2 == k)
                        .is_some_and(|(_, w)| match k.as_str() {
                            "workflow_blocks" => elements_equal(v, w),
                            "branches" => branches_equal(v, w),
                            _ => v == w,
                        })
                })
        }
        _ => a == b,
    }
}

fn elements_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(e, f)| unordered(e, f, 1))
        }
        _ => a == b,
    }
}

fn branches_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (k2, w))| k == k2 && elements_equal(v, w))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) -> String {
        let imported = import(json).unwrap_or_else(|d| panic!("{d:?}"));
        let checked = crate::check_source(&imported.text, &Catalog::default());
        let built = checked
            .body()
            .unwrap_or_else(|| panic!("does not build:\n{}", imported.text))
            .to_pretty();
        let built = json::parse(&built).unwrap().to_json();
        let original = json::parse(json).unwrap().to_json();
        assert!(
            same_body(&built, &original),
            "{}\n{:?}",
            imported.text,
            built
        );
        imported.text
    }

    #[test]
    fn sugar_where_it_reproduces_the_body() {
        let text = round_trip(
            r#"{"name": "W", "trigger_type": "ticket-created", "workflow_blocks": [
              {"$kind": "Action", "id": "a", "type": "http-request", "name": "a", "input": {"url": "x", "n": 1e3}},
              {"$kind": "Block", "type": "if-else", "id": "if-1", "inputs": {"condition": {"operatorName": "equals", "left": "{{a.output.status}}", "right": 200}},
               "branches": {"then": [], "else": [
                 {"$kind": "Block", "type": "if-else", "id": "named", "inputs": {"condition": {"operatorName": "matches", "left": 1, "right": 2}}, "branches": {"then": [], "else": []}}
               ]}},
              {"$kind": "Action", "id": "3f-uuid", "type": "crm.lookup", "name": "CRM", "input": {"q": "<<lit>> {{a.output.x}} {{#each}}"}}
            ]}"#,
        );
        assert_eq!(
            text,
            r#"workflow "W" {
  trigger ticket-created

  step a: http-request { url: "x", n: 1e3 }
  if a.output.status == 200 {} else {
    block named: if-else {
      inputs { condition: { operatorName: "matches", left: 1, right: 2 } }
      branch then {}
      branch else {}
    }
  }
  step "3f-uuid": "crm.lookup" "CRM" { q: "\<<lit>> <<a.output.x>> \{{#each}}" }
}
"#
        );
    }

    #[test]
    fn allow_comments_keep_broken_bodies_buildable() {
        let imported = import(
            r#"{"name": "W", "trigger_type": "tickt-created", "workflow_blocks": [
              {"$kind": "Action", "id": "a", "type": "t", "name": "a", "input": {"x": "{{nope.output.y}}"}}
            ]}"#,
        )
        .unwrap();
        assert!(
            imported.text.starts_with("// flowc: allow(E201, E300)\n"),
            "{}",
            imported.text
        );
        assert_eq!(imported.notes.len(), 1);
    }

    #[test]
    fn response_bodies_and_null_optionals() {
        let imported = import(
            r#"{"id": 1, "workflow_id": "u", "name": "W", "description": null, "is_active": true,
               "trigger_type": "webhook", "version_number": 3, "created_at": "t", "updated_at": "t",
               "workflow_blocks": [], "trigger_configuration": null, "trigger_constraints": null, "webhook_url": null, "extra": 1}"#,
        )
        .unwrap();
        assert_eq!(imported.text, "workflow \"W\" {\n  trigger webhook\n}\n");
        assert_eq!(imported.notes.len(), 8);
    }

    #[test]
    fn constraints_become_when_where_exact() {
        let text = round_trip(
            r#"{"name": "W", "trigger_type": "webhook", "workflow_blocks": [], "trigger_constraints":
               {"and": [{"==": [{"var": "a.b"}, "x"]}, {"!": [{"in": ["v", {"var": "t"}]}]}, {"<": [0, {"var": "n"}, 9]}, {"or": [{"missing": ["q"]}, {"!": [{"and": [true, false]}]}]}]}}"#,
        );
        assert!(
            text.contains(r#"when a.b == "x" and "v" not in t and 0 < n < 9 and (missing("q") or not (true and false))"#),
            "{text}"
        );
        let text = round_trip(
            r#"{"name": "W", "trigger_type": "webhook", "workflow_blocks": [], "trigger_constraints": {"and": [{"var": "a b"}]}}"#,
        );
        assert!(
            text.contains("constraints { and: [{ var: \"a b\" }] }"),
            "{text}"
        );
    }

    #[test]
    fn refusals_name_the_json_path() {
        let err = |j: &str| {
            let d = import(j).unwrap_err();
            (d[0].code, d[0].message.clone())
        };
        assert_eq!(err("[1]").0, Code::E701);
        assert_eq!(err("{").0, Code::E700);
        assert_eq!(
            err(r#"{"name": "W", "trigger_type": "t"}"#),
            (Code::E701, "the body has no `workflow_blocks`".into())
        );
        assert_eq!(
            err(
                r#"{"name": "W", "trigger_type": "t", "workflow_blocks": [{"$kind": "Block", "type": "x", "id": "b", "inputs": {}, "branches": {"a": [1]}}]}"#
            ),
            (
                Code::E702,
                "the element at `workflow_blocks[0].branches.a[0]` is not an object".into()
            )
        );
        assert_eq!(
            err(
                r#"{"name": "W", "trigger_type": "t", "workflow_blocks": [{"a": {"b": 1, "b": 2}}]}"#
            ),
            (
                Code::E703,
                "duplicate key `b` in the object at `workflow_blocks[0].a`".into()
            )
        );
        let deep = format!(
            r#"{{"name": "W", "trigger_type": "t", "workflow_blocks": [{{"$kind": "Action", "id": "a", "type": "t", "name": "a", "input": {{"k": {}1{}}}}}]}}"#,
            "[".repeat(70),
            "]".repeat(70)
        );
        assert_eq!(err(&deep).0, Code::E704);
    }
}
