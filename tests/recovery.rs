//! Recovery from syntax errors (SPEC §6): generated clean programs with k
//! independent syntax errors injected into k different statements get
//! exactly one diagnostic on each injected line and none anywhere else, and
//! a misspelled reference elsewhere is still found.

// On the binary's allocator, as every test of the library (tests/common).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

use flowc::{check_source, Catalog, Code};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// One statement of a generated program, as lines, with the line (within
/// it) of each place an error can be injected.
struct Stmt {
    lines: Vec<String>,
}

impl Stmt {
    /// The line of its step (an `if` holds one in its `then`).
    fn step_line(&self) -> usize {
        self.lines
            .iter()
            .position(|l| l.trim_start().starts_with("step "))
            .unwrap()
    }
}

/// A clean program: `n` statements, steps with two to four inputs (half
/// with a reference to an earlier step), some if-else blocks.
fn program(shapes: &[(u8, u8)]) -> Vec<Stmt> {
    let mut stmts = Vec::new();
    // The last step at the top level: one that surely ran.
    let mut last: Option<usize> = None;
    for (i, &(shape, inputs)) in shapes.iter().enumerate() {
        let id = format!("s{i}");
        let mut lines = Vec::new();
        let input_lines = |lines: &mut Vec<String>, indent: &str| {
            for j in 0..(2 + inputs % 3) {
                match last {
                    Some(l) if j % 2 == 1 => {
                        lines.push(format!("{indent}  k{j}: \"value <<s{l}.output.field>>\""))
                    }
                    _ => lines.push(format!("{indent}  k{j}: \"text {j}\"")),
                }
            }
        };
        match last {
            Some(l) if shape % 5 == 4 => {
                lines.push(format!("  if s{l}.output.status == 200 {{"));
                lines.push(format!("    step {id}: send-email {{"));
                input_lines(&mut lines, "    ");
                lines.push("    }".to_string());
                lines.push("  } else {".to_string());
                lines.push(format!("    step {id}_else: noop"));
                lines.push("  }".to_string());
            }
            _ => {
                lines.push(format!("  step {id}: http-request \"Step {i}\" {{"));
                input_lines(&mut lines, "  ");
                lines.push("  }".to_string());
                last = Some(i);
            }
        }
        stmts.push(Stmt { lines });
    }
    stmts
}

/// Injects one syntax error into a statement; returns the index of the line
/// (within the statement) where it must be reported.
fn inject(stmt: &mut Stmt, kind: u8) -> usize {
    // The statement's step line and its first input line.
    let step = stmt.step_line();
    let input = step + 1;
    let is_if = stmt.lines[0].trim_start().starts_with("if ");
    match kind % 13 {
        // `step s1 http-request`: no colon after the id.
        0 => {
            stmt.lines[step] = stmt.lines[step].replacen(": ", " ", 1);
            step
        }
        // `k0 "text"`: no colon after a key.
        1 => {
            stmt.lines[input] = stmt.lines[input].replacen(": ", " ", 1);
            input
        }
        // `k0:` and nothing after it.
        2 => {
            let at = stmt.lines[input].find(':').unwrap();
            stmt.lines[input].truncate(at + 1);
            input
        }
        // A reference outside a string.
        3 => {
            let at = stmt.lines[input].find(':').unwrap();
            stmt.lines[input].truncate(at + 1);
            stmt.lines[input].push_str(" <<s0.output.field>>");
            input
        }
        // A string left open at the end of its line.
        4 => {
            stmt.lines[input].pop();
            input
        }
        // A stray comma.
        5 => {
            stmt.lines[input].push_str(",,");
            input
        }
        // The step's closing brace left out: reported after its last input.
        6 => {
            let close = (input..stmt.lines.len())
                .find(|&l| stmt.lines[l].trim() == "}")
                .unwrap();
            stmt.lines[close].clear();
            close - 1
        }
        // A string left open that swallows the `{` after it: the step's
        // name, or an `if`'s right operand.
        7 if is_if => {
            stmt.lines[0] = stmt.lines[0].replacen("== 200 {", "== \"200 {", 1);
            0
        }
        7 => {
            let line = &mut stmt.lines[step];
            let quote = line.rfind('"').unwrap();
            line.remove(quote);
            step
        }
        // A misspelled keyword.
        8 => {
            stmt.lines[step] = stmt.lines[step].replacen("step ", "stpe ", 1);
            step
        }
        // A doubled colon after the id.
        9 => {
            stmt.lines[step] = stmt.lines[step].replacen(": ", ":: ", 1);
            step
        }
        // One `}` too many after a step of the workflow's body, which closes
        // the workflow early (inside an `if`, a missing colon instead).
        10 => {
            let close = (input..stmt.lines.len())
                .find(|&l| stmt.lines[l].trim() == "}")
                .unwrap();
            if stmt.lines[close] == "  }" {
                stmt.lines[close].push('}');
                close
            } else {
                stmt.lines[step] = stmt.lines[step].replacen(": ", " ", 1);
                step
            }
        }
        // An `if` whose body lost its `{` (elsewhere, a doubled colon).
        11 if is_if => {
            stmt.lines[0] = stmt.lines[0].trim_end_matches(" {").to_string();
            0
        }
        // `} else {` written `else {` (elsewhere, a stray comma).
        12 if is_if => {
            let at = stmt.lines.iter().position(|l| l == "  } else {").unwrap();
            stmt.lines[at] = "  else {".to_string();
            at
        }
        11 => {
            stmt.lines[step] = stmt.lines[step].replacen(": ", ":: ", 1);
            step
        }
        12 => {
            stmt.lines[input].push_str(",,");
            input
        }
        // A number that is not one.
        _ => {
            let at = stmt.lines[input].find(':').unwrap();
            stmt.lines[input].truncate(at + 1);
            stmt.lines[input].push_str(" 1.2.3");
            input
        }
    }
}

fn render(stmts: &[Stmt]) -> (String, Vec<usize>) {
    let mut src = String::from("workflow \"Generated\" {\n  trigger manual-trigger\n\n");
    let mut starts = Vec::new();
    let mut line = 4;
    for stmt in stmts {
        starts.push(line);
        for l in &stmt.lines {
            src.push_str(l);
            src.push('\n');
            line += 1;
        }
    }
    src.push_str("}\n");
    (src, starts)
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset].matches('\n').count() + 1
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x02EC_07E2),
        ..ProptestConfig::default()
    })]

    #[test]
    fn k_injected_errors_give_k_diagnostics_at_their_lines(
        shapes in proptest::collection::vec((any::<u8>(), any::<u8>()), 8..30),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        typo in any::<prop::sample::Index>(),
    ) {
        let mut stmts = program(&shapes);
        let clean = render(&stmts).0;
        prop_assert!(check_source(&clean, &Catalog::default()).diagnostics.is_empty(), "{clean}");

        // k different statements, none the first (the typo's target).
        let mut chosen: Vec<(usize, u8)> = Vec::new();
        for (index, kind) in picks {
            let at = 1 + index.index(stmts.len() - 1);
            if chosen.iter().all(|(c, _)| *c != at) {
                chosen.push((at, kind));
            }
        }
        let mut expected = Vec::new();
        for &(at, kind) in &chosen {
            let line = inject(&mut stmts[at], kind);
            expected.push((at, line));
        }
        // A reference to a missing step in a statement with no injection.
        let free: Vec<usize> = (1..stmts.len())
            .filter(|i| chosen.iter().all(|(c, _)| c != i))
            .filter(|&i| stmts[i].lines.iter().any(|l| l.contains("<<s")))
            .collect();
        let typo_at = (!free.is_empty()).then(|| free[typo.index(free.len())]);
        if let Some(t) = typo_at {
            let l = stmts[t].lines.iter().position(|l| l.contains("<<s")).unwrap();
            stmts[t].lines[l] = stmts[t].lines[l].replacen("<<s", "<<missing", 1);
        }
        let (src, starts) = render(&stmts);
        let mut want: Vec<usize> = expected.iter().map(|&(at, l)| starts[at] + l).collect();
        want.sort();

        let checked = check_source(&src, &Catalog::default());
        let mut syntax: Vec<usize> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code.is_syntax())
            .map(|d| line_of(&src, d.span.start))
            .collect();
        syntax.sort();
        prop_assert_eq!(&syntax, &want, "\n{}\n{:#?}", src, checked.diagnostics);

        // Nothing else but the misspelled reference (and warnings that the
        // clean program would not have are none: it has none).
        let others: Vec<(Code, usize)> = checked
            .diagnostics
            .iter()
            .filter(|d| !d.code.is_syntax())
            .map(|d| (d.code, line_of(&src, d.span.start)))
            .collect();
        match typo_at {
            Some(t) => {
                let l = stmts[t].lines.iter().position(|l| l.contains("<<missing")).unwrap();
                prop_assert_eq!(others, vec![(Code::E201, starts[t] + l)], "\n{}", src);
            }
            None => prop_assert!(others.is_empty(), "{:?}\n{}", others, src),
        }
        prop_assert!(checked.body().is_none());
    }

    /// SPEC §6: the first error of a file is always among those reported,
    /// even when a later one stops the file. Syntax errors injected into
    /// clean programs, then an unterminated text block or block comment
    /// after them: the file reports exactly the errors it reports without
    /// that stop, those before it, in place, and the stop.
    #[test]
    fn errors_before_a_fatal_one_are_reported_in_place(
        shapes in proptest::collection::vec((any::<u8>(), any::<u8>()), 8..30),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        fatal in (any::<prop::sample::Index>(), any::<u8>()),
    ) {
        let mut stmts = program(&shapes);
        // Errors in statements 1..n-1, the stop in a statement after them.
        let mut chosen: Vec<(usize, u8)> = Vec::new();
        for (index, kind) in picks {
            let at = 1 + index.index(stmts.len() - 2);
            if chosen.iter().all(|(c, _)| *c != at) {
                chosen.push((at, kind));
            }
        }
        for &(at, kind) in &chosen {
            inject(&mut stmts[at], kind);
        }
        let (without, _) = render(&stmts);
        let last = chosen.iter().map(|c| c.0).max().unwrap();
        let f = last + 1 + fatal.0.index(stmts.len() - last - 1);
        let within = stop(&mut stmts[f], fatal.1);
        let (src, starts) = render(&stmts);
        let at = src
            .split_inclusive('\n')
            .take(starts[f] - 1)
            .map(str::len)
            .sum::<usize>()
            + within;
        prop_assert!(src[at..].starts_with("\"\"\"") || src[at..].starts_with("/*"));
        let same = src[..at].trim_end_matches(' ').len();
        prop_assert_eq!(&src[..same], &without[..same]);

        let syntax = |src: &str| -> Vec<(Code, usize, usize)> {
            check_source(src, &Catalog::default())
                .diagnostics
                .iter()
                .filter(|d| d.code.is_syntax())
                .map(|d| (d.code, d.span.start, d.span.end))
                .collect()
        };
        let mut want: Vec<_> = syntax(&without)
            .into_iter()
            .filter(|&(_, _, end)| end <= at)
            .collect();
        prop_assert!(!want.is_empty(), "no error before the stop\n{}", without);
        want.push((Code::E101, at, at + if src[at..].starts_with("/*") { 2 } else { 3 }));
        let checked = check_source(&src, &Catalog::default());
        let got: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| (d.code, d.span.start, d.span.end))
            .collect();
        prop_assert_eq!(&got, &want, "\n{}\n{:#?}", src, checked.diagnostics);
        // Nothing the completion wrote shows.
        for d in &checked.diagnostics {
            prop_assert!(!d.message.contains('\u{E000}'), "{}", d.message);
        }
    }
}

/// The same file with its errors in place of a clean statement each: the
/// first error of the file is always reported first.
#[test]
fn the_first_error_is_reported_first() {
    let src =
        "workflow \"W\" {\n  trigger manual-trigger\n  step a noop\n  step b: noop { k }\n}\n";
    let checked = check_source(src, &Catalog::default());
    let first = &checked.diagnostics[0];
    assert_eq!(
        (first.code, line_of(src, first.span.start)),
        (Code::E100, 3)
    );
    assert_eq!(checked.diagnostics.len(), 2, "{:#?}", checked.diagnostics);
}

/// Puts a mistake that stops the file (an unterminated text block or block
/// comment, E101) into a statement; returns the byte offset, within the
/// statement's text, where it is reported.
fn stop(stmt: &mut Stmt, kind: u8) -> usize {
    let step = stmt.step_line();
    let input = step + 1;
    let offset = |lines: &[String], line: usize, col: usize| {
        lines[..line].iter().map(|l| l.len() + 1).sum::<usize>() + col
    };
    match kind % 4 {
        // A text block as the first input's value.
        0 => {
            let colon = stmt.lines[input].find(':').unwrap();
            stmt.lines[input].truncate(colon + 1);
            stmt.lines[input].push_str(" \"\"\"");
            offset(&stmt.lines, input, colon + 2)
        }
        // A block comment on a line of its own among the inputs.
        1 => {
            let indent = stmt.lines[input].len() - stmt.lines[input].trim_start().len();
            stmt.lines
                .insert(input, format!("{}/* never closed", " ".repeat(indent)));
            offset(&stmt.lines, input, indent)
        }
        // A block comment after an input.
        2 => {
            let col = stmt.lines[input].len() + 1;
            stmt.lines[input].push_str(" /* never closed");
            offset(&stmt.lines, input, col)
        }
        // A text block as the step's name, its inputs swallowed.
        _ => {
            let line = &mut stmt.lines[step];
            let at = line.rfind(" \"Step").unwrap_or(line.len());
            line.replace_range(at.., " \"\"\"");
            let at = at + 1;
            offset(&stmt.lines, step, at)
        }
    }
}

/// SPEC §6's example: a `}` that closes the workflow early, then a text
/// block never closed: both are reported, each where it is.
#[test]
fn an_early_close_before_an_unterminated_text_block_is_reported() {
    let src = "workflow \"W\" {\n  trigger manual-trigger\n}\n  step a: noop\n  step b: send-email {\n    body: \"\"\"\n      Hello\n}\n";
    let got: Vec<(Code, usize)> = check_source(src, &Catalog::default())
        .diagnostics
        .iter()
        .map(|d| (d.code, line_of(src, d.span.start)))
        .collect();
    assert_eq!(got, vec![(Code::E100, 3), (Code::E101, 6)]);
}
