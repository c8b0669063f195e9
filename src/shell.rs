//! `flowc completions SHELL` and `flowc man`: generated from the clap
//! definition itself, so they always match the parser.

use clap::Command;
use clap_complete::Shell;

/// The completion script for `shell`.
pub fn completions(shell: Shell, mut cmd: Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "flowc", &mut out);
    out
}

/// The manual page flowc(1), as roff: the command, then one section per
/// subcommand with its synopsis, description and options, so that one page
/// documents every flag.
pub fn man(cmd: Command) -> std::io::Result<String> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut head = Vec::new();
    top.render_title(&mut head)?;
    top.render_name_section(&mut head)?;
    top.render_synopsis_section(&mut head)?;
    top.render_description_section(&mut head)?;
    top.render_options_section(&mut head)?;
    let mut page = roff_lines(&head, false);
    // Not clap_mangen's list of subcommands: it points at flowc-build(1) and
    // the like, pages that do not exist; each command has a section here.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let part = clap_mangen::Man::new(sub.clone());
        let mut roff = Vec::new();
        part.render_synopsis_section(&mut roff)?;
        part.render_description_section(&mut roff)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            part.render_options_section(&mut roff)?;
        }
        page.push(format!(
            ".SH \"FLOWC {}\"",
            sub.get_name().to_ascii_uppercase()
        ));
        page.extend(roff_lines(&roff, true));
    }
    let mut tail = Vec::new();
    top.render_version_section(&mut tail)?;
    page.extend(roff_lines(&tail, false));
    // Each render repeats the preamble that defines the `Aq` string; once
    // at the top is enough.
    let mut seen = std::collections::HashSet::new();
    page.retain(|line| {
        let preamble = line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq");
        !preamble || seen.insert(line.clone())
    });
    let mut out = page.join("\n");
    out.push('\n');
    Ok(out)
}

/// The lines of rendered roff; with `nested`, its sections become
/// subsections (`.SH` to `.SS`).
fn roff_lines(roff: &[u8], nested: bool) -> Vec<String> {
    String::from_utf8_lossy(roff)
        .lines()
        .map(|line| match line.strip_prefix(".SH ").filter(|_| nested) {
            Some(heading) => format!(".SS {heading}"),
            None => line.to_string(),
        })
        .collect()
}
