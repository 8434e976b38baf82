//! `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code
//! scanning, Azure DevOps). Columns are Unicode code points, as declared by
//! `columnKind`; byte offsets are given too.

use super::{Context, Linted, Outcome, Reporter};
use crate::diagnostic::Severity;
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

/// Rules that are not in any rule file: what emaillint itself reports.
/// Each has an entry in `driver.rules`, so that every `ruleId` resolves.
const PSEUDO_RULES: &[(&str, Severity, &str, &str)] = &[
    (
        crate::engine::EMPTY,
        Severity::Error,
        "the draft is empty",
        "There is nothing to check yet: write the email, or check that this is the file you meant.",
    ),
    (
        "syntax",
        Severity::Error,
        "the draft's own syntax: front matter, settings it carries, a `Date:` that cannot be used",
        "Fix the front matter or header the message names; linting went on without it.",
    ),
    (
        crate::suppress::UNUSED,
        Severity::Info,
        "a suppression comment that suppresses nothing",
        "Remove the id from the directive (or the directive itself).",
    ),
];

/// One `driver.rules` entry per rule id of every rule set used in the run
/// (configs differ between directories), then the pseudo-rules: metadata
/// from the pack (summary, rationale, help, the first source as `helpUri`,
/// the default severity).
fn descriptors(outcomes: &[Outcome], cx: &Context) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let sets = std::iter::once(cx.rules).chain(outcomes.iter().filter_map(|o| match o {
        Outcome::Linted(l) => Some(&*l.rules),
        Outcome::Failed(_) => None,
    }));
    for set in sets {
        for r in &set.rules {
            if !seen.insert(r.id.clone()) {
                continue;
            }
            let mut d = json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.rationale.clone().unwrap_or_else(|| r.summary.clone())},
                "help": {"text": r.help.clone().unwrap_or_else(|| r.summary.clone())},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"kind": r.kind.as_str()},
            });
            if let Some(uri) = r.sources.iter().find(|s| s.starts_with("https://")) {
                d["helpUri"] = json!(uri);
            }
            out.push(d);
        }
    }
    for (id, severity, summary, help) in PSEUDO_RULES {
        if seen.insert((*id).to_string()) {
            out.push(json!({
                "id": id,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": summary},
                "help": {"text": help},
                "defaultConfiguration": {"level": level(*severity)},
            }));
        }
    }
    out
}

/// A region by line and column (code points) and by bytes.
fn region(l: &Linted, span: crate::span::Span) -> Value {
    let (s, e) = (l.source.line_col(span.start), l.source.line_col(span.end));
    json!({
        "startLine": s.line, "startColumn": s.column,
        "endLine": e.line, "endColumn": e.column,
        "byteOffset": span.start, "byteLength": span.len(),
    })
}

/// A fix as a SARIF `fix`: one artifact change with a replacement per edit
/// (an empty deleted region is an insertion). Whether `--fix` applies it
/// alone is the `applicability` property.
fn fix(l: &Linted, f: &crate::diagnostic::Fix) -> Value {
    let replacements: Vec<Value> = f
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": region(l, e.span),
                "insertedContent": {"text": e.replacement},
            })
        })
        .collect();
    json!({
        "description": {"text": f.message},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri(&l.source.name)},
            "replacements": replacements,
        }],
        "properties": {"applicability": f.applicability},
    })
}

impl Reporter for Sarif {
    fn needs_files_at_finish(&self) -> bool {
        true
    }

    fn file(&self, _: &mut dyn WriteColor, _: &Linted, _: &Context) -> io::Result<()> {
        Ok(())
    }

    fn finish(
        &self,
        out: &mut dyn WriteColor,
        outcomes: &[Outcome],
        cx: &Context,
    ) -> io::Result<()> {
        let rules = descriptors(outcomes, cx);
        let index: std::collections::HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r["id"].as_str()?, i)))
            .collect();
        let mut results = Vec::new();
        let mut notifications = Vec::new();
        for o in outcomes {
            match o {
                Outcome::Linted(l) => {
                    for d in &l.report.diagnostics {
                        let mut text = match &d.help {
                            Some(h) => format!("{}\n{}", d.message, h),
                            None => d.message.clone(),
                        };
                        // A decoded email's spans are not the file's: the
                        // result is about the file as a whole, and its
                        // fixes (edits of the decoded text) are left out.
                        let place = super::decoded_place(l, d.span);
                        let mut location = json!({"artifactLocation": {"uri": uri(&l.source.name)}});
                        match &place {
                            Some(p) => text.push_str(p),
                            None => location["region"] = region(l, d.span),
                        }
                        let mut result = json!({
                            "ruleId": d.rule,
                            "level": level(d.severity),
                            "message": {"text": text},
                            "locations": [{"physicalLocation": location}],
                        });
                        if let Some(&i) = index.get(d.rule.as_str()) {
                            result["ruleIndex"] = json!(i);
                        }
                        if place.is_none()
                            && let Some(f) = d.fix.as_ref().filter(|f| !f.edits.is_empty())
                        {
                            result["fixes"] = json!([fix(l, f)]);
                        }
                        results.push(result);
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
        let success = !notifications.iter().any(|n| n["level"] == "error");
        let doc = envelope(json!(rules), json!(results), notifications, success);
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

/// SARIF for a run stopped by broken config or rule files: no results, a
/// failed invocation, and an error notification at each mistake.
pub(super) fn config_failure(problems: &[super::ConfigProblem]) -> String {
    let notifications: Vec<Value> = problems
        .iter()
        .map(|p| {
            let mut n = json!({"level": "error", "message": {"text": p.message}});
            if let Some(path) = &p.path {
                let mut location = json!({"artifactLocation": {"uri": uri(path)}});
                if let (Some(s), Some(e)) = (p.at, p.end) {
                    location["region"] = json!({
                        "startLine": s.line, "startColumn": s.column,
                        "endLine": e.line, "endColumn": e.column,
                    });
                }
                n["locations"] = json!([{"physicalLocation": location}]);
            }
            n
        })
        .collect();
    let doc = envelope(json!([]), json!([]), notifications, false);
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// The SARIF document around one run: the driver with its `rules`, the
/// `results`, and one invocation with its notifications.
fn envelope(rules: Value, results: Value, notifications: Vec<Value>, success: bool) -> Value {
    json!({
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
                "executionSuccessful": success,
                "toolExecutionNotifications": notifications,
            }],
        }],
    })
}
