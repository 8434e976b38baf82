//! One rule regex, compiled only as far as drafts need it.
//!
//! A regex is compiled on first use (unless it was checked when loaded),
//! in the cheapest form that is exact for the draft:
//!
//! - **ASCII classes when the prose is ASCII.** On ASCII text, `\w`, `\s`,
//!   `\d`, `\b` and `(?i)` mean the same with ASCII classes as with Unicode
//!   ones, and ASCII classes compile several times faster. Prose with any
//!   other character uses the Unicode form.
//! - **Quick, then tuned.** The first searches use a regex built without
//!   a literal prefilter and without the one-pass and backtracking engines
//!   (about five times cheaper to build); once a regex has served
//!   [`TUNE_AFTER`] drafts, it is rebuilt with them, as searching many
//!   drafts pays for the build (a text of [`LONG_TEXT`] bytes or more gets
//!   the tuned form at once). Every form finds the same matches
//!   (leftmost-first, same spans); only the engines differ.
//!
//! Capture groups (a placeholder's `name`) come from a full `regex::Regex`,
//! built when first asked for.

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// Drafts a regex searches before its tuned form is built.
pub const TUNE_AFTER: u32 = 4;

/// The NFA size limit, as for every regex of a rule set.
pub const SIZE_LIMIT: usize = 1 << 22;

/// The forms of one regex. Index 0 is ASCII, 1 is Unicode.
#[derive(Debug)]
pub struct Pattern {
    /// The source as compiled (with `(?i)` unless case-sensitive).
    pub full: String,
    quick: [OnceLock<Option<meta::Regex>>; 2],
    tuned: [OnceLock<Option<meta::Regex>>; 2],
    uses: [AtomicU32; 2],
    /// The kinds of non-ASCII characters this regex cannot tell from their
    /// ASCII stand-ins (`stand_in.rs`), read off its syntax tree when first
    /// asked.
    uniform: OnceLock<u8>,
    /// The full `regex::Regex`: captures, and the check when loaded.
    captures: OnceLock<Option<regex::Regex>>,
    /// Whether no match can hold a line break (`one_line`), read off its
    /// syntax tree when first asked.
    one_line: OnceLock<bool>,
}

/// How a search is to be done: `general` turns the fast forms off (every
/// search uses the tuned Unicode form), for tests that compare the two.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    pub ascii: bool,
    pub general: bool,
    /// A long text: worth the tuned form from the first search.
    pub long: bool,
}

/// Texts at least this long get the tuned form at once.
pub const LONG_TEXT: usize = 64 * 1024;

impl Pattern {
    /// A regex that was not checked yet; it is compiled on first use.
    pub fn lazy(full: String) -> Pattern {
        Pattern {
            full,
            quick: Default::default(),
            tuned: Default::default(),
            uses: Default::default(),
            uniform: OnceLock::new(),
            captures: OnceLock::new(),
            one_line: OnceLock::new(),
        }
    }

    /// A regex not checked yet whose stand-in kinds (`uniform`) were
    /// computed ahead (`rules/gates.bin`).
    pub fn lazy_with_uniform(full: String, uniform: u8) -> Pattern {
        let p = Pattern::lazy(full);
        let _ = p.uniform.set(uniform);
        p
    }

    /// A regex compiled now, so that any error is reported when loading.
    pub fn checked(full: String) -> Result<Pattern, regex::Error> {
        let re = regex::RegexBuilder::new(&full)
            .size_limit(SIZE_LIMIT)
            .build()?;
        let p = Pattern::lazy(full);
        let _ = p.captures.set(Some(re));
        Ok(p)
    }

    fn build(&self, ascii: bool, tuned: bool) -> Option<meta::Regex> {
        let mut config = meta::Config::new().nfa_size_limit(Some(SIZE_LIMIT));
        if !tuned {
            config = config
                .which_captures(WhichCaptures::Implicit)
                .auto_prefilter(false)
                .onepass(false)
                .backtrack(false);
        }
        meta::Builder::new()
            .configure(config)
            .syntax(syntax::Config::new().unicode(!ascii).utf8(!ascii))
            .build(&self.full)
            .ok()
    }

    /// The form to search `text` with (`ascii` when `text` is ASCII).
    fn searcher(&self, mode: Mode) -> Option<&meta::Regex> {
        if mode.general {
            return self.tuned[1]
                .get_or_init(|| self.build(false, true))
                .as_ref();
        }
        let i = usize::from(!mode.ascii);
        if let Some(Some(re)) = self.tuned[i].get() {
            return Some(re);
        }
        if mode.long || self.uses[i].fetch_add(1, Ordering::Relaxed) >= TUNE_AFTER {
            if let Some(re) = self.tuned[i].get_or_init(|| self.build(mode.ascii, true)) {
                return Some(re);
            }
        }
        // An ASCII form that does not build (a Unicode-only class) falls
        // back to the Unicode one.
        self.quick[i]
            .get_or_init(|| self.build(mode.ascii, false))
            .as_ref()
            .or_else(|| {
                (mode.ascii)
                    .then(|| {
                        self.quick[1]
                            .get_or_init(|| self.build(false, false))
                            .as_ref()
                    })
                    .flatten()
            })
    }

    /// Build the form a search in `mode` would use, now.
    pub fn warm(&self, mode: Mode) {
        let _ = self.searcher(mode);
    }

    /// Call `f` with every non-empty match in `text`, in order.
    pub fn for_each_match(&self, text: &str, mode: Mode, mut f: impl FnMut(Range<usize>)) {
        let Some(re) = self.searcher(mode) else {
            return;
        };
        for m in re.find_iter(text.as_bytes()) {
            if !m.is_empty() {
                f(m.range());
            }
        }
    }

    /// Call `f` with every non-empty match in `text` inside `lines`
    /// (sorted, disjoint ranges of whole lines; `None`: all of `text`), in
    /// order. For a regex that stays on one line ([`one_line`]) this is
    /// exactly the matches a search of all of `text` finds on those lines:
    /// no match reaches across a line break into them, and the assertions
    /// (`\b`, `^`) see the text around each range.
    ///
    /// [`one_line`]: Self::one_line
    pub fn for_each_match_on(
        &self,
        text: &str,
        lines: Option<&[Range<usize>]>,
        mode: Mode,
        mut f: impl FnMut(Range<usize>),
    ) {
        let Some(lines) = lines else {
            return self.for_each_match(text, mode, f);
        };
        let Some(re) = self.searcher(mode) else {
            return;
        };
        for range in lines {
            let input = regex_automata::Input::new(text.as_bytes()).range(range.clone());
            for m in re.find_iter(input) {
                if !m.is_empty() {
                    f(m.range());
                }
            }
        }
    }

    /// Call `f` with every non-empty match in the prose `shadow` copies
    /// (inside `lines` of the prose, as [`for_each_match_on`] says), in
    /// order: in the ASCII form on the copy when the regex cannot tell its
    /// stand-ins apart, else `None` (search the prose itself).
    ///
    /// [`for_each_match_on`]: Self::for_each_match_on
    pub fn for_each_match_in_shadow(
        &self,
        shadow: &super::stand_in::Shadow,
        lines: Option<&[Range<usize>]>,
        mode: Mode,
        mut f: impl FnMut(Range<usize>),
    ) -> Option<()> {
        let uniform = *self
            .uniform
            .get_or_init(|| super::stand_in::uniform_kinds(&self.full));
        if !shadow.serves(uniform) {
            return None;
        }
        let mode = Mode {
            ascii: true,
            ..mode
        };
        // The copy has the prose's line breaks (ASCII, so kept as they are).
        let copied: Option<Vec<Range<usize>>> =
            lines.map(|ls| ls.iter().map(|r| shadow.copy_range(r.clone())).collect());
        self.for_each_match_on(
            &shadow.text,
            copied.as_deref(),
            mode,
            |r| f(shadow.range(r)),
        );
        Some(())
    }

    /// Whether no match of this regex can hold a line break (`\n`): then
    /// a search of some lines of a text finds what a search of the whole
    /// text finds on them. False when it does not parse.
    pub fn one_line(&self) -> bool {
        *self.one_line.get_or_init(|| {
            regex_syntax::ParserBuilder::new()
                .unicode(true)
                .utf8(true)
                .build()
                .parse(&self.full)
                .is_ok_and(|hir| !can_match_newline(&hir))
        })
    }

    /// The full regex, with capture groups.
    pub fn regex(&self) -> Option<&regex::Regex> {
        self.captures
            .get_or_init(|| {
                regex::RegexBuilder::new(&self.full)
                    .size_limit(SIZE_LIMIT)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Has any form been built?
    pub fn is_compiled(&self) -> bool {
        self.quick
            .iter()
            .chain(&self.tuned)
            .any(|c| c.get().is_some_and(Option::is_some))
            || self.captures.get().is_some_and(Option::is_some)
    }

    /// Whether the ASCII form builds. One that does not (a non-ASCII
    /// character or a Unicode class in the regex) is searched with the
    /// Unicode form on ASCII drafts too.
    pub fn ascii_builds(&self) -> bool {
        self.build(true, false).is_some()
    }

    /// Compile every form now: the error of the first that fails.
    pub fn compile_all(&self) -> Result<(), String> {
        if self.regex().is_none() {
            return Err(regex::RegexBuilder::new(&self.full)
                .size_limit(SIZE_LIMIT)
                .build()
                .err()
                .map_or_else(|| "does not build".into(), |e| e.to_string()));
        }
        for ascii in [false, true] {
            for tuned in [false, true] {
                if self.build(ascii, tuned).is_none() && !ascii {
                    return Err(format!(
                        "the {} form does not build",
                        if tuned { "tuned" } else { "quick" }
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Can some match of `hir` hold a `\n`?
fn can_match_newline(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(r) => can_match_newline(&r.sub),
        HirKind::Capture(c) => can_match_newline(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(can_match_newline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_that_stay_on_one_line() {
        for (re, one) in [
            (r"(?i)\w(?:[^\n]*\S)?", true),
            (r"(?i)\bdear\b.{0,20}", true),
            (r"(?m)^thanks$", true),
            (r"(?i)\bthank\s+you", false),
            (r"a\nb", false),
            (r"(?s)a.b", false),
            (r"[^a]", false),
            (r"\W", false),
            (r"(", false),
        ] {
            assert_eq!(Pattern::lazy(re.into()).one_line(), one, "{re}");
        }
    }

    /// A search of some lines finds, on them, what a search of the whole
    /// text finds, assertions at the lines' edges included.
    #[test]
    fn a_search_of_some_lines_finds_what_the_whole_search_finds_there() {
        let text = "Dear Ann,\nfoo bar\n\n  x y  \nlast line";
        let lines: Vec<Range<usize>> = vec![0..9, 10..17, 19..26, 27..text.len()];
        for re in [r"(?i)\w(?:[^\n]*\S)?", r"\b\w+\b", r"(?m)^\w+", r"\w+$"] {
            let p = Pattern::lazy(re.into());
            assert!(p.one_line(), "{re}");
            let mode = Mode {
                ascii: true,
                general: false,
                long: false,
            };
            let mut whole = Vec::new();
            p.for_each_match(text, mode, |r| whole.push(r));
            for pick in [vec![0], vec![1, 3], vec![2], vec![0, 1, 2, 3]] {
                let some: Vec<Range<usize>> = pick.iter().map(|&i| lines[i].clone()).collect();
                let mut found = Vec::new();
                p.for_each_match_on(text, Some(&some), mode, |r| found.push(r));
                let want: Vec<Range<usize>> = whole
                    .iter()
                    .filter(|m| some.iter().any(|l| l.start <= m.start && m.end <= l.end))
                    .cloned()
                    .collect();
                assert_eq!(found, want, "{re} on lines {pick:?}");
            }
        }
    }
}
