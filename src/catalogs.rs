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

/// The catalog of every source, in order, and the catalogs that failed.
pub struct Resolved {
    pub catalogs: Vec<Catalog>,
    pub bad: Vec<BadCatalog>,
}

fn find(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|dir| dir.join("flowc.toml"))
        .find(|p| p.is_file())
}

/// Resolves the catalog of each source. An explicit `--catalog` that cannot
/// be read is an I/O error.
pub fn resolve(sources: &[Source], explicit: Option<&Path>) -> Result<Resolved, InputError> {
    let mut loaded: HashMap<PathBuf, Catalog> = HashMap::new();
    let mut bad = Vec::new();
    let mut catalogs = Vec::with_capacity(sources.len());
    for source in sources {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => {
                let dir = match &source.path {
                    Some(file) => file
                        .parent()
                        .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
                    None => PathBuf::from("."),
                };
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                find(&dir)
            }
        };
        let Some(path) = path else {
            catalogs.push(Catalog::default());
            continue;
        };
        if let Some(catalog) = loaded.get(&path) {
            catalogs.push(catalog.clone());
            continue;
        }
        let text = crate::input::Input::File(path.clone()).read()?;
        let catalog = match Catalog::from_toml(&text.text) {
            Ok(catalog) => catalog,
            Err(diagnostics) => {
                bad.push(BadCatalog {
                    source: text,
                    diagnostics,
                });
                Catalog::default()
            }
        };
        loaded.insert(path, catalog.clone());
        catalogs.push(catalog);
    }
    Ok(Resolved { catalogs, bad })
}
