//! Loading rule files: YAML to checked, compiled rules.
//!
//! Every mistake becomes a [`RuleError`] pointing at the YAML node it is
//! about. All files are checked and all errors reported together; a rule set
//! with any error is not used at all.

use super::ClaimMatchers;
use super::kinds::Trigger;
use super::matcher::{DEFAULT_GAP, MatcherBuilder, MatcherId};
use super::model::{Kind, MatcherSpec, Measure, RuleFile, RuleSpec, Severity};
use super::words::Forms;
use super::{Origin, Rule, RuleSet};
use crate::document::Vocabulary;
use crate::source::SourceFile;
use crate::span::Span;
use crate::yaml::{self, SpanIndex};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

pub use crate::problem::RuleError;

/// Rule files loaded so far, kept for error reporting and `explain`.
#[derive(Debug, Default)]
pub struct Loader {
    pub files: Vec<SourceFile>,
    parsed: Vec<(usize, RuleFile, LazyIndex)>,
    pub errors: Vec<RuleError>,
    /// Check the built-in files' rules too. Off, they are trusted: `cargo
    /// test` loads them with this on (`tests/fast_paths.rs`), so a process
    /// skips the checks and the span index they need.
    pub check_builtin: bool,
    /// Compile every phrase, even when the rule set is the built-in pack
    /// alone, whose phrases `rules/compiled.bin` holds compiled
    /// (`compiled.rs`). Tests compare the two.
    pub compile_all_phrases: bool,
}

/// A file's span index, built the first time a span is needed: to report an
/// error, or to check a rule that is not trusted.
#[derive(Debug, Default)]
struct LazyIndex(std::cell::OnceCell<SpanIndex>);

impl LazyIndex {
    fn get(&self, text: &str) -> &SpanIndex {
        self.0.get_or_init(|| SpanIndex::build(text))
    }
}

/// The span of rule `id`'s value in a built-in file, found by its text
/// (`- id: ID` at the end of a line); `None` sends the caller to the span
/// index. A test checks both agree on every built-in rule.
///
/// The search starts at `from`, the end of the previous rule's id: rules
/// are found in file order, so the file is read once in all (searching
/// each id from the start was 2M instructions of every start-up), and
/// again from the start only for an id that is not after it.
pub(crate) fn builtin_id_span(text: &str, id: &str, from: usize) -> Option<Span> {
    let needle = format!("- id: {id}");
    let find_from = |mut from: usize| {
        while let Some(at) = text
            .as_bytes()
            .get(from..)
            .and_then(|rest| memchr::memmem::find(rest, needle.as_bytes()))
        {
            let start = from + at + needle.len() - id.len();
            let end = start + id.len();
            if text[end..].starts_with(['\n', '\r']) || end == text.len() {
                return Some(Span::new(start, end));
            }
            from = end;
        }
        None
    };
    find_from(from).or_else(|| (from > 0).then(|| find_from(0)).flatten())
}

/// The keys a kind may use beyond the common ones: its keys, then its
/// bounds (from the kind table, `kinds.rs`).
pub(crate) fn allowed_keys(kind: Kind) -> Vec<&'static str> {
    kind.info().allowed_keys()
}

impl Loader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse one rule file. Syntax and type errors are recorded; checking
    /// across files happens in [`Loader::build`].
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Cow<'static, str>>) {
        let file = self.files.len();
        self.files.push(SourceFile::new(name, text));
        let text = &self.files[file].text;
        match yaml::from_str::<RuleFile>(text) {
            Ok(parsed) => self.parsed.push((file, parsed, LazyIndex::default())),
            Err(e) => {
                // Every mistake in the file, not only serde's first.
                for m in yaml::mistakes::all::<RuleFile>(text, e) {
                    let mut r = RuleError::new(file, m.span, m.message);
                    r.notes = m.notes;
                    self.errors.push(r);
                }
            }
        }
    }

    /// Add a built-in file already parsed (from `rules/pack.json`), with
    /// its YAML text for spans and `explain`.
    pub fn add_parsed(
        &mut self,
        name: impl Into<String>,
        text: impl Into<Cow<'static, str>>,
        parsed: RuleFile,
    ) {
        let file = self.files.len();
        self.files.push(SourceFile::new(name, text));
        self.parsed.push((file, parsed, LazyIndex::default()));
    }

    /// Add the built-in pack. It is read from `rules/pack.json`: the same
    /// values as its YAML (a test checks they agree), several times faster
    /// to read. Should that not read, the YAML is parsed instead.
    pub fn add_builtin(&mut self) {
        let parsed: Option<Vec<RuleFile>> = serde_json::from_str(super::BUILTIN_PACK).ok();
        match parsed {
            Some(files) if files.len() == super::BUILTIN.len() => {
                for ((name, text), file) in super::BUILTIN.iter().zip(files) {
                    self.add_parsed(*name, *text, file);
                }
            }
            _ => {
                for (name, text) in super::BUILTIN {
                    self.add(*name, *text);
                }
            }
        }
    }

    /// Check everything loaded and compile it. Returns every error found.
    pub fn build(mut self) -> Result<RuleSet, (Vec<SourceFile>, Vec<RuleError>)> {
        let mut errors = std::mem::take(&mut self.errors);
        let mut lists: HashMap<String, (usize, Vec<String>)> = HashMap::new();
        let mut vocab = Vocabulary {
            bare_signature_min_words: 1,
            ..Vocabulary::default()
        };
        let mut profiles = BTreeMap::new();
        let mut source_titles = BTreeMap::new();
        let mut lemmas: HashMap<String, String> = HashMap::new();
        for (file, parsed, index) in &self.parsed {
            let text = &self.files[*file].text;
            for (name, phrases) in &parsed.lists {
                if let Some((other, _)) = lists.get(name) {
                    let mut e = RuleError::new(
                        *file,
                        index.get(text).key(&format!("lists.{name}")),
                        format!("list `{name}` is defined twice"),
                    );
                    e.related
                        .push((*other, Span::default(), "first defined in this file".into()));
                    errors.push(e);
                } else {
                    lists.insert(name.clone(), (*file, phrases.clone()));
                }
            }
            if let Some(s) = &parsed.structure {
                let lower = |v: &Vec<String>| {
                    v.iter()
                        .map(|s| normalize_phrase(s).to_lowercase())
                        .collect::<Vec<_>>()
                };
                vocab.salutations.extend(lower(&s.salutations));
                vocab.valedictions.extend(lower(&s.valedictions));
                vocab.abbreviations.extend(
                    lower(&s.abbreviations)
                        .into_iter()
                        .map(|a| a.trim_end_matches('.').to_string()),
                );
                vocab.name_particles.extend(lower(&s.name_particles));
                extend_frame(&mut vocab, s);
                if let Some(n) = s.bare_signature_min_words {
                    vocab.bare_signature_min_words = n;
                }
                for (base, forms) in &s.forms {
                    let base = crate::document::prose::lowercase(base.trim());
                    for f in forms {
                        lemmas.insert(crate::document::prose::lowercase(f.trim()), base.clone());
                    }
                }
            }
            source_titles.extend(parsed.sources.iter().map(|(k, v)| {
                (
                    k.clone(),
                    v.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            }));
            for (name, p) in &parsed.profiles {
                if profiles.contains_key(name) {
                    errors.push(RuleError::new(
                        *file,
                        index.get(text).key(&format!("profiles.{name}")),
                        format!("profile `{name}` is defined twice"),
                    ));
                } else {
                    profiles.insert(
                        name.clone(),
                        (*file, p.description.clone(), p.rules.clone()),
                    );
                }
            }
        }

        let forms = Forms::new(lemmas);
        let list_items = lists
            .iter()
            .map(|(name, (_, items))| (name.clone(), items.clone()))
            .collect();
        // The built-in pack alone, trusted: its phrases come compiled.
        let compiled = (!self.compile_all_phrases
            && !self.check_builtin
            && self.files.len() == super::BUILTIN.len()
            && self
                .files
                .iter()
                .all(|f| f.name.starts_with(BUILTIN_PREFIX)))
        .then(super::compiled::CompiledPhrases::builtin)
        .flatten();
        let mut builder = match compiled {
            Some(c) => MatcherBuilder::seeded(forms, list_items, c),
            None => MatcherBuilder::new(forms, list_items),
        };
        let mut claim: Option<ClaimMatchers> = None;
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen: HashMap<String, (usize, Span)> = HashMap::new();
        for (file, parsed, index) in &mut self.parsed {
            let index = &*index;
            let text = &self.files[*file].text;
            let builtin = self.files[*file].name.starts_with(BUILTIN_PREFIX);
            let trusted = builtin && !self.check_builtin;
            let mut id_from = 0;
            for (i, spec) in parsed.rules.iter_mut().enumerate() {
                let ctx = Ctx {
                    file: *file,
                    builtin,
                    index,
                    text,
                    path: format!("rules[{i}]"),
                    lists: &lists,
                };
                let before = errors.len();
                let id_span = trusted
                    .then(|| builtin_id_span(text, &spec.id, id_from))
                    .flatten()
                    .inspect(|span| id_from = span.end)
                    .or_else(|| ctx.index().value(&ctx.at("id")))
                    .unwrap_or_default();
                if let Some((other_file, other_span)) = seen.get(&spec.id) {
                    let mut e = RuleError::new(
                        *file,
                        Some(id_span),
                        format!("duplicate rule id `{}`", spec.id),
                    )
                    .label("defined again here")
                    .note("rule ids must be unique across all loaded rule files");
                    e.related
                        .push((*other_file, *other_span, "first defined here".into()));
                    errors.push(e);
                } else {
                    seen.insert(spec.id.clone(), (*file, id_span));
                }
                if !trusted {
                    check_spec(spec, &ctx, &mut errors);
                }
                if errors.len() > before {
                    continue;
                }
                if spec.claim.is_some() && claim.is_none() {
                    match compile_claim(&ctx, &mut builder) {
                        Ok(c) => claim = Some(c),
                        Err(e) => {
                            errors.push(e);
                            continue;
                        }
                    }
                }
                match compile_rule(spec, &ctx, &mut builder, id_span) {
                    Ok(rule) => rules.push(rule),
                    Err(e) => errors.push(e),
                }
            }
        }
        // Profiles may only name known rules, with finite tunables.
        for (name, (file, _, settings)) in &profiles {
            let text = &self.files[*file].text;
            // Built only for an error's span.
            let index = || {
                self.parsed
                    .iter()
                    .find(|p| p.0 == *file)
                    .map(|p| p.2.get(text))
            };
            for (id, setting) in settings {
                for (key, v) in setting.tunables.entries() {
                    if v.is_some_and(|v| v < 0.0 || !v.is_finite()) {
                        let span = index()
                            .and_then(|ix| ix.value(&format!("profiles.{name}.rules.{id}.{key}")));
                        errors.push(RuleError::new(
                            *file,
                            span,
                            format!("`{key}` must be a finite number of zero or more"),
                        ));
                    }
                }
            }
            for id in settings.keys() {
                if !seen.contains_key(id) {
                    let span =
                        index().and_then(|ix| ix.key(&format!("profiles.{name}.rules.{id}")));
                    errors.push(RuleError::new(
                        *file,
                        span,
                        format!("profile `{name}` sets unknown rule `{id}`"),
                    ));
                }
            }
        }
        // `exclude_rules`: the named rules' triggers end a budget's account.
        let index_of: HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut exclude_rules: Vec<(usize, usize)> = Vec::new();
        for (file, parsed, index) in &self.parsed {
            for (i, spec) in parsed.rules.iter().enumerate() {
                let Some(at) = rules.iter().position(|r| r.id == spec.id) else {
                    continue;
                };
                for (j, id) in spec.exclude_rules.iter().enumerate() {
                    match index_of.get(id.as_str()) {
                        Some(&m) => exclude_rules.push((at, m)),
                        None => errors.push(RuleError::new(
                            *file,
                            index
                                .get(&self.files[*file].text)
                                .value(&format!("rules[{i}].exclude_rules[{j}]")),
                            format!("`exclude_rules` names unknown rule `{id}`"),
                        )),
                    }
                }
            }
        }
        for (at, m) in exclude_rules {
            rules[at].exclude.push(m);
        }
        // `insert` names one rule that exists, once.
        for (file, parsed, index) in &self.parsed {
            for (i, spec) in parsed.rules.iter().enumerate() {
                let Some(ins) = &spec.insert else { continue };
                let path = format!("rules[{i}].insert");
                match (&ins.after, &ins.before) {
                    (Some(_), Some(_)) | (None, None) => errors.push(
                        RuleError::new(
                            *file,
                            index.get(&self.files[*file].text).value(&path),
                            "`insert` needs one of `after` or `before`",
                        )
                        .note("for example `insert: {after: thanks}`"),
                    ),
                    (Some(id), None) | (None, Some(id)) if !seen.contains_key(id) => {
                        let key = if ins.after.is_some() {
                            "after"
                        } else {
                            "before"
                        };
                        let mut e = RuleError::new(
                            *file,
                            index
                                .get(&self.files[*file].text)
                                .value(&format!("{path}.{key}")),
                            format!("`insert` names unknown rule `{id}`"),
                        );
                        if let Some(near) = super::closest(seen.keys().map(String::as_str), id) {
                            e = e.note(format!("did you mean `{near}`?"));
                        }
                        errors.push(e);
                    }
                    _ => {}
                }
            }
        }
        if !errors.is_empty() {
            return Err((self.files, errors));
        }
        for rule in &rules {
            for (m, scope) in rule.matchers_read(&rules) {
                builder.counts_in(m, scope);
            }
        }
        if let Some(c) = &claim {
            for m in [c.negators, c.writer, c.others] {
                builder.counts_in(m, None);
            }
        }
        let matchers = match builder.build() {
            Ok(m) => m,
            Err(message) => return Err((self.files, vec![RuleError::new(0, None, message)])),
        };
        Ok(RuleSet {
            rules,
            vocab,
            matchers,
            claim,
            profiles: profiles
                .into_iter()
                .map(|(name, (_, description, settings))| {
                    (
                        name,
                        super::Profile {
                            description,
                            settings,
                        },
                    )
                })
                .collect(),
            files: self.files,
            source_titles,
        })
    }
}

/// The names of the built-in pack's files start so (`rules::BUILTIN`).
pub(crate) const BUILTIN_PREFIX: &str = "<builtin>/";

struct Ctx<'a> {
    file: usize,
    /// A built-in file: its regexes are known to compile (a test compiles
    /// them), so they are compiled lazily.
    builtin: bool,
    index: &'a LazyIndex,
    text: &'a str,
    path: String,
    lists: &'a HashMap<String, (usize, Vec<String>)>,
}

impl Ctx<'_> {
    fn index(&self) -> &SpanIndex {
        self.index.get(self.text)
    }

    fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn err(&self, key: &str, message: impl Into<String>) -> RuleError {
        RuleError::new(
            self.file,
            self.index()
                .value(&self.at(key))
                .or_else(|| self.index().value(&self.path)),
            message,
        )
    }

    fn key_err(&self, key: &str, message: impl Into<String>) -> RuleError {
        RuleError::new(self.file, self.index().key_or_value(&self.at(key)), message)
    }
}

/// Add the letter-frame word lists of a rule file's `structure:` section
/// to the vocabulary the document parser reads.
fn extend_frame(vocab: &mut Vocabulary, s: &super::model::StructureSpec) {
    fn lower(v: &[String]) -> impl Iterator<Item = String> + '_ {
        v.iter().map(|w| {
            crate::document::prose::lowercase(&w.split_whitespace().collect::<Vec<_>>().join(" "))
        })
    }
    let bare = |w: String| w.trim_end_matches('.').to_string();
    vocab.greeting_joiners.extend(lower(&s.greeting_joiners));
    vocab.titles.extend(lower(&s.titles).map(bare));
    vocab.not_vocatives.extend(lower(&s.not_vocatives));
    vocab
        .not_vocative_endings
        .extend(lower(&s.not_vocative_endings));
    vocab.reference_labels.extend(lower(&s.reference_labels));
    vocab.postscripts.extend(lower(&s.postscripts).map(bare));
    vocab.closing_formulas.extend(lower(&s.closing_formulas));
    vocab.name_slot_words.extend(lower(&s.name_slot_words));
    vocab
        .unfinished_endings
        .extend(lower(&s.unfinished_endings));
}

/// Normalize a phrase the way prose is normalized (quotes, spaces).
pub(crate) fn normalize_phrase(p: &str) -> std::borrow::Cow<'_, str> {
    // Printable ASCII with single inner spaces is already normalized (the
    // pack's phrases, nearly all): no builder, no piece map.
    let bytes = p.as_bytes();
    if bytes.first().is_none_or(|&b| b != b' ')
        && bytes.last().is_none_or(|&b| b != b' ')
        && bytes
            .iter()
            .all(|&b| b == b' ' || (b.is_ascii_graphic() && b != b'`'))
        // No two spaces together (one pass over bytes, not a substring
        // search set up per phrase).
        && !bytes.windows(2).any(|w| w == b"  ")
    {
        return std::borrow::Cow::Borrowed(p);
    }
    std::borrow::Cow::Owned(normalize_in_full(p))
}

fn normalize_in_full(p: &str) -> String {
    let mut b = crate::document::prose::ProseBuilder::new();
    b.push_source(p, Span::new(0, p.len()));
    b.finish().text.trim().to_string()
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_spec(spec: &RuleSpec, ctx: &Ctx, errors: &mut Vec<RuleError>) {
    // serde reads `id: null` or `message: true` as the strings "null" and
    // "true"; a text key must be text.
    for key in [
        "id",
        "message",
        "summary",
        "label",
        "help",
        "rationale",
        "checklist",
        "suggestion",
    ] {
        if let Some(what) = ctx.index().non_string(&ctx.at(key)) {
            errors.push(
                ctx.err(key, format!("`{key}` is {what}, not text"))
                    .note("quote it if it is meant as text"),
            );
        }
    }
    if ctx.index().non_string(&ctx.at("id")).is_some() {
        return;
    }
    if !is_kebab(&spec.id) {
        errors.push(
            ctx.err("id", format!("rule id `{}` is not kebab-case", spec.id))
                .note("ids are lowercase words joined by hyphens, such as `meeting-request`"),
        );
    }
    // Keys that this kind does not use are mistakes, not silent no-ops.
    let info = spec.kind.info();
    let name = info.name;
    let present = ctx
        .index()
        .keys_under(&ctx.path)
        .map(|(k, _)| k.to_string())
        .collect::<Vec<_>>();
    for key in present {
        if !info.takes(&key) {
            errors.push(
                ctx.key_err(&key, format!("`{key}` is not used by `{name}` rules"))
                    .note(format!(
                        "`{name}` rules take: {}",
                        info.allowed_keys().join(", ")
                    )),
            );
        }
    }
    let has_trigger = spec.has_trigger();
    let b = spec.bounds();
    let has_bound = info.bounds.iter().any(|&x| b.get(x).is_some());
    // At most one thing is missing: the first of trigger, bound, paragraph.
    if info.trigger == Trigger::Required && !has_trigger {
        errors.push(ctx.err(
            "kind",
            format!("a `{name}` rule needs `phrases`, `patterns` or `lists`"),
        ));
    } else if info.trigger == Trigger::Swap && spec.swap.is_empty() {
        errors.push(ctx.err(
            "kind",
            format!("a `{name}` rule needs `swap`: a mapping of phrase to replacement"),
        ));
    } else if info.needs_bound && !has_bound {
        let message = if info.bounds.len() > 2 {
            format!("a `{name}` rule needs a bound: {}", info.bounds_list())
        } else {
            format!("a `{name}` rule needs {}", info.bounds_list())
        };
        errors.push(ctx.err("kind", message));
    } else if info.trigger == Trigger::Counted {
        let counts = b.set_bounds().any(|x| x.measure() == Measure::Count);
        if counts && !has_trigger {
            errors.push(ctx.err(
                "kind",
                "`max_count`/`min_count` count matches: add `phrases`, `patterns` or `lists`",
            ));
        }
        if !counts && has_trigger {
            let key = if !spec.phrases.is_empty() {
                "phrases"
            } else if !spec.patterns.is_empty() {
                "patterns"
            } else {
                "lists"
            };
            errors.push(ctx.key_err(
                key,
                "phrases and patterns only count with `max_count` or `min_count`",
            ));
        }
    } else if spec.kind == Kind::Position && spec.paragraph.is_none() {
        errors.push(ctx.err(
            "kind",
            "a `position` rule needs `paragraph: first` or `paragraph: last`",
        ));
    }
    for (bound, v) in b.iter() {
        if v < 0.0 || !v.is_finite() {
            errors.push(ctx.err(
                bound.key(),
                format!("`{bound}` must be a finite number of zero or more"),
            ));
        }
    }
    if let Some(scope) = spec.scope
        && !info.allows_scope(scope)
    {
        errors.push(ctx.err(
            "scope",
            format!(
                "scope `{}` does not apply to `{name}` rules",
                scope.as_str()
            ),
        ));
    }
    for (key, text, known) in [
        ("message", Some(&spec.message), info.placeholders),
        ("label", spec.label.as_ref(), info.placeholders),
        // A `fail_on` match is reported on its own words.
        ("fail_message", spec.fail_message.as_ref(), &["match"][..]),
    ] {
        let Some(text) = text else { continue };
        for placeholder in placeholder_names(text) {
            if !known.contains(&placeholder) {
                let hint = if known.is_empty() {
                    format!("`{name}` rules fill in no placeholders")
                } else {
                    format!(
                        "`{name}` rules fill in: {}",
                        known
                            .iter()
                            .map(|k| format!("{{{k}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                errors.push(
                    ctx.err(
                        key,
                        format!("unknown placeholder `{{{placeholder}}}` in `{key}`"),
                    )
                    .note(hint),
                );
            }
        }
    }
    for (j, p) in spec.phrases.iter().enumerate() {
        if normalize_phrase(p).is_empty() {
            errors.push(ctx.err(&format!("phrases[{j}]"), "empty phrase"));
        }
    }
    for (j, l) in spec.lists.iter().enumerate() {
        if !ctx.lists.contains_key(l) {
            errors.push(
                ctx.err(&format!("lists[{j}]"), format!("unknown list `{l}`"))
                    .note("define it under the file's top-level `lists:`"),
            );
        }
    }
    for (key, m) in spec.matcher_groups() {
        if let Some(m) = m {
            if m.is_empty() {
                errors.push(ctx.err(key, format!("`{key}` is empty")));
            }
            for (j, l) in m.lists.iter().enumerate() {
                if !ctx.lists.contains_key(l) {
                    errors
                        .push(ctx.err(&format!("{key}.lists[{j}]"), format!("unknown list `{l}`")));
                }
            }
        }
    }
}

/// `{name}` placeholders in a message.
pub(crate) fn placeholder_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name);
        }
        rest = &rest[open + close + 1..];
    }
    out
}

/// How a matcher's phrases are compiled.
#[derive(Clone, Copy)]
struct Compile {
    case_sensitive: bool,
    gap: u8,
    /// Match phrases literally (a `substitute` rule's phrases).
    literal: bool,
}

fn compile_matcher(
    spec: &MatcherSpec,
    base: &str,
    ctx: &Ctx,
    how: Compile,
    builder: &mut MatcherBuilder,
) -> Result<MatcherId, RuleError> {
    let id = builder.new_matcher_with(how.case_sensitive, how.gap);
    let prefix = if base.is_empty() {
        String::new()
    } else {
        format!("{base}.")
    };
    // Where each phrase was written, for an error (built only then).
    let path = |list: Option<usize>, j: usize| match list {
        Some(l) => format!("{prefix}lists[{l}]"),
        None if spec.plain => format!("{base}[{j}]"),
        None => format!("{prefix}phrases[{j}]"),
    };
    let listed = spec.lists.iter().enumerate().flat_map(|(l, name)| {
        ctx.lists
            .get(name)
            .into_iter()
            .flat_map(move |(_, list)| list.iter().map(move |p| (Some(l), p)))
    });
    let phrases = spec.phrases.iter().map(|p| (None, p)).chain(listed);
    for (j, (list, p)) in phrases.enumerate() {
        // The built-in pack's phrases are written normalized (a test
        // checks every one).
        let p = if ctx.builtin {
            std::borrow::Cow::Borrowed(p.as_str())
        } else {
            normalize_phrase(p)
        };
        if how.literal {
            builder.add_literal(id, &p);
        } else if let Err(message) = builder.add_phrase(id, &p) {
            return Err(ctx.err(&path(list, j), format!("phrase `{p}`: {message}")));
        }
    }
    for (j, p) in spec.patterns.iter().enumerate() {
        let path = if base.is_empty() {
            format!("patterns[{j}]")
        } else {
            format!("{base}.patterns[{j}]")
        };
        builder.add_pattern_with(id, p, ctx.builtin).map_err(|e| {
            // The error about the pattern as written, without the `(?i)`
            // the matcher adds for a case-insensitive rule.
            let e = regex::RegexBuilder::new(p)
                .size_limit(1 << 22)
                .build()
                .err()
                .unwrap_or(e);
            ctx.err(&path, "this regex does not compile")
                .note(e.to_string())
                .label("invalid regex")
        })?;
    }
    Ok(id)
}

/// The lists `claim: writer` uses, compiled once for the whole rule set.
fn compile_claim(ctx: &Ctx, builder: &mut MatcherBuilder) -> Result<ClaimMatchers, RuleError> {
    let mut ids = [0; 3];
    for (slot, name) in ids.iter_mut().zip(CLAIM_LISTS) {
        if !ctx.lists.contains_key(name) {
            return Err(ctx
                .err("claim", format!("`claim: writer` needs a list named `{name}`"))
                .note("define `negators`, `first-person` and `other-person` under a rule file's top-level `lists:`"));
        }
        let spec = MatcherSpec {
            lists: vec![name.to_string()],
            ..MatcherSpec::default()
        };
        let how = Compile {
            case_sensitive: false,
            gap: DEFAULT_GAP,
            literal: false,
        };
        *slot = compile_matcher(&spec, "claim", ctx, how, builder)?;
    }
    Ok(ClaimMatchers {
        negators: ids[0],
        writer: ids[1],
        others: ids[2],
    })
}

/// The lists `claim: writer` reads, in `ClaimMatchers` order.
pub(crate) const CLAIM_LISTS: [&str; 3] = ["negators", "first-person", "other-person"];

/// The rule `spec` describes. Its texts (message, help, examples, ...) are
/// moved into the rule, not copied: nothing reads them from the spec after
/// this (the checks across rules use its id, `insert` and
/// `exclude_rules`).
fn compile_rule(
    spec: &mut RuleSpec,
    ctx: &Ctx,
    builder: &mut MatcherBuilder,
    id_span: Span,
) -> Result<Rule, RuleError> {
    let cs = spec.case_sensitive;
    let trigger_spec = if spec.kind == Kind::Substitute {
        MatcherSpec {
            phrases: spec.swap.keys().cloned().collect(),
            ..MatcherSpec::default()
        }
    } else {
        MatcherSpec {
            phrases: spec.phrases.clone(),
            patterns: spec.patterns.clone(),
            lists: spec.lists.clone(),
            plain: false,
        }
    };
    let how = Compile {
        case_sensitive: cs,
        gap: spec.gap.unwrap_or(DEFAULT_GAP),
        literal: spec.kind == Kind::Substitute,
    };
    let trigger = compile_matcher(&trigger_spec, "", ctx, how, builder)?;
    let how = Compile {
        literal: false,
        ..how
    };
    let optional = |key: &str,
                    m: &Option<MatcherSpec>,
                    builder: &mut MatcherBuilder|
     -> Result<Option<MatcherId>, RuleError> {
        m.as_ref()
            .map(|m| compile_matcher(m, key, ctx, how, builder))
            .transpose()
    };
    let exceptions = optional("exceptions", &spec.exceptions, builder)?;
    let with = optional("with", &spec.with_, builder)?;
    let without = optional("without", &spec.without, builder)?;
    // The triggers of `exclude_rules` are added once every rule is compiled.
    let until = optional("until", &spec.until, builder)?;
    let fail_on = optional("fail_on", &spec.fail_on, builder)?.map(|m| {
        let message = spec
            .fail_message
            .clone()
            .unwrap_or_else(|| spec.message.clone());
        (m, message)
    });
    // Exceptions, `with` and `without` only judge the rule's own matches:
    // their regexes need not run on a draft where the rule matched nothing.
    let judged: Vec<MatcherId> = std::iter::once(trigger)
        .chain(fail_on.as_ref().map(|(m, _)| *m))
        .collect();
    for filter in [exceptions, with, without].into_iter().flatten() {
        builder.judges(filter, &judged);
    }
    let scope = spec.scope.unwrap_or(spec.kind.info().default_scope);
    let anchor = spec.anchor.unwrap_or(scope.default_anchor());
    use std::mem::take;
    Ok(Rule {
        id: spec.id.clone(),
        kind: spec.kind,
        severity: spec.severity.unwrap_or(Severity::Warning),
        summary: if spec.summary.trim().is_empty() {
            spec.message.clone()
        } else {
            take(&mut spec.summary)
        },
        message: take(&mut spec.message),
        label: take(&mut spec.label),
        help: take(&mut spec.help),
        rationale: take(&mut spec.rationale),
        sources: take(&mut spec.sources),
        checklist: take(&mut spec.checklist),
        scope,
        anchor,
        suggestion: take(&mut spec.suggestion),
        insert: spec.insert.clone(),
        paragraph: spec.paragraph,
        swap: spec
            .swap
            .iter()
            .map(|(k, v)| (normalize_phrase(k).to_lowercase(), v.clone()))
            .collect(),
        bounds: spec.bounds(),
        examples: take(&mut spec.examples),
        case_sensitive: cs,
        claim: spec.claim.is_some(),
        trigger,
        exceptions,
        with,
        without,
        continuation: spec.continuation.map_or(0, usize::from),
        lead_in: spec.lead_in.map_or(0, usize::from),
        until,
        exclude: Vec::new(),
        fail_on,
        origin: Origin {
            file: ctx.file,
            span: id_span,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut finds every built-in rule's id where the span index
    /// does, searching on from the previous one as `Loader::build` does,
    /// and from the start too.
    #[test]
    fn builtin_id_spans_agree_with_the_span_index() {
        let mut checked = 0;
        for (_, text) in super::super::BUILTIN {
            let index = SpanIndex::build(text);
            let file: RuleFile = serde_yaml::from_str(text).expect("built-in file");
            let mut from = 0;
            for (i, rule) in file.rules.iter().enumerate() {
                let want = index.value(&format!("rules[{i}].id"));
                let got = builtin_id_span(text, &rule.id, from);
                assert_eq!(got, want, "{}", rule.id);
                assert_eq!(builtin_id_span(text, &rule.id, 0), want, "{}", rule.id);
                from = got.map_or(from, |s| s.end);
                checked += 1;
            }
            // An id before `from` is still found (from the start).
            if let Some(first) = file.rules.first() {
                let want = index.value("rules[0].id");
                assert_eq!(builtin_id_span(text, &first.id, text.len()), want);
            }
        }
        assert!(checked >= 20, "{checked} rules");
    }

    #[test]
    fn the_ascii_shortcut_normalizes_as_prose_does() {
        for p in [
            "thank you",
            "I'm sorry",
            "a&e",
            "give 110%",
            "",
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "`quoted`",
            "\u{201C}curly\u{201D} it\u{2019}s",
            "soft\u{00AD}hyphen",
            "no\u{00A0}break",
            "?",
        ] {
            assert_eq!(normalize_phrase(p), normalize_in_full(p), "{p:?}");
        }
    }

    /// Every phrase and list item of the built-in pack is written
    /// normalized, so loading it need not normalize them again.
    #[test]
    fn the_builtin_phrases_are_normalized() {
        fn walk(v: &serde_json::Value, phrases: bool, n: &mut usize) {
            match v {
                serde_json::Value::String(p) if phrases => {
                    assert_eq!(normalize_phrase(p), p.as_str(), "{p:?}");
                    *n += 1;
                }
                serde_json::Value::Array(items) => {
                    items.iter().for_each(|i| walk(i, phrases, n));
                }
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        // `lists:` maps names to items.
                        let lists = k == "lists" && v.is_object();
                        if lists {
                            for items in v.as_object().into_iter().flat_map(|m| m.values()) {
                                walk(items, true, n);
                            }
                        } else {
                            walk(v, phrases || k == "phrases", n);
                        }
                    }
                }
                _ => {}
            }
        }
        let pack: serde_json::Value =
            serde_json::from_str(crate::rules::BUILTIN_PACK).expect("pack.json reads");
        let mut n = 0;
        walk(&pack, false, &mut n);
        assert!(n > 500, "{n} phrases");
    }
}
