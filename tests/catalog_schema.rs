//! `schema/flowc.schema.json`, the JSON Schema editors (Taplo, Even Better
//! TOML) use for `flowc.toml`: it accepts exactly the catalogs flowc accepts,
//! on every catalog of the project and on one case per kind of E505 that a
//! schema can see.

mod common;

use flowc::explain::{examples, Role};
use flowc::{Catalog, Code};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(common::root().join("schema/flowc.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("the schema is valid draft-07")
}

/// The schema's errors for a TOML text, as an editor would see them.
fn schema_errors(validator: &jsonschema::Validator, toml: &str) -> Vec<String> {
    let value: serde_json::Value = toml::from_str(toml).expect("the case is TOML");
    validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_examples_catalog_is_valid() {
    let validator = validator();
    let text = std::fs::read_to_string(common::root().join("examples/flowc.toml")).unwrap();
    assert!(
        text.starts_with("#:schema ../schema/flowc.schema.json\n"),
        "the example shows the directive editors read"
    );
    assert_eq!(schema_errors(&validator, &text), Vec::<String>::new());
}

#[test]
fn the_e505_fixtures_are_invalid() {
    let validator = validator();
    let fixture =
        std::fs::read_to_string(common::root().join("tests/ui/catalog/E505.toml")).unwrap();
    assert!(fixture.starts_with("# expect: E505\n"));
    let mut errors = schema_errors(&validator, &fixture);
    errors.sort();
    assert_eq!(
        errors,
        [
            "\"text\" is not one of \"string\", \"number\" or 5 other candidates at /actions/http-request/inputs/url/type",
            "Additional properties are not allowed ('output' was unexpected) at /actions/http-request",
        ]
    );
    let wrong = examples(Code::E505)
        .into_iter()
        .find(|e| e.lang == "toml" && e.role == Role::Wrong)
        .expect("E505's document has a wrong catalog");
    assert_eq!(
        schema_errors(&validator, wrong.text),
        ["Additional properties are not allowed ('requird' was unexpected) at /actions/send-slack-message/inputs/text"]
    );
}

/// Catalogs of every shape: what the schema says must be what flowc says.
const CASES: &[&str] = &[
    "",
    "[references]\nroots = [\"trigger\"]\n",
    "[references]\nroots = \"trigger\"\n",
    "[references]\nroot = [\"trigger\"]\n",
    "[triggers]\nextra = [\"ticket-merged\"]\n",
    "[triggers]\nextra = [1]\n",
    "[trigger]\nextra = []\n",
    "triggers = 3\n",
    "[operators]\nnames = [\"matches_regex\"]\n[operators.symbols]\n\"==\" = \"is\"\n",
    "[operators.symbols]\n\"=~\" = \"matches\"\n",
    "[operators.symbols]\n\"==\" = 1\n",
    "[operators]\nname = []\n",
    "[actions]\n",
    "[actions.noop]\n",
    "actions = 1\n",
    "[actions.t]\noutputs = [\"id\"]\ninputs = {}\n",
    "[actions.t]\noutputs = \"id\"\n",
    "[actions.t]\ninputs = []\n",
    "[actions.t.inputs]\na = { type = \"any\" }\nb = { required = false }\nc = {}\n",
    "[actions.t.inputs]\na = \"string\"\n",
    "[actions.t.inputs]\na = { type = \"str\" }\n",
    "[actions.t.inputs]\na = { type = 1 }\n",
    "[actions.t.inputs]\na = { required = \"yes\" }\n",
    "[actions.t.inputs]\na = { enum = [\"x\", 1, 2.5, true] }\n",
    "[actions.t.inputs]\na = { enum = \"x\" }\n",
    "[actions.t.inputs]\na = { enum = [[1]] }\n",
    "[actions.t.inputs]\na = { enum = [{ x = 1 }] }\n",
    "[actions.t.inputs]\na = { default = 1 }\n",
];

#[test]
fn the_schema_agrees_with_flowc_on_every_catalog() {
    let validator = validator();
    let mut cases: Vec<(String, String)> = CASES
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("case {i}"), c.to_string()))
        .collect();
    for file in [
        "examples/flowc.toml",
        "tests/ui/catalog/flowc.toml",
        "tests/ui/catalog/E505.toml",
    ] {
        cases.push((
            file.into(),
            std::fs::read_to_string(common::root().join(file)).unwrap(),
        ));
    }
    for &code in Code::ALL {
        for e in examples(code).into_iter().filter(|e| e.lang == "toml") {
            cases.push((
                format!("docs/codes/{code}.md {:?}", e.role),
                e.text.to_string(),
            ));
        }
    }
    let (mut valid, mut invalid) = (0, 0);
    for (name, text) in &cases {
        let flowc = Catalog::from_toml(text)
            .map(|_| ())
            .map_err(|d| d.iter().map(|d| d.message.to_string()).collect::<Vec<_>>());
        let schema = schema_errors(&validator, text);
        assert_eq!(
            flowc.is_ok(),
            schema.is_empty(),
            "{name}: flowc says {flowc:?}, the schema {schema:?}\n{text}"
        );
        if schema.is_empty() {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    // Both sides are exercised.
    assert!(
        valid >= 10 && invalid >= 15,
        "{valid} valid, {invalid} invalid"
    );
}
