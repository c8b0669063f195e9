//! SPEC §15's model of a run: the trigger's constraints over the event, then
//! the blocks in order, each rendered against the event and the outputs of
//! the steps that ran before it.

use super::plan::{Node, Part, Plan, Reference, Template};
use crate::span::Span;
use serde_json::Value;

/// What one case gives the model.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub event: Value,
    /// `output ID V`, by step id.
    pub outputs: Vec<(String, Value)>,
    /// `choose ID NAME`, by block id.
    pub choices: Vec<(String, String)>,
}

/// One thing that happened in a run, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The trigger's constraints and what they gave (`None`: the body has none).
    Trigger { result: Option<Value>, fires: bool },
    Step {
        id: String,
        ty: String,
        input: Value,
        span: Span,
    },
    Condition {
        id: String,
        operator: String,
        left: Value,
        right: Value,
        outcome: bool,
        span: Span,
        point: usize,
    },
    Block {
        id: String,
        branch: String,
        span: Span,
        point: usize,
        /// The branch's index among the block's branches.
        index: usize,
    },
}

/// Why a run stopped before its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub message: String,
    /// The element of the `.flow` file where it stopped.
    pub span: Span,
}

/// A run: what happened, and where it stopped if it did.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub fired: bool,
    pub trace: Vec<Event>,
    pub stop: Option<Stop>,
}

impl Run {
    /// The steps that ran, in order.
    pub fn ran(&self) -> impl Iterator<Item = &str> {
        self.trace.iter().filter_map(|e| match e {
            Event::Step { id, .. } => Some(id.as_str()),
            _ => None,
        })
    }

    /// The input step `id` ran with, if it ran.
    pub fn input(&self, id: &str) -> Option<&Value> {
        self.trace.iter().find_map(|e| match e {
            Event::Step { id: i, input, .. } if i == id => Some(input),
            _ => None,
        })
    }

    /// The branch the if or block `id` took, if it ran.
    pub fn branch(&self, id: &str) -> Option<&str> {
        self.trace.iter().find_map(|e| match e {
            Event::Condition { id: i, outcome, .. } if i == id => {
                Some(if *outcome { "then" } else { "else" })
            }
            Event::Block { id: i, branch, .. } if i == id => Some(branch.as_str()),
            _ => None,
        })
    }

    /// Whether the step, if or block `id` ran.
    pub fn reached(&self, id: &str) -> bool {
        self.trace.iter().any(|e| match e {
            Event::Step { id: i, .. }
            | Event::Condition { id: i, .. }
            | Event::Block { id: i, .. } => i == id,
            Event::Trigger { .. } => false,
        })
    }
}

/// Runs `plan` on what a case gives.
pub fn run(plan: &Plan, given: &Given) -> Run {
    let mut state = State {
        plan,
        given,
        outputs: Vec::new(),
        run: Run::default(),
    };
    let fires = match &plan.constraints {
        None => Ok((None, true)),
        Some(rule) => match crate::logic::apply(rule, &given.event) {
            Ok(result) => {
                let fires = crate::logic::truthy(&result);
                Ok((Some(result), fires))
            }
            Err(err) => Err(format!(
                "the trigger's constraints could not be evaluated: {err}"
            )),
        },
    };
    match fires {
        Ok((result, fires)) => {
            state.run.fired = fires;
            state.run.trace.push(Event::Trigger { result, fires });
            if fires {
                if let Err(stop) = state.nodes(&plan.nodes) {
                    state.run.stop = Some(stop);
                }
            }
        }
        Err(message) => {
            state.run.stop = Some(Stop {
                message,
                span: Span::DETACHED,
            })
        }
    }
    state.run
}

struct State<'a> {
    plan: &'a Plan,
    given: &'a Given,
    /// The steps that ran, with their outputs.
    outputs: Vec<(&'a str, &'a Value)>,
    run: Run,
}

/// The output of a step the case gives none for.
static EMPTY: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| Value::Object(serde_json::Map::new()));

impl<'a> State<'a> {
    fn nodes(&mut self, nodes: &'a [Node]) -> Result<(), Stop> {
        for node in nodes {
            self.node(node)?;
        }
        Ok(())
    }

    fn node(&mut self, node: &'a Node) -> Result<(), Stop> {
        match node {
            Node::Action {
                id,
                ty,
                input,
                span,
            } => {
                let input = self
                    .render(input)
                    .map_err(|m| stop(format!("step `{id}`: {m}"), *span))?;
                self.run.trace.push(Event::Step {
                    id: id.clone(),
                    ty: ty.clone(),
                    input,
                    span: *span,
                });
                let output = self
                    .given
                    .outputs
                    .iter()
                    .find(|(i, _)| i == id)
                    .map_or(&*EMPTY, |(_, v)| v);
                self.outputs.push((id, output));
                Ok(())
            }
            Node::If {
                id,
                operator,
                left,
                right,
                then,
                otherwise,
                point,
                span,
            } => {
                let rendered = |state: &Self, t: &Template| {
                    state
                        .render(t)
                        .map_err(|m| stop(format!("`{id}`'s condition: {m}"), *span))
                };
                let l = rendered(self, left)?;
                let r = rendered(self, right)?;
                let outcome = apply_operator(operator, &l, &r)
                    .map_err(|m| stop(format!("`{id}`'s condition: {m}"), *span))?;
                self.run.trace.push(Event::Condition {
                    id: id.clone(),
                    operator: operator.clone(),
                    left: l,
                    right: r,
                    outcome,
                    span: *span,
                    point: *point,
                });
                self.nodes(if outcome { then } else { otherwise })
            }
            Node::Block {
                id,
                ty,
                branches,
                point,
                span,
            } => {
                let Some((_, choice)) = self.given.choices.iter().find(|(i, _)| i == id) else {
                    return Err(stop(
                        format!(
                            "block `{id}` (`{ty}`): the model cannot tell which branch it takes; \
                             say it in the case with `choose {id} BRANCH`"
                        ),
                        *span,
                    ));
                };
                let Some(index) = branches.iter().position(|(name, _)| name == choice) else {
                    return Err(stop(
                        format!("block `{id}` has no branch `{choice}`"),
                        *span,
                    ));
                };
                self.run.trace.push(Event::Block {
                    id: id.clone(),
                    branch: choice.clone(),
                    span: *span,
                    point: *point,
                    index,
                });
                self.nodes(&branches[index].1)
            }
            Node::Unknown { what, span } => Err(stop(
                format!("{what}: the model does not know how it runs"),
                *span,
            )),
        }
    }

    fn render(&self, t: &Template) -> Result<Value, String> {
        Ok(match t {
            Template::Literal(v) => v.clone(),
            Template::Whole(r) => self.resolve(r)?.clone(),
            Template::Text(parts) => {
                let mut s = String::new();
                for part in parts {
                    match part {
                        Part::Text(t) => s.push_str(t),
                        Part::Ref(r) => match self.resolve(r)? {
                            Value::String(v) => s.push_str(v),
                            other => s.push_str(&other.to_string()),
                        },
                    }
                }
                Value::String(s)
            }
            Template::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for (k, v) in members {
                    map.insert(k.clone(), self.render(v)?);
                }
                Value::Object(map)
            }
            Template::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.render(v))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// The value a reference reads: a step's output, or the event.
    fn resolve(&self, r: &Reference) -> Result<&'a Value, String> {
        let root = r.segments[0].as_str();
        if self.plan.is_step(root) {
            let Some((_, output)) = self.outputs.iter().find(|(id, _)| *id == root) else {
                return Err(format!(
                    "`{{{{{}}}}}` reads step `{root}`, which did not run before it",
                    r.path()
                ));
            };
            if r.segments.get(1).map(String::as_str) != Some("output") {
                return Err(format!(
                    "`{{{{{}}}}}` reads step `{root}` without `.output`",
                    r.path()
                ));
            }
            return walk(output, &r.segments, 2, r);
        }
        walk(&self.given.event, &r.segments, 0, r)
    }
}

fn stop(message: String, span: Span) -> Stop {
    Stop { message, span }
}

/// Follows `segments[from..]` into `value`.
fn walk<'v>(
    mut value: &'v Value,
    segments: &[String],
    from: usize,
    r: &Reference,
) -> Result<&'v Value, String> {
    for (i, seg) in segments.iter().enumerate().skip(from) {
        let next = match value {
            Value::Object(map) => map.get(seg.as_str()),
            Value::Array(items) => seg.parse::<usize>().ok().and_then(|n| items.get(n)),
            _ => None,
        };
        let Some(next) = next else {
            let at = segments[..i].join(".");
            let (whose, there) = if i == 0 {
                ("the event".to_string(), fields(value))
            } else {
                (format!("`{at}`"), fields(value))
            };
            let source = if from == 0 {
                " (the case's `event`)"
            } else {
                " (the step's `output` in the case)"
            };
            return Err(format!(
                "`{{{{{}}}}}`: {whose}{} has no `{seg}`; {there}",
                r.path(),
                if i == from { source } else { "" }
            ));
        };
        value = next;
    }
    Ok(value)
}

/// What a value offers to a path, for a message.
fn fields(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "it is `{}`".to_string(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(12).map(|k| format!("`{k}`")).collect();
            let more = if map.len() > 12 { ", …" } else { "" };
            format!("it has {}{more}", keys.join(", "))
        }
        Value::Array(items) => format!("it is a list of {} items", items.len()),
        other => format!("it is {}", describe(other)),
    }
}

/// A value, named for a message: its kind and its compact JSON.
pub fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => return "`null`".to_string(),
        Value::Bool(_) => "the boolean",
        Value::Number(_) => "the number",
        Value::String(_) => "the string",
        Value::Array(_) => "the list",
        Value::Object(_) => "the object",
    };
    format!(
        "{kind} `{}`",
        crate::diagnostic::shorten(&value.to_string(), 60)
    )
}

/// JSON equality with numbers compared by value (`1.0` equals `1`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_eq(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k.as_str()).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn number_eq(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    // Integers exactly, whatever their size; anything else as a double.
    let (sx, sy) = (x.to_string(), y.to_string());
    let integer = |s: &str| !s.contains(['.', 'e', 'E']);
    if integer(&sx) && integer(&sy) {
        return sx.trim_start_matches('-') == sy.trim_start_matches('-')
            && (sx.starts_with('-') == sy.starts_with('-') || sx.trim_start_matches('-') == "0");
    }
    match (x.as_f64(), y.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => sx == sy,
    }
}

/// A number, or a string that is one, as a double.
fn numeric(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty())
                .then(|| t.parse::<f64>().ok())
                .flatten()
                .filter(|f| f.is_finite())
        }
        _ => None,
    }
}

/// The ten operators of SPEC §15; any other has no semantics.
pub fn apply_operator(operator: &str, left: &Value, right: &Value) -> Result<bool, String> {
    let compare = |f: fn(f64, f64) -> bool| match (numeric(left), numeric(right)) {
        (Some(l), Some(r)) => Ok(f(l, r)),
        _ => Err(format!(
            "`{operator}` compares numbers (or strings that are numbers), not {} and {}",
            describe(left),
            describe(right)
        )),
    };
    let strings = |f: fn(&str, &str) -> bool| match (left, right) {
        (Value::String(l), Value::String(r)) => Ok(f(l, r)),
        _ => Err(format!(
            "`{operator}` takes two strings, not {} and {}",
            describe(left),
            describe(right)
        )),
    };
    let contains = || match (left, right) {
        (Value::String(l), Value::String(r)) => Ok(l.contains(r.as_str())),
        (Value::Array(items), _) => Ok(items.iter().any(|item| json_eq(item, right))),
        _ => Err(format!(
            "`{operator}` looks for a string in a string or an item in a list, not {} in {}",
            describe(right),
            describe(left)
        )),
    };
    match operator {
        "equals" => Ok(json_eq(left, right)),
        "not_equals" => Ok(!json_eq(left, right)),
        "greater_than" => compare(|l, r| l > r),
        "greater_than_or_equals" => compare(|l, r| l >= r),
        "less_than" => compare(|l, r| l < r),
        "less_than_or_equals" => compare(|l, r| l <= r),
        "contains" => contains(),
        "not_contains" => contains().map(|b| !b),
        "starts_with" => strings(|l, r| l.starts_with(r)),
        "ends_with" => strings(|l, r| l.ends_with(r)),
        other => Err(format!(
            "the operator `{other}` has no semantics in flowc's model \
             (it knows equals, not_equals, greater_than, greater_than_or_equals, less_than, \
             less_than_or_equals, contains, not_contains, starts_with and ends_with)"
        )),
    }
}

/// Where `actual` fails to match `expected` (objects on `expected`'s keys,
/// recursively; arrays and scalars exactly), as a message.
pub fn mismatch(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    let at = |p: &str| match p {
        "" => String::new(),
        p => format!(" at `{p}`"),
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().find_map(|(k, v)| {
            let sub = match path {
                "" => k.clone(),
                p => format!("{p}.{k}"),
            };
            match a.get(k.as_str()) {
                Some(w) => mismatch(v, w, &sub),
                None => Some(format!(
                    "no `{k}`{} (expected {}); {}",
                    at(path),
                    describe(v),
                    fields(actual)
                )),
            }
        }),
        _ if json_eq(expected, actual) => None,
        _ => Some(format!(
            "{}expected {}, got {}",
            match at(path) {
                s if s.is_empty() => String::new(),
                s => format!("{}: ", s.trim_start()),
            },
            describe(expected),
            describe(actual)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_eq(&v("1"), &v("1.0")));
        assert!(json_eq(&v("1e3"), &v("1000")));
        assert!(json_eq(&v("-0"), &v("0")));
        assert!(!json_eq(&v("1"), &v("-1")));
        assert!(json_eq(
            &v("123456789012345678901234567890"),
            &v("123456789012345678901234567890")
        ));
        assert!(!json_eq(
            &v("123456789012345678901234567890"),
            &v("123456789012345678901234567891")
        ));
        assert!(json_eq(&v(r#"{"a":[1,2]}"#), &v(r#"{"a":[1.0,2]}"#)));
        assert!(!json_eq(&v(r#""1""#), &v("1")));
    }

    #[test]
    fn the_ten_operators() {
        let op = |o: &str, l: &str, r: &str| apply_operator(o, &v(l), &v(r));
        assert_eq!(op("equals", "200", "200.0"), Ok(true));
        assert_eq!(op("not_equals", r#""a""#, r#""b""#), Ok(true));
        assert_eq!(op("greater_than", r#""10""#, "9"), Ok(true));
        assert_eq!(op("less_than_or_equals", "3", "3"), Ok(true));
        assert!(op("less_than", r#""ten""#, "9")
            .unwrap_err()
            .contains("compares numbers"));
        assert_eq!(op("contains", r#""hello world""#, r#""lo w""#), Ok(true));
        assert_eq!(op("contains", r#"["a", 1]"#, "1.0"), Ok(true));
        assert_eq!(op("not_contains", r#"["a"]"#, r#""b""#), Ok(true));
        assert!(op("contains", "1", "1").is_err());
        assert_eq!(op("starts_with", r#""refund: x""#, r#""refund""#), Ok(true));
        assert_eq!(op("ends_with", r#""a.pdf""#, r#"".png""#), Ok(false));
        assert!(op("matches_regex", r#""a""#, r#""a""#)
            .unwrap_err()
            .contains("no semantics"));
    }

    #[test]
    fn inputs_match_on_the_expected_keys() {
        let actual = json!({"team": "priority", "note": {"owner": "ana", "plan": "x"}, "n": 2});
        assert_eq!(mismatch(&json!({"team": "priority"}), &actual, ""), None);
        assert_eq!(
            mismatch(&json!({"note": {"owner": "ana"}}), &actual, ""),
            None
        );
        assert_eq!(mismatch(&v(r#"{"n": 2.0}"#), &actual, ""), None);
        assert_eq!(
            mismatch(&json!({"note": {"owner": "bo"}}), &actual, "").unwrap(),
            "at `note.owner`: expected the string `\"bo\"`, got the string `\"ana\"`"
        );
        assert_eq!(
            mismatch(&json!({"queue": 1}), &actual, "").unwrap(),
            "no `queue` (expected the number `1`); it has `team`, `note`, `n`"
        );
        assert!(mismatch(&json!([1]), &json!([1, 2]), "").is_some());
    }
}
