//! `--format github`: GitHub Actions workflow commands, which show as
//! annotations on the files of a pull request.

use super::{Context, Linted, Outcome, Reporter};
use crate::diagnostic::Severity;
use codespan_reporting::term::termcolor::WriteColor;
use std::io;

#[derive(Debug)]
pub struct Github;

/// Escape a workflow command's message.
fn data(s: &str) -> String {
    super::escape(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, _: &Context) -> io::Result<()> {
        let file = &linted.source;
        for d in &linted.report.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (s, e) = (file.line_col(d.span.start), file.line_col(d.span.end));
            let message = match &d.help {
                Some(h) => format!("{}\n{}", d.message, h),
                None => d.message.clone(),
            };
            if let Some(place) = super::decoded_place(linted, d.span) {
                // The file's lines are not the decoded text's: annotate the file.
                writeln!(
                    out,
                    "::{command} file={},title={}::{}",
                    property(&file.name),
                    property(&format!("emaillint ({})", d.rule)),
                    data(&format!("{}{place}", message))
                )?;
                continue;
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&file.name),
                s.line,
                s.column,
                e.line,
                e.column,
                property(&format!("emaillint ({})", d.rule)),
                data(&message)
            )?;
        }
        Ok(())
    }

    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        _: &Context,
    ) -> io::Result<()> {
        for o in outcomes {
            if let Outcome::Failed(e) = o {
                writeln!(
                    out,
                    "::error file={},title=emaillint::{}",
                    property(&e.path),
                    data(&e.message)
                )?;
            }
        }
        Ok(())
    }
}

/// `::error` commands for broken config or rule files, at the mistake.
pub(super) fn config_failure(problems: &[super::ConfigProblem]) -> String {
    let mut out = String::new();
    for p in problems {
        let mut at = String::new();
        if let (Some(s), Some(e)) = (p.at, p.end) {
            at = format!(
                ",line={},col={},endLine={},endColumn={}",
                s.line, s.column, e.line, e.column
            );
        }
        let file = p
            .path
            .as_deref()
            .map_or_else(String::new, |f| format!("file={}{at},", property(f)));
        out.push_str(&format!(
            "::error {file}title={}::{}\n",
            property("emaillint (config)"),
            data(&p.message)
        ));
    }
    out
}
