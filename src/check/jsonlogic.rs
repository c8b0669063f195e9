//! JSON Logic: the operations and their arities (SPEC §5), checked in `when` and `constraints`.

use super::Ctx;
use crate::ast::{Expr, ExprKind, Value, ValueKind};
use crate::diagnostic::{suggest, Code, Diagnostic};

/// Every JSON Logic operation with its least and greatest argument count,
/// exactly as SPEC §5 lists them (JsonLogic's shared test suite uses each
/// bound: `{"var": []}`, `{"missing": []}`, `{"if": []}`, `{"?:": [c, a, b]}`).
pub const OPERATIONS: &[(&str, usize, Option<usize>)] = &[
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

fn arity(op: &str) -> Option<(usize, Option<usize>)> {
    OPERATIONS
        .iter()
        .find(|(o, _, _)| *o == op)
        .map(|&(_, min, max)| (min, max))
}

fn describe(min: usize, max: Option<usize>) -> String {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    match max {
        Some(max) if max == min => format!("exactly {min} {}", plural(min)),
        Some(max) => format!("{min} to {max} arguments"),
        None => format!("at least {min} {}", plural(min)),
    }
}

/// Checks an operation's name and argument count; `span` is where to point.
fn operation(ctx: &mut Ctx, name: &str, args: usize, span: crate::span::Span) {
    match arity(name) {
        None => {
            let mut diag = Diagnostic::new(
                Code::E303,
                span,
                format!("unknown JSON Logic operation `{name}`"),
            )
            .with_label("not a JSON Logic operation");
            diag = match suggest(name, OPERATIONS.iter().map(|o| o.0)).or_else(|| synonym(name)) {
                Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                None => diag.with_help(format!(
                    "JSON Logic operations: {}",
                    OPERATIONS.iter().map(|o| o.0).collect::<Vec<_>>().join(" ")
                )),
            };
            ctx.push(diag);
        }
        Some((min, max)) if args < min || max.is_some_and(|m| args > m) => {
            ctx.push(
                Diagnostic::new(
                    Code::E304,
                    span,
                    format!("`{name}` takes {}, found {args}", describe(min, max)),
                )
                .with_label("wrong number of arguments")
                .with_help(format!("`{name}` takes {}", describe(min, max))),
            );
        }
        Some(_) => {}
    }
}

/// Words people write for the symbolic operations.
fn synonym(name: &str) -> Option<&'static str> {
    Some(match name {
        "eq" | "equal" | "equals" | "is" => "==",
        "ne" | "neq" | "not_equal" | "not_equals" => "!=",
        "gt" | "greater_than" => ">",
        "gte" | "ge" | "greater_than_or_equals" => ">=",
        "lt" | "less_than" => "<",
        "lte" | "le" | "less_than_or_equals" => "<=",
        "not" => "!",
        "&&" => "and",
        "||" => "or",
        _ => return None,
    })
}

/// A var naming `<step>.output…`: no step has run when the trigger fires.
fn var_path(ctx: &mut Ctx, path: &str, span: crate::span::Span, what: &str) {
    let mut segments = path.split('.');
    let (Some(root), Some("output")) = (segments.next(), segments.next()) else {
        return;
    };
    if ctx.is_step(root) {
        let defined = ctx.defs.get(root).map_or(span, |d| d.span);
        ctx.push(
            Diagnostic::new(Code::E206, span, format!("step `{root}` referenced in {what}"))
                .with_label("no step has run when the trigger fires")
                .with_secondary(defined, "step defined here")
                .with_help("trigger constraints can only read the event's data; test step outputs with an `if` inside the workflow"),
        );
    }
}

/// Checks a `when` expression (SPEC §5).
pub(super) fn check_when(ctx: &mut Ctx, expr: &Expr) {
    match &expr.kind {
        ExprKind::Literal(_) => {}
        ExprKind::Var(path) => var_path(ctx, path, expr.span, "`when`"),
        ExprKind::List(items) => items.iter().for_each(|e| check_when(ctx, e)),
        ExprKind::Call { name, args } => {
            operation(ctx, &name.value, args.len(), name.span);
            if name.value == "var" {
                if let Some(Expr {
                    kind:
                        ExprKind::Literal(Value {
                            kind: ValueKind::String(pieces),
                            span,
                        }),
                    ..
                }) = args.first()
                {
                    let text: String = pieces.iter().map(piece_text).collect();
                    var_path(ctx, &text, *span, "`when`");
                }
            }
            args.iter().for_each(|e| check_when(ctx, e));
        }
        ExprKind::Not(inner) | ExprKind::Paren(inner) => check_when(ctx, inner),
        ExprKind::And(items) | ExprKind::Or(items) => items.iter().for_each(|e| check_when(ctx, e)),
        ExprKind::Compare { first, rest } => {
            check_when(ctx, first);
            rest.iter().for_each(|(_, e)| check_when(ctx, e));
            if rest.len() > 1 {
                let between = rest.len() == 2
                    && rest[0].0.op == rest[1].0.op
                    && matches!(rest[0].0.op, "<" | "<=");
                if !between {
                    let ops: Vec<&str> = rest.iter().map(|(o, _)| o.op).collect();
                    ctx.push(
                        Diagnostic::new(
                            Code::E304,
                            rest[1].0.span,
                            format!("comparisons cannot be chained as `{}`", ops.join("` … `")),
                        )
                        .with_label("second comparison")
                        .with_secondary(rest[0].0.span, "first comparison")
                        .with_help("only `a < b < c` and `a <= b <= c` chain (JSON Logic's between); join other comparisons with `and`"),
                    );
                }
            }
        }
    }
}

fn piece_text(piece: &crate::ast::Piece) -> &str {
    match piece {
        crate::ast::Piece::Text(t) => t,
        crate::ast::Piece::Ref(_) => "",
    }
}

/// Checks a `constraints` value: every one-key object is an operation.
pub(super) fn check_constraints(ctx: &mut Ctx, value: &Value) {
    match &value.kind {
        ValueKind::Object(object) if object.members.len() == 1 => {
            let member = &object.members[0];
            let name = member.key.value.as_str();
            let args = match &member.value.kind {
                ValueKind::Array(items) => items.len(),
                _ => 1,
            };
            operation(ctx, name, args, member.key.span);
            if name == "var" {
                let path = match &member.value.kind {
                    ValueKind::String(p) => Some((
                        p.iter().map(piece_text).collect::<String>(),
                        member.value.span,
                    )),
                    ValueKind::Array(items) => match items.first().map(|v| &v.kind) {
                        Some(ValueKind::String(p)) => {
                            Some((p.iter().map(piece_text).collect(), items[0].span))
                        }
                        _ => None,
                    },
                    // `null`, like `""` and `[]`, reads the whole data.
                    ValueKind::Number(_) | ValueKind::Null => None,
                    _ => {
                        ctx.push(
                            Diagnostic::new(
                                Code::E304,
                                member.value.span,
                                "`var` takes a string, a number, a list or `null`",
                            )
                            .with_label("not a path"),
                        );
                        None
                    }
                };
                if let Some((path, span)) = path {
                    var_path(ctx, &path, span, "`constraints`");
                }
            }
            check_constraints(ctx, &member.value);
        }
        ValueKind::Array(items) => items.iter().for_each(|v| check_constraints(ctx, v)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arities_from_the_spec() {
        assert_eq!(arity("<"), Some((2, Some(3))));
        assert_eq!(arity("merge"), Some((0, None)));
        assert_eq!(arity("?:"), Some((3, Some(3))));
        assert_eq!(arity("var"), Some((0, Some(2))));
        assert_eq!(arity("missing"), Some((0, None)));
        assert_eq!(arity("if"), Some((0, None)));
        assert_eq!(arity("?"), None);
        assert_eq!(describe(2, Some(2)), "exactly 2 arguments");
        assert_eq!(describe(1, None), "at least 1 argument");
        assert_eq!(describe(2, Some(3)), "2 to 3 arguments");
    }
}
