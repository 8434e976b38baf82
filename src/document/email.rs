//! `.eml` files: RFC 5322 and MIME, read with mail-parser.
//!
//! A saved email is linted in one of two ways:
//!
//! - **As stored.** When the text to lint is in the file byte for byte (a
//!   `text/plain` part without a transfer encoding, in UTF-8 or ASCII, alone
//!   or inside a `multipart/*`), the draft is the file itself and
//!   [`locate`] says where that part's text is: every span is a span of the
//!   file. An encoded-word subject (`=?UTF-8?Q?...?=`) is decoded in the
//!   prose, and its span is the header's value.
//! - **Decoded.** When it is not (quoted-printable or base64, another
//!   charset, only an HTML part), [`prepare`] builds a small message of its
//!   own, the *decoded text*: `Subject:` and `Date:` lines, a blank line and
//!   the decoded body. Diagnostics point into that text, and reporters say
//!   so ([`Decoded`]); the file itself is never rewritten from it.
//!
//! Attachments, other alternatives and nested messages are never linted.

use crate::source::{DecodeError, decode};
use crate::span::Span;
use mail_parser::{Encoding, Message, MessageParser, MimeHeaders, PartType};

/// Why an email's diagnostics point into its decoded text, not the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// What was decoded: "quoted-printable", "base64", "charset
    /// iso-8859-1", "HTML".
    pub encoding: String,
}

impl Decoded {
    /// A sentence for human output.
    pub fn explain(&self) -> String {
        let why = match self.encoding.as_str() {
            "HTML" => "the email has only an HTML part, so its text was extracted".to_string(),
            "headers" => "the file is not UTF-8".to_string(),
            e if e.starts_with("charset ") => format!("the body is in {}", &e["charset ".len()..]),
            e => format!("the body is stored as {e}"),
        };
        format!("{why}: lines and columns are those of the decoded text, not of the file")
    }
}

/// A draft ready to lint: its text, and whether that text is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub text: String,
    pub decoded: Option<Decoded>,
}

/// Where the text to lint is in an email stored as-is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    /// The `text/plain` part's text in the file (empty when there is none).
    pub body: Span,
    /// The subject, decoded, when the header holds encoded words.
    pub subject: Option<String>,
}

fn parse(bytes: &[u8]) -> Option<Message<'_>> {
    MessageParser::default().parse(bytes)
}

/// What the body of `msg` is, in the file or decoded.
enum Body {
    Stored(Span),
    Decoded(String, String),
}

fn body(msg: &Message<'_>, raw: &[u8]) -> Body {
    let text = msg
        .text_body
        .iter()
        .filter_map(|&id| msg.parts.get(id as usize))
        .find_map(|p| match &p.body {
            PartType::Text(t) => Some((p, t)),
            _ => None,
        });
    if let Some((part, t)) = text {
        let start = part.offset_body as usize;
        let stored = part.encoding == Encoding::None
            && raw
                .get(start..)
                .is_some_and(|r| r.starts_with(t.as_bytes()));
        if stored {
            return Body::Stored(Span::new(start, start + t.len()));
        }
        let encoding = match part.encoding {
            Encoding::QuotedPrintable => "quoted-printable".to_string(),
            Encoding::Base64 => "base64".to_string(),
            Encoding::None => format!(
                "charset {}",
                part.content_type()
                    .and_then(|c| c.attribute("charset"))
                    .unwrap_or("unknown")
                    .to_ascii_lowercase()
            ),
        };
        return Body::Decoded(t.to_string(), encoding);
    }
    match msg.body_text(0) {
        Some(t) => Body::Decoded(t.into_owned(), "HTML".into()),
        // Attachments only, or nothing: an empty body at the end of the headers.
        None => {
            let end = msg.parts.first().map_or(0, |p| p.offset_body as usize);
            Body::Stored(Span::empty(end.min(raw.len())))
        }
    }
}

/// The text/plain part of an email stored as-is, and its decoded subject.
/// `None` when `source` has no headers mail-parser can read, or when its
/// body is not stored as-is (then [`prepare`] gives the text to lint).
pub(crate) fn locate(source: &str) -> Option<Located> {
    let msg = parse(source.as_bytes())?;
    let Body::Stored(body) = body(&msg, source.as_bytes()) else {
        return None;
    };
    let subject = msg
        .header_raw("Subject")
        .filter(|raw| raw.contains("=?"))
        .and(msg.subject())
        .map(one_line);
    Some(Located { body, subject })
}

/// A header value on one line: folds and stray line breaks become spaces.
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Read an `.eml` file's bytes as a draft. The file's own text when the body
/// is stored as-is; otherwise the decoded text, with [`Decoded`] saying why.
/// A UTF-16 or binary file is refused as for any draft, and so is one that
/// is not UTF-8 and declares no charset for its text.
pub fn prepare(bytes: Vec<u8>) -> Result<Prepared, DecodeError> {
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf8 || utf16 || bytes.contains(&0) {
        let text = decode(bytes)?;
        let decoded = parse(text.as_bytes()).and_then(|msg| match body(&msg, text.as_bytes()) {
            Body::Stored(_) => None,
            Body::Decoded(body, encoding) => Some((virtual_text(&msg, &body), encoding)),
        });
        return Ok(match decoded {
            None => Prepared {
                text,
                decoded: None,
            },
            Some((text, encoding)) => Prepared {
                text,
                decoded: Some(Decoded { encoding }),
            },
        });
    }
    // Not UTF-8: a body in a charset its MIME headers declare, or 8-bit
    // bytes in the headers beside a UTF-8 body.
    let prepared = parse(&bytes).and_then(|msg| {
        let (body, encoding) = match body(&msg, &bytes) {
            Body::Stored(span) => (
                String::from_utf8_lossy(&bytes[span.range()]).into_owned(),
                "headers".to_string(),
            ),
            Body::Decoded(body, encoding) => (body, encoding),
        };
        // Undeclared 8-bit text would be guesswork: say what is wrong instead.
        (!body.contains('\u{FFFD}') && !encoding.ends_with("unknown")).then(|| Prepared {
            text: virtual_text(&msg, &body),
            decoded: Some(Decoded { encoding }),
        })
    });
    match prepared {
        Some(p) => Ok(p),
        None => decode(bytes).map(|text| Prepared {
            text,
            decoded: None,
        }),
    }
}

/// The decoded text: `Subject:` and `Date:` lines (decoded, unfolded), a
/// blank line, and the body.
fn virtual_text(msg: &Message<'_>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 128);
    if let Some(s) = msg.subject() {
        out.push_str("Subject: ");
        out.push_str(&one_line(s));
        out.push('\n');
    }
    if let Some(d) = msg.header_raw("Date") {
        out.push_str("Date: ");
        out.push_str(&one_line(d));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(body);
    out
}
