//! Reporters: one per output format, behind one trait.
//!
//! Linting produces a [`Linted`] per draft (or an [`InputError`] for a file
//! that could not be read). A [`Reporter`] writes them out: `human.rs`
//! through codespan-reporting, `json.rs` as one documented JSON document,
//! `sarif.rs` as SARIF 2.1.0, `github.rs` as GitHub Actions annotations and
//! `concise.rs` as one line per diagnostic.

mod concise;
mod github;
mod human;
pub mod json;
mod sarif;

use crate::diagnostic::{Check, FileReport};
use crate::document::Format;
use crate::rules::RuleSet;
use crate::rules::model::Severity;
use crate::source::SourceFile;
use codespan_reporting::term::termcolor::WriteColor;
use std::io;

pub use human::{Human, render_rule_errors};

/// A draft that was linted.
#[derive(Debug)]
pub struct Linted {
    /// The path as given (or as found while walking a directory); `-` for stdin.
    pub source: SourceFile,
    pub format: Format,
    pub report: FileReport,
    /// Fixes written back to the file.
    pub fixed: usize,
    /// The rules it was linted with (configs differ between directories).
    pub rules: std::sync::Arc<RuleSet>,
}

/// A draft that could not be read.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

/// The outcome for one input, in input order.
#[derive(Debug)]
pub enum Outcome {
    Linted(Box<Linted>),
    Failed(InputError),
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub unreadable: usize,
    pub fixed: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            match o {
                Outcome::Linted(l) => {
                    s.files += 1;
                    s.errors += l.report.count(Severity::Error);
                    s.warnings += l.report.count(Severity::Warning);
                    s.infos += l.report.count(Severity::Info);
                    s.fixed += l.fixed;
                }
                Outcome::Failed(_) => s.unreadable += 1,
            }
        }
        s
    }
}

/// What reporters need besides the outcomes.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    /// Print the per-file checklist and the summary (human output).
    pub checklist: bool,
}

/// Writes outcomes in one format.
pub trait Reporter: Sync {
    /// Render one linted file into `out`. Called in parallel for different
    /// files, each with its own buffer; buffers are written in input order.
    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, cx: &Context) -> io::Result<()>;

    /// After all files: anything that needs the whole run (a JSON document,
    /// a summary line).
    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        cx: &Context,
    ) -> io::Result<()>;
}

/// The reporter for a `--format` value.
pub fn reporter(format: OutputFormat) -> Box<dyn Reporter> {
    match format {
        OutputFormat::Human => Box::new(Human),
        OutputFormat::Json => Box::new(json::Json),
        OutputFormat::Sarif => Box::new(sarif::Sarif),
        OutputFormat::Github => Box::new(github::Github),
        OutputFormat::Concise => Box::new(concise::Concise),
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Compiler-style diagnostics with source excerpts, a checklist per file and a summary.
    Human,
    /// One JSON document (schema in docs/json.md).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// One line per diagnostic: `path:line:col: severity[rule] message`.
    Concise,
}

/// The checklist entries of a report, in rule order: (label, passed, check).
pub fn checklist<'a>(report: &'a FileReport, rules: &'a RuleSet) -> Vec<(&'a str, &'a Check)> {
    rules
        .rules
        .iter()
        .filter_map(|r| {
            let label = r.checklist.as_deref()?;
            let check = report.checks.iter().find(|c| c.rule == r.id)?;
            Some((label, check))
        })
        .collect()
}
