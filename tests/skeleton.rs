//! `emaillint new`: each profile's skeleton reports exactly its unfilled
//! slots, and lints with no diagnostic at all once they are filled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::config::{self, Overrides};
use emaillint::skeleton::{self, Fill};
use emaillint::{Format, Linter};
use std::process::{Command, Output};

fn linter(profile: &str) -> Linter {
    let r = config::resolve(
        None,
        &Overrides {
            profile: Some(profile.to_string()),
            ..Overrides::default()
        },
    )
    .unwrap();
    Linter::new(r.set, r.settings)
}

/// What a writer would put in each slot.
fn filled(profile: &str) -> String {
    skeleton::render(
        profile,
        &Fill {
            to: Some("Ms. Okafor"),
            role: Some("junior data analyst"),
            from: Some("Sam Lee"),
        },
    )
    .unwrap()
    .replace(
        skeleton::WHAT_WENT_WRONG,
        "When you asked about forecasting, I rushed and gave a muddled answer.",
    )
    .replace(
        skeleton::FIT,
        "two years of SQL reporting at a logistics firm, and a dashboard I built that the finance team still uses.",
    )
}

#[test]
fn an_unfilled_skeleton_reports_exactly_its_slots() {
    for profile in skeleton::profiles() {
        let text = skeleton::render(profile, &Fill::default()).unwrap();
        let report = linter(profile).lint(&text, Format::Text);
        // Every slot occurrence in the text, in order.
        let mut expected = Vec::new();
        for (i, _) in text.match_indices('[') {
            let end = i + text[i..].find(']').unwrap() + 1;
            expected.push(&text[i..end]);
        }
        let mut found: Vec<(usize, &str)> = report
            .diagnostics
            .iter()
            .map(|d| {
                assert_eq!(d.rule, "placeholder", "{profile}: {}", d.message);
                (d.span.start, &text[d.span.start..d.span.end])
            })
            .collect();
        found.sort();
        let found: Vec<&str> = found.into_iter().map(|(_, s)| s).collect();
        assert_eq!(found, expected, "{profile}");
        for slot in skeleton::SLOTS {
            if text.contains(slot) {
                assert!(found.contains(slot), "{profile}: {slot} not reported");
            }
        }
    }
}

#[test]
fn a_filled_skeleton_lints_clean() {
    for profile in skeleton::profiles() {
        let text = filled(profile);
        assert!(!text.contains('['), "{profile}: a slot is left:\n{text}");
        let report = linter(profile).lint(&text, Format::Text);
        let messages: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        assert!(messages.is_empty(), "{profile}: {messages:#?}\n{text}");
        assert!(report.checks.iter().all(|c| c.passed), "{profile}");
    }
}

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn new_writes_a_draft_that_the_linter_then_holds_to_its_slots() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        &[
            "new",
            "draft.txt",
            "--to",
            "Ms. Okafor",
            "--role",
            "analyst",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let note = String::from_utf8(o.stderr).unwrap();
    assert!(
        note.contains(
            "Still to fill in:\n  [what went wrong, in one sentence]\n  [why your background fits]\n  [your name]\n"
        ),
        "{note}"
    );
    let text = std::fs::read_to_string(dir.path().join("draft.txt")).unwrap();
    assert!(text.starts_with("Subject: Thank you, and a request about the analyst position\n"));
    assert!(text.contains("\nDear Ms. Okafor,\n"));

    // Linting it fails on the three slots left, and only on them.
    let o = run(dir.path(), &["draft.txt", "--format", "concise"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines.iter().all(|l| l.contains("error[placeholder]")),
        "{out}"
    );

    // It never writes over a file, unless told to.
    let o = run(dir.path(), &["new", "draft.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("draft.txt: already exists")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("draft.txt")).unwrap(),
        text
    );
    let o = run(
        dir.path(),
        &["new", "draft.txt", "--force", "--profile", "thank-you"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(dir.path().join("draft.txt"))
            .unwrap()
            .starts_with("Subject: Thank you for the [role] interview")
    );
}

#[test]
fn new_refuses_what_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in [
        (
            &["new", "--profile", "cover-letter"][..],
            "unknown profile `cover-letter`",
        ),
        (
            &["new", "--to", "Ms. Park\nBcc: all"][..],
            "the interviewer's name holds a line break",
        ),
        (&["new", "--role", " "][..], "the role is empty"),
        (&["new", "."][..], ".: is a directory"),
    ] {
        let o = run(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn new_follows_the_profile_of_the_config_in_effect() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".emaillint.yaml"), "profile: follow-up\n").unwrap();
    let o = run(dir.path(), &["new"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        skeleton::render("follow-up", &Fill::default()).unwrap()
    );
    // --profile wins over the config, and --no-config ignores it.
    let o = run(dir.path(), &["new", "--profile", "thank-you"]);
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("Subject: Thank you for the [role] interview")
    );
    let o = run(dir.path(), &["new", "--no-config"]);
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("Subject: Thank you, and a request")
    );
}

#[test]
fn new_prints_the_skeleton_without_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["new", "--profile", "follow-up"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        skeleton::render("follow-up", &Fill::default()).unwrap()
    );
}
