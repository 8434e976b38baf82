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
    let bytes = slice.as_bytes();
    let base = range.start;
    let mut start = 0;
    // The character at byte `at`, if any.
    let char_at = |at: usize| slice.get(at..).and_then(|rest| rest.chars().next());
    let mut i = 0;
    // Only a line break or terminal punctuation can end a sentence: skip
    // to the next byte that can begin one (`…` begins with 0xE2), instead
    // of decoding every character. Each is a character boundary.
    while let Some(skip) = bytes.get(i..).and_then(|rest| {
        rest.iter()
            .position(|&b| matches!(b, b'.' | b'!' | b'?' | b'\n' | 0xE2))
    }) {
        i += skip;
        let Some(c) = char_at(i) else { break };
        if c == '\n' {
            push_trimmed(&mut out, slice, base, start..i);
            start = i + 1;
            i += 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?' | '\u{2026}') {
            i += c.len_utf8();
            continue;
        }
        // The whole run of terminal punctuation, then closing quotes/brackets.
        let mut end = i + c.len_utf8();
        while let Some(d) = char_at(end).filter(|d| matches!(d, '.' | '!' | '?' | '\u{2026}')) {
            end += d.len_utf8();
        }
        let run = &slice[i..end];
        let before_closers = end;
        while let Some(d) =
            char_at(end).filter(|d| matches!(d, '"' | '\'' | ')' | ']' | '*' | '_' | '\u{00BB}'))
        {
            end += d.len_utf8();
        }
        let terminal = i;
        i = end;
        let at_boundary = matches!(char_at(end), None | Some(' ' | '\n'));
        if !at_boundary || is_ellipsis(run) {
            continue;
        }
        // A full stop inside closing quotes ends the quoted sentence, even
        // after a word that could be an abbreviation ("no.").
        let quoted = slice[before_closers..end].contains(['"', '\'', '\u{00BB}']);
        if run == "." && !quoted && !ends_sentence(&slice[start..terminal], abbreviations) {
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
    let bytes = slice.as_bytes();
    // Prose has about one word in five and a half bytes.
    let mut out = Vec::with_capacity(bytes.len() / 5 + 2);
    let mut push = |from: usize, to: usize| {
        let token = &bytes[from..to];
        // An ASCII letter or digit settles it; only a token without one
        // and with other bytes needs its characters decoded.
        if token.iter().any(u8::is_ascii_alphanumeric)
            || (!token.is_ascii()
                && slice[from..to]
                    .chars()
                    .any(|c| c.is_alphanumeric() || c == OPAQUE))
        {
            out.push(range.start + from..range.start + to);
        }
    };
    // Space and line feed are single bytes, never inside a character.
    let mut from = 0;
    for at in memchr::memchr2_iter(b' ', b'\n', bytes) {
        push(from, at);
        from = at + 1;
    }
    push(from, bytes.len());
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
