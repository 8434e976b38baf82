//! Rules that test themselves: every `fail` example must fire its rule and
//! every `pass` example must not (`emaillint rules check`, and `cargo test`
//! for the built-in pack).

use super::Linter;
use crate::diagnostic::Diagnostic;
use crate::document::Format;
use crate::engine::Settings;
use crate::rules::RuleSet;
use crate::span::Span;
use crate::yaml::SpanIndex;
use std::sync::Arc;

/// An example that does not behave as its rule says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    /// `pass` or `fail`; `suggestion` when the rule's `suggestion`, inserted
    /// into this `fail` example, does not satisfy the rule.
    pub expected: &'static str,
    pub index: usize,
    /// The rule file and the span of the example in it.
    pub file: usize,
    pub span: Option<Span>,
    /// For a `pass` example that fired: what it reported.
    pub diagnostics: Vec<Diagnostic>,
    /// The rule has no example of this kind at all (`span` is its id).
    pub missing: bool,
}

/// Totals of a check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExampleCount {
    pub rules: usize,
    pub examples: usize,
}

/// Lint each example as a plain-text draft (Markdown if it opens with
/// front matter) with only its rule enabled.
pub fn check(
    set: &Arc<RuleSet>,
    only_files: Option<&[usize]>,
) -> (ExampleCount, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    let mut count = ExampleCount::default();
    let indexes: Vec<SpanIndex> = set
        .files
        .iter()
        .map(|f| SpanIndex::build(&f.text))
        .collect();
    for (i, rule) in set.rules.iter().enumerate() {
        if only_files.is_some_and(|f| !f.contains(&rule.origin.file)) {
            continue;
        }
        count.rules += 1;
        let linter = Linter::new(set.clone(), Settings::only(set, &rule.id));
        let index = &indexes[rule.origin.file];
        let path = rule_path(index, rule.origin.span);
        for (expected, list) in [("pass", &rule.examples.pass), ("fail", &rule.examples.fail)] {
            if list.is_empty() {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    expected,
                    index: 0,
                    file: rule.origin.file,
                    span: Some(rule.origin.span),
                    diagnostics: Vec::new(),
                    missing: true,
                });
            }
        }
        let cases = rule.examples.pass.iter().map(|t| ("pass", t)).enumerate();
        let fails = rule.examples.fail.iter().map(|t| ("fail", t)).enumerate();
        for (n, (expected, text)) in cases.chain(fails) {
            count.examples += 1;
            let format = if text.starts_with("---") {
                Format::Markdown
            } else {
                Format::Text
            };
            let (_, report) = linter.check(text, format);
            let fired: Vec<Diagnostic> = report
                .diagnostics
                .into_iter()
                .filter(|d| d.rule == rule.id)
                .collect();
            let fires = !fired.is_empty();
            let ok = if expected == "fail" { fires } else { !fires };
            // A fix must fix: the rule's own suggestion, inserted where it
            // says, must take away the diagnostic it was offered for.
            let unsatisfied: Vec<Diagnostic> = if expected == "fail" {
                fired
                    .iter()
                    .filter(|d| {
                        d.fix.as_ref().is_some_and(|f| {
                            let (fixed, n) = crate::diagnostic::apply_fixes(text, [f]);
                            let (_, after) = linter.check(&fixed, format);
                            let left = after
                                .diagnostics
                                .iter()
                                .filter(|a| a.rule == rule.id)
                                .count();
                            n == 1 && left >= fired.len()
                        })
                    })
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            if !ok || !unsatisfied.is_empty() {
                let span = path
                    .as_ref()
                    .and_then(|p| index.value(&format!("{p}.examples.{expected}[{n}]")))
                    .map(|s| {
                        // A block scalar's node runs on to the next key; point at the text.
                        let file = &set.files[rule.origin.file].text;
                        let text = file.get(s.range()).unwrap_or("");
                        Span::new(s.start, s.start + text.trim_end().len())
                    });
                let suggestion = ok && !unsatisfied.is_empty();
                failures.push(ExampleFailure {
                    rule: set.rules[i].id.clone(),
                    expected: if suggestion { "suggestion" } else { expected },
                    index: n,
                    file: rule.origin.file,
                    span,
                    diagnostics: if suggestion { unsatisfied } else { fired },
                    missing: false,
                });
            }
        }
    }
    (count, failures)
}

/// `rules[k]`, the path of the rule whose `id` value is at `id_span`.
pub fn rule_path(index: &SpanIndex, id_span: Span) -> Option<String> {
    (0..10_000)
        .map(|k| (k, index.value(&format!("rules[{k}].id"))))
        .take_while(|(_, s)| s.is_some())
        .find(|(_, s)| *s == Some(id_span))
        .map(|(k, _)| format!("rules[{k}]"))
}
