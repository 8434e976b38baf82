//! The built-in pack: its public ids, its documentation, its own examples,
//! a pass and a fail fixture per rule, and its accuracy on our corpus.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use emaillint::{Format, RuleSet, Settings, Severity};
use std::path::Path;

fn set() -> &'static RuleSet {
    RuleSet::builtin().expect("the built-in pack loads")
}

/// The rule ids and default severities promised in the 0.1 release notes:
/// a public interface.
const PUBLIC: &[(&str, Severity)] = &[
    ("thanks", Severity::Error),
    ("interest", Severity::Error),
    ("excuse-length", Severity::Warning),
    ("sob-story", Severity::Warning),
    ("exaggeration", Severity::Warning),
    ("desperation", Severity::Warning),
    ("fit", Severity::Warning),
    ("meeting-request", Severity::Error),
    ("convenience", Severity::Info),
    ("references", Severity::Warning),
    ("closing-thanks", Severity::Info),
    ("length", Severity::Warning),
    ("greeting", Severity::Warning),
    ("sign-off", Severity::Warning),
    ("subject", Severity::Info),
    ("placeholder", Severity::Error),
    ("apology-count", Severity::Warning),
];

#[test]
fn public_ids_and_default_severities() {
    for (id, severity) in PUBLIC {
        let rule = set()
            .get(id)
            .unwrap_or_else(|| panic!("rule `{id}` is missing"));
        assert_eq!(rule.severity, *severity, "{id}");
    }
}

#[test]
fn every_rule_is_documented_and_cites_a_seed() {
    let seed = regex::Regex::new(r"\b\d{3}_[0-9a-f]{16}\.txt\b").unwrap();
    for rule in &set().rules {
        assert!(
            rule.help.as_deref().is_some_and(|h| h.len() > 20),
            "{}: help",
            rule.id
        );
        let why = rule.rationale.as_deref().unwrap_or("");
        assert!(
            seed.is_match(why),
            "{}: the rationale must name the seed it comes from",
            rule.id
        );
        assert!(!rule.sources.is_empty(), "{}: sources", rule.id);
        assert!(
            !rule.examples.pass.is_empty() && !rule.examples.fail.is_empty(),
            "{}: needs pass and fail examples",
            rule.id
        );
        assert!(
            rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: kebab-case",
            rule.id
        );
    }
}

#[test]
fn every_example_behaves_as_documented() {
    let (count, failures) = emaillint::linter::examples::check(
        RuleSet::builtin().expect("the built-in pack loads"),
        None,
    );
    assert!(count.examples >= 2 * set().rules.len());
    let list: Vec<String> = failures
        .iter()
        .map(|f| format!("{} {} example {}", f.rule, f.expected, f.index + 1))
        .collect();
    assert!(failures.is_empty(), "{list:#?}");
}

fn lint_file(path: &Path) -> emaillint::FileReport {
    let text = std::fs::read_to_string(path).unwrap();
    emaillint::check(
        &text,
        Format::from_path(path),
        set(),
        &Settings::defaults(set()),
    )
    .1
}

#[test]
fn best_example_is_completely_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = lint_file(&root.join("fixtures/examples/second-chance.txt"));
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    for (id, _) in PUBLIC {
        for (kind, fires) in [("pass", false), ("fail", true)] {
            let path = ["txt", "md"]
                .iter()
                .map(|ext| dir.join(format!("{id}.{kind}.{ext}")))
                .find(|p| p.is_file())
                .unwrap_or_else(|| panic!("fixtures/rules/{id}.{kind}.txt (or .md) is missing"));
            let report = lint_file(&path);
            let fired = report.diagnostics.iter().any(|d| d.rule == *id);
            assert_eq!(
                fired,
                fires,
                "{}: {:#?}",
                path.display(),
                report.diagnostics
            );
        }
    }
}

/// Our own labelled corpus, written for this repository (see its README).
/// Every rule must keep an F1 of at least 0.9 on it.
#[test]
fn accuracy_on_our_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
    let scores =
        emaillint::accuracy::measure(&dir, &emaillint::Linter::builtin().unwrap()).unwrap();
    assert!(
        scores.graded.len() >= 60,
        "the corpus has {} emails",
        scores.graded.len()
    );
    let mut low = Vec::new();
    for (rule, counts) in &scores.per_rule {
        if counts.f1() < 0.9 {
            low.push(format!("{rule}: F1 {:.3} ({counts:?})", counts.f1()));
        }
    }
    let misses: Vec<String> = scores
        .misses()
        .iter()
        .map(|m| {
            format!(
                "{} {} (labelled {})",
                m.graded.entry.file,
                m.rule,
                if m.false_alarm { "passed" } else { "failed" }
            )
        })
        .collect();
    assert!(low.is_empty(), "{low:#?}\nmisses: {misses:#?}");
}
