//! Rules: the YAML format (`model.rs`), what each kind takes (`kinds.rs`),
//! loading and checking it (`load.rs`) and the compiled matchers shared by all rules (`matcher.rs`).
//!
//! The built-in pack in `rules/*.yaml` is embedded in the binary and loaded
//! like any user rule file.

// The compiler's parts: public only for this crate's tests and benches.
#[doc(hidden)]
pub mod compiled;
#[doc(hidden)]
pub mod gate;
pub mod kinds;
#[doc(hidden)]
pub mod load;
pub(crate) mod matcher;
pub mod model;
pub(crate) mod pattern;
pub(crate) mod stand_in;
pub(crate) mod words;

use crate::document::Vocabulary;
use crate::source::SourceFile;
use crate::span::Span;
use load::{Loader, RuleError};
use matcher::{MatcherId, Matchers};
use model::{Anchor, Bounds, Examples, Kind, RuleSetting, Scope, Severity, Which};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The built-in rule files, embedded at compile time.
/// [`BUILTIN`]'s files, parsed and written out as one JSON array in the
/// same order: start-up reads this instead of parsing YAML.
/// `tests/fast_paths.rs` fails when it is stale (`UPDATE_GATES=1 cargo
/// test --test fast_paths` rewrites it).
pub const BUILTIN_PACK: &str = include_str!("../../rules/pack.json");

pub const BUILTIN: &[(&str, &str)] = &[
    (
        "<builtin>/rules/structure.yaml",
        include_str!("../../rules/structure.yaml"),
    ),
    (
        "<builtin>/rules/words.yaml",
        include_str!("../../rules/words.yaml"),
    ),
    (
        "<builtin>/rules/second-chance.yaml",
        include_str!("../../rules/second-chance.yaml"),
    ),
    (
        "<builtin>/rules/profiles.yaml",
        include_str!("../../rules/profiles.yaml"),
    ),
];

/// Where a rule was defined.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    /// Index into `RuleSet::files`.
    pub file: usize,
    /// The span of the rule's `id` value.
    pub span: Span,
}

/// A checked, compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    pub severity: Severity,
    pub summary: String,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub rationale: Option<String>,
    pub sources: Vec<String>,
    pub checklist: Option<String>,
    pub scope: Scope,
    pub anchor: Anchor,
    pub suggestion: Option<String>,
    /// Where the suggestion goes relative to another rule's evidence.
    pub insert: Option<model::Insert>,
    pub paragraph: Option<Which>,
    /// Normalized lowercase phrase → replacement.
    pub swap: BTreeMap<String, String>,
    pub bounds: Bounds,
    pub examples: Examples,
    pub case_sensitive: bool,
    /// `claim: writer`: triggers negated in their clause, or said of the
    /// reader or someone else, do not count.
    pub claim: bool,
    pub trigger: MatcherId,
    pub exceptions: Option<MatcherId>,
    pub with: Option<MatcherId>,
    pub without: Option<MatcherId>,
    /// `budget`: sentences after a counted one that continue the account,
    /// the matcher whose hits end it, and the matcher that fails it outright
    /// with its message.
    pub continuation: usize,
    pub lead_in: usize,
    pub until: Option<MatcherId>,
    /// `exclude_rules`, as indices into `RuleSet::rules`.
    pub exclude: Vec<usize>,
    pub fail_on: Option<(MatcherId, String)>,
    pub origin: Origin,
}

impl Rule {
    /// Does this rule report something missing (rather than something present)?
    pub fn is_presence(&self) -> bool {
        self.kind.info().presence
    }

    /// Every matcher whose hits this rule reads (`rules` is the whole set,
    /// for `exclude`), with where they can count: the rule's scope for its
    /// trigger and `fail_on`, which its scope filters; `None` (anywhere)
    /// for exceptions, `with`, `without`, `until` and the triggers of
    /// `exclude_rules`. A new field that reads a matcher belongs here: the
    /// matchers search less for hits that cannot count.
    pub fn matchers_read<'a>(
        &'a self,
        rules: &'a [Rule],
    ) -> impl Iterator<Item = (MatcherId, Option<Scope>)> + 'a {
        let scoped = std::iter::once(self.trigger)
            .chain(self.fail_on.as_ref().map(|(m, _)| *m))
            .map(|m| (m, Some(self.scope)));
        let anywhere = [self.exceptions, self.with, self.without, self.until]
            .into_iter()
            .flatten()
            .chain(
                self.exclude
                    .iter()
                    .filter_map(|&r| Some(rules.get(r)?.trigger)),
            )
            .map(|m| (m, None));
        scoped.chain(anywhere)
    }
}

/// A named set of rule settings.
#[derive(Debug, Clone)]
pub struct Profile {
    pub description: String,
    pub settings: BTreeMap<String, RuleSetting>,
}

/// All rules in effect, compiled together.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub vocab: Vocabulary,
    pub matchers: Matchers,
    /// The matchers `claim: writer` rules consult, if any rule uses it.
    pub claim: Option<ClaimMatchers>,
    pub profiles: BTreeMap<String, Profile>,
    /// The rule files, for error messages and `explain`.
    pub files: Vec<SourceFile>,
    /// Titles of the articles rules cite (`sources:` of the rule files).
    pub source_titles: BTreeMap<String, String>,
}

/// Matchers for the lists `claim: writer` reads.
#[derive(Debug, Clone, Copy)]
pub struct ClaimMatchers {
    /// `negators`: "not", "never", "no longer", "n't".
    pub negators: MatcherId,
    /// `first-person`: the writer as subject ("I", "we").
    pub writer: MatcherId,
    /// `other-person`: the reader or a third party ("you", "they", "the team").
    pub others: MatcherId,
}

pub use crate::problem::LoadError;

/// The rule files in `dir`: its `*.yaml` and `*.yml` files, sorted by name.
/// Hidden files (`.emaillint.yaml`, a config, above all) are not rule files.
pub fn rule_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
                && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    files.sort();
    Ok(files)
}

impl RuleSet {
    /// The built-in pack, compiled once per process.
    pub fn builtin() -> Result<&'static Arc<RuleSet>, &'static LoadError> {
        static BUILTIN_SET: OnceLock<Result<Arc<RuleSet>, LoadError>> = OnceLock::new();
        BUILTIN_SET
            .get_or_init(|| RuleSet::load(&[], true).map(Arc::new))
            .as_ref()
    }

    /// The built-in pack (if `with_builtin`) plus every rule file in `dirs`.
    pub fn load(dirs: &[PathBuf], with_builtin: bool) -> Result<RuleSet, LoadError> {
        Self::load_with(dirs, with_builtin, false)
    }

    /// `load`, checking the built-in pack's rules as well when
    /// `check_builtin` (they are trusted otherwise: tests check them).
    #[doc(hidden)]
    pub fn load_with(
        dirs: &[PathBuf],
        with_builtin: bool,
        check_builtin: bool,
    ) -> Result<RuleSet, LoadError> {
        let mut loader = Loader::new();
        loader.check_builtin = check_builtin;
        if with_builtin {
            loader.add_builtin();
        }
        for dir in dirs {
            let files = match rule_files_in(dir) {
                Ok(f) if f.is_empty() => Err("contains no rule files (*.yaml, *.yml)".to_string()),
                Ok(f) => Ok(f),
                Err(e) => Err(format!(
                    "cannot read rule directory: {}",
                    crate::input::io_message(&e)
                )),
            };
            match files {
                Ok(files) => {
                    for path in files {
                        match crate::input::read_file(&path, crate::input::MAX_YAML_FILE_SIZE)
                            .map_err(|e| e.to_string())
                            .and_then(|b| crate::source::decode(b).map_err(|e| e.to_string()))
                        {
                            Ok(text) => loader.add(path.display().to_string(), text),
                            Err(e) => loader.fail(path.display().to_string(), e),
                        }
                    }
                }
                Err(message) => loader.fail(dir.display().to_string(), message),
            }
        }
        loader
            .build()
            .map_err(|(files, errors)| LoadError { files, errors })
    }

    /// Compile rule files given as (name, text) pairs, without the built-in pack.
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RuleSet, LoadError> {
        let mut loader = Loader::new();
        for (name, text) in sources {
            loader.add(name, text.to_string());
        }
        loader
            .build()
            .map_err(|(files, errors)| LoadError { files, errors })
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }
}

impl Loader {
    /// Record a file that could not be read at all.
    pub fn fail(&mut self, name: String, message: String) {
        let file = self.files.len();
        self.files.push(SourceFile::new(name, String::new()));
        self.errors.push(RuleError::new(file, None, message));
    }
}

/// The rule id closest to a misspelt one, if any is close enough to suggest.
pub fn closest_id<'a>(set: &'a RuleSet, wrong: &str) -> Option<&'a str> {
    closest(set.rules.iter().map(|r| r.id.as_str()), wrong)
}

pub use crate::suggest::closest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_ids_only() {
        let ids = ["references", "thanks", "length"];
        assert_eq!(closest(ids, "refrences"), Some("references"));
        assert_eq!(closest(ids, "lenght"), Some("length"));
        assert_eq!(closest(ids, "colour"), None);
    }
}
