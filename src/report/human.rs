//! Compiler-style output through codespan-reporting.

use super::excerpt::{Excerpt, Place};
use super::{Context, Linted, Outcome, Reporter, Summary, checklist};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity;
use crate::problem::RuleError;
use crate::source::SourceFile;
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config, WriteStyle};
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

/// Lines of a rule or config file longer than this (in bytes) are not
/// reprinted under an error: its location is given instead.
pub const MAX_EXCERPT_LINE: usize = 1000;

/// Notes, labels and messages are cut to this many characters.
const MAX_TEXT: usize = 500;

/// `s`, escaped for the terminal and cut to [`MAX_TEXT`] characters.
pub(crate) fn shown(s: &str) -> String {
    let s = super::escape(s);
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => format!(
            "{}\u{2026} ({} more characters)",
            &s[..i],
            s[i..].chars().count()
        ),
        None => s.into_owned(),
    }
}

/// Does any line that a span touches run longer than [`MAX_EXCERPT_LINE`]?
fn long_line(file: &SourceFile, span: crate::span::Span) -> bool {
    let (a, b) = (
        file.line_index(span.start.min(file.text.len())),
        file.line_index(span.end.min(file.text.len())),
    );
    [a, b].iter().any(|&i| {
        file.line_range(i)
            .is_some_and(|r| r.len() > MAX_EXCERPT_LINE)
    })
}

/// A diagnostic as codespan-reporting draws it, over an [`Excerpt`] of
/// `file` that fits in `columns` columns. Text from the draft is escaped; a
/// related place that does not fit beside the main one is named in a note.
pub(crate) fn to_codespan<'a>(
    d: &Diagnostic,
    file: &'a SourceFile,
    columns: usize,
) -> (Excerpt<'a>, CsDiagnostic<()>) {
    let width = |s: Option<&str>| s.map_or(0, |s| s.chars().count() + 1);
    let label = d.label.as_deref().map(shown);
    let mut places = vec![Place {
        range: d.span.range(),
        message_width: width(label.as_deref()),
    }];
    let related: Vec<String> = d.related.iter().map(|r| shown(&r.message)).collect();
    places.extend(d.related.iter().zip(&related).map(|(r, m)| Place {
        range: r.span.range(),
        message_width: width(Some(m)),
    }));
    let wrap_at = columns;
    // 0: no limit, but still no more than a long line's worth.
    let columns = if columns == 0 {
        MAX_EXCERPT_LINE
    } else {
        columns
    };
    let (excerpt, left_out) = Excerpt::new(file, &places, columns);
    let range = |r: std::ops::Range<usize>| excerpt.map(r.start)..excerpt.map(r.end.max(r.start));
    let mut primary = Label::primary((), range(d.span.range()));
    if let Some(l) = label {
        primary = primary.with_message(l);
    }
    let mut labels = vec![primary];
    let mut notes: Vec<String> = Vec::new();
    for (i, (r, message)) in d.related.iter().zip(related).enumerate() {
        if left_out.contains(&(i + 1)) {
            let at = file.line_col(r.span.start);
            notes.push(format!("{message}: line {}, column {}", at.line, at.column));
        } else {
            labels.push(Label::secondary((), range(r.span.range())).with_message(message));
        }
    }
    notes.extend(d.notes.iter().map(|n| shown(n)));
    if let Some(h) = &d.help {
        notes.push(format!("help: {}", shown(h)));
    }
    if let Some(f) = &d.fix {
        let how = match f.applicability {
            crate::diagnostic::Applicability::Safe => "fix (--fix)",
            crate::diagnostic::Applicability::Unsafe => "suggestion",
        };
        notes.push(format!("{how}: {}", shown(&f.message)));
    }
    if wrap_at > 0 {
        // Notes are drawn after the gutter ("NN = "), as wide as the
        // largest line number shown.
        let last = places
            .iter()
            .map(|p| file.line_col(p.range.end).line)
            .max()
            .unwrap_or(1);
        let gutter = last.to_string().len() + 3;
        for n in &mut notes {
            *n = wrap_note(n, wrap_at.saturating_sub(gutter));
        }
    }
    let diagnostic = CsDiagnostic::new(cs_severity(d.severity))
        .with_code(shown(&d.rule))
        .with_message(shown(&d.message))
        .with_labels(labels)
        .with_notes(notes);
    (excerpt, diagnostic)
}

/// `note` broken at spaces into lines of at most `width` characters (a
/// longer word keeps its own line), each line after the first indented
/// under the text after a short label such as `help: `.
fn wrap_note(note: &str, width: usize) -> String {
    if note.chars().count() <= width || note.contains('\n') {
        return note.to_string();
    }
    // A label is what comes before the first ": " within 12 bytes
    // (`help`, `suggestion`, `fix (--fix)`); longer text is no label.
    let hang = note
        .find(": ")
        .filter(|&i| i <= 12)
        .map_or(0, |i| note[..i + 2].chars().count());
    let mut out = String::with_capacity(note.len() + 16);
    let mut line = 0;
    for word in note.split(' ') {
        let w = word.chars().count();
        if line > 0 && line + 1 + w > width {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', hang));
            line = hang;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
    }
    out
}

/// A writer for codespan-reporting that names the lowest severity `info`,
/// as the rest of emaillint does (`--deny`, configs, JSON, concise output),
/// where codespan-reporting's own word is `note`: the header's severity is
/// written right after `set_header`, and only that write is renamed.
struct InfoHeader<'w> {
    out: &'w mut dyn WriteColor,
    note_header: bool,
}

impl io::Write for InfoHeader<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if std::mem::take(&mut self.note_header) && buf == b"note" {
            self.out.write_all(b"info")?;
            return Ok(buf.len());
        }
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl WriteStyle for InfoHeader<'_> {
    fn set_header(&mut self, severity: CsSeverity) -> io::Result<()> {
        self.note_header = severity == CsSeverity::Note;
        WriteStyle::set_header(&mut *self.out, severity)
    }

    fn set_header_message(&mut self) -> io::Result<()> {
        WriteStyle::set_header_message(&mut *self.out)
    }

    fn set_line_number(&mut self) -> io::Result<()> {
        WriteStyle::set_line_number(&mut *self.out)
    }

    fn set_note_bullet(&mut self) -> io::Result<()> {
        WriteStyle::set_note_bullet(&mut *self.out)
    }

    fn set_source_border(&mut self) -> io::Result<()> {
        WriteStyle::set_source_border(&mut *self.out)
    }

    fn set_label(&mut self, severity: CsSeverity, style: LabelStyle) -> io::Result<()> {
        WriteStyle::set_label(&mut *self.out, severity, style)
    }

    fn reset(&mut self) -> io::Result<()> {
        WriteStyle::reset(&mut *self.out)
    }
}

impl Reporter for Human {
    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, cx: &Context) -> io::Result<()> {
        let config = Config::default();
        // Excerpts come from a copy with control characters made harmless,
        // byte for byte, so spans, lines and columns are the same.
        let display = match super::displayable(&linted.source.text) {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(t) => Some(SourceFile::new(shown(&linted.source.name), t)),
        };
        let named;
        let file = match &display {
            _ if linted.decoded.is_some() => {
                // The excerpts are of the decoded text: say so at each one.
                named = SourceFile::new(
                    format!("{} (decoded)", shown(&linted.source.name)),
                    display
                        .as_ref()
                        .map_or(&linted.source.text, |d| &d.text)
                        .clone(),
                );
                &named
            }
            Some(f) => f,
            None if super::escape(&linted.source.name) != linted.source.name => {
                named = SourceFile::new(shown(&linted.source.name), linted.source.text.clone());
                &named
            }
            None => &linted.source,
        };
        if let Some(decoded) = &linted.decoded
            && !linted.report.diagnostics.is_empty()
        {
            writeln!(
                out,
                "note: {}: {}\n",
                shown(&linted.source.name),
                decoded.explain()
            )?;
        }
        for d in &linted.report.diagnostics {
            let (excerpt, diagnostic) = to_codespan(d, file, cx.columns);
            let mut w = InfoHeader {
                out: &mut *out,
                note_header: false,
            };
            term::emit_to_write_style(&mut w, &config, &excerpt, &diagnostic).map_err(io_error)?;
        }
        let n = linted.omitted.total();
        if n > 0 {
            writeln!(
                out,
                "note: {n} more diagnostic{} in {} not shown (--max-diagnostics)\n",
                if n == 1 { "" } else { "s" },
                shown(&linted.source.name)
            )?;
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
        // Nothing was read: "no problems in 0 files" would claim a check.
        0 if s.files == 0 => "Nothing was linted.".to_string(),
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
    // How to apply what is left, as ruff says it.
    match (s.fixable.safe, s.fixable.unsafe_) {
        (0, 0) => {}
        (0, n) => line.push_str(&format!(
            "\n{n} fixable with --fix --unsafe-fixes; review what they insert."
        )),
        (n, 0) => line.push_str(&format!("\n{n} fixable with --fix.")),
        (n, m) => line.push_str(&format!(
            "\n{n} fixable with --fix; {m} more with --fix --unsafe-fixes."
        )),
    }
    line
}

/// The checklist under a file's diagnostics: one entry per labelled rule
/// that ran (✓ or ✗, with its measure), then every other rule that ran and
/// failed, by id, then how many more passed; wrapped to the terminal.
fn write_checklist(out: &mut dyn WriteColor, linted: &Linted, cx: &Context) -> io::Result<()> {
    let items = checklist(&linted.report, cx.rules);
    if items.is_empty() {
        return Ok(());
    }
    let mut entries: Vec<(Option<bool>, String)> = Vec::new();
    for item in &items {
        let mut text = shown(item.label);
        if let (Some(v), Some(limit)) = (item.check.value, item.check.limit)
            && let Some(rule) = cx.rules.get(&item.check.rule)
            // A budget that found nothing to count (no account of what went
            // wrong at all) has no measure worth showing.
            && !(rule.kind == crate::rules::model::Kind::Budget && v == 0.0)
        {
            let unit = if rule.bounds.max_words.is_some() {
                " words"
            } else {
                ""
            };
            text.push_str(&format!(" ({v:.0}/{limit:.0}{unit})"));
        }
        entries.push((Some(item.check.passed), text));
    }
    let others: Vec<&crate::diagnostic::Check> = linted
        .report
        .checks
        .iter()
        .filter(|c| !items.iter().any(|i| i.check.rule == c.rule))
        .collect();
    for c in others.iter().filter(|c| !c.passed) {
        entries.push((Some(false), shown(&c.rule)));
    }
    let more = others.iter().filter(|c| c.passed).count();
    if more > 0 {
        entries.push((None, format!("+{more} more \u{2713}")));
    }

    let name = format!("{}:", shown(&linted.source.name));
    out.set_color(ColorSpec::new().set_bold(true))?;
    write!(out, "{name}")?;
    out.reset()?;
    let limit = if cx.columns == 0 {
        usize::MAX
    } else {
        cx.columns
    };
    let mut col = name.chars().count();
    for (passed, text) in entries {
        let width = text.chars().count() + if passed.is_some() { 2 } else { 0 };
        if col + 2 + width > limit && col > 2 {
            writeln!(out)?;
            col = 0;
        }
        write!(out, "  ")?;
        col += 2 + width;
        if let Some(passed) = passed {
            let (mark, color) = if passed {
                ("\u{2713}", Color::Green)
            } else {
                ("\u{2717}", Color::Red)
            };
            out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
            write!(out, "{mark}")?;
            out.reset()?;
            write!(out, " ")?;
        }
        write!(out, "{text}")?;
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
            .map(|f| f.text.as_ref())
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
    let long =
        |file: usize, span: crate::span::Span| files.get(file).is_some_and(|f| long_line(f, span));
    for e in errors {
        let mut d = CsDiagnostic::error()
            .with_message(shown(&e.message))
            .with_notes(e.notes.iter().map(|n| shown(n)).collect());
        let mut labels = Vec::new();
        let mut at = None;
        if let Some(span) = e.span {
            if long(e.file, span) {
                at = files.get(e.file).map(|f| (f, span));
            } else {
                let mut l = Label::primary(e.file, span.range());
                if let Some(text) = &e.label {
                    l = l.with_message(shown(text));
                }
                labels.push(l);
            }
        }
        for (file, span, text) in &e.related {
            if !long(*file, *span) {
                labels.push(Label::secondary(*file, span.range()).with_message(shown(text)));
            }
        }
        if let Some((f, span)) = at {
            let lc = f.line_col(span.start);
            d.message = format!(
                "{}:{}:{}: {}",
                shown(&f.name),
                lc.line,
                lc.column,
                shown(&e.message)
            );
        } else if labels.is_empty() {
            let name = files.get(e.file).map_or("<rules>", |f| f.name.as_str());
            d.message = format!("{}: {}", shown(name), shown(&e.message));
        }
        d = d.with_labels(labels);
        term::emit_to_write_style(out, &config, &db, &d).map_err(io_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wrap_note;

    #[test]
    fn notes_wrap_at_spaces_under_their_label() {
        assert_eq!(wrap_note("help: short", 20), "help: short");
        assert_eq!(
            wrap_note("help: one two three four five six", 20),
            "help: one two three\n      four five six"
        );
        assert_eq!(
            wrap_note("suggestion: insert “Thank you for the time”", 30),
            "suggestion: insert “Thank you\n            for the time”"
        );
        // No label: no hanging indent; a word wider than the line keeps
        // its own line, whole.
        assert_eq!(
            wrap_note("also part of the account: line 17, column 1", 16),
            "also part of the\naccount: line\n17, column 1"
        );
        assert_eq!(
            wrap_note("help: abcdefghijklmnop x", 10),
            "help:\n      abcdefghijklmnop\n      x"
        );
    }
}
