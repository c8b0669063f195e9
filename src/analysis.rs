//! One document's index for editors: definitions, every reference, what is at an offset and what is visible there.
//!
//! The language server (`flowc lsp`) answers every request from one
//! [`Analysis`], built once per version of a document, so diagnostics,
//! completion, hover, definition, references and rename cannot disagree.
//! Everything here is in byte offsets of the source text; positions in
//! lines and UTF-16 units belong to the server. The diagnostics are exactly
//! [`crate::check_source`]'s.

use crate::ast::{self, Else, HeaderKind, Stmt, Value};
use crate::catalog::Catalog;
use crate::check::Node;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::{is_identifier, is_name, is_segment};
use crate::Checked;
use std::collections::HashMap;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefKind {
    Step,
    /// A `raw` element with a string `"id"`.
    Raw,
    If,
    Block,
}

/// A branch of a block: the block's flow order and the branch's index.
pub type BranchRef = (usize, usize);

/// One definition of an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub id: String,
    pub kind: DefKind,
    /// The id as written (quotes included); for an `if` without an id, its
    /// keyword.
    pub span: Span,
    /// False for the automatic `if-N` id of an `if` written without one.
    pub written: bool,
    /// The defining statement's position in flow (pre-)order.
    pub order: usize,
    /// The branches enclosing the statement, outermost first.
    pub path: Vec<BranchRef>,
    /// A step's or block's type, as written.
    pub ty: Option<ast::Text>,
    /// A step's display name, when written.
    pub name: Option<String>,
    /// The whole statement.
    pub statement: Span,
    /// The first definition of this id (references resolve to it); a later
    /// one is an E200.
    pub first: bool,
}

/// How a reference is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefForm {
    /// `<<root.output.field>>` inside a string.
    Angle,
    /// `{{root.output.field}}` inside a string.
    Brace,
    /// A bare path standing as a whole value: `root.output.field`.
    Bare,
}

/// Where a reference stands, for what has run before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The trigger configuration: before any step.
    Trigger,
    /// A statement's inputs; `container` for an `if` condition or a block's
    /// inputs, which are read before anything inside the block.
    Stmt {
        order: usize,
        path: Vec<BranchRef>,
        container: bool,
    },
}

/// One reference in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub segments: Vec<String>,
    /// The whole reference, markers included.
    pub span: Span,
    pub form: RefForm,
    /// The source span of each segment, as far as the source spells them
    /// plainly (an escape inside a segment ends the list).
    pub segment_spans: Vec<Span>,
    pub place: Place,
}

impl Occurrence {
    pub fn root(&self) -> &str {
        &self.segments[0]
    }

    /// The root as written, when the source spells it plainly.
    pub fn root_span(&self) -> Option<Span> {
        self.segment_spans.first().copied()
    }
}

/// Whether a step has surely run at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// It runs before, on every path.
    Surely,
    /// It runs before, inside a branch of an earlier block (W201).
    Maybe,
    /// It cannot have run first: later, itself, another branch, inside.
    Never,
}

/// What stands at an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// The id of a definition.
    Definition(&'a Definition),
    /// A reference; the cursor is on its root when `on_root`.
    Reference(&'a Occurrence),
    /// A step's action type.
    ActionType(&'a ast::Text),
    /// The trigger type of the `trigger` header.
    TriggerType(&'a ast::Text),
}

/// What a completion item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Trigger,
    ActionType,
    Input,
    /// A step that has surely run.
    Step,
    /// A step that may not have run (inside a branch of an earlier block).
    MaybeStep,
    /// A declared reference root.
    Root,
    /// An output field, or `output` itself.
    Field,
    Operator,
    /// A JSON Logic operation.
    Operation,
    /// An `if` or a block (test files).
    Block,
    /// A branch of an `if` or a block (test files).
    Branch,
    /// A word of the language (test files' items).
    Keyword,
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: String,
}

/// The proposals at an offset and the span of source they replace (the
/// word being typed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    pub replace: Span,
    pub items: Vec<Item>,
}

/// What a document symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Workflow,
    Header,
    Step,
    If,
    Branch,
    Block,
    Raw,
}

/// The outline of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub span: Span,
    /// What to highlight: the id, keyword or name.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// A text edit in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// A quick fix for one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    /// The diagnostic's index in [`Analysis::diagnostics`].
    pub diagnostic: usize,
    pub edits: Vec<Edit>,
    /// The fix most likely wanted (a suggested replacement).
    pub preferred: bool,
}

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One document, checked, and indexed on the first question that needs the
/// index: the diagnostics of a change are ready before it is built.
#[derive(Debug, Clone)]
pub struct Analysis {
    src: String,
    catalog: Catalog,
    checked: Checked,
    index: std::sync::OnceLock<Index>,
}

/// Definitions and references of one document.
#[derive(Debug, Clone, Default)]
struct Index {
    defs: Vec<Definition>,
    /// Each id's first definition.
    by_id: HashMap<String, usize>,
    /// Every reference, in source order.
    refs: Vec<Occurrence>,
}

impl Analysis {
    /// Checks and indexes `src` against `catalog`.
    pub fn new(src: &str, catalog: &Catalog) -> Analysis {
        let checked = crate::check_source(src, catalog);
        Analysis {
            src: src.to_string(),
            catalog: catalog.clone(),
            checked,
            index: std::sync::OnceLock::new(),
        }
    }

    /// The index, built on first use.
    fn idx(&self) -> &Index {
        self.index.get_or_init(|| self.build_index())
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// The catalog the document is checked against.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The syntax tree, when the parse produced one.
    pub fn file(&self) -> Option<&ast::File> {
        self.checked.file()
    }

    /// Exactly what `flowc check` reports for this text and catalog.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.checked.diagnostics
    }

    /// Every definition, in flow order.
    pub fn definitions(&self) -> &[Definition] {
        &self.idx().defs
    }

    /// Every reference, in source order.
    pub fn references(&self) -> &[Occurrence] {
        &self.idx().refs
    }

    /// The definition an id resolves to (its first).
    pub fn definition(&self, id: &str) -> Option<&Definition> {
        self.idx().by_id.get(id).map(|&i| &self.idx().defs[i])
    }

    fn build_index(&self) -> Index {
        let Some(file) = self.checked.file() else {
            return Index::default();
        };
        let wf = &file.workflow;
        let mut defs = Vec::new();
        let mut refs = Vec::new();
        for header in &wf.headers {
            if let HeaderKind::Trigger {
                config: Some(config),
                ..
            } = &header.kind
            {
                collect_refs(&self.src, config, &Place::Trigger, &mut refs);
            }
        }
        let mut order = 0;
        walk(
            &wf.body,
            &mut Vec::new(),
            &mut order,
            &mut |node, order, path| {
                let place = |container| Place::Stmt {
                    order,
                    path: path.to_vec(),
                    container,
                };
                let def = |id: String, kind, span, written, ty: Option<&ast::Text>| Definition {
                    id,
                    kind,
                    span,
                    written,
                    order,
                    path: path.to_vec(),
                    ty: ty.cloned(),
                    name: None,
                    statement: node.span(),
                    first: false,
                };
                match node {
                    Node::Step(s) => {
                        let mut d = def(
                            s.id.value.clone(),
                            DefKind::Step,
                            s.id.span,
                            true,
                            Some(&s.ty),
                        );
                        d.name = s.name.as_ref().map(|n| n.value.clone());
                        defs.push(d);
                        if let Some(input) = &s.input {
                            for m in &input.members {
                                collect_refs(&self.src, &m.value, &place(false), &mut refs);
                            }
                        }
                    }
                    Node::If(i) => {
                        let (span, written) = match &i.id {
                            Some(id) => (id.span, true),
                            None => (i.keyword, false),
                        };
                        defs.push(def(i.id(), DefKind::If, span, written, None));
                        collect_refs(&self.src, &i.condition.left, &place(true), &mut refs);
                        collect_refs(&self.src, &i.condition.right, &place(true), &mut refs);
                    }
                    Node::Block(b) => {
                        defs.push(def(
                            b.id.value.clone(),
                            DefKind::Block,
                            b.id.span,
                            true,
                            Some(&b.ty),
                        ));
                        if let Some(inputs) = &b.inputs {
                            for m in &inputs.members {
                                collect_refs(&self.src, &m.value, &place(true), &mut refs);
                            }
                        }
                    }
                    Node::Raw(r) => {
                        if let Some((id, span)) = raw_id(r) {
                            defs.push(def(id, DefKind::Raw, span, true, None));
                        }
                    }
                    // A statement that failed to parse still defines its id,
                    // as `check` has it.
                    Node::Error(e) => {
                        if let Some(id) = &e.id {
                            defs.push(def(id.value.clone(), def_kind(e.kind), id.span, true, None));
                        }
                    }
                }
            },
        );
        let mut by_id = HashMap::new();
        for (i, d) in defs.iter_mut().enumerate() {
            if !by_id.contains_key(&d.id) {
                by_id.insert(d.id.clone(), i);
                d.first = true;
            }
        }
        refs.sort_by_key(|r| r.span.start);
        Index { defs, by_id, refs }
    }

    /// What stands at `offset`: a definition's id, a reference, an action
    /// type or the trigger type. An offset just past a word counts as on it.
    pub fn at(&self, offset: usize) -> Option<Target<'_>> {
        let on = |s: Span| s.start <= offset && offset <= s.end;
        let i = self.idx().refs.partition_point(|r| r.span.start <= offset);
        if let Some(r) = i.checked_sub(1).map(|i| &self.idx().refs[i]) {
            if on(r.span) {
                return Some(Target::Reference(r));
            }
        }
        if let Some(d) = self.idx().defs.iter().find(|d| d.written && on(d.span)) {
            return Some(Target::Definition(d));
        }
        if let Some(d) = self
            .idx()
            .defs
            .iter()
            .find(|d| d.kind == DefKind::Step && d.ty.as_ref().is_some_and(|t| on(t.span)))
        {
            return d.ty.as_ref().map(Target::ActionType);
        }
        let file = self.file()?;
        file.workflow.headers.iter().find_map(|h| match &h.kind {
            HeaderKind::Trigger { name, .. } if on(name.span) => Some(Target::TriggerType(name)),
            _ => None,
        })
    }

    /// The definition that the id or reference at `offset` is about.
    pub fn definition_at(&self, offset: usize) -> Option<&Definition> {
        match self.at(offset)? {
            Target::Definition(d) => self.definition(&d.id).or(Some(d)),
            Target::Reference(r) => self.definition(r.root()),
            Target::ActionType(_) | Target::TriggerType(_) => None,
        }
    }

    /// Every reference whose root is `id`, in source order.
    pub fn uses(&self, id: &str) -> impl Iterator<Item = &Occurrence> {
        let id = id.to_string();
        self.idx().refs.iter().filter(move |r| r.root() == id)
    }

    /// The definition and every use of the id at `offset`: spans of the
    /// definitions' ids and of the references' roots (the whole reference
    /// when its root is not spelled plainly).
    pub fn occurrences_at(&self, offset: usize) -> Option<(Option<&Definition>, Vec<Span>)> {
        let id = match self.at(offset)? {
            Target::Definition(d) => d.id.clone(),
            Target::Reference(r) => r.root().to_string(),
            Target::ActionType(_) | Target::TriggerType(_) => return None,
        };
        let spans = self
            .uses(&id)
            .map(|r| r.root_span().unwrap_or(r.span))
            .collect();
        Some((self.definition(&id), spans))
    }

    /// Whether step `def` has surely run, may not have run, or cannot have
    /// run at `place`. The rules are `check`'s (E203, E202, W201).
    pub fn visibility(def: &Definition, place: &Place) -> Visibility {
        let Place::Stmt {
            order,
            path,
            container,
        } = place
        else {
            return Visibility::Never;
        };
        if def.order >= *order {
            return Visibility::Never;
        }
        if *container && def.path.iter().any(|&(block, _)| block == *order) {
            return Visibility::Never;
        }
        for (d, l) in def.path.iter().zip(path) {
            if d != l {
                if d.0 == l.0 {
                    return Visibility::Never;
                }
                break;
            }
        }
        if path.starts_with(&def.path) {
            Visibility::Surely
        } else {
            Visibility::Maybe
        }
    }

    /// Where a new reference at `offset` would stand: inside a step's
    /// inputs, an `if` condition or block inputs, or between statements
    /// (`None` outside the workflow's statements, in the headers).
    pub fn place_at(&self, offset: usize) -> Option<Place> {
        let file = self.file()?;
        let wf = &file.workflow;
        let headers_end = wf.headers.last().map_or(wf.name.span.end, |h| h.span.end);
        if offset <= headers_end || offset >= wf.span.end {
            return None;
        }
        // The order a statement written here would have.
        let mut before = 0;
        let mut found: Option<Place> = None;
        // Branch bodies come in pre-order, so those holding the offset nest.
        let mut branches: Vec<BranchRef> = Vec::new();
        walk_with_branches(
            &wf.body,
            &mut Vec::new(),
            &mut 0,
            &mut |node, order, path| {
                let span = node.span();
                if span.start < offset {
                    before = order + 1;
                }
                if span.start < offset && offset < span.end {
                    let container = match node {
                        Node::If(i) => offset < i.then.span.start,
                        Node::Block(b) => b
                            .branches
                            .first()
                            .is_none_or(|br| offset < br.body.span.start),
                        Node::Step(_) | Node::Raw(_) | Node::Error(_) => false,
                    };
                    if matches!(node, Node::Step(_) | Node::Raw(_) | Node::Error(_)) || container {
                        found = Some(Place::Stmt {
                            order,
                            path: path.to_vec(),
                            container,
                        });
                    }
                }
            },
            &mut |body, branch| {
                if body.start < offset && offset < body.end {
                    branches.push(branch);
                }
            },
        );
        found.or(Some(Place::Stmt {
            order: before,
            path: branches,
            container: false,
        }))
    }

    /// Steps (and raw elements with an id) that can be read at `place`:
    /// those that surely ran, then those that may not have run.
    pub fn visible_steps(&self, place: &Place) -> Vec<(&Definition, Visibility)> {
        let mut out: Vec<(&Definition, Visibility)> = self
            .idx()
            .defs
            .iter()
            .filter(|d| d.first && matches!(d.kind, DefKind::Step | DefKind::Raw))
            .map(|d| (d, Analysis::visibility(d, place)))
            .filter(|(_, v)| *v != Visibility::Never)
            .collect();
        out.sort_by_key(|(d, v)| (*v == Visibility::Maybe, d.order));
        out
    }

    /// Completion at `offset`. The context is read from the text, so it
    /// works on a document being typed; what has run there comes from this
    /// document's tree or, when it has none (a syntax error stopped the
    /// parse), from `fallback`, an earlier version's analysis.
    pub fn completion(&self, offset: usize, fallback: Option<&Analysis>) -> Completion {
        let offset = floor_char(&self.src, offset.min(self.src.len()));
        let scope = if self.file().is_some() {
            self
        } else {
            fallback.unwrap_or(self)
        };
        let line_start = self.src[..offset].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &self.src[line_start..offset];
        let word_len = prefix.len()
            - prefix
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                .len();
        // The word the cursor is in, also after it: a proposal replaces it whole.
        let word_end = offset
            + self.src[offset..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(self.src.len() - offset);
        let word = Span::new(offset - word_len, word_end);
        let before_word = &prefix[..prefix.len() - word_len];
        let empty = |replace| Completion {
            replace,
            items: Vec::new(),
        };

        // Inside `<<…` or `{{…` on this line.
        if let Some((marker_end, typed)) = open_reference(prefix) {
            let start = line_start + marker_end + (typed.len() - typed.trim_start().len());
            return scope.path_items(typed.trim_start(), start, offset, word, true);
        }
        // Inside a string or a comment: nothing else to propose.
        if in_string_or_comment(prefix) {
            return empty(word);
        }
        let words: Vec<&str> = before_word.split_whitespace().collect();
        let ends_space = before_word.is_empty() || before_word.ends_with(char::is_whitespace);
        // `trigger NAME`.
        if words == ["trigger"] && ends_space {
            let items = self
                .catalog
                .triggers()
                .map(|t| Item {
                    label: t.to_string(),
                    kind: ItemKind::Trigger,
                    detail: trigger_detail(&self.catalog, t),
                })
                .collect();
            return Completion {
                replace: word,
                items,
            };
        }
        // `step ID: TYPE`.
        if step_type_position(before_word) {
            let items = self
                .catalog
                .actions
                .iter()
                .flatten()
                .map(|(ty, spec)| Item {
                    label: ty.clone(),
                    kind: ItemKind::ActionType,
                    detail: action_detail(spec),
                })
                .collect();
            return Completion {
                replace: word,
                items,
            };
        }
        // An `if` condition: operands and the operator.
        if let Some(rest) = if_condition(before_word) {
            let path_start = offset - path_len(prefix);
            let tokens: Vec<&str> = rest.split_whitespace().collect();
            let operand_here = |c: &Analysis| {
                c.path_items(
                    &self.src[path_start..offset],
                    path_start,
                    offset,
                    word,
                    false,
                )
            };
            return match tokens.len() {
                0 => operand_here(scope),
                1 if ends_space => self.operators(word),
                1 if rest.trim_end().ends_with(['=', '<', '>', '!']) => {
                    // `lookup.output.status >` is still being typed as `>=`.
                    empty(word)
                }
                2 if ends_space => operand_here(scope),
                _ => empty(word),
            };
        }
        // `when`: JSON Logic operations where a call may stand.
        if words.first() == Some(&"when") {
            let last = before_word.trim_end();
            let callable = words.len() == 1
                || last.ends_with(['(', ',', '[', '!', '&', '|', '=', '<', '>'])
                || matches!(words.last(), Some(&("and" | "or" | "not" | "in")));
            if !callable || !ends_space && !last.ends_with(['(', ',', '[', '!']) {
                return empty(word);
            }
            let items = crate::check::jsonlogic::OPERATIONS
                .iter()
                .filter(|(name, _, _)| is_name(name))
                .map(|(name, min, max)| Item {
                    label: name.to_string(),
                    kind: ItemKind::Operation,
                    detail: match max {
                        Some(max) if max == min => format!("JSON Logic, {min} argument(s)"),
                        Some(max) => format!("JSON Logic, {min} to {max} arguments"),
                        None => format!("JSON Logic, {min} or more arguments"),
                    },
                })
                .collect();
            return Completion {
                replace: word,
                items,
            };
        }
        // Inside an object: an input name, or a value that may be a path.
        let Some(open) = innermost_open_brace(&self.src[..offset]) else {
            return empty(word);
        };
        let at_key = before_word.trim().is_empty()
            || before_word.trim_end().ends_with(['{', ','])
            || (before_word.trim_end().ends_with(['"', '}', ']'])
                && !before_word.trim_end().ends_with(':'));
        if at_key && word_len == path_len(prefix) {
            if let Some(ty) = step_before_brace(&self.src[..open]) {
                return self.inputs(&ty, open, word);
            }
            return empty(word);
        }
        let path_start = offset - path_len(prefix);
        let before_path = self.src[line_start..path_start].trim_end();
        if before_path.ends_with(':') || before_path.ends_with('[') {
            return scope.path_items(
                &self.src[path_start..offset],
                path_start,
                offset,
                word,
                false,
            );
        }
        empty(word)
    }

    /// Proposals for a path being typed: roots, `output`, or the output
    /// fields of the root's type.
    fn path_items(
        &self,
        typed: &str,
        start: usize,
        offset: usize,
        word: Span,
        in_string: bool,
    ) -> Completion {
        let segments: Vec<&str> = typed.split('.').collect();
        let empty = Completion {
            replace: word,
            items: Vec::new(),
        };
        if segments.iter().rev().skip(1).any(|s| !is_segment(s)) {
            return empty;
        }
        match segments.as_slice() {
            [_] => {
                let place = self.place_at(start).unwrap_or(Place::Trigger);
                let mut items: Vec<Item> = self
                    .visible_steps(&place)
                    .into_iter()
                    .filter(|(d, _)| {
                        if in_string {
                            is_segment(&d.id)
                        } else {
                            is_name(&d.id)
                        }
                    })
                    .map(|(d, v)| Item {
                        label: d.id.clone(),
                        kind: if v == Visibility::Surely {
                            ItemKind::Step
                        } else {
                            ItemKind::MaybeStep
                        },
                        detail: match (v, &d.ty) {
                            (Visibility::Maybe, Some(ty)) => {
                                format!("{} step; may not have run", ty.value)
                            }
                            (Visibility::Maybe, None) => "raw element; may not have run".into(),
                            (_, Some(ty)) => format!("{} step", ty.value),
                            (_, None) => "raw element".into(),
                        },
                    })
                    .collect();
                items.extend(self.catalog.roots.iter().map(|r| Item {
                    label: r.clone(),
                    kind: ItemKind::Root,
                    detail: "declared root".into(),
                }));
                Completion {
                    replace: Span::new(start, word.end.max(offset)),
                    items,
                }
            }
            [root, _] if self.definition(root).is_some() => Completion {
                replace: word,
                items: vec![Item {
                    label: "output".into(),
                    kind: ItemKind::Field,
                    detail: format!("the output of `{root}`"),
                }],
            },
            [root, "output", _] => {
                let Some(spec) = self
                    .definition(root)
                    .and_then(|d| d.ty.as_ref())
                    .filter(|_| {
                        self.definition(root)
                            .is_some_and(|d| d.kind == DefKind::Step)
                    })
                    .and_then(|ty| self.catalog.action(&ty.value))
                else {
                    return empty;
                };
                let ty = &self
                    .definition(root)
                    .and_then(|d| d.ty.as_ref())
                    .expect("checked")
                    .value;
                Completion {
                    replace: word,
                    items: spec
                        .outputs
                        .iter()
                        .map(|o| Item {
                            label: o.clone(),
                            kind: ItemKind::Field,
                            detail: format!("output of {ty}"),
                        })
                        .collect(),
                }
            }
            _ => empty,
        }
    }

    fn operators(&self, word: Span) -> Completion {
        let mut items: Vec<Item> = self
            .catalog
            .symbols
            .iter()
            .map(|(s, n)| Item {
                label: s.clone(),
                kind: ItemKind::Operator,
                detail: n.clone(),
            })
            .collect();
        items.extend(self.catalog.operators.iter().map(|o| Item {
            label: o.clone(),
            kind: ItemKind::Operator,
            detail: "condition operator".into(),
        }));
        Completion {
            replace: word,
            items,
        }
    }

    /// The inputs of `ty` not yet written in the object opened at `open`.
    fn inputs(&self, ty: &str, open: usize, word: Span) -> Completion {
        let Some(spec) = self.catalog.action(ty) else {
            return Completion {
                replace: word,
                items: Vec::new(),
            };
        };
        let written = keys_of_object(&self.src, open, word);
        let items = spec
            .inputs
            .iter()
            .filter(|(name, _)| !written.contains(&name.as_str()))
            .map(|(name, input)| Item {
                label: name.clone(),
                kind: ItemKind::Input,
                detail: input_detail(input),
            })
            .collect();
        Completion {
            replace: word,
            items,
        }
    }

    /// Markdown describing what is at `offset`, and the span it is about.
    pub fn hover(&self, offset: usize) -> Option<(Span, String)> {
        let Some(target) = self.at(offset) else {
            return self.explanation_at(offset);
        };
        match target {
            Target::Definition(d) => {
                Some((d.span, self.describe(self.definition(&d.id).unwrap_or(d))))
            }
            Target::Reference(r) => {
                let span = match r.root_span() {
                    Some(root) if offset <= root.end => root,
                    _ => r.span,
                };
                match self.definition(r.root()) {
                    Some(d) => Some((span, self.describe(d))),
                    None if self.catalog.is_root(r.root()) => Some((
                        span,
                        format!(
                            "**`{}`**: a reference root declared in flowc.toml",
                            r.root()
                        ),
                    )),
                    // A reference to nothing: what its diagnostic means.
                    None => self.explanation_at(offset),
                }
            }
            Target::ActionType(ty) => Some((
                ty.span,
                match self.catalog.action(&ty.value) {
                    Some(spec) => format!("**action type `{}`**\n\n{}", ty.value, spec_text(spec)),
                    None if self.catalog.actions.is_some() => {
                        format!("**action type `{}`**: not declared in flowc.toml", ty.value)
                    }
                    None => format!(
                        "**action type `{}`**: unchecked (no `[actions]` in flowc.toml)",
                        ty.value
                    ),
                },
            )),
            Target::TriggerType(t) => Some((
                t.span,
                format!(
                    "**trigger `{}`**: {}",
                    t.value,
                    trigger_detail(&self.catalog, &t.value)
                ),
            )),
        }
    }

    /// Where nothing else is, the explanation (`docs/codes/CODE.md`) of the
    /// first diagnostic whose span holds `offset`.
    fn explanation_at(&self, offset: usize) -> Option<(Span, String)> {
        let d = self
            .diagnostics()
            .iter()
            .find(|d| d.span.start <= offset && offset <= d.span.end)?;
        Some((d.span, crate::explain::markdown(d.code).to_string()))
    }

    fn describe(&self, d: &Definition) -> String {
        match d.kind {
            DefKind::Step => {
                let ty = d.ty.as_ref().map_or("", |t| t.value.as_str());
                let mut out = format!("**step `{}`**: `{ty}`", d.id);
                if let Some(name) = &d.name {
                    out.push_str(&format!(" \"{name}\""));
                }
                match self.catalog.action(ty) {
                    Some(spec) => {
                        out.push_str("\n\n");
                        out.push_str(&spec_text(spec));
                    }
                    None if self.catalog.actions.is_some() => {
                        out.push_str("\n\nits type is not declared in flowc.toml")
                    }
                    None => {}
                }
                out
            }
            DefKind::Raw => format!("**raw element `{}`**: emitted unchecked", d.id),
            DefKind::If => format!(
                "**if `{}`**: an if-else block (blocks have no output)",
                d.id
            ),
            DefKind::Block => format!(
                "**block `{}`**: `{}` (blocks have no output)",
                d.id,
                d.ty.as_ref().map_or("", |t| t.value.as_str())
            ),
        }
    }

    /// The span an editor should select before renaming the id at
    /// `offset`, and the id itself.
    pub fn prepare_rename(&self, offset: usize) -> Result<(Span, String), RenameError> {
        match self.at(offset) {
            Some(Target::Definition(d)) if rename_kind(d.kind) => Ok((d.span, d.id.clone())),
            Some(Target::Reference(r)) => match (self.definition(r.root()), r.root_span()) {
                (Some(d), Some(span)) if rename_kind(d.kind) => Ok((span, d.id.clone())),
                (Some(d), None) if rename_kind(d.kind) => Ok((r.span, d.id.clone())),
                (Some(_), _) => Err(RenameError("only step and raw ids can be renamed".into())),
                (None, _) => Err(RenameError(format!(
                    "`{}` is not defined in this file",
                    r.root()
                ))),
            },
            Some(Target::Definition(_)) => {
                Err(RenameError("only step and raw ids can be renamed".into()))
            }
            _ => Err(RenameError("no step id here".into())),
        }
    }

    /// The edits that rename the step (or raw element) at `offset` to
    /// `new`: its definition and every reference in all three forms. A bare
    /// path whose new root is not a name becomes a `"<<…>>"` string. An
    /// empty id, one already taken, or one no reference can spell is
    /// refused.
    pub fn rename(&self, offset: usize, new: &str) -> Result<Vec<Edit>, RenameError> {
        let (_, old) = self.prepare_rename(offset)?;
        if new.is_empty() {
            return Err(RenameError("a step id must not be empty".into()));
        }
        if new == old {
            return Ok(Vec::new());
        }
        if self.idx().by_id.contains_key(new) {
            return Err(RenameError(format!("the id `{new}` is already taken")));
        }
        let uses: Vec<&Occurrence> = self.uses(&old).collect();
        if !uses.is_empty() && !is_segment(new) {
            return Err(RenameError(format!(
                "`{new}` cannot be referenced: a referenced id may hold only letters, digits, `_` and `-`"
            )));
        }
        let mut edits = Vec::new();
        for d in self.idx().defs.iter().filter(|d| d.id == old && d.written) {
            let text = match d.kind {
                DefKind::Raw => json_string(new),
                _ if is_identifier(new) => new.to_string(),
                _ => json_string(new),
            };
            edits.push(Edit { span: d.span, text });
        }
        for r in uses {
            let edit = match (r.form, r.root_span()) {
                (RefForm::Bare, _) if is_name(new) => Edit {
                    span: Span::new(r.span.start, r.span.start + old.len()),
                    text: new.to_string(),
                },
                (RefForm::Bare, _) => Edit {
                    span: r.span,
                    text: json_string(&format!("<<{new}.{}>>", r.segments[1..].join("."))),
                },
                (_, Some(span)) => Edit {
                    span,
                    text: new.to_string(),
                },
                (form, None) => {
                    let (open, close) = if form == RefForm::Angle {
                        ("<<", ">>")
                    } else {
                        ("{{", "}}")
                    };
                    Edit {
                        span: r.span,
                        text: format!("{open}{new}.{}{close}", r.segments[1..].join(".")),
                    }
                }
            };
            edits.push(edit);
        }
        edits.sort_by_key(|e| e.span.start);
        Ok(edits)
    }

    /// The outline: the workflow, its headers and its statements, nested.
    pub fn symbols(&self) -> Vec<Symbol> {
        let Some(file) = self.file() else {
            return Vec::new();
        };
        let wf = &file.workflow;
        let mut children: Vec<Symbol> = wf
            .headers
            .iter()
            .map(|h| Symbol {
                name: h.kind.keyword().to_string(),
                detail: match &h.kind {
                    HeaderKind::Trigger { name, .. } => Some(name.value.clone()),
                    HeaderKind::Description(d) => Some(d.value.clone()),
                    _ => None,
                },
                kind: SymbolKind::Header,
                span: h.span,
                selection: h.keyword,
                children: Vec::new(),
            })
            .collect();
        children.extend(wf.body.iter().map(stmt_symbol));
        vec![Symbol {
            name: wf.name.value.clone(),
            detail: Some("workflow".into()),
            kind: SymbolKind::Workflow,
            span: wf.span,
            selection: wf.name.span,
            children,
        }]
    }

    /// The whole document as `flowc fmt` writes it, or `None` when the text
    /// has syntax errors or is already formatted.
    pub fn formatted(&self) -> Option<String> {
        let file = self.file()?;
        if self.diagnostics().iter().any(|d| d.code.is_syntax()) {
            return None;
        }
        let text = crate::fmt::format(file, Some(&self.src));
        (text != self.src).then_some(text)
    }

    /// Quick fixes for the diagnostics that touch `range`: the suggested
    /// replacement of a "did you mean", an allow comment before the
    /// statement, and the removal of an unused allow comment (W001).
    pub fn fixes(&self, range: Span) -> Vec<Fix> {
        let mut out = Vec::new();
        for (i, d) in self.diagnostics().iter().enumerate() {
            if d.span.end < range.start || d.span.start > range.end {
                continue;
            }
            if let Some(edit) = self.suggestion(d) {
                out.push(Fix {
                    title: format!("replace with `{}`", suggested(d).unwrap_or_default()),
                    diagnostic: i,
                    edits: vec![edit],
                    preferred: true,
                });
            }
            if d.code == Code::W001 {
                out.push(Fix {
                    title: "remove the unused allow comment".into(),
                    diagnostic: i,
                    edits: vec![Edit {
                        span: whole_lines(&self.src, d.span),
                        text: String::new(),
                    }],
                    preferred: true,
                });
            } else if !d.code.is_syntax() && self.file().is_some() {
                out.push(Fix {
                    title: format!("silence {} with `// flowc: allow({})`", d.code, d.code),
                    diagnostic: i,
                    edits: vec![self.allow_edit(d)],
                    preferred: false,
                });
            }
        }
        out
    }

    /// The edit that makes a diagnostic's "did you mean" replacement.
    fn suggestion(&self, d: &Diagnostic) -> Option<Edit> {
        let new = suggested(d)?;
        if let Some(r) = self.idx().refs.iter().find(|r| r.span == d.span) {
            let segment = if d.code == Code::E504 { 2 } else { 0 };
            return r.segment_spans.get(segment).map(|&span| Edit {
                span,
                text: new.to_string(),
            });
        }
        let written = self.src.get(d.span.start..d.span.end)?;
        let text = if written.starts_with('"') {
            json_string(new)
        } else if is_name(written) || written.chars().all(|c| !c.is_whitespace()) {
            new.to_string()
        } else {
            return None;
        };
        Some(Edit { span: d.span, text })
    }

    /// Inserts `// flowc: allow(CODE)` on its own line before the innermost
    /// statement holding the diagnostic, or before `workflow`.
    fn allow_edit(&self, d: &Diagnostic) -> Edit {
        let comment = format!("// flowc: allow({})", d.code);
        let mut target: Option<Span> = None;
        if let Some(file) = self.file() {
            walk(
                &file.workflow.body,
                &mut Vec::new(),
                &mut 0,
                &mut |node, _, _| {
                    let s = node.span();
                    if s.start <= d.span.start && d.span.start < s.end {
                        target = Some(s);
                    }
                },
            );
        }
        let start = match (target, self.file()) {
            (Some(s), _) => s.start,
            (None, Some(file)) => file.workflow.keyword.start,
            (None, None) => 0,
        };
        let line_start = self.src[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &self.src[line_start..start];
        if indent.trim().is_empty() {
            Edit {
                span: Span::new(line_start, line_start),
                text: format!("{indent}{comment}\n"),
            }
        } else {
            let lead: String = indent.chars().take_while(|c| c.is_whitespace()).collect();
            Edit {
                span: Span::new(start, start),
                text: format!("\n{lead}{comment}\n{lead}"),
            }
        }
    }
}

fn rename_kind(kind: DefKind) -> bool {
    matches!(kind, DefKind::Step | DefKind::Raw)
}

/// The name a "did you mean `X`?" help proposes.
fn suggested(d: &Diagnostic) -> Option<&str> {
    d.help
        .as_deref()?
        .strip_prefix("did you mean `")?
        .strip_suffix("`?")
}

/// `span` widened to whole lines, the final line break included.
fn whole_lines(src: &str, span: Span) -> Span {
    let start = src[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = src[span.end..]
        .find('\n')
        .map_or(src.len(), |i| span.end + i + 1);
    Span::new(start, end)
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

pub(crate) fn floor_char(src: &str, mut offset: usize) -> usize {
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn spec_text(spec: &crate::catalog::ActionSpec) -> String {
    let inputs: Vec<String> = spec
        .inputs
        .iter()
        .map(|(n, i)| format!("- `{n}`: {}", input_detail(i)))
        .collect();
    let mut out = if inputs.is_empty() {
        "inputs: none".to_string()
    } else {
        format!("inputs:\n{}", inputs.join("\n"))
    };
    out.push_str("\n\noutputs: ");
    if spec.outputs.is_empty() {
        out.push_str("none");
    } else {
        let outputs: Vec<String> = spec.outputs.iter().map(|o| format!("`{o}`")).collect();
        out.push_str(&outputs.join(", "));
    }
    out
}

fn input_detail(input: &crate::catalog::InputSpec) -> String {
    let mut out = input.ty.name().to_string();
    if input.required {
        out.push_str(", required");
    }
    if let Some(allowed) = &input.allowed {
        let values: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        out.push_str(&format!(", one of {}", values.join(" ")));
    }
    out
}

fn action_detail(spec: &crate::catalog::ActionSpec) -> String {
    let inputs: Vec<&str> = spec.inputs.iter().map(|(n, _)| n.as_str()).collect();
    format!(
        "inputs: {}; outputs: {}",
        if inputs.is_empty() {
            "none".into()
        } else {
            inputs.join(", ")
        },
        if spec.outputs.is_empty() {
            "none".into()
        } else {
            spec.outputs.join(", ")
        }
    )
}

fn trigger_detail(catalog: &Catalog, name: &str) -> String {
    if crate::catalog::TRIGGERS.contains(&name) {
        "a trigger type of the API".into()
    } else if catalog.is_trigger(name) {
        "a trigger type declared in flowc.toml ([triggers] extra)".into()
    } else {
        "not a trigger type the API or flowc.toml knows".into()
    }
}

/// The id a raw element declares, if its `"id"` is a plain string.
fn raw_id(raw: &ast::Raw) -> Option<(String, Span)> {
    let member = raw.object.members.iter().find(|m| m.key.value == "id")?;
    match &member.value.kind {
        ast::ValueKind::String(pieces) => match pieces.as_slice() {
            [ast::Piece::Text(t)] => Some((t.clone(), member.value.span)),
            _ => None,
        },
        _ => None,
    }
}

fn collect_refs(src: &str, value: &Value, place: &Place, out: &mut Vec<Occurrence>) {
    value.references(&mut |r| {
        let written = src.get(r.span.start..r.span.end).unwrap_or("");
        let (form, mut at) = if written.starts_with("<<") {
            (RefForm::Angle, r.span.start + 2)
        } else if written.starts_with("{{") {
            (RefForm::Brace, r.span.start + 2)
        } else {
            (RefForm::Bare, r.span.start)
        };
        while src[at..r.span.end].starts_with([' ', '\t']) {
            at += 1;
        }
        let mut segment_spans = Vec::new();
        for (i, segment) in r.segments.iter().enumerate() {
            if i > 0 {
                if !src[at..r.span.end].starts_with('.') {
                    break;
                }
                at += 1;
            }
            if !src[at..r.span.end].starts_with(segment.as_str()) {
                break;
            }
            segment_spans.push(Span::new(at, at + segment.len()));
            at += segment.len();
        }
        out.push(Occurrence {
            segments: r.segments.clone(),
            span: r.span,
            form,
            segment_spans,
            place: place.clone(),
        });
    });
}

/// The kind of definition a statement of this kind makes.
fn def_kind(kind: ast::StmtKind) -> DefKind {
    match kind {
        ast::StmtKind::Step => DefKind::Step,
        ast::StmtKind::If => DefKind::If,
        ast::StmtKind::Block => DefKind::Block,
        ast::StmtKind::Raw => DefKind::Raw,
    }
}

/// Calls `f` on every statement in flow order with its order number and
/// the branches enclosing it: the numbering `check` uses.
fn walk<'a>(
    stmts: &'a [Stmt],
    path: &mut Vec<BranchRef>,
    order: &mut usize,
    f: &mut dyn FnMut(Node<'a>, usize, &[BranchRef]),
) {
    walk_with_branches(stmts, path, order, f, &mut |_, _| {});
}

/// [`walk`], also calling `b` on each branch body with its span.
fn walk_with_branches<'a>(
    stmts: &'a [Stmt],
    path: &mut Vec<BranchRef>,
    order: &mut usize,
    f: &mut dyn FnMut(Node<'a>, usize, &[BranchRef]),
    b: &mut dyn FnMut(Span, BranchRef),
) {
    fn node<'a>(
        n: Node<'a>,
        path: &mut Vec<BranchRef>,
        order: &mut usize,
        f: &mut dyn FnMut(Node<'a>, usize, &[BranchRef]),
        b: &mut dyn FnMut(Span, BranchRef),
    ) {
        let me = *order;
        *order += 1;
        f(n, me, path);
        match n {
            Node::If(i) => {
                b(i.then.span, (me, 0));
                path.push((me, 0));
                walk_with_branches(&i.then.stmts, path, order, f, b);
                path.pop();
                path.push((me, 1));
                match &i.otherwise {
                    Some(Else::If(inner)) => {
                        b(inner.span, (me, 1));
                        node(Node::If(inner), path, order, f, b)
                    }
                    Some(Else::Body(body)) => {
                        b(body.span, (me, 1));
                        walk_with_branches(&body.stmts, path, order, f, b)
                    }
                    None => {}
                }
                path.pop();
            }
            Node::Block(block) => {
                for (i, branch) in block.branches.iter().enumerate() {
                    b(branch.body.span, (me, i));
                    path.push((me, i));
                    walk_with_branches(&branch.body.stmts, path, order, f, b);
                    path.pop();
                }
            }
            Node::Step(_) | Node::Raw(_) | Node::Error(_) => {}
        }
    }
    for stmt in stmts {
        node(Node::of(stmt), path, order, f, b);
    }
}

fn stmt_symbol(stmt: &Stmt) -> Symbol {
    match stmt {
        Stmt::Step(s) => Symbol {
            name: s.id.value.clone(),
            detail: Some(match &s.name {
                Some(name) => format!("{} \"{}\"", s.ty.value, name.value),
                None => s.ty.value.clone(),
            }),
            kind: SymbolKind::Step,
            span: s.span,
            selection: s.id.span,
            children: Vec::new(),
        },
        Stmt::If(i) => if_symbol(i),
        Stmt::Block(b) => Symbol {
            name: b.id.value.clone(),
            detail: Some(b.ty.value.clone()),
            kind: SymbolKind::Block,
            span: b.span,
            selection: b.id.span,
            children: b
                .branches
                .iter()
                .map(|br| Symbol {
                    name: br.name.value.clone(),
                    detail: Some("branch".into()),
                    kind: SymbolKind::Branch,
                    span: br.name.span.to(br.body.span),
                    selection: br.name.span,
                    children: br.body.stmts.iter().map(stmt_symbol).collect(),
                })
                .collect(),
        },
        Stmt::Raw(r) => Symbol {
            name: raw_id(r).map_or_else(|| "raw".to_string(), |(id, _)| id),
            detail: Some("raw".into()),
            kind: SymbolKind::Raw,
            span: r.span,
            selection: r.keyword,
            children: Vec::new(),
        },
        Stmt::Error(e) => {
            let (kind, keyword) = match e.kind {
                ast::StmtKind::Step => (SymbolKind::Step, "step"),
                ast::StmtKind::If => (SymbolKind::If, "if"),
                ast::StmtKind::Block => (SymbolKind::Block, "block"),
                ast::StmtKind::Raw => (SymbolKind::Raw, "raw"),
            };
            Symbol {
                name: e
                    .id
                    .as_ref()
                    .map_or_else(|| keyword.to_string(), |id| id.value.clone()),
                detail: Some("not read whole: a syntax error".into()),
                kind,
                span: e.span,
                selection: e.id.as_ref().map_or(e.keyword, |id| id.span),
                children: Vec::new(),
            }
        }
    }
}

fn if_symbol(i: &ast::If) -> Symbol {
    let mut children = vec![Symbol {
        name: "then".into(),
        detail: Some("branch".into()),
        kind: SymbolKind::Branch,
        span: i.then.span,
        selection: Span::new(i.then.span.start, i.then.span.start + 1),
        children: i.then.stmts.iter().map(stmt_symbol).collect(),
    }];
    match &i.otherwise {
        Some(Else::If(inner)) => children.push(Symbol {
            name: "else".into(),
            detail: Some("branch".into()),
            kind: SymbolKind::Branch,
            span: inner.span,
            selection: inner.keyword,
            children: vec![if_symbol(inner)],
        }),
        Some(Else::Body(body)) => children.push(Symbol {
            name: "else".into(),
            detail: Some("branch".into()),
            kind: SymbolKind::Branch,
            span: body.span,
            selection: Span::new(body.span.start, body.span.start + 1),
            children: body.stmts.iter().map(stmt_symbol).collect(),
        }),
        None => {}
    }
    Symbol {
        name: i.id(),
        detail: Some(format!(
            "if {} {} {}",
            crate::fmt::inline_value(&i.condition.left),
            i.condition.operator.value,
            crate::fmt::inline_value(&i.condition.right)
        )),
        kind: SymbolKind::If,
        span: i.span,
        selection: i.id.as_ref().map_or(i.keyword, |t| t.span),
        children,
    }
}

// Lexical helpers for completion: they read the text being typed, which
// may not parse.

/// The end of the last `<<` or `{{` on the line that is still open, and
/// what has been typed after it, when that is a path being written.
fn open_reference(prefix: &str) -> Option<(usize, &str)> {
    let angle = prefix.rfind("<<");
    let brace = prefix.rfind("{{");
    let open = angle.max(brace)?;
    // `\<<` and `\{{` are literal markers.
    if open > 0 && prefix.as_bytes()[open - 1] == b'\\' {
        return None;
    }
    let typed = &prefix[open + 2..];
    let path = typed.trim_start();
    if path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        && in_string_or_comment(&prefix[..open])
    {
        Some((open + 2, typed))
    } else {
        None
    }
}

/// Whether the end of `prefix` (one line) is inside a `"…"` string or a
/// `//` comment.
fn in_string_or_comment(prefix: &str) -> bool {
    let mut in_string = false;
    let mut chars = prefix.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek() == Some(&'/') => return true,
            _ => {}
        }
    }
    in_string || prefix.trim_start().starts_with("\"\"\"")
}

/// Bytes at the end of `prefix` that can belong to a path.
fn path_len(prefix: &str) -> usize {
    prefix.len()
        - prefix
            .trim_end_matches(|c: char| {
                c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
            })
            .len()
}

/// What follows `if` (and an id) on a line being typed as an `if`
/// condition, before the word at the cursor.
fn if_condition(before_word: &str) -> Option<&str> {
    let mut rest = before_word.trim_start();
    if let Some(r) = rest.strip_prefix('}') {
        rest = r.trim_start();
    }
    if let Some(r) = rest.strip_prefix("else") {
        rest = r;
    }
    let rest = rest.trim_start().strip_prefix("if")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    // An id: `if check: …`.
    let rest = match rest.split_once(':') {
        Some((id, after)) if is_name(id.trim()) && !id.contains('.') => after,
        _ => rest,
    };
    if rest.contains('{') {
        return None;
    }
    Some(rest)
}

/// Whether `before_word` is `step ID:`, where a step's type is written.
fn step_type_position(before_word: &str) -> bool {
    let Some(rest) = before_word.trim_start().strip_prefix("step") else {
        return false;
    };
    let Some(id) = rest.trim_end().strip_suffix(':') else {
        return false;
    };
    let id = id.trim();
    rest.starts_with(char::is_whitespace)
        && !id.is_empty()
        && (id.starts_with('"') && id.ends_with('"') && id.len() >= 2
            || !id.contains(|c: char| c.is_whitespace() || "{}\":".contains(c)))
}

/// The offset of the innermost `{` still open at the end of `text`, outside
/// strings and comments.
fn innermost_open_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                if text[i..].starts_with("\"\"\"") {
                    i = text[i + 3..]
                        .find("\"\"\"")
                        .map_or(bytes.len(), |j| i + 3 + j + 3);
                    continue;
                }
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |j| i + j);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |j| i + 2 + j + 2);
                continue;
            }
            b'{' => stack.push(i),
            b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}

/// The action type of `step ID: TYPE "Name"?` ending `text` (the text before
/// a `{`).
fn step_before_brace(text: &str) -> Option<String> {
    let mut rest = text.trim_end();
    if rest.ends_with('"') {
        // The display name.
        let inner = &rest[..rest.len() - 1];
        let open = inner.rfind('"')?;
        rest = inner[..open].trim_end();
    }
    let ty_start = rest
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .len();
    let ty = &rest[ty_start..];
    let rest = rest[..ty_start].trim_end().strip_suffix(':')?.trim_end();
    let id_start = if let Some(inner) = rest.strip_suffix('"') {
        inner.rfind('"')?
    } else {
        let (at, c) = rest.char_indices().rev().find(|(_, c)| c.is_whitespace())?;
        at + c.len_utf8()
    };
    let keyword = rest[..id_start].trim_end();
    (keyword.ends_with("step")
        && keyword[..keyword.len() - 4]
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == '}')
        && is_name(ty))
    .then(|| ty.to_string())
}

/// The keys written at the top level of the object opened at `open`, but
/// not the word being typed.
fn keys_of_object(src: &str, open: usize, word: Span) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let bytes = src.as_bytes();
    let mut i = open;
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            b',' | b'\n' if depth == 1 => expect_key = true,
            c if depth == 1 && expect_key && (c.is_ascii_alphabetic() || c == b'_') => {
                let end = src[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .map_or(src.len(), |j| i + j);
                if src[end..].trim_start().starts_with(':') && i != word.start {
                    keys.push(&src[i..end]);
                }
                expect_key = false;
                i = end;
                continue;
            }
            c if !c.is_ascii_whitespace() => expect_key = false,
            _ => {}
        }
        i += 1;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_before_brace_reads_the_type() {
        assert_eq!(
            step_before_brace("  step a: http-request "),
            Some("http-request".into())
        );
        assert_eq!(
            step_before_brace("step \"3f\": send-email \"Tell them\""),
            Some("send-email".into())
        );
        assert_eq!(step_before_brace("block a: http-request"), None);
    }

    #[test]
    fn open_references_are_found_in_strings() {
        assert_eq!(open_reference("  text: \"x <<look"), Some((13, "look")));
        assert_eq!(
            open_reference("  text: \"x {{ a.output."),
            Some((13, " a.output."))
        );
        assert_eq!(open_reference("  text: \"<<a.b>> "), None);
        assert_eq!(open_reference("  text: \"\\<<a"), None);
    }
}
