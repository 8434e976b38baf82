//! All rules' phrases and patterns, compiled once per process.
//!
//! Every phrase of every rule goes into one Aho-Corasick automaton, run once
//! per draft over the lowercased prose; a pattern id maps back to the
//! matchers (rule trigger, exception, `with`, `without`) that listed it.
//! Regexes are prefiltered with one `RegexSet`, so only those that match at
//! all are run to find positions.

use crate::document::prose::ProseText;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::ops::Range;

/// Index of one matcher (one rule's trigger, exceptions, `with` or `without`).
pub type MatcherId = usize;

/// Where a hit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A phrase, by index in the automaton.
    Phrase(usize),
    /// A regex, by index in the regex list.
    Pattern(usize),
}

/// A match in a draft's normalized prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub virt: Range<usize>,
    pub origin: Origin,
}

#[derive(Debug)]
struct Phrase {
    /// Normalized, original case.
    text: String,
    /// Matches only this exact case (its owners are case-sensitive rules).
    case_sensitive: bool,
    owners: Vec<MatcherId>,
    word_start: bool,
    word_end: bool,
}

#[derive(Debug, Default)]
pub struct MatcherBuilder {
    case_sensitive: Vec<bool>,
    phrases: Vec<Phrase>,
    by_lower: std::collections::HashMap<String, usize>,
    regexes: Vec<(Regex, MatcherId)>,
}

/// A character that belongs to a word: letters, digits, combining marks.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

impl MatcherBuilder {
    pub fn new_matcher(&mut self, case_sensitive: bool) -> MatcherId {
        self.case_sensitive.push(case_sensitive);
        self.case_sensitive.len() - 1
    }

    /// Add an already-normalized phrase to a matcher.
    pub fn add_phrase(&mut self, id: MatcherId, phrase: &str) {
        let lower = crate::document::prose::lowercase(phrase);
        if lower.is_empty() {
            return;
        }
        let case_sensitive = self.case_sensitive[id];
        // Case-insensitive owners share one entry; a case-sensitive phrase is
        // its own entry, keyed by its exact text.
        let key = if case_sensitive {
            format!("\u{0}{phrase}")
        } else {
            lower
        };
        let index = *self.by_lower.entry(key).or_insert_with(|| {
            self.phrases.push(Phrase {
                text: phrase.to_string(),
                case_sensitive,
                owners: Vec::new(),
                word_start: phrase.chars().next().is_some_and(is_word_char),
                word_end: phrase.chars().last().is_some_and(is_word_char),
            });
            self.phrases.len() - 1
        });
        let p = &mut self.phrases[index];
        if !p.owners.contains(&id) {
            p.owners.push(id);
        }
    }

    pub fn add_pattern(&mut self, id: MatcherId, pattern: &str) -> Result<(), regex::Error> {
        let full = if self.case_sensitive[id] {
            pattern.to_string()
        } else {
            format!("(?i){pattern}")
        };
        let re = regex::RegexBuilder::new(&full)
            .size_limit(1 << 22)
            .build()?;
        self.regexes.push((re, id));
        Ok(())
    }

    pub fn build(self) -> Result<Matchers, String> {
        let lowers: Vec<String> = self
            .phrases
            .iter()
            .map(|p| crate::document::prose::lowercase(&p.text))
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&lowers)
            .map_err(|e| format!("cannot build the phrase automaton: {e}"))?;
        Ok(Matchers {
            case_sensitive: self.case_sensitive,
            phrases: self.phrases,
            ac,
            regexes: self.regexes,
        })
    }
}

/// The compiled matchers of a rule set.
#[derive(Debug)]
pub struct Matchers {
    case_sensitive: Vec<bool>,
    phrases: Vec<Phrase>,
    ac: AhoCorasick,
    regexes: Vec<(Regex, MatcherId)>,
}

impl Matchers {
    pub fn matcher_count(&self) -> usize {
        self.case_sensitive.len()
    }

    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    pub fn pattern_count(&self) -> usize {
        self.regexes.len()
    }

    /// The phrase text of a phrase hit, normalized.
    pub fn phrase_text(&self, index: usize) -> &str {
        &self.phrases[index].text
    }

    /// The regex source of a pattern hit.
    pub fn pattern_text(&self, index: usize) -> &str {
        let s = self.regexes[index].0.as_str();
        s.strip_prefix("(?i)").unwrap_or(s)
    }

    /// Every hit of every matcher in `prose`, grouped by matcher, each group
    /// sorted by position.
    pub fn find_all(&self, prose: &ProseText) -> Vec<Vec<Hit>> {
        let mut out: Vec<Vec<Hit>> = vec![Vec::new(); self.case_sensitive.len()];
        let text = &prose.text;
        for m in self.ac.find_overlapping_iter(&prose.lower) {
            let index = m.pattern().as_usize();
            let p = &self.phrases[index];
            let (s, e) = (m.start(), m.end());
            if p.word_start && text[..s].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            if p.word_end && text[e..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            if p.case_sensitive && text[s..e] != p.text {
                continue;
            }
            for &owner in &p.owners {
                out[owner].push(Hit {
                    virt: s..e,
                    origin: Origin::Phrase(index),
                });
            }
        }
        // Each regex on its own: every one has a literal prefilter and a
        // small lazy DFA, and together they run ~30 times faster than one
        // RegexSet, whose combined DFA thrashes its cache on Unicode
        // case-insensitive patterns (benches/lint.rs).
        for (i, (re, owner)) in self.regexes.iter().enumerate() {
            for m in re.find_iter(text) {
                if m.is_empty() {
                    continue;
                }
                out[*owner].push(Hit {
                    virt: m.range(),
                    origin: Origin::Pattern(i),
                });
            }
        }
        for hits in &mut out {
            hits.sort_by_key(|h| (h.virt.start, h.virt.end));
            hits.dedup_by(|a, b| a.virt == b.virt);
        }
        out
    }

    /// Capture group `name` of a pattern hit, as a normalized range.
    pub fn capture(&self, prose: &ProseText, hit: &Hit, name: &str) -> Option<Range<usize>> {
        let Origin::Pattern(i) = hit.origin else {
            return None;
        };
        let caps = self.regexes[i].0.captures_at(&prose.text, hit.virt.start)?;
        (caps.get(0)?.start() == hit.virt.start).then_some(())?;
        caps.name(name).map(|m| m.range())
    }
}
