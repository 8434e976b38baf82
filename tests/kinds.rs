//! The kind table (`src/rules/kinds.rs`) is the one description of each
//! kind: these tests keep the rule format, the docs and the table in step.

use emaillint::rules::kinds::{COMMON_KEYS, KINDS};
use emaillint::rules::model::{Bound, Kind, RuleSetting, RuleSpec};

/// The fields `RuleSpec` accepts, as serde lists them for an unknown one.
fn rule_fields() -> Vec<String> {
    let err = serde_yaml::from_str::<RuleSpec>("{id: a, kind: forbid, message: m, zzz: 1}")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let list = err
        .split_once("expected one of ")
        .map(|(_, l)| l)
        .unwrap_or_default();
    list.split(", ")
        .map(|f| {
            f.trim_matches(|c: char| c == '`' || c.is_whitespace())
                .split('`')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|f| !f.is_empty())
        .collect()
}

#[test]
fn every_key_of_the_table_is_a_rule_field_and_back() {
    let fields = rule_fields();
    assert!(fields.len() > 20, "{fields:?}");
    for k in KINDS {
        for key in k.allowed_keys() {
            assert!(fields.iter().any(|f| f == key), "{}: {key}", k.name);
        }
    }
    for f in &fields {
        let used = COMMON_KEYS.contains(&f.as_str()) || KINDS.iter().any(|k| k.takes(f));
        assert!(used, "rule field `{f}` is in no kind's keys");
    }
}

#[test]
fn kind_names_are_the_yaml_names() {
    for k in KINDS {
        let parsed: Kind = serde_yaml::from_str(k.name).expect(k.name);
        assert_eq!(parsed, k.kind);
        assert_eq!(parsed.as_str(), k.name);
    }
}

#[test]
fn every_bound_reads_from_rules_and_configs() {
    for &b in Bound::ALL {
        let yaml = format!("{{id: a, kind: limit, message: m, {}: 7}}", b.key());
        let spec: RuleSpec = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(spec.bounds().get(b), Some(7.0), "{b}");
        assert_eq!(spec.bounds().iter().count(), 1, "{b}");
        let setting: RuleSetting =
            serde_yaml::from_str(&format!("{{severity: error, {}: 7}}", b.key()))
                .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(setting.tunables.get(b), Some(7.0), "{b}");
        assert_eq!(Bound::from_key(b.key()), Some(b));
        assert!(KINDS.iter().any(|k| k.accepts(b)), "no kind accepts `{b}`");
    }
}

/// `docs/rules.md` holds the table generated from `KINDS`; run with
/// `UPDATE_DOCS=1` to rewrite it.
#[test]
fn docs_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let docs = std::fs::read_to_string(path).expect("docs/rules.md");
    let (start, end) = ("<!-- kinds-table:start -->\n", "<!-- kinds-table:end -->");
    let a = docs.find(start).expect("start marker") + start.len();
    let b = docs.find(end).expect("end marker");
    let table = emaillint::rules::kinds::KindInfo::docs_table();
    if docs[a..b] != table {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let new = format!("{}{table}{}", &docs[..a], &docs[b..]);
            std::fs::write(path, new).expect("write docs/rules.md");
        } else {
            panic!(
                "docs/rules.md's kind table is stale; run `UPDATE_DOCS=1 cargo test --test kinds`:\n{table}"
            );
        }
    }
}

#[test]
fn a_kind_without_its_bound_names_the_bounds_it_takes() {
    for (kind, want) in [
        (
            "limit",
            "a `limit` rule needs a bound: `max_words`, `min_words`, `max_sentences`, `min_sentences`, `max_paragraphs`, `min_paragraphs`, `max_count`, `min_count` or `max_grade`",
        ),
        (
            "budget",
            "a `budget` rule needs `max_words` or `max_sentences`",
        ),
        ("timing", "a `timing` rule needs `min_days` or `max_days`"),
    ] {
        let trigger = if kind == "budget" {
            "phrases: [x]\n"
        } else {
            ""
        };
        let yaml = format!("rules:\n  - id: a\n    kind: {kind}\n    message: m\n    {trigger}");
        let err = emaillint::RuleSet::from_sources([("r.yaml", yaml.as_str())])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(want), "{kind}: {err}");
    }
}
