//! The yardsticks of `flowc::logic` (SPEC §15, "The model"): JsonLogic's
//! shared suite (`tests/data/jsonlogic-tests.json`) gives its expected
//! result on every rule, and generated rules agree with json-logic-js, the
//! reference implementation, run by node (`tests/logic-js/`).

#[path = "../common/mod.rs"]
mod common;
mod generate;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

/// JSON equality, numbers by value (`3` is `3.0`).
fn same(ours: &Value, expected: &Value) -> bool {
    match (ours, expected) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => ours == expected,
    }
}

#[test]
fn every_test_of_the_shared_suite_gives_its_expected_result() {
    let text = std::fs::read_to_string(common::root().join("tests/data/jsonlogic-tests.json"))
        .expect("the suite is in tests/data");
    let entries: Vec<Value> = serde_json::from_str(&text).expect("the suite is JSON");
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in &entries {
        // Strings are section titles; each test is `[rule, data, expected]`.
        let Value::Array(test) = entry else { continue };
        count += 1;
        let (rule, data, expected) = (&test[0], &test[1], &test[2]);
        match flowc::logic::apply(rule, data) {
            Ok(got) if same(&got, expected) => {}
            got => failures.push(format!(
                "{rule} on {data}: expected {expected}, got {got:?}"
            )),
        }
    }
    assert_eq!(count, 275, "the suite has 275 tests");
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn results_are_json_numbers_by_value() {
    let apply = |rule: Value| flowc::logic::apply(&rule, &json!({})).unwrap().to_string();
    assert_eq!(apply(json!({"+": [1, 2]})), "3");
    assert_eq!(apply(json!({"/": [1, 4]})), "0.25");
    assert_eq!(apply(json!({"*": [1.5, 2]})), "3");
    // NaN and Infinity have no JSON form: NaN is null, as JSON.stringify
    // writes it; Infinity a number that reads back as Infinity.
    assert_eq!(apply(json!({"+": ["a"]})), "null");
    assert_eq!(apply(json!({"/": [1, 0]})), "1e+400");
    assert!(flowc::logic::truthy(&json!(1e300)));
}

#[test]
fn event_numbers_beyond_f64_read_as_infinity() {
    let data: Value =
        serde_json::from_str(r#"{"big": 1e400, "huge": 2e400, "small": 1e-400}"#).unwrap();
    let apply = |rule: Value| flowc::logic::apply(&rule, &data).unwrap();
    assert_eq!(apply(json!({">": [{"var": "big"}, 1e300]})), json!(true));
    assert_eq!(
        apply(json!({"==": [{"var": "big"}, {"var": "huge"}]})),
        json!(true)
    );
    assert_eq!(apply(json!({"==": [{"var": "small"}, 0]})), json!(true));
}

#[test]
fn an_unknown_operation_is_an_error() {
    let error = flowc::logic::apply(&json!({"frobnicate": [1]}), &json!({})).unwrap_err();
    assert_eq!(error.to_string(), "unknown operation `frobnicate`");
    assert!(flowc::logic::apply(&json!({"*": []}), &json!({})).is_err());
}

#[test]
fn truthiness_is_jsonlogics() {
    for falsy in [
        json!(false),
        json!(null),
        json!(0),
        json!(0.0),
        json!(""),
        json!([]),
    ] {
        assert!(!flowc::logic::truthy(&falsy), "{falsy}");
    }
    for truthy in [
        json!(true),
        json!(1),
        json!(-0.5),
        json!("0"),
        json!(" "),
        json!([0]),
        json!({}),
    ] {
        assert!(flowc::logic::truthy(&truthy), "{truthy}");
    }
}

/// How many generated rules the differential test runs, from a fixed seed.
const CASES: usize = 20_000;
const SEED: u64 = 0x666c_6f77_632d_6a6c;

/// Runs json-logic-js on every `[rule, data]` in one node process.
fn reference(cases: &[(Value, Value)]) -> Vec<Value> {
    let folder = common::root().join("tests/logic-js");
    let install = "run `npm ci --prefix tests/logic-js` (and install Node.js and npm: `apt-get install nodejs npm`)";
    assert!(
        folder.join("node_modules/json-logic-js/logic.js").exists(),
        "json-logic-js is not installed: {install}"
    );
    let mut child = Command::new("node")
        .arg(folder.join("run.js"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("node does not start ({error}): {install}"));
    let input = Value::Array(
        cases
            .iter()
            .map(|(rule, data)| json!([rule, data]))
            .collect(),
    );
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin
        .write_all(input.to_string().as_bytes())
        .expect("node reads the cases");
    drop(stdin);
    let output = child.wait_with_output().expect("node finishes");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("run.js prints a JSON array")
}

/// Whether our result stands for json-logic-js's (README.md, "JSON Logic
/// semantics"): `undefined` and NaN are null; ±Infinity a number that reads
/// as ±Infinity; an `undefined` member is left out of its object.
fn agrees(ours: &Value, js: &Value) -> bool {
    if let Some(marker) = js.get("$js").and_then(Value::as_str) {
        return match marker {
            "undefined" | "NaN" => ours.is_null(),
            "Infinity" => number(ours) == Some(f64::INFINITY),
            "-Infinity" => number(ours) == Some(f64::NEG_INFINITY),
            _ => false,
        };
    }
    match (ours, js) {
        (Value::Number(_), Value::Number(_)) => number(ours) == number(js),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| agrees(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            let defined = |v: &&Value| v.get("$js").and_then(Value::as_str) != Some("undefined");
            y.values().filter(defined).count() == x.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| agrees(v, w)))
        }
        _ => ours == js,
    }
}

/// A number's value, ±Infinity included (serde_json's `as_f64` has no
/// infinities).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

#[test]
fn generated_rules_agree_with_json_logic_js() {
    let cases = generate::cases(SEED, CASES);
    let results = reference(&cases);
    assert_eq!(results.len(), cases.len());
    let mut failures = Vec::new();
    let mut errors = 0;
    for ((rule, data), js) in cases.iter().zip(&results) {
        let ours = flowc::logic::apply(rule, data);
        let ok = match (&ours, js.get("value"), js.get("error")) {
            (Ok(ours), Some(value), _) => agrees(ours, value),
            (Err(_), _, Some(_)) => {
                errors += 1;
                true
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{rule} on {data}: json-logic-js gives {js}, flowc {ours:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} generated rules differ from json-logic-js, e.g.:\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    // The generator reaches the errors too, but mostly rules that evaluate.
    assert!(0 < errors && errors < CASES / 10, "{errors} errors");
}
