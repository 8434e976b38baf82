//! Property tests over generated drafts: text, Markdown and `.eml`; LF and
//! CRLF; BOM; emoji, combining marks, right-to-left text, NUL; long lines;
//! nested quotes, lists, emphasis and front matter. Whatever the draft:
//! no panic, every span in bounds and on character boundaries and agreeing
//! with its line/column and UTF-16 position, JSON and SARIF that parse, and
//! a fix run that converges so that a second run changes nothing, touching
//! only the bytes it edits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use codespan_reporting::term::termcolor::Buffer;
use emaillint::diagnostic::apply_fixes;
use emaillint::report::{self, Context, Linted, Outcome, OutputFormat};
use emaillint::source::SourceFile;
use emaillint::span::Span;
use emaillint::{Format, RuleSet, Settings};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::sync::Arc;

const PIECES: &[&str] = &[
    "Dear Ms. Park,",
    "Hi Dana,",
    "Subject: Second interview",
    "---\nsubject: Hello\ninterview: 2026-03-02\n---",
    "---\nsubject: [[[[a]]]]\nemaillint:\n  disable: [length]\n---",
    "Thank you for meeting me on Monday.",
    "I remain very interested in the analyst role.",
    "I know the interview went badly and I am so sorry.",
    "I write in order to help.",
    "I write in [order](http://x) to help.",
    "In **order to** ask, I write.",
    "In order <b>to</b> go.",
    "Would you be willing to meet again at your convenience?",
    "My manager is happy to be a reference.",
    "[My portfolio](https://x.example/p) shows my SQL work.",
    "*I know* it went badly.",
    "***nested _emphasis_ here***",
    "`code span`",
    "```\nfenced code\n```",
    "> quoted line",
    "> > nested quote",
    "On Mon, Jan 5, 2026, Dana wrote:",
    "- a list item",
    "  - a nested item",
    "1. numbered",
    "<!-- emaillint-disable-next-line thanks -->",
    "Hello [Name], at {{company}} <Company>.",
    "--",
    "-- ",
    "Best regards,",
    "Sam Lee",
    "Thank you again.",
    "🙏 Thanks 👍🏽",
    "e\u{301}te\u{301} cafe\u{301}",
    "שלום עולם مرحبا",
    "\u{202E}override\u{202C}",
    "\u{0}",
    "\t\u{A0}\u{2009}",
    "\u{201C}curly\u{201D} \u{2018}quotes\u{2019}",
    "From: a@b.c",
    "Content-Type: multipart/mixed",
    "\\* escaped \\[",
    "&amp; &nbsp; &#x1F600;",
    "",
];

const JOINS: &[&str] = &["\n", "\n\n", " ", "\r\n", "\r\n\r\n", ""];

fn draft() -> impl Strategy<Value = (String, Format)> {
    (
        proptest::collection::vec((0..PIECES.len(), 0..JOINS.len()), 0..24),
        any::<bool>(),
        prop_oneof![
            Just(Format::Text),
            Just(Format::Markdown),
            Just(Format::Email)
        ],
        0..3usize,
        any::<bool>(),
    )
        .prop_map(|(parts, bom, format, long, crlf)| {
            let mut s = String::new();
            if bom {
                s.push('\u{FEFF}');
            }
            for (p, j) in parts {
                s.push_str(PIECES[p]);
                s.push_str(JOINS[j]);
            }
            if long > 0 {
                s.push_str(&"a very long line without a break ".repeat(long * 40));
            }
            if crlf {
                s = s.replace("\r\n", "\n").replace('\n', "\r\n");
            }
            (s, format)
        })
}

const WORDY: &str = r#"
rules:
  - id: wordy
    kind: substitute
    message: "“{match}” is wordy: write “{replacement}”"
    swap:
      in order to: to
"#;

/// The built-in rules plus a `substitute` rule, so that safe fixes occur.
fn rules() -> &'static RuleSet {
    static SET: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut sources: Vec<(&str, &str)> = emaillint::rules::BUILTIN.to_vec();
        sources.push(("wordy.yaml", WORDY));
        RuleSet::from_sources(sources).unwrap()
    })
}

fn settings(set: &RuleSet) -> Settings {
    let mut s = Settings::defaults(set);
    s.today = emaillint::Date::parse("2026-03-05");
    s
}

fn check_span(file: &SourceFile, s: Span, what: &str) -> Result<(), TestCaseError> {
    let text = &file.text;
    prop_assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what}: {s:?} out of bounds"
    );
    for b in [s.start, s.end] {
        prop_assert!(text.is_char_boundary(b), "{what}: {b} splits a character");
        let lc = file.line_col(b);
        let (line, col) = file.utf16_position(b);
        prop_assert_eq!(
            lc.line,
            line as usize + 1,
            "{}: line and UTF-16 line disagree",
            what
        );
        let start = file.line_range(line as usize).unwrap().start;
        prop_assert_eq!(lc.column, text[start..b].chars().count() + 1);
        prop_assert_eq!(col as usize, text[start..b].encode_utf16().count());
        if !text[..b].ends_with('\r') {
            prop_assert_eq!(
                file.offset_of_utf16(line, col),
                b,
                "{}: UTF-16 round trip",
                what
            );
        }
    }
    Ok(())
}

fn linted(text: &str, format: Format) -> Linted {
    let set = rules();
    let (_, report) = emaillint::check(text, format, set, &settings(set));
    Linted {
        source: SourceFile::new("draft", text.to_string()),
        format,
        report,
        fixed: 0,
        rules: Arc::new(RuleSet::from_sources(emaillint::rules::BUILTIN.iter().copied()).unwrap()),
        omitted: Default::default(),
        error: None,
        fixable: Default::default(),
        decoded: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_in_bounds_on_boundaries_and_agree_with_positions((text, format) in draft()) {
        let set = rules();
        let (_, report) = emaillint::check(&text, format, set, &settings(set));
        let file = SourceFile::new("draft", text.clone());
        for d in &report.diagnostics {
            check_span(&file, d.span, &d.rule)?;
            for r in &d.related {
                check_span(&file, r.span, &d.rule)?;
            }
            if let Some(f) = &d.fix {
                for e in &f.edits {
                    check_span(&file, e.span, &d.rule)?;
                }
            }
        }
        for c in &report.checks {
            if let Some(e) = c.evidence {
                check_span(&file, e, &c.rule)?;
            }
        }
    }

    #[test]
    fn json_and_sarif_parse_and_human_output_renders((text, format) in draft()) {
        let l = linted(&text, format);
        let rules = l.rules.clone();
        let outcomes = vec![Outcome::Linted(Box::new(l))];
        let cx = Context { rules: &rules, checklist: true, columns: 80 };
        for f in [OutputFormat::Json, OutputFormat::Sarif, OutputFormat::Human, OutputFormat::Concise, OutputFormat::Github] {
            let r = report::reporter(f);
            let mut b = Buffer::no_color();
            report::render(r.as_ref(), &mut b, &outcomes, &cx).unwrap();
            let out = String::from_utf8(b.into_inner()).unwrap();
            if matches!(f, OutputFormat::Json | OutputFormat::Sarif) {
                let v: Result<serde_json::Value, _> = serde_json::from_str(&out);
                prop_assert!(v.is_ok(), "{:?} does not parse", f);
            } else {
                prop_assert!(!out.contains('\u{1b}'), "{:?}: raw escape in output", f);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// At any terminal width, human output renders, and every source row
    /// fits in it (down to the narrowest window, 20 columns of text).
    #[test]
    fn human_excerpts_fit_any_width((text, format) in draft(), columns in 0usize..160) {
        use unicode_width::UnicodeWidthStr;
        let l = linted(&text, format);
        let rules = l.rules.clone();
        let cx = Context { rules: &rules, checklist: true, columns };
        let mut b = Buffer::no_color();
        report::reporter(OutputFormat::Human).file(&mut b, &l, &cx).unwrap();
        let out = String::from_utf8(b.into_inner()).unwrap();
        let gutter = l.source.line_count().to_string().len() + 3;
        let limit = if columns == 0 { 1000 + gutter } else { columns.max(20 + gutter) };
        for row in out.lines() {
            let source_row = row.split_once(" \u{2502} ").is_some_and(|(n, _)| {
                let n = n.trim();
                !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
            });
            if source_row {
                // Tabs are drawn as up to four spaces.
                let w = row.width() + 3 * row.matches('\t').count();
                prop_assert!(w <= limit, "{} > {}: {:?}", w, limit, row);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn a_fix_run_converges_and_a_second_run_changes_nothing((text, format) in draft()) {
        let set = rules();
        let s = settings(set);
        let first = emaillint::fix::fix(&text, format, set, &s, true);
        prop_assert!(first.stopped.is_none(), "{:?}", first.stopped);
        let second = emaillint::fix::fix(&first.text, format, set, &s, true);
        prop_assert_eq!(&second.text, &first.text, "a second run changed the text");
        prop_assert_eq!(second.applied, 0);
    }

    #[test]
    fn a_fix_changes_only_the_bytes_it_edits((text, format) in draft()) {
        let set = rules();
        let (_, report) = emaillint::check(&text, format, set, &settings(set));
        for d in &report.diagnostics {
            let Some(f) = &d.fix else { continue };
            let (new, n) = apply_fixes(&text, [f]);
            prop_assert_eq!(n, 1, "{}: a fix that does not apply", d.rule);
            let e = &f.edits[0];
            prop_assert!(new.starts_with(&text[..e.span.start]), "{}: bytes before the edit changed", d.rule);
            prop_assert!(new.ends_with(&text[e.span.end..]), "{}: bytes after the edit changed", d.rule);
            prop_assert_eq!(new.len(), text.len() - e.span.len() + e.replacement.len());
            // Replacements delete prose only, never markup.
            if !e.span.is_empty() {
                let gone = &text[e.span.range()];
                prop_assert!(!gone.contains(['[', ']', '*', '<', '>', '`', '(']), "{}: deletes markup {:?}", d.rule, gone);
            }
        }
    }
}

/// Same output whatever the number of threads (files are linted in parallel).
#[test]
fn same_output_with_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for i in 0..24 {
        let (text, format) = draft().new_tree(&mut runner).unwrap().current();
        let ext = match format {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Email => "eml",
        };
        std::fs::write(
            dir.path().join(format!("d{i:02}.{ext}")),
            text.replace('\0', ""),
        )
        .unwrap();
    }
    let run = |threads: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_emaillint"))
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["--format", "json", "--no-config", "."])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}

/// `--format json` writes its document piece by piece (head, each file's
/// entry, errors and summary): the bytes are those of the whole-run value
/// pretty-printed, for no file, one, and many (every corpus draft, a file
/// that could not be read, one whose fixes could not be written, one with
/// diagnostics left out).
#[test]
fn json_written_per_file_is_the_document_value_pretty_printed() {
    let failed = || {
        Outcome::Failed(report::InputError {
            path: "missing.txt".into(),
            message: "no such file or directory".into(),
        })
    };
    let mut drafts: Vec<_> = std::fs::read_dir("fixtures/corpus/emails")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    drafts.sort();
    drafts.push("fixtures/examples/second-chance.txt".into());
    drafts.push("fixtures/examples/needs-work.md".into());
    let mut many = Vec::new();
    for (i, p) in drafts.iter().enumerate() {
        let text = std::fs::read_to_string(p).unwrap();
        let mut l = linted(&text, Format::from_path(p));
        l.source = SourceFile::new(p.display().to_string(), text);
        if i == 3 {
            l.error = Some("cannot write fixes: read-only".into());
        }
        if i == 5 {
            l.omitted = report::limit(&mut l.report, 1);
        }
        many.push(Outcome::Linted(Box::new(l)));
        if i == 1 {
            many.push(failed());
        }
    }
    let one = vec![Outcome::Linted(Box::new(linted(
        "Dear Ms. Park,\n\nThank you.\n",
        Format::Text,
    )))];
    let rules = RuleSet::from_sources(emaillint::rules::BUILTIN.iter().copied()).unwrap();
    let cx = Context {
        rules: &rules,
        checklist: true,
        columns: 80,
    };
    for outcomes in [vec![], vec![failed()], one, many] {
        let mut b = Buffer::no_color();
        let r = report::reporter(OutputFormat::Json);
        report::render(r.as_ref(), &mut b, &outcomes, &cx).unwrap();
        let mut want = serde_json::to_string_pretty(&report::json::to_value(&outcomes)).unwrap();
        want.push('\n');
        assert_eq!(String::from_utf8(b.into_inner()).unwrap(), want);
    }
}
