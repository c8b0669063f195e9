//! `action.yml`: the composite action's steps, run one by one in bash as a
//! GitHub runner runs them — the same shell command line, the variables it
//! sets (`GITHUB_ACTION_PATH`, `GITHUB_OUTPUT`, `GITHUB_PATH`, `RUNNER_OS`, …),
//! step outputs and `GITHUB_PATH` carried to later steps, `${{ }}`
//! expressions and `if:` evaluated — on good and bad files.
//!
//! A step that `uses:` another action (the cache) cannot run here; it is a
//! cache miss, so the build step runs. The build goes to `target/ecosystem`,
//! shared with `tests/precommit.rs`, unoptimised (`common::quick_install_env`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

fn action() -> Yaml {
    let text = std::fs::read_to_string(common::root().join("action.yml")).unwrap();
    YamlLoader::load_from_str(&text)
        .expect("action.yml is YAML")
        .remove(0)
}

/// What a workflow gives the action, and the run's result.
struct Run {
    /// The outcome of the last step that ran: its exit code and stdout.
    code: i32,
    stdout: String,
    /// The names of the steps that ran, in order.
    ran: Vec<String>,
}

/// The expression contexts a step can read.
struct Contexts {
    inputs: BTreeMap<String, String>,
    github: BTreeMap<&'static str, String>,
    runner: BTreeMap<&'static str, String>,
    steps: BTreeMap<String, BTreeMap<String, String>>,
}

impl Contexts {
    /// The value of `a.b.c`, as GitHub's expressions read it; an empty string
    /// for a missing step output. Anything else is a test failure: the
    /// action uses an expression this harness cannot evaluate.
    fn lookup(&self, path: &str) -> String {
        let parts: Vec<&str> = path.trim().split('.').collect();
        match parts.as_slice() {
            ["inputs", name] => self.inputs[*name].clone(),
            ["github", name] => self.github[name].clone(),
            ["runner", name] => self.runner[name].clone(),
            ["steps", id, "outputs", name] => self
                .steps
                .get(*id)
                .and_then(|o| o.get(*name))
                .cloned()
                .unwrap_or_default(),
            _ => panic!("action.yml uses an expression the test cannot evaluate: {path}"),
        }
    }

    /// Replaces each `${{ expr }}` in `text`.
    fn substitute(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            out.push_str(&self.lookup(&rest[start + 3..end]));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// An `if:` condition: `a.b != 'x'`, `a.b == 'x'`.
    fn condition(&self, expr: &str) -> bool {
        let expr = expr.trim().trim_start_matches("${{").trim_end_matches("}}");
        for (op, equal) in [("!=", false), ("==", true)] {
            if let Some((left, right)) = expr.split_once(op) {
                let literal = right.trim().trim_matches('\'');
                return (self.lookup(left) == literal) == equal;
            }
        }
        panic!("action.yml uses a condition the test cannot evaluate: {expr}");
    }
}

/// The environment of the test's own toolchain, kept when HOME moves.
fn toolchain_env() -> Vec<(String, PathBuf)> {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let mut env = Vec::new();
    for (name, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        let dir = std::env::var_os(name).map_or_else(|| home.join(default), PathBuf::from);
        if dir.exists() {
            env.push((name.to_string(), dir));
        }
    }
    env
}

/// Runs every step of the action in `workspace` with `inputs` (over the
/// defaults of action.yml), as a runner would.
fn run_action(workspace: &Path, inputs: &[(&str, &str)]) -> Run {
    let action = action();
    let scratch = tempfile::tempdir().unwrap();
    let runner_temp = scratch.path().join("_temp");
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&runner_temp).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let root = common::root();

    let mut defaults: BTreeMap<String, String> = BTreeMap::new();
    for (name, spec) in action["inputs"].as_hash().unwrap() {
        let default = spec["default"].as_str().unwrap_or("").to_string();
        defaults.insert(name.as_str().unwrap().to_string(), default);
    }
    for (name, value) in inputs {
        assert!(defaults.contains_key(*name), "no input `{name}`");
        defaults.insert(name.to_string(), value.to_string());
    }
    let mut contexts = Contexts {
        inputs: defaults,
        github: BTreeMap::from([
            ("action_path", root.display().to_string()),
            ("workspace", workspace.display().to_string()),
        ]),
        runner: BTreeMap::from([
            ("os", "Linux".to_string()),
            ("arch", "X64".to_string()),
            ("temp", runner_temp.display().to_string()),
        ]),
        steps: BTreeMap::new(),
    };
    let mut path_dirs: Vec<String> = Vec::new();
    let mut run = Run {
        code: 0,
        stdout: String::new(),
        ran: Vec::new(),
    };
    for (i, step) in action["runs"]["steps"].as_vec().unwrap().iter().enumerate() {
        let name = step["name"].as_str().unwrap_or("step").to_string();
        let id = step["id"].as_str().map(str::to_string);
        if let Some(condition) = step["if"].as_str() {
            if !contexts.condition(condition) {
                continue;
            }
        }
        if let Some(uses) = step["uses"].as_str() {
            assert!(uses.starts_with("actions/cache@"), "cannot run {uses}");
            // A cache miss: the build step must run.
            if let Some(id) = id {
                contexts
                    .steps
                    .insert(id, BTreeMap::from([("cache-hit".into(), "false".into())]));
            }
            continue;
        }
        let script = step["run"]
            .as_str()
            .expect("a step runs a script or uses an action");
        assert!(
            !script.contains("${{"),
            "{name}: expressions belong in env:, not pasted into the script"
        );
        assert_eq!(
            step["shell"].as_str(),
            Some("bash"),
            "{name}: a composite step names its shell"
        );
        let script_file = runner_temp.join(format!("step-{i}.sh"));
        std::fs::write(&script_file, script).unwrap();
        let output_file = runner_temp.join(format!("output-{i}"));
        let path_file = runner_temp.join(format!("path-{i}"));
        let env_file = runner_temp.join(format!("env-{i}"));
        for file in [&output_file, &path_file, &env_file] {
            std::fs::write(file, "").unwrap();
        }
        let system_path = std::env::var("PATH").unwrap_or_default();
        let path = path_dirs
            .iter()
            .rev()
            .cloned()
            .chain([system_path])
            .collect::<Vec<_>>()
            .join(":");
        let mut command = Command::new("bash");
        // The command line GitHub runs for `shell: bash`.
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(workspace)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &home)
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", &root)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_ENV", &env_file)
            .env("GITHUB_STEP_SUMMARY", runner_temp.join("summary.md"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", &runner_temp)
            // Not GitHub's: reuse the tests' toolchain, and build quickly.
            .envs(toolchain_env())
            .envs(common::quick_install_env());
        if let Ok(jobs) = std::env::var("CARGO_BUILD_JOBS") {
            command.env("CARGO_BUILD_JOBS", jobs);
        }
        if let Some(env) = step["env"].as_hash() {
            for (key, value) in env {
                let value = match value {
                    Yaml::String(s) => contexts.substitute(s),
                    other => panic!("{name}: env value {other:?}"),
                };
                command.env(key.as_str().unwrap(), value);
            }
        }
        let out = command.output().expect("bash runs");
        run.ran.push(name.clone());
        run.code = out.status.code().unwrap_or(-1);
        run.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let outputs: BTreeMap<String, String> = std::fs::read_to_string(&output_file)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if let Some(id) = id {
            contexts.steps.insert(id, outputs);
        }
        path_dirs.extend(
            std::fs::read_to_string(&path_file)
                .unwrap()
                .lines()
                .map(str::to_string),
        );
        if run.code != 0 {
            // A failed step ends the job, as on GitHub.
            if name != "Check" {
                panic!(
                    "step `{name}` failed ({}):\n{}\n{}",
                    run.code,
                    run.stdout,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            break;
        }
    }
    run
}

const GOOD: &str = "workflow \"Ping\" {\n  trigger manual-trigger\n\n  step ping: noop\n}\n";
const BAD: &str = "workflow \"Ping\" {\n  trigger no-such-trigger\n\n  step ping: noop\n}\n";
/// A warning only: W400, a condition that compares two constants.
const WARNING: &str =
    "workflow \"Ping\" {\n  trigger manual-trigger\n\n  if 1 == 1 {\n    step ping: noop\n  }\n}\n";

fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn action_yml_is_a_composite_action_with_the_documented_inputs() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs: Vec<(&str, &str)> = action["inputs"]
        .as_hash()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap(), v["default"].as_str().unwrap()))
        .collect();
    assert_eq!(
        inputs,
        [("paths", "."), ("deny-warnings", "false"), ("catalog", "")]
    );
}

#[test]
fn the_steps_pass_on_good_files_and_fail_on_bad_ones() {
    let dir = workspace(&[
        ("flows/good.flow", GOOD),
        ("flows/bad.flow", BAD),
        ("flows/warning.flow", WARNING),
        (
            "platform/flowc.toml",
            "[triggers]\nextra = [\"no-such-trigger\"]\n",
        ),
    ]);

    let run = run_action(dir.path(), &[("paths", "flows/good.flow")]);
    assert_eq!(
        run.ran,
        [
            "Fingerprint flowc's source",
            "Build flowc",
            "Put flowc on PATH",
            "Check"
        ]
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));

    // A bad file: an annotation on its line, and the job fails.
    let run = run_action(dir.path(), &[("paths", "flows/good.flow\nflows/bad.flow")]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            1,
            "::error file=flows/bad.flow,line=2,col=11,endLine=2,endColumn=26,title=E300::unknown trigger type `no-such-trigger`\n"
        )
    );

    // Warnings pass, unless deny-warnings.
    let run = run_action(dir.path(), &[("paths", "flows/warning.flow")]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .starts_with("::warning file=flows/warning.flow,line=4,"),
        "{}",
        run.stdout
    );
    let run = run_action(
        dir.path(),
        &[("paths", "flows/warning.flow"), ("deny-warnings", "true")],
    );
    assert_eq!(run.code, 1);
    let run = run_action(
        dir.path(),
        &[("paths", "flows/warning.flow"), ("deny-warnings", "yes")],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            2,
            "::error title=flowc::deny-warnings must be true or false, not 'yes'\n"
        )
    );

    // The catalog input: a project's platform with one more trigger.
    let run = run_action(
        dir.path(),
        &[
            ("paths", "flows/bad.flow"),
            ("catalog", "platform/flowc.toml"),
        ],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));

    // The default path is the whole workspace.
    let run = run_action(dir.path(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=./flows/bad.flow,line=2,col=11,endLine=2,endColumn=26,title=E300::unknown trigger type `no-such-trigger`\n\
         ::warning file=./flows/warning.flow,line=4,col=6,endLine=4,endColumn=12,title=W400::condition with no reference on either side\n"
    );
}
