//! The one place that talks to YAML libraries.
//!
//! `serde_yaml` turns rule files, config files and front matter into typed
//! values; its errors already carry the position of an unknown key or a wrong
//! type. For errors found after deserializing (a regex that does not compile,
//! a duplicate id) a `SpanIndex`, built from `saphyr-parser`'s events, maps a
//! path such as `rules[3].patterns[1]` to the exact bytes of that node.
//! Swapping YAML libraries touches this module only (`mistakes.rs` reads
//! serde_yaml errors and values too).

pub mod mistakes;

use crate::span::Span;
use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A YAML error with the byte span it is about, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Option<Span>,
}

/// YAML nested deeper than this is refused before it is parsed: parsing
/// deeply nested YAML takes time quadratic in the depth, and no rule file,
/// config or front matter needs more than a handful of levels.
pub const MAX_DEPTH: usize = 64;

/// Rule files and configs larger than this are refused before parsing.
pub const MAX_BYTES: usize = 1 << 20;

/// Front matter larger than this is refused: it holds a few short fields.
pub const MAX_FRONT_MATTER_BYTES: usize = 16 * 1024;

/// Refuse `src` before parsing if it is larger than `max_bytes` or nested
/// deeper than [`MAX_DEPTH`] (an estimate from indentation, `- ` markers
/// and flow brackets that never underestimates real nesting by much, in
/// linear time).
pub fn check_shape(src: &str, max_bytes: usize) -> Result<(), YamlError> {
    if src.len() > max_bytes {
        return Err(YamlError {
            message: format!(
                "too large to read: {} bytes, over the limit of {max_bytes}",
                src.len()
            ),
            span: None,
        });
    }
    let mut indents: Vec<usize> = Vec::new();
    let mut flow: usize = 0;
    let mut block_scalar: Option<usize> = None;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(min) = block_scalar {
            if indent > min {
                continue;
            }
            block_scalar = None;
        }
        if flow == 0 {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        // `- - - x`: each marker is one more level.
        let mut rest = trimmed;
        let mut dashes = 0;
        while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("-\t")) {
            dashes += 1;
            rest = r.trim_start();
        }
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        let mut deepest = flow;
        for c in rest.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' if !prev.is_alphanumeric() => quote = Some(c),
                    '#' if prev == ' ' => break,
                    '[' | '{' => {
                        flow += 1;
                        deepest = deepest.max(flow);
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
        let depth = indents.len() + dashes + deepest;
        if depth > MAX_DEPTH {
            return Err(YamlError {
                message: format!("nested more than {MAX_DEPTH} levels deep; that is not read"),
                span: Some(Span::new(start, start + content.len())),
            });
        }
        let head = rest.trim_end();
        if flow == 0
            && (head.ends_with('|')
                || head.ends_with('>')
                || head.ends_with("|-")
                || head.ends_with(">-")
                || head.ends_with("|+")
                || head.ends_with(">+"))
        {
            block_scalar = Some(indent);
        }
    }
    Ok(())
}

/// Deserialize `src` into `T`. Errors carry a span pointing at the offending
/// key or value. The `at line L column C` suffix serde_yaml adds is removed;
/// the span says it better. Input over [`MAX_BYTES`] or [`MAX_DEPTH`] is
/// refused unparsed.
pub fn from_str<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    check_shape(src, MAX_BYTES)?;
    parse(src)
}

fn parse<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(src).map_err(|e| {
        let span = e.location().map(|loc| {
            let at = loc.index().min(src.len());
            Span::new(at, token_end(src, at))
        });
        let mut message = e.to_string();
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        YamlError { message, span }
    })
}

/// Parse `src` as an untyped YAML value (for front matter, so at most
/// [`MAX_FRONT_MATTER_BYTES`]).
pub fn value_from_str(src: &str) -> Result<serde_yaml::Value, YamlError> {
    check_shape(src, MAX_FRONT_MATTER_BYTES)?;
    parse(src)
}

/// Render a YAML value as a plain string for messages and lookups.
pub fn scalar_string(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The end of the token starting at `at`: up to the end of the line, or to
/// the `:` of a mapping key, trimmed.
fn token_end(src: &str, at: usize) -> usize {
    let rest = &src[at..];
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    let line = match line.find(": ") {
        Some(i) => &line[..i],
        None => line.strip_suffix(':').unwrap_or(line),
    };
    at + line.trim_end().len()
}

/// Spans of every node of a YAML document, by path.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    values: HashMap<String, Span>,
    keys: HashMap<String, Span>,
    /// Plain scalars that YAML reads as null, a boolean or a number, by path.
    non_strings: HashMap<String, &'static str>,
}

/// What a plain scalar is in YAML's core schema, if not a string.
fn plain_type(v: &str) -> Option<&'static str> {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => Some("null"),
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => Some("a boolean"),
        _ if v.parse::<f64>().is_ok()
            || matches!(
                v,
                ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "-.inf" | "+.inf"
            )
            || v.starts_with("0x")
            || v.starts_with("0o") =>
        {
            Some("a number")
        }
        _ => None,
    }
}

enum Frame {
    Map {
        path: String,
        start: usize,
        pending_key: Option<(String, Span)>,
    },
    Seq {
        path: String,
        start: usize,
        next: usize,
    },
}

impl SpanIndex {
    /// Index `src`. A document that does not parse yields a partial index;
    /// the syntax error itself comes from `from_str`.
    pub fn build(src: &str) -> SpanIndex {
        let char_to_byte: Vec<usize> = src
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(src.len()))
            .collect();
        let byte = |char_index: usize| char_to_byte.get(char_index).copied().unwrap_or(src.len());
        let mut index = SpanIndex::default();
        if check_shape(src, MAX_BYTES).is_err() {
            return index;
        }
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(src) {
            let Ok((event, span)) = item else { break };
            let (start, end) = (byte(span.start.index()), byte(span.end.index()));
            match event {
                Event::Scalar(value, style, ..) => {
                    let node = Span::new(start, end.max(start));
                    let kind = (style == saphyr_parser::ScalarStyle::Plain)
                        .then(|| plain_type(&value))
                        .flatten();
                    if let Some(path) = index.node(&mut stack, Some(value.to_string()), node)
                        && let Some(kind) = kind
                    {
                        index.non_strings.insert(path, kind);
                    }
                }
                Event::Alias(_) => {
                    index.node(&mut stack, None, Span::new(start, end));
                }
                Event::MappingStart(..) => {
                    let path = index.child_path(&mut stack, start);
                    stack.push(Frame::Map {
                        path,
                        start,
                        pending_key: None,
                    });
                }
                Event::SequenceStart(..) => {
                    let path = index.child_path(&mut stack, start);
                    stack.push(Frame::Seq {
                        path,
                        start,
                        next: 0,
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(Frame::Map { path, start, .. } | Frame::Seq { path, start, .. }) =
                        stack.pop()
                    {
                        let span = Span::new(start, end.max(start));
                        index.values.entry(path).or_insert(span);
                    }
                }
                _ => {}
            }
        }
        index
    }

    /// Record a scalar or alias: either a mapping key, or a value at a path
    /// (returned).
    fn node(&mut self, stack: &mut [Frame], scalar: Option<String>, span: Span) -> Option<String> {
        match stack.last_mut() {
            Some(Frame::Map {
                path, pending_key, ..
            }) => match pending_key.take() {
                None => {
                    *pending_key = Some((join(path, &scalar.unwrap_or_default()), span));
                    None
                }
                Some((key_path, key_span)) => {
                    self.keys.insert(key_path.clone(), key_span);
                    self.values.insert(key_path.clone(), span);
                    Some(key_path)
                }
            },
            Some(Frame::Seq { path, next, .. }) => {
                let p = format!("{path}[{next}]");
                self.values.insert(p.clone(), span);
                *next += 1;
                Some(p)
            }
            None => {
                self.values.insert(String::new(), span);
                Some(String::new())
            }
        }
    }

    /// If the value at `path` is a plain scalar YAML reads as null, a
    /// boolean or a number (which serde would turn into the string "null"
    /// or "true" where a string is expected), what it is.
    pub fn non_string(&self, path: &str) -> Option<&'static str> {
        self.non_strings.get(path).copied()
    }

    /// The path of a container about to start, registering its key.
    fn child_path(&mut self, stack: &mut [Frame], _start: usize) -> String {
        match stack.last_mut() {
            Some(Frame::Map { pending_key, .. }) => match pending_key.take() {
                Some((key_path, key_span)) => {
                    self.keys.insert(key_path.clone(), key_span);
                    key_path
                }
                None => String::from("<complex key>"),
            },
            Some(Frame::Seq { path, next, .. }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                p
            }
            None => String::new(),
        }
    }

    /// The span of the value at `path` (`rules[2].patterns[0]`).
    pub fn value(&self, path: &str) -> Option<Span> {
        self.values.get(path).copied()
    }

    /// The span of the key naming `path`, if it is a mapping entry.
    pub fn key(&self, path: &str) -> Option<Span> {
        self.keys.get(path).copied()
    }

    /// The key span if there is one, else the value span.
    pub fn key_or_value(&self, path: &str) -> Option<Span> {
        self.key(path).or_else(|| self.value(path))
    }

    /// Keys directly under the mapping at `path`, with their spans.
    /// In source order, so errors about them come out in a stable order.
    pub fn keys_under<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (&'a str, Span)> + 'a {
        let mut keys: Vec<(&'a str, Span)> = self
            .keys
            .iter()
            .filter_map(move |(k, span)| {
                let rest = if path.is_empty() {
                    k.as_str()
                } else {
                    k.strip_prefix(path)?.strip_prefix('.')?
                };
                (!rest.contains(['.', '['])).then_some((rest, *span))
            })
            .collect();
        keys.sort_by_key(|&(k, span)| (span.start, span.end, k));
        keys.into_iter()
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_nested_paths() {
        let src = "rules:\n  - id: thanks\n    patterns: ['a', \"b(\"]\n  - id: x\n    examples:\n      pass: [ok]\nsubject: Hi \u{00E9}t\u{00E9}\n";
        let idx = SpanIndex::build(src);
        let s = idx.value("rules[0].patterns[1]").unwrap();
        assert_eq!(&src[s.range()], "\"b(\"");
        assert_eq!(&src[idx.key("rules[1].id").unwrap().range()], "id");
        assert_eq!(&src[idx.value("rules[1].id").unwrap().range()], "x");
        assert_eq!(
            &src[idx.value("rules[1].examples.pass[0]").unwrap().range()],
            "ok"
        );
        assert_eq!(
            &src[idx.value("subject").unwrap().range()],
            "Hi \u{00E9}t\u{00E9}"
        );
        let mut keys: Vec<_> = idx.keys_under("rules[1]").map(|(k, _)| k).collect();
        keys.sort();
        assert_eq!(keys, vec!["examples", "id"]);
    }

    #[test]
    fn errors_point_at_the_node() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            max: u32,
        }
        let src = "max: many\n";
        let e = from_str::<T>(src).unwrap_err();
        assert_eq!(&src[e.span.unwrap().range()], "many");
        assert!(e.message.contains("invalid type"), "{}", e.message);
        let src = "mx: 1\n";
        let e = from_str::<T>(src).unwrap_err();
        assert_eq!(&src[e.span.unwrap().range()], "mx");
    }
}
