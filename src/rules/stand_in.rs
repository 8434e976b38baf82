//! ASCII stand-ins: a regex that cannot tell two non-ASCII characters of
//! the same kind apart runs in its ASCII form on a copy of the prose where
//! each non-ASCII character is one ASCII byte of its kind.
//!
//! The Unicode form of a regex with `\b` cannot use the lazy DFA on text
//! with non-ASCII characters (the DFA gives up at the first one) and falls
//! back to the PikeVM, which is one to two orders of magnitude slower: on
//! one draft of megabytes with a name or a dash every few paragraphs, that
//! was nearly all of the run. Prose has three kinds of non-ASCII
//! characters a regex of the pack can tell from ASCII ones:
//!
//! - **word** characters (`é`, `ø`, `ł`), which `\w` and `\b` count as
//!   letters: stand-in `_`;
//! - **space** (none stay in normalized prose, but the mapping is total):
//!   stand-in ` `;
//! - **other** (`—`, `€`, `…`): stand-in `\x01`.
//!
//! Each character becomes one byte, so counted repetitions (`{0,60}`)
//! count the same, and a map gives every stand-in offset its source
//! offset. A regex is run so only when, for each kind present in the
//! draft, every class and literal of its syntax tree holds either all
//! characters of that kind and the stand-in, or none of them and not the
//! stand-in (`[^.!?\n]` holds all, `\w` holds the word kind and `_`,
//! `(?i)manager` none): then it cannot tell a stand-in from the character
//! it stands for, and its ASCII form on the copy finds the same matches as
//! its Unicode form on the prose (`tests/fast_paths.rs` and the tests
//! below compare them). A draft with a non-ASCII digit (`\d` holds some
//! word characters and not others) or a case-folding hazard (`ſ`, the
//! Kelvin sign, which `(?i)` matches with `s` and `k`) gets no copy.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};
use std::ops::Range;
use std::sync::OnceLock;

/// The kinds, as bits of a mask: word, space, other.
const WORD: u8 = 1;
const SPACE: u8 = 2;
const OTHER: u8 = 4;
const KINDS: [(u8, char); 3] = [(WORD, '_'), (SPACE, ' '), (OTHER, '\x01')];

/// The non-ASCII characters of each kind (hazards and digits excluded).
struct Kinds {
    word: ClassUnicode,
    space: ClassUnicode,
    other: ClassUnicode,
    /// Non-ASCII digits and case-folding hazards: no stand-in.
    refused: ClassUnicode,
}

fn class(pattern: &str) -> ClassUnicode {
    match regex_syntax::parse(pattern).map(|h| h.kind().clone()) {
        Ok(HirKind::Class(Class::Unicode(c))) => c,
        _ => ClassUnicode::empty(),
    }
}

fn kinds() -> &'static Kinds {
    static KINDS: OnceLock<Kinds> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut refused = ClassUnicode::new(
            super::gate::case_fold_hazards()
                .into_iter()
                .map(|c| ClassUnicodeRange::new(c, c)),
        );
        refused.union(&class(r"[\d--\x00-\x7F]"));
        let mut word = class(r"[\w--\x00-\x7F]");
        word.difference(&refused);
        Kinds {
            word,
            space: class(r"[\s--\x00-\x7F]"),
            other: class(r"[^\w\s\x00-\x7F]"),
            refused,
        }
    })
}

impl Kinds {
    fn of(&self, kind: u8) -> &ClassUnicode {
        match kind {
            WORD => &self.word,
            SPACE => &self.space,
            _ => &self.other,
        }
    }
}

fn contains(class: &ClassUnicode, c: char) -> bool {
    let ranges = class.ranges();
    let i = ranges.partition_point(|r| r.end() < c);
    ranges.get(i).is_some_and(|r| r.start() <= c)
}

/// The kinds (mask) whose characters `pattern` cannot tell from their
/// stand-in. 0 when it does not parse.
pub fn uniform_kinds(pattern: &str) -> u8 {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(true)
        .utf8(true)
        .build()
        .parse(pattern)
    else {
        return 0;
    };
    let mut mask = WORD | SPACE | OTHER;
    walk(&hir, &mut mask);
    mask
}

/// Clear in `mask` each kind that a class of `c` splits.
fn check_class(c: &ClassUnicode, mask: &mut u8) {
    let k = kinds();
    for (kind, stand_in) in KINDS {
        if *mask & kind == 0 {
            continue;
        }
        let all = k.of(kind);
        let mut common = c.clone();
        common.intersect(all);
        let uniform = if contains(c, stand_in) {
            common == *all
        } else {
            common.ranges().is_empty()
        };
        if !uniform {
            *mask &= !kind;
        }
    }
}

fn walk(hir: &Hir, mask: &mut u8) {
    if *mask == 0 {
        return;
    }
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                for ch in s.chars() {
                    check_class(&ClassUnicode::new([ClassUnicodeRange::new(ch, ch)]), mask);
                }
            }
            Err(_) => *mask = 0,
        },
        HirKind::Class(Class::Unicode(c)) => check_class(c, mask),
        HirKind::Class(Class::Bytes(c)) => match c.to_unicode_class() {
            Some(c) => check_class(&c, mask),
            None => *mask = 0,
        },
        HirKind::Look(look) => {
            // An ASCII word boundary in a Unicode regex tells a non-ASCII
            // letter (not a word character to it) from `_`.
            if matches!(
                look,
                Look::WordAscii
                    | Look::WordAsciiNegate
                    | Look::WordStartAscii
                    | Look::WordEndAscii
                    | Look::WordStartHalfAscii
                    | Look::WordEndHalfAscii
            ) {
                *mask &= !WORD;
            }
        }
        HirKind::Repetition(r) => walk(&r.sub, mask),
        HirKind::Capture(c) => walk(&c.sub, mask),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            for h in hs {
                walk(h, mask);
            }
        }
    }
}

/// A copy of non-ASCII prose with one ASCII stand-in per non-ASCII
/// character, and the way back to prose offsets.
#[derive(Debug)]
pub struct Shadow {
    pub text: String,
    /// The kinds present (mask).
    pub present: u8,
    /// Per non-ASCII character: its offset in `text`, and the bytes the
    /// prose has beyond `text` after it.
    marks: Vec<(usize, usize)>,
}

impl Shadow {
    /// The copy of `prose`, or `None` when it holds a character without a
    /// stand-in (a non-ASCII digit, a case-folding hazard).
    pub fn new(prose: &str) -> Option<Shadow> {
        let k = kinds();
        let mut text = String::with_capacity(prose.len());
        let mut marks = Vec::new();
        let mut present = 0;
        let mut extra = 0;
        for c in prose.chars() {
            if c.is_ascii() {
                text.push(c);
                continue;
            }
            if contains(&k.refused, c) {
                return None;
            }
            let (kind, stand_in) = if contains(&k.word, c) {
                KINDS[0]
            } else if contains(&k.space, c) {
                KINDS[1]
            } else {
                KINDS[2]
            };
            present |= kind;
            extra += c.len_utf8() - 1;
            marks.push((text.len(), extra));
            text.push(stand_in);
        }
        Some(Shadow {
            text,
            present,
            marks,
        })
    }

    /// May a regex that cannot tell the kinds in `uniform` apart run on
    /// this copy?
    pub fn serves(&self, uniform: u8) -> bool {
        self.present & !uniform == 0
    }

    /// The prose offset of copy offset `at`.
    fn original(&self, at: usize) -> usize {
        let i = self.marks.partition_point(|&(p, _)| p < at);
        at + i.checked_sub(1).map_or(0, |i| self.marks[i].1)
    }

    /// The copy offset of prose offset `at` (a character boundary).
    fn copy_offset(&self, at: usize) -> usize {
        // Marks (characters) ending in the prose at or before `at`: the
        // prose end of a character is its copy offset, its stand-in's one
        // byte and the bytes the prose has beyond the copy up to it.
        let i = self
            .marks
            .partition_point(|&(p, extra)| p + 1 + extra <= at);
        at - i.checked_sub(1).map_or(0, |i| self.marks[i].1)
    }

    /// The copy range of a prose range (both ends character boundaries).
    pub fn copy_range(&self, r: Range<usize>) -> Range<usize> {
        self.copy_offset(r.start)..self.copy_offset(r.end)
    }

    /// The prose range of a copy range.
    pub fn range(&self, r: Range<usize>) -> Range<usize> {
        self.original(r.start)..self.original(r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_classes() {
        assert_eq!(uniform_kinds(r"(?i)\bmanager\b"), WORD | SPACE | OTHER);
        assert_eq!(uniform_kinds(r"[^.!?\n]{0,60}\w+\s+"), WORD | SPACE | OTHER);
        assert_eq!(uniform_kinds(r"caf\u{e9}"), SPACE | OTHER);
        assert_eq!(uniform_kinds(r"a_b"), SPACE | OTHER);
        assert_eq!(uniform_kinds(r"\d+"), WORD | SPACE | OTHER);
        assert_eq!(uniform_kinds(r"\pL"), SPACE | OTHER);
        assert_eq!(uniform_kinds(r"a b"), WORD | OTHER);
        assert_eq!(uniform_kinds(r"(?-u:\b)x"), SPACE | OTHER);
        assert_eq!(uniform_kinds(r"\u{2014}"), WORD | SPACE);
    }

    #[test]
    fn offsets_map_back() {
        let prose = "José — Åström: ok";
        let s = Shadow::new(prose).expect("a copy");
        assert_eq!(s.text, "Jos_ \x01 _str_m: ok");
        assert_eq!(s.present, WORD | OTHER);
        for (copy, want) in [
            (0..4, "José"),
            (5..6, "—"),
            (7..13, "Åström"),
            (15..17, "ok"),
        ] {
            assert_eq!(&prose[s.range(copy)], want);
        }
        assert!(Shadow::new("3\u{0663}").is_none());
        assert!(Shadow::new("\u{212A}").is_none());
        // And from every character boundary of the prose to the copy.
        for (at, _) in prose.char_indices().chain([(prose.len(), ' ')]) {
            let c = s.copy_offset(at);
            assert_eq!(s.original(c), at, "prose offset {at}");
        }
    }

    /// On random texts over a small alphabet, each regex finds in its ASCII
    /// form on the copy what its Unicode form finds on the text.
    #[test]
    fn stand_ins_find_what_unicode_finds() {
        let patterns = [
            r"(?i)\b(led|lead|ran)\b[^.!?\n]{0,6}\b(by|from)\s+\d",
            r"(?i)\b\w+ed\b",
            r"(?i)\w(?:[^\n]*\S)?",
            r"(?i)\b(best|most\s+\w+)\b[^.!?\n]{0,8}\byou\b",
            r"(?i)[^\w\s]+",
            r"(?i)\B\w\b",
            r"(?i).{3}\b",
        ];
        let alphabet: Vec<char> = "ledranbyfomstuxyz LEDBY .!?\n3_\u{e9}\u{f8}\u{2014}\u{20ac}"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for p in patterns {
            let uniform = uniform_kinds(p);
            let unicode = regex::Regex::new(p).expect("compiles");
            let ascii = regex::bytes::RegexBuilder::new(p)
                .unicode(false)
                .build()
                .expect("compiles");
            for _ in 0..300 {
                let n = (next() % 40) as usize;
                let text: String = (0..n)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                let Some(s) = Shadow::new(&text) else {
                    continue;
                };
                if !s.serves(uniform) {
                    continue;
                }
                let want: Vec<Range<usize>> = unicode.find_iter(&text).map(|m| m.range()).collect();
                let got: Vec<Range<usize>> = ascii
                    .find_iter(s.text.as_bytes())
                    .map(|m| s.range(m.range()))
                    .collect();
                assert_eq!(got, want, "{p} on {text:?}");
            }
        }
    }
}
