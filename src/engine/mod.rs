//! The rule engine: a parsed draft and a rule set in, a [`FileReport`] out.
//!
//! All matchers run once over the draft (`Matchers::find_all`). Each rule
//! then takes its trigger hits, keeps those in its scope, drops those that
//! overlap an exception, keeps only those whose sentence has a `with` hit and
//! no `without` hit, and hands them to its kind (`kinds.rs`). No rule is
//! special-cased: the email advice lives in the YAML.

mod kinds;
mod metrics;

use crate::diagnostic::{Check, Diagnostic, FileReport, Stats};
use crate::document::{Document, Part, Region, SyntaxProblem};
use crate::rules::matcher::Hit;
use crate::rules::model::{Anchor, Bounds, Scope, Severity};
use crate::rules::words::Tokens;
use crate::rules::{Rule, RuleSet};
use crate::span::Span;
use std::ops::Range;

/// How one rule is configured for a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleConfig {
    /// `None`: the rule is off.
    pub severity: Option<Severity>,
    pub bounds: Bounds,
}

/// Everything besides the draft and the rules that affects a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// One entry per rule of the rule set, in order.
    pub rules: Vec<RuleConfig>,
    /// Template mode: placeholder names that are allowed (and stand in as words).
    pub variables: Option<Vec<String>>,
    /// Dates for `timing` rules: the interview, and when the email is sent.
    pub interview: Option<metrics::Date>,
    pub today: Option<metrics::Date>,
}

pub use metrics::Date;

/// Settings a draft carries itself: front matter `interview:`, `date:` and
/// `variables:`, and an `.eml` `Date:` header. They override the run's
/// settings for this draft. Values that cannot be read are syntax problems.
fn document_settings(
    doc: &Document,
    source: &str,
    settings: &Settings,
) -> (Option<Settings>, Vec<SyntaxProblem>) {
    let mut problems = Vec::new();
    let mut own: Option<Settings> = None;
    let fm = doc.headers.front_matter.as_ref();
    let date_field = |key: &str, problems: &mut Vec<SyntaxProblem>| -> Option<Date> {
        let fm = fm?;
        let value = fm.get(key)?;
        let span = fm.span(key).unwrap_or(fm.span);
        let parsed = crate::yaml::scalar_string(value).and_then(|s| Date::parse(&s));
        if parsed.is_none() {
            problems.push(SyntaxProblem {
                span,
                message: format!(
                    "`{key}` is not a date: write it as YYYY-MM-DD, e.g. `{key}: 2026-03-02`"
                ),
            });
        }
        parsed
    };
    if let Some(d) = date_field("interview", &mut problems) {
        own.get_or_insert_with(|| settings.clone()).interview = Some(d);
    }
    let sent = date_field("date", &mut problems).or_else(|| {
        let h = doc.headers.get("date")?;
        Date::parse(&source[h.value.range()])
    });
    if let Some(d) = sent {
        own.get_or_insert_with(|| settings.clone()).today = Some(d);
    }
    if let Some(fm) = fm
        && let Some(value) = fm.get("variables")
    {
        let names: Option<Vec<String>> = match value {
            serde_yaml::Value::Sequence(items) => {
                items.iter().map(crate::yaml::scalar_string).collect()
            }
            // `variables: {name: Sam}`: the keys are the names.
            serde_yaml::Value::Mapping(m) => m.keys().map(crate::yaml::scalar_string).collect(),
            _ => None,
        };
        match names {
            Some(names) => {
                let s = own.get_or_insert_with(|| settings.clone());
                s.variables.get_or_insert_with(Vec::new).extend(names);
            }
            None => problems.push(SyntaxProblem {
                span: fm.span("variables").unwrap_or(fm.span),
                message: "`variables` must be a list of placeholder names, e.g. `variables: [first_name, company]`".into(),
            }),
        }
    }
    (own, problems)
}

impl Settings {
    /// Every rule at its default severity and bounds.
    pub fn defaults(set: &RuleSet) -> Settings {
        Settings {
            rules: set
                .rules
                .iter()
                .map(|r| RuleConfig {
                    severity: Some(r.severity),
                    bounds: r.bounds,
                })
                .collect(),
            variables: None,
            interview: None,
            today: None,
        }
    }

    /// Only the rule `id` enabled (used to test a rule on its examples).
    pub fn only(set: &RuleSet, id: &str) -> Settings {
        let mut s = Settings::defaults(set);
        for (cfg, rule) in s.rules.iter_mut().zip(&set.rules) {
            if rule.id != id {
                cfg.severity = None;
            }
        }
        s
    }
}

/// Lint a parsed draft.
pub fn lint(doc: &Document, source: &str, set: &RuleSet, settings: &Settings) -> FileReport {
    let (own, problems) = document_settings(doc, source, settings);
    let settings = own.as_ref().unwrap_or(settings);
    let ctx = Ctx::new(doc, source, set, settings);
    let mut report = FileReport {
        stats: ctx.stats(),
        ..FileReport::default()
    };
    for (i, rule) in set.rules.iter().enumerate() {
        let Some(cfg) = settings.rules.get(i) else {
            continue;
        };
        let Some(severity) = cfg.severity else {
            continue;
        };
        let outcome = kinds::evaluate(&ctx, rule, cfg);
        let Some(outcome) = outcome else { continue };
        report.checks.push(Check {
            rule: rule.id.clone(),
            passed: outcome.diagnostics.is_empty(),
            severity,
            evidence: outcome.evidence,
            value: outcome.value,
            limit: outcome.limit,
        });
        report
            .diagnostics
            .extend(outcome.diagnostics.into_iter().map(|mut d| {
                d.severity = severity;
                d
            }));
    }
    for p in doc.problems.iter().chain(&problems) {
        report.diagnostics.push(Diagnostic {
            rule: "syntax".into(),
            severity: Severity::Error,
            message: p.message.clone(),
            help: None,
            span: p.span,
            label: None,
            related: Vec::new(),
            notes: Vec::new(),
            fix: None,
        });
    }
    report.diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    report
}

/// Why a matcher hit did or did not count for a rule (`emaillint explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Counted,
    /// Outside the rule's `scope` (or in quoted text or code, which no scope holds).
    OutOfScope,
    /// Overlaps a match of the rule's `exceptions`.
    Exception,
    /// Its sentence has no match of the rule's `with` list.
    NoWith,
    /// Its sentence has a match of the rule's `without` list.
    Without,
    /// `claim: writer`: negated in its clause ("not interested").
    Negated,
    /// `claim: writer`: said of the reader or someone else ("you seemed keen").
    NotWriter,
}

impl Verdict {
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Counted => "counts",
            Verdict::OutOfScope => "ignored: outside the rule's scope",
            Verdict::Exception => "ignored: overlaps an exception",
            Verdict::NoWith => "ignored: its sentence has no `with` match",
            Verdict::Without => "ignored: its sentence has a `without` match",
            Verdict::Negated => "ignored: negated in its clause",
            Verdict::NotWriter => "ignored: said of the reader or someone else",
        }
    }
}

/// One trigger match of a rule in a draft, and whether it counted.
#[derive(Debug, Clone)]
pub struct TraceHit {
    pub span: Span,
    /// The phrase or pattern that matched.
    pub by: String,
    pub verdict: Verdict,
}

/// Every trigger match of the rule at `index` in a draft, with its verdict.
pub fn trace(
    doc: &Document,
    source: &str,
    set: &RuleSet,
    settings: &Settings,
    index: usize,
) -> Vec<TraceHit> {
    let (own, _) = document_settings(doc, source, settings);
    let settings = own.as_ref().unwrap_or(settings);
    let ctx = Ctx::new(doc, source, set, settings);
    let Some(rule) = set.rules.get(index) else {
        return Vec::new();
    };
    ctx.hits[rule.trigger]
        .iter()
        .map(|h| TraceHit {
            span: ctx.span(h.virt.clone()),
            by: match h.origin {
                crate::rules::matcher::Origin::Phrase(i) if set.matchers.phrase_is_words(i) => {
                    format!("phrase \"{}\" (word forms)", set.matchers.phrase_text(i))
                }
                crate::rules::matcher::Origin::Phrase(i) => {
                    format!("phrase \"{}\"", set.matchers.phrase_text(i))
                }
                crate::rules::matcher::Origin::Pattern(i) => {
                    format!("pattern /{}/", set.matchers.pattern_text(i))
                }
            },
            verdict: ctx.verdict(rule, h),
        })
        .collect()
}

/// What a rule's kind concluded.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub evidence: Option<Span>,
    pub value: Option<f64>,
    pub limit: Option<f64>,
}

pub(crate) struct Ctx<'a> {
    pub doc: &'a Document,
    pub source: &'a str,
    pub set: &'a RuleSet,
    pub hits: Vec<Vec<Hit>>,
    pub tokens: Tokens,
    pub settings: &'a Settings,
}

/// A unit a rule measures or searches: the whole scope, or one paragraph or
/// sentence of it.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// Regions (by index) the unit covers, for word/sentence counts.
    pub regions: Vec<usize>,
    /// The unit's range of normalized text.
    pub virt: Range<usize>,
    /// Sentences (by index) in the unit.
    pub sentences: Range<usize>,
}

impl<'a> Ctx<'a> {
    fn new(doc: &'a Document, source: &'a str, set: &'a RuleSet, settings: &'a Settings) -> Self {
        // Word sequences never cross a sentence or a region.
        let mut segments: Vec<usize> = doc
            .regions
            .iter()
            .map(|r| r.virt.start)
            .chain(doc.sentences.iter().map(|s| s.virt.start))
            .collect();
        segments.sort_unstable();
        segments.dedup();
        let found = set.matchers.find_all(&doc.prose, &segments);
        Ctx {
            doc,
            source,
            set,
            hits: found.hits,
            tokens: found.tokens,
            settings,
        }
    }

    /// `claim: writer`: is the hit negated in its clause, or said of someone
    /// other than the writer? Looks back from the hit within its clause
    /// (negators, up to 3 words before) and its sentence (the nearest
    /// subject, up to 8 words before).
    fn claim_verdict(&self, h: &Hit) -> Verdict {
        let Some(c) = self.set.claim else {
            return Verdict::Counted;
        };
        let toks = &self.tokens.tokens;
        let t0 = self.tokens.at_or_after(h.virt.start);
        let Some(first) = toks.get(t0) else {
            return Verdict::Counted;
        };
        // The token index of the last word of a hit that ends before `h`.
        let last_token = |o: &Hit| self.tokens.at_or_after(o.virt.end).checked_sub(1);
        let before = |m: usize| {
            let hits = &self.hits[m];
            let n = hits.partition_point(|o| o.virt.start < h.virt.start);
            hits[..n]
                .iter()
                .rev()
                .filter(|o| o.virt.end <= h.virt.start)
                .filter_map(move |o| Some((last_token(o)?, o)))
        };
        if before(c.negators)
            .take(4)
            .any(|(t, _)| t0 - t <= 4 && toks[t].clause == first.clause)
        {
            return Verdict::Negated;
        }
        // The nearest subject before the hit or inside it ("the role is
        // what I want" is the writer's; "you seemed keen" is not).
        let t_end = self.tokens.at_or_after(h.virt.end);
        let nearest = |m: usize| {
            let hits = &self.hits[m];
            let n = hits.partition_point(|o| o.virt.start < h.virt.end);
            hits[..n]
                .iter()
                .rev()
                .filter_map(|o| Some((last_token(o)?, o)))
                .map(|(t, _)| t)
                .find(|&t| toks[t].segment == first.segment && t + 8 >= t0 && t < t_end)
        };
        match (nearest(c.writer), nearest(c.others)) {
            (None, Some(_)) => Verdict::NotWriter,
            (Some(w), Some(o)) if o > w => Verdict::NotWriter,
            _ => Verdict::Counted,
        }
    }

    fn stats(&self) -> Stats {
        let words = self.doc.body_words();
        Stats {
            words,
            sentences: self.doc.paragraphs().map(|r| r.sentences.len()).sum(),
            paragraphs: self.doc.paragraphs().count(),
            reading_time_seconds: (words as u64 * 60).div_ceil(238),
        }
    }

    /// Does region `r` belong to `scope`?
    fn in_scope(scope: Scope, r: &Region) -> bool {
        match scope {
            Scope::Subject => r.part == Part::Subject,
            Scope::Greeting => r.part == Part::Greeting,
            Scope::Body | Scope::Paragraph | Scope::Sentence => {
                matches!(r.part, Part::Paragraph(_))
            }
            Scope::Closing => matches!(r.part, Part::Valediction | Part::Signature),
            Scope::Signature => r.part == Part::Signature,
            Scope::Document => true,
        }
    }

    /// The index of the region holding normalized offset `at`.
    pub fn region_at(&self, at: usize) -> Option<usize> {
        let i = self.doc.regions.partition_point(|r| r.virt.start <= at);
        let i = i.checked_sub(1)?;
        (at <= self.doc.regions[i].virt.end).then_some(i)
    }

    /// The index of the sentence holding normalized offset `at`.
    pub fn sentence_at(&self, at: usize) -> Option<usize> {
        let i = self.doc.sentences.partition_point(|s| s.virt.start <= at);
        let i = i.checked_sub(1)?;
        (at <= self.doc.sentences[i].virt.end).then_some(i)
    }

    /// The units of `scope`: one for the whole scope, or one per paragraph
    /// or sentence.
    pub fn units(&self, scope: Scope) -> Vec<Unit> {
        let regions: Vec<usize> = (0..self.doc.regions.len())
            .filter(|&i| Self::in_scope(scope, &self.doc.regions[i]))
            .collect();
        let unit_of = |rs: Vec<usize>| -> Option<Unit> {
            let first = &self.doc.regions[*rs.first()?];
            let last = &self.doc.regions[*rs.last()?];
            Some(Unit {
                virt: first.virt.start..last.virt.end,
                sentences: first.sentences.start..last.sentences.end,
                regions: rs,
            })
        };
        match scope {
            Scope::Paragraph => regions
                .into_iter()
                .filter_map(|r| unit_of(vec![r]))
                .collect(),
            Scope::Sentence => regions
                .iter()
                .flat_map(|&r| self.doc.regions[r].sentences.clone())
                .map(|s| {
                    let sentence = &self.doc.sentences[s];
                    Unit {
                        regions: vec![sentence.region],
                        virt: sentence.virt.clone(),
                        sentences: s..s + 1,
                    }
                })
                .collect(),
            _ => unit_of(regions).into_iter().collect(),
        }
    }

    /// Why a trigger hit of `rule` counts or not.
    pub fn verdict(&self, rule: &Rule, h: &Hit) -> Verdict {
        let in_scope = self.region_at(h.virt.start).is_some_and(|r| {
            let region = &self.doc.regions[r];
            Self::in_scope(rule.scope, region) && h.virt.end <= region.virt.end
        });
        if !in_scope {
            return Verdict::OutOfScope;
        }
        if let Some(m) = rule.exceptions
            && self.hits[m]
                .iter()
                .any(|e| e.virt.start < h.virt.end && h.virt.start < e.virt.end)
        {
            return Verdict::Exception;
        }
        let sentence_has = |m: usize| {
            let Some(s) = self.sentence_at(h.virt.start) else {
                return false;
            };
            let range = &self.doc.sentences[s].virt;
            self.hits[m]
                .iter()
                .any(|o| o.virt.start >= range.start && o.virt.end <= range.end)
        };
        if rule.with.is_some_and(|m| !sentence_has(m)) {
            return Verdict::NoWith;
        }
        if rule.without.is_some_and(sentence_has) {
            return Verdict::Without;
        }
        if rule.claim {
            return self.claim_verdict(h);
        }
        Verdict::Counted
    }

    /// The rule's trigger hits that count: in scope, not overlapping an
    /// exception, in a sentence with a `with` hit and without a `without` hit.
    pub fn rule_hits(&self, rule: &Rule) -> Vec<Hit> {
        self.hits[rule.trigger]
            .iter()
            .filter(|h| self.verdict(rule, h) == Verdict::Counted)
            .cloned()
            .collect()
    }

    /// The source span of a normalized range.
    pub fn span(&self, virt: Range<usize>) -> Span {
        self.doc.span_of(virt)
    }

    pub fn text(&self, span: Span) -> &str {
        self.source.get(span.range()).unwrap_or("")
    }

    /// Where a missing element belongs.
    pub fn anchor(&self, anchor: Anchor) -> Span {
        let doc = self.doc;
        let first_text = doc
            .regions
            .iter()
            .find(|r| r.part != Part::Subject)
            .map(|r| r.span.start)
            .or_else(|| doc.quoted.first().map(|q| q.start))
            .unwrap_or(self.source.len());
        let greeting_end = doc.greeting.map(|g| g.end);
        let body = doc.body_span();
        let body_end = body.map(|b| b.end).or(greeting_end).unwrap_or(first_text);
        Span::empty(match anchor {
            Anchor::Start => first_text,
            Anchor::BodyStart => body.map(|b| b.start).or(greeting_end).unwrap_or(first_text),
            Anchor::BodyEnd => body_end,
            Anchor::BeforeSignOff => doc.closing.as_ref().map_or(body_end, |c| c.span.start),
            Anchor::End => doc.sender_end.max(body_end),
        })
    }

    /// The line ending the draft uses, for inserted text.
    pub fn newline(&self) -> &'static str {
        crate::source::line_ending(self.source)
    }
}
