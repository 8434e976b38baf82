//! `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code
//! scanning, Azure DevOps). Columns are Unicode code points, as declared by
//! `columnKind`; byte offsets are given too.

use super::{Context, Linted, Outcome, Reporter};
use crate::rules::model::Severity;
use codespan_reporting::term::termcolor::WriteColor;
use serde_json::{Value, json};
use std::io;

#[derive(Debug)]
pub struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI reference (forward slashes, spaces escaped).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Reporter for Sarif {
    fn file(&self, _: &mut dyn WriteColor, _: &Linted, _: &Context) -> io::Result<()> {
        Ok(())
    }

    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        cx: &Context,
    ) -> io::Result<()> {
        let rules: Vec<Value> = cx
            .rules
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.rationale.clone().unwrap_or_else(|| r.summary.clone())},
                    "help": {"text": r.help.clone().unwrap_or_default()},
                    "defaultConfiguration": {"level": level(r.severity)},
                })
            })
            .collect();
        let mut results = Vec::new();
        let mut notifications = Vec::new();
        for o in outcomes {
            match o {
                Outcome::Linted(l) => {
                    for d in &l.report.diagnostics {
                        let (s, e) = (l.source.line_col(d.span.start), l.source.line_col(d.span.end));
                        let mut text = match &d.help {
                            Some(h) => format!("{}\n{}", d.message, h),
                            None => d.message.clone(),
                        };
                        // A decoded email's spans are not the file's: the
                        // result is about the file as a whole.
                        let place = super::decoded_place(l, d.span);
                        let mut location = json!({"artifactLocation": {"uri": uri(&l.source.name)}});
                        match &place {
                            Some(p) => text.push_str(p),
                            None => {
                                location["region"] = json!({
                                    "startLine": s.line, "startColumn": s.column,
                                    "endLine": e.line, "endColumn": e.column,
                                    "byteOffset": d.span.start, "byteLength": d.span.len(),
                                });
                            }
                        }
                        results.push(json!({
                            "ruleId": d.rule,
                            "level": level(d.severity),
                            "message": {"text": text},
                            "locations": [{"physicalLocation": location}],
                        }));
                    }
                    if let Some(e) = &l.error {
                        notifications.push(json!({
                            "level": "error",
                            "message": {"text": e},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&l.source.name)}}}],
                        }));
                    }
                    let n = l.omitted.total();
                    if n > 0 {
                        notifications.push(json!({
                            "level": "note",
                            "message": {"text": format!("{n} more diagnostics not shown (--max-diagnostics)")},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&l.source.name)}}}],
                        }));
                    }
                }
                Outcome::Failed(e) => notifications.push(json!({
                    "level": "error",
                    "message": {"text": e.message},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&e.path)}}}],
                })),
            }
        }
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "emaillint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [{
                    "executionSuccessful": !notifications.iter().any(|n| n["level"] == "error"),
                    "toolExecutionNotifications": notifications,
                }],
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
