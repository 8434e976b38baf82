//! The one place that talks to YAML libraries.
//!
//! `serde_yaml` turns rule files, config files and front matter into typed
//! values; its errors already carry the position of an unknown key or a wrong
//! type. For errors found after deserializing (a regex that does not compile,
//! a duplicate id) a `SpanIndex`, built from `saphyr-parser`'s events, maps a
//! path such as `rules[3].patterns[1]` to the exact bytes of that node.
//! Swapping YAML libraries touches this file only.

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

/// Deserialize `src` into `T`. Errors carry a span pointing at the offending
/// key or value. The `at line L column C` suffix serde_yaml adds is removed;
/// the span says it better.
pub fn from_str<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
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

/// Parse `src` as an untyped YAML value (for front matter).
pub fn value_from_str(src: &str) -> Result<serde_yaml::Value, YamlError> {
    from_str(src)
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
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(src) {
            let Ok((event, span)) = item else { break };
            let (start, end) = (byte(span.start.index()), byte(span.end.index()));
            match event {
                Event::Scalar(value, ..) => {
                    let node = Span::new(start, end.max(start));
                    index.node(&mut stack, Some(value.to_string()), node);
                }
                Event::Alias(_) => index.node(&mut stack, None, Span::new(start, end)),
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

    /// Record a scalar or alias: either a mapping key, or a value at a path.
    fn node(&mut self, stack: &mut [Frame], scalar: Option<String>, span: Span) {
        match stack.last_mut() {
            Some(Frame::Map {
                path, pending_key, ..
            }) => match pending_key.take() {
                None => *pending_key = Some((join(path, &scalar.unwrap_or_default()), span)),
                Some((key_path, key_span)) => {
                    self.keys.insert(key_path.clone(), key_span);
                    self.values.insert(key_path, span);
                }
            },
            Some(Frame::Seq { path, next, .. }) => {
                self.values.insert(format!("{path}[{next}]"), span);
                *next += 1;
            }
            None => {
                self.values.insert(String::new(), span);
            }
        }
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
    pub fn keys_under<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (&'a str, Span)> + 'a {
        self.keys.iter().filter_map(move |(k, span)| {
            let rest = if path.is_empty() {
                k.as_str()
            } else {
                k.strip_prefix(path)?.strip_prefix('.')?
            };
            (!rest.contains(['.', '['])).then_some((rest, *span))
        })
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
