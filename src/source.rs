//! Reading drafts: bytes to text, and byte offsets to line/column.

use crate::span::Span;
use std::borrow::Cow;
use std::sync::OnceLock;
use thiserror::Error;

/// Why a file's bytes could not be read as a draft.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("looks like a binary file (it contains a NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("is UTF-16 encoded ({endian} byte order mark); save it as UTF-8")]
    Utf16 { endian: &'static str },
    #[error(
        "is not valid UTF-8: byte 0x{byte:02X} at line {line}, column {column} (offset {offset}); save it as UTF-8"
    )]
    InvalidUtf8 {
        offset: usize,
        line: usize,
        column: usize,
        byte: u8,
    },
}

/// Turn raw bytes into text without changing a single byte: the UTF-8 BOM,
/// CRLF line endings and everything else stay, so that every span is a span
/// of the original file.
pub fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(DecodeError::Utf16 {
            endian: "little-endian",
        });
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16 {
            endian: "big-endian",
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..offset];
        let line = break_ends(before).count() + 1;
        let line_start = break_ends(before).last().unwrap_or(0);
        // `before` is valid UTF-8 by construction.
        let column =
            std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) + 1;
        DecodeError::InvalidUtf8 {
            offset,
            line,
            column,
            byte: bytes[offset],
        }
    })
}

/// The lines of `text` from byte `start`: each line's span without its line
/// ending, and the offset where the next line starts. `\n`, `\r\n` and a
/// lone `\r` (old Mac files, some web forms) all end a line.
pub fn lines_from(text: &str, start: usize) -> impl Iterator<Item = (Span, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = start.min(text.len());
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let line_start = pos;
        let end = bytes[pos..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| pos + i);
        pos = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        Some((Span::new(line_start, end), pos))
    })
}

/// Offsets where a line starts after a line break (`\n`, `\r\n` or `\r`).
fn break_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    // memchr skips the bytes between line breaks a vector at a time (the
    // built-in rule files are ~100 KB, indexed at every start).
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(|i| match bytes[i] {
        b'\r' if bytes.get(i + 1) == Some(&b'\n') => None,
        _ => Some(i + 1),
    })
}

/// The line ending a text uses (its first one), for inserted lines; `\n` if
/// it has none.
pub fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']).map(|i| &text.as_bytes()[i..]) {
        Some([b'\r', b'\n', ..]) => "\r\n",
        Some([b'\r', ..]) => "\r",
        _ => "\n",
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, the same
/// way codespan-reporting does, so human and JSON output agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A draft (or rule file) held in memory with its line index.
///
/// The text of a built-in rule file is borrowed from the binary, and its
/// line index is built only when a line is asked for: at start-up nothing
/// is copied or scanned for a file that no diagnostic points into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: Cow<'static, str>,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Cow<'static, str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// The byte offset of each line's start.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(break_ends(self.text.as_bytes()))
                .collect()
        })
    }

    /// 0-based index of the line holding `byte`.
    pub fn line_index(&self, byte: usize) -> usize {
        match self.line_starts().binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of 0-based line `index`, including its line ending.
    pub fn line_range(&self, index: usize) -> Option<std::ops::Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).copied().unwrap_or(self.text.len());
        Some(start..end)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    pub fn line_col(&self, byte: usize) -> LineCol {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let line = self.line_index(byte);
        let start = self.line_starts()[line];
        LineCol {
            line: line + 1,
            column: self.text[start..byte].chars().count() + 1,
        }
    }

    /// 0-based line and UTF-16 code unit column, as the Language Server
    /// Protocol counts them.
    pub fn utf16_position(&self, byte: usize) -> (u32, u32) {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let line = self.line_index(byte);
        let start = self.line_starts()[line];
        let col: usize = self.text[start..byte].chars().map(char::len_utf16).sum();
        (line as u32, col as u32)
    }

    /// The byte offset of a 0-based line and UTF-16 column (LSP positions).
    pub fn offset_of_utf16(&self, line: u32, col: u32) -> usize {
        let Some(range) = self.line_range(line as usize) else {
            return self.text.len();
        };
        let mut units = 0u32;
        for (i, c) in self.text[range.clone()].char_indices() {
            if units >= col || c == '\n' || c == '\r' {
                return range.start + i;
            }
            units += c.len_utf16() as u32;
        }
        range.end
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    fn floor_char_boundary(&self, mut byte: usize) -> usize {
        while byte > 0 && !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }
}

/// Lets codespan-reporting render diagnostics over a `SourceFile`.
impl<'a> codespan_reporting::files::Files<'a> for SourceFile {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: (), byte: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(SourceFile::line_index(self, byte))
    }

    fn line_range(
        &'a self,
        _: (),
        index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        SourceFile::line_range(self, index).ok_or(codespan_reporting::files::Error::LineTooLarge {
            given: index,
            max: self.line_starts().len().saturating_sub(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_bom_and_crlf_bytes() {
        let text = decode(b"\xEF\xBB\xBFHi\r\n".to_vec()).unwrap();
        assert_eq!(text.as_bytes(), b"\xEF\xBB\xBFHi\r\n");
    }

    #[test]
    fn reports_invalid_utf8_position() {
        let err = decode(b"ok\nab\xFFc".to_vec()).unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidUtf8 {
                offset: 5,
                line: 2,
                column: 3,
                byte: 0xFF
            }
        );
    }

    #[test]
    fn detects_binary_and_utf16() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00".to_vec()),
            Err(DecodeError::Binary { offset: 4 })
        ));
        assert!(matches!(
            decode(b"\xFF\xFEH\x00".to_vec()),
            Err(DecodeError::Utf16 { .. })
        ));
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        let text = "a\nb\r\nc\rd\r\re";
        let lines: Vec<&str> = lines_from(text, 0).map(|(s, _)| &text[s.range()]).collect();
        assert_eq!(lines, vec!["a", "b", "c", "d", "", "e"]);
        let f = SourceFile::new("t", text);
        assert_eq!(f.line_count(), 6);
        assert_eq!(f.line_col(text.find('e').unwrap()).line, 6);
    }

    #[test]
    fn columns_count_chars_and_utf16_units() {
        let f = SourceFile::new("t", "a\n\u{1F64F}x\r\n");
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), LineCol { line: 2, column: 2 });
        assert_eq!(f.utf16_position(x), (1, 2));
        assert_eq!(f.offset_of_utf16(1, 2), x);
        assert_eq!(f.offset_of_utf16(1, 99), x + 1);
    }
}
