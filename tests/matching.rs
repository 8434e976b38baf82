//! The rule language's word matching, one test per mechanism: word forms,
//! exact forms, gaps (a template slot counting as one word), shared lists
//! (word classes), optional words, alternatives, contractions and `claim:
//! writer`. Each test checks the
//! exact source bytes a match points at.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::{Format, RuleSet, Settings};

const LISTS: &str = r#"
structure:
  forms:
    feel: [felt]
    be: [am, is, are, was, were, been, "'m", "'re"]
    not: ["n't"]
    will: ["'ll", wo]
    can: [ca]
lists:
  negators: [not, never, no longer]
  first-person: [i, we]
  other-person: [you, he, she, they, the team]
  desire: [love, like, want, hope]
  job: [role, job, position, team]
"#;

/// Lint `text` with one `forbid` rule whose phrases are `phrases`, plus
/// `extra` keys; return the source text of every diagnostic.
fn matches(phrases: &[&str], extra: &str, text: &str) -> Vec<String> {
    let list = phrases
        .iter()
        .map(|p| format!("      - {p:?}\n"))
        .collect::<String>();
    let rules = format!(
        "{LISTS}\nrules:\n  - id: probe\n    kind: forbid\n    message: \"{{match}}\"\n{extra}    phrases:\n{list}"
    );
    let set = match RuleSet::from_sources([("probe.yaml", rules.as_str())]) {
        Ok(s) => s,
        Err(e) => panic!("rule file does not load: {e}\n{rules}"),
    };
    let settings = Settings::defaults(&set);
    let (_, report) = emaillint::check(text, Format::Text, &set, &settings);
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "probe")
        .map(|d| text[d.span.range()].to_string())
        .collect()
}

#[test]
fn word_forms_match_inflections() {
    let text = "I am interested. The interests align. I applied twice and I'm applying again.";
    assert_eq!(
        matches(&["interest", "apply"], "", text),
        ["interested", "interests", "applied", "applying"]
    );
    // Irregular forms come from the forms table; British and American
    // spellings fold together.
    assert_eq!(
        matches(
            &["feel unwell", "apologize"],
            "",
            "I felt unwell. I apologise. Apologies."
        ),
        ["felt unwell", "apologise", "Apologies"]
    );
}

#[test]
fn exact_form_opts_out() {
    let text = "An interesting role. I am interested.";
    assert_eq!(matches(&["=interested"], "", text), ["interested"]);
}

#[test]
fn gaps_allow_words_between() {
    let text = "I would really, truly love to join. I would love to join. I would not ever in my life love to join.";
    assert_eq!(
        matches(&["would ... love to join"], "", text),
        ["would really, truly love to join", "would love to join"]
    );
    // The rule's `gap` sets how many words `...` stands for.
    assert_eq!(
        matches(&["would ... love to join"], "    gap: 6\n", text).len(),
        3
    );
    // An explicit count overrides it; a gap never crosses a sentence.
    assert!(matches(&["would ...1 love"], "", "I would really, truly love it.").is_empty());
    assert!(matches(&["would ... love"], "", "I would. Love it.").is_empty());
}

#[test]
fn a_template_slot_is_one_word_to_a_gap() {
    // "[Company Name]" stands for one name: `...2` spans it as one word,
    // in every bracket style, and a phrase never matches words inside it.
    let text = "Joining the [Company Name] team would be great. \
                Joining the {{company}} team would be great. \
                Joining the <COMPANY NAME> team would be great. \
                Joining the Acme Widget Company team would be great.";
    assert_eq!(
        matches(&["join ...3 team would"], "", text),
        [
            "Joining the [Company Name] team would",
            "Joining the {{company}} team would",
            "Joining the <COMPANY NAME> team would",
        ]
    );
    assert!(matches(&["company name"], "", "Dear [Company Name] team.").is_empty());
    // A bracket that is not a slot (it runs past a sentence end) is words.
    assert_eq!(
        matches(&["the team"], "", "I met [the team. It] was fun."),
        ["the team"]
    );
}

#[test]
fn lists_are_word_classes() {
    let text = "I would love this role. We hope the team grows. I want the job!";
    assert_eq!(
        matches(&["@desire ...2 @job"], "", text),
        ["love this role", "hope the team", "want the job"]
    );
}

#[test]
fn optional_words_and_alternatives() {
    let text = "I'd like to be part of it. I would like to be a part of it. I'd like to join.";
    assert_eq!(
        matches(&["like to be a? part|member"], "", text),
        ["like to be part", "like to be a part"]
    );
}

#[test]
fn contractions_equal_full_forms() {
    let text = "I'm keen. I am keen. I can't wait. I cannot wait. I can not wait.";
    assert_eq!(
        matches(&["i am keen", "can not wait"], "", text),
        ["I'm keen", "I am keen", "can't wait", "can not wait"]
    );
}

#[test]
fn literal_phrases_keep_symbols() {
    let text = "I was in A&E all night, and then in a e.";
    assert_eq!(matches(&["a&e"], "", text), ["A&E"]);
}

#[test]
fn claim_writer_drops_negated_and_other_subjects() {
    let text = "I am very interested. I am not interested. You seemed interested. \
                I'm no longer interested. I know you are busy, but I remain interested. \
                They were interested in my thesis.";
    let got = matches(&["interested"], "    claim: writer\n", text);
    assert_eq!(got, ["interested", "interested"]);
    let all = matches(&["interested"], "", text);
    assert_eq!(all.len(), 6);
}

#[test]
fn phrase_errors_point_at_the_phrase() {
    let rules = format!(
        "{LISTS}\nrules:\n  - id: probe\n    kind: forbid\n    message: x\n    phrases:\n      - \"@nosuch role\"\n"
    );
    let err = RuleSet::from_sources([("probe.yaml", rules.as_str())]).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("unknown list `@nosuch`"), "{text}");
    assert!(text.contains("probe.yaml:"), "{text}");
}

/// Mistakes in the phrase syntax are rule-file errors naming the phrase,
/// never a panic or a silently dead phrase.
#[test]
fn bad_phrase_syntax_is_reported() {
    let cases = [
        ("would ...99 join", "a gap is `...` or `...N`"),
        ("@ role", "`@` must be followed by a list name"),
        (
            "love|follow-up",
            "alternatives separated by `|` must be single words",
        ),
        ("@loop", "refers to itself"),
        ("@big @big @big @big", "more than 512 word sequences"),
    ];
    for (phrase, want) in cases {
        let rules = format!(
            "lists:\n  loop: [\"@loop\"]\n  big: [a b, c d, e f, g h, i j, k l]\nrules:\n  - id: probe\n    kind: forbid\n    message: x\n    phrases:\n      - {phrase:?}\n"
        );
        let err = match RuleSet::from_sources([("probe.yaml", rules.as_str())]) {
            Ok(_) => panic!("{phrase:?} loaded"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(want), "{phrase:?}: {err}");
        assert!(
            err.contains("probe.yaml:9:"),
            "{phrase:?} does not point at its line: {err}"
        );
    }
}

#[test]
fn a_match_lines_up_with_its_phrase() {
    // `explain` shows which element of a phrase took which words: the list
    // (and the item of several words), the gap, the form.
    let rules = format!(
        "{LISTS}\n  join: [join, be part of]\nrules:\n  - id: probe\n    kind: forbid\n    message: \"{{match}}\"\n    gap: 4\n    phrases:\n      - \"@desire ... @join\"\n      - feel unwell\n"
    );
    let set = std::sync::Arc::new(RuleSet::from_sources([("probe.yaml", rules.as_str())]).unwrap());
    let linter = emaillint::Linter::new(set.clone(), Settings::defaults(&set));
    let text = "I would still really love to be part of it. I felt unwell.";
    let doc = linter.parse(text, Format::Text);
    let index = set.rules.iter().position(|r| r.id == "probe").unwrap();
    let parts: Vec<Vec<(String, &str, bool)>> = linter
        .trace(&doc, index)
        .iter()
        .map(|h| {
            h.parts
                .iter()
                .map(|p| (p.written.clone(), &text[p.span.range()], p.form))
                .collect()
        })
        .collect();
    let p = |w: &str, t: &'static str, form: bool| (w.to_string(), t, form);
    assert_eq!(
        parts,
        [
            vec![
                p("@desire", "love", false),
                p("...4", "to", false),
                p("@join (be part of)", "be part of", false),
            ],
            vec![p("feel", "felt", true), p("unwell", "unwell", false)],
        ]
    );
}
