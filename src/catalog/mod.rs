//! What flowc knows of the platform: trigger types, condition operators and reference roots.
//!
//! The defaults come from the API page and SPEC §4; a project's `flowc.toml`
//! (SPEC §8, read by the `toml` module inside) adds to them and declares action types.

// `Catalog::from_toml`: the reader depends on these types, not the reverse.
mod toml;

/// The 25 trigger types of the API page, in its order.
pub const TRIGGERS: [&str; 25] = [
    "manual-trigger",
    "ai-trigger",
    "cron-trigger",
    "form-trigger",
    "webhook",
    "contact-created",
    "phone-call-started",
    "phone-call-finished",
    "ticket-created",
    "ticket-reassigned",
    "ticket-resolved",
    "ticket-handoff",
    "pre-ticket-handoff",
    "ticket-tag-added",
    "ticket-inactive",
    "sequence-completed",
    "csat-score-submit",
    "prohibited-topic-detected",
    "sla-first-reply-breached",
    "sla-next-reply-breached",
    "sla-resolution-breached",
    "voice-call-transferred",
    "pre-voice-call-transfer",
    "pre-phone-call-finished",
    "manual-ticket-trigger",
];

/// Condition operators known by default (SPEC §4).
pub const OPERATORS: [&str; 10] = [
    "equals",
    "not_equals",
    "greater_than",
    "greater_than_or_equals",
    "less_than",
    "less_than_or_equals",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
];

/// What each comparison symbol emits by default (SPEC §4).
pub const SYMBOLS: [(&str, &str); 6] = [
    ("==", "equals"),
    ("!=", "not_equals"),
    (">", "greater_than"),
    (">=", "greater_than_or_equals"),
    ("<", "less_than"),
    ("<=", "less_than_or_equals"),
];

/// The platform as one project sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// First segments accepted in references besides step ids. None by default.
    pub roots: Vec<String>,
    /// Trigger types accepted besides the API's 25.
    pub extra_triggers: Vec<String>,
    /// Known condition operator names.
    pub operators: Vec<String>,
    /// Symbol → operator name.
    pub symbols: Vec<(String, String)>,
    /// Declared action types; `None` until `[actions]` declares one, and
    /// then every other type is unknown (E500).
    pub actions: Option<Vec<(String, ActionSpec)>>,
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog {
            roots: Vec::new(),
            extra_triggers: Vec::new(),
            operators: OPERATORS.iter().map(|s| s.to_string()).collect(),
            symbols: SYMBOLS
                .iter()
                .map(|(s, n)| (s.to_string(), n.to_string()))
                .collect(),
            actions: None,
        }
    }
}

impl Catalog {
    pub fn is_trigger(&self, name: &str) -> bool {
        TRIGGERS.contains(&name) || self.extra_triggers.iter().any(|t| t == name)
    }

    pub fn triggers(&self) -> impl Iterator<Item = &str> {
        TRIGGERS
            .iter()
            .copied()
            .chain(self.extra_triggers.iter().map(String::as_str))
    }

    /// The operator name a written operator emits, if it is known: a symbol
    /// maps through the symbol table, a word stands for itself.
    pub fn operator(&self, written: &str) -> Option<&str> {
        if let Some((_, name)) = self.symbols.iter().find(|(s, _)| s == written) {
            return Some(name);
        }
        self.operators
            .iter()
            .find(|o| *o == written)
            .map(String::as_str)
    }

    pub fn is_root(&self, name: &str) -> bool {
        self.roots.iter().any(|r| r == name)
    }

    /// The declaration of an action type, if `[actions]` has it.
    pub fn action(&self, ty: &str) -> Option<&ActionSpec> {
        self.actions
            .as_ref()?
            .iter()
            .find(|(t, _)| t == ty)
            .map(|(_, a)| a)
    }
}

/// A declared input's type (SPEC §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputType {
    String,
    Number,
    /// A number written without fraction or exponent.
    Integer,
    Boolean,
    Object,
    Array,
    Any,
}

impl InputType {
    pub const NAMES: [&'static str; 7] = [
        "string", "number", "integer", "boolean", "object", "array", "any",
    ];

    pub fn parse(name: &str) -> Option<InputType> {
        Some(match name {
            "string" => InputType::String,
            "number" => InputType::Number,
            "integer" => InputType::Integer,
            "boolean" => InputType::Boolean,
            "object" => InputType::Object,
            "array" => InputType::Array,
            "any" => InputType::Any,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            InputType::String => "string",
            InputType::Number => "number",
            InputType::Integer => "integer",
            InputType::Boolean => "boolean",
            InputType::Object => "object",
            InputType::Array => "array",
            InputType::Any => "any",
        }
    }
}

/// One allowed value of an input's `enum`.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    String(String),
    Number(f64),
    Bool(bool),
}

impl std::fmt::Display for EnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnumValue::String(s) => write!(f, "\"{s}\""),
            EnumValue::Number(n) => write!(f, "{n}"),
            EnumValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InputSpec {
    pub ty: InputType,
    pub required: bool,
    /// The values allowed, when the input has an `enum`.
    pub allowed: Option<Vec<EnumValue>>,
}

/// What a project declares of one action type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionSpec {
    /// Declared inputs; a type without `inputs` takes none.
    pub inputs: Vec<(String, InputSpec)>,
    /// The first fields after `.output.`; a type without `outputs` has none.
    pub outputs: Vec<String>,
}
