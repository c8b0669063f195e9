//! Every example compiles with no diagnostic at all, checked against
//! `examples/flowc.toml` down to input and output fields; its body is
//! snapshot-tested and schema-valid.

mod common;

use flowc::{check_source, Catalog};

#[test]
fn examples_compile_cleanly() {
    let toml = std::fs::read_to_string(common::root().join("examples/flowc.toml")).unwrap();
    let catalog = Catalog::from_toml(&toml).expect("the examples' catalog is valid");
    assert!(catalog.actions.as_ref().is_some_and(|a| a.len() >= 10));
    insta::glob!("../examples", "*.flow", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let checked = check_source(&source, &catalog);
        assert_eq!(checked.diagnostics, vec![], "{}", path.display());
        let json = checked.body().expect("no errors").to_pretty();
        common::assert_schema_valid(&json);
        insta::assert_snapshot!(json);
    });
}

#[test]
fn there_are_at_least_five_examples() {
    let count = std::fs::read_dir(common::root().join("examples"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "flow")
        })
        .count();
    assert!(count >= 5, "only {count} examples");
}
