//! Every reported span, sliced out of the original bytes, is exactly the
//! text the diagnostic talks about: over Markdown, CRLF, tabs, emoji,
//! combining characters and no-break spaces.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::{Format, RuleSet, Settings};

fn lint(text: &str, format: Format) -> emaillint::FileReport {
    let set = RuleSet::builtin().unwrap();
    emaillint::check(text, format, set, &Settings::defaults(set)).1
}

/// Check every span of every diagnostic and check in `text`; return the
/// (rule, sliced text) pairs of non-empty primary spans.
fn slices(text: &str, format: Format) -> Vec<(String, String)> {
    let report = lint(text, format);
    let mut out = Vec::new();
    for d in &report.diagnostics {
        let spans = std::iter::once(d.span).chain(d.related.iter().map(|r| r.span));
        for s in spans {
            assert!(
                s.start <= s.end && s.end <= text.len(),
                "{}: span {s:?} out of bounds",
                d.rule
            );
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{}: span {s:?} splits a character",
                d.rule
            );
            let slice = &text[s.range()];
            assert_eq!(
                slice.trim(),
                slice,
                "{}: span {s:?} has loose whitespace: {slice:?}",
                d.rule
            );
        }
        // Messages quote what they are about: “…” must be the slice.
        if let Some((_, rest)) = d.message.split_once('\u{201C}')
            && let Some((quoted, _)) = rest.split_once('\u{201D}')
        {
            assert_eq!(&text[d.span.range()], quoted, "{}: {}", d.rule, d.message);
        }
        if !d.span.is_empty() {
            out.push((d.rule.clone(), text[d.span.range()].to_string()));
        }
    }
    for c in &report.checks {
        if let Some(e) = c.evidence {
            assert!(
                text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
                "{}: evidence {e:?}",
                c.rule
            );
            assert!(
                !text[e.range()].trim().is_empty(),
                "{}: empty evidence",
                c.rule
            );
        }
    }
    out
}

fn has(found: &[(String, String)], rule: &str, text: &str) -> bool {
    found.iter().any(|(r, t)| r == rule && t == text)
}

#[test]
fn markdown_emphasis_links_and_code() {
    let text = "---\nsubject: \"Second chance \u{2013} analyst role\"\n---\n\nDear Ms. Jones,\n\nThank you for your time. I was *devastated* after the interview, and it was **literally** the worst hour I can remember.\n\nSee [my portfolio, which is literally better](https://example.com/literally) and run `cried all night` in a shell:\n\n```\nI am begging you\n```\n\n<div>I am begging you</div>\n\nI remain keen on the role. Could we meet again whenever suits you? My five years in logistics fit it, and my manager is happy to act as a reference.\n\nThank you again,\nSam Park\n";
    let found = slices(text, Format::Markdown);
    assert!(has(&found, "sob-story", "devastated"), "{found:?}");
    assert!(has(&found, "exaggeration", "literally"), "{found:?}");
    // Link text is prose; link URLs, inline code, code blocks and HTML are not.
    let literally = found.iter().filter(|(r, _)| r == "exaggeration").count();
    assert_eq!(literally, 2, "{found:?}");
    assert!(!found.iter().any(|(r, _)| r == "desperation"), "{found:?}");
    assert!(!found.iter().any(|(_, t)| t.contains("cried")), "{found:?}");
}

#[test]
fn crlf_tabs_and_no_break_spaces() {
    let text = "Subject:\u{a0}Interview\r\n\r\nHi\tSam,\r\n\r\nThank you for your time.\tI'm sorry,\tso sorry, and sorry again\u{a0}for\u{a0}[Your Name]'s\r\nanswers. I still want the role.\r\n\r\nBest regards,\r\nAna Ruiz\r\n";
    let found = slices(text, Format::Text);
    assert!(has(&found, "placeholder", "[Your Name]"), "{found:?}");
    assert!(has(&found, "apology-count", "sorry"), "{found:?}");
    let report = lint(text, Format::Text);
    let subject = report.checks.iter().find(|c| c.rule == "subject").unwrap();
    assert!(subject.passed);
    assert_eq!(&text[subject.evidence.unwrap().range()], "Interview");
}

#[test]
fn emoji_and_combining_characters() {
    // "Zoe\u{301}" is Zoé with a combining accent; the emoji are 4-byte.
    let text = "Dear Zoe\u{301},\n\nThank you 🙏 for the chat. Honestly 😅 it was literally 💯 the worst interview in history, and I felt heartbroken\u{301} then heartbroken.\n\nBest,\nRe\u{301}my\n";
    let found = slices(text, Format::Text);
    assert!(has(&found, "exaggeration", "literally"), "{found:?}");
    assert!(
        has(&found, "exaggeration", "worst interview in history"),
        "{found:?}"
    );
    // A combining mark continues the word, so "heartbroken\u{301}" is not the phrase.
    let heart: Vec<_> = found.iter().filter(|(r, _)| r == "sob-story").collect();
    assert_eq!(heart.len(), 1, "{found:?}");
    assert_eq!(heart[0].1, "heartbroken");
    let report = lint(text, Format::Text);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "sob-story")
        .unwrap();
    assert_eq!(d.span.start, text.rfind("heartbroken").unwrap());
}

#[test]
fn quoted_reply_is_never_linted() {
    let text = "Dear Ms. Park,\n\nThank you for your time. I remain keen on the role; could we meet again whenever suits you? My years in retail fit it, and my manager is happy to be a reference.\n\nThank you again,\nLee Chan\n\nOn Mon, 3 Mar 2025, Dana Park wrote:\n> I am begging you, it was literally the worst. Sorry, sorry, sorry.\n> [Name]\n";
    let found = slices(text, Format::Text);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn straight_and_curly_apostrophes_match_alike() {
    for text in [
        "Hi Sam,\n\nThank you. I\u{2019}m begging you for another chance.\n\nBest,\nLee Chan\n",
        "Hi Sam,\n\nThank you. I'm begging you for another chance.\n\nBest,\nLee Chan\n",
    ] {
        let found = slices(text, Format::Text);
        let d: Vec<_> = found.iter().filter(|(r, _)| r == "desperation").collect();
        assert_eq!(d.len(), 1, "{text:?}: {found:?}");
        assert!(
            d[0].1.starts_with("I") && d[0].1.ends_with("begging you"),
            "{d:?}"
        );
    }
}

#[test]
fn angle_bracket_slots_in_markdown_are_placeholders() {
    // Issue 11: pulldown-cmark reads `<Company>` as raw HTML; it is a slot.
    let text = "Dear <Hiring Manager>,\n\nThank you for the interview at <Company>. I <b>remain</b> keen on the role.<br>\n\nBest,\n\n<Your Name>\n";
    let found = slices(text, Format::Markdown);
    for slot in ["<Hiring Manager>", "<Company>", "<Your Name>"] {
        assert!(has(&found, "placeholder", slot), "{slot}: {found:?}");
    }
    assert!(
        !found
            .iter()
            .any(|(_, t)| t.contains("<b>") || t.contains("<br>")),
        "{found:?}"
    );
}
