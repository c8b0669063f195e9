//! Inputs of the command line: files, directories and standard input, read as UTF-8; atomic writes.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Something to read: a file, or standard input.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// An input's text and the name diagnostics use for it.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    /// The file read, or `None` for standard input.
    pub path: Option<PathBuf>,
    pub text: String,
}

/// File name without `.flow`, for `--out-dir`.
fn stem(path: Option<&Path>) -> String {
    match path {
        None => "stdin".to_string(),
        Some(path) => path
            .file_stem()
            .map_or_else(|| "out".to_string(), |s| s.to_string_lossy().into_owned()),
    }
}

impl Source {
    pub fn stem(&self) -> String {
        stem(self.path.as_deref())
    }
}

/// An input that could not be read; the run exits 2.
#[derive(Debug)]
pub struct InputError(String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Expands directories into the `*.flow` files below them, sorted.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, InputError> {
    expand_with(paths, &["flow"])
}

/// Expands directories into the files below them whose extension is one of
/// `extensions`, sorted.
pub fn expand_with(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<Input>, InputError> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
                return Err(InputError(
                    "standard input (`-`) can be read only once".to_string(),
                ));
            }
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, extensions, &mut found)?;
            found.sort();
            if found.is_empty() {
                let kinds: Vec<String> = extensions.iter().map(|e| format!(".{e}")).collect();
                eprintln!(
                    "note: no {} files under `{}`",
                    kinds.join(" or "),
                    path.display()
                );
            }
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, extensions: &[&str], found: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| InputError(format!("cannot read directory `{}`: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry
            .map_err(|e| InputError(format!("cannot read directory `{}`: {e}", dir.display())))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| InputError(format!("cannot read `{}`: {e}", path.display())))?;
        if kind.is_dir() {
            walk(&path, extensions, found)?;
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            found.push(path);
        }
    }
    Ok(())
}

impl Input {
    pub fn stem(&self) -> String {
        match self {
            Input::File(path) => stem(Some(path)),
            Input::Stdin => stem(None),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    pub fn read(&self) -> Result<Source, InputError> {
        let name = self.name();
        let bytes = match self {
            Input::File(path) => {
                std::fs::read(path).map_err(|e| InputError(format!("cannot read `{name}`: {e}")))?
            }
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map_err(|e| InputError(format!("cannot read standard input: {e}")))?;
                bytes
            }
        };
        // A byte order mark is no part of the text (editors show none, and
        // columns count from after it).
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            InputError(format!(
                "`{name}` is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let path = match self {
            Input::File(path) => Some(path.clone()),
            Input::Stdin => None,
        };
        Ok(Source { name, path, text })
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that readers never see a partial file.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        // The new file takes the place of the old: keep its permissions.
        if let Ok(old) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, old.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
