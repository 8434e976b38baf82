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
//!
//! Whitespace counts as one space: the gate runs over the prose with each
//! run of whitespace made one space ([`collapse_whitespace`]), and a
//! literal's whitespace is read the same way, so `thanks\s+to` gates on
//! "thanks to" rather than on "thanks" and "to" apart. Where a regex goes
//! on past its literal words, the strings every match of the next part
//! starts with extend the literal (`\((insert|enter)\b[^)]*\)` gates on
//! "(insert" and "(enter", not on "(" and a common word).

use regex_syntax::hir::{Class, Hir, HirKind};

/// Strings a node matches exactly, when that set is small.
type Exact = Option<Vec<String>>;

/// Strings every match of a node starts with, when that set is small.
type Prefix = Option<Vec<String>>;

/// `text` with each run of whitespace made one space (borrowed when it
/// has no whitespace but single spaces).
pub fn collapse_whitespace(text: &str) -> std::borrow::Cow<'_, str> {
    // Bytes are read one at a time, and only a character outside ASCII is
    // decoded; the text is copied only from the first change on.
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut prev_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // A run of printable ASCII other than the space: nothing to change.
        if b > b' ' && b < 0x80 {
            i += 1;
            while i < bytes.len() && bytes[i] > b' ' && bytes[i] < 0x80 {
                i += 1;
            }
            prev_space = false;
            continue;
        }
        let (space, len) = if b.is_ascii() {
            (
                matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r'),
                1,
            )
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        if space && (b != b' ' || prev_space) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            if !prev_space {
                o.push(' ');
            }
            copied = i + len;
        }
        prev_space = space;
        i += len;
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// A set of literals one of which every match holds (a clause); a gate is
/// several clauses, all of which must hold.
pub type Clause = Vec<String>;

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
    let (_, mut clauses, _) = walk(&hir);
    clauses.retain(worth_it);
    clauses.sort_by_key(|c| std::cmp::Reverse(rank(c)));
    clauses.dedup();
    clauses.truncate(MAX_CLAUSES);
    clauses
}

/// The gates of the built-in pack's regexes, computed ahead (a cache:
/// `rules/gates.bin`, pattern → clauses and stand-in kinds, written by
/// [`write_gates`]). `tests/fast_paths.rs` fails when it is stale
/// (`UPDATE_GATES=1 cargo test --test fast_paths` rewrites it); a pattern
/// it lacks has its gate computed when loaded. Binary (postcard), so that
/// reading it borrows every string instead of unescaping ~600 of them out
/// of JSON.
pub const BUILTIN_GATES: &[u8] = include_bytes!("../../rules/gates.bin");

/// What is computed ahead for one regex: its gate's clauses, and the
/// kinds of non-ASCII characters it cannot tell from their ASCII
/// stand-ins ([`uniform_kinds`]), for its case-insensitive and its
/// case-sensitive form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ahead<S> {
    pub clauses: Vec<Vec<S>>,
    pub uniform: [u8; 2],
}

impl Ahead<String> {
    /// Everything [`Ahead`] holds, computed for `pattern` (as written).
    pub fn of(pattern: &str) -> Ahead<String> {
        Ahead {
            clauses: gate(pattern),
            uniform: [
                uniform_kinds(&format!("(?i){pattern}")),
                uniform_kinds(pattern),
            ],
        }
    }
}

/// The stand-in kinds a regex (as compiled) cannot tell apart
/// (`stand_in.rs`); 0 when it does not parse.
pub fn uniform_kinds(full: &str) -> u8 {
    super::stand_in::uniform_kinds(full)
}

/// A table of gates: pattern (as written) → what was computed ahead,
/// borrowed from the bytes read.
pub type GateTable<'a> = super::words::FastMap<&'a str, Ahead<&'a str>>;

/// [`BUILTIN_GATES`], read once (empty if it does not read: every gate is
/// then computed when its pattern loads).
pub fn builtin_gates() -> &'static GateTable<'static> {
    static GATES: std::sync::OnceLock<GateTable<'static>> = std::sync::OnceLock::new();
    GATES.get_or_init(|| read_gates(BUILTIN_GATES).unwrap_or_default())
}

/// A gate table as [`write_gates`] writes it; `None` when it does not read.
pub fn read_gates(bytes: &[u8]) -> Option<GateTable<'_>> {
    let pairs: Vec<(&str, Ahead<&str>)> = postcard::from_bytes(bytes).ok()?;
    Some(pairs.into_iter().collect())
}

/// The bytes of a gate table, in pattern order.
pub fn write_gates(gates: &std::collections::BTreeMap<String, Ahead<String>>) -> Vec<u8> {
    let pairs: Vec<(&str, &Ahead<String>)> = gates.iter().map(|(p, g)| (p.as_str(), g)).collect();
    postcard::to_allocvec(&pairs).expect("serializing to memory cannot fail")
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
    // Every hazard is outside ASCII: only the characters from the first
    // non-ASCII byte on are decoded.
    let Some(first) = text.bytes().position(|b| !b.is_ascii()) else {
        return false;
    };
    text[first..]
        .chars()
        .any(|c| !c.is_ascii() && hazards().contains(&c))
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

/// Literals this long are rare enough in prose: a longer one gates
/// no better.
const GOOD_LEN: usize = 8;

/// A clause's rank: the longer its shortest literal (up to [`GOOD_LEN`]),
/// the rarer it holds; then the smaller it is, the cheaper to search for.
fn rank(set: &Clause) -> (Option<usize>, std::cmp::Reverse<usize>) {
    (
        score(set).map(|n| n.min(GOOD_LEN)),
        std::cmp::Reverse(set.iter().map(String::len).sum()),
    )
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
            .flat_map(|prefix| {
                set.iter()
                    .map(move |s| collapse_whitespace(&format!("{prefix}{s}")).into_owned())
            })
            .collect();
        out = dedup(out);
    }
    Some(out)
}

/// A literal's text, ASCII-lowercased, its whitespace collapsed; `None`
/// when it is not ASCII.
fn ascii_lower(bytes: &[u8]) -> Option<String> {
    bytes.is_ascii().then(|| {
        collapse_whitespace(&String::from_utf8_lossy(bytes).to_ascii_lowercase()).into_owned()
    })
}

/// Does the class hold whitespace only (`\s`, `[ \t]`)?
fn whitespace_only(class: &Class) -> bool {
    match class {
        Class::Unicode(c) => {
            c.iter().next().is_some()
                && c.iter()
                    .all(|r| (r.start()..=r.end()).all(char::is_whitespace))
        }
        Class::Bytes(c) => {
            c.iter().next().is_some()
                && c.iter().all(|r| {
                    (r.start()..=r.end()).all(|b| b.is_ascii() && (b as char).is_whitespace())
                })
        }
    }
}

/// The union of every branch's set, when each has one and it stays small.
fn union<'a>(sets: impl Iterator<Item = Option<&'a Vec<String>>>) -> Option<Vec<String>> {
    let sets: Vec<&Vec<String>> = sets.collect::<Option<_>>()?;
    let all = dedup(sets.into_iter().flatten().cloned().collect());
    (all.len() <= MAX_SET).then_some(all)
}

/// A set holding the empty string says nothing of what a match starts with.
fn nonempty(set: Vec<String>) -> Prefix {
    (!set.iter().any(String::is_empty)).then_some(set)
}

/// (exact set, clauses every match satisfies, prefixes) of a node.
fn walk(hir: &Hir) -> (Exact, Vec<Clause>, Prefix) {
    let (exact, clauses, prefix) = walk_node(hir);
    // An exact set is its own prefix set.
    let prefix = match &exact {
        Some(e) => nonempty(e.clone()),
        None => prefix,
    };
    (exact, clauses, prefix)
}

fn walk_node(hir: &Hir) -> (Exact, Vec<Clause>, Prefix) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (Some(vec![String::new()]), Vec::new(), None),
        HirKind::Literal(lit) => {
            let s = ascii_lower(&lit.0);
            (
                s.clone().map(|s| vec![s]),
                s.map(|s| vec![s]).into_iter().collect(),
                None,
            )
        }
        HirKind::Class(class) if whitespace_only(class) => {
            (Some(vec![" ".to_string()]), Vec::new(), None)
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
            (
                exact.clone(),
                exact.and_then(usable).into_iter().collect(),
                None,
            )
        }
        HirKind::Capture(c) => walk(&c.sub),
        HirKind::Repetition(rep) => {
            let (exact, clauses, prefix) = walk(&rep.sub);
            // Whitespace, any number of times: one space (or none).
            if exact.as_deref() == Some(&[" ".to_string()][..]) {
                let e = if rep.min == 0 {
                    vec![String::new(), " ".into()]
                } else {
                    vec![" ".into()]
                };
                return (Some(e), Vec::new(), None);
            }
            if rep.min == 0 {
                let exact = match (rep.max, exact) {
                    (Some(1), Some(mut e)) => {
                        e.push(String::new());
                        Some(dedup(e))
                    }
                    _ => None,
                };
                (exact, Vec::new(), None)
            } else {
                let exact = if rep.max == Some(rep.min) && rep.min <= 16 {
                    exact.and_then(|e| product(&vec![&e; rep.min as usize]))
                } else {
                    None
                };
                (exact, clauses, prefix)
            }
        }
        HirKind::Concat(children) => {
            let parts: Vec<(Exact, Vec<Clause>, Prefix)> = children.iter().map(walk).collect();
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
                    // The shortest product whose literals are all long
                    // enough to be rare, else the longest that fits: longer
                    // ones gate no better and cost the automaton more.
                    for b in a + 1..=j {
                        let sets: Vec<&Vec<String>> =
                            parts[a..b].iter().filter_map(|p| p.0.as_ref()).collect();
                        let Some(p) = product(&sets) else {
                            break;
                        };
                        let good = score(&p).is_some_and(|n| n >= GOOD_LEN);
                        taken = b;
                        clause = usable(p);
                        if good && clause.is_some() {
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
                // The run, then what the next part starts with: the
                // longest tail of the run whose product with those fits.
                if let Some(Some(next)) = parts.get(j).map(|p| p.2.as_ref()) {
                    for a in i..j {
                        let mut sets: Vec<&Vec<String>> =
                            parts[a..j].iter().filter_map(|p| p.0.as_ref()).collect();
                        sets.push(next);
                        if let Some(c) = product(&sets).and_then(usable) {
                            clauses.push(c);
                            break;
                        }
                    }
                }
                i = j;
            }
            let all: Option<Vec<&Vec<String>>> = parts.iter().map(|p| p.0.as_ref()).collect();
            let exact = all.and_then(|sets| product(&sets));
            // What a match starts with: the exact parts up to the first
            // inexact one, then that one's prefixes (when it has them).
            let lead = parts.iter().take_while(|p| p.0.is_some()).count();
            let mut sets: Vec<&Vec<String>> =
                parts[..lead].iter().filter_map(|p| p.0.as_ref()).collect();
            if let Some(Some(next)) = parts.get(lead).map(|p| p.2.as_ref()) {
                sets.push(next);
            }
            let prefix = product(&sets).and_then(nonempty);
            (exact, clauses, prefix)
        }
        HirKind::Alternation(children) => {
            let parts: Vec<(Exact, Vec<Clause>, Prefix)> = children.iter().map(walk).collect();
            let exact = union(parts.iter().map(|p| p.0.as_ref()));
            let prefix = union(parts.iter().map(|p| p.2.as_ref()));
            // One clause: each branch's best, joined.
            let clause = parts
                .iter()
                .map(|(e, c, _)| {
                    let mut options: Vec<Clause> = c.clone();
                    options.extend(e.clone().and_then(usable));
                    best(&options).cloned()
                })
                .collect::<Option<Vec<Clause>>>()
                .and_then(|v| usable(v.concat()));
            (exact, clause.into_iter().collect(), prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in table reads; bytes that are not a table read as none
    /// (every gate is then computed when its pattern loads), never a panic.
    #[test]
    fn a_gate_table_reads_back_and_garbage_reads_as_none() {
        // Every built-in regex has its entry.
        let set = crate::rules::RuleSet::builtin().expect("built-in pack");
        assert!(set.matchers.pattern_count() > 30);
        for i in 0..set.matchers.pattern_count() {
            let p = set.matchers.pattern_source(i);
            assert!(builtin_gates().contains_key(p), "{p}");
        }
        let mut want = std::collections::BTreeMap::new();
        want.insert("thank[- ]?you".to_string(), Ahead::of("thank[- ]?you"));
        let bytes = write_gates(&want);
        let back = read_gates(&bytes).expect("reads");
        let got = back.get("thank[- ]?you").expect("written");
        assert_eq!(got.clauses.len(), want["thank[- ]?you"].clauses.len());
        assert_eq!(got.uniform, want["thank[- ]?you"].uniform);
        for garbage in [&b""[..], b"\xff\xff\xff\xff\xff", &bytes[..bytes.len() - 1]] {
            assert!(read_gates(garbage).is_none(), "{garbage:?}");
        }
    }

    fn gate(p: &str) -> Option<Vec<String>> {
        required_literals(p)
    }

    #[test]
    fn a_gate_holds_every_required_part() {
        assert_eq!(
            super::gate(r"\bnever\s+(once\s+)?been\s+(wrong|right)\b"),
            // Literals long enough to be rare are not made longer.
            vec![
                vec!["never been".to_string(), "never once been".to_string()],
                vec![" right".to_string(), " wrong".to_string()]
            ]
        );
        // Too many combinations for one clause: each run on its own.
        assert_eq!(
            super::gate(r"\bnever\s+\w+\s+wrong\b"),
            vec![vec!["never ".to_string()], vec![" wrong".to_string()]]
        );
    }

    #[test]
    fn whitespace_is_one_space_in_gates_and_text() {
        assert_eq!(
            gate(r"to\s+be\s*me"),
            Some(vec!["to be me".into(), "to beme".into()])
        );
        assert_eq!(gate(r"a  b\s\tc"), Some(vec!["a b c".into()]));
        assert_eq!(collapse_whitespace("a b"), "a b");
        assert!(matches!(
            collapse_whitespace("a b"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(collapse_whitespace("a \n\n b\tc  "), "a b c ");
        // The byte loop gives what a character loop does, on every string
        // of up to 4 characters over spaces, other whitespace and letters.
        let by_char = |t: &str| {
            let mut out = String::new();
            let mut in_space = false;
            for c in t.chars() {
                if c.is_whitespace() {
                    if !in_space {
                        out.push(' ');
                    }
                    in_space = true;
                } else {
                    out.push(c);
                    in_space = false;
                }
            }
            out
        };
        let alphabet = [
            ' ',
            '\n',
            '\t',
            '\u{0B}',
            '\u{A0}',
            '\u{2003}',
            'a',
            '\u{e9}',
            '\u{1F642}',
        ];
        let mut cases = vec![String::new()];
        for len in 0..4 {
            let longer: Vec<String> = cases
                .iter()
                .filter(|c| c.chars().count() == len)
                .flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}")))
                .collect();
            cases.extend(longer);
        }
        for t in &cases {
            let fast = collapse_whitespace(t);
            assert_eq!(fast, by_char(t), "{t:?}");
            assert_eq!(
                matches!(fast, std::borrow::Cow::Borrowed(_)),
                fast == t.as_str(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_literal_goes_on_into_what_the_next_part_starts_with() {
        assert_eq!(
            super::gate(r"\((insert|enter)\b[^()\n]{0,60}\)"),
            vec![vec!["(enter".to_string(), "(insert".to_string()]]
        );
        // An optional part starts with nothing in particular.
        assert_eq!(
            super::gate(r"\((insert)?[^)]*\)"),
            Vec::<Vec<String>>::new()
        );
    }

    #[test]
    fn picks_a_literal_every_match_holds() {
        assert_eq!(
            gate(r"\bnever\s+(once\s+)?been\s+wrong\b"),
            Some(vec!["never been".into(), "never once been".into()])
        );
        assert_eq!(
            gate(r"\bthe\s+perfect\s+(fit|candidate)\b"),
            Some(vec!["the perfect".into()])
        );
        assert_eq!(
            gate(r"\b(of\s+a\s+lifetime|once[- ]in[- ]a[- ]lifetime)\b").map(|v| v.len()),
            Some(9)
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
        assert_eq!(gate(r"\{\{\s*x"), Some(vec!["{{ x".into(), "{{x".into()]));
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
