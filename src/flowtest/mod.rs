//! `flowc test` (SPEC §15): run a workflow on the events and step outputs
//! that a `.flowtest` file writes down, and compare what happens with what
//! its cases expect.
//!
//! [`syntax::parse_test`](crate::syntax::parse_test) reads the test file;
//! [`check`] holds it against the workflow (E600–E602); [`plan`] makes the
//! workflow's body ready to run; [`run`] is the model; [`report`] writes the
//! results for people, JSON readers, JUnit and coverage tools.

pub mod complete;
pub mod plan;
pub mod report;
pub mod run;

use crate::ast::{TestCase, TestFile, TestItemKind, Text, Value as AstValue, ValueKind};
use crate::diagnostic::{shorten, suggest, Code, Diagnostic};
use crate::span::Span;
use plan::{IdKind, Plan};
use run::{mismatch, Given, Run};
use serde_json::Value;

/// The plan of a checked `.flow` file without errors; `None` when it has any.
pub fn plan_of(checked: &crate::Checked) -> Option<Plan> {
    let body = checked.body()?;
    let json: Value = serde_json::from_str(&body.to_compact()).ok()?;
    Some(plan::plan(checked.file()?, &json))
}

/// A test file held against its workflow: its diagnostics (E6xx and the
/// values' own codes), in source order.
pub fn check(file: &TestFile, plan: &Plan) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // By name, the first case of each: a file of many cases stays linear.
    let mut names: foldhash::HashMap<&str, Span> = Default::default();
    for case in &file.cases {
        if let Some(&first) = names.get(case.name.value.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::E602,
                    case.name.span,
                    format!("a second case named \"{}\"", shorten(&case.name.value, 60)),
                )
                .with_label("named again here")
                .with_secondary(first, "first named here")
                .with_help("give each case a name of its own"),
            );
        } else {
            names.insert(&case.name.value, case.name.span);
        }
        check_case(case, plan, &mut diags);
    }
    diags.sort_by_key(|d| (d.span.start, d.code));
    diags
}

fn check_case(case: &TestCase, plan: &Plan, diags: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(String, Span)> = Vec::new();
    for item in &case.items {
        // Items that may be given once: once per case, or once per id.
        let once = match &item.kind {
            TestItemKind::Event(_) => Some("event".to_string()),
            TestItemKind::ExpectFires { .. } => Some("expect fires".to_string()),
            TestItemKind::Output { id, .. } => Some(format!("output {}", id.value)),
            TestItemKind::Choose { id, .. } => Some(format!("choose {}", id.value)),
            _ => None,
        };
        if let Some(key) = once {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                diags.push(
                    Diagnostic::new(
                        Code::E600,
                        item.keyword.to(item.span),
                        format!("`{key}` is given twice in this case"),
                    )
                    .with_label("given again here")
                    .with_secondary(*first, "first given here")
                    .with_help("keep one of the two"),
                );
            } else {
                seen.push((key, item.span));
            }
        }
        let words = item.kind.words();
        for id in item.kind.ids() {
            let Some(kind) = plan.kind(&id.value) else {
                diags.push(unknown_id(id, words, plan));
                continue;
            };
            let (wants, help) = match (&item.kind, kind) {
                (
                    TestItemKind::Output { .. }
                    | TestItemKind::ExpectInput { .. }
                    | TestItemKind::ExpectRan(_),
                    IdKind::If | IdKind::Block(_),
                ) => ("a step", "blocks have no input or output; `expect branch` checks where they go".to_string()),
                (TestItemKind::Choose { .. }, IdKind::If) => (
                    "a generic block",
                    format!("an `if` takes the branch its condition gives: check it with `expect branch {} then`", id.value),
                ),
                (TestItemKind::Choose { .. }, IdKind::Step) => {
                    ("a generic block", "a step has no branches".to_string())
                }
                (TestItemKind::ExpectBranch { .. }, IdKind::Step) => {
                    ("an `if` or a block", "a step has no branches".to_string())
                }
                _ => continue,
            };
            diags.push(
                Diagnostic::new(
                    Code::E600,
                    id.span,
                    format!(
                        "`{words}` names {wants}, but `{}` is {}",
                        shorten(&id.value, 40),
                        kind_name(kind)
                    ),
                )
                .with_label(format!("expected {wants}"))
                .with_help(help),
            );
        }
        if let TestItemKind::Choose { id, branch } | TestItemKind::ExpectBranch { id, branch } =
            &item.kind
        {
            if let Some(point) = plan.point(&id.value) {
                if !point.branches.contains(&branch.value) {
                    let mut d = Diagnostic::new(
                        Code::E601,
                        branch.span,
                        format!(
                            "`{}` has no branch `{}`",
                            shorten(&id.value, 40),
                            shorten(&branch.value, 40)
                        ),
                    )
                    .with_label(format!("its branches: {}", point.branches.join(", ")));
                    if let Some(s) =
                        suggest(&branch.value, point.branches.iter().map(String::as_str))
                    {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                }
            }
        }
    }
}

fn kind_name(kind: &IdKind) -> String {
    match kind {
        IdKind::Step => "a step".to_string(),
        IdKind::If => "an `if`".to_string(),
        IdKind::Block(ty) => format!("a `{ty}` block"),
    }
}

fn unknown_id(id: &Text, words: &str, plan: &Plan) -> Diagnostic {
    // Suggest among the ids of the kind the item names.
    let fits = |k: &IdKind| match words {
        "output" | "expect input" | "expect ran" => *k == IdKind::Step,
        "choose" => matches!(k, IdKind::Block(_)),
        "expect branch" => *k != IdKind::Step,
        _ => true,
    };
    let candidates = plan
        .ids
        .iter()
        .filter(|(_, k, _)| fits(k))
        .map(|(i, _, _)| i.as_str());
    let mut d = Diagnostic::new(
        Code::E601,
        id.span,
        format!(
            "the workflow has no step, `if` or block `{}`",
            shorten(&id.value, 40)
        ),
    )
    .with_label(format!("named by `{words}`"));
    if let Some(s) = suggest(&id.value, candidates) {
        d = d.with_help(format!("did you mean `{s}`?"));
    }
    d
}

/// A test case's data as JSON: objects in written order, numbers as written.
pub fn json(value: &AstValue) -> Value {
    match &value.kind {
        ValueKind::String(pieces) => Value::String(
            pieces
                .iter()
                .map(|p| match p {
                    crate::ast::Piece::Text(t) => t.clone(),
                    crate::ast::Piece::Ref(r) => format!("{{{{{}}}}}", r.path()),
                })
                .collect(),
        ),
        ValueKind::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
        ValueKind::Bool(b) => Value::Bool(*b),
        ValueKind::Null | ValueKind::Invalid | ValueKind::Path(_) => Value::Null,
        ValueKind::Object(o) => Value::Object(
            o.members
                .iter()
                .map(|m| (m.key.value.clone(), json(&m.value)))
                .collect(),
        ),
        ValueKind::Array(items) => Value::Array(items.iter().map(json).collect()),
    }
}

/// One expectation of a case that did not hold, or why the case could not
/// be run to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    /// The item of the test file it is about.
    pub span: Span,
    /// The element of the `.flow` file where the run stopped, if it did.
    pub flow_span: Option<Span>,
}

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: String,
    /// The case's `test` keyword and name, in the test file.
    pub span: Span,
    pub run: Run,
    /// Empty when the case passed.
    pub failures: Vec<Failure>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs one case (of a test file without errors) and checks what it expects.
pub fn run_case(case: &TestCase, plan: &Plan) -> CaseResult {
    let mut given = Given {
        event: Value::Object(serde_json::Map::new()),
        ..Given::default()
    };
    for item in &case.items {
        match &item.kind {
            TestItemKind::Event(v) => given.event = json(v),
            TestItemKind::Output { id, value } => {
                given.outputs.push((id.value.clone(), json(value)))
            }
            TestItemKind::Choose { id, branch } => {
                given.choices.push((id.value.clone(), branch.value.clone()))
            }
            _ => {}
        }
    }
    let run = run::run(plan, &given);
    let mut failures = Vec::new();
    let expect_fires = case.items.iter().find_map(|i| match i.kind {
        TestItemKind::ExpectFires { fires, .. } => Some((fires, i.span)),
        _ => None,
    });
    let (fires, fires_span) = expect_fires.unwrap_or((true, case.keyword.to(case.name.span)));
    if let Some(stop) = &run.stop {
        failures.push(Failure {
            message: stop.message.clone(),
            span: case.keyword.to(case.name.span),
            flow_span: (!stop.span.is_detached()).then_some(stop.span),
        });
    } else if run.fired != fires {
        let message = match (fires, expect_fires.is_some()) {
            (true, false) => "the trigger does not fire: its constraints are false for this \
                              event (write `expect fires false` if that is what the case checks)"
                .to_string(),
            (true, true) => "expected the trigger to fire, but its constraints are false for \
                             this event"
                .to_string(),
            (false, _) => {
                "expected the trigger not to fire, but its constraints hold for this event"
                    .to_string()
            }
        };
        failures.push(Failure {
            message,
            span: fires_span,
            flow_span: None,
        });
    }
    if failures.is_empty() {
        for item in &case.items {
            if let Some(message) = expectation(&item.kind, &run) {
                failures.push(Failure {
                    message,
                    span: item.span,
                    flow_span: None,
                });
            }
        }
    }
    CaseResult {
        name: case.name.value.clone(),
        span: case.keyword.to(case.name.span),
        run,
        failures,
    }
}

/// Why an expectation does not hold for `run`, if it does not.
fn expectation(kind: &TestItemKind, run: &Run) -> Option<String> {
    let list = |ids: &[&str]| format!("[{}]", ids.join(", "));
    match kind {
        TestItemKind::ExpectRan(expected) => {
            let want: Vec<&str> = expected.ids.iter().map(|t| t.value.as_str()).collect();
            let ran: Vec<&str> = run.ran().collect();
            (want != ran).then(|| {
                format!(
                    "expected the steps {} to run, in this order; ran {}",
                    list(&want),
                    list(&ran)
                )
            })
        }
        TestItemKind::ExpectSkipped(ids) => {
            let ran: Vec<&str> = ids
                .ids
                .iter()
                .map(|t| t.value.as_str())
                .filter(|id| run.reached(id))
                .collect();
            (!ran.is_empty()).then(|| {
                let verb = if ran.len() == 1 { "was" } else { "were" };
                format!("expected {} to be skipped, but {verb} run", list(&ran))
            })
        }
        TestItemKind::ExpectInput { id, value } => match run.input(&id.value) {
            None => Some(format!(
                "expected step `{}` to run, but it did not",
                id.value
            )),
            Some(input) => mismatch(&json(value), input, "")
                .map(|m| format!("step `{}`'s input: {m}", id.value)),
        },
        TestItemKind::ExpectBranch { id, branch } => match run.branch(&id.value) {
            None => Some(format!("expected `{}` to run, but it did not", id.value)),
            Some(took) if took != branch.value => Some(format!(
                "expected `{}` to take `{}`, but it took `{took}`",
                id.value, branch.value
            )),
            Some(_) => None,
        },
        _ => None,
    }
}

/// A test file with everything known of it.
#[derive(Debug, Clone)]
pub struct Tested {
    /// The test file's diagnostics (its own and E6xx).
    pub diagnostics: Vec<Diagnostic>,
    /// The cases' results; none when the test file or its workflow has errors.
    pub results: Vec<CaseResult>,
}

/// The E600 of a test file with no workflow beside it (`flow` names the
/// `.flow` file it looked for), on its first case.
pub fn no_workflow(src: &str, flow: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E600,
        crate::syntax::parse_test(src).file.first_keyword(),
        format!("no workflow beside this test file: `{flow}` does not exist"),
    )
    .with_label("a test file tests the .flow file of the same name")
    .with_help("name the test file after its workflow: NAME.flowtest beside NAME.flow")
}

/// Parses, checks and runs one test file against its workflow's plan.
pub fn test_source(src: &str, plan: &Plan) -> Tested {
    let (file, diagnostics) = checked(src, plan);
    let results = if diagnostics.iter().any(Diagnostic::is_error) {
        Vec::new()
    } else {
        file.cases.iter().map(|c| run_case(c, plan)).collect()
    };
    Tested {
        diagnostics,
        results,
    }
}

/// Parses one test file and holds it against its workflow's plan without
/// running it: its diagnostics, as an editor shows them while it is typed.
pub fn check_source(src: &str, plan: &Plan) -> Vec<Diagnostic> {
    checked(src, plan).1
}

fn checked(src: &str, plan: &Plan) -> (TestFile, Vec<Diagnostic>) {
    let parsed = crate::syntax::parse_test(src);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(check(&parsed.file, plan));
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    crate::debug_assert_spans(src, &diagnostics);
    (parsed.file, diagnostics)
}
