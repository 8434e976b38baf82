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
use super::words::{AltTable, FlatSeq, Key, Seq};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// `rules/compiled.bin`.
pub const BUILTIN_COMPILED: &[u8] = include_bytes!("../../rules/compiled.bin");

/// The layout's version: bump it when a serialized type changes shape.
const FORMAT: u32 = 1;

/// What the compiler would have built for the built-in pack's phrases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledPhrases {
    format: u32,
    /// [`fingerprint`] of the `rules/pack.json` this was compiled from.
    pub pack: u64,
    /// Every form key, by number.
    pub keys: Vec<String>,
    /// The keys of `words::COMMON_WORDS`.
    pub common: Vec<Key>,
    pub labels: Vec<Label>,
    /// The distinct sets of alternative keys the sequences' words take.
    alts: Vec<Vec<Key>>,
    /// Each word phrase, in the order compiled: its key and sequences.
    phrases: Vec<(String, Vec<FlatSeq>)>,
}

impl CompiledPhrases {
    pub fn new(
        pack: u64,
        keys: Vec<String>,
        common: Vec<Key>,
        labels: Vec<Label>,
        phrases: Vec<(String, &[Seq])>,
    ) -> CompiledPhrases {
        let mut table = AltTable::default();
        let phrases = phrases
            .into_iter()
            .map(|(key, seqs)| (key, seqs.iter().map(|s| s.flatten(&mut table)).collect()))
            .collect();
        CompiledPhrases {
            format: FORMAT,
            pack,
            keys,
            common,
            labels,
            alts: table.sets.iter().map(|s| s.to_vec()).collect(),
            phrases,
        }
    }

    /// The phrases' sequences, by phrase key (`None` if any is corrupt).
    pub fn take_phrases(&mut self) -> Option<Vec<(String, Vec<Seq>)>> {
        let sets: Vec<Arc<[Key]>> = self.alts.drain(..).map(Arc::from).collect();
        std::mem::take(&mut self.phrases)
            .into_iter()
            .map(|(key, flat)| {
                let seqs = flat
                    .into_iter()
                    .map(|f| Seq::unflatten(f, &sets))
                    .collect::<Option<Vec<Seq>>>()?;
                Some((key, seqs))
            })
            .collect()
    }

    /// How many phrases it holds.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("serializing to memory cannot fail")
    }

    /// Read a compiled form; `None` when it does not read, is of another
    /// format, or was compiled from another pack than `pack`.
    pub fn from_bytes(bytes: &[u8], pack: &str) -> Option<CompiledPhrases> {
        let c: CompiledPhrases = postcard::from_bytes(bytes).ok()?;
        (c.format == FORMAT && c.pack == fingerprint(pack)).then_some(c)
    }

    /// The built-in pack's, when current.
    pub fn builtin() -> Option<CompiledPhrases> {
        CompiledPhrases::from_bytes(BUILTIN_COMPILED, super::BUILTIN_PACK)
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
            vec![0],
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
}
