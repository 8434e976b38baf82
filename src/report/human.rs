//! Compiler-style output through codespan-reporting.

use super::{Context, Linted, Outcome, Reporter, Summary, checklist};
use crate::diagnostic::Diagnostic;
use crate::rules::load::RuleError;
use crate::rules::model::Severity;
use crate::source::SourceFile;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config};
use std::io;

#[derive(Debug)]
pub struct Human;

fn io_error(e: FilesError) -> io::Error {
    match e {
        FilesError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// A diagnostic as codespan-reporting draws it.
pub(crate) fn to_codespan(d: &Diagnostic) -> CsDiagnostic<()> {
    let mut primary = Label::primary((), d.span.range());
    if let Some(l) = &d.label {
        primary = primary.with_message(l.clone());
    }
    let mut labels = vec![primary];
    labels.extend(
        d.related
            .iter()
            .map(|r| Label::secondary((), r.span.range()).with_message(r.message.clone())),
    );
    let mut notes: Vec<String> = d.notes.clone();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    if let Some(f) = &d.fix {
        let how = match f.applicability {
            crate::diagnostic::Applicability::Safe => "fix (--fix)",
            crate::diagnostic::Applicability::Unsafe => "suggestion",
        };
        notes.push(format!("{how}: {}", f.message));
    }
    CsDiagnostic::new(cs_severity(d.severity))
        .with_code(d.rule.clone())
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

impl Reporter for Human {
    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, cx: &Context) -> io::Result<()> {
        let config = Config::default();
        for d in &linted.report.diagnostics {
            term::emit_to_write_style(out, &config, &linted.source, &to_codespan(d))
                .map_err(io_error)?;
        }
        if cx.checklist {
            write_checklist(out, linted, cx)?;
        }
        Ok(())
    }

    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        cx: &Context,
    ) -> io::Result<()> {
        if !cx.checklist {
            return Ok(());
        }
        let s = Summary::of(outcomes);
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "{}", summary_line(&s))?;
        out.reset()?;
        writeln!(out)?;
        Ok(())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2 errors, 1 warning and 3 infos in 4 files"
pub(crate) fn summary_line(s: &Summary) -> String {
    let files = plural(s.files, "file", "files");
    let mut parts = Vec::new();
    for (n, one, many) in [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.infos, "info", "infos"),
    ] {
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    }
    let mut line = match parts.len() {
        0 => format!("No problems in {files}."),
        1 => format!("{} in {files}.", parts[0]),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} and {last} in {files}.", parts.join(", "))
        }
    };
    if s.fixed > 0 {
        line.push_str(&format!(
            " Fixed {}.",
            plural(s.fixed, "problem", "problems")
        ));
    }
    if s.unreadable > 0 {
        line.push_str(&format!(
            " {} could not be read.",
            plural(s.unreadable, "file", "files")
        ));
    }
    line
}

fn write_checklist(out: &mut dyn WriteColor, linted: &Linted, cx: &Context) -> io::Result<()> {
    let items = checklist(&linted.report, cx.rules);
    if items.is_empty() {
        return Ok(());
    }
    out.set_color(ColorSpec::new().set_bold(true))?;
    write!(out, "{}:", linted.source.name)?;
    out.reset()?;
    for (label, check) in items {
        write!(out, "  ")?;
        let (mark, color) = if check.passed {
            ("\u{2713}", Color::Green)
        } else {
            ("\u{2717}", Color::Red)
        };
        out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
        write!(out, "{mark}")?;
        out.reset()?;
        write!(out, " {label}")?;
        if let (Some(v), Some(limit)) = (check.value, check.limit)
            && let Some(rule) = cx.rules.get(&check.rule)
        {
            let unit = if rule.bounds.max_words.is_some() {
                " words"
            } else {
                ""
            };
            write!(out, " ({v:.0}/{limit:.0}{unit})")?;
        }
    }
    writeln!(out)?;
    writeln!(out)
}

/// Rule or config files as one codespan file database.
struct FileSet<'a>(&'a [SourceFile]);

impl<'a> Files<'a> for FileSet<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.0
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.0
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte: usize) -> Result<usize, FilesError> {
        self.0
            .get(id)
            .map(|f| f.line_index(byte))
            .ok_or(FilesError::FileMissing)
    }

    fn line_range(&'a self, id: usize, index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let f = self.0.get(id).ok_or(FilesError::FileMissing)?;
        f.line_range(index).ok_or(FilesError::LineTooLarge {
            given: index,
            max: f.line_count().saturating_sub(1),
        })
    }
}

/// Render rule or config file errors as compiler errors on the YAML.
pub fn render_rule_errors(
    out: &mut dyn WriteColor,
    files: &[SourceFile],
    errors: &[RuleError],
) -> io::Result<()> {
    let db = FileSet(files);
    let config = Config::default();
    for e in errors {
        let mut d = CsDiagnostic::error()
            .with_message(e.message.clone())
            .with_notes(e.notes.clone());
        let mut labels = Vec::new();
        if let Some(span) = e.span {
            let mut l = Label::primary(e.file, span.range());
            if let Some(text) = &e.label {
                l = l.with_message(text.clone());
            }
            labels.push(l);
        }
        for (file, span, text) in &e.related {
            labels.push(Label::secondary(*file, span.range()).with_message(text.clone()));
        }
        if labels.is_empty() {
            let name = files.get(e.file).map_or("<rules>", |f| f.name.as_str());
            d.message = format!("{name}: {}", e.message);
        }
        d = d.with_labels(labels);
        term::emit_to_write_style(out, &config, &db, &d).map_err(io_error)?;
    }
    Ok(())
}
