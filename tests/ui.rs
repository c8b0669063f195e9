//! UI tests: one minimal fixture per diagnostic code in `tests/ui/`.
//!
//! Each fixture starts with one `// expect: CODE` line per diagnostic it must
//! produce (none for a file that must be clean). The test checks that the
//! reported codes are exactly those, then snapshots the human report (miette,
//! no colour, 80 columns) followed by each diagnostic's code and exact byte
//! span, so that a moved span shows up even where the drawing looks alike.

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
