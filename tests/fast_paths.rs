//! The fast paths give exactly what the general ones give, on every
//! fixture, corpus draft and rule example, and on a non-ASCII twin of each:
//! regexes behind literal gates, compiled lazily, with ASCII classes on
//! ASCII prose and quick (no prefilter) before tuned forms, and word
//! sequences found from one pass over the tokens, against every regex run
//! ungated in its Unicode form and each phrase looking up its own anchors.
//! Speed itself is measured in `cargo bench`, never asserted here.

use emaillint::{Format, RuleSet, Settings};
use std::path::{Path, PathBuf};

fn drafts() -> Vec<(String, String, Format)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = vec![root.join("fixtures")];
    for shared in ["../shared/corpus", "../shared/corpus-real"] {
        dirs.push(root.join(shared));
    }
    let mut out = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("txt" | "md" | "eml")
            ) && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push((p.display().to_string(), text, Format::from_path(&p)));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn gated_regexes_find_what_ungated_ones_find() {
    let fast = RuleSet::load(&[], true).expect("built-in pack");
    let mut slow = RuleSet::load(&[], true).expect("built-in pack");
    slow.matchers.set_fast_paths(false);
    let settings = Settings::defaults(&fast);
    let mut texts = drafts();
    assert!(texts.len() > 100, "only {} drafts", texts.len());
    for rule in &fast.rules {
        for e in rule.examples.pass.iter().chain(&rule.examples.fail) {
            texts.push((
                format!("example of {}", rule.id),
                e.text().to_string(),
                Format::Text,
            ));
        }
    }
    // The characters that make gates inexact switch them off.
    texts.push((
        "long s".into(),
        "Dear Ann,\n\nI am \u{17F}orry and I need thi\u{17F} job \u{212A}.\n\nBest,\nSam\n".into(),
        Format::Text,
    ));
    // Non-ASCII twins: the regexes then run in Unicode mode, or in ASCII
    // mode on a copy with stand-ins (dashes; accented letters inside and at
    // the ends of words, where `\b` and `\w` tell them from ASCII ones).
    let mut twins: Vec<(String, String, Format)> = texts
        .iter()
        .filter(|(_, t, _)| t.is_ascii() && t.contains(", "))
        .map(|(n, t, f)| (format!("{n} (dashes)"), t.replace(", ", " \u{2014} "), *f))
        .collect();
    twins.extend(
        texts
            .iter()
            .filter(|(_, t, _)| t.is_ascii() && t.contains("er "))
            .map(|(n, t, f)| {
                let t = t.replace("er ", "\u{e9}r ").replace("ing", "ing\u{f8}");
                (format!("{n} (accents)"), t, *f)
            }),
    );
    // Whitespace twins: gates read every run of whitespace as one space,
    // so line breaks, blank lines and tabs inside what a regex matches
    // must not close them.
    let spaced: Vec<(String, String, Format)> = texts
        .iter()
        .filter(|(_, t, _)| t.contains(" to ") || t.contains(". "))
        .map(|(n, t, f)| {
            let t = t
                .replace(" to ", " to\n")
                .replace(". ", ".\n\n")
                .replace(" a ", " \t a  ");
            (format!("{n} (line breaks)"), t, *f)
        })
        .collect();
    texts.extend(twins);
    texts.extend(spaced);
    for (name, text, format) in &texts {
        let (_, a) = emaillint::check(text, *format, &fast, &settings);
        let (_, b) = emaillint::check(text, *format, &slow, &settings);
        assert_eq!(a, b, "{name}");
    }
}

/// A draft longer than a block of tokens (`SEQUENCE_BLOCK`, 8,192) and
/// than `PARALLEL_TEXT` (64 KB of prose) is matched on two threads, block
/// by block in chunks that the threads take in turn, on the fast path, and
/// in one go on one thread on the general one: the same hits, in the same
/// order, and the same diagnostics.
#[test]
fn a_long_draft_is_matched_in_blocks_as_in_one() {
    let fast = RuleSet::load(&[], true).expect("built-in pack");
    let mut slow = RuleSet::load(&[], true).expect("built-in pack");
    slow.matchers.set_fast_paths(false);
    let settings = Settings::defaults(&fast);
    // One letter: the body paragraphs of every plain-text fixture draft
    // (each without its first and last paragraph, the greeting and the
    // sign-off), twice, between one greeting and one sign-off.
    let bodies: Vec<String> = drafts()
        .into_iter()
        .filter(|(name, _, f)| name.contains("fixtures") && *f == Format::Text)
        .flat_map(|(_, t, _)| {
            let paragraphs: Vec<String> = t
                .replace("\r\n", "\n")
                .split("\n\n")
                .map(str::to_string)
                .collect();
            let n = paragraphs.len();
            paragraphs.into_iter().skip(1).take(n.saturating_sub(2))
        })
        .collect();
    let body = bodies.join("\n\n");
    let long = format!("Dear Ms. Park,\n\n{body}\n\n{body}\n\nBest regards,\nSam Lee\n");
    let words = long.split_whitespace().count();
    assert!(words > 3 * 8192, "only {words} words");
    let doc = emaillint::Document::parse(&long, Format::Text, &fast.vocab);
    assert!(
        doc.prose.text.len() > 2 * 64 * 1024,
        "{} bytes of prose",
        doc.prose.text.len()
    );
    let segments = doc.segment_starts();
    let a = fast.matchers.find_all(&doc.prose, &segments, None).hits;
    let b = slow.matchers.find_all(&doc.prose, &segments, None).hits;
    let total: usize = a.iter().map(Vec::len).sum();
    assert!(total > 500, "{total} hits");
    let late = a
        .iter()
        .flatten()
        .filter(|h| h.virt.start > doc.prose.text.len() / 2)
        .count();
    assert!(late > 200, "{late} hits in the second half");
    assert_eq!(a, b);
    let (_, a) = emaillint::check(&long, Format::Text, &fast, &settings);
    let (_, b) = emaillint::check(&long, Format::Text, &slow, &settings);
    assert_eq!(a, b);
}

#[test]
fn every_builtin_regex_has_an_ascii_form() {
    // Prose is mostly ASCII, and an ASCII form builds several times faster
    // than a Unicode one. Curly quotes are straight in prose, so a regex
    // never needs to name them.
    let set = RuleSet::load(&[], true).expect("built-in pack");
    assert_eq!(set.matchers.without_ascii_form(), Vec::<&str>::new());
}

#[test]
fn every_builtin_regex_compiles_and_few_are_compiled_up_front() {
    let set = RuleSet::load(&[], true).expect("built-in pack");
    assert_eq!(set.matchers.compiled_patterns(), 0);
    set.matchers
        .compile_all()
        .expect("every built-in regex compiles");
    assert_eq!(
        set.matchers.compiled_patterns(),
        set.matchers.pattern_count()
    );
}

#[test]
fn user_regexes_are_compiled_when_loaded() {
    let rules =
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    patterns: ['x{1000}{1000}']\n";
    let err = RuleSet::from_sources([("r.yaml", rules)])
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("does not compile")),
        "{err:?}"
    );
}

#[test]
fn the_trusted_builtin_pack_passes_every_check_and_keeps_its_spans() {
    let checked = RuleSet::load_with(&[], true, true).expect("built-in pack, every check");
    let trusted = RuleSet::load(&[], true).expect("built-in pack");
    assert_eq!(checked.rules.len(), trusted.rules.len());
    for (a, b) in checked.rules.iter().zip(&trusted.rules) {
        assert_eq!(a.id, b.id);
        assert_eq!(
            (a.origin.file, a.origin.span),
            (b.origin.file, b.origin.span),
            "{}",
            a.id
        );
    }
}

/// The built-in rule files' YAML, as the JSON `rules/pack.json` must hold.
fn pack_json() -> String {
    use emaillint::rules::model::RuleFile;
    let mut values = Vec::new();
    for (name, text) in emaillint::rules::BUILTIN {
        let v: serde_json::Value = serde_yaml::from_str(text).expect("YAML");
        // What the JSON holds must read back as what the YAML says.
        let from_yaml: RuleFile = serde_yaml::from_str(text).expect("rule file");
        let from_json: RuleFile = serde_json::from_value(v.clone()).expect("rule file from JSON");
        assert_eq!(format!("{from_yaml:?}"), format!("{from_json:?}"), "{name}");
        values.push(v);
    }
    serde_json::to_string(&values).expect("json") + "\n"
}

/// Write `path` with `UPDATE_GATES=1`, else fail: a checked-in compiled
/// form is stale.
fn current_or_update(path: &str, want: &[u8], have: &[u8]) {
    if want != have {
        if std::env::var_os("UPDATE_GATES").is_some() {
            std::fs::write(path, want).unwrap_or_else(|e| panic!("write {path}: {e}"));
        } else {
            panic!("{path} is stale: run `UPDATE_GATES=1 cargo test --test fast_paths`");
        }
    }
}

/// `rules/pack.json` holds the built-in rule files as JSON, which start-up
/// reads instead of their YAML: the same values, file by file, in order.
/// `UPDATE_GATES=1` rewrites it.
#[test]
fn the_builtin_pack_json_is_current() {
    current_or_update(
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/pack.json"),
        pack_json().as_bytes(),
        emaillint::rules::BUILTIN_PACK.as_bytes(),
    );
}

/// The built-in pack compiled from its YAML, every phrase expanded.
fn compiled_in_full() -> RuleSet {
    let mut loader = emaillint::rules::load::Loader::new();
    for (name, text) in emaillint::rules::BUILTIN {
        loader.add(*name, *text);
    }
    loader.compile_all_phrases = true;
    loader.build().map_err(|(_, e)| e).expect("built-in pack")
}

/// `rules/compiled.bin` holds the built-in pack's word phrases compiled,
/// which start-up takes instead of expanding them (`rules/compiled.rs`),
/// for the pack.json of the YAML as it is. `UPDATE_GATES=1` rewrites it.
#[test]
fn the_compiled_phrases_are_current() {
    use emaillint::rules::compiled::{BUILTIN_COMPILED, fingerprint};
    let set = compiled_in_full();
    assert_eq!(set.matchers.precompiled_phrases().0, 0);
    let want = set.matchers.compiled_phrases(fingerprint(&pack_json()));
    current_or_update(
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/compiled.bin"),
        &want.to_bytes(),
        BUILTIN_COMPILED,
    );
}

/// Seeded with the compiled phrases, the compiler builds the same matchers
/// as when it expands every phrase, and they find the same things.
#[test]
fn compiled_phrases_build_the_same_matchers() {
    let full = compiled_in_full();
    let fast = RuleSet::load(&[], true).expect("built-in pack");
    let (taken, words) = fast.matchers.precompiled_phrases();
    assert!(words > 500, "{words} word phrases");
    assert_eq!(taken, words, "every word phrase comes compiled");
    assert_eq!(
        fast.matchers.compiled_phrases(0),
        full.matchers.compiled_phrases(0)
    );
    let settings = Settings::defaults(&fast);
    for (name, text, format) in drafts() {
        let (_, a) = emaillint::check(&text, format, &fast, &settings);
        let (_, b) = emaillint::check(&text, format, &full, &settings);
        assert_eq!(a, b, "{name}");
    }
}

/// A rule directory beside the pack: every phrase is compiled, the
/// compiled form is not used.
#[test]
fn user_rules_beside_the_pack_compile_every_phrase() {
    let rules = "rules:\n  - id: a\n    kind: forbid\n    message: m\n    phrases: ['so sorry']\n";
    let mut loader = emaillint::rules::load::Loader::new();
    loader.add_builtin();
    loader.add("r.yaml", rules);
    let set = loader.build().map_err(|(_, e)| e).expect("rules");
    assert_eq!(set.matchers.precompiled_phrases().0, 0);
}

/// `rules/gates.bin` holds the gate of every built-in regex, computed
/// ahead so that start-up need not parse them; `UPDATE_GATES=1` rewrites it.
#[test]
fn the_builtin_gate_table_is_current() {
    use emaillint::rules::gate;
    use std::collections::BTreeMap;
    let set = RuleSet::load(&[], true).expect("built-in pack");
    let mut want: BTreeMap<String, gate::Ahead<String>> = BTreeMap::new();
    for i in 0..set.matchers.pattern_count() {
        let p = set.matchers.pattern_source(i);
        want.insert(p.to_string(), gate::Ahead::of(p));
    }
    let bytes = gate::write_gates(&want);
    // It reads back as written.
    let back = gate::read_gates(&bytes).expect("reads");
    assert_eq!(back.len(), want.len());
    for (p, ahead) in &want {
        let read = back.get(p.as_str()).map(|a| gate::Ahead {
            clauses: a
                .clauses
                .iter()
                .map(|l| l.iter().map(|s| s.to_string()).collect())
                .collect(),
            uniform: a.uniform,
        });
        assert_eq!(read.as_ref(), Some(ahead), "{p}");
    }
    current_or_update(
        concat!(env!("CARGO_MANIFEST_DIR"), "/rules/gates.bin"),
        &bytes,
        gate::BUILTIN_GATES,
    );
}

/// The greeting rule's whole-line pattern counts only in the greeting, so
/// linting searches only the greeting's line with it (and the subject's
/// and signature's, whose rules list it too), while `explain` traces it
/// over every line. Both find the greeting, also one run into the first
/// sentence, where the line holds more than the greeting.
#[test]
fn a_pattern_counted_in_one_region_searches_its_lines_and_explain_sees_all() {
    let linter = emaillint::Linter::builtin().expect("built-in pack");
    let index = linter
        .rules()
        .rules
        .iter()
        .position(|r| r.id == "greeting")
        .expect("a greeting rule");
    for (text, greeting) in [
        (
            "Dear Ms. Park,\n\nThank you for meeting me.\n\nBest regards,\nSam Lee\n",
            "Dear Ms. Park,",
        ),
        (
            "John, thank you for meeting me yesterday.\n\nBest regards,\nSam Lee\n",
            "John,",
        ),
    ] {
        let report = linter.lint(text, Format::Text);
        let check = report
            .checks
            .iter()
            .find(|c| c.rule == "greeting")
            .expect("the greeting check");
        assert!(check.passed, "{text:?}");
        let evidence = check.evidence.map(|s| &text[s.range()]);
        assert_eq!(evidence, Some(greeting), "{text:?}");
        let doc = linter.parse(text, Format::Text);
        let traced: Vec<(&str, emaillint::Verdict)> = linter
            .trace(&doc, index)
            .into_iter()
            .map(|h| (&text[h.span.range()], h.verdict))
            .collect();
        assert!(
            traced.contains(&("Sam Lee", emaillint::Verdict::OutOfScope)),
            "{traced:?}"
        );
    }
}
