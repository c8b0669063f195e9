//! Helpers shared by the integration tests, and the binary's allocator
//! for every test that includes them.
#![allow(dead_code)]

// The library runs on the binary's allocator here as in the binary, so
// every test of the library exercises the allocator too (issue 20).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The project folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real `flowc` binary with `args`, feeding `stdin`.
pub fn flowc(args: &[&str], stdin: &[u8]) -> Output {
    flowc_in(&root(), args, stdin)
}

/// Runs the real `flowc` binary in folder `dir`.
pub fn flowc_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowc"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flowc starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    // The child may exit before reading everything; that is its business.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("flowc finishes")
}

/// The `.flow` files of the given folders of the project, sorted.
pub fn flow_files(folders: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in folders {
        for entry in std::fs::read_dir(root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "flow") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every fixture and example: its path as text and its source.
pub fn all_sources() -> Vec<(String, String)> {
    flow_files(&[
        "examples",
        "tests/conformance/pass",
        "tests/conformance/fail",
        "tests/ui",
    ])
    .into_iter()
    .map(|p| {
        (
            p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        )
    })
    .collect()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("flowc prints UTF-8")
}

/// Asserts that `json` is a valid `POST /workflows` body per the API schema.
pub fn assert_schema_valid(json: &str) {
    let errors = schema_errors(json);
    assert!(
        errors.is_empty(),
        "body does not match the schema: {errors:#?}\n{json}"
    );
}

/// Why `json` is not a valid `POST /workflows` body (empty when it is).
pub fn schema_errors(json: &str) -> Vec<String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let schema =
            std::fs::read_to_string(root().join("tests/schema/create-workflow.schema.json"))
                .unwrap();
        jsonschema::validator_for(&serde_json::from_str(&schema).unwrap())
            .expect("the schema compiles")
    });
    let value: serde_json::Value = serde_json::from_str(json).expect("flowc emits JSON");
    validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Cargo settings for the tests that make pre-commit or the GitHub Action
/// `cargo install` flowc: what they test is that the hooks and steps build
/// and run it, not the release profile's speed, so the build skips
/// optimisation and LTO (52 s instead of about two minutes on one core),
/// in a target folder the two tests share.
pub fn quick_install_env() -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        ("CARGO_TARGET_DIR", root().join("target/ecosystem").into()),
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0".into()),
        ("CARGO_PROFILE_RELEASE_LTO", "false".into()),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256".into()),
        ("CARGO_PROFILE_RELEASE_STRIP", "none".into()),
    ]
}
