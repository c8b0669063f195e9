//! `flowc test` (SPEC §15): 10,000 cases against the generated workflow of
//! 100 steps, and the cost of one case as the workflow grows.
//!
//! ```text
//! cargo bench --bench flowtest
//! ```
//!
//! Each case gives every step an output holding every field the workflow
//! reads (numbers written as strings, so that comparisons and equality both
//! apply, and varied from case to case so that the ifs go both ways). The
//! `run` group runs parsed cases; `test_source` parses, checks and runs the
//! whole test file, as `flowc test` does. `BENCHMARKS.md` has the figures.

#[path = "gen/mod.rs"]
mod gen;

use divan::{black_box, Bencher};
use flowc::flowtest::plan::{Node, Part, Plan, Template};
use flowc::{Catalog, Checked};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn main() {
    divan::main();
}

/// Every `root.output.…` path the templates read, by step.
fn reads(template: &Template, into: &mut BTreeMap<String, Vec<Vec<String>>>) {
    let mut add = |segments: &[String]| {
        if segments.len() > 2 && segments[1] == "output" {
            into.entry(segments[0].clone())
                .or_default()
                .push(segments[2..].to_vec());
        }
    };
    match template {
        Template::Literal(_) => {}
        Template::Whole(r) => add(&r.segments),
        Template::Text(parts) => {
            for p in parts {
                if let Part::Ref(r) = p {
                    add(&r.segments);
                }
            }
        }
        Template::Object(members) => members.iter().for_each(|(_, t)| reads(t, into)),
        Template::Array(items) => items.iter().for_each(|t| reads(t, into)),
    }
}

fn walk(nodes: &[Node], into: &mut BTreeMap<String, Vec<Vec<String>>>) {
    for node in nodes {
        match node {
            Node::Action { input, .. } => reads(input, into),
            Node::If {
                left,
                right,
                then,
                otherwise,
                ..
            } => {
                reads(left, into);
                reads(right, into);
                walk(then, into);
                walk(otherwise, into);
            }
            Node::Block { branches, .. } => branches.iter().for_each(|(_, b)| walk(b, into)),
            Node::Unknown { .. } => {}
        }
    }
}

/// An object holding `paths`, each leaf `leaf`, as flow text.
fn object(paths: &[Vec<String>], leaf: &str) -> String {
    #[derive(Default)]
    struct Tree(BTreeMap<String, Tree>);
    let mut tree = Tree::default();
    for path in paths {
        let mut at = &mut tree;
        for seg in path {
            at = at.0.entry(seg.clone()).or_default();
        }
    }
    fn write(t: &Tree, leaf: &str, out: &mut String) {
        if t.0.is_empty() {
            write!(out, "\"{leaf}\"").unwrap();
            return;
        }
        out.push_str("{ ");
        for (i, (k, v)) in t.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            // A key that is no name (`0` of `items.0.id`) is quoted.
            if flowc::syntax::is_name(k) {
                write!(out, "{k}: ").unwrap();
            } else {
                write!(out, "\"{k}\": ").unwrap();
            }
            write(v, leaf, out);
        }
        out.push_str(" }");
    }
    let mut out = String::new();
    write(&tree, leaf, &mut out);
    out
}

/// The generated workflow of `steps` steps, checked, and its plan.
fn workflow(steps: usize) -> (Checked, Plan) {
    let src = gen::generate(steps, gen::DEFAULT_SEED);
    let checked = flowc::check_source(&src, &Catalog::default());
    let plan = flowc::flowtest::plan_of(&checked).expect("the workload builds");
    (checked, plan)
}

/// A test file of `cases` cases for `plan`.
fn test_file(plan: &Plan, cases: usize) -> String {
    let mut fields = BTreeMap::new();
    walk(&plan.nodes, &mut fields);
    let mut out = String::new();
    for i in 0..cases {
        writeln!(out, "test \"case {i}\" {{").unwrap();
        out.push_str("  event { ticket: { channel: \"email\", is_spam: false } }\n");
        for (step, paths) in &fields {
            let leaf = (i * 7 + step.len()) % 5;
            writeln!(out, "  output {step} {}", object(paths, &leaf.to_string())).unwrap();
        }
        out.push_str("}\n");
    }
    out
}

/// Parsing, checking and running 10,000 cases against 100 steps (and 1,000,
/// for the cost of a case as the file grows: a check that compared every
/// case's name with every other's once made it quadratic).
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn test_source(bencher: Bencher, cases: usize) {
    let (_checked, plan) = workflow(100);
    let text = test_file(&plan, cases);
    let tested = flowc::flowtest::test_source(&text, &plan);
    assert!(
        tested.diagnostics.is_empty(),
        "{:?}",
        &tested.diagnostics[..1]
    );
    assert_eq!(tested.results.len(), cases);
    let passed = tested.results.iter().filter(|r| r.passed()).count();
    assert_eq!(passed, cases, "every generated case runs to its end");
    bencher.bench(|| flowc::flowtest::test_source(black_box(&text), &plan));
}

/// The reports of 1,000 and 10,000 results against 100 steps, every case
/// failing (so that the human report writes every trace): each case's line
/// is looked up in an index built once, not once a case.
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn reports(bencher: Bencher, cases: usize) {
    use flowc::flowtest::report::{self, Suite};
    let (_checked, plan) = workflow(100);
    // Every case expects the first step not to run: each fails after its
    // whole run, with its whole trace.
    let first = &plan.ids[0].0;
    let text =
        test_file(&plan, cases).replace("\n}\n", &format!("\n  expect skipped [{first}]\n}}\n"));
    let tested = flowc::flowtest::test_source(&text, &plan);
    assert!(
        tested.diagnostics.is_empty(),
        "{:?}",
        tested.diagnostics.first()
    );
    assert_eq!(tested.results.iter().filter(|r| !r.passed()).count(), cases);
    let flow = gen::generate(100, gen::DEFAULT_SEED);
    let suites = [Suite {
        name: "w.flowtest",
        source: &text,
        flow_name: "w.flow",
        flow_source: &flow,
        results: &tested.results,
        broken: false,
    }];
    bencher.bench(|| {
        black_box(report::human(&suites));
        black_box(report::json(&suites, &[Vec::new()]));
        black_box(report::junit(&suites, &[String::new()]));
    });
}

/// Running already parsed cases: 10,000 against 100 steps, and 1,000
/// against 10, 100 and 1,000 steps for the cost of a case as the
/// workflow grows.
#[divan::bench(args = [(100, 10_000), (10, 1_000), (100, 1_000), (1_000, 1_000)], sample_count = 10)]
fn run(bencher: Bencher, (steps, cases): (usize, usize)) {
    let (_checked, plan) = workflow(steps);
    let text = test_file(&plan, cases);
    let parsed = flowc::syntax::parse_test(&text);
    assert!(parsed.diagnostics.is_empty());
    bencher.bench(|| {
        for case in &parsed.file.cases {
            black_box(flowc::flowtest::run_case(case, &plan));
        }
    });
}
