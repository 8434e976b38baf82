//! What linting a draft produces: diagnostics, checks and statistics.

use crate::span::Span;
use serde::{Deserialize, Serialize};

/// How strongly a diagnostic is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Also spelled `note` (the word compilers use).
    #[serde(alias = "note")]
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A problem found in a draft, with the exact bytes it is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The bytes the diagnostic is about. Empty when it reports something
    /// missing: the span is then where it belongs.
    pub span: Span,
    /// A short text shown under the span.
    pub label: Option<String>,
    /// Other places that explain this one (the earlier apologies, say).
    pub related: Vec<Related>,
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// How safe a fix is to apply without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// `--fix` applies it: a like-for-like wording change.
    Safe,
    /// Offered (editors, `--fix --unsafe-fixes`), never applied silently: new
    /// text the writer should adapt.
    Unsafe,
}

/// Edits that resolve a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// Replace `span` with `replacement` (an insertion when `span` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// The outcome of one rule on one draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub rule: String,
    pub passed: bool,
    pub severity: Severity,
    /// For rules that look for something: what satisfied them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Span>,
    /// For measuring rules: the measured value and the bound it was held to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Words in the body (between greeting and sign-off).
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    /// At 238 words a minute, rounded up.
    pub reading_time_seconds: u64,
}

/// Everything linting one draft produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileReport {
    pub diagnostics: Vec<Diagnostic>,
    pub checks: Vec<Check>,
    pub stats: Stats,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

/// Apply `fixes` to `text`. Fixes are taken in the order given; a fix whose
/// edits overlap an edit already taken (or fall outside the text) is skipped
/// whole, so applying never corrupts the text. Insertions at one place
/// are made in the order given. Returns the new text and the number of
/// fixes applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let clash = spans_clash;
    let mut taken: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for fix in fixes {
        let fits = fix.edits.iter().enumerate().all(|(i, e)| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
                && !taken.iter().any(|t| clash(t.span, e.span))
                && !fix.edits[..i].iter().any(|o| clash(o.span, e.span))
        });
        if fits {
            taken.extend(&fix.edits);
            count += 1;
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in taken {
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    (out, count)
}

/// Do two edits' spans clash: overlap, or start at the same place unless
/// both insert there (insertions at one place go in the order made)?
pub fn spans_clash(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && !(a.is_empty() && b.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(start: usize, end: usize, r: &str) -> Fix {
        Fix {
            message: String::new(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: Span::new(start, end),
                replacement: r.into(),
            }],
        }
    }

    #[test]
    fn applies_non_overlapping_fixes_and_keeps_every_other_byte() {
        let text = "I\u{2019}m sorry\r\nso sorry\r\n";
        let (a, b) = (text.find("sorry").unwrap(), text.rfind("sorry").unwrap());
        let fixes = [
            fix(a, a + 5, "regret"),
            fix(a, a + 2, "X"),
            fix(b, b + 5, "sad"),
            fix(1, 2, "bad"),
        ];
        let (out, n) = apply_fixes(text, &fixes);
        assert_eq!(out, "I\u{2019}m regret\r\nso sad\r\n");
        assert_eq!(n, 2);
    }

    /// Insertions at one place go in, in the order given; a replacement
    /// starting there still clashes with them.
    #[test]
    fn insertions_at_one_place_keep_their_order() {
        let text = "Hi.\n\nBye\n";
        let at = text.find("Bye").unwrap();
        let fixes = [
            fix(at, at, "A.\n\n"),
            fix(at, at + 3, "Ciao"),
            fix(at, at, "B.\n\n"),
        ];
        let (out, n) = apply_fixes(text, &fixes);
        assert_eq!(out, "Hi.\n\nA.\n\nB.\n\nBye\n");
        assert_eq!(n, 2);
        assert!(!spans_clash(Span::new(at, at), Span::new(at, at)));
        assert!(spans_clash(Span::new(at, at), Span::new(at, at + 3)));
        assert!(spans_clash(Span::new(at, at + 3), Span::new(at, at)));
        assert!(!spans_clash(Span::new(0, at), Span::new(at, at)));
    }
}
