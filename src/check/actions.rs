//! Steps against the catalog's action types (SPEC §8): E500–E503. E504 lives with references.

use super::Ctx;
use crate::ast::{Piece, Step, Value, ValueKind};
use crate::catalog::{EnumValue, InputType};
use crate::diagnostic::{suggest, Code, Diagnostic};

pub(super) fn check_step(ctx: &mut Ctx, step: &Step) {
    let Some(actions) = &ctx.catalog.actions else {
        return;
    };
    let ty = &step.ty.value;
    let Some(spec) = ctx.catalog.action(ty) else {
        let mut diag = Diagnostic::new(
            Code::E500,
            step.ty.span,
            format!("unknown action type `{ty}`"),
        )
        .with_label("not declared in flowc.toml");
        diag = match suggest(ty, actions.iter().map(|(t, _)| t.as_str())) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help(format!("declare it in flowc.toml as [actions.{ty}]")),
        };
        ctx.push(diag);
        return;
    };
    let members = step.input.as_ref().map_or(&[][..], |o| &o.members[..]);
    for (name, input) in &spec.inputs {
        if input.required && !members.iter().any(|m| &m.key.value == name) {
            let span = step.input.as_ref().map_or(step.ty.span, |o| o.span);
            ctx.push(
                Diagnostic::new(Code::E501, span, format!("required input `{name}` missing"))
                    .with_label(format!("`{ty}` needs `{name}`"))
                    .with_help(format!("add `{name}: …` to the step's inputs")),
            );
        }
    }
    for member in members {
        let key = &member.key.value;
        let Some((_, input)) = spec.inputs.iter().find(|(n, _)| n == key) else {
            let mut diag = Diagnostic::new(
                Code::E502,
                member.key.span,
                format!("unknown input `{key}` for `{ty}`"),
            )
            .with_label("not an input of this action type");
            diag = match suggest(key, spec.inputs.iter().map(|(n, _)| n.as_str())) {
                Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                None if spec.inputs.is_empty() => diag.with_help(format!("`{ty}` takes no inputs")),
                None => diag.with_help(format!(
                    "`{ty}` takes: {}",
                    spec.inputs
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            ctx.push(diag);
            continue;
        };
        let value = &member.value;
        if is_one_reference(value) || matches!(value.kind, ValueKind::Invalid) {
            continue;
        }
        if !has_type(value, input.ty) {
            ctx.push(
                Diagnostic::new(
                    Code::E503,
                    value.span,
                    format!(
                        "input `{key}` of `{ty}` must be {}, found {}",
                        article(input.ty.name()),
                        kind_name(value)
                    ),
                )
                .with_label(format!("expected {}", input.ty.name())),
            );
            continue;
        }
        if let Some(allowed) = &input.allowed {
            if !allowed.iter().any(|a| matches_enum(value, a)) {
                let list: Vec<String> = allowed.iter().map(ToString::to_string).collect();
                ctx.push(
                    Diagnostic::new(
                        Code::E503,
                        value.span,
                        format!("input `{key}` of `{ty}` is not one of its allowed values"),
                    )
                    .with_label("not in the enum")
                    .with_help(format!("allowed: {}", list.join(", "))),
                );
            }
        }
    }
}

fn article(name: &str) -> String {
    match name {
        "integer" | "object" | "array" | "any" => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

/// A value that is exactly one reference passes any type and enum.
fn is_one_reference(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Path(_) => true,
        ValueKind::String(pieces) => matches!(pieces.as_slice(), [Piece::Ref(_)]),
        _ => false,
    }
}

fn kind_name(value: &Value) -> &'static str {
    match &value.kind {
        ValueKind::String(_) => "a string",
        ValueKind::Number(n) if is_integer(n) => "an integer",
        ValueKind::Number(_) => "a number",
        ValueKind::Bool(_) => "a boolean",
        ValueKind::Null => "null",
        ValueKind::Object(_) => "an object",
        ValueKind::Array(_) => "an array",
        ValueKind::Path(_) | ValueKind::Invalid => "a reference",
    }
}

fn is_integer(lexeme: &str) -> bool {
    !lexeme.contains(['.', 'e', 'E'])
}

fn has_type(value: &Value, ty: InputType) -> bool {
    match (ty, &value.kind) {
        (InputType::Any, _) => true,
        (InputType::String, ValueKind::String(_)) => true,
        (InputType::Number, ValueKind::Number(_)) => true,
        (InputType::Integer, ValueKind::Number(n)) => is_integer(n),
        (InputType::Boolean, ValueKind::Bool(_)) => true,
        (InputType::Object, ValueKind::Object(_)) => true,
        (InputType::Array, ValueKind::Array(_)) => true,
        _ => false,
    }
}

fn matches_enum(value: &Value, allowed: &EnumValue) -> bool {
    match (&value.kind, allowed) {
        (ValueKind::String(pieces), EnumValue::String(s)) => &crate::emit::string_text(pieces) == s,
        (ValueKind::Number(n), EnumValue::Number(m)) => n.parse::<f64>().is_ok_and(|n| n == *m),
        (ValueKind::Bool(b), EnumValue::Bool(c)) => b == c,
        _ => false,
    }
}
