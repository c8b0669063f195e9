//! Rendering diagnostics: human (miette), JSON and GitHub Actions formats (SPEC §7).
//!
//! Every function returns text; only the binary prints it.

// Without the `fancy` feature the human format falls back to plain text, and
// the helpers that fit a snippet for miette's renderer go unused.
#![cfg_attr(not(feature = "fancy"), allow(dead_code))]

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::{LineIndex, Span};
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

/// `span` moved onto `source`'s character boundaries, within it, start not
/// after end. flowc's own diagnostics need no moving (`check_source`
/// asserts it in debug builds); this keeps every renderer total whatever
/// span it is given, a detached one included.
fn clamp(source: &str, span: Span) -> Span {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

fn position(index: &LineIndex, source: &str, span: Span) -> Position {
    let span = clamp(source, span);
    let start = index.line_col(source, span.start);
    let end = index.line_col(source, span.end);
    Position {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// `--format json`: one object with counts and every diagnostic.
pub fn json(files: &[FileReport<'_>], counts: Counts) -> String {
    // Written straight out: a file can carry hundreds of thousands of
    // diagnostics, and a tree of JSON values for them would cost gigabytes.
    use crate::json::Writer;
    let mut w = Writer::new(true, 256);
    w.begin_object();
    w.key("files");
    w.raw(&counts.files.to_string());
    w.key("errors");
    w.raw(&counts.errors.to_string());
    w.key("warnings");
    w.raw(&counts.warnings.to_string());
    w.key("diagnostics");
    w.begin_array();
    for file in files {
        let index = LineIndex::new(file.source);
        for d in file.diagnostics {
            let p = position(&index, file.source, d.span);
            w.element();
            w.begin_object();
            w.string_member("file", file.name);
            w.string_member("code", d.code.as_str());
            w.string_member("severity", d.severity.as_str());
            w.string_member("message", &d.message);
            for (key, n) in [
                ("line", p.line),
                ("column", p.column),
                ("end_line", p.end_line),
                ("end_column", p.end_column),
            ] {
                w.key(key);
                w.raw(&n.to_string());
            }
            match &d.help {
                Some(help) => w.string_member("help", help),
                None => {
                    w.key("help");
                    w.raw("null");
                }
            }
            w.end_object();
        }
    }
    w.end_array();
    w.end_object();
    w.finish()
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
    use crate::json::Writer;
    // Written straight out, like `json`: no tree of values per result.
    let mut w = Writer::new(true, 64 * 1024);
    w.begin_object();
    w.string_member("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    w.string_member("version", "2.1.0");
    w.key("runs");
    w.begin_array();
    w.element();
    w.begin_object();
    w.key("tool");
    w.begin_object();
    w.key("driver");
    w.begin_object();
    w.string_member("name", "flowc");
    w.string_member("version", env!("CARGO_PKG_VERSION"));
    w.key("rules");
    w.begin_array();
    for code in Code::ALL {
        w.element();
        w.begin_object();
        w.string_member("id", code.as_str());
        text_member(&mut w, "shortDescription", code.summary());
        // The rule's help is its document in docs/codes: GitHub shows the
        // Markdown beside each alert, other viewers the plain text.
        w.key("help");
        w.begin_object();
        w.string_member("text", &crate::explain::render(*code));
        w.string_member("markdown", crate::explain::markdown(*code));
        w.end_object();
        w.key("defaultConfiguration");
        w.begin_object();
        w.string_member("level", code.severity().as_str());
        w.end_object();
        w.end_object();
    }
    w.end_array();
    w.end_object();
    w.end_object();
    w.string_member("columnKind", "unicodeCodePoints");
    w.key("results");
    w.begin_array();
    for file in files {
        let index = LineIndex::new(file.source);
        let uri = uri(file.name);
        let location = |w: &mut Writer, span: Span| {
            let p = position(&index, file.source, span);
            w.key("physicalLocation");
            w.begin_object();
            w.key("artifactLocation");
            w.begin_object();
            w.string_member("uri", &uri);
            w.end_object();
            w.key("region");
            w.begin_object();
            for (key, n) in [
                ("startLine", p.line),
                ("startColumn", p.column),
                ("endLine", p.end_line),
                ("endColumn", p.end_column),
            ] {
                w.key(key);
                w.raw(&n.to_string());
            }
            w.end_object();
            w.end_object();
        };
        for d in file.diagnostics {
            let mut text = d.message.to_string();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            w.element();
            w.begin_object();
            w.string_member("ruleId", d.code.as_str());
            w.key("ruleIndex");
            let index = Code::ALL
                .iter()
                .position(|c| *c == d.code)
                .unwrap_or_default();
            w.raw(&index.to_string());
            w.string_member("level", d.severity.as_str());
            text_member(&mut w, "message", &text);
            w.key("locations");
            w.begin_array();
            w.element();
            w.begin_object();
            location(&mut w, d.span);
            w.end_object();
            w.end_array();
            if !d.secondary.is_empty() {
                w.key("relatedLocations");
                w.begin_array();
                for (i, l) in d.secondary.iter().enumerate() {
                    w.element();
                    w.begin_object();
                    location(&mut w, l.span);
                    w.key("id");
                    w.raw(&i.to_string());
                    text_member(&mut w, "message", &l.message);
                    w.end_object();
                }
                w.end_array();
            }
            w.end_object();
        }
    }
    w.end_array();
    w.end_object();
    w.end_array();
    w.end_object();
    w.finish()
}

/// `"key": {"text": text}`, SARIF's message shape.
fn text_member(w: &mut crate::json::Writer, key: &str, text: &str) {
    w.key(key);
    w.begin_object();
    w.string_member("text", text);
    w.end_object();
}

/// A diagnostic with its file, in the shape miette renders.
struct Miette<'a> {
    diagnostic: &'a Diagnostic,
    /// `None` draws no snippet (see [`drawable`]).
    source: Option<&'a Named<'a>>,
    /// Where the diagnostic is, when no snippet says it.
    location: Option<String>,
}

/// A source text with its file name.
struct Named<'a> {
    name: &'a str,
    text: &'a str,
    /// Built on first need, once for all of the file's diagnostics.
    index: std::sync::OnceLock<LineIndex>,
}

impl Named<'_> {
    fn line_col(&self, offset: usize) -> crate::span::LineCol {
        self.index
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(self.text, offset)
    }
}

impl miette::SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let text = self.text;
        let start = clamp(text, Span::new(span.offset(), span.offset())).start;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if line_end - line_start > DRAWABLE_LINE {
            // A window of the long line around the span, drawn alone.
            let window = window(text, start, span.len());
            // miette heads the drawing with this position: the span's own.
            let at = self.line_col(start);
            let (line, column) = (at.line - 1, at.column - 1);
            return Ok(Box::new(miette::MietteSpanContents::new_named(
                self.name.to_string(),
                &text.as_bytes()[window.start..window.end],
                window.into(),
                line,
                column,
                1,
            )));
        }
        // miette's reader walks its input from the start: give it the text
        // from the first context line on, so that drawing a diagnostic costs
        // its neighbourhood, not the whole file before it.
        let mut from = line_start;
        for _ in 0..context_lines_before {
            if from == 0 {
                break;
            }
            from = text[..from - 1].rfind('\n').map_or(0, |i| i + 1);
        }
        let local = miette::SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let contents = text[from..].read_span(&local, context_lines_before, context_lines_after)?;
        let offset = contents.span().offset() + from;
        // Lines before `from`: miette's line numbers, and its count of lines
        // read (which runs from the start of its input), are shifted by them.
        let skipped = self.line_col(from).line - 1;
        let line = contents.line() + skipped;
        // miette counts the column in bytes; every other format counts
        // characters (SPEC §7), and miette heads the drawing with this one.
        let column = self.line_col(offset).column - 1;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            contents.data(),
            miette::SourceSpan::new(offset.into(), contents.span().len()),
            line,
            column,
            contents.line_count() + skipped,
        )))
    }
}

/// The part of a long line drawn around a span at `start`: some context
/// before it and at most [`WINDOW`] bytes in all, on character boundaries.
fn window(text: &str, start: usize, len: usize) -> Span {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut from = start.saturating_sub(WINDOW / 4).max(line_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (start + len.max(1) + WINDOW / 4)
        .min(from + WINDOW)
        .min(line_end);
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    Span::new(from, to.max(from))
}

/// Bytes of a long line drawn around a span.
const WINDOW: usize = 120;

impl fmt::Debug for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)?;
        if let Some(location) = &self.location {
            write!(f, "\n  at {location}")?;
        }
        Ok(())
    }
}

/// Lines longer than this are drawn as a window around the span: miette
/// cannot indent past 65,535 columns, and a megabyte-long snippet helps
/// nobody.
const DRAWABLE_LINE: usize = 1000;

/// Whether every place a diagnostic points at can be drawn: on a long line,
/// only spans that stay on it.
fn drawable(source: &str, d: &Diagnostic) -> bool {
    d.spans()
        .map(|s| clamp(source, s))
        .all(|s| !source[s.start..s.end].contains('\n') || s.len() <= DRAWABLE_LINE * 4)
}

/// Whether the line holding byte `at` is drawn as a window.
fn long_line(source: &str, at: usize) -> bool {
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    line_end - line_start > DRAWABLE_LINE
}

/// A span cut to what a window of its line shows, when the line is long.
fn fit(source: &str, span: Span) -> Span {
    let span = clamp(source, span);
    let start = span.start;
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    if line_end - line_start <= DRAWABLE_LINE {
        return span;
    }
    let shown = window(source, start, span.len());
    Span::new(start, span.end.min(shown.end).max(start))
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
        self.source.map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source?;
        let d = self.diagnostic;
        let source = self.source?.text;
        let label = (!d.label.is_empty()).then(|| d.label.to_string());
        let primary = miette::LabeledSpan::new_primary_with_span(label, fit(source, d.span));
        // A long line is drawn as a window around the primary span alone:
        // a label outside that window, or on another long line, cannot be
        // drawn with it (miette would draw every line between them).
        let main = clamp(source, d.span);
        let shown = long_line(source, main.start).then(|| window(source, main.start, main.len()));
        let secondary = d
            .secondary
            .iter()
            .filter(move |l| {
                let at = clamp(source, l.span);
                match shown {
                    Some(window) => at.start >= window.start && at.end <= window.end,
                    None => !long_line(source, at.start),
                }
            })
            .map(move |l| {
                miette::LabeledSpan::new_with_span(Some(l.message.to_string()), fit(source, l.span))
            });
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
    let named = Named {
        name: file.name,
        text: file.source,
        index: std::sync::OnceLock::new(),
    };
    for (i, diagnostic) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            // A blank line between diagnostics, as rustc leaves.
            out.push('\n');
        }
        let report = if drawable(file.source, diagnostic) {
            Miette {
                diagnostic,
                source: Some(&named),
                location: None,
            }
        } else {
            let at = named.line_col(clamp(file.source, diagnostic.span).start);
            Miette {
                diagnostic,
                source: None,
                location: Some(format!("{}:{}:{}", file.name, at.line, at.column)),
            }
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
    fn every_renderer_takes_any_span() {
        use crate::diagnostic::Code;
        // Off character boundaries, reversed, past the end, detached: no
        // flowc stage makes these, and no renderer may panic on them.
        let source = "a✓b\n🚀\n";
        let spans = [
            Span::new(2, 3),
            Span::new(3, 2),
            Span::new(5, 100),
            Span::new(100, 200),
            Span::DETACHED,
            Span::new(9, 10),
        ];
        let diagnostics: Vec<Diagnostic> = spans
            .iter()
            .map(|&s| Diagnostic::new(Code::E100, s, "m").with_secondary(s, "here"))
            .collect();
        let files = [FileReport {
            name: "x.flow",
            source,
            diagnostics: &diagnostics,
        }];
        let json = json(&files, Counts::of(&files));
        let github = github(&files);
        let _ = sarif(&files);
        #[cfg(feature = "fancy")]
        let _ = human(
            &files[0],
            Style {
                color: false,
                width: 80,
            },
        );
        // Inside `✓` counts as `✓` (reversed too), outside is the end.
        assert_eq!(clamp(source, Span::new(2, 3)), Span::new(1, 4));
        assert_eq!(clamp(source, Span::new(3, 2)), Span::new(1, 4));
        assert_eq!(clamp(source, Span::new(9, 10)), Span::new(6, 10));
        assert_eq!(clamp(source, Span::DETACHED), Span::new(11, 11));
        assert!(github.starts_with("::error file=x.flow,line=1,col=2,endLine=1,endColumn=3,"));
        assert!(
            json.contains("\"line\": 3,\n      \"column\": 1,"),
            "{json}"
        );
    }

    #[test]
    fn github_escapes() {
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
    }
}
