//! `// flowc: allow(CODES)` comments: silencing, and W001 for one that silenced nothing.

use super::visit;
use crate::ast::File;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

struct Allow {
    span: Span,
    codes: Vec<Code>,
    /// The statement it covers; `None` for the whole file.
    scope: Option<Span>,
    /// Covers nothing (stands before a header or a closing brace).
    dangling: bool,
    used: bool,
}

/// Parses `// flowc: allow(W201, E504)`; the codes, or `None` if the comment
/// is not an allow comment at all.
fn parse(comment: &str) -> Option<Vec<Option<Code>>> {
    let rest = comment.strip_prefix("//")?.trim();
    let rest = rest.strip_prefix("flowc:")?.trim_start();
    let rest = rest.strip_prefix("allow")?.trim_start();
    let inner = rest.strip_prefix('(')?.trim_end().strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .filter(|c| !c.trim().is_empty())
            .map(Code::parse)
            .collect(),
    )
}

/// Drops the diagnostics that allow comments silence and adds W001 for
/// each allow comment that silenced nothing.
pub(super) fn apply(src: &str, file: &File, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if !file.comments.iter().any(|c| c.own_line && !c.block) {
        return diags;
    }
    // Statements in source order, each with the one around it: a
    // diagnostic climbs from the innermost statement holding it.
    let mut statements: Vec<Span> = Vec::new();
    visit(&file.workflow.body, &mut |node, _, _| {
        statements.push(node.span())
    });
    let mut parent = vec![usize::MAX; statements.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        while open.last().is_some_and(|&o| statements[o].end <= s.start) {
            open.pop();
        }
        parent[i] = open.last().copied().unwrap_or(usize::MAX);
        open.push(i);
    }
    let mut allows = Vec::new();
    let mut at_statement: std::collections::HashMap<usize, Vec<usize>> =
        std::collections::HashMap::new();
    for comment in file.comments.iter().filter(|c| c.own_line && !c.block) {
        let Some(codes) = parse(&src[comment.span.start..comment.span.end]) else {
            continue;
        };
        let (scope, dangling) = if comment.span.start < file.workflow.keyword.start {
            (None, false)
        } else {
            let next = statements.partition_point(|s| s.start < comment.span.end);
            match statements.get(next) {
                Some(s) if only_trivia(src, file, comment.span.end, s.start) => (Some(next), false),
                _ => (None, true),
            }
        };
        if let Some(statement) = scope {
            at_statement
                .entry(statement)
                .or_default()
                .push(allows.len());
        }
        allows.push(Allow {
            span: comment.span,
            codes: codes.into_iter().flatten().collect(),
            scope: scope.map(|i| statements[i]),
            dangling,
            used: false,
        });
    }
    let file_wide: Vec<usize> = (0..allows.len())
        .filter(|&i| allows[i].scope.is_none() && !allows[i].dangling)
        .collect();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    for d in diags {
        if d.code.is_syntax() {
            kept.push(d);
            continue;
        }
        let p = d.span.start;
        let mut covering: Vec<usize> = Vec::new();
        let mut i = statements.partition_point(|s| s.start <= p).wrapping_sub(1);
        while i != usize::MAX {
            if p < statements[i].end {
                covering.extend(at_statement.get(&i).into_iter().flatten());
            }
            i = parent[i];
        }
        let mut silenced = false;
        for &a in file_wide.iter().chain(&covering) {
            if allows[a].codes.contains(&d.code) {
                allows[a].used = true;
                silenced = true;
            }
        }
        if !silenced {
            kept.push(d);
        }
    }
    for allow in allows.iter().filter(|a| !a.used) {
        let why = if allow.dangling {
            "it does not stand before a statement"
        } else {
            "none of its codes was reported there"
        };
        kept.push(
            Diagnostic::new(Code::W001, allow.span, "`allow` comment that silenced nothing")
                .with_label(why)
                .with_help("remove it; an allow comment covers the next statement, or the whole file before `workflow`, and syntax errors (E1xx) cannot be silenced"),
        );
    }
    kept.sort_by_key(|d| (d.span.start, d.code));
    kept
}

/// Only whitespace and comments stand between `from` and `to`.
fn only_trivia(src: &str, file: &File, from: usize, to: usize) -> bool {
    let mut at = from;
    while at < to {
        let rest = &src[at..to];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if at >= to {
            break;
        }
        match file.comments.binary_search_by_key(&at, |c| c.span.start) {
            Ok(i) => at = file.comments[i].span.end,
            Err(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comment_syntax() {
        assert_eq!(
            parse("// flowc: allow(W201, E504)"),
            Some(vec![Some(Code::W201), Some(Code::E504)])
        );
        assert_eq!(parse("//flowc:allow( w500 )"), Some(vec![Some(Code::W500)]));
        assert_eq!(parse("// flowc: allow(E999)"), Some(vec![None]));
        assert_eq!(parse("// allow(W201)"), None);
        assert_eq!(parse("// flowc: allow W201"), None);
    }
}
