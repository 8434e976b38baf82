//! Suppression directives: turning rules off for part or all of a draft.
//!
//! - `<!-- emaillint-disable ID, ID -->` … `<!-- emaillint-enable ID -->`
//!   (no ids: every rule), in Markdown drafts;
//! - `<!-- emaillint-disable-next-line ID -->`: the line after the comment;
//! - front matter `emaillint: {disable: [ID, ...]}`: the whole draft (its
//!   check is dropped too, as if the rule had not run).
//!
//! A diagnostic is suppressed when its span starts inside a disabled range of
//! its rule. A directive that suppresses nothing, or names no known rule, is
//! itself reported (`unused-suppression`, info), like clippy's unused allow.

use crate::diagnostic::Severity;
use crate::diagnostic::{Diagnostic, FileReport};
use crate::document::Document;
use crate::rules::RuleSet;
use crate::span::Span;

/// The id of the diagnostics this module reports.
pub const UNUSED: &str = "unused-suppression";

#[derive(Debug)]
struct Directive {
    /// Rule ids with their spans; empty means every rule.
    ids: Vec<(String, Span)>,
    /// Where the directive is written (the comment, or the front matter list).
    span: Span,
    /// The bytes it covers.
    range: std::ops::Range<usize>,
    used: Vec<bool>,
    used_any: bool,
    /// From front matter: the rules are off for the whole draft.
    whole_draft: bool,
}

/// Remove suppressed diagnostics from `report` and report unused directives.
pub fn apply(doc: &Document, set: &RuleSet, report: &mut FileReport) {
    let source = doc.text();
    let mut directives = directives(doc, source);
    if directives.is_empty() {
        return;
    }
    report.diagnostics.retain(|d| {
        if d.rule == "syntax" {
            return true;
        }
        let mut keep = true;
        for dir in directives.iter_mut() {
            let covers = dir.range.contains(&d.span.start)
                || (dir.range.is_empty() && dir.range.start == d.span.start);
            if !covers {
                continue;
            }
            if dir.ids.is_empty() {
                dir.used_any = true;
                keep = false;
            } else if let Some(i) = dir.ids.iter().position(|(id, _)| *id == d.rule) {
                dir.used[i] = true;
                keep = false;
            }
        }
        keep
    });
    // A rule turned off for the whole draft did not run, as far as the
    // reader is concerned: no ✗ in the checklist, no `passed: false`.
    let off: Vec<&str> = directives
        .iter()
        .filter(|d| d.whole_draft)
        .flat_map(|d| d.ids.iter().map(|(id, _)| id.as_str()))
        .collect();
    report.checks.retain(|c| !off.contains(&c.rule.as_str()));
    for dir in &directives {
        if dir.ids.is_empty() {
            if !dir.used_any {
                report.diagnostics.push(unused(
                    dir.span,
                    "this suppression turns off every rule, but nothing here was reported".into(),
                ));
            }
            continue;
        }
        for ((id, span), used) in dir.ids.iter().zip(&dir.used) {
            if *used {
                continue;
            }
            let message = if set.get(id).is_none() {
                let mut m = format!("there is no rule called `{id}` to suppress");
                if let Some(near) = crate::rules::closest_id(set, id) {
                    m.push_str(&format!("; did you mean `{near}`?"));
                }
                m
            } else {
                format!("`{id}` is suppressed here, but it reported nothing")
            };
            report.diagnostics.push(unused(*span, message));
        }
    }
    report.diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
}

fn unused(span: Span, message: String) -> Diagnostic {
    Diagnostic {
        rule: UNUSED.into(),
        severity: Severity::Info,
        message,
        help: Some("remove the id from the directive (or the directive itself)".into()),
        span,
        label: Some("unused".into()),
        related: Vec::new(),
        notes: Vec::new(),
        fix: None,
    }
}

fn directives(doc: &Document, source: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    if let Some(fm) = &doc.headers.front_matter
        && let Some(meta) = &fm.emaillint
        && let Some(disable) = &meta.value.disable
    {
        let ids: Vec<(String, Span)> = disable
            .ids
            .iter()
            .map(|(id, span)| (id.clone(), span.unwrap_or(fm.span)))
            .collect();
        if !ids.is_empty() {
            out.push(Directive {
                used: vec![false; ids.len()],
                span: fm.span,
                ids,
                range: 0..source.len() + 1,
                used_any: false,
                whole_draft: true,
            });
        }
    }
    let mut open: Vec<usize> = Vec::new();
    for c in &doc.comments {
        let raw = &source[c.span.range()];
        let Some(inner) = raw.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->")) else {
            continue;
        };
        let inner_start = c.span.start + 4;
        let lead = inner.len() - inner.trim_start().len();
        let body = inner.trim();
        let body_start = inner_start + lead;
        let (word, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        let ids = parse_ids(rest, body_start + (body.len() - rest.len()));
        match word {
            "emaillint-disable" => {
                open.push(out.len());
                out.push(Directive {
                    used: vec![false; ids.len()],
                    ids,
                    span: c.span,
                    range: c.span.end..source.len() + 1,
                    used_any: false,
                    whole_draft: false,
                });
            }
            "emaillint-enable" => {
                // Close the open ranges it names (all of them when it names none).
                let names: Vec<&str> = ids.iter().map(|(id, _)| id.as_str()).collect();
                open.retain(|&i| {
                    let d = &mut out[i];
                    let closes = names.is_empty()
                        || d.ids.iter().all(|(id, _)| names.contains(&id.as_str()));
                    if closes {
                        d.range.end = c.span.start;
                    }
                    !closes
                });
            }
            "emaillint-disable-next-line" => {
                // The line after the comment's own line (any line ending).
                let range = match crate::source::lines_from(source, c.span.end).nth(1) {
                    Some((next, _)) => next.start..next.end + 1,
                    None => source.len()..source.len(),
                };
                out.push(Directive {
                    used: vec![false; ids.len()],
                    ids,
                    span: c.span,
                    range,
                    used_any: false,
                    whole_draft: false,
                });
            }
            _ => {}
        }
    }
    out
}

/// `ID, ID` with each id's span, starting at byte `base`.
fn parse_ids(text: &str, base: usize) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in text.split([',', ' ', '\t', '\n', '\r']) {
        let start = base + at;
        at += part.len() + 1;
        if part.is_empty() {
            continue;
        }
        out.push((part.to_string(), Span::new(start, start + part.len())));
    }
    out
}
