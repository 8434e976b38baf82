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

use super::model::Scope;
use super::pattern::{LONG_TEXT, Mode, Pattern, TUNE_AFTER};
use super::words::{self, Elem, FastMap, Forms, Key, KeyMap, Seq, Tokens, Written};
use crate::document::Region;
use crate::document::prose::ProseText;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

/// Index of one matcher (one rule's trigger, exceptions, `with` or `without`).
pub type MatcherId = usize;

/// A set of scopes: where a matcher's hits can count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes(u16);

impl Scopes {
    fn with(self, scope: Scope) -> Scopes {
        Scopes(self.0 | 1 << scope as u16)
    }

    fn union(self, other: Scopes) -> Scopes {
        Scopes(self.0 | other.0)
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Does a region of the email that is `part` belong to one of them?
    fn hold(self, part: crate::document::Part) -> bool {
        ALL_SCOPES
            .iter()
            .any(|&s| self.0 & (1 << s as u16) != 0 && s.holds(part))
    }
}

const ALL_SCOPES: [Scope; 8] = [
    Scope::Subject,
    Scope::Greeting,
    Scope::Body,
    Scope::Paragraph,
    Scope::Sentence,
    Scope::Closing,
    Scope::Signature,
    Scope::Document,
];

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
    /// Word sequences, one per expansion of its lists: their range in the
    /// builder's (then the matchers') table of sequences.
    Words(Range<u32>),
}

#[derive(Debug)]
struct Phrase {
    /// Normalized, original case, as written.
    text: String,
    owners: Vec<MatcherId>,
    how: How,
}

/// A regex of a matcher, behind its gate.
#[derive(Debug)]
struct Regexp {
    /// As written in the rule.
    source: String,
    /// Shared by every matcher that lists the same regex (compiled once).
    pattern: Arc<Pattern>,
    owner: MatcherId,
    /// How many clauses its gate has (`gate.rs`); 0: it always runs.
    clauses: u8,
}

/// The maximum number of sequences one phrase may expand to.
const MAX_EXPANSION: usize = 512;

#[derive(Debug, Default)]
pub struct MatcherBuilder {
    case_sensitive: Vec<bool>,
    gaps: Vec<u8>,
    phrases: Vec<Phrase>,
    literals: Vec<String>,
    by_key: FastMap<String, usize>,
    regexes: Vec<Regexp>,
    /// Each distinct regex (as compiled, `(?i)` included), once.
    patterns: FastMap<String, Arc<Pattern>>,
    forms: Forms,
    /// Named lists `@name` can refer to.
    lists: HashMap<String, Vec<String>>,
    keys: KeyMap,
    /// Every word phrase's sequences, in one table; each phrase's
    /// `How::Words` is its range in it.
    store: Vec<Seq>,
    /// Every regex gate's literals, each once, and the (regex, clause)
    /// pairs each one satisfies.
    gate_literals: Vec<String>,
    gate_index: FastMap<String, usize>,
    gate_targets: Vec<Vec<(u32, u8)>>,
    /// Per matcher: the matchers whose matches it judges (`judges`).
    judged: Vec<Vec<MatcherId>>,
    /// Per matcher: the scopes its hits count in (`counts_in`); `None`
    /// anywhere.
    counted_in: Vec<Option<Scopes>>,
    /// The keys of `words::COMMON_WORDS`.
    /// The keys of the common words, with their weights as anchors.
    common: FastMap<Key, u32>,
    /// What each sequence element was written as (`Seq::labels`).
    labels: Labels,
    label_index: FastMap<String, u32>,
    /// Compile-time caches: a word's interned form key, and what a list
    /// reference (`@name`, optional or not, at a gap) expands to. Lists
    /// are referred to by many phrases; each is expanded once.
    word_keys: FastMap<String, Key>,
    list_expansions: FastMap<(String, bool, u8), Vec<Expanded>>,
    /// Phrases compiled ahead (`compiled.rs`), by their `by_key` key:
    /// taken instead of expanded. Their sequences came first in `store`,
    /// in the order compiled, and this is their range there.
    compiled: FastMap<&'static str, Range<u32>>,
    /// How many phrases were taken from `compiled`.
    taken: usize,
}

/// The label table: built by the compiler, or as it came in
/// `compiled.bin`, decoded on first use (only `explain` reads labels).
#[derive(Debug)]
enum Labels {
    Built(Vec<Label>),
    Compiled(super::compiled::LabelTable<'static>, OnceLock<Vec<Label>>),
}

impl Default for Labels {
    fn default() -> Labels {
        Labels::Built(Vec::new())
    }
}

impl Labels {
    fn all(&self) -> &[Label] {
        match self {
            Labels::Built(v) => v,
            // `seeded` checked that the table holds together.
            Labels::Compiled(t, v) => v.get_or_init(|| t.decode().unwrap_or_default()),
        }
    }

    fn to_mut(&mut self) -> &mut Vec<Label> {
        if let Labels::Compiled(..) = self {
            *self = Labels::Built(self.all().to_vec());
        }
        match self {
            Labels::Built(v) => v,
            Labels::Compiled(..) => unreachable!("just made Built"),
        }
    }
}

/// One flat word sequence a phrase stands for: each element with its label.
type Expanded = Vec<(Elem, u32)>;

/// What a sequence element was written as, for `explain`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// `interest`, `=keen`, `meet|see`, `...3`, `@job`.
    pub text: String,
    /// The words themselves, when written in the phrase (not a list): a
    /// token that is none of them matched by its form.
    pub words: Vec<String>,
}

/// A character that belongs to a word: letters, digits, combining marks.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Tokens per block when word sequences are matched over a long draft
/// (`Matchers::find_sequences`).
const SEQUENCE_BLOCK: usize = 8192;

/// The gap `...` allows when a rule does not say (`gap:`).
pub const DEFAULT_GAP: u8 = 3;

impl MatcherBuilder {
    pub fn new(forms: Forms, lists: HashMap<String, Vec<String>>) -> MatcherBuilder {
        let mut b = MatcherBuilder {
            forms,
            lists,
            ..MatcherBuilder::default()
        };
        for w in words::COMMON_WORDS {
            let weight = words::common_weight(w);
            for k in [format!("={w}"), b.forms.key(w)] {
                let k = b.intern(k);
                let at = b.common.entry(k).or_insert(0);
                *at = (*at).max(weight);
            }
        }
        b
    }

    /// A builder that takes the phrases of `compiled` as compiled (their
    /// keys, labels and sequences), for the rule files they were compiled
    /// from: `forms` and `lists` must be those files' (`compiled.rs`).
    pub fn seeded(
        forms: Forms,
        lists: HashMap<String, Vec<String>>,
        compiled: super::compiled::CompiledPhrases<'static>,
    ) -> MatcherBuilder {
        let (Some(seeds), Some(keys), true) = (
            compiled.phrases(),
            compiled.keys(),
            compiled.labels().holds(),
        ) else {
            return MatcherBuilder::new(forms, lists);
        };
        let mut b = MatcherBuilder {
            forms,
            lists,
            ..MatcherBuilder::default()
        };
        // Keys and phrase keys stay in `compiled.bin`'s bytes: no copy.
        b.keys.reserve(keys.len());
        for k in keys {
            let next = b.keys.len() as Key;
            b.keys.entry(Cow::Borrowed(k)).or_insert(next);
        }
        b.common.extend(
            compiled
                .common
                .iter()
                .copied()
                .zip(compiled.common_weights.iter().copied()),
        );
        // Decoded when `explain` or a phrase compiled here needs them.
        b.labels = Labels::Compiled(compiled.labels().clone(), OnceLock::new());
        b.store = seeds.seqs;
        b.compiled = seeds
            .phrases
            .into_iter()
            .map(|(key, r)| (key, r.start as u32..r.end as u32))
            .collect();
        b
    }

    /// A matcher whose phrases' `...` allow up to `gap` words.
    pub fn new_matcher_with(&mut self, case_sensitive: bool, gap: u8) -> MatcherId {
        self.case_sensitive.push(case_sensitive);
        self.gaps.push(gap);
        self.case_sensitive.len() - 1
    }

    /// Matcher `filter` only judges the matches of `judged` (a rule's
    /// exceptions, `with`, `without`): its regexes run on a draft only
    /// when one of those found something.
    pub fn judges(&mut self, filter: MatcherId, judged: &[MatcherId]) {
        if self.judged.len() <= filter {
            self.judged.resize(filter + 1, Vec::new());
        }
        self.judged[filter] = judged.to_vec();
    }

    /// Matcher `m`'s hits count in `scope` (a rule's trigger, which the
    /// rule's scope filters), or anywhere (`None`: exceptions, `with`,
    /// `without`, a budget's end, the claim lists). A matcher every use
    /// of which has a scope has its line-bound regexes searched only on
    /// the lines of those regions (`Matchers::find_all`).
    pub fn counts_in(&mut self, m: MatcherId, scope: Option<Scope>) {
        if self.counted_in.len() <= m {
            self.counted_in.resize(m + 1, Some(Scopes::default()));
        }
        let c = &mut self.counted_in[m];
        *c = match (*c, scope) {
            (Some(c), Some(s)) => Some(c.with(s)),
            _ => None,
        };
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
        let gap = self.gaps[id];
        let key = phrase_key(gap, phrase);
        if let Some(&index) = self.by_key.get(&key) {
            self.own(index, id);
            return Ok(());
        }
        if let Some(range) = self.compiled.remove(key.as_str()) {
            self.taken += 1;
            self.push_words(key, phrase, id, range);
            return Ok(());
        }
        let Some(written) = words::parse_phrase(phrase)? else {
            self.add_literal(id, phrase);
            return Ok(());
        };
        let seqs = self.expand(&written, gap, 0)?;
        let common = &self.common;
        let seqs: Vec<Seq> = seqs
            .into_iter()
            .filter_map(|s| {
                let (elems, labels) = s.into_iter().unzip();
                Seq::new(elems, labels, |k| common.get(&k).copied().unwrap_or(1))
            })
            .collect();
        if seqs.is_empty() {
            return Err(format!("`{phrase}` has no required word"));
        }
        let start = self.store.len() as u32;
        self.store.extend(seqs);
        let end = self.store.len() as u32;
        self.push_words(key, phrase, id, start..end);
        Ok(())
    }

    fn push_words(&mut self, key: String, phrase: &str, id: MatcherId, seqs: Range<u32>) {
        self.phrases.push(Phrase {
            text: phrase.to_string(),
            owners: vec![id],
            how: How::Words(seqs),
        });
        self.by_key.insert(key, self.phrases.len() - 1);
    }

    /// The interned form key of a word (`=word` when `exact`).
    fn word_key(&mut self, w: &str, exact: bool) -> Key {
        // A numeral written in a phrase (`5`) means that number: only `#`
        // matches any.
        if exact || words::is_numeral(w) {
            return self.intern(format!("={w}"));
        }
        if let Some(&k) = self.word_keys.get(w) {
            return k;
        }
        let k = self.forms.key(w);
        let k = self.intern(k);
        self.word_keys.insert(w.to_string(), k);
        k
    }

    fn intern(&mut self, key: String) -> Key {
        let next = self.keys.len() as Key;
        if let Some(&k) = self.keys.get(key.as_str()) {
            return k;
        }
        self.keys.insert(Cow::Owned(key), next);
        next
    }

    fn label(&mut self, text: String, words: Vec<String>) -> u32 {
        let labels = self.labels.to_mut();
        if self.label_index.len() < labels.len() {
            // Labels that came compiled (`seeded`), indexed when first needed.
            for (i, l) in labels.iter().enumerate() {
                self.label_index.entry(l.text.clone()).or_insert(i as u32);
            }
        }
        if let Some(&i) = self.label_index.get(&text) {
            return i;
        }
        let i = labels.len() as u32;
        self.label_index.insert(text.clone(), i);
        labels.push(Label { text, words });
        i
    }

    /// Every flat sequence a written phrase stands for, each element with
    /// its label.
    fn expand(
        &mut self,
        written: &[Written],
        gap: u8,
        depth: usize,
    ) -> Result<Vec<Vec<(Elem, u32)>>, String> {
        let mut out: Vec<Vec<(Elem, u32)>> = vec![Vec::new()];
        for w in written {
            let choices: Vec<Vec<(Elem, u32)>> = match w {
                Written::Gap(n) => {
                    let n = n.unwrap_or(gap);
                    let label = self.label(format!("...{n}"), Vec::new());
                    vec![vec![(Elem::Gap(n), label)]]
                }
                Written::Alts { words, optional } => {
                    // Sorted, as every set of alternatives is (`Tokens::has`
                    // searches the large ones).
                    let mut alts: Vec<Key> = words
                        .iter()
                        .map(|(w, exact)| self.word_key(w, *exact))
                        .collect();
                    alts.sort_unstable();
                    alts.dedup();
                    let alts = alts.into();
                    let text = words
                        .iter()
                        .map(|(w, exact)| if *exact { format!("={w}") } else { w.clone() })
                        .collect::<Vec<_>>()
                        .join("|");
                    let text = if *optional { format!("{text}?") } else { text };
                    let label = self.label(text, words.iter().map(|(w, _)| w.clone()).collect());
                    vec![vec![(
                        Elem::Word {
                            alts,
                            optional: *optional,
                        },
                        label,
                    )]]
                }
                Written::List { name, optional } => {
                    if depth > 4 {
                        return Err(format!("list `@{name}` refers to itself"));
                    }
                    let cache_key = (name.clone(), *optional, gap);
                    if let Some(seqs) = self.list_expansions.get(&cache_key) {
                        seqs.clone()
                    } else {
                        let Some(items) = self.lists.get(name).cloned() else {
                            return Err(format!("unknown list `@{name}`"));
                        };
                        let mut seqs: Vec<Vec<(Elem, u32)>> = Vec::new();
                        let q = if *optional { "?" } else { "" };
                        let whole = self.label(format!("@{name}{q}"), Vec::new());
                        for item in &items {
                            let norm = super::load::normalize_phrase(item);
                            let Some(parsed) = words::parse_phrase(&norm)? else {
                                return Err(format!(
                                    "list `@{name}`: `{item}` is not made of words, so it cannot be part of a phrase"
                                ));
                            };
                            // An item of several words is named with the list:
                            // "@destined (put on this earth)".
                            let label = if parsed.len() > 1 {
                                self.label(format!("@{name}{q} ({norm})"), Vec::new())
                            } else {
                                whole
                            };
                            for mut seq in self.expand(&parsed, gap, depth + 1)? {
                                for (_, l) in &mut seq {
                                    *l = label;
                                }
                                seqs.push(seq);
                            }
                        }
                        let merged = merge_single_words(seqs, *optional, whole);
                        self.list_expansions.insert(cache_key, merged.clone());
                        merged
                    }
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

    /// Add a regex; `lazy`: only check its syntax now and compile it when a
    /// draft first needs it (for patterns known to compile: the built-in
    /// pack's, which `tests/fast_paths.rs` compiles).
    pub fn add_pattern_with(
        &mut self,
        id: MatcherId,
        pattern: &str,
        lazy: bool,
    ) -> Result<(), regex::Error> {
        let full = if self.case_sensitive[id] {
            pattern.to_string()
        } else {
            format!("(?i){pattern}")
        };
        let shared = self.patterns.get(&full).cloned();
        // A built-in regex's gate is usually in the table computed ahead,
        // and the regex is then trusted (a test compiles every one).
        let cached = lazy
            .then(|| super::gate::builtin_gates().get(pattern))
            .flatten();
        // The same regex listed again (another rule's exceptions, say)
        // shares the first one's compiled forms; it was accepted then.
        let index = self.regexes.len();
        let case_sensitive = self.case_sensitive[id];
        let (compiled, clauses) = match cached {
            Some(ahead) => {
                self.add_gate(index, &ahead.clauses);
                let uniform = ahead.uniform[usize::from(case_sensitive)];
                (
                    shared.unwrap_or_else(|| {
                        Arc::new(Pattern::lazy_with_uniform(full.clone(), uniform))
                    }),
                    ahead.clauses.len(),
                )
            }
            None => {
                let ast = regex_syntax::ast::parse::Parser::new().parse(pattern);
                let compiled = match shared {
                    Some(p) => p,
                    None if lazy => {
                        // The syntax only (cheap); a test compiles every built-in regex.
                        ast.as_ref()
                            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
                        Arc::new(Pattern::lazy(full.clone()))
                    }
                    None => Arc::new(Pattern::checked(full.clone())?),
                };
                let gate = ast
                    .map(|ast| super::gate::gate_of(pattern, &ast))
                    .unwrap_or_default();
                self.add_gate(index, &gate);
                (compiled, gate.len())
            }
        };
        self.patterns
            .entry(full)
            .or_insert_with(|| compiled.clone());
        self.regexes.push(Regexp {
            source: pattern.to_string(),
            pattern: compiled,
            owner: id,
            clauses: clauses as u8,
        });
        Ok(())
    }

    /// File regex `index`'s gate: each clause's literals, and the (regex,
    /// clause) pairs each literal satisfies.
    fn add_gate<S: AsRef<str>>(&mut self, index: usize, gate: &[Vec<S>]) {
        for (c, literals) in gate.iter().enumerate() {
            for l in literals {
                // Gates search lowercased prose (`open_patterns`).
                let l = l.as_ref().to_ascii_lowercase();
                let next = self.gate_literals.len();
                let at = *self.gate_index.entry(l.clone()).or_insert(next);
                if at == next {
                    self.gate_literals.push(l);
                    self.gate_targets.push(Vec::new());
                }
                self.gate_targets[at].push((index as u32, c as u8));
            }
        }
    }

    pub fn build(mut self) -> Result<Matchers, String> {
        let ac = Automaton::new(
            std::mem::take(&mut self.literals),
            AhoCorasickKind::ContiguousNFA,
        )
        .map_err(|e| format!("cannot build the phrase automaton: {e}"))?;
        let mut literal_phrase = vec![0; ac.patterns.len()];
        for (i, p) in self.phrases.iter().enumerate() {
            if let How::Literal { ac, .. } = p.how {
                literal_phrase[ac] = i;
            }
        }
        // The literals are lowercase and run over lowercased prose: no
        // case-insensitive automaton (twice the transitions to build). A
        // long text gets a DFA: several times faster to search, and too
        // slow to build for one email.
        let gate = Automaton::lazy(
            std::mem::take(&mut self.gate_literals),
            AhoCorasickKind::DFA,
        );
        // Every word sequence in one array, numbered in phrase order
        // (matching reaches sequence `s` in one step, not through its
        // phrase and the phrase's list), with its phrase, each phrase's
        // range in it, and the sequences each key anchors. The builder's
        // table is usually in that order already (the built-in pack's
        // phrases are seeded in the order they are taken), and is then
        // kept as it is; else the phrases' sequences are copied out in
        // order (sharing their tables).
        let in_order = {
            let mut next = 0u32;
            self.phrases.iter().all(|p| match &p.how {
                How::Words(r) => {
                    let ok = r.start == next;
                    next = r.end;
                    ok
                }
                How::Literal { .. } => true,
            }) && next as usize == self.store.len()
        };
        let seq_store: Vec<Seq> = if in_order {
            std::mem::take(&mut self.store)
        } else {
            let mut v = Vec::new();
            for p in &mut self.phrases {
                if let How::Words(r) = &mut p.how {
                    let first = v.len() as u32;
                    v.extend_from_slice(&self.store[r.start as usize..r.end as usize]);
                    *r = first..v.len() as u32;
                }
            }
            v
        };
        let mut seq_phrase: Vec<usize> = Vec::with_capacity(seq_store.len());
        let mut phrase_seqs: Vec<Range<u32>> = vec![0..0; self.phrases.len()];
        let mut by_anchor: Vec<Vec<u32>> = vec![Vec::new(); self.keys.len()];
        let mut by_pair: FastMap<u64, Vec<(u32, bool)>> = FastMap::default();
        for (i, p) in self.phrases.iter().enumerate() {
            if let How::Words(r) = &p.how {
                for s in r.clone() {
                    let seq = &seq_store[s as usize];
                    match seq.anchor_pair() {
                        Some((late, a, b)) if a.len() * b.len() <= PAIR_KEYS => {
                            for &k1 in a {
                                for &k2 in b {
                                    by_pair.entry(pair_key(k1, k2)).or_default().push((s, late));
                                }
                            }
                        }
                        _ => {
                            for &k in seq.anchor_alts() {
                                by_anchor[k as usize].push(s);
                            }
                        }
                    }
                    seq_phrase.push(i);
                }
                phrase_seqs[i] = r.clone();
            }
        }
        for v in &mut by_anchor {
            v.sort_unstable();
            v.dedup();
        }
        for v in by_pair.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        let mut common: Vec<(Key, u32)> = self.common.into_iter().collect();
        common.sort_unstable();
        let first_twin: Vec<usize> = (0..self.regexes.len())
            .map(|i| {
                (0..i)
                    .find(|&j| Arc::ptr_eq(&self.regexes[j].pattern, &self.regexes[i].pattern))
                    .unwrap_or(i)
            })
            .collect();
        let mut has_twin = vec![false; self.regexes.len()];
        for (i, &f) in first_twin.iter().enumerate() {
            if f != i {
                has_twin[f] = true;
            }
        }
        // Where each regex's matches can count, for every matcher listing
        // it (twins share one search): `None` when any can count anywhere
        // or was never given a scope.
        let counted_in = |m: MatcherId| {
            self.counted_in
                .get(m)
                .copied()
                .flatten()
                .filter(|c| !c.is_empty())
        };
        let mut confined: Vec<Option<Scopes>> =
            self.regexes.iter().map(|r| counted_in(r.owner)).collect();
        for (i, &f) in first_twin.iter().enumerate() {
            if f != i {
                confined[f] = confined[f].zip(confined[i]).map(|(a, b)| a.union(b));
            }
        }
        for (i, &f) in first_twin.iter().enumerate() {
            confined[i] = confined[f];
        }
        Ok(Matchers {
            seq_phrase,
            seq_store,
            phrase_seqs,
            by_anchor,
            by_pair,
            gaps: self.gaps,
            common,
            from_compiled: self.taken,
            case_sensitive: self.case_sensitive,
            phrases: self.phrases,
            literal_phrase,
            ac,
            first_twin,
            has_twin,
            confined,
            regexes: self.regexes,
            gate,
            gate_targets: self.gate_targets,
            fast_paths: true,
            forms: self.forms,
            keys: self.keys,
            labels: self.labels,
            judged: self.judged,
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        })
    }
}

/// The lines of `text` (the prose) that hold a region of one of `scopes`:
/// sorted, disjoint ranges, each from a line's start to its end (the
/// `\n`, or the end of the text).
fn lines_of(text: &str, regions: &[Region], scopes: Scopes) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines: Vec<Range<usize>> = Vec::new();
    for r in regions.iter().filter(|r| scopes.hold(r.part)) {
        let (a, b) = (r.virt.start.min(bytes.len()), r.virt.end.min(bytes.len()));
        let start = bytes[..a]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[b..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(bytes.len(), |i| b + i);
        lines.push(start..end);
    }
    lines.sort_unstable_by_key(|l| l.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(lines.len());
    for l in lines {
        match merged.last_mut() {
            Some(last) if l.start <= last.end => last.end = last.end.max(l.end),
            _ => merged.push(l),
        }
    }
    merged
}

/// Sequences whose anchor and neighbour accept at most this many pairs of
/// keys are found by pairs (`Matchers::by_pair`); the others by anchor.
const PAIR_KEYS: usize = 16;

/// Two keys as one `by_pair` key.
fn pair_key(first: Key, second: Key) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

/// The key a word phrase is filed by: the same phrase with the same gap is
/// compiled once (and found so in `compiled.bin`).
fn phrase_key(gap: u8, phrase: &str) -> String {
    use std::fmt::Write;
    // No `format!` of a lowercased copy: this runs for every phrase at
    // start-up.
    let mut key = String::with_capacity(phrase.len() + 4);
    // A one-digit gap (every built-in one) without the formatting machinery.
    match char::from_digit(u32::from(gap), 10) {
        Some(digit) => key.push(digit),
        None => {
            let _ = write!(key, "{gap}");
        }
    }
    key.push('\u{1}');
    if phrase.is_ascii() {
        let start = key.len();
        key.push_str(phrase);
        key[start..].make_ascii_lowercase();
    } else {
        key.push_str(&crate::document::prose::lowercase(phrase));
    }
    key
}

/// Alternatives that are all single required words become one element.
fn merge_single_words(
    seqs: Vec<Vec<(Elem, u32)>>,
    optional: bool,
    label: u32,
) -> Vec<Vec<(Elem, u32)>> {
    let single = seqs.iter().all(|s| {
        matches!(
            s.as_slice(),
            [(
                Elem::Word {
                    optional: false,
                    ..
                },
                _
            )]
        )
    });
    if single {
        let mut alts: Vec<Key> = seqs
            .into_iter()
            .flat_map(|s| match s.into_iter().next() {
                Some((Elem::Word { alts, .. }, _)) => alts.to_vec(),
                _ => Vec::new(),
            })
            .collect();
        alts.sort_unstable();
        alts.dedup();
        return vec![vec![(
            Elem::Word {
                alts: alts.into(),
                optional,
            },
            label,
        )]];
    }
    let mut seqs = seqs;
    if optional {
        seqs.push(Vec::new());
    }
    seqs
}

/// A literal automaton, built only as far as the drafts need it, as a
/// regex is (`pattern.rs`): a noncontiguous NFA (the cheapest to build,
/// and quick enough for one email), a contiguous NFA once it has searched
/// [`TUNE_AFTER`] drafts, and the `long` kind at once for a text of
/// [`LONG_TEXT`] bytes or more, or once it has searched [`LONG_AFTER`]
/// drafts (a run of many: the gates' DFA costs ~20M instructions to
/// build, and saves ~50,000 a draft). Every kind finds the same matches; only
/// the build and search costs differ. An automaton made with
/// [`lazy`](Automaton::lazy) that is asked only which patterns occur
/// ([`each_present`](Automaton::each_present)) answers its first drafts
/// with one substring search per pattern, and builds nothing for them.
#[derive(Debug)]
struct Automaton {
    patterns: Vec<String>,
    quick: OnceLock<Option<AhoCorasick>>,
    uses: AtomicU32,
    tuned: OnceLock<Option<AhoCorasick>>,
    long_kind: AhoCorasickKind,
    long: OnceLock<Option<AhoCorasick>>,
}

impl Automaton {
    /// The quick form built now, so that one that cannot be built is an
    /// error when the rules load.
    fn new(patterns: Vec<String>, long_kind: AhoCorasickKind) -> Result<Automaton, String> {
        let quick = Automaton::build(&patterns, AhoCorasickKind::NoncontiguousNFA)
            .map_err(|e| e.to_string())?;
        let a = Automaton::lazy(patterns, long_kind);
        let _ = a.quick.set(Some(quick));
        Ok(a)
    }

    /// Every form built when first needed.
    fn lazy(patterns: Vec<String>, long_kind: AhoCorasickKind) -> Automaton {
        Automaton {
            patterns,
            quick: OnceLock::new(),
            uses: AtomicU32::new(0),
            tuned: OnceLock::new(),
            long_kind,
            long: OnceLock::new(),
        }
    }

    fn build(
        patterns: &[String],
        kind: AhoCorasickKind,
    ) -> Result<AhoCorasick, aho_corasick::BuildError> {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(patterns)
    }

    /// The form to search a text of `len` bytes with; `None` only when no
    /// form builds. A form that does not build (a DFA over its size limit)
    /// falls back to the quick one.
    fn for_text(&self, len: usize) -> Option<&AhoCorasick> {
        let tuned = || {
            self.tuned
                .get_or_init(|| {
                    Automaton::build(&self.patterns, AhoCorasickKind::ContiguousNFA).ok()
                })
                .as_ref()
        };
        let long = || {
            if self.long_kind == AhoCorasickKind::ContiguousNFA {
                tuned()
            } else {
                self.long
                    .get_or_init(|| Automaton::build(&self.patterns, self.long_kind).ok())
                    .as_ref()
            }
        };
        let form = if len >= LONG_TEXT
            || self.long.get().is_some()
            || (self.long_kind != AhoCorasickKind::ContiguousNFA
                && self.uses.load(Ordering::Relaxed) >= LONG_AFTER)
        {
            long()
        } else if self.uses.fetch_add(1, Ordering::Relaxed) >= TUNE_AFTER
            || self.tuned.get().is_some()
        {
            tuned()
        } else {
            None
        };
        form.or_else(|| {
            self.quick
                .get_or_init(|| {
                    Automaton::build(&self.patterns, AhoCorasickKind::NoncontiguousNFA).ok()
                })
                .as_ref()
        })
    }

    /// Call `f` with the number of every pattern that occurs in `text` (at
    /// least once; some more than once). False when no form builds, and
    /// `f` was not called.
    fn each_present(&self, text: &str, mut f: impl FnMut(usize)) -> bool {
        let built = self.tuned.get().is_some() || self.quick.get().is_some();
        if !built && text.len() < LONG_TEXT && self.uses.load(Ordering::Relaxed) < TUNE_AFTER {
            self.uses.fetch_add(1, Ordering::Relaxed);
            // Most patterns are absent, and most absent ones have a pair of
            // bytes the text lacks: those are ruled out without a search.
            let pairs = BytePairs::of(text.as_bytes());
            for (i, p) in self.patterns.iter().enumerate() {
                if pairs.may_hold(p.as_bytes())
                    && memchr::memmem::find(text.as_bytes(), p.as_bytes()).is_some()
                {
                    f(i);
                }
            }
            return true;
        }
        let Some(ac) = self.for_text(text.len()) else {
            return false;
        };
        for m in ac.find_overlapping_iter(text) {
            f(m.pattern().as_usize());
        }
        true
    }
}

/// Which pairs of adjacent bytes a text has: one bit per pair (8 KiB).
struct BytePairs(Box<[u64; 1024]>);

impl BytePairs {
    fn of(text: &[u8]) -> BytePairs {
        let mut bits = Box::new([0u64; 1024]);
        for w in text.windows(2) {
            let pair = usize::from(w[0]) << 8 | usize::from(w[1]);
            bits[pair >> 6] |= 1 << (pair & 63);
        }
        BytePairs(bits)
    }

    /// False when `pattern` has a pair of adjacent bytes the text lacks
    /// (it is then not in the text); true otherwise.
    fn may_hold(&self, pattern: &[u8]) -> bool {
        pattern.windows(2).all(|w| {
            let pair = usize::from(w[0]) << 8 | usize::from(w[1]);
            self.0[pair >> 6] & (1 << (pair & 63)) != 0
        })
    }
}

/// Drafts after which an automaton whose long kind is not the tuned one
/// (the gates' DFA) switches to it for every draft.
const LONG_AFTER: u32 = 256;

/// The compiled matchers of a rule set.
#[derive(Debug)]
pub struct Matchers {
    /// Every word sequence, numbered in phrase order, and its phrase (a
    /// word phrase's `How::Words` is left empty: its sequences are
    /// `phrase_seqs[phrase]` here).
    seq_store: Vec<Seq>,
    seq_phrase: Vec<usize>,
    phrase_seqs: Vec<Range<u32>>,
    /// Per key: the sequences whose anchor accepts it, by number (those
    /// not in `by_pair`).
    by_anchor: Vec<Vec<u32>>,
    /// Per pair of keys of two tokens side by side ([`pair_key`]): the
    /// sequences whose anchor and its required neighbour accept them, and
    /// whether the anchor is the second token. A pair of words is much
    /// rarer than either word, so these sequences get few candidates, and
    /// finding them costs the same however many phrases there are.
    by_pair: FastMap<u64, Vec<(u32, bool)>>,
    /// Per matcher: what its `...` allow (for `compiled_phrases`).
    gaps: Vec<u8>,
    /// The keys of the common words, sorted, with their weights as anchors.
    common: Vec<(Key, u32)>,
    /// How many word phrases came compiled ahead (`compiled.rs`).
    from_compiled: usize,
    case_sensitive: Vec<bool>,
    phrases: Vec<Phrase>,
    /// Automaton pattern index → phrase index.
    literal_phrase: Vec<usize>,
    ac: Automaton,
    regexes: Vec<Regexp>,
    /// Per regex: the first regex with the same compiled pattern (itself
    /// when none is earlier), and whether a pattern is listed more than
    /// once (by the first's index).
    first_twin: Vec<usize>,
    has_twin: Vec<bool>,
    /// Per regex: the scopes its matches (and its twins') can count in;
    /// `None`: anywhere.
    confined: Vec<Option<Scopes>>,
    /// The regexes' literal gates, ASCII-case-insensitive (`gate.rs`).
    gate: Automaton,
    /// Gate automaton pattern index → the (regex, clause) pairs it satisfies.
    gate_targets: Vec<Vec<(u32, u8)>>,
    /// Use the gates (tests turn them off to compare).
    fast_paths: bool,
    forms: Forms,
    keys: KeyMap,
    labels: Labels,
    /// Per matcher: the matchers whose matches it judges (may be shorter
    /// than the matchers; missing means none).
    judged: Vec<Vec<MatcherId>>,
    /// Unique per build, so a thread's cache of word keys is never used
    /// with another rule set's keys.
    id: u64,
}

/// One part of a word-sequence match, for `explain`: the phrase element
/// (a word, a gap, a shared list) and the words it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The element as written: `interest`, `...3`, `@job`,
    /// `@destined (put on this earth)`.
    pub written: String,
    /// The normalized range of the words it took.
    pub virt: Range<usize>,
    /// A written word matched another of its forms ("interest" matched
    /// "interested").
    pub form: bool,
}

/// Prose at least this long is matched on two threads
/// (`Matchers::find_all`): below it, starting a thread costs more than it
/// saves.
const PARALLEL_TEXT: usize = 64 * 1024;

/// A long draft's word sequences are matched in this many chunks, which
/// two threads take in turn as each is free.
const SEQUENCE_CHUNKS: usize = 16;

/// The candidates of the word sequences in one draft: `at` holds token
/// numbers grouped by sequence; `active` holds, for each sequence with
/// candidates, its number and its group's range in `at`.
struct Candidates {
    at: Vec<usize>,
    active: Vec<(usize, u32, u32)>,
}

/// The shared state of the regex passes over one text.
struct PatternRun<'a> {
    open: Option<Vec<bool>>,
    mode: Mode,
    shadow: Option<super::stand_in::Shadow>,
    /// The draft's regions, when regexes whose matches count only in some
    /// of them may search only their lines.
    regions: Option<&'a [Region]>,
    /// The lines searched for each set of scopes asked for so far.
    lines: Vec<(Scopes, Vec<Range<usize>>)>,
    /// The matches of each regex listed more than once, by the first
    /// listing's index.
    twins_found: Vec<(usize, Vec<Range<usize>>)>,
}

/// Words and their keys, remembered across drafts (`Matchers::tokenize`).
type WordKeys = FastMap<Box<str>, [Key; 2]>;

/// What all matchers found in one draft.
#[derive(Debug, Default)]
pub struct Found {
    /// Hits per matcher, each sorted by position.
    pub hits: Vec<Vec<Hit>>,
    /// The draft's words.
    pub tokens: Tokens,
}

impl Matchers {
    /// The word phrases as compiled, for `rules/compiled.bin`
    /// (`compiled.rs`); `pack` is the fingerprint of the pack they were
    /// compiled from.
    #[doc(hidden)]
    pub fn compiled_phrases(&self, pack: u64) -> super::compiled::CompiledPhrases<'static> {
        let mut keys = vec![String::new(); self.keys.len()];
        for (k, &i) in &self.keys {
            keys[i as usize] = k.to_string();
        }
        let phrases = self
            .phrases
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match &p.how {
                How::Words(_) => {
                    let gap = self.gaps[p.owners[0]];
                    Some((phrase_key(gap, &p.text), self.seqs_of(i)))
                }
                How::Literal { .. } => None,
            })
            .collect();
        super::compiled::CompiledPhrases::new(
            pack,
            keys,
            self.common.clone(),
            self.labels.all().to_vec(),
            phrases,
        )
    }

    /// How many word phrases came compiled ahead, and how many there are.
    #[doc(hidden)]
    pub fn precompiled_phrases(&self) -> (usize, usize) {
        let words = self
            .phrases
            .iter()
            .filter(|p| matches!(p.how, How::Words(_)))
            .count();
        (self.from_compiled, words)
    }

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

    /// How a word-sequence hit lines up with its phrase: each element that
    /// took words, in order (consecutive words of one list item together).
    /// Empty for literal phrases and patterns.
    pub fn align(&self, tokens: &Tokens, prose: &ProseText, hit: &Hit) -> Vec<Part> {
        let Origin::Phrase(i) = hit.origin else {
            return Vec::new();
        };
        let How::Words(_) = &self.phrases[i].how else {
            return Vec::new();
        };
        let seqs = self.seqs_of(i);
        let start = tokens.at_or_after(hit.virt.start);
        let end = tokens.at_or_after(hit.virt.end);
        let Some(path) = seqs
            .iter()
            .find_map(|s| Some((s, s.align(tokens, start, end)?)))
        else {
            return Vec::new();
        };
        let (seq, path) = path;
        let toks = &tokens.tokens;
        let mut parts: Vec<(u32, Part)> = Vec::new();
        for (e, r) in path {
            let label = seq.labels()[e];
            let virt = toks[r.start].virt.start..toks[r.end - 1].virt.end;
            let Some(l) = self.labels.all().get(label as usize) else {
                continue;
            };
            // `#` takes any numeral as written, not as another form.
            let form = !l.words.is_empty()
                && prose.lower.get(virt.clone()).is_some_and(|w| {
                    !l.words
                        .iter()
                        .any(|x| x == w || (x == words::NUMBER && words::is_numeral(w)))
                });
            match parts.last_mut() {
                Some((last, p)) if *last == label && !l.text.starts_with("...") => {
                    p.virt.end = virt.end;
                }
                _ => parts.push((
                    label,
                    Part {
                        written: l.text.clone(),
                        virt,
                        form,
                    },
                )),
            }
        }
        parts.into_iter().map(|(_, p)| p).collect()
    }

    /// The sequences of word phrase `index` (empty for a literal one).
    fn seqs_of(&self, index: usize) -> &[Seq] {
        let r = &self.phrase_seqs[index];
        &self.seq_store[r.start as usize..r.end as usize]
    }

    /// True when the phrase matches word forms (not literally).
    pub fn phrase_is_words(&self, index: usize) -> bool {
        matches!(self.phrases[index].how, How::Words(_))
    }

    /// The regex source of a pattern hit.
    pub fn pattern_text(&self, index: usize) -> &str {
        let s = self.regexes[index].pattern.full.as_str();
        s.strip_prefix("(?i)").unwrap_or(s)
    }

    /// A regex as written in its rule.
    #[doc(hidden)]
    pub fn pattern_source(&self, index: usize) -> &str {
        &self.regexes[index].source
    }

    /// Turn the fast paths (regex gates) off or on; off, every regex runs
    /// on every draft. Tests compare the two.
    #[doc(hidden)]
    pub fn set_fast_paths(&mut self, on: bool) {
        self.fast_paths = on;
    }

    /// Compile every regex now; the first that fails, with its error.
    #[doc(hidden)]
    pub fn compile_all(&self) -> Result<(), String> {
        for r in &self.regexes {
            r.pattern
                .compile_all()
                .map_err(|e| format!("{}: {e}", r.pattern.full))?;
        }
        Ok(())
    }

    /// The regexes whose ASCII form does not build, as compiled: these
    /// search ASCII drafts with the (slower to build) Unicode form.
    #[doc(hidden)]
    pub fn without_ascii_form(&self) -> Vec<&str> {
        self.regexes
            .iter()
            .filter(|r| !r.pattern.ascii_builds())
            .map(|r| r.pattern.full.as_str())
            .collect()
    }

    /// Each regex as compiled, whether it has a gate, and whether the gate
    /// lets it run on `text` (for `examples/matchtime.rs`).
    #[doc(hidden)]
    pub fn pattern_gates(&self, text: &str) -> Vec<(&str, bool, bool)> {
        self.regexes
            .iter()
            .zip(self.open_patterns(&text.to_ascii_lowercase()))
            .map(|(r, o)| (r.pattern.full.as_str(), r.clauses > 0, o))
            .collect()
    }

    /// Build, ahead, what the search of a long draft whose source is
    /// `source` will build on first use: the phrase automaton's and the
    /// gates' long forms, and the tuned ASCII form of each regex whose gate
    /// opens on the lowercased source (which holds the prose; one that
    /// opens only on the prose is built when searched, as before). Run on
    /// a second thread while the draft is parsed; the forms are the same
    /// `OnceLock`s a search fills, so nothing found changes.
    pub(crate) fn warm_for_long_text(&self, source: &str) {
        if !self.fast_paths || source.len() < LONG_TEXT {
            return;
        }
        let _ = self.ac.for_text(source.len());
        let lower = crate::document::prose::lowercase(source);
        let open = (!super::gate::has_hazard(source)).then(|| self.open_patterns(&lower));
        let mode = Mode {
            ascii: true,
            general: false,
            long: true,
        };
        for (i, r) in self.regexes.iter().enumerate() {
            if self.first_twin[i] == i && open.as_ref().is_none_or(|o| o[i]) {
                r.pattern.warm(mode);
            }
        }
    }

    /// Per regex: may it match the text whose lowercase form (ASCII
    /// letters lowercased, as `ProseText::lower`) is `lower`? True unless
    /// its gate says it cannot.
    fn open_patterns(&self, lower: &str) -> Vec<bool> {
        let mut held: Vec<u8> = vec![0; self.regexes.len()];
        // Gates read each run of whitespace as one space (`gate.rs`).
        let text = super::gate::collapse_whitespace(lower);
        let targets = &self.gate_targets;
        let searched = self.gate.each_present(text.as_ref(), |p| {
            for &(r, c) in &targets[p] {
                held[r as usize] |= 1 << c;
            }
        });
        if !searched {
            // No automaton: every regex runs (the gates only save time).
            return vec![true; self.regexes.len()];
        }
        self.regexes
            .iter()
            .zip(held)
            .map(|(p, h)| u32::from(h) == (1u32 << p.clauses) - 1)
            .collect()
    }

    /// How many regexes have been compiled so far.
    #[doc(hidden)]
    pub fn compiled_patterns(&self) -> usize {
        self.regexes
            .iter()
            .filter(|r| r.pattern.is_compiled())
            .count()
    }

    /// Tokenize a draft's prose; `segments` are the sorted start offsets of
    /// its sentences and regions (word sequences never cross them).
    pub fn tokenize(&self, prose: &ProseText, segments: &[usize]) -> Tokens {
        // Stemming is most of tokenizing, and a writer's words repeat from
        // draft to draft (the language server re-lints the same words on
        // every change): each thread keeps the keys of the words it has
        // seen, for this rule set.
        thread_local! {
            static SEEN: std::cell::RefCell<(u64, WordKeys)> =
                std::cell::RefCell::new((u64::MAX, FastMap::default()));
        }
        const MAX_CACHED: usize = 200_000;
        SEEN.with(|seen| {
            let Ok(mut seen) = seen.try_borrow_mut() else {
                return Tokens::new(&prose.lower, segments, |w| {
                    words::word_keys(w, &self.forms, &self.keys)
                });
            };
            let (id, map) = &mut *seen;
            if *id != self.id || map.len() > MAX_CACHED {
                *id = self.id;
                map.clear();
            }
            Tokens::new(&prose.lower, segments, |w| {
                if let Some(k) = map.get(w) {
                    return *k;
                }
                let k = words::word_keys(w, &self.forms, &self.keys);
                map.insert(w.into(), k);
                k
            })
        })
    }

    /// Every hit of every matcher in `prose`, grouped by matcher, each group
    /// sorted by position. With the draft's `regions`, a regex whose
    /// matches count only in some of them (every matcher listing it is a
    /// trigger of rules of those scopes) and that stays on one line
    /// ([`Pattern::one_line`]) searches only the lines holding those
    /// regions: the hits that can count are the same, and the rest of a
    /// long draft is not searched for a greeting. Without, every regex
    /// searches all of the prose (`explain` shows every match).
    pub fn find_all(
        &self,
        prose: &ProseText,
        segments: &[usize],
        regions: Option<&[Region]>,
    ) -> Found {
        self.find_all_timed(prose, segments, regions, &mut |_| {})
    }

    /// `find_all`, calling `lap(stage)` after each stage ("literals",
    /// "tokenize", "sequences", "regexes", "sort"): `examples/matchtime.rs`
    /// times them.
    #[doc(hidden)]
    pub fn find_all_timed(
        &self,
        prose: &ProseText,
        segments: &[usize],
        regions: Option<&[Region]>,
        lap: &mut dyn FnMut(&'static str),
    ) -> Found {
        let mut out: Vec<Vec<Hit>> = vec![Vec::new(); self.case_sensitive.len()];
        // A long draft on two threads: the regexes that find matches on
        // one, literals and word sequences on this one; the hits are then
        // put in the order one thread gives them, and the regexes that
        // judge hits run on what both found.
        if self.fast_paths && prose.text.len() >= PARALLEL_TEXT {
            if let Some(found) =
                self.find_all_on_two_threads(prose, segments, regions, &mut out, lap)
            {
                return found;
            }
        }
        self.find_literals(prose, &mut out);
        lap("literals");
        let tokens = self.tokenize(prose, segments);
        lap("tokenize");
        self.find_sequences(&tokens, &mut out);
        lap("sequences");
        self.find_patterns(&prose.text, &prose.lower, regions, &mut out);
        lap("regexes");
        Self::sorted(out, tokens, lap)
    }

    /// `find_all` on two threads, for a long draft; None where no thread
    /// can start (WebAssembly), with nothing done. The regexes that find
    /// matches run on the second thread while this one finds literals and
    /// tokenizes; then both match word sequences, taking chunks of the
    /// draft in turn. The hits are put in the order one thread gives them,
    /// and the regexes that judge hits run last, on what both found.
    fn find_all_on_two_threads(
        &self,
        prose: &ProseText,
        segments: &[usize],
        regions: Option<&[Region]>,
        out: &mut Vec<Vec<Hit>>,
        lap: &mut dyn FnMut(&'static str),
    ) -> Option<Found> {
        type Matched = Vec<(usize, (Candidates, Vec<Vec<Range<usize>>>))>;
        let (text, lower) = (&prose.text, &prose.lower);
        let ready: OnceLock<(Tokens, Vec<Range<usize>>)> = OnceLock::new();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let take_chunks = |(tokens, chunks): &(Tokens, Vec<Range<usize>>)| {
            let mut done: Matched = Vec::new();
            while let Some(range) =
                chunks.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
            {
                let c = self.sequence_candidates(tokens, range.clone());
                let found = self.match_candidates(tokens, &c, range.clone());
                done.push((range.start, (c, found)));
            }
            done
        };
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let joined = std::thread::scope(|scope| {
            let (ready, take_chunks) = (&ready, &take_chunks);
            let mut theirs: Vec<Vec<Hit>> = vec![Vec::new(); out.len()];
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                let mut run = self.prepare_patterns(text, lower, regions);
                self.pattern_pass(&mut run, text, false, &mut theirs);
                // The tokens are ready (or this thread's partner failed).
                let matched = match rx.recv() {
                    Ok(()) => ready.get().map(take_chunks).unwrap_or_default(),
                    Err(_) => Vec::new(),
                };
                (run, theirs, matched)
            });
            let handle = spawned.ok()?;
            self.find_literals(prose, out);
            let tokens = self.tokenize(prose, segments);
            let chunks = Self::sequence_chunks(&tokens, SEQUENCE_CHUNKS);
            let shared = ready.get_or_init(|| (tokens, chunks));
            let _ = tx.send(());
            let mine = take_chunks(shared);
            Some((mine, handle.join()))
        });
        let (mine, joined) = joined?;
        let (mut run, theirs, matched) = match joined {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let (tokens, _) = ready.into_inner()?;
        // Each chunk's candidates and matches, in draft order.
        let mut parts: Matched = mine.into_iter().chain(matched).collect();
        parts.sort_unstable_by_key(|p| p.0);
        let parts: Vec<_> = parts.into_iter().map(|p| p.1).collect();
        self.push_sequence_hits(&tokens, &parts, out);
        for (mine, theirs) in out.iter_mut().zip(theirs) {
            mine.extend(theirs);
        }
        lap("literals, tokenize, regexes | sequences");
        self.pattern_pass(&mut run, text, true, out);
        lap("judging regexes");
        Some(Self::sorted(std::mem::take(out), tokens, lap))
    }

    /// Each matcher's hits in order, with duplicates dropped.
    fn sorted(mut out: Vec<Vec<Hit>>, tokens: Tokens, lap: &mut dyn FnMut(&'static str)) -> Found {
        for hits in &mut out {
            hits.sort_by_key(|h| (h.virt.start, h.virt.end));
            hits.dedup_by(|a, b| a.virt == b.virt);
        }
        lap("sort");
        Found { hits: out, tokens }
    }

    /// The literal phrases: one Aho-Corasick pass over the lowercased prose.
    fn find_literals(&self, prose: &ProseText, out: &mut [Vec<Hit>]) {
        let text = &prose.text;
        let Some(ac) = self.ac.for_text(prose.lower.len()) else {
            return;
        };
        for m in ac.find_overlapping_iter(&prose.lower) {
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
    }

    /// The word-sequence phrases, verified around their anchors: each
    /// token's keys name the sequences they anchor (`by_anchor`), so the
    /// draft is read once, not once per sequence.
    fn find_sequences(&self, tokens: &Tokens, out: &mut [Vec<Hit>]) {
        if !self.fast_paths {
            return self.find_sequences_per_phrase(tokens, out);
        }
        let all = 0..tokens.tokens.len();
        let c = self.sequence_candidates(tokens, all.clone());
        if tokens.tokens.len() <= SEQUENCE_BLOCK {
            // A draft of one block (nearly every one) hands each sequence's
            // matches out at once.
            let mut scratch: Vec<Range<usize>> = Vec::new();
            for &(s, from, end) in &c.active {
                scratch.clear();
                self.seq_store[s].find_at(tokens, &c.at[from as usize..end as usize], &mut scratch);
                self.push_phrase_hits(tokens, self.seq_phrase[s], &scratch, out);
            }
            return;
        }
        let found = self.match_candidates(tokens, &c, all);
        self.push_sequence_hits(tokens, &[(c, found)], out);
    }

    /// Every sequence's candidates among tokens `range`, grouped by
    /// sequence, each group in token order. Few (sequence, token) pairs
    /// are sorted; many (a chunk of a long draft, or a pack of many
    /// phrases) are counting-sorted, whose arrays over every sequence cost
    /// more than sorting a few hundred pairs. (Per chunk of a long draft,
    /// so the chunks' sorts run on both threads and each one's array stays
    /// small.)
    fn sequence_candidates(&self, tokens: &Tokens, range: Range<usize>) -> Candidates {
        let mut pairs: Vec<u64> = Vec::with_capacity(range.len() * 3);
        self.for_each_anchored(tokens, range, |s, t| {
            pairs.push((u64::from(s) << 32) | t as u64)
        });
        let log = (usize::BITS - pairs.len().leading_zeros()) as usize;
        if pairs.len() * log < 3 * self.seq_store.len() {
            Self::group_by_sorting(pairs)
        } else {
            self.group_by_counting(&pairs)
        }
    }

    /// Candidates from (sequence << 32 | token) pairs, sorted.
    fn group_by_sorting(mut pairs: Vec<u64>) -> Candidates {
        pairs.sort_unstable();
        // A token that several of its keys (or pairs of keys) make a
        // sequence's candidate is kept once.
        pairs.dedup();
        let mut at: Vec<usize> = Vec::with_capacity(pairs.len());
        let mut active: Vec<(usize, u32, u32)> = Vec::new();
        for p in pairs {
            let (s, t) = ((p >> 32) as usize, (p & u64::from(u32::MAX)) as usize);
            match active.last_mut() {
                Some((last, _, end)) if *last == s => *end += 1,
                _ => active.push((s, at.len() as u32, at.len() as u32 + 1)),
            }
            at.push(t);
        }
        Candidates { at, active }
    }

    /// Candidates from (sequence << 32 | token) pairs in token order, by a
    /// counting sort over every sequence.
    fn group_by_counting(&self, pairs: &[u64]) -> Candidates {
        let n = self.seq_store.len();
        let seq = |p: u64| (p >> 32) as usize;
        let mut start: Vec<u32> = vec![0; n + 1];
        for &p in pairs {
            start[seq(p) + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut fill = start.clone();
        let mut at: Vec<usize> = vec![0; pairs.len()];
        for &p in pairs {
            at[fill[seq(p)] as usize] = (p & u64::from(u32::MAX)) as usize;
            fill[seq(p)] += 1;
        }
        // The sequences with candidates, in order, each with its group: a
        // token whose two keys both anchor a sequence is in its group twice
        // (next to itself), and is kept once.
        let mut active: Vec<(usize, u32, u32)> = Vec::new();
        for s in 0..n {
            let group = &mut at[start[s] as usize..start[s + 1] as usize];
            if group.is_empty() {
                continue;
            }
            let mut kept = 1;
            for i in 1..group.len() {
                if group[i] != group[kept - 1] {
                    group[kept] = group[i];
                    kept += 1;
                }
            }
            active.push((s, start[s], start[s] + kept as u32));
        }
        Candidates { at, active }
    }

    /// Call `f(sequence, token)` for each token of `range`, in order, and
    /// each sequence its keys anchor (a sequence twice when both of a
    /// token's keys anchor it).
    fn for_each_anchored(
        &self,
        tokens: &Tokens,
        range: Range<usize>,
        mut f: impl FnMut(u32, usize),
    ) {
        let keys = tokens.keys();
        let distinct = |[a, b]: [Key; 2]| {
            [a, if b == a { words::NONE } else { b }]
                .into_iter()
                .filter(|&k| k != words::NONE)
        };
        for t in range {
            let [a, b] = keys[t];
            if a != words::NONE {
                for &s in &self.by_anchor[a as usize] {
                    f(s, t);
                }
            }
            if b != words::NONE && b != a {
                for &s in &self.by_anchor[b as usize] {
                    f(s, t);
                }
            }
            // Pairs with the next token of the segment (which is in the
            // range: ranges end on segment boundaries).
            if self.by_pair.is_empty()
                || a == words::NONE && b == words::NONE
                || tokens
                    .tokens
                    .get(t + 1)
                    .is_none_or(|n| n.segment != tokens.tokens[t].segment)
            {
                continue;
            }
            for k1 in distinct([a, b]) {
                for k2 in distinct(keys[t + 1]) {
                    if let Some(seqs) = self.by_pair.get(&pair_key(k1, k2)) {
                        for &(s, late) in seqs {
                            f(s, t + usize::from(late));
                        }
                    }
                }
            }
        }
    }

    /// The matches of each active sequence (by its place in `c.active`)
    /// whose candidates are tokens in `range`, which starts and ends on a
    /// segment boundary (so no match crosses it). The range is taken in
    /// blocks of tokens, every sequence over one block before the next,
    /// so that the tokens a block's candidates look at stay in cache
    /// (sequence by sequence over the whole draft, each one walked all of
    /// it: 5x the time per byte on a 5 MB draft).
    fn match_candidates(
        &self,
        tokens: &Tokens,
        c: &Candidates,
        range: Range<usize>,
    ) -> Vec<Vec<Range<usize>>> {
        let mut found: Vec<Vec<Range<usize>>> = vec![Vec::new(); c.active.len()];
        let mut last_start: Vec<Option<usize>> = vec![None; c.active.len()];
        // Each group's candidates in the range, as a cursor and an end.
        let mut cursor: Vec<(u32, u32)> = c
            .active
            .iter()
            .map(|&(_, from, end)| {
                let group = &c.at[from as usize..end as usize];
                let lo = group.partition_point(|&t| t < range.start);
                let hi = group.partition_point(|&t| t < range.end);
                (from + lo as u32, from + hi as u32)
            })
            .collect();
        let mut block_start = range.start;
        while block_start < range.end {
            let block_end = (block_start + SEQUENCE_BLOCK).min(range.end);
            for (a, &(s, _, _)) in c.active.iter().enumerate() {
                let (from, end) = cursor[a];
                let group = &c.at[from as usize..end as usize];
                // Candidates are in token order: the block's are a prefix,
                // found by walking it (a binary search of the whole rest of
                // the group, per block and sequence, cost more than the
                // matching on a 5 MB draft).
                let take = group.iter().take_while(|&&t| t < block_end).count();
                if take == 0 {
                    continue;
                }
                cursor[a].0 = from + take as u32;
                self.seq_store[s].find_at_from(
                    tokens,
                    &group[..take],
                    &mut found[a],
                    &mut last_start[a],
                );
            }
            block_start = block_end;
        }
        found
    }

    /// Push the matches of `parts` (the candidates and matches of
    /// consecutive token ranges, in order) as each sequence's hits, in the
    /// order one pass over the whole draft gives: sequence by sequence,
    /// each in token order.
    fn push_sequence_hits(
        &self,
        tokens: &Tokens,
        parts: &[(Candidates, Vec<Vec<Range<usize>>>)],
        out: &mut [Vec<Hit>],
    ) {
        let mut each: Vec<(usize, usize, &[Range<usize>])> = parts
            .iter()
            .enumerate()
            .flat_map(|(p, (c, found))| {
                c.active
                    .iter()
                    .zip(found)
                    .filter(|(_, f)| !f.is_empty())
                    .map(move |(&(s, _, _), f)| (s, p, f.as_slice()))
            })
            .collect();
        each.sort_unstable_by_key(|&(s, p, _)| (s, p));
        for (s, _, found) in each {
            self.push_phrase_hits(tokens, self.seq_phrase[s], found, out);
        }
    }

    /// Token ranges that start and end on segment boundaries, about
    /// `tokens / n` long each, for [`match_candidates`] to take in turn.
    ///
    /// [`match_candidates`]: Self::match_candidates
    fn sequence_chunks(tokens: &Tokens, n: usize) -> Vec<Range<usize>> {
        let len = tokens.tokens.len();
        let step = len.div_ceil(n.max(1)).max(1);
        let mut chunks = Vec::with_capacity(n);
        let mut start = 0;
        while start < len {
            let mut end = (start + step).min(len);
            while end < len && tokens.tokens[end].segment == tokens.tokens[end - 1].segment {
                end += 1;
            }
            chunks.push(start..end);
            start = end;
        }
        chunks
    }

    /// The general path: each phrase's sequences look up their anchors in
    /// the draft's key index.
    fn find_sequences_per_phrase(&self, tokens: &Tokens, out: &mut [Vec<Hit>]) {
        let mut found: Vec<Range<usize>> = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        for (index, p) in self.phrases.iter().enumerate() {
            let How::Words(_) = &p.how else { continue };
            found.clear();
            for seq in self.seqs_of(index) {
                seq.find(tokens, &mut candidates, &mut found);
            }
            self.push_phrase_hits(tokens, index, &found, out);
        }
    }

    /// Hits of word phrase `phrase` at token ranges `found`, for each of
    /// its owners.
    fn push_phrase_hits(
        &self,
        tokens: &Tokens,
        phrase: usize,
        found: &[Range<usize>],
        out: &mut [Vec<Hit>],
    ) {
        for r in found {
            let virt = tokens.tokens[r.start].virt.start..tokens.tokens[r.end - 1].virt.end;
            for &owner in &self.phrases[phrase].owners {
                out[owner].push(Hit {
                    virt: virt.clone(),
                    origin: Origin::Phrase(phrase),
                });
            }
        }
    }

    /// What every regex pass over one text shares: which regexes' gates
    /// hold, the search mode, the copy with ASCII stand-ins.
    fn prepare_patterns<'a>(
        &self,
        text: &str,
        lower: &str,
        regions: Option<&'a [Region]>,
    ) -> PatternRun<'a> {
        let open: Option<Vec<bool>> =
            (self.fast_paths && !super::gate::has_hazard(text)).then(|| self.open_patterns(lower));
        let mode = Mode {
            ascii: text.is_ascii(),
            general: !self.fast_paths,
            long: text.len() >= LONG_TEXT,
        };
        // Non-ASCII prose: a copy with ASCII stand-ins, for the regexes
        // that cannot tell them apart (`stand_in.rs`), so they run in their
        // ASCII form on the lazy DFA instead of the Unicode form's PikeVM.
        let shadow = (!mode.ascii && open.is_some())
            .then(|| super::stand_in::Shadow::new(text))
            .flatten();
        PatternRun {
            open,
            mode,
            shadow,
            regions: regions.filter(|_| self.fast_paths),
            lines: Vec::new(),
            twins_found: Vec::new(),
        }
    }

    /// The regexes whose gate's clauses all hold (or that have no gate).
    fn find_patterns(
        &self,
        text: &str,
        lower: &str,
        regions: Option<&[Region]>,
        out: &mut [Vec<Hit>],
    ) {
        let mut run = self.prepare_patterns(text, lower, regions);
        self.pattern_pass(&mut run, text, false, out);
        self.pattern_pass(&mut run, text, true, out);
    }

    /// One pass of [`find_patterns`](Self::find_patterns): first
    /// (`judging` false) the regexes that find matches, then those that
    /// only judge them (exceptions, `with`, `without`), where there is
    /// something to judge. The first pass reads nothing of `out`.
    fn pattern_pass(&self, run: &mut PatternRun, text: &str, judging: bool, out: &mut [Vec<Hit>]) {
        // Each regex on its own: every one has a small lazy DFA (and, tuned,
        // a literal prefilter), and together they run ~30 times faster than
        // one RegexSet, whose combined DFA thrashes its cache on Unicode
        // case-insensitive patterns (benches/lint.rs).
        let judged = |r: &Regexp| {
            self.judged
                .get(r.owner)
                .filter(|j| !j.is_empty() && self.fast_paths)
        };
        // A regex several matchers list (the pack's whole-line pattern of
        // the greeting, signature and subject rules) runs once; the others
        // take its matches, by the index of the first regex listing it.
        for (i, r) in self.regexes.iter().enumerate() {
            if run.open.as_ref().is_some_and(|o| !o[i]) || judged(r).is_some() != judging {
                continue;
            }
            if judged(r).is_some_and(|j| j.iter().all(|&m| out[m].is_empty())) {
                continue;
            }
            let first = self.first_twin[i];
            let found = &mut out[r.owner];
            if self.fast_paths
                && let Some((_, ranges)) = run.twins_found.iter().find(|(f, _)| *f == first)
            {
                found.extend(ranges.iter().map(|virt| Hit {
                    virt: virt.clone(),
                    origin: Origin::Pattern(i),
                }));
                continue;
            }
            let keep = self.fast_paths && self.has_twin[first];
            let mut kept = Vec::new();
            let mut push = |virt: Range<usize>| {
                if keep {
                    kept.push(virt.clone());
                }
                found.push(Hit {
                    virt,
                    origin: Origin::Pattern(i),
                })
            };
            // A regex whose matches count only in some regions, and that
            // stays on one line, searches their lines.
            let lines = match (run.regions, self.confined[i]) {
                (Some(regions), Some(scopes)) if r.pattern.one_line() => {
                    let at = match run.lines.iter().position(|(s, _)| *s == scopes) {
                        Some(at) => at,
                        None => {
                            run.lines.push((scopes, lines_of(text, regions, scopes)));
                            run.lines.len() - 1
                        }
                    };
                    Some(run.lines[at].1.as_slice())
                }
                _ => None,
            };
            let on_copy = run.shadow.as_ref().and_then(|s| {
                r.pattern
                    .for_each_match_in_shadow(s, lines, run.mode, &mut push)
            });
            if on_copy.is_none() {
                r.pattern
                    .for_each_match_on(text, lines, run.mode, &mut push);
            }
            if keep {
                run.twins_found.push((first, kept));
            }
        }
    }

    /// Capture group `name` of a pattern hit, as a normalized range.
    pub fn capture(&self, prose: &ProseText, hit: &Hit, name: &str) -> Option<Range<usize>> {
        let Origin::Pattern(i) = hit.origin else {
            return None;
        };
        let caps = self.regexes[i]
            .pattern
            .regex()?
            .captures_at(&prose.text, hit.virt.start)?;
        (caps.get(0)?.start() == hit.virt.start).then_some(())?;
        caps.name(name).map(|m| m.range())
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{Document, Format};
    use crate::rules::RuleSet;

    /// The fixture corpus's drafts, in path order.
    fn fixture_drafts() -> Vec<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/emails");
        let mut drafts: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .collect();
        drafts.sort();
        drafts
    }

    fn forms_of(patterns: &[String]) -> Vec<aho_corasick::AhoCorasick> {
        use super::{AhoCorasickKind, Automaton};
        [
            AhoCorasickKind::NoncontiguousNFA,
            AhoCorasickKind::ContiguousNFA,
            AhoCorasickKind::DFA,
        ]
        .iter()
        .map(|&k| Automaton::build(patterns, k).expect("builds"))
        .collect()
    }

    /// Every form of the literal automata (quick, tuned, long) finds the
    /// same matches on every fixture draft, and a run switches forms as
    /// documented: quick at first, tuned after `TUNE_AFTER` drafts, the
    /// long kind for a long text.
    #[test]
    fn every_form_of_an_automaton_finds_the_same() {
        use super::{AhoCorasickKind, Automaton, LONG_TEXT, TUNE_AFTER};
        let set = RuleSet::builtin().expect("built-in pack");
        let m = &set.matchers;
        let texts: Vec<String> = fixture_drafts()
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("draft").to_lowercase())
            .collect();
        assert!(!texts.is_empty());
        for a in [&m.ac, &m.gate] {
            let forms = forms_of(&a.patterns);
            let mut total = 0;
            for t in &texts {
                let found: Vec<Vec<_>> = forms
                    .iter()
                    .map(|f| {
                        f.find_overlapping_iter(t.as_str())
                            .map(|m| (m.pattern(), m.span()))
                            .collect()
                    })
                    .collect();
                total += found[0].len();
                assert_eq!(found[0], found[1]);
                assert_eq!(found[0], found[2]);
            }
            assert!(total > 0, "the fixtures meet no literal");
        }
        let kind = |a: &Automaton, len| a.for_text(len).expect("builds").kind();
        let fresh = Automaton::new(vec!["thank".into()], AhoCorasickKind::DFA).expect("builds");
        for _ in 0..TUNE_AFTER {
            assert_eq!(kind(&fresh, 10), AhoCorasickKind::NoncontiguousNFA);
        }
        assert_eq!(kind(&fresh, 10), AhoCorasickKind::ContiguousNFA);
        assert_eq!(kind(&fresh, LONG_TEXT), AhoCorasickKind::DFA);
        // Once built, the long kind serves short texts too.
        assert_eq!(kind(&fresh, 10), AhoCorasickKind::DFA);
        // A run of many short drafts switches to it after LONG_AFTER.
        let many = Automaton::new(vec!["thank".into()], AhoCorasickKind::DFA).expect("builds");
        for _ in 0..super::LONG_AFTER {
            assert_ne!(kind(&many, 10), AhoCorasickKind::DFA);
        }
        assert_eq!(kind(&many, 10), AhoCorasickKind::DFA);
        // Not an automaton whose long kind is the tuned one (the phrases').
        let phrases =
            Automaton::new(vec!["thank".into()], AhoCorasickKind::ContiguousNFA).expect("builds");
        for _ in 0..=super::LONG_AFTER {
            kind(&phrases, 10);
        }
        assert_eq!(kind(&phrases, 10), AhoCorasickKind::ContiguousNFA);
        // Which gate literals occur: the substring searches of the first
        // drafts and the automata after them give the same answer.
        let present = |a: &Automaton, t: &str| {
            let mut v = vec![false; a.patterns.len()];
            assert!(a.each_present(t, |p| v[p] = true));
            v
        };
        let lazy = Automaton::lazy(m.gate.patterns.clone(), AhoCorasickKind::DFA);
        let mut hits = 0;
        for (n, t) in texts.iter().enumerate() {
            let want: Vec<bool> = {
                let mut v = vec![false; m.gate.patterns.len()];
                for x in forms_of(&m.gate.patterns)[1].find_overlapping_iter(t.as_str()) {
                    v[x.pattern().as_usize()] = true;
                }
                v
            };
            // The byte-pair filter of the substring stage rules out no
            // literal that occurs, in every draft (not only the first).
            let pairs = super::BytePairs::of(t.as_bytes());
            for (p, &occurs) in m.gate.patterns.iter().zip(&want) {
                assert!(
                    !occurs || pairs.may_hold(p.as_bytes()),
                    "{p:?} in draft {n}"
                );
            }
            let built_before = lazy.tuned.get().is_some();
            assert_eq!(present(&lazy, t), want, "draft {n}");
            assert_eq!(built_before, n > TUNE_AFTER as usize);
            hits += want.iter().filter(|&&b| b).count();
        }
        assert!(hits > 0);
        assert!(
            lazy.quick.get().is_none(),
            "the quick automaton was never needed"
        );
    }

    #[test]
    fn both_ways_of_grouping_candidates_agree() {
        let set = RuleSet::builtin().expect("built-in pack");
        let m = &set.matchers;
        let drafts = fixture_drafts();
        let mut groups = 0;
        for path in drafts.iter().take(40) {
            let text = std::fs::read_to_string(path).expect("draft");
            let doc = Document::parse(&text, Format::from_path(path), &set.vocab);
            let tokens = m.tokenize(&doc.prose, &doc.segment_starts());
            let n = tokens.tokens.len();
            for range in [0..n, 0..n / 2, n / 3..n, n / 4..n / 4] {
                let mut pairs = Vec::new();
                m.for_each_anchored(&tokens, range, |s, t| {
                    pairs.push((u64::from(s) << 32) | t as u64)
                });
                let a = super::Matchers::group_by_sorting(pairs.clone());
                let b = m.group_by_counting(&pairs);
                // The groups agree; `from` and `end` index each one's own `at`.
                let group = |c: &super::Candidates| -> Vec<(usize, Vec<usize>)> {
                    c.active
                        .iter()
                        .map(|&(s, f, e)| (s, c.at[f as usize..e as usize].to_vec()))
                        .collect()
                };
                assert_eq!(group(&a), group(&b), "{}", path.display());
                groups += a.active.len();
            }
        }
        assert!(groups > 1000, "{groups}");
    }
}
