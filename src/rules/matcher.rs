//! All rules' phrases and patterns, compiled once per process.
//!
//! A phrase made of words (the usual case) is compiled to word sequences
//! (`words.rs`): it matches the words' forms, can name shared lists
//! (`@list`) and allow gaps (`...`). The draft is tokenized once and each
//! sequence is verified around the occurrences of its rarest word. A phrase
//! with symbols (`a&e`, `?`), a phrase of a case-sensitive rule and a
//! `substitute` rule's phrase are literal: they go into one Aho-Corasick
//! automaton, run once per draft over the lowercased prose. Each phrase maps
//! back to the matchers (rule trigger, exception, `with`, `without`) that
//! listed it. Regexes run one by one.

use super::words::{self, Elem, Forms, Key, Seq, Tokens, Written};
use crate::document::prose::ProseText;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::collections::HashMap;
use std::ops::Range;

/// Index of one matcher (one rule's trigger, exceptions, `with` or `without`).
pub type MatcherId = usize;

/// Where a hit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A phrase, by index in the phrase table.
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
enum How {
    /// In the Aho-Corasick automaton, by pattern index.
    Literal {
        ac: usize,
        case_sensitive: bool,
        word_start: bool,
        word_end: bool,
    },
    /// Word sequences, one per expansion of its lists.
    Words(Vec<Seq>),
}

#[derive(Debug)]
struct Phrase {
    /// Normalized, original case, as written.
    text: String,
    owners: Vec<MatcherId>,
    how: How,
}

/// The maximum number of sequences one phrase may expand to.
const MAX_EXPANSION: usize = 512;

#[derive(Debug, Default)]
pub struct MatcherBuilder {
    case_sensitive: Vec<bool>,
    gaps: Vec<u8>,
    phrases: Vec<Phrase>,
    literals: Vec<String>,
    by_key: HashMap<String, usize>,
    regexes: Vec<(Regex, MatcherId)>,
    forms: Forms,
    /// Named lists `@name` can refer to.
    lists: HashMap<String, Vec<String>>,
    keys: HashMap<String, Key>,
}

/// A character that belongs to a word: letters, digits, combining marks.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The gap `...` allows when a rule does not say (`gap:`).
pub const DEFAULT_GAP: u8 = 3;

impl MatcherBuilder {
    pub fn new(forms: Forms, lists: HashMap<String, Vec<String>>) -> MatcherBuilder {
        MatcherBuilder {
            forms,
            lists,
            ..MatcherBuilder::default()
        }
    }

    pub fn new_matcher(&mut self, case_sensitive: bool) -> MatcherId {
        self.new_matcher_with(case_sensitive, DEFAULT_GAP)
    }

    /// A matcher whose phrases' `...` allow up to `gap` words.
    pub fn new_matcher_with(&mut self, case_sensitive: bool, gap: u8) -> MatcherId {
        self.case_sensitive.push(case_sensitive);
        self.gaps.push(gap);
        self.case_sensitive.len() - 1
    }

    fn own(&mut self, index: usize, id: MatcherId) {
        let p = &mut self.phrases[index];
        if !p.owners.contains(&id) {
            p.owners.push(id);
        }
    }

    /// Add an already-normalized phrase to a matcher: word sequences when it
    /// is made of words, else a literal.
    pub fn add_phrase(&mut self, id: MatcherId, phrase: &str) -> Result<(), String> {
        if self.case_sensitive[id] {
            self.add_literal(id, phrase);
            return Ok(());
        }
        let Some(written) = words::parse_phrase(phrase)? else {
            self.add_literal(id, phrase);
            return Ok(());
        };
        let gap = self.gaps[id];
        let key = format!("{gap}\u{1}{}", crate::document::prose::lowercase(phrase));
        if let Some(&index) = self.by_key.get(&key) {
            self.own(index, id);
            return Ok(());
        }
        let seqs = self.expand(&written, gap, 0)?;
        let seqs: Vec<Seq> = seqs.into_iter().filter_map(Seq::new).collect();
        if seqs.is_empty() {
            return Err(format!("`{phrase}` has no required word"));
        }
        self.phrases.push(Phrase {
            text: phrase.to_string(),
            owners: vec![id],
            how: How::Words(seqs),
        });
        self.by_key.insert(key, self.phrases.len() - 1);
        Ok(())
    }

    fn intern(&mut self, key: String) -> Key {
        let next = self.keys.len() as Key;
        *self.keys.entry(key).or_insert(next)
    }

    /// Every flat sequence a written phrase stands for.
    fn expand(
        &mut self,
        written: &[Written],
        gap: u8,
        depth: usize,
    ) -> Result<Vec<Vec<Elem>>, String> {
        let mut out: Vec<Vec<Elem>> = vec![Vec::new()];
        for w in written {
            let choices: Vec<Vec<Elem>> = match w {
                Written::Gap(n) => vec![vec![Elem::Gap(n.unwrap_or(gap))]],
                Written::Alts { words, optional } => {
                    let alts = words
                        .iter()
                        .map(|(w, exact)| {
                            let k = if *exact {
                                format!("={w}")
                            } else {
                                self.forms.key(w)
                            };
                            self.intern(k)
                        })
                        .collect();
                    vec![vec![Elem::Word {
                        alts,
                        optional: *optional,
                    }]]
                }
                Written::List { name, optional } => {
                    if depth > 4 {
                        return Err(format!("list `@{name}` refers to itself"));
                    }
                    let Some(items) = self.lists.get(name).cloned() else {
                        return Err(format!("unknown list `@{name}`"));
                    };
                    let mut seqs: Vec<Vec<Elem>> = Vec::new();
                    for item in &items {
                        let norm = super::load::normalize_phrase(item);
                        let Some(parsed) = words::parse_phrase(&norm)? else {
                            return Err(format!(
                                "list `@{name}`: `{item}` is not made of words, so it cannot be part of a phrase"
                            ));
                        };
                        seqs.extend(self.expand(&parsed, gap, depth + 1)?);
                    }
                    merge_single_words(seqs, *optional)
                }
            };
            let mut next = Vec::with_capacity(out.len() * choices.len());
            for prefix in &out {
                for c in &choices {
                    let mut s = prefix.clone();
                    s.extend(c.iter().cloned());
                    next.push(s);
                }
            }
            if next.len() > MAX_EXPANSION {
                return Err(format!(
                    "this phrase stands for more than {MAX_EXPANSION} word sequences; split it or use single-word lists"
                ));
            }
            out = next;
        }
        Ok(out)
    }

    /// Add a phrase matched literally (case-insensitively unless the matcher
    /// is case-sensitive), at word boundaries.
    pub fn add_literal(&mut self, id: MatcherId, phrase: &str) {
        let lower = crate::document::prose::lowercase(phrase);
        if lower.is_empty() {
            return;
        }
        let case_sensitive = self.case_sensitive[id];
        let key = if case_sensitive {
            format!("\u{0}{phrase}")
        } else {
            format!("\u{2}{lower}")
        };
        if let Some(&index) = self.by_key.get(&key) {
            self.own(index, id);
            return;
        }
        self.literals.push(lower);
        self.phrases.push(Phrase {
            text: phrase.to_string(),
            owners: vec![id],
            how: How::Literal {
                ac: self.literals.len() - 1,
                case_sensitive,
                word_start: phrase.chars().next().is_some_and(is_word_char),
                word_end: phrase.chars().last().is_some_and(is_word_char),
            },
        });
        self.by_key.insert(key, self.phrases.len() - 1);
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
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&self.literals)
            .map_err(|e| format!("cannot build the phrase automaton: {e}"))?;
        let mut literal_phrase = vec![0; self.literals.len()];
        for (i, p) in self.phrases.iter().enumerate() {
            if let How::Literal { ac, .. } = p.how {
                literal_phrase[ac] = i;
            }
        }
        Ok(Matchers {
            case_sensitive: self.case_sensitive,
            phrases: self.phrases,
            literal_phrase,
            ac,
            regexes: self.regexes,
            forms: self.forms,
            keys: self.keys,
        })
    }
}

/// Alternatives that are all single required words become one element.
fn merge_single_words(seqs: Vec<Vec<Elem>>, optional: bool) -> Vec<Vec<Elem>> {
    let single = seqs.iter().all(|s| {
        matches!(
            s.as_slice(),
            [Elem::Word {
                optional: false,
                ..
            }]
        )
    });
    if single {
        let mut alts: Vec<Key> = seqs
            .into_iter()
            .flat_map(|s| match s.into_iter().next() {
                Some(Elem::Word { alts, .. }) => alts,
                _ => Vec::new(),
            })
            .collect();
        alts.sort_unstable();
        alts.dedup();
        return vec![vec![Elem::Word { alts, optional }]];
    }
    let mut seqs = seqs;
    if optional {
        seqs.push(Vec::new());
    }
    seqs
}

/// The compiled matchers of a rule set.
#[derive(Debug)]
pub struct Matchers {
    case_sensitive: Vec<bool>,
    phrases: Vec<Phrase>,
    /// Automaton pattern index → phrase index.
    literal_phrase: Vec<usize>,
    ac: AhoCorasick,
    regexes: Vec<(Regex, MatcherId)>,
    forms: Forms,
    keys: HashMap<String, Key>,
}

/// What all matchers found in one draft.
#[derive(Debug, Default)]
pub struct Found {
    /// Hits per matcher, each sorted by position.
    pub hits: Vec<Vec<Hit>>,
    /// The draft's words.
    pub tokens: Tokens,
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

    /// True when the phrase matches word forms (not literally).
    pub fn phrase_is_words(&self, index: usize) -> bool {
        matches!(self.phrases[index].how, How::Words(_))
    }

    /// The regex source of a pattern hit.
    pub fn pattern_text(&self, index: usize) -> &str {
        let s = self.regexes[index].0.as_str();
        s.strip_prefix("(?i)").unwrap_or(s)
    }

    /// Tokenize a draft's prose; `segments` are the sorted start offsets of
    /// its sentences and regions (word sequences never cross them).
    pub fn tokenize(&self, prose: &ProseText, segments: &[usize]) -> Tokens {
        Tokens::new(&prose.lower, segments, &self.forms, &self.keys)
    }

    /// Every hit of every matcher in `prose`, grouped by matcher, each group
    /// sorted by position.
    pub fn find_all(&self, prose: &ProseText, segments: &[usize]) -> Found {
        let mut out: Vec<Vec<Hit>> = vec![Vec::new(); self.case_sensitive.len()];
        let text = &prose.text;
        for m in self.ac.find_overlapping_iter(&prose.lower) {
            let index = self.literal_phrase[m.pattern().as_usize()];
            let p = &self.phrases[index];
            let How::Literal {
                case_sensitive,
                word_start,
                word_end,
                ..
            } = p.how
            else {
                continue;
            };
            let (s, e) = (m.start(), m.end());
            if word_start && text[..s].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            if word_end && text[e..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            if case_sensitive && text[s..e] != p.text {
                continue;
            }
            for &owner in &p.owners {
                out[owner].push(Hit {
                    virt: s..e,
                    origin: Origin::Phrase(index),
                });
            }
        }
        let tokens = self.tokenize(prose, segments);
        let mut found: Vec<Range<usize>> = Vec::new();
        for (index, p) in self.phrases.iter().enumerate() {
            let How::Words(seqs) = &p.how else { continue };
            found.clear();
            for seq in seqs {
                seq.find(&tokens, &mut found);
            }
            for r in &found {
                let virt = tokens.tokens[r.start].virt.start..tokens.tokens[r.end - 1].virt.end;
                for &owner in &p.owners {
                    out[owner].push(Hit {
                        virt: virt.clone(),
                        origin: Origin::Phrase(index),
                    });
                }
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
        Found { hits: out, tokens }
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
