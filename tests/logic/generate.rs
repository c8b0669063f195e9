//! Rules and data for the differential test, generated from a fixed seed:
//! SPEC §5's operations with their arities, nested, with vars into the
//! generated data, over strings, numbers, arrays, `null` and booleans.

use serde_json::{json, Map, Value};

/// SplitMix64: small, deterministic on every platform, and no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Scalars, with the edge cases of JavaScript's coercions: numeric strings,
/// zero, the empty string, fractions, negatives, words that look like
/// other types.
const SCALARS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "1",
    "-1",
    "2",
    "3",
    "10",
    "0.5",
    "-2.5",
    "100",
    "1e3",
    r#""""#,
    r#""0""#,
    r#""1""#,
    r#""2""#,
    r#""10""#,
    r#""1.5""#,
    r#""-1""#,
    r#""a""#,
    r#""b""#,
    r#""abc""#,
    r#""apple""#,
    r#"" ""#,
    r#""true""#,
    r#""null""#,
    r#""1,2""#,
    r#""ab""#,
    r#""0x10""#,
    r#"" 12 ""#,
    r#""Infinity""#,
    r#""-0""#,
    r#""1e3""#,
    r#""3abc""#,
    r#""é""#,
    "-0",
    "0.1",
    "1e21",
    "12345678901234567890",
    // Beyond f64's range: JSON.parse reads ±Infinity (README.md, "JSON Logic
    // semantics").
    "1e400",
    "-1e400",
];

/// The keys of the generated data: vars read these, and a few that are
/// never there. Deliberately none names a member that JavaScript objects,
/// arrays or strings inherit (`constructor`, `toString`, `__proto__`,
/// `indexOf`...): json-logic-js's `var` reads those (functions, which JSON
/// cannot hold), flowc reads them as missing (README.md, "JSON Logic
/// semantics"). `length`, which it does follow, is read below.
const KEYS: &[&str] = &["a", "b", "n", "s", "list", "obj", "empty", "zero", "flag"];
const MISSING: &[&str] = &["nope", "obj.nope", "nope.deeper", "a.b.c"];

fn scalar(rng: &mut Rng) -> Value {
    serde_json::from_str(rng.pick(SCALARS)).expect("the scalars are JSON")
}

/// A data value: mostly scalars, some arrays and objects.
fn datum(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(10) {
        0..=5 => scalar(rng),
        6 | 7 if depth > 0 => {
            let n = rng.below(4);
            Value::Array((0..n).map(|_| datum(rng, depth - 1)).collect())
        }
        8 if depth > 0 => {
            let mut object = Map::new();
            for key in ["x", "y"] {
                // Sometimes one key: a datum that `missing` applies as a rule.
                if rng.chance(70) {
                    object.insert(key.to_string(), datum(rng, depth - 1));
                }
            }
            Value::Object(object)
        }
        _ => Value::Array((0..rng.below(4)).map(|_| scalar(rng)).collect()),
    }
}

/// The data of one case: usually an object with the keys of [`KEYS`].
pub fn data(rng: &mut Rng) -> Value {
    if rng.chance(8) {
        return datum(rng, 2);
    }
    let mut object = Map::new();
    for key in KEYS {
        if rng.chance(85) {
            let value = match *key {
                "n" => serde_json::from_str(rng.pick(&["5", "2.5", "-3", "0", "12", "1e400"]))
                    .expect("JSON numbers"),
                "s" => Value::String(rng.pick(&["", "0", "hello", "42", "a.b"]).to_string()),
                "list" => Value::Array((0..rng.below(5)).map(|_| scalar(rng)).collect()),
                "obj" => json!({"x": datum(rng, 1), "y": [datum(rng, 0), datum(rng, 0)]}),
                "empty" => json!([]),
                "zero" => json!(0),
                "flag" => Value::Bool(rng.chance(50)),
                _ => datum(rng, 2),
            };
            object.insert(key.to_string(), value);
        }
    }
    Value::Object(object)
}

/// A path for `var`: a key, a nested path, an index, or one that is missing.
fn path(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0..=4 => Value::String(rng.pick(KEYS).to_string()),
        5 => Value::String(
            rng.pick(&[
                "obj.x",
                "obj.y",
                "obj.y.0",
                "obj.y.1",
                "list.0",
                "list.2",
                "b.x",
                "b.0",
                "list.length",
                "s.length",
                "s.1",
                "obj.01",
            ])
            .to_string(),
        ),
        6 => Value::String(rng.pick(MISSING).to_string()),
        7 => json!(rng.below(3)),
        8 => Value::String(String::new()),
        9 => Value::Null,
        _ => Value::String(rng.pick(KEYS).to_string()),
    }
}

/// `{"var": …}` in any of its written forms.
fn var(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(10) {
        0..=5 => json!({"var": path(rng)}),
        6 => json!({"var": [path(rng)]}),
        7 => json!({"var": [path(rng), scalar(rng)]}),
        8 => json!({"var": []}),
        _ if depth > 0 => json!({"var": [expr(rng, depth - 1)]}),
        _ => json!({"var": path(rng)}),
    }
}

/// A var inside `map`, `filter`, `all`, `none`, `some`: the item itself, or
/// a field of it.
fn item_var(rng: &mut Rng) -> Value {
    json!({"var": rng.pick(&["", "", "x", "y", "y.0"])})
}

/// An operation's arguments, `count` expressions.
fn args(rng: &mut Rng, depth: usize, count: usize) -> Vec<Value> {
    (0..count).map(|_| expr(rng, depth)).collect()
}

/// Something an iterating operation walks: usually an array.
fn array_source(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(6) {
        0 => json!({"var": rng.pick(&["list", "empty", "obj.y", "b", "a"])}),
        1 => json!({"var": "list"}),
        2 => Value::Array((0..rng.below(4)).map(|_| scalar(rng)).collect()),
        // Objects with one key would be operations: these have two.
        3 => json!([{"x": 1, "y": [3]}, {"x": 2, "y": []}, {"x": "a", "y": null}]),
        4 => json!({"merge": [{"var": "list"}, [1, 2]]}),
        _ => expr(rng, depth),
    }
}

/// An expression over an iterated item.
fn item_expr(rng: &mut Rng, depth: usize) -> Value {
    let item = item_var(rng);
    match rng.below(8) {
        0 | 1 => item,
        2 => json!({">": [item, expr_leaf(rng)]}),
        3 => json!({"==": [item, expr_leaf(rng)]}),
        4 => json!({"+": [item, 1]}),
        5 => json!({"!": [item]}),
        6 => json!({"cat": [item, "-"]}),
        _ => expr(rng, depth),
    }
}

fn expr_leaf(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0..=4 => scalar(rng),
        5..=8 => var(rng, 0),
        _ => Value::Array((0..rng.below(3)).map(|_| scalar(rng)).collect()),
    }
}

/// The operations of SPEC §5 with their arities (the least, the most; `None`
/// for any number).
const OPERATIONS: &[(&str, usize, Option<usize>)] = &[
    ("var", 0, Some(2)),
    ("missing", 0, None),
    ("missing_some", 2, Some(2)),
    ("if", 0, None),
    ("?:", 3, Some(3)),
    ("==", 2, Some(2)),
    ("===", 2, Some(2)),
    ("!=", 2, Some(2)),
    ("!==", 2, Some(2)),
    ("!", 1, Some(1)),
    ("!!", 1, Some(1)),
    ("and", 1, None),
    ("or", 1, None),
    (">", 2, Some(2)),
    (">=", 2, Some(2)),
    ("<", 2, Some(3)),
    ("<=", 2, Some(3)),
    ("max", 1, None),
    ("min", 1, None),
    ("+", 1, None),
    ("*", 1, None),
    ("-", 1, Some(2)),
    ("/", 2, Some(2)),
    ("%", 2, Some(2)),
    ("map", 2, Some(2)),
    ("filter", 2, Some(2)),
    ("all", 2, Some(2)),
    ("none", 2, Some(2)),
    ("some", 2, Some(2)),
    ("reduce", 2, Some(3)),
    ("merge", 0, None),
    ("in", 2, Some(2)),
    ("cat", 0, None),
    ("substr", 2, Some(3)),
    ("log", 1, Some(1)),
];

/// An expression at most `depth` operations deep.
pub fn expr(rng: &mut Rng, depth: usize) -> Value {
    if depth == 0 || rng.chance(25) {
        return expr_leaf(rng);
    }
    if rng.chance(2) {
        // json-logic-js throws on these, and flowc returns an error: names
        // it does not know, dotted ones, and inherited members of its table
        // of operations.
        let op = rng.pick(&["frobnicate", "var.x", "toString", "hasOwnProperty", "Var"]);
        return json!({ op: [expr_leaf(rng)] });
    }
    let (op, least, most) = rng.pick(OPERATIONS);
    let count = least + rng.below(most.unwrap_or(least + 3) - least + 1);
    let d = depth - 1;
    let values: Vec<Value> = match op {
        "var" => return var(rng, depth),
        "missing" => (0..count).map(|_| path(rng)).collect(),
        "missing_some" => vec![
            json!(rng.below(3)),
            Value::Array((0..rng.below(4)).map(|_| path(rng)).collect()),
        ],
        "map" | "filter" | "all" | "none" | "some" => vec![array_source(rng, d), item_expr(rng, d)],
        "reduce" => {
            let step = match rng.below(4) {
                0 => json!({"+": [{"var": "current"}, {"var": "accumulator"}]}),
                1 => json!({"*": [{"var": "current"}, {"var": "accumulator"}]}),
                2 => json!({"cat": [{"var": "accumulator"}, {"var": "current"}]}),
                _ => json!({"max": [{"var": "current"}, {"var": "accumulator"}]}),
            };
            let mut values = vec![array_source(rng, d), step];
            if count == 3 {
                values.push(expr_leaf(rng));
            }
            values
        }
        _ => args(rng, d, count),
    };
    // A single argument may be written without its array, as people do.
    if values.len() == 1 && !values[0].is_array() && rng.chance(30) {
        return json!({ op: values.into_iter().next() });
    }
    json!({ op: values })
}

/// `count` cases, `[rule, data]`, the same on every run.
pub fn cases(seed: u64, count: usize) -> Vec<(Value, Value)> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let depth = 1 + rng.below(3);
            (expr(&mut rng, depth), data(&mut rng))
        })
        .collect()
}
