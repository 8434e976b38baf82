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

/// Parse `text` as `format` and lint it.
pub(crate) fn check(
    text: &str,
    format: Format,
    set: &RuleSet,
    settings: &Settings,
) -> (Document, FileReport) {
    let doc = Document::parse(text, format, &set.vocab);
    let report = lint(&doc, set, settings);
    (doc, report)
}
