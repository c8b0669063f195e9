//! flowc compiles `.flow` files into the exact JSON body of the workflow API's
//! `POST /workflows`, and refuses, with diagnostics, anything that would break
//! at run time.
//!
//! The pipeline is `syntax` (text → [`ast`]) → `check` (diagnostics) →
//! `emit` (the body). [`compile`] runs all of it:
//!
//! ```
//! let source = r#"
//! workflow "Ping" {
//!   trigger manual-trigger
//!   step lookup: http-request { url: "https://example.com" }
//!   step tell: send-email { body: "status <<lookup.output.status>>" }
//! }
//! "#;
//! let json = flowc::compile(source).expect("no errors");
//! assert!(json.contains(r#""body": "status {{lookup.output.status}}""#));
//!
//! let broken = source.replace("<<lookup", "<<lokup");
//! let diagnostics = flowc::compile(&broken).unwrap_err();
//! assert_eq!(diagnostics[0].code, flowc::Code::E201);
//! assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `lookup`?"));
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

// pest is used without its `std` feature (which only adds a stack guard that
// costs a tenth of the parse; `syntax::scan` bounds the depth instead), and
// its generated parser then names `alloc` directly.
extern crate alloc;

pub mod analysis;
pub mod ast;
pub mod catalog;
pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod explain;
pub mod flowtest;
pub mod fmt;
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod import;
pub mod json;
pub mod logic;
pub mod report;
pub mod span;
pub mod syntax;

// The library's own tests run on the binary's allocator, so that every
// test of the library exercises it too (issue 20).
#[cfg(test)]
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

pub use catalog::Catalog;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use emit::Body;
pub use span::Span;

/// One file after every check: its tree, if it parsed, and all diagnostics.
#[derive(Debug, Clone)]
pub struct Checked {
    file: Option<ast::File>,
    catalog: Catalog,
    /// Every diagnostic of the file, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The syntax tree, unless a fatal syntax error stopped the parse.
    pub fn file(&self) -> Option<&ast::File> {
        self.file.as_ref()
    }

    /// The request body; `None` when the file has errors.
    pub fn body(&self) -> Option<Body<'_>> {
        match &self.file {
            Some(file) if !self.has_errors() => Some(emit::body(file, &self.catalog)),
            _ => None,
        }
    }
}

/// Parses and checks one `.flow` source text against a catalog.
pub fn check_source(src: &str, catalog: &Catalog) -> Checked {
    let parsed = syntax::parse(src);
    let mut diagnostics = parsed.diagnostics;
    if let (Some(file), false) = (&parsed.file, parsed.fatal) {
        diagnostics.extend(check::check(src, file, catalog));
        diagnostics.sort_by_key(|d| (d.span.start, d.code));
    }
    debug_assert_spans(src, &diagnostics);
    Checked {
        file: parsed.file,
        catalog: catalog.clone(),
        diagnostics,
    }
}

/// In debug builds, panics when a diagnostic's span is outside `src` or
/// splits a character: the stage that made it is wrong, and every renderer
/// and editor would be exposed to it.
#[doc(hidden)]
pub fn debug_assert_spans(src: &str, diagnostics: &[Diagnostic]) {
    if cfg!(debug_assertions) {
        for d in diagnostics {
            if let Some(span) = d.misplaced_span(src) {
                panic!(
                    "{} at {span:?} is not on character boundaries of its {}-byte source: {d:?}",
                    d.code,
                    src.len()
                );
            }
        }
    }
}

/// Compiles one source text with the default catalog: the pretty JSON body,
/// or every diagnostic when there is an error.
pub fn compile(src: &str) -> Result<String, Vec<Diagnostic>> {
    let checked = check_source(src, &Catalog::default());
    checked
        .body()
        .map(|b| b.to_pretty())
        .ok_or(checked.diagnostics)
}
