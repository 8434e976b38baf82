//! One function per rule kind. Each turns a rule's hits (already scoped and
//! filtered by `Ctx::rule_hits`) into an [`Outcome`].

use super::metrics;
use super::{Ctx, Outcome, RuleConfig, Unit};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Related};
use crate::document::Part;
use crate::rules::Rule;
use crate::rules::matcher::{Hit, Origin};
use crate::rules::model::{Anchor, Bound, Bounds, Kind, Measure, Which};
use crate::span::Span;

pub(crate) fn evaluate(ctx: &Ctx, rule: &Rule, cfg: &RuleConfig) -> Option<Outcome> {
    Some(match rule.kind {
        Kind::Forbid => forbid(ctx, rule, false),
        Kind::Placeholder => forbid(ctx, rule, true),
        Kind::Require => require(ctx, rule),
        Kind::Position => position(ctx, rule),
        Kind::Substitute => substitute(ctx, rule),
        Kind::Limit => limit(ctx, rule, &cfg.bounds),
        Kind::Budget => budget(ctx, rule, &cfg.bounds),
        Kind::Timing => return timing(ctx, rule, &cfg.bounds),
    })
}

/// Fill `{name}` placeholders (nouns after numbers agree: `message.rs`).
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    super::message::fill(template, values)
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn diagnostic(rule: &Rule, span: Span, message: String, label: Option<String>) -> Diagnostic {
    Diagnostic {
        rule: rule.id.clone(),
        severity: rule.severity,
        message,
        help: rule.help.clone(),
        span,
        label,
        related: Vec::new(),
        notes: Vec::new(),
        fix: None,
    }
}

/// The hits (sorted by start) wholly inside `virt`, found by binary search
/// so that going over every unit of a scope costs O(units log hits), not
/// O(units × hits).
fn within<'h>(hits: &'h [Hit], virt: &std::ops::Range<usize>) -> impl Iterator<Item = &'h Hit> {
    let from = hits.partition_point(|h| h.virt.start < virt.start);
    let end = virt.end;
    hits[from..]
        .iter()
        .take_while(move |h| h.virt.start <= end)
        .filter(move |h| h.virt.end <= end)
}

/// Overlapping hits become one hit covering them all.
fn merged(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.virt.start, std::cmp::Reverse(h.virt.end)));
    let mut out: Vec<Hit> = Vec::new();
    for h in hits {
        match out.last_mut() {
            Some(last) if h.virt.start < last.virt.end => {
                last.virt.end = last.virt.end.max(h.virt.end)
            }
            _ => out.push(h),
        }
    }
    out
}

/// `forbid` and `placeholder`: every hit is a diagnostic.
fn forbid(ctx: &Ctx, rule: &Rule, placeholder: bool) -> Outcome {
    let mut out = Outcome::default();
    let hits = if placeholder {
        // Keep capture groups: do not merge placeholder hits.
        let mut h = ctx.rule_hits(rule);
        h.dedup_by(|a, b| a.virt.start < b.virt.end);
        h
    } else {
        merged(ctx.rule_hits(rule))
    };
    for hit in hits {
        let span = ctx.span(hit.virt.clone());
        if placeholder && let Some(vars) = &ctx.settings.variables {
            let name = ctx
                .set
                .matchers
                .capture(&ctx.doc.prose, &hit, "name")
                .map_or_else(
                    || ctx.doc.prose.text[hit.virt.clone()].to_string(),
                    |r| ctx.doc.prose.text[r].to_string(),
                );
            if vars.iter().any(|v| v.eq_ignore_ascii_case(name.trim())) {
                continue;
            }
        }
        let m = ctx.text(span);
        let values = [("match", m)];
        let mut d = diagnostic(
            rule,
            span,
            fill(&rule.message, &values),
            rule.label.as_ref().map(|l| fill(l, &values)),
        );
        if placeholder && ctx.settings.variables.is_some() {
            d.notes.push(
                "template mode: declare it under `variables:` if it is meant to be filled in later"
                    .into(),
            );
        }
        out.diagnostics.push(d);
    }
    out
}

/// The text to insert for a missing element, placed around the anchor.
fn insertion(ctx: &Ctx, rule: &Rule, at: Span) -> Option<Fix> {
    let suggestion = rule.suggestion.as_ref()?;
    Some(Fix {
        message: format!("insert \u{201C}{suggestion}\u{201D}"),
        applicability: Applicability::Unsafe,
        edits: vec![ctx.insertion_edit(ctx.insert_at(rule, at).start, suggestion)?],
    })
}

fn missing(ctx: &Ctx, rule: &Rule, at: Span) -> Diagnostic {
    let mut d = diagnostic(rule, at, rule.message.clone(), rule.label.clone());
    d.fix = insertion(ctx, rule, at);
    if d.fix.is_none()
        && let Some(s) = &rule.suggestion
    {
        d.notes.push(format!(
            "suggestion: \u{201C}{s}\u{201D} (not inserted automatically: it would split a line or block here)"
        ));
    }
    d
}

/// `require`: at least one hit in the scope (or in each paragraph/sentence).
fn require(ctx: &Ctx, rule: &Rule) -> Outcome {
    let hits = ctx.rule_hits(rule);
    let mut out = Outcome {
        evidence: hits.first().map(|h| ctx.span(h.virt.clone())),
        ..Outcome::default()
    };
    let units = ctx.units(rule.scope);
    if units.is_empty() {
        out.diagnostics
            .push(missing(ctx, rule, ctx.anchor(rule.anchor)));
        return out;
    }
    let per_unit = units.len() > 1;
    for unit in &units {
        let found = within(&hits, &unit.virt).next().is_some();
        if !found {
            let at = if per_unit {
                Span::empty(ctx.span(unit.virt.clone()).start)
            } else {
                ctx.anchor(rule.anchor)
            };
            out.diagnostics.push(missing(ctx, rule, at));
        }
    }
    out
}

/// `position`: a hit must fall in the first or last paragraph; "last" is the
/// closing paragraph and any postscript after it ("P.S. ..."). The body's
/// opening sentence never counts as its end, nor its closing sentence as its
/// start, so a one-paragraph email is judged by where in it the hit falls.
fn position(ctx: &Ctx, rule: &Rule) -> Outcome {
    let hits = ctx.rule_hits(rule);
    let paragraphs: Vec<_> = ctx.doc.paragraphs().collect();
    let body_sentences = paragraphs
        .first()
        .map(|f| f.sentences.start)
        .zip(paragraphs.last().map(|l| l.sentences.end));
    let window = match (
        rule.paragraph,
        paragraphs.first(),
        paragraphs.last(),
        body_sentences,
    ) {
        // The closing paragraph (before any P.S.) through the end of the body.
        (Some(Which::Last), _, Some(last), Some((first_s, end_s))) => {
            let closing = ctx.doc.closing_paragraph().unwrap_or(last);
            let mut start = closing.virt.start;
            if end_s - first_s > 1 && closing.sentences.start == first_s {
                start = ctx.doc.sentences[first_s].virt.end;
            }
            Some(start..last.virt.end)
        }
        (Some(Which::First), Some(first), _, Some((first_s, end_s))) => {
            let mut end = first.virt.end;
            if end_s - first_s > 1 && first.sentences.end == end_s {
                end = ctx.doc.sentences[end_s - 1].virt.start;
            }
            Some(first.virt.start..end)
        }
        _ => None,
    };
    let inside = |h: &&Hit| {
        window
            .as_ref()
            .is_some_and(|w| h.virt.start >= w.start && h.virt.end <= w.end)
    };
    let mut out = Outcome::default();
    if let Some(h) = hits.iter().find(inside) {
        out.evidence = Some(ctx.span(h.virt.clone()));
        return out;
    }
    let mut d = missing(ctx, rule, ctx.anchor(rule.anchor));
    if let Some(h) = hits.first() {
        let which = match rule.paragraph {
            Some(Which::First) => "first",
            _ => "last",
        };
        d.related.push(Related {
            span: ctx.span(h.virt.clone()),
            message: format!("found here, but not in the {which} paragraph"),
        });
    }
    out.diagnostics.push(d);
    out
}

/// `substitute`: each hit gets a safe fix to the preferred wording.
fn substitute(ctx: &Ctx, rule: &Rule) -> Outcome {
    let mut hits = ctx.rule_hits(rule);
    // Longest first, then drop hits overlapping one already taken.
    hits.sort_by_key(|h| (h.virt.start, std::cmp::Reverse(h.virt.end)));
    let mut taken: Vec<Hit> = Vec::new();
    for h in hits {
        if taken.last().is_none_or(|t| h.virt.start >= t.virt.end) {
            taken.push(h);
        }
    }
    let mut out = Outcome::default();
    for hit in taken {
        let Origin::Phrase(p) = hit.origin else {
            continue;
        };
        let key = crate::document::prose::lowercase(ctx.set.matchers.phrase_text(p));
        let Some(replacement) = rule.swap.get(&key) else {
            continue;
        };
        let span = ctx.span(hit.virt.clone());
        let found = ctx.text(span);
        let replacement = match_case(found, replacement);
        let values = [("match", found), ("replacement", replacement.as_str())];
        let mut d = diagnostic(
            rule,
            span,
            fill(&rule.message, &values),
            rule.label.as_ref().map(|l| fill(l, &values)),
        );
        let message = format!("replace with \u{201C}{replacement}\u{201D}");
        match ctx.replacement_edit(hit.virt.clone(), replacement) {
            Some(edit) => {
                d.fix = Some(Fix {
                    message,
                    applicability: Applicability::Safe,
                    edits: vec![edit],
                })
            }
            None => d.notes.push(format!(
                "{message} by hand: no automatic fix, as the match runs across formatting"
            )),
        }
        out.diagnostics.push(d);
    }
    out
}

/// Capitalise the replacement like the text it replaces.
fn match_case(found: &str, replacement: &str) -> String {
    let upper_first = found.chars().next().is_some_and(char::is_uppercase);
    let all_upper = found.chars().filter(|c| c.is_alphabetic()).count() > 1
        && found
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if all_upper {
        replacement.to_uppercase()
    } else if upper_first {
        let mut c = replacement.chars();
        c.next().map_or_else(String::new, |f| {
            f.to_uppercase().collect::<String>() + c.as_str()
        })
    } else {
        replacement.to_string()
    }
}

/// `limit`: a measure of each unit of the scope within bounds.
fn limit(ctx: &Ctx, rule: &Rule, bounds: &Bounds) -> Outcome {
    let units = ctx.units(rule.scope);
    let hits = merged(ctx.rule_hits(rule));
    let mut out = Outcome::default();
    for (key, bound) in bounds.iter() {
        let is_max = key.is_max();
        let mut worst: Option<f64> = None;
        if units.is_empty() && !is_max {
            out.diagnostics.push(limit_diagnostic(
                rule,
                ctx.anchor(rule.anchor),
                0.0,
                bound,
                None,
            ));
            worst = Some(0.0);
        }
        for unit in &units {
            let (value, overflow) = measure(ctx, unit, key, bound as usize, &hits);
            worst = Some(match worst {
                Some(w) if is_max => w.max(value),
                Some(w) => w.min(value),
                None => value,
            });
            let violated = if is_max { value > bound } else { value < bound };
            if !violated {
                continue;
            }
            let unit_span = ctx.span(unit.virt.clone());
            let span = overflow.unwrap_or(unit_span);
            let mut d = limit_diagnostic(rule, span, value, bound, rule.label.as_deref());
            if key == Bound::MaxCount {
                let inside: Vec<&Hit> = within(&hits, &unit.virt).collect();
                d.related = inside
                    .iter()
                    .map(|h| ctx.span(h.virt.clone()))
                    .filter(|s| *s != span)
                    .map(|s| Related {
                        span: s,
                        message: "counted".into(),
                    })
                    .collect();
            }
            out.diagnostics.push(d);
        }
        if out.value.is_none() {
            out.value = worst;
            out.limit = Some(bound);
        }
    }
    out
}

fn limit_diagnostic(
    rule: &Rule,
    span: Span,
    value: f64,
    bound: f64,
    label: Option<&str>,
) -> Diagnostic {
    let values = [("count", number(value)), ("limit", number(bound))];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    diagnostic(
        rule,
        span,
        fill(&rule.message, &values),
        label.map(|l| fill(l, &values)),
    )
}

/// A unit's value for bound `key`, and for `max_*` bounds the span of what
/// goes past the bound (the words, sentences, paragraphs or match beyond it).
fn measure(ctx: &Ctx, unit: &Unit, key: Bound, bound: usize, hits: &[Hit]) -> (f64, Option<Span>) {
    let doc = ctx.doc;
    let sentences = &doc.sentences[unit.sentences.clone()];
    let end = ctx.span(unit.virt.clone()).end;
    let from = |virt_start: usize| Some(Span::new(ctx.span(virt_start..virt_start).start, end));
    let max = key.is_max();
    match key.measure() {
        Measure::Words => {
            let words = sentences.first().map_or(0..0, |f| {
                f.words.start..sentences.last().map_or(f.words.end, |l| l.words.end)
            });
            let n = words.len();
            let over = (max && n > bound)
                .then(|| from(doc.words[words.start + bound].start))
                .flatten();
            (n as f64, over)
        }
        Measure::Sentences => {
            let over = (max && sentences.len() > bound)
                .then(|| from(sentences[bound].virt.start))
                .flatten();
            (sentences.len() as f64, over)
        }
        Measure::Paragraphs => {
            let paras: Vec<usize> = unit
                .regions
                .iter()
                .copied()
                .filter(|&r| matches!(doc.regions[r].part, Part::Paragraph(_)))
                .collect();
            let over = (max && paras.len() > bound)
                .then(|| from(doc.regions[paras[bound]].virt.start))
                .flatten();
            (paras.len() as f64, over)
        }
        Measure::Count => {
            let inside: Vec<&Hit> = within(hits, &unit.virt).collect();
            let over = (max && inside.len() > bound).then(|| ctx.span(inside[bound].virt.clone()));
            (inside.len() as f64, over)
        }
        Measure::Grade => {
            let texts: Vec<&str> = sentences
                .iter()
                .map(|s| &doc.prose.text[s.virt.clone()])
                .collect();
            (metrics::grade(&texts), None)
        }
        Measure::Days => (0.0, None),
    }
}

/// `budget`: the sentences that match, the `continuation` sentences after
/// each that carry the account on (up to a sentence with an `until` match;
/// none after a matching sentence that has one itself),
/// and those between two matching sentences of a paragraph, may total at
/// most `max_words` words and `max_sentences` sentences. A `fail_on` match
/// fails the rule whatever the total.
fn budget(ctx: &Ctx, rule: &Rule, bounds: &Bounds) -> Outcome {
    let doc = ctx.doc;
    let n = doc.sentences.len();
    // Per sentence: another part of the letter (`exclude_rules`), and where
    // the story stops (`until`, or another part).
    let mut other = vec![false; n];
    for &r in &rule.exclude {
        for h in ctx.rule_hits(&ctx.set.rules[r]) {
            if let Some(s) = ctx.sentence_at(h.virt.start) {
                other[s] = true;
            }
        }
    }
    let stops = rule.until.map(|m| ctx.sentences_with(m));
    let stops_at = |s: usize| other[s] || stops.as_ref().is_some_and(|f| f[s]);
    let mut matched: Vec<usize> = ctx
        .rule_hits(rule)
        .iter()
        .filter_map(|h| ctx.sentence_at(h.virt.start))
        .filter(|&s| !other[s])
        .collect();
    matched.sort_unstable();
    matched.dedup();
    let same_region = |a: usize, b: usize| doc.sentences[a].region == doc.sentences[b].region;
    let mut inside = vec![false; n];
    for (i, &s) in matched.iter().enumerate() {
        inside[s] = true;
        // Fill gaps of up to two sentences within a paragraph: the story runs on.
        if let Some(&prev) = i.checked_sub(1).map(|p| &matched[p])
            && (2..=3).contains(&(s - prev))
            && same_region(s, prev)
        {
            inside[prev + 1..s].fill(true);
        }
        // The sentences right before it that set the story up, and those
        // right after it that go on with it (unless this one already turned
        // back to the letter), up to a sentence where the story stops.
        let continues = if stops_at(s) { 0 } else { rule.continuation };
        let before = (s.saturating_sub(rule.lead_in)..s).rev();
        let after = (s + 1..=s + continues).take_while(|&t| t < n);
        for side in [before.collect::<Vec<_>>(), after.collect()] {
            for t in side
                .into_iter()
                .take_while(|&t| same_region(s, t) && !stops_at(t))
            {
                inside[t] = true;
            }
        }
    }
    let account: Vec<usize> = (0..inside.len()).filter(|&s| inside[s]).collect();
    let words: usize = account.iter().map(|&s| doc.sentences[s].words.len()).sum();
    let count = account.len();
    let mut out = Outcome {
        value: Some(words as f64),
        limit: bounds.max_words.or(bounds.max_sentences),
        ..Outcome::default()
    };
    let violation = match (bounds.max_words, bounds.max_sentences) {
        (Some(max), _) if words as f64 > max => Some((words as f64, max)),
        (_, Some(max)) if count as f64 > max => Some((count as f64, max)),
        _ => None,
    };
    if let Some((m, message)) = &rule.fail_on {
        let filter = ctx.filter(rule);
        for hit in merged(ctx.hits[*m].clone()) {
            // Scope and exceptions apply; `with` and `without` narrow the
            // account's sentences, not offers of proof.
            if matches!(
                filter.verdict(ctx, &hit),
                super::Verdict::OutOfScope | super::Verdict::Exception
            ) {
                continue;
            }
            let span = ctx.span(hit.virt.clone());
            let values = [("match", ctx.text(span))];
            out.diagnostics.push(diagnostic(
                rule,
                span,
                fill(message, &values),
                rule.label.clone(),
            ));
        }
    }
    let Some((value, bound)) = violation else {
        return out;
    };
    // Runs of consecutive sentences in one paragraph; the longest is primary.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for &s in &account {
        match runs.last_mut() {
            Some(run)
                if run.last().is_some_and(|&l| {
                    l + 1 == s && doc.sentences[l].region == doc.sentences[s].region
                }) =>
            {
                run.push(s)
            }
            _ => runs.push(vec![s]),
        }
    }
    let run_span = |run: &Vec<usize>| {
        let first = &doc.sentences[run[0]];
        let last = &doc.sentences[run[run.len() - 1]];
        ctx.span(first.virt.start..last.virt.end)
    };
    let run_words = |run: &Vec<usize>| {
        run.iter()
            .map(|&s| doc.sentences[s].words.len())
            .sum::<usize>()
    };
    let primary = runs
        .iter()
        .max_by_key(|r| run_words(r))
        .map(run_span)
        .unwrap_or_default();
    let mut d = limit_diagnostic(rule, primary, value, bound, rule.label.as_deref());
    d.related = runs
        .iter()
        .map(run_span)
        .filter(|s| *s != primary)
        .map(|span| Related {
            span,
            message: "also part of the account".into(),
        })
        .collect();
    out.diagnostics.push(d);
    out
}

/// `timing`: days from the interview to sending within bounds. Skipped when
/// the interview date is not known.
fn timing(ctx: &Ctx, rule: &Rule, bounds: &Bounds) -> Option<Outcome> {
    let interview = ctx.settings.interview?;
    let sent = ctx.settings.today?;
    let days = sent.days_since(interview) as f64;
    let mut out = Outcome {
        value: Some(days),
        limit: bounds.min_days.or(bounds.max_days),
        ..Outcome::default()
    };
    let at = ctx
        .doc
        .headers
        .subject
        .as_ref()
        .map_or_else(|| ctx.anchor(Anchor::Start), |s| s.value);
    if let Some(min) = bounds.min_days
        && days < min
    {
        out.diagnostics
            .push(limit_diagnostic(rule, at, days, min, rule.label.as_deref()));
    } else if let Some(max) = bounds.max_days
        && days > max
    {
        out.limit = Some(max);
        out.diagnostics
            .push(limit_diagnostic(rule, at, days, max, rule.label.as_deref()));
    }
    Some(out)
}
