//! Filling a rule's `message` and `label` templates.

/// Nouns that follow a count in the built-in messages, and their singulars.
const NOUNS: &[(&str, &str)] = &[
    ("words", "word"),
    ("days", "day"),
    ("times", "time"),
    ("sentences", "sentence"),
    ("paragraphs", "paragraph"),
];

/// Fill `{name}` placeholders in one pass (text from the draft put in by a
/// placeholder is never itself filled). A noun right after a number agrees
/// with it: `{count} day(s)` reads "1 day" or "3 days", and `{count} words`
/// reads "1 word" when the count is one.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (close, *v))
        });
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
                if let Ok(n) = v.parse::<f64>() {
                    rest = agree(&mut out, rest, n.abs() == 1.0);
                }
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// After a number: write the noun that follows in `rest` in the right
/// number, and return what is left.
fn agree<'t>(out: &mut String, rest: &'t str, one: bool) -> &'t str {
    let Some(words) = rest.strip_prefix(' ') else {
        return rest;
    };
    let end = words
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(words.len());
    let (word, tail) = words.split_at(end);
    if let Some(tail) = tail.strip_prefix("(s)") {
        out.push(' ');
        out.push_str(word);
        if !one {
            out.push('s');
        }
        return tail;
    }
    if one && let Some((_, singular)) = NOUNS.iter().find(|(plural, _)| *plural == word) {
        out.push(' ');
        out.push_str(singular);
        return tail;
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn nouns_agree_with_their_number() {
        let t = "sent {count} day(s) after; {limit} words at most";
        assert_eq!(
            fill(t, &[("count", "1"), ("limit", "1")]),
            "sent 1 day after; 1 word at most"
        );
        assert_eq!(
            fill(t, &[("count", "3"), ("limit", "40")]),
            "sent 3 days after; 40 words at most"
        );
        assert_eq!(fill("{count} day(s)", &[("count", "1.5")]), "1.5 days");
    }

    #[test]
    fn values_are_not_filled_again_and_unknown_braces_stay() {
        assert_eq!(
            fill("“{match}” {x}", &[("match", "{limit}"), ("limit", "2")]),
            "“{limit}” {x}"
        );
        assert_eq!(fill("{count} so", &[("count", "1")]), "1 so");
        assert_eq!(fill("open {", &[]), "open {");
    }
}
