//! `flowc test` (SPEC §15): pairs each `.flow` file with the `.flowtest`
//! file beside it, checks both, runs the cases and prints the reports.

use crate::input::{self, atomic_write, Input, Source};
use crate::{catalogs, check_all, fail, print_human, write_stdout, Outcome};
use flowc::flowtest::report::{self as test_report, Coverage, Suite, Totals};
use flowc::flowtest::{self, plan::Plan, Tested};
use flowc::report::{Counts, FileReport};
use flowc::Diagnostic;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    Junit,
}

/// A workflow and the test file beside it, if there is one.
struct Pair {
    flow: PathBuf,
    test: Option<PathBuf>,
}

/// The `.flowtest` path beside a `.flow` path, and the reverse.
fn sibling(path: &Path, extension: &str) -> PathBuf {
    path.with_extension(extension)
}

/// What the paths name: workflows with their test files, and test files
/// with no workflow beside them.
fn pairs(paths: &[PathBuf]) -> Result<(Vec<Pair>, Vec<PathBuf>), String> {
    let mut flows: Vec<PathBuf> = Vec::new();
    let mut tests: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            return Err(
                "`flowc test` reads files, not standard input: name a .flow or .flowtest file, \
                 or a folder"
                    .to_string(),
            );
        }
        let found = input::expand_with(std::slice::from_ref(path), &["flow", "flowtest"])
            .map_err(|e| e.to_string())?;
        for found in found {
            let Input::File(file) = found else { continue };
            match file.extension().and_then(|e| e.to_str()) {
                Some("flow") => flows.push(file),
                Some("flowtest") => tests.push(file),
                _ if path.is_dir() => {}
                _ => {
                    return Err(format!(
                        "`{}` is neither a .flow nor a .flowtest file",
                        file.display()
                    ))
                }
            }
        }
    }
    // A test file brings its workflow, a workflow its test file.
    for test in &tests {
        let flow = sibling(test, "flow");
        if flow.is_file() && !flows.contains(&flow) {
            flows.push(flow);
        }
    }
    flows.sort();
    flows.dedup();
    let mut orphans = Vec::new();
    for test in tests {
        if !test.with_extension("flow").is_file() && !orphans.contains(&test) {
            orphans.push(test);
        }
    }
    let pairs = flows
        .into_iter()
        .map(|flow| {
            let test = sibling(&flow, "flowtest");
            Pair {
                test: test.is_file().then_some(test),
                flow,
            }
        })
        .collect();
    Ok((pairs, orphans))
}

fn read(path: &Path) -> Result<Source, Outcome> {
    Input::File(path.to_path_buf()).read().map_err(fail)
}

/// Options of `flowc test`.
pub struct Options<'a> {
    pub format: TestFormat,
    pub coverage: bool,
    pub lcov: Option<&'a Path>,
    pub catalog: Option<&'a Path>,
}

pub fn test(paths: &[PathBuf], options: Options<'_>) -> Outcome {
    let (pairs, orphans) = match pairs(paths) {
        Ok(found) => found,
        Err(message) => return fail(message),
    };
    let mut io = Outcome::Ok;
    let mut flows = Vec::new();
    let mut tests: Vec<Option<Source>> = Vec::new();
    for pair in &pairs {
        match read(&pair.flow) {
            Ok(source) => flows.push(source),
            Err(outcome) => {
                io = io.max(outcome);
                continue;
            }
        }
        match pair.test.as_deref().map(read) {
            Some(Ok(source)) => tests.push(Some(source)),
            Some(Err(outcome)) => {
                io = io.max(outcome);
                tests.push(None);
            }
            None => tests.push(None),
        }
    }
    let mut orphan_sources = Vec::new();
    for path in &orphans {
        match read(path) {
            Ok(source) => orphan_sources.push(source),
            Err(outcome) => io = io.max(outcome),
        }
    }
    let resolved = match catalogs::resolve(&flows, options.catalog) {
        Ok(resolved) => resolved,
        Err(err) => {
            io = io.max(fail(err));
            catalogs::Resolved::defaults(flows.len())
        }
    };
    let checked = check_all(&flows, &resolved);
    let plans: Vec<Option<Plan>> = checked.iter().map(flowtest::plan_of).collect();

    let tested: Vec<Option<Tested>> = tests
        .iter()
        .zip(&plans)
        .map(|(test, plan)| match (test, plan) {
            (Some(test), Some(plan)) => Some(flowtest::test_source(&test.text, plan)),
            _ => None,
        })
        .collect();
    let orphan_diagnostics: Vec<Vec<Diagnostic>> = orphan_sources
        .iter()
        .map(|s| {
            let flow = Path::new(&s.name).with_extension("flow");
            vec![flowtest::no_workflow(&s.text, &flow.display().to_string())]
        })
        .collect();

    // Diagnostics: the catalogs', the workflows', the test files'.
    let mut reports: Vec<FileReport<'_>> = resolved
        .bad
        .iter()
        .map(|b| FileReport {
            name: &b.source.name,
            source: &b.source.text,
            diagnostics: &b.diagnostics,
        })
        .collect();
    for (i, flow) in flows.iter().enumerate() {
        if !checked[i].diagnostics.is_empty() {
            reports.push(FileReport {
                name: &flow.name,
                source: &flow.text,
                diagnostics: &checked[i].diagnostics,
            });
        }
        if let (Some(test), Some(t)) = (&tests[i], &tested[i]) {
            if !t.diagnostics.is_empty() {
                reports.push(FileReport {
                    name: &test.name,
                    source: &test.text,
                    diagnostics: &t.diagnostics,
                });
            }
        }
    }
    for (s, d) in orphan_sources.iter().zip(&orphan_diagnostics) {
        reports.push(FileReport {
            name: &s.name,
            source: &s.text,
            diagnostics: d,
        });
    }
    let counts = Counts::of(&reports);

    let empty: Vec<flowtest::CaseResult> = Vec::new();
    let mut suites: Vec<Suite<'_>> = Vec::new();
    let mut suite_reports: Vec<Vec<&FileReport<'_>>> = Vec::new();
    for (i, flow) in flows.iter().enumerate() {
        let Some(test) = &tests[i] else { continue };
        let results = tested[i].as_ref().map_or(&empty, |t| &t.results);
        let broken = checked[i].has_errors()
            || tested[i]
                .as_ref()
                .is_none_or(|t| t.diagnostics.iter().any(Diagnostic::is_error));
        suites.push(Suite {
            name: &test.name,
            source: &test.text,
            flow_name: &flow.name,
            flow_source: &flow.text,
            results,
            broken,
        });
        suite_reports.push(
            reports
                .iter()
                .filter(|r| r.name == flow.name || r.name == test.name)
                .collect(),
        );
    }
    for s in &orphan_sources {
        suites.push(Suite {
            name: &s.name,
            source: &s.text,
            flow_name: &s.name,
            flow_source: "",
            results: &empty,
            broken: true,
        });
        suite_reports.push(reports.iter().filter(|r| r.name == s.name).collect());
    }
    let totals = Totals::of(&suites);

    let coverage: Vec<Coverage<'_>> = flows
        .iter()
        .enumerate()
        .filter_map(|(i, flow)| {
            let plan = plans[i].as_ref()?;
            let results: Vec<&flowtest::CaseResult> =
                tested[i].iter().flat_map(|t| &t.results).collect();
            Some(Coverage::new(&flow.name, &flow.text, plan, &results))
        })
        .collect();

    let written;
    match options.format {
        TestFormat::Human => {
            if !reports.is_empty() {
                print_human(&reports, counts, "checked", false);
            }
            for (i, flow) in flows.iter().enumerate() {
                if tests[i].is_none() && !checked[i].has_errors() {
                    eprintln!(
                        "note: `{}` has no test file (write its cases in `{}`)",
                        flow.name,
                        Path::new(&flow.name).with_extension("flowtest").display()
                    );
                }
            }
            let mut text = test_report::human(&suites);
            if options.coverage {
                text.push_str(&test_report::coverage_text(&coverage));
            }
            text.push_str(&totals.summary());
            text.push('\n');
            written = write_stdout(&text);
        }
        TestFormat::Json => {
            let diagnostics: Vec<Vec<serde_json::Value>> = suite_reports
                .iter()
                .map(|files| {
                    let owned: Vec<FileReport<'_>> = files
                        .iter()
                        .map(|f| FileReport {
                            name: f.name,
                            source: f.source,
                            diagnostics: f.diagnostics,
                        })
                        .collect();
                    let text = flowc::report::json(&owned, Counts::of(&owned));
                    serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v.get("diagnostics").cloned())
                        .and_then(|v| v.as_array().cloned())
                        .unwrap_or_default()
                })
                .collect();
            written = write_stdout(&test_report::json(&suites, &diagnostics));
            if options.coverage {
                eprint!("{}", test_report::coverage_text(&coverage));
            }
        }
        TestFormat::Junit => {
            let errors: Vec<String> = suite_reports
                .iter()
                .map(|files| {
                    files
                        .iter()
                        .flat_map(|f| {
                            let index = flowc::span::LineIndex::new(f.source);
                            f.diagnostics.iter().map(move |d| {
                                let at = index.line_col(f.source, d.span.start.min(f.source.len()));
                                format!(
                                    "{}:{}:{}: {} {}",
                                    f.name, at.line, at.column, d.code, d.message
                                )
                            })
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            written = write_stdout(&test_report::junit(&suites, &errors));
            if options.coverage {
                eprint!("{}", test_report::coverage_text(&coverage));
            }
        }
    }
    if let Some(path) = options.lcov {
        if let Err(err) = atomic_write(path, test_report::lcov(&coverage).as_bytes()) {
            io = io.max(fail(format!("cannot write `{}`: {err}", path.display())));
        }
    }
    let failed = totals.failed > 0 || counts.errors > 0 || suites.iter().any(|s| s.broken);
    io.max(written).max(if failed {
        Outcome::Diagnostics
    } else {
        Outcome::Ok
    })
}
