//! Excerpts that fit the terminal.
//!
//! An email paragraph is often one line of several hundred characters.
//! codespan-reporting prints whole source lines, so a diagnostic is drawn
//! over an [`Excerpt`]: a small stand-in file holding, for each line the
//! diagnostic shows, only a window of that line around its spans, with `…`
//! where it was cut. The stand-in keeps the original line indices, and it
//! reports columns counted in the original line, so the `file:line:column`
//! header and the line numbers in the gutter are those of the real file;
//! only the text drawn is shortened.

use crate::source::SourceFile;
use codespan_reporting::files::{Error as FilesError, Files};
use std::collections::BTreeMap;
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// What is drawn where a line was cut.
const ELLIPSIS: &str = "\u{2026}";

/// The fewest columns a window gets, however narrow the terminal.
const MIN_WIDTH: usize = 20;

/// Context kept to the left of a span wider than the window.
const LEFT_CONTEXT: usize = 8;

/// Columns a tab takes (codespan-reporting's default).
const TAB: usize = 4;

/// One line of the stand-in: which bytes of the original line it shows.
#[derive(Debug, Clone)]
struct Shown {
    /// Its range in the stand-in text, line ending included.
    range: Range<usize>,
    /// The original bytes it shows (without the line ending).
    from: usize,
    to: usize,
    /// Whether it starts with an ellipsis.
    cut_left: bool,
    /// Where the original line's text ends, and where its line ending ends.
    end: usize,
    full_end: usize,
}

/// A label to place: its byte range in the original text and the width of
/// its message (drawn after the carets).
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub range: Range<usize>,
    pub message_width: usize,
}

/// The stand-in file for one diagnostic.
#[derive(Debug)]
pub(crate) struct Excerpt<'a> {
    file: &'a SourceFile,
    text: String,
    /// By original line index.
    lines: BTreeMap<usize, Shown>,
}

/// The display width of `c` at column `col` (tabs to the next stop).
fn char_width(c: char, col: usize) -> usize {
    if c == '\t' {
        TAB - col % TAB
    } else {
        c.width().unwrap_or(0)
    }
}

/// The width of `text` (tab stops counted from its start), or `None` once
/// it passes `limit`.
fn width_within(text: &str, limit: usize) -> Option<usize> {
    let mut w = 0;
    for c in text.chars() {
        w += char_width(c, w);
        if w > limit {
            return None;
        }
    }
    Some(w)
}

/// Does the character at `at` belong with the one before it, so that a cut
/// there would split what the reader sees as one character (a combining
/// mark, a variation selector, the part after a zero-width joiner)?
fn glued(text: &str, at: usize) -> bool {
    let after = text[at..].chars().next();
    let before = text[..at].chars().next_back();
    match (before, after) {
        (Some(_), Some(c)) if c != '\t' && c.width() == Some(0) => true,
        (Some('\u{200D}'), Some(_)) => true,
        _ => false,
    }
}

fn prev_boundary(text: &str, at: usize) -> usize {
    text[..at].char_indices().next_back().map_or(0, |(i, _)| i)
}

fn next_boundary(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// Walk left from `at` (not past `start`) over at most `cols` columns.
fn back(text: &str, start: usize, at: usize, cols: usize) -> usize {
    let mut pos = at;
    let mut used = 0;
    while pos > start {
        let p = prev_boundary(text, pos);
        let w = text[p..pos].chars().next().map_or(0, |c| char_width(c, 0));
        if used + w > cols {
            break;
        }
        used += w;
        pos = p;
    }
    while pos > start && glued(text, pos) {
        pos = prev_boundary(text, pos);
    }
    pos
}

/// Walk right from `at` (not past `end`) over at most `cols` columns, tab
/// stops counted from `origin` columns.
fn forward(text: &str, end: usize, at: usize, cols: usize, origin: usize) -> usize {
    let mut pos = at;
    let mut used = 0;
    while pos < end {
        let Some(c) = text[pos..end].chars().next() else {
            break;
        };
        let w = char_width(c, origin + used);
        if used + w > cols {
            break;
        }
        used += w;
        pos += c.len_utf8();
    }
    // Do not end between a character and a mark that belongs to it: drop
    // the whole cluster, or, if that would drop the start, keep it.
    let mut cut = pos;
    while cut > at && cut < end && glued(text, cut) {
        cut = prev_boundary(text, cut);
    }
    if cut == at && pos > at {
        while pos < end && glued(text, pos) {
            pos = next_boundary(text, pos);
        }
        pos
    } else {
        cut
    }
}

impl<'a> Excerpt<'a> {
    /// A stand-in for `file` showing `places` within `columns` columns of
    /// terminal, gutter included. Places are taken in order; the first is
    /// always shown, and a later one only if it fits in the windows chosen
    /// so far (the others are returned, by index, to be described instead).
    pub(crate) fn new(
        file: &'a SourceFile,
        places: &[Place],
        columns: usize,
    ) -> (Excerpt<'a>, Vec<usize>) {
        let text = &file.text;
        let clamp = |b: usize| {
            let mut b = b.min(text.len());
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            b
        };
        let content = |line: usize| -> Range<usize> {
            let r = file.line_range(line).unwrap_or(text.len()..text.len());
            let body = text[r.clone()].trim_end_matches(['\n', '\r']);
            r.start..r.start + body.len()
        };
        // The gutter: line number, border, one column pair per multi-line label.
        let last_line = places
            .iter()
            .map(|p| file.line_index(clamp(p.range.end)))
            .max()
            .unwrap_or(0);
        let multi = places
            .iter()
            .filter(|p| {
                file.line_index(clamp(p.range.start)) != file.line_index(clamp(p.range.end))
            })
            .count();
        let digits = (last_line + 1).to_string().len();
        // At the narrowest, the text and the multi-line columns share
        // MIN_WIDTH, so a row never outgrows `max(columns, MIN_WIDTH + gutter)`.
        let avail = columns
            .saturating_sub(digits + 3)
            .max(MIN_WIDTH)
            .saturating_sub(2 * multi)
            .max(MIN_WIDTH / 2);
        // Two columns are kept for the ellipses of a line cut at both ends.
        let budget = avail - 2;

        // The parts of each line that must be visible: (lo, hi, message width).
        let mut want: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
        let mut left_out = Vec::new();
        for (i, p) in places.iter().enumerate() {
            let (start, end) = (clamp(p.range.start), clamp(p.range.end.max(p.range.start)));
            let (sl, el) = (file.line_index(start), file.line_index(end));
            let mut points = vec![];
            if sl == el {
                // A caret takes at least one column.
                let hi = if end > start {
                    end
                } else {
                    next_boundary(text, start).min(content(sl).end)
                };
                points.push((sl, start, hi, p.message_width));
            } else {
                points.push((sl, start, start, 0));
                points.push((el, end, end, p.message_width));
            }
            let mut tried = want.clone();
            for &(line, lo, hi, m) in &points {
                let e = tried.entry(line).or_insert((lo, hi, m));
                if hi >= e.1 {
                    e.2 = m;
                }
                e.0 = e.0.min(lo);
                e.1 = e.1.max(hi);
            }
            let fits = points.iter().all(|&(line, ..)| {
                let (lo, hi, _) = tried[&line];
                width_within(&text[lo..hi], budget.saturating_sub(1)).is_some()
            });
            if i == 0 || fits {
                want = tried;
            } else {
                left_out.push(i);
            }
        }

        // Lines codespan-reporting draws besides those: the first three and
        // the last of a multi-line label's inner lines, and a single line
        // between two drawn ones.
        let mut needed: std::collections::BTreeSet<usize> = want.keys().copied().collect();
        for (i, p) in places.iter().enumerate() {
            if left_out.contains(&i) {
                continue;
            }
            let (sl, el) = (
                file.line_index(clamp(p.range.start)),
                file.line_index(clamp(p.range.end.max(p.range.start))),
            );
            if el > sl {
                needed.extend((sl + 1..el).filter(|&l| l - sl <= 3 || el - l <= 1));
            }
        }
        let drawn: Vec<usize> = needed.iter().copied().collect();
        for w in drawn.windows(2) {
            if w[1] == w[0] + 2 {
                needed.insert(w[0] + 1);
            }
        }

        let mut out = String::new();
        let mut lines = BTreeMap::new();
        for line in needed {
            let c = content(line);
            let full = file.line_range(line).unwrap_or(c.clone());
            // A line is shown whole if it fits, and so does its caret row
            // (the carets, then the label's message).
            let fits = |hi: usize, m: usize| {
                width_within(&text[c.clone()], avail).is_some()
                    && width_within(&text[c.start..hi], avail.saturating_sub(m + 1)).is_some()
            };
            let (from, to) = match want.get(&line) {
                Some(&(_, hi, m)) if fits(hi, m) => (c.start, c.end),
                None if fits(c.start, 0) => (c.start, c.end),
                Some(&(lo, hi, m)) => window(text, c.clone(), lo, hi, m, budget),
                None => (c.start, forward(text, c.end, c.start, budget, 0)),
            };
            let start = out.len();
            let cut_left = from > c.start;
            if cut_left {
                out.push_str(ELLIPSIS);
            }
            out.push_str(&text[from..to]);
            if to < c.end {
                out.push_str(ELLIPSIS);
            }
            out.push_str(&text[c.end..full.end]);
            lines.insert(
                line,
                Shown {
                    range: start..out.len(),
                    from,
                    to,
                    cut_left,
                    end: c.end,
                    full_end: full.end,
                },
            );
        }
        (
            Excerpt {
                file,
                text: out,
                lines,
            },
            left_out,
        )
    }

    /// Where original byte `byte` is drawn in the stand-in: clipped to the
    /// window of its line, and past the end of the stand-in if its line is
    /// not drawn.
    pub(crate) fn map(&self, byte: usize) -> usize {
        let text = &self.file.text;
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.file.line_index(byte);
        let Some(s) = self.lines.get(&line) else {
            return self.text.len();
        };
        let lead = if s.cut_left { ELLIPSIS.len() } else { 0 };
        if byte > s.end {
            // In the line ending, which is kept as it was.
            return s.range.end - (s.full_end - byte);
        }
        s.range.start + lead + byte.clamp(s.from, s.to) - s.from
    }

    fn shown(&self, line: usize) -> Option<&Shown> {
        self.lines.get(&line)
    }
}

/// The window `[from, to)` of the line `c` that shows `lo..hi` (and a
/// message `m` columns wide after it) in `budget` columns.
fn window(
    text: &str,
    c: Range<usize>,
    lo: usize,
    hi: usize,
    m: usize,
    budget: usize,
) -> (usize, usize) {
    // The caret row holds the carets and then the label's message: keep
    // room for it, unless that would leave too little for the text.
    let m = if budget >= m + MIN_WIDTH { m } else { 0 };
    // Everything up to the span and its message fits: start at the line's
    // start, as the reader would.
    if width_within(&text[c.start..hi], budget - m).is_some() {
        return (c.start, forward(text, c.end, c.start, budget + 1, 0));
    }
    let Some(w) = width_within(&text[lo..hi], budget - m) else {
        // Wider than the window: its start, with a little before it, cut
        // where the carets must stop for the message to fit.
        let from = back(text, c.start, lo, LEFT_CONTEXT);
        let lead = usize::from(from > c.start);
        return (
            from,
            forward(text, c.end, from, budget + 1 - lead - m, lead),
        );
    };
    // Centre what must be seen, the message included.
    let from = back(text, c.start, lo, (budget - m - w) / 2);
    let lead = usize::from(from > c.start);
    let to = forward(text, c.end, from, budget + 1 - lead, lead);
    if to >= c.end {
        // The end of the line is in view: use the room on the left, as far
        // as the caret row allows.
        let left = back(text, c.start, c.end, budget);
        let keep = back(text, c.start, hi, budget - m);
        return (left.max(keep).min(from), c.end);
    }
    (from, to)
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.file.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte: usize) -> Result<usize, FilesError> {
        // The line holding `byte`, or the last one for the end of the text.
        Ok(self
            .lines
            .iter()
            .find(|(_, s)| s.range.contains(&byte))
            .or_else(|| self.lines.iter().next_back())
            .map_or(0, |(l, _)| *l))
    }

    fn line_range(&'a self, (): (), line: usize) -> Result<Range<usize>, FilesError> {
        // Lines that are not drawn need no text.
        Ok(self
            .shown(line)
            .map_or(self.text.len()..self.text.len(), |s| s.range.clone()))
    }

    fn column_number(&'a self, (): (), line: usize, byte: usize) -> Result<usize, FilesError> {
        let original = match self.shown(line) {
            Some(s) => {
                let lead = if s.cut_left { ELLIPSIS.len() } else { 0 };
                s.from + (byte.saturating_sub(s.range.start + lead)).min(s.to - s.from)
            }
            None => return Ok(1),
        };
        Ok(self.file.line_col(original).column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(range: Range<usize>) -> Place {
        Place {
            range,
            message_width: 0,
        }
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let f = SourceFile::new("t", "short line\n");
        let (x, out) = Excerpt::new(&f, &[place(0..5)], 80);
        assert!(out.is_empty());
        assert_eq!(x.text, "short line\n");
        assert_eq!(x.map(6), 6);
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_and_columns_stay_true() {
        let line = "word ".repeat(100);
        let f = SourceFile::new("t", format!("{line}\n"));
        let at = 250;
        let (x, _) = Excerpt::new(&f, &[place(at..at + 4)], 40);
        let shown = x.text.trim_end();
        assert!(
            shown.starts_with(ELLIPSIS) && shown.ends_with(ELLIPSIS),
            "{shown}"
        );
        assert!(width_within(shown, 40).is_some(), "{shown}");
        let v = x.map(at);
        assert_eq!(&x.text[v..v + 4], "word");
        assert_eq!(x.column_number((), 0, v).unwrap(), at + 1);
        assert_eq!(x.line_index((), v).unwrap(), 0);
    }

    #[test]
    fn a_cut_never_splits_a_combining_mark_from_its_letter() {
        let line = "e\u{301}".repeat(200);
        let f = SourceFile::new("t", line.clone());
        for at in (0..line.len()).step_by(3) {
            let (x, _) = Excerpt::new(&f, &[place(at..at + 3)], 30);
            let body = x
                .text
                .trim_start_matches(ELLIPSIS)
                .trim_end_matches(ELLIPSIS);
            assert!(
                body.starts_with('e') && body.ends_with('\u{301}'),
                "{body:?}"
            );
        }
    }
}
