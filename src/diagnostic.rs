//! Diagnostics as data: a code, a severity, a primary span, labels and help.
//!
//! Nothing here formats for a terminal; [`crate::report`] renders them.

use crate::span::Span;
use std::fmt;

/// Every diagnostic code flowc reports (SPEC §6, §8 and §15; the importer's E7xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    E100,
    E101,
    E102,
    E103,
    E104,
    E105,
    E106,
    E107,
    E108,
    E109,
    E111,
    E200,
    E201,
    E202,
    E203,
    E204,
    E206,
    E207,
    E208,
    E300,
    E301,
    E302,
    E303,
    E304,
    E400,
    E500,
    E501,
    E502,
    E503,
    E504,
    E505,
    E600,
    E601,
    E602,
    E700,
    E701,
    E702,
    E703,
    E704,
    W001,
    W201,
    W400,
    W401,
    W500,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::E100,
        Code::E101,
        Code::E102,
        Code::E103,
        Code::E104,
        Code::E105,
        Code::E106,
        Code::E107,
        Code::E108,
        Code::E109,
        Code::E111,
        Code::E200,
        Code::E201,
        Code::E202,
        Code::E203,
        Code::E204,
        Code::E206,
        Code::E207,
        Code::E208,
        Code::E300,
        Code::E301,
        Code::E302,
        Code::E303,
        Code::E304,
        Code::E400,
        Code::E500,
        Code::E501,
        Code::E502,
        Code::E503,
        Code::E504,
        Code::E505,
        Code::E600,
        Code::E601,
        Code::E602,
        Code::E700,
        Code::E701,
        Code::E702,
        Code::E703,
        Code::E704,
        Code::W001,
        Code::W201,
        Code::W400,
        Code::W401,
        Code::W500,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::E100 => "E100",
            Code::E101 => "E101",
            Code::E102 => "E102",
            Code::E103 => "E103",
            Code::E104 => "E104",
            Code::E105 => "E105",
            Code::E106 => "E106",
            Code::E107 => "E107",
            Code::E108 => "E108",
            Code::E109 => "E109",
            Code::E111 => "E111",
            Code::E200 => "E200",
            Code::E201 => "E201",
            Code::E202 => "E202",
            Code::E203 => "E203",
            Code::E204 => "E204",
            Code::E206 => "E206",
            Code::E207 => "E207",
            Code::E208 => "E208",
            Code::E300 => "E300",
            Code::E301 => "E301",
            Code::E302 => "E302",
            Code::E303 => "E303",
            Code::E304 => "E304",
            Code::E400 => "E400",
            Code::E500 => "E500",
            Code::E501 => "E501",
            Code::E502 => "E502",
            Code::E503 => "E503",
            Code::E504 => "E504",
            Code::E505 => "E505",
            Code::E600 => "E600",
            Code::E601 => "E601",
            Code::E602 => "E602",
            Code::E700 => "E700",
            Code::E701 => "E701",
            Code::E702 => "E702",
            Code::E703 => "E703",
            Code::E704 => "E704",
            Code::W001 => "W001",
            Code::W201 => "W201",
            Code::W400 => "W400",
            Code::W401 => "W401",
            Code::W500 => "W500",
        }
    }

    /// Parses `E201`, `w201` and the like.
    pub fn parse(text: &str) -> Option<Code> {
        let upper = text.trim().to_ascii_uppercase();
        Code::ALL.iter().copied().find(|c| c.as_str() == upper)
    }

    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Syntax errors (E1xx) cannot be silenced by an allow comment.
    pub fn is_syntax(self) -> bool {
        self.as_str().starts_with("E1")
    }

    /// The one-line description of the code, as in SPEC's tables.
    pub fn summary(self) -> &'static str {
        match self {
            Code::E100 => "syntax error",
            Code::E101 => "bad string or text block",
            Code::E102 => "invalid escape sequence",
            Code::E103 => "malformed reference in a string",
            Code::E104 => "a header given twice",
            Code::E105 => "both `when` and `constraints`",
            Code::E106 => "no `trigger`",
            Code::E107 => "no workflow, or more than one, in a file",
            Code::E108 => "nesting deeper than 64 levels",
            Code::E109 => "duplicate key in an object",
            Code::E111 => "a bare word where a value is expected",
            Code::E200 => "duplicate id",
            Code::E201 => "reference to an unknown step",
            Code::E202 => "reference to a step that runs later",
            Code::E203 => "reference to a step that can never have run first",
            Code::E204 => "step reference without `.output.field`",
            Code::E206 => "step reference in `when`, `constraints` or trigger configuration",
            Code::E207 => "reference whose root is neither a step nor a declared root",
            Code::E208 => "empty workflow name, id, or step type",
            Code::E300 => "unknown trigger type",
            Code::E301 => "`cron-trigger` without a cron expression",
            Code::E302 => "invalid cron expression",
            Code::E303 => "unknown JSON Logic operation",
            Code::E304 => "malformed JSON Logic",
            Code::E400 => "unknown condition operator",
            Code::E500 => "unknown action type",
            Code::E501 => "required input missing",
            Code::E502 => "unknown input",
            Code::E503 => "input of the wrong type, or not in its `enum`",
            Code::E504 => "unknown output field of a step's type",
            Code::E505 => "invalid `flowc.toml`",
            Code::E600 => "malformed test file",
            Code::E601 => "a test names an id the workflow does not have",
            Code::E602 => "two test cases with the same name",
            Code::E700 => "import: invalid JSON",
            Code::E701 => "import: not a workflow body",
            Code::E702 => "import: an element that is not an object",
            Code::E703 => "import: duplicate key in a JSON object",
            Code::E704 => "import: nesting deeper than flow text can write",
            Code::W001 => "an `allow` comment that silenced nothing",
            Code::W201 => "reference to a step that may not have run",
            Code::W400 => "condition with no reference on either side",
            Code::W401 => "empty `then` branch",
            Code::W500 => "`raw` object emitted unchecked",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Text of a diagnostic: most is fixed, so it is borrowed when it can be
/// (a file can carry hundreds of thousands of diagnostics).
pub type Text = std::borrow::Cow<'static, str>;

/// A secondary place a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Text,
}

/// One finding in one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Lowercase, no trailing period, like rustc's.
    pub message: Text,
    pub span: Span,
    /// Text under the primary span; empty for none.
    pub label: Text,
    pub secondary: Vec<Label>,
    pub help: Option<Text>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            label: Text::Borrowed(""),
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<Text>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<Text>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// The primary span, then every secondary label's.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        std::iter::once(self.span).chain(self.secondary.iter().map(|l| l.span))
    }

    /// The first span that does not lie within `source` on character
    /// boundaries, if any. Every diagnostic flowc makes must have none: each
    /// consumer of spans (columns, snippets, editors' positions) slices the
    /// source with them.
    pub fn misplaced_span(&self, source: &str) -> Option<Span> {
        self.spans().find(|s| {
            !(s.start <= s.end
                && s.end <= source.len()
                && source.is_char_boundary(s.start)
                && source.is_char_boundary(s.end))
        })
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// At most `max` characters of `text`, with `…` when cut: messages quote
/// what the user wrote, which can be a megabyte long.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

/// The closest of `candidates` to `name`, if close enough to suggest.
///
/// Used only once a diagnostic needs it, so it costs nothing on clean input.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        // Cheap before costly: no edit distance is below the length difference.
        .filter(|c| {
            c.len().abs_diff(name.len()) <= limit * 4 && c.chars().count().abs_diff(length) <= limit
        })
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back() {
        for &code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
        }
        assert_eq!(Code::parse(" w201 "), Some(Code::W201));
        assert_eq!(Code::parse("E999"), None);
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(suggest("lokup", ["lookup", "tag"]), Some("lookup"));
        assert_eq!(
            suggest("ticket-create", ["ticket-created", "webhook"]),
            Some("ticket-created")
        );
        assert_eq!(suggest("xyz", ["lookup"]), None);
    }
}
