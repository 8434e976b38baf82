//! `--fix`: apply fixes one at a time, re-linting after each.
//!
//! Fixes are tried in rule order, which is the order the pack wants the
//! email to read in, so two sentences inserted at the same place (before the
//! sign-off, say) come out in that order. A fix that would make a rule fail
//! that passed before is not applied: fixing never trades one problem for
//! another. Edits replace exact byte spans; every other byte, line endings
//! and BOM included, is kept.

use crate::diagnostic::{Applicability, FileReport, apply_fixes};
use crate::document::Format;
use crate::engine::Settings;
use crate::rules::RuleSet;
use std::collections::HashSet;

/// The most fixes applied to one draft (each needs a re-lint).
const MAX_FIXES: usize = 64;

/// The fixed text, its report, and how many fixes were applied.
pub fn fix(
    text: &str,
    format: Format,
    set: &RuleSet,
    settings: &Settings,
    unsafe_fixes: bool,
) -> (String, FileReport, usize) {
    let mut text = text.to_string();
    let mut report = crate::check(&text, format, set, settings).1;
    let mut applied = 0;
    let mut rejected: HashSet<(String, String)> = HashSet::new();
    while applied < MAX_FIXES {
        let failing = |r: &FileReport| -> HashSet<String> {
            r.checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| c.rule.clone())
                .collect()
        };
        let before = failing(&report);
        let mut candidates: Vec<_> = report
            .diagnostics
            .iter()
            .filter_map(|d| Some((d, d.fix.as_ref()?)))
            .filter(|(_, f)| f.applicability == Applicability::Safe || unsafe_fixes)
            .filter(|(d, f)| !rejected.contains(&(d.rule.clone(), f.message.clone())))
            .collect();
        candidates
            .sort_by_key(|(d, _)| (set.position(&d.rule).unwrap_or(usize::MAX), d.span.start));
        let mut progressed = false;
        for (d, f) in candidates {
            let (new, n) = apply_fixes(&text, [f]);
            if n == 0 || new == text {
                rejected.insert((d.rule.clone(), f.message.clone()));
                continue;
            }
            let new_report = crate::check(&new, format, set, settings).1;
            if failing(&new_report).iter().any(|r| !before.contains(r)) {
                rejected.insert((d.rule.clone(), f.message.clone()));
                continue;
            }
            text = new;
            report = new_report;
            applied += 1;
            progressed = true;
            break;
        }
        if !progressed {
            break;
        }
    }
    (text, report, applied)
}
