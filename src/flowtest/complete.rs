//! Completion in a `.flowtest` file, for editors: the workflow's ids where
//! an item names one, branch names after them, and the item words.
//!
//! Read from the test file's tokens before the offset (the same pre-scan
//! tokens the test file's parser reads), so that it works while the file
//! does not parse: an item is a few words, and what is being typed follows
//! the words that say what it is.

use super::plan::{IdKind, Plan};
use crate::analysis::{floor_char, Completion, Item, ItemKind};
use crate::span::Span;
use crate::syntax::{tokens, TokenKind, EXPECTATIONS, ITEMS};

/// The proposals at `offset` of the test file `src`, whose workflow's plan
/// is `plan` (`None` when the workflow has errors: item words only).
pub fn completion(src: &str, offset: usize, plan: Option<&Plan>) -> Completion {
    let offset = floor_char(src, offset.min(src.len()));
    // The word being typed, which the proposal replaces.
    let start = src[..offset]
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |at| at + 1);
    let replace = Span::new(start, offset);
    let toks = tokens(&src[..start]);
    // The tokens before the word, without the end-of-text token.
    let toks = &toks[..toks.len() - 1];
    let text = |i: usize| &src[toks[i].span.start..toks[i].span.end];
    let word = |back: usize, w: &str| {
        toks.len() >= back
            && toks[toks.len() - back].kind == TokenKind::Word
            && text(toks.len() - back) == w
    };
    let mut items = Vec::new();
    let ids = |wanted: &dyn Fn(&IdKind) -> bool, kind: ItemKind, skip: &[&str]| -> Vec<Item> {
        plan.map_or_else(Vec::new, |plan| {
            plan.ids
                .iter()
                .filter(|(id, k, _)| wanted(k) && !skip.contains(&id.as_str()))
                .map(|(id, k, _)| Item {
                    label: written(id),
                    kind,
                    detail: describe(k).to_string(),
                })
                .collect()
        })
    };
    let steps = |k: &IdKind| *k == IdKind::Step;
    let branches = |id: &str| -> Vec<Item> {
        let id = id.trim_matches('"');
        plan.and_then(|p| p.point(id))
            .map_or_else(Vec::new, |point| {
                point
                    .branches
                    .iter()
                    .map(|b| Item {
                        label: written(b),
                        kind: ItemKind::Branch,
                        detail: format!("a branch of `{id}`"),
                    })
                    .collect()
            })
    };
    let new_line = starts_line(src, start);
    if let Some(listed) = open_list(src, toks) {
        // `expect ran [a, b, |` and `expect skipped [|`: steps not yet listed.
        items = ids(&steps, ItemKind::Step, &listed);
    } else if new_line {
        // An item's words and ids stand on its first line.
        items = match depth(toks) {
            0 => vec![keyword("test", "a test case: test \"NAME\" { … }")],
            1 => ITEMS.iter().map(|w| keyword(w, "an item")).collect(),
            _ => Vec::new(),
        };
    } else if word(1, "output") || (word(2, "expect") && word(1, "input")) {
        items = ids(&steps, ItemKind::Step, &[]);
    } else if word(1, "choose") {
        items = ids(&|k| matches!(k, IdKind::Block(_)), ItemKind::Block, &[]);
    } else if word(2, "expect") && word(1, "branch") {
        items = ids(&|k| *k != IdKind::Step, ItemKind::Block, &[]);
    } else if word(2, "choose") || (word(3, "expect") && word(2, "branch")) {
        items = branches(text(toks.len() - 1));
    } else if word(2, "expect") && word(1, "fires") {
        items = ["true", "false"].map(|w| keyword(w, "")).to_vec();
    } else if word(1, "expect") {
        items = EXPECTATIONS
            .iter()
            .map(|w| keyword(w, "an expectation"))
            .collect();
    }
    Completion { replace, items }
}

/// An id as a test file writes it: bare where it is a name, else quoted.
fn written(id: &str) -> String {
    if crate::syntax::is_name(id) {
        id.to_string()
    } else {
        serde_json::to_string(id).expect("a string serializes")
    }
}

fn describe(kind: &IdKind) -> &str {
    match kind {
        IdKind::Step => "step",
        IdKind::If => "if",
        IdKind::Block(ty) => ty,
    }
}

fn keyword(word: &str, detail: &str) -> Item {
    Item {
        label: word.to_string(),
        kind: ItemKind::Keyword,
        detail: detail.to_string(),
    }
}

/// The ids already written in the `[` list left open at the end of `toks`,
/// when that list is an `expect ran` or `expect skipped` one (and no item
/// starts a line after it: then the `]` was left out).
fn open_list<'s>(src: &'s str, toks: &[crate::syntax::Token]) -> Option<Vec<&'s str>> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().rev() {
        let word = &src[t.span.start..t.span.end];
        if t.kind == TokenKind::Word && ITEMS.contains(&word) && starts_line(src, t.span.start) {
            return None;
        }
        match t.kind {
            TokenKind::Close(_) => depth += 1,
            TokenKind::Open(_) if depth > 0 => depth -= 1,
            TokenKind::Open(b'[') => {
                let words: Vec<&str> = toks[..i]
                    .iter()
                    .rev()
                    .take(2)
                    .map(|t| &src[t.span.start..t.span.end])
                    .collect();
                if !matches!(words.as_slice(), ["ran" | "skipped", "expect"]) {
                    return None;
                }
                return Some(
                    toks[i + 1..]
                        .iter()
                        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Str))
                        .map(|t| src[t.span.start..t.span.end].trim_matches('"'))
                        .collect(),
                );
            }
            TokenKind::Open(_) => return None,
            _ => {}
        }
    }
    None
}

/// How many brackets are open at the end of `toks`.
fn depth(toks: &[crate::syntax::Token]) -> usize {
    let mut depth = 0usize;
    for t in toks {
        match t.kind {
            TokenKind::Open(_) => depth += 1,
            TokenKind::Close(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// Only indentation before `at` on its line.
fn starts_line(src: &str, at: usize) -> bool {
    src[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|line| line.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let src = r#"workflow "w" {
  trigger manual-trigger
  step lookup: http-request
  if lookup.output.status == 200 {
    step "tag 1": add-ticket-tag
  }
  block fan: for-each { branch each { step tell: send-email } branch none { } }
}
"#;
        let checked = crate::check_source(src, &crate::Catalog::default());
        super::super::plan_of(&checked).expect("clean")
    }

    /// The labels proposed where `|` stands, and the text they replace.
    fn at(marked: &str) -> (Vec<String>, String) {
        let offset = marked.find('|').unwrap();
        let src = marked.replace('|', "");
        let c = completion(&src, offset, Some(&plan()));
        (
            c.items.into_iter().map(|i| i.label).collect(),
            src[c.replace.start..c.replace.end].to_string(),
        )
    }

    fn labels(marked: &str) -> Vec<String> {
        at(marked).0
    }

    #[test]
    fn steps_after_output_expect_input_and_in_lists() {
        let steps = ["lookup", "\"tag 1\"", "tell"];
        assert_eq!(labels("test \"a\" {\n  output |"), steps);
        assert_eq!(
            at("test \"a\" {\n  output lo|"),
            (steps.map(String::from).to_vec(), "lo".into())
        );
        assert_eq!(labels("test \"a\" {\n  expect input |"), steps);
        assert_eq!(labels("test \"a\" {\n  expect ran [|"), steps);
        assert_eq!(
            labels("test \"a\" {\n  expect ran [lookup, |"),
            ["\"tag 1\"", "tell"]
        );
        assert_eq!(
            labels("test \"a\" {\n  expect skipped [\"tag 1\",\n    t|"),
            ["lookup", "tell"]
        );
    }

    #[test]
    fn blocks_and_their_branches() {
        assert_eq!(labels("test \"a\" {\n  choose |"), ["fan"]);
        assert_eq!(labels("test \"a\" {\n  choose fan |"), ["each", "none"]);
        assert_eq!(labels("test \"a\" {\n  expect branch |"), ["if-1", "fan"]);
        assert_eq!(
            labels("test \"a\" {\n  expect branch if-1 |"),
            ["then", "else"]
        );
        // A list whose `]` was left out is not the context of the next item.
        assert_eq!(
            labels("test \"a\" {\n  expect ran [lookup,\n  expect branch |"),
            ["if-1", "fan"]
        );
    }

    #[test]
    fn item_words_where_an_item_starts() {
        assert_eq!(labels("|"), ["test"]);
        assert_eq!(
            labels("test \"a\" {\n  |"),
            ["event", "output", "choose", "expect"]
        );
        assert_eq!(
            labels("test \"a\" {\n  expect |"),
            ["fires", "ran", "skipped", "input", "branch"]
        );
        assert_eq!(labels("test \"a\" {\n  expect fires |"), ["true", "false"]);
        assert_eq!(
            labels("test \"a\" {\n  expect branch if-1\n  |"),
            ["event", "output", "choose", "expect"]
        );
        // Inside a value, nothing.
        assert_eq!(
            labels("test \"a\" {\n  event {\n    |"),
            Vec::<String>::new()
        );
        assert_eq!(
            labels("test \"a\" {\n  event { a: | }"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn without_a_plan_only_words() {
        let c = completion("test \"a\" {\n  output ", 20, None);
        assert!(c.items.is_empty());
        let c = completion("test \"a\" {\n  ", 13, None);
        assert_eq!(c.items.len(), 4);
    }
}
