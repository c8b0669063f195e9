//! `flowc push`, `flowc pull` and `flowc diff` (SPEC §14): the binary's side of the workflow platform.
//!
//! `lock` knows `flowc.lock`, `client` knows HTTP; this module decides, file
//! by file, what to send (create, update, nothing, or refuse on drift) and
//! prints one line per file. Every line goes through [`Platform::redact`],
//! so the token cannot reach the terminal even if a server echoes it.

mod client;
mod lock;

use crate::input::atomic_write;
use crate::{check_all, counts, fail, load, print_human, reports, write_stdout, Outcome};
use client::{segment, Client, Method, RequestError};
use flowc::json::{self, Json};
use flowc::report::{Counts, FileReport};
use flowc::Catalog;
use lock::{Entry, Lock};
use std::path::{Path, PathBuf};

/// The optional fields of a body: an update sends `null` for each the file
/// does not have, since the API carries omitted fields over.
const OPTIONAL: [&str; 4] = [
    "description",
    "trigger_configuration",
    "trigger_constraints",
    "workflow_editor_state",
];

const STDIN_REFUSED: &str =
    "standard input has no place in flowc.lock: give the .flow files themselves";

/// The API and the token of this run.
struct Platform {
    client: Client,
    token: String,
}

/// Why a file did not go through.
enum Halt {
    /// That file failed or was refused; the others go on.
    Failed,
    /// The run stops with this outcome (a refused token, an unreachable host).
    Stop(Outcome),
}

/// A file ready to compare with the platform: its compact body and where
/// its lock entry lives.
struct Local {
    name: String,
    /// Index into the run's locks.
    lock: usize,
    key: String,
    /// The body as `build --compact` prints it, without the final newline.
    body: String,
    /// The same body as a value.
    json: Json,
    digest: String,
}

/// What a workflow answer tells: its id, version and whether it is active.
struct Remote {
    workflow_id: Option<String>,
    name: Option<String>,
    /// The whole answer.
    body: Json,
    version_number: u64,
    is_active: Option<bool>,
}

impl Platform {
    /// The API from `FLOWC_API_URL` and the token from `FLOWC_API_TOKEN`.
    fn from_env() -> Result<Platform, String> {
        let token = std::env::var("FLOWC_API_TOKEN").unwrap_or_default();
        let token = token.trim();
        if token.is_empty() {
            return Err(
                "FLOWC_API_TOKEN is not set: set it to your workflow API token".to_string(),
            );
        }
        let base = std::env::var("FLOWC_API_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| client::DEFAULT_URL.to_string());
        let base = base.trim();
        let host = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"));
        if host.is_none_or(|h| h.trim_matches('/').is_empty()) {
            return Err(format!(
                "FLOWC_API_URL must be an http:// or https:// URL, such as {}, not `{base}`",
                client::DEFAULT_URL
            ));
        }
        Ok(Platform {
            client: Client::new(base, token),
            token: token.to_string(),
        })
    }

    /// `text` with the token replaced, should anything have echoed it. A
    /// token too short to be real is left alone rather than blotting out
    /// ordinary words.
    fn redact(&self, text: &str) -> String {
        if self.token.len() >= 6 {
            text.replace(&self.token, "[FLOWC_API_TOKEN]")
        } else {
            text.to_string()
        }
    }

    /// A file's line of result, on standard output.
    fn say(&self, line: &str) {
        write_stdout(&format!("{}\n", self.redact(line)));
    }

    /// An error or note, on standard error.
    fn tell(&self, line: &str) {
        eprintln!("{}", self.redact(line));
    }

    /// Sends a request for file `name`; a failure is printed, and `on_404`
    /// says what to do when the workflow is not there.
    fn request(
        &self,
        name: &str,
        method: Method,
        path: &str,
        body: Option<&str>,
        on_404: &str,
    ) -> Result<client::Answer, Halt> {
        self.client
            .send(method, path, body)
            .map_err(|err| self.report(name, &err, on_404))
    }

    fn report(&self, name: &str, err: &RequestError, on_404: &str) -> Halt {
        let mut message = format!("error: {name}: {err}");
        if err.status() == Some(404) && !on_404.is_empty() {
            message.push_str("; ");
            message.push_str(on_404);
        }
        if err.method == Method::Patch && err.may_have_applied() {
            // The platform may hold the new version while the lock still
            // names the old one: the next push would call that drift.
            message.push_str(
                "; the update may have been applied anyway: if the next push reports drift, \
                 `flowc diff` shows whether the platform already has this file's body",
            );
        }
        self.tell(&message);
        if err.stops_run() {
            self.tell("error: stopped: nothing more was sent");
            Halt::Stop(Outcome::Usage)
        } else {
            Halt::Failed
        }
    }

    /// Reads a workflow answer; a body that is not one fails the file.
    fn remote(&self, name: &str, what: &str, text: &str) -> Result<Remote, Halt> {
        parse_remote(text).map_err(|why| {
            self.tell(&format!(
                "error: {name}: {what}: the answer is not a workflow: {why}"
            ));
            Halt::Failed
        })
    }

    fn save(&self, lock: &Lock, name: &str, done: &str) -> Result<(), Halt> {
        lock.save().map_err(|err| {
            self.tell(&format!(
                "error: {name}: {done}, but {err}; record it there by hand before pushing again"
            ));
            Halt::Stop(Outcome::Usage)
        })
    }

    fn push_one(
        &self,
        local: &Local,
        lock: &mut Lock,
        dry_run: bool,
        force: bool,
    ) -> Result<(), Halt> {
        let name = local.name.as_str();
        let Some(entry) = lock.entries.get(&local.key).cloned() else {
            if dry_run {
                self.say(&format!("{name}: would create"));
                return Ok(());
            }
            let answer = self.request(name, Method::Post, "/workflows", Some(&local.body), "")?;
            let created = self.remote(name, "POST /workflows", &answer.text)?;
            let Some(workflow_id) = created.workflow_id else {
                self.tell(&format!(
                    "error: {name}: POST /workflows: the answer has no workflow_id, so \
                     flowc.lock cannot record the workflow, which was probably created: look \
                     for it on the platform before pushing again"
                ));
                return Err(Halt::Failed);
            };
            lock.entries.insert(
                local.key.clone(),
                Entry {
                    workflow_id: workflow_id.clone(),
                    version_number: created.version_number,
                    body_sha256: local.digest.clone(),
                },
            );
            self.save(lock, name, &format!("created workflow {workflow_id}"))?;
            self.say(&format!("{name}: created"));
            return Ok(());
        };
        if entry.body_sha256 == local.digest {
            self.say(&format!("{name}: unchanged"));
            return Ok(());
        }
        let id = &entry.workflow_id;
        let path = format!("/workflows/{}", segment(id));
        let gone = gone(id, local, lock);
        let answer = self.request(name, Method::Get, &path, None, &gone)?;
        let current = self.remote(name, &format!("GET {path}"), &answer.text)?;
        let drift = current.version_number > entry.version_number;
        if drift && !force {
            self.tell(&format!(
                "error: {name}: refused: workflow {id} was changed on the platform since it was \
                 last pushed or pulled (version {} there, {} in flowc.lock); see the \
                 difference with `flowc diff {name}`, or overwrite it with \
                 `flowc push --force {name}`",
                current.version_number, entry.version_number
            ));
            return Err(Halt::Failed);
        }
        if dry_run {
            self.say(&if drift {
                format!(
                    "{name}: would update, overwriting version {} changed on the platform",
                    current.version_number
                )
            } else {
                format!("{name}: would update")
            });
            return Ok(());
        }
        let patch = patch_body(&local.json).map_err(|e| {
            self.tell(&format!("error: {name}: cannot write the update ({e})"));
            Halt::Failed
        })?;
        let answer = self.request(name, Method::Patch, &path, Some(&patch), &gone)?;
        let updated = self.remote(name, &format!("PATCH {path}"), &answer.text)?;
        lock.entries.insert(
            local.key.clone(),
            Entry {
                workflow_id: id.clone(),
                version_number: updated.version_number,
                body_sha256: local.digest.clone(),
            },
        );
        self.save(
            lock,
            name,
            &format!(
                "updated workflow {id} to version {}",
                updated.version_number
            ),
        )?;
        if drift {
            self.tell(&format!(
                "note: {name}: overwrote version {} of workflow {id}, changed on the platform",
                current.version_number
            ));
        }
        self.say(&match updated.is_active {
            Some(true) => format!(
                "{name}: updated (version {}, active)",
                updated.version_number
            ),
            _ => format!(
                "{name}: updated (version {}, inactive draft: activate it on the platform)",
                updated.version_number
            ),
        });
        Ok(())
    }
}

/// What to do when a locked workflow is no longer on the platform.
fn gone(id: &str, local: &Local, lock: &Lock) -> String {
    format!(
        "workflow {id} is not on the platform: remove `{}` from {} to create it again",
        local.key,
        lock.path.display()
    )
}

fn parse_remote(text: &str) -> Result<Remote, String> {
    // flowc's own parser: it keeps number lexemes and has no recursion
    // limit below the nesting a flow file can write.
    let body = json::parse(text)
        .map_err(|e| format!("not JSON ({e})"))?
        .to_json();
    if !matches!(body, Json::Object(_)) {
        return Err("not a JSON object".to_string());
    }
    let version = match body.get("version_number") {
        None => return Err("no version_number".to_string()),
        Some(Json::Number(lexeme)) => lexeme.parse::<u64>().ok().or_else(|| {
            lexeme
                .parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9e15)
                .map(|f| f as u64)
        }),
        Some(_) => None,
    }
    .ok_or("version_number is not a whole number")?;
    let string = |key: &str| match body.get(key) {
        Some(Json::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    Ok(Remote {
        workflow_id: string("workflow_id"),
        name: string("name"),
        version_number: version,
        is_active: match body.get("is_active") {
            Some(Json::Bool(b)) => Some(*b),
            _ => None,
        },
        body,
    })
}

/// The body of an update: every field of the built body, then `null` for
/// each optional field the file does not have.
fn patch_body(body: &Json) -> Result<String, String> {
    let mut members = match body {
        Json::Object(members) => members.clone(),
        _ => return Err("the built body is not a JSON object".to_string()),
    };
    for key in OPTIONAL {
        if !members.iter().any(|(k, _)| k == key) {
            members.push((key.to_string(), Json::Null));
        }
    }
    serde_json::to_string(&Json::Object(members)).map_err(|e| e.to_string())
}

/// `json` without its `workflow_editor_state`, which the API never returns.
fn without_editor_state(json: Json) -> Json {
    match json {
        Json::Object(members) => Json::Object(
            members
                .into_iter()
                .filter(|(k, _)| k != "workflow_editor_state")
                .collect(),
        ),
        other => other,
    }
}

/// Builds every file and finds its lock entry. Nothing is sent when any
/// file has an error (exit 1) or a file or lock cannot be read (exit 2).
fn prepare(
    sources: &[crate::input::Source],
    checked: &[flowc::Checked],
    locks: &mut Vec<Lock>,
) -> Result<Vec<Local>, Outcome> {
    let mut locals: Vec<Local> = Vec::new();
    for (source, checked) in sources.iter().zip(checked) {
        let Some(path) = &source.path else {
            return Err(fail(STDIN_REFUSED));
        };
        let (lock_path, key) = lock::locate(path).map_err(fail)?;
        let lock = match locks.iter().position(|l| l.path == lock_path) {
            Some(i) => i,
            None => {
                locks.push(Lock::load(&lock_path).map_err(fail)?);
                locks.len() - 1
            }
        };
        // The same file named twice (itself and its folder) is one file.
        if locals.iter().any(|l| l.lock == lock && l.key == key) {
            continue;
        }
        let Some(body) = checked.body() else {
            return Err(Outcome::Diagnostics);
        };
        let compact = body.to_compact();
        let body = compact.strip_suffix('\n').unwrap_or(&compact).to_string();
        // The emitter writes JSON that flowc's parser reads; should that
        // ever fail, the file is not sent rather than sent wrong.
        let json = json::parse(&body).map_err(|e| {
            eprintln!(
                "error: {}: the built body cannot be read back ({e}); nothing was sent",
                source.name
            );
            Outcome::Diagnostics
        })?;
        locals.push(Local {
            json: json.to_json(),
            // `push` with no path names `./a.flow`; the line says `a.flow`.
            name: source
                .name
                .strip_prefix("./")
                .unwrap_or(&source.name)
                .to_string(),
            lock,
            key,
            digest: lock::digest(&body),
            body,
        });
    }
    Ok(locals)
}

/// Reads and checks the files; their diagnostics are printed. `None` when
/// the run must stop before any request.
fn build_all(
    paths: &[PathBuf],
) -> Result<(Vec<crate::input::Source>, Vec<flowc::Checked>), Outcome> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(fail(STDIN_REFUSED));
    }
    let (sources, resolved, io) = load(paths, None);
    if io != Outcome::Ok {
        return Err(io);
    }
    let checked = check_all(&sources, &resolved);
    let files = reports(&resolved.bad, &sources, &checked);
    let counts = counts(&files, sources.len());
    print_human(&files, counts, "checked", false);
    if counts.errors > 0 {
        eprintln!("error: nothing was sent: fix the errors first");
        return Err(Outcome::Diagnostics);
    }
    Ok((sources, checked))
}

/// What `push` and `diff` start from: the platform (its token first), then
/// every file built and ready to compare, and the locks of their entries.
fn ready(paths: &[PathBuf]) -> Result<(Platform, Vec<Local>, Vec<Lock>), Outcome> {
    let platform = Platform::from_env().map_err(fail)?;
    let (sources, checked) = build_all(paths)?;
    let mut locks = Vec::new();
    let locals = prepare(&sources, &checked, &mut locks)?;
    Ok((platform, locals, locks))
}

/// `flowc push`: creates, updates or leaves alone each file's workflow.
pub fn push(paths: &[PathBuf], dry_run: bool, force: bool) -> Outcome {
    let (platform, locals, mut locks) = match ready(paths) {
        Ok(ready) => ready,
        Err(outcome) => return outcome,
    };
    let mut outcome = Outcome::Ok;
    for local in &locals {
        match platform.push_one(local, &mut locks[local.lock], dry_run, force) {
            Ok(()) => {}
            Err(Halt::Failed) => outcome = outcome.max(Outcome::Diagnostics),
            Err(Halt::Stop(stop)) => return outcome.max(stop),
        }
    }
    outcome
}

/// `flowc diff`: a unified diff, in flow text, of each locked file that
/// differs from its workflow on the platform.
pub fn diff(paths: &[PathBuf]) -> Outcome {
    let (platform, locals, locks) = match ready(paths) {
        Ok(ready) => ready,
        Err(outcome) => return outcome,
    };
    let mut outcome = Outcome::Ok;
    for local in &locals {
        let name = local.name.as_str();
        let Some(entry) = locks[local.lock].entries.get(&local.key) else {
            platform.tell(&format!(
                "note: {name} is not in flowc.lock: `flowc push` would create it"
            ));
            continue;
        };
        let path = format!("/workflows/{}", segment(&entry.workflow_id));
        let gone = gone(&entry.workflow_id, local, &locks[local.lock]);
        let answer = match platform.request(name, Method::Get, &path, None, &gone) {
            Ok(answer) => answer,
            Err(Halt::Failed) => {
                outcome = outcome.max(Outcome::Diagnostics);
                continue;
            }
            Err(Halt::Stop(stop)) => return outcome.max(stop),
        };
        let Ok(remote) = platform.remote(name, &format!("GET {path}"), &answer.text) else {
            outcome = outcome.max(Outcome::Diagnostics);
            continue;
        };
        let theirs = without_editor_state(remote.body.clone());
        let mine = without_editor_state(local.json.clone());
        if flowc::import::same_body(&mine, &theirs) {
            continue;
        }
        outcome = outcome.max(Outcome::Diagnostics);
        let (theirs, mine) = match (
            flowc::import::import(&answer.text),
            serde_json::to_string(&mine)
                .map_err(|_| ())
                .and_then(|text| flowc::import::import(&text).map_err(|_| ())),
        ) {
            (Ok(theirs), Ok(mine)) => (theirs.text, mine.text),
            _ => {
                platform.tell(&format!(
                    "error: {name}: workflow {} differs, but its body on the platform cannot \
                     be written as flow text (see it with `flowc pull {} -o FILE`)",
                    entry.workflow_id, entry.workflow_id
                ));
                continue;
            }
        };
        let text = similar::TextDiff::from_lines(&theirs, &mine)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!(
                    "{name} (platform: workflow {}, version {})",
                    entry.workflow_id, remote.version_number
                ),
                &format!("{name} (local)"),
            )
            .to_string();
        write_stdout(&platform.redact(&text));
    }
    outcome
}

/// `flowc pull`: writes a workflow as a flow file and records it in the lock.
pub fn pull(workflow_id: &str, output: Option<&Path>) -> Outcome {
    let platform = match Platform::from_env() {
        Ok(platform) => platform,
        Err(err) => return fail(err),
    };
    let path = format!("/workflows/{}", segment(workflow_id));
    let label = format!("workflow {workflow_id}");
    let answer = match platform.request(
        &label,
        Method::Get,
        &path,
        None,
        "check the id (the workflow_id UUID, not the version's id)",
    ) {
        Ok(answer) => answer,
        Err(Halt::Failed) => return Outcome::Diagnostics,
        Err(Halt::Stop(stop)) => return stop,
    };
    let remote = match platform.remote(&label, &format!("GET {path}"), &answer.text) {
        Ok(remote) => remote,
        Err(_) => return Outcome::Diagnostics,
    };
    let imported = match flowc::import::import(&answer.text) {
        Ok(imported) => imported,
        Err(diagnostics) => {
            let name = format!("GET {path}");
            let files = [FileReport {
                name: &name,
                source: &answer.text,
                diagnostics: &diagnostics,
            }];
            print_human(&files, Counts::of(&files), "imported", true);
            return Outcome::Diagnostics;
        }
    };
    for note in &imported.notes {
        // Dropping the server fields is what a pull does, not news.
        if !note.starts_with("dropped the server field") {
            platform.tell(&format!("note: {note}"));
        }
    }
    let target = match output {
        Some(file) => file.to_path_buf(),
        None => {
            let stem = file_stem(remote.name.as_deref().unwrap_or(workflow_id));
            PathBuf::from(format!("{stem}.flow"))
        }
    };
    let (lock_path, key) = match lock::locate(&target) {
        Ok(found) => found,
        Err(err) => return fail(err),
    };
    let mut lock = match Lock::load(&lock_path) {
        Ok(lock) => lock,
        Err(err) => return fail(err),
    };
    let linked = lock
        .entries
        .get(&key)
        .is_some_and(|e| e.workflow_id == workflow_id);
    if output.is_none() && target.exists() && !linked {
        platform.tell(&format!(
            "error: `{}` exists and flowc.lock does not link it to workflow {workflow_id}: \
             nothing was written; give -o FILE to choose where to write it",
            target.display()
        ));
        return Outcome::Diagnostics;
    }
    let digest = match rebuilt_digest(&imported.text, &target) {
        Some(digest) => digest,
        None => {
            platform.tell(&format!(
                "error: workflow {workflow_id}: the imported flow text does not build; \
                 nothing was written"
            ));
            return Outcome::Diagnostics;
        }
    };
    if let Err(err) = atomic_write(&target, imported.text.as_bytes()) {
        return fail(format!("cannot write `{}`: {err}", target.display()));
    }
    if let Some((other, _)) = lock
        .entries
        .iter()
        .find(|(k, e)| **k != key && e.workflow_id == workflow_id)
    {
        platform.tell(&format!(
            "note: `{other}` in flowc.lock is workflow {workflow_id} too: a push of either \
             file updates it"
        ));
    }
    lock.entries.insert(
        key,
        Entry {
            workflow_id: workflow_id.to_string(),
            version_number: remote.version_number,
            body_sha256: digest,
        },
    );
    if let Err(err) = lock.save() {
        return fail(format!(
            "wrote `{}`, but {err}; the next push would create a second workflow",
            target.display()
        ));
    }
    platform.say(&format!(
        "pulled workflow {workflow_id} (version {}) into {}",
        remote.version_number,
        target.display()
    ));
    Outcome::Ok
}

/// The digest of the body that `build` of the pulled text gives, with the
/// catalog the file will be built with (the defaults when that catalog
/// rejects it: `push` will then say why).
fn rebuilt_digest(text: &str, target: &Path) -> Option<String> {
    let catalog = lock::catalog_dir(&lock::folder_of(target))
        .and_then(|dir| std::fs::read_to_string(dir.join("flowc.toml")).ok())
        .and_then(|toml| Catalog::from_toml(&toml).ok())
        .unwrap_or_default();
    let compact = [catalog, Catalog::default()]
        .iter()
        .find_map(|c| flowc::check_source(text, c).body().map(|b| b.to_compact()))?;
    Some(lock::digest(compact.strip_suffix('\n').unwrap_or(&compact)))
}

/// A file name from a workflow's name: lowercase words joined by `-`.
fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "workflow".to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_clears_what_the_file_no_longer_has() {
        let body =
            r#"{"name":"a","description":"d","trigger_type":"webhook","workflow_blocks":[1.50]}"#;
        assert_eq!(
            patch_body(&json::parse(body).unwrap().to_json()).unwrap(),
            r#"{"name":"a","description":"d","trigger_type":"webhook","workflow_blocks":[1.50],"trigger_configuration":null,"trigger_constraints":null,"workflow_editor_state":null}"#
        );
    }

    #[test]
    fn file_names_come_from_workflow_names() {
        assert_eq!(file_stem("Enterprise escalation!"), "enterprise-escalation");
        assert_eq!(file_stem("  Ünïcode / names  "), "ünïcode-names");
        assert_eq!(file_stem("///"), "workflow");
    }

    #[test]
    fn versions_are_whole_numbers() {
        assert_eq!(
            parse_remote(r#"{"version_number": 3}"#)
                .unwrap()
                .version_number,
            3
        );
        assert_eq!(
            parse_remote(r#"{"version_number": 3.0}"#)
                .unwrap()
                .version_number,
            3
        );
        assert_eq!(
            parse_remote(r#"{"version_number": "3"}"#).err().unwrap(),
            "version_number is not a whole number"
        );
        assert_eq!(parse_remote("[]").err().unwrap(), "not a JSON object");
    }
}
