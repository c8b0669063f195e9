//! `flowc explain CODE`: each code's long explanation with a wrong and a right example.

use crate::Code;

/// One code's long explanation.
#[derive(Debug, Clone, Copy)]
pub struct Explanation {
    pub code: crate::Code,
    /// Several short paragraphs, plain text wrapped at 80 columns: what the code means,
    /// why it matters at run time (what breaks on the platform), and how to fix it.
    pub text: &'static str,
    /// A minimal complete `.flow` file that produces exactly this code (and nothing else).
    pub wrong: &'static str,
    /// The same file, fixed: it compiles with no diagnostic at all.
    pub right: &'static str,
    /// The `flowc.toml` both examples are checked against (E500–E504 need one), if any.
    pub catalog: Option<&'static str>,
    /// For E505 only: a `flowc.toml` that produces E505 (then `wrong` and `right` are clean flows).
    pub wrong_catalog: Option<&'static str>,
    /// For the import codes (E6xx): `wrong` and `right` are JSON bodies, one
    /// that `flowc import` refuses with this code and one it imports.
    pub import: bool,
}

/// The explanation of `code` (every code in `Code::ALL` has one).
pub fn explain(code: crate::Code) -> &'static Explanation {
    EXPLANATIONS
        .iter()
        .find(|e| e.code == code)
        .expect("every code has an explanation")
}

/// The text `flowc explain CODE` prints: a title line `CODE: summary`, the text,
/// then the wrong example under "Wrong:" and the right one under "Right:", each indented by 4 spaces,
/// and the catalog(s) when there are any, similarly labelled.
pub fn render(code: crate::Code) -> String {
    let e = explain(code);
    let mut out = format!("{code}: {}\n\n{}\n", code.summary(), e.text.trim_end());
    match e.wrong_catalog {
        // E505: what is wrong is the catalog; the flow is the same either way.
        Some(wrong_catalog) => {
            section(&mut out, "Wrong:", Some("# flowc.toml"), wrong_catalog);
            if let Some(catalog) = e.catalog {
                section(&mut out, "Right:", Some("# flowc.toml"), catalog);
            }
            section(&mut out, "A flow checked against it:", None, e.right);
        }
        None => {
            section(&mut out, "Wrong:", None, e.wrong);
            section(&mut out, "Right:", None, e.right);
            if let Some(catalog) = e.catalog {
                section(
                    &mut out,
                    "Both checked against this flowc.toml:",
                    None,
                    catalog,
                );
            }
        }
    }
    out
}

/// Appends a blank line, `label`, a blank line and `body` indented by 4 spaces
/// (blank lines stay empty).
fn section(out: &mut String, label: &str, first: Option<&str>, body: &str) {
    out.push('\n');
    out.push_str(label);
    out.push_str("\n\n");
    for line in first.into_iter().chain(body.trim_end().lines()) {
        if !line.trim().is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// The catalog of E500–E502: two action types with their inputs.
const CATALOG_TAG_AND_SLACK: &str = r##"[actions.add-ticket-tag.inputs]
tag = { type = "string", required = true }

[actions.send-slack-message.inputs]
channel = { type = "string", required = true }
text = { type = "string", required = true }
unfurl_links = { type = "boolean" }
"##;

/// The flow of E505, clean with and without its catalog.
const FLOW_E505: &str = r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent ticket waiting"
  }
}
"##;

static EXPLANATIONS: &[Explanation] = &[
    Explanation {
        code: Code::E100,
        text: r##"flowc could not parse the file: it met a token where the grammar allows
something else. The message says what was expected, and the caret points at
the offending token. Typical causes are a missing `:` between a step's id and
its type, an unbalanced `{` or `}`, a header written after the first
statement, a trigger type written as a string, or a stray word.

A syntax error stops the file's later checks, and nothing is built from a
file that does not parse, so no request body reaches the platform. Fix this
error first, then run `flowc check` again to see the rest.

A step is written `step ID: TYPE "Name" { inputs }`, where the name and the
inputs are optional. The headers (`description`, `trigger`, `when`,
`constraints`, `editor_state`) come before the first statement.
"##,
        wrong: r##"workflow "Tag web-form tickets" {
  trigger ticket-created

  step tag add-ticket-tag { tag: "web-form" }
}
"##,
        right: r##"workflow "Tag web-form tickets" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "web-form" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E101,
        text: r##"A string or a text block is malformed. A `"..."` string must end on the line
where it starts: a raw line break inside it is an error (write `\n`, or use a
text block). A text block opens with `"""` and a line break, with nothing
else after the opening quotes, and ends with a line holding only indentation
and `"""`. That closing line's indentation is removed from every line, so no
line of text may be indented less than it. Indentation is compared character
by character: tabs and spaces do not mix.

An unterminated string, text block or comment would swallow the rest of the
file, so flowc stops checking there. In every case the text that would reach
the customer or the agent is not the text you wrote, so nothing is built.

Fix: close the string on its own line, or indent every line of the text block
at least as far as its closing `"""`. Lines holding only whitespace may be
empty.
"##,
        wrong: r##"workflow "Acknowledge new tickets" {
  trigger ticket-created

  step ack: send-email {
    subject: "We got your request"
    body: """
      Thanks for writing to us.
    We will reply within one business day.
      """
  }
}
"##,
        right: r##"workflow "Acknowledge new tickets" {
  trigger ticket-created

  step ack: send-email {
    subject: "We got your request"
    body: """
      Thanks for writing to us.
      We will reply within one business day.
      """
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E102,
        text: r##"A backslash in a string starts an escape sequence, and this one is not
valid. Strings take JSON's escapes, `\" \\ \/ \b \f \n \r \t \uXXXX`, plus
two of flowc's own: `\<` and `\{`, which stand for a literal `<` and `{`. A
`\u` escape of half a surrogate pair (`\ud83d` without the `\ude00` that
completes it) is invalid too: it is not a character.

flowc emits strings as JSON, where an unknown escape has no meaning. Guessing,
by keeping or dropping the backslash, would change the text your customers
and agents read without telling you.

Fix: write `\\` for a backslash, as in `C:\\exports`. For a character outside
the Basic Multilingual Plane, write the full surrogate pair, or simply the
character itself: files are UTF-8.
"##,
        wrong: r##"workflow "Log export reminder" {
  trigger manual-ticket-trigger

  step note: add-internal-note {
    text: "Export the logs to C:\exports before escalating"
  }
}
"##,
        right: r##"workflow "Log export reminder" {
  trigger manual-ticket-trigger

  step note: add-internal-note {
    text: "Export the logs to C:\\exports before escalating"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E103,
        text: r##"Inside a string, `<<` (or `{{`) opens a reference, and this one is not well
formed. A reference is `<<step.output.field>>`: two or more segments of
letters, digits, `_` and `-`, joined by dots, with no space inside the path.
Spaces just inside the markers are fine (`<< lookup.output.status >>`), but
`<<name>>` (one segment), `<<first name>>`, `<<a . b>>` and a `<<` that never
closes are all E103.

The platform fills `{{...}}` placeholders when the workflow runs. A malformed
one is not filled: the customer or agent reads the raw template text, and
the value you wanted never arrives.

Fix the reference. If you mean the characters themselves, escape them: `\<<`
is emitted as a plain `<<`, and `\{{` as a plain `{{` (which the platform
still reads, so use it for text that another template engine fills). flowc
neither reads nor checks either.
"##,
        wrong: r##"workflow "Welcome new contacts" {
  trigger contact-created

  step contact: find-contact { create_if_missing: false }
  step welcome: send-email {
    subject: "Welcome, <<contact.output.first name>>"
  }
}
"##,
        right: r##"workflow "Welcome new contacts" {
  trigger contact-created

  step contact: find-contact { create_if_missing: false }
  step welcome: send-email {
    subject: "Welcome, <<contact.output.first_name>>"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E104,
        text: r##"A header is given twice. `description`, `trigger`, `when`, `constraints`
and `editor_state` each set one key of the request body, so each may appear
at most once in a workflow.

With two, one would silently win and the other be lost: a workflow that
fires on more tickets than you meant, or a description that says something
else. flowc does not guess which one you meant; it underlines the second and
labels the first.

Fix: keep one. Two `when` headers usually mean that both conditions must
hold: join them with `and` in one `when`.
"##,
        wrong: r##"workflow "Page on urgent email tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"
  when ticket.channel == "email"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent email ticket"
  }
}
"##,
        right: r##"workflow "Page on urgent email tickets" {
  trigger ticket-created
  when ticket.priority == "urgent" and ticket.channel == "email"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent email ticket"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E105,
        text: r##"A workflow has both `when` and `constraints`. Both set the body's
`trigger_constraints`: `when` as a readable expression that flowc compiles
to JSON Logic, `constraints` as JSON Logic written by hand. The body has one
such key, so a workflow has one header or the other.

Keeping both would drop one set of conditions, and the workflow would start
on events you meant to exclude.

Fix: merge them into one header. A `when` expresses what most `constraints`
do: `and`, `or`, `not`, comparisons, `in`, and JSON Logic operations such as
`missing("ticket.assignee")`. Keep `constraints` for the rest.
"##,
        wrong: r##"workflow "Page on urgent email tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"
  constraints { "==": [{ "var": "ticket.channel" }, "email"] }

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent email ticket"
  }
}
"##,
        right: r##"workflow "Page on urgent email tickets" {
  trigger ticket-created
  when ticket.priority == "urgent" and ticket.channel == "email"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent email ticket"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E106,
        text: r##"The workflow has no `trigger` header. `trigger_type` is a required key of
the request body: it says what starts the workflow, such as `ticket-created`,
`webhook` or `cron-trigger`.

Without it the API rejects the body, and nothing would ever start the
workflow anyway.

Fix: add a `trigger` header before the first statement. Use `manual-trigger`
for a workflow that is started on demand; `flowc explain E300` lists every
trigger type the API knows.
"##,
        wrong: r##"workflow "Tag refund requests" {
  description "Tag every new ticket that asks for a refund"

  step tag: add-ticket-tag { tag: "refund" }
}
"##,
        right: r##"workflow "Tag refund requests" {
  description "Tag every new ticket that asks for a refund"
  trigger ticket-created

  step tag: add-ticket-tag { tag: "refund" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E107,
        text: r##"A file holds exactly one workflow, and this one holds none or more than
one: it is empty, holds only comments, or has a second `workflow "..." {...}`
after the first.

One file is built into one `POST /workflows` request body. Two workflows have
no single body to become, and an empty file has nothing to create. flowc
stops checking the file here.

Fix: put each workflow in a `.flow` file of its own. `flowc check DIR` checks
every file of a folder, and `flowc build DIR --out-dir OUT` builds each into
its own `NAME.json`.
"##,
        wrong: r##"workflow "Tag refund requests" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "refund" }
}
workflow "Tag return requests" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "return" }
}
"##,
        right: r##"workflow "Tag refund requests" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "refund" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E108,
        text: r##"The file nests deeper than 64 levels. The workflow body is level 0, and
each `if`, `else if`, `block`, object, array, parenthesis, call and `not`
adds one.

No hand-written workflow needs that depth: it is almost always a generator
gone wrong or a run of unbalanced brackets. flowc refuses it up front rather
than risk running out of stack, and stops checking the file. JSON parsers
commonly cap nesting too, so such a body may well be refused by the API.

Fix: flatten the structure. A long `else if` chain can usually become
separate `if`s that each test one case, and deeply nested lists can become a
flat list, or an object with named keys.
"##,
        wrong: r##"workflow "Route VIP tickets" {
  trigger ticket-created

  step route: assign-ticket { team: "vip", rules: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["vip"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] }
}
"##,
        right: r##"workflow "Route VIP tickets" {
  trigger ticket-created

  step route: assign-ticket { team: "vip", rules: ["vip"] }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E109,
        text: r##"An object has the same key twice, or a block has two branches of the same
name. The keys of step inputs, block inputs, the trigger configuration,
`constraints`, `editor_state` and `raw` objects must be unique.

JSON does not say what a duplicate key means: most parsers keep the last
value, some the first, and some reject the body. Whatever the platform does,
one of the two values is silently lost, and the step runs with the other.

Fix: keep one of them. If the input takes several values, give it a list, as
in `to: ["leads@example.com", "finance@example.com"]`.
"##,
        wrong: r##"workflow "Refund notice" {
  trigger ticket-tag-added

  step notify: send-email {
    to: "support-leads@example.com"
    subject: "Refund requested"
    to: "finance@example.com"
  }
}
"##,
        right: r##"workflow "Refund notice" {
  trigger ticket-tag-added

  step notify: send-email {
    to: ["support-leads@example.com", "finance@example.com"]
    subject: "Refund requested"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E111,
        text: r##"A bare word stands where a value is expected. A value is a string, a text
block, a number, `true`, `false`, `null`, an object, an array or a
reference, and a reference is a path with at least one dot, such as
`lookup.output.status`. A lone word such as `GET` is none of these.

In `raw`, `editor_state` and `constraints`, which hold plain data emitted
exactly as written, even a dotted path is a bare word: references are not
read there.

flowc does not guess whether you meant the text or a reference you mistyped;
either guess could send the platform a value you did not mean.

Fix: quote the word (`method: "GET"`), or, if you meant a reference, write
its whole path (`lookup.output.method`).
"##,
        wrong: r##"workflow "CRM lookup" {
  trigger ticket-created

  step lookup: http-request {
    method: GET
    url: "https://crm.example.com/search"
  }
}
"##,
        right: r##"workflow "CRM lookup" {
  trigger ticket-created

  step lookup: http-request {
    method: "GET"
    url: "https://crm.example.com/search"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E200,
        text: r##"Two statements have the same id. The ids of steps, `if`s and `block`s and
the `"id"` of `raw` elements share one namespace. An `if` without an id gets
the automatic id `if-N` (N counts every `if` of the file, in order), so a
step called `if-1` can collide with one. The diagnostic labels both.

The platform tells steps apart by id: `{{notify.output.id}}` could mean
either step, the editor and the run history mix them up, and the API may
reject the body. References in the file resolve to the first definition,
which may not be the one you meant.

Fix: rename one of them, and update the references that mean it.
"##,
        wrong: r##"workflow "New ticket notices" {
  trigger ticket-created

  step notify: send-email { template: "ticket-received" }
  step notify: send-slack-message {
    channel: "#support"
    text: "New ticket"
  }
}
"##,
        right: r##"workflow "New ticket notices" {
  trigger ticket-created

  step notify_customer: send-email { template: "ticket-received" }
  step notify_team: send-slack-message {
    channel: "#support"
    text: "New ticket"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E201,
        text: r##"A reference names a step that does not exist. A reference whose second
segment is `output`, such as `<<lokup.output.tier>>`, reads a step's output,
and no step (nor `raw` element) has that id. A reference to the id of an
`if` or a `block` is E201 too: blocks have no output.

At run time the platform has nothing to fill the placeholder with, so the
action runs with an empty or unfilled value, often noticed only when a
customer sees it.

Fix: correct the id; the help line suggests the closest step. To act on what
happened inside a block, read the output of a step inside it.
"##,
        wrong: r##"workflow "Tag by account tier" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  step tag: add-ticket-tag { tag: "tier-<<lokup.output.body.tier>>" }
}
"##,
        right: r##"workflow "Tag by account tier" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  step tag: add-ticket-tag { tag: "tier-<<lookup.output.body.tier>>" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E202,
        text: r##"A reference reads the output of a step that runs later. Steps run in the
order they are written, so at this point that step has not run and has no
output yet.

At run time the placeholder is filled before the step it names has run, so
the value is empty every time.

Fix: move the step above its first use; a label points at where it is
defined now. If two steps seem to need each other's output, split the work
so that each reads only steps before it.
"##,
        wrong: r##"workflow "Welcome new contacts" {
  trigger contact-created

  step welcome: send-email { subject: "Hi <<profile.output.first_name>>" }
  step profile: find-contact { create_if_missing: false }
}
"##,
        right: r##"workflow "Welcome new contacts" {
  trigger contact-created

  step profile: find-contact { create_if_missing: false }
  step welcome: send-email { subject: "Hi <<profile.output.first_name>>" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E203,
        text: r##"A reference reads a step that cannot have run before it, on any path through
the workflow:

- a step reading its own output;
- a step in one branch of a block, read from another branch of the same
  block: only one branch runs;
- the condition or inputs of an `if` or `block` reading a step inside that
  block: they are evaluated before anything inside it runs.

The value is never there, on any run, so the reference is always empty.
Unlike E202, moving the step up a few lines does not help.

Fix: read a step that really runs first. Usually the reader belongs in the
same branch as the step it reads, or the step belongs before the block.
"##,
        wrong: r##"workflow "Refund triage" {
  trigger ticket-tag-added

  step risk: score-fraud-risk { order_id: "A-1042" }
  if risk.output.score >= 0.5 {
    step review: request-approval { approvers: ["fraud@example.com"] }
  } else {
    step refund: issue-refund { approval_id: review.output.id }
  }
}
"##,
        right: r##"workflow "Refund triage" {
  trigger ticket-tag-added

  step risk: score-fraud-risk { order_id: "A-1042" }
  if risk.output.score >= 0.5 {
    step review: request-approval { approvers: ["fraud@example.com"] }
    step refund_reviewed: issue-refund { approval_id: review.output.id }
  } else {
    step refund: issue-refund { order_id: "A-1042" }
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E204,
        text: r##"A reference names a step but none of its output fields. A step's data lives
under `output`: write `<<lookup.output.status>>`, not `<<lookup.status>>`
nor `<<lookup.output>>`.

The platform reads a step's results as `{{step.output.field}}`;
`{{lookup.status}}` names nothing, so the value is empty at run time.

Fix: insert `output.` after the step id and name a field. The help line
shows the corrected reference.
"##,
        wrong: r##"workflow "Note CRM status" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  step note: add-internal-note {
    text: "CRM answered <<lookup.status>>"
  }
}
"##,
        right: r##"workflow "Note CRM status" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  step note: add-internal-note {
    text: "CRM answered <<lookup.output.status>>"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E206,
        text: r##"A step is referenced where no step has run yet: in `when`, in
`constraints`, or in the trigger's configuration. These are evaluated when
the event arrives, to decide whether the workflow starts at all; the steps
run only afterwards. In `when` and `constraints`, a var of the form
`step.output...` naming a step of the file counts as such a reference.

The value is missing on every event, so the workflow would start always or
never, whatever the step would have said.

Fix: trigger constraints read only the event's data, such as
`ticket.priority` or `contact.plan`. To act on a step's output, let the
workflow start and test the output with an `if` after the step.
"##,
        wrong: r##"workflow "Tag refund requests" {
  trigger ticket-created
  when classify.output.intent == "refund"

  step classify: classify-ticket { categories: ["refund", "other"] }
  step tag: add-ticket-tag { tag: "refund" }
}
"##,
        right: r##"workflow "Tag refund requests" {
  trigger ticket-created

  step classify: classify-ticket { categories: ["refund", "other"] }
  if classify.output.intent == "refund" {
    step tag: add-ticket-tag { tag: "refund" }
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E207,
        text: r##"A reference starts with a name that is neither a step nor a declared root.
A reference reads a step's output, `<<step.output.field>>`, or starts with a
root that the project declares in `flowc.toml`, such as the trigger's data.
By default no root is declared, so `<<ticket.requester_email>>` in a file
without a step `ticket` is E207.

At run time the platform has nothing to fill the placeholder with, and the
action receives an empty value.

Fix: read the value from a step's output, as in the example below. If the
platform does provide that data to every step, declare its root:

    [references]
    roots = ["ticket"]

If you meant the literal text `<<`, write `\<<`.
"##,
        wrong: r##"workflow "CSAT survey" {
  trigger ticket-resolved

  step survey: send-email {
    to: "<<ticket.requester_email>>"
    template: "csat-survey"
  }
}
"##,
        right: r##"workflow "CSAT survey" {
  trigger ticket-resolved

  step requester: find-contact { create_if_missing: false }
  step survey: send-email {
    to: "<<requester.output.email>>"
    template: "csat-survey"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E208,
        text: r##"The workflow's name, a step's id, an `if` or block id, or a step or block
type is the empty string `""`.

The API requires a workflow name of at least one character and rejects the
body otherwise. An empty id cannot be referenced or told apart from another,
and an empty type names no action the platform can run.

Fix: give it a name. Ids may be quoted strings, such as the UUIDs an import
produces (`step "3f9c0e1a": send-email`), but not empty ones.
"##,
        wrong: r##"workflow "" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "new" }
}
"##,
        right: r##"workflow "Tag new tickets" {
  trigger ticket-created

  step tag: add-ticket-tag { tag: "new" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E300,
        text: r##"The trigger type is not one the API knows. `trigger_type` is an enum in the
API, and any other value is rejected when the workflow is created. The API
page lists these 25:

    manual-trigger, ai-trigger, cron-trigger, form-trigger, webhook,
    contact-created, phone-call-started, phone-call-finished,
    ticket-created, ticket-reassigned, ticket-resolved, ticket-handoff,
    pre-ticket-handoff, ticket-tag-added, ticket-inactive,
    sequence-completed, csat-score-submit, prohibited-topic-detected,
    sla-first-reply-breached, sla-next-reply-breached,
    sla-resolution-breached, voice-call-transferred,
    pre-voice-call-transfer, pre-phone-call-finished,
    manual-ticket-trigger

Fix the spelling; the help line suggests the closest type. If your platform
has trigger types that the API page does not list yet, declare them in
`flowc.toml`:

    [triggers]
    extra = ["ticket-merged"]
"##,
        wrong: r##"workflow "Acknowledge new tickets" {
  trigger ticket-create

  step ack: send-email { template: "ticket-received" }
}
"##,
        right: r##"workflow "Acknowledge new tickets" {
  trigger ticket-created

  step ack: send-email { template: "ticket-received" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E301,
        text: r##"A `cron-trigger` has no cron expression. A scheduled workflow needs to know
when to run: write the expression after the trigger type,
`trigger cron-trigger "0 8 * * 1-5"`, or in a configuration object,
`trigger cron-trigger { cron: "0 8 * * 1-5", timezone: "Europe/Berlin" }`.

Without one the platform has no schedule, and the workflow never runs.

Fix: add the expression; `flowc explain E302` describes what it may hold.
"##,
        wrong: r##"workflow "Morning backlog report" {
  trigger cron-trigger

  step report: send-slack-message {
    channel: "#support-leads"
    text: "Backlog report"
  }
}
"##,
        right: r##"workflow "Morning backlog report" {
  trigger cron-trigger "0 8 * * mon-fri"

  step report: send-slack-message {
    channel: "#support-leads"
    text: "Backlog report"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E302,
        text: r##"The cron expression of a `cron-trigger` does not parse, or `cron` is not a
string. A valid expression has 5 fields (minute, hour, day of month, month,
day of week), or 6 with leading seconds. Each field is `*`, a number, an
ascending range such as `1-5`, a list such as `1,15`, or any of these with a
step, such as `*/10`, within its range: seconds and minutes 0-59, hours
0-23, days of month 1-31, months 1-12 or `jan`-`dec`, days of week 0-7 or
`sun`-`sat` (0 and 7 are Sunday). The day fields may also be `?`. The macros
`@yearly`, `@monthly`, `@weekly`, `@daily` and `@hourly` stand alone.

The platform would refuse the schedule or, worse, read it differently from
you. The diagnostic points at the field it cannot read.

Fix the field. Midnight is hour 0, not 24, and `@daily` says the same.
"##,
        wrong: r##"workflow "Nightly SLA report" {
  trigger cron-trigger "0 24 * * *"

  step report: send-slack-message {
    channel: "#support-leads"
    text: "SLA report"
  }
}
"##,
        right: r##"workflow "Nightly SLA report" {
  trigger cron-trigger "0 0 * * *"

  step report: send-slack-message {
    channel: "#support-leads"
    text: "SLA report"
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E303,
        text: r##"A `when` expression calls, or a `constraints` object uses, an operation
that JSON Logic does not have. In `when`, `name(args)` is a JSON Logic
operation; in `constraints`, every object with exactly one key is one, named
by its key. The operations are: var, missing, missing_some, if, ?: (only
in `constraints`: it is not a name to call), ==, ===, !=, !==, !, !!, and,
or, >, >=, <, <=, max, min, +, *, -, /, %, map, filter, all, none, some,
reduce, merge, in, cat, substr and log.

The platform evaluates trigger constraints as JSON Logic, and JSON Logic
engines fail on an operation they do not know, so the constraint cannot be
evaluated and the workflow does not start when you meant it to.

Fix: write it with a JSON Logic operation; the help line suggests the
closest one, or lists them all. Membership in a list, or in a text, is `in`:
`"vip" in ticket.tags`.
"##,
        wrong: r##"workflow "VIP escalation" {
  trigger ticket-created
  when contains(ticket.tags, "vip")

  step route: assign-ticket { team: "vip-support" }
}
"##,
        right: r##"workflow "VIP escalation" {
  trigger ticket-created
  when "vip" in ticket.tags

  step route: assign-ticket { team: "vip-support" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E304,
        text: r##"JSON Logic cannot express this: an operation has the wrong number of
arguments, or comparisons are chained in a way JSON Logic has no form for.
Only `a < b < c` and `a <= b <= c` chain: they become JSON Logic's between,
`{"<": [a, b, c]}`, which applies one operator to both sides. Any other
chain, such as `0 < x <= 30` or `a == b == c`, is E304, as is
`missing_some("ticket.email")`: `missing_some` takes two arguments, the
number needed and the list of names. The message gives the expected count.

JSON Logic engines do not reject a wrong argument count: they ignore extra
arguments or read missing ones as null, so the constraint silently tests
something else than what you wrote.

Fix: join separate comparisons with `and`, and give each operation the
arguments it takes.
"##,
        wrong: r##"workflow "Early SLA breach" {
  trigger sla-first-reply-breached
  when 0 < sla.minutes_overdue <= 30

  step bump: set-ticket-priority { priority: "urgent" }
}
"##,
        right: r##"workflow "Early SLA breach" {
  trigger sla-first-reply-breached
  when 0 < sla.minutes_overdue and sla.minutes_overdue <= 30

  step bump: set-ticket-priority { priority: "urgent" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E400,
        text: r##"An `if` uses a condition operator that the platform does not know. The
condition is emitted as an if-else block's `operatorName`, and the platform
knows `equals`, `not_equals`, `greater_than`, `greater_than_or_equals`,
`less_than`, `less_than_or_equals`, `contains`, `not_contains`,
`starts_with` and `ends_with`; `==`, `!=`, `>`, `>=`, `<` and `<=` stand for
the first six.

With an operator it does not know, the platform cannot evaluate the
condition: the block fails, or takes a branch you did not mean, at run time.

Fix: use a known operator; the help line suggests the closest one, or lists
them all. If your platform supports more, declare them in `flowc.toml`:

    [operators]
    names = ["matches_regex"]
"##,
        wrong: r##"workflow "Tag VIP tickets" {
  trigger ticket-created

  step classify: classify-ticket { categories: ["vip", "standard"] }
  if classify.output.labels includes "vip" {
    step tag: add-ticket-tag { tag: "vip" }
  }
}
"##,
        right: r##"workflow "Tag VIP tickets" {
  trigger ticket-created

  step classify: classify-ticket { categories: ["vip", "standard"] }
  if classify.output.labels contains "vip" {
    step tag: add-ticket-tag { tag: "vip" }
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E500,
        text: r##"A step's type is not declared in the project's `flowc.toml`. The API page
does not list the platform's action types, so a project describes them in
its catalog, found beside the `.flow` file or in the nearest parent folder
(`--catalog PATH` overrides). Once `[actions]` declares any type, every
step must use a declared one.

The platform cannot run an action type it does not have: the workflow
breaks at that step, if the API accepts it at all.

Fix: correct the type (the help line suggests the closest declared one), or
declare the new type with its inputs and outputs:

    [actions.send-sms]
    outputs = ["id"]
    [actions.send-sms.inputs]
    to = { type = "string", required = true }
"##,
        wrong: r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-msg {
    channel: "#support-oncall"
    text: "Urgent ticket"
  }
}
"##,
        right: r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent ticket"
  }
}
"##,
        catalog: Some(CATALOG_TAG_AND_SLACK),
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E501,
        text: r##"A step leaves out an input that its type requires: `flowc.toml` declares
it with `required = true`.

The action cannot run without it: the step fails at run time, part-way
through the workflow, after the steps before it have already acted.

Fix: add the input. Its value may be a reference, such as
`lookup.output.body.owner`, which passes any declared type.
"##,
        wrong: r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-message { channel: "#support-oncall" }
}
"##,
        right: r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent ticket"
  }
}
"##,
        catalog: Some(CATALOG_TAG_AND_SLACK),
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E502,
        text: r##"A step gives an input that its type does not declare in `flowc.toml`. A
declared type without `inputs` takes none.

The platform ignores the input or rejects the step; either way the setting
you wrote has no effect. Usually the name is a misspelling of a declared
input, which then silently keeps its default.

Fix: correct the name; the help line suggests the closest input, or lists
them all. If the action really takes it, declare it under
`[actions.TYPE.inputs]`.
"##,
        wrong: r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent ticket"
    unfurl: false
  }
}
"##,
        right: r##"workflow "Page on urgent tickets" {
  trigger ticket-created
  when ticket.priority == "urgent"

  step page: send-slack-message {
    channel: "#support-oncall"
    text: "Urgent ticket"
    unfurl_links: false
  }
}
"##,
        catalog: Some(CATALOG_TAG_AND_SLACK),
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E503,
        text: r##"An input's value has the wrong type, or is not one of the values its `enum`
allows. The types are `string`, `number`, `integer` (a number written without
fraction or exponent), `boolean`, `object`, `array` and `any`. A value that
is exactly one reference, such as `lookup.output.id` or
`"<<lookup.output.id>>"`, passes any type and enum, since it is known only at
run time; a string with a reference inside it is a string.

The action receives a value it cannot use: the step fails at run time, or
the platform stores a priority, status or channel that nothing else
recognises.

Fix: give a value of the declared type, one of the allowed values when the
input has an `enum` (the help line lists them).
"##,
        wrong: r##"workflow "Escalate complaints" {
  trigger ticket-tag-added
  when "complaint" in ticket.tags

  step bump: set-ticket-priority { priority: "critical" }
}
"##,
        right: r##"workflow "Escalate complaints" {
  trigger ticket-tag-added
  when "complaint" in ticket.tags

  step bump: set-ticket-priority { priority: "urgent" }
}
"##,
        catalog: Some(
            r##"[actions.set-ticket-priority]
outputs = ["previous_priority"]
[actions.set-ticket-priority.inputs]
priority = { type = "string", enum = ["low", "normal", "high", "urgent"] }
"##,
        ),
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E504,
        text: r##"A reference reads an output field that the step's type does not declare.
A type's `outputs` in `flowc.toml` lists the first field after `.output.`;
deeper paths, such as `lookup.output.body.owner.email`, are not checked. A
declared type without `outputs` has none.

The step never produces that field, so the placeholder is empty at run time.

Fix: use a declared field; the help line suggests the closest one, or lists
them all. If the action does produce the field, add it to the type's
`outputs`.
"##,
        wrong: r##"workflow "Note CRM status" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  step note: add-internal-note {
    text: "CRM answered <<lookup.output.status_code>>"
  }
}
"##,
        right: r##"workflow "Note CRM status" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  step note: add-internal-note {
    text: "CRM answered <<lookup.output.status>>"
  }
}
"##,
        catalog: Some(
            r##"[actions.http-request]
outputs = ["status", "body", "headers"]
[actions.http-request.inputs]
url = { type = "string", required = true }

[actions.add-internal-note.inputs]
text = { type = "string", required = true }
"##,
        ),
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::E505,
        text: r##"The project's `flowc.toml` is invalid: it is not valid TOML, holds a table
or key that flowc does not know, or gives a value of the wrong kind. The
diagnostic points into `flowc.toml`, not into the flow file.

A catalog with any E505 is reported once and not used at all: the flow is
checked against the defaults alone, so action types, inputs and output
fields go unchecked until it is fixed. An unknown key is never skipped
silently, because a misspelled `requird` would otherwise quietly turn a
check off.

Fix the key or value; the help line suggests the closest known key. The
file may hold `[references] roots`, `[triggers] extra`, `[operators] names`,
`[operators.symbols]`, and for each action type `[actions.TYPE] outputs`
and `[actions.TYPE.inputs]`, whose entries take `type`, `required` and
`enum`.
"##,
        wrong: FLOW_E505,
        right: FLOW_E505,
        catalog: Some(
            r##"[actions.send-slack-message.inputs]
channel = { type = "string", required = true }
text = { type = "string", required = true }
"##,
        ),
        wrong_catalog: Some(
            r##"[actions.send-slack-message.inputs]
channel = { type = "string", required = true }
text = { type = "string", requird = true }
"##,
        ),
        import: false,
    },
    Explanation {
        code: Code::E600,
        text: r##"`flowc import` was given a file that is not JSON: a missing comma or quote,
a trailing comma, a comment, or text after the body. flowc reads JSON as
RFC 8259 defines it, as the API does, and points at the first place where
the text stops being JSON.

Nothing is written. Fix the JSON (the message says what was expected and
where), or export the body again from the dashboard.
"##,
        wrong: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": [],}
"##,
        right: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": []}
"##,
        catalog: None,
        wrong_catalog: None,
        import: true,
    },
    Explanation {
        code: Code::E601,
        text: r##"The JSON is not a workflow body: it is not an object, or it lacks `name`,
`trigger_type` or `workflow_blocks`, or one of them has the wrong type, or
its trigger type cannot be written as the bare name flow text needs.

A body the API accepts always has these three keys. A response body (with
`id`, `workflow_id`, `created_at` and the like) is fine too: its server
fields are dropped with a note.
"##,
        wrong: r##"{"name": "Ping", "workflow_blocks": []}
"##,
        right: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": []}
"##,
        catalog: None,
        wrong_catalog: None,
        import: true,
    },
    Explanation {
        code: Code::E602,
        text: r##"An element of `workflow_blocks`, or of a block's branch, is not an object.
Every element is an object with `$kind`: an Action or a Block. flow text
has no way to write a bare string or number there, so the body cannot be
imported; the message names the element's JSON path, such as
`workflow_blocks[3].branches.then[0]`.
"##,
        wrong: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": ["ping"]}
"##,
        right: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": [
  {"$kind": "Action", "id": "ping", "type": "noop", "name": "ping", "input": {}}
]}
"##,
        catalog: None,
        wrong_catalog: None,
        import: true,
    },
    Explanation {
        code: Code::E603,
        text: r##"A JSON object in the body has the same key twice. JSON parsers disagree on
what that means (most keep the last one, silently), and flow text cannot
write it at all (E109), so import refuses rather than guess. The message
names the object's JSON path; keep one of the two members.
"##,
        wrong: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": [
  {"$kind": "Action", "id": "ping", "type": "noop", "name": "ping", "input": {"a": 1, "a": 2}}
]}
"##,
        right: r##"{"name": "Ping", "trigger_type": "manual-trigger", "workflow_blocks": [
  {"$kind": "Action", "id": "ping", "type": "noop", "name": "ping", "input": {"a": 2}}
]}
"##,
        catalog: None,
        wrong_catalog: None,
        import: true,
    },
    Explanation {
        code: Code::E604,
        text: r##"Part of the body is nested deeper than flow text can write: the workflow
body is level 0 and each if, block, object and array adds one, up to 64
(E108). The message names the JSON path where the limit is passed.

Such a body is also hard to read and to edit in the dashboard: flatten it,
for instance by moving deep data into a step of its own.
"##,
        wrong: r##"{"name": "Deep", "trigger_type": "manual-trigger", "workflow_blocks": [
  {"$kind": "Action", "id": "a", "type": "noop", "name": "a", "input": {"k":
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
  }}
]}
"##,
        right: r##"{"name": "Deep", "trigger_type": "manual-trigger", "workflow_blocks": [
  {"$kind": "Action", "id": "a", "type": "noop", "name": "a", "input": {"k": [[1]]}}
]}
"##,
        catalog: None,
        wrong_catalog: None,
        import: true,
    },
    Explanation {
        code: Code::W001,
        text: r##"An allow comment silenced nothing. `// flowc: allow(CODES)`, alone on its
line, silences those codes for the next statement and everything inside it,
or, written before `workflow`, for the whole file. This one stands before a
statement that raises none of its codes, or where it covers nothing: before
a header or a closing brace. Syntax errors (E1xx) can never be silenced.

A stale allow comment is a trap: the next real problem of that kind in that
statement would be hidden without anyone deciding so.

Fix: remove the comment, or move it above the statement that raises the
code.
"##,
        wrong: r##"workflow "Tag refund requests" {
  trigger ticket-tag-added

  // flowc: allow(W201)
  step tag: add-ticket-tag { tag: "refund-requested" }
}
"##,
        right: r##"workflow "Tag refund requests" {
  trigger ticket-tag-added

  step tag: add-ticket-tag { tag: "refund-requested" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::W201,
        text: r##"A reference reads a step inside a branch of an earlier block. That step ran
only if its branch was taken, so after the block it may or may not have run.

On runs where the other branch was taken, the placeholder is empty: here,
customers without a refund would get an email about refund "".

Fix: read the step inside its branch, as in the example below, or give every
branch a step that produces the value. If an empty value is fine, silence
the warning with `// flowc: allow(W201)` on the line before the statement.
"##,
        wrong: r##"workflow "Refund notice" {
  trigger ticket-tag-added

  step classify: classify-ticket { categories: ["refund", "other"] }
  if classify.output.category == "refund" {
    step refund: issue-refund { order_id: "A-1042" }
  }
  step tell: send-email { subject: "Refund <<refund.output.id>> issued" }
}
"##,
        right: r##"workflow "Refund notice" {
  trigger ticket-tag-added

  step classify: classify-ticket { categories: ["refund", "other"] }
  if classify.output.category == "refund" {
    step refund: issue-refund { order_id: "A-1042" }
    step tell: send-email { subject: "Refund <<refund.output.id>> issued" }
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::W400,
        text: r##"An `if` condition has no reference on either side, so it compares two fixed
values and always takes the same branch. A frequent cause is a quoted path:
`"lookup.output.status"` is that text, not the step's status.

The block is dead weight at run time: one branch always runs, the other
never does, whatever the ticket.

Fix: compare a step's output, written bare (`lookup.output.status`) or as
`"<<lookup.output.status>>"` inside a string. If one branch is simply what
you want, keep its steps and drop the `if`.
"##,
        wrong: r##"workflow "CRM fallback" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  if "lookup.output.status" == 200 {
    step tag: add-ticket-tag { tag: "crm-found" }
  }
}
"##,
        right: r##"workflow "CRM fallback" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  if lookup.output.status == 200 {
    step tag: add-ticket-tag { tag: "crm-found" }
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::W401,
        text: r##"An `if` has an empty `then` branch: nothing runs when the condition holds,
and all the work is in `else`.

The workflow runs as written, but the condition reads backwards, which makes
it easy to misread and to break in a later edit.

Fix: invert the condition (`==` becomes `!=`, `>` becomes `<=`) and move the
`else` branch into `then`.
"##,
        wrong: r##"workflow "CRM fallback" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  if lookup.output.status == 200 {
  } else {
    step alert: send-slack-message {
      channel: "#support-oncall"
      text: "CRM is down"
    }
  }
}
"##,
        right: r##"workflow "CRM fallback" {
  trigger ticket-created

  step lookup: http-request { url: "https://crm.example.com/search" }
  if lookup.output.status != 200 {
    step alert: send-slack-message {
      channel: "#support-oncall"
      text: "CRM is down"
    }
  }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
    Explanation {
        code: Code::W500,
        text: r##"A `raw` element is emitted exactly as written, and flowc checks nothing
inside it: no references are read (a bare path there is E111), and the
action type and inputs are not compared with `flowc.toml`. Only its string
`"id"` joins the namespace of ids, so that other steps can read its output.

Whatever is wrong inside reaches the platform unnoticed: a misspelled key,
a missing input, a reference to a step that does not exist.

Fix: write it as a `step` or `block` where they can express it, so flowc
checks it. When `raw` really is needed, for an element shape the sugar
cannot write, silence the warning with `// flowc: allow(W500)` on the line
before it.
"##,
        wrong: r##"workflow "Tag VIP tickets" {
  trigger ticket-created

  raw {
    "$kind": "Action"
    id: "tag"
    type: "add-ticket-tag"
    name: "Tag VIP"
    input: { tag: "vip" }
  }
}
"##,
        right: r##"workflow "Tag VIP tickets" {
  trigger ticket-created

  step tag: add-ticket-tag "Tag VIP" { tag: "vip" }
}
"##,
        catalog: None,
        wrong_catalog: None,
        import: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_follow_code_all() {
        assert_eq!(EXPLANATIONS.len(), Code::ALL.len());
        for (explanation, &code) in EXPLANATIONS.iter().zip(Code::ALL) {
            assert_eq!(explanation.code, code);
        }
    }

    #[test]
    fn explanation_codes_are_unique() {
        let mut codes: Vec<Code> = EXPLANATIONS.iter().map(|e| e.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), EXPLANATIONS.len());
    }

    #[test]
    fn render_lays_out_title_text_and_examples() {
        let text = render(Code::E201);
        assert!(text.starts_with("E201: reference to an unknown step\n\nA reference"));
        assert!(text.contains("\nWrong:\n\n    workflow \"Tag by account tier\" {\n"));
        assert!(text.contains("\nRight:\n\n    workflow \"Tag by account tier\" {\n"));
        assert!(!text.contains("flowc.toml:"));
        assert!(text.ends_with("    }\n"));
        assert!(
            !text.lines().any(|l| l.ends_with(' ')),
            "no trailing spaces"
        );
    }

    #[test]
    fn render_shows_the_catalogs() {
        let text = render(Code::E501);
        assert!(text.contains("\nBoth checked against this flowc.toml:\n\n    [actions."));
        let text = render(Code::E505);
        assert!(text.contains("\nWrong:\n\n    # flowc.toml\n    [actions."));
        assert!(text.contains("requird = true"));
        assert!(text.contains("\nRight:\n\n    # flowc.toml\n"));
        assert!(text.contains("\nA flow checked against it:\n\n    workflow "));
    }
}
