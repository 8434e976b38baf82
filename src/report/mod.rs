//! Reporters: one per output format, behind one trait.
//!
//! Linting produces a [`Linted`] per draft (or an [`InputError`] for a file
//! that could not be read). A [`Reporter`] writes them out: `human.rs`
//! through codespan-reporting, `json.rs` as one documented JSON document,
//! `sarif.rs` as SARIF 2.1.0, `github.rs` as GitHub Actions annotations and
//! `concise.rs` as one line per diagnostic.

mod concise;
mod excerpt;
mod github;
mod human;
pub mod json;
mod sarif;

use crate::diagnostic::Severity;
use crate::diagnostic::{Check, FileReport};
use crate::document::Format;
use crate::rules::RuleSet;
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
    /// Diagnostics left out of `report` by `--max-diagnostics`, by severity.
    pub omitted: Omitted,
    /// Something went wrong after reading (fixes that could not be written):
    /// reported as an error, and the exit code is 2.
    pub error: Option<String>,
    /// Fixes `--fix` would still apply to the reported text.
    pub fixable: Fixable,
    /// An `.eml` whose body is encoded: `source` is its decoded text, and
    /// every span points into that, not into the file.
    pub decoded: Option<crate::document::email::Decoded>,
}

impl Linted {
    /// Drop what only this file's own output needs (its text, diagnostics
    /// and checklist) once that output is written, keeping what the run's
    /// summary and exit code count: the diagnostics become counts in
    /// `omitted`. A run over many files holds this much of each.
    pub fn release(&mut self) {
        let dropped = count(std::mem::take(&mut self.report.diagnostics));
        self.omitted.errors += dropped.errors;
        self.omitted.warnings += dropped.warnings;
        self.omitted.infos += dropped.infos;
        self.report.checks = Vec::new();
        self.source = SourceFile::new(std::mem::take(&mut self.source.name), String::new());
        self.decoded = None;
    }
}

/// Diagnostics counted by severity.
fn count(diagnostics: impl IntoIterator<Item = crate::diagnostic::Diagnostic>) -> Omitted {
    let mut n = Omitted::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => n.errors += 1,
            Severity::Warning => n.warnings += 1,
            Severity::Info => n.infos += 1,
        }
    }
    n
}

/// Fixes left in a report that `--fix` would apply: safe ones, and those
/// that need `--unsafe-fixes`. A fix `--fix` would refuse is not counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Fixable {
    pub safe: usize,
    pub unsafe_: usize,
}

impl Fixable {
    /// Count the fixes of `report`, leaving out those in `refused`.
    pub fn of(report: &FileReport, refused: &[crate::fix::Refused]) -> Fixable {
        let mut n = Fixable::default();
        for d in &report.diagnostics {
            let Some(f) = &d.fix else { continue };
            if f.edits.is_empty() || crate::fix::is_refused(refused, d) {
                continue;
            }
            match f.applicability {
                crate::diagnostic::Applicability::Safe => n.safe += 1,
                crate::diagnostic::Applicability::Unsafe => n.unsafe_ += 1,
            }
        }
        n
    }
}

/// Diagnostics not shown, counted by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Omitted {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Omitted {
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    pub fn max_severity(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else if self.infos > 0 {
            Some(Severity::Info)
        } else {
            None
        }
    }
}

/// The most related places shown for one diagnostic.
pub const MAX_RELATED: usize = 20;

/// Bound what one file's report prints: at most `max` diagnostics (0: all;
/// the rest are counted), and at most [`MAX_RELATED`] related places each
/// (the rest become a note).
pub fn limit(report: &mut FileReport, max: usize) -> Omitted {
    let mut omitted = Omitted::default();
    if max > 0 && report.diagnostics.len() > max {
        omitted = count(report.diagnostics.drain(max..));
    }
    for d in &mut report.diagnostics {
        if d.related.len() > MAX_RELATED {
            let n = d.related.len() - MAX_RELATED;
            d.related.truncate(MAX_RELATED);
            d.notes.push(format!(
                "and {n} more related place{} not shown",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    omitted
}

/// For a decoded email (see [`Linted::decoded`]), where `span` is in the
/// decoded text, for formats that can only point at the file's lines:
/// " (line 7, column 3 of the decoded text)". `None` for any other draft.
pub fn decoded_place(linted: &Linted, span: crate::span::Span) -> Option<String> {
    linted.decoded.as_ref()?;
    let at = linted.source.line_col(span.start);
    Some(format!(
        " (line {}, column {} of the decoded text)",
        at.line, at.column
    ))
}

/// A mistake in a config or rule file, or on the command line, that
/// stopped a run before anything was linted: where it is, for the
/// machine-readable formats.
#[derive(Debug, Clone)]
pub struct ConfigProblem {
    /// The broken file (`None`: a bad option value on the command line).
    pub path: Option<String>,
    pub at: Option<crate::source::LineCol>,
    pub end: Option<crate::source::LineCol>,
    pub message: String,
}

impl ConfigProblem {
    /// Every mistake of a config error, with its place.
    pub fn of(e: &crate::config::ConfigError) -> Vec<ConfigProblem> {
        match e {
            crate::config::ConfigError::Usage(m) => vec![ConfigProblem {
                path: None,
                at: None,
                end: None,
                message: m.clone(),
            }],
            crate::config::ConfigError::Files(load) => load
                .errors
                .iter()
                .map(|err| {
                    let file = load.files.get(err.file);
                    let place =
                        |at: fn(&crate::span::Span) -> usize| Some(file?.line_col(at(&err.span?)));
                    ConfigProblem {
                        path: file.map(|f| f.name.clone()),
                        at: place(|s| s.start),
                        end: place(|s| s.end),
                        message: std::iter::once(match &err.label {
                            Some(l) => format!("{} ({l})", err.message),
                            None => err.message.clone(),
                        })
                        .chain(err.notes.iter().cloned())
                        .collect::<Vec<_>>()
                        .join("; "),
                    }
                })
                .collect(),
        }
    }
}

/// The document a machine-readable format writes when a config or rule
/// file is broken and nothing was linted: JSON with an `errors` entry per
/// mistake (`path`, `line`, `column`, `message`), SARIF with a failed
/// invocation and a notification at each, GitHub `::error` commands on the
/// broken files. `None` for the formats meant for people (the mistakes are
/// on stderr).
pub fn config_failure(format: OutputFormat, problems: &[ConfigProblem]) -> Option<String> {
    match format {
        OutputFormat::Json => {
            let mut doc = json::to_value(&[]);
            let errors: Vec<serde_json::Value> = problems
                .iter()
                .map(|p| {
                    let mut e = serde_json::json!({
                        "path": p.path.as_deref().unwrap_or("<command line>"),
                        "message": p.message,
                    });
                    if let Some(at) = p.at {
                        e["line"] = at.line.into();
                        e["column"] = at.column.into();
                    }
                    e
                })
                .collect();
            doc["errors"] = errors.into();
            Some(format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ))
        }
        OutputFormat::Sarif => Some(sarif::config_failure(problems)),
        OutputFormat::Github => Some(github::config_failure(problems)),
        OutputFormat::Human | OutputFormat::Concise => None,
    }
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
    /// Not in JSON: the human summary's "N fixable with --fix".
    #[serde(skip)]
    pub fixable: Fixable,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            match o {
                Outcome::Linted(l) => {
                    s.files += 1;
                    s.errors += l.report.count(Severity::Error) + l.omitted.errors;
                    s.warnings += l.report.count(Severity::Warning) + l.omitted.warnings;
                    s.infos += l.report.count(Severity::Info) + l.omitted.infos;
                    s.fixed += l.fixed;
                    s.fixable.safe += l.fixable.safe;
                    s.fixable.unsafe_ += l.fixable.unsafe_;
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
    /// The terminal's width: human output cuts long source lines to fit.
    pub columns: usize,
}

/// Writes outcomes in one format: [`begin`](Reporter::begin), then each
/// linted file's [`file`](Reporter::file) in input order with
/// [`separator`](Reporter::separator) between them, then
/// [`finish`](Reporter::finish). [`render`] does that in order.
pub trait Reporter: Sync {
    /// Before any file: the head of a document (JSON). Nothing by default.
    fn begin(&self, _out: &mut dyn WriteColor, _cx: &Context) -> io::Result<()> {
        Ok(())
    }

    /// Render one linted file into `out`. Called in parallel for different
    /// files, each with its own buffer; buffers are written in input order.
    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, cx: &Context) -> io::Result<()>;

    /// Written between the output of two linted files (JSON: a comma).
    /// Nothing by default.
    fn separator(&self) -> &'static [u8] {
        b""
    }

    /// After all files: anything that needs the whole run (a JSON document,
    /// a summary line).
    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        cx: &Context,
    ) -> io::Result<()>;

    /// Whether [`finish`](Reporter::finish) needs each file's diagnostics
    /// and text (SARIF, written whole at the end). When not, the command
    /// line [releases](Linted::release) each file once it is written.
    fn needs_files_at_finish(&self) -> bool {
        false
    }
}

/// Write a whole run with `reporter`, one file after another (the command
/// line renders files in parallel, then writes them in this order).
pub fn render(
    reporter: &dyn Reporter,
    out: &mut dyn WriteColor,
    outcomes: &[Outcome],
    cx: &Context,
) -> io::Result<()> {
    reporter.begin(out, cx)?;
    let mut first = true;
    for o in outcomes {
        if let Outcome::Linted(l) = o {
            if !first {
                out.write_all(reporter.separator())?;
            }
            first = false;
            let cx = Context {
                rules: &l.rules,
                ..*cx
            };
            reporter.file(out, l, &cx)?;
        }
    }
    reporter.finish(out, outcomes, cx)
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Escape what a terminal would act on rather than show (C0 and C1 control
/// characters, DEL, bidirectional overrides) in text from a draft, a file
/// name or a rule file: `\u{1b}`. Tabs and line breaks stay.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A character a terminal may act on: a control character other than tab,
/// line feed and carriage return, or a bidirectional override or isolate.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character replaced by one of the same UTF-8
/// length (`?` for one byte, `¿` for two, U+FFFD for three), so that every
/// byte offset, line and column stays the same: the text excerpts of human
/// output are drawn from this copy.
pub fn displayable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if !is_unsafe_char(c) {
                    c
                } else {
                    match c.len_utf8() {
                        1 => '?',
                        2 => '\u{BF}',
                        _ => '\u{FFFD}',
                    }
                }
            })
            .collect(),
    )
}

/// An entry of the per-file checklist: a rule with a `checklist` label
/// that ran on the draft, and its outcome.
#[derive(Debug, Clone, Copy)]
pub struct ChecklistItem<'a> {
    pub label: &'a str,
    pub check: &'a Check,
}

/// The checklist entries of a report, in rule order. A rule that did not
/// run (off in the profile, the config or the command line) has no check,
/// so it is not listed.
pub fn checklist<'a>(report: &'a FileReport, rules: &'a RuleSet) -> Vec<ChecklistItem<'a>> {
    rules
        .rules
        .iter()
        .filter_map(|r| {
            let label = r.checklist.as_deref()?;
            let check = report.checks.iter().find(|c| c.rule == r.id)?;
            Some(ChecklistItem { label, check })
        })
        .collect()
}
