//! What comes before the prose: a `Subject:` line, `.eml` headers, or YAML
//! front matter in a Markdown (or plain-text) draft.

use super::{Format, SyntaxProblem};
use crate::source::lines_from;
use crate::span::Span;
use crate::yaml::{self, SpanIndex};

/// A `Name: value` header line.
#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub name_span: Span,
    /// The value, trimmed; continuation lines of a folded header included.
    pub value: Span,
}

/// The subject, wherever it came from.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The subject text's bytes (without `Subject:` or quotes).
    pub value: Span,
    /// Set when the source bytes are not the text itself (a YAML escape).
    pub decoded: Option<String>,
}

/// YAML front matter between `---` lines at the top of the draft, read
/// once into the settings a draft may carry. Nothing past the document
/// layer sees YAML: what a key holds is typed here, and whether a value is
/// usable (a date that is not a date) is judged by whoever uses it.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// The whole block, fences included.
    pub span: Span,
    /// `interview:`, the interview date for the timing rules.
    pub interview: Option<Field<Option<String>>>,
    /// `date:`, when the email is sent.
    pub date: Option<Field<Option<String>>>,
    /// `variables:`, a list of placeholder names (or a mapping, whose keys
    /// are the names); `None` inside when it is neither.
    pub variables: Option<Field<Option<Vec<String>>>>,
    /// `emaillint:`, settings for emaillint itself.
    pub emaillint: Option<Field<EmaillintMeta>>,
}

/// A top-level front-matter value: what it holds, and where (`None` when
/// the span index could not place it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    pub value: T,
    pub span: Option<Span>,
}

/// Front matter's `emaillint:` value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmaillintMeta {
    /// It is a mapping (anything else is a mistake).
    pub is_mapping: bool,
    /// Keys that are not emaillint settings, with the key's span.
    pub unknown_keys: Vec<(String, Option<Span>)>,
    /// `disable:`, rules turned off for this draft.
    pub disable: Option<Disable>,
}

/// Front matter's `emaillint: {disable: [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disable {
    pub span: Option<Span>,
    /// It is a list of strings, as it should be.
    pub well_formed: bool,
    /// The scalar items of the list (empty when it is not a list), each
    /// with its span.
    pub ids: Vec<(String, Option<Span>)>,
}

/// The keys front matter's `emaillint:` mapping may have.
pub const EMAILLINT_KEYS: &[&str] = &["disable"];

#[derive(Debug, Clone, Default)]
pub struct Headers {
    pub subject: Option<Subject>,
    pub fields: Vec<Header>,
    pub front_matter: Option<FrontMatter>,
    /// In an `.eml` stored as-is: where the `text/plain` part ends (the
    /// prose starts where [`parse`] says). `None`: the draft runs to the end.
    pub body_end: Option<usize>,
}

impl Headers {
    /// The first header called `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Header> {
        self.fields
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }
}

/// Header names recognised at the top of a plain-text draft.
const TEXT_HEADERS: &[&str] = &[
    "subject", "subj", "to", "from", "cc", "bcc", "date", "sent", "reply-to",
];

/// Trim Unicode whitespace (no-break spaces included) off both ends of a span.
pub(crate) fn trim_span(source: &str, span: Span) -> Span {
    let s = &source[span.range()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    Span::new(span.start + lead, span.start + lead + trimmed.len())
}

/// Parse the head of the draft. Returns the headers, the offset where the
/// prose starts, and any problems found.
pub fn parse(source: &str, format: Format) -> (Headers, usize, Vec<SyntaxProblem>) {
    let mut headers = Headers::default();
    let mut problems = Vec::new();
    let mut start = if source.starts_with('\u{FEFF}') { 3 } else { 0 };
    if format != Format::Email
        && let Some((fm, subject, end)) = front_matter(source, start, &mut problems)
    {
        headers.subject = subject;
        headers.front_matter = Some(fm);
        start = end;
    }
    if headers.front_matter.is_none() {
        start = header_lines(source, start, format, &mut headers, &mut problems);
        if headers.subject.is_none()
            && let Some(h) = headers.get("subject").or_else(|| headers.get("subj"))
        {
            headers.subject = Some(Subject {
                value: h.value,
                decoded: None,
            });
        }
    }
    (headers, start, problems)
}

fn header_lines(
    source: &str,
    start: usize,
    format: Format,
    headers: &mut Headers,
    problems: &mut Vec<SyntaxProblem>,
) -> usize {
    let name_re = |line: &str| -> Option<usize> {
        let colon = line.find(':')?;
        let name = &line[..colon];
        let valid = !name.is_empty()
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let known =
            format == Format::Email || TEXT_HEADERS.contains(&name.to_ascii_lowercase().as_str());
        (valid && known).then_some(colon)
    };
    let mut body_start = start;
    for (span, next) in lines_from(source, start) {
        let line = &source[span.range()];
        if line.trim().is_empty() {
            if format == Format::Email || !headers.fields.is_empty() {
                body_start = next;
            }
            break;
        }
        if line.starts_with([' ', '\t']) && format == Format::Email {
            if let Some(last) = headers.fields.last_mut() {
                last.value = last.value.cover(trim_span(source, span));
                body_start = next;
                continue;
            }
        }
        let Some(colon) = name_re(line) else { break };
        let value = trim_span(source, Span::new(span.start + colon + 1, span.end));
        headers.fields.push(Header {
            name: line[..colon].to_string(),
            name_span: Span::new(span.start, span.start + colon),
            value,
        });
        body_start = next;
    }
    if format == Format::Email {
        match super::email::locate(source) {
            Some(located) => {
                body_start = located.body.start.max(start);
                headers.body_end = Some(located.body.end.max(body_start));
                if let Some(text) = located.subject
                    && let Some(h) = headers.get("subject")
                {
                    headers.subject = Some(Subject {
                        value: h.value,
                        decoded: Some(text),
                    });
                }
            }
            None => unsupported(source, headers, problems),
        }
    }
    body_start
}

/// An `.eml` whose body is not stored as-is, given as its raw text (an
/// editor's buffer; the command line decodes it first, with
/// [`super::email::prepare`]): the body is read as plain text, and the
/// encoding named.
fn unsupported(source: &str, headers: &Headers, problems: &mut Vec<SyntaxProblem>) {
    for h in &headers.fields {
        let v = source[h.value.range()].to_ascii_lowercase();
        let encoded = match h.name.to_ascii_lowercase().as_str() {
            "content-transfer-encoding" => v.contains("base64") || v.contains("quoted-printable"),
            "content-type" => v.starts_with("multipart/") || v.starts_with("text/html"),
            _ => false,
        };
        if encoded {
            problems.push(SyntaxProblem {
                span: h.value,
                message: format!(
                    "`{}: {}`: the encoded body is read as plain text here (`emaillint FILE` lints it decoded)",
                    h.name,
                    &source[h.value.range()]
                ),
            });
        }
    }
}

/// Front matter: `---` on the first line, YAML, then `---` or `...`.
/// Returns it with the subject it gives, and where the prose starts.
fn front_matter(
    source: &str,
    start: usize,
    problems: &mut Vec<SyntaxProblem>,
) -> Option<(FrontMatter, Option<Subject>, usize)> {
    let mut lines = lines_from(source, start);
    let (first, yaml_start) = lines.next()?;
    if source[first.range()].trim_end() != "---" {
        return None;
    }
    let (close, end) =
        lines.find(|(span, _)| matches!(source[span.range()].trim_end(), "---" | "..."))?;
    let yaml_text = &source[yaml_start..close.start];
    let mut fm = FrontMatter {
        span: Span::new(first.start, close.end),
        interview: None,
        date: None,
        variables: None,
        emaillint: None,
    };
    let mut map = serde_yaml::Mapping::new();
    if !yaml_text.trim().is_empty() {
        match yaml::value_from_str(yaml_text) {
            Ok(serde_yaml::Value::Mapping(m)) => map = m,
            Ok(serde_yaml::Value::Null) => {}
            Ok(_) => problems.push(SyntaxProblem {
                span: Span::new(yaml_start, close.start),
                message: "front matter must be a YAML mapping of `key: value` lines".into(),
            }),
            Err(e) => problems.push(SyntaxProblem {
                span: e.span.map_or(Span::new(yaml_start, close.start), |s| {
                    Span::new(s.start + yaml_start, s.end + yaml_start)
                }),
                message: format!("front matter is not valid YAML: {}", e.message),
            }),
        }
    }
    if map.is_empty() {
        return Some((fm, None, end));
    }
    let index = SpanIndex::build(yaml_text);
    let shift = |s: Span| Span::new(s.start + yaml_start, s.end + yaml_start);
    let value_span = |path: &str| index.value(path).map(shift);
    let key_span = |path: &str| index.key(path).map(shift);
    let scalar = |key: &str| {
        map.get(key).map(|v| Field {
            value: yaml::scalar_string(v),
            span: value_span(key),
        })
    };
    fm.interview = scalar("interview");
    fm.date = scalar("date");
    fm.variables = map.get("variables").map(|v| Field {
        value: match v {
            serde_yaml::Value::Sequence(items) => items.iter().map(yaml::scalar_string).collect(),
            // `variables: {name: Sam}`: the keys are the names.
            serde_yaml::Value::Mapping(m) => m.keys().map(yaml::scalar_string).collect(),
            _ => None,
        },
        span: value_span("variables"),
    });
    fm.emaillint = map.get("emaillint").map(|v| {
        let mut meta = EmaillintMeta::default();
        if let serde_yaml::Value::Mapping(m) = v {
            meta.is_mapping = true;
            for (k, v) in m {
                let key = yaml::scalar_string(k).unwrap_or_default();
                let path = format!("emaillint.{key}");
                if !EMAILLINT_KEYS.contains(&key.as_str()) {
                    meta.unknown_keys.push((key, key_span(&path)));
                    continue;
                }
                let mut disable = Disable {
                    span: value_span(&path),
                    ..Disable::default()
                };
                if let serde_yaml::Value::Sequence(items) = v {
                    disable.well_formed = items
                        .iter()
                        .all(|i| matches!(i, serde_yaml::Value::String(_)));
                    disable.ids = items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| {
                            Some((yaml::scalar_string(v)?, value_span(&format!("{path}[{i}]"))))
                        })
                        .collect();
                }
                meta.disable = Some(disable);
            }
        }
        Field {
            value: meta,
            span: value_span("emaillint"),
        }
    });
    let subject = fm_subject(source, &map, value_span);
    Some((fm, subject, end))
}

fn fm_subject(
    source: &str,
    map: &serde_yaml::Mapping,
    value_span: impl Fn(&str) -> Option<Span>,
) -> Option<Subject> {
    let key = ["subject", "Subject", "title"]
        .into_iter()
        .find(|k| map.get(k).is_some())?;
    let text = yaml::scalar_string(map.get(key)?)?;
    let mut span = value_span(key)?;
    let raw = &source[span.range()];
    let quoted = raw.len() >= 2
        && ((raw.starts_with('"') && raw.ends_with('"'))
            || (raw.starts_with('\'') && raw.ends_with('\'')));
    if quoted {
        span = Span::new(span.start + 1, span.end - 1);
    }
    let span = trim_span(source, span);
    let decoded = (source[span.range()] != *text.trim()).then(|| text.trim().to_string());
    Some(Subject {
        value: span,
        decoded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_line_with_no_break_space() {
        let src = "Subject:\u{00A0}Jane Doe Interview\r\n\r\nDear Mrs. Jones,\r\n";
        let (h, start, _) = parse(src, Format::Text);
        let s = h.subject.unwrap();
        assert_eq!(&src[s.value.range()], "Jane Doe Interview");
        // The body starts after the header block and the blank line under it.
        assert_eq!(&src[start..], "Dear Mrs. Jones,\r\n");
    }

    #[test]
    fn subject_word_in_prose_is_not_a_header() {
        let (h, start, _) = parse(
            "Subject to your availability, I'd like to meet.\n",
            Format::Text,
        );
        assert!(h.subject.is_none());
        assert_eq!(start, 0);
    }

    #[test]
    fn front_matter_subject_with_quotes() {
        let src = "---\nsubject: \"Second interview \u{2013} {{role}}\"\ninterview: 2026-03-02\n---\n\nHi,\n";
        let (h, _, problems) = parse(src, Format::Markdown);
        assert!(problems.is_empty());
        let s = h.subject.unwrap();
        assert_eq!(&src[s.value.range()], "Second interview \u{2013} {{role}}");
        assert!(s.decoded.is_none());
    }

    #[test]
    fn broken_front_matter_is_a_problem_not_a_panic() {
        let src = "---\nsubject: [unclosed\n---\nHi\n";
        let (h, _, problems) = parse(src, Format::Markdown);
        assert!(h.subject.is_none());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("front matter"));
    }

    #[test]
    fn eml_headers_fold_and_flag_encodings() {
        let src = "From: a@b.c\r\nSubject: Second\r\n chance\r\nContent-Transfer-Encoding: base64\r\n\r\nHi\r\n";
        let (h, start, problems) = parse(src, Format::Email);
        assert_eq!(&src[h.subject.unwrap().value.range()], "Second\r\n chance");
        assert_eq!(&src[start..], "Hi\r\n");
        assert_eq!(problems.len(), 1);
    }
}
