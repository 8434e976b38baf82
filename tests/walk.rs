//! Directory walks as a template repository meets them: drafts are linted,
//! the repository's own README, CHANGELOG, LICENSE files and docs/ are
//! not (and --show-files says so), .gitignore counts outside a git
//! repository too, and --include/--exclude choose files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A template repository, not under git: two drafts, one gitignored
/// draft, and the project's own documents.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let draft = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/second-chance.txt"),
    )
    .unwrap();
    for f in [
        "drafts/acme.txt",
        "drafts/old/2019.txt",
        "replies/thanks.md",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT.txt",
        "docs/how-to.md",
    ] {
        let p = d.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &draft).unwrap();
    }
    std::fs::write(d.join(".gitignore"), "drafts/old/\n").unwrap();
    dir
}

#[test]
fn a_walk_lints_drafts_and_show_files_says_what_it_left_out() {
    let dir = repo();
    let o = run(dir.path(), &["--no-config", "--show-files", "."]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let linted: Vec<&str> = out.lines().filter(|l| !l.starts_with("skipped ")).collect();
    assert_eq!(
        linted,
        ["./drafts/acme.txt", "./replies/thanks.md"],
        "{out}"
    );
    for (file, why) in [
        ("./CHANGELOG.md", "a project document"),
        ("./LICENSE-MIT.txt", "a project document"),
        ("./README.md", "a project document"),
        ("./docs/how-to.md", "in a docs directory"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("skipped {file}: {why}"))),
            "{file}: {out}"
        );
    }
    // Ignored by .gitignore although there is no git repository here.
    assert!(!out.contains("2019"), "{out}");
    // The lint run lints the same files.
    let o = run(dir.path(), &["--no-config", "--format", "json", "."]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, linted);
    // A project document named on the command line is linted.
    let o = run(
        dir.path(),
        &["--no-config", "--format", "concise", "README.md"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(
        dir.path(),
        &["--no-config", "--show-files", "README.md", "docs"],
    );
    assert_eq!(stdout(&o), "README.md\ndocs/how-to.md\n");
}

#[test]
fn include_and_exclude_choose_the_files_of_a_walk() {
    let dir = repo();
    let files = |args: &[&str]| {
        let mut a = vec!["--no-config", "--show-files"];
        a.extend_from_slice(args);
        a.push(".");
        let out = stdout(&run(dir.path(), &a));
        out.lines()
            .filter(|l| !l.starts_with("skipped "))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(files(&["--exclude", "*.md"]), ["./drafts/acme.txt"]);
    assert_eq!(files(&["--exclude", "drafts/**"]), ["./replies/thanks.md"]);
    // An include names what to lint, project documents included.
    assert_eq!(
        files(&["--include", "*.md", "--exclude", "docs/**"]),
        ["./CHANGELOG.md", "./README.md", "./replies/thanks.md"]
    );
    assert_eq!(files(&["--include", "replies/*"]), ["./replies/thanks.md"]);
    // Nothing left: the directory had no drafts, and says where they went.
    let o = run(dir.path(), &["--no-config", "--exclude", "*", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("left out: see --show-files"), "{err}");
    // A bad glob is a usage error.
    let o = run(dir.path(), &["--no-config", "--exclude", "[", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("--exclude `[`")
    );
}

#[test]
fn show_files_also_lists_what_a_config_ignores() {
    let dir = repo();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "ignore: [\"replies/**\"]\n",
    )
    .unwrap();
    let o = run(dir.path(), &["--show-files", "."]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("./drafts/acme.txt\n"), "{out}");
    assert!(
        out.contains("skipped ./replies/thanks.md: ignored by its config's `ignore:`"),
        "{out}"
    );
}

#[test]
fn a_walk_lists_each_directory_by_name_depth_first() {
    // "a/b/w.txt" before "a/b-.txt": names are compared within their
    // directory, not as whole-path bytes ('-' sorts before '/').
    let dir = tempfile::tempdir().unwrap();
    let files = [
        "0.txt",
        "A/q.txt",
        "a/B.txt",
        "a/a.txt",
        "a/b/w.txt",
        "a/b-.txt",
        "a/b-c/v.txt",
        "a/b.txt",
        "a-b/y.md",
        "a.b/z.txt",
    ];
    // Created out of order, so the directory's own order does not help.
    for f in files.iter().rev() {
        let p = dir.path().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "Dear Sam,\n\nThank you.\n").unwrap();
    }
    for f in ["README.md", "a/b/readme-x.txt", "a/README"] {
        std::fs::write(dir.path().join(f), "x\n").unwrap();
    }
    let o = run(dir.path(), &["--no-config", "--show-files", "."]);
    let out = stdout(&o);
    let want: Vec<String> = files
        .iter()
        .map(|f| format!("./{f}"))
        .chain([
            "skipped ./README.md: a project document, not a draft".into(),
            "skipped ./a/b/readme-x.txt: a project document, not a draft".into(),
        ])
        .collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), want, "{out}");
}
