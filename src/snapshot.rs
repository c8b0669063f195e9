//! `flowc build --out-dir DIR --check`: compares the bodies a build would
//! write with the ones committed in DIR, and writes nothing.

use std::path::{Path, PathBuf};

/// One body the build would write.
pub struct Expected<'a> {
    /// `NAME.json`, the file's name inside the output folder.
    pub file_name: String,
    /// The `.flow` file it is built from, as diagnostics name it.
    pub from: &'a str,
    /// The text the build would write; `None` when the file has errors, so
    /// that nothing can be said about its body (but its JSON is not stale).
    pub text: Option<String>,
}

/// How one file of the output folder differs from the build.
#[derive(Debug, PartialEq, Eq)]
pub enum Finding {
    /// The build would write this file, and it is not there.
    Missing { path: PathBuf, from: String },
    /// The file holds something else than the build would write.
    Different {
        path: PathBuf,
        from: String,
        diff: String,
    },
    /// A `.json` in the folder that no input `.flow` file builds.
    Stale { path: PathBuf },
}

impl Finding {
    fn path(&self) -> &Path {
        match self {
            Finding::Missing { path, .. }
            | Finding::Different { path, .. }
            | Finding::Stale { path } => path,
        }
    }

    /// What `build --check` prints for it.
    pub fn render(&self) -> String {
        match self {
            Finding::Missing { path, from } => {
                format!("missing: {} (built from {from})\n", path.display())
            }
            Finding::Different { path, from, diff } => {
                format!("different: {} (built from {from})\n{diff}", path.display())
            }
            Finding::Stale { path } => {
                format!("stale: {} (no .flow file builds it)\n", path.display())
            }
        }
    }
}

/// Diff lines shown per file: enough to see what changed; the rest is a
/// `flowc build` away.
const DIFF_LINES: usize = 40;

/// Compares every expected body with `dir`, and lists the `.json` files of
/// `dir` that none of them names. Findings are sorted by path.
pub fn compare(dir: &Path, expected: &[Expected<'_>]) -> Result<Vec<Finding>, String> {
    let mut findings = Vec::new();
    for body in expected {
        let Some(text) = &body.text else { continue };
        let path = dir.join(&body.file_name);
        let found = match std::fs::read(&path) {
            Ok(found) => found,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                findings.push(Finding::Missing {
                    path,
                    from: body.from.to_string(),
                });
                continue;
            }
            Err(err) => return Err(format!("cannot read `{}`: {err}", path.display())),
        };
        if found != text.as_bytes() {
            let diff = diff(&path, &String::from_utf8_lossy(&found), text);
            findings.push(Finding::Different {
                path,
                from: body.from.to_string(),
                diff,
            });
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => Some(entries),
        // A folder that does not exist yet holds nothing stale; every body is missing.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(format!("cannot read directory `{}`: {err}", dir.display())),
    };
    for entry in entries.into_iter().flatten() {
        let entry = entry.map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?;
        let path = entry.path();
        let is_json = path.extension().is_some_and(|e| e == "json") && path.is_file();
        let name = entry.file_name();
        if is_json && !expected.iter().any(|b| name == b.file_name.as_str()) {
            findings.push(Finding::Stale { path });
        }
    }
    findings.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(findings)
}

/// A unified diff from what is in the folder to what the build writes, cut
/// after [`DIFF_LINES`] lines.
fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    let full = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&name, &format!("{name} (built)"))
        .to_string();
    let total = full.lines().count();
    if total <= DIFF_LINES {
        return full;
    }
    let mut short: String = full
        .split_inclusive('\n')
        .take(DIFF_LINES)
        .collect::<String>();
    short.push_str(&format!("… {} more lines of diff\n", total - DIFF_LINES));
    short
}

/// The one-line summary: how many bodies were compared and what was found.
pub fn summary(compared: usize, findings: &[Finding]) -> String {
    let bodies = match compared {
        1 => "1 body".to_string(),
        n => format!("{n} bodies"),
    };
    if findings.is_empty() {
        return format!("compared {bodies}: all up to date");
    }
    let count = |f: fn(&Finding) -> bool| findings.iter().filter(|x| f(x)).count();
    let missing = count(|f| matches!(f, Finding::Missing { .. }));
    let different = count(|f| matches!(f, Finding::Different { .. }));
    let stale = count(|f| matches!(f, Finding::Stale { .. }));
    format!("compared {bodies}: {missing} missing, {different} different, {stale} stale")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_diff_is_cut() {
        let old: String = (0..100).map(|i| format!("{i}\n")).collect();
        let new: String = (0..100).map(|i| format!("{}\n", i * 2)).collect();
        let diff = diff(Path::new("out/a.json"), &old, &new);
        assert!(diff.starts_with("--- out/a.json\n+++ out/a.json (built)\n@@"));
        assert_eq!(diff.lines().count(), DIFF_LINES + 1);
        assert!(diff.ends_with(" more lines of diff\n"), "{diff}");
    }

    #[test]
    fn summary_counts_each_kind() {
        let path = PathBuf::from("a.json");
        let findings = [
            Finding::Stale { path: path.clone() },
            Finding::Missing {
                path,
                from: "a.flow".into(),
            },
        ];
        assert_eq!(
            summary(3, &findings),
            "compared 3 bodies: 1 missing, 0 different, 1 stale"
        );
        assert_eq!(summary(1, &[]), "compared 1 body: all up to date");
    }
}
