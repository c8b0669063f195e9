//! `flowc graph`: the control flow of a workflow as Mermaid or Graphviz dot (SPEC §11).
//!
//! The trigger is the start node; steps follow in order; an `if` is a
//! decision with `then`/`else` edges and a generic `block` a hexagon with one
//! edge per branch; the branches join again after the block, and the flow
//! ends in an end node. With `data`, dotted edges go from each step whose
//! output is read to the step (or `if`/`block`) that reads it.
//!
//! Nodes are named `n0`, `n1`, … in the order they are drawn, so any id (a
//! UUID, a quoted id with spaces) is safe; labels are escaped for each format.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::ast::{Else, File, HeaderKind, If, Object, Reference, Stmt, Value};
use crate::check::raw_id;

/// The output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid `flowchart TD`, ready to paste into Markdown on GitHub.
    Mermaid,
    /// A Graphviz `digraph`.
    Dot,
}

/// Draws the control flow of `file` (which parsed; it need not be free of
/// check errors). With `data`, adds a dotted edge from each step whose output
/// is read to each step, `if` or `block` that reads it.
pub fn render(file: &File, format: Format, data: bool) -> String {
    let graph = Graph::build(file, data);
    match format {
        Format::Mermaid => graph.mermaid(),
        Format::Dot => graph.dot(&file.workflow.name.value),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Start,
    Step,
    Decision,
    Block,
    Raw,
    End,
}

struct Node {
    shape: Shape,
    /// The text shown; `\n` breaks a line.
    label: String,
}

struct Edge {
    from: usize,
    to: usize,
    label: Option<String>,
    /// A data edge (dotted) rather than a control-flow edge.
    data: bool,
}

/// Edges (indices into `Graph::edges`) that end at whatever node comes next.
type Exits = Vec<usize>;

/// What an id names first (references resolve to the first definition).
enum Def {
    Step(usize),
    Other,
}

#[derive(Default)]
struct Graph<'a> {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    defs: HashMap<String, Def>,
    /// Each reading node with the references it holds, in source order.
    reads: Vec<(usize, Vec<&'a Reference>)>,
}

impl<'a> Graph<'a> {
    fn build(file: &'a File, data: bool) -> Self {
        let mut graph = Graph::default();
        let wf = &file.workflow;
        let trigger = wf
            .headers
            .iter()
            .find_map(|h| match &h.kind {
                HeaderKind::Trigger { name, .. } => Some(name.value.as_str()),
                _ => None,
            })
            .unwrap_or("trigger");
        let start = graph.node(Shape::Start, trigger.to_string(), Vec::new());
        let exits = vec![graph.exit(start, None)];
        let exits = graph.stmts(&wf.body, exits);
        graph.node(Shape::End, "end".to_string(), exits);
        debug_assert!(graph.edges.iter().all(|e| e.to < graph.nodes.len()));
        if data {
            graph.data_edges();
        }
        graph
    }

    /// Adds a node, the end of the pending edges `preds`.
    fn node(&mut self, shape: Shape, label: String, preds: Exits) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node { shape, label });
        for edge in preds {
            self.edges[edge].to = id;
        }
        id
    }

    /// Starts a control-flow edge out of `from`; the next node ends it. Edges
    /// are listed in the order they leave their nodes, so a decision's
    /// branches stay in written order.
    fn exit(&mut self, from: usize, label: Option<&str>) -> usize {
        self.edges.push(Edge {
            from,
            to: usize::MAX,
            label: label.map(str::to_string),
            data: false,
        });
        self.edges.len() - 1
    }

    fn define(&mut self, id: &str, def: Def) {
        if !self.defs.contains_key(id) {
            self.defs.insert(id.to_string(), def);
        }
    }

    fn stmts(&mut self, stmts: &'a [Stmt], mut exits: Exits) -> Exits {
        for stmt in stmts {
            exits = self.stmt(stmt, exits);
        }
        exits
    }

    fn stmt(&mut self, stmt: &'a Stmt, preds: Exits) -> Exits {
        match stmt {
            Stmt::Step(step) => {
                let name = match &step.name {
                    Some(name) if !name.value.is_empty() => &name.value,
                    _ => &step.id.value,
                };
                let label = format!("{name}\n{}", step.ty.value);
                let id = self.node(Shape::Step, label, preds);
                self.define(&step.id.value, Def::Step(id));
                if let Some(input) = &step.input {
                    self.read(id, object_refs(input));
                }
                vec![self.exit(id, None)]
            }
            Stmt::If(i) => self.if_(i, preds),
            Stmt::Block(block) => {
                let label = format!("{}: {}", block.id.value, block.ty.value);
                let id = self.node(Shape::Block, label, preds);
                self.define(&block.id.value, Def::Other);
                if let Some(inputs) = &block.inputs {
                    self.read(id, object_refs(inputs));
                }
                if block.branches.is_empty() {
                    return vec![self.exit(id, None)];
                }
                let entries: Vec<usize> = block
                    .branches
                    .iter()
                    .map(|b| self.exit(id, Some(&b.name.value)))
                    .collect();
                let mut exits = Vec::new();
                for (branch, entry) in block.branches.iter().zip(entries) {
                    exits.extend(self.stmts(&branch.body.stmts, vec![entry]));
                }
                exits
            }
            Stmt::Raw(raw) => {
                let ident = raw_id(raw).map(|(id, _)| id);
                let label = match ident {
                    Some(id) => format!("raw {id}"),
                    None => "raw".to_string(),
                };
                let id = self.node(Shape::Raw, label, preds);
                if let Some(ident) = ident {
                    self.define(ident, Def::Other);
                }
                vec![self.exit(id, None)]
            }
            // Only in files with syntax errors, which are not drawn.
            Stmt::Error(_) => preds,
        }
    }

    fn if_(&mut self, i: &'a If, preds: Exits) -> Exits {
        let c = &i.condition;
        let label = format!(
            "{} {} {}",
            operand(&c.left),
            c.operator.value,
            operand(&c.right)
        );
        let id = self.node(Shape::Decision, label, preds);
        self.define(&i.id(), Def::Other);
        let mut refs = Vec::new();
        c.left.references(&mut |r| refs.push(r));
        c.right.references(&mut |r| refs.push(r));
        self.read(id, refs);
        let then = self.exit(id, Some("then"));
        let otherwise = vec![self.exit(id, Some("else"))];
        let mut exits = self.stmts(&i.then.stmts, vec![then]);
        exits.extend(match &i.otherwise {
            None => otherwise,
            Some(Else::Body(body)) => self.stmts(&body.stmts, otherwise),
            Some(Else::If(nested)) => self.if_(nested, otherwise),
        });
        exits
    }

    fn read(&mut self, node: usize, refs: Vec<&'a Reference>) {
        if !refs.is_empty() {
            self.reads.push((node, refs));
        }
    }

    /// One dotted edge per distinct (step read, reader) pair, in reading order.
    fn data_edges(&mut self) {
        let mut seen = HashSet::new();
        for (reader, refs) in &self.reads {
            for r in refs {
                if let Some(Def::Step(source)) = self.defs.get(r.root()) {
                    if seen.insert((*source, *reader)) {
                        self.edges.push(Edge {
                            from: *source,
                            to: *reader,
                            label: None,
                            data: true,
                        });
                    }
                }
            }
        }
    }

    fn mermaid(&self) -> String {
        let mut out = String::from("flowchart TD\n");
        for (id, node) in self.nodes.iter().enumerate() {
            let (open, close) = match node.shape {
                Shape::Start => ("([", "])"),
                Shape::Step => ("[", "]"),
                Shape::Decision => ("{", "}"),
                Shape::Block => ("{{", "}}"),
                Shape::Raw => ("[/", "/]"),
                Shape::End => ("((", "))"),
            };
            let label = mermaid_escape(&node.label);
            let _ = writeln!(out, "    n{id}{open}\"{label}\"{close}");
        }
        for edge in &self.edges {
            let arrow = if edge.data { "-.->" } else { "-->" };
            let _ = match &edge.label {
                Some(label) => writeln!(
                    out,
                    "    n{} {arrow}|\"{}\"| n{}",
                    edge.from,
                    mermaid_escape(label),
                    edge.to
                ),
                None => writeln!(out, "    n{} {arrow} n{}", edge.from, edge.to),
            };
        }
        out
    }

    fn dot(&self, name: &str) -> String {
        let mut out = String::from("digraph workflow {\n");
        let _ = writeln!(out, "  label=\"{}\";", dot_escape(name));
        out.push_str("  labelloc=t;\n  rankdir=TB;\n");
        for (id, node) in self.nodes.iter().enumerate() {
            let shape = match node.shape {
                Shape::Start => "shape=oval",
                Shape::Step => "shape=box, style=rounded",
                Shape::Decision => "shape=diamond",
                Shape::Block => "shape=hexagon",
                Shape::Raw => "shape=parallelogram",
                Shape::End => "shape=doublecircle",
            };
            let label = dot_escape(&node.label);
            let _ = writeln!(out, "  n{id} [label=\"{label}\", {shape}];");
        }
        for edge in &self.edges {
            let mut attrs = Vec::new();
            if let Some(label) = &edge.label {
                attrs.push(format!("label=\"{}\"", dot_escape(label)));
            }
            if edge.data {
                attrs.push("style=dotted".to_string());
            }
            let _ = if attrs.is_empty() {
                writeln!(out, "  n{} -> n{};", edge.from, edge.to)
            } else {
                writeln!(
                    out,
                    "  n{} -> n{} [{}];",
                    edge.from,
                    edge.to,
                    attrs.join(", ")
                )
            };
        }
        out.push_str("}\n");
        out
    }
}

fn object_refs(object: &Object) -> Vec<&Reference> {
    let mut refs = Vec::new();
    for member in &object.members {
        member.value.references(&mut |r| refs.push(r));
    }
    refs
}

/// An `if` operand as written: paths bare, strings quoted with their
/// references as `<<…>>`.
fn operand(value: &Value) -> String {
    crate::fmt::inline_value(value)
}

/// Text for inside a Mermaid `"…"`: entity codes for the characters Mermaid
/// or its HTML labels would read, `<br/>` for line breaks.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a dot `"…"`: `\` and `"` escaped, `\n` for line breaks.
fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
