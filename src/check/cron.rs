//! Cron expressions as the platform accepts them (SPEC §6, E302).

use std::ops::Range;

/// Why a cron expression is invalid, and where inside the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    /// Lowercase message with no trailing period, in the style of rustc, e.g.
    /// "minute 61 is out of range 0-59", "expected 5 or 6 fields, found 4",
    /// "unknown macro `@annually`", "`?` is only allowed as a whole day field".
    pub message: String,
    /// Byte range inside the expression string that the message is about
    /// (the offending field or item; the whole expression when it is about field count or is empty).
    pub range: Range<usize>,
}

/// The only macros the platform understands; anything else starting with `@` is rejected.
const MACROS: [&str; 5] = ["@yearly", "@monthly", "@weekly", "@daily", "@hourly"];

/// Month names in order, so that index + 1 is the month number.
const MONTH_NAMES: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Day names in order, so that the index is the day-of-week number (Sunday is 0).
const DAY_NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// Which names, if any, a field accepts in place of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    None,
    Month,
    Day,
}

/// What one position of a cron expression accepts.
#[derive(Debug)]
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: Names,
    /// Whether `?` ("no specific value") may stand for the whole field.
    day: bool,
}

const SECOND: Field = Field {
    name: "second",
    min: 0,
    max: 59,
    names: Names::None,
    day: false,
};
const MINUTE: Field = Field {
    name: "minute",
    min: 0,
    max: 59,
    names: Names::None,
    day: false,
};
const HOUR: Field = Field {
    name: "hour",
    min: 0,
    max: 23,
    names: Names::None,
    day: false,
};
const DAY_OF_MONTH: Field = Field {
    name: "day-of-month",
    min: 1,
    max: 31,
    names: Names::None,
    day: true,
};
const MONTH: Field = Field {
    name: "month",
    min: 1,
    max: 12,
    names: Names::Month,
    day: false,
};
// 7 is accepted as well as 0 because both conventions for Sunday are common.
const DAY_OF_WEEK: Field = Field {
    name: "day-of-week",
    min: 0,
    max: 7,
    names: Names::Day,
    day: true,
};

/// The fields of the five-field form.
const FIVE_FIELDS: [&Field; 5] = [&MINUTE, &HOUR, &DAY_OF_MONTH, &MONTH, &DAY_OF_WEEK];

/// The six-field form puts seconds in front, so the minute moves to the second place.
const SIX_FIELDS: [&Field; 6] = [&SECOND, &MINUTE, &HOUR, &DAY_OF_MONTH, &MONTH, &DAY_OF_WEEK];

/// Checks `expr`; Ok(()) when valid.
pub fn validate(expr: &str) -> Result<(), CronError> {
    let trimmed_start = expr.trim_start_matches(is_trimmed);
    let start = expr.len() - trimmed_start.len();
    let trimmed = trimmed_start.trim_end_matches(is_trimmed);
    let end = start + trimmed.len();

    if trimmed.is_empty() {
        return Err(error("empty cron expression".to_string(), 0..expr.len()));
    }

    let fields = split_fields(trimmed, start);

    // Macros are recognised before counting fields, so that `@daily *` is reported as
    // a misused macro rather than as a two-field expression.
    if trimmed.starts_with('@') {
        let (macro_start, name) = fields[0];
        if !MACROS.contains(&name) {
            return Err(error(
                format!(
                    "unknown macro `{}`, expected one of `@yearly`, `@monthly`, `@weekly`, \
                     `@daily` or `@hourly`",
                    shown(name)
                ),
                macro_start..macro_start + name.len(),
            ));
        }
        if let Some(&(rest_start, _)) = fields.get(1) {
            return Err(error(
                format!("macro `{name}` cannot be combined with other fields"),
                rest_start..end,
            ));
        }
        return Ok(());
    }

    let layout: &[&Field] = match fields.len() {
        5 => &FIVE_FIELDS,
        6 => &SIX_FIELDS,
        count => {
            return Err(error(
                format!("expected 5 or 6 fields, found {count}"),
                start..end,
            ))
        }
    };

    for (field, &(offset, text)) in layout.iter().zip(&fields) {
        check_field(field, text, offset)?;
    }
    Ok(())
}

/// Leading and trailing whitespace of any ASCII kind is ignored, so that values read
/// from files with stray newlines still validate.
fn is_trimmed(c: char) -> bool {
    c.is_ascii_whitespace()
}

/// Splits on runs of spaces and tabs, keeping each field's byte offset in the
/// original expression so that errors can point at it.
fn split_fields(text: &str, base: usize) -> Vec<(usize, &str)> {
    let mut fields = Vec::new();
    let mut field_start = None;
    for (i, byte) in text.bytes().enumerate() {
        let separator = byte == b' ' || byte == b'\t';
        match (separator, field_start) {
            (true, Some(s)) => {
                // Separators are ASCII, so `s..i` always lies on character boundaries.
                fields.push((base + s, &text[s..i]));
                field_start = None;
            }
            (false, None) => field_start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = field_start {
        fields.push((base + s, &text[s..]));
    }
    fields
}

fn check_field(field: &Field, text: &str, offset: usize) -> Result<(), CronError> {
    if field.day && text == "?" {
        return Ok(());
    }
    let items: Vec<&str> = text.split(',').collect();
    let mut item_start = offset;
    for (index, item) in items.iter().enumerate() {
        if item.is_empty() {
            // An empty item has no extent of its own, so point at the comma that
            // follows it, or at the one before it when it is the last item.
            let comma = if index + 1 < items.len() {
                item_start
            } else {
                item_start - 1
            };
            return Err(error(
                format!("empty item in {} list", field.name),
                comma..comma + 1,
            ));
        }
        check_item(field, item, item_start)?;
        item_start += item.len() + 1;
    }
    Ok(())
}

/// Checks one `BASE` or `BASE/STEP` item of a list.
fn check_item(field: &Field, item: &str, offset: usize) -> Result<(), CronError> {
    let (base, step) = match item.find('/') {
        Some(slash) => (&item[..slash], Some(&item[slash + 1..])),
        None => (item, None),
    };

    if base.is_empty() {
        return Err(error(
            format!("missing {} value before `/`", field.name),
            offset..offset + 1,
        ));
    }
    check_base(field, base, offset)?;

    if let Some(step) = step {
        let step_start = offset + base.len() + 1;
        check_step(field, step, step_start)?;
    }
    Ok(())
}

/// Checks `*`, a single value, or an ascending range `A-B`.
fn check_base(field: &Field, base: &str, offset: usize) -> Result<(), CronError> {
    if base == "*" {
        return Ok(());
    }
    let Some(dash) = base.find('-') else {
        return parse_value(field, base, offset).map(drop);
    };
    let (low, high) = (&base[..dash], &base[dash + 1..]);
    if low.is_empty() || high.is_empty() || high.contains('-') {
        return Err(error(
            format!("invalid {} range `{}`", field.name, shown(base)),
            offset..offset + base.len(),
        ));
    }
    let low_value = parse_value(field, low, offset)?;
    let high_value = parse_value(field, high, offset + dash + 1)?;
    if low_value > high_value {
        return Err(error(
            format!("range {} is not ascending", shown(base)),
            offset..offset + base.len(),
        ));
    }
    Ok(())
}

/// Checks the `STEP` of `BASE/STEP`: a decimal integer from 1 to the field's maximum.
fn check_step(field: &Field, step: &str, offset: usize) -> Result<(), CronError> {
    if step.is_empty() {
        // The slash is the last character of the item, just before the empty step.
        return Err(error(
            format!("missing {} step after `/`", field.name),
            offset - 1..offset,
        ));
    }
    let range = offset..offset + step.len();
    let Some(value) = parse_number(step) else {
        return Err(error(
            format!("invalid {} step `{}`", field.name, shown(step)),
            range,
        ));
    };
    if value < 1 || value > field.max {
        return Err(error(
            format!(
                "{} step {} is out of range 1-{}",
                field.name, step, field.max
            ),
            range,
        ));
    }
    Ok(())
}

/// Reads one value of `field`: a number in range, or a name where the field takes names.
fn parse_value(field: &Field, text: &str, offset: usize) -> Result<u32, CronError> {
    let range = offset..offset + text.len();
    if text.contains('?') {
        return Err(error(
            "`?` is only allowed as a whole day field".to_string(),
            range,
        ));
    }
    if let Some(value) = parse_number(text) {
        if value < field.min || value > field.max {
            return Err(error(
                format!(
                    "{} {} is out of range {}-{}",
                    field.name, text, field.min, field.max
                ),
                range,
            ));
        }
        return Ok(value);
    }

    let month = lookup(&MONTH_NAMES, text).map(|index| index + 1);
    let day = lookup(&DAY_NAMES, text);
    match (field.names, month, day) {
        (Names::Month, Some(value), _) | (Names::Day, _, Some(value)) => return Ok(value),
        (_, Some(_), _) => {
            return Err(error(
                format!(
                    "month name `{}` is not allowed in the {} field",
                    text, field.name
                ),
                range,
            ))
        }
        (_, _, Some(_)) => {
            return Err(error(
                format!(
                    "day name `{}` is not allowed in the {} field",
                    text, field.name
                ),
                range,
            ))
        }
        _ => {}
    }

    let names = match field.names {
        Names::None => "",
        Names::Month => " or jan-dec",
        Names::Day => " or sun-sat",
    };
    Err(error(
        format!(
            "invalid {} value `{}`, expected {}-{}{}",
            field.name,
            shown(text),
            field.min,
            field.max,
            names
        ),
        range,
    ))
}

/// Parses a non-empty run of ASCII digits. Values too large for `u32` saturate, which
/// keeps them out of every field's range instead of overflowing.
fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u32, |value, digit| {
        value
            .saturating_mul(10)
            .saturating_add(u32::from(digit - b'0'))
    }))
}

/// Finds a three-letter name case-insensitively; longer spellings like `sunday` are
/// deliberately not accepted.
fn lookup(names: &[&str], text: &str) -> Option<u32> {
    names
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text))
        .and_then(|index| u32::try_from(index).ok())
}

/// Renders user text for a message, escaping control characters so that a stray
/// newline cannot break the diagnostic's layout.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn error(message: String, range: Range<usize>) -> CronError {
    CronError { message, range }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(expr: &str, message: &str, range: Range<usize>) {
        assert_eq!(
            validate(expr),
            Err(CronError {
                message: message.to_string(),
                range,
            }),
            "expression {expr:?}"
        );
    }

    #[test]
    fn accepts_valid_expressions() {
        for expr in [
            "30 8 * * 1-5",
            "*/15 * * * *",
            "0 0 1 jan,jul *",
            "0 9 * * MON-FRI",
            "0 0 ? * mon",
            "0 0 1 * ?",
            "15 30 8 * * 1-5",
            "5/15 * * * *",
            "0 0 * * 7",
            "0 0 * * 0",
            "0 0 * * sun-sat",
            "0 0 * jan-mar *",
            "0 0 * Jan-DEC/2 *",
            "0-30/10 0-23 1-31 1-12 0-7",
            "0,15,30,45 * * * *",
            "59 23 31 12 6",
            "*/59 */23 */31 */12 */7",
            "0\t0  *\t\t* *",
            "00 09 * * *",
            "@yearly",
            "@monthly",
            "@weekly",
            "@daily",
            "@hourly",
            "  30 8 * * 1-5  ",
            "\t@daily\n",
        ] {
            assert_eq!(validate(expr), Ok(()), "expression {expr:?}");
        }
    }

    #[test]
    fn reports_out_of_range_values() {
        fails("61 25 * * *", "minute 61 is out of range 0-59", 0..2);
        fails("0 0 32 * *", "day-of-month 32 is out of range 1-31", 4..6);
        fails("0 0 0 * *", "day-of-month 0 is out of range 1-31", 4..5);
        fails("0 0 * 13 *", "month 13 is out of range 1-12", 6..8);
        fails("0 0 * * 8", "day-of-week 8 is out of range 0-7", 8..9);
        fails("60 0 0 * * *", "second 60 is out of range 0-59", 0..2);
        fails("0 24 * * *", "hour 24 is out of range 0-23", 2..4);
        fails(
            "99999999999999999999 * * * *",
            "minute 99999999999999999999 is out of range 0-59",
            0..20,
        );
    }

    #[test]
    fn reports_field_count() {
        fails("* * * *", "expected 5 or 6 fields, found 4", 0..7);
        fails("* * * * * * *", "expected 5 or 6 fields, found 7", 0..13);
        fails("  * * * *  ", "expected 5 or 6 fields, found 4", 2..9);
        fails("", "empty cron expression", 0..0);
        fails(" \t\n", "empty cron expression", 0..3);
    }

    #[test]
    fn reports_malformed_items() {
        fails("5-1 * * * *", "range 5-1 is not ascending", 0..3);
        fails("0 0 * * fri-mon", "range fri-mon is not ascending", 8..15);
        fails("*/0 * * * *", "minute step 0 is out of range 1-59", 2..3);
        fails("*/60 * * * *", "minute step 60 is out of range 1-59", 2..4);
        fails("*/ * * * *", "missing minute step after `/`", 1..2);
        fails("/5 * * * *", "missing minute value before `/`", 0..1);
        fails("*/x * * * *", "invalid minute step `x`", 2..3);
        fails("1-2-3 * * * *", "invalid minute range `1-2-3`", 0..5);
        fails("-5 * * * *", "invalid minute range `-5`", 0..2);
        fails("1,,2 * * * *", "empty item in minute list", 2..3);
        fails("1, * * * *", "empty item in minute list", 1..2);
        fails(",1 * * * *", "empty item in minute list", 0..1);
        fails(
            "0 0 L * *",
            "invalid day-of-month value `L`, expected 1-31",
            4..5,
        );
        fails(
            "0 0 * * 5#2",
            "invalid day-of-week value `5#2`, expected 0-7 or sun-sat",
            8..11,
        );
        fails(
            "0 0 * * 5L",
            "invalid day-of-week value `5L`, expected 0-7 or sun-sat",
            8..10,
        );
        fails("H * * * *", "invalid minute value `H`, expected 0-59", 0..1);
    }

    #[test]
    fn reports_question_mark_outside_day_fields() {
        let message = "`?` is only allowed as a whole day field";
        fails("? * * * *", message, 0..1);
        fails("0 0 1-? * *", message, 6..7);
        fails("0 0 ?,1 * *", message, 4..5);
        fails("0 0 * * ?/2", message, 8..9);
        fails("0 0 * ? *", message, 6..7);
    }

    #[test]
    fn reports_names_in_the_wrong_place() {
        fails(
            "jan * * * *",
            "month name `jan` is not allowed in the minute field",
            0..3,
        );
        fails(
            "0 0 * mon *",
            "day name `mon` is not allowed in the month field",
            6..9,
        );
        fails(
            "0 0 * * sunday",
            "invalid day-of-week value `sunday`, expected 0-7 or sun-sat",
            8..14,
        );
        fails(
            "0 0 * january *",
            "invalid month value `january`, expected 1-12 or jan-dec",
            6..13,
        );
        fails("0 0 * */jan *", "invalid month step `jan`", 8..11);
    }

    #[test]
    fn reports_macros() {
        fails(
            "@annually",
            "unknown macro `@annually`, expected one of `@yearly`, `@monthly`, `@weekly`, \
             `@daily` or `@hourly`",
            0..9,
        );
        fails(
            "@DAILY",
            "unknown macro `@DAILY`, expected one of `@yearly`, `@monthly`, `@weekly`, \
             `@daily` or `@hourly`",
            0..6,
        );
        fails(
            "@daily *",
            "macro `@daily` cannot be combined with other fields",
            7..8,
        );
        fails(
            " @hourly 0  * ",
            "macro `@hourly` cannot be combined with other fields",
            9..13,
        );
    }

    #[test]
    fn escapes_control_characters_in_messages() {
        fails(
            "0 0\n1 * * *",
            "invalid hour value `0\\n1`, expected 0-23",
            2..5,
        );
    }

    #[test]
    fn never_panics_and_ranges_stay_on_char_boundaries() {
        let pieces = [
            "",
            " ",
            "\t",
            "*",
            "?",
            "/",
            "-",
            ",",
            "0",
            "7",
            "60",
            "é",
            "@",
            "@daily",
            "mon",
            "jan",
            "ß-",
            "\u{1F600}",
            "\n",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let expr = format!("{a}{b} {c}{d} * * {a}{d}");
                        if let Err(err) = validate(&expr) {
                            assert!(err.range.start <= err.range.end, "{expr:?}");
                            assert!(expr.get(err.range.clone()).is_some(), "{expr:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn is_linear_on_long_input() {
        let long = "1,".repeat(200_000) + "1 * * * *";
        assert_eq!(validate(&long), Ok(()));
        let digits = "9".repeat(400_000) + " * * * *";
        assert_eq!(validate(&digits).unwrap_err().range, 0..400_000);
    }
}
