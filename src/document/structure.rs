//! Finding the email's parts in a front-end's blocks.
//!
//! - Quoted earlier messages: `>` blocks, an "On ..., X wrote:" line (and
//!   everything after it), "-----Original Message-----" and Outlook's
//!   `From:`/`Sent:` header block.
//! - The greeting: the first line of the sender's text, if it opens with a
//!   salutation ("Dear", "Hi", "Good afternoon") or is a name followed by a
//!   comma ("John,"). A greeting that runs on into the first sentence is split.
//! - The closing: a sign-off phrase ("Best regards,") near the end, followed
//!   only by short signature lines (name, title, phone); or a name standing
//!   alone in the last block. A lone first name, with no sign-off phrase, is
//!   kept apart as `bare_name`: it is neither body nor signature.
//! - The body: everything in between, one paragraph per block.

use super::headers::trim_span;
use super::prose::{ProseBuilder, ProseText};
use super::{Block, BlockKind, Closing, Line, Piece, PieceKind, SyntaxProblem, Vocabulary};
use crate::span::Span;

/// The parts found, as lines of the original blocks.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub greeting: Option<Line>,
    pub paragraphs: Vec<Vec<Line>>,
    pub valediction: Vec<Line>,
    pub signature: Vec<Line>,
    pub closing: Option<Closing>,
    pub quoted: Vec<Span>,
    pub sender_end: usize,
    pub problems: Vec<SyntaxProblem>,
}

/// A sender's line with the block it came from.
struct SLine {
    block: usize,
    line: Line,
    text: ProseText,
}

impl SLine {
    fn new(source: &str, block: usize, line: Line) -> SLine {
        let mut b = ProseBuilder::new();
        for p in &line.pieces {
            match &p.kind {
                PieceKind::Source => b.push_source(source, p.span),
                PieceKind::Replaced(t) => b.push_replaced(t, p.span),
                PieceKind::Opaque => b.push_replaced("\u{FFFC}", p.span),
            }
        }
        SLine {
            block,
            line,
            text: b.finish(),
        }
    }

    fn t(&self) -> &str {
        self.text.text.trim()
    }

    fn lower(&self) -> &str {
        self.text.lower.trim()
    }

    fn words(&self) -> usize {
        self.t().split_whitespace().count()
    }
}

pub(crate) fn analyze(source: &str, blocks: Vec<Block>, vocab: &Vocabulary) -> Parts {
    let mut parts = Parts::default();
    let mut lines: Vec<SLine> = Vec::new();
    let mut sig_delimiter: Option<usize> = None;
    let mut rest_is_quoted = false;
    for (bi, block) in blocks.into_iter().enumerate() {
        match block.kind {
            BlockKind::Quote => parts.quoted.push(block.span),
            BlockKind::Verbatim => {}
            BlockKind::SignatureDelimiter => {
                if !rest_is_quoted && sig_delimiter.is_none() {
                    sig_delimiter = Some(lines.len());
                }
            }
            BlockKind::Prose if rest_is_quoted => parts.quoted.push(block.span),
            BlockKind::Prose => {
                let block_lines: Vec<SLine> = block
                    .lines
                    .into_iter()
                    .map(|l| SLine::new(source, bi, l))
                    .collect();
                for (li, l) in block_lines.iter().enumerate() {
                    if starts_quoted_reply(l, block_lines.get(li + 1)) {
                        parts
                            .quoted
                            .push(Span::new(l.line.span.start, block.span.end));
                        rest_is_quoted = true;
                        break;
                    }
                }
                let keep = block_lines
                    .into_iter()
                    .take_while(|l| !parts.quoted.iter().any(|q| q.contains(l.line.span)));
                lines.extend(keep);
            }
        }
    }
    parts.sender_end = lines.last().map_or(0, |l| l.line.span.end);

    // The greeting: the first line, or the start of it.
    let mut first_body = 0;
    if let Some(first) = lines.first()
        && let Some(len) = greeting_len(first, vocab)
    {
        let cut = first.text.source_end(len);
        let (greeting, rest) = split_line(source, &first.line, cut);
        parts.greeting = Some(greeting);
        match rest {
            Some(rest) => lines[0] = SLine::new(source, lines[0].block, rest),
            None => first_body = 1,
        }
    }

    // The closing, searched for among the lines after the greeting.
    let closing_at = find_closing(source, &lines, first_body, sig_delimiter, vocab, &mut parts)
        // A `--` line above the greeting puts the closing before the body (fuzz/).
        .max(first_body);

    // The body: the lines in between, one paragraph per block.
    let mut current_block = usize::MAX;
    for l in lines.drain(first_body..closing_at) {
        if l.block != current_block {
            parts.paragraphs.push(Vec::new());
            current_block = l.block;
        }
        if let Some(p) = parts.paragraphs.last_mut() {
            p.push(l.line);
        }
    }
    parts
}

/// "On Mon, 3 Mar 2025 at 16:40, Funmi <f@x.com> wrote:" (possibly wrapped
/// onto a second line), "-----Original Message-----", an Outlook header block,
/// or a long underscore rule.
fn starts_quoted_reply(l: &SLine, next: Option<&SLine>) -> bool {
    let t = l.lower();
    let wrote = |s: &str| {
        s.ends_with("wrote:")
            || s.ends_with("wrote")
            || s.ends_with("a écrit :")
            || s.ends_with("schrieb:")
    };
    if t.starts_with("on ") && (wrote(t) || next.is_some_and(|n| wrote(n.lower()))) {
        return true;
    }
    let dashes = t.trim_matches('-').trim();
    if t.starts_with("--") && matches!(dashes, "original message" | "forwarded message") {
        return true;
    }
    if t.len() >= 10 && t.chars().all(|c| c == '_') {
        return true;
    }
    t.starts_with("from: ")
        && next.is_some_and(|n| n.lower().starts_with("sent: ") || n.lower().starts_with("date: "))
}

/// Split a line at source offset `cut`: the part before (trimmed) and the
/// rest, if any prose remains.
fn split_line(source: &str, line: &Line, cut: usize) -> (Line, Option<Line>) {
    let mut left = Vec::new();
    let mut right = Vec::new();
    for p in &line.pieces {
        if p.span.end <= cut || (p.span.start < cut && !matches!(p.kind, PieceKind::Source)) {
            left.push(p.clone());
        } else if p.span.start >= cut {
            right.push(p.clone());
        } else {
            left.push(Piece {
                span: Span::new(p.span.start, cut),
                kind: PieceKind::Source,
            });
            right.push(Piece {
                span: Span::new(cut, p.span.end),
                kind: PieceKind::Source,
            });
        }
    }
    let span_of = |pieces: &[Piece]| {
        let s = pieces
            .iter()
            .map(|p| p.span)
            .reduce(Span::cover)
            .unwrap_or_default();
        trim_span(source, s)
    };
    let left_line = Line {
        span: span_of(&left),
        pieces: left,
        item_start: line.item_start,
    };
    let right_line = (!right.is_empty() && !span_of(&right).is_empty()).then(|| Line {
        span: span_of(&right),
        pieces: right,
        item_start: false,
    });
    (left_line, right_line)
}

/// The length (in normalized bytes, untrimmed start) of the greeting at the
/// start of `l`, if it opens with one.
fn greeting_len(l: &SLine, vocab: &Vocabulary) -> Option<usize> {
    let lead = l.text.text.len() - l.text.text.trim_start().len();
    let t = l.t();
    let lower = l.lower();
    let salutation = vocab
        .salutations
        .iter()
        .filter(|s| lower.starts_with(s.as_str()) && !next_is_word_char(lower, s.len()))
        .map(String::len)
        .max();
    if let Some(sal) = salutation {
        // Up to the first delimiter, if that is near the start.
        let delim = t[sal..]
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, ',' | '!' | ':' | ';' | '\u{2014}' | '\u{2013}')
                    || (c == '-' && t[sal + i..].starts_with("- "))
                    || (c == '.' && sal + i + 1 == t.len())
            })
            .map(|(i, c)| sal + i + c.len_utf8());
        return Some(
            lead + match delim {
                Some(end) if t[..end].split_whitespace().count() <= 8 => end,
                _ if l.words() <= 6 => t.len(),
                _ => name_run_end(t, sal),
            },
        );
    }
    let bare_name = t.len() > 1
        && t.ends_with([',', '!', ':'])
        && l.words() <= 4
        && !is_valediction(&lower[..lower.len() - 1], vocab)
        && t[..t.len() - 1]
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase));
    bare_name.then_some(lead + t.len())
}

/// After a salutation with no delimiter: the salutation and the capitalised
/// words that follow it ("Hi Sam thanks for ..." gives "Hi Sam").
fn name_run_end(t: &str, sal: usize) -> usize {
    let mut end = sal;
    let mut pos = sal;
    for word in t[sal..].split(' ') {
        let start = pos;
        pos += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        if !word.starts_with(char::is_uppercase) {
            break;
        }
        end = start + word.len();
    }
    end
}

fn next_is_word_char(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Is `lower` (lowercase, trailing punctuation allowed) a sign-off phrase?
fn is_valediction(lower: &str, vocab: &Vocabulary) -> bool {
    let core = lower.trim_end_matches([',', '!', '.', ' ', '\u{2026}']);
    vocab.valedictions.iter().any(|v| v == core)
}

/// How a line can serve as a sign-off.
enum Valediction {
    No,
    /// The whole line is a sign-off phrase.
    Line,
    /// "Best, Sam": a sign-off phrase, then the name from this source offset.
    WithName(usize),
}

fn valediction(l: &SLine, vocab: &Vocabulary) -> Valediction {
    let t = l.t();
    if t.ends_with('.') || t.ends_with('?') {
        return Valediction::No;
    }
    if is_valediction(l.lower(), vocab) {
        return Valediction::Line;
    }
    // "Best regards, Jane Doe" / "Thanks! -Sam"
    let lower = l.lower();
    let lead = l.text.text.len() - l.text.text.trim_start().len();
    for v in &vocab.valedictions {
        if let Some(rest) = lower.strip_prefix(v.as_str()) {
            let sep = rest.len()
                - rest
                    .trim_start_matches([',', '!', ' ', '-', '\u{2014}', '\u{2013}'])
                    .len();
            if sep > 0
                && rest.starts_with([',', '!', ' '])
                && name_like(&t[t.len() - rest.len() + sep..], vocab)
            {
                return Valediction::WithName(l.text.source_start(lead + v.len() + sep));
            }
        }
    }
    Valediction::No
}

/// A line that can stand in a signature block: short, or contact details.
fn signature_like(l: &SLine) -> bool {
    let t = l.t();
    let contact =
        t.contains('@') || t.contains("://") || t.chars().filter(char::is_ascii_digit).count() >= 7;
    if contact {
        return true;
    }
    let words = l.words();
    // A sentence ending in a full stop is prose, unless short or a suffix.
    let prose_stop = t.ends_with('.') && words > 3 && !t.ends_with("Jr.") && !t.ends_with("Sr.");
    words <= 8 && !t.ends_with('?') && !prose_stop
}

/// Looks like a person's name: 1 to 5 words, capitalised (particles such as
/// "van" or "de" aside), optionally followed by ", credentials".
fn name_like(t: &str, vocab: &Vocabulary) -> bool {
    let name = t.trim_start_matches(['-', '\u{2014}', '\u{2013}', ' ']);
    let name = name.split(',').next().unwrap_or("").trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && words[0].starts_with(char::is_uppercase)
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) || vocab.name_particles.contains(*w))
        && !name.ends_with(['.', '!', '?', ':'])
}

/// Find the closing and fill in `parts`; returns the index of the first
/// closing line (or `lines.len()` if there is none).
fn find_closing(
    source: &str,
    lines: &[SLine],
    first_body: usize,
    sig_delimiter: Option<usize>,
    vocab: &Vocabulary,
    parts: &mut Parts,
) -> usize {
    let n = lines.len();
    let end = sig_delimiter.unwrap_or(n);
    // The latest sign-off phrase followed only by signature lines.
    let search_from = end.saturating_sub(8).max(first_body);
    let mut found: Option<(usize, Valediction)> = None;
    for i in (search_from..end).rev() {
        let after_ok = lines[i + 1..end].len() <= 6 && lines[i + 1..end].iter().all(signature_like);
        if !after_ok {
            break;
        }
        match valediction(&lines[i], vocab) {
            Valediction::No => {
                if generic_valediction(lines, i, end, vocab) {
                    found = Some((i, Valediction::Line));
                    break;
                }
            }
            v => {
                found = Some((i, v));
                break;
            }
        }
    }
    let closing_at;
    match found {
        Some((i, v)) => {
            // "Thanking you,\nYours faithfully,": consecutive sign-off lines.
            let mut first = i;
            while first > first_body
                && lines[first - 1].block == lines[first].block
                && lines[first - 1].t().ends_with(',')
                && is_valediction(lines[first - 1].lower(), vocab)
            {
                first -= 1;
            }
            closing_at = first;
            parts
                .valediction
                .extend(lines[first..i].iter().map(|l| l.line.clone()));
            match v {
                Valediction::WithName(cut) => {
                    let (val, name) = split_line(source, &lines[i].line, cut);
                    parts.valediction.push(val);
                    parts.signature.extend(name);
                }
                _ => parts.valediction.push(lines[i].line.clone()),
            }
            parts
                .signature
                .extend(lines[i + 1..n].iter().map(|l| l.line.clone()));
        }
        None if sig_delimiter.is_some() => {
            closing_at = end;
            parts
                .signature
                .extend(lines[end..n].iter().map(|l| l.line.clone()));
        }
        None => {
            // A name alone in the last block.
            let last_block = lines.last().map(|l| l.block);
            let start = lines
                .iter()
                .rposition(|l| Some(l.block) != last_block)
                .map_or(0, |p| p + 1)
                .max(first_body);
            let block = &lines[start..];
            let is_signature = start > first_body
                && !block.is_empty()
                && block.len() <= 4
                && block.iter().all(signature_like)
                && name_like(block[0].t(), vocab)
                && !is_valediction(block[0].lower(), vocab);
            if !is_signature {
                return n;
            }
            closing_at = start;
            if block[0]
                .t()
                .split(',')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .count()
                >= vocab.bare_signature_min_words
            {
                parts.signature.extend(block.iter().map(|l| l.line.clone()));
            } else {
                let span = block[0].line.span;
                parts.closing = Some(Closing {
                    span: block.iter().map(|l| l.line.span).fold(span, Span::cover),
                    valediction: None,
                    signature: None,
                    bare_name: Some(span),
                });
                return closing_at;
            }
        }
    }
    let cover = |ls: &[Line]| ls.iter().map(|l| l.span).reduce(Span::cover);
    let valediction = cover(&parts.valediction);
    let signature = cover(&parts.signature);
    let span = match (valediction, signature) {
        (Some(v), Some(s)) => v.cover(s),
        (v, s) => v.or(s).unwrap_or_default(),
    };
    parts.closing = Some(Closing {
        span,
        valediction,
        signature,
        bare_name: None,
    });
    closing_at
}

/// A sign-off phrase emaillint does not know ("Is mise le meas,"): a short
/// line ending in a comma, starting its own block or following a finished
/// sentence, and followed by a name.
fn generic_valediction(lines: &[SLine], i: usize, end: usize, vocab: &Vocabulary) -> bool {
    let l = &lines[i];
    let starts_block =
        i == 0 || lines[i - 1].block != l.block || lines[i - 1].t().ends_with(['.', '!', '?']);
    starts_block
        && l.t().ends_with(',')
        && l.words() <= 5
        && l.t().starts_with(char::is_uppercase)
        && i + 1 < end
        && name_like(lines[i + 1].t(), vocab)
}
