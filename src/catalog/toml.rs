//! Reading `flowc.toml` (SPEC §8): every mistake is an E505 with a span into the TOML text.

use super::{ActionSpec, Catalog, EnumValue, InputSpec, InputType};
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::span::Span;
use ::toml::de::{DeTable, DeValue};

type Spanned<T> = ::toml::Spanned<T>;

fn span<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

struct Reader {
    diags: Vec<Diagnostic>,
}

impl Catalog {
    /// Reads a `flowc.toml` on top of the defaults. Every mistake in the file
    /// is an E505 whose span points into `text`; a catalog with any is not
    /// used.
    pub fn from_toml(text: &str) -> Result<Catalog, Vec<Diagnostic>> {
        read(text).inspect_err(|d| crate::debug_assert_spans(text, d))
    }
}

fn read(text: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(err) => {
            let range = err.span().unwrap_or(0..0);
            let message = err.message().trim_end_matches('\n').to_string();
            return Err(vec![Diagnostic::new(
                Code::E505,
                Span::new(range.start, range.end.max(range.start)),
                format!(
                    "invalid TOML: {}",
                    message.lines().next().unwrap_or("syntax error")
                ),
            )
            .with_label(message)]);
        }
    };
    let mut reader = Reader { diags: Vec::new() };
    let mut catalog = Catalog::default();
    for (key, value) in sorted(table.get_ref()) {
        let name = key.get_ref().as_ref();
        match name {
            "references" => {
                if let Some(t) = reader.table(value, "[references]") {
                    for (k, v) in sorted(t) {
                        if reader.key(k, &["roots"], "[references]").is_some() {
                            catalog.roots.extend(reader.strings(v, "`roots`"));
                        }
                    }
                }
            }
            "triggers" => {
                if let Some(t) = reader.table(value, "[triggers]") {
                    for (k, v) in sorted(t) {
                        if reader.key(k, &["extra"], "[triggers]").is_some() {
                            catalog.extra_triggers.extend(reader.strings(v, "`extra`"));
                        }
                    }
                }
            }
            "operators" => {
                if let Some(t) = reader.table(value, "[operators]") {
                    for (k, v) in sorted(t) {
                        match reader.key(k, &["names", "symbols"], "[operators]") {
                            Some("names") => {
                                for name in reader.strings(v, "`names`") {
                                    if !catalog.operators.contains(&name) {
                                        catalog.operators.push(name);
                                    }
                                }
                            }
                            Some(_) => reader.symbols(v, &mut catalog),
                            None => {}
                        }
                    }
                }
            }
            "actions" => {
                let mut actions = Vec::new();
                if let Some(t) = reader.table(value, "[actions]") {
                    for (ty, spec) in sorted(t) {
                        let ty = ty.get_ref().to_string();
                        if let Some(spec) = reader.action(&ty, spec) {
                            actions.push((ty, spec));
                        }
                    }
                }
                // An empty `[actions]` declares nothing, so it checks nothing.
                catalog.actions = (!actions.is_empty()).then_some(actions);
            }
            _ => reader.unknown(
                key,
                &["references", "triggers", "operators", "actions"],
                "flowc.toml",
            ),
        }
    }
    if reader.diags.is_empty() {
        Ok(catalog)
    } else {
        reader.diags.sort_by_key(|d| d.span.start);
        Err(reader.diags)
    }
}

/// A table's entries in source order.
fn sorted<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(
    &'a Spanned<::toml::de::DeString<'i>>,
    &'a Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

impl Reader {
    fn push(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    fn unknown(&mut self, key: &Spanned<::toml::de::DeString<'_>>, known: &[&str], place: &str) {
        let name = key.get_ref().as_ref();
        let mut diag = Diagnostic::new(
            Code::E505,
            span(key),
            format!("unknown key `{name}` in {place}"),
        )
        .with_label("not a catalog setting");
        diag = match suggest(name, known.iter().copied()) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help(format!("expected one of: {}", known.join(", "))),
        };
        self.push(diag);
    }

    /// The key if it is one of `known`; E505 otherwise.
    fn key<'k>(
        &mut self,
        key: &Spanned<::toml::de::DeString<'_>>,
        known: &[&'k str],
        place: &str,
    ) -> Option<&'k str> {
        let name = key.get_ref().as_ref();
        match known.iter().find(|k| **k == name) {
            Some(k) => Some(k),
            None => {
                self.unknown(key, known, place);
                None
            }
        }
    }

    fn wrong_type(&mut self, value: &Spanned<DeValue<'_>>, what: &str, expected: &str) {
        self.push(
            Diagnostic::new(
                Code::E505,
                span(value),
                format!(
                    "{what} must be {expected}, found {}",
                    value.get_ref().type_str()
                ),
            )
            .with_label(format!("expected {expected}")),
        );
    }

    fn table<'a, 'i>(
        &mut self,
        value: &'a Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'a DeTable<'i>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(value, what, "a table");
        }
        table
    }

    fn strings(&mut self, value: &Spanned<DeValue<'_>>, what: &str) -> Vec<String> {
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(value, what, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push(s.to_string()),
                None => self.wrong_type(item, &format!("each item of {what}"), "a string"),
            }
        }
        out
    }

    fn symbols(&mut self, value: &Spanned<DeValue<'_>>, catalog: &mut Catalog) {
        let Some(table) = self.table(value, "[operators.symbols]") else {
            return;
        };
        let symbols: Vec<&str> = crate::catalog::SYMBOLS.iter().map(|(s, _)| *s).collect();
        for (k, v) in sorted(table) {
            let Some(symbol) = self.key(k, &symbols, "[operators.symbols]") else {
                continue;
            };
            let Some(name) = v.get_ref().as_str() else {
                self.wrong_type(v, &format!("`{symbol}`"), "a string");
                continue;
            };
            if let Some(entry) = catalog.symbols.iter_mut().find(|(s, _)| s == symbol) {
                entry.1 = name.to_string();
            }
        }
    }

    fn action(&mut self, ty: &str, value: &Spanned<DeValue<'_>>) -> Option<ActionSpec> {
        let table = self.table(value, &format!("[actions.{ty}]"))?;
        let mut spec = ActionSpec::default();
        let place = format!("[actions.{ty}]");
        for (k, v) in sorted(table) {
            match self.key(k, &["inputs", "outputs"], &place) {
                Some("outputs") => spec.outputs = self.strings(v, "`outputs`"),
                Some(_) => {
                    let Some(inputs) = self.table(v, &format!("[actions.{ty}.inputs]")) else {
                        continue;
                    };
                    for (name, input) in sorted(inputs) {
                        let name = name.get_ref().to_string();
                        if let Some(input) = self.input(ty, &name, input) {
                            spec.inputs.push((name, input));
                        }
                    }
                }
                None => {}
            }
        }
        Some(spec)
    }

    fn input(&mut self, ty: &str, name: &str, value: &Spanned<DeValue<'_>>) -> Option<InputSpec> {
        let place = format!("[actions.{ty}.inputs.{name}]");
        let table = self.table(value, &format!("input `{name}`"))?;
        let mut spec = InputSpec {
            ty: InputType::Any,
            required: false,
            allowed: None,
        };
        for (k, v) in sorted(table) {
            match self.key(k, &["type", "required", "enum"], &place) {
                Some("type") => match v.get_ref().as_str() {
                    Some(t) => match InputType::parse(t) {
                        Some(t) => spec.ty = t,
                        None => {
                            let mut diag = Diagnostic::new(
                                Code::E505,
                                span(v),
                                format!("unknown input type `{t}`"),
                            )
                            .with_label("not a catalog type");
                            diag = match suggest(t, InputType::NAMES) {
                                Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                                None => diag
                                    .with_help(format!("types: {}", InputType::NAMES.join(", "))),
                            };
                            self.push(diag);
                        }
                    },
                    None => self.wrong_type(v, "`type`", "a string"),
                },
                Some("required") => match v.get_ref().as_bool() {
                    Some(b) => spec.required = b,
                    None => self.wrong_type(v, "`required`", "a boolean"),
                },
                Some(_) => {
                    let Some(items) = v.get_ref().as_array() else {
                        self.wrong_type(v, "`enum`", "an array");
                        continue;
                    };
                    let mut allowed = Vec::new();
                    for item in items.iter() {
                        let value = match item.get_ref() {
                            DeValue::String(s) => EnumValue::String(s.to_string()),
                            DeValue::Boolean(b) => EnumValue::Bool(*b),
                            DeValue::Integer(i) => match i.as_str().replace('_', "").parse::<f64>()
                            {
                                Ok(n) if i.radix() == 10 => EnumValue::Number(n),
                                _ => {
                                    self.wrong_type(
                                        item,
                                        "each `enum` value",
                                        "a decimal number, string or boolean",
                                    );
                                    continue;
                                }
                            },
                            DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
                                Ok(n) => EnumValue::Number(n),
                                Err(_) => {
                                    self.wrong_type(item, "each `enum` value", "a finite number");
                                    continue;
                                }
                            },
                            _ => {
                                self.wrong_type(
                                    item,
                                    "each `enum` value",
                                    "a string, number or boolean",
                                );
                                continue;
                            }
                        };
                        allowed.push(value);
                    }
                    spec.allowed = Some(allowed);
                }
                None => {}
            }
        }
        Some(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_catalog() {
        let catalog = read(
            r#"
[references]
roots = ["trigger"]
[triggers]
extra = ["ticket-merged"]
[operators]
names = ["matches_regex"]
[operators.symbols]
"==" = "eq"
[actions.http-request]
outputs = ["status", "body"]
[actions.http-request.inputs]
url = { type = "string", required = true }
method = { type = "string", enum = ["GET", "POST"] }
retries = { type = "integer", enum = [1, 2.5, true] }
[actions.noop]
"#,
        )
        .unwrap();
        assert_eq!(catalog.roots, ["trigger"]);
        assert!(catalog.is_trigger("ticket-merged") && catalog.is_trigger("webhook"));
        assert_eq!(catalog.operator("=="), Some("eq"));
        assert_eq!(catalog.operator("matches_regex"), Some("matches_regex"));
        assert_eq!(catalog.operator("contains"), Some("contains"));
        let http = catalog.action("http-request").unwrap();
        assert_eq!(http.outputs, ["status", "body"]);
        assert_eq!(http.inputs.len(), 3);
        assert_eq!(
            http.inputs[2].1.allowed,
            Some(vec![
                EnumValue::Number(1.0),
                EnumValue::Number(2.5),
                EnumValue::Bool(true)
            ])
        );
        assert_eq!(catalog.action("noop"), Some(&ActionSpec::default()));
        assert_eq!(catalog.action("other"), None);
    }

    fn errors(text: &str) -> Vec<(Span, String, Option<String>)> {
        read(text)
            .unwrap_err()
            .into_iter()
            .map(|d| {
                (
                    d.span,
                    d.message.into_owned(),
                    d.help.map(|h| h.into_owned()),
                )
            })
            .collect()
    }

    #[test]
    fn mistakes_point_into_the_file() {
        assert_eq!(
            errors("[referenses]\nroots = []\n"),
            vec![(
                Span::new(1, 11),
                "unknown key `referenses` in flowc.toml".to_string(),
                Some("did you mean `references`?".to_string())
            )]
        );
        let found = errors("[references]\nrots = [\"a\"]\n[actions.x.inputs]\nurl = { type = \"strin\", requird = true }\n");
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].0, Span::new(13, 17));
        assert_eq!(found[1].1, "unknown input type `strin`");
        assert_eq!(found[2].2.as_deref(), Some("did you mean `required`?"));
        let found = errors("[triggers]\nextra = \"x\"\n");
        assert_eq!(
            found[0].1,
            "`extra` must be an array of strings, found string"
        );
        let found = errors("[operators]\nnames = [\n");
        assert!(found[0].1.starts_with("invalid TOML"), "{found:?}");
    }
}
