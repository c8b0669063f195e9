//! Each code's explanation, from its Markdown document in `docs/codes/`.
//!
//! The documents are the single source: `flowc explain` renders them for a
//! terminal, SARIF carries them as rule help, and editors show them on hover.
//! Each one is `# CODE: summary`, prose paragraphs, then `## ` sections whose
//! fenced blocks are examples the tests run; a block's info string names its
//! language and its role (`flow wrong`, `flow right`, `toml catalog`, …).

use crate::Code;

/// Expands to an exhaustive `match` from each code to its document, so a new
/// code does not compile until `docs/codes/CODE.md` exists.
macro_rules! documents {
    ($code:expr; $($name:ident)*) => {
        match $code {
            $(Code::$name => include_str!(concat!("../docs/codes/", stringify!($name), ".md")),)*
        }
    };
}

/// The Markdown document of `code`, `docs/codes/CODE.md`, as written.
pub fn markdown(code: Code) -> &'static str {
    documents!(code;
        E100 E101 E102 E103 E104 E105 E106 E107 E108 E109 E111
        E200 E201 E202 E203 E204 E206 E207 E208
        E300 E301 E302 E303 E304 E400
        E500 E501 E502 E503 E504 E505
        E600 E601 E602
        E700 E701 E702 E703 E704
        W001 W201 W400 W401 W500)
}

/// The prose of `code`'s document: the paragraphs between the title and the
/// first section, without the title and without surrounding blank lines.
pub fn text(code: Code) -> &'static str {
    let doc = markdown(code);
    let start = doc.find('\n').map_or(doc.len(), |n| n + 1);
    let end = doc[start..]
        .find("\n## ")
        .map_or(doc.len(), |n| start + n + 1);
    doc[start..end].trim()
}

/// What an example in a document is for, from its fenced block's info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Produces exactly the document's code: a `flow` file when checked, a
    /// `json` body when imported, a `toml` catalog when read.
    Wrong,
    /// Produces nothing at all: checks clean, imports, or reads cleanly.
    Right,
    /// `toml catalog`: the `flowc.toml` the document's `flow` examples are checked against.
    Catalog,
    /// `flow workflow`: the workflow beside the document's `flowtest` examples.
    Workflow,
    /// A block with no role: shown, not run.
    Shown,
}

/// One fenced block of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The info string's first word: `flow`, `flowtest`, `toml` or `json`.
    pub lang: &'static str,
    pub role: Role,
    /// The block's lines, each ending in a line break.
    pub text: &'static str,
}

/// Every fenced block of `code`'s document, in order.
pub fn examples(code: Code) -> Vec<Example> {
    let doc = markdown(code);
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let Some(info_end) = after.find('\n') else {
            break;
        };
        let mut words = after[..info_end].split_whitespace();
        let lang = words.next().unwrap_or("");
        let role = match words.next() {
            Some("wrong") => Role::Wrong,
            Some("right") => Role::Right,
            Some("catalog") => Role::Catalog,
            Some("workflow") => Role::Workflow,
            _ => Role::Shown,
        };
        let body = &after[info_end + 1..];
        let close = body.find("\n```").map_or(body.len(), |n| n + 1);
        out.push(Example {
            lang,
            role,
            text: &body[..close],
        });
        rest = body[close..].get(3..).unwrap_or("");
    }
    out
}

/// The text `flowc explain CODE` prints: the document made plain for a
/// terminal. The title loses its `#`, a section heading becomes `Heading:`,
/// and a fenced block's lines are indented by four spaces instead of fenced.
pub fn render(code: Code) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown(code).lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            if !line.trim().is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
        } else if let Some(heading) = line.strip_prefix("## ") {
            out.push_str(heading);
            out.push(':');
        } else if let Some(title) = line.strip_prefix("# ") {
            out.push_str(title);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_the_prose_between_title_and_first_section() {
        let text = text(Code::E201);
        assert!(text.starts_with("A reference"), "{text}");
        assert!(!text.contains("## "));
        assert!(!text.contains("```"));
    }

    #[test]
    fn examples_read_language_role_and_body() {
        let examples = examples(Code::E501);
        let shape: Vec<(&str, Role)> = examples.iter().map(|e| (e.lang, e.role)).collect();
        assert_eq!(
            shape,
            [
                ("flow", Role::Wrong),
                ("flow", Role::Right),
                ("toml", Role::Catalog)
            ]
        );
        assert!(examples[0]
            .text
            .starts_with("workflow \"Page on urgent tickets\" {\n"));
        assert!(examples[0].text.ends_with("}\n"));
        assert!(examples[2].text.starts_with("# flowc.toml\n[actions."));
    }

    #[test]
    fn render_lays_out_title_text_and_examples() {
        let text = render(Code::E201);
        assert!(text.starts_with("E201: reference to an unknown step\n\nA reference"));
        assert!(text.contains("\nWrong:\n\n    workflow \"Tag by account tier\" {\n"));
        assert!(text.contains("\nRight:\n\n    workflow \"Tag by account tier\" {\n"));
        assert!(!text.contains("```"));
        assert!(!text.contains("flowc.toml"));
        assert!(text.ends_with("    }\n"));
        assert!(
            !text.lines().any(|l| l.ends_with(' ')),
            "no trailing spaces"
        );
    }

    #[test]
    fn render_shows_the_catalogs() {
        let text = render(Code::E501);
        assert!(text.contains("\nCatalog:\n\n"));
        assert!(text.contains("\n    # flowc.toml\n    [actions."));
        let text = render(Code::E505);
        assert!(text.contains(
            "\nWrong:\n\nA `flowc.toml` with a misspelled key:\n\n    # flowc.toml\n    [actions."
        ));
        assert!(text.contains("requird = true"));
        assert!(text.contains("\nRight:\n\n    # flowc.toml\n"));
        assert!(text.contains(":\n\n    workflow \"Page on urgent tickets\" {\n"));
    }
}
