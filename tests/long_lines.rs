//! Human output on drafts whose paragraphs are one long line (as most
//! emails are): each diagnostic shows a window of the line that fits the
//! terminal, with `…` where it was cut, the carets under the words they are
//! about, and the true line and column in its header.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use unicode_width::UnicodeWidthChar;

/// A draft whose middle paragraph is one line of about 520 characters.
const DRAFT: &str = "Dear Ms. Okonjo,\n\n\
Thank you for meeting me on Monday about the logistics coordinator role. \
I know the interview went badly: I was literally the most nervous person on earth, \
I mixed up the dates of my last two jobs, and when you asked about route planning \
I froze completely and cried in the car park afterwards, and I am truly sorry for wasting \
your afternoon, because I really did want to show you what I can do with a delivery \
schedule, a spreadsheet and a van that will not start. I am begging you, and I am sorry again.\n\n\
I remain very interested in the position. Could we meet again whenever suits you?\n\n\
Kind regards,\nPriya Natarajan\n";

fn lint(draft: &str, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_emaillint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .args(["--no-config", "--stdin-filename", "draft.txt"])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(draft.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn human(draft: &str, columns: &str) -> String {
    let o = lint(draft, &["--color", "never", "--max-columns", columns]);
    String::from_utf8(o.stdout).unwrap()
}

fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The text of `row` drawn in the display columns where `carets` has `^`.
fn under_carets(row: &str, carets: &str) -> String {
    let marked: Vec<usize> = {
        let mut col = 0;
        let mut v = Vec::new();
        for c in carets.chars() {
            if c == '^' {
                v.push(col);
            }
            col += c.width().unwrap_or(0);
        }
        v
    };
    let mut col = 0;
    let mut out = String::new();
    for c in row.chars() {
        let w = c.width().unwrap_or(0);
        if marked.contains(&col) || (w == 0 && !out.is_empty() && marked.contains(&(col - 1))) {
            out.push(c);
        }
        col += w;
    }
    out
}

/// For each diagnostic, in order: the location in its header and the text
/// under its primary carets (`^`).
fn excerpts(out: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = out.lines().collect();
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(at) = l.trim_start().strip_prefix("┌─ ") else {
            continue;
        };
        let caret = (i + 1..lines.len())
            .take_while(|&j| !lines[j].is_empty())
            .find(|&j| lines[j].contains('^') && lines[j].trim_start().starts_with('│'))
            .expect("a caret row");
        found.push((
            at.rsplit(':').take(2).collect::<Vec<_>>().join(":"),
            under_carets(lines[caret - 1], lines[caret]),
        ));
    }
    found
}

/// What each diagnostic's span holds, from the JSON output.
fn spans(draft: &str) -> Vec<(String, String)> {
    let o = lint(draft, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (a, b) = (
                d["span"]["start"].as_u64().unwrap() as usize,
                d["span"]["end"].as_u64().unwrap() as usize,
            );
            (
                format!("{}:{}", d["start"]["column"], d["start"]["line"]),
                draft[a..b].to_string(),
            )
        })
        .collect()
}

/// Every source row fits in `columns`, and the carets sit under the start
/// of the very text each diagnostic is about.
fn assert_readable(draft: &str, columns: usize) {
    let out = human(draft, &columns.to_string());
    for l in out.lines() {
        let is_source = l.split_once(" │ ").is_some_and(|(n, _)| {
            let n = n.trim();
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        });
        // So do notes (`= help: ...`), wrapped, but for a word longer
        // than the width.
        let note = l.starts_with(' ') && !l.contains('\u{2502}') && l.trim().split(' ').count() > 3;
        if is_source || note {
            assert!(width(l) <= columns, "{columns} columns: {l:?}");
        }
    }
    let shown = excerpts(&out);
    let expected = spans(draft);
    assert_eq!(shown.len(), expected.len(), "{out}");
    for ((at, under), (json_at, text)) in shown.iter().zip(&expected) {
        assert_eq!(at, json_at, "{out}");
        if text.is_empty() {
            continue;
        }
        // A span wider than the window is shown from its start.
        let under = under.trim_end_matches('\u{2026}');
        let text = text.replace("\r\n", " ");
        assert!(
            text.starts_with(under) && !under.is_empty(),
            "at {at}: carets under {under:?}, span is {text:?}\n{out}"
        );
    }
}

#[test]
fn a_long_paragraph_at_80_columns() {
    insta::assert_snapshot!("long_line_80", human(DRAFT, "80"));
    assert_readable(DRAFT, 80);
}

#[test]
fn a_long_paragraph_at_120_columns() {
    insta::assert_snapshot!("long_line_120", human(DRAFT, "120"));
    assert_readable(DRAFT, 120);
}

#[test]
fn a_crlf_draft_is_cut_the_same_way() {
    let crlf = DRAFT.replace('\n', "\r\n");
    let out = human(&crlf, "80");
    assert_eq!(out, human(DRAFT, "80"));
    assert_readable(&crlf, 80);
}

#[test]
fn emoji_and_combining_marks_are_measured_by_their_width() {
    // Wide emoji before the spans, and decomposed accents (e + U+0301)
    // that must not be split from their letters.
    let draft = DRAFT
        .replace("Monday", "Monday \u{1F64F}\u{1F64F}\u{1F64F}")
        .replace(
            "afternoon",
            "afternoon at the cafe\u{301} \u{1F69A}\u{1F69A}",
        )
        .replace("coordinator", "coordinator (re\u{301}sume\u{301} attached)");
    insta::assert_snapshot!("long_line_emoji_80", human(&draft, "80"));
    assert_readable(&draft, 80);
    assert_readable(&draft, 120);
    assert_readable(&draft, 40);
    let out = human(&draft, "80");
    for l in out.lines() {
        assert!(
            !l.contains("\u{2026}\u{301}"),
            "a mark cut from its letter: {l:?}"
        );
    }
}

#[test]
fn columns_come_from_the_environment_when_not_given() {
    let mut c = Command::new(env!("CARGO_BIN_EXE_emaillint"));
    let o = c
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "60")
        .args([
            "--no-config",
            "--color",
            "never",
            "fixtures/examples/needs-work.md",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("7 │ I'm so sorry about yesterday. Honestly it was **literal\u{2026}\n"),
        "{out}"
    );
    // Not a terminal and no COLUMNS: 80.
    let o = Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COLUMNS")
        .args([
            "--no-config",
            "--color",
            "never",
            "fixtures/examples/needs-work.md",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    let row = out.lines().find(|l| l.starts_with("7 │")).unwrap();
    assert_eq!(width(row), 80, "{row}");
}

#[test]
fn max_columns_0_shows_whole_lines() {
    let out = human(DRAFT, "0");
    assert!(out.contains(DRAFT.lines().nth(2).unwrap()), "{out}");
}

#[test]
fn a_long_label_after_a_caret_near_the_end_of_a_short_line_still_fits() {
    // The line fits in 80 columns, but its caret row (the caret, then the
    // label's message) would not: the line is cut on the left instead.
    let draft = "Dear Ms. Okonjo,\n\nThank you for meeting me. I remain very interested in the coordinator role.\n\nKind regards,\nPriya Natarajan\n";
    let out = human(draft, "80");
    for l in out
        .lines()
        .filter(|l| l.contains(" │ ") || l.trim_start().starts_with('│'))
    {
        assert!(width(l) <= 80, "{l:?}\n{out}");
    }
    assert_readable(draft, 80);
}
