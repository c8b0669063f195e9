//! The `flowc` command line: reads files, calls the library, prints, and maps outcomes to exit codes.
//!
//! This is the only place that prints. Exit codes (SPEC §7): 0 success,
//! 1 any error diagnostic (or warning under `--deny-warnings`), 2 bad usage,
//! an unreadable file or invalid UTF-8.

#![forbid(unsafe_code)]

mod catalogs;
mod input;
mod lsp;
mod platform;
mod shell;
mod snapshot;
mod test_command;

use catalogs::{BadCatalog, Resolved};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use flowc::report::{self, Counts, FileReport, Style};
use flowc::{check_source, Checked};
use input::{atomic_write, Source};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Small blocks from per-thread size classes (alloc/, the project's one
// crate with raw memory): 11–21% of a large build's wall time against the
// system allocator (BENCHMARKS.md, issue 20).
#[global_allocator]
static ALLOC: flowc_alloc::Alloc = flowc_alloc::Alloc;

#[derive(Parser)]
#[command(
    name = "flowc",
    version,
    about = "Compile and check .flow workflow files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour diagnostics: auto (a terminal, unless NO_COLOR; or CLICOLOR_FORCE), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether diagnostics on stderr are coloured, decided once in `main`.
static STDERR_COLOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether to colour, as other command-line tools decide it: the flag
/// first; then, for `auto`, a non-empty `NO_COLOR` turns colour off
/// (no-color.org), a `CLICOLOR_FORCE` other than `0` turns it on even into
/// a pipe, `CLICOLOR=0` turns it off, and otherwise a terminal gets colour.
fn use_color(choice: ColorChoice, env: impl Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorChoice::Auto if set("CLICOLOR").is_some_and(|v| v == "0") => false,
        ColorChoice::Auto => terminal,
    }
}

#[derive(Subcommand)]
#[command(defer = true)]
enum Command {
    /// Compile .flow files into POST /workflows request bodies.
    Build {
        /// A .flow file, a directory (every *.flow below it), or - for standard input.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Write the body to FILE instead of standard output (one input only).
        #[arg(
            short = 'o',
            long = "output",
            value_name = "FILE",
            conflicts_with = "out_dir"
        )]
        output: Option<PathBuf>,
        /// Write each file's body to DIR/NAME.json.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        /// One line of JSON instead of pretty-printed.
        #[arg(long)]
        compact: bool,
        /// Emit only the workflow_blocks array.
        #[arg(long)]
        blocks_only: bool,
        /// Use this flowc.toml instead of the one beside each file or in its nearest parent folder.
        #[arg(long, value_name = "PATH")]
        catalog: Option<PathBuf>,
        /// Write nothing: compare the bodies with those in --out-dir, and exit 1 if any is
        /// missing, different or stale.
        #[arg(long, requires = "out_dir")]
        check: bool,
    },
    /// Rewrite .flow files in the canonical layout.
    Fmt {
        /// A .flow file, a directory (every *.flow below it), or - for standard input (written to standard output).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Change nothing: print a diff of each file that would change, and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Draw the control flow of a .flow file.
    Graph {
        /// A .flow file, or - for standard input.
        path: PathBuf,
        /// Mermaid (ready to paste into Markdown on GitHub) or Graphviz dot.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Add dotted edges from each step to the steps that read its output.
        #[arg(long)]
        data: bool,
    },
    /// Turn a POST /workflows body (or a response body) into canonical flow text.
    Import {
        /// A JSON file, or - for standard input.
        path: PathBuf,
        /// Write the flow text to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Explain a diagnostic code, with a wrong and a right example.
    Explain {
        /// A code such as E201 or W201.
        code: String,
    },
    /// Run the language server (LSP 3.17) over standard input and output.
    Lsp,
    /// Check .flow files and report every diagnostic.
    Check {
        /// A .flow file, a directory (every *.flow below it), or - for standard input.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// How to report diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with status 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
        /// Use this flowc.toml instead of the one beside each file or in its nearest parent folder.
        #[arg(long, value_name = "PATH")]
        catalog: Option<PathBuf>,
    },
    /// Create or update each file's workflow on the platform (FLOWC_API_URL, FLOWC_API_TOKEN).
    Push {
        /// A .flow file or a directory (every *.flow below it).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Send no write request: say what push would do.
        #[arg(long)]
        dry_run: bool,
        /// Update workflows that were changed on the platform since the last push or pull.
        #[arg(long)]
        force: bool,
    },
    /// Write a workflow of the platform as a .flow file and record it in flowc.lock.
    Pull {
        /// The workflow's id (its workflow_id).
        workflow_id: String,
        /// Write to FILE instead of NAME.flow in the current folder.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show how each locked file differs from its workflow on the platform, as flow text.
    Diff {
        /// A .flow file or a directory (every *.flow below it).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
    /// Run each workflow on the cases of the .flowtest file beside it.
    Test {
        /// A .flow or .flowtest file, or a directory (every *.flow below it, each with the
        /// .flowtest file beside it).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// How to report the cases: a line each, JSON, or JUnit XML for CI test reports.
        #[arg(long, value_enum, default_value_t = test_command::TestFormat::Human)]
        format: test_command::TestFormat,
        /// List the branches of ifs and blocks that no case took.
        #[arg(long)]
        coverage: bool,
        /// Write branch coverage to FILE as an lcov tracefile (for genhtml and coverage services).
        #[arg(long, value_name = "FILE")]
        lcov: Option<PathBuf>,
        /// Use this flowc.toml instead of the one beside each file or in its nearest parent folder.
        #[arg(long, value_name = "PATH")]
        catalog: Option<PathBuf>,
    },
    /// Print a completion script for a shell.
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page, flowc(1), as roff.
    Man,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

/// How a run ended, before it becomes an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Ok = 0,
    Diagnostics = 1,
    Usage = 2,
}

/// The command line, parsed as `Cli::try_parse` parses it, without freeing
/// clap's command tree on the way out: the process ends soon, and walking
/// the tree to free it cost about 25,000 instructions a run.
fn parse_args() -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| {
            Cli::from_arg_matches_mut(&mut matches).map_err(|err| err.format(&mut command))
        });
    std::mem::forget(command);
    parsed
}

fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with success, and usage
            // errors to stderr; its own exit code 2 matches ours.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let color = use_color(
        cli.color,
        |name| std::env::var(name).ok(),
        std::io::stderr().is_terminal(),
    );
    STDERR_COLOR.store(color, std::sync::atomic::Ordering::Relaxed);
    let outcome = match cli.command {
        Command::Lsp => {
            flowc_alloc::system_only();
            if lsp::run() {
                Outcome::Ok
            } else {
                Outcome::Diagnostics
            }
        }
        Command::Fmt { paths, check } => fmt(&paths, check),
        Command::Import { path, output } => import(&path, output.as_deref()),
        Command::Explain { code } => match flowc::Code::parse(&code) {
            Some(code) => write_stdout(&flowc::explain::render(code)),
            None => fail(format!(
                "unknown code `{code}`; codes are {}",
                flowc::Code::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        Command::Graph { path, format, data } => graph(&path, format, data),
        Command::Build {
            paths,
            output,
            out_dir,
            compact,
            blocks_only,
            catalog,
            check,
        } => build(
            &paths,
            catalog.as_deref(),
            output,
            out_dir,
            (compact, blocks_only),
            check,
        ),
        Command::Check {
            paths,
            format,
            deny_warnings,
            catalog,
        } => check(&paths, catalog.as_deref(), format, deny_warnings),
        Command::Push {
            paths,
            dry_run,
            force,
        } => platform::push(&paths, dry_run, force),
        Command::Pull {
            workflow_id,
            output,
        } => platform::pull(&workflow_id, output.as_deref()),
        Command::Diff { paths } => platform::diff(&paths),
        Command::Test {
            paths,
            format,
            coverage,
            lcov,
            catalog,
        } => test_command::test(
            &paths,
            test_command::Options {
                format,
                coverage,
                lcov: lcov.as_deref(),
                catalog: catalog.as_deref(),
            },
        ),
        Command::Completions { shell } => {
            write_stdout_bytes(&shell::completions(shell, Cli::command()))
        }
        Command::Man => match shell::man(Cli::command()) {
            Ok(page) => write_stdout(&page),
            Err(err) => fail(format!("cannot render the manual page: {err}")),
        },
    };
    ExitCode::from(outcome as u8)
}

fn fail(message: impl std::fmt::Display) -> Outcome {
    eprintln!("error: {message}");
    Outcome::Usage
}

/// Reads every input; I/O problems are reported and make the run exit 2.
fn read_all(paths: &[PathBuf]) -> (Vec<Source>, Outcome) {
    read_all_with(paths, &["flow"])
}

/// Like [`read_all`], taking the files of folders by their extensions.
fn read_all_with(paths: &[PathBuf], extensions: &[&str]) -> (Vec<Source>, Outcome) {
    let mut outcome = Outcome::Ok;
    let inputs = match input::expand_with(paths, extensions) {
        Ok(inputs) => inputs,
        Err(err) => return (Vec::new(), fail(err)),
    };
    let mut sources = Vec::new();
    for input in inputs {
        match input.read() {
            Ok(source) => sources.push(source),
            Err(err) => outcome = outcome.max(fail(err)),
        }
    }
    (sources, outcome)
}

/// Checks every source, on all cores, keeping the input order.
fn check_all(sources: &[Source], catalogs: &Resolved) -> Vec<Checked> {
    // One file needs no count of the cores (a dozen system calls).
    let workers = match sources.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get().min(n)),
    };
    if workers <= 1 {
        return sources
            .iter()
            .enumerate()
            .map(|(i, s)| check_source(&s.text, catalogs.of(i)))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Checked>> = vec![None; sources.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(source) = sources.get(i) else { break };
                        done.push((i, check_source(&source.text, catalogs.of(i))));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            for (i, checked) in handle.join().expect("a checker thread panicked") {
                results[i] = Some(checked);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every file was checked"))
        .collect()
}

/// Reports of the catalogs that failed, then of every checked file.
fn reports<'a>(
    bad: &'a [BadCatalog],
    sources: &'a [Source],
    checked: &'a [Checked],
) -> Vec<FileReport<'a>> {
    let catalogs = bad.iter().map(|b| FileReport {
        name: &b.source.name,
        source: &b.source.text,
        diagnostics: &b.diagnostics,
    });
    let files = sources.iter().zip(checked).map(|(s, c)| FileReport {
        name: &s.name,
        source: &s.text,
        diagnostics: &c.diagnostics,
    });
    catalogs.chain(files).collect()
}

/// Counts over the reports; `files` counts the `.flow` files only.
fn counts(files: &[FileReport<'_>], flow_files: usize) -> Counts {
    Counts {
        files: flow_files,
        ..Counts::of(files)
    }
}

/// Reads the inputs and resolves their catalogs.
fn load(paths: &[PathBuf], catalog: Option<&std::path::Path>) -> (Vec<Source>, Resolved, Outcome) {
    let (sources, mut io) = read_all(paths);
    let resolved = match catalogs::resolve(&sources, catalog) {
        Ok(resolved) => resolved,
        Err(err) => {
            io = io.max(fail(err));
            Resolved::defaults(sources.len())
        }
    };
    (sources, resolved, io)
}

/// Diagnostics drawn per file in human output.
const HUMAN_LIMIT: usize = 100;

fn print_human(files: &[FileReport<'_>], counts: Counts, verb: &str, always_summary: bool) {
    let stderr = std::io::stderr();
    let color = STDERR_COLOR.load(std::sync::atomic::Ordering::Relaxed);
    let style = Style { color, width: 100 };
    let mut out = stderr.lock();
    for file in files {
        // Past a hundred, more drawings of one file help nobody and cost
        // a copy of the source line each.
        let shown = FileReport {
            diagnostics: &file.diagnostics[..file.diagnostics.len().min(HUMAN_LIMIT)],
            ..*file
        };
        let _ = out.write_all(report::human(&shown, style).as_bytes());
        if let Some(more) = file
            .diagnostics
            .len()
            .checked_sub(HUMAN_LIMIT)
            .filter(|&n| n > 0)
        {
            let _ = writeln!(
                out,
                "… and {more} more in {} (`--format json` lists them all)",
                file.name
            );
        }
    }
    let mut codes: Vec<flowc::Code> = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| d.code))
        .collect();
    codes.sort();
    codes.dedup();
    if let Some(first) = codes.first() {
        let list: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        let command = if list.len() == 1 {
            format!("`flowc explain {first}`")
        } else {
            "`flowc explain` with the code".to_string()
        };
        let _ = writeln!(out, "for more about {}, run {command}", list.join(", "));
    }
    if always_summary || counts.errors + counts.warnings > 0 {
        let _ = writeln!(out, "{}", counts.summary(verb));
    }
}

fn diagnostics_outcome(counts: Counts, deny_warnings: bool) -> Outcome {
    if counts.errors > 0 || (deny_warnings && counts.warnings > 0) {
        Outcome::Diagnostics
    } else {
        Outcome::Ok
    }
}

fn check(
    paths: &[PathBuf],
    catalog: Option<&std::path::Path>,
    format: Format,
    deny_warnings: bool,
) -> Outcome {
    let (sources, resolved, io) = load(paths, catalog);
    let checked = check_all(&sources, &resolved);
    let files = reports(&resolved.bad, &sources, &checked);
    let counts = counts(&files, sources.len());
    let mut written = Outcome::Ok;
    match format {
        Format::Human => print_human(&files, counts, "checked", true),
        Format::Json => written = write_stdout(&report::json(&files, counts)),
        Format::Sarif => written = write_stdout(&report::sarif(&files)),
        Format::Github => {
            written = write_stdout(&report::github(&files));
            eprintln!("{}", counts.summary("checked"));
        }
    }
    let outcome = io
        .max(written)
        .max(diagnostics_outcome(counts, deny_warnings));
    drop(files);
    std::mem::forget((checked, sources));
    outcome
}

fn build(
    paths: &[PathBuf],
    catalog: Option<&std::path::Path>,
    output: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    (compact, blocks_only): (bool, bool),
    check: bool,
) -> Outcome {
    // Decide where everything goes before reading or writing anything.
    let inputs = match input::expand(paths) {
        Ok(inputs) => inputs,
        Err(err) => return fail(err),
    };
    if inputs.len() > 1 && out_dir.is_none() {
        return fail(format!(
            "{} files to build: give --out-dir DIR to write each as DIR/NAME.json",
            inputs.len()
        ));
    }
    if let Some(dir) = &out_dir {
        let mut targets: std::collections::HashMap<PathBuf, String> =
            std::collections::HashMap::new();
        for input in &inputs {
            let target = dir.join(format!("{}.json", input.stem()));
            if let Some(other) = targets.insert(target.clone(), input.name()) {
                return fail(format!(
                    "`{other}` and `{}` would both be written to `{}`",
                    input.name(),
                    target.display()
                ));
            }
        }
    }
    let (sources, resolved, io) = load(paths, catalog);
    if io != Outcome::Ok && sources.is_empty() {
        return io;
    }
    let checked = check_all(&sources, &resolved);
    let files = reports(&resolved.bad, &sources, &checked);
    let counts = counts(&files, sources.len());
    print_human(
        &files,
        counts,
        if check { "checked" } else { "built" },
        false,
    );
    let mut outcome = io.max(diagnostics_outcome(counts, false));
    let mut expected = Vec::new();
    if let Some(dir) = out_dir.as_ref().filter(|_| !check) {
        if let Err(err) = std::fs::create_dir_all(dir) {
            return outcome.max(fail(format!("cannot create `{}`: {err}", dir.display())));
        }
    }
    for (source, checked) in sources.iter().zip(&checked) {
        let Some(body) = checked.body() else {
            expected.push(snapshot::Expected {
                file_name: format!("{}.json", source.stem()),
                from: &source.name,
                text: None,
            });
            continue;
        };
        let text = match (blocks_only, compact) {
            (true, compact) => body.blocks_to_json(!compact),
            (false, true) => body.to_compact(),
            (false, false) => body.to_pretty(),
        };
        if check {
            expected.push(snapshot::Expected {
                file_name: format!("{}.json", source.stem()),
                from: &source.name,
                text: Some(text),
            });
            continue;
        }
        let target = match (&out_dir, &output) {
            (Some(dir), _) => Some(dir.join(format!("{}.json", source.stem()))),
            (None, Some(file)) if file.as_os_str() != "-" => Some(file.clone()),
            (None, _) => None,
        };
        outcome = outcome.max(match target {
            Some(file) => match atomic_write(&file, text.as_bytes()) {
                Ok(()) => Outcome::Ok,
                Err(err) => fail(format!("cannot write `{}`: {err}", file.display())),
            },
            None => write_stdout(&text),
        });
    }
    if let Some(dir) = out_dir.as_ref().filter(|_| check) {
        outcome = outcome.max(check_snapshots(dir, &expected));
    }
    // The process ends next: freeing every node of a large tree one by one
    // would only delay the exit.
    std::mem::forget((sources, checked));
    outcome
}

/// `build --check`: prints each body of `dir` that is missing, different or
/// stale, and a summary; exit 1 when there is any.
fn check_snapshots(dir: &std::path::Path, expected: &[snapshot::Expected<'_>]) -> Outcome {
    let findings = match snapshot::compare(dir, expected) {
        Ok(findings) => findings,
        Err(err) => return fail(err),
    };
    let listing: String = findings.iter().map(snapshot::Finding::render).collect();
    let written = write_stdout(&listing);
    let compared = expected.iter().filter(|e| e.text.is_some()).count();
    eprintln!("{}", snapshot::summary(compared, &findings));
    match findings.is_empty() {
        true => written,
        false => written.max(Outcome::Diagnostics),
    }
}

fn fmt(paths: &[PathBuf], check: bool) -> Outcome {
    let (sources, mut outcome) = read_all_with(paths, &["flow", "flowtest"]);
    let mut refused = Vec::new();
    for source in &sources {
        let is_test = source
            .path
            .as_ref()
            .is_some_and(|p| p.extension().is_some_and(|e| e == "flowtest"));
        let formatted = match if is_test {
            flowc::fmt::format_test_source(&source.text)
        } else {
            flowc::fmt::format_source(&source.text)
        } {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                refused.push((source, diagnostics));
                continue;
            }
        };
        if source.path.is_none() {
            if check && formatted != source.text {
                outcome = outcome.max(write_stdout(&diff(&source.name, &source.text, &formatted)));
                outcome = outcome.max(Outcome::Diagnostics);
            } else if !check {
                outcome = outcome.max(write_stdout(&formatted));
            }
            continue;
        }
        if formatted == source.text {
            continue;
        }
        if check {
            outcome = outcome.max(write_stdout(&diff(&source.name, &source.text, &formatted)));
            outcome = outcome.max(Outcome::Diagnostics);
        } else if let Some(path) = &source.path {
            if let Err(err) = atomic_write(path, formatted.as_bytes()) {
                outcome = outcome.max(fail(format!("cannot write `{}`: {err}", path.display())));
            }
        }
    }
    if !refused.is_empty() {
        let files: Vec<FileReport> = refused
            .iter()
            .map(|(s, d)| FileReport {
                name: &s.name,
                source: &s.text,
                diagnostics: d,
            })
            .collect();
        let counts = Counts::of(&files);
        print_human(&files, counts, "left unformatted", true);
        outcome = outcome.max(Outcome::Diagnostics);
    }
    outcome
}

/// A unified diff from `old` to `new`.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Writes to standard output. A reader that went away (a closed pipe, as
/// with `| head`) is not an error of ours; any other failure is an I/O error.
fn write_stdout(text: &str) -> Outcome {
    write_stdout_bytes(text.as_bytes())
}

/// [`write_stdout`] for output that is not known to be UTF-8.
fn write_stdout_bytes(bytes: &[u8]) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Outcome::Ok,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Ok,
        Err(err) => fail(format!("cannot write to standard output: {err}")),
    }
}

fn graph(path: &std::path::Path, format: GraphFormat, data: bool) -> Outcome {
    let (sources, io) = read_all(&[path.to_path_buf()]);
    let Some(source) = sources.first().filter(|_| io == Outcome::Ok) else {
        return io;
    };
    match flowc::syntax::parse_clean(&source.text) {
        Ok(file) => {
            let format = match format {
                GraphFormat::Mermaid => flowc::graph::Format::Mermaid,
                GraphFormat::Dot => flowc::graph::Format::Dot,
            };
            write_stdout(&flowc::graph::render(&file, format, data))
        }
        Err(syntax) => {
            let files = [FileReport {
                name: &source.name,
                source: &source.text,
                diagnostics: &syntax,
            }];
            print_human(&files, Counts::of(&files), "checked", true);
            Outcome::Diagnostics
        }
    }
}

fn import(path: &std::path::Path, output: Option<&std::path::Path>) -> Outcome {
    let (sources, io) = read_all(&[path.to_path_buf()]);
    let Some(source) = sources.first().filter(|_| io == Outcome::Ok) else {
        return io;
    };
    match flowc::import::import(&source.text) {
        Ok(imported) => {
            for note in &imported.notes {
                eprintln!("note: {note}");
            }
            match output.filter(|o| o.as_os_str() != "-") {
                Some(file) => match atomic_write(file, imported.text.as_bytes()) {
                    Ok(()) => Outcome::Ok,
                    Err(err) => fail(format!("cannot write `{}`: {err}", file.display())),
                },
                None => write_stdout(&imported.text),
            }
        }
        Err(diagnostics) => {
            let files = [FileReport {
                name: &source.name,
                source: &source.text,
                diagnostics: &diagnostics,
            }];
            print_human(&files, Counts::of(&files), "imported", true);
            Outcome::Diagnostics
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color(choice: ColorChoice, vars: &[(&str, &str)], terminal: bool) -> bool {
        let env = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        use_color(choice, env, terminal)
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        assert!(color(ColorChoice::Always, &[("NO_COLOR", "1")], false));
        assert!(!color(ColorChoice::Never, &[("CLICOLOR_FORCE", "1")], true));
    }

    #[test]
    fn auto_follows_no_color_then_clicolor_force_then_the_terminal() {
        assert!(color(ColorChoice::Auto, &[], true));
        assert!(!color(ColorChoice::Auto, &[], false));
        assert!(!color(ColorChoice::Auto, &[("NO_COLOR", "1")], true));
        // An empty NO_COLOR is unset, as no-color.org says.
        assert!(color(ColorChoice::Auto, &[("NO_COLOR", "")], true));
        assert!(color(ColorChoice::Auto, &[("CLICOLOR_FORCE", "1")], false));
        assert!(!color(ColorChoice::Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(!color(
            ColorChoice::Auto,
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
            true
        ));
        assert!(!color(ColorChoice::Auto, &[("CLICOLOR", "0")], true));
    }
}
