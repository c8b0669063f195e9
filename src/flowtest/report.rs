//! `flowc test`'s reports: a line per case with a trace of each failure,
//! JSON, JUnit XML, and branch coverage as text or lcov (SPEC §15).
//!
//! Every function returns text; only the binary prints it.

use super::plan::Plan;
use super::run::Event;
use super::CaseResult;
use crate::span::{LineIndex, Span};
use serde_json::{json, Value};

/// One test file, with the workflow it tests, as the reports see it.
pub struct Suite<'a> {
    /// The test file's path as given.
    pub name: &'a str,
    pub source: &'a str,
    /// The `.flow` file's path and text.
    pub flow_name: &'a str,
    pub flow_source: &'a str,
    /// The cases' results: none when the test file or its workflow has errors.
    pub results: &'a [CaseResult],
    /// The test file or its workflow has errors: no case ran.
    pub broken: bool,
}

/// Case counts over every suite.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub cases: usize,
    pub passed: usize,
    pub failed: usize,
}

impl Totals {
    pub fn of(suites: &[Suite<'_>]) -> Totals {
        let mut t = Totals::default();
        for r in suites.iter().flat_map(|s| s.results) {
            t.cases += 1;
            if r.passed() {
                t.passed += 1;
            } else {
                t.failed += 1;
            }
        }
        t
    }

    /// `tested 3 cases: 2 passed, 1 failed`.
    pub fn summary(&self) -> String {
        format!(
            "tested {} case{}: {} passed, {} failed",
            self.cases,
            if self.cases == 1 { "" } else { "s" },
            self.passed,
            self.failed
        )
    }
}

/// Line numbers in one text, its index made once, on the first need: a
/// report asks for a line per case and per trace event, and building the
/// index for each made a report of many cases quadratic.
struct Lines<'a> {
    source: &'a str,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'a> Lines<'a> {
    fn new(source: &'a str) -> Lines<'a> {
        Lines {
            source,
            index: std::cell::OnceCell::new(),
        }
    }

    /// The 1-based line of a span's start; 0 for a detached span.
    fn of(&self, span: Span) -> usize {
        if span.is_detached() {
            return 0;
        }
        self.index
            .get_or_init(|| LineIndex::new(self.source))
            .line_col(self.source, span.start.min(self.source.len()))
            .line
    }
}

/// The lines of a suite's test file and of its workflow.
struct SuiteLines<'a> {
    test: Lines<'a>,
    flow: Lines<'a>,
}

impl<'a> SuiteLines<'a> {
    fn new(suite: &Suite<'a>) -> SuiteLines<'a> {
        SuiteLines {
            test: Lines::new(suite.source),
            flow: Lines::new(suite.flow_source),
        }
    }
}

/// A value on one line, as compact JSON.
fn compact(value: &Value) -> String {
    value.to_string()
}

/// The trace of a run, one line an event, for people.
fn trace_lines(suite: &Suite<'_>, lines: &SuiteLines<'_>, result: &CaseResult) -> Vec<String> {
    let at = |span: Span| match lines.flow.of(span) {
        0 => String::new(),
        n => format!("{}:{n}", suite.flow_name),
    };
    result
        .run
        .trace
        .iter()
        .map(|e| match e {
            Event::Trigger { result: None, .. } => {
                "trigger fires (the workflow has no constraints)".to_string()
            }
            Event::Trigger {
                result: Some(r),
                fires,
            } => format!(
                "trigger {}: its constraints gave {}",
                if *fires { "fires" } else { "does not fire" },
                compact(r)
            ),
            Event::Step {
                id,
                ty,
                input,
                span,
            } => format!("step {id} ({ty}, {}) input {}", at(*span), compact(input)),
            Event::Condition {
                id,
                operator,
                left,
                right,
                outcome,
                span,
                ..
            } => format!(
                "if {id} ({}): {} {operator} {} is {outcome}: takes {}",
                at(*span),
                compact(left),
                compact(right),
                if *outcome { "then" } else { "else" }
            ),
            Event::Block {
                id, branch, span, ..
            } => format!("block {id} ({}): takes {branch} (chosen)", at(*span)),
        })
        .collect()
}

/// Human output: a line per case; for a failing one, the first expectation
/// that did not hold and the trace of the run.
pub fn human(suites: &[Suite<'_>]) -> String {
    let mut out = String::new();
    for suite in suites {
        let lines = SuiteLines::new(suite);
        for r in suite.results {
            let at = format!("{}:{}", suite.name, lines.test.of(r.span));
            if r.passed() {
                out.push_str(&format!("ok   {at}: {}\n", r.name));
                continue;
            }
            out.push_str(&format!("FAIL {at}: {}\n", r.name));
            let first = &r.failures[0];
            let mut place = format!("{}:{}", suite.name, lines.test.of(first.span));
            if let Some(flow) = first.flow_span {
                place = format!("{}:{}", suite.flow_name, lines.flow.of(flow));
            }
            out.push_str(&format!("     {} ({place})\n", first.message));
            if r.failures.len() > 1 {
                out.push_str(&format!(
                    "     … and {} more (`--format json` lists them all)\n",
                    r.failures.len() - 1
                ));
            }
            out.push_str("     trace:\n");
            for l in trace_lines(suite, &lines, r) {
                out.push_str(&format!("       {l}\n"));
            }
        }
    }
    out
}

fn trace_json(lines: &SuiteLines<'_>, result: &CaseResult) -> Value {
    let flow_line = |span: Span| lines.flow.of(span);
    Value::Array(
        result
            .run
            .trace
            .iter()
            .map(|e| match e {
                Event::Trigger { result, fires } => json!({
                    "event": "trigger", "constraints": result, "fires": fires
                }),
                Event::Step {
                    id,
                    ty,
                    input,
                    span,
                } => json!({
                    "event": "step", "id": id, "type": ty, "line": flow_line(*span), "input": input
                }),
                Event::Condition {
                    id,
                    operator,
                    left,
                    right,
                    outcome,
                    span,
                    ..
                } => json!({
                    "event": "condition", "id": id, "line": flow_line(*span),
                    "operator": operator, "left": left, "right": right, "outcome": outcome,
                    "branch": if *outcome { "then" } else { "else" }
                }),
                Event::Block {
                    id, branch, span, ..
                } => json!({
                    "event": "block", "id": id, "line": flow_line(*span), "branch": branch
                }),
            })
            .collect(),
    )
}

/// `--format json`: one object with the counts, and every file with its
/// diagnostics and its cases, each with its outcome, failures and trace.
/// `diagnostics` holds, per suite, the objects `flowc check --format json`
/// writes.
pub fn json(suites: &[Suite<'_>], diagnostics: &[Vec<Value>]) -> String {
    let totals = Totals::of(suites);
    let files: Vec<Value> = suites
        .iter()
        .zip(diagnostics)
        .map(|(suite, diags)| {
            let lines = SuiteLines::new(suite);
            let cases: Vec<Value> = suite
                .results
                .iter()
                .map(|r| {
                    let failures: Vec<Value> = r
                        .failures
                        .iter()
                        .map(|f| {
                            json!({
                                "message": f.message,
                                "line": lines.test.of(f.span),
                                "flow_line": f.flow_span.map(|s| lines.flow.of(s)),
                            })
                        })
                        .collect();
                    json!({
                        "name": r.name,
                        "line": lines.test.of(r.span),
                        "outcome": if r.passed() { "passed" } else { "failed" },
                        "failures": failures,
                        "trace": trace_json(&lines, r),
                    })
                })
                .collect();
            json!({
                "file": suite.name,
                "workflow": suite.flow_name,
                "diagnostics": diags,
                "cases": cases,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({
        "cases": totals.cases,
        "passed": totals.passed,
        "failed": totals.failed,
        "files": files,
    }))
    .expect("JSON values always serialise");
    text.push('\n');
    text
}

/// Text for XML attribute values (line breaks kept as character references).
fn xml(text: &str) -> String {
    escape_xml(text, true)
}

/// Text for XML character data and, with `attribute`, attribute values.
fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if !attribute => out.push('\n'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// `--format junit`: JUnit XML, one `testsuite` per test file. A file whose
/// cases could not run (errors in it or in its workflow) is one `testcase`
/// with an `error`, so CI shows it rather than a suite of nothing.
/// `errors` holds, per suite, its diagnostics as text.
pub fn junit(suites: &[Suite<'_>], errors: &[String]) -> String {
    let totals = Totals::of(suites);
    let broken = suites.iter().filter(|s| s.broken).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"flowc test\" tests=\"{}\" failures=\"{}\" errors=\"{broken}\">\n",
        totals.cases + broken,
        totals.failed
    ));
    for (suite, error) in suites.iter().zip(errors) {
        let suite_lines = SuiteLines::new(suite);
        let lines = &suite_lines.test;
        let failed = suite.results.iter().filter(|r| !r.passed()).count();
        let tests = suite.results.len() + usize::from(suite.broken);
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failed}\" errors=\"{}\" skipped=\"0\" time=\"0\">\n",
            xml(suite.name),
            usize::from(suite.broken)
        ));
        let classname = xml(suite.flow_name);
        if suite.broken {
            out.push_str(&format!(
                "    <testcase name=\"(file)\" classname=\"{classname}\" file=\"{}\" time=\"0\">\n      <error message=\"the file has errors: no case ran\">{}</error>\n    </testcase>\n",
                xml(suite.name),
                escape_xml(error, false)
            ));
        }
        for r in suite.results {
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{classname}\" file=\"{}\" line=\"{}\" time=\"0\"",
                xml(&r.name),
                xml(suite.name),
                lines.of(r.span)
            ));
            if r.passed() {
                out.push_str("/>\n");
                continue;
            }
            let first = &r.failures[0];
            let mut body: Vec<String> = r.failures.iter().map(|f| f.message.clone()).collect();
            body.push("trace:".to_string());
            body.extend(
                trace_lines(suite, &suite_lines, r)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
            out.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n    </testcase>\n",
                xml(&first.message),
                escape_xml(&body.join("\n"), false)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// One workflow's branch coverage over every case that ran it.
pub struct Coverage<'a> {
    pub flow_name: &'a str,
    pub flow_source: &'a str,
    pub plan: &'a Plan,
    /// For each branch point, how often each of its branches was taken.
    pub taken: Vec<Vec<usize>>,
    /// For each branch point, how often it ran.
    pub reached: Vec<usize>,
    /// How often each step (by its span) ran.
    pub steps: Vec<(Span, usize)>,
}

impl<'a> Coverage<'a> {
    pub fn new(
        flow_name: &'a str,
        flow_source: &'a str,
        plan: &'a Plan,
        results: &[&CaseResult],
    ) -> Coverage<'a> {
        let mut taken: Vec<Vec<usize>> = plan
            .points
            .iter()
            .map(|p| vec![0; p.branches.len()])
            .collect();
        let mut reached = vec![0; plan.points.len()];
        let mut steps: Vec<(Span, usize)> = plan
            .ids
            .iter()
            .filter(|(_, k, _)| *k == super::plan::IdKind::Step)
            .map(|(_, _, s)| (*s, 0))
            .collect();
        for r in results {
            for e in &r.run.trace {
                match e {
                    Event::Condition { point, outcome, .. } => {
                        reached[*point] += 1;
                        taken[*point][usize::from(!*outcome)] += 1;
                    }
                    Event::Block { point, index, .. } => {
                        reached[*point] += 1;
                        taken[*point][*index] += 1;
                    }
                    Event::Step { span, .. } => {
                        if let Some(s) = steps.iter_mut().find(|(s, _)| s == span) {
                            s.1 += 1;
                        }
                    }
                    Event::Trigger { .. } => {}
                }
            }
        }
        Coverage {
            flow_name,
            flow_source,
            plan,
            taken,
            reached,
            steps,
        }
    }

    /// Every branch no case took: (line, id, branch).
    pub fn uncovered(&self) -> Vec<(usize, &str, &str)> {
        let lines = Lines::new(self.flow_source);
        let mut out = Vec::new();
        for (i, point) in self.plan.points.iter().enumerate() {
            for (b, name) in point.branches.iter().enumerate() {
                if self.taken[i][b] == 0 {
                    out.push((lines.of(point.span), point.id.as_str(), name.as_str()));
                }
            }
        }
        out
    }

    fn branch_count(&self) -> usize {
        self.plan.points.iter().map(|p| p.branches.len()).sum()
    }
}

/// `--coverage`: each workflow's branches that no case took, with their lines.
pub fn coverage_text(coverage: &[Coverage<'_>]) -> String {
    let mut out = String::new();
    let (mut all, mut hit) = (0, 0);
    for c in coverage {
        let uncovered = c.uncovered();
        let total = c.branch_count();
        all += total;
        hit += total - uncovered.len();
        for (line, id, branch) in uncovered {
            let never =
                if c.reached[c.plan.points.iter().position(|p| p.id == id).unwrap_or(0)] == 0 {
                    "never ran"
                } else {
                    "ran, but never took it"
                };
            out.push_str(&format!(
                "{}:{line}: `{id}` branch `{branch}` not covered ({never})\n",
                c.flow_name
            ));
        }
    }
    out.push_str(&format!(
        "coverage: {hit} of {all} branch{} taken in {} workflow{}\n",
        if all == 1 { "" } else { "es" },
        coverage.len(),
        if coverage.len() == 1 { "" } else { "s" }
    ));
    out
}

/// `--lcov FILE`: lcov tracefile records: `DA` for each step and branch
/// point line, `BRDA` for each branch, against the `.flow` files.
pub fn lcov(coverage: &[Coverage<'_>]) -> String {
    let mut out = String::new();
    for c in coverage {
        out.push_str("TN:\n");
        out.push_str(&format!("SF:{}\n", c.flow_name));
        let flow = Lines::new(c.flow_source);
        let mut lines: Vec<(usize, usize)> = c
            .steps
            .iter()
            .map(|(s, n)| (flow.of(*s), *n))
            .chain(
                c.plan
                    .points
                    .iter()
                    .zip(&c.reached)
                    .map(|(p, n)| (flow.of(p.span), *n)),
            )
            .collect();
        lines.sort();
        // One record a line: a line with several elements counts the most.
        lines.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 = a.1.max(b.1);
            }
            same
        });
        let mut branches = 0;
        let mut hit = 0;
        for (i, point) in c.plan.points.iter().enumerate() {
            let l = flow.of(point.span);
            for (b, _) in point.branches.iter().enumerate() {
                branches += 1;
                let taken = if c.reached[i] == 0 {
                    "-".to_string()
                } else {
                    c.taken[i][b].to_string()
                };
                if c.taken[i][b] > 0 {
                    hit += 1;
                }
                out.push_str(&format!("BRDA:{l},{i},{b},{taken}\n"));
            }
        }
        out.push_str(&format!("BRF:{branches}\nBRH:{hit}\n"));
        for (l, n) in &lines {
            out.push_str(&format!("DA:{l},{n}\n"));
        }
        let lh = lines.iter().filter(|(_, n)| *n > 0).count();
        out.push_str(&format!("LF:{}\nLH:{lh}\n", lines.len()));
        out.push_str("end_of_record\n");
    }
    out
}
