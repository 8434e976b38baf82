//! The LSP edge: byte offsets to protocol positions and back, and the
//! library's diagnostics and fixes as protocol values. Spans are byte
//! offsets everywhere else; only this file knows UTF-16.

use emaillint::diagnostic::{Applicability, Diagnostic, Severity};
use lsp_types as lsp;

/// How `Position::character` counts: UTF-16 code units (the protocol's
/// default) or bytes, when the client offers `utf-8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 if the client lists it, else UTF-16 (which every client has).
    pub fn negotiate(caps: &lsp::ClientCapabilities) -> Encoding {
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(list) if list.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// Where each line of a text starts. Lines end at `\n`, `\r\n` or a lone
/// `\r`, as the protocol (and `source::lines_from`) says.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The byte range of line `line`'s text, without its line ending.
    fn line(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let content = text[start..end].trim_end_matches(['\n', '\r']);
        (start, start + content.len())
    }

    /// The position of byte `offset` (clamped into the text, and back to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> lsp::Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(|c| enc.units(c)).sum();
        lsp::Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: emaillint::span::Span, enc: Encoding) -> lsp::Range {
        lsp::Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }

    /// The byte offset of a position. A line past the end is the end of the
    /// text; a character past the end of its line is the line's end; one
    /// inside a character (half a surrogate pair) is that character's start.
    pub fn offset(&self, text: &str, pos: lsp::Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let (start, end) = self.line(text, line);
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            let next = units + enc.units(c);
            if next > pos.character as usize {
                return start + i;
            }
            units = next;
        }
        end
    }
}

/// A file path as a `file://` URI: every byte outside the unreserved set
/// and `/` percent-encoded.
pub(crate) fn path_to_uri(path: &std::path::Path) -> Option<lsp::Uri> {
    let path = std::path::absolute(path).ok()?;
    let s = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

/// The URI of a rule or config file that is on disk (not a built-in one).
pub(crate) fn file_uri(name: &str) -> Option<lsp::Uri> {
    if name.starts_with("<builtin>") {
        return None;
    }
    path_to_uri(std::path::Path::new(name))
}

/// The path of a `file://` URI (None for any other scheme).
pub(crate) fn uri_to_path(uri: &lsp::Uri) -> Option<std::path::PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    let mut path = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    if path.len() > 2 && path.as_bytes()[2] == b':' && cfg!(windows) {
        path.remove(0);
    }
    Some(std::path::PathBuf::from(path))
}

pub(crate) fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// Where a diagnostic's text lives, for converting its spans.
pub(crate) struct Target<'a> {
    pub uri: &'a lsp::Uri,
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Target<'_> {
    pub fn range(&self, span: emaillint::span::Span) -> lsp::Range {
        self.index.range(self.text, span, self.encoding)
    }

    fn location(&self, span: emaillint::span::Span) -> lsp::Location {
        lsp::Location::new(self.uri.clone(), self.range(span))
    }
}

/// A diagnostic for the client: the rule id as `code` (with the page that
/// documents it, when there is one), the help, notes and related places as
/// related information.
pub(crate) fn diagnostic(d: &Diagnostic, at: &Target, docs: Option<&lsp::Uri>) -> lsp::Diagnostic {
    let mut related = Vec::new();
    if let Some(help) = &d.help {
        related.push(lsp::DiagnosticRelatedInformation {
            location: at.location(d.span),
            message: format!("help: {help}"),
        });
    }
    for r in &d.related {
        related.push(lsp::DiagnosticRelatedInformation {
            location: at.location(r.span),
            message: r.message.clone(),
        });
    }
    for n in &d.notes {
        related.push(lsp::DiagnosticRelatedInformation {
            location: at.location(d.span),
            message: format!("note: {n}"),
        });
    }
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({label})"));
    }
    lsp::Diagnostic {
        range: at.range(d.span),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.clone())),
        code_description: docs.map(|href| lsp::CodeDescription { href: href.clone() }),
        source: Some("emaillint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The quick fix a diagnostic's fix offers; a safe fix is the preferred one.
// `Uri` hashes and compares by its string, so as a key it never changes.
#[allow(clippy::mutable_key_type)]
pub(crate) fn code_action(
    d: &Diagnostic,
    lsp_diagnostic: lsp::Diagnostic,
    at: &Target,
) -> Option<lsp::CodeAction> {
    let fix = d.fix.as_ref()?;
    if fix.edits.is_empty() {
        return None;
    }
    let edits = fix
        .edits
        .iter()
        .map(|e| lsp::TextEdit::new(at.range(e.span), e.replacement.clone()))
        .collect();
    let changes = std::collections::HashMap::from([(at.uri.clone(), edits)]);
    Some(lsp::CodeAction {
        title: fix.message.clone(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp_diagnostic]),
        edit: Some(lsp::WorkspaceEdit::new(changes)),
        command: None,
        is_preferred: Some(fix.applicability == Applicability::Safe),
        disabled: None,
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes_and_round_trip() {
        let text = "a\r\n😀 b\rc\n";
        let ix = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(
            ix.position(text, b, Encoding::Utf16),
            lsp::Position::new(1, 3)
        );
        assert_eq!(
            ix.position(text, b, Encoding::Utf8),
            lsp::Position::new(1, 5)
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(ix.offset(text, ix.position(text, b, enc), enc), b);
        }
        let c = text.find('c').unwrap();
        assert_eq!(
            ix.position(text, c, Encoding::Utf16),
            lsp::Position::new(2, 0)
        );
        // Inside the emoji's surrogate pair: its start. Past the line: its end.
        assert_eq!(
            ix.offset(text, lsp::Position::new(1, 1), Encoding::Utf16),
            3
        );
        assert_eq!(
            ix.offset(text, lsp::Position::new(0, 99), Encoding::Utf16),
            1
        );
        assert_eq!(
            ix.offset(text, lsp::Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn file_uris_round_trip_with_spaces_and_non_ascii() {
        let path = std::path::Path::new("/tmp/my drafts/café#1.txt");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20drafts/caf%C3%A9%231.txt");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
    }
}
