//! Literal gates for regexes: a set of literals at least one of which
//! occurs in every match of a pattern, read off its syntax tree.
//!
//! All gates share one Aho-Corasick automaton, run once per draft; a regex
//! whose gate finds nothing there cannot match and is neither run nor (when
//! compiled lazily) compiled. The gate is exact, not a heuristic: it is
//! matched ASCII-case-insensitively, which covers what `(?i)` matches for
//! ASCII letters except the few non-ASCII characters that Unicode simple
//! case folding maps onto ASCII letters (`ſ` for `s`, the Kelvin sign for
//! `k`); a draft holding one of those runs every regex ungated.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Strings a node matches exactly, when that set is small.
type Exact = Option<Vec<String>>;

/// A set of literals one of which every match holds (a clause); a gate is
/// several clauses, all of which must hold.
type Clause = Vec<String>;

/// At most this many literals in one node's set.
const MAX_SET: usize = 64;
/// A clause's shortest literal must be at least this long to be worth it.
const MIN_LEN: usize = 2;
/// At most this many clauses in one gate (the best ones).
pub const MAX_CLAUSES: usize = 4;

/// The gate of a pattern as written (without the `(?i)` the matcher adds):
/// clauses of lowercase ASCII literals such that every match holds, for
/// each clause, one of its literals (in any ASCII case). Empty when there
/// is no useful clause: the regex then always runs.
pub fn gate(pattern: &str) -> Vec<Clause> {
    match regex_syntax::ast::parse::Parser::new().parse(pattern) {
        Ok(ast) => gate_of(pattern, &ast),
        Err(_) => Vec::new(),
    }
}

/// [`gate`] of a pattern already parsed to `ast`.
pub fn gate_of(pattern: &str, ast: &regex_syntax::ast::Ast) -> Vec<Clause> {
    let Ok(hir) = regex_syntax::hir::translate::Translator::new().translate(pattern, ast) else {
        return Vec::new();
    };
    let (_, mut clauses) = walk(&hir);
    clauses.retain(worth_it);
    clauses.sort_by_key(|c| std::cmp::Reverse(rank(c)));
    clauses.dedup();
    clauses.truncate(MAX_CLAUSES);
    clauses
}

/// The gates of the built-in pack's regexes, computed ahead (a cache:
/// `rules/gates.json`, pattern → clauses). `tests/fast_paths.rs` fails
/// when it is stale (`UPDATE_GATES=1 cargo test --test fast_paths`
/// rewrites it); a pattern it lacks has its gate computed when loaded.
pub const BUILTIN_GATES: &str = include_str!("../../rules/gates.json");

/// [`BUILTIN_GATES`], parsed once.
pub fn builtin_gates() -> &'static std::collections::HashMap<String, Vec<Clause>> {
    static GATES: std::sync::OnceLock<std::collections::HashMap<String, Vec<Clause>>> =
        std::sync::OnceLock::new();
    GATES.get_or_init(|| serde_json::from_str(BUILTIN_GATES).unwrap_or_default())
}

/// The best single clause of a pattern's gate, if any (for tests).
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    gate(pattern).into_iter().next()
}

/// Characters outside ASCII that Unicode simple case folding maps to or
/// from an ASCII letter: where one occurs, an ASCII-case-insensitive gate
/// is not exact for `(?i)` regexes.
pub fn case_fold_hazards() -> Vec<char> {
    use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
    let mut class = ClassUnicode::new([
        ClassUnicodeRange::new('a', 'z'),
        ClassUnicodeRange::new('A', 'Z'),
    ]);
    class.case_fold_simple();
    class
        .iter()
        .flat_map(|r| r.start()..=r.end())
        .filter(|c| !c.is_ascii())
        .collect()
}

fn hazards() -> &'static [char] {
    static HAZARDS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    HAZARDS.get_or_init(case_fold_hazards)
}

/// Does `text` hold a character that makes ASCII-case-insensitive gates
/// inexact?
pub fn has_hazard(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(|c| hazards().contains(&c))
}

/// Symbols rare enough in prose that one alone is a useful clause.
const RARE: &str = "[]{}<>%$_@#^~|\\*+=&";

/// Is a clause selective enough to gate on? Literals of [`MIN_LEN`] or
/// more, or rare symbols.
fn worth_it(c: &Clause) -> bool {
    c.iter()
        .all(|l| l.len() >= MIN_LEN || (l.len() == 1 && RARE.contains(l.as_str())))
}

/// The shortest literal's length (higher is a better clause).
fn score(set: &[String]) -> Option<usize> {
    set.iter().map(String::len).min()
}

/// A clause's rank: the longer its shortest literal and the fewer its
/// literals, the rarer it holds.
fn rank(set: &Clause) -> (Option<usize>, std::cmp::Reverse<usize>) {
    (score(set), std::cmp::Reverse(set.len()))
}

fn best(clauses: &[Clause]) -> Option<&Clause> {
    clauses.iter().max_by(|a, b| rank(a).cmp(&rank(b)))
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// A usable clause: small, no empty literal. A literal holding another one
/// of the clause adds nothing (where it occurs, so does the other).
fn usable(v: Vec<String>) -> Option<Clause> {
    let v = dedup(v);
    let v: Vec<String> = v
        .iter()
        .filter(|s| {
            !v.iter()
                .any(|o| o != *s && !o.is_empty() && s.contains(o.as_str()))
        })
        .cloned()
        .collect();
    (!v.is_empty() && v.len() <= MAX_SET && v.iter().all(|s| !s.is_empty())).then_some(v)
}

fn product(sets: &[&Vec<String>]) -> Option<Vec<String>> {
    let mut out = vec![String::new()];
    for set in sets {
        if out.len() * set.len() > MAX_SET {
            return None;
        }
        out = out
            .iter()
            .flat_map(|prefix| set.iter().map(move |s| format!("{prefix}{s}")))
            .collect();
    }
    Some(dedup(out))
}

/// A literal's text, ASCII-lowercased; `None` when it is not ASCII.
fn ascii_lower(bytes: &[u8]) -> Option<String> {
    bytes
        .is_ascii()
        .then(|| String::from_utf8_lossy(bytes).to_ascii_lowercase())
}

/// (exact set, clauses every match satisfies) of a node.
fn walk(hir: &Hir) -> (Exact, Vec<Clause>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (Some(vec![String::new()]), Vec::new()),
        HirKind::Literal(lit) => {
            let s = ascii_lower(&lit.0);
            (
                s.clone().map(|s| vec![s]),
                s.map(|s| vec![s]).into_iter().collect(),
            )
        }
        HirKind::Class(class) => {
            let chars: Option<Vec<String>> = match class {
                Class::Unicode(c) => {
                    let n: u32 = c
                        .iter()
                        .map(|r| r.end() as u32 - r.start() as u32 + 1)
                        .sum();
                    (n <= 8).then(|| {
                        c.iter()
                            .flat_map(|r| r.start()..=r.end())
                            .filter(|ch| !hazards().contains(ch))
                            .map(|ch| ch.to_string())
                            .collect()
                    })
                }
                Class::Bytes(c) => {
                    let n: usize = c.iter().map(|r| (r.end() - r.start()) as usize + 1).sum();
                    (n <= 8).then(|| {
                        c.iter()
                            .flat_map(|r| r.start()..=r.end())
                            .map(|b| (b as char).to_string())
                            .collect()
                    })
                }
            };
            let exact = chars
                .filter(|v| v.iter().all(|s| s.is_ascii()))
                .map(|v| dedup(v.iter().map(|s| s.to_ascii_lowercase()).collect()));
            (exact.clone(), exact.and_then(usable).into_iter().collect())
        }
        HirKind::Capture(c) => walk(&c.sub),
        HirKind::Repetition(rep) => {
            let (exact, clauses) = walk(&rep.sub);
            if rep.min == 0 {
                let exact = match (rep.max, exact) {
                    (Some(1), Some(mut e)) => {
                        e.push(String::new());
                        Some(dedup(e))
                    }
                    _ => None,
                };
                (exact, Vec::new())
            } else {
                let exact = if rep.max == Some(rep.min) && rep.min <= 16 {
                    exact.and_then(|e| product(&vec![&e; rep.min as usize]))
                } else {
                    None
                };
                (exact, clauses)
            }
        }
        HirKind::Concat(children) => {
            let parts: Vec<(Exact, Vec<Clause>)> = children.iter().map(walk).collect();
            // Every child's clauses hold, and so does the product of each
            // run of adjacent exact children (a longer literal); a clause
            // of a run's member is then implied, so only the product stays.
            let mut clauses: Vec<Clause> = Vec::new();
            let mut i = 0;
            while i < parts.len() {
                if parts[i].0.is_none() {
                    clauses.extend(parts[i].1.iter().cloned());
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < parts.len() && parts[j].0.is_some() {
                    j += 1;
                }
                // The run [i, j): greedily the longest products that fit.
                let mut a = i;
                while a < j {
                    let mut taken = a + 1;
                    let mut clause = None;
                    for b in (a + 1..=j).rev() {
                        let sets: Vec<&Vec<String>> =
                            parts[a..b].iter().filter_map(|p| p.0.as_ref()).collect();
                        if let Some(p) = product(&sets) {
                            taken = b;
                            clause = usable(p);
                            break;
                        }
                    }
                    match clause {
                        Some(c) => clauses.push(c),
                        None => {
                            for p in &parts[a..taken] {
                                clauses.extend(p.1.iter().cloned());
                            }
                        }
                    }
                    a = taken;
                }
                i = j;
            }
            let all: Option<Vec<&Vec<String>>> = parts.iter().map(|p| p.0.as_ref()).collect();
            let exact = all.and_then(|sets| product(&sets));
            (exact, clauses)
        }
        HirKind::Alternation(children) => {
            let parts: Vec<(Exact, Vec<Clause>)> = children.iter().map(walk).collect();
            let exact = parts
                .iter()
                .map(|p| p.0.clone())
                .collect::<Option<Vec<Vec<String>>>>()
                .map(|v| dedup(v.concat()))
                .filter(|v| v.len() <= MAX_SET);
            // One clause: each branch's best, joined.
            let clause = parts
                .iter()
                .map(|(e, c)| {
                    let mut options: Vec<Clause> = c.clone();
                    options.extend(e.clone().and_then(usable));
                    best(&options).cloned()
                })
                .collect::<Option<Vec<Clause>>>()
                .and_then(|v| usable(v.concat()));
            (exact, clause.into_iter().collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(p: &str) -> Option<Vec<String>> {
        required_literals(p)
    }

    #[test]
    fn a_gate_holds_every_required_part() {
        assert_eq!(
            super::gate(r"\bnever\s+(once\s+)?been\s+wrong\b"),
            vec![
                vec!["never".to_string()],
                vec!["wrong".to_string()],
                vec!["been".to_string()]
            ]
        );
    }

    #[test]
    fn picks_a_literal_every_match_holds() {
        assert_eq!(
            gate(r"\bnever\s+(once\s+)?been\s+wrong\b"),
            Some(vec!["never".into()])
        );
        assert_eq!(
            gate(r"\bthe\s+perfect\s+(fit|candidate)\b"),
            Some(vec!["perfect".into()])
        );
        assert_eq!(
            gate(r"\b(of\s+a\s+lifetime|once[- ]in[- ]a[- ]lifetime)\b"),
            Some(vec!["lifetime".into()])
        );
        assert_eq!(
            gate(r"\bthank[- ]?you\b"),
            Some(vec![
                "thank you".into(),
                "thank-you".into(),
                "thankyou".into()
            ])
        );
        assert_eq!(gate(r"\$\{(?P<name>\w{1,30})\}"), Some(vec!["${".into()]));
        assert_eq!(gate(r"\{\{\s*x"), Some(vec!["{{".into()]));
        assert_eq!(gate(r"\?"), None);
        assert_eq!(gate(r"%(?P<name>[A-Z_]{2,30})%"), Some(vec!["%".into()]));
        assert_eq!(gate(r"\w+"), None);
        assert_eq!(gate(r"(abc)?def"), Some(vec!["def".into()]));
        assert_eq!(
            gate(r"(?-i:Dear) (Sir|Madam)"),
            Some(vec!["dear madam".into(), "dear sir".into()])
        );
    }

    #[test]
    fn hazards_are_the_non_ascii_case_variants_of_ascii_letters() {
        let h = case_fold_hazards();
        assert!(h.contains(&'\u{17F}') && h.contains(&'\u{212A}'), "{h:?}");
        assert!(h.iter().all(|c| !c.is_ascii()));
    }
}
