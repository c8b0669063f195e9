//! Rendering diagnostics: human (miette), JSON and GitHub Actions formats (SPEC §7).
//!
//! Every function returns text; only the binary prints it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::{LineIndex, Span};
use serde_json::{json, Value as Json};
use std::fmt;

/// One checked file, as the reports see it.
pub struct FileReport<'a> {
    /// The path as the user gave it (`<stdin>` for standard input).
    pub name: &'a str,
    pub source: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// Error and warning counts over many files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Counts {
    pub fn of(files: &[FileReport<'_>]) -> Counts {
        let mut counts = Counts {
            files: files.len(),
            ..Counts::default()
        };
        for d in files.iter().flat_map(|f| f.diagnostics) {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
            }
        }
        counts
    }

    /// `checked 3 files: 2 errors, 1 warning`.
    pub fn summary(&self, verb: &str) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{verb} {}: {}, {}",
            plural(self.files, "file"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}

struct Position {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn position(index: &LineIndex, source: &str, span: Span) -> Position {
    let start = index.line_col(source, span.start);
    let end = index.line_col(source, span.end);
    Position {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// Pretty JSON with a trailing newline (a `Value` built here always prints).
fn pretty(value: &Json) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `--format json`: one object with counts and every diagnostic.
pub fn json(files: &[FileReport<'_>], counts: Counts) -> String {
    let mut diagnostics = Vec::new();
    for file in files {
        let index = LineIndex::new(file.source);
        for d in file.diagnostics {
            let p = position(&index, file.source, d.span);
            diagnostics.push(json!({
                "file": file.name,
                "code": d.code.as_str(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "line": p.line,
                "column": p.column,
                "end_line": p.end_line,
                "end_column": p.end_column,
                "help": d.help,
            }));
        }
    }
    let report = json!({
        "files": counts.files,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "diagnostics": diagnostics,
    });
    pretty(&report)
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `--format github`: one GitHub Actions workflow command per diagnostic.
pub fn github(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(file.source);
        for d in file.diagnostics {
            let p = position(&index, file.source, d.span);
            out.push_str(&format!(
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                d.severity.as_str(),
                escape_property(file.name),
                p.line,
                p.column,
                p.end_line,
                p.end_column,
                d.code.as_str(),
                escape_data(&d.message),
            ));
        }
    }
    out
}

/// A path as a relative URI reference, for SARIF.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.replace('\\', "/").chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(c),
            c => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// `--format sarif`: SARIF 2.1.0 for GitHub code scanning, one rule per code.
pub fn sarif(files: &[FileReport<'_>]) -> String {
    use crate::diagnostic::Code;
    let rules: Vec<Json> = Code::ALL
        .iter()
        .map(|code| {
            let level = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": code.summary() },
                "help": { "text": format!("Run `flowc explain {code}` for an explanation with examples.") },
                "defaultConfiguration": { "level": level },
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        let index = LineIndex::new(file.source);
        let location = |span: Span| {
            let p = position(&index, file.source, span);
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(file.name) },
                    "region": {
                        "startLine": p.line,
                        "startColumn": p.column,
                        "endLine": p.end_line,
                        "endColumn": p.end_column,
                    }
                }
            })
        };
        for d in file.diagnostics {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code),
                "level": d.severity.as_str(),
                "message": { "text": text },
                "locations": [location(d.span)],
            });
            if !d.secondary.is_empty() {
                result["relatedLocations"] = d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut loc = location(l.span);
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": l.message });
                        loc
                    })
                    .collect();
            }
            results.push(result);
        }
    }
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "flowc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    pretty(&report)
}

/// A diagnostic with its file, in the shape miette renders.
struct Miette<'a> {
    diagnostic: &'a Diagnostic,
    source: Named<'a>,
}

/// A source text with its file name.
struct Named<'a> {
    name: &'a str,
    text: &'a str,
}

impl miette::SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

impl fmt::Debug for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Miette<'_> {}

impl miette::Diagnostic for Miette<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let d = self.diagnostic;
        let label = (!d.label.is_empty()).then(|| d.label.clone());
        let primary = miette::LabeledSpan::new_primary_with_span(label, d.span);
        let secondary = d
            .secondary
            .iter()
            .map(|l| miette::LabeledSpan::new_with_span(Some(l.message.clone()), l.span));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// How human-readable diagnostics are drawn.
#[cfg(feature = "fancy")]
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// `--format human`: miette's graphical report for each diagnostic.
#[cfg(feature = "fancy")]
pub fn human(file: &FileReport<'_>, style: Style) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for (i, diagnostic) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            // A blank line between diagnostics, as rustc leaves.
            out.push('\n');
        }
        let report = Miette {
            diagnostic,
            source: Named {
                name: file.name,
                text: file.source,
            },
        };
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_in_words() {
        let c = Counts {
            files: 3,
            errors: 2,
            warnings: 1,
        };
        assert_eq!(c.summary("checked"), "checked 3 files: 2 errors, 1 warning");
        assert_eq!(
            Counts {
                files: 1,
                ..Counts::default()
            }
            .summary("checked"),
            "checked 1 file: 0 errors, 0 warnings"
        );
    }

    #[test]
    fn github_escapes() {
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
    }
}
