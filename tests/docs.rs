//! Every example in README.md and docs/*.md is run, so the docs and the
//! behaviour cannot drift apart. The fenced blocks are extracted and, by
//! what they hold:
//!
//! - `sh`: each `emaillint …` line runs in a directory seeded with the
//!   drafts and rule directory the examples name, and must not be a usage
//!   error or a broken-file error (exit code 2). `cargo` and `bash` lines
//!   build, measure or fuzz the project and are run by CI instead.
//! - `yaml`: a rule file must pass `emaillint rules check`; a rule, or a
//!   few keys of one, must load as part of a rule file; a `profiles:` block
//!   must load beside the built-in pack; a config must load; front matter
//!   must lint without a `syntax` error.
//! - `markdown`: a draft; its suppression comments must all be used.
//! - `json`: the JSON output's documented shape: the keys a real run prints.
//! - `text`: sample output and accuracy tables, which are not inputs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug)]
struct Block {
    file: String,
    line: usize,
    lang: String,
    body: String,
}

impl std::fmt::Display for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} ({})", self.file, self.line, self.lang)
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced blocks of a Markdown file, indentation (inside a list item)
/// removed.
fn blocks_of(path: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.strip_prefix(root()).unwrap().display().to_string();
    let mut out = Vec::new();
    let mut open: Option<(usize, String, usize, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None => {
                if let Some(lang) = trimmed.strip_prefix("```") {
                    open = Some((i + 1, lang.trim().to_string(), indent, Vec::new()));
                }
            }
            Some((start, lang, ind, lines)) => {
                if trimmed == "```" {
                    out.push(Block {
                        file: name.clone(),
                        line: *start,
                        lang: lang.clone(),
                        body: lines.join("\n") + "\n",
                    });
                    open = None;
                } else {
                    lines.push(line.get(*ind..).unwrap_or(line.trim_start()).to_string());
                }
            }
        }
    }
    assert!(open.is_none(), "{name}: a fenced block is never closed");
    out
}

fn all_blocks() -> Vec<Block> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files.iter().flat_map(|f| blocks_of(f)).collect()
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_emaillint"));
    c.env_remove("NO_COLOR").env_remove("COLUMNS");
    c
}

fn out(o: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The first rule example of docs/rules.md, which the `sh` examples use as
/// `my-rules/`.
fn first_rule_file() -> String {
    let b = all_blocks()
        .into_iter()
        .find(|b| b.file == "docs/rules.md" && b.lang == "yaml" && b.body.contains("\nrules:"))
        .expect("docs/rules.md starts with a rule file");
    b.body
}

/// A directory with what the `sh` examples name.
fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = root().join("fixtures/examples/second-chance.txt");
    let bad = root().join("fixtures/examples/needs-work.md");
    std::fs::copy(&good, d.join("draft.txt")).unwrap();
    std::fs::copy(&bad, d.join("draft.md")).unwrap();
    std::fs::copy(&good, d.join("note.txt")).unwrap();
    std::fs::create_dir_all(d.join("drafts")).unwrap();
    std::fs::copy(&good, d.join("drafts/a.txt")).unwrap();
    std::fs::copy(&bad, d.join("drafts/b.md")).unwrap();
    std::fs::create_dir_all(d.join("my-rules")).unwrap();
    std::fs::write(d.join("my-rules/tone.yaml"), first_rule_file()).unwrap();
    dir
}

/// Run one `sh` line in `dir`, with `emaillint` on the PATH and `pbpaste`
/// printing a draft.
fn run_line(dir: &Path, line: &str) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_emaillint")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(format!("pbpaste() {{ cat draft.md; }}\n{line}"))
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

fn check_sh(b: &Block) {
    for line in b.body.lines() {
        // Drop a trailing comment (the examples' explanations).
        let command = match line.find("  #") {
            Some(i) => line[..i].trim(),
            None => line.trim(),
        };
        if command.is_empty() || command.starts_with('#') {
            continue;
        }
        if command.starts_with("cargo ") || command.starts_with("bash ") {
            continue;
        }
        assert!(command.contains("emaillint"), "{b}: what runs `{command}`?");
        let dir = seeded();
        let o = run_line(dir.path(), command);
        let code = o.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{b}: `{command}` failed:\n{}",
            out(&o)
        );
    }
}

/// The built-in pack, for an example rule to load beside (its lists are
/// the ones the examples use).
fn builtin() -> Vec<(&'static str, &'static str)> {
    emaillint::rules::BUILTIN.to_vec()
}

fn load_with_lists(b: &Block, rule_file: &str) {
    let mut sources = builtin();
    sources.push(("example.yaml", rule_file));
    if let Err(e) = emaillint::RuleSet::from_sources(sources) {
        panic!("{b}: does not load:\n{e}\n---\n{rule_file}");
    }
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{:by$}{l}", "")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn check_yaml(b: &Block) {
    let body = b.body.as_str();
    let first = body
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    if first == "---" {
        // Front matter: a draft with it lints without a syntax error.
        let draft = format!(
            "{body}Dear Ms. Chen,\n\nThank you for meeting me.\n\nBest regards,\nSam Lee\n"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.md"), draft).unwrap();
        let o = bin()
            .current_dir(dir.path())
            .args(["--format", "concise", "d.md"])
            .output()
            .unwrap();
        assert!(!out(&o).contains("[syntax]"), "{b}:\n{}", out(&o));
        return;
    }
    if body.contains("\njobs:") {
        check_workflow(b);
        return;
    }
    if first.starts_with("repos:") {
        check_pre_commit_config(b);
        return;
    }
    if first.starts_with("profile:") || body.contains("\nrule_dirs:") {
        // A config: it loads (with the rule directory it names).
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".emaillint.yaml"), body).unwrap();
        std::fs::create_dir(dir.path().join("house-rules")).unwrap();
        std::fs::write(
            dir.path().join("house-rules/house.yaml"),
            "rules:\n  - id: house\n    kind: forbid\n    message: m\n    phrases: [per my last email]\n",
        )
        .unwrap();
        let o = bin()
            .current_dir(dir.path())
            .args(["rules"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{b}:\n{}", out(&o));
        return;
    }
    if body.lines().any(|l| l.starts_with("rules:")) {
        // A whole rule file: its examples behave as documented.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("r")).unwrap();
        std::fs::write(dir.path().join("r/example.yaml"), body).unwrap();
        let o = bin()
            .current_dir(dir.path())
            .args(["rules", "check", "r"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{b}:\n{}", out(&o));
        return;
    }
    if first.starts_with("profiles:") {
        // Beside the built-in pack, under a name of its own.
        let renamed = body.replacen("  thank-you:", "  doc-thank-you:", 1);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("r")).unwrap();
        std::fs::write(dir.path().join("r/p.yaml"), renamed).unwrap();
        let o = bin()
            .current_dir(dir.path())
            .args(["rules", "--rules", "r", "--profile", "doc-thank-you"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{b}:\n{}", out(&o));
        return;
    }
    if first.starts_with("- id:") {
        // Rules of their own (ids renamed off the built-in ones).
        let renamed = body.replace("- id: ", "- id: doc-");
        load_with_lists(b, &format!("rules:\n{}", indent(&renamed, 2)));
        return;
    }
    if first.starts_with("examples:") {
        // Examples: of the `references` rule shown in the same page.
        let rule = "rules:\n  - id: doc-references\n    kind: require\n    message: the email does not offer references\n    anchor: before-sign-off\n    patterns: ['\\breferences?\\b']\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("r")).unwrap();
        std::fs::write(
            dir.path().join("r/example.yaml"),
            format!("{rule}{}", indent(body, 4)),
        )
        .unwrap();
        let o = bin()
            .current_dir(dir.path())
            .args(["rules", "check", "r"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{b}:\n{}", out(&o));
        return;
    }
    // Keys of a rule: in a `forbid` rule of their own.
    let rule = format!(
        "rules:\n  - id: doc-keys\n    kind: forbid\n    message: m\n{}",
        indent(body, 4)
    );
    load_with_lists(b, &rule);
}

/// A GitHub workflow: it uses this repository's action with inputs the
/// action declares, and its `args` are options emaillint accepts.
fn check_workflow(b: &Block) {
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&b.body).unwrap_or_else(|e| panic!("{b}: {e}"));
    let action: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root().join("action.yml")).unwrap()).unwrap();
    let inputs = action["inputs"].as_mapping().unwrap();
    let steps: Vec<&serde_yaml::Value> = wf["jobs"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|j| j["steps"].as_sequence().unwrap())
        .collect();
    let ours = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.contains("/emaillint@"))
        })
        .unwrap_or_else(|| panic!("{b}: no step uses the emaillint action"));
    let with = ours["with"].as_mapping().unwrap();
    for (k, _) in with {
        assert!(inputs.contains_key(k), "{b}: the action has no input {k:?}");
    }
    if let Some(args) = with.get("args").and_then(|a| a.as_str()) {
        let dir = seeded();
        let o = run_line(
            dir.path(),
            &format!("emaillint --format github {args} drafts/"),
        );
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{b}: args {args:?}:\n{}",
            out(&o)
        );
    }
}

/// A .pre-commit-config.yaml: the hooks it names are defined in
/// .pre-commit-hooks.yaml, and their `args` are accepted.
fn check_pre_commit_config(b: &Block) {
    let cfg: serde_yaml::Value =
        serde_yaml::from_str(&b.body).unwrap_or_else(|e| panic!("{b}: {e}"));
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let defined: Vec<&str> = hooks
        .as_sequence()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    for repo in cfg["repos"].as_sequence().unwrap() {
        for hook in repo["hooks"].as_sequence().unwrap() {
            let id = hook["id"].as_str().unwrap();
            assert!(
                defined.contains(&id),
                "{b}: no hook {id:?} in .pre-commit-hooks.yaml"
            );
            let args: Vec<&str> = hook["args"]
                .as_sequence()
                .map(|a| a.iter().map(|x| x.as_str().unwrap()).collect())
                .unwrap_or_default();
            let dir = seeded();
            let o = run_line(
                dir.path(),
                &format!("emaillint {} draft.txt", args.join(" ")),
            );
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{b}: args {args:?}:\n{}",
                out(&o)
            );
        }
    }
}

fn check_markdown(b: &Block) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.md"), &b.body).unwrap();
    let o = bin()
        .current_dir(dir.path())
        .args(["--format", "concise", "d.md"])
        .output()
        .unwrap();
    let text = out(&o);
    assert!(!text.contains("[unused-suppression]"), "{b}:\n{text}");
    assert!(!text.contains("[syntax]"), "{b}:\n{text}");
}

/// The keys of every object in `v`, by the path of field names to it.
fn keys(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{path}.{k}");
                out.push(p.clone());
                keys(x, &p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                keys(x, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

fn check_json(b: &Block) {
    let documented: serde_json::Value =
        serde_json::from_str(&b.body).unwrap_or_else(|e| panic!("{b}: not JSON: {e}"));
    let dir = seeded();
    let o = bin()
        .current_dir(dir.path())
        .args(["--format", "json", "draft.md", "missing.txt"])
        .output()
        .unwrap();
    let real: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let (mut want, mut have) = (Vec::new(), Vec::new());
    keys(&documented, "", &mut want);
    keys(&real, "", &mut have);
    for k in want {
        assert!(
            have.contains(&k),
            "{b}: documents `{k}`, which the output does not have"
        );
    }
}

/// An editor's config (README, "In your editor") starts the server the way
/// the binary answers to: `emaillint lsp`, which the editor then drives
/// (tests/lsp.rs). Here: the block names that command, and it exists.
fn check_editor(b: &Block) {
    let names = match b.lang.as_str() {
        "lua" => b.body.contains(r#"cmd = { "emaillint", "lsp" }"#),
        "toml" => {
            b.body.contains(r#"command = "emaillint""#) && b.body.contains(r#"args = ["lsp"]"#)
        }
        _ => {
            b.body.contains(r#""glspc.serverCommand": "emaillint""#)
                && b.body
                    .contains(r#""glspc.serverCommandArguments": ["lsp"]"#)
        }
    };
    assert!(names, "{b}: the block does not start `emaillint lsp`");
    let o = bin().args(["lsp", "--help"]).output().unwrap();
    assert!(
        o.status.success(),
        "{b}: `emaillint lsp --help`:\n{}",
        out(&o)
    );
}

#[test]
fn every_example_in_the_docs_runs() {
    let blocks = all_blocks();
    assert!(blocks.len() > 20, "{} blocks", blocks.len());
    let mut ran = 0;
    for b in &blocks {
        match b.lang.as_str() {
            "sh" => check_sh(b),
            "yaml" => check_yaml(b),
            "markdown" => check_markdown(b),
            "json" => check_json(b),
            "lua" | "toml" | "jsonc" => check_editor(b),
            "text" => continue,
            other => panic!("{b}: no test for `{other}` blocks; add one here"),
        }
        ran += 1;
    }
    assert!(ran > 15, "{ran} blocks run");
}

#[test]
fn the_licences_cargo_toml_declares_are_in_the_repository() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"MIT OR Apache-2.0\""));
    let mit = std::fs::read_to_string(root().join("LICENSE-MIT")).unwrap();
    assert!(mit.starts_with("MIT License\n"), "{mit}");
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    let apache = std::fs::read_to_string(root().join("LICENSE-APACHE")).unwrap();
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
}

#[test]
fn the_readme_installs_the_tested_dependency_versions() {
    // Without --locked, `cargo install` resolves dependencies afresh and
    // builds versions nobody tested.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    for text in [&readme, &ci] {
        for line in text.lines().filter(|l| l.contains("cargo install")) {
            if line.trim_start().starts_with('#') || line.contains("step ") {
                continue;
            }
            assert!(line.contains("--locked"), "{line}");
        }
    }
}

/// The hook's `files` and `exclude` patterns (which pre-commit applies to
/// the paths being committed) pick drafts and leave the project's own
/// documents alone, as directory walks do.
#[test]
fn the_pre_commit_hook_picks_drafts_not_project_documents() {
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"], "emaillint");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "emaillint");
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    let exclude = regex::Regex::new(hook["exclude"].as_str().unwrap()).unwrap();
    let picked = |p: &str| files.is_match(p) && !exclude.is_match(p);
    for draft in [
        "draft.txt",
        "drafts/second-chance.md",
        "out/reply.eml",
        "notes/ideas.md",
        "readmes-of-friends.txt",
    ] {
        assert!(picked(draft), "{draft} should be linted");
    }
    for doc in [
        "README.md",
        "CHANGELOG.md",
        "LICENSE.txt",
        "LICENSE-MIT.md",
        "docs/usage.md",
        "templates/docs/intro.md",
        "sub/README.markdown",
        "notes/readme-ideas.md",
        "Contributing.md",
        "doc/faq.txt",
        "image.png",
    ] {
        assert!(!picked(doc), "{doc} should be left alone");
    }
}
