//! Plain-text front-end: lines into blocks.
//!
//! Blank lines separate blocks. Lines starting with `>` are quoted text and
//! form blocks of their own. A `-- ` line is the classic signature
//! delimiter. List markers (`-`, `*`, `•`, `1.`) start a list item; the
//! marker itself is not prose, though a numbered one counts as a word.

use super::headers::trim_span;
use super::{Block, BlockKind, Line, Piece, PieceKind};
use crate::source::lines_from;
use crate::span::Span;

/// The length of a list marker (with its trailing space) at the start of `s`.
fn list_marker(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    let (_, c) = chars.next()?;
    let after = if matches!(
        c,
        '-' | '*' | '+' | '\u{2022}' | '\u{00B7}' | '\u{25E6}' | '\u{2023}'
    ) {
        c.len_utf8()
    } else if c.is_ascii_digit() {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 2 || !matches!(s.as_bytes().get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    } else {
        return None;
    };
    let rest = &s[after..];
    let ws = rest.len() - rest.trim_start().len();
    (ws > 0 && !rest.trim().is_empty()).then_some(after + ws)
}

pub(crate) fn blocks(source: &str, start: usize) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let flush = |current: &mut Option<Block>, out: &mut Vec<Block>| {
        if let Some(b) = current.take() {
            out.push(b);
        }
    };
    for (line, _) in lines_from(source, start) {
        let line_span = trim_span(source, line);
        let text = &source[line_span.range()];
        if text.is_empty() {
            flush(&mut current, &mut out);
            continue;
        }
        let kind = if text.starts_with('>') {
            BlockKind::Quote
        } else if text == "--" {
            BlockKind::SignatureDelimiter
        } else {
            BlockKind::Prose
        };
        if current.as_ref().is_some_and(|b| b.kind != kind) || kind == BlockKind::SignatureDelimiter
        {
            flush(&mut current, &mut out);
        }
        let (piece_start, item_start) = match (kind, list_marker(text)) {
            (BlockKind::Prose, Some(m)) => (line_span.start + m, true),
            _ => (line_span.start, false),
        };
        let mut pieces = Vec::with_capacity(2);
        // A list marker ("-", "1.") is list structure, not a word of the body.
        pieces.push(Piece {
            span: Span::new(piece_start, line_span.end),
            kind: PieceKind::Source,
        });
        let line = Line {
            span: line_span,
            pieces,
            item_start,
        };
        let block = current.get_or_insert_with(|| Block {
            kind,
            span: line_span,
            lines: Vec::new(),
        });
        block.span = block.span.cover(line_span);
        block.lines.push(line);
        if kind == BlockKind::SignatureDelimiter {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_quotes_and_lists() {
        let src = "Hi Sam,\r\n\r\n- one\r\n- two\r\nmore\r\n> quoted\r\n>\r\n\r\n-- \r\nSam\r\n";
        let b = blocks(src, 0);
        let kinds: Vec<_> = b.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Prose,
                BlockKind::Prose,
                BlockKind::Quote,
                BlockKind::SignatureDelimiter,
                BlockKind::Prose
            ]
        );
        let list = &b[1];
        assert_eq!(&src[list.lines[0].pieces[0].span.range()], "one");
        // A numbered marker is list structure: the item's prose starts after it.
        let b = blocks("1. one\n12) two\n", 0);
        let pieces: Vec<&str> = b[0]
            .lines
            .iter()
            .flat_map(|l| &l.pieces)
            .map(|p| &"1. one\n12) two\n"[p.span.range()])
            .collect();
        assert_eq!(pieces, vec!["one", "two"]);
        assert!(list.lines[0].item_start && list.lines[1].item_start && !list.lines[2].item_start);
    }

    #[test]
    fn markers_need_a_space() {
        assert_eq!(list_marker("- a"), Some(2));
        assert_eq!(list_marker("12. a"), Some(4));
        assert_eq!(list_marker("-a"), None);
        assert_eq!(list_marker("2024 was"), None);
        assert_eq!(list_marker("3.5 years"), None);
    }
}
