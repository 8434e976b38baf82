//! Broken rule and config files are reported like compiler errors on the
//! YAML: each mistake with its message, at the node it is about.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use codespan_reporting::term::termcolor::NoColor;
use emaillint::RuleSet;
use emaillint::config::{self, Overrides};
use emaillint::report::render_rule_errors;

const GOOD_RULE: &str =
    "  - id: good\n    kind: forbid\n    message: no {match}\n    phrases: [whatever]\n";

/// (name, rule file text, expected substring of the first error, the text the span covers)
const RULE_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "yaml syntax",
        "rules:\n  - id: a\n    kind: forbid\n    message: \"unclosed\n",
        "found unexpected end of stream",
        "",
    ),
    (
        "unknown key",
        "rules:\n  - id: a\n    kind: forbid\n    sevrity: error\n    message: m\n    phrases: [x]\n",
        "unknown key `sevrity`",
        "sevrity",
    ),
    (
        "wrong type",
        "rules:\n  - id: a\n    kind: limit\n    message: m\n    max_words: lots\n",
        "`max_words` should be a number, not the text \"lots\"",
        "lots",
    ),
    (
        "unknown kind",
        "rules:\n  - id: a\n    kind: forbidd\n    message: m\n",
        "unknown value `forbidd` for `kind`",
        "forbidd",
    ),
    (
        "bad regex",
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    patterns: ['(unclosed']\n",
        "this regex does not compile",
        "'(unclosed'",
    ),
    (
        "duplicate id",
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    phrases: [x]\n  - id: a\n    kind: forbid\n    message: m\n    phrases: [y]\n",
        "duplicate rule id `a`",
        "a",
    ),
    (
        "key not for kind",
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    phrases: [x]\n    max_words: 3\n",
        "`max_words`",
        "max_words",
    ),
    (
        "missing matcher",
        "rules:\n  - id: a\n    kind: require\n    message: m\n",
        "needs `phrases`, `patterns` or `lists`",
        "",
    ),
    (
        "id not kebab",
        "rules:\n  - id: My Rule\n    kind: forbid\n    message: m\n    phrases: [x]\n",
        "is not kebab-case",
        "My Rule",
    ),
    (
        "unknown list",
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    lists: [nope]\n",
        "`nope`",
        "nope",
    ),
    (
        "unknown message placeholder",
        "rules:\n  - id: a\n    kind: forbid\n    message: no {matched}\n    phrases: [x]\n",
        "{matched}",
        "",
    ),
    (
        "negative bound",
        "rules:\n  - id: a\n    kind: limit\n    message: m\n    scope: body\n    max_words: -5\n",
        "zero or more",
        "-5",
    ),
    (
        "bad scope",
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    scope: footer\n    phrases: [x]\n",
        "unknown value `footer` for `scope`",
        "footer",
    ),
    (
        "empty phrase",
        "rules:\n  - id: a\n    kind: forbid\n    message: m\n    phrases: ['']\n",
        "empty",
        "''",
    ),
    (
        "not a list of rules",
        "rules: {id: a}\n",
        "`rules` should be a list, not a mapping (`key: value` lines)",
        "",
    ),
];

/// (name, config text, expected substring, the text the span covers)
const CONFIG_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "config unknown key",
        "rule:\n  length: off\n",
        "unknown key `rule`",
        "rule",
    ),
    (
        "config unknown rule",
        "rules:\n  refrences: off\n",
        "unknown rule `refrences`",
        "refrences",
    ),
    (
        "config tunable not for rule",
        "rules:\n  thanks: {max_words: 3}\n",
        "`max_words` does not apply to `thanks`",
        "max_words",
    ),
    (
        "config bad level",
        "rules:\n  references: loud\n",
        "unknown value `loud` for `references`",
        "loud",
    ),
    (
        "config bad date",
        "interview: next tuesday\n",
        "`next tuesday` is not a date",
        "next tuesday",
    ),
    (
        "config unknown profile",
        "profile: thank-yuo\n",
        "unknown profile `thank-yuo`",
        "thank-yuo",
    ),
    (
        "config syntax",
        "rules:\n  length: {max_words: 150\n",
        "did not find expected ',' or '}'",
        "",
    ),
];

fn render(
    files: &[emaillint::source::SourceFile],
    errors: &[emaillint::rules::load::RuleError],
) -> String {
    let mut out = NoColor::new(Vec::new());
    render_rule_errors(&mut out, files, errors).unwrap();
    String::from_utf8(out.into_inner()).unwrap()
}

#[test]
fn broken_rule_files() {
    let mut all = String::new();
    for (name, text, expected, covers) in RULE_CASES {
        let good = format!("rules:\n{GOOD_RULE}");
        let err = RuleSet::from_sources([("good.yaml", good.as_str()), ("broken.yaml", *text)])
            .expect_err(name);
        let first = &err.errors[0];
        // Every case names what its error must say (`contains("")` would
        // accept anything).
        assert!(!expected.is_empty(), "{name}: give the expected message");
        assert!(
            first.message.contains(expected) || first.notes.iter().any(|n| n.contains(expected)),
            "{name}: {first:?}"
        );
        assert_eq!(err.files[first.file].name, "broken.yaml", "{name}");
        if !covers.is_empty() {
            let span = first.span.unwrap_or_else(|| panic!("{name}: no span"));
            assert_eq!(&text[span.range()], *covers, "{name}");
        }
        all.push_str(&format!(
            "=== {name}\n{}\n",
            render(&err.files, &err.errors)
        ));
    }
    insta::assert_snapshot!("broken_rule_files", all);
}

#[test]
fn broken_config_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = String::new();
    for (name, text, expected, covers) in CONFIG_CASES {
        let path = dir.path().join(".emaillint.yaml");
        std::fs::write(&path, text).unwrap();
        let err = match config::resolve(Some(&path), &Overrides::default()) {
            Err(config::ConfigError::Files(e)) => e,
            other => panic!("{name}: expected a file error, got {other:?}"),
        };
        let first = &err.errors[0];
        // Every case names what its error must say (`contains("")` would
        // accept anything).
        assert!(!expected.is_empty(), "{name}: give the expected message");
        assert!(
            first.message.contains(expected) || first.notes.iter().any(|n| n.contains(expected)),
            "{name}: {first:?}"
        );
        if !covers.is_empty() {
            let span = first.span.unwrap_or_else(|| panic!("{name}: no span"));
            assert_eq!(&text[span.range()], *covers, "{name}");
        }
        let mut files = err.files.clone();
        for f in &mut files {
            f.name = ".emaillint.yaml".into();
        }
        all.push_str(&format!("=== {name}\n{}\n", render(&files, &err.errors)));
    }
    insta::assert_snapshot!("broken_config_files", all);
}

#[test]
fn every_yaml_mistake_in_a_rule_file_is_reported_in_one_run_in_file_order() {
    // Before: the first unknown key hid the rest, a bad `kind` hid
    // everything after it, and messages named Rust types.
    let text = "rules:\n  - id: a\n    kind: forbid\n    message: m\n    phrases: [x]\n    severty: warning\n  - id: b\n    kind: forbidd\n    message: m\n    phrases: [y]\n  - id: c\n    kind: limit\n    message: m\n    max_words: lots\n  - kind: forbid\n    message: m\n    phrases: [z]\n";
    let err = RuleSet::from_sources([("x.yaml", text)]).unwrap_err();
    let got: Vec<(&str, &str)> = err
        .errors
        .iter()
        .map(|e| (e.message.as_str(), &text[e.span.unwrap().range()]))
        .collect();
    assert_eq!(
        got,
        vec![
            ("unknown key `severty`", "severty"),
            ("unknown value `forbidd` for `kind`", "forbidd"),
            (
                "`max_words` should be a number, not the text \"lots\"",
                "lots"
            ),
            ("missing key `id`", ""),
        ]
    );
    assert_eq!(err.errors[0].notes, vec!["did you mean `severity`?"]);
    assert_eq!(err.errors[1].notes, vec!["did you mean `forbid`?"]);
    let shown = render(&err.files, &err.errors);
    for internal in ["struct", "RuleFile", "RuleSpec", "variant", "field", "f64"] {
        assert!(!shown.contains(internal), "{internal}: {shown}");
    }
    // A file that is a list, not a mapping.
    let err = RuleSet::from_sources([("x.yaml", "- a\n- b\n")]).unwrap_err();
    assert_eq!(
        err.errors[0].message,
        "the file should be a mapping (`key: value` lines), not a list"
    );
}

#[test]
fn a_tab_in_yaml_is_explained_plainly() {
    let text = "rules:\n\t- id: a\n";
    let err = RuleSet::from_sources([("x.yaml", text)]).unwrap_err();
    assert_eq!(err.errors.len(), 1);
    assert_eq!(
        err.errors[0].message,
        "a tab in the indentation: YAML indents with spaces only"
    );
    assert_eq!(&text[err.errors[0].span.unwrap().range()], "\t");
}

#[test]
fn a_regex_error_shows_the_pattern_as_written() {
    let text = "rules:\n  - id: a\n    kind: forbid\n    message: m\n    patterns: ['(unclosed']\n";
    let err = RuleSet::from_sources([("x.yaml", text)]).unwrap_err();
    let shown = render(&err.files, &err.errors);
    assert!(shown.contains("(unclosed"), "{shown}");
    assert!(!shown.contains("(?i)"), "{shown}");
}

#[test]
fn every_mistake_in_a_config_is_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".emaillint.yaml");
    std::fs::write(
        &path,
        "profle: thank-you\nrules:\n  references: loud\n  thanks: {severity: error, max_wrds: 3}\nignore: 3\n",
    )
    .unwrap();
    let err = match config::resolve(Some(&path), &Overrides::default()) {
        Err(config::ConfigError::Files(e)) => e,
        other => panic!("expected a file error, got {other:?}"),
    };
    let messages: Vec<&str> = err.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "unknown key `profle`",
            "unknown value `loud` for `references`",
            "unknown key `max_wrds`",
            "`ignore` should be a list, not the number 3",
        ]
    );
}

#[test]
fn insert_must_name_one_rule_that_exists() {
    let rule = |insert: &str| {
        format!(
            "rules:\n  - id: a\n    kind: require\n    message: m\n    phrases: [x]\n    suggestion: X.\n    insert: {insert}\n  - id: thanks\n    kind: require\n    message: m\n    phrases: [thank]\n"
        )
    };
    let text = rule("{after: thank}");
    let err = RuleSet::from_sources([("x.yaml", text.as_str())]).unwrap_err();
    assert_eq!(err.errors[0].message, "`insert` names unknown rule `thank`");
    assert_eq!(&text[err.errors[0].span.unwrap().range()], "thank");
    assert_eq!(err.errors[0].notes, vec!["did you mean `thanks`?"]);
    let text = rule("{after: thanks, before: thanks}");
    let err = RuleSet::from_sources([("x.yaml", text.as_str())]).unwrap_err();
    assert_eq!(
        err.errors[0].message,
        "`insert` needs one of `after` or `before`"
    );
    let text = rule("{after: thanks}");
    assert!(RuleSet::from_sources([("x.yaml", text.as_str())]).is_ok());
}

#[test]
fn every_error_in_a_file_is_reported_together() {
    let text = "rules:\n  - id: a\n    kind: forbid\n    message: m\n    patterns: ['(']\n  - id: b\n    kind: forbid\n    message: m\n    lists: [nope]\n";
    let err = RuleSet::from_sources([("x.yaml", text)]).unwrap_err();
    assert_eq!(err.errors.len(), 2, "{err}");
}
