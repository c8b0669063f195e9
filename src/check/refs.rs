//! Reference resolution in flow order: E201–E207 and W201.
//!
//! A step is visible to everything after it in its own list and, through
//! the enclosing blocks, to everything after those blocks' conditions. A step
//! inside a branch is only *maybe* run for what follows its block (W201).

use super::{visit, Ctx, Def, IdKind, Node};
use crate::ast::{HeaderKind, Reference, Workflow};
use crate::diagnostic::{suggest, Code, Diagnostic};

/// Where a reference stands.
#[derive(Clone, Copy)]
enum Loc<'p> {
    /// In the trigger configuration: before any step.
    Trigger,
    /// In a statement: a step's inputs, or (`container`) an `if`'s condition
    /// or a block's inputs.
    Stmt {
        order: usize,
        path: &'p [(usize, usize)],
        container: bool,
    },
}

pub(super) fn check(ctx: &mut Ctx, wf: &Workflow) {
    for header in &wf.headers {
        if let HeaderKind::Trigger {
            config: Some(config),
            ..
        } = &header.kind
        {
            config.references(&mut |r| resolve(ctx, r, Loc::Trigger));
        }
    }
    // References resolve as they are met: no copy of the enclosing
    // branches per reference.
    visit(&wf.body, &mut |node, order, path| {
        let loc = |container| Loc::Stmt {
            order,
            path,
            container,
        };
        match node {
            Node::Step(step) => {
                if let Some(input) = &step.input {
                    for member in &input.members {
                        member
                            .value
                            .references(&mut |r| resolve(ctx, r, loc(false)));
                    }
                }
            }
            Node::If(i) => {
                i.condition
                    .left
                    .references(&mut |r| resolve(ctx, r, loc(true)));
                i.condition
                    .right
                    .references(&mut |r| resolve(ctx, r, loc(true)));
            }
            Node::Block(b) => {
                if let Some(inputs) = &b.inputs {
                    for member in &inputs.members {
                        member.value.references(&mut |r| resolve(ctx, r, loc(true)));
                    }
                }
            }
            Node::Raw(_) | Node::Error(_) => {}
        }
    });
}

fn resolve(ctx: &mut Ctx, r: &Reference, loc: Loc) {
    let root = r.root();
    let Some(def) = ctx.defs.get(root).cloned() else {
        return unknown_root(ctx, r, loc);
    };
    if matches!(def.kind, IdKind::If | IdKind::Block) {
        let what = if def.kind == IdKind::If {
            "an `if` block"
        } else {
            "a block"
        };
        ctx.push(
            Diagnostic::new(
                Code::E201,
                r.span,
                format!("`{root}` is {what}, not a step"),
            )
            .with_label("blocks have no output")
            .with_secondary(def.span, "defined here")
            .with_help("read the output of a step instead, such as one inside the block"),
        );
        return;
    }
    let Loc::Stmt {
        order,
        path,
        container,
    } = loc
    else {
        ctx.push(
            Diagnostic::new(
                Code::E206,
                r.span,
                format!("step `{root}` referenced in the trigger configuration"),
            )
            .with_label("no step has run when the trigger fires")
            .with_secondary(def.span, "step defined here")
            .with_help("the trigger is configured before anything runs: pass fixed values here"),
        );
        return;
    };
    if let Some(diag) = visibility(r, &def, order, path, container) {
        ctx.push(diag);
    }
    output_field(ctx, r, &def);
    if r.segments.len() < 3 || r.segments[1] != "output" {
        let fixed = if r.segments.get(1).map(String::as_str) == Some("output") {
            format!("{root}.output.FIELD")
        } else {
            format!("{root}.output.{}", r.segments[1..].join("."))
        };
        ctx.push(
            Diagnostic::new(
                Code::E204,
                r.span,
                format!("reference to step `{root}` without `.output.field`"),
            )
            .with_label("a step is read through its output")
            .with_help(format!("write `{fixed}`")),
        );
    }
}

/// E203, E202 or W201, in that order of precedence.
fn visibility(
    r: &Reference,
    def: &Def,
    order: usize,
    path: &[(usize, usize)],
    container: bool,
) -> Option<Diagnostic> {
    let root = r.root();
    let never = |label: &str, secondary: &str, help: &str| {
        Some(
            Diagnostic::new(
                Code::E203,
                r.span,
                format!("step `{root}` can never have run before this"),
            )
            .with_label(label.to_string())
            .with_secondary(def.span, secondary.to_string())
            .with_help(help.to_string()),
        )
    };
    if def.order == order {
        return never(
            "a step cannot read its own output",
            "the step itself",
            "a step's inputs are read before it runs: read an earlier step",
        );
    }
    if container && def.path.iter().any(|&(block, _)| block == order) {
        return never(
            "read before anything inside the block runs",
            "defined inside the block this reference belongs to",
            "read a step that runs before the block",
        );
    }
    for (d, l) in def.path.iter().zip(path) {
        if d != l {
            if d.0 == l.0 {
                return never(
                    "only one branch of a block runs",
                    "defined in another branch of the same block",
                    "move the step above the block if both branches need it",
                );
            }
            break;
        }
    }
    if def.order > order {
        return Some(
            Diagnostic::new(
                Code::E202,
                r.span,
                format!("step `{root}` runs later than this reference"),
            )
            .with_label("not run yet")
            .with_secondary(def.span, "defined here, later")
            .with_help("move the step above its first use"),
        );
    }
    if !path.starts_with(&def.path) {
        return Some(
            Diagnostic::new(Code::W201, r.span, format!("step `{root}` may not have run"))
                .with_label("read after the block it belongs to")
                .with_secondary(def.span, "defined inside a branch of an earlier block")
                .with_help("read it inside that branch, or silence with `// flowc: allow(W201)` if a missing value is fine"),
        );
    }
    None
}

fn unknown_root(ctx: &mut Ctx, r: &Reference, loc: Loc) {
    let root = r.root();
    if ctx.catalog.is_root(root) {
        return;
    }
    // Suggest only steps this place could read: ones that run before it.
    let before = match loc {
        Loc::Trigger => 0,
        Loc::Stmt { order, .. } => order,
    };
    let readable = ctx
        .steps
        .partition_point(|id| ctx.defs.get(id).is_some_and(|d| d.order < before));
    let candidates: &[String] = if ctx.suggestions_left > 0 {
        ctx.suggestions_left -= 1;
        &ctx.steps[..readable]
    } else {
        &[]
    };
    let sorted: Vec<&str> = candidates.iter().map(String::as_str).collect();
    if r.segments.get(1).map(String::as_str) == Some("output") {
        let mut diag = Diagnostic::new(
            Code::E201,
            r.span,
            format!("reference to unknown step `{root}`"),
        )
        .with_label("no step has this id");
        if let Some(s) = suggest(root, sorted.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
        ctx.push(diag);
    } else {
        let roots = ctx.catalog.roots.iter().map(String::as_str);
        let mut diag = Diagnostic::new(
            Code::E207,
            r.span,
            format!("unknown reference root `{root}`"),
        )
        .with_label("neither a step nor a declared root");
        diag = match suggest(root, sorted.iter().copied().chain(roots)) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help("declare the root in flowc.toml: [references] roots"),
        };
        ctx.push(diag);
    }
}

/// E504: the first field after `.output.` must be one the step's type declares.
fn output_field(ctx: &mut Ctx, r: &Reference, def: &Def) {
    let (Some(ty), Some(field)) = (&def.ty, r.segments.get(2)) else {
        return;
    };
    if r.segments[1] != "output" {
        return;
    }
    let Some(spec) = ctx.catalog.action(ty) else {
        return;
    };
    if spec.outputs.iter().any(|o| o == field) {
        return;
    }
    let mut diag = Diagnostic::new(
        Code::E504,
        r.span,
        format!("`{ty}` has no output field `{field}`"),
    )
    .with_label(format!("`{}` is a `{ty}` step", r.root()));
    diag = match suggest(field, spec.outputs.iter().map(String::as_str)) {
        Some(s) => diag.with_help(format!("did you mean `{s}`?")),
        None if spec.outputs.is_empty() => {
            diag.with_help(format!("`{ty}` declares no outputs in flowc.toml"))
        }
        None => diag.with_help(format!("`{ty}` outputs: {}", spec.outputs.join(", "))),
    };
    ctx.push(diag);
}
