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

#[derive(Serialize, Clone, Copy)]
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

/// The entry of `files` for one linted draft.
fn file_entry(l: &Linted) -> File<'_> {
    File {
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
    }
}

/// The entries of `errors`: inputs that could not be read, and files whose
/// fixes could not be written, in input order.
fn errors(outcomes: &[Outcome]) -> Vec<Error<'_>> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Linted(l) => l.error.as_ref().map(|e| Error {
                path: &l.source.name,
                message: e,
            }),
            Outcome::Failed(e) => Some(Error {
                path: &e.path,
                message: &e.message,
            }),
        })
        .collect()
}

const TOOL: Tool = Tool {
    name: "emaillint",
    version: env!("CARGO_PKG_VERSION"),
};

/// The JSON document for a run, as a value (the config-failure document
/// starts from it). The command line does not build it: it writes the
/// same bytes piece by piece, each file's entry as it is rendered
/// ([`Json`]).
pub fn to_value(outcomes: &[Outcome]) -> serde_json::Value {
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: TOOL,
        files: outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Linted(l) => Some(file_entry(l)),
                Outcome::Failed(_) => None,
            })
            .collect(),
        errors: errors(outcomes),
        summary: Summary::of(outcomes),
    };
    serde_json::to_value(&doc).unwrap_or(serde_json::Value::Null)
}

/// `value` pretty-printed as a member of the document `indent` spaces deep:
/// serde_json's pretty layout, with every line after the first indented
/// by `indent` ([`Nested`]). The value is printed into a buffer first: the
/// pretty printer makes many small writes, each of which would be two
/// dynamic calls through `out`.
fn nested<T: Serialize>(
    out: &mut dyn io::Write,
    value: &T,
    indent: &'static [u8],
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Nested::new(indent));
    value.serialize(&mut ser).map_err(io::Error::from)?;
    out.write_all(&buf)
}

/// serde_json's `PrettyFormatter` (two spaces a level) for a value that
/// sits inside a document: each new line starts with `base`, then the
/// value's own indentation. The same bytes as pretty-printing the value and
/// then indenting each line (a raw line feed only ever comes from the
/// layout: inside strings it is escaped), in one pass.
struct Nested {
    /// A line feed, `base`, and the indentation of [`Nested::DEPTH`]
    /// levels: each new line is written as one slice of it.
    line: Vec<u8>,
    base: usize,
    level: usize,
    has_value: bool,
}

impl Nested {
    /// Levels of indentation `line` holds (deeper ones are written in
    /// pieces).
    const DEPTH: usize = 16;

    fn new(base: &'static [u8]) -> Nested {
        let mut line = Vec::with_capacity(1 + base.len() + 2 * Self::DEPTH);
        line.push(b'\n');
        line.extend_from_slice(base);
        line.resize(line.capacity(), b' ');
        Nested {
            line,
            base: base.len(),
            level: 0,
            has_value: false,
        }
    }

    /// A line break and the indentation of the current level.
    fn new_line<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        let whole = 1 + self.base + 2 * self.level.min(Self::DEPTH);
        w.write_all(&self.line[..whole])?;
        for _ in Self::DEPTH..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.new_line(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The document is written in three parts, which together are the bytes
/// `serde_json::to_writer_pretty(&to_value(outcomes))` would write: the
/// head (`version`, `tool`, the opening of `files`) in
/// [`Reporter::begin`], each file's entry in [`Reporter::file`] (rendered
/// in parallel, separated by [`Reporter::separator`]), and `errors` and
/// `summary` in [`Reporter::finish`]. No value of the whole run is built.
impl Reporter for Json {
    fn begin(&self, out: &mut dyn WriteColor, _: &Context) -> io::Result<()> {
        write!(out, "{{\n  \"version\": {SCHEMA_VERSION},\n  \"tool\": ")?;
        nested(out, &TOOL, b"  ")?;
        write!(out, ",\n  \"files\": [")
    }

    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, _: &Context) -> io::Result<()> {
        out.write_all(b"\n    ")?;
        nested(out, &file_entry(linted), b"    ")
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        _: &Context,
    ) -> io::Result<()> {
        let any_file = outcomes.iter().any(|o| matches!(o, Outcome::Linted(_)));
        out.write_all(if any_file { b"\n  ]" } else { b"]" })?;
        out.write_all(b",\n  \"errors\": ")?;
        nested(out, &errors(outcomes), b"  ")?;
        out.write_all(b",\n  \"summary\": ")?;
        nested(out, &Summary::of(outcomes), b"  ")?;
        out.write_all(b"\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::nested;

    /// `nested` writes what pretty-printing the value and indenting each
    /// line after the first would: empty and nested arrays and objects,
    /// and a line feed inside a string (escaped, so not a line).
    #[test]
    fn nested_is_the_pretty_layout_indented() {
        let value = serde_json::json!({
            "a": [],
            "b": {},
            "c": [1, [2, {"d": "line\nfeed"}], {}],
            "e": {"f": {"g": [true, null]}},
            // Deeper than `Nested::DEPTH`.
            "deep": [[[[[[[[[[[[[[[[[[[[1, {"x": []}]]]]]]]]]]]]]]]]]]]],
        });
        for indent in [&b""[..], b"  ", b"    "] {
            let mut out = Vec::new();
            nested(&mut out, &value, indent).expect("writes");
            let pretty = serde_json::to_string_pretty(&value).expect("prints");
            let want = pretty.replace('\n', &format!("\n{}", String::from_utf8_lossy(indent)));
            assert_eq!(String::from_utf8(out).expect("UTF-8"), want);
        }
    }
}
