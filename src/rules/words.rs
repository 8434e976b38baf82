//! Word-level matching: phrases that match word forms, word classes and gaps.
//!
//! A phrase such as `I ... @desire to join|work` is compiled into one or more
//! *flat sequences* of elements (a word with its alternatives, optional or
//! not, or a gap of up to N words). Text is tokenized once per draft
//! ([`Tokens::new`]); every token gets two keys: its exact lowercase form
//! and its *form key* (irregular forms mapped to their base through the
//! pack's `forms:` table, British `-ise`/`-our` spellings folded, then the
//! Snowball English stemmer), so `interest`, `interests` and `interested`
//! share one key, and so do `felt` and `feel`. Contractions are split
//! (`I'm` → `i` `'m`, `don't` → `do` `n't`) and the forms table maps the
//! pieces (`'m` → `be`, `n't` → `not`), so `I am` and `I'm` are the same to
//! a phrase.
//!
//! Matching starts from each sequence's *anchor* (the required word expected
//! to occur least often: the fewest alternatives, a common word such as
//! "time" counting as many, and "I", "to" or "the" as many more), looked up in a per-draft index of
//! keys, and is verified token by token around it; a sequence never crosses
//! a sentence.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Words so frequent in any email that a sequence anchored on one would be
/// tried at most tokens: an anchor is chosen among the other words where a
/// sequence has one. (A speed heuristic; it changes no match.)
pub const COMMON_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "but",
    "by",
    "can",
    "could",
    "do",
    "for",
    "from",
    "get",
    "go",
    "had",
    "has",
    "have",
    "i",
    "if",
    "in",
    "interview",
    "is",
    "it",
    "just",
    "know",
    "like",
    "make",
    "me",
    "more",
    "my",
    "n't",
    "not",
    "of",
    "on",
    "one",
    "or",
    "our",
    "please",
    "role",
    "so",
    "that",
    "the",
    "their",
    "them",
    "there",
    "they",
    "this",
    "time",
    "to",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "which",
    "will",
    "with",
    "would",
    "you",
    "your",
    "'m",
    "'s",
    "'ve",
    "'d",
    "'ll",
    "thank",
    "thanks",
    "work",
    "want",
    "some",
    "how",
    "no",
];

/// The commonest of [`COMMON_WORDS`], by any count of English words:
/// each is several times as frequent in a letter as the others, so a
/// sequence of common words only is anchored on one of the others.
pub const COMMONEST_WORDS: &[&str] = &[
    "a", "am", "and", "be", "for", "have", "i", "in", "is", "it", "me", "my", "n't", "not", "of",
    "on", "that", "the", "this", "to", "we", "will", "with", "would", "you", "your", "'m",
];

/// How many rare words an anchor's alternative counts as: a common word,
/// and one of the commonest.
const COMMON_WEIGHT: u32 = 40;
const COMMONEST_WEIGHT: u32 = 400;

/// The weight of a word of [`COMMON_WORDS`] as an anchor.
pub fn common_weight(word: &str) -> u32 {
    if COMMONEST_WORDS.contains(&word) {
        COMMONEST_WEIGHT
    } else {
        COMMON_WEIGHT
    }
}

/// A hash map with a fast, randomly seeded hasher, for word tables.
pub type FastMap<K, V> = foldhash::HashMap<K, V>;

/// The interned form keys, by text: borrowed from `compiled.bin` for the
/// built-in pack's, owned for those compiled at start-up.
pub type KeyMap = FastMap<std::borrow::Cow<'static, str>, Key>;

/// A compiled key (an index into the key table).
pub type Key = u32;

/// Maps words to keys: irregular forms, spelling variants, stems.
pub struct Forms {
    stemmer: Stemmer,
    /// Surface form (lowercase) → base form.
    lemmas: FastMap<String, String>,
}

impl std::fmt::Debug for Forms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forms")
            .field("lemmas", &self.lemmas.len())
            .finish()
    }
}

impl Default for Forms {
    fn default() -> Self {
        Forms::new(HashMap::new())
    }
}

impl Forms {
    pub fn new(lemmas: HashMap<String, String>) -> Forms {
        Forms {
            stemmer: Stemmer::create(Algorithm::English),
            lemmas: lemmas.into_iter().collect(),
        }
    }

    /// The form key of a lowercase word: `applied` → `appli`, `felt` → `feel`;
    /// every numeral (`14`, `2024`, `10k`) has the one key [`NUMBER`].
    pub fn key(&self, word: &str) -> String {
        if is_numeral(word) {
            return NUMBER.to_string();
        }
        let base = self.lemmas.get(word).map_or(word, String::as_str);
        if !base.chars().next().is_some_and(char::is_alphabetic) {
            return base.to_string();
        }
        let folded = fold_spelling(base);
        self.stemmer.stem(&folded).into_owned()
    }
}

/// The phrase word that matches any numeral, and the form key every
/// numeral shares.
pub const NUMBER: &str = "#";

/// A numeral: ASCII digits, optionally with a unit letter for thousands,
/// millions or billions (`14`, `2024`, `10k`, `2m`, `3bn`). "20,000" and
/// "3.5" are two numerals each (the punctuation splits words); "3rd" and
/// "2pm" are not numerals.
pub fn is_numeral(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&word[digits..], "" | "k" | "m" | "bn")
}

/// Fold British spellings onto American ones so both stem alike:
/// `apologise` → `apologize`, `organisation` → `organization`,
/// `favourite` → `favorite`. Only long words, so `rise` and `your` stay.
fn fold_spelling(w: &str) -> std::borrow::Cow<'_, str> {
    if w.len() < 6 || !w.is_ascii() {
        return w.into();
    }
    for (from, to) in [
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
    ] {
        if let Some(stem) = w.strip_suffix(from)
            && stem.len() >= 3
        {
            return format!("{stem}{to}").into();
        }
    }
    for (from, to) in [
        ("our", "or"),
        ("ours", "ors"),
        ("oured", "ored"),
        ("ouring", "oring"),
        ("ourite", "orite"),
        ("ourites", "orites"),
        ("ourable", "orable"),
    ] {
        if let Some(stem) = w.strip_suffix(from)
            && stem.len() >= 3
        {
            return format!("{stem}{to}").into();
        }
    }
    w.into()
}

/// One word of a draft's prose.
#[derive(Debug, Clone)]
pub struct Token {
    /// Normalized (virtual) byte range.
    pub virt: Range<usize>,
    /// Sentence (or region) number: sequences never cross one.
    pub segment: u32,
    /// Clause number: commas, semicolons, colons, dashes and brackets end one.
    pub clause: u32,
}

/// A draft's words, with their keys indexed.
#[derive(Debug, Default)]
pub struct Tokens {
    pub tokens: Vec<Token>,
    /// (key, token index), sorted; built on first use (only the general
    /// matching path looks keys up this way).
    index: std::sync::OnceLock<Vec<(Key, u32)>>,
    /// Per token: its exact key and its form key (`NONE` when no phrase uses it).
    keys: Vec<[Key; 2]>,
}

pub const NONE: Key = Key::MAX;

/// The end of a template slot opening at `i`: a bracket (`[`, `{`, `<`)
/// closed on the same line within 60 bytes, with no sentence end inside.
fn slot_end(text: &str, i: usize) -> Option<usize> {
    let close = match text.as_bytes().get(i)? {
        b'[' => b']',
        b'{' => b'}',
        b'<' => b'>',
        _ => return None,
    };
    let rest = text.as_bytes().get(i + 1..)?;
    let n = rest.iter().take(60).position(|&b| b == close)?;
    let inside = &rest[..n];
    (n > 0
        && !inside
            .iter()
            .any(|b| matches!(b, b'\n' | b'.' | b'!' | b'?' | b'[' | b'<')))
    .then_some(i + 1 + n + 1)
    .map(|end| {
        // "{{role}}": take the doubled closer too.
        if text.as_bytes().get(end) == Some(&close) {
            end + 1
        } else {
            end
        }
    })
}

/// The length of the word character (`matcher::is_word_char`) that starts
/// at byte `i` of `text`, if one does; an ASCII byte is judged without
/// decoding.
#[inline]
fn word_char_len(text: &str, i: usize) -> Option<usize> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return (b.is_ascii_alphanumeric() || b == b'_').then_some(1);
    }
    let c = text.get(i..)?.chars().next()?;
    super::matcher::is_word_char(c).then(|| c.len_utf8())
}

/// Split lowercase `text` into word pieces (virtual ranges): runs of word
/// characters, contractions split off (`i'm` → `i`, `'m`; `don't` → `do`,
/// `n't`). Calls `f(range, clause_break_before)`.
pub fn split_words(text: &str, mut f: impl FnMut(Range<usize>, bool)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut clause_break = false;
    while i < text.len() {
        // Only `[`, `{` or `<` can open a slot.
        if let Some(end) = matches!(bytes[i], b'[' | b'{' | b'<')
            .then(|| slot_end(text, i))
            .flatten()
        {
            // A template slot ("[Company Name]", "{{role}}", "<JOB TITLE>")
            // stands for one name: it is one word to a phrase's gaps, and
            // matches no phrase word.
            f(i..end, clause_break);
            clause_break = false;
            i = end;
            continue;
        }
        if word_char_len(text, i).is_none() {
            let (len, breaks) = match bytes[i] {
                b if b < 0x80 => (
                    1,
                    matches!(
                        b,
                        b',' | b';' | b':' | b'(' | b')' | b'.' | b'!' | b'?' | b'"'
                    ),
                ),
                _ => {
                    let Some(c) = text[i..].chars().next() else {
                        break;
                    };
                    (c.len_utf8(), matches!(c, '\u{2013}' | '\u{2014}'))
                }
            };
            clause_break |= breaks;
            i += len;
            continue;
        }
        let start = i;
        while let Some(n) = word_char_len(text, i) {
            i += n;
        }
        // A contraction: the word continues after an apostrophe.
        let cont = bytes.get(i) == Some(&b'\'') && word_char_len(text, i + 1).is_some();
        if cont {
            let mut j = i + 1;
            while let Some(n) = word_char_len(text, j) {
                j += n;
            }
            let tail = &text[i + 1..j];
            if tail == "t" && text[start..i].ends_with('n') && i - start > 1 {
                // don't → do + n't; can't → ca + n't
                f(start..i - 1, clause_break);
                f(i - 1..j, false);
            } else if matches!(tail, "m" | "re" | "ve" | "ll" | "d" | "s") {
                f(start..i, clause_break);
                f(i..j, false);
            } else {
                // o'clock, O'Brien: one word.
                f(start..j, clause_break);
            }
            clause_break = false;
            i = j;
            continue;
        }
        f(start..i, clause_break);
        clause_break = false;
    }
}

/// A word's exact key and form key in `table` ([`NONE`] where no phrase
/// uses it).
pub fn word_keys(w: &str, forms: &Forms, table: &KeyMap) -> [Key; 2] {
    let mut exact = String::with_capacity(w.len() + 1);
    exact.push('=');
    exact.push_str(w);
    let k_exact = table.get(exact.as_str()).copied().unwrap_or(NONE);
    let k_form = table.get(forms.key(w).as_str()).copied().unwrap_or(NONE);
    [k_exact, k_form]
}

impl Tokens {
    /// Tokenize `lower` (lowercased prose); `segments` are the sorted start
    /// offsets of sentences and regions; `lookup` gives a word's keys
    /// ([`word_keys`]).
    pub fn new(
        lower: &str,
        segments: &[usize],
        mut lookup: impl FnMut(&str) -> [Key; 2],
    ) -> Tokens {
        // Sized for a word every four bytes (prose has one every five and
        // a half): a long draft's tables are not copied into fresh pages
        // at every doubling, and the pages of the slack are never touched.
        let mut tokens = Vec::with_capacity(lower.len() / 4 + 8);
        let mut keys = Vec::with_capacity(lower.len() / 4 + 8);
        let mut clause = 0u32;
        let mut seg_i = 0usize;
        let mut segment = 0u32;
        // Words repeat; look each distinct one up once per draft.
        let mut seen: FastMap<&str, [Key; 2]> = FastMap::default();
        split_words(lower, |r, brk| {
            while seg_i < segments.len() && segments[seg_i] <= r.start {
                seg_i += 1;
                segment += 1;
                clause += 1;
            }
            if brk {
                clause += 1;
            }
            let w = &lower[r.clone()];
            let k = *seen.entry(w).or_insert_with(|| lookup(w));
            tokens.push(Token {
                virt: r,
                segment,
                clause,
            });
            keys.push(k);
        });
        Tokens {
            tokens,
            index: Default::default(),
            keys,
        }
    }

    fn index(&self) -> &[(Key, u32)] {
        self.index.get_or_init(|| {
            let mut index: Vec<(Key, u32)> = self
                .keys
                .iter()
                .enumerate()
                .flat_map(|(i, k)| {
                    k.iter()
                        .filter(|&&k| k != NONE)
                        .map(move |&k| (k, i as u32))
                })
                .collect();
            index.sort_unstable();
            index.dedup();
            index
        })
    }

    /// Per token: its exact key and its form key ([`NONE`] when no phrase
    /// uses it).
    pub fn keys(&self) -> &[[Key; 2]] {
        &self.keys
    }

    /// Tokens whose exact or form key is `key`.
    fn positions(&self, key: Key) -> impl Iterator<Item = usize> + '_ {
        let index = self.index();
        let from = index.partition_point(|&(k, _)| k < key);
        index[from..]
            .iter()
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, t)| t as usize)
    }

    /// Whether token `t` has one of `alts` (sorted, as every set of
    /// alternatives is: `Seq::new` sorts them, and `CompiledPhrases::phrases`
    /// refuses a stored set that is not) as a key.
    #[inline]
    fn has(&self, t: usize, alts: &[Key]) -> bool {
        let [a, b] = self.keys[t];
        if alts.len() <= 8 {
            return alts.iter().any(|&k| k == a || k == b);
        }
        alts.binary_search(&a).is_ok() || (b != a && alts.binary_search(&b).is_ok())
    }

    /// The index of the first token starting at or after `virt`.
    pub fn at_or_after(&self, virt: usize) -> usize {
        self.tokens.partition_point(|t| t.virt.start < virt)
    }
}

/// An element of a flat sequence.
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    /// One token with any of these keys (shared: a list's words are one
    /// set for every phrase that names the list).
    Word { alts: Arc<[Key]>, optional: bool },
    /// Up to this many tokens of anything.
    Gap(u8),
}

/// How a match lines up with a sequence: (element, the tokens it took).
pub type Path = Vec<(usize, Range<usize>)>;

/// The elements of sequences, packed into one table that many sequences
/// share: the ~2,400 sequences read from `compiled.bin` at every start
/// hold one table between them, four bytes an element, instead of an
/// allocation and a reference-counted set of keys each.
#[derive(Debug, Default)]
pub struct SeqTable {
    /// Every set of alternative keys, one after another (each sorted).
    keys: Vec<Key>,
    /// Each set's start and end in `keys`.
    sets: Vec<(u32, u32)>,
    /// Per element: a set by number (`OPTIONAL_BIT` marks an optional
    /// word), or a gap (`GAP_BIT | n`), as in [`FlatSeq::elems`].
    elems: Vec<u32>,
    /// Per element: what it was written as (`Seq::labels`).
    labels: Vec<u32>,
}

/// An element of a stored sequence, read from its [`SeqTable`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ElemRef<'a> {
    Word { alts: &'a [Key], optional: bool },
    Gap(u8),
}

impl SeqTable {
    /// A table from its parts: `set_ends` ends each set in `keys`; `None`
    /// when a set is not sorted or not inside `keys`, an element names a
    /// set there is not, or the labels do not go with the elements.
    pub fn from_parts(
        keys: Vec<Key>,
        set_ends: impl IntoIterator<Item = u32>,
        elems: Vec<u32>,
        labels: Vec<u32>,
    ) -> Option<SeqTable> {
        let mut sets = Vec::new();
        let mut start = 0u32;
        for end in set_ends {
            let set = keys.get(start as usize..end as usize)?;
            if !set.is_sorted() {
                return None;
            }
            sets.push((start, end));
            start = end;
        }
        let set = |e: u32| (e & !OPTIONAL_BIT) as usize;
        if labels.len() != elems.len()
            || !elems
                .iter()
                .all(|&e| e & GAP_BIT != 0 || set(e) < sets.len())
        {
            return None;
        }
        Some(SeqTable {
            keys,
            sets,
            elems,
            labels,
        })
    }

    /// The keys of element `e` when it is a required word.
    #[inline]
    fn required(&self, e: u32) -> Option<&[Key]> {
        match self.elem(e) {
            ElemRef::Word {
                alts,
                optional: false,
            } => Some(alts),
            _ => None,
        }
    }

    /// Element `e` as stored. Every stored element names a set the table
    /// has (`from_parts`, `Seq::new` check it).
    #[inline]
    fn elem(&self, e: u32) -> ElemRef<'_> {
        if e & GAP_BIT != 0 {
            return ElemRef::Gap((e & 0xFF) as u8);
        }
        let (start, end) = self.sets[(e & !OPTIONAL_BIT) as usize];
        ElemRef::Word {
            alts: &self.keys[start as usize..end as usize],
            optional: e & OPTIONAL_BIT != 0,
        }
    }
}

/// A phrase compiled to one alternative: elements in order, a range of a
/// shared [`SeqTable`].
#[derive(Clone)]
pub struct Seq {
    table: Arc<SeqTable>,
    start: u32,
    end: u32,
    /// Index of the anchor element (a required word).
    anchor: u32,
    /// Minimum and maximum number of tokens before the anchor.
    before: (u32, u32),
}

impl PartialEq for Seq {
    fn eq(&self, other: &Seq) -> bool {
        self.anchor == other.anchor
            && self.before == other.before
            && self.labels() == other.labels()
            && self.elems().len() == other.elems().len()
            && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Seq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seq")
            .field("elems", &self.iter().collect::<Vec<_>>())
            .field("labels", &self.labels())
            .field("anchor", &self.anchor)
            .field("before", &self.before)
            .finish()
    }
}

/// A [`Seq`] as stored (`compiled.rs`): each word's alternatives by
/// number in a table of the distinct sets.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatSeq {
    /// Per element: a set of alternatives by number, or a gap
    /// (`GAP_BIT | n`); `OPTIONAL_BIT` marks an optional word.
    pub elems: Vec<u32>,
    pub labels: Vec<u32>,
    pub anchor: u32,
    pub before: (u32, u32),
}

const GAP_BIT: u32 = 1 << 31;
const OPTIONAL_BIT: u32 = 1 << 30;

/// The distinct alternative sets of stored sequences, each once.
#[derive(Debug, Default)]
pub struct AltTable {
    pub sets: Vec<Arc<[Key]>>,
    index: HashMap<Arc<[Key]>, u32>,
}

impl AltTable {
    fn number(&mut self, alts: &[Key]) -> u32 {
        if let Some(&i) = self.index.get(alts) {
            return i;
        }
        let i = self.sets.len() as u32;
        let alts: Arc<[Key]> = alts.into();
        self.sets.push(alts.clone());
        self.index.insert(alts, i);
        i
    }
}

impl Seq {
    /// The stored form, numbering alternative sets in `table`.
    pub fn flatten(&self, table: &mut AltTable) -> FlatSeq {
        let elems = self
            .iter()
            .map(|e| match e {
                ElemRef::Word { alts, optional } => {
                    table.number(alts) | if optional { OPTIONAL_BIT } else { 0 }
                }
                ElemRef::Gap(n) => GAP_BIT | u32::from(n),
            })
            .collect();
        FlatSeq {
            elems,
            labels: self.labels().to_vec(),
            anchor: self.anchor,
            before: self.before,
        }
    }

    /// A stored sequence back: elements `range` of `table`; `None` when it
    /// does not hold together.
    pub fn from_table(
        table: &Arc<SeqTable>,
        range: Range<usize>,
        anchor: u32,
        before: (u32, u32),
    ) -> Option<Seq> {
        let elems = table.elems.get(range.clone())?;
        let anchor_word = matches!(
            table.elem(*elems.get(anchor as usize)?),
            ElemRef::Word { .. }
        );
        anchor_word.then(|| Seq {
            table: table.clone(),
            start: range.start as u32,
            end: range.end as u32,
            anchor,
            before,
        })
    }

    /// The elements as stored (see [`SeqTable::elems`]).
    #[inline]
    fn elems(&self) -> &[u32] {
        &self.table.elems[self.start as usize..self.end as usize]
    }

    /// Per element, what it was written as: an index into the matchers'
    /// label table (`explain` shows it). Consecutive elements from one item
    /// of a shared list share a label.
    #[inline]
    pub fn labels(&self) -> &[u32] {
        &self.table.labels[self.start as usize..self.end as usize]
    }

    /// Element `i`.
    #[inline]
    pub fn elem(&self, i: usize) -> Option<ElemRef<'_>> {
        self.elems().get(i).map(|&e| self.table.elem(e))
    }

    /// Every element, in order.
    pub fn iter(&self) -> impl Iterator<Item = ElemRef<'_>> + '_ {
        self.elems().iter().map(|&e| self.table.elem(e))
    }

    /// A sequence of `elems`; `weight(key)` says how many rare words a
    /// key counts as (1, or [`common_weight`] for one of [`COMMON_WORDS`]),
    /// for the choice of anchor.
    pub fn new(elems: Vec<Elem>, labels: Vec<u32>, weight: impl Fn(Key) -> u32) -> Option<Seq> {
        if labels.len() != elems.len() {
            return None;
        }
        // Every set of alternatives sorted (`Tokens::has`); the compiler's
        // are already.
        let mut table = SeqTable {
            labels,
            ..SeqTable::default()
        };
        for e in &elems {
            table.elems.push(match e {
                Elem::Word { alts, optional } => {
                    let start = table.keys.len() as u32;
                    table.keys.extend_from_slice(alts);
                    if !alts.is_sorted() {
                        table.keys[start as usize..].sort_unstable();
                    }
                    table.sets.push((start, table.keys.len() as u32));
                    (table.sets.len() as u32 - 1) | if *optional { OPTIONAL_BIT } else { 0 }
                }
                Elem::Gap(n) => GAP_BIT | u32::from(*n),
            });
        }
        let anchor = elems
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Elem::Word {
                    alts,
                    optional: false,
                } => {
                    let cost: u32 = alts.iter().map(|&k| weight(k)).sum();
                    Some((cost, i))
                }
                _ => None,
            })
            .min()?
            .1;
        let mut before = (0, 0);
        for e in &elems[..anchor] {
            match e {
                Elem::Word { optional, .. } => {
                    before.0 += u32::from(!optional);
                    before.1 += 1;
                }
                Elem::Gap(n) => before.1 += u32::from(*n),
            }
        }
        Some(Seq {
            start: 0,
            end: table.elems.len() as u32,
            table: Arc::new(table),
            anchor: anchor as u32,
            before,
        })
    }

    /// How a match of tokens `start..end` lines up with the elements: per
    /// element that took tokens, (element, its tokens). None when this
    /// sequence does not match exactly that range.
    pub fn align(
        &self,
        toks: &Tokens,
        start: usize,
        end: usize,
    ) -> Option<Vec<(usize, Range<usize>)>> {
        let seg = toks.tokens.get(start)?.segment;
        let mut path = Vec::new();
        (self.match_from(toks, 0, start, seg, None, Some((end, &mut path))) == Some(end))
            .then_some(path)
    }

    /// Every match: (first token, end token exclusive), deduplicated by start.
    pub fn find(&self, toks: &Tokens, candidates: &mut Vec<usize>, out: &mut Vec<Range<usize>>) {
        let alts = self.anchor_alts();
        candidates.clear();
        candidates.extend(alts.iter().flat_map(|&k| toks.positions(k)));
        if alts.len() > 1 {
            candidates.sort_unstable();
            candidates.dedup();
        }
        self.find_at(toks, candidates, out);
    }

    /// The anchor and the required word right after it (`false`), or
    /// right before it (`true`), by their keys: a candidate must have both,
    /// side by side. None when neither neighbour is a required word.
    #[inline]
    pub fn anchor_pair(&self) -> Option<(bool, &[Key], &[Key])> {
        let a = self.anchor as usize;
        let anchor = self.required_word(a)?;
        if let Some(next) = self.required_word(a + 1) {
            return Some((false, anchor, next));
        }
        let prev = self.required_word(a.checked_sub(1)?)?;
        Some((true, prev, anchor))
    }

    /// The keys of element `i` when it is a required word.
    #[inline]
    fn required_word(&self, i: usize) -> Option<&[Key]> {
        self.table.required(*self.elems().get(i)?)
    }

    /// The keys the anchor element accepts.
    #[inline]
    pub fn anchor_alts(&self) -> &[Key] {
        match self.elem(self.anchor as usize) {
            Some(ElemRef::Word { alts, .. }) => alts,
            _ => &[],
        }
    }

    /// Every match whose anchor is one of `candidates` (sorted tokens that
    /// have one of the anchor's keys).
    pub fn find_at(&self, toks: &Tokens, candidates: &[usize], out: &mut Vec<Range<usize>>) {
        self.find_at_from(toks, candidates, out, &mut None);
    }

    /// [`find_at`](Self::find_at) over candidates taken in several runs (in
    /// token order): `last_start` carries the start of the last match from
    /// one run to the next, so the matches are the same as in one run.
    pub fn find_at_from(
        &self,
        toks: &Tokens,
        candidates: &[usize],
        out: &mut Vec<Range<usize>>,
        last_start: &mut Option<usize>,
    ) {
        // A required word right after (or right before) the anchor takes
        // the token next to it in every match, so a candidate whose
        // neighbour lacks that word is rejected before any start is
        // tried: most candidates are, and this costs one look each.
        let a = self.anchor as usize;
        let next = self.required_word(a + 1);
        let prev = a.checked_sub(1).and_then(|i| self.required_word(i));
        let fits = |t: Option<usize>, seg: u32, alts: &[Key]| {
            t.is_some_and(|t| {
                toks.tokens.get(t).is_some_and(|x| x.segment == seg) && toks.has(t, alts)
            })
        };
        // A match with its anchor on token `t` is the elements before the
        // anchor taking exactly `start..t`, the anchor, and the elements
        // after it from `t + 1`: the two halves do not depend on each
        // other, so the first start whose half fits is the match's start,
        // and the lazy end of the other half, walked once, its end. (A
        // walk of every element from each start, as `match_from` does,
        // finds the same, walking the second half again for every start.)
        let elems = self.elems();
        let walk = |part: Range<usize>, seg: u32, exact_end: Option<usize>| Walk {
            elems: &elems[part],
            table: &self.table,
            toks,
            seg,
            anchor: None,
            exact_end,
            peek: true,
        };
        for &t in candidates {
            let seg = toks.tokens[t].segment;
            if next.is_some_and(|alts| !fits(Some(t + 1), seg, alts))
                || prev.is_some_and(|alts| !fits(t.checked_sub(1), seg, alts))
            {
                continue;
            }
            let lo = t.saturating_sub(self.before.1 as usize);
            let hi = t.saturating_sub(self.before.0 as usize);
            let before = walk(0..a, seg, Some(t));
            let Some(start) = (lo..=hi).find(|&start| {
                toks.tokens[start].segment == seg
                    && last_start.is_none_or(|s| s < start)
                    && before.from(0, start, None).is_some()
            }) else {
                continue;
            };
            if let Some(end) = walk(a + 1..elems.len(), seg, None).from(0, t + 1, None) {
                out.push(start..end);
                *last_start = Some(start);
            }
        }
    }

    /// [`find_at_from`](Self::find_at_from) as a walk of every element
    /// from each start, each gap trying every length: the reference the
    /// split walk is checked against.
    #[cfg(test)]
    fn find_at_whole(
        &self,
        toks: &Tokens,
        candidates: &[usize],
        out: &mut Vec<Range<usize>>,
        last_start: &mut Option<usize>,
    ) {
        let a = self.anchor as usize;
        for &t in candidates {
            let seg = toks.tokens[t].segment;
            let lo = t.saturating_sub(self.before.1 as usize);
            let hi = t.saturating_sub(self.before.0 as usize);
            for start in lo..=hi {
                if toks.tokens[start].segment != seg || last_start.is_some_and(|s| s >= start) {
                    continue;
                }
                let whole = Walk {
                    elems: self.elems(),
                    table: &self.table,
                    toks,
                    seg,
                    anchor: Some((a, t)),
                    exact_end: None,
                    peek: false,
                };
                if let Some(end) = whole.from(0, start, None) {
                    out.push(start..end);
                    *last_start = Some(start);
                    break;
                }
            }
        }
    }

    /// Match elements `i..` from token `t`; the anchor element must land on
    /// its token. Gaps are lazy, so the shortest match is found. With
    /// `path`, only a match ending at its token counts, and the elements'
    /// tokens are recorded in it.
    fn match_from(
        &self,
        toks: &Tokens,
        i: usize,
        t: usize,
        seg: u32,
        anchor: Option<(usize, usize)>,
        path: Option<(usize, &mut Path)>,
    ) -> Option<usize> {
        // The elements as one plain slice for the whole walk: sliced out of
        // the table at every step, they would cost a range check each.
        Walk {
            elems: self.elems(),
            table: &self.table,
            toks,
            seg,
            anchor,
            exact_end: None,
            peek: true,
        }
        .from(i, t, path)
    }
}

/// One match attempt of a sequence's elements over one segment's tokens.
struct Walk<'a> {
    elems: &'a [u32],
    table: &'a SeqTable,
    toks: &'a Tokens,
    seg: u32,
    anchor: Option<(usize, usize)>,
    /// Only a walk that ends exactly on this token counts (the elements
    /// before an anchor, which must reach it).
    exact_end: Option<usize>,
    /// Pass over a gap's tokens that lack the required word after it
    /// with one look (off only in the reference walk of the tests).
    peek: bool,
}

impl Walk<'_> {
    /// [`Seq::match_from`], from element `i` at token `t`.
    fn from(&self, i: usize, t: usize, mut path: Option<(usize, &mut Path)>) -> Option<usize> {
        let (toks, seg, anchor) = (self.toks, self.seg, self.anchor);
        let Some(&e) = self.elems.get(i) else {
            let ends_right = path.is_none_or(|(end, _)| end == t);
            return (ends_right && self.exact_end.is_none_or(|e| e == t)).then_some(t);
        };
        let in_seg = |t: usize| t < toks.tokens.len() && toks.tokens[t].segment == seg;
        // Try elements `i + 1..` from `next`, with element `i` taking `t..next`.
        let then = |next: usize, path: &mut Option<(usize, &mut Path)>| {
            let Some((end, p)) = path else {
                return self.from(i + 1, next, None);
            };
            let mark = p.len();
            if next > t {
                p.push((i, t..next));
            }
            let found = self.from(i + 1, next, Some((*end, &mut **p)));
            if found.is_none() {
                p.truncate(mark);
            }
            found
        };
        match self.table.elem(e) {
            ElemRef::Word { alts, optional } => {
                let must = anchor.filter(|&(a, _)| a == i).map(|(_, at)| at);
                if must.is_none_or(|at| at == t) && in_seg(t) && toks.has(t, alts) {
                    if let Some(end) = then(t + 1, &mut path) {
                        return Some(end);
                    }
                }
                if optional {
                    return then(t, &mut path);
                }
                None
            }
            ElemRef::Gap(n) => {
                // A required word after the gap: a token without it cannot
                // end the gap, and is passed over with one look instead of
                // a step of the walk.
                let next = self
                    .elems
                    .get(i + 1)
                    .filter(|_| self.peek)
                    .and_then(|&e| self.table.required(e));
                for k in 0..=n as usize {
                    if k > 0 && !in_seg(t + k - 1) {
                        break;
                    }
                    if next.is_some_and(|alts| !(in_seg(t + k) && toks.has(t + k, alts))) {
                        continue;
                    }
                    if let Some(end) = then(t + k, &mut path) {
                        return Some(end);
                    }
                }
                None
            }
        }
    }
}

/// One word of a phrase as written: `word`, `=word`, `a|b`, `@list`, each
/// optionally followed by `?`; or a gap `...`/`…` (optionally `...N`).
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Alts {
        words: Vec<(String, bool)>,
        optional: bool,
    },
    List {
        name: String,
        optional: bool,
    },
    Gap(Option<u8>),
}

/// Parse a phrase's syntax. Returns `None` when the phrase has characters
/// that are not words (it is matched literally instead).
pub fn parse_phrase(phrase: &str) -> Result<Option<Vec<Written>>, String> {
    let lower = crate::document::prose::lowercase(phrase);
    let mut out = Vec::new();
    for raw in lower.split_whitespace() {
        if let Some(n) = raw
            .strip_prefix("...")
            .or_else(|| raw.strip_prefix('\u{2026}'))
        {
            if n.is_empty() {
                out.push(Written::Gap(None));
                continue;
            }
            let n: u8 =
                n.parse().ok().filter(|n| *n <= 12).ok_or_else(|| {
                    format!("`{raw}`: a gap is `...` or `...N` with N from 0 to 12")
                })?;
            out.push(Written::Gap(Some(n)));
            continue;
        }
        let (body, optional) = match raw.strip_suffix('?') {
            Some(b) if !b.is_empty() => (b, true),
            _ => (raw, false),
        };
        if let Some(name) = body.strip_prefix('@') {
            if name.is_empty() {
                return Err("`@` must be followed by a list name".into());
            }
            out.push(Written::List {
                name: name.to_string(),
                optional,
            });
            continue;
        }
        // Words, possibly alternatives. Punctuation that only separates
        // words (commas, full stops, hyphens, quotes) is dropped; any other
        // symbol makes the phrase literal.
        let mut words = Vec::new();
        for alt in body.split('|') {
            let (alt, exact) = match alt.strip_prefix('=') {
                Some(a) => (a, true),
                None => (alt, false),
            };
            if alt == NUMBER && !exact {
                // `#`: any numeral.
                words.push((NUMBER.to_string(), false));
                continue;
            }
            if alt
                .chars()
                .any(|c| !(super::matcher::is_word_char(c) || "'-,.!:;\"".contains(c)))
            {
                return Ok(None);
            }
            let mut pieces = Vec::new();
            split_words(alt, |r, _| pieces.push(alt[r].to_string()));
            if pieces.len() > 1 && body.contains('|') {
                return Err(format!(
                    "`{body}`: alternatives separated by `|` must be single words; use a list for phrases"
                ));
            }
            if pieces.len() > 1 {
                // "follow-up", "I'm": several words from one.
                if optional {
                    return Err(format!("`{raw}`: only a single word can be optional"));
                }
                for p in pieces {
                    out.push(Written::Alts {
                        words: vec![(p, exact)],
                        optional: false,
                    });
                }
                continue;
            }
            if let Some(p) = pieces.pop() {
                words.push((p, exact));
            }
        }
        if !words.is_empty() {
            out.push(Written::Alts { words, optional });
        }
    }
    if out.iter().all(|w| matches!(w, Written::Gap(_))) {
        return Ok(None);
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        split_words(s, |r, _| v.push(&s[r]));
        v
    }

    #[test]
    fn contractions_split() {
        assert_eq!(
            words("i'm sure i'd say don't"),
            ["i", "'m", "sure", "i", "'d", "say", "do", "n't"]
        );
        assert_eq!(words("can't o'clock"), ["ca", "n't", "o'clock"]);
        assert_eq!(words("follow-up, ok"), ["follow", "up", "ok"]);
    }

    #[test]
    fn forms_share_keys() {
        let mut lemmas = HashMap::new();
        lemmas.insert("felt".to_string(), "feel".to_string());
        let f = Forms::new(lemmas);
        assert_eq!(f.key("interested"), f.key("interests"));
        assert_eq!(f.key("apologise"), f.key("apologized"));
        assert_eq!(f.key("apologies"), f.key("apology"));
        assert_eq!(f.key("felt"), f.key("feeling"));
        assert_eq!(f.key("organisation"), f.key("organization"));
        assert_eq!(f.key("favourite"), f.key("favorite"));
        assert_ne!(f.key("your"), f.key("yor"));
    }

    /// The split walk (elements before the anchor up to it, then those
    /// after it once) finds what a walk of every element from each start
    /// finds, for random sequences (optional words, gaps, two keys a
    /// token) over random texts with sentence breaks.
    #[test]
    fn the_split_walk_finds_what_the_whole_walk_finds() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as u32
        };
        let letters = ["a", "b", "c", "d", "e", "f"];
        let mut found = 0;
        for _ in 0..3_000 {
            let n = 4 + next(40) as usize;
            let text: Vec<&str> = (0..n).map(|_| letters[next(6) as usize]).collect();
            let text = text.join(" ");
            let segments: Vec<usize> = (0..next(4))
                .map(|_| 2 * next(n as u64) as usize)
                .filter(|&s| s > 0 && s < text.len())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            // A letter's exact key is its number, its form key 10 + a third of it.
            let toks = Tokens::new(&text, &segments, |w| {
                let i = letters.iter().position(|l| *l == w).unwrap_or(0) as Key;
                [i, 10 + i / 2]
            });
            let len = 1 + next(6) as usize;
            let elems: Vec<Elem> = (0..len)
                .map(|_| {
                    if next(5) == 0 {
                        Elem::Gap(next(4) as u8)
                    } else {
                        let mut alts: Vec<Key> = (0..1 + next(2))
                            .map(|_| if next(4) == 0 { 10 + next(3) } else { next(6) })
                            .collect();
                        alts.sort_unstable();
                        alts.dedup();
                        Elem::Word {
                            alts: alts.into(),
                            optional: next(5) == 0,
                        }
                    }
                })
                .collect();
            let labels = vec![0; elems.len()];
            let Some(seq) = Seq::new(elems, labels, |k| if k == 0 { 40 } else { 1 }) else {
                continue;
            };
            let alts = seq.anchor_alts().to_vec();
            let candidates: Vec<usize> = (0..toks.tokens.len())
                .filter(|&t| toks.has(t, &alts))
                .collect();
            let (mut split, mut whole) = (Vec::new(), Vec::new());
            seq.find_at_from(&toks, &candidates, &mut split, &mut None);
            seq.find_at_whole(&toks, &candidates, &mut whole, &mut None);
            assert_eq!(split, whole, "{seq:?} on {text:?} ({segments:?})");
            found += split.len();
        }
        // The cases match often enough to mean something.
        assert!(found > 3_000, "{found} matches");
    }

    #[test]
    fn has_finds_a_key_in_small_and_large_sets() {
        // Token 0 has keys 5 and 40; token 1 only 7 (its form key is NONE).
        let mut next = [[5, 40], [7, NONE]].into_iter();
        let toks = Tokens::new("ab cd", &[], |_| next.next().unwrap_or([NONE; 2]));
        let large: Vec<Key> = (0..30).map(|k| k * 2 + 1).collect(); // odd keys
        for (t, set, want) in [
            (0, &[5u32][..], true),
            (0, &[40], true),
            (0, &[6, 41], false),
            (1, &[7], true),
            (1, &large[..], true),
            (0, &large[..], true),    // 5
            (0, &large[1..2], false), // just 3
        ] {
            assert_eq!(toks.has(t, set), want, "token {t} in {set:?}");
        }
        let even: Vec<Key> = (0..30).map(|k| k * 2).collect();
        assert!(toks.has(0, &even), "40 is even");
        assert!(!toks.has(1, &even));
    }

    #[test]
    fn numerals_share_one_key() {
        let f = Forms::default();
        for n in ["5", "14", "2024", "10k", "2m", "3bn"] {
            assert!(is_numeral(n), "{n}");
            assert_eq!(f.key(n), NUMBER);
        }
        for w in ["3rd", "2pm", "10am", "k", "", "x5"] {
            assert!(!is_numeral(w), "{w}");
            assert_ne!(f.key(w), NUMBER);
        }
        let p = parse_phrase("# =years").unwrap().unwrap();
        assert!(matches!(&p[0], Written::Alts { words, .. } if words[0] == (NUMBER.into(), false)));
        // `#` among other symbols is not the numeral word: the phrase is literal.
        assert!(parse_phrase("#1 fan").unwrap().is_none());
    }

    #[test]
    fn phrase_syntax() {
        let p = parse_phrase("would ... like? =to @join").unwrap().unwrap();
        assert_eq!(p.len(), 5);
        assert_eq!(p[1], Written::Gap(None));
        assert!(matches!(&p[2], Written::Alts { optional: true, .. }));
        assert!(matches!(&p[3], Written::Alts { words, .. } if words[0].1));
        assert!(parse_phrase("a&e").unwrap().is_none());
        assert!(parse_phrase("?").unwrap().is_none());
        assert!(parse_phrase("...99 x").is_err());
    }
}
