//! Every mistake in a YAML file, not only the first, in words a person
//! who never saw the Rust types can act on.
//!
//! serde stops at the first unknown key or wrong type. To find the rest,
//! the document is read as an untyped tree and deserialized again and
//! again: each error is recorded at the path serde names and then repaired
//! in the tree (an unknown key removed, a wrong value replaced by one of
//! the right shape, a missing key filled in), until the tree deserializes.
//! Errors about values the repair put in are not mistakes of the file and
//! are not reported. Spans come from the original text by path, so every
//! mistake points at the file's own bytes.

use super::{SpanIndex, YamlError};
use crate::span::Span;
use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

/// A mistake, with where it is and what may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    pub message: String,
    pub span: Option<Span>,
    pub notes: Vec<String>,
}

/// At most this many mistakes are reported per file (and as many repairs
/// tried, twice over), so a file of garbage costs bounded time.
const MAX_MISTAKES: usize = 50;

/// Bytes of YAML re-read in all while looking for more mistakes.
const MAX_WORK: usize = 16 << 20;

/// Every mistake in `src` read as a `T`, in file order. `first` is the
/// error the typed parse gave; a syntax error is all there is, since the
/// document cannot be read past it.
pub fn all<T: DeserializeOwned>(src: &str, first: YamlError) -> Vec<Mistake> {
    // Too large or too deep to parse at all: that is the one mistake.
    if super::check_shape(src, super::MAX_BYTES).is_err() {
        return vec![Mistake {
            message: first.message,
            span: first.span,
            notes: Vec::new(),
        }];
    }
    let Ok(mut tree) = serde_yaml::from_str::<Value>(src) else {
        return vec![syntax(src, first)];
    };
    let index = SpanIndex::build(src);
    let mut found = Vec::new();
    // Paths whose value the repair chose, and how many values it tried.
    let mut repaired: HashMap<String, usize> = HashMap::new();
    // Each round re-reads the whole file: bound the bytes read in all.
    let rounds = (MAX_WORK / src.len().max(1)).clamp(4, MAX_MISTAKES * 4);
    for _ in 0..rounds {
        let Ok(text) = serde_yaml::to_string(&tree) else {
            break;
        };
        let Err(e) = serde_yaml::from_str::<T>(&text) else {
            break;
        };
        let full = e.to_string();
        let full = full
            .rfind(" at line ")
            .map_or(full.as_str(), |i| &full[..i]);
        let (path, what) = split_path(full);
        let ours = repaired.keys().any(|p| {
            path == p || path.starts_with(&format!("{p}.")) || path.starts_with(&format!("{p}["))
        });
        if !ours {
            if found.len() >= MAX_MISTAKES {
                break;
            }
            found.push(describe(&index, path, what));
        }
        if !repair(&mut tree, path, what, &mut repaired) {
            break;
        }
    }
    if found.is_empty() {
        // Nothing the repair could explain: give serde's own words.
        found.push(Mistake {
            message: plain_message(&first.message),
            span: first.span,
            notes: Vec::new(),
        });
    }
    found.sort_by_key(|m| {
        m.span
            .map_or((usize::MAX, usize::MAX), |s| (s.start, s.end))
    });
    found
}

/// `rules[0].kind: unknown variant …` → (`rules[0].kind`, `unknown variant …`).
fn split_path(message: &str) -> (&str, &str) {
    match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.contains('`') => (path, rest),
        _ => ("", message),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The names between backquotes in `s`: `unknown field \`a\`, expected \`b\``.
fn quoted(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// The last key of a path (`rules[2].kind` → `kind`).
fn last_key(path: &str) -> &str {
    let key = path.rsplit('.').next().unwrap_or(path);
    key.split('[').next().unwrap_or(key)
}

fn describe(index: &SpanIndex, path: &str, what: &str) -> Mistake {
    let names = quoted(what);
    let mut notes = Vec::new();
    let suggest =
        |wrong: &str, known: &[&str], notes: &mut Vec<String>| match crate::suggest::closest(
            known.iter().copied(),
            wrong,
        ) {
            Some(near) => notes.push(format!("did you mean `{near}`?")),
            None if !known.is_empty() => {
                notes.push(format!("expected one of: {}", known.join(", ")))
            }
            None => {}
        };
    if let Some(rest) = what.strip_prefix("unknown field ") {
        let names = quoted(rest);
        let key = names.first().copied().unwrap_or("");
        suggest(key, &names[1.min(names.len())..], &mut notes);
        let at = join(path, key);
        return Mistake {
            message: format!("unknown key `{key}`"),
            span: index.key(&at).or_else(|| index.value(path)),
            notes,
        };
    }
    if let Some(rest) = what.strip_prefix("unknown variant ") {
        let names = quoted(rest);
        let value = names.first().copied().unwrap_or("");
        suggest(value, &names[1.min(names.len())..], &mut notes);
        let key = last_key(path);
        let message = if key.is_empty() {
            format!("`{value}` is not allowed here")
        } else {
            format!("unknown value `{value}` for `{key}`")
        };
        return Mistake {
            message,
            span: index.value(path),
            notes,
        };
    }
    if what.starts_with("missing field ") {
        let key = names.first().copied().unwrap_or("");
        return Mistake {
            message: format!("missing key `{key}`"),
            span: index.value(path).map(|s| Span::new(s.start, s.start)),
            notes: vec![format!("add `{key}:` here")],
        };
    }
    let key = last_key(path);
    let message = match what
        .strip_prefix("invalid type: ")
        .or_else(|| what.strip_prefix("invalid value: "))
    {
        Some(rest) => {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let subject = if key.is_empty() {
                "the file".to_string()
            } else {
                format!("`{key}`")
            };
            format!(
                "{subject} should be {}, not {}",
                plain_type(expected),
                plain_type(found)
            )
        }
        None => plain_message(what),
    };
    Mistake {
        message,
        span: index.value(path).or_else(|| index.key(path)),
        notes,
    }
}

/// serde's name for a type or a value, as a reader would say it.
fn plain_type(t: &str) -> String {
    let t = t.trim();
    if t.starts_with("struct ") || matches!(t, "a map" | "map" | "a mapping" | "mapping") {
        return "a mapping (`key: value` lines)".into();
    }
    if t.starts_with("enum ") {
        return "one of the allowed words".into();
    }
    match t {
        "sequence" | "a sequence" => "a list".into(),
        "f32" | "f64" | "a number" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of zero or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "unit value" | "null" => "empty (null)".into(),
        "a string" | "string" => "text".into(),
        "a boolean" | "bool" => "true or false".into(),
        "option" => "a value".into(),
        _ => {
            if let Some(s) = t.strip_prefix("string ") {
                format!("the text {s}")
            } else if let Some(n) = t
                .strip_prefix("integer ")
                .or_else(|| t.strip_prefix("floating point "))
            {
                format!("the number {}", n.trim_matches('`'))
            } else if let Some(b) = t.strip_prefix("boolean ") {
                b.trim_matches('`').to_string()
            } else {
                t.to_string()
            }
        }
    }
}

/// A message from serde with its Rust names put plainly.
fn plain_message(m: &str) -> String {
    let mut out = m.to_string();
    if let Some(i) = out.find("expected struct ") {
        let end = out[i + 16..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(out.len(), |j| i + 16 + j);
        out.replace_range(i..end, "expected a mapping (`key: value` lines)");
    }
    out
}

/// A syntax error, with a plain word for the commonest one: a tab.
fn syntax(src: &str, e: YamlError) -> Mistake {
    let line_of = |at: usize| {
        let start = src[..at.min(src.len())].rfind('\n').map_or(0, |i| i + 1);
        let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        (start, &src[start..end])
    };
    let tab = e.span.and_then(|s| {
        let (start, line) = line_of(s.start);
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..indent]
            .find('\t')
            .or_else(|| {
                (e.message.contains("tab"))
                    .then(|| line.find('\t'))
                    .flatten()
            })
            .map(|i| Span::new(start + i, start + i + 1))
    });
    match tab {
        Some(span) => Mistake {
            message: "a tab in the indentation: YAML indents with spaces only".into(),
            span: Some(span),
            notes: vec![
                "replace the tab with spaces (two per level, as in the rest of the file)".into(),
            ],
        },
        None => Mistake {
            message: e.message,
            span: e.span,
            notes: Vec::new(),
        },
    }
}

/// The node at `path` (`rules[2].examples`), if there is one.
fn node_mut<'v>(tree: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut node = tree;
    if path.is_empty() {
        return Some(node);
    }
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.as_mapping_mut()?.get_mut(key)?;
        }
        for ix in indices.split('[').skip(1) {
            let i: usize = ix.trim_end_matches(']').parse().ok()?;
            node = node.as_sequence_mut()?.get_mut(i)?;
        }
    }
    Some(node)
}

/// Values tried in turn for a node the file got wrong, so that the rest of
/// the file can be read: the first allowed word, then one of each shape.
fn stand_ins(what: &str) -> Vec<Value> {
    let mut v = Vec::new();
    if what.contains("expected one of ") {
        if let Some(first) = quoted(what.split("expected one of ").nth(1).unwrap_or("")).first() {
            v.push(Value::String((*first).to_string()));
        }
    }
    v.extend([
        Value::String("x".into()),
        Value::Number(0.into()),
        Value::Bool(false),
        Value::Sequence(Vec::new()),
        Value::Mapping(Mapping::new()),
        Value::Null,
    ]);
    v
}

/// Change the tree so that the error at `path` goes away. False when it
/// cannot be repaired (then the search stops).
fn repair(tree: &mut Value, path: &str, what: &str, repaired: &mut HashMap<String, usize>) -> bool {
    if let Some(rest) = what.strip_prefix("unknown field ") {
        let Some(key) = quoted(rest).first().map(|k| k.to_string()) else {
            return false;
        };
        return node_mut(tree, path)
            .and_then(Value::as_mapping_mut)
            .and_then(|m| m.remove(key.as_str()))
            .is_some();
    }
    let (target, tried_key) = if what.starts_with("missing field ") {
        let Some(key) = quoted(what).first().map(|k| k.to_string()) else {
            return false;
        };
        (join(path, &key), Some(key))
    } else {
        (path.to_string(), None)
    };
    // The error may be about a stand-in already put at (or under) a path.
    let owner = repaired
        .keys()
        .find(|p| {
            target == **p
                || target.starts_with(&format!("{p}."))
                || target.starts_with(&format!("{p}["))
        })
        .cloned()
        .unwrap_or(target);
    let tries = repaired.entry(owner.clone()).or_insert(0);
    let candidates = stand_ins(what);
    let Some(value) = candidates.get(*tries).cloned() else {
        return false;
    };
    *tries += 1;
    if let Some(key) =
        tried_key.filter(|_| owner == join(path, quoted(what).first().copied().unwrap_or("")))
    {
        return match node_mut(tree, path).and_then(Value::as_mapping_mut) {
            Some(m) => {
                m.insert(Value::String(key), value);
                true
            }
            None => false,
        };
    }
    match node_mut(tree, &owner) {
        Some(node) => {
            *node = value;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        #[serde(default)]
        size: Option<f64>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Kind {
        Small,
        Large,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        items: Vec<Item>,
    }

    fn mistakes(src: &str) -> Vec<Mistake> {
        let first = super::super::from_str::<File>(src).unwrap_err();
        all::<File>(src, first)
    }

    #[test]
    fn every_mistake_in_file_order_in_plain_words() {
        let src = "items:\n  - id: a\n    sise: 3\n  - id: b\n    kind: medium\n  - size: big\n";
        let m = mistakes(src);
        let got: Vec<(&str, &str)> = m
            .iter()
            .map(|m| (m.message.as_str(), &src[m.span.unwrap().range()]))
            .collect();
        assert_eq!(
            got,
            vec![
                ("unknown key `sise`", "sise"),
                ("unknown value `medium` for `kind`", "medium"),
                ("missing key `id`", ""),
                ("`size` should be a number, not the text \"big\"", "big"),
            ]
        );
        assert_eq!(m[0].notes, vec!["did you mean `size`?"]);
        for m in &m {
            assert!(
                !m.message.contains("struct") && !m.message.contains("f64"),
                "{m:?}"
            );
        }
    }

    #[test]
    fn a_list_where_a_mapping_belongs_is_said_plainly() {
        let m = mistakes("- a\n- b\n");
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(
            m[0].message,
            "the file should be a mapping (`key: value` lines), not a list"
        );
    }

    #[test]
    fn a_tab_is_explained() {
        let src = "items:\n\t- id: a\n";
        let m = mistakes(src);
        assert_eq!(m.len(), 1);
        assert!(m[0].message.contains("a tab"), "{m:?}");
        assert_eq!(&src[m[0].span.unwrap().range()], "\t");
    }
}
