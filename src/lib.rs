//! emaillint: a fast, rule-based linter for drafted emails.
//!
//! Bytes become a [`document::Document`] (the email's parts, with exact byte
//! spans), a [`rules::RuleSet`] (YAML rules compiled into shared matchers)
//! checks it in [`engine::lint`], and a reporter in [`report`] prints the
//! resulting [`diagnostic::FileReport`]. See ARCHITECTURE.md.

pub mod accuracy;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod fix;
pub mod input;
pub mod linter;
mod pipeline;
pub mod problem;
pub mod report;
pub mod rules;
pub mod source;
pub mod span;
pub mod suppress;
pub mod yaml;

pub use diagnostic::Severity;
pub use diagnostic::{Diagnostic, FileReport};
pub use document::{Document, Format};
pub use engine::Settings;
pub use linter::Linter;
pub use rules::RuleSet;

/// Parse and lint `text` with `set`, returning the document and its
/// report: [`Linter::check`] without a `Linter` (the same pipeline).
pub fn check(
    text: &str,
    format: Format,
    set: &RuleSet,
    settings: &Settings,
) -> (Document, FileReport) {
    pipeline::check(text, format, set, settings)
}
