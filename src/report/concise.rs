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
                "{}:{}:{}: {}[{}] {}",
                linted.source.name,
                at.line,
                at.column,
                d.severity.as_str(),
                d.rule,
                d.message
            )?;
        }
        Ok(())
    }

    fn finish(&self, _: &mut dyn WriteColor, _: &[Outcome], _: &Context) -> io::Result<()> {
        Ok(())
    }
}
