//! The editor index (`flowc::analysis`) with exact byte offsets, and no
//! query panicking at any offset of mutated programs.

mod common;

use flowc::analysis::{Analysis, DefKind, Edit, ItemKind, Place, RefForm, Visibility};
use flowc::{Catalog, Code, Span};
use proptest::prelude::*;

const CATALOG: &str = r#"
[references]
roots = ["trigger"]

[actions.http-request]
outputs = ["status", "body"]
[actions.http-request.inputs]
url = { type = "string", required = true }
method = { type = "string" }

[actions.tag]
outputs = ["id"]
[actions.tag.inputs]
name = { type = "string", required = true }
"#;

const SRC: &str = r#"workflow "é 🚀" {
  trigger manual-trigger

  step lookup: http-request { url: "https://x" }
  if lookup.output.status == 200 {
    step t1: tag { name: "é🚀 <<lookup.output.body>>" }
  } else {
    step t2: tag { name: "{{ lookup.output.status }}" }
  }
  step last: tag { name: t1.output.id }
}
"#;

fn catalog() -> Catalog {
    Catalog::from_toml(CATALOG).expect("a valid catalog")
}

fn analysis(src: &str) -> Analysis {
    Analysis::new(src, &catalog())
}

/// The byte span of the `nth` occurrence of `needle`.
fn at(src: &str, needle: &str, nth: usize) -> Span {
    let start = src
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle} #{nth}"))
        .0;
    Span::new(start, start + needle.len())
}

#[test]
fn definitions_and_references_in_all_three_forms() {
    let a = analysis(SRC);
    assert!(a.diagnostics().iter().all(|d| d.code == Code::W201));
    let ids: Vec<(&str, DefKind, usize)> = a
        .definitions()
        .iter()
        .map(|d| (d.id.as_str(), d.kind, d.order))
        .collect();
    assert_eq!(
        ids,
        [
            ("lookup", DefKind::Step, 0),
            ("if-1", DefKind::If, 1),
            ("t1", DefKind::Step, 2),
            ("t2", DefKind::Step, 3),
            ("last", DefKind::Step, 4),
        ]
    );
    assert_eq!(a.definition("lookup").unwrap().span, Span::new(54, 60));
    let refs: Vec<(RefForm, Span, Vec<Span>)> = a
        .references()
        .iter()
        .map(|r| (r.form, r.span, r.segment_spans.clone()))
        .collect();
    assert_eq!(
        refs,
        [
            (
                RefForm::Bare,
                Span::new(101, 121),
                vec![
                    Span::new(101, 107),
                    Span::new(108, 114),
                    Span::new(115, 121)
                ]
            ),
            (
                RefForm::Angle,
                Span::new(164, 186),
                vec![
                    Span::new(166, 172),
                    Span::new(173, 179),
                    Span::new(180, 184)
                ]
            ),
            (
                RefForm::Brace,
                Span::new(227, 253),
                vec![
                    Span::new(230, 236),
                    Span::new(237, 243),
                    Span::new(244, 250)
                ]
            ),
            (
                RefForm::Bare,
                Span::new(286, 298),
                vec![
                    Span::new(286, 288),
                    Span::new(289, 295),
                    Span::new(296, 298)
                ]
            ),
        ]
    );
    assert_eq!(at(SRC, "<<lookup.output.body>>", 0), Span::new(164, 186));
    // From any reference's root, the definition; references from a definition.
    for offset in [101, 170, 232] {
        assert_eq!(a.definition_at(offset).unwrap().id, "lookup");
    }
    let (def, uses) = a.occurrences_at(56).unwrap();
    assert_eq!(def.unwrap().span, Span::new(54, 60));
    assert_eq!(
        uses,
        [
            Span::new(101, 107),
            Span::new(166, 172),
            Span::new(230, 236)
        ]
    );
}

#[test]
fn what_has_run_where() {
    let a = analysis(SRC);
    let place = |needle: &str| a.place_at(at(SRC, needle, 0).start).unwrap();
    let visible = |p: &Place| -> Vec<(String, Visibility)> {
        a.visible_steps(p)
            .into_iter()
            .map(|(d, v)| (d.id.clone(), v))
            .collect()
    };
    // In the if's condition: lookup only; inside a branch: not the other.
    let condition = place("lookup.output.status ==");
    assert_eq!(
        condition,
        Place::Stmt {
            order: 1,
            path: vec![],
            container: true
        }
    );
    assert_eq!(visible(&condition), [("lookup".into(), Visibility::Surely)]);
    let t2 = place("{{");
    assert_eq!(visible(&t2), [("lookup".into(), Visibility::Surely)]);
    // After the block: the branch steps may not have run.
    assert_eq!(
        visible(&place("t1.output.id")),
        [
            ("lookup".into(), Visibility::Surely),
            ("t1".into(), Visibility::Maybe),
            ("t2".into(), Visibility::Maybe)
        ]
    );
    // Between statements inside the else branch, after t2.
    let between = a.place_at(at(SRC, "\n  }\n  step last", 0).start).unwrap();
    assert_eq!(
        between,
        Place::Stmt {
            order: 4,
            path: vec![(1, 1)],
            container: false
        }
    );
    assert_eq!(
        visible(&between),
        [
            ("lookup".into(), Visibility::Surely),
            ("t2".into(), Visibility::Surely)
        ]
    );
    // Headers: no statement, nothing has run.
    assert_eq!(a.place_at(at(SRC, "manual", 0).start), None);
}

fn labels(a: &Analysis, offset: usize) -> (Span, Vec<(String, ItemKind)>) {
    let c = a.completion(offset, None);
    (
        c.replace,
        c.items.into_iter().map(|i| (i.label, i.kind)).collect(),
    )
}

#[test]
fn completion_contexts() {
    // After `<<` in a string, after é and 🚀.
    let src = SRC.replace("<<lookup.output.body>>", "<<lo");
    let a = analysis(&src);
    let offset = at(&src, "<<lo", 0).end;
    assert_eq!(
        labels(&a, offset),
        (
            Span::new(offset - 2, offset),
            vec![
                ("lookup".into(), ItemKind::Step),
                ("trigger".into(), ItemKind::Root)
            ]
        )
    );
    // After `ID.output.` in a bare path.
    let offset = at(SRC, "t1.output.", 0).end;
    assert_eq!(
        labels(&analysis(SRC), offset),
        (
            Span::new(offset, offset + 2),
            vec![("id".into(), ItemKind::Field)]
        )
    );
    // Inside a step's braces: inputs not yet written.
    let src = SRC.replace("{ url: \"https://x\" }", "{ url: \"https://x\", m }");
    let offset = at(&src, " m }", 0).start + 2;
    assert_eq!(
        labels(&analysis(&src), offset),
        (
            Span::new(offset - 1, offset),
            vec![("method".into(), ItemKind::Input)]
        )
    );
    // After `step ID: ` and after `trigger `.
    let offset = at(SRC, "http-request", 0).start;
    let (span, items) = labels(&analysis(SRC), offset);
    assert_eq!(span, Span::new(offset, offset + 12));
    assert_eq!(
        items,
        [
            ("http-request".into(), ItemKind::ActionType),
            ("tag".into(), ItemKind::ActionType)
        ]
    );
    let (span, items) = labels(&analysis(SRC), at(SRC, "manual", 0).start);
    assert_eq!(span, at(SRC, "manual-trigger", 0));
    assert_eq!(items.len(), 25);
    // After an if operand: the operators. In text that does not parse, the
    // recovering parser keeps a tree with the rest of the document, so what
    // has run comes from the text itself, as from the last version that did.
    let offset = at(SRC, " == 200", 0).start + 1;
    let (_, items) = labels(&analysis(SRC), offset);
    assert_eq!(items[0], ("==".into(), ItemKind::Operator));
    let broken = SRC.replace(
        "step last: tag { name: t1.output.id }",
        "step last: tag { name: t }}",
    );
    let (b, good) = (analysis(&broken), analysis(SRC));
    assert!(b.file().is_some());
    assert!(b.diagnostics().iter().any(|d| d.code.is_syntax()));
    let offset = at(&broken, "name: t }}", 0).start + 7;
    for previous in [None, Some(&good)] {
        let c = b.completion(offset, previous);
        let ids: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(ids, ["lookup", "t1", "t2", "trigger"]);
    }
}

#[test]
fn rename_quotes_and_refuses() {
    let a = analysis(SRC);
    let edits = a.rename(170, "crm").unwrap();
    let spans: Vec<(Span, &str)> = edits.iter().map(|e| (e.span, e.text.as_str())).collect();
    assert_eq!(
        spans,
        [
            (Span::new(54, 60), "crm"),
            (Span::new(101, 107), "crm"),
            (Span::new(166, 172), "crm"),
            (Span::new(230, 236), "crm"),
        ]
    );
    // Not a name: the definition is quoted, the bare path becomes a string.
    let edits = a.rename(56, "9f").unwrap();
    assert_eq!(
        edits[0],
        Edit {
            span: Span::new(54, 60),
            text: "\"9f\"".into()
        }
    );
    assert_eq!(
        edits[1],
        Edit {
            span: Span::new(101, 121),
            text: "\"<<9f.output.status>>\"".into()
        }
    );
    let renamed = apply(SRC, &edits);
    let checked = flowc::check_source(&renamed, &catalog());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    assert_eq!(
        a.rename(56, "t1").unwrap_err().0,
        "the id `t1` is already taken"
    );
    assert_eq!(
        a.rename(56, "").unwrap_err().0,
        "a step id must not be empty"
    );
    assert_eq!(
        a.rename(56, "if-1").unwrap_err().0,
        "the id `if-1` is already taken"
    );
    assert!(a.rename(56, "a.b").is_err());
    assert!(a.rename(at(SRC, "if lookup", 0).start, "x").is_err());
}

fn apply(src: &str, edits: &[Edit]) -> String {
    let mut out = src.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.span.start..e.span.end, &e.text);
    }
    out
}

#[test]
fn fixes_for_suggestions_allow_comments_and_w001() {
    let src = "workflow \"w\" {\n  trigger manual-trigger\n  // flowc: allow(W500)\n  step lookup: http-request { url: \"x\" }\n  step b: tag { name: \"é <<lokup.output.body>>\" }\n}\n";
    let a = analysis(src);
    let codes: Vec<Code> = a.diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::W001, Code::E201]);
    let fixes = a.fixes(Span::new(0, src.len()));
    let got: Vec<(&str, usize, &[Edit])> = fixes
        .iter()
        .map(|f| (f.title.as_str(), f.diagnostic, f.edits.as_slice()))
        .collect();
    let lokup = at(src, "lokup", 0);
    let w001_line = at(src, "  // flowc: allow(W500)\n", 0);
    let step_b = at(src, "  step b", 0).start;
    assert_eq!(
        got,
        [
            (
                "remove the unused allow comment",
                0,
                &[Edit {
                    span: w001_line,
                    text: String::new()
                }][..]
            ),
            (
                "replace with `lookup`",
                1,
                &[Edit {
                    span: lokup,
                    text: "lookup".into()
                }][..]
            ),
            (
                "silence E201 with `// flowc: allow(E201)`",
                1,
                &[Edit {
                    span: Span::new(step_b, step_b),
                    text: "  // flowc: allow(E201)\n".into()
                }][..]
            ),
        ]
    );
    let fixed = apply(src, &[fixes[0].edits[0].clone(), fixes[1].edits[0].clone()]);
    assert!(flowc::check_source(&fixed, &catalog())
        .diagnostics
        .is_empty());
    // A statement that does not start its line gets the comment on a line of its own.
    let src = "workflow \"w\" {\n  trigger manual-trigger\n  if 1 == 1 { step a: tag { name: \"x\" } }\n}\n";
    let a = analysis(src);
    let w400 = a
        .diagnostics()
        .iter()
        .position(|d| d.code == Code::W400)
        .unwrap();
    let fix = a
        .fixes(a.diagnostics()[w400].span)
        .into_iter()
        .find(|f| f.title.contains("W400"))
        .unwrap();
    let fixed = apply(src, &fix.edits);
    assert_eq!(
        fixed,
        "workflow \"w\" {\n  trigger manual-trigger\n  // flowc: allow(W400)\n  if 1 == 1 { step a: tag { name: \"x\" } }\n}\n"
    );
}

#[test]
fn hover_and_symbols() {
    let a = analysis(SRC);
    let (span, text) = a.hover(170).unwrap();
    assert_eq!(span, Span::new(166, 172));
    assert_eq!(
        text,
        "**step `lookup`**: `http-request`\n\ninputs:\n- `url`: string, required\n- `method`: string\n\noutputs: `status`, `body`"
    );
    let symbols = a.symbols();
    let names: Vec<&str> = symbols[0]
        .children
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["trigger", "lookup", "if-1", "last"]);
    let branches: Vec<&str> = symbols[0].children[2]
        .children
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(branches, ["then", "else"]);
}

/// Every query at `offset`: none may panic, whatever the text.
fn every_query(a: &Analysis, last: Option<&Analysis>, offset: usize) {
    let _ = a.at(offset);
    let _ = a.definition_at(offset);
    let _ = a.occurrences_at(offset);
    let _ = a.hover(offset);
    let _ = a.place_at(offset);
    let _ = a.completion(offset, last);
    let _ = a.prepare_rename(offset);
    for new in ["n", "9 x", ""] {
        if let Ok(edits) = a.rename(offset, new) {
            let _ = apply(a.source(), &edits);
        }
    }
    let _ = a.fixes(Span::new(offset, offset));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(9), ..ProptestConfig::default() })]

    #[test]
    fn no_query_panics_on_mutated_examples(
        file in 0usize..64,
        cut in 0usize..4000,
        len in 0usize..40,
        insert in prop::sample::select(vec!["", "{", "}", "\"", "<<", "{{", "é", "🚀", ".", ":", "\n", "step x: tag {", "if a.output.b == 1 {"]),
    ) {
        let sources = common::all_sources();
        let (_, src) = &sources[file % sources.len()];
        let mut cut = cut.min(src.len());
        while !src.is_char_boundary(cut) { cut -= 1; }
        let mut end = (cut + len).min(src.len());
        while !src.is_char_boundary(end) { end -= 1; }
        let text = format!("{}{}{}", &src[..cut], insert, &src[end..]);
        let good = analysis(src);
        let a = analysis(&text);
        let _ = a.symbols();
        let _ = a.formatted();
        let _ = a.fixes(Span::new(0, text.len()));
        let step = (text.len() / 60).max(1);
        let mut offset = 0;
        while offset <= text.len() {
            if text.is_char_boundary(offset) {
                every_query(&a, Some(&good), offset);
            }
            offset += step;
        }
        every_query(&a, Some(&good), cut.min(text.len()));
    }
}

#[test]
fn hover_on_a_diagnostic_explains_its_code() {
    let src =
        "workflow \"W\" {\n  trigger manual-trigger\n  step a: t { k: \"<<nope.output.x>>\" }\n}\n";
    let a = analysis(src);
    let at = src.find("nope").unwrap() - 1;
    let (span, text) = a.hover(at).expect("the E201 is explained");
    assert_eq!(&src[span.start..span.end], "<<nope.output.x>>");
    assert_eq!(text, flowc::explain::markdown(flowc::Code::E201));
    assert!(text.starts_with("# E201"), "{text}");
}
