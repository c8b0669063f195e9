//! UI tests: one minimal fixture per diagnostic code in `tests/ui/`.
//!
//! Each fixture starts with one `// expect: CODE` line per diagnostic it must
//! produce (none for a file that must be clean). The test checks that the
//! reported codes are exactly those, then snapshots the human report (miette,
//! no colour, 80 columns) followed by each diagnostic's code and exact byte
//! span, so that a moved span shows up even where the drawing looks alike.

// On the binary's allocator, as every test of the library (tests/common).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

use flowc::report::{human, FileReport, Style};
use flowc::{check_source, Catalog};
use std::fmt::Write as _;
use std::path::Path;

/// The codes a fixture's `// expect: CODE` lines announce, sorted.
fn expected_codes(source: &str) -> Vec<String> {
    let mut codes: Vec<String> = source
        .lines()
        .filter_map(|line| line.strip_prefix("// expect:"))
        .map(|code| code.trim().to_string())
        .collect();
    codes.sort();
    codes
}

/// The fixture's path relative to the project, with `/` on every platform.
fn display_name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The human report of `diagnostics`, then each code with its exact span.
fn render(name: &str, source: &str, diagnostics: &[flowc::Diagnostic]) -> String {
    let mut report = human(
        &FileReport {
            name,
            source,
            diagnostics,
        },
        Style {
            color: false,
            width: 80,
        },
    );
    for d in diagnostics {
        writeln!(
            report,
            "{} {}..{}",
            d.code.as_str(),
            d.span.start,
            d.span.end
        )
        .unwrap();
    }
    report
}

fn sorted_codes(diagnostics: &[flowc::Diagnostic]) -> Vec<String> {
    let mut found: Vec<String> = diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    found.sort();
    found
}

/// The catalog fixtures (E500–E504) against `ui/catalog/flowc.toml`.
#[test]
fn catalog_diagnostics() {
    let toml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/catalog/flowc.toml"),
    )
    .unwrap();
    let catalog = Catalog::from_toml(&toml).expect("the fixtures' catalog is valid");
    insta::glob!("ui/catalog/*.flow", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = display_name(path);
        let checked = check_source(&source, &catalog);
        assert_eq!(
            sorted_codes(&checked.diagnostics),
            expected_codes(&source),
            "{name}"
        );
        insta::assert_snapshot!(render(&name, &source, &checked.diagnostics));
    });
}

/// A catalog with mistakes (E505), rendered against the TOML text.
#[test]
fn catalog_file_diagnostics() {
    insta::glob!("ui/catalog/*.toml", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = display_name(path);
        let expected: Vec<String> = source
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(str::to_string)
            .collect();
        let diagnostics = match Catalog::from_toml(&source) {
            Ok(_) => Vec::new(),
            Err(d) => d,
        };
        assert_eq!(sorted_codes(&diagnostics), expected, "{name}");
        insta::assert_snapshot!(render(&name, &source, &diagnostics));
    });
}

/// The importer's refusals (E700–E704), rendered against the JSON text. Each
/// fixture is named after the code it must give.
#[test]
fn import_diagnostics() {
    insta::glob!("ui/import/*.json", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = display_name(path);
        let code = path.file_stem().unwrap().to_string_lossy().to_string();
        let diagnostics = flowc::import::import(&source).expect_err("the importer refuses it");
        assert_eq!(sorted_codes(&diagnostics), vec![code], "{name}");
        insta::assert_snapshot!(render(&name, &source, &diagnostics));
    });
}

#[test]
fn diagnostics() {
    insta::glob!("ui/*.flow", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = display_name(path);
        let checked = check_source(&source, &Catalog::default());

        let mut found: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect();
        found.sort();
        assert_eq!(
            found,
            expected_codes(&source),
            "{name}: reported codes differ from its `// expect:` lines"
        );

        let mut report = human(
            &FileReport {
                name: &name,
                source: &source,
                diagnostics: &checked.diagnostics,
            },
            Style {
                color: false,
                width: 80,
            },
        );
        for d in &checked.diagnostics {
            writeln!(
                report,
                "{} {}..{}",
                d.code.as_str(),
                d.span.start,
                d.span.end
            )
            .unwrap();
        }
        insta::assert_snapshot!(report);
    });
}

/// `.flowtest` fixtures (SPEC §15), each held against
/// `ui/flowtest/workflow.flow`, with their `// expect: CODE` lines.
#[test]
fn flowtest_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/flowtest");
    let workflow = std::fs::read_to_string(dir.join("workflow.flow")).unwrap();
    let toml = std::fs::read_to_string(dir.join("flowc.toml")).unwrap();
    let catalog = Catalog::from_toml(&toml).expect("the fixtures' catalog is valid");
    let checked = check_source(&workflow, &catalog);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let plan = flowc::flowtest::plan_of(&checked).expect("the workflow builds");
    insta::glob!("ui/flowtest/*.flowtest", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let name = display_name(path);
        let tested = flowc::flowtest::test_source(&source, &plan);
        assert_eq!(
            sorted_codes(&tested.diagnostics),
            expected_codes(&source),
            "{name}"
        );
        // A test file with errors runs nothing; a clean one passes here.
        assert_eq!(tested.results.is_empty(), !tested.diagnostics.is_empty());
        for r in &tested.results {
            assert!(r.passed(), "{name}: {}: {:?}", r.name, r.failures);
        }
        insta::assert_snapshot!(render(&name, &source, &tested.diagnostics));
    });
}
