//! The library's one way through: text → [`Document`] → compiled rules →
//! engine → suppression → [`FileReport`].
//!
//! A [`Linter`] is built once from a compiled [`RuleSet`] and the
//! [`Settings`] to run it with, then lints any number of in-memory drafts.
//! Building one is cheap (the rules are shared through an `Arc`), and
//! linting never recompiles anything, so an editor can re-lint on every
//! keystroke. The command line, `explain`, `rules check`, the accuracy
//! harness and the language server all go through it.
//!
//! ```
//! use emaillint::{Format, Linter};
//!
//! let linter = Linter::builtin().expect("the built-in rules load");
//! let report = linter.lint("Dear Sam,\n\nThank you.\n\nBest,\nAlex\n", Format::Text);
//! assert!(report.diagnostics.iter().any(|d| d.rule == "interest"));
//! ```

pub mod examples;

use crate::diagnostic::FileReport;
use crate::document::{Document, Format};
use crate::engine::{self, Settings, TraceHit};
use crate::fix::Fixed;
use crate::problem::LoadError;
use crate::rules::RuleSet;
use std::sync::Arc;

/// Compiled rules and the settings they run with.
#[derive(Debug, Clone)]
pub struct Linter {
    rules: Arc<RuleSet>,
    settings: Settings,
}

impl Linter {
    /// A linter for `rules` with `settings` (one entry per rule, as
    /// [`Settings::defaults`] or [`crate::config::resolve`] make them).
    pub fn new(rules: Arc<RuleSet>, settings: Settings) -> Linter {
        Linter { rules, settings }
    }

    /// The built-in rules at their default settings.
    pub fn builtin() -> Result<Linter, &'static LoadError> {
        let rules = RuleSet::builtin()?;
        Ok(Linter::new(rules.clone(), Settings::defaults(rules)))
    }

    /// The same rules with other settings (the rules are shared, not copied).
    pub fn with_settings(&self, settings: Settings) -> Linter {
        Linter::new(self.rules.clone(), settings)
    }

    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Parse `text` (a whole file, BOM included) as `format`.
    pub fn parse(&self, text: &str, format: Format) -> Document {
        Document::parse(text, format, &self.rules.vocab)
    }

    /// Lint in-memory `text` read as `format`.
    pub fn lint(&self, text: &str, format: Format) -> FileReport {
        self.lint_document(&crate::pipeline::parse(text, format, &self.rules))
    }

    /// Lint a parsed draft: the rules, then suppression comments.
    pub fn lint_document(&self, doc: &Document) -> FileReport {
        crate::pipeline::lint(doc, &self.rules, &self.settings)
    }

    /// Parse and lint `text`, keeping the document.
    pub fn check(&self, text: &str, format: Format) -> (Document, FileReport) {
        let doc = crate::pipeline::parse(text, format, &self.rules);
        let report = self.lint_document(&doc);
        (doc, report)
    }

    /// Apply the fixes of `text`'s diagnostics that make it better (safe
    /// ones; with `unsafe_fixes`, suggested insertions too). See
    /// [`crate::fix::fix`].
    pub fn fix(&self, text: &str, format: Format, unsafe_fixes: bool) -> Fixed {
        crate::fix::fix(text, format, &self.rules, &self.settings, unsafe_fixes)
    }

    /// [`Linter::fix`] of a text this linter has just linted: `report` is
    /// what [`Linter::lint`] gave for it, so it is not linted again.
    pub fn fix_linted(
        &self,
        text: &str,
        format: Format,
        report: FileReport,
        unsafe_fixes: bool,
    ) -> Fixed {
        crate::fix::fix_linted(
            text,
            report,
            format,
            &self.rules,
            &self.settings,
            unsafe_fixes,
        )
    }

    /// Every trigger match of the rule at `index` in `doc`, and whether it
    /// counted (`emaillint explain`).
    pub fn trace(&self, doc: &Document, index: usize) -> Vec<TraceHit> {
        engine::trace(doc, &self.rules, &self.settings, index)
    }
}
