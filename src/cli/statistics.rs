//! `--statistics`: how many diagnostics each rule reported, instead of the
//! diagnostics themselves.

use emaillint::Severity;
use emaillint::report::Outcome;
use std::collections::HashMap;

/// One line per rule and severity, the most frequent first:
/// `    3  warning  references`.
pub(crate) fn table(outcomes: &[Outcome]) -> String {
    let mut counts: HashMap<(&str, Severity), usize> = HashMap::new();
    for o in outcomes {
        if let Outcome::Linted(l) = o {
            for d in &l.report.diagnostics {
                *counts.entry((d.rule.as_str(), d.severity)).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<((&str, Severity), usize)> = counts.into_iter().collect();
    rows.sort_by(|((ra, sa), a), ((rb, sb), b)| b.cmp(a).then(sb.cmp(sa)).then(ra.cmp(rb)));
    let mut out = String::new();
    for ((rule, severity), n) in rows {
        out.push_str(&format!("{n:>5}  {:<7}  {rule}\n", severity.as_str()));
    }
    out
}
