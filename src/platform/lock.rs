//! `flowc.lock` (SPEC §14): which platform workflow each `.flow` file is, where the lock lives, and the body digest.

use crate::input::atomic_write;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The file name of the lock.
pub const LOCK_FILE: &str = "flowc.lock";

/// What the lock knows of one file's workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub workflow_id: String,
    /// The version last pushed or pulled.
    pub version_number: u64,
    /// Lowercase hex SHA-256 of the compact body last pushed or pulled.
    pub body_sha256: String,
}

/// One lock file: its path and its entries, keyed by the file's path
/// relative to the lock's folder (with `/` between components).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    pub path: PathBuf,
    pub entries: BTreeMap<String, Entry>,
}

impl Lock {
    /// Reads the lock at `path`; a lock that does not exist yet is empty.
    pub fn load(path: &Path) -> Result<Lock, String> {
        let entries = match std::fs::read_to_string(path) {
            Ok(text) => parse(&text)
                .map_err(|e| format!("`{}` is not a valid lock: {e}", path.display()))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(err) => return Err(format!("cannot read `{}`: {err}", path.display())),
        };
        Ok(Lock {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// Writes the whole lock through a temporary file and a rename, so that
    /// it is never left half written.
    pub fn save(&self) -> Result<(), String> {
        atomic_write(&self.path, render(&self.entries).as_bytes())
            .map_err(|e| format!("cannot write `{}`: {e}", self.path.display()))
    }
}

/// The lock's text: a comment, then one table per file, sorted by key.
pub fn render(entries: &BTreeMap<String, Entry>) -> String {
    let mut out = String::from(
        "# Which platform workflow each .flow file is, written by `flowc push` and\n\
         # `flowc pull`. Commit this file; do not edit it by hand.\n",
    );
    for (key, entry) in entries {
        out.push_str(&format!(
            "\n[{}]\nworkflow_id = {}\nversion_number = {}\nbody_sha256 = {}\n",
            quote(key),
            quote(&entry.workflow_id),
            entry.version_number,
            quote(&entry.body_sha256)
        ));
    }
    out
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads the lock's text: every top-level key is a table with exactly
/// `workflow_id`, `version_number` and `body_sha256`.
pub fn parse(text: &str) -> Result<BTreeMap<String, Entry>, String> {
    let table = DeTable::parse(text).map_err(|e| {
        e.message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string()
    })?;
    let mut entries = BTreeMap::new();
    for (key, value) in table.get_ref() {
        let key = key.get_ref().to_string();
        let DeValue::Table(fields) = value.get_ref() else {
            return Err(format!("`{key}` is not a table"));
        };
        let (mut id, mut version, mut digest) = (None, None, None);
        for (field, value) in fields {
            match (field.get_ref().as_ref(), value.get_ref()) {
                ("workflow_id", DeValue::String(s)) => id = Some(s.to_string()),
                ("body_sha256", DeValue::String(s)) => digest = Some(s.to_string()),
                ("version_number", DeValue::Integer(i)) if i.radix() == 10 => {
                    version = i.as_str().replace('_', "").parse::<u64>().ok();
                    if version.is_none() {
                        return Err(format!("`{key}`: `version_number` is not a version number"));
                    }
                }
                (name, _) => return Err(format!("`{key}`: unexpected `{name}` or a wrong type")),
            }
        }
        let missing = |what: &str| format!("`{key}`: `{what}` is missing");
        let entry = Entry {
            workflow_id: id.ok_or_else(|| missing("workflow_id"))?,
            version_number: version.ok_or_else(|| missing("version_number"))?,
            body_sha256: digest.ok_or_else(|| missing("body_sha256"))?,
        };
        entries.insert(key, entry);
    }
    Ok(entries)
}

/// The lowercase hex SHA-256 of `text`.
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The folder of the nearest `flowc.toml` above `dir` (itself included), if any.
pub fn catalog_dir(dir: &Path) -> Option<PathBuf> {
    let dir = dir.canonicalize().ok()?;
    dir.ancestors()
        .find(|d| d.join("flowc.toml").is_file())
        .map(Path::to_path_buf)
}

/// The folder a file is in (`.` for a bare file name).
pub fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where the lock of `file` lives and the file's key in it: beside the
/// nearest `flowc.toml` of the file's folder, or in the current folder when
/// there is none. The file's folder must exist.
pub fn locate(file: &Path) -> Result<(PathBuf, String), String> {
    let folder = folder_of(file);
    let canonical = folder
        .canonicalize()
        .map_err(|e| format!("cannot read folder `{}`: {e}", folder.display()))?;
    let lock_dir = match catalog_dir(&canonical) {
        Some(dir) => dir,
        None => std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .map_err(|e| format!("cannot read the current folder: {e}"))?,
    };
    let name = file
        .file_name()
        .ok_or_else(|| format!("`{}` is not a file name", file.display()))?
        .to_string_lossy();
    let mut parts = relative(&lock_dir, &canonical);
    parts.push(name.into_owned());
    Ok((lock_dir.join(LOCK_FILE), parts.join("/")))
}

/// The components leading from folder `base` to folder `target`, both absolute.
fn relative(base: &Path, target: &Path) -> Vec<String> {
    let names = |p: &Path| -> Vec<String> {
        p.components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let (base, target) = (names(base), names(target));
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    std::iter::repeat_n("..".to_string(), base.len() - common)
        .chain(target[common..].iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, version: u64) -> Entry {
        Entry {
            workflow_id: id.into(),
            version_number: version,
            body_sha256: digest(id),
        }
    }

    #[test]
    fn renders_sorted_tables_and_reads_them_back() {
        let mut entries = BTreeMap::new();
        entries.insert("flows/b.flow".to_string(), entry("wf-2", 3));
        entries.insert("a \"q\".flow".to_string(), entry("wf-1", 1));
        let text = render(&entries);
        assert_eq!(
            text,
            format!(
                "# Which platform workflow each .flow file is, written by `flowc push` and\n\
                 # `flowc pull`. Commit this file; do not edit it by hand.\n\
                 \n[\"a \\\"q\\\".flow\"]\nworkflow_id = \"wf-1\"\nversion_number = 1\nbody_sha256 = \"{}\"\n\
                 \n[\"flows/b.flow\"]\nworkflow_id = \"wf-2\"\nversion_number = 3\nbody_sha256 = \"{}\"\n",
                digest("wf-1"),
                digest("wf-2")
            )
        );
        assert_eq!(parse(&text).unwrap(), entries);
    }

    #[test]
    fn refuses_a_lock_with_missing_or_mistyped_fields() {
        assert_eq!(
            parse("[\"a.flow\"]\nworkflow_id = \"x\"\nbody_sha256 = \"y\"\n").unwrap_err(),
            "`a.flow`: `version_number` is missing"
        );
        assert_eq!(
            parse("[\"a.flow\"]\nworkflow_id = 1\n").unwrap_err(),
            "`a.flow`: unexpected `workflow_id` or a wrong type"
        );
        assert_eq!(parse("a = 1").unwrap_err(), "`a` is not a table");
    }

    #[test]
    fn digest_is_lowercase_hex_sha256() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/c/d")),
            ["..", "c", "d"]
        );
        assert!(relative(Path::new("/a"), Path::new("/a")).is_empty());
    }
}
