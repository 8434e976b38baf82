//! Every crash the fuzz targets (fuzz/) found, kept as an input that must
//! now go through every entry point without a panic. Files in
//! tests/fuzz-crashes/ are fuzz inputs as written: the first byte picks
//! the format (0 text, 1 Markdown, 2 email), the rest is the draft.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::{Format, RuleSet, Settings};

fn settings(set: &RuleSet) -> Settings {
    let mut s = Settings::defaults(set);
    s.today = emaillint::Date::parse("2026-03-05");
    s
}

fn exercise(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let format = [Format::Text, Format::Markdown, Format::Email][usize::from(first % 3)];
    let Ok(text) = emaillint::source::decode(rest.to_vec()) else {
        return;
    };
    let set = RuleSet::builtin().unwrap();
    let _ = emaillint::Document::parse(&text, format, &set.vocab);
    let _ = emaillint::check(&text, format, set, &settings(set));
    let fixed = emaillint::fix::fix(&text, format, set, &settings(set), true);
    assert!(fixed.stopped.is_none());
    let again = emaillint::fix::fix(&fixed.text, format, set, &settings(set), true);
    assert_eq!(again.text, fixed.text);
    let _ = RuleSet::from_sources([("fuzz.yaml", text.as_str())]);
    let _ = emaillint::config::parse(&emaillint::source::SourceFile::new("c", text.clone()));
}

#[test]
fn every_recorded_fuzz_crash_is_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-crashes");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        exercise(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0);
}

/// fuzz/document, first run: a `--` line above the greeting put the
/// closing before the body and `lines.drain(first_body..closing_at)`
/// panicked.
#[test]
fn signature_delimiter_above_the_greeting_does_not_panic() {
    for text in [
        "--\n\nHi Dana,\n",
        "--\nHi Dana,\n",
        "-- \n\nDear Dana,\n\nThanks.\n",
    ] {
        let mut data = vec![0u8];
        data.extend_from_slice(text.as_bytes());
        exercise(&data);
        data[0] = 1;
        exercise(&data);
    }
}
