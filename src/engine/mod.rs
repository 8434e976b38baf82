//! The rule engine: a parsed draft and a rule set in, a [`FileReport`] out.
//!
//! All matchers run once over the draft (`Matchers::find_all`). Each rule
//! then takes its trigger hits, keeps those in its scope, drops those that
//! overlap an exception, keeps only those whose sentence has a `with` hit and
//! no `without` hit, and hands them to its kind (`kinds.rs`). No rule is
//! special-cased: the email advice lives in the YAML.

mod kinds;
mod message;
mod metrics;

use crate::diagnostic::Severity;
use crate::diagnostic::{Check, Diagnostic, Edit, FileReport, Stats};
use crate::document::headers::{EMAILLINT_KEYS, Field, FrontMatter};
use crate::document::{Document, Part, Region, SyntaxProblem};
use crate::rules::matcher::Hit;
use crate::rules::model::{Anchor, Bounds, Scope};
use crate::rules::words::Tokens;
use crate::rules::{Rule, RuleSet};
use crate::span::Span;
use std::cell::Cell;
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
    let date_field = |field: Option<&Field<Option<String>>>,
                      key: &str,
                      problems: &mut Vec<SyntaxProblem>|
     -> Option<Date> {
        let (fm, field) = (fm?, field?);
        let parsed = field.value.as_deref().and_then(Date::parse);
        if parsed.is_none() {
            problems.push(SyntaxProblem {
                span: field.span.unwrap_or(fm.span),
                message: format!(
                    "`{key}` is not a date: write it as YYYY-MM-DD, e.g. `{key}: 2026-03-02`"
                ),
            });
        }
        parsed
    };
    if let Some(d) = date_field(
        fm.and_then(|f| f.interview.as_ref()),
        "interview",
        &mut problems,
    ) {
        own.get_or_insert_with(|| settings.clone()).interview = Some(d);
    }
    let header = doc.headers.get("date").map(|h| h.value);
    let from_front_matter = date_field(fm.and_then(|f| f.date.as_ref()), "date", &mut problems);
    let sent = from_front_matter.or_else(|| Date::parse(&source[header?.range()]));
    let sent_at = fm
        .filter(|_| from_front_matter.is_some())
        .and_then(|fm| fm.date.as_ref()?.span)
        .or(header);
    if let Some(d) = sent {
        own.get_or_insert_with(|| settings.clone()).today = Some(d);
    }
    let interview = own.as_ref().unwrap_or(settings).interview;
    // The timing rules only run with an interview date; then a send date
    // they cannot use is said, rather than replaced by today or read as
    // "-3 days after the interview".
    if let Some(interview) = interview {
        let unreadable = sent.is_none() && from_front_matter.is_none();
        if let (true, Some(h)) = (unreadable, header) {
            problems.push(SyntaxProblem {
                span: h,
                message: format!(
                    "the `Date:` header `{}` is not a date emaillint can read (such as `Tue, 3 Mar 2026 09:00:00 +0000`), so the timing rules did not run",
                    source[h.range()].trim()
                ),
            });
            own.get_or_insert_with(|| settings.clone()).today = None;
        } else if let (Some(d), Some(at)) = (sent, sent_at)
            && d.days_since(interview) < 0
        {
            let n = interview.days_since(d);
            problems.push(SyntaxProblem {
                span: at,
                message: format!(
                    "this draft is dated {d}, {n} day{} before the interview ({interview}); check the date, or the interview date",
                    if n == 1 { "" } else { "s" }
                ),
            });
            own.get_or_insert_with(|| settings.clone()).today = None;
        }
    }
    if let Some(fm) = fm
        && let Some(field) = &fm.variables
    {
        match &field.value {
            Some(names) => {
                let s = own.get_or_insert_with(|| settings.clone());
                s.variables
                    .get_or_insert_with(Vec::new)
                    .extend(names.iter().cloned());
            }
            None => problems.push(SyntaxProblem {
                span: field.span.unwrap_or(fm.span),
                message: "`variables` must be a list of placeholder names, e.g. `variables: [first_name, company]`".into(),
            }),
        }
    }
    if let Some(fm) = fm {
        emaillint_key(fm, &mut problems);
    }
    (own, problems)
}

/// Front matter's `emaillint:` settings are checked as strictly as a
/// config's: an unknown key or a wrong shape is a syntax problem, with a
/// did-you-mean, rather than silently doing nothing.
fn emaillint_key(fm: &FrontMatter, problems: &mut Vec<SyntaxProblem>) {
    let Some(field) = &fm.emaillint else {
        return;
    };
    let example = "for example `emaillint: {disable: [references]}`";
    let meta = &field.value;
    if !meta.is_mapping {
        problems.push(SyntaxProblem {
            span: field.span.unwrap_or(fm.span),
            message: format!("`emaillint` must be a mapping of settings, {example}"),
        });
        return;
    }
    for (key, span) in &meta.unknown_keys {
        let mut message = format!("unknown key `{key}` under `emaillint`");
        match crate::rules::closest(EMAILLINT_KEYS.iter().copied(), key) {
            Some(near) => message.push_str(&format!("; did you mean `{near}`?")),
            None => message.push_str(&format!(
                " (known: {}; {example})",
                EMAILLINT_KEYS.join(", ")
            )),
        }
        problems.push(SyntaxProblem {
            span: span.unwrap_or(fm.span),
            message,
        });
    }
    if let Some(d) = &meta.disable
        && !d.well_formed
    {
        problems.push(SyntaxProblem {
            span: d.span.unwrap_or(fm.span),
            message: format!("`disable` must be a list of rule ids, {example}"),
        });
    }
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

/// The pseudo-rule for a draft with nothing in it: reported instead of
/// every rule's "missing" diagnostic at 1:1.
pub const EMPTY: &str = "empty";

/// Is the draft only whitespace (or nothing, or a byte order mark)?
pub fn is_empty_draft(source: &str) -> bool {
    source
        .trim_start_matches('\u{FEFF}')
        .chars()
        .all(char::is_whitespace)
}

/// Lint a parsed draft.
pub fn lint(doc: &Document, set: &RuleSet, settings: &Settings) -> FileReport {
    let source = doc.text();
    if is_empty_draft(source) {
        return FileReport {
            diagnostics: vec![Diagnostic {
                rule: EMPTY.into(),
                severity: Severity::Error,
                message: "the draft is empty".into(),
                help: Some("There is nothing to check yet: write the email (or check that this is the file you meant), then run emaillint again.".into()),
                span: crate::span::Span::new(0, 0),
                label: None,
                related: Vec::new(),
                notes: Vec::new(),
                fix: None,
            }],
            ..FileReport::default()
        };
    }
    let (own, problems) = document_settings(doc, source, settings);
    let settings = own.as_ref().unwrap_or(settings);
    let ctx = Ctx::new(doc, source, set, settings, true);
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
    /// How a phrase of words lined up with the text: each element that
    /// took words (empty for literal phrases and patterns).
    pub parts: Vec<TracePart>,
    pub verdict: Verdict,
}

/// One element of a phrase and the words it took ("@job" took "role").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracePart {
    /// The element as written: `interest`, `...3`, `@job`,
    /// `@destined (put on this earth)`.
    pub written: String,
    pub span: Span,
    /// The word matched another of its forms ("interest" took "interested").
    pub form: bool,
}

/// Every trigger match of the rule at `index` in a draft, with its verdict.
pub fn trace(doc: &Document, set: &RuleSet, settings: &Settings, index: usize) -> Vec<TraceHit> {
    let source = doc.text();
    let (own, _) = document_settings(doc, source, settings);
    let settings = own.as_ref().unwrap_or(settings);
    // Every match, also those outside the rule's scope, to show them.
    let ctx = Ctx::new(doc, source, set, settings, false);
    let Some(rule) = set.rules.get(index) else {
        return Vec::new();
    };
    let filter = ctx.filter(rule);
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
            parts: set
                .matchers
                .align(&ctx.tokens, &doc.prose, h)
                .into_iter()
                .map(|p| TracePart {
                    written: p.written,
                    span: ctx.span(p.virt),
                    form: p.form,
                })
                .collect(),
            verdict: filter.verdict(&ctx, h),
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
    /// For the matchers `claim: writer` reads (negators, writer, others):
    /// per hit, the largest end of the hits up to it (hits are sorted by
    /// start), so a look back stops where no earlier hit can end near
    /// enough.
    claim_reach: [Vec<usize>; 3],
    /// Built on first use by `insertion_edit`, so that placing many
    /// insertions costs O(log n) each.
    layout: std::cell::OnceCell<Layout>,
    /// Set while `insert_at` judges another rule, so that rule's own
    /// suggestion is not placed in turn (no chains, no loops).
    placing: std::cell::Cell<bool>,
}

/// Where the draft's lines and blocks are, for placing insertions.
struct Layout {
    /// Offsets of every `\n`.
    newlines: Vec<usize>,
    /// Regions, quotes and verbatim blocks, sorted, overlapping ones merged.
    blocks: Vec<Span>,
    newline: &'static str,
}

impl Layout {
    fn new(doc: &Document, source: &str) -> Layout {
        let mut spans: Vec<Span> = doc
            .regions
            .iter()
            .map(|r| r.span)
            .chain(doc.quoted.iter().copied())
            .chain(doc.verbatim.iter().copied())
            .filter(|s| !s.is_empty())
            .collect();
        spans.sort_by_key(|s| (s.start, s.end));
        let mut blocks: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match blocks.last_mut() {
                Some(last) if s.start < last.end => last.end = last.end.max(s.end),
                _ => blocks.push(s),
            }
        }
        Layout {
            // Every line break: `\n` (also ending `\r\n`) or a lone `\r`.
            newlines: source
                .bytes()
                .enumerate()
                .filter(|&(i, b)| {
                    b == b'\n' || (b == b'\r' && source.as_bytes().get(i + 1) != Some(&b'\n'))
                })
                .map(|(i, _)| i)
                .collect(),
            blocks,
            newline: crate::source::line_ending(source),
        }
    }

    /// Does a block hold any byte of `a..b`?
    fn content(&self, a: usize, b: usize) -> bool {
        let i = self.blocks.partition_point(|s| s.end <= a);
        self.blocks.get(i).is_some_and(|s| s.start < b)
    }

    /// Is `p` strictly inside a block?
    fn splits_block(&self, p: usize) -> bool {
        let i = self.blocks.partition_point(|s| s.end <= p);
        self.blocks.get(i).is_some_and(|s| s.start < p)
    }

    /// The start of the line holding `p` (not before `floor`).
    fn line_start(&self, p: usize, floor: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < p);
        i.checked_sub(1)
            .map_or(floor, |i| self.newlines[i] + 1)
            .max(floor)
    }

    /// The offset of the first `\n` at or after `p`, or `len`.
    fn line_end(&self, p: usize, len: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < p);
        self.newlines.get(i).copied().unwrap_or(len)
    }
}

/// What `Ctx::filter` prepares for one rule.
pub(crate) struct Filter<'r> {
    rule: &'r Rule,
    exception_starts: Vec<usize>,
    exception_max_end: Vec<usize>,
    /// Per sentence: holds a `with` (`without`) hit.
    with: Option<Vec<bool>>,
    without: Option<Vec<bool>>,
    /// The last answers of the three searches a verdict makes (regions,
    /// exceptions, sentences): hits come in order, so the next answer is
    /// at or just after the last one (see [`partition_from`]).
    hints: [Cell<usize>; 3],
}

/// `v.partition_point(pred)`, looked for from `hint`, a previous answer:
/// when the answer is at or after it (queries in increasing order), in
/// steps that double from there, so a pass of sorted queries over a long
/// list costs about one step each instead of a binary search each, with
/// its cache misses. Any other hint falls back to the binary search.
/// `pred` must hold for a prefix of `v` and for nothing after it.
pub(crate) fn partition_from<T>(v: &[T], hint: usize, pred: impl Fn(&T) -> bool) -> usize {
    if hint > v.len() || (hint > 0 && !pred(&v[hint - 1])) {
        return v.partition_point(pred);
    }
    // `pred` holds for all of v[..hint].
    let mut lo = hint;
    let mut step = 1;
    while lo < v.len() && pred(&v[lo]) {
        // `pred` holds for v[..=lo]: the answer is past lo.
        let next = lo + step;
        if next >= v.len() || !pred(&v[next]) {
            let end = next.min(v.len());
            return lo + 1 + v[lo + 1..end].partition_point(pred);
        }
        lo = next;
        step *= 2;
    }
    lo
}

impl Filter<'_> {
    /// Why a trigger hit of the rule counts or not.
    pub fn verdict(&self, ctx: &Ctx, h: &Hit) -> Verdict {
        let rule = self.rule;
        let [region_hint, exception_hint, sentence_hint] = &self.hints;
        let in_scope = ctx.region_from(h.virt.start, region_hint).is_some_and(|r| {
            let region = &ctx.doc.regions[r];
            Ctx::in_scope(rule.scope, region) && h.virt.end <= region.virt.end
        });
        if !in_scope {
            return Verdict::OutOfScope;
        }
        let before_end = partition_from(&self.exception_starts, exception_hint.get(), |&s| {
            s < h.virt.end
        });
        exception_hint.set(before_end);
        if before_end > 0 && self.exception_max_end[before_end - 1] > h.virt.start {
            return Verdict::Exception;
        }
        let sentence = ctx.sentence_from(h.virt.start, sentence_hint);
        let has = |flags: &Vec<bool>| sentence.is_some_and(|s| flags.get(s) == Some(&true));
        if self.with.as_ref().is_some_and(|f| !has(f)) {
            return Verdict::NoWith;
        }
        if self.without.as_ref().is_some_and(has) {
            return Verdict::Without;
        }
        if rule.claim {
            return ctx.claim_verdict(h);
        }
        Verdict::Counted
    }
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
    /// The context of a lint; `confined`: the regexes whose matches
    /// count only in some regions search only those regions' lines
    /// (`Matchers::find_all`).
    fn new(
        doc: &'a Document,
        source: &'a str,
        set: &'a RuleSet,
        settings: &'a Settings,
        confined: bool,
    ) -> Self {
        let regions = confined.then_some(doc.regions.as_slice());
        let found = set
            .matchers
            .find_all(&doc.prose, &doc.segment_starts(), regions);
        let reach = |m: usize| -> Vec<usize> {
            found.hits[m]
                .iter()
                .scan(0, |max, h| {
                    *max = h.virt.end.max(*max);
                    Some(*max)
                })
                .collect()
        };
        let claim_reach = set.claim.map_or_else(Default::default, |c| {
            [reach(c.negators), reach(c.writer), reach(c.others)]
        });
        Ctx {
            doc,
            source,
            set,
            claim_reach,
            hits: found.hits,
            tokens: found.tokens,
            settings,
            layout: Default::default(),
            placing: Default::default(),
        }
    }

    /// Where a missing element's suggestion goes: after (or before) the
    /// paragraph holding what the rule named in its `insert` found, when
    /// that rule passes; else `at`, the rule's anchor.
    pub(crate) fn insert_at(&self, rule: &Rule, at: Span) -> Span {
        let Some(ins) = &rule.insert else {
            return at;
        };
        let (id, after) = match (&ins.after, &ins.before) {
            (Some(id), _) => (id, true),
            (None, Some(id)) => (id, false),
            (None, None) => return at,
        };
        // The other rule's own suggestion is not placed while it is judged.
        if self.placing.replace(true) {
            return at;
        }
        let outcome = self.set.position(id).and_then(|i| {
            let other = &self.set.rules[i];
            let cfg = self.settings.rules.get(i).cloned().unwrap_or(RuleConfig {
                severity: Some(other.severity),
                bounds: other.bounds,
            });
            kinds::evaluate(self, other, &cfg)
        });
        self.placing.set(false);
        let Some(evidence) = outcome
            .filter(|o| o.diagnostics.is_empty())
            .and_then(|o| o.evidence)
        else {
            return at;
        };
        self.doc
            .paragraphs()
            .find(|p| p.span.start <= evidence.start && evidence.start < p.span.end)
            .map_or(at, |p| {
                Span::empty(if after { p.span.end } else { p.span.start })
            })
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
        // Hits of matcher `m` (the `k`th claim matcher) starting before
        // `from`, nearest first, stopping where no hit up to there ends
        // after the start of token `t0 - back`: such a hit's last word is
        // more than `back` words before the hit, too far to count. This
        // keeps a rule's pass O(n log n) in its hits on a long draft.
        let back_from = |m: usize, k: usize, from: usize, back: usize| {
            let hits = &self.hits[m];
            let reach = &self.claim_reach[k];
            let floor = t0.checked_sub(back).map_or(0, |t| toks[t].virt.start);
            let n = hits.partition_point(|o| o.virt.start < from);
            (0..n)
                .rev()
                .take_while(move |&i| reach[i] > floor)
                .map(move |i| &hits[i])
        };
        if back_from(c.negators, 0, h.virt.start, 4)
            .filter(|o| o.virt.end <= h.virt.start)
            .filter_map(|o| Some((last_token(o)?, o)))
            .take(4)
            .any(|(t, _)| t0 - t <= 4 && toks[t].clause == first.clause)
        {
            return Verdict::Negated;
        }
        // The nearest subject before the hit or inside it ("the role is
        // what I want" is the writer's; "you seemed keen" is not). Another
        // person inside the hit is its object, not its subject ("joining
        // your team would be a chance"), so only the writer is looked for
        // there.
        let t_end = self.tokens.at_or_after(h.virt.end);
        let nearest = |m: usize, k: usize, until: usize| {
            back_from(m, k, h.virt.end, 8)
                .filter_map(|o| Some((last_token(o)?, o)))
                .map(|(t, _)| t)
                .find(|&t| toks[t].segment == first.segment && t + 8 >= t0 && t < until)
        };
        match (nearest(c.writer, 1, t_end), nearest(c.others, 2, t0)) {
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
        scope.holds(r.part)
    }

    /// The index of the region holding normalized offset `at`, searched
    /// from the answer `hint` holds (and updated): cheap for offsets in
    /// increasing order.
    fn region_from(&self, at: usize, hint: &Cell<usize>) -> Option<usize> {
        let regions = &self.doc.regions;
        let i = partition_from(regions, hint.get(), |r| r.virt.start <= at);
        hint.set(i);
        let i = i.checked_sub(1)?;
        (at <= regions[i].virt.end).then_some(i)
    }

    /// The index of the sentence holding normalized offset `at`.
    pub fn sentence_at(&self, at: usize) -> Option<usize> {
        self.sentence_from(at, &Cell::new(0))
    }

    /// [`sentence_at`](Self::sentence_at), searched from `hint`.
    fn sentence_from(&self, at: usize, hint: &Cell<usize>) -> Option<usize> {
        let sentences = &self.doc.sentences;
        let i = partition_from(sentences, hint.get(), |s| s.virt.start <= at);
        hint.set(i);
        let i = i.checked_sub(1)?;
        (at <= sentences[i].virt.end).then_some(i)
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

    /// A rule's exception, `with` and `without` hits, prepared once so that
    /// each trigger hit is judged in logarithmic time (`Filter::verdict`).
    pub(crate) fn filter<'r>(&self, rule: &'r Rule) -> Filter<'r> {
        // Exceptions sorted by start, with the running maximum of their ends:
        // a hit overlaps one iff some exception starting before the hit's end
        // ends after its start.
        let mut exceptions: Vec<(usize, usize)> = rule
            .exceptions
            .map(|m| {
                self.hits[m]
                    .iter()
                    .map(|e| (e.virt.start, e.virt.end))
                    .collect()
            })
            .unwrap_or_default();
        exceptions.sort_unstable();
        let mut exception_max_end = Vec::with_capacity(exceptions.len());
        let mut max = 0;
        for &(_, end) in &exceptions {
            max = max.max(end);
            exception_max_end.push(max);
        }
        Filter {
            rule,
            exception_starts: exceptions.iter().map(|e| e.0).collect(),
            exception_max_end,
            with: rule.with.map(|m| self.sentences_with(m)),
            without: rule.without.map(|m| self.sentences_with(m)),
            hints: Default::default(),
        }
    }

    /// Per sentence: does it hold a whole hit of matcher `m`?
    pub(crate) fn sentences_with(&self, m: usize) -> Vec<bool> {
        let sentences = &self.doc.sentences;
        let mut has = vec![false; sentences.len()];
        let mut hint = 0;
        for o in &self.hits[m] {
            let i = partition_from(sentences, hint, |s| s.virt.start <= o.virt.start);
            hint = i;
            if let Some(i) = i.checked_sub(1)
                && o.virt.end <= sentences[i].virt.end
            {
                has[i] = true;
            }
        }
        has
    }

    /// The rule's trigger hits that count: in scope, not overlapping an
    /// exception, in a sentence with a `with` hit and without a `without` hit.
    pub fn rule_hits(&self, rule: &Rule) -> Vec<Hit> {
        let filter = self.filter(rule);
        self.hits[rule.trigger]
            .iter()
            .filter(|h| filter.verdict(self, h) == Verdict::Counted)
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

    /// An edit replacing the source of normalized range `virt` with
    /// `replacement`, or `None` when those source bytes hold more than prose
    /// and whitespace: a match running across a link, emphasis or an HTML
    /// tag gets no automatic fix, since replacing it would delete markup.
    pub fn replacement_edit(&self, virt: Range<usize>, replacement: String) -> Option<Edit> {
        let span = self.span(virt.clone());
        let prose = self.doc.prose.text.get(virt)?;
        let source = self.source.get(span.range())?;
        (crate::rules::load::normalize_phrase(source) == prose.trim())
            .then_some(Edit { span, replacement })
    }

    /// An edit inserting `text` as a paragraph of its own, between blocks,
    /// near source offset `at`: before the line `at` starts (when nothing of
    /// the draft comes before it on that line), or after the line it ends.
    /// A blank line separates it from its neighbours, in the draft's own
    /// line ending. `None` when `at` is in the middle of a line of text or
    /// inside a block (the insertion would split it).
    pub fn insertion_edit(&self, at: usize, text: &str) -> Option<Edit> {
        let src = self.source;
        let layout = self.layout.get_or_init(|| Layout::new(self.doc, src));
        let floor = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut at = at.clamp(floor, src.len());
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        let ls = layout.line_start(at, floor);
        let le = layout.line_end(at, src.len());
        let le_content = if src[..le].ends_with('\r') && le > at {
            le - 1
        } else {
            le
        };
        let p = match (layout.content(ls, at), layout.content(at, le_content)) {
            (true, true) => return None,
            (true, false) => (le + 1).min(src.len()),
            (false, _) => ls,
        };
        if layout.splits_block(p) {
            return None;
        }
        let nl = layout.newline;
        let blank = |line: &str| line.trim().is_empty();
        // The line before `p` (which is a line start) is blank, or there is none.
        let prev_blank = |p: usize| {
            p <= floor || {
                let prev = layout.line_start(p - 1, floor);
                blank(&src[prev.min(p)..p])
            }
        };
        let (lead, tail) = if p == src.len() {
            if p > floor && !src.ends_with('\n') {
                let last = &src[layout.line_start(p, floor)..];
                let lead = if blank(last) {
                    nl.to_string()
                } else {
                    nl.repeat(2)
                };
                (lead, String::new())
            } else {
                let lead = if prev_blank(p) { "" } else { nl };
                (lead.to_string(), nl.to_string())
            }
        } else {
            let lead = if prev_blank(p) { "" } else { nl };
            let next = &src[p..layout.line_end(p, src.len())];
            let tail = if blank(next) { 1 } else { 2 };
            (lead.to_string(), nl.repeat(tail))
        };
        Some(Edit {
            span: Span::empty(p),
            replacement: format!("{lead}{text}{tail}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::partition_from;

    #[test]
    fn partition_from_agrees_with_partition_point_from_any_hint() {
        // Sorted lists with repeats, every threshold, every hint (right,
        // too early, too late, past the end).
        let lists: [&[u32]; 5] = [
            &[],
            &[5],
            &[1, 1, 2, 3, 5, 8, 13, 21, 34, 55],
            &[0, 0, 0, 0, 0, 0, 0],
            &[
                2, 4, 4, 4, 9, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 99,
            ],
        ];
        for v in lists {
            for at in 0..=100 {
                let want = v.partition_point(|&x| x <= at);
                for hint in 0..=v.len() + 2 {
                    assert_eq!(
                        partition_from(v, hint, |&x| x <= at),
                        want,
                        "{v:?} at {at} from {hint}"
                    );
                }
            }
        }
    }
}
