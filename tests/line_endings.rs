//! `\n`, `\r\n` and a lone `\r` (old Mac files, some web forms) are all line
//! breaks: a draft converted from one to another gets the same verdicts, and
//! every span points at the same text on the same line and column.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::source::SourceFile;
use emaillint::{Format, RuleSet, Settings};

/// What a report says, with spans turned into (line, column, text with line
/// endings normalized), so reports of differently-ended copies compare.
fn summary(text: &str, format: Format) -> Vec<String> {
    let set = RuleSet::builtin().unwrap();
    let (doc, report) = emaillint::check(text, format, set, &Settings::defaults(set));
    let file = SourceFile::new("draft", text.to_string());
    let at = |s: emaillint::span::Span| {
        let lc = file.line_col(s.start);
        let end = file.line_col(s.end);
        let slice = text[s.range()].replace("\r\n", "\n").replace('\r', "\n");
        format!(
            "{}:{}-{}:{} {slice:?}",
            lc.line, lc.column, end.line, end.column
        )
    };
    let mut out = Vec::new();
    for c in &report.checks {
        out.push(format!(
            "check {} {} {:?} {:?}",
            c.rule,
            c.passed,
            c.value,
            c.evidence.map(at)
        ));
    }
    for d in &report.diagnostics {
        out.push(format!("diag {} {} {}", d.rule, d.message, at(d.span)));
        for r in &d.related {
            out.push(format!("  related {} {}", r.message, at(r.span)));
        }
    }
    for r in &doc.regions {
        out.push(format!("region {:?} {}", r.part, at(r.span)));
    }
    out.push(format!("body words {}", doc.body_words()));
    out
}

fn to_lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn assert_same_across_endings(name: &str, text: &str, format: Format) {
    let lf = to_lf(text);
    let expected = summary(&lf, format);
    for ending in ["\r", "\r\n"] {
        let converted = lf.replace('\n', ending);
        let got = summary(&converted, format);
        assert_eq!(
            got, expected,
            "{name}: converting to {ending:?} line endings changed the report"
        );
    }
}

#[test]
fn own_drafts_read_alike_with_any_line_ending() {
    let drafts = [
        (
            "letter",
            "Ana Ruiz\n14 Larch Close\nLeeds LS6 2HR\n\n3 March 2025\n\nDear Ms. Chen,\n\nRE: Analyst interview\n\nThank you for meeting me on Monday.\tI was sorry, so sorry, that my answer on budgets wandered.\n\nI remain keen on the role and would welcome another conversation whenever suits you.\n\nKind regards,\nAna Ruiz\n07700 900123\n",
            Format::Text,
        ),
        (
            "markdown",
            "---\nsubject: Second interview\n---\n\n# Follow-up\n\nDear Ms. Chen,\n\nThank you 🙏 for *your* time. I'd love to talk again about the <Role> role.\n\n- my SQL work\n- my reporting\n\nBest,\n[Your Name]\n",
            Format::Markdown,
        ),
        (
            "quoted",
            "Hi Sam,\n\nThanks for the news. Could we talk again next week?\n\nCheers,\nLee\n\nOn Mon, 3 Mar 2025, Sam wrote:\n> Sorry, sorry.\n",
            Format::Text,
        ),
    ];
    for (name, text, format) in drafts {
        assert_same_across_endings(name, text, format);
    }
}

#[test]
fn corpus_drafts_read_alike_with_any_line_ending() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/emails");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        assert_same_across_endings(&name, &text, Format::from_path(&path));
        n += 1;
    }
    assert!(n >= 60, "only {n} corpus drafts found");
}

#[test]
fn cr_only_lines_have_their_own_numbers() {
    let text = "Dear Ms. Chen,\r\rThank you.\r\nBest,\nAna\r";
    let file = SourceFile::new("draft", text);
    assert_eq!(file.line_count(), 6);
    let at = text.find("Thank").unwrap();
    assert_eq!(file.line_col(at).line, 3);
    assert_eq!(file.line_col(text.find("Best").unwrap()).line, 4);
    assert_eq!(file.line_col(text.find("Ana").unwrap()).line, 5);
    assert_eq!(file.line_range(2), Some(at..text.find("Best").unwrap()));
    assert_eq!(
        emaillint::source::line_ending("a\rb\r\n"),
        "\r",
        "the first ending decides"
    );
    let err = emaillint::source::decode(b"one\rtwo\r\xFF".to_vec()).unwrap_err();
    assert!(err.to_string().contains("line 3, column 1"), "{err}");
}

#[test]
fn fixes_keep_a_cr_only_draft_cr_only() {
    let set = RuleSet::builtin().unwrap();
    let settings = Settings::defaults(set);
    let text = "Dear Ms. Park,\r\rI remain very interested in the analyst role.\r\rBest regards,\rSam Lee\r";
    let fixed = emaillint::fix::fix(text, Format::Text, set, &settings, true);
    assert!(fixed.applied > 0);
    assert!(!fixed.text.contains('\n'), "{:?}", fixed.text);
    // The same fixes as on the LF copy, line endings aside.
    let lf = emaillint::fix::fix(&to_lf(text), Format::Text, set, &settings, true);
    assert_eq!(to_lf(&fixed.text), lf.text);
}
