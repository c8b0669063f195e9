//! `.flowtest` documents (SPEC §15) in the language server: checked against
//! the workflow beside them as they are typed (E6xx), their cases run when
//! they are opened or saved (and when their workflow is saved), step ids and
//! branches completed, and formatting as `flowc fmt` does it.
//!
//! The workflow is `NAME.flow` beside `NAME.flowtest`: the open document if
//! the editor has it open, else the file on disk, with the catalog SPEC §8
//! finds for it.

use super::position::Lines;
use super::{lsp_diagnostic, publish, to_value, uri_to_path, Failure, Server};
use flowc::flowtest::{self, plan::Plan, CaseResult};
use flowc::Span;
use lsp_server::Request;
use lsp_types as lsp;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

/// What the server keeps of a test document beyond its text.
pub(super) struct TestDoc {
    /// Run the cases at the next publication (opened, or saved).
    run: bool,
    /// The failures of the last run, as diagnostics, while the text is the
    /// one that ran; a change makes their places unknown.
    failures: Option<Vec<lsp::Diagnostic>>,
}

impl TestDoc {
    pub(super) fn opened() -> TestDoc {
        TestDoc {
            run: true,
            failures: None,
        }
    }

    pub(super) fn edited(&mut self) {
        self.failures = None;
    }

    pub(super) fn saved(&mut self) {
        self.run = true;
    }
}

pub(super) fn is_test_uri(uri: &str) -> bool {
    uri.ends_with(".flowtest")
}

/// The workflow a test document tests (a `.flow` document is its own).
pub(super) fn workflow_uri(uri: &str) -> String {
    match uri.strip_suffix(".flowtest") {
        Some(stem) => format!("{stem}.flow"),
        None => uri.to_string(),
    }
}

/// The test document a workflow has, if it is open.
fn test_uri(uri: &str) -> Option<String> {
    uri.strip_suffix(".flow")
        .map(|stem| format!("{stem}.flowtest"))
}

/// Where a test document's workflow stands.
enum Workflow {
    /// No `.flow` file beside the test file.
    Missing,
    /// The workflow has errors: its plan cannot be made.
    Broken,
    /// Its plan; its spans skip the `bom` bytes of byte order mark that
    /// the text it was made from (kept beside it in [`Workflows`]) starts with.
    Ready { plan: Plan, bom: usize },
}

/// The workflows test documents were last checked against, by the
/// workflow's URI, with the text and catalog they were made from: a test
/// file's every change and completion would otherwise check its whole
/// workflow again.
#[derive(Default)]
pub(super) struct Workflows(HashMap<String, Made>);

struct Made {
    text: String,
    catalog: Option<PathBuf>,
    workflow: Rc<Workflow>,
}

impl Workflows {
    /// Forgets every workflow: their catalogs may have changed.
    pub(super) fn clear(&mut self) {
        self.0.clear();
    }
}

impl Server {
    /// The workflow at `uri` changed (`saved`: and was saved, or closed):
    /// the test document beside it is checked again, and run if saved.
    pub(super) fn workflow_changed(&mut self, uri: &str, saved: bool) {
        let Some(test) = test_uri(uri) else { return };
        if let Some(doc) = self.docs.get_mut(&test) {
            let state = doc.test.as_mut().expect("a .flowtest document");
            if saved {
                state.saved();
            } else {
                state.edited();
            }
            doc.unpublished = true;
        }
    }

    /// The workflow beside the test document at `uri`: the open document,
    /// else the file on disk, checked against its catalog unless it was
    /// already, as it is now.
    fn workflow(&mut self, uri: &str) -> Rc<Workflow> {
        let flow_uri = workflow_uri(uri);
        let read;
        let text = match self.docs.get(&flow_uri) {
            Some(doc) => doc.text.as_str(),
            None => match uri_to_path(&flow_uri).map(std::fs::read_to_string) {
                Some(Ok(text)) => {
                    read = text;
                    read.as_str()
                }
                _ => return Rc::new(Workflow::Missing),
            },
        };
        let catalog_path = self.docs[uri].catalog.clone();
        if let Some(made) = self.workflows.0.get(&flow_uri) {
            if made.text == text && made.catalog == catalog_path {
                return made.workflow.clone();
            }
        }
        let text = text.to_string();
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let catalog = self.catalog(catalog_path.as_deref());
        let checked = flowc::check_source(&text[bom..], &catalog);
        let workflow = Rc::new(match flowtest::plan_of(&checked) {
            Some(plan) => Workflow::Ready { plan, bom },
            None => Workflow::Broken,
        });
        self.workflows.0.insert(
            flow_uri,
            Made {
                text,
                catalog: catalog_path,
                workflow: workflow.clone(),
            },
        );
        workflow
    }

    /// Publishes a test document's diagnostics: its own and E6xx, then the
    /// failures of its cases when they ran on this text.
    pub(super) fn publish_test(&mut self, uri: &str) {
        let workflow = self.workflow(uri);
        let flow_uri = workflow_uri(uri);
        let run = match self.docs.get_mut(uri).and_then(|d| d.test.as_mut()) {
            Some(state) => std::mem::take(&mut state.run),
            None => return,
        };
        let doc = &self.docs[uri];
        let text = &doc.text[doc.bom..];
        let mut results: Option<Vec<CaseResult>> = None;
        let mut note = None;
        let found = match &*workflow {
            Workflow::Missing => vec![flowtest::no_workflow(text, &file_name(&flow_uri))],
            Workflow::Broken => {
                let parsed = flowc::syntax::parse_test(text);
                note = Some(lsp::Diagnostic {
                    range: doc.range(parsed.file.first_keyword()),
                    severity: Some(lsp::DiagnosticSeverity::INFORMATION),
                    source: Some("flowc test".into()),
                    message: format!(
                        "`{}` has errors: its cases run once it has none",
                        file_name(&flow_uri)
                    ),
                    ..Default::default()
                });
                parsed.diagnostics
            }
            Workflow::Ready { plan, .. } if run => {
                let tested = flowtest::test_source(text, plan);
                results = Some(tested.results);
                tested.diagnostics
            }
            Workflow::Ready { plan, .. } => flowtest::check_source(text, plan),
        };
        let mut diagnostics: Vec<lsp::Diagnostic> = found
            .iter()
            .map(|d| lsp_diagnostic(d, uri, |s| doc.range(s)))
            .chain(note)
            .collect();
        let failures = match (results, &*workflow) {
            (Some(results), Workflow::Ready { bom, .. }) => {
                Some(self.failures(uri, &flow_uri, *bom, &results))
            }
            _ => None,
        };
        let doc = self.docs.get_mut(uri).expect("present");
        let state = doc.test.as_mut().expect("a .flowtest document");
        if let Some(failures) = failures {
            state.failures = Some(failures);
        }
        diagnostics.extend(state.failures.iter().flatten().cloned());
        publish(uri, diagnostics, Some(doc.version));
    }

    /// Each failure of each case as a diagnostic on the expectation that
    /// did not hold, with the place in the workflow (whose spans count from
    /// after `bom`) where the run stopped.
    fn failures(
        &self,
        uri: &str,
        flow_uri: &str,
        bom: usize,
        results: &[CaseResult],
    ) -> Vec<lsp::Diagnostic> {
        let doc = &self.docs[uri];
        let flow = self.workflows.0[flow_uri].text.as_str();
        let flow_lsp_uri: Option<lsp::Uri> = flow_uri.parse().ok();
        let lines = Lines::new(flow, self.encoding());
        let mut out = Vec::new();
        for result in results {
            for failure in &result.failures {
                let related = match (failure.flow_span, &flow_lsp_uri) {
                    (Some(span), Some(flow_uri)) => Some(vec![lsp::DiagnosticRelatedInformation {
                        location: lsp::Location::new(
                            flow_uri.clone(),
                            lines.range(flow, span.start + bom, span.end + bom),
                        ),
                        message: "the run stopped here".into(),
                    }]),
                    _ => None,
                };
                out.push(lsp::Diagnostic {
                    range: doc.range(failure.span),
                    severity: Some(lsp::DiagnosticSeverity::ERROR),
                    source: Some("flowc test".into()),
                    message: format!("case \"{}\" failed: {}", result.name, failure.message),
                    related_information: related,
                    ..Default::default()
                });
            }
        }
        out
    }

    /// The answer to a request on a test document, or `None` for a
    /// workflow document. Requests about workflows (hover, definition,
    /// rename…) have none in a test file.
    pub(super) fn test_request(&mut self, req: &Request) -> Result<Option<Value>, Failure> {
        let Some(uri) = req
            .params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .filter(|u| is_test_uri(u) && self.docs.contains_key(*u))
            .map(str::to_string)
        else {
            return Ok(None);
        };
        let answer = match req.method.as_str() {
            "textDocument/completion" => {
                let p: lsp::CompletionParams = super::params(req.params.clone())?;
                let workflow = self.workflow(&uri);
                let plan = match &*workflow {
                    Workflow::Ready { plan, .. } => Some(plan),
                    _ => None,
                };
                let doc = &self.docs[&uri];
                let offset = doc.offset(p.text_document_position.position);
                let completion = flowtest::complete::completion(&doc.text[doc.bom..], offset, plan);
                Self::completion_list(doc, completion)?
            }
            "textDocument/formatting" => {
                let doc = &self.docs[&uri];
                let text = &doc.text[doc.bom..];
                let edits = match flowc::fmt::format_test_source(text) {
                    Ok(formatted) if formatted != text => vec![lsp::TextEdit {
                        range: doc.range(Span::new(0, text.len())),
                        new_text: formatted,
                    }],
                    _ => Vec::new(),
                };
                to_value(edits)?
            }
            "textDocument/documentSymbol"
            | "textDocument/references"
            | "textDocument/codeAction" => Value::Array(Vec::new()),
            "textDocument/hover" | "textDocument/definition" | "textDocument/prepareRename" => {
                Value::Null
            }
            "textDocument/rename" => {
                return Err((
                    super::REQUEST_FAILED,
                    "a test file names ids; rename them in the workflow".into(),
                ))
            }
            _ => return Ok(None),
        };
        Ok(Some(answer))
    }
}

fn file_name(uri: &str) -> String {
    let path = uri_to_path(uri);
    path.as_deref()
        .and_then(|p| p.file_name())
        .map_or_else(|| uri.to_string(), |n| n.to_string_lossy().into_owned())
}
