//! The round-trip guarantees of SPEC §9–10, on every example and conformance
//! case and on generated bodies and programs:
//! `fmt(fmt(x)) == fmt(x)`, `build(fmt(x)) == build(x)` byte for byte, and
//! `build(import(J))` equal to `J` as SPEC §10 defines.

mod common;

use flowc::import::{import, same_body};
use flowc::json::{self, Json};
use flowc::{check_source, fmt::format_source, Catalog};
use proptest::prelude::*;

fn build(src: &str) -> Result<String, Vec<flowc::Code>> {
    let checked = check_source(src, &Catalog::default());
    checked.body().map(|b| b.to_pretty()).ok_or_else(|| {
        let mut codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code).collect();
        codes.sort();
        codes
    })
}

/// The formatting guarantees for one source; `false` if it has syntax errors.
fn check_fmt(name: &str, src: &str) -> bool {
    let Ok(once) = format_source(src) else {
        return false;
    };
    let twice = format_source(&once)
        .unwrap_or_else(|d| panic!("{name}: formatted text does not parse: {d:?}\n{once}"));
    assert_eq!(twice, once, "{name}: fmt is not idempotent");
    assert_eq!(
        build(&once),
        build(src),
        "{name}: fmt changed what the file builds to\n{once}"
    );
    true
}

#[test]
fn fmt_guarantees_on_every_file() {
    let mut formatted = 0;
    for (name, src) in common::all_sources() {
        if check_fmt(&name, &src) {
            formatted += 1;
        }
    }
    assert!(formatted >= 40, "only {formatted} files formatted");
}

#[test]
fn fmt_keeps_comments_and_blank_lines() {
    let src = "// about\n\nworkflow \"W\" { // trailing\n  trigger webhook // why this trigger\n  // lead\n  step a: noop\n\n\n  /* block */\n  step b: t {\n    // inside\n    x: 1 // one\n  }\n  if a.output.x == 1 {\n    // only a comment\n  }\n} // end\n// after\n";
    let out = format_source(src).unwrap();
    assert_eq!(
        out,
        "// about\n\nworkflow \"W\" { // trailing\n  trigger webhook // why this trigger\n\n  // lead\n  step a: noop\n\n  /* block */\n  step b: t {\n    // inside\n    x: 1 // one\n  }\n  if a.output.x == 1 {\n    // only a comment\n  }\n} // end\n// after\n"
    );
    assert!(check_fmt("comments", src));
}

#[test]
fn import_guarantee_on_every_emitted_body() {
    let mut bodies = Vec::new();
    for (name, src) in common::all_sources() {
        if let Ok(json) = build(&src) {
            bodies.push((name, json));
        }
    }
    assert!(bodies.len() >= 15);
    for (name, body) in bodies {
        let imported = import(&body).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        // flowc's own output comes back byte for byte.
        assert_eq!(
            build(&imported.text).as_deref(),
            Ok(body.as_str()),
            "{name}\n{}",
            imported.text
        );
        assert_eq!(
            format_source(&imported.text).unwrap(),
            imported.text,
            "{name}: import is not canonical"
        );
    }
}

#[test]
fn import_of_a_dashboard_style_body() {
    // Written by hand the way a dashboard stores a workflow: a response body,
    // keys in another order, ids that are UUIDs, an if-else whose id is not
    // its automatic one, a condition operator flowc does not know, text that
    // looks like a reference, and an element with extra keys.
    let body = r#"{
      "id": 7, "workflow_id": "0b6f", "is_active": true, "version_number": 4,
      "created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
      "webhook_url": null, "description": null,
      "trigger_type": "ticket-created", "name": "Dashboard flow",
      "trigger_constraints": {"and": [{"==": [{"var": "ticket.priority"}, "high"]}, {"in": ["vip", {"var": "contact.tags"}]}]},
      "workflow_blocks": [
        {"id": "0c1d-aa", "name": "Fetch", "type": "http-request", "$kind": "Action", "input": {"url": "https://x/{{ticket.id}}", "n": 1.50}},
        {"$kind": "Block", "id": "a1b2", "type": "if-else", "branches": {"then": [
            {"$kind": "Action", "id": "tag", "type": "add-tag", "name": "tag", "input": {"tag": "<<not a ref>>"}}
          ], "else": []},
          "inputs": {"condition": {"operatorName": "equals", "left": "{{0c1d-aa.output.status}}", "right": -0}}},
        {"$kind": "Block", "id": "if-3", "type": "if-else", "inputs": {"condition": {"operatorName": "regex", "left": "{{0c1d-aa.output.body}}", "right": "^ok$"}},
          "branches": {"then": [], "else": []}},
        {"$kind": "Action", "id": "legacy", "type": "t", "name": "Legacy", "input": {}, "retries": 3}
      ]
    }"#;
    let imported = import(body).unwrap();
    let built = check_source(&imported.text, &Catalog::default())
        .body()
        .expect("builds")
        .to_pretty();
    assert!(
        same_body(
            &json::parse(&built).unwrap().to_json(),
            &json::parse(body).unwrap().to_json()
        ),
        "{}",
        imported.text
    );
    let text = &imported.text;
    assert!(
        text.starts_with("// flowc: allow(E207)\nworkflow \"Dashboard flow\" {\n"),
        "{text}"
    );
    assert!(
        text.contains("  when ticket.priority == \"high\" and \"vip\" in contact.tags\n"),
        "{text}"
    );
    assert!(
        text.contains("  if a1b2: \"<<0c1d-aa.output.status>>\" == -0 {"),
        "{text}"
    );
    assert!(text.contains("tag: \"\\<<not a ref>>\""), "{text}");
    assert!(text.contains("  block if-3: if-else {"), "{text}");
    assert!(text.contains("  raw {"), "{text}");
    assert!(imported.notes.iter().any(|n| n.contains("`created_at`")));
}

// ---------------------------------------------------------------- generated --

fn lexeme() -> impl Strategy<Value = Json> {
    prop::sample::select(vec![
        "0",
        "-0",
        "1.50",
        "1e3",
        "-2.5E-3",
        "12345678901234567890",
        "7",
        "0.001",
    ])
    .prop_map(|n| Json::Number(n.to_string()))
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "plain",
        "é 😀 ✓",
        "quote \" and \\ backslash",
        "line\nbreak",
        "tab\there",
        "{{a.output.x}}",
        "pre {{a.output.x}} post",
        "{{ a.output.x }}",
        "<<a.output.x>>",
        "{{#each items}}",
        "<{{a.output.x}}",
        "a <<b",
        "}} and >>",
        "\u{1}control",
        "{{3f2a.output.y}}",
        "a\n  indented\n\nblank",
    ])
    .prop_map(str::to_string)
}

fn id() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "b",
        "lookup",
        "if-1",
        "if-2",
        "if-3",
        "3f2a",
        "with space",
        "step",
        "x-y_z",
        "É",
    ])
    .prop_map(str::to_string)
}

fn value(depth: u32) -> BoxedStrategy<Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        lexeme(),
        text().prop_map(Json::String),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => prop::collection::vec(value(depth - 1), 0..3).prop_map(Json::Array),
        1 => prop::collection::vec((prop::sample::select(vec!["k", "Key 2", "$kind", "id", "if", "é"]), value(depth - 1)), 0..3)
            .prop_map(|m| {
                let mut seen = Vec::new();
                Json::Object(m.into_iter().filter(|(k, _)| !seen.contains(k) && { seen.push(*k); true }).map(|(k, v)| (k.to_string(), v)).collect())
            }),
    ]
    .boxed()
}

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn element(depth: u32) -> BoxedStrategy<Json> {
    let action = (
        id(),
        prop::sample::select(vec!["noop", "http-request", "crm.lookup", ""]),
        prop::option::of(text()),
        value(2),
    )
        .prop_map(|(id, ty, name, input)| {
            let input = match input {
                Json::Object(_) => input,
                other => object(vec![("value", other)]),
            };
            let name = name.unwrap_or_else(|| id.clone());
            object(vec![
                ("$kind", Json::String("Action".into())),
                ("id", Json::String(id)),
                ("type", Json::String(ty.into())),
                ("name", Json::String(name)),
                ("input", input),
            ])
        });
    let raw = (id(), value(1)).prop_map(|(id, extra)| {
        object(vec![
            ("$kind", Json::String("Action".into())),
            ("id", Json::String(id)),
            ("extra", extra),
        ])
    });
    if depth == 0 {
        return prop_oneof![3 => action, 1 => raw].boxed();
    }
    let list = move || prop::collection::vec(element(depth - 1), 0..3).prop_map(Json::Array);
    let if_else = (
        id(),
        prop::sample::select(vec!["equals", "greater_than", "contains", "matches"]),
        value(1),
        value(1),
        list(),
        list(),
    )
        .prop_map(|(id, op, left, right, then, otherwise)| {
            let condition = object(vec![
                ("operatorName", Json::String(op.into())),
                ("left", left),
                ("right", right),
            ]);
            object(vec![
                ("$kind", Json::String("Block".into())),
                ("type", Json::String("if-else".into())),
                ("id", Json::String(id)),
                ("inputs", object(vec![("condition", condition)])),
                (
                    "branches",
                    object(vec![("then", then), ("else", otherwise)]),
                ),
            ])
        });
    let block = (
        id(),
        prop::sample::select(vec!["body", "empty", "for each"]),
        list(),
        value(1),
    )
        .prop_map(|(id, branch, items, input)| {
            object(vec![
                ("$kind", Json::String("Block".into())),
                ("type", Json::String("for-each".into())),
                ("id", Json::String(id)),
                ("inputs", object(vec![("items", input)])),
                ("branches", object(vec![(branch, items)])),
            ])
        });
    prop_oneof![3 => action, 2 => if_else, 1 => block, 1 => raw].boxed()
}

fn body() -> impl Strategy<Value = Json> {
    (
        text(),
        prop::sample::select(vec![
            "manual-trigger",
            "cron-trigger",
            "webhook",
            "tickt-created",
        ]),
        prop::collection::vec(element(3), 0..5),
        prop::option::of(text()),
        prop::option::of(value(2)),
        prop::option::of(prop_oneof![
            value(2),
            Just(object(vec![(
                "and",
                Json::Array(vec![
                    object(vec![("var", Json::String("a.b".into()))]),
                    Json::Bool(true)
                ])
            )])),
            Just(object(vec![(
                "!",
                Json::Array(vec![object(vec![(
                    "in",
                    Json::Array(vec![
                        Json::String("x".into()),
                        object(vec![("var", Json::String("t".into()))])
                    ])
                )])])
            )])),
        ]),
    )
        .prop_map(
            |(name, trigger, blocks, description, config, constraints)| {
                let mut members = vec![
                    ("name".to_string(), Json::String(name)),
                    ("trigger_type".to_string(), Json::String(trigger.into())),
                    ("workflow_blocks".to_string(), Json::Array(blocks)),
                ];
                if let Some(d) = description {
                    members.push(("description".into(), Json::String(d)));
                }
                if let Some(c) = config {
                    members.push(("trigger_configuration".into(), c));
                }
                if let Some(c) = constraints {
                    members.push(("trigger_constraints".into(), c));
                }
                Json::Object(members)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_F10C), ..ProptestConfig::default() })]

    #[test]
    fn generated_bodies_round_trip(body in body()) {
        let text = serde_json::to_string_pretty(&body).unwrap();
        let imported = import(&text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
        let checked = check_source(&imported.text, &Catalog::default());
        let built = checked.body().unwrap_or_else(|| panic!("{:?}\n{}", checked.diagnostics, imported.text));
        let built = json::parse(&built.to_pretty()).unwrap().to_json();
        prop_assert!(same_body(&built, &body), "{}\n{}\n{}", text, imported.text, built.get("workflow_blocks").map(|b| serde_json::to_string(b).unwrap()).unwrap_or_default());
        // The importer writes canonical text, which the formatter keeps.
        prop_assert_eq!(format_source(&imported.text).unwrap(), imported.text.clone());
        // Generated programs: comments and blank lines sprinkled in keep the guarantees.
        let sprinkled: String = imported.text.lines().enumerate().map(|(i, l)| match i % 4 {
            1 => format!("// note {i}\n{l}\n"),
            2 => format!("{l}\n\n"),
            _ => format!("{l}\n"),
        }).collect();
        if !imported.text.contains("\"\"\"") {
            prop_assert!(check_fmt("sprinkled", &sprinkled));
        }
    }
}
