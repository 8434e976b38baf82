//! emaillint: a fast, rule-based linter for drafted emails.
//!
//! The way through, for the command line, the language server and any
//! embedder alike: bytes are decoded ([`source::decode`]) into text; a
//! [`Linter`] (compiled [`RuleSet`] plus [`Settings`], built once, from
//! [`config::resolve`] or [`Linter::builtin`]) parses the text into a
//! [`Document`] and lints it into a [`FileReport`] of [`Diagnostic`]s with
//! byte spans; a reporter in [`report`] writes reports out. See
//! ARCHITECTURE.md.
//!
//! Modules marked hidden in the docs (`yaml`, the rule compiler's parts)
//! are public only so that this crate's tests, benches and fuzz targets can
//! reach them; they are not an interface.

pub mod accuracy;
pub mod config;
pub mod diagnostic;
pub mod document;
mod engine;
pub mod fix;
pub mod input;
pub mod linter;
mod pipeline;
pub mod problem;
pub mod report;
pub mod rules;
pub mod skeleton;
pub mod source;
pub mod span;
mod suggest;
mod suppress;
#[doc(hidden)]
pub mod yaml;

pub use diagnostic::Severity;
pub use diagnostic::{Diagnostic, FileReport};
pub use document::{Document, Format};
pub use engine::{Date, RuleConfig, Settings, TraceHit, TracePart, Verdict};
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
