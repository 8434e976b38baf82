//! `budget` rules: which sentences make up the account (matches, the gap
//! between two of them, `lead_in`, `continuation`, `until`, `without`,
//! `exclude_rules`) and `fail_on`. Each test checks the measured words and
//! the exact source bytes the diagnostic points at.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::{Format, RuleSet, Settings};

/// A `budget` rule counting sentences that mention a mishap, with `extra`
/// keys, plus a `require` rule `ask` (for `exclude_rules`).
fn rules(extra: &str) -> String {
    format!(
        r#"
rules:
  - id: ask
    kind: require
    message: no request
    phrases: [could we meet]
  - id: story
    kind: budget
    message: "{{count}} words"
    max_words: 12
    phrases: [flood, late]
{extra}"#
    )
}

/// The budget diagnostics' messages and the source text of their spans.
fn story(extra: &str, text: &str) -> Vec<(String, String)> {
    let rules = rules(extra);
    let set = match RuleSet::from_sources([("probe.yaml", rules.as_str())]) {
        Ok(s) => s,
        Err(e) => panic!("rule file does not load: {e}\n{rules}"),
    };
    let settings = Settings::defaults(&set);
    let (_, report) = emaillint::check(text, Format::Text, &set, &settings);
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "story")
        .map(|d| (d.message.clone(), text[d.span.range()].to_string()))
        .collect()
}

const TEXT: &str = "Hello. The road was flooded. I tried to call you. \
                    When I got there you had gone. Could we meet again.";

#[test]
fn only_matching_sentences_count_by_default() {
    // "The road was flooded." is 4 words: within 12.
    assert!(story("", TEXT).is_empty());
}

#[test]
fn continuation_carries_the_story_on() {
    assert_eq!(
        story("    continuation: 2\n", TEXT),
        [(
            "16 words".to_string(),
            "The road was flooded. I tried to call you. When I got there you had gone.".to_string()
        )]
    );
    // One sentence of continuation: 4 + 5 = 9 words, within 12.
    assert!(story("    continuation: 1\n", TEXT).is_empty());
}

#[test]
fn until_stops_the_continuation() {
    let extra = "    continuation: 2\n    until: [tried]\n";
    assert!(story(extra, TEXT).is_empty());
}

#[test]
fn exclude_rules_are_other_parts_of_the_letter() {
    // The request is not part of the story, even three sentences on.
    let text =
        "The road was flooded. I was late. It rained hard all day long here. Could we meet again.";
    let counted = story("    continuation: 3\n", text);
    assert_eq!(counted[0].0, "18 words");
    let counted = story("    continuation: 3\n    exclude_rules: [ask]\n", text);
    assert_eq!(counted[0].0, "14 words");
}

#[test]
fn lead_in_sets_the_story_up() {
    let text = "I set off at eight and took the ring road as usual. The road was flooded.";
    assert_eq!(
        story("    lead_in: 1\n", text),
        [("16 words".to_string(), text.to_string())]
    );
    assert!(story("", text).is_empty());
}

#[test]
fn without_drops_a_matching_sentence() {
    let text = "I am so sorry that I was late to the interview on Monday.";
    assert_eq!(story("", text)[0].0, "13 words");
    assert!(story("    without: [sorry]\n", text).is_empty());
}

#[test]
fn a_story_told_twice_counts_twice() {
    let text =
        "The road was flooded near us.\n\nThanks again.\n\nSo I was late, with the road flooded.";
    assert_eq!(
        story("", text),
        [(
            "14 words".to_string(),
            "So I was late, with the road flooded.".to_string()
        )]
    );
}

#[test]
fn fail_on_fails_however_short() {
    let extra = "    fail_on: [attached ...2 photo]\n    fail_message: \"{match} is proof\"\n";
    let text = "The road was flooded. I have attached a photo of it.";
    assert_eq!(
        story(extra, text),
        [(
            "attached a photo is proof".to_string(),
            "attached a photo".to_string()
        )]
    );
}

#[test]
fn new_keys_are_checked() {
    for (extra, needle) in [
        ("    exclude_rules: [nope]\n", "unknown rule `nope`"),
        (
            "    fail_message: \"{count}\"\n",
            "unknown placeholder `{count}`",
        ),
        ("    continuation: many\n", "continuation"),
    ] {
        let rules = rules(extra);
        let err = RuleSet::from_sources([("probe.yaml", rules.as_str())])
            .expect_err(extra)
            .to_string();
        assert!(err.contains(needle), "{extra}: {err}");
    }
    // The new keys belong to `budget` rules only.
    let rules = "rules:\n  - id: f\n    kind: forbid\n    message: m\n    phrases: [x]\n    continuation: 1\n";
    let err = RuleSet::from_sources([("probe.yaml", rules)])
        .expect_err("forbid with continuation")
        .to_string();
    assert!(err.contains("continuation"), "{err}");
}
