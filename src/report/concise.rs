//! `--format concise`: one line per diagnostic, for grep and editors that
//! parse `path:line:col:` lines.

use super::{Context, Linted, Outcome, Reporter};
use codespan_reporting::term::termcolor::WriteColor;
use std::io;

#[derive(Debug)]
pub struct Concise;

impl Reporter for Concise {
    fn file(&self, out: &mut dyn WriteColor, linted: &Linted, _: &Context) -> io::Result<()> {
        for d in &linted.report.diagnostics {
            let at = linted.source.line_col(d.span.start);
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}{}",
                super::escape(&linted.source.name),
                at.line,
                at.column,
                d.severity.as_str(),
                super::escape(&d.rule),
                super::escape(&d.message),
                if linted.decoded.is_some() {
                    " (in the decoded text)"
                } else {
                    ""
                }
            )?;
        }
        let n = linted.omitted.total();
        if n > 0 {
            writeln!(
                out,
                "{}: note: {n} more diagnostics not shown (--max-diagnostics)",
                super::escape(&linted.source.name)
            )?;
        }
        Ok(())
    }

    fn finish(&self, _: &mut dyn WriteColor, _: &[Outcome], _: &Context) -> io::Result<()> {
        Ok(())
    }
}
