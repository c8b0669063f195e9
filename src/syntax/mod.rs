//! Syntax: source text to [`crate::ast::File`], with every syntax diagnostic (E1xx).
//!
//! Three passes, each linear: a lexical pre-scan ([`scan`]) that bounds the
//! nesting depth and finds unterminated literals and comments; the pest
//! grammar in `grammar/flow.pest`; and the lowering ([`lower`]) into the AST.
//! A file that fails to parse whole is read again piece by piece
//! ([`recover`]), so that every syntax error is reported and the rest of the
//! file is still checked. Nothing outside this module sees a pest `Pair` or
//! `Rule`.

mod flowtest;
mod lower;
mod recover;
mod scan;
mod strings;

use crate::ast::{File, Stmt, Workflow};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use pest::Parser as _;

pub use flowtest::{parse_test, ParsedTest, EXPECTATIONS, ITEMS};
pub use scan::MAX_DEPTH;
pub(crate) use scan::{tokens, Kind as TokenKind, Token};

/// The keywords of SPEC §2.
pub const KEYWORDS: [&str; 20] = [
    "workflow",
    "description",
    "trigger",
    "when",
    "constraints",
    "editor_state",
    "step",
    "if",
    "else",
    "block",
    "inputs",
    "branch",
    "raw",
    "and",
    "or",
    "not",
    "in",
    "true",
    "false",
    "null",
];

/// A kebab name: `[A-Za-z_][A-Za-z0-9_-]*` (step and trigger types, keys).
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An identifier: a name that is not a keyword (bare ids).
pub fn is_identifier(text: &str) -> bool {
    is_name(text) && !KEYWORDS.contains(&text)
}

/// A path segment: `[A-Za-z0-9_-]+`.
pub fn is_segment(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parses `src` and requires it free of syntax errors (E1xx), for the tools
/// that rewrite or draw a file rather than check it.
pub fn parse_clean(src: &str) -> Result<File, Vec<Diagnostic>> {
    let parsed = parse(src);
    let syntax: Vec<Diagnostic> = parsed
        .diagnostics
        .into_iter()
        .filter(|d| d.code.is_syntax())
        .collect();
    match parsed.file {
        Some(file) if syntax.is_empty() && !parsed.fatal => Ok(file),
        _ => Err(syntax),
    }
}

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/flow.pest"]
struct FlowParser;

/// The result of parsing one file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The tree, with error nodes where the parser could not read, unless a
    /// fatal syntax error (E107, E108, an unterminated text block or block
    /// comment) stopped the parse.
    pub file: Option<File>,
    /// Syntax diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// A fatal syntax error occurred: later checks are skipped.
    pub fatal: bool,
}

/// Files at least this large are parsed on several threads (see
/// [`parse_runs`]).
const PARALLEL_MIN: usize = 256 * 1024;

/// The body's statements are parsed in runs of about this many bytes (see
/// [`parse_runs`]).
const RUN_BYTES: usize = 8 * 1024;

/// Parses one `.flow` source text.
pub fn parse(src: &str) -> Parsed {
    match scanned(src) {
        Ok(scan) => parse_scanned(src, scan),
        Err(stop) => cut_short(src, *stop),
    }
}

/// Parses a file whose pre-scan found nothing that stops it.
fn parse_scanned(src: &str, scan: scan::Scan) -> Parsed {
    if !scan.errors.is_empty() {
        return recovered(src, scan, None);
    }
    // The size first: asking for the number of cores reads cgroup files,
    // a dozen system calls that a small file should not pay for.
    let threads = if src.len() >= PARALLEL_MIN {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        1
    };
    match parse_runs(src, &scan, threads, RUN_BYTES) {
        Some(split) => split.into_parsed(scan.comments),
        None => parse_sequential(src, scan),
    }
}

/// The pre-scan, or the diagnostic that stops the parse (an unterminated
/// literal, E108).
fn scanned(src: &str) -> Result<scan::Scan, Box<Diagnostic>> {
    let mut scan = scan::scan(src);
    match scan.fatal.take() {
        Some(diag) => Err(Box::new(diag)),
        None => Ok(scan),
    }
}

/// A file whose pre-scan stopped at `stop` (an unterminated text block or
/// block comment, E101, or nesting too deep, E108): nothing after it can be
/// read, but the syntax errors before it are reported too, in place, so
/// that the first error of the file is always among those reported (SPEC
/// §6).
///
/// What follows the stop is unknown, so the text before it is completed
/// twice, on the line of its last token, as a file that goes on well: the
/// closing brackets of the groups still open, after nothing (a statement
/// may end there) and after a string (a value may be due there). When
/// either completion parses without a mistake, neither does the text (a
/// missing `}` is only a mistake once the file has ended); otherwise its
/// mistakes are those that both completions report before the completion.
/// The file has no tree: later checks are skipped.
fn cut_short(src: &str, stop: Diagnostic) -> Parsed {
    // A string no file holds before the stop, so that a message that names
    // it ("expected `:`, found …") can name the stop instead.
    const FILLER: &str = "\"\u{E000}\"";
    let cut = stop.span.start.min(src.len());
    let mut toks = scan::tokens(&src[..cut]);
    toks.pop(); // the end of the text
    let at = toks.last().map_or(0, |t| t.span.end);
    let before = &src[..at];
    let closers = recover::closers(&toks);
    let diagnostics_of = |with_string: bool| {
        let filler = if with_string { FILLER } else { "" };
        let completed = format!("{before} {filler} {closers}");
        match scanned(&completed) {
            Ok(scan) => parse_scanned(&completed, scan).diagnostics,
            Err(_) => vec![stop.clone()],
        }
    };
    // The completion more likely to be clean first: a file without mistakes
    // before the stop, the common case, is parsed once, on the fast path.
    let string_first = src[cut..].starts_with("\"\"\"");
    let first = diagnostics_of(string_first);
    let second = if first.is_empty() {
        Vec::new()
    } else {
        diagnostics_of(!string_first)
    };
    let (after_string, after_nothing) = if string_first {
        (first, second)
    } else {
        (second, first)
    };
    let mut diagnostics = Vec::new();
    if !after_nothing.is_empty() && !after_string.is_empty() {
        let filler = format!("a string `{FILLER}`");
        let stopper = match &src[cut..] {
            rest if rest.starts_with("/*") => "the unterminated comment".to_string(),
            rest if rest.starts_with("\"\"\"") => "a text block".to_string(),
            _ => found_at(src, cut).0,
        };
        for mut d in after_string {
            if d.span.end > at
                || !after_nothing
                    .iter()
                    .any(|e| e.code == d.code && e.span == d.span)
            {
                continue;
            }
            // A label on the completion has no place in the file.
            d.secondary.retain(|l| l.span.end <= at);
            if d.message.contains(&filler) {
                d.message = d.message.replace(&filler, &stopper).into();
            }
            diagnostics.push(d);
        }
    }
    diagnostics.push(stop);
    diagnostics.sort_by_key(|d| d.span.start);
    Parsed {
        file: None,
        diagnostics,
        fatal: true,
    }
}

/// A parse stopped by one fatal diagnostic.
fn stopped(diag: Diagnostic) -> Parsed {
    Parsed {
        file: None,
        diagnostics: vec![diag],
        fatal: true,
    }
}

/// Parses with the whole-file grammar on one thread. Exposed for tests that
/// compare it with the parse in runs.
#[doc(hidden)]
pub fn parse_whole(src: &str) -> Parsed {
    match scanned(src) {
        Ok(scan) => parse_sequential(src, scan),
        Err(stop) => cut_short(src, *stop),
    }
}

/// Parses in runs of about `run_bytes` on `threads` threads, whatever the
/// size. Exposed for tests; `None` where the file does not split cleanly
/// (then `parse` reads it whole).
#[doc(hidden)]
pub fn parse_split(src: &str, threads: usize, run_bytes: usize) -> Option<Parsed> {
    let scan = scanned(src).ok()?;
    let split = parse_runs(src, &scan, threads, run_bytes)?;
    Some(split.into_parsed(scan.comments))
}

/// What the parse in runs reads, before the comments join it.
struct Split {
    keyword: Span,
    name: crate::ast::Text,
    headers: Vec<crate::ast::Header>,
    body: Vec<Stmt>,
    close: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Split {
    fn into_parsed(self, comments: Vec<crate::ast::Comment>) -> Parsed {
        Parsed {
            file: Some(File {
                workflow: Workflow {
                    keyword: self.keyword,
                    name: self.name,
                    headers: self.headers,
                    body: self.body,
                    span: Span::new(self.keyword.start, self.close + 1),
                },
                comments,
            }),
            diagnostics: self.diagnostics,
            fatal: false,
        }
    }
}

/// Parses a file piece by piece. The pre-scan knows where each statement of
/// the workflow body starts; the head (keyword, name, headers) is parsed on
/// its own, then the statements in runs of about `run_bytes`, each run
/// lowered before the next is parsed, and the runs are put back together
/// in order. Pest keeps a token queue of about eight bytes per byte of
/// text until its tree is dropped, so a run's queue is small, reused and
/// in cache where a whole file's would be fresh memory. A large file's runs
/// are shared among `threads` threads. Anything unusual (a syntax error, a
/// second workflow, no statements) gives `None`, and the file is parsed
/// whole, which also words the errors.
fn parse_runs(src: &str, scan: &scan::Scan, threads: usize, run_bytes: usize) -> Option<Split> {
    let close = scan.workflow_close?;
    let starts = &scan.top_level;
    let first = *starts.first()?;
    if !only_trivia(&src[close + 1..], close + 1, &scan.comments) {
        return None;
    }
    let head = FlowParser::parse(Rule::workflow_head, &src[..first]).ok()?;
    let mut lowerer = lower::Lowerer::new(src, 0, &scan.comments);
    let (keyword, name, headers) = lowerer.workflow_head(head.into_iter().next()?);
    let mut diagnostics = lowerer.diags;
    // One share of the statements per thread, of about equal size, each
    // cut into runs.
    let shares = seams(
        starts,
        first,
        close,
        (close - first).div_ceil(threads.max(1)),
    );
    let shares: Vec<Vec<usize>> = shares
        .windows(2)
        .map(|w| seams(starts, w[0], w[1], run_bytes))
        .collect();
    let read = |runs: &[usize]| read_runs(src, &scan.comments, runs);
    let runs: Vec<Option<Run>> = if let [only] = shares.as_slice() {
        vec![read(only)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .iter()
                .map(|runs| scope.spawn(move || read(runs)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    };
    let mut body = Vec::with_capacity(starts.len());
    for run in runs {
        let (stmts, diags) = run?;
        body.extend(stmts);
        diagnostics.extend(diags);
    }
    crate::ast::number_ifs(&mut body);
    diagnostics.sort_by_key(|d| d.span.start);
    Some(Split {
        keyword,
        name,
        headers,
        body,
        close,
        diagnostics,
    })
}

/// Cuts `from..to` at statement starts into pieces of at least `size`
/// bytes (the last may be shorter): the cuts, `from` and `to` included.
fn seams(starts: &[usize], from: usize, to: usize, size: usize) -> Vec<usize> {
    let mut seams = vec![from];
    let mut at = starts.partition_point(|&s| s <= from);
    let mut last = from;
    loop {
        let target = last.saturating_add(size.max(1));
        at += starts[at..].partition_point(|&s| s < target);
        match starts.get(at) {
            Some(&s) if s < to => {
                seams.push(s);
                last = s;
            }
            _ => break,
        }
    }
    seams.push(to);
    seams
}

/// Parses and lowers the runs between consecutive `seams`, in order.
fn read_runs(src: &str, comments: &[crate::ast::Comment], seams: &[usize]) -> Option<Run> {
    let mut lowerer = lower::Lowerer::new(src, 0, comments);
    let mut stmts = Vec::new();
    for w in seams.windows(2) {
        let (from, to) = (w[0], w[1]);
        let pairs = FlowParser::parse(Rule::statements, &src[from..to]).ok()?;
        lowerer.rebase(from);
        lowerer.statement_run(pairs.into_iter().next()?, &mut stmts);
    }
    Some((stmts, lowerer.diags))
}

/// Runs of statements parsed on their own: the statements and their syntax
/// diagnostics (E111 and the like; nothing the lowering finds stops a file).
type Run = (Vec<Stmt>, Vec<Diagnostic>);

/// Only whitespace and comments in `text`, which starts at `offset`.
fn only_trivia(text: &str, offset: usize, comments: &[crate::ast::Comment]) -> bool {
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if at >= text.len() {
            return true;
        }
        match comments.binary_search_by_key(&(offset + at), |c| c.span.start) {
            Ok(i) => at = comments[i].span.end - offset,
            Err(_) => return false,
        }
    }
}

fn parse_sequential(src: &str, scan: scan::Scan) -> Parsed {
    if !scan.errors.is_empty() {
        return recovered(src, scan, None);
    }
    let pairs = match FlowParser::parse(Rule::file, src) {
        Ok(pairs) => pairs,
        Err(_) => {
            // Parse again collecting every token expected at the furthest
            // point: slower, so only on the error path.
            pest::set_error_detail(true);
            let err = FlowParser::parse(Rule::file, src).err();
            pest::set_error_detail(false);
            return recovered(src, scan, err.map(|err| syntax_error(src, err)));
        }
    };
    let file = pairs.into_iter().next().expect("file rule");
    let mut inner = file.into_inner();
    let Some(workflow) = inner.next().filter(|p| p.as_rule() == Rule::workflow) else {
        let end = src.len();
        return stopped(
            Diagnostic::new(Code::E107, Span::new(end, end), "no workflow in this file")
                .with_label("the file ends here")
                .with_help("a file holds exactly one `workflow \"Name\" { … }`"),
        );
    };
    let workflow_span = workflow.as_span();
    if let Some(extra) = inner.next().filter(|p| p.as_rule() == Rule::extra_workflow) {
        let at = extra.as_span().start();
        return stopped(
            Diagnostic::new(
                Code::E107,
                Span::new(at, at + "workflow".len()),
                "a second workflow in one file",
            )
            .with_label("second workflow")
            .with_secondary(
                Span::new(
                    workflow_span.start(),
                    workflow_span.start() + "workflow".len(),
                ),
                "the first workflow",
            )
            .with_help("move it to a file of its own: a file holds exactly one workflow"),
        );
    }
    let mut lowerer = lower::Lowerer::new(src, 0, &scan.comments);
    let mut workflow = lowerer.workflow(workflow);
    crate::ast::number_ifs(&mut workflow.body);
    let mut diagnostics = lowerer.diags;
    diagnostics.sort_by_key(|d| d.span.start);
    Parsed {
        file: Some(File {
            workflow,
            comments: scan.comments,
        }),
        diagnostics,
        fatal: false,
    }
}

/// Reads a file that failed to parse whole piece by piece (see
/// [`recover`]). `whole` is the whole-file parse's error: should the pieces
/// report nothing at or before it, it is reported too, so that the first
/// error of the file is always among those reported.
fn recovered(src: &str, scan: scan::Scan, whole: Option<Diagnostic>) -> Parsed {
    let recover::Recovered {
        workflow,
        mut diagnostics,
        fatal,
    } = recover::parse(src, &scan.comments, scan.errors);
    if let Some(whole) = whole {
        // Pest points at the token it could not read; the pieces may point
        // just past the last one read (a missing `}`), which is as early.
        let at = whole.span.end;
        if !diagnostics
            .iter()
            .any(|d| d.code.is_syntax() && d.span.start <= at)
        {
            diagnostics.push(whole);
            diagnostics.sort_by_key(|d| d.span.start);
        }
    }
    Parsed {
        file: workflow.map(|workflow| File {
            workflow,
            comments: scan.comments,
        }),
        diagnostics,
        fatal,
    }
}

/// Where pest failed in the text it parsed, and what it expected there, in
/// words.
pub(super) fn pest_expected(err: &pest::error::Error<Rule>) -> (usize, String) {
    match err.parse_attempts() {
        Some(attempts) => (
            attempts.max_position,
            describe_tokens(&attempts.expected_tokens()),
        ),
        None => {
            let pos = match err.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
            (pos, "something else".to_string())
        }
    }
}

/// Turns pest's error into an E100 that says what was expected, in words.
fn syntax_error(src: &str, err: pest::error::Error<Rule>) -> Diagnostic {
    let (pos, expected) = pest_expected(&err);
    let (found, width) = found_at(src, pos);
    // At the end of the file, point at the last thing written instead of at
    // nothing, which would draw no label.
    let (pos, width) = match src[..pos].trim_end().chars().next_back() {
        Some(c) if width == 0 => (src[..pos].trim_end().len() - c.len_utf8(), c.len_utf8()),
        _ => (pos, width),
    };
    if src[..pos].trim().is_empty() && found != "end of file" {
        return Diagnostic::new(
            Code::E100,
            Span::new(pos, pos + width),
            format!("expected `workflow`, found {found}"),
        )
        .with_label("a file starts with its workflow")
        .with_help("write `workflow \"Name\" { … }`");
    }
    let mut diag = Diagnostic::new(
        Code::E100,
        Span::new(pos, pos + width),
        format!("expected {expected}, found {found}"),
    )
    .with_label(format!("expected {expected}"));
    let before = src[..pos].trim_end();
    if found.starts_with("a string") && before.ends_with("trigger") {
        diag = diag.with_help(
            "trigger types are written bare: `trigger webhook`, not `trigger \"webhook\"`",
        );
    } else if expected.contains("comparison operator") && expected.contains("statement") {
        diag = diag.with_help("a `when` expression ends where the next header or statement starts; join conditions with `and` or `or`");
    }
    diag
}

/// The token at `pos`, described for a message, and its width in bytes.
pub(super) fn found_at(src: &str, pos: usize) -> (String, usize) {
    let rest = &src[pos.min(src.len())..];
    let Some(c) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if c == '"' {
        let end = rest[1..].find(['"', '\n']).map_or(rest.len(), |i| i + 2);
        let end = end.min(rest.len());
        return (
            format!(
                "a string `{}`",
                crate::diagnostic::shorten(&rest[..end], 40)
            ),
            end,
        );
    }
    if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len());
        return (
            format!("`{}`", crate::diagnostic::shorten(&rest[..end], 40)),
            end,
        );
    }
    let shown = if c.is_control() || c == '\u{feff}' || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    };
    (shown, c.len_utf8())
}

/// Words for the tokens the parser wanted, grouped so that a list of
/// sixteen keywords reads as "a header or a statement".
fn describe_tokens<T: std::fmt::Display>(tokens: &[T]) -> String {
    let mut words: Vec<&'static str> = Vec::new();
    for token in tokens {
        // pest does not export its token type; its display is the token
        // itself, `a..z` for a range, `BUILTIN_RULE` for the rest.
        let shown = token.to_string();
        let text = match shown.as_str() {
            "BUILTIN_RULE" => continue,
            r if r.len() == 4 && &r[1..3] == ".." => match r.as_bytes()[0] {
                b'0'..=b'9' => "0",
                b'a'..=b'z' | b'A'..=b'Z' => "a",
                // Whitespace, string characters: nothing to name.
                _ => continue,
            },
            t => t,
        };
        let word = match text {
            " " | "\t" | "\n" | "\r" | "\r\n" | "//" | "/*" | "/" | "*" => continue,
            "description" | "trigger" | "when" | "constraints" | "editor_state" => "a header",
            "step" | "if" | "block" | "raw" => "a statement",
            "==" | "!=" | "===" | "!==" | "<" | "<=" | ">" | ">=" | "in" | "not" => {
                "a comparison operator"
            }
            "and" | "or" | "&&" | "||" => "`and` or `or`",
            "\"" | "\"\"\"" | "0" | "-" | "true" | "false" | "null" | "[" => "a value",
            "a" | "_" => "a name",
            "workflow" => "`workflow`",
            "else" => "`else`",
            "inputs" => "`inputs`",
            "branch" => "`branch`",
            "{" => "`{`",
            "}" => "`}`",
            ":" => "`:`",
            "," => "`,`",
            "]" => "`]`",
            ")" => "`)`",
            "." => "`.`",
            // The rest of a number or a word (`1e3`, `a.b`) is no news.
            _ => continue,
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if words.len() > 1 {
        words.retain(|w| *w != "`.`");
    }
    // A value can start with `{` too; say it once.
    if words.contains(&"a value") {
        words.retain(|w| *w != "`{`" && *w != "a name");
    }
    let order = [
        "`:`",
        "a name",
        "a value",
        "a comparison operator",
        "`and` or `or`",
        "`,`",
        "`{`",
        "`inputs`",
        "`branch`",
        "`else`",
        "a header",
        "a statement",
        "`]`",
        "`)`",
        "`}`",
        "`.`",
        "`workflow`",
        "something else",
    ];
    words.sort_by_key(|w| order.iter().position(|o| o == w));
    match words.len() {
        0 => "something else".to_string(),
        1 => words[0].to_string(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_codes(id: &str) -> Vec<Code> {
        let src = format!("workflow \"w\" {{\n  trigger manual-trigger\n  step {id}: t\n}}\n");
        parse(&src)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|c| c.is_syntax())
            .collect()
    }

    /// The grammar's `keyword` rule spells the keywords grouped by first
    /// letter; it must refuse exactly the words of [`KEYWORDS`] as bare ids.
    #[test]
    fn the_grammar_refuses_exactly_the_keywords_as_ids() {
        for kw in KEYWORDS {
            assert!(!syntax_codes(kw).is_empty(), "`{kw}` was taken as an id");
            let shorter = &kw[..kw.len() - 1];
            for id in [
                format!("{kw}x"),
                format!("{kw}_1"),
                format!("x{kw}"),
                shorter.to_string(),
            ] {
                if is_identifier(&id) {
                    assert_eq!(syntax_codes(&id), vec![], "`{id}` was refused");
                }
            }
        }
    }
}
