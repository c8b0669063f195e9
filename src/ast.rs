//! The syntax tree of one `.flow` file, every node with its byte span.
//!
//! The tree holds decoded values (escapes resolved, text blocks stripped,
//! references inside strings split out) but no judgement: whether a reference
//! resolves, or a trigger exists, is `check`'s business.

use crate::span::Span;

/// A parsed file: exactly one workflow, plus the comments around it.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub workflow: Workflow,
    /// Every comment of the file, in source order.
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    /// Nothing but whitespace stands before it on its line.
    pub own_line: bool,
    pub block: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    /// The `workflow` keyword.
    pub keyword: Span,
    pub name: Text,
    pub headers: Vec<Header>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// Plain text: a decoded string or text block where references are not read
/// (names, ids, descriptions), or a name written bare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The header's keyword.
    pub keyword: Span,
    pub kind: HeaderKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HeaderKind {
    Description(Text),
    Trigger {
        name: Text,
        config: Option<Value>,
    },
    When(Expr),
    Constraints(Value),
    EditorState(Value),
    /// A header whose keyword was read but not the rest (a syntax error was
    /// reported): it still counts as given, so `trigger` is not missing.
    Broken(&'static str),
}

impl HeaderKind {
    pub fn keyword(&self) -> &'static str {
        match self {
            HeaderKind::Description(_) => "description",
            HeaderKind::Trigger { .. } => "trigger",
            HeaderKind::When(_) => "when",
            HeaderKind::Constraints(_) => "constraints",
            HeaderKind::EditorState(_) => "editor_state",
            HeaderKind::Broken(keyword) => keyword,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    Step(Step),
    If(If),
    Block(Block),
    Raw(Raw),
    /// A statement the parser could not read whole (a syntax error was
    /// reported). It still defines its id when the id was read.
    Error(ErrorStmt),
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Step(s) => s.span,
            Stmt::If(s) => s.span,
            Stmt::Block(s) => s.span,
            Stmt::Raw(s) => s.span,
            Stmt::Error(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub keyword: Span,
    pub id: Text,
    pub ty: Text,
    /// The display name; the id stands in when absent.
    pub name: Option<Text>,
    pub input: Option<Object>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct If {
    pub keyword: Span,
    /// The written id, if any.
    pub id: Option<Text>,
    /// This `if`'s number among all `if`s of the file in pre-order, from 1:
    /// the automatic id is `if-{number}`.
    pub number: usize,
    pub condition: Condition,
    pub then: Body,
    pub otherwise: Option<Else>,
    pub span: Span,
}

impl If {
    /// The id this block is emitted with.
    pub fn id(&self) -> String {
        match &self.id {
            Some(id) => id.value.clone(),
            None => format!("if-{}", self.number),
        }
    }
}

/// Calls `f` on every `if` of `stmts` (`else if` included) in pre-order:
/// an `if` before the ifs of its `then`, those before the ones of its `else`.
pub fn for_each_if_mut(stmts: &mut [Stmt], f: &mut dyn FnMut(&mut If)) {
    fn one(i: &mut If, f: &mut dyn FnMut(&mut If)) {
        f(i);
        for_each_if_mut(&mut i.then.stmts, f);
        match &mut i.otherwise {
            Some(Else::If(inner)) => one(inner, f),
            Some(Else::Body(body)) => for_each_if_mut(&mut body.stmts, f),
            None => {}
        }
    }
    for stmt in stmts {
        match stmt {
            Stmt::If(i) => one(i, f),
            Stmt::Block(b) => {
                for branch in &mut b.branches {
                    for_each_if_mut(&mut branch.body.stmts, f);
                }
            }
            Stmt::Step(_) | Stmt::Raw(_) | Stmt::Error(_) => {}
        }
    }
}

/// Gives every `if` its number among all ifs in pre-order, from 1 (the
/// automatic id is `if-{number}`).
pub fn number_ifs(stmts: &mut [Stmt]) {
    let mut number = 0;
    for_each_if_mut(stmts, &mut |i| {
        number += 1;
        i.number = number;
    });
}

/// What kind of statement an [`ErrorStmt`] was, by its keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StmtKind {
    Step,
    If,
    Block,
    Raw,
}

/// A statement that failed to parse: its keyword, the id if it was read,
/// and the whole text it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorStmt {
    pub keyword: Span,
    pub kind: StmtKind,
    pub id: Option<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Else {
    If(Box<If>),
    Body(Body),
}

/// A braced list of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub left: Value,
    pub operator: Text,
    pub right: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub keyword: Span,
    pub id: Text,
    pub ty: Text,
    pub inputs: Option<Object>,
    pub branches: Vec<Branch>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub name: Text,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    pub keyword: Span,
    /// Plain data: strings are not read for references.
    pub object: Object,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

impl Value {
    /// Calls `f` on every reference inside the value, in order.
    pub fn references<'a>(&'a self, f: &mut dyn FnMut(&'a Reference)) {
        match &self.kind {
            ValueKind::Path(r) => f(r),
            ValueKind::String(pieces) => {
                for piece in pieces {
                    if let Piece::Ref(r) = piece {
                        f(r);
                    }
                }
            }
            ValueKind::Object(o) => o.members.iter().for_each(|m| m.value.references(f)),
            ValueKind::Array(items) => items.iter().for_each(|v| v.references(f)),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// A string or text block. In plain data it is one literal piece.
    String(Vec<Piece>),
    /// A JSON number, kept as written.
    Number(String),
    Bool(bool),
    Null,
    Object(Object),
    Array(Vec<Value>),
    /// A bare reference path, such as `lookup.output.status`.
    Path(Reference),
    /// Something that could not become a value (E111 was reported).
    Invalid,
}

/// Part of a string: literal text, or a reference the platform fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Ref(Reference),
}

/// `root.segment…`, as `<<…>>`, `{{…}}` or a bare path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub segments: Vec<String>,
    pub span: Span,
}

impl Reference {
    pub fn root(&self) -> &str {
        &self.segments[0]
    }

    pub fn path(&self) -> String {
        self.segments.join(".")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub members: Vec<Member>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: Text,
    pub value: Value,
}

/// A `when` expression (SPEC §5).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A string, number, `true`, `false` or `null`; strings are plain text.
    Literal(Value),
    List(Vec<Expr>),
    /// Event data, such as `ticket.priority`.
    Var(String),
    Call {
        name: Text,
        args: Vec<Expr>,
    },
    Not(Box<Expr>),
    /// `a OP b` or a chain `a OP b OP c`.
    Compare {
        first: Box<Expr>,
        rest: Vec<(CompareOp, Expr)>,
    },
    /// A written chain of `and`, flattened.
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// Parentheses keep nesting: `(a and b) and c` stays two levels.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareOp {
    /// The JSON Logic operation, or `not in`.
    pub op: &'static str,
    pub span: Span,
}

/// A parsed `.flowtest` file (SPEC §15): test cases for the workflow of the
/// `.flow` file beside it. Values are plain data: references are not read.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFile {
    pub cases: Vec<TestCase>,
    /// Every comment of the file, in source order.
    pub comments: Vec<Comment>,
}

impl TestFile {
    /// Where a diagnostic about the whole file stands: its first case's
    /// `test` keyword, or the start of the file.
    pub fn first_keyword(&self) -> Span {
        self.cases.first().map_or(Span::new(0, 0), |c| c.keyword)
    }
}

/// `test "NAME" { ITEM… }`.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    pub keyword: Span,
    pub name: Text,
    pub items: Vec<TestItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestItem {
    /// The item's first word (`event`, `output`, `choose`, `expect`).
    pub keyword: Span,
    pub kind: TestItemKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TestItemKind {
    /// `event V`: the data the trigger constraints and non-step roots read.
    Event(Value),
    /// `output ID V`: what step ID returns.
    Output { id: Text, value: Value },
    /// `choose ID NAME`: the branch a generic block takes.
    Choose { id: Text, branch: Text },
    /// `expect fires true|false`.
    ExpectFires { fires: bool, span: Span },
    /// `expect ran [IDs]`: exactly these steps ran, in this order.
    ExpectRan(IdList),
    /// `expect skipped [IDs]`: none of these ran.
    ExpectSkipped(IdList),
    /// `expect input ID V`: step ID ran, and its input matches V.
    ExpectInput { id: Text, value: Value },
    /// `expect branch ID NAME`: the if or block ID ran and took NAME.
    ExpectBranch { id: Text, branch: Text },
}

impl TestItemKind {
    /// The item's words as written before its operands (`expect ran`).
    pub fn words(&self) -> &'static str {
        match self {
            TestItemKind::Event(_) => "event",
            TestItemKind::Output { .. } => "output",
            TestItemKind::Choose { .. } => "choose",
            TestItemKind::ExpectFires { .. } => "expect fires",
            TestItemKind::ExpectRan(_) => "expect ran",
            TestItemKind::ExpectSkipped(_) => "expect skipped",
            TestItemKind::ExpectInput { .. } => "expect input",
            TestItemKind::ExpectBranch { .. } => "expect branch",
        }
    }

    /// Every id the item names, with its span.
    pub fn ids(&self) -> Vec<&Text> {
        match self {
            TestItemKind::Event(_) | TestItemKind::ExpectFires { .. } => Vec::new(),
            TestItemKind::Output { id, .. }
            | TestItemKind::Choose { id, .. }
            | TestItemKind::ExpectInput { id, .. }
            | TestItemKind::ExpectBranch { id, .. } => vec![id],
            TestItemKind::ExpectRan(list) | TestItemKind::ExpectSkipped(list) => {
                list.ids.iter().collect()
            }
        }
    }
}

/// `[a, b, "quoted id"]`.
#[derive(Debug, Clone, PartialEq)]
pub struct IdList {
    pub ids: Vec<Text>,
    pub span: Span,
}
