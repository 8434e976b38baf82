//! Measuring rules against a labelled corpus.
//!
//! A corpus is a directory with `labels.yaml` (a list of entries, one per
//! email: `file`, `passed: {rule-id: true|false|null}`, optionally `kind`,
//! `body_words`, `evidence`, `notes`) and the emails it names. Each email is
//! linted exactly as `emaillint` would lint it; a rule's check is right when
//! its `passed` equals the label. The positive class is "the rule reports a
//! problem", so precision is "how often a diagnostic is deserved" and recall
//! "how often a real problem is caught". Null labels are not scored.

use crate::diagnostic::FileReport;
use crate::diagnostic::Severity;
use crate::document::Format;
use crate::linter::Linter;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub file: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub body_words: Option<usize>,
    pub passed: BTreeMap<String, Option<bool>>,
    #[serde(default)]
    pub evidence: BTreeMap<String, String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A labelled email and what emaillint made of it.
#[derive(Debug)]
pub struct Graded {
    pub entry: Entry,
    pub text: String,
    pub report: FileReport,
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1 of the "problem reported" class. A rule with no problems to find
    /// and none reported scores 1.
    pub fn f1(&self) -> f64 {
        if self.tp + self.fp + self.fn_ == 0 {
            return 1.0;
        }
        2.0 * self.tp as f64 / (2 * self.tp + self.fp + self.fn_) as f64
    }

    pub fn total(&self) -> usize {
        self.tp + self.fp + self.fn_ + self.tn
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One rule's check on one email that disagreed with its label.
#[derive(Debug)]
pub struct Miss<'a> {
    pub graded: &'a Graded,
    pub rule: String,
    /// The label said the advice was met; emaillint reported a problem.
    pub false_alarm: bool,
}

#[derive(Debug)]
pub struct Scores {
    pub graded: Vec<Graded>,
    pub per_rule: BTreeMap<String, Counts>,
}

impl Scores {
    pub fn macro_f1(&self) -> f64 {
        if self.per_rule.is_empty() {
            return 1.0;
        }
        self.per_rule.values().map(Counts::f1).sum::<f64>() / self.per_rule.len() as f64
    }

    /// Every disagreement with the labels, email by email.
    pub fn misses(&self) -> Vec<Miss<'_>> {
        let mut out = Vec::new();
        for g in &self.graded {
            for (rule, label) in &g.entry.passed {
                let Some(label) = label else { continue };
                let Some(check) = g.report.checks.iter().find(|c| &c.rule == rule) else {
                    continue;
                };
                if check.passed != *label {
                    out.push(Miss {
                        graded: g,
                        rule: rule.clone(),
                        false_alarm: *label,
                    });
                }
            }
        }
        out
    }

    /// Error-severity diagnostics on emails labelled as meeting that advice.
    pub fn error_false_alarms(&self) -> Vec<Miss<'_>> {
        self.misses()
            .into_iter()
            .filter(|m| {
                m.false_alarm
                    && m.graded
                        .report
                        .diagnostics
                        .iter()
                        .any(|d| d.rule == m.rule && d.severity == Severity::Error)
            })
            .collect()
    }

    /// Emails whose `body_words` label differs from emaillint's count.
    pub fn word_count_differences(&self) -> Vec<(&Graded, usize, usize)> {
        self.graded
            .iter()
            .filter_map(|g| {
                let label = g.entry.body_words?;
                (label != g.report.stats.words).then_some((g, label, g.report.stats.words))
            })
            .collect()
    }
}

/// Why a corpus could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Read `dir/labels.yaml` and lint every email it lists.
pub fn measure(dir: &Path, linter: &Linter) -> Result<Scores, CorpusError> {
    let labels_path = dir.join("labels.yaml");
    let labels = std::fs::read_to_string(&labels_path).map_err(|source| CorpusError::Io {
        path: labels_path.clone(),
        source,
    })?;
    let entries: Vec<Entry> = crate::yaml::from_str(&labels).map_err(|e| CorpusError::Invalid {
        path: labels_path.clone(),
        message: e.message,
    })?;
    let mut graded = Vec::new();
    let mut per_rule: BTreeMap<String, Counts> = BTreeMap::new();
    for entry in entries {
        let path = dir.join(&entry.file);
        let bytes = std::fs::read(&path).map_err(|source| CorpusError::Io {
            path: path.clone(),
            source,
        })?;
        let format = Format::from_path(&path);
        let text = crate::document::prepare(bytes, format)
            .map_err(|e| CorpusError::Invalid {
                path: path.clone(),
                message: e.to_string(),
            })?
            .text;
        let report = linter.lint(&text, format);
        for (rule, label) in &entry.passed {
            let Some(label) = label else { continue };
            let Some(check) = report.checks.iter().find(|c| &c.rule == rule) else {
                continue;
            };
            let c = per_rule.entry(rule.clone()).or_default();
            match (check.passed, *label) {
                (false, false) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (true, true) => c.tn += 1,
            }
        }
        graded.push(Graded {
            entry,
            text,
            report,
        });
    }
    Ok(Scores { graded, per_rule })
}
