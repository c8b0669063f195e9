//! `flowc explain`: every code has an explanation, and its examples really
//! produce that code (wrong) and nothing at all (right).

use flowc::explain::{explain, render, Explanation};
use flowc::{check_source, Catalog, Code};
use std::collections::BTreeSet;

/// The catalog an explanation's examples are checked against.
fn catalog_of(e: &Explanation) -> Catalog {
    match e.catalog {
        Some(toml) => Catalog::from_toml(toml)
            .unwrap_or_else(|d| panic!("{}: the catalog is invalid: {d:?}", e.code)),
        None => Catalog::default(),
    }
}

/// The set of codes `src` produces, with the full diagnostics for messages.
fn codes(src: &str, catalog: &Catalog) -> (BTreeSet<Code>, String) {
    let diagnostics = check_source(src, catalog).diagnostics;
    let codes = diagnostics.iter().map(|d| d.code).collect();
    let shown = diagnostics
        .iter()
        .map(|d| format!("{} {} ({:?})", d.code, d.message, d.span))
        .collect::<Vec<_>>()
        .join("\n");
    (codes, shown)
}

#[test]
fn every_code_has_an_explanation() {
    for &code in Code::ALL {
        let e = explain(code);
        assert_eq!(e.code, code, "explain({code}) returned another code");
        assert!(!e.text.trim().is_empty(), "{code}: empty text");
        assert!(
            render(code).starts_with(&format!("{code}: ")),
            "{code}: render must start with the code"
        );
        assert!(
            render(code).starts_with(&format!("{code}: {}\n", code.summary())),
            "{code}: the title line is `CODE: summary`"
        );
    }
}

#[test]
fn codes_are_unique_and_complete() {
    let explained: BTreeSet<Code> = Code::ALL.iter().map(|&c| explain(c).code).collect();
    assert_eq!(explained.len(), Code::ALL.len());
    let texts: BTreeSet<&str> = Code::ALL.iter().map(|&c| explain(c).text).collect();
    assert_eq!(texts.len(), Code::ALL.len(), "each code has its own text");
}

#[test]
fn wrong_examples_produce_exactly_their_code() {
    for &code in Code::ALL {
        let e = explain(code);
        let catalog = catalog_of(e);
        if code == Code::E505 {
            continue;
        }
        if e.import {
            let refused =
                flowc::import::import(e.wrong).expect_err("import must refuse the wrong body");
            let found: BTreeSet<Code> = refused.iter().map(|d| d.code).collect();
            assert_eq!(found, BTreeSet::from([code]), "{code}: {refused:#?}");
            continue;
        }
        let (found, shown) = codes(e.wrong, &catalog);
        assert_eq!(
            found,
            BTreeSet::from([code]),
            "{code}: the wrong example must produce exactly {code}, got:\n{shown}"
        );
    }
}

#[test]
fn right_examples_are_clean() {
    for &code in Code::ALL {
        let e = explain(code);
        let catalog = catalog_of(e);
        let right = match e.import {
            true => {
                flowc::import::import(e.right)
                    .unwrap_or_else(|d| panic!("{code}: {d:?}"))
                    .text
            }
            false => e.right.to_string(),
        };
        let diagnostics = check_source(&right, &catalog).diagnostics;
        assert!(
            diagnostics.is_empty(),
            "{code}: the right example must be clean, got {diagnostics:#?}"
        );
    }
}

#[test]
fn only_e505_has_a_wrong_catalog_and_only_e500_to_e505_a_catalog() {
    for &code in Code::ALL {
        let e = explain(code);
        assert_eq!(e.wrong_catalog.is_some(), code == Code::E505, "{code}");
        let needs_catalog = matches!(
            code,
            Code::E500 | Code::E501 | Code::E502 | Code::E503 | Code::E504 | Code::E505
        );
        assert_eq!(e.catalog.is_some(), needs_catalog, "{code}");
    }
}

#[test]
fn e505_wrong_catalog_is_refused_with_e505_only() {
    let e = explain(Code::E505);
    let wrong = e.wrong_catalog.expect("E505 has a wrong catalog");
    let diagnostics = Catalog::from_toml(wrong).expect_err("the wrong catalog is refused");
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics.iter().all(|d| d.code == Code::E505),
        "{diagnostics:#?}"
    );
    // A refused catalog is not used: the flow is checked against the defaults,
    // and both examples are clean there and against the fixed catalog.
    for flow in [e.wrong, e.right] {
        assert_eq!(codes(flow, &Catalog::default()).0, BTreeSet::new());
        assert_eq!(codes(flow, &catalog_of(e)).0, BTreeSet::new());
    }
}

#[test]
fn text_is_wrapped_at_80_columns() {
    for &code in Code::ALL {
        for line in explain(code).text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{code}: line longer than 80 columns: {line:?}"
            );
            assert_eq!(line, line.trim_end(), "{code}: trailing space: {line:?}");
        }
    }
}

#[test]
fn render_indents_the_examples() {
    for &code in Code::ALL {
        let e = explain(code);
        let text = render(code);
        assert!(text.contains("\nWrong:\n\n    "), "{code}");
        assert!(text.contains("\nRight:\n\n    "), "{code}");
        let shown = if code == Code::E505 { e.right } else { e.wrong };
        let indented: String = shown
            .lines()
            .map(|l| {
                if l.trim().is_empty() {
                    "\n".to_string()
                } else {
                    format!("    {l}\n")
                }
            })
            .collect();
        assert!(text.contains(&indented), "{code}: example not indented");
        if let Some(catalog) = e.catalog {
            assert!(
                text.contains(&format!("    {}", catalog.lines().next().unwrap())),
                "{code}: catalog not shown"
            );
        }
    }
}
