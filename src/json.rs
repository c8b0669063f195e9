//! A JSON value that keeps what serde_json's `Value` cannot: number lexemes
//! exactly as written (`1e3`, `-2.5E-3`, `-0`) and object members in order,
//! duplicates included, so that the importer can refuse them.
//!
//! Formatting is still serde_json's: [`Json`] implements `Serialize`, and a
//! number goes out as a raw fragment of its own lexeme.

use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A JSON number, as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in written order.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn object() -> Json {
        Json::Object(Vec::new())
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(lexeme) => serde_json::value::RawValue::from_string(lexeme.clone())
                .map_err(S::Error::custom)?
                .serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_lexeme() {
        let value = Json::Array(
            ["1e3", "-2.5E-3", "1.50", "-0", "12345678901234567890123"]
                .iter()
                .map(|n| Json::Number(n.to_string()))
                .collect(),
        );
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            "[1e3,-2.5E-3,1.50,-0,12345678901234567890123]"
        );
    }

    #[test]
    fn pretty_layout_is_serde_jsons() {
        let value = Json::Object(vec![
            ("a".into(), Json::object()),
            ("b".into(), Json::Array(vec![])),
            (
                "c".into(),
                Json::Array(vec![Json::Number("1".into()), Json::Null]),
            ),
        ]);
        assert_eq!(
            serde_json::to_string_pretty(&value).unwrap(),
            "{\n  \"a\": {},\n  \"b\": [],\n  \"c\": [\n    1,\n    null\n  ]\n}"
        );
    }
}
