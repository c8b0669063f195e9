//! JSON Logic evaluation, with the semantics of json-logic-js, the reference
//! implementation: what `flowc test` (SPEC §15) runs `trigger_constraints` with.
//!
//! No JSON Logic library on crates.io matched the reference (README.md, "JSON
//! Logic semantics"; the measurements are in the commit that added this
//! module), so this module follows json-logic-js's `logic.js` operation by
//! operation, on a model of JavaScript's values: numbers are `f64`, arrays
//! and objects are shared references (so `===` on two of them is identity, as
//! in JavaScript), and `undefined` exists inside an evaluation. Coercions are
//! ECMAScript's: `ToNumber`, `ToString`, `==`, `<`, `parseFloat`.

use std::fmt;
use std::rc::Rc;

use serde_json::{Map, Number, Value};

/// Why a rule could not be evaluated (unknown operation, bad arguments...),
/// with a message a user can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Evaluates the JSON Logic `rule` over `data`, with the semantics of
/// json-logic-js (the reference implementation).
///
/// Numbers are read as JavaScript reads them (the nearest `f64`; beyond its
/// range, ±Infinity). In the result, `NaN` and `undefined` become `null` (as
/// `JSON.stringify` writes them) and ±Infinity becomes `1e+400` / `-1e+400`,
/// which read back as ±Infinity and keep its truthiness.
///
/// ```
/// use serde_json::json;
/// let rule = json!({"and": [{">": [{"var": "ticket.priority"}, 2]}, {"in": ["vip", {"var": "tags"}]}]});
/// let data = json!({"ticket": {"priority": 3}, "tags": ["vip"]});
/// assert_eq!(flowc::logic::apply(&rule, &data), Ok(json!(true)));
/// assert!(flowc::logic::apply(&json!({"frobnicate": []}), &data).is_err());
/// ```
pub fn apply(rule: &Value, data: &Value) -> Result<Value, Error> {
    let result = eval(&Js::from_json(rule), &Js::from_json(data))?;
    Ok(result.to_json())
}

/// JsonLogic's truthiness: `false`, `null`, `0`, `""` and `[]` are false;
/// everything else (including `{}` and `"0"`) is true.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => number_of(n) != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(_) => true,
    }
}

/// A JavaScript value, as far as JSON Logic can make one.
#[derive(Debug, Clone)]
enum Js {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Vec<Js>>),
    Obj(Rc<Vec<(String, Js)>>),
}

/// A number's value: its lexeme read as JavaScript's `JSON.parse` reads it.
fn number_of(n: &Number) -> f64 {
    // With serde_json's `arbitrary_precision`, `Display` is the lexeme, and a
    // lexeme beyond f64's range parses to ±Infinity, as in JavaScript.
    n.to_string().parse().unwrap_or(f64::NAN)
}

impl Js {
    fn from_json(value: &Value) -> Js {
        match value {
            Value::Null => Js::Null,
            Value::Bool(b) => Js::Bool(*b),
            Value::Number(n) => Js::Num(number_of(n)),
            Value::String(s) => Js::Str(s.as_str().into()),
            Value::Array(items) => Js::Arr(Rc::new(items.iter().map(Js::from_json).collect())),
            Value::Object(map) => Js::Obj(Rc::new(
                map.iter()
                    .map(|(k, v)| (k.clone(), Js::from_json(v)))
                    .collect(),
            )),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Js::Undefined | Js::Null => Value::Null,
            Js::Bool(b) => Value::Bool(*b),
            Js::Num(n) if n.is_nan() => Value::Null,
            Js::Num(n) if n.is_infinite() => {
                let text = if *n > 0.0 { "1e400" } else { "-1e400" };
                Value::Number(text.parse().expect("1e400 is a JSON number"))
            }
            Js::Num(n) => Value::Number(
                number_to_string(*n)
                    .parse()
                    .expect("a finite number's text is a JSON number"),
            ),
            Js::Str(s) => Value::String(s.to_string()),
            // JSON.stringify writes `undefined` in an array as null.
            Js::Arr(items) => Value::Array(items.iter().map(Js::to_json).collect()),
            Js::Obj(entries) => {
                let mut map = Map::new();
                for (k, v) in entries.iter() {
                    // ...and leaves an `undefined` member out.
                    if !matches!(v, Js::Undefined) {
                        map.insert(k.clone(), v.to_json());
                    }
                }
                Value::Object(map)
            }
        }
    }

    fn str(s: impl Into<Rc<str>>) -> Js {
        Js::Str(s.into())
    }

    fn is_nullish(&self) -> bool {
        matches!(self, Js::Undefined | Js::Null)
    }

    /// `typeof`, for the comparisons that ask whether two types are the same.
    fn kind(&self) -> u8 {
        match self {
            Js::Undefined => 0,
            Js::Null => 1,
            Js::Bool(_) => 2,
            Js::Num(_) => 3,
            Js::Str(_) => 4,
            Js::Arr(_) | Js::Obj(_) => 5,
        }
    }

    /// The one key of an object with exactly one: a JSON Logic operation.
    fn as_logic(&self) -> Option<(&str, &Js)> {
        match self {
            Js::Obj(entries) if entries.len() == 1 => Some((&entries[0].0, &entries[0].1)),
            _ => None,
        }
    }

    /// `value.length` for arrays and strings (UTF-16 code units).
    fn length(&self) -> Option<usize> {
        match self {
            Js::Arr(items) => Some(items.len()),
            Js::Str(s) => Some(s.encode_utf16().count()),
            _ => None,
        }
    }

    /// `value[key]`: own properties, array and string indexes and `length`.
    /// Other inherited members (`constructor`, `toString`...) are not
    /// modelled and read as missing (README.md, "JSON Logic semantics").
    fn get(&self, key: &str) -> Js {
        match self {
            Js::Obj(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map_or(Js::Undefined, |(_, v)| v.clone()),
            Js::Arr(items) => match key {
                "length" => Js::Num(items.len() as f64),
                _ => array_index(key)
                    .and_then(|i| items.get(i).cloned())
                    .unwrap_or(Js::Undefined),
            },
            Js::Str(s) => match key {
                "length" => Js::Num(s.encode_utf16().count() as f64),
                _ => array_index(key)
                    .and_then(|i| s.encode_utf16().nth(i))
                    .map_or(Js::Undefined, |unit| {
                        Js::str(String::from_utf16_lossy(&[unit]))
                    }),
            },
            _ => Js::Undefined,
        }
    }
}

/// A canonical array index (`"0"`, `"12"`, not `"01"` or `"-0"`).
fn array_index(key: &str) -> Option<usize> {
    let canonical =
        key == "0" || (!key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit()));
    if canonical && !key.is_empty() {
        key.parse().ok()
    } else {
        None
    }
}

/// JsonLogic's truthiness, on JavaScript values: JavaScript's, except that
/// `[]` is false.
fn js_truthy(value: &Js) -> bool {
    match value {
        Js::Undefined | Js::Null => false,
        Js::Bool(b) => *b,
        Js::Num(n) => *n != 0.0 && !n.is_nan(),
        Js::Str(s) => !s.is_empty(),
        Js::Arr(items) => !items.is_empty(),
        Js::Obj(_) => true,
    }
}

/// ECMAScript's Number::toString: the shortest digits that read back, in
/// plain notation from 1e-7 up to 1e21 and in exponent notation outside.
fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-7".
    let formatted = format!("{n:e}");
    let (mantissa, exponent) = formatted.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}`'s exponent is an integer");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    // The value is 0.DIGITS × 10^point.
    let point = exponent + 1;
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let sign = if point - 1 < 0 { '-' } else { '+' };
        let e = (point - 1).abs();
        if k == 1 {
            format!("{digits}e{sign}{e}")
        } else {
            format!("{}.{}e{sign}{e}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{body}")
}

/// ECMAScript's ToString.
fn to_string(value: &Js) -> String {
    match value {
        Js::Undefined => "undefined".into(),
        Js::Null => "null".into(),
        Js::Bool(b) => b.to_string(),
        Js::Num(n) => number_to_string(*n),
        Js::Str(s) => s.to_string(),
        Js::Arr(items) => join(items, ","),
        Js::Obj(_) => "[object Object]".into(),
    }
}

/// `Array.prototype.join`: `null` and `undefined` items are empty.
fn join(items: &[Js], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        if !item.is_nullish() {
            out.push_str(&to_string(item));
        }
    }
    out
}

/// JavaScript's white space and line terminators, which `Number(text)` and
/// `parseFloat` skip.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
            | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// The length of the longest prefix of `text` that is a decimal literal
/// (`StrUnsignedDecimalLiteral` with an optional sign), 0 if none.
fn decimal_prefix(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    if text[i..].starts_with("Infinity") {
        return i + "Infinity".len();
    }
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let whole = digits(i);
    let mut end = i + whole;
    let mut fraction = 0;
    if bytes.get(end) == Some(&b'.') {
        fraction = digits(end + 1);
        if whole > 0 || fraction > 0 {
            end += 1 + fraction;
        }
    }
    if whole == 0 && fraction == 0 {
        return 0;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exponent = digits(j);
        if exponent > 0 {
            end = j + exponent;
        }
    }
    end
}

/// Reads a decimal literal that [`decimal_prefix`] accepted.
fn parse_decimal(literal: &str) -> f64 {
    let (negative, unsigned) = match literal.as_bytes().first() {
        Some(b'-') => (true, &literal[1..]),
        Some(b'+') => (false, &literal[1..]),
        _ => (false, literal),
    };
    let magnitude = if unsigned == "Infinity" {
        f64::INFINITY
    } else {
        // Rust reads "1.", ".5" and "1e5" as JavaScript does.
        unsigned.parse().unwrap_or(f64::NAN)
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// `Number(text)`: the whole trimmed text as a numeric literal, or NaN.
fn string_to_number(text: &str) -> f64 {
    let text = text.trim_matches(is_js_space);
    if text.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = text.strip_prefix(prefix) {
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return f64::NAN;
            }
            return digits.chars().fold(0.0, |n, c| {
                n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            });
        }
    }
    if decimal_prefix(text) == text.len() {
        parse_decimal(text)
    } else {
        f64::NAN
    }
}

/// ECMAScript's ToNumber.
fn to_number(value: &Js) -> f64 {
    match value {
        Js::Undefined => f64::NAN,
        Js::Null => 0.0,
        Js::Bool(b) => f64::from(u8::from(*b)),
        Js::Num(n) => *n,
        Js::Str(s) => string_to_number(s),
        Js::Arr(_) | Js::Obj(_) => string_to_number(&to_string(value)),
    }
}

/// `parseFloat(value)`: the longest decimal prefix of its text, or NaN.
fn parse_float(value: &Js) -> f64 {
    let text = to_string(value);
    let text = text.trim_start_matches(is_js_space);
    match decimal_prefix(text) {
        0 => f64::NAN,
        end => parse_decimal(&text[..end]),
    }
}

/// ToPrimitive: arrays and objects become their text; the rest stay.
fn to_primitive(value: &Js) -> Js {
    match value {
        Js::Arr(_) | Js::Obj(_) => Js::str(to_string(value)),
        other => other.clone(),
    }
}

/// `a === b`: same type and value; arrays and objects by identity.
fn strict_equals(a: &Js, b: &Js) -> bool {
    match (a, b) {
        (Js::Undefined, Js::Undefined) | (Js::Null, Js::Null) => true,
        (Js::Bool(x), Js::Bool(y)) => x == y,
        (Js::Num(x), Js::Num(y)) => x == y,
        (Js::Str(x), Js::Str(y)) => x == y,
        (Js::Arr(x), Js::Arr(y)) => Rc::ptr_eq(x, y),
        (Js::Obj(x), Js::Obj(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// `a == b`: ECMAScript's IsLooselyEqual.
fn loose_equals(a: &Js, b: &Js) -> bool {
    if a.kind() == b.kind() {
        return strict_equals(a, b);
    }
    match (a, b) {
        (x, y) if x.is_nullish() || y.is_nullish() => x.is_nullish() && y.is_nullish(),
        (Js::Num(x), Js::Str(_)) => *x == to_number(b),
        (Js::Str(_), Js::Num(y)) => to_number(a) == *y,
        (Js::Bool(_), _) => loose_equals(&Js::Num(to_number(a)), b),
        (_, Js::Bool(_)) => loose_equals(a, &Js::Num(to_number(b))),
        (Js::Arr(_) | Js::Obj(_), _) => loose_equals(&to_primitive(a), b),
        (_, Js::Arr(_) | Js::Obj(_)) => loose_equals(a, &to_primitive(b)),
        _ => false,
    }
}

/// `a < b`, ECMAScript's IsLessThan: `None` where JavaScript's answer is
/// `undefined` (a NaN), which every comparison takes as false.
fn less_than(a: &Js, b: &Js) -> Option<bool> {
    let (a, b) = (to_primitive(a), to_primitive(b));
    if let (Js::Str(x), Js::Str(y)) = (&a, &b) {
        // Strings compare by UTF-16 code units.
        return Some(x.encode_utf16().lt(y.encode_utf16()));
    }
    let (x, y) = (to_number(&a), to_number(&b));
    if x.is_nan() || y.is_nan() {
        None
    } else {
        Some(x < y)
    }
}

fn lt(a: &Js, b: &Js) -> bool {
    less_than(a, b) == Some(true)
}

fn le(a: &Js, b: &Js) -> bool {
    less_than(b, a) == Some(false)
}

/// ToIntegerOrInfinity, for `substr`.
fn to_integer(value: &Js) -> f64 {
    let n = to_number(value);
    if n.is_nan() {
        0.0
    } else {
        n.trunc()
    }
}

/// `String.prototype.substr(start, length)`, on UTF-16 code units.
fn substr(units: &[u16], start: &Js, length: &Js) -> Vec<u16> {
    let size = units.len() as f64;
    let mut start = to_integer(start);
    if start < 0.0 {
        start = (size + start).max(0.0);
    }
    let start = start.min(size);
    let length = match length {
        Js::Undefined => size,
        other => to_integer(other),
    };
    let end = (start + length.max(0.0)).min(size);
    if end <= start {
        return Vec::new();
    }
    units[start as usize..end as usize].to_vec()
}

/// The arguments of an operation, `undefined` past their end.
struct Args(Vec<Js>);

impl Args {
    fn get(&self, i: usize) -> &Js {
        self.0.get(i).unwrap_or(&Js::Undefined)
    }
}

/// An operation's values as written: `{"op": x}` is `{"op": [x]}`.
fn values_of(values: &Js) -> Vec<Js> {
    match values {
        Js::Arr(items) => items.as_ref().clone(),
        other => vec![other.clone()],
    }
}

/// `jsonLogic.apply(logic, data)`.
fn eval(logic: &Js, data: &Js) -> Result<Js, Error> {
    if let Js::Arr(items) = logic {
        let items = items
            .iter()
            .map(|item| eval(item, data))
            .collect::<Result<_, _>>()?;
        return Ok(Js::Arr(Rc::new(items)));
    }
    let Some((op, values)) = logic.as_logic() else {
        return Ok(logic.clone());
    };
    let values = values_of(values);
    let value = |i: usize| values.get(i).unwrap_or(&Js::Undefined);
    match op {
        "if" | "?:" => {
            let mut i = 0;
            while i + 1 < values.len() {
                if js_truthy(&eval(&values[i], data)?) {
                    return eval(&values[i + 1], data);
                }
                i += 2;
            }
            if values.len() == i + 1 {
                return eval(&values[i], data);
            }
            Ok(Js::Null)
        }
        "and" | "or" => {
            let mut current = Js::Undefined;
            for v in &values {
                current = eval(v, data)?;
                if js_truthy(&current) == (op == "or") {
                    return Ok(current);
                }
            }
            Ok(current)
        }
        "filter" | "map" | "all" | "none" | "some" => {
            let scoped = eval(value(0), data)?;
            let logic = value(1);
            let Js::Arr(items) = scoped else {
                return Ok(match op {
                    "filter" | "map" => Js::Arr(Rc::new(Vec::new())),
                    "none" => Js::Bool(true),
                    _ => Js::Bool(false),
                });
            };
            match op {
                "filter" => {
                    let mut kept = Vec::new();
                    for item in items.iter() {
                        if js_truthy(&eval(logic, item)?) {
                            kept.push(item.clone());
                        }
                    }
                    Ok(Js::Arr(Rc::new(kept)))
                }
                "map" => {
                    let mapped = items
                        .iter()
                        .map(|item| eval(logic, item))
                        .collect::<Result<_, _>>()?;
                    Ok(Js::Arr(Rc::new(mapped)))
                }
                _ if items.is_empty() => Ok(Js::Bool(op == "none")),
                // `all` stops at the first falsy; `none` and `some` at the first truthy.
                _ => {
                    for item in items.iter() {
                        let t = js_truthy(&eval(logic, item)?);
                        if t != (op == "all") {
                            return Ok(Js::Bool(op == "some"));
                        }
                    }
                    Ok(Js::Bool(op != "some"))
                }
            }
        }
        "reduce" => {
            let scoped = eval(value(0), data)?;
            let logic = value(1);
            let initial = match value(2) {
                Js::Undefined => Js::Null,
                v => eval(v, data)?,
            };
            let Js::Arr(items) = scoped else {
                return Ok(initial);
            };
            let mut accumulator = initial;
            for item in items.iter() {
                let scope = Js::Obj(Rc::new(vec![
                    ("current".to_string(), item.clone()),
                    ("accumulator".to_string(), accumulator),
                ]));
                accumulator = eval(logic, &scope)?;
            }
            Ok(accumulator)
        }
        _ => {
            let args = Args(
                values
                    .iter()
                    .map(|v| eval(v, data))
                    .collect::<Result<_, _>>()?,
            );
            operation(op, &args, data)
        }
    }
}

/// The operations that take their arguments evaluated.
fn operation(op: &str, args: &Args, data: &Js) -> Result<Js, Error> {
    let (a, b, c) = (args.get(0), args.get(1), args.get(2));
    let all = &args.0;
    Ok(match op {
        "==" => Js::Bool(loose_equals(a, b)),
        "===" => Js::Bool(strict_equals(a, b)),
        "!=" => Js::Bool(!loose_equals(a, b)),
        "!==" => Js::Bool(!strict_equals(a, b)),
        ">" => Js::Bool(lt(b, a)),
        ">=" => Js::Bool(le(b, a)),
        "<" | "<=" => {
            let cmp = if op == "<" { lt } else { le };
            match c {
                Js::Undefined => Js::Bool(cmp(a, b)),
                _ => Js::Bool(cmp(a, b) && cmp(b, c)),
            }
        }
        "!!" => Js::Bool(js_truthy(a)),
        "!" => Js::Bool(!js_truthy(a)),
        "%" => Js::Num(to_number(a) % to_number(b)),
        // json-logic-js also prints it with console.log; a library never prints.
        "log" => a.clone(),
        "in" => match b {
            Js::Str(haystack) if !haystack.is_empty() => {
                Js::Bool(haystack.contains(&*to_string(a)))
            }
            Js::Arr(items) => Js::Bool(items.iter().any(|item| strict_equals(item, a))),
            _ => Js::Bool(false),
        },
        "cat" => Js::str(join(all, "")),
        "substr" => {
            let source: Vec<u16> = to_string(a).encode_utf16().collect();
            let units = if lt(c, &Js::Num(0.0)) {
                // Emulates PHP's negative length: drop that many from the end.
                // `temp.length + end` is JavaScript's `+`, which joins text
                // when `end` is not a number.
                let temp = substr(&source, b, &Js::Undefined);
                let length = match c {
                    Js::Num(n) => Js::Num(temp.len() as f64 + n),
                    other => Js::str(format!("{}{}", temp.len(), to_string(&to_primitive(other)))),
                };
                substr(&temp, &Js::Num(0.0), &length)
            } else {
                substr(&source, b, c)
            };
            Js::str(String::from_utf16_lossy(&units))
        }
        "+" => Js::Num(
            all.iter()
                .fold(0.0, |sum, v| parse_float(&Js::Num(sum)) + parse_float(v)),
        ),
        "*" => match all.split_first() {
            None => return Err(Error::new("`*` needs at least one argument")),
            // A reduce without an initial value returns a lone item as it is.
            Some((first, [])) => first.clone(),
            Some((first, rest)) => Js::Num(rest.iter().fold(parse_float(first), |product, v| {
                parse_float(&Js::Num(product)) * parse_float(v)
            })),
        },
        "-" => match b {
            Js::Undefined => Js::Num(-to_number(a)),
            _ => Js::Num(to_number(a) - to_number(b)),
        },
        "/" => Js::Num(to_number(a) / to_number(b)),
        "min" | "max" => {
            let mut result = if op == "min" {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            };
            for v in all {
                let n = to_number(v);
                if n.is_nan() || result.is_nan() {
                    result = f64::NAN;
                } else if (op == "min"
                    && (n < result || (n == 0.0 && result == 0.0 && n.is_sign_negative())))
                    || (op == "max"
                        && (n > result || (n == 0.0 && result == 0.0 && n.is_sign_positive())))
                {
                    result = n;
                }
            }
            Js::Num(result)
        }
        "merge" => {
            let mut merged = Vec::new();
            for v in all {
                match v {
                    Js::Arr(items) => merged.extend(items.iter().cloned()),
                    other => merged.push(other.clone()),
                }
            }
            Js::Arr(Rc::new(merged))
        }
        "var" => var(a, b, data),
        "missing" => missing(all, data)?,
        "missing_some" => {
            let logic = Js::Obj(Rc::new(vec![("missing".to_string(), b.clone())]));
            let are_missing = eval(&logic, data)?;
            let Some(count) = b.length().map(|n| n as f64).or_else(|| {
                // `options.length` of a number, a boolean or an object is
                // undefined: NaN, and the comparison below is false.
                (!b.is_nullish()).then_some(f64::NAN)
            }) else {
                return Err(Error::new(
                    "`missing_some` needs a list of keys as its second argument",
                ));
            };
            let found = count - are_missing.length().unwrap_or(0) as f64;
            if le(a, &Js::Num(found)) {
                Js::Arr(Rc::new(Vec::new()))
            } else {
                are_missing
            }
        }
        _ => return Err(Error::new(format!("unknown operation `{op}`"))),
    })
}

/// `{"var": [path, default]}`.
fn var(path: &Js, default: &Js, data: &Js) -> Js {
    let not_found = match default {
        Js::Undefined => Js::Null,
        other => other.clone(),
    };
    match path {
        Js::Undefined | Js::Null => return data.clone(),
        Js::Str(s) if s.is_empty() => return data.clone(),
        _ => {}
    }
    let mut current = data.clone();
    for key in to_string(path).split('.') {
        if current.is_nullish() {
            return not_found;
        }
        current = current.get(key);
        if matches!(current, Js::Undefined) {
            return not_found;
        }
    }
    current
}

/// `{"missing": keys}`: the keys whose var is `null` or `""`. One array
/// argument is the list of keys.
fn missing(args: &[Js], data: &Js) -> Result<Js, Error> {
    let keys: Vec<Js> = match args.first() {
        Some(Js::Arr(items)) => items.as_ref().clone(),
        _ => args.to_vec(),
    };
    let mut missing = Vec::new();
    for key in keys {
        // json-logic-js applies `{"var": key}` as a rule, key and all.
        let logic = Js::Obj(Rc::new(vec![("var".to_string(), key.clone())]));
        let value = eval(&logic, data)?;
        if matches!(value, Js::Null) || matches!(&value, Js::Str(s) if s.is_empty()) {
            missing.push(key);
        }
    }
    Ok(Js::Arr(Rc::new(missing)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (n, text) in [
            (3.0, "3"),
            (-0.0, "0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
        ] {
            assert_eq!(number_to_string(n), text);
        }
    }

    #[test]
    fn strings_read_as_numbers_as_javascript_reads_them() {
        for (text, n) in [
            (" 12 ", 12.0),
            ("", 0.0),
            ("0x10", 16.0),
            ("1e3", 1000.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("-Infinity", f64::NEG_INFINITY),
        ] {
            assert_eq!(string_to_number(text), n, "{text:?}");
        }
        for text in ["abc", "1,2", "inf", "NaN", "-0x10", "1e", "."] {
            assert!(string_to_number(text).is_nan(), "{text:?}");
        }
        assert_eq!(parse_float(&Js::str("3abc")), 3.0);
        assert_eq!(parse_float(&Js::str("1e5x")), 1e5);
        assert!(parse_float(&Js::Bool(true)).is_nan());
    }
}
