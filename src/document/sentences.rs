//! Sentences and words, counted as a careful reader would.
//!
//! Works on normalized prose (see `prose.rs`), where whitespace is already a
//! single space and a `\n` marks a hard break (a list item, a new line of a
//! sign-off block). A sentence ends at `.`, `!` or `?` followed by a space or
//! the end of the text, unless the full stop belongs to an abbreviation
//! ("Mr.", "e.g."), an initial ("R. Subramanian") or an ellipsis. Decimals,
//! URLs and email addresses never have a space after their dots, so they
//! never end a sentence.

use std::collections::HashSet;
use std::ops::Range;

/// U+FFFC stands in for inline code in prose: it counts as a word but no
/// phrase can match it.
pub const OPAQUE: char = '\u{FFFC}';

/// Split `text[range]` into sentence ranges (trimmed, never empty).
pub fn sentences(
    text: &str,
    range: Range<usize>,
    abbreviations: &HashSet<String>,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let base = range.start;
    let mut start = 0;
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            push_trimmed(&mut out, slice, base, start..i);
            start = i + 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?' | '\u{2026}') {
            continue;
        }
        // The whole run of terminal punctuation, then closing quotes/brackets.
        let mut end = i + c.len_utf8();
        let mut run = String::from(c);
        while let Some(&(j, d)) = chars.peek() {
            if matches!(d, '.' | '!' | '?' | '\u{2026}') {
                run.push(d);
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let before_closers = end;
        while let Some(&(j, d)) = chars.peek() {
            if matches!(d, '"' | '\'' | ')' | ']' | '*' | '_' | '\u{00BB}') {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let at_boundary = matches!(chars.peek(), None | Some((_, ' ' | '\n')));
        if !at_boundary || is_ellipsis(&run) {
            continue;
        }
        // A full stop inside closing quotes ends the quoted sentence, even
        // after a word that could be an abbreviation ("no.").
        let quoted = slice[before_closers..end].contains(['"', '\'', '\u{00BB}']);
        if run == "." && !quoted && !ends_sentence(&slice[start..i], abbreviations) {
            continue;
        }
        push_trimmed(&mut out, slice, base, start..end);
        start = end;
    }
    push_trimmed(&mut out, slice, base, start..slice.len());
    out
}

fn is_ellipsis(run: &str) -> bool {
    run.contains("..") || run.contains('\u{2026}')
}

/// Does a full stop after `before` end the sentence?
fn ends_sentence(before: &str, abbreviations: &HashSet<String>) -> bool {
    let token = before
        .rsplit([' ', '\n'])
        .next()
        .unwrap_or("")
        .trim_start_matches(['(', '"', '\'', '[', '*', '_']);
    if token.is_empty() {
        return true;
    }
    let mut letters = token.chars();
    // A lone capital letter is an initial: "Dr. R. Subramanian".
    if let (Some(c), None) = (letters.next(), letters.next())
        && c.is_uppercase()
    {
        return false;
    }
    !abbreviations.contains(&token.to_lowercase())
}

fn push_trimmed(out: &mut Vec<Range<usize>>, slice: &str, base: usize, r: Range<usize>) {
    let s = &slice[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(base + r.start + lead..base + r.end - trail);
    }
}

/// Word ranges in `text[range]`: whitespace-separated tokens that contain a
/// letter or digit (or stand for inline code). "—" and list bullets are not
/// words; "40-odd" and "$2M" are one word each.
pub fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let slice = &text[range.clone()];
    let mut out = Vec::new();
    let mut pos = 0;
    for token in slice.split([' ', '\n']) {
        let r = range.start + pos..range.start + pos + token.len();
        pos += token.len() + 1;
        if token.chars().any(|c| c.is_alphanumeric() || c == OPAQUE) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abbr() -> HashSet<String> {
        ["mr", "mrs", "dr", "e.g", "i.e", "etc", "no"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0..text.len(), &abbr())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn abbreviations_initials_decimals_urls_do_not_end_sentences() {
        assert_eq!(
            split(
                "I met Mr. Jones and Dr. R. Smith, e.g. at 3.5 pm. See example.com/a.b now! Done?"
            ),
            vec![
                "I met Mr. Jones and Dr. R. Smith, e.g. at 3.5 pm.",
                "See example.com/a.b now!",
                "Done?"
            ]
        );
    }

    #[test]
    fn ellipses_and_quotes() {
        assert_eq!(
            split("I was nervous... and it showed. He said \"no.\" Then \u{2026} fine."),
            vec![
                "I was nervous... and it showed.",
                "He said \"no.\"",
                "Then \u{2026} fine."
            ]
        );
    }

    #[test]
    fn hard_breaks_split() {
        assert_eq!(
            split("first item\nsecond item."),
            vec!["first item", "second item."]
        );
    }

    #[test]
    fn counts_words_like_the_labels() {
        let t = "I\u{2019}ve done 40-odd jobs \u{2014} $2M \u{FFFC} !";
        assert_eq!(words(t, 0..t.len()).len(), 6);
    }
}
