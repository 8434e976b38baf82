//! The one pipeline a lint goes through: document → engine → suppression.
//! [`crate::Linter`] and the fix loop both call it; it calls nothing above
//! the engine.

use crate::diagnostic::FileReport;
use crate::document::{Document, Format};
use crate::engine::{self, Settings};
use crate::rules::RuleSet;

/// Lint a parsed draft: the rules, then suppression comments.
pub(crate) fn lint(doc: &Document, set: &RuleSet, settings: &Settings) -> FileReport {
    let mut report = engine::lint(doc, set, settings);
    crate::suppress::apply(doc, set, &mut report);
    report
}

/// Parse `text` as `format`. A long draft's matchers are warmed on a
/// second thread meanwhile (`Matchers::warm_for_long_text`: the regexes
/// and automata its search will build), where a thread can start; the
/// document is the same either way.
pub(crate) fn parse(text: &str, format: Format, set: &RuleSet) -> Document {
    if text.len() < crate::rules::pattern::LONG_TEXT {
        return Document::parse(text, format, &set.vocab);
    }
    std::thread::scope(|scope| {
        let warm = std::thread::Builder::new()
            .spawn_scoped(scope, || set.matchers.warm_for_long_text(text));
        let doc = Document::parse(text, format, &set.vocab);
        if let Ok(handle) = warm {
            let _ = handle.join();
        }
        doc
    })
}

/// Parse `text` as `format` and lint it.
pub(crate) fn check(
    text: &str,
    format: Format,
    set: &RuleSet,
    settings: &Settings,
) -> (Document, FileReport) {
    let doc = parse(text, format, set);
    let report = lint(&doc, set, settings);
    (doc, report)
}
