//! `--diff`: what `--fix` would write, as a unified diff; nothing written.

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

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("fixtures/eml/body.txt"),
        dir.path().join("lf.txt"),
    )
    .unwrap();
    let crlf = std::fs::read_to_string(root.join("fixtures/examples/needs-work.md"))
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(dir.path().join("crlf.md"), crlf).unwrap();
    std::fs::copy(
        root.join("fixtures/examples/second-chance.txt"),
        dir.path().join("clean.txt"),
    )
    .unwrap();
    dir
}

#[test]
fn the_diff_is_what_fix_writes_and_nothing_is_written() {
    let dir = setup();
    let d = dir.path();
    let before: Vec<Vec<u8>> = ["lf.txt", "crlf.md"]
        .iter()
        .map(|f| std::fs::read(d.join(f)).unwrap())
        .collect();
    let o = run(
        d,
        &[
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            "lf.txt",
            "crlf.md",
            "clean.txt",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let diff = o.stdout;
    let text = String::from_utf8_lossy(&diff);
    assert!(
        text.starts_with("--- a/lf.txt\n+++ b/lf.txt\n@@ "),
        "{text}"
    );
    assert!(text.contains("--- a/crlf.md\n+++ b/crlf.md\n"), "{text}");
    assert!(!text.contains("clean.txt"), "{text}");
    assert!(
        text.contains("\n+I would be glad to put you in touch"),
        "{text}"
    );
    // Nothing changed on disk.
    for (f, b) in ["lf.txt", "crlf.md"].iter().zip(&before) {
        assert_eq!(&std::fs::read(d.join(f)).unwrap(), b, "{f}");
    }
    // Applying the diff gives what --fix writes, byte for byte (CRLF kept).
    let applied = tempfile::tempdir().unwrap();
    for f in ["lf.txt", "crlf.md"] {
        std::fs::copy(d.join(f), applied.path().join(f)).unwrap();
    }
    std::fs::write(applied.path().join("fixes.diff"), &diff).unwrap();
    let Ok(p) = Command::new("git")
        .current_dir(applied.path())
        .args(["apply", "--unidiff-zero", "fixes.diff"])
        .output()
    else {
        eprintln!("SKIPPED: no git to apply the diff with");
        return;
    };
    assert!(p.status.success(), "{}", String::from_utf8_lossy(&p.stderr));
    let o = run(
        d,
        &[
            "--no-config",
            "--fix",
            "--unsafe-fixes",
            "lf.txt",
            "crlf.md",
        ],
    );
    assert!(o.status.code().is_some_and(|c| c < 2));
    for f in ["lf.txt", "crlf.md"] {
        assert_eq!(
            std::fs::read(applied.path().join(f)).unwrap(),
            std::fs::read(d.join(f)).unwrap(),
            "{f}"
        );
    }
    // Now there is nothing left to change: an empty diff, exit code 0.
    let o = run(
        d,
        &[
            "--no-config",
            "--diff",
            "--unsafe-fixes",
            "lf.txt",
            "crlf.md",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}

#[test]
fn diff_refuses_what_fix_would_refuse() {
    let dir = setup();
    let d = dir.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eml/outlook.eml"),
        d.join("o.eml"),
    )
    .unwrap();
    let o = run(d, &["--no-config", "--diff", "o.eml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("encoded"));
    // Without --unsafe-fixes only safe fixes count: the pack has none here.
    let o = run(d, &["--no-config", "--diff", "lf.txt"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let o = run(d, &["--no-config", "--unsafe-fixes", "lf.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(d, &["--no-config", "--diff", "--fix", "lf.txt"]);
    assert_eq!(o.status.code(), Some(2));
}
