//! `--fix`: apply fixes, re-linting to check each one did what it says.
//!
//! Fixes are tried in rule order, which is the order the pack wants the
//! email to read in, so two sentences inserted at the same place (before the
//! sign-off, say) come out in that order. A fix is kept only if, after it:
//!
//! - its own rule reports fewer problems (an insertion that leaves its rule
//!   failing, because it landed where the rule does not look, is refused);
//! - no rule reports more problems, and no passing rule fails: fixing never
//!   trades one problem for another.
//!
//! Every kept fix removes at least one diagnostic, so the loop ends, and it
//! ends with nothing left to apply: a second `--fix` changes nothing. Fixes
//! that do not overlap are tried together, one re-lint for the lot; when a
//! batch is refused it is halved until the culprit is found alone, so a run
//! re-lints about once per batch plus a logarithmic number of times per
//! refused fix, not once per fix. Edits replace exact byte spans; every
//! other byte, line endings and BOM included, is kept.

use crate::diagnostic::{Applicability, Diagnostic, Edit, FileReport, Fix, apply_fixes};
use crate::document::Format;
use crate::engine::Settings;
use crate::rules::RuleSet;
use std::collections::BTreeMap;

/// A fix `--fix` did not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub rule: String,
    pub message: String,
    pub edits: Vec<Edit>,
    pub reason: String,
}

/// What a fix run produced.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The fixed text.
    pub text: String,
    /// Its report; diagnostics whose fix was refused carry a note saying why.
    pub report: FileReport,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes refused in the final text.
    pub refused: Vec<Refused>,
    /// Set when the run stopped before it converged, saying why.
    pub stopped: Option<String>,
    /// Lints run (the first included).
    pub lints: usize,
}

fn counts(r: &FileReport) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for d in &r.diagnostics {
        *m.entry(d.rule.as_str()).or_insert(0) += 1;
    }
    m
}

/// Is `d`'s fix one of `refused`? Matched by rule and fix message: after
/// other fixes were applied its spans may have moved.
pub fn is_refused(refused: &[Refused], d: &Diagnostic) -> bool {
    d.fix.as_ref().is_some_and(|f| {
        refused
            .iter()
            .any(|r| r.rule == d.rule && r.message == f.message)
    })
}

/// Note on each diagnostic whose fix is in `refused` why it is not applied,
/// after `lead` ("--fix did not apply this").
pub fn note_refused(report: &mut FileReport, refused: &[Refused], lead: &str) {
    for d in &mut report.diagnostics {
        if let Some(f) = &d.fix
            && let Some(r) = refused
                .iter()
                .find(|r| r.rule == d.rule && r.message == f.message)
        {
            d.notes.push(format!("{lead}: {}", r.reason));
        }
    }
}

/// Why the change from `before` to `after` by `batch` is not a fix, if it is not.
fn judge(before: &FileReport, after: &FileReport, batch: &[(&Diagnostic, &Fix)]) -> Option<String> {
    let (b, a) = (counts(before), counts(after));
    for (rule, &n) in &a {
        let was = b.get(rule).copied().unwrap_or(0);
        if was == 0 {
            return Some(format!("it would make `{rule}` fail"));
        }
        if n > was {
            return Some(format!("it would add a `{rule}` problem"));
        }
    }
    let mut fixes: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, _) in batch {
        *fixes.entry(d.rule.as_str()).or_insert(0) += 1;
    }
    for (rule, k) in fixes {
        let was = b.get(rule).copied().unwrap_or(0);
        let now = a.get(rule).copied().unwrap_or(0);
        if now + k > was {
            return Some(format!(
                "`{rule}` still reports the problem after it (the text would land where the rule does not look)"
            ));
        }
    }
    None
}

/// Do two edits clash (overlap, or start at the same place, unless both
/// insert there)? Insertions at one place go in the order taken, which
/// is the rules' order, as round after round would put them.
fn clash(a: &Edit, b: &Edit) -> bool {
    crate::diagnostic::spans_clash(a.span, b.span)
}

/// The edits taken for a batch. Taken edits clash with no edit of another
/// fix, so their starts are distinct and, sorted by start, so are their
/// ends: whether a new edit clashes with one is two lookups in `by_start`
/// (a scan of every taken edit made batches quadratic on drafts with
/// thousands of fixes). Should a fix's own edits overlap each other, that
/// order no longer holds, and the scan of `all` decides.
#[derive(Default)]
struct Taken<'a> {
    by_start: BTreeMap<usize, usize>,
    all: Vec<&'a Edit>,
    ordered: bool,
}

impl<'a> Taken<'a> {
    fn new() -> Self {
        Taken {
            ordered: true,
            ..Taken::default()
        }
    }

    /// Does `e` clash with a taken edit (as [`clash`] says)?
    fn clashes(&self, e: &Edit) -> bool {
        if !self.ordered {
            return self.all.iter().any(|t| clash(t, e));
        }
        let (a, b) = (e.span.start, e.span.end);
        // One starting inside `e` (or at its place, for an insertion,
        // unless that one inserts too), or the last one starting before
        // it, reaching into it.
        let inside = if a == b {
            self.by_start.get(&a).is_some_and(|&end| end > a)
        } else {
            self.by_start.range(a..b).next().is_some()
        };
        inside
            || self
                .by_start
                .range(..a)
                .next_back()
                .is_some_and(|(_, &end)| end > a)
    }

    fn insert(&mut self, e: &'a Edit) {
        let (a, b) = (e.span.start, e.span.end);
        let before = self.by_start.range(..a).next_back().map(|(_, &end)| end);
        let after = self.by_start.range(a..).next().map(|(&start, _)| start);
        if self.by_start.contains_key(&a)
            || before.is_some_and(|end| end > a)
            || after.is_some_and(|start| start < b)
        {
            self.ordered = false;
        }
        self.by_start.insert(a, b);
        self.all.push(e);
    }
}

/// Fix `text`: the fixed text, its report, and what was and was not applied.
pub fn fix(
    text: &str,
    format: Format,
    set: &RuleSet,
    settings: &Settings,
    unsafe_fixes: bool,
) -> Fixed {
    let report = crate::pipeline::check(text, format, set, settings).1;
    fix_linted(text, report, format, set, settings, unsafe_fixes)
}

/// [`fix`] of a text already linted with the same rules and settings:
/// `report` is its report, so the loop starts without linting it again
/// (on a draft of megabytes, a lint is most of the cost).
pub fn fix_linted(
    text: &str,
    report: FileReport,
    format: Format,
    set: &RuleSet,
    settings: &Settings,
    unsafe_fixes: bool,
) -> Fixed {
    let mut text = text.to_string();
    let mut report = report;
    let mut lints = 1;
    let mut applied = 0;
    // Refused in the current text; cleared whenever the text changes, since
    // a fix refused before may be fine after another.
    let mut refused: Vec<Refused> = Vec::new();
    let mut stopped = None;
    // Generous: every kept batch removes a diagnostic, every refusal costs
    // at most a logarithmic number of halvings.
    let budget = 64 + 16 * report.diagnostics.len();
    let mut limit = usize::MAX;
    loop {
        let is_refused = |d: &Diagnostic, f: &Fix| {
            refused
                .iter()
                .any(|r| r.rule == d.rule && r.message == f.message && r.edits == f.edits)
        };
        let mut candidates: Vec<(&Diagnostic, &Fix)> = report
            .diagnostics
            .iter()
            .filter_map(|d| Some((d, d.fix.as_ref()?)))
            .filter(|(_, f)| f.applicability == Applicability::Safe || unsafe_fixes)
            .filter(|(_, f)| !f.edits.is_empty())
            .filter(|(d, f)| !is_refused(d, f))
            .collect();
        if candidates.is_empty() {
            break;
        }
        if lints >= budget {
            stopped = Some(format!(
                "stopped after {lints} re-lints with fixes left to try; run --fix again"
            ));
            break;
        }
        candidates
            .sort_by_key(|(d, _)| (set.position(&d.rule).unwrap_or(usize::MAX), d.span.start));
        // A batch: fixes in order whose edits clash with none taken before.
        // Once an insertion waits for a later round, so do the insertions
        // after it, so that inserted sentences keep the rules' order.
        let mut batch: Vec<(&Diagnostic, &Fix)> = Vec::new();
        let mut taken = Taken::new();
        let mut insertion_waits = false;
        for (d, f) in candidates {
            if batch.len() >= limit {
                break;
            }
            let inserts = f.edits.iter().any(|e| e.span.is_empty());
            if inserts && insertion_waits {
                continue;
            }
            if f.edits.iter().any(|e| taken.clashes(e)) {
                insertion_waits |= inserts;
                continue;
            }
            for e in &f.edits {
                taken.insert(e);
            }
            batch.push((d, f));
        }
        let (new, n) = apply_fixes(&text, batch.iter().map(|(_, f)| *f));
        let verdict = if n != batch.len() {
            Some("its edits do not fit the text".to_string())
        } else if new == text {
            Some("it changes nothing".to_string())
        } else {
            None
        };
        let (verdict, new_report) = match verdict {
            Some(v) => (Some(v), None),
            None => {
                let r = crate::pipeline::check(&new, format, set, settings).1;
                lints += 1;
                (judge(&report, &r, &batch), Some(r))
            }
        };
        match (verdict, new_report) {
            (None, Some(r)) => {
                applied += batch.len();
                text = new;
                report = r;
                refused.clear();
                limit = usize::MAX;
            }
            (Some(reason), _) if batch.len() == 1 => {
                let (d, f) = batch[0];
                refused.push(Refused {
                    rule: d.rule.clone(),
                    message: f.message.clone(),
                    edits: f.edits.clone(),
                    reason,
                });
                limit = usize::MAX;
            }
            _ => limit = batch.len() / 2,
        }
    }
    for d in &mut report.diagnostics {
        if let Some(f) = &d.fix
            && let Some(r) = refused
                .iter()
                .find(|r| r.rule == d.rule && r.message == f.message && r.edits == f.edits)
        {
            d.notes
                .push(format!("--fix did not apply this: {}", r.reason));
        }
    }
    Fixed {
        text,
        report,
        applied,
        refused,
        stopped,
        lints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    /// The taken-edit index answers as a scan of every taken edit does,
    /// for random batches (insertions, replacements, and fixes whose own
    /// edits overlap).
    #[test]
    fn taken_edits_clash_exactly_as_a_scan_says() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for _ in 0..2_000 {
            let edits: Vec<Edit> = (0..12)
                .map(|_| {
                    let a = next(40);
                    let len = if next(3) == 0 { 0 } else { next(6) };
                    Edit {
                        span: Span::new(a, a + len),
                        replacement: String::new(),
                    }
                })
                .collect();
            let mut taken = Taken::new();
            let mut all: Vec<&Edit> = Vec::new();
            for (i, e) in edits.iter().enumerate() {
                let scan = all.iter().any(|t| clash(t, e));
                assert_eq!(taken.clashes(e), scan, "{i}: {:?} after {all:?}", e.span);
                // Take it when it does not clash, and now and then anyway
                // (a fix's own edits may overlap).
                if !scan || next(8) == 0 {
                    taken.insert(e);
                    all.push(e);
                }
            }
        }
    }
}
