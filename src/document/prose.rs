//! The normalized prose text of a draft, with an exact map back to source bytes.
//!
//! Rules never look at raw source. They match against `text`, in which curly
//! quotes are straight, every run of whitespace (tabs, line breaks, no-break
//! spaces) is one ASCII space, and invisible characters are gone; `lower` is
//! the same text lowercased with the same byte length. Every byte of `text`
//! comes from a piece of the map, so any match converts back to the exact
//! source bytes it was found in.

use crate::span::Span;

/// One run of normalized text and the source bytes it stands for. An `exact`
/// piece is byte-for-byte the source; any other piece stands for its whole
/// source range (a curly quote, a whitespace run, a Markdown escape).
#[derive(Clone, Copy, Debug)]
struct Piece {
    virt: usize,
    virt_len: usize,
    src: usize,
    src_len: usize,
    exact: bool,
}

/// Builds normalized text piece by piece.
#[derive(Debug, Default)]
pub struct ProseBuilder {
    text: String,
    lower: String,
    map: Vec<Piece>,
}

/// A byte that is a whole character and normalizes to itself: printable
/// ASCII other than the space and the backquote (which becomes `'`).
fn is_plain(b: u8) -> bool {
    (0x21..=0x7E).contains(&b) && b != b'`'
}

/// How one source character appears in normalized text.
fn normalize_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => Some('"'),
        '\u{2010}' | '\u{2011}' => Some('-'),
        '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        c if c.is_whitespace() => Some(' '),
        c => Some(c),
    }
}

/// Lowercase without changing the UTF-8 length, so `lower` and `text` share
/// byte offsets. The rare characters whose lowercase form has another length
/// (such as U+0130) are kept as they are.
fn lower_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Lowercase `s` the way prose is lowercased (same byte length).
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().map(lower_char).collect()
}

impl ProseBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with room for `bytes` of normalized text (about the
    /// length of the source it is built from), so that a long draft's text
    /// is not copied again and again as it grows.
    pub fn with_capacity(bytes: usize) -> Self {
        ProseBuilder {
            text: String::with_capacity(bytes),
            lower: String::with_capacity(bytes),
            map: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn ends_with_space(&self) -> bool {
        self.text.ends_with([' ', '\n'])
    }

    /// Append the source bytes `span` of `source`, normalized.
    pub fn push_source(&mut self, source: &str, span: Span) {
        let Some(slice) = source.get(span.range()) else {
            return;
        };
        let bytes = slice.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // A run of printable ASCII that normalizing leaves alone (single
            // spaces between its words included) is copied in one step: it
            // is what `push_char` would make of it, byte by byte.
            if is_plain(bytes[i]) {
                let mut j = i + 1;
                loop {
                    while j < bytes.len() && is_plain(bytes[j]) {
                        j += 1;
                    }
                    if j + 1 < bytes.len() && bytes[j] == b' ' && is_plain(bytes[j + 1]) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                self.push_exact(&slice[i..j], span.start + i);
                i = j;
                continue;
            }
            let Some(c) = slice[i..].chars().next() else {
                break;
            };
            let at = span.start + i;
            let len = c.len_utf8();
            match normalize_char(c) {
                None => self.extend_last(at + len),
                Some(' ') if self.ends_with_space() || self.text.is_empty() => {
                    self.extend_last(at + len)
                }
                Some(n) => self.push_char(n, at, len, n == c),
            }
            i += len;
        }
    }

    /// Append `run`, source bytes at `at` that normalize to themselves and
    /// are ASCII, as one exact piece (merged with the one before it when
    /// they touch).
    fn push_exact(&mut self, run: &str, at: usize) {
        let virt = self.text.len();
        self.text.push_str(run);
        self.lower.push_str(run);
        self.lower[virt..].make_ascii_lowercase();
        self.extend_exact(virt, run.len(), at, run.len());
    }

    /// Append `text` (already decoded, e.g. a Markdown escape) standing for the
    /// whole source range `span`.
    pub fn push_replaced(&mut self, text: &str, span: Span) {
        let start = self.text.len();
        for c in text.chars().filter_map(normalize_char) {
            if c == ' ' && self.ends_with_space() {
                continue;
            }
            self.text.push(c);
            self.lower.push(lower_char(c));
        }
        let virt_len = self.text.len() - start;
        if virt_len > 0 {
            self.map.push(Piece {
                virt: start,
                virt_len,
                src: span.start,
                src_len: span.len(),
                exact: false,
            });
        }
    }

    /// Append a separator (space, line break, paragraph break) standing for the
    /// source range `span` between two pieces of prose.
    pub fn push_separator(&mut self, sep: &str, span: Span) {
        if sep == " " && (self.ends_with_space() || self.text.is_empty()) {
            return;
        }
        if sep != " " {
            while self.text.ends_with(' ') {
                self.text.pop();
                self.lower.pop();
                if let Some(last) = self.map.last_mut() {
                    last.virt_len -= 1;
                    if last.virt_len == 0 {
                        self.map.pop();
                    }
                }
            }
        }
        let start = self.text.len();
        self.text.push_str(sep);
        self.lower.push_str(sep);
        self.map.push(Piece {
            virt: start,
            virt_len: sep.len(),
            src: span.start,
            src_len: span.len(),
            exact: false,
        });
    }

    fn push_char(&mut self, c: char, at: usize, src_len: usize, exact: bool) {
        let virt = self.text.len();
        self.text.push(c);
        self.lower.push(lower_char(c));
        let virt_len = c.len_utf8();
        if exact {
            self.extend_exact(virt, virt_len, at, src_len);
            return;
        }
        self.map.push(Piece {
            virt,
            virt_len,
            src: at,
            src_len,
            exact,
        });
    }

    /// Record an exact piece, merged into the last one when both are exact
    /// and contiguous in source and normalized text.
    fn extend_exact(&mut self, virt: usize, virt_len: usize, at: usize, src_len: usize) {
        if let Some(last) = self.map.last_mut()
            && last.exact
            && last.src + last.src_len == at
            && last.virt + last.virt_len == virt
        {
            last.virt_len += virt_len;
            last.src_len += src_len;
            return;
        }
        self.map.push(Piece {
            virt,
            virt_len,
            src: at,
            src_len,
            exact: true,
        });
    }

    /// A dropped character (or a collapsed space) still belongs to the piece
    /// before it, so spans that end there cover it.
    fn extend_last(&mut self, src_end: usize) {
        if let Some(last) = self.map.last_mut()
            && !last.exact
            && last.src + last.src_len <= src_end
        {
            last.src_len = src_end - last.src;
        }
    }

    pub fn finish(self) -> ProseText {
        ProseText {
            text: self.text,
            lower: self.lower,
            map: self.map,
        }
    }
}

/// Normalized text plus its map to source bytes.
#[derive(Debug, Default, Clone)]
pub struct ProseText {
    pub text: String,
    pub lower: String,
    map: Vec<Piece>,
}

impl ProseText {
    fn piece_at(&self, virt: usize) -> Option<&Piece> {
        let i = self.map.partition_point(|p| p.virt <= virt);
        self.map.get(i.checked_sub(1)?)
    }

    /// The source offset where the normalized byte `virt` starts.
    pub fn source_start(&self, virt: usize) -> usize {
        match self.piece_at(virt) {
            Some(p) if p.exact => p.src + (virt - p.virt).min(p.src_len),
            Some(p) => p.src,
            None => 0,
        }
    }

    /// The source offset just past the normalized byte `virt - 1`.
    pub fn source_end(&self, virt: usize) -> usize {
        if virt == 0 {
            return self.source_start(0);
        }
        match self.piece_at(virt - 1) {
            Some(p) if p.exact => p.src + (virt - p.virt).min(p.src_len),
            Some(p) => p.src + p.src_len,
            None => 0,
        }
    }

    /// The exact source span of normalized range `range`.
    pub fn to_source(&self, range: std::ops::Range<usize>) -> Span {
        if range.is_empty() {
            let at = self.source_start(range.start);
            return Span::empty(at);
        }
        Span::new(self.source_start(range.start), self.source_end(range.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(src: &str) -> ProseText {
        let mut b = ProseBuilder::new();
        b.push_source(src, Span::new(0, src.len()));
        b.finish()
    }

    #[test]
    fn curly_quotes_and_spaces_map_back_exactly() {
        let src = "I\u{2019}d  love\u{00A0}a\tcall";
        let p = build(src);
        assert_eq!(p.text, "I'd love a call");
        let at = p.text.find("love a call").unwrap();
        let span = p.to_source(at..p.text.len());
        assert_eq!(&src[span.range()], "love\u{00A0}a\tcall");
        let q = p.text.find("'d").unwrap();
        assert_eq!(&src[p.to_source(q..q + 2).range()], "\u{2019}d");
    }

    #[test]
    fn lowercase_keeps_offsets() {
        let p = build("MALMÖ \u{0130}stanbul");
        assert_eq!(p.lower.len(), p.text.len());
        assert!(p.lower.starts_with("malmö"));
    }

    /// `push_source` as it was before runs of plain ASCII were copied
    /// whole: one character at a time.
    fn build_by_char(src: &str) -> ProseText {
        let mut b = ProseBuilder::new();
        for (at, c) in src.char_indices() {
            let len = c.len_utf8();
            match normalize_char(c) {
                None => b.extend_last(at + len),
                Some(' ') if b.ends_with_space() || b.text.is_empty() => b.extend_last(at + len),
                Some(n) => b.push_char(n, at, len, n == c),
            }
        }
        b.finish()
    }

    #[test]
    fn runs_of_plain_ascii_build_what_characters_do() {
        // Every string of up to 5 characters over an alphabet with each kind
        // of byte the fast path must stop at, and longer mixed ones.
        let alphabet = [
            'a', 'Z', ' ', '\t', '\n', '`', '\u{2019}', '\u{200B}', '\u{A0}', 'é', '.',
        ];
        let mut cases: Vec<String> = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = cases
                .iter()
                .filter(|c| c.chars().count() == cases.last().map_or(0, |l| l.chars().count()))
                .flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}")))
                .collect();
            cases.extend(longer);
        }
        cases.push(
            "Dear Ms. Park,\r\n\r\nI\u{2019}d  like a   second\tchance \u{1F642} at `it`.".into(),
        );
        for src in &cases {
            let (fast, slow) = (build(src), build_by_char(src));
            assert_eq!(fast.text, slow.text, "{src:?}");
            assert_eq!(fast.lower, slow.lower, "{src:?}");
            for a in 0..=fast.text.len() {
                for b in a..=fast.text.len() {
                    assert_eq!(
                        fast.to_source(a..b),
                        slow.to_source(a..b),
                        "{src:?} {a}..{b}"
                    );
                }
            }
        }
    }

    #[test]
    fn dropped_characters_are_covered() {
        let src = "a\u{200B}b";
        let p = build(src);
        assert_eq!(p.text, "ab");
        assert_eq!(p.to_source(0..2), Span::new(0, src.len()));
    }
}
