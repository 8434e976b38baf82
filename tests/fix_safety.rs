//! `--fix` never corrupts a draft: fixes converge, never delete markup,
//! insert between blocks in the draft's own line ending, and files are
//! written through links with their permissions, or not at all.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::{Format, RuleSet, Settings};
use std::process::{Command, Output};

const WORDY: &str = r#"
rules:
  - id: wordy
    kind: substitute
    message: "“{match}” is wordy: write “{replacement}”"
    swap:
      in order to: to
    examples:
      pass: ["I write to help."]
      fail: ["I write in order to help."]
"#;

fn wordy() -> RuleSet {
    RuleSet::from_sources([("wordy.yaml", WORDY)]).unwrap()
}

fn fix_with(
    set: &RuleSet,
    text: &str,
    format: Format,
    unsafe_fixes: bool,
) -> emaillint::fix::Fixed {
    emaillint::fix::fix(text, format, set, &Settings::defaults(set), unsafe_fixes)
}

fn builtin_fix(text: &str, format: Format) -> emaillint::fix::Fixed {
    fix_with(RuleSet::builtin().unwrap(), text, format, true)
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_emaillint"));
    c.env_remove("NO_COLOR");
    c.env_remove("COLUMNS");
    c
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

/// A draft that `--fix --unsafe-fixes` changes.
const FIXABLE: &str =
    "Dear Ms. Park,\n\nI know the interview went badly.\n\nBest regards,\nSam Lee\n";

const DASH_SIGNED: &str = "Dear Ms. Park,\n\nThank you for meeting me on Monday. I remain very interested in the analyst role, and my SQL work at Kobo fits your team. Would you be willing to meet again at your convenience?\n\nThank you again.\n\n--\nSam Lee\n";

#[test]
fn fix_with_dash_signature_converges() {
    let first = builtin_fix(DASH_SIGNED, Format::Text);
    assert!(first.stopped.is_none(), "{:?}", first.stopped);
    let inserted = first
        .text
        .matches("I would be glad to put you in touch")
        .count();
    assert_eq!(inserted, 1, "inserted {inserted} times:\n{}", first.text);
    // It goes before the closing thanks, well above the `--` signature
    // (it used to land under "Thank you again." and be refused).
    assert!(
        first
            .text
            .contains("as a reference.\n\nThank you again.\n\n--\n"),
        "{}",
        first.text
    );
    assert!(first.refused.is_empty(), "{:?}", first.refused);
    // A second run changes nothing.
    let second = builtin_fix(&first.text, Format::Text);
    assert_eq!(second.text, first.text);
    assert_eq!(second.applied, 0);
}

#[test]
fn fix_with_dash_signature_converges_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.txt");
    std::fs::write(&path, DASH_SIGNED).unwrap();
    run_in(dir.path(), &["--fix", "--unsafe-fixes", "s.txt"]);
    let once = std::fs::read_to_string(&path).unwrap();
    let o = run_in(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--color", "never", "s.txt"],
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), once);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(!out.contains("Fixed"), "{out}");
}

#[test]
fn a_fix_that_would_break_another_rule_is_refused_and_says_why() {
    // 190 body words: the reference sentence would push `length` over 200.
    let filler = "At my current job I built the weekly stock report that the warehouse team now uses to plan deliveries, and I trained two new starters on it. ".repeat(6);
    let text = format!(
        "Subject: Tuesday\n\nDear Ms. Chen,\n\nThank you for meeting me on Tuesday. I remain very interested in the analyst position. {filler}\n\nCould we meet again whenever suits you?\n\nThank you again for your time.\n\nBest regards,\nSam Lee\n"
    );
    let f = builtin_fix(&text, Format::Text);
    assert_eq!(f.text, text);
    let refs = f
        .report
        .diagnostics
        .iter()
        .find(|d| d.rule == "references")
        .expect("references still reported");
    assert!(
        refs.notes
            .iter()
            .any(|n| n == "--fix did not apply this: it would make `length` fail"),
        "{:?}",
        refs.notes
    );
}

#[test]
fn rules_check_fails_a_suggestion_that_does_not_satisfy_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.yaml"),
        r#"
rules:
  - id: ps
    kind: require
    scope: body
    message: add a PS
    phrases: ["P.S."]
    suggestion: Thanks again.
    examples:
      pass: ["Hi Ann,\n\nI write. P.S. I called.\n\nBest,\nSam Lee"]
      fail: ["Hi Ann,\n\nI write.\n\nBest,\nSam Lee"]
"#,
    )
    .unwrap();
    let o = run_in(dir.path(), &["rules", "check", "."]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("the `suggestion` of `ps` does not satisfy the rule"),
        "{out}"
    );
}

#[test]
fn safe_fix_never_deletes_link_markup() {
    let text = "I write in [order](http://x) to help.\n";
    let f = fix_with(&wordy(), text, Format::Markdown, false);
    assert_eq!(f.text, text);
    let d = &f.report.diagnostics[0];
    assert!(d.fix.is_none());
    assert!(
        d.notes.iter().any(|n| n.contains("by hand")),
        "{:?}",
        d.notes
    );
}

#[test]
fn safe_fix_never_deletes_emphasis_markup() {
    let text = "I write in **order to** ask.\n";
    assert_eq!(fix_with(&wordy(), text, Format::Markdown, false).text, text);
}

#[test]
fn safe_fix_never_deletes_html_markup() {
    let text = "In order <b>to</b> go, I write.\n";
    assert_eq!(fix_with(&wordy(), text, Format::Markdown, false).text, text);
}

#[test]
fn safe_fix_still_rewrites_plain_text_across_a_line_break() {
    let text = "I write in order\r\nto help, In order to ask.\r\n";
    let f = fix_with(&wordy(), text, Format::Markdown, false);
    assert_eq!(f.text, "I write to help, To ask.\r\n");
    assert_eq!(f.applied, 2);
}

#[test]
fn fix_converges_in_one_run_past_64_fixes() {
    let text = "I write in order to help. ".repeat(300) + "\n";
    let f = fix_with(&wordy(), &text, Format::Text, false);
    assert_eq!(f.applied, 300);
    assert!(!f.text.contains("in order to"));
    assert!(f.lints <= 4, "{} lints for 300 fixes", f.lints);
    assert_eq!(fix_with(&wordy(), &f.text, Format::Text, false).applied, 0);
}

/// The inserted paragraphs of a fix run, and the text outside them.
fn assert_insertions_are_paragraphs(original: &str, fixed: &str, nl: &str) {
    // At least one of these sentences must have been inserted, or there is
    // nothing to check and the test could not fail.
    let mut inserted = 0;
    for s in [
        "Thank you for taking the time to meet with me.",
        "I remain very interested in the position.",
    ] {
        if let Some(i) = fixed.find(s) {
            inserted += 1;
            let before = &fixed[..i];
            let after = &fixed[i + s.len()..];
            assert!(
                before.is_empty()
                    || before.ends_with(&format!("{nl}{nl}"))
                    || before.ends_with('\u{FEFF}'),
                "{s:?} is not its own paragraph:\n{fixed:?}"
            );
            assert!(
                after.is_empty() || after.starts_with(&format!("{nl}{nl}")) || after == nl,
                "{s:?} is glued to what follows:\n{fixed:?}"
            );
        }
    }
    assert!(inserted > 0, "no sentence was inserted:\n{fixed:?}");
    // Nothing of the original was lost or reordered.
    let mut rest = fixed;
    for ch in original.chars() {
        let i = rest
            .find(ch)
            .unwrap_or_else(|| panic!("lost {ch:?}:\n{fixed:?}"));
        rest = &rest[i + ch.len_utf8()..];
    }
}

#[test]
fn suggestions_land_where_a_careful_writer_puts_them() {
    // Interest right after the opening thanks; the meeting request and
    // references before the closing thanks, not after it (where they would
    // also make `closing-thanks` fail, so --fix used to refuse them).
    let text = "Subject: Tuesday\n\nDear Ms. Chen,\n\nThank you for meeting me on Tuesday about the analyst role.\n\nI ran the monthly SQL reporting at Kobo, which is close to your team's work.\n\nThank you again for your time.\n\nBest regards,\nSam Lee\n";
    let f = builtin_fix(text, Format::Text);
    assert_eq!(
        f.text,
        "Subject: Tuesday\n\nDear Ms. Chen,\n\nThank you for meeting me on Tuesday about the analyst role.\n\nI remain very interested in the position.\n\nI ran the monthly SQL reporting at Kobo, which is close to your team's work.\n\nWould you be willing to meet again, even briefly, so that I can answer your questions properly?\n\nI can make myself available whenever suits you.\n\nI would be glad to put you in touch with my current manager as a reference.\n\nThank you again for your time.\n\nBest regards,\nSam Lee\n"
    );
    assert!(f.refused.is_empty(), "{:?}", f.refused);
    assert!(
        f.report.diagnostics.iter().all(|d| d.fix.is_none()),
        "{:?}",
        f.report.diagnostics
    );
}

#[test]
fn insertion_before_a_link_stays_outside_the_brackets() {
    let text = "Dear Ms. Park,\n\n[My portfolio](https://x.example/p) shows my SQL work.\n\nBest regards,\nSam Lee\n";
    let f = builtin_fix(text, Format::Markdown);
    assert!(
        f.text.contains("[My portfolio](https://x.example/p) shows"),
        "{}",
        f.text
    );
    // The sentence inserted right before the link (interest, after the
    // opening thanks) is a paragraph of its own.
    assert!(
        f.text.contains(
            "meet with me.\n\nI remain very interested in the position.\n\n[My portfolio]"
        ),
        "{}",
        f.text
    );
    assert_insertions_are_paragraphs(text, &f.text, "\n");
}

#[test]
fn insertion_before_emphasis_stays_outside_the_asterisks() {
    let text = "Dear Ms. Park,\n\n*I know* the interview went badly.\n\nBest regards,\nSam Lee\n";
    let f = builtin_fix(text, Format::Markdown);
    assert!(f.text.contains("\n\n*I know* the interview"), "{}", f.text);
    assert_insertions_are_paragraphs(text, &f.text, "\n");
}

#[test]
fn insertion_before_a_quote_is_not_glued_to_it() {
    let text = "> quoted\n";
    let f = builtin_fix(text, Format::Text);
    // Every sentence goes in, in the rules' order (those inserted at one
    // place in one round keep it): the thanks first, the closing thanks
    // last, a paragraph before the quote.
    assert!(
        f.text
            .starts_with("Thank you for taking the time to meet with me.\n\n"),
        "{:?}",
        f.text
    );
    assert!(
        f.text.ends_with("for considering this.\n\n> quoted\n"),
        "{:?}",
        f.text
    );
    assert_insertions_are_paragraphs(text, &f.text, "\n");
}

#[test]
fn insertion_before_an_attribution_line_is_not_glued_to_it() {
    let text = "On Mon, Jan 5, 2026, Dana wrote:\n> quoted\n";
    let f = builtin_fix(text, Format::Text);
    assert!(
        f.text.contains("for considering this.\n\nOn Mon"),
        "{:?}",
        f.text
    );
    assert_insertions_are_paragraphs(text, &f.text, "\n");
}

#[test]
fn insertion_uses_the_drafts_crlf_line_endings() {
    let text = "Dear Ms. Park,\r\n\r\nI know the interview went badly.\r\n\r\nBest regards,\r\nSam Lee\r\n";
    let f = builtin_fix(text, Format::Text);
    assert!(f.applied > 0);
    assert!(!f.text.replace("\r\n", "").contains('\n'), "{:?}", f.text);
    assert_insertions_are_paragraphs(text, &f.text, "\r\n");
}

#[test]
fn insertion_after_bom_keeps_the_bom_first() {
    let text = "\u{FEFF}> quoted\n";
    let f = builtin_fix(text, Format::Text);
    assert!(f.text.starts_with('\u{FEFF}'), "{:?}", f.text);
    assert!(f.text.ends_with("\n\n> quoted\n"), "{:?}", f.text);
}

#[cfg(unix)]
#[test]
fn fix_through_symlink_fixes_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("real.txt"), FIXABLE).unwrap();
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    run_in(dir.path(), &["--fix", "--unsafe-fixes", "link.txt"]);
    let meta = std::fs::symlink_metadata(dir.path().join("link.txt")).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let real = std::fs::read_to_string(dir.path().join("real.txt")).unwrap();
    assert_ne!(real, FIXABLE, "the target was not fixed");
}

#[cfg(unix)]
#[test]
fn fix_refuses_a_hard_linked_file_and_keeps_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), FIXABLE).unwrap();
    std::fs::hard_link(dir.path().join("a.txt"), dir.path().join("b.txt")).unwrap();
    let o = run_in(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--format", "json", "a.txt"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        FIXABLE
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "diagnostics were dropped");
    let err = v["errors"][0]["message"].as_str().unwrap();
    assert!(err.contains("hard links"), "{err}");
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("cannot write fixes")
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_a_private_drafts_mode_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.txt");
    std::fs::write(&path, FIXABLE).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    run_in(dir.path(), &["--fix", "--unsafe-fixes", "d.txt"]);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), FIXABLE);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn same_file_given_twice_is_linted_and_fixed_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/a.txt"), FIXABLE).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
            "d",
            "d/a.txt",
            "./d/a.txt",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
    let fixed = std::fs::read_to_string(dir.path().join("d/a.txt")).unwrap();
    assert_eq!(fixed.matches("Would you be willing").count(), 1, "{fixed}");
    assert_eq!(std::fs::read_dir(dir.path().join("d")).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_directory_walked_through_a_symlink_and_directly_is_linted_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/a.txt"), FIXABLE).unwrap();
    std::fs::write(dir.path().join("d/b.md"), FIXABLE).unwrap();
    std::os::unix::fs::symlink("d", dir.path().join("link")).unwrap();
    let files = |args: &[&str]| {
        let o = run_in(dir.path(), args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let all = ["--format", "json", "d", "link", "link/a.txt", "./d/../d"];
    assert_eq!(files(&all), ["d/a.txt", "d/b.md"]);
    assert_eq!(
        files(&["--format", "json", "link", "d"]),
        ["link/a.txt", "link/b.md"]
    );
}

/// Found by tests/properties.rs: the insertion point was computed by
/// slicing inside the BOM.
#[test]
fn insertion_into_a_bom_only_draft_does_not_panic() {
    for text in ["\u{FEFF}", "\u{FEFF}\n", "\u{FEFF}Hi\n", ""] {
        let f = builtin_fix(text, Format::Text);
        assert!(f.text.starts_with(text.trim_end()), "{:?}", f.text);
        assert_eq!(builtin_fix(&f.text, Format::Text).text, f.text);
    }
}
