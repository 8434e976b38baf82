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
        for (i, c) in slice.char_indices() {
            let at = span.start + i;
            let len = c.len_utf8();
            match normalize_char(c) {
                None => self.extend_last(at + len),
                Some(' ') if self.ends_with_space() || self.text.is_empty() => {
                    self.extend_last(at + len)
                }
                Some(n) => self.push_char(n, at, len, n == c),
            }
        }
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
        if exact
            && let Some(last) = self.map.last_mut()
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
            exact,
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

    #[test]
    fn dropped_characters_are_covered() {
        let src = "a\u{200B}b";
        let p = build(src);
        assert_eq!(p.text, "ab");
        assert_eq!(p.to_source(0..2), Span::new(0, src.len()));
    }
}
