//! Every literal phrase of the built-in rule pack, one a line, lowercase,
//! sorted and without repeats: the pattern file of the ripgrep reference
//! in `benches/compare.sh` (`rg -c -i -F -f PHRASES DIR`).
//!
//! ```sh
//! cargo run --release --example pack_phrases > phrases.txt
//! ```
//!
//! What counts as a phrase: each item of a top-level `lists:` entry, and
//! each item of every `phrases:` list anywhere in a rule (triggers,
//! `exceptions`, `with`, `without`, ...), in every built-in rule file.
//! Regexes (`patterns:`) are left out: ripgrep gets literals only. Phrase
//! syntax is turned into literals as follows:
//!
//! - `=word` (an exact form) is the word;
//! - a gap (`...`, `...3`) splits the phrase: each side is a phrase;
//! - a list reference (`@job`) splits it too (the list's own items are
//!   phrases already), and so does `#` (any numeral);
//! - alternatives (`work for|at|with`) are expanded into every
//!   combination (`work for`, `work at`, `work with`), and an optional
//!   word (`directly?`) into the phrase with and without it, up to 64
//!   combinations per phrase; beyond that each word stands alone;
//! - a contraction the pack writes split (`did n't`) is joined (`didn't`).

use std::collections::BTreeSet;

const MAX_COMBINATIONS: usize = 64;

fn main() {
    let mut out = BTreeSet::new();
    for (name, source) in emaillint::rules::BUILTIN {
        let doc: serde_yaml::Value = match serde_yaml::from_str(source) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: {name}: {e}");
                std::process::exit(2);
            }
        };
        if let Some(lists) = doc.get("lists").and_then(|l| l.as_mapping()) {
            for (_, items) in lists {
                add_all(items, &mut out);
            }
        }
        if let Some(rules) = doc.get("rules") {
            phrases_in(rules, &mut out);
        }
    }
    let mut text = String::new();
    for p in &out {
        text.push_str(p);
        text.push('\n');
    }
    print!("{text}");
    eprintln!("{} phrases", out.len());
}

/// Every `phrases:` list below `v`.
fn phrases_in(v: &serde_yaml::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                if k.as_str() == Some("phrases") {
                    add_all(v, out);
                } else if k.as_str() != Some("examples") {
                    phrases_in(v, out);
                }
            }
        }
        serde_yaml::Value::Sequence(s) => s.iter().for_each(|v| phrases_in(v, out)),
        _ => {}
    }
}

/// The literals of each string item of a sequence.
fn add_all(items: &serde_yaml::Value, out: &mut BTreeSet<String>) {
    for item in items.as_sequence().into_iter().flatten() {
        if let Some(p) = item.as_str() {
            literals(p, out);
        }
    }
}

/// The literal phrases one phrase stands for.
fn literals(phrase: &str, out: &mut BTreeSet<String>) {
    let mut segment: Vec<Vec<&str>> = Vec::new();
    for token in phrase.split_whitespace() {
        let body = token.trim_end_matches('?');
        if token.starts_with("...") || token.starts_with('@') || body.split('|').any(|w| w == "#") {
            expand(&segment, out);
            segment.clear();
        } else {
            // `word?` is optional: the phrase with it and without it.
            let (token, optional) = match token.strip_suffix('?') {
                Some(t) => (t, true),
                None => (token, false),
            };
            let mut alts: Vec<&str> = token
                .split('|')
                .map(|w| w.trim_start_matches('='))
                .filter(|w| !w.is_empty())
                .collect();
            if optional && !alts.is_empty() {
                alts.push("");
            }
            segment.push(alts);
        }
    }
    expand(&segment, out);
}

/// The combinations of a run of words with alternatives.
fn expand(segment: &[Vec<&str>], out: &mut BTreeSet<String>) {
    let segment: Vec<&Vec<&str>> = segment.iter().filter(|alts| !alts.is_empty()).collect();
    if segment.is_empty() {
        return;
    }
    let count = segment
        .iter()
        .try_fold(1usize, |n, alts| n.checked_mul(alts.len()))
        .unwrap_or(usize::MAX);
    if count > MAX_COMBINATIONS {
        for alts in segment {
            out.extend(
                alts.iter()
                    .filter(|w| !w.is_empty())
                    .map(|w| w.to_lowercase()),
            );
        }
        return;
    }
    let mut phrases = vec![String::new()];
    for alts in segment {
        let mut next = Vec::with_capacity(phrases.len() * alts.len());
        for p in &phrases {
            for w in alts {
                next.push(if p.is_empty() {
                    w.to_lowercase()
                } else if w.is_empty() {
                    p.clone()
                } else if w.starts_with('\'') || *w == "n't" {
                    // Contractions are split in the pack ("did n't").
                    format!("{p}{}", w.to_lowercase())
                } else {
                    format!("{p} {}", w.to_lowercase())
                });
            }
        }
        phrases = next;
    }
    out.extend(phrases.into_iter().filter(|p| !p.is_empty()));
}
