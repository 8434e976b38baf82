//! Finding the email's parts in a front-end's blocks.
//!
//! - Quoted earlier messages: `>` blocks, an "On ..., X wrote:" line (and
//!   everything after it), "-----Original Message-----" and Outlook's
//!   `From:`/`Sent:` header block.
//! - The letter's heading: short lines above the greeting (the sender's and
//!   the recipient's address, a date, slots such as `[Date]`), and reference
//!   lines right under it ("RE: ...", "Sub: ..."). Frame, not body.
//! - The greeting: a line that opens with a salutation ("Dear", "Hi", "Good
//!   afternoon"), with or without a comma, commas inside the addressee
//!   allowed ("Dear Sir, or Madam,"); or a first line that is a name and a
//!   comma ("John,"), or a name run into the first sentence ("Mr. Deshpande,
//!   I hope ..."). A greeting that runs on into the first sentence is split.
//! - The closing: a sign-off phrase ("Best regards,") near the end, followed
//!   only by short signature lines (name or a name slot such as `[Your
//!   Name]`, title, phone, email, URL); a name standing alone in the last
//!   block; or a sign-off and name at the end of the last line ("... soon.
//!   Best, Tom"). A lone first name, with no sign-off phrase, is kept apart
//!   as `bare_name` when the vocabulary asks for longer bare signatures.
//! - Postscripts: trailing paragraphs that start with "P.S." (before or
//!   after the sign-off) or a one-line aside after it. They are body; the
//!   paragraph before them is the closing paragraph.
//! - The body: everything in between, one paragraph per block.
//!
//! Every word list lives in the `structure:` section of the rule pack
//! (`rules/structure.yaml`); this file only knows the shape of a letter.

use super::headers::trim_span;
use super::prose::{ProseBuilder, ProseText};
use super::{Block, BlockKind, Closing, Line, Piece, PieceKind, SyntaxProblem, Vocabulary};
use crate::span::Span;

/// At most this many lines of a letter's heading above the greeting.
const MAX_HEADING_LINES: usize = 16;
/// A heading line (an address line, a date) has at most this many words.
const MAX_HEADING_WORDS: usize = 10;

/// The parts found, as lines of the original blocks.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    /// The letter's heading above the greeting: addresses, a date.
    pub heading: Vec<Line>,
    pub greeting: Option<Line>,
    /// Reference lines under the greeting ("RE: ...", "Sub: ...").
    pub references: Vec<Line>,
    /// Body paragraphs in source order, postscripts included.
    pub paragraphs: Vec<Vec<Line>>,
    /// Index into `paragraphs` of the first trailing postscript or aside.
    pub postscript: Option<usize>,
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
        let len = line.pieces.iter().map(|p| p.span.len()).sum();
        let mut b = ProseBuilder::with_capacity(len);
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

    /// Bytes of leading whitespace in the normalized text.
    fn lead(&self) -> usize {
        self.text.text.len() - self.text.text.trim_start().len()
    }

    fn words(&self) -> usize {
        self.t().split_whitespace().count()
    }

    /// The source offset of byte `at` of `t()`.
    fn source_at(&self, at: usize) -> usize {
        self.text.source_start(self.lead() + at)
    }

    /// The source offset just past byte `at - 1` of `t()`.
    fn source_end_at(&self, at: usize) -> usize {
        self.text.source_end(self.lead() + at)
    }
}

/// What the closing search found.
struct Found {
    /// Index of the first closing line; the body ends before it.
    at: usize,
    valediction: Vec<Line>,
    signature: Vec<Line>,
    closing: Closing,
}

/// `plain`: the blocks come from plain text, where a line break is the
/// writer's own.
pub(crate) fn analyze(source: &str, blocks: Vec<Block>, vocab: &Vocabulary, plain: bool) -> Parts {
    let mut parts = Parts::default();
    let mut lines: Vec<SLine> = Vec::new();
    let mut sig_delimiter: Option<usize> = None;
    let mut delimiter_span = Span::default();
    let mut rest_is_quoted = false;
    for (bi, block) in blocks.into_iter().enumerate() {
        match block.kind {
            BlockKind::Quote => parts.quoted.push(block.span),
            BlockKind::Verbatim => {}
            BlockKind::SignatureDelimiter => {
                if !rest_is_quoted && sig_delimiter.is_none() {
                    sig_delimiter = Some(lines.len());
                    delimiter_span = block.span;
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

    // The greeting, and the letter's heading above it.
    let mut first_body = 0;
    let lowercase_words = lowercase_words(&lines);
    if let Some((at, len)) = find_greeting(&lines, vocab, &lowercase_words) {
        parts.heading = lines[..at].iter().map(|l| l.line.clone()).collect();
        let g = &lines[at];
        let cut = g.source_end_at(len);
        let (greeting, rest) = split_line(source, &g.line, cut);
        parts.greeting = Some(greeting);
        match rest {
            Some(rest) => {
                lines[at] = SLine::new(source, lines[at].block, rest);
                first_body = at;
            }
            None => {
                first_body = at + 1;
                // "RE: ..." lines under the greeting, if a body follows.
                while first_body + 1 < lines.len() && reference_line(&lines[first_body], vocab) {
                    parts.references.push(lines[first_body].line.clone());
                    first_body += 1;
                }
            }
        }
    }

    // Trailing postscript blocks ("P.S. ..."), possibly after the sign-off.
    let mut end = lines.len();
    while let Some(start) = last_block_start(&lines[..end], first_body)
        && postscript_line(&lines[start], vocab)
    {
        end = start;
    }
    let sig_delimiter = sig_delimiter.filter(|&d| d <= end);

    // The closing, searched for among the lines after the greeting.
    // A writer who never capitalises signs "cheers, kit".
    let lower_names = !lines.iter().any(|l| l.t().chars().any(char::is_uppercase));
    let closing_in =
        |ls: &[SLine]| find_closing(source, ls, first_body, sig_delimiter, vocab, lower_names);
    let mut found = closing_in(&lines[..end]);
    if found.is_none() && end == lines.len() {
        // A one-line aside after the sign-off: "Best,\nSam\n\nI've attached my CV."
        if let Some(start) = last_block_start(&lines, first_body)
            && start + 1 == lines.len()
            && !signature_like(&lines[start])
            && let Some(f) = closing_in(&lines[..start])
            && f.closing.valediction.is_some()
            && f.closing.signature.is_some()
        {
            found = Some(f);
            end = start;
        }
    }
    if found.is_none()
        && end == lines.len()
        && let Some(last) = lines.len().checked_sub(1).filter(|&l| l >= first_body)
        && let Some((body, f)) = inline_sign_off(source, &lines[last], last, vocab, lower_names)
    {
        // "... soon. Best, Tom": the sign-off ends the last line.
        let block = lines[last].block;
        lines[last] = SLine::new(source, block, body);
        found = Some(f);
    }
    let closing_at = match found {
        Some(mut f) => {
            // The closing starts at a `-- ` line above it, so that text
            // inserted before the sign-off lands above the delimiter.
            if sig_delimiter.is_some_and(|d| d == f.at) {
                f.closing.span = f.closing.span.cover(delimiter_span);
            }
            parts.valediction = f.valediction;
            parts.signature = f.signature;
            parts.closing = Some(f.closing);
            f.at
        }
        None => end,
    }
    .max(first_body);

    // A plain-text body with no blank lines, whose every line ends a
    // sentence, was written one paragraph a line (web forms and some mail
    // clients drop blank lines).
    if plain {
        let body = &mut lines[first_body..closing_at];
        let one_block = body.windows(2).all(|w| w[0].block == w[1].block);
        let ends_sentence = |l: &SLine| {
            l.t()
                .trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}'])
                .ends_with(['.', '!', '?'])
        };
        if body.len() >= 2
            && one_block
            && body.iter().all(|l| ends_sentence(l) && !l.line.item_start)
        {
            let base = lines.iter().map(|l| l.block).max().unwrap_or(0) + 1;
            for (k, l) in lines[first_body..closing_at].iter_mut().enumerate() {
                l.block = base + k;
            }
        }
    }

    // The body: the lines in between, one paragraph per block, then any
    // postscript after the sign-off.
    let mut current_block = usize::MAX;
    let mut first_ps_line = None;
    let body = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (first_body..closing_at).contains(i) || *i >= end.max(closing_at));
    for (i, l) in body {
        if l.block != current_block {
            parts.paragraphs.push(Vec::new());
            current_block = l.block;
        }
        if i >= end && first_ps_line.is_none() {
            first_ps_line = Some(parts.paragraphs.len() - 1);
        }
        if let Some(p) = parts.paragraphs.last_mut() {
            p.push(l.line);
        }
    }
    parts.postscript = first_ps_line.or_else(|| {
        // Postscripts before the sign-off: trailing "P.S." paragraphs.
        let n = parts.paragraphs.len();
        let k = parts
            .paragraphs
            .iter()
            .rposition(|p| {
                !p.first()
                    .is_some_and(|l| line_is_postscript(source, l, vocab))
            })
            .map_or(0, |i| i + 1);
        (k < n).then_some(k)
    });
    parts
}

/// The lowercase-written words of the sender's text: a word the writer
/// writes in lowercase somewhere is a common word, not a name.
fn lowercase_words(lines: &[SLine]) -> Lowercase<'_> {
    Lowercase { lines }
}

/// The words a draft writes in lowercase. The greeting asks about a word or
/// two, so each question reads the lines for it (one substring search per
/// line) instead of every word being filed in a set first: on a 5 MB draft
/// that set was a sixth of parsing.
struct Lowercase<'a> {
    lines: &'a [SLine],
}

impl Lowercase<'_> {
    /// Is `w` a word of the lines (split at whitespace, with what is not a
    /// letter or digit trimmed from both ends) that starts in lowercase?
    fn contains(&self, w: &str) -> bool {
        let (Some(first), Some(last)) = (w.chars().next(), w.chars().next_back()) else {
            return false;
        };
        // A trimmed word starts and ends with a letter or digit, and holds
        // no whitespace.
        if !first.is_lowercase() || !last.is_alphanumeric() || w.contains(char::is_whitespace) {
            return false;
        }
        let finder = memchr::memmem::Finder::new(w);
        self.lines.iter().any(|l| {
            let t = l.t();
            // A match of a UTF-8 needle starts on a character boundary.
            finder.find_iter(t.as_bytes()).any(|at| {
                let bare = |c: &char| !c.is_alphanumeric();
                t[..at]
                    .chars()
                    .rev()
                    .take_while(|c| !c.is_whitespace())
                    .all(|c| bare(&c))
                    && t[at + w.len()..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .all(|c| bare(&c))
            })
        })
    }
}

/// The index of the first line of the last block in `lines`, if it is at or
/// after `from`.
fn last_block_start(lines: &[SLine], from: usize) -> Option<usize> {
    let last = lines.last()?.block;
    let start = lines
        .iter()
        .rposition(|l| l.block != last)
        .map_or(0, |p| p + 1);
    (start >= from && start < lines.len()).then_some(start)
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

/// The greeting: the line it is on and its length in bytes of that line's
/// `t()`. Lines above it, if any, are the letter's heading.
fn find_greeting(
    lines: &[SLine],
    vocab: &Vocabulary,
    lowercase: &Lowercase<'_>,
) -> Option<(usize, usize)> {
    let limit = lines.len().min(MAX_HEADING_LINES + 1);
    // A salutation, on the first line or under a heading.
    for (i, l) in lines[..limit].iter().enumerate() {
        if let Some(len) = salutation_greeting(l, vocab) {
            return Some((i, len));
        }
        if !heading_like(l, vocab) {
            break;
        }
    }
    let first = lines.first()?;
    if let Some(len) = name_greeting(first, vocab, lowercase) {
        return Some((0, len));
    }
    // "Sarah" alone above the body.
    if lines.get(1).is_some_and(|next| next.block != first.block)
        && own_line_name(first, vocab, lowercase)
    {
        return Some((0, first.t().len()));
    }
    // "Ms. Coles," under an address block, with the body after it.
    for i in 1..limit {
        if !heading_like(&lines[i - 1], vocab) {
            break;
        }
        let own_line = lines[i].t().ends_with(',');
        if own_line
            && lines.get(i + 1).is_some_and(|n| !heading_like(n, vocab))
            && let Some(len) = name_greeting(&lines[i], vocab, lowercase)
        {
            return Some((i, len));
        }
    }
    None
}

/// A line of a letter's heading: short and not a sentence (an address line,
/// a date, a company name), a template slot, or a reference line.
fn heading_like(l: &SLine, vocab: &Vocabulary) -> bool {
    let t = l.t();
    if slot_inner(t).is_some() || reference_line(l, vocab) {
        return true;
    }
    let words = l.words();
    // A sentence: a question, an exclamation, or a full stop after a few words.
    let sentence = t.ends_with(['?', '!']) || (t.ends_with('.') && words > 4);
    words <= MAX_HEADING_WORDS && !l.line.item_start && !sentence
}

/// "RE: Analyst role", "Sub: request to pardon my absence", "Position –
/// Senior Analyst".
fn reference_line(l: &SLine, vocab: &Vocabulary) -> bool {
    let lower = l.lower();
    vocab.reference_labels.iter().any(|label| {
        lower.strip_prefix(label.as_str()).is_some_and(|rest| {
            rest.trim_start().starts_with(':')
                || [" - ", " \u{2013} ", " \u{2014} "]
                    .iter()
                    .any(|d| rest.starts_with(d))
        })
    })
}

/// "P.S. ...", "PS: ...", "N.B. ...".
fn postscript_line(l: &SLine, vocab: &Vocabulary) -> bool {
    starts_with_marker(l.lower(), &vocab.postscripts)
}

fn line_is_postscript(source: &str, l: &Line, vocab: &Vocabulary) -> bool {
    let text = source.get(l.span.range()).unwrap_or("");
    starts_with_marker(&super::prose::lowercase(text), &vocab.postscripts)
}

fn starts_with_marker(lower: &str, markers: &[String]) -> bool {
    // Markdown emphasis around the marker: "**P.S.**".
    let lower = lower.trim_start_matches(['*', '_']);
    markers.iter().any(|m| {
        lower.strip_prefix(m.as_str()).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() && c != '\'')
        })
    })
}

/// A greeting that opens with a salutation word: its length in `l.t()`.
fn salutation_greeting(l: &SLine, vocab: &Vocabulary) -> Option<usize> {
    let t = l.t();
    let lower = l.lower();
    let sal = vocab
        .salutations
        .iter()
        .filter(|s| lower.starts_with(s.as_str()) && !next_is_word_char(lower, s.len()))
        .map(String::len)
        .max()?;
    let words_to = |end: usize| slot_words(&t[..end]);
    Some(match first_delimiter(t, sal) {
        // "Dear Sir, or Madam,": the addressee goes on past the comma.
        Some((_, end)) if words_to(end) <= 8 && continues_addressee(&t[end..], vocab) => t.len(),
        Some((_, end)) if words_to(end) <= 8 => end,
        None if l.words() <= 6 => t.len(),
        _ => name_run_end(t, sal),
    })
}

/// The first delimiter that can end a greeting, outside brackets, from byte
/// `from`: its start and end (a run such as "!!" or ", " included).
fn first_delimiter(t: &str, from: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut it = t[from..]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '[' | '(' | '{' | '<' => depth += 1,
            ']' | ')' | '}' | '>' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            ',' | '!' | ':' | ';' | '\u{2014}' | '\u{2013}' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = it.peek() {
                    if !matches!(d, '!' | ',' | ':' | '.') {
                        break;
                    }
                    end = j + d.len_utf8();
                    it.next();
                }
                return Some((i, end));
            }
            '-' if t[i..].starts_with("- ") && t[..i].ends_with(' ') => {
                return Some((i, i + 1));
            }
            '.' if i + 1 == t.len() => return Some((i, i + 1)),
            _ => {}
        }
    }
    None
}

/// Words in `t`, a bracketed slot counting as one ("Dear [full name and
/// title of the interviewer]," is two).
fn slot_words(t: &str) -> usize {
    let mut depth = 0usize;
    let mut words = 0;
    let mut in_word = false;
    for c in t.chars() {
        match c {
            '[' | '(' | '{' | '<' => depth += 1,
            ']' | ')' | '}' | '>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c.is_whitespace() {
            in_word = depth > 0 && in_word;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
    }
    words
}

/// After a greeting's first delimiter: is the rest of the line more of the
/// addressee ("or Madam,", "and team")? A few capitalised words, slots or
/// joiners, with no sentence in them.
fn continues_addressee(rest: &str, vocab: &Vocabulary) -> bool {
    let rest = rest.trim();
    let core = rest.trim_end_matches([',', ':', '!', '\u{2014}', '\u{2013}', ' ']);
    let words: Vec<&str> = core.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && !core.ends_with(['.', '?'])
        && words
            .iter()
            .any(|w| w.starts_with(char::is_uppercase) || slot_inner(w).is_some())
        && words.iter().all(|w| {
            let bare = w.trim_matches([',', ';']);
            bare.starts_with(char::is_uppercase)
                || bare.starts_with(['[', '{', '<', '(', '_'])
                || vocab.greeting_joiners.contains(&bare.to_lowercase())
                || vocab.name_particles.contains(bare)
        })
}

/// A greeting that is a name: "John," on its own line, or a name run into
/// the first sentence: "Mr. Deshpande, I hope ..." / "Lorraine, thank you".
fn name_greeting(l: &SLine, vocab: &Vocabulary, lowercase: &Lowercase<'_>) -> Option<usize> {
    let t = l.t();
    let (d, end) = first_delimiter(t, 0)?;
    if !matches!(
        t[d..].chars().next(),
        Some(',' | '!' | ':' | '\u{2014}' | '\u{2013}')
    ) {
        return None;
    }
    let name = t[..d].trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 || is_valediction(&name.to_lowercase(), vocab) {
        return None;
    }
    let bare = |w: &str| w.trim_end_matches('.').to_lowercase();
    let addressee = words.iter().all(|w| {
        w.starts_with(char::is_uppercase)
            || slot_inner(w).is_some()
            || vocab.name_particles.contains(*w)
    });
    let titled = vocab.titles.contains(&bare(words[0]));
    let name_part = if titled { &words[1..] } else { &words[..] };
    let opener = name_part.iter().any(|w| {
        let b = bare(w);
        vocab.not_vocatives.contains(&b)
            || vocab
                .not_vocative_endings
                .iter()
                .any(|e| b.len() > e.len() + 2 && b.ends_with(e.as_str()))
    });
    if !addressee || opener {
        return None;
    }
    if t[end..].trim().is_empty() {
        // "John," on a line of its own.
        return Some(t.len());
    }
    // Run on into the first sentence: a title and a name, or a name of one
    // or two words the draft never writes in lowercase (so not "Again,").
    if titled && !name_part.is_empty() {
        return Some(end);
    }
    let common = name_part
        .iter()
        .any(|w| lowercase.contains(bare(w).as_str()));
    (name_part.len() <= 2 && t[d..].starts_with(',') && !common).then_some(end)
}

/// A name on a line of its own with no comma: a title and a name ("Ms.
/// Chen"), a slot ("[Name]"), or one or two capitalised words the draft
/// never writes in lowercase and that are not a sign-off ("Sarah").
fn own_line_name(l: &SLine, vocab: &Vocabulary, lowercase: &Lowercase<'_>) -> bool {
    let t = l.t();
    if slot_inner(t).is_some() {
        return slot_is_name(slot_inner(t).unwrap_or(""), vocab);
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 4
        || !name_words(t, vocab)
        || t.ends_with(['.', '!', '?', ',', ':'])
        || is_valediction(l.lower(), vocab)
    {
        return false;
    }
    let bare = |w: &str| w.trim_end_matches('.').to_lowercase();
    let titled = vocab.titles.contains(&bare(words[0]));
    let name = if titled { &words[1..] } else { &words[..] };
    let common = name.iter().any(|w| {
        let b = bare(w);
        vocab.not_vocatives.contains(&b) || lowercase.contains(b.as_str())
    });
    !name.is_empty() && (titled || name.len() <= 2) && !common
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
    s[at..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '\'')
}

/// Is `lower` (lowercase, trailing punctuation allowed) a sign-off phrase?
fn is_valediction(lower: &str, vocab: &Vocabulary) -> bool {
    let core = lower.trim_end_matches([',', '!', '.', ' ', '\u{2026}']);
    vocab.valedictions.iter().any(|v| v == core)
}

/// A line above the sign-off phrase that belongs to it ("Thanking you.").
fn is_closing_formula(l: &SLine, vocab: &Vocabulary) -> bool {
    let core = l.lower().trim_end_matches([',', '!', '.', ' ', '\u{2026}']);
    vocab.closing_formulas.iter().any(|v| v == core)
}

/// How a line can serve as a sign-off.
enum Valediction {
    No,
    /// The whole line is a sign-off phrase.
    Line,
    /// "Best, Sam": a sign-off phrase, then the name from this source offset.
    WithName(usize),
}

fn valediction(l: &SLine, vocab: &Vocabulary, lower_names: bool) -> Valediction {
    let t = l.t();
    if t.ends_with('?') {
        return Valediction::No;
    }
    if is_valediction(l.lower(), vocab) && !t.ends_with('.') {
        return Valediction::Line;
    }
    match valediction_with_name(t, l.lower(), vocab, lower_names) {
        Some(at) => Valediction::WithName(l.source_at(at)),
        None => Valediction::No,
    }
}

/// "Best regards, Jane Doe" / "Thanks! -Sam" / "Kind regards, [Your Name]":
/// where the name starts in `t`.
/// With `lower_names` (a writer who never capitalises), a single lowercase
/// word after the comma is a name too ("cheers, kit").
fn valediction_with_name(
    t: &str,
    lower: &str,
    vocab: &Vocabulary,
    lower_names: bool,
) -> Option<usize> {
    vocab.valedictions.iter().find_map(|v| {
        let rest = lower.strip_prefix(v.as_str())?;
        let sep = rest.len()
            - rest
                .trim_start_matches([',', '!', ' ', '-', '\u{2014}', '\u{2013}'])
                .len();
        let at = t.len() - rest.len() + sep;
        let name = &t[at..];
        let lowercase_name = lower_names
            && rest.starts_with(',')
            && name.chars().all(char::is_alphabetic)
            && !is_valediction(name, vocab)
            && !vocab.not_vocatives.contains(name);
        (sep > 0 && rest.starts_with([',', '!', ' ']) && (name_like(name, vocab) || lowercase_name))
            .then_some(at)
    })
}

/// A line that can stand in a signature block: short, or contact details.
fn signature_like(l: &SLine) -> bool {
    let t = l.t();
    let contact =
        t.contains('@') || t.contains("://") || t.chars().filter(char::is_ascii_digit).count() >= 7;
    if contact || slot_inner(t).is_some() {
        return true;
    }
    let words = l.words();
    // A sentence ending in a full stop is prose, unless short or a suffix.
    let prose_stop = t.ends_with('.') && words > 3 && !t.ends_with("Jr.") && !t.ends_with("Sr.");
    words <= 8 && !t.ends_with('?') && !prose_stop
}

/// The inside of a template slot that is the whole of `t`: `[Your Name]`,
/// `{{sender}}`, `<first name>`, `(signature)`, `$name`.
fn slot_inner(t: &str) -> Option<&str> {
    let t = t.trim();
    if let Some(var) = t.strip_prefix('$') {
        let var = var.trim_start_matches('{').trim_end_matches('}');
        return (!var.is_empty() && var.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .then_some(var);
    }
    let (open, close) = match t.chars().next()? {
        '[' => ('[', ']'),
        '{' => ('{', '}'),
        '<' => ('<', '>'),
        '(' => ('(', ')'),
        _ => return None,
    };
    let inner = t.trim_start_matches(open).strip_suffix(close)?;
    let inner = inner.trim_end_matches(close);
    (!inner.trim().is_empty() && !inner.contains([open, close])).then_some(inner.trim())
}

/// Does a slot's inside stand for a person's name?
fn slot_is_name(inner: &str, vocab: &Vocabulary) -> bool {
    let spaced = inner.replace('_', " ");
    if name_words(&spaced, vocab) {
        return true;
    }
    spaced
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_end_matches("'s").to_lowercase())
        .any(|w| vocab.name_slot_words.contains(&w))
}

/// Looks like a person's name: 1 to 5 words, capitalised (particles such as
/// "van" or "de" aside), optionally followed by ", credentials"; or a slot
/// standing for a name (`[Your Name]`).
fn name_like(t: &str, vocab: &Vocabulary) -> bool {
    let name = t
        .trim_start_matches(['-', '\u{2014}', '\u{2013}', ' '])
        .trim();
    if let Some(inner) = slot_inner(name) {
        return slot_is_name(inner, vocab);
    }
    let name = name.split(',').next().unwrap_or("").trim();
    // "Gary Applicant." : a short name with a stray full stop.
    let name = match name.strip_suffix('.') {
        Some(n) if n.split_whitespace().count() <= 3 && !n.ends_with('.') => n,
        _ => name,
    };
    name_words(name, vocab) && !name.ends_with(['.', '!', '?', ':'])
}

fn name_words(name: &str, vocab: &Vocabulary) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && words[0].starts_with(char::is_uppercase)
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) || vocab.name_particles.contains(*w))
}

/// Find the closing in `lines` (after `first_body`).
fn find_closing(
    source: &str,
    lines: &[SLine],
    first_body: usize,
    sig_delimiter: Option<usize>,
    vocab: &Vocabulary,
    lower_names: bool,
) -> Option<Found> {
    let n = lines.len();
    let end = sig_delimiter.unwrap_or(n).min(n);
    // The latest sign-off phrase followed only by signature lines.
    let search_from = end.saturating_sub(8).max(first_body);
    let mut found: Option<(usize, Valediction)> = None;
    for i in (search_from..end).rev() {
        let after_ok = lines[i + 1..end].len() <= 6 && lines[i + 1..end].iter().all(signature_like);
        if !after_ok {
            break;
        }
        match valediction(&lines[i], vocab, lower_names) {
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
    let mut valediction = Vec::new();
    let mut signature = Vec::new();
    let at;
    match found {
        Some((i, v)) => {
            // "Thanking you,\nYours faithfully,": consecutive sign-off lines;
            // "Thanking you." alone above the sign-off phrase.
            let mut first = i;
            while first > first_body {
                let prev = &lines[first - 1];
                let same_block = prev.block == lines[first].block;
                let joins =
                    (same_block && prev.t().ends_with(',') && is_valediction(prev.lower(), vocab))
                        || is_closing_formula(prev, vocab);
                if !joins {
                    break;
                }
                first -= 1;
            }
            at = first;
            valediction.extend(lines[first..i].iter().map(|l| l.line.clone()));
            match v {
                Valediction::WithName(cut) => {
                    let (val, name) = split_line(source, &lines[i].line, cut);
                    valediction.push(val);
                    signature.extend(name);
                }
                _ => valediction.push(lines[i].line.clone()),
            }
            signature.extend(lines[i + 1..n].iter().map(|l| l.line.clone()));
        }
        None if sig_delimiter.is_some_and(|d| d < n && d >= first_body) => {
            at = end;
            signature.extend(lines[end..n].iter().map(|l| l.line.clone()));
        }
        None => {
            // A name alone in the last block, or under its last sentence
            // ("... from you soon.\nSam Lee").
            let names_from = |k: usize| {
                n - k <= 4
                    && lines[k..].iter().all(signature_like)
                    && name_like(lines[k].t(), vocab)
                    && !is_valediction(lines[k].lower(), vocab)
            };
            let block_start = last_block_start(lines, first_body)?;
            let start = if names_from(block_start) {
                (block_start > first_body).then_some(block_start)?
            } else {
                (block_start + 1..n).find(|&k| {
                    lines[k - 1].t().ends_with(['.', '!', '?'])
                        && lines[k].words() <= 4
                        && names_from(k)
                })?
            };
            let block = &lines[start..];
            let name_words = match slot_inner(block[0].t()) {
                Some(_) => usize::MAX,
                None => block[0]
                    .t()
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .count(),
            };
            if name_words < vocab.bare_signature_min_words {
                let span = block[0].line.span;
                return Some(Found {
                    at: start,
                    valediction: Vec::new(),
                    signature: Vec::new(),
                    closing: Closing {
                        span: block.iter().map(|l| l.line.span).fold(span, Span::cover),
                        valediction: None,
                        signature: None,
                        bare_name: Some(span),
                    },
                });
            }
            at = start;
            signature.extend(block.iter().map(|l| l.line.clone()));
        }
    }
    Some(found_closing(at, valediction, signature))
}

fn found_closing(at: usize, valediction: Vec<Line>, signature: Vec<Line>) -> Found {
    let cover = |ls: &[Line]| ls.iter().map(|l| l.span).reduce(Span::cover);
    let v = cover(&valediction);
    let s = cover(&signature);
    let span = match (v, s) {
        (Some(v), Some(s)) => v.cover(s),
        (v, s) => v.or(s).unwrap_or_default(),
    };
    Found {
        at,
        valediction,
        signature,
        closing: Closing {
            span,
            valediction: v,
            signature: s,
            bare_name: None,
        },
    }
}

/// "... I hope to hear from you soon. Best, Tom": a sign-off phrase and a
/// name after the last sentence of the last line. Returns the body part of
/// the line and the closing.
fn inline_sign_off(
    source: &str,
    l: &SLine,
    index: usize,
    vocab: &Vocabulary,
    lower_names: bool,
) -> Option<(Line, Found)> {
    let t = l.t();
    let lower = l.lower();
    // A sign-off and a name take a few words: look at the line's last ten.
    let tail = t
        .char_indices()
        .rev()
        .filter(|&(i, c)| c == ' ' && !t[..i].ends_with(' '))
        .nth(9)
        .map_or(0, |(i, _)| i);
    // Candidate starts: after each sentence end followed by a space.
    let starts = t[tail..]
        .char_indices()
        .map(|(i, c)| (tail + i, c))
        .filter(|&(i, c)| matches!(c, '.' | '!' | '?') && t[i + 1..].starts_with(' '))
        .map(|(i, _)| i + 1 + (t[i + 1..].len() - t[i + 1..].trim_start().len()));
    for start in starts {
        let (rt, rl) = (&t[start..], &lower[start..]);
        if rt.ends_with(['.', '?']) && slot_inner(rt.rsplit(' ').next().unwrap_or("")).is_none() {
            continue;
        }
        let Some(name_at) = valediction_with_name(rt, rl, vocab, lower_names) else {
            continue;
        };
        let (body, rest) = split_line(source, &l.line, l.source_at(start));
        let rest = rest?;
        let (val, name) = split_line(source, &rest, l.source_at(start + name_at));
        let name = name?;
        return Some((body, found_closing(index + 1, vec![val], vec![name])));
    }
    None
}

/// A sign-off phrase emaillint does not know ("Is mise le meas,"): a short
/// line ending in a comma, starting its own block or following a finished
/// sentence, and followed by a name.
fn generic_valediction(lines: &[SLine], i: usize, end: usize, vocab: &Vocabulary) -> bool {
    let l = &lines[i];
    // At the start of a block, after a finished sentence, or under another
    // sign-off line ("Thanking you,\nYours obediently,").
    let starts_block = i == 0
        || lines[i - 1].block != l.block
        || lines[i - 1].t().ends_with(['.', '!', '?'])
        || is_valediction(lines[i - 1].lower(), vocab)
        || is_closing_formula(&lines[i - 1], vocab);
    // "Is mise le meas," or, without the comma, a short line that is not a
    // name itself ("Your faithfully").
    let shape = (l.t().ends_with(',') && l.words() <= 5)
        || (l.words() <= 3
            && !l.t().ends_with(['.', '?', '!', ':', ';'])
            && !name_like(l.t(), vocab));
    starts_block
        && shape
        && l.t().starts_with(char::is_uppercase)
        && i + 1 < end
        && name_like(lines[i + 1].t(), vocab)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, Piece, PieceKind};

    fn lines(texts: &[&str]) -> Vec<SLine> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let span = Span::new(0, t.len());
                let line = Line {
                    span,
                    pieces: vec![Piece {
                        span,
                        kind: PieceKind::Source,
                    }],
                    item_start: false,
                };
                SLine::new(t, i, line)
            })
            .collect()
    }

    /// The set of words that `Lowercase` answers for without building it.
    fn as_set(lines: &[SLine]) -> std::collections::HashSet<String> {
        lines
            .iter()
            .flat_map(|l| l.t().split_whitespace())
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn lowercase_words_are_the_set_of_trimmed_lowercase_words() {
        let texts = [
            "Dear Ms. Park,",
            "I met park rangers (park) and \"parks\" at the parkway; Park-ing.",
            "Grace, grace\u{2019}s and \u{e9}mile \u{c9}mile x-ray 3d --dash-- a.b",
            "  spaced\u{a0}out\ttabs  ",
        ];
        let ls = lines(&texts);
        let set = as_set(&ls);
        let lower = lowercase_words(&ls);
        let mut asked: Vec<String> = texts
            .iter()
            .flat_map(|t| t.split(|c: char| c.is_whitespace() || c == '(' || c == '"'))
            .flat_map(|w| {
                let w = w.to_string();
                [
                    w.to_lowercase(),
                    w.trim_end_matches(['.', ',', ';']).to_string(),
                    w,
                ]
            })
            .collect();
        asked.extend(
            [
                "park", "par", "ark", "parkway", "ing", "s", "out", "x", "", "a.b",
            ]
            .map(String::from),
        );
        for w in &asked {
            assert_eq!(lower.contains(w), set.contains(w.as_str()), "{w:?}");
        }
        assert!(lower.contains("park") && !lower.contains("parking") && !lower.contains("Park"));
    }
}
