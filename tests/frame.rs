//! The email frame: each part the document model finds (letter heading,
//! greeting, body paragraphs, postscript, sign-off, signature), sliced out of
//! the original bytes with its span, is exactly the expected text, with LF,
//! CRLF and CR-only line endings alike.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::document::Part;
use emaillint::{Document, Format, RuleSet, Settings};

/// The parts of a draft as source text, line endings normalized to `\n`.
#[derive(Debug, PartialEq, Default)]
struct Frame {
    heading: Vec<String>,
    greeting: Option<String>,
    paragraphs: Vec<String>,
    /// Index of the first postscript paragraph.
    postscript: Option<usize>,
    closing_paragraph: Option<String>,
    valediction: Option<String>,
    signature: Option<String>,
    body_words: usize,
}

fn slice(text: &str, span: emaillint::span::Span) -> String {
    assert!(span.end <= text.len() && span.start <= span.end, "{span:?}");
    let s = &text[span.range()];
    assert_eq!(s.trim(), s, "loose whitespace in {s:?}");
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn frame_of(text: &str, format: Format) -> Frame {
    let set = RuleSet::builtin().unwrap();
    let doc = Document::parse(text, format, &set.vocab);
    let closing = doc.closing.as_ref();
    Frame {
        heading: doc.heading.iter().map(|s| slice(text, *s)).collect(),
        greeting: doc.greeting.map(|s| slice(text, s)),
        paragraphs: doc.paragraphs().map(|r| slice(text, r.span)).collect(),
        postscript: doc.postscript,
        closing_paragraph: doc.closing_paragraph().map(|r| slice(text, r.span)),
        valediction: closing.and_then(|c| c.valediction).map(|s| slice(text, s)),
        signature: closing.and_then(|c| c.signature).map(|s| slice(text, s)),
        body_words: doc.body_words(),
    }
}

/// The frame of `text` (written with `\n`), checked to be the same when the
/// draft uses CRLF or CR-only line endings.
fn frame(text: &str, format: Format) -> Frame {
    let f = frame_of(text, format);
    for ending in ["\r\n", "\r"] {
        let converted = text.replace('\n', ending);
        assert_eq!(frame_of(&converted, format), f, "with {ending:?} endings");
    }
    f
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn letter_heading_above_the_greeting_is_frame() {
    let text = "Tomasz Wróbel\n22 Heron Way\nNorwich NR2 4PL\ntomasz.wrobel@example.org\n\n4 March 2025\n\nMs. Adaeze Obi\nHead of Finance\nKestrel Foods Ltd\n9 Mill Lane\n\nDear Ms. Obi,\n\nRE: Assistant Accountant interview\n\nThank you for\tmeeting me on Monday 🙏. I would welcome the chance to talk again.\n\nYours sincerely,\nTomasz Wróbel\n";
    let f = frame(text, Format::Text);
    assert_eq!(
        f.heading,
        strings(&[
            "Tomasz Wróbel",
            "22 Heron Way",
            "Norwich NR2 4PL",
            "tomasz.wrobel@example.org",
            "4 March 2025",
            "Ms. Adaeze Obi",
            "Head of Finance",
            "Kestrel Foods Ltd",
            "9 Mill Lane",
            "RE: Assistant Accountant interview",
        ])
    );
    assert_eq!(f.greeting.as_deref(), Some("Dear Ms. Obi,"));
    assert_eq!(
        f.paragraphs,
        strings(&[
            "Thank you for\tmeeting me on Monday 🙏. I would welcome the chance to talk again."
        ])
    );
    assert_eq!(f.valediction.as_deref(), Some("Yours sincerely,"));
    assert_eq!(f.signature.as_deref(), Some("Tomasz Wróbel"));
    assert_eq!(f.body_words, 15);
}

#[test]
fn template_heading_of_slots_and_a_slot_signature() {
    let text = "[Your Name]\n[Street Address]\n[Email] | [Phone]\n\n[Date]\n\n[Hiring Manager's Name]\n[Company]\n\nDear [Hiring Manager's Name]:\n\nThank you for the interview for the [Job Title] post.\n\n[Your Name]\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.heading.len(), 6, "{f:?}");
    assert_eq!(f.greeting.as_deref(), Some("Dear [Hiring Manager's Name]:"));
    assert_eq!(f.body_words, 10);
    assert_eq!(f.signature.as_deref(), Some("[Your Name]"));
}

#[test]
fn a_short_first_line_without_a_greeting_below_is_body() {
    let text = "Quick question\n\nIs the role still open? I would love to hear.\n\nSam Lee\n";
    let f = frame(text, Format::Text);
    assert!(f.heading.is_empty() && f.greeting.is_none(), "{f:?}");
    assert_eq!(f.paragraphs[0], "Quick question");
    assert_eq!(f.signature.as_deref(), Some("Sam Lee"));
}

#[test]
fn reference_line_under_the_greeting() {
    let text = "Respected Sir,\n\nSub: request to reschedule my interview\n\nI could not travel on the 4th because of the floods.\n\nThanking you.\n\nYours faithfully,\nR. Iyer\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.greeting.as_deref(), Some("Respected Sir,"));
    assert_eq!(
        f.heading,
        strings(&["Sub: request to reschedule my interview"])
    );
    assert_eq!(
        f.paragraphs,
        strings(&["I could not travel on the 4th because of the floods."])
    );
    // "Thanking you." alone above the sign-off phrase belongs to it.
    assert_eq!(
        f.valediction.as_deref(),
        Some("Thanking you.\n\nYours faithfully,")
    );
    assert_eq!(f.signature.as_deref(), Some("R. Iyer"));
    // A sign-off phrase emaillint does not know, under a known one.
    let text = "Respected Madam,\n\nKindly give me one more chance.\n\nThanking you,\nYours dutifully,\nRavi Shankar\nMob: 98765 43210\n";
    let f = frame(text, Format::Text);
    assert_eq!(
        f.valediction.as_deref(),
        Some("Thanking you,\nYours dutifully,")
    );
    assert_eq!(
        f.signature.as_deref(),
        Some("Ravi Shankar\nMob: 98765 43210")
    );
    let text = "Dear Ms. Obi,\n\nPosition \u{2013} Assistant Accountant (ref. 24/117)\n\nRe-interviewing is not needed.\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.heading.len(), 1, "{f:?}");
    assert_eq!(f.paragraphs, strings(&["Re-interviewing is not needed."]));
}

#[test]
fn greetings_with_commas_inside_and_without_commas() {
    let cases = [
        (
            "Dear Sir, or Madam,\n\nI write about the post.\n",
            "Dear Sir, or Madam,",
        ),
        (
            "Dear Sir/Madam/[Interviewer's full name, if known],\n\nI write about the post.\n",
            "Dear Sir/Madam/[Interviewer's full name, if known],",
        ),
        ("Dear Sir, I write about the post.\n", "Dear Sir,"),
        (
            "Hello Ms. Brandt\n\nI write about the post.\n",
            "Hello Ms. Brandt",
        ),
        (
            "Dear Mr. or Ms. ________:\n\nI write about the post.\n",
            "Dear Mr. or Ms. ________:",
        ),
        ("Hi Jo — quick one: I write about the post.\n", "Hi Jo —"),
        ("Hi Sam!! I write about the post.\n", "Hi Sam!!"),
    ];
    for (text, greeting) in cases {
        let f = frame(text, Format::Text);
        assert_eq!(f.greeting.as_deref(), Some(greeting), "{text:?}");
        assert!(
            f.paragraphs
                .iter()
                .any(|p| p.ends_with("I write about the post.")),
            "{text:?}: {f:?}"
        );
    }
}

#[test]
fn an_opening_vocative_run_into_the_first_sentence() {
    let cases = [
        (
            "Mr. Okafor, thank you for seeing me.\n",
            Some("Mr. Okafor,"),
        ),
        ("Dr Lin, I hope you are well.\n", Some("Dr Lin,")),
        ("Priya, thank you for the call today.\n", Some("Priya,")),
        ("Ms. Tran,\n\nThank you for the call.\n", Some("Ms. Tran,")),
        // A name on a line of its own, no comma.
        ("Sarah\n\nThank you for the call.\n", Some("Sarah")),
        ("Ms. Tran\n\nThank you for the call.\n", Some("Ms. Tran")),
        (
            "Interview Notes\n\nThe interview notes are attached.\n",
            None,
        ),
        ("Thank You\n\nFor the call.\n", None),
        ("Unfortunately, I cannot make Tuesday.\n", None),
        ("Admittedly, my answer was weak.\n", None),
        ("Emily, thank you for the call.\n", Some("Emily,")),
        ("Understood, and thank you for letting me know.\n", None),
        // A word the draft also writes in lowercase is not a name.
        ("Tuesday, I am free. Any tuesday works.\n", None),
        ("Honesty, I think, matters. I value honesty.\n", None),
    ];
    for (text, greeting) in cases {
        let f = frame(text, Format::Text);
        assert_eq!(f.greeting.as_deref(), greeting, "{text:?}");
    }
}

#[test]
fn a_markdown_heading_above_the_greeting() {
    let text =
        "# Follow-up on Tuesday\n\nDear Ms. Chen,\n\nThank you for *your* time.\n\nBest,\nAna\n";
    let f = frame(text, Format::Markdown);
    assert_eq!(f.heading, strings(&["Follow-up on Tuesday"]));
    assert_eq!(f.greeting.as_deref(), Some("Dear Ms. Chen,"));
    assert_eq!(f.paragraphs, strings(&["Thank you for *your* time."]));
    assert_eq!(f.signature.as_deref(), Some("Ana"));
}

#[test]
fn sign_offs_names_and_name_slots() {
    let cases: [(&str, Option<&str>, &str); 8] = [
        (
            "Hi Jo,\n\nThanks for today.\n\nTomasz Wróbel\n",
            None,
            "Tomasz Wróbel",
        ),
        (
            "Hi Jo,\n\nThanks for today.\n\nGary Ames.\n",
            None,
            "Gary Ames.",
        ),
        (
            "Hi Jo,\n\nThanks for today.\n\nRegards,\n{Sender}\n",
            Some("Regards,"),
            "{Sender}",
        ),
        (
            "Hi Jo,\n\nThanks for today.\n\nYour Name\n",
            None,
            "Your Name",
        ),
        ("Hi Jo,\n\nThanks for today.\n\n$name\n", None, "$name"),
        (
            "Hi Jo,\n\nThanks for today.\n\n[Sender's first and last names]\n",
            None,
            "[Sender's first and last names]",
        ),
        (
            "Hi Jo,\n\nThanks for today.\n\nBest,\n\n(signature)\n\nAna Ruiz\n",
            Some("Best,"),
            "(signature)\n\nAna Ruiz",
        ),
        (
            "Hi Jo,\n\nThanks for today.\n\nKind regards,\nAna Ruiz\nData Analyst, Kestrel Foods\n+44 7700 900123\nana@example.org\nhttps://www.linkedin.com/in/anaruiz\n",
            Some("Kind regards,"),
            "Ana Ruiz\nData Analyst, Kestrel Foods\n+44 7700 900123\nana@example.org\nhttps://www.linkedin.com/in/anaruiz",
        ),
    ];
    for (text, valediction, signature) in cases {
        let f = frame(text, Format::Text);
        assert_eq!(f.valediction.as_deref(), valediction, "{text:?}");
        assert_eq!(f.signature.as_deref(), Some(signature), "{text:?}");
        assert_eq!(f.paragraphs, strings(&["Thanks for today."]), "{text:?}");
    }
}

#[test]
fn a_name_under_the_last_sentence_and_misspelt_sign_offs() {
    let text = "Hi Jo,\n\nThanks for today. I hope to hear from you soon.\nSam Lee\nSenior Analyst\nKobo Ltd\n";
    let f = frame(text, Format::Text);
    assert_eq!(
        f.paragraphs,
        strings(&["Thanks for today. I hope to hear from you soon."])
    );
    assert_eq!(f.valediction, None);
    assert_eq!(
        f.signature.as_deref(),
        Some("Sam Lee\nSenior Analyst\nKobo Ltd")
    );
    // A hard-wrapped last line is not a name.
    let text = "Hi Jo,\n\nThanks for today. I look forward to visiting the\nLeeds Office\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.signature, None, "{f:?}");
    let text =
        "Good Morning Sir/Madam,\n\nPlease consider my request.\n\nYour faithfully\nRamesh K\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.greeting.as_deref(), Some("Good Morning Sir/Madam,"));
    assert_eq!(f.valediction.as_deref(), Some("Your faithfully"));
    assert_eq!(f.signature.as_deref(), Some("Ramesh K"));
    // An unknown sign-off phrase with no comma, above a name.
    let text = "Dear Ms. Obi,\n\nPlease consider my request.\n\nWith respect\nRamesh K\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.valediction.as_deref(), Some("With respect"));
    assert_eq!(f.signature.as_deref(), Some("Ramesh K"));
}

#[test]
fn a_sign_off_run_into_the_last_line() {
    let text = "Hi Jo,\n\nThanks for today. I hope we talk again soon. Best, Tom\n";
    let f = frame(text, Format::Text);
    assert_eq!(
        f.paragraphs,
        strings(&["Thanks for today. I hope we talk again soon."])
    );
    assert_eq!(f.valediction.as_deref(), Some("Best,"));
    assert_eq!(f.signature.as_deref(), Some("Tom"));
    let text = "Dear [Interviewer's Name],\nThanks so much for the talk about the [Role] opening. Kind regards, [Your Name]\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.greeting.as_deref(), Some("Dear [Interviewer's Name],"));
    assert_eq!(
        f.paragraphs,
        strings(&["Thanks so much for the talk about the [Role] opening."])
    );
    assert_eq!(f.valediction.as_deref(), Some("Kind regards,"));
    assert_eq!(f.signature.as_deref(), Some("[Your Name]"));
    assert_eq!(f.body_words, 10);
    // A closing sentence is not a sign-off.
    // Nor is a last paragraph after a "Thank you!" paragraph an aside.
    let text =
        "Hi Jo,\n\nThank you!\n\nI really enjoyed meeting the team and hope we talk again.\n";
    let f = frame(text, Format::Text);
    assert_eq!((f.postscript, f.paragraphs.len()), (None, 2), "{f:?}");
    let text = "Hi Jo,\n\nThanks for today. I hope to hear from you soon.\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.signature, None);
    assert_eq!(f.body_words, 10);
}

#[test]
fn a_postscript_after_the_signature_is_body() {
    let text = "Dear Ms. Obi,\n\nI remain keen on the role.\n\nThank you again for your time.\n\nBest regards,\nAna Ruiz\n\nP.S. I have attached the report we discussed.\n";
    let f = frame(text, Format::Text);
    assert_eq!(
        f.paragraphs,
        strings(&[
            "I remain keen on the role.",
            "Thank you again for your time.",
            "P.S. I have attached the report we discussed."
        ])
    );
    assert_eq!(f.postscript, Some(2));
    assert_eq!(
        f.closing_paragraph.as_deref(),
        Some("Thank you again for your time.")
    );
    assert_eq!(f.valediction.as_deref(), Some("Best regards,"));
    assert_eq!(f.signature.as_deref(), Some("Ana Ruiz"));
    assert_eq!(f.body_words, 20);
}

#[test]
fn a_postscript_before_the_sign_off_and_an_aside_after_it() {
    let text = "Hi Jo,\n\nThanks again for your time.\n\nPS: the portfolio link is in my CV.\n\nCheers,\nSam\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.postscript, Some(1));
    assert_eq!(
        f.closing_paragraph.as_deref(),
        Some("Thanks again for your time.")
    );
    assert_eq!(f.signature.as_deref(), Some("Sam"));
    let text = "Hi Jo,\n\nThanks again for your time.\n\nCheers,\nSam\n\nI have attached my CV again in case it helps.\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.postscript, Some(1));
    assert_eq!(
        f.paragraphs[1],
        "I have attached my CV again in case it helps."
    );
    assert_eq!(f.valediction.as_deref(), Some("Cheers,"));
    assert_eq!(f.signature.as_deref(), Some("Sam"));
}

#[test]
fn a_body_without_blank_lines_has_a_paragraph_a_line() {
    let text = "Dear Mr. Osei,\nThank you for the interview. I enjoyed it.\nI remain very interested in the role.\nI hope to hear from you soon.\nSincerely,\nLeah Marchetti\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.paragraphs.len(), 3, "{f:?}");
    assert_eq!(
        f.closing_paragraph.as_deref(),
        Some("I hope to hear from you soon.")
    );
    // Hard-wrapped lines are one paragraph.
    let text = "Dear Mr. Osei,\nThank you for the interview. I enjoyed\nit, and I remain very interested in the role.\nSincerely,\nLeah Marchetti\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.paragraphs.len(), 1, "{f:?}");
}

fn check(text: &str, format: Format, rule: &str) -> bool {
    let set = RuleSet::builtin().unwrap();
    let (_, report) = emaillint::check(text, format, set, &Settings::defaults(set));
    report
        .checks
        .iter()
        .find(|c| c.rule == rule)
        .unwrap()
        .passed
}

#[test]
fn closing_thanks_looks_before_a_postscript() {
    let before = "Dear Ms. Obi,\n\nI remain keen on the role.\n\nThank you again for your time.\n\nBest regards,\nAna Ruiz\n\nP.S. I have attached the report we discussed.\n";
    assert!(check(before, Format::Text, "closing-thanks"));
    let inside = "Dear Ms. Obi,\n\nI remain keen on the role.\n\nCould we meet again?\n\nP.S. Thank you for the tour.\n\nBest regards,\nAna Ruiz\n";
    assert!(check(inside, Format::Text, "closing-thanks"));
    let earlier = "Dear Ms. Obi,\n\nThank you for your time.\n\nI remain keen on the role.\n\nP.S. I have attached the report.\n\nBest regards,\nAna Ruiz\n";
    assert!(!check(earlier, Format::Text, "closing-thanks"));
}

#[test]
fn greeting_and_sign_off_rules_see_the_frame() {
    for (text, format) in [
        (
            "# Follow-up\n\nDear Ms. Chen,\n\nThank you for your time.\n\nBest,\nAna Ruiz\n",
            Format::Markdown,
        ),
        (
            "Ana Ruiz\n22 Heron Way\n\nDear Ms. Chen,\n\nThank you for your time.\n\nAna Ruiz\n",
            Format::Text,
        ),
        (
            "Ms. Chen, thank you for your time today. Best, Ana\n",
            Format::Text,
        ),
    ] {
        assert!(check(text, format, "greeting"), "{text:?}");
        assert!(check(text, format, "sign-off"), "{text:?}");
    }
}

#[test]
fn regions_are_in_source_order() {
    let set = RuleSet::builtin().unwrap();
    let text = "Ana Ruiz\n1 Elm Row\n\nDear Jo,\n\nRE: interview\n\nThanks.\n\nBest,\nAna\n\nP.S. See you.\n";
    let doc = Document::parse(text, Format::Text, &set.vocab);
    let parts: Vec<Part> = doc.regions.iter().map(|r| r.part).collect();
    assert_eq!(
        parts,
        vec![
            Part::Heading,
            Part::Greeting,
            Part::Heading,
            Part::Paragraph(0),
            Part::Valediction,
            Part::Signature,
            Part::Paragraph(1),
        ]
    );
    for w in doc.regions.windows(2) {
        assert!(w[0].span.end <= w[1].span.start && w[0].virt.end <= w[1].virt.start);
    }
}

/// Drafts stitched from frame-shaped fragments (greetings, slots, sign-offs,
/// postscripts, odd line endings, multi-byte text): parsing and linting never
/// panic, and every region and diagnostic span is in bounds, on character
/// boundaries, and in source order.
#[test]
fn odd_frames_never_panic() {
    const FRAGMENTS: &[&str] = &[
        "Dear",
        " Sir",
        ", or Madam",
        ",",
        ":",
        "!",
        " — ",
        " - ",
        "Mr.",
        " Okafor",
        "Priya",
        "[",
        "]",
        "[Your Name]",
        "{Sender}",
        "<Company>",
        "<b>",
        "</b>",
        "(signature)",
        "$name",
        "P.S.",
        "PS",
        "N.B.",
        "RE:",
        "Sub:",
        "Thanking you.",
        "Yours faithfully,",
        "Best,",
        " Tom",
        "Kind regards, [Your Name]",
        "Thank you.",
        "--",
        "-- ",
        "> quoted",
        "On Mon, Jo wrote:",
        "#",
        "- ",
        "1. ",
        "\n",
        "\n\n",
        "\r",
        "\r\n",
        "\r\r",
        "\t",
        " ",
        "\u{a0}",
        "🙏",
        "é",
        "e\u{301}",
        "Ünïcödé",
        "I hope you are well.",
        "so",
        " soon.",
        "22 Heron Way",
        "4 March 2025",
        "tom@example.org",
        "+44 7700 900123",
        "https://x.y/z",
        "__",
        "**",
        "`x`",
        "<!-- c -->",
    ];
    let set = RuleSet::builtin().unwrap();
    let settings = Settings::defaults(set);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // EMAILLINT_FRAME_DRAFTS=100000 for a longer run.
    let drafts = std::env::var("EMAILLINT_FRAME_DRAFTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    for _ in 0..drafts {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
            .collect();
        for format in [Format::Text, Format::Markdown] {
            let (doc, report) = emaillint::check(&text, format, set, &settings);
            let ok = |s: emaillint::span::Span| {
                s.start <= s.end
                    && s.end <= text.len()
                    && text.is_char_boundary(s.start)
                    && text.is_char_boundary(s.end)
            };
            for r in &doc.regions {
                assert!(ok(r.span), "{text:?}: region {:?} {:?}", r.part, r.span);
            }
            for w in doc.regions.windows(2) {
                assert!(
                    w[0].span.start <= w[1].span.start,
                    "{text:?}: regions out of order"
                );
            }
            for s in doc.heading.iter().chain(doc.greeting.iter()) {
                assert!(ok(*s), "{text:?}: {s:?}");
            }
            for d in &report.diagnostics {
                assert!(ok(d.span), "{text:?}: {} {:?}", d.rule, d.span);
            }
        }
    }
}

/// Issue 9: with a `--` signature delimiter, the closing starts at the
/// delimiter, so a sentence inserted before the sign-off lands above it
/// (in the body, where it counts) and a fix run converges instead of
/// inserting the same sentence 64 times between `--` and the name.
#[test]
fn issue_9_fix_before_a_signature_delimiter_converges() {
    let set = RuleSet::builtin().unwrap();
    let settings = Settings::defaults(set);
    let text = "Dear Ms. Park,\n\nThank you for meeting me on Monday. I remain very interested in the analyst role, and my SQL work at Kobo fits your team. Would you be willing to meet again at your convenience?\n\nThank you again.\n\n--\nSam Lee\n";
    let doc = Document::parse(text, Format::Text, &set.vocab);
    let closing = doc.closing.as_ref().unwrap();
    assert_eq!(slice(text, closing.span), "--\nSam Lee");
    assert_eq!(
        closing.signature.map(|s| slice(text, s)).as_deref(),
        Some("Sam Lee")
    );
    let first = emaillint::fix::fix(text, Format::Text, set, &settings, true);
    let fixed = &first.text;
    assert!(
        first.applied <= 2,
        "{} fixes applied:\n{fixed}",
        first.applied
    );
    assert_eq!(first.stopped, None);
    let again = emaillint::fix::fix(fixed, Format::Text, set, &settings, true);
    assert_eq!((again.applied, again.text.as_str()), (0, fixed.as_str()));
    assert!(fixed.ends_with("\n\n--\nSam Lee\n"), "{fixed}");
}

#[test]
fn a_writer_who_never_capitalises_signs_in_lowercase() {
    let text = "hey jo\n\nthanks for today. any chance of a redo? no stress if not. cheers, kit\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.greeting.as_deref(), Some("hey jo"));
    assert_eq!(f.valediction.as_deref(), Some("cheers,"));
    assert_eq!(f.signature.as_deref(), Some("kit"));
    assert_eq!(f.body_words, 12);
    // With capitals elsewhere, a lowercase word after "Cheers," is not a name.
    let text = "Hi Jo,\n\nThanks for today. Cheers, mate\n";
    let f = frame(text, Format::Text);
    assert_eq!(f.signature, None, "{f:?}");
}

#[test]
fn list_markers_are_not_body_words() {
    // A list marker is list structure, "1." as much as "-" (the labels of
    // ../shared/corpus count 057.md's numbered list without its markers).
    for (text, format) in [
        (
            "Hi Jo,\n\nTwo things:\n\n1. one\n2. two\n- three\n\nBest,\nAna\n",
            Format::Text,
        ),
        (
            "Hi Jo,\n\nTwo things:\n\n1. one\n2. two\n\n- three\n\nBest,\nAna\n",
            Format::Markdown,
        ),
    ] {
        let f = frame(text, format);
        assert_eq!(f.body_words, 5, "{format:?}: {f:?}");
    }
}

#[test]
fn a_sentence_cut_by_a_stray_blank_line_is_one_paragraph() {
    // "hope to be" cannot end a sentence and "working" starts in lowercase:
    // the blank line between them is a slip, so the paragraph goes on.
    let text = "Dear Ms. Coles,\n\nThank you for your time today. I very much hope to be\n\nworking alongside you soon.\n\nBest wishes,\nGareth Pryce\n";
    for format in [Format::Text, Format::Markdown] {
        let f = frame(text, format);
        assert_eq!(
            f.paragraphs,
            strings(&[
                "Thank you for your time today. I very much hope to be\n\nworking alongside you soon."
            ]),
            "{format:?}"
        );
        assert_eq!(f.body_words, 16);
    }
    // A paragraph that ends on a finished sentence, or one followed by a
    // capital, stays apart.
    for text in [
        "Dear Ms. Coles,\n\nThank you for your time today. I hope to see you\n\nsoon, I hope.\n\nBest,\nGareth\n",
        "Dear Ms. Coles,\n\nThank you for your time today and for the tour of the\n\nDepot was great.\n\nBest,\nGareth\n",
    ] {
        assert_eq!(frame(text, Format::Text).paragraphs.len(), 2, "{text:?}");
    }
}
