//! Workload generator: realistic, clean `.flow` programs of any size.
//!
//! Shared by `examples/gen.rs` (which prints one program) and the divan
//! benchmarks in `benches/compile.rs` (which generate their inputs in
//! process). A program of `n` steps holds exactly `n` actions; about one
//! element in five is an extra if-else block, nested up to four deep.
//!
//! Every program compiles with no diagnostic, under the default catalog and
//! under `examples/flowc.toml` alike: each reference names a step that surely
//! ran before (earlier in its own list, or earlier in an enclosing list before
//! the enclosing `if`; never a step inside a branch of an earlier `if`, which
//! would be W201), and every action type, input and output field is one that
//! catalog declares.
//!
//! The output is a pure function of `(n, seed)`: the tiny splitmix64 below
//! stands in for a `rand` dependency.

use std::fmt::Write as _;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 0x5EED_F10C;

/// Deepest nesting of if-else blocks (the workflow body is depth 0).
const MAX_IF_DEPTH: usize = 4;

/// splitmix64: tiny, fast and well mixed; plenty for a workload generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What an input holds, and so how its value is written.
#[derive(Clone, Copy)]
enum Kind {
    /// Free text: one of these sentences; a reference may be spliced in.
    Text(&'static [&'static str]),
    /// Long free text, sometimes written as a text block.
    Prose(&'static [&'static str]),
    /// A string from a fixed list (a catalog `enum`, or a short word).
    Word(&'static [&'static str]),
    /// An id of another object: a bare reference fits it best.
    Id(&'static str),
    Url,
    Email,
    Int(usize, usize),
    /// A decimal number: an amount.
    Num,
    /// A number between 0 and 1.
    Ratio,
    Bool,
    /// An array of 1–3 distinct strings from the list.
    List(&'static [&'static str]),
    /// An object of HTTP headers.
    Headers,
    /// Anything: an object, or a bare reference.
    Any,
}

impl Kind {
    /// Whether a value of this kind can carry a step reference.
    fn takes_reference(self) -> bool {
        matches!(
            self,
            Kind::Text(_) | Kind::Prose(_) | Kind::Id(_) | Kind::Url | Kind::Email | Kind::Any
        )
    }
}

struct Input {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn req(name: &'static str, kind: Kind) -> Input {
    Input {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Input {
    Input {
        name,
        kind,
        required: false,
    }
}

/// An action type as `examples/flowc.toml` declares it (only the types
/// with at least two inputs).
struct ActionType {
    name: &'static str,
    /// Prefix of the generated step ids.
    prefix: &'static str,
    /// Display names, one picked per step.
    titles: &'static [&'static str],
    inputs: &'static [Input],
    /// Output fields, each with deeper paths worth reading (may be empty).
    outputs: &'static [(&'static str, &'static [&'static str])],
}

const SENTENCES: &[&str] = &[
    "New urgent ticket needs attention",
    "Customer asked for a callback about their invoice",
    "Escalated automatically after the SLA breach",
    "Refund requested on a recent order",
    "Follow-up: the customer replied to the survey",
    "Order shipped late, please check with the warehouse",
    "VIP account: handle with care",
    "Grüße from the support bot — ticket handled",
];

const PROSE: &[&str] = &[
    "Summarise the ticket for the on-call engineer in three bullet points.",
    "Write a short, friendly reply that apologises for the delay.",
    "List the products the customer mentions and the problem with each.",
    "Classify the request as billing, shipping, account or other.",
    "Draft an internal note with the next steps for the assignee.",
];

const TEAMS: &[&str] = &[
    "priority-support",
    "billing",
    "support-dach",
    "support-fr",
    "triage",
    "returns",
];

const TAGS: &[&str] = &[
    "vip",
    "refund",
    "escalated",
    "needs-review",
    "auto-handled",
    "churn-risk",
    "language-unknown",
];

const HTTP_URLS: &[&str] = &[
    "https://crm.example.com/api/v2/accounts/lookup",
    "https://billing.example.com/v1/invoices",
    "https://status.example.com/api/incidents",
    "https://erp.example.com/orders/search",
];

const TYPES: &[ActionType] = &[
    ActionType {
        name: "http-request",
        prefix: "call",
        titles: &[
            "Look up account in CRM",
            "Fetch invoices",
            "Check status page",
            "Query ERP",
        ],
        inputs: &[
            req("url", Kind::Url),
            opt("method", Kind::Word(&["GET", "POST", "PUT", "PATCH"])),
            opt("headers", Kind::Headers),
            opt("body", Kind::Any),
            opt("timeout_seconds", Kind::Int(5, 60)),
        ],
        outputs: &[
            ("status", &[]),
            ("body", &["id", "name", "owner.email", "plan", "items.0.id"]),
            ("headers", &["content-type", "x-request-id"]),
        ],
    },
    ActionType {
        name: "add-ticket-tag",
        prefix: "tag",
        titles: &["Tag the ticket", "Mark as handled", "Flag for review"],
        inputs: &[
            req("tag", Kind::Word(TAGS)),
            opt("ticket_id", Kind::Id("ticket")),
        ],
        outputs: &[],
    },
    ActionType {
        name: "assign-ticket",
        prefix: "assign",
        titles: &[
            "Route to team",
            "Assign to priority queue",
            "Send to triage",
        ],
        inputs: &[
            req("team", Kind::Word(TEAMS)),
            opt("note", Kind::Text(SENTENCES)),
        ],
        outputs: &[],
    },
    ActionType {
        name: "ai-summarize",
        prefix: "summary",
        titles: &[
            "Summarise the ticket",
            "Draft a reply",
            "Classify the request",
        ],
        inputs: &[
            req("prompt", Kind::Prose(PROSE)),
            opt(
                "model",
                Kind::Word(&["gpt-4o-mini", "gpt-4o", "claude-haiku"]),
            ),
            opt("temperature", Kind::Ratio),
            opt("max_tokens", Kind::Int(100, 2000)),
        ],
        outputs: &[("text", &[]), ("tokens", &[])],
    },
    ActionType {
        name: "create-ticket",
        prefix: "ticket",
        titles: &["Open a follow-up ticket", "Create an engineering ticket"],
        inputs: &[
            req("subject", Kind::Text(SENTENCES)),
            opt("contact_id", Kind::Id("contact")),
            opt("priority", Kind::Word(&["low", "normal", "high", "urgent"])),
            opt("tags", Kind::List(TAGS)),
        ],
        outputs: &[("id", &[]), ("url", &[])],
    },
    ActionType {
        name: "detect-language",
        prefix: "lang",
        titles: &["Detect language"],
        inputs: &[
            req("fields", Kind::List(&["subject", "body", "last_message"])),
            opt("min_length", Kind::Int(10, 40)),
        ],
        outputs: &[
            ("language", &[]),
            ("languages", &[]),
            ("locale", &[]),
            ("confidence", &[]),
            ("text", &[]),
        ],
    },
    ActionType {
        name: "fetch-order",
        prefix: "order",
        titles: &["Fetch order from Shopify", "Load the order"],
        inputs: &[
            req("source", Kind::Word(&["shopify", "woocommerce", "stripe"])),
            opt(
                "include",
                Kind::List(&["line_items", "refunds", "customer", "shipping"]),
            ),
        ],
        outputs: &[
            ("id", &[]),
            ("name", &[]),
            ("total", &[]),
            ("currency", &[]),
            ("customer", &["email", "name", "id"]),
            ("refundable", &[]),
        ],
    },
    ActionType {
        name: "find-contact",
        prefix: "contact",
        titles: &["Find the contact", "Look up the requester"],
        inputs: &[
            req("email", Kind::Email),
            opt("create_if_missing", Kind::Bool),
        ],
        outputs: &[("id", &[]), ("name", &[]), ("email", &[])],
    },
    ActionType {
        name: "issue-refund",
        prefix: "refund",
        titles: &["Refund in full", "Issue a partial refund"],
        inputs: &[
            req("order_id", Kind::Id("order")),
            req("amount", Kind::Num),
            opt("approval_id", Kind::Id("approval")),
            opt("restock", Kind::Bool),
        ],
        outputs: &[("id", &[]), ("amount", &[]), ("status", &[])],
    },
    ActionType {
        name: "list-agents",
        prefix: "agents",
        titles: &["List online agents", "Find available agents"],
        inputs: &[
            req("team", Kind::Word(TEAMS)),
            opt("status", Kind::Word(&["online", "away", "offline"])),
            opt("max_open_tickets", Kind::Int(1, 25)),
        ],
        outputs: &[("agents", &["0.id", "0.email"]), ("queue_url", &[])],
    },
    ActionType {
        name: "request-approval",
        prefix: "approval",
        titles: &["Ask a team lead", "Request manager approval"],
        inputs: &[
            req(
                "approvers",
                Kind::List(&[
                    "refund-leads@example.com",
                    "support-managers@example.com",
                    "finance@example.com",
                ]),
            ),
            req("summary", Kind::Text(SENTENCES)),
            opt("expires_in_hours", Kind::Int(4, 72)),
        ],
        outputs: &[
            ("id", &[]),
            ("decision", &[]),
            ("approver", &[]),
            ("comment", &[]),
        ],
    },
    ActionType {
        name: "score-fraud-risk",
        prefix: "risk",
        titles: &["Score fraud risk"],
        inputs: &[
            req("order_id", Kind::Id("order")),
            opt("email", Kind::Email),
        ],
        outputs: &[("score", &[]), ("reasons", &["0"])],
    },
    ActionType {
        name: "search-tickets",
        prefix: "search",
        titles: &["Find open urgent tickets", "Find SLA breaches"],
        inputs: &[
            opt("status", Kind::List(&["open", "pending", "on-hold"])),
            opt("priority", Kind::List(&["urgent", "high", "normal"])),
            opt("created_within_hours", Kind::Int(1, 72)),
            opt("updated_within_hours", Kind::Int(1, 72)),
            opt("sla_breached", Kind::Bool),
            opt("limit", Kind::Int(10, 200)),
        ],
        outputs: &[("tickets", &["0.id", "0.subject"]), ("count", &[])],
    },
    ActionType {
        name: "send-email",
        prefix: "email",
        titles: &[
            "Email the customer",
            "Warn support managers",
            "Confirm by email",
        ],
        inputs: &[
            opt("to", Kind::Email),
            opt("subject", Kind::Text(SENTENCES)),
            opt("body", Kind::Prose(PROSE)),
            opt(
                "template",
                Kind::Word(&["refund-issued", "refund-declined", "csat-follow-up"]),
            ),
            opt("refund_id", Kind::Id("refund")),
            opt("reason", Kind::Text(SENTENCES)),
        ],
        outputs: &[],
    },
    ActionType {
        name: "send-slack-message",
        prefix: "slack",
        titles: &[
            "Alert on-call",
            "Tell the account owner",
            "Post to the team",
        ],
        inputs: &[
            req(
                "channel",
                Kind::Word(&[
                    "#support-oncall",
                    "#enterprise-escalations",
                    "#support-leads",
                ]),
            ),
            req("text", Kind::Text(SENTENCES)),
            opt("unfurl_links", Kind::Bool),
        ],
        outputs: &[],
    },
    ActionType {
        name: "translate-text",
        prefix: "translate",
        titles: &["Translate for the agent", "Translate the reply"],
        inputs: &[
            req("text", Kind::Text(SENTENCES)),
            req("target", Kind::Word(&["en", "de", "fr", "es"])),
        ],
        outputs: &[("text", &[]), ("source_language", &[])],
    },
];

const WHENS: &[&str] = &[
    r#"ticket.priority == "urgent" and contact.plan in ["enterprise", "scale"]"#,
    r#"ticket.channel in ["email", "chat", "web-form"] and not ticket.is_spam"#,
    r#""refund-requested" in ticket.tags or ticket.priority in ["high", "urgent"]"#,
    r#"ticket.channel != "internal" && (contact.plan == "enterprise" || ticket.sla_breached == true)"#,
    r#"0 < ticket.age_hours < 48 and missing("ticket.assignee")"#,
];

/// Prints a program of `steps` actions; the same `(steps, seed)` always
/// gives the same text.
pub fn generate(steps: usize, seed: u64) -> String {
    let mut gen = Gen {
        rng: Rng(seed),
        out: String::with_capacity(steps * 200 + 512),
        visible: Vec::new(),
        remaining: steps,
        next_id: 0,
    };
    gen.program(steps, seed);
    gen.out
}

/// A step that later statements may reference.
struct Visible {
    id: String,
    ty: &'static ActionType,
}

struct Gen {
    rng: Rng,
    out: String,
    /// Steps that surely ran before the current point, innermost last: a
    /// branch truncates it back when it closes, so steps inside a branch
    /// are never referenced after their block (W201) nor from another
    /// branch (E203).
    visible: Vec<Visible>,
    /// Actions still to write.
    remaining: usize,
    /// Makes every id unique.
    next_id: usize,
}

impl Gen {
    fn program(&mut self, steps: usize, seed: u64) {
        let trigger = *self.rng.pick(&flowc::catalog::TRIGGERS);
        let _ = writeln!(
            self.out,
            "// Generated workload: {steps} steps, seed {seed}.\n\
             workflow \"Generated workload {seed:x}\" {{\n  \
             description \"A synthetic support workflow of {steps} steps for benchmarks\""
        );
        match trigger {
            "cron-trigger" => self.out.push_str(
                "  trigger cron-trigger { cron: \"0 8 * * mon-fri\", timezone: \"Europe/Berlin\" }\n",
            ),
            "webhook" => self
                .out
                .push_str("  trigger webhook { secret_header: \"X-Signature\" }\n"),
            _ => {
                let _ = writeln!(self.out, "  trigger {trigger}");
            }
        }
        let when = *self.rng.pick(WHENS);
        let _ = writeln!(self.out, "  when {when}\n");
        while self.remaining > 0 {
            self.element(1, 0);
        }
        self.out.push_str("}\n");
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str("  ");
        }
    }

    /// One statement of a list at `depth` if-blocks deep; needs `remaining > 0`.
    fn element(&mut self, level: usize, depth: usize) {
        if depth < MAX_IF_DEPTH && !self.visible.is_empty() && self.rng.chance(20) {
            self.indent(level);
            self.if_block(level, depth + 1);
            self.out.push('\n');
        } else {
            self.action(level);
        }
    }

    /// A branch's statements, at least one; the branch's steps stop being
    /// visible when it closes.
    fn list(&mut self, level: usize, depth: usize, len: usize) {
        let mark = self.visible.len();
        for _ in 0..len {
            if self.remaining == 0 {
                break;
            }
            self.element(level, depth);
        }
        self.visible.truncate(mark);
    }

    /// `if …` from the keyword to the closing brace (indentation and the
    /// final newline are the caller's).
    fn if_block(&mut self, level: usize, depth: usize) {
        self.out.push_str("if ");
        if self.rng.chance(30) {
            self.next_id += 1;
            let _ = write!(self.out, "gate_{}: ", self.next_id);
        }
        self.condition();
        self.out.push_str(" {\n");
        let len = self.rng.range(1, 4);
        self.list(level + 1, depth, len);
        self.indent(level);
        self.out.push('}');
        if self.remaining > 0 && self.rng.chance(60) {
            if depth < MAX_IF_DEPTH && self.rng.chance(25) {
                self.out.push_str(" else ");
                self.if_block(level, depth + 1);
            } else {
                self.out.push_str(" else {\n");
                let len = self.rng.range(1, 3);
                self.list(level + 1, depth, len);
                self.indent(level);
                self.out.push('}');
            }
        }
    }

    fn condition(&mut self) {
        let (step, field, ty) = self.reference_parts();
        let _ = write!(self.out, "{step}.output.{field}");
        let numeric = matches!(
            field.as_str(),
            "status" | "score" | "total" | "amount" | "count" | "confidence" | "tokens"
        );
        if numeric {
            let op = *self
                .rng
                .pick(&["==", "!=", ">", ">=", "<", "<=", "greater_than"]);
            let value = match field.as_str() {
                "status" => *self.rng.pick(&["200", "201", "404"]),
                "score" | "confidence" => *self.rng.pick(&["0.5", "0.75", "0.9"]),
                _ => *self.rng.pick(&["1", "10", "100", "500"]),
            };
            let _ = write!(self.out, " {op} {value}");
        } else if self.rng.chance(15) && !self.visible.is_empty() {
            // Both sides references.
            self.out.push_str(" == ");
            self.bare_reference();
        } else {
            let op = match (ty.name, field.as_str()) {
                ("fetch-order", "refundable") => "==",
                _ => *self
                    .rng
                    .pick(&["==", "!=", "contains", "starts_with", "not_equals"]),
            };
            let value = match ty.name {
                "request-approval" => *self.rng.pick(&["\"approve\"", "\"reject\""]),
                "detect-language" => *self.rng.pick(&["\"en\"", "\"de\"", "\"fr\""]),
                "fetch-order" if field == "refundable" => "true",
                _ => *self
                    .rng
                    .pick(&["\"enterprise\"", "\"ok\"", "\"EUR\"", "\"\""]),
            };
            let _ = write!(self.out, " {op} {value}");
        }
    }

    /// A visible step with outputs, and one of its output paths.
    fn reference_parts(&mut self) -> (String, String, &'static ActionType) {
        // Every visible step has outputs (only those are pushed), and
        // recent steps are the likeliest to be read.
        let n = self.visible.len();
        let i = if self.rng.chance(60) {
            n - 1 - self.rng.below(n.min(8))
        } else {
            self.rng.below(n)
        };
        let v = &self.visible[i];
        let (ty, id) = (v.ty, v.id.clone());
        let (field, deeper) = *self.rng.pick(ty.outputs);
        let path = if !deeper.is_empty() && self.rng.chance(50) {
            format!("{field}.{}", self.rng.pick(deeper))
        } else {
            field.to_string()
        };
        (id, path, ty)
    }

    fn bare_reference(&mut self) {
        let (step, path, _) = self.reference_parts();
        let _ = write!(self.out, "{step}.output.{path}");
    }

    fn spliced_reference(&mut self) {
        let (step, path, _) = self.reference_parts();
        let _ = write!(self.out, "<<{step}.output.{path}>>");
    }

    fn action(&mut self, level: usize) {
        let want_ref = !self.visible.is_empty() && self.rng.chance(50);
        let ty = loop {
            let ty = self.rng.pick(TYPES);
            if !want_ref || ty.inputs.iter().any(|i| i.kind.takes_reference()) {
                break ty;
            }
        };
        self.next_id += 1;
        let id = format!("{}_{}", ty.prefix, self.next_id);
        self.remaining -= 1;

        if self.rng.chance(8) {
            self.indent(level);
            let _ = writeln!(self.out, "// {}", self.rng.pick(SENTENCES));
        }
        self.indent(level);
        let _ = write!(self.out, "step {id}: {}", ty.name);
        if self.rng.chance(75) {
            let _ = write!(self.out, " \"{}\"", self.rng.pick(ty.titles));
        }

        // 2–4 inputs: the required ones, then optional ones in catalog order.
        let total = ty.inputs.len();
        let required = ty.inputs.iter().filter(|i| i.required).count();
        let want = self.rng.range(2.max(required), 4.min(total));
        let mut chosen = vec![false; total];
        let mut count = 0;
        for (k, input) in ty.inputs.iter().enumerate() {
            if input.required {
                chosen[k] = true;
                count += 1;
            }
        }
        while count < want {
            let k = self.rng.below(total);
            if !chosen[k] {
                chosen[k] = true;
                count += 1;
            }
        }
        // Which chosen input carries the reference, if one does.
        let mut carrier = None;
        if want_ref {
            let capable: Vec<usize> = (0..total)
                .filter(|&k| chosen[k] && ty.inputs[k].kind.takes_reference())
                .collect();
            carrier = match capable.is_empty() {
                false => Some(*self.rng.pick(&capable)),
                // Swap an input for one that can hold a reference.
                true => {
                    let k = (0..total)
                        .find(|&k| ty.inputs[k].kind.takes_reference())
                        .expect("the type was picked for it");
                    if let Some(drop) = (0..total).find(|&j| chosen[j] && !ty.inputs[j].required) {
                        chosen[drop] = false;
                    }
                    chosen[k] = true;
                    Some(k)
                }
            };
        }

        let inline = self.rng.chance(30) && want <= 2;
        if inline {
            self.out.push_str(" { ");
        } else {
            self.out.push_str(" {\n");
        }
        let mut first = true;
        for (k, input) in ty.inputs.iter().enumerate() {
            if !chosen[k] {
                continue;
            }
            if inline {
                if !first {
                    self.out.push_str(", ");
                }
            } else {
                self.indent(level + 1);
            }
            first = false;
            let _ = write!(self.out, "{}: ", input.name);
            self.value(input.kind, carrier == Some(k), level + 1);
            if !inline {
                self.out.push('\n');
            }
        }
        if inline {
            self.out.push_str(" }\n");
        } else {
            self.indent(level);
            self.out.push_str("}\n");
        }

        if !ty.outputs.is_empty() {
            self.visible.push(Visible { id, ty });
        }
    }

    /// One input value of `kind`; with `reference`, it reads a visible step.
    fn value(&mut self, kind: Kind, reference: bool, level: usize) {
        match kind {
            Kind::Text(options) => {
                let text = *self.rng.pick(options);
                self.out.push('"');
                self.out.push_str(text);
                if reference {
                    self.out.push_str(": ");
                    self.spliced_reference();
                    if self.rng.chance(30) {
                        self.out.push_str(" (\\\"");
                        self.spliced_reference();
                        self.out.push_str("\\\")");
                    }
                }
                self.out.push('"');
            }
            Kind::Prose(options) => {
                let text = *self.rng.pick(options);
                if self.rng.chance(50) {
                    // A text block, indented one level past the key.
                    self.out.push_str("\"\"\"\n");
                    self.indent(level + 1);
                    self.out.push_str(text);
                    self.out.push('\n');
                    if reference {
                        self.indent(level + 1);
                        self.out.push_str("Context: ");
                        self.spliced_reference();
                        self.out.push('\n');
                        self.out.push('\n');
                        self.indent(level + 1);
                        self.out.push_str("Previous answer: ");
                        self.spliced_reference();
                        self.out.push('\n');
                    }
                    self.indent(level + 1);
                    self.out.push_str("\"\"\"");
                } else {
                    self.out.push('"');
                    self.out.push_str(text);
                    if reference {
                        self.out.push_str("\\n\\nContext: ");
                        self.spliced_reference();
                    }
                    self.out.push('"');
                }
            }
            Kind::Word(options) => {
                let word = *self.rng.pick(options);
                let _ = write!(self.out, "\"{word}\"");
            }
            Kind::Id(what) => {
                if reference {
                    if self.rng.chance(70) {
                        self.bare_reference();
                    } else {
                        self.out.push('"');
                        self.spliced_reference();
                        self.out.push('"');
                    }
                } else {
                    let n = self.rng.below(1_000_000);
                    let _ = write!(self.out, "\"{what}_{n:06}\"");
                }
            }
            Kind::Url => {
                let url = *self.rng.pick(HTTP_URLS);
                if reference {
                    let _ = write!(self.out, "\"{url}/");
                    self.spliced_reference();
                    self.out.push_str("?expand=owner\"");
                } else {
                    let _ = write!(self.out, "\"{url}\"");
                }
            }
            Kind::Email => {
                if reference {
                    self.bare_reference();
                } else {
                    let user = *self.rng.pick(&["alex", "sam", "kim", "noor", "jo"]);
                    let _ = write!(self.out, "\"{user}@example.com\"");
                }
            }
            Kind::Int(lo, hi) => {
                let n = self.rng.range(lo, hi);
                let _ = write!(self.out, "{n}");
            }
            Kind::Num => {
                let whole = self.rng.below(500);
                let cents = self.rng.below(100);
                let _ = match self.rng.below(2) {
                    0 => write!(self.out, "{whole}"),
                    _ => write!(self.out, "{whole}.{cents:02}"),
                };
            }
            Kind::Ratio => {
                let tenths = self.rng.below(10);
                let _ = write!(self.out, "0.{tenths}");
            }
            Kind::Bool => {
                let b = self.rng.chance(50);
                let _ = write!(self.out, "{b}");
            }
            Kind::List(options) => {
                let n = self.rng.range(1, 3.min(options.len()));
                let start = self.rng.below(options.len());
                self.out.push('[');
                for k in 0..n {
                    if k > 0 {
                        self.out.push_str(", ");
                    }
                    let item = options[(start + k) % options.len()];
                    let _ = write!(self.out, "\"{item}\"");
                }
                self.out.push(']');
            }
            Kind::Headers => {
                self.out.push_str(
                    "{ Accept: \"application/json\", \"X-Client\": \"support-workflows\"",
                );
                if self.rng.chance(30) {
                    self.out.push_str(", \"X-Retry\": 3");
                }
                self.out.push_str(" }");
            }
            Kind::Any => {
                if reference && self.rng.chance(50) {
                    self.bare_reference();
                } else {
                    self.out.push_str("{ source: \"flowc\", priority: ");
                    let p = self.rng.range(1, 5);
                    let _ = write!(self.out, "{p}, tags: [\"a\", \"b\"]");
                    if reference {
                        self.out.push_str(", ref: \"");
                        self.spliced_reference();
                        self.out.push('"');
                    }
                    self.out.push_str(", active: true }");
                }
            }
        }
    }
}
