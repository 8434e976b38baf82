//! The built-in pack's phrases, compiled ahead of time.
//!
//! Expanding the pack's ~900 word phrases into their ~2,400 word sequences
//! (every item of every `@list`, every form key of every word) was most of
//! a process's start-up. `rules/compiled.bin` holds the result: the form
//! key table, the element labels, and each phrase's sequences, under the
//! key the compiler files the phrase by. When the rule set is the built-in
//! pack alone, `Loader::build` seeds the compiler with it, and a phrase
//! found there is taken as compiled instead of being parsed and expanded;
//! anything else (a rule directory, a config's rule files) compiles in
//! full, as before. The same rules, the same order: the matchers built
//! either way are the same, which `tests/fast_paths.rs` checks, with every
//! fixture's diagnostics.
//!
//! The file is checked in and stale-checked like `rules/pack.json`:
//! `UPDATE_GATES=1 cargo test --test fast_paths` rewrites it. It also
//! carries a fingerprint of the `pack.json` it was compiled from, so a
//! stale file is never used (the pack then compiles in full).

use super::matcher::Label;
use super::words::{AltTable, Key, Seq, SeqTable};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::borrow::Cow;
use std::sync::Arc;

/// The sequences of [`CompiledPhrases::phrases`]: all of them in one
/// table, and each phrase's key and range in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seeds<'a> {
    pub seqs: Vec<Seq>,
    pub phrases: Vec<(&'a str, std::ops::Range<usize>)>,
}

/// `rules/compiled.bin`.
pub const BUILTIN_COMPILED: &[u8] = include_bytes!("../../rules/compiled.bin");

/// The layout's version: bump it when a serialized type changes shape.
/// 2: every table is flat (one array of numbers, one string), so reading
/// the file makes a few dozen allocations instead of ~10,000.
/// 3: arrays of numbers are little-endian bytes, not varints: read with a
/// copy, not ~40 instructions a number.
/// 4: each common word's key has its weight as an anchor (`common_weights`).
const FORMAT: u32 = 4;

/// What the compiler would have built for the built-in pack's phrases.
///
/// Strings are borrowed from the bytes read (`compiled.bin` is in the
/// binary), and every table of lists is one flat array with the end of
/// each list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledPhrases<'a> {
    format: u32,
    /// [`fingerprint`] of the `rules/pack.json` this was compiled from.
    pub pack: u64,
    /// Every form key, by number.
    #[serde(borrow)]
    keys: Strings<'a>,
    /// The keys of `words::COMMON_WORDS`, and the weight of each as an
    /// anchor (`words::common_weight`).
    #[serde(with = "le")]
    pub common: Vec<Key>,
    #[serde(with = "le")]
    pub common_weights: Vec<u32>,
    /// What each sequence element was written as.
    #[serde(borrow)]
    labels: LabelTable<'a>,
    /// The distinct sets of alternative keys the sequences' words take.
    #[serde(borrow)]
    alt_keys: Numbers<'a>,
    #[serde(with = "le")]
    alt_ends: Vec<u32>,
    /// Each word phrase, in the order compiled: its key, and the end of
    /// its sequences in the sequence table.
    #[serde(borrow)]
    phrase_keys: Strings<'a>,
    #[serde(with = "le")]
    phrase_ends: Vec<u32>,
    /// Each sequence: the end of its elements, its anchor and the tokens
    /// allowed before the anchor.
    #[serde(with = "le")]
    seq_ends: Vec<u32>,
    #[serde(with = "le")]
    anchors: Vec<u32>,
    #[serde(with = "le_pairs")]
    before: Vec<(u32, u32)>,
    /// Every sequence's elements (`FlatSeq::elems`) and their labels.
    #[serde(borrow)]
    elems: Numbers<'a>,
    #[serde(borrow)]
    elem_labels: Numbers<'a>,
}

/// A number from its four little-endian bytes (`chunks_exact(4)` gives
/// exactly four).
fn le_u32(c: &[u8]) -> u32 {
    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
}

/// A long array of numbers, stored as their little-endian bytes (the same
/// bytes as `le`) and read in place: borrowed from the bytes read, decoded
/// as it is used, never copied into a `Vec` first.
#[derive(Debug, Clone, PartialEq, Default)]
struct Numbers<'a>(Cow<'a, [u8]>);

impl Numbers<'_> {
    fn len(&self) -> usize {
        self.0.len() / 4
    }

    /// Every number, in order.
    fn iter(&self) -> impl ExactSizeIterator<Item = u32> + Clone + '_ {
        self.0.chunks_exact(4).map(le_u32)
    }
}

impl Extend<u32> for Numbers<'_> {
    fn extend<I: IntoIterator<Item = u32>>(&mut self, numbers: I) {
        let bytes = self.0.to_mut();
        for n in numbers {
            bytes.extend_from_slice(&n.to_le_bytes());
        }
    }
}

impl Serialize for Numbers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Numbers<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Numbers<'a>, D::Error> {
        struct Bytes;
        impl<'de> de::Visitor<'de> for Bytes {
            type Value = Cow<'de, [u8]>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes of little-endian u32s")
            }

            fn visit_borrowed_bytes<E: de::Error>(self, b: &'de [u8]) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(b))
            }

            fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Self::Value, E> {
                Ok(Cow::Owned(b.to_vec()))
            }
        }
        let bytes = d.deserialize_bytes(Bytes)?;
        if bytes.len() % 4 != 0 {
            return Err(de::Error::invalid_length(
                bytes.len(),
                &"bytes of little-endian u32s",
            ));
        }
        Ok(Numbers(bytes))
    }
}

/// The label table, stored flat: each label's text, and its words (the
/// end of each label's words in `words`). Decoded only when `explain`
/// needs it ([`LabelTable::decode`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LabelTable<'a> {
    #[serde(borrow)]
    text: Strings<'a>,
    #[serde(borrow)]
    words: Strings<'a>,
    #[serde(with = "le")]
    word_ends: Vec<u32>,
}

impl LabelTable<'_> {
    fn of(labels: &[Label]) -> LabelTable<'static> {
        let mut t = LabelTable::default();
        for l in labels {
            t.text.push(&l.text);
            for w in &l.words {
                t.words.push(w);
            }
            t.word_ends.push(t.words.len() as u32);
        }
        t
    }

    /// How many labels it holds.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.len() == 0
    }

    /// Every label (`None` if the table does not hold together).
    pub fn decode(&self) -> Option<Vec<Label>> {
        let words: Vec<&str> = self.words.iter().collect::<Option<_>>()?;
        if self.word_ends.len() != self.text.len() {
            return None;
        }
        self.text
            .iter()
            .zip(ranges(&self.word_ends))
            .map(|(text, r)| {
                Some(Label {
                    text: text?.to_string(),
                    words: words.get(r?)?.iter().map(|w| w.to_string()).collect(),
                })
            })
            .collect()
    }

    /// Whether [`decode`](Self::decode) would succeed, without building
    /// the labels.
    pub fn holds(&self) -> bool {
        self.word_ends.len() == self.text.len()
            && self.text.iter().all(|t| t.is_some())
            && self.words.iter().all(|w| w.is_some())
            && ranges(&self.word_ends).all(|r| r.is_some_and(|r| r.end <= self.words.len()))
    }
}

/// Strings stored as one text and the end of each.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct Strings<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(with = "le")]
    ends: Vec<u32>,
}

impl<'a> Strings<'a> {
    fn push(&mut self, s: &str) {
        self.text.to_mut().push_str(s);
        self.ends.push(self.text.len() as u32);
    }

    /// Every string in order; `None` for a range that does not hold.
    fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        ranges(&self.ends).map(|r| r.and_then(|r| self.text.get(r)))
    }

    /// Every string, borrowed from the bytes read; `None` when they were
    /// not read from bytes (a table being written), or a range does not
    /// hold.
    fn borrowed(&self) -> Option<Vec<&'a str>> {
        let Cow::Borrowed(text) = self.text else {
            return None;
        };
        ranges(&self.ends).map(|r| text.get(r?)).collect()
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// The ranges a list of ends marks out (`None` once an end goes back).
fn ranges(ends: &[u32]) -> impl Iterator<Item = Option<std::ops::Range<usize>>> + '_ {
    let mut start = 0usize;
    ends.iter().map(move |&end| {
        let end = end as usize;
        let r = (start <= end).then_some(start..end);
        start = end;
        r
    })
}

impl CompiledPhrases<'static> {
    pub fn new(
        pack: u64,
        keys: Vec<String>,
        common: Vec<(Key, u32)>,
        labels: Vec<Label>,
        phrases: Vec<(String, &[Seq])>,
    ) -> CompiledPhrases<'static> {
        let mut c = CompiledPhrases {
            format: FORMAT,
            pack,
            keys: Strings::default(),
            common: common.iter().map(|c| c.0).collect(),
            common_weights: common.iter().map(|c| c.1).collect(),
            labels: LabelTable::of(&labels),
            alt_keys: Numbers::default(),
            alt_ends: Vec::new(),
            phrase_keys: Strings::default(),
            phrase_ends: Vec::new(),
            seq_ends: Vec::new(),
            anchors: Vec::new(),
            before: Vec::new(),
            elems: Numbers::default(),
            elem_labels: Numbers::default(),
        };
        for k in &keys {
            c.keys.push(k);
        }
        let mut table = AltTable::default();
        for (key, seqs) in phrases {
            c.phrase_keys.push(&key);
            for seq in seqs {
                let flat = seq.flatten(&mut table);
                c.elems.extend(flat.elems);
                c.elem_labels.extend(flat.labels);
                c.seq_ends.push(c.elems.len() as u32);
                c.anchors.push(flat.anchor);
                c.before.push(flat.before);
            }
            c.phrase_ends.push(c.seq_ends.len() as u32);
        }
        for set in &table.sets {
            c.alt_keys.extend(set.iter().copied());
            c.alt_ends.push(c.alt_keys.len() as u32);
        }
        c
    }

    /// The built-in pack's, when current.
    pub fn builtin() -> Option<CompiledPhrases<'static>> {
        CompiledPhrases::from_bytes(BUILTIN_COMPILED, super::BUILTIN_PACK)
    }
}

impl<'a> CompiledPhrases<'a> {
    /// Every form key, by number, borrowed from the bytes read (`None` if
    /// any is corrupt, or the table was not read from bytes).
    pub fn keys(&self) -> Option<Vec<&'a str>> {
        self.keys.borrowed()
    }

    /// The label table, not yet decoded.
    pub fn labels(&self) -> &LabelTable<'a> {
        &self.labels
    }

    /// Every phrase's sequences, in one table in the order compiled, and
    /// each phrase's key (borrowed from the bytes read) with its range in
    /// it. `None` if any is corrupt, or the table was not read from bytes.
    pub fn phrases(&self) -> Option<Seeds<'a>> {
        let n = self.seq_ends.len();
        if self.anchors.len() != n
            || self.before.len() != n
            || self.phrase_ends.len() != self.phrase_keys.len()
            || self.phrase_ends.last().map_or(0, |&e| e as usize) != n
        {
            return None;
        }
        // One table for every sequence, checked once (`SeqTable::from_parts`):
        // the sets sorted, as the matcher requires (`Tokens::has`).
        let table = Arc::new(SeqTable::from_parts(
            self.alt_keys.iter().collect(),
            self.alt_ends.iter().copied(),
            self.elems.iter().collect(),
            self.elem_labels.iter().collect(),
        )?);
        // Sized ahead: collected into an `Option` the table would grow by
        // doubling, copying itself and touching fresh pages at each step.
        let mut seqs: Vec<Seq> = Vec::with_capacity(n);
        for (i, r) in ranges(&self.seq_ends).enumerate() {
            seqs.push(Seq::from_table(
                &table,
                r?,
                self.anchors[i],
                self.before[i],
            )?);
        }
        let phrases = self
            .phrase_keys
            .borrowed()?
            .into_iter()
            .zip(ranges(&self.phrase_ends))
            .map(|(key, r)| Some((key, r?)))
            .collect::<Option<_>>()?;
        Some(Seeds { seqs, phrases })
    }

    /// How many phrases it holds.
    pub fn len(&self) -> usize {
        self.phrase_keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrase_keys.len() == 0
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("serializing to memory cannot fail")
    }

    /// Read a compiled form; `None` when it does not read, is of another
    /// format, or was compiled from another pack than `pack`.
    pub fn from_bytes(bytes: &'a [u8], pack: &str) -> Option<CompiledPhrases<'a>> {
        let c: CompiledPhrases<'a> = postcard::from_bytes(bytes).ok()?;
        (c.format == FORMAT && c.pack == fingerprint(pack)).then_some(c)
    }
}

/// A `Vec<u32>` stored as its little-endian bytes.
mod le {
    use serde::{Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = v.iter().flat_map(|n| n.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        d.deserialize_bytes(Numbers)
    }

    pub struct Numbers;

    impl de::Visitor<'_> for Numbers {
        type Value = Vec<u32>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes of little-endian u32s")
        }

        fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Vec<u32>, E> {
            if b.len() % 4 != 0 {
                return Err(E::invalid_length(b.len(), &self));
            }
            Ok(b.chunks_exact(4).map(super::le_u32).collect())
        }
    }
}

/// A `Vec<(u32, u32)>` stored as the little-endian bytes of its numbers.
mod le_pairs {
    use serde::{Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(v: &[(u32, u32)], s: S) -> Result<S::Ok, S::Error> {
        let flat: Vec<u32> = v.iter().flat_map(|&(a, b)| [a, b]).collect();
        super::le::serialize(&flat, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(u32, u32)>, D::Error> {
        let flat = d.deserialize_bytes(super::le::Numbers)?;
        if flat.len() % 2 != 0 {
            return Err(de::Error::invalid_length(flat.len(), &"pairs of numbers"));
        }
        Ok(flat.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    }
}

/// FNV-1a of the text (stable across builds and platforms).
pub fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compiled_form_of_another_pack_is_refused() {
        let c = CompiledPhrases::new(
            fingerprint("a"),
            vec!["k".into()],
            vec![(0, 40)],
            Vec::new(),
            Vec::new(),
        );
        let bytes = c.to_bytes();
        assert_eq!(CompiledPhrases::from_bytes(&bytes, "a"), Some(c));
        assert_eq!(CompiledPhrases::from_bytes(&bytes, "b"), None);
        assert_eq!(
            CompiledPhrases::from_bytes(&bytes[..bytes.len() / 2], "a"),
            None
        );
        assert_eq!(CompiledPhrases::from_bytes(b"", "a"), None);
    }

    fn one_phrase() -> CompiledPhrases<'static> {
        use super::super::words::Elem;
        let seq = Seq::new(
            vec![
                Elem::Word {
                    alts: Arc::from(&[0u32, 1][..]),
                    optional: false,
                },
                Elem::Gap(3),
            ],
            vec![0, 1],
            |_| 1,
        )
        .expect("a sequence");
        let labels = vec![
            Label {
                text: "meet|see".into(),
                words: vec!["meet".into(), "see".into()],
            },
            Label {
                text: "...3".into(),
                words: Vec::new(),
            },
        ];
        let seqs = [seq.clone(), seq];
        CompiledPhrases::new(
            fingerprint("a"),
            vec!["meet".into(), "see".into()],
            vec![],
            labels,
            vec![("3\u{1}meet|see ...3".into(), &seqs[..])],
        )
    }

    #[test]
    fn number_arrays_read_back_and_a_ragged_one_is_refused() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct T {
            #[serde(with = "le")]
            n: Vec<u32>,
            #[serde(with = "le_pairs")]
            p: Vec<(u32, u32)>,
        }
        let t = T {
            n: vec![0, 1, u32::MAX, 70_000],
            p: vec![(3, 4), (u32::MAX, 0)],
        };
        let bytes = postcard::to_allocvec(&t).expect("serializes");
        assert_eq!(postcard::from_bytes::<T>(&bytes).ok().as_ref(), Some(&t));
        // Written as plain byte strings, whole ones read.
        let whole = postcard::to_allocvec(&(&[1u8, 0, 0, 0][..], &[2u8, 0, 0, 0, 3, 0, 0, 0][..]))
            .expect("serializes");
        assert_eq!(
            postcard::from_bytes::<T>(&whole).ok(),
            Some(T {
                n: vec![1],
                p: vec![(2, 3)]
            })
        );
        // Five bytes of numbers: not a whole number of u32s.
        let ragged =
            postcard::to_allocvec(&(&[1u8, 2, 3, 4, 5][..], &[0u8; 8][..])).expect("serializes");
        assert!(postcard::from_bytes::<T>(&ragged).is_err());
        // Three numbers: not a whole number of pairs.
        let odd = postcard::to_allocvec(&(&[0u8; 4][..], &[0u8; 12][..])).expect("serializes");
        assert!(postcard::from_bytes::<T>(&odd).is_err());
        // `Numbers` has the same bytes, and reads them in place.
        let mut n = Numbers::default();
        n.extend([0, 1, u32::MAX]);
        n.extend([70_000]);
        let bytes = postcard::to_allocvec(&n).expect("serializes");
        #[derive(Serialize)]
        struct Le(#[serde(with = "le")] Vec<u32>);
        let as_le = postcard::to_allocvec(&Le(t.n.clone())).expect("serializes");
        assert_eq!(bytes, as_le);
        let back: Numbers = postcard::from_bytes(&bytes).expect("reads");
        assert!(matches!(back.0, Cow::Borrowed(_)));
        assert_eq!(back.iter().collect::<Vec<_>>(), t.n);
        assert_eq!(back.len(), 4);
        let ragged = postcard::to_allocvec(&&[1u8, 2, 3, 4, 5][..]).expect("serializes");
        assert!(postcard::from_bytes::<Numbers>(&ragged).is_err());
    }

    #[test]
    fn tables_read_back_as_written() {
        let c = one_phrase();
        let bytes = c.to_bytes();
        let back = CompiledPhrases::from_bytes(&bytes, "a").expect("reads");
        assert_eq!(back.keys(), Some(vec!["meet", "see"]));
        assert_eq!(back.labels().len(), 2);
        assert!(back.labels().holds());
        assert_eq!(
            back.labels().decode().expect("labels")[0].words,
            ["meet", "see"]
        );
        let seeds = back.phrases().expect("phrases");
        assert_eq!(seeds.phrases, [("3\u{1}meet|see ...3", 0..2)]);
        assert_eq!(seeds.seqs.len(), 2);
        assert_eq!(seeds.seqs[0].anchor_alts(), &[0, 1]);
    }

    #[test]
    fn a_table_that_does_not_hold_together_reads_as_none() {
        // Written out and read back, as `compiled.bin` is.
        fn reread(c: &CompiledPhrases, f: impl Fn(&CompiledPhrases) -> bool) -> bool {
            let bytes = c.to_bytes();
            f(&CompiledPhrases::from_bytes(&bytes, "a").expect("reads"))
        }
        assert!(reread(&one_phrase(), |r| r.phrases().is_some()
            && r.keys().is_some()));
        let mut c = one_phrase();
        c.seq_ends[0] = 99;
        assert!(reread(&c, |r| r.phrases().is_none()));
        let mut c = one_phrase();
        c.alt_ends[0] = 7;
        assert!(reread(&c, |r| r.phrases().is_none()));
        let mut c = one_phrase();
        c.phrase_ends[0] = 5;
        assert!(reread(&c, |r| r.phrases().is_none()));
        let mut c = one_phrase();
        c.labels.word_ends.pop();
        assert!(!c.labels().holds());
        assert_eq!(c.labels().decode(), None);
        let mut c = one_phrase();
        c.labels.word_ends[0] = 9;
        assert!(!c.labels().holds());
        assert_eq!(c.labels().decode(), None);
        let mut c = one_phrase();
        c.keys.ends[0] = 1000;
        assert!(reread(&c, |r| r.keys().is_none()));
        let mut c = one_phrase();
        // An end that goes back.
        c.elems.extend([0]);
        c.elem_labels.extend([0]);
        c.seq_ends = vec![2, 1];
        assert!(reread(&c, |r| r.phrases().is_none()));
    }
}
