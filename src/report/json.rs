//! `--format json`: one JSON document per run. The schema is a public
//! interface, documented in docs/json.md; `version` changes when it does.
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": {"name": "emaillint", "version": "0.1.0"},
//!   "files": [{
//!     "path": "draft.txt", "format": "text",
//!     "diagnostics": [{"rule": "references", "severity": "warning", "message": "...",
//!                      "help": "...", "span": {"start": 812, "end": 812},
//!                      "start": {"line": 14, "column": 1}, "end": {"line": 14, "column": 1},
//!                      "label": "...", "related": [], "notes": [], "fix": null}],
//!     "checks": [{"rule": "thanks", "passed": true, "severity": "error",
//!                 "evidence": {"span": {...}, "start": {...}, "end": {...}}}],
//!     "stats": {"words": 143, "sentences": 9, "paragraphs": 4, "reading_time_seconds": 37}
//!   }],
//!   "errors": [{"path": "missing.txt", "message": "no such file"}],
//!   "summary": {"files": 1, "errors": 0, "warnings": 1, "infos": 0, "unreadable": 1, "fixed": 0}
//! }
//! ```

use super::{Context, Linted, Outcome, Reporter, Summary};
use crate::diagnostic::{Applicability, Check, Diagnostic, Stats};
use crate::source::{LineCol, SourceFile};
use crate::span::Span;
use codespan_reporting::term::termcolor::WriteColor;
use serde::Serialize;
use std::io;

/// The schema version. Bump it, and say why in CHANGELOG.md, when a field
/// changes meaning or is removed. Adding a field does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug)]
pub struct Json;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    errors: Vec<Error<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    format: crate::document::Format,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    checks: Vec<JsonCheck<'a>>,
    stats: Stats,
    /// Diagnostics left out by `--max-diagnostics` (only when there are some).
    #[serde(skip_serializing_if = "is_zero")]
    omitted_diagnostics: usize,
    /// An `.eml` whose body is encoded: spans point into `decoded.text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    decoded: Option<JsonDecoded<'a>>,
}

#[derive(Serialize)]
struct JsonDecoded<'a> {
    encoding: &'a str,
    text: &'a str,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Location {
    span: Span,
    start: LineCol,
    end: LineCol,
}

impl Location {
    fn new(file: &SourceFile, span: Span) -> Location {
        Location {
            span,
            start: file.line_col(span.start),
            end: file.line_col(span.end),
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    location: Location,
    label: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    notes: &'a [String],
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Location,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    replacement: &'a str,
    #[serde(flatten)]
    location: Location,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    rule: &'a str,
    passed: bool,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<f64>,
}

#[derive(Serialize)]
struct Error<'a> {
    path: &'a str,
    message: &'a str,
}

fn diagnostic<'a>(file: &SourceFile, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: &d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        location: Location::new(file, d.span),
        label: d.label.as_deref(),
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                message: &r.message,
                location: Location::new(file, r.span),
            })
            .collect(),
        notes: &d.notes,
        fix: d.fix.as_ref().map(|f| JsonFix {
            message: &f.message,
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    replacement: &e.replacement,
                    location: Location::new(file, e.span),
                })
                .collect(),
        }),
    }
}

fn check<'a>(file: &SourceFile, c: &'a Check) -> JsonCheck<'a> {
    JsonCheck {
        rule: &c.rule,
        passed: c.passed,
        severity: c.severity.as_str(),
        evidence: c.evidence.map(|s| Location::new(file, s)),
        value: c.value,
        limit: c.limit,
    }
}

/// The JSON document for a run, as a value (used by tests and the LSP).
pub fn to_value(outcomes: &[Outcome]) -> serde_json::Value {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Linted(l) => {
                if let Some(e) = &l.error {
                    errors.push(Error {
                        path: &l.source.name,
                        message: e,
                    });
                }
                files.push(File {
                    path: &l.source.name,
                    format: l.format,
                    diagnostics: l
                        .report
                        .diagnostics
                        .iter()
                        .map(|d| diagnostic(&l.source, d))
                        .collect(),
                    checks: l
                        .report
                        .checks
                        .iter()
                        .map(|c| check(&l.source, c))
                        .collect(),
                    stats: l.report.stats,
                    omitted_diagnostics: l.omitted.total(),
                    decoded: l.decoded.as_ref().map(|d| JsonDecoded {
                        encoding: &d.encoding,
                        text: &l.source.text,
                    }),
                })
            }
            Outcome::Failed(e) => errors.push(Error {
                path: &e.path,
                message: &e.message,
            }),
        }
    }
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "emaillint",
            version: env!("CARGO_PKG_VERSION"),
        },
        files,
        errors,
        summary: Summary::of(outcomes),
    };
    serde_json::to_value(&doc).unwrap_or(serde_json::Value::Null)
}

impl Reporter for Json {
    fn file(&self, _: &mut dyn WriteColor, _: &Linted, _: &Context) -> io::Result<()> {
        Ok(())
    }

    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        _: &Context,
    ) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &to_value(outcomes))?;
        writeln!(out)
    }
}
