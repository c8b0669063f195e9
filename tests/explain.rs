//! The explanations in `docs/codes/`: one document per code, and every
//! example in them runs — each wrong one gives exactly its code, each right
//! one nothing.

// On the binary's allocator, as every test of the library (tests/common).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

use flowc::explain::{examples, markdown, render, text, Example, Role};
use flowc::{check_source, Catalog, Code};
use std::collections::BTreeSet;

/// The catalog a document's `flow` examples are checked against: its
/// `toml catalog` block, or for E505 its `toml right` one, or the defaults.
fn catalog_of(code: Code, examples: &[Example]) -> Catalog {
    let toml = examples
        .iter()
        .find(|e| e.lang == "toml" && matches!(e.role, Role::Catalog | Role::Right));
    match toml {
        Some(e) => Catalog::from_toml(e.text)
            .unwrap_or_else(|d| panic!("{code}: the catalog is invalid: {d:?}")),
        None => Catalog::default(),
    }
}

/// A `flowtest` example run against its document's `flow workflow`.
fn tested(code: Code, examples: &[Example], test: &str) -> flowc::flowtest::Tested {
    let workflow = examples
        .iter()
        .find(|e| e.role == Role::Workflow)
        .unwrap_or_else(|| panic!("{code}: no `flow workflow` block"));
    let checked = check_source(workflow.text, &Catalog::default());
    let plan = flowc::flowtest::plan_of(&checked)
        .unwrap_or_else(|| panic!("{code}: the workflow has errors: {:?}", checked.diagnostics));
    flowc::flowtest::test_source(test, &plan)
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
fn every_code_has_a_document_and_every_document_a_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/codes exists")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = Code::ALL.iter().map(|c| format!("{c}.md")).collect();
    expected.sort();
    assert_eq!(files, expected);
    for &code in Code::ALL {
        let on_disk = std::fs::read_to_string(dir.join(format!("{code}.md"))).unwrap();
        assert_eq!(markdown(code), on_disk, "{code}: compiled in as written");
    }
}

#[test]
fn each_document_starts_with_its_code_and_summary() {
    for &code in Code::ALL {
        let title = format!("# {code}: {}\n\n", code.summary());
        assert!(
            markdown(code).starts_with(&title),
            "{code}: expected {title:?}"
        );
        assert!(render(code).starts_with(&format!("{code}: {}\n\n", code.summary())));
        assert!(!text(code).is_empty(), "{code}: no prose");
    }
    let texts: BTreeSet<&str> = Code::ALL.iter().map(|&c| text(c)).collect();
    assert_eq!(texts.len(), Code::ALL.len(), "each code has its own text");
}

#[test]
fn every_example_has_a_known_language_and_role() {
    for &code in Code::ALL {
        let examples = examples(code);
        for e in &examples {
            assert!(
                matches!(e.lang, "flow" | "flowtest" | "toml" | "json"),
                "{code}: unknown language {:?}",
                e.lang
            );
            assert_ne!(e.role, Role::Shown, "{code}: a block nobody runs");
        }
        let has =
            |lang: &str, role: Role| examples.iter().any(|e| e.lang == lang && e.role == role);
        let (wrong_lang, right_lang) = match code.as_str() {
            "E505" => ("toml", "flow"),
            c if c.starts_with("E6") => ("flowtest", "flowtest"),
            c if c.starts_with("E7") => ("json", "json"),
            _ => ("flow", "flow"),
        };
        assert!(
            has(wrong_lang, Role::Wrong),
            "{code}: no {wrong_lang} wrong"
        );
        assert!(
            has(right_lang, Role::Right),
            "{code}: no {right_lang} right"
        );
        let needs_catalog = matches!(
            code,
            Code::E500 | Code::E501 | Code::E502 | Code::E503 | Code::E504
        );
        assert_eq!(has("toml", Role::Catalog), needs_catalog, "{code}");
        assert_eq!(
            has("flow", Role::Workflow),
            wrong_lang == "flowtest",
            "{code}: a `flowtest` example needs its `flow workflow`, and only it"
        );
    }
}

#[test]
fn wrong_examples_produce_exactly_their_code() {
    for &code in Code::ALL {
        let examples = examples(code);
        let catalog = catalog_of(code, &examples);
        for e in examples.iter().filter(|e| e.role == Role::Wrong) {
            let found: BTreeSet<Code> = match e.lang {
                "flow" => {
                    let (found, shown) = codes(e.text, &catalog);
                    assert_eq!(
                        found,
                        BTreeSet::from([code]),
                        "{code}: the wrong example must produce exactly {code}, got:\n{shown}"
                    );
                    found
                }
                "json" => flowc::import::import(e.text)
                    .expect_err("import must refuse the wrong body")
                    .iter()
                    .map(|d| d.code)
                    .collect(),
                "flowtest" => tested(code, &examples, e.text)
                    .diagnostics
                    .iter()
                    .map(|d| d.code)
                    .collect(),
                "toml" => Catalog::from_toml(e.text)
                    .expect_err("the wrong catalog is refused")
                    .iter()
                    .map(|d| d.code)
                    .collect(),
                other => panic!("{code}: {other}"),
            };
            assert_eq!(found, BTreeSet::from([code]), "{code}: {}", e.text);
        }
    }
}

#[test]
fn right_examples_are_clean() {
    for &code in Code::ALL {
        let examples = examples(code);
        let catalog = catalog_of(code, &examples);
        for e in examples.iter().filter(|e| e.role == Role::Right) {
            let flow = match e.lang {
                "flow" => e.text.to_string(),
                "json" => {
                    flowc::import::import(e.text)
                        .unwrap_or_else(|d| panic!("{code}: {d:?}"))
                        .text
                }
                "toml" => {
                    Catalog::from_toml(e.text).unwrap_or_else(|d| panic!("{code}: {d:?}"));
                    continue;
                }
                "flowtest" => {
                    let t = tested(code, &examples, e.text);
                    assert!(t.diagnostics.is_empty(), "{code}: {:#?}", t.diagnostics);
                    assert!(
                        !t.results.is_empty(),
                        "{code}: the right example runs cases"
                    );
                    for r in &t.results {
                        assert!(r.passed(), "{code}: {:?} fails: {:?}", r.name, r.failures);
                    }
                    continue;
                }
                other => panic!("{code}: {other}"),
            };
            let diagnostics = check_source(&flow, &catalog).diagnostics;
            assert!(
                diagnostics.is_empty(),
                "{code}: the right example must be clean, got {diagnostics:#?}"
            );
            // A refused catalog is not used, so E505's flow must be clean
            // against the defaults too.
            if code == Code::E505 {
                assert_eq!(codes(&flow, &Catalog::default()).0, BTreeSet::new());
            }
        }
    }
}

#[test]
fn prose_is_wrapped_at_80_columns() {
    for &code in Code::ALL {
        let mut fenced = false;
        for line in markdown(code).lines() {
            fenced ^= line.starts_with("```");
            assert_eq!(line, line.trim_end(), "{code}: trailing space: {line:?}");
            if !fenced {
                assert!(
                    line.chars().count() <= 80,
                    "{code}: line longer than 80 columns: {line:?}"
                );
            }
        }
    }
}

#[test]
fn render_indents_every_example() {
    for &code in Code::ALL {
        let rendered = render(code);
        assert!(rendered.contains("\nWrong:\n\n"), "{code}");
        assert!(rendered.contains("\nRight:\n\n"), "{code}");
        assert!(!rendered.contains("```"), "{code}");
        for e in examples(code) {
            let indented: String = e
                .text
                .lines()
                .map(|l| match l.trim().is_empty() {
                    true => "\n".to_string(),
                    false => format!("    {l}\n"),
                })
                .collect();
            assert!(rendered.contains(&indented), "{code}: example not indented");
        }
    }
}
