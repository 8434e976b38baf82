//! emaillint for a web page: lint a draft, apply its fixes, start a new
//! one. Everything runs in the page; nothing is sent anywhere.
//!
//! Every offset this layer returns is in UTF-16 code units, the unit
//! JavaScript strings (and a `<textarea>`'s selection) are indexed by, so
//! `text.slice(start, end)` in the page is exactly the text a diagnostic
//! is about, after an emoji or a curly quote as anywhere else. Results are
//! JSON strings; docs in web/README.md.

use emaillint::config::{self, Overrides};
use emaillint::diagnostic::{Applicability, FileReport};
use emaillint::skeleton::{self, Fill};
use emaillint::span::Span;
use emaillint::{Date, Format, Linter, RuleSet};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// One linter per profile, built on first use (the rules themselves
    /// are compiled once and shared).
    static LINTERS: RefCell<HashMap<String, Linter>> = RefCell::new(HashMap::new());
}

/// Why a call failed: an unknown profile or format, or a bad date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn linter(profile: &str, today: &str) -> Result<Linter, Error> {
    let today = if today.is_empty() {
        None
    } else {
        Some(Date::parse_iso(today).ok_or_else(|| {
            Error(format!("`{today}` is not a date (YYYY-MM-DD)"))
        })?)
    };
    LINTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let linter = match cache.get(profile) {
            Some(l) => l.clone(),
            None => {
                let r = config::resolve(
                    None,
                    &Overrides {
                        profile: Some(profile.to_string()),
                        ..Overrides::default()
                    },
                )
                .map_err(|e| Error(e.to_string()))?;
                let l = Linter::new(r.set, r.settings);
                cache.insert(profile.to_string(), l.clone());
                l
            }
        };
        let mut settings = linter.settings().clone();
        settings.today = today;
        Ok(linter.with_settings(settings))
    })
}

fn format(name: &str) -> Result<Format, Error> {
    match name {
        "" | "text" => Ok(Format::Text),
        "markdown" => Ok(Format::Markdown),
        other => Err(Error(format!(
            "unknown format `{other}` (text or markdown)"
        ))),
    }
}

/// Byte offsets of a text to UTF-16 offsets.
#[derive(Debug)]
pub struct Utf16 {
    /// At each byte offset that starts a character (and at the end): the
    /// UTF-16 offset there.
    at: Vec<u32>,
}

impl Utf16 {
    pub fn new(text: &str) -> Utf16 {
        let mut at = vec![0u32; text.len() + 1];
        let mut u = 0u32;
        for (i, c) in text.char_indices() {
            at[i] = u;
            // Bytes inside a character map to its start (spans never
            // point there, but a lookup must not panic).
            for slot in at.iter_mut().take(i + c.len_utf8()).skip(i + 1) {
                *slot = u;
            }
            u += c.len_utf16() as u32;
        }
        at[text.len()] = u;
        Utf16 { at }
    }

    pub fn of(&self, byte: usize) -> u32 {
        self.at[byte.min(self.at.len() - 1)]
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.of(span.start),
            end: self.of(span.end),
        }
    }
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    profile: &'a str,
    diagnostics: Vec<WebDiagnostic<'a>>,
    checklist: Vec<Item<'a>>,
    stats: emaillint::diagnostic::Stats,
}

#[derive(Debug, Serialize)]
struct WebDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    label: Option<&'a str>,
    #[serde(flatten)]
    range: Range,
    notes: &'a [String],
    related: Vec<Related<'a>>,
    fix: Option<WebFix<'a>>,
    /// What the rule checks, why, and the articles the advice comes from.
    summary: Option<&'a str>,
    rationale: Option<&'a str>,
    sources: Vec<Source<'a>>,
}

#[derive(Debug, Serialize)]
struct Related<'a> {
    message: &'a str,
    #[serde(flatten)]
    range: Range,
}

#[derive(Debug, Serialize)]
struct WebFix<'a> {
    message: &'a str,
    applicability: Applicability,
    edits: Vec<WebEdit<'a>>,
}

#[derive(Debug, Serialize)]
struct WebEdit<'a> {
    #[serde(flatten)]
    range: Range,
    replacement: &'a str,
}

#[derive(Debug, Serialize)]
struct Source<'a> {
    file: &'a str,
    title: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Item<'a> {
    label: &'a str,
    rule: &'a str,
    passed: bool,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Range>,
}

fn report_json(profile: &str, text: &str, report: &FileReport, rules: &Arc<RuleSet>) -> String {
    let map = Utf16::new(text);
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let rule = rules.rules.iter().find(|r| r.id == d.rule);
            WebDiagnostic {
                rule: &d.rule,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                label: d.label.as_deref(),
                range: map.range(d.span),
                notes: &d.notes,
                related: d
                    .related
                    .iter()
                    .map(|r| Related {
                        message: &r.message,
                        range: map.range(r.span),
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|f| WebFix {
                    message: &f.message,
                    applicability: f.applicability,
                    edits: f
                        .edits
                        .iter()
                        .map(|e| WebEdit {
                            range: map.range(e.span),
                            replacement: &e.replacement,
                        })
                        .collect(),
                }),
                summary: rule.map(|r| r.summary.as_str()),
                rationale: rule.and_then(|r| r.rationale.as_deref()),
                sources: rule
                    .map(|r| {
                        r.sources
                            .iter()
                            .map(|s| Source {
                                file: s,
                                title: rules.source_titles.get(s).map(String::as_str),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let checklist = emaillint::report::checklist(report, rules)
        .into_iter()
        .map(|i| Item {
            label: i.label,
            rule: &i.check.rule,
            passed: i.check.passed,
            severity: i.check.severity.as_str(),
            value: i.check.value,
            limit: i.check.limit,
            evidence: i.check.evidence.map(|s| map.range(s)),
        })
        .collect();
    let out = Report {
        profile,
        diagnostics,
        checklist,
        stats: report.stats,
    };
    serde_json::to_string(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Lint `text` (format `text` or `markdown`) under `profile`, as of
/// `today` (`YYYY-MM-DD`, or empty for no date): the report as JSON.
pub fn lint_json(text: &str, profile: &str, format_name: &str, today: &str) -> Result<String, Error> {
    let l = linter(profile, today)?;
    let report = l.lint(text, format(format_name)?);
    Ok(report_json(profile, text, &report, l.rules()))
}

/// Apply every fix that makes the draft better (safe ones; with
/// `unsafe_fixes`, suggested sentences too): `{"text", "applied"}`.
pub fn fix_json(
    text: &str,
    profile: &str,
    format_name: &str,
    today: &str,
    unsafe_fixes: bool,
) -> Result<String, Error> {
    let l = linter(profile, today)?;
    let fixed = l.fix(text, format(format_name)?, unsafe_fixes);
    #[derive(Serialize)]
    struct Out<'a> {
        text: &'a str,
        applied: usize,
        stopped: Option<&'a str>,
    }
    serde_json::to_string(&Out {
        text: &fixed.text,
        applied: fixed.applied,
        stopped: fixed.stopped.as_deref(),
    })
    .map_err(|e| Error(e.to_string()))
}

/// The profiles, with what each is for: `[{"name", "description"}]`.
pub fn profiles_json() -> String {
    #[derive(Serialize)]
    struct P<'a> {
        name: &'a str,
        description: &'a str,
    }
    let Ok(rules) = RuleSet::builtin() else {
        return "[]".to_string();
    };
    let list: Vec<P> = skeleton::profiles()
        .map(|name| P {
            name,
            description: rules
                .profiles
                .get(name)
                .map_or("", |p| p.description.as_str()),
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_string())
}

/// A draft to start from, with the values given (empty: the slot stays).
pub fn new_draft_text(profile: &str, to: &str, role: &str, from: &str) -> Result<String, Error> {
    fn some(s: &str) -> Option<&str> {
        (!s.trim().is_empty()).then_some(s)
    }
    let fill = Fill {
        to: some(to),
        role: some(role),
        from: some(from),
    };
    fill.validate().map_err(|e| Error(e.to_string()))?;
    skeleton::render(profile, &fill)
        .ok_or_else(|| Error(format!("no draft to start from for profile `{profile}`")))
}

// The JavaScript interface: the same functions, failures as exceptions.

#[wasm_bindgen]
pub fn lint(text: &str, profile: &str, format: &str, today: &str) -> Result<String, JsError> {
    lint_json(text, profile, format, today).map_err(|e| JsError::new(&e.0))
}

#[wasm_bindgen]
pub fn fix(
    text: &str,
    profile: &str,
    format: &str,
    today: &str,
    unsafe_fixes: bool,
) -> Result<String, JsError> {
    fix_json(text, profile, format, today, unsafe_fixes).map_err(|e| JsError::new(&e.0))
}

#[wasm_bindgen]
pub fn profiles() -> String {
    profiles_json()
}

#[wasm_bindgen]
pub fn new_draft(profile: &str, to: &str, role: &str, from: &str) -> Result<String, JsError> {
    new_draft_text(profile, to, role, from).map_err(|e| JsError::new(&e.0))
}

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// A UTF-16 offset range of `text`, as JavaScript's `slice` reads it.
    fn js_slice(text: &str, start: u64, end: u64) -> String {
        let units: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&units[start as usize..end as usize]).expect("whole characters")
    }

    #[test]
    fn offsets_are_utf16_after_emoji_curly_quotes_and_combining_marks() {
        let text = "Subject: Hi \u{1F600}\r\n\r\nDear Jose\u{301} \u{201C}Pepe\u{201D} P\u{e9}rez,\r\n\r\n\
                    Thank you for meeting me \u{1F64F}. I am begging you, please, I am desperate for this job. \
                    I was the best candidate you will ever meet.\r\n\r\nBest,\r\n\u{1F600} Sam\r\n";
        let json: Value = serde_json::from_str(
            &lint_json(text, "second-chance", "text", "").expect("lints"),
        )
        .expect("JSON");
        let diags = json["diagnostics"].as_array().expect("diagnostics");
        assert!(!diags.is_empty());
        let mut saw_forbid = false;
        for d in diags {
            let (s, e) = (d["start"].as_u64().unwrap(), d["end"].as_u64().unwrap());
            let slice = js_slice(text, s, e);
            if d["rule"] == "desperation" || d["rule"] == "exaggeration" {
                saw_forbid = true;
                assert!(!slice.is_empty());
                // The underlined words are in the sentence, letter for letter.
                assert!(text.contains(&slice), "{slice}");
                assert!(
                    slice.to_lowercase().contains("begging")
                        || slice.to_lowercase().contains("desperate")
                        || slice.to_lowercase().contains("best"),
                    "{}: {slice:?}",
                    d["rule"]
                );
            }
            // Every rule's advice carries where it comes from.
            if d["rule"] != "syntax" {
                assert!(d["summary"].is_string(), "{d}");
            }
        }
        assert!(saw_forbid, "{json:#}");
        let labels: Vec<&str> = json["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap())
            .collect();
        for want in ["thanks", "interest", "excuse", "fit", "meeting request", "references", "length"] {
            assert!(labels.contains(&want), "{labels:?}");
        }
    }

    #[test]
    fn the_utf16_map_counts_surrogate_pairs() {
        let text = "a\u{1F600}b\u{e9}c";
        let m = Utf16::new(text);
        assert_eq!(m.of(0), 0);
        assert_eq!(m.of(1), 1);
        assert_eq!(m.of(5), 3); // after the emoji: two units
        assert_eq!(m.of(6), 4);
        assert_eq!(m.of(8), 5);
        assert_eq!(m.of(text.len()), 6);
        assert_eq!(m.of(2), 1); // inside the emoji: its start
        assert_eq!(m.of(99), 6);
    }

    #[test]
    fn a_fix_offered_to_the_page_applies_at_its_utf16_range() {
        let text = "Dear Ms. Park,\n\nThank you for meeting me \u{1F64F} on Monday. I remain very interested in the analyst role, \
                    and my SQL work fits your team. Would you be willing to meet again at your convenience?\n\n\
                    Thank you again.\n\nBest regards,\nSam Lee\n";
        let json: Value =
            serde_json::from_str(&lint_json(text, "second-chance", "text", "").unwrap()).unwrap();
        let d = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "references")
            .expect("references is missing");
        let edit = &d["fix"]["edits"][0];
        let units: Vec<u16> = text.encode_utf16().collect();
        let (s, e) = (
            edit["start"].as_u64().unwrap() as usize,
            edit["end"].as_u64().unwrap() as usize,
        );
        let mut fixed: Vec<u16> = units[..s].to_vec();
        fixed.extend(edit["replacement"].as_str().unwrap().encode_utf16());
        fixed.extend(&units[e..]);
        let fixed = String::from_utf16(&fixed).unwrap();
        let after: Value =
            serde_json::from_str(&lint_json(&fixed, "second-chance", "text", "").unwrap()).unwrap();
        assert!(
            after["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["rule"] != "references"),
            "{fixed}"
        );
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        assert!(lint_json("x", "cover-letter", "text", "").is_err());
        assert!(lint_json("x", "second-chance", "rtf", "").is_err());
        assert!(lint_json("x", "second-chance", "text", "2026-13-45").is_err());
        assert!(lint_json("", "second-chance", "markdown", "2026-12-02").is_ok());
        assert!(new_draft_text("second-chance", "Ms. Park\n", "", "").is_err());
        let draft = new_draft_text("thank-you", "Ms. Park", "", "").unwrap();
        assert!(draft.contains("Dear Ms. Park,"));
        let profiles: Value = serde_json::from_str(&profiles_json()).unwrap();
        assert_eq!(profiles.as_array().unwrap().len(), 3);
    }
}
