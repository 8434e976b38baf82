//! The document model: a draft's parts, each with its byte span.
//!
//! Parsing runs in three steps:
//! 1. a front-end (`text.rs`, `markdown.rs`, `headers.rs` for subject lines,
//!    `.eml` headers and YAML front matter) turns bytes into [`Block`]s of
//!    [`Line`]s of prose pieces, each piece a source span;
//! 2. `structure.rs` finds the email's parts in those lines: greeting, body
//!    paragraphs, sign-off, signature, quoted earlier messages;
//! 3. `prose.rs` lays the parts out as one normalized text with a map back to
//!    source bytes, and `sentences.rs` splits it into sentences and words.
//!
//! Rules only ever see step 3; quoted text, code and HTML never get there.

pub mod email;
pub mod headers;
mod markdown;
pub mod prose;
pub mod sentences;
mod structure;
mod text;

use crate::span::Span;
use prose::{ProseBuilder, ProseText};
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;

/// How a draft is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text; a first line `Subject: ...` gives the subject.
    Text,
    /// CommonMark; YAML front matter may give `subject:`.
    Markdown,
    /// An RFC 5322 / MIME message (`.eml`): headers, then the `text/plain`
    /// part (or the text of an HTML-only message).
    Email,
}

impl Format {
    /// The format a path's extension implies; plain text for anything else.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            Some("eml") => Format::Email,
            _ => Format::Text,
        }
    }
}

/// Read a draft's bytes as `format`: an `.eml` is decoded when its body is
/// not stored as-is ([`email::prepare`]); anything else must be UTF-8, and
/// keeps every byte ([`crate::source::decode`]).
pub fn prepare(
    bytes: Vec<u8>,
    format: Format,
) -> Result<email::Prepared, crate::source::DecodeError> {
    match format {
        Format::Email => email::prepare(bytes),
        _ => crate::source::decode(bytes).map(|text| email::Prepared {
            text,
            decoded: None,
        }),
    }
}

/// The words that shape an email's frame, loaded from the rule pack's
/// `structure:` section so that users can teach emaillint new ones.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Opening words of a greeting line ("dear", "good afternoon"), lowercase.
    pub salutations: Vec<String>,
    /// Sign-off phrases ("best regards", "thanks again"), lowercase.
    pub valedictions: Vec<String>,
    /// Abbreviations whose full stop does not end a sentence ("mr", "e.g").
    pub abbreviations: HashSet<String>,
    /// Lowercase words that may appear inside a person's name ("van", "de").
    pub name_particles: HashSet<String>,
    /// A name standing alone at the end, with no sign-off phrase above it,
    /// counts as a signature only with at least this many words.
    pub bare_signature_min_words: usize,
    /// Words joining a greeting's addressees ("Dear Sir, or Madam").
    pub greeting_joiners: HashSet<String>,
    /// Forms of address that start a name ("mr", "dr"), without full stop.
    pub titles: HashSet<String>,
    /// Words that open a sentence with a comma but are not a name.
    pub not_vocatives: HashSet<String>,
    /// Word endings of openers that are not names ("-ately": "Unfortunately").
    pub not_vocative_endings: Vec<String>,
    /// Labels of reference lines under the greeting ("re", "sub").
    pub reference_labels: Vec<String>,
    /// Markers that start a postscript ("p.s", "ps"), without final full stop.
    pub postscripts: Vec<String>,
    /// Lines above the sign-off phrase that belong to it ("thanking you").
    pub closing_formulas: Vec<String>,
    /// Words that make a bracketed slot stand for a name ("name", "sender").
    pub name_slot_words: HashSet<String>,
    /// Words a sentence never ends on ("to", "the"): a paragraph ending on
    /// one, followed by one that starts in lowercase, is one paragraph cut
    /// by a stray blank line.
    pub unfinished_endings: HashSet<String>,
}

/// One piece of prose on a line.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub span: Span,
    pub kind: PieceKind,
}

#[derive(Debug, Clone)]
pub(crate) enum PieceKind {
    /// The source bytes themselves.
    Source,
    /// Decoded text standing for the span (a Markdown escape or entity).
    Replaced(String),
    /// Not prose, but takes up a word's place (inline code).
    Opaque,
}

/// A line of prose: its pieces, in order, within `span`.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub span: Span,
    pub pieces: Vec<Piece>,
    /// The line starts a list item: a sentence always ends before it.
    pub item_start: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Prose,
    /// `>` lines or a Markdown block quote: an earlier message.
    Quote,
    /// A fenced or indented code block, or a block of raw HTML.
    Verbatim,
    /// `-- ` on its own line: what follows is the signature.
    SignatureDelimiter,
}

/// Join a prose block to the one before it when a stray blank line cut a
/// sentence in two: the first ends on a word no sentence ends on ("I hope
/// to be") and the second starts in lowercase ("working with you").
fn join_cut_paragraphs(source: &str, blocks: Vec<Block>, vocab: &Vocabulary) -> Vec<Block> {
    if vocab.unfinished_endings.is_empty() {
        return blocks;
    }
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        let cut = out.last().is_some_and(|prev| {
            let (Some(last), Some(first)) = (prev.lines.last(), b.lines.first()) else {
                return false;
            };
            let end = &source[last.span.range()];
            let last_word = end
                .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
                .next()
                .unwrap_or("");
            prev.kind == BlockKind::Prose
                && b.kind == BlockKind::Prose
                && !first.item_start
                && end.ends_with(|c: char| c.is_alphabetic())
                && vocab
                    .unfinished_endings
                    .contains(&prose::lowercase(last_word))
                && source[first.span.range()].starts_with(|c: char| c.is_lowercase())
        });
        match out.last_mut() {
            Some(prev) if cut => {
                prev.span = prev.span.cover(b.span);
                prev.lines.extend(b.lines);
            }
            _ => out.push(b),
        }
    }
    out
}

/// A paragraph-like block of a front-end's output.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: BlockKind,
    pub span: Span,
    pub lines: Vec<Line>,
}

/// Which part of the email a region of prose belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "part", content = "index")]
pub enum Part {
    Subject,
    /// The letter's heading: address lines and a date above the greeting,
    /// reference lines ("RE: ...") under it.
    Heading,
    Greeting,
    /// A body paragraph, numbered from 0.
    Paragraph(usize),
    /// The sign-off phrase: "Best regards,".
    Valediction,
    /// The name and anything under it.
    Signature,
}

/// A part of the email, as a range of the normalized prose text.
#[derive(Debug, Clone)]
pub struct Region {
    pub part: Part,
    pub virt: Range<usize>,
    pub span: Span,
    /// Indices into `Document::sentences`.
    pub sentences: Range<usize>,
    /// Indices into `Document::words`.
    pub words: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub virt: Range<usize>,
    pub region: usize,
    pub words: Range<usize>,
}

/// The sign-off block at the end of the sender's text.
#[derive(Debug, Clone, Default)]
pub struct Closing {
    pub span: Span,
    pub valediction: Option<Span>,
    pub signature: Option<Span>,
    /// A lone first name with no sign-off phrase: not a signature.
    pub bare_name: Option<Span>,
}

/// An HTML comment in a Markdown draft, for suppression directives.
#[derive(Debug, Clone)]
pub struct Comment {
    pub span: Span,
    pub text: String,
}

/// A problem with the draft's own syntax (bad front matter, an unsupported
/// `.eml` encoding). Reported as a diagnostic; linting goes on without it.
#[derive(Debug, Clone)]
pub struct SyntaxProblem {
    pub span: Span,
    pub message: String,
}

/// A parsed draft. It owns its source text, so whatever reads a document
/// (the engine, suppression, `explain`) gets the text from it, and every
/// span in it is a byte range of [`Document::text`].
#[derive(Debug, Clone)]
pub struct Document {
    /// The whole file as read, BOM included.
    text: String,
    pub format: Format,
    pub headers: headers::Headers,
    /// The letter's heading lines (see [`Part::Heading`]).
    pub heading: Vec<Span>,
    pub greeting: Option<Span>,
    pub closing: Option<Closing>,
    /// The paragraph number of the first trailing postscript or aside ("P.S.
    /// ..."): body, but after the closing paragraph.
    pub postscript: Option<usize>,
    /// Quoted earlier messages: never linted.
    pub quoted: Vec<Span>,
    /// Code, raw HTML and other non-prose: never linted.
    pub verbatim: Vec<Span>,
    pub comments: Vec<Comment>,
    pub problems: Vec<SyntaxProblem>,
    pub prose: ProseText,
    pub regions: Vec<Region>,
    pub sentences: Vec<Sentence>,
    pub words: Vec<Range<usize>>,
    /// Where the sender's text ends (before any quoted reply).
    pub sender_end: usize,
}

impl Document {
    /// Parse `source` (the whole file, BOM included) as `format`.
    pub fn parse(source: &str, format: Format, vocab: &Vocabulary) -> Document {
        let (headers, body_start, mut problems) = headers::parse(source, format);
        // An email's text/plain part may end before the file does (other
        // parts, attachments): what follows it is not the draft.
        let body = headers
            .body_end
            .and_then(|end| source.get(..end))
            .unwrap_or(source);
        let (blocks, comments) = match format {
            Format::Markdown => markdown::blocks(body, body_start),
            Format::Text | Format::Email => (text::blocks(body, body_start), Vec::new()),
        };
        let blocks = join_cut_paragraphs(source, blocks, vocab);
        let verbatim = blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Verbatim)
            .map(|b| b.span)
            .collect();
        let parts = structure::analyze(body, blocks, vocab, format != Format::Markdown);
        problems.extend(parts.problems.iter().cloned());
        let mut doc = Document {
            text: source.to_string(),
            format,
            headers,
            heading: parts
                .heading
                .iter()
                .chain(&parts.references)
                .map(|l| l.span)
                .collect(),
            greeting: parts.greeting.as_ref().map(|l| l.span),
            closing: parts.closing.clone(),
            postscript: parts.postscript,
            quoted: parts.quoted.clone(),
            verbatim,
            comments,
            problems,
            prose: ProseText::default(),
            regions: Vec::new(),
            sentences: Vec::new(),
            words: Vec::new(),
            sender_end: parts.sender_end,
        };
        doc.lay_out(body, &parts, vocab);
        doc
    }

    /// Lay the parts out as one normalized text, then find sentences and words.
    fn lay_out(&mut self, source: &str, parts: &structure::Parts, vocab: &Vocabulary) {
        let mut b = ProseBuilder::with_capacity(source.len());
        let mut pending: Vec<(Part, Range<usize>, Span)> = Vec::new();
        let mut push_region = |b: &mut ProseBuilder, part: Part, lines: &[Line], hard: bool| {
            let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
                return;
            };
            if !b.is_empty() {
                let gap_start = pending.last().map_or(0, |p| p.2.end);
                b.push_separator(
                    "\n\n",
                    Span::new(gap_start, first.span.start.max(gap_start)),
                );
            }
            let start = b.len();
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    let gap = Span::new(lines[i - 1].span.end, line.span.start);
                    let sep = if hard || line.item_start { "\n" } else { " " };
                    b.push_separator(sep, gap);
                }
                for piece in &line.pieces {
                    match &piece.kind {
                        PieceKind::Source => b.push_source(source, piece.span),
                        PieceKind::Replaced(t) => b.push_replaced(t, piece.span),
                        PieceKind::Opaque => {
                            b.push_replaced(&opaque_words(source, piece.span), piece.span)
                        }
                    }
                }
            }
            let end = start + b.as_str()[start..].trim_end_matches([' ', '\n']).len();
            if end > start {
                pending.push((part, start..end, Span::new(first.span.start, last.span.end)));
            }
        };
        if let Some(subject) = &self.headers.subject {
            let kind = match &subject.decoded {
                Some(text) => PieceKind::Replaced(text.clone()),
                None => PieceKind::Source,
            };
            let line = Line {
                span: subject.value,
                pieces: vec![Piece {
                    span: subject.value,
                    kind,
                }],
                item_start: false,
            };
            push_region(&mut b, Part::Subject, &[line], false);
        }
        // The parts in source order (a postscript may follow the signature).
        let mut layout: Vec<(Part, &[Line], bool)> = vec![
            (Part::Heading, &parts.heading, true),
            (Part::Heading, &parts.references, true),
            (Part::Valediction, &parts.valediction, true),
            (Part::Signature, &parts.signature, true),
        ];
        if let Some(g) = &parts.greeting {
            layout.push((Part::Greeting, std::slice::from_ref(g), false));
        }
        for (i, para) in parts.paragraphs.iter().enumerate() {
            layout.push((Part::Paragraph(i), para, false));
        }
        layout.retain(|(_, lines, _)| !lines.is_empty());
        layout.sort_by_key(|(_, lines, _)| lines.first().map(|l| l.span.start));
        for (part, lines, hard) in layout {
            push_region(&mut b, part, lines, hard);
        }
        self.prose = b.finish();
        for (part, virt, span) in pending {
            let s0 = self.sentences.len();
            let w0 = self.words.len();
            let region = self.regions.len();
            for s in sentences::sentences(&self.prose.text, virt.clone(), &vocab.abbreviations) {
                let sw0 = self.words.len();
                self.words
                    .extend(sentences::words(&self.prose.text, s.clone()));
                self.sentences.push(Sentence {
                    virt: s,
                    region,
                    words: sw0..self.words.len(),
                });
            }
            self.regions.push(Region {
                part,
                virt,
                span,
                sentences: s0..self.sentences.len(),
                words: w0..self.words.len(),
            });
        }
    }

    /// The source text, BOM included: what every span indexes.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The body paragraphs' regions.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Region> {
        self.regions
            .iter()
            .filter(|r| matches!(r.part, Part::Paragraph(_)))
    }

    pub fn region(&self, part: Part) -> Option<&Region> {
        self.regions.iter().find(|r| r.part == part)
    }

    /// The closing paragraph: the last body paragraph before any trailing
    /// postscript or aside (the last paragraph if there is none).
    pub fn closing_paragraph(&self) -> Option<&Region> {
        let last_before_ps = self.postscript.and_then(|ps| {
            self.paragraphs()
                .filter(|r| matches!(r.part, Part::Paragraph(i) if i < ps))
                .last()
        });
        last_before_ps.or_else(|| self.paragraphs().last())
    }

    /// The span of the body, first paragraph to the closing paragraph: a
    /// postscript after it is left out, so that text inserted at the end of
    /// the body lands before the "P.S.".
    pub fn body_span(&self) -> Option<Span> {
        let first = self.paragraphs().next()?;
        let last = self.closing_paragraph().unwrap_or(first);
        Some(first.span.cover(last.span))
    }

    /// Sorted normalized start offsets of every region and sentence: word
    /// sequences (`rules::words`) never cross one.
    pub fn segment_starts(&self) -> Vec<usize> {
        let mut starts: Vec<usize> = self
            .regions
            .iter()
            .map(|r| r.virt.start)
            .chain(self.sentences.iter().map(|s| s.virt.start))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        starts
    }

    /// Number of words in the body.
    pub fn body_words(&self) -> usize {
        self.paragraphs().map(|r| r.words.len()).sum()
    }

    /// The source span of a normalized range.
    pub fn span_of(&self, virt: Range<usize>) -> Span {
        self.prose.to_source(virt)
    }
}

/// Inline code stands in prose as one opaque word per whitespace-separated
/// token, so that word counts match what a reader sees.
fn opaque_words(source: &str, span: Span) -> String {
    let n = source
        .get(span.range())
        .map_or(1, |s| s.split_whitespace().count().max(1));
    vec![sentences::OPAQUE.to_string(); n].join(" ")
}
