//! The properties the fuzz targets (`fuzz/`) assert, shared with the stable
//! test that replays their crash inputs (`tests/fuzz_regressions.rs`).
//!
//! Each function takes arbitrary bytes and panics when a guarantee breaks;
//! it returns normally for any input flowc handles as it promises. Not part
//! of the library's interface.

use crate::diagnostic::Diagnostic;
use crate::report::{self, Counts, FileReport};
use crate::{check_source, fmt, graph, import, json, Catalog};

/// A program the `catalog` target checks against each catalog it reads:
/// every kind of statement, references, inputs of several types.
const CATALOG_PROGRAM: &str = r##"workflow "Catalog probe" {
  trigger ticket-created
  when ticket.priority == "urgent"
  step lookup: http-request "Look up" { url: "https://x", method: "GET", n: 1.5 }
  if lookup.output.status == 200 {
    step tag: add-ticket-tag { tag: "vip <<lookup.output.body>>" }
  } else {
    step note: send-slack-message { channel: "#c", text: "<<trigger.ticket.id>>" }
  }
  block b: switch { inputs { on: lookup.output.x } branch one { step x: t } }
}
"##;

/// Every span of every diagnostic lies within `source`, on character
/// boundaries.
pub fn assert_spans(source: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        if let Some(span) = d.misplaced_span(source) {
            panic!(
                "{} span {span:?} is not on character boundaries of a {}-byte source: {d:?}",
                d.code,
                source.len()
            );
        }
    }
}

/// Renders `diagnostics` of `source` in every report format; the
/// machine-readable ones must be JSON.
pub fn render_all(name: &str, source: &str, diagnostics: &[Diagnostic]) {
    let files = [FileReport {
        name,
        source,
        diagnostics,
    }];
    let counts = Counts::of(&files);
    for (format, text) in [
        ("json", report::json(&files, counts)),
        ("sarif", report::sarif(&files)),
    ] {
        if let Err(err) = json::parse(&text) {
            panic!("--format {format} is not JSON: {err:?}\n{text}");
        }
    }
    let _ = report::github(&files);
    #[cfg(feature = "fancy")]
    let _ = report::human(
        &files[0],
        report::Style {
            color: false,
            width: 80,
        },
    );
}

/// What `flowc build` writes for `source`, or `None` for a file with errors.
fn build(source: &str) -> Option<String> {
    check_source(source, &Catalog::default())
        .body()
        .map(|b| b.to_pretty())
}

/// The whole pipeline on arbitrary text: check, every report format, the
/// body, graph, and fmt's guarantees (`fmt(fmt(x)) == fmt(x)`,
/// `build(fmt(x)) == build(x)`).
pub fn pipeline(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        // The binary refuses invalid UTF-8 before the library sees it.
        return;
    };
    let checked = check_source(source, &Catalog::default());
    assert_spans(source, &checked.diagnostics);
    render_all("fuzz.flow", source, &checked.diagnostics);
    let built = checked.body().map(|body| {
        let compact = body.to_compact();
        if let Err(err) = json::parse(&compact) {
            panic!("the compact body is not JSON: {err:?}\n{compact}");
        }
        body.to_pretty()
    });
    if let Some(file) = checked.file() {
        for format in [graph::Format::Mermaid, graph::Format::Dot] {
            let _ = graph::render(file, format, false);
            let _ = graph::render(file, format, true);
        }
    }
    if let Ok(once) = fmt::format_source(source) {
        match fmt::format_source(&once) {
            Ok(twice) => assert_eq!(twice, once, "fmt is not idempotent"),
            Err(d) => panic!("formatted text does not parse: {d:?}\n{once}"),
        }
        assert_eq!(
            build(&once),
            built,
            "fmt changed what the file builds to\n{once}"
        );
    }
}

/// Import on arbitrary text: a refusal points into the text; what import
/// accepts is canonical flow text that builds, with no error, the same body
/// (SPEC §10).
pub fn import_roundtrip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let imported = match import::import(text) {
        Ok(imported) => imported,
        Err(diagnostics) => {
            assert_spans(text, &diagnostics);
            render_all("fuzz.json", text, &diagnostics);
            return;
        }
    };
    let checked = check_source(&imported.text, &Catalog::default());
    let Some(body) = checked.body() else {
        panic!(
            "imported text does not build: {:?}\n{}",
            checked.diagnostics, imported.text
        );
    };
    let built = body.to_pretty();
    let original = json::parse(text).expect("import accepted it").to_json();
    let rebuilt = json::parse(&built).expect("bodies are JSON").to_json();
    assert!(
        import::same_body(&rebuilt, &original),
        "import then build changed the body\n{}\n{built}",
        imported.text
    );
    match fmt::format_source(&imported.text) {
        Ok(formatted) => assert_eq!(formatted, imported.text, "import is not canonical"),
        Err(d) => panic!("imported text does not format: {d:?}"),
    }
}

/// The catalog reader on arbitrary text: mistakes point into the TOML; a
/// catalog it accepts can check a program.
pub fn catalog(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Catalog::from_toml(text) {
        Err(diagnostics) => {
            assert_spans(text, &diagnostics);
            render_all("flowc.toml", text, &diagnostics);
        }
        Ok(catalog) => {
            let checked = check_source(CATALOG_PROGRAM, &catalog);
            assert_spans(CATALOG_PROGRAM, &checked.diagnostics);
            render_all("probe.flow", CATALOG_PROGRAM, &checked.diagnostics);
            if let Some(body) = checked.body() {
                let _ = body.to_pretty();
            }
        }
    }
}

/// The workflow a `.flowtest` input is held against when the input brings
/// none: every kind of element and every operator's family.
const FLOWTEST_PROGRAM: &str = r##"workflow "Test probe" {
  trigger ticket-created
  when ticket.priority == "urgent" or missing("ticket.id")
  step lookup: http-request { url: "https://x/<<trigger.id>>", n: trigger.n }
  if lookup.output.status >= 200 {
    step tag: add-ticket-tag { tag: "vip <<lookup.output.body>>", raw: lookup.output.body.list }
  } else if lookup.output.tags contains "x" {
    step note: send-slack-message { text: "\{{not.a.reference}}" }
  }
  block b: switch { inputs { on: lookup.output.x } branch one { step x: t } branch two { } }
  raw { "$kind": "Action", "id": "r", "type": "t", "name": "r", "input": { "v": "{{lookup.output.v}}" } }
}
"##;

/// What a case's outcome says, without spans: for comparing two texts that
/// mean the same.
fn outcomes(tested: &crate::flowtest::Tested) -> Vec<(String, Vec<String>)> {
    tested
        .results
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.failures.iter().map(|f| f.message.clone()).collect(),
            )
        })
        .collect()
}

/// `.flowtest` parsing and running on arbitrary text: diagnostics point
/// into it and render; a clean file runs, formats idempotently, and its
/// formatted text runs to the same outcomes. An input with a NUL byte is a
/// workflow before it and a test file after it; otherwise the test file
/// is held against [`FLOWTEST_PROGRAM`].
pub fn flowtest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (workflow, test) = text.split_once('\0').unwrap_or((FLOWTEST_PROGRAM, text));
    let catalog = Catalog::from_toml("[references]\nroots = [\"trigger\"]\n")
        .expect("the probe's catalog is valid");
    let checked = check_source(workflow, &catalog);
    let parsed = crate::syntax::parse_test(test);
    assert_spans(test, &parsed.diagnostics);
    let Some(plan) = crate::flowtest::plan_of(&checked) else {
        render_all("fuzz.flowtest", test, &parsed.diagnostics);
        return;
    };
    let tested = crate::flowtest::test_source(test, &plan);
    assert_spans(test, &tested.diagnostics);
    render_all("fuzz.flowtest", test, &tested.diagnostics);
    if let Ok(once) = fmt::format_test_source(test) {
        match fmt::format_test_source(&once) {
            Ok(twice) => assert_eq!(twice, once, "fmt is not idempotent on a test file"),
            Err(d) => panic!("a formatted test file does not parse: {d:?}\n{once}"),
        }
        let again = crate::flowtest::test_source(&once, &plan);
        assert_eq!(
            outcomes(&again),
            outcomes(&tested),
            "fmt changed what the test file means\n{once}"
        );
        assert_eq!(
            again.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
            tested
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>(),
            "fmt changed the test file's diagnostics\n{once}"
        );
    }
}
