//! Finding and loading each file's `flowc.toml`: beside it or in the nearest parent folder, or `--catalog`.

use crate::input::{InputError, Source};
use flowc::{Catalog, Diagnostic};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A catalog file that had mistakes: reported once, then not used.
pub struct BadCatalog {
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

/// The catalogs in use, which one each source takes, and the catalogs that
/// failed.
pub struct Resolved {
    /// Each distinct catalog once; the defaults first.
    pub catalogs: Vec<Catalog>,
    /// For each source, in order, its index in `catalogs`.
    pub of: Vec<usize>,
    pub bad: Vec<BadCatalog>,
}

impl Resolved {
    /// Every source on the defaults.
    pub fn defaults(sources: usize) -> Resolved {
        Resolved {
            catalogs: vec![Catalog::default()],
            of: vec![0; sources],
            bad: Vec::new(),
        }
    }

    /// The catalog of source `i`.
    pub fn of(&self, i: usize) -> &Catalog {
        &self.catalogs[self.of[i]]
    }
}

/// The `flowc.toml` in `start` or its nearest parent folder (SPEC §8).
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|dir| dir.join("flowc.toml"))
        .find(|p| p.is_file())
}

/// Resolves the catalog of each source: each folder is looked up once and
/// each catalog read once. An explicit `--catalog` that cannot be read is an
/// I/O error.
pub fn resolve(sources: &[Source], explicit: Option<&Path>) -> Result<Resolved, InputError> {
    let mut resolved = Resolved::defaults(0);
    let mut by_dir: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut loaded: HashMap<PathBuf, usize> = HashMap::new();
    for source in sources {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => {
                let dir = match source.path.as_deref().and_then(Path::parent) {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                by_dir
                    .entry(dir)
                    .or_insert_with_key(|dir| find(dir))
                    .clone()
            }
        };
        let index = match path {
            None => 0,
            Some(path) => match loaded.get(&path) {
                Some(&index) => index,
                None => {
                    let text = crate::input::Input::File(path.clone()).read()?;
                    let index = match Catalog::from_toml(&text.text) {
                        Ok(catalog) => {
                            resolved.catalogs.push(catalog);
                            resolved.catalogs.len() - 1
                        }
                        Err(diagnostics) => {
                            resolved.bad.push(BadCatalog {
                                source: text,
                                diagnostics,
                            });
                            0
                        }
                    };
                    loaded.insert(path, index);
                    index
                }
            },
        };
        resolved.of.push(index);
    }
    Ok(resolved)
}
