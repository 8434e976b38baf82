//! `.emaillint.yaml`: which rules run, how strictly, and on what.
//!
//! A config is found by walking up from each linted file (or given with
//! `--config`). Settings are layered: the rules' own defaults, then the
//! profile (`profile:` or `--profile`), then the config's `rules:`, then
//! `--enable`/`--disable` on the command line. A mistake in a config is
//! reported like a mistake in a rule file: at the YAML node, with a span.

use crate::engine::{Date, RuleConfig, Settings};
use crate::problem::LoadError;
use crate::problem::RuleError;
use crate::rules::RuleSet;
use crate::rules::model::{Level, RuleSetting};
use crate::source::SourceFile;
use crate::yaml::{self, SpanIndex};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The names a config file may have, in the order they are looked for.
pub const CONFIG_NAMES: &[&str] = &[".emaillint.yaml", ".emaillint.yml"];

/// The profile used when neither the config nor the command line names one.
pub const DEFAULT_PROFILE: &str = "second-chance";

/// The keys of a config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSpec {
    /// A profile from the rule files (`second-chance`, `thank-you`, `follow-up`).
    #[serde(default)]
    pub profile: Option<String>,
    /// Load the built-in pack (default true). `false` runs only `rule_dirs`.
    #[serde(default)]
    pub builtin: Option<bool>,
    /// Per rule: `off`, `info`, `warning`, `error`, or `{severity, tunables}`.
    #[serde(default, deserialize_with = "null_is_default")]
    pub rules: BTreeMap<String, RuleSetting>,
    /// Extra rule directories, relative to the config file.
    #[serde(default, deserialize_with = "null_is_default")]
    pub rule_dirs: Vec<String>,
    /// Files not to lint when walking directories (gitignore syntax,
    /// relative to the config file).
    #[serde(default, deserialize_with = "null_is_default")]
    pub ignore: Vec<String>,
    /// Template mode: placeholder names that are allowed.
    #[serde(default)]
    pub variables: Option<Vec<String>>,
    /// The interview date, for `timing` rules (`2026-03-02`).
    #[serde(default)]
    pub interview: Option<String>,
}

/// `rules:` with nothing under it (every entry commented out) is empty.
fn null_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// What the command line adds on top of a config.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub profile: Option<String>,
    pub rule_dirs: Vec<PathBuf>,
    /// `--enable ID` (true) and `--disable ID` (false), in command-line
    /// order: for a rule named more than once, the later wins.
    pub toggles: Vec<(String, bool)>,
    pub no_builtin: bool,
}

/// Why a configuration could not be resolved.
#[derive(Debug)]
pub enum ConfigError {
    /// A config or rule file is wrong: render with its spans.
    Files(LoadError),
    /// A command-line value is wrong.
    Usage(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Files(e) => e.fmt(f),
            ConfigError::Usage(m) => f.write_str(m),
        }
    }
}

/// A config applied: the rules, their settings and what to skip.
#[derive(Debug)]
pub struct Resolved {
    /// The config file, if one was found.
    pub path: Option<PathBuf>,
    pub profile: String,
    pub set: Arc<RuleSet>,
    pub settings: Settings,
    pub ignore: Option<Gitignore>,
}

impl Resolved {
    /// Should a file found while walking a directory be skipped?
    pub fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        let Some(gi) = &self.ignore else { return false };
        let path = real(path);
        path.starts_with(gi.path()) && gi.matched_path_or_any_parents(&path, is_dir).is_ignore()
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Where `path` really is: `..` and symlinks resolved, so that how a path
/// is spelled (`../drafts/x.txt` from inside another project) never changes
/// which config applies. A path that cannot be resolved (it does not
/// exist) is only made absolute.
fn real(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path))
}

/// The config that applies to files in `dir`: the nearest `.emaillint.yaml`
/// in it or a parent of its real location. To look up many directories,
/// use a [`Discovery`], which asks the file system about each directory
/// once.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    Discovery::default().discover(dir)
}

/// Config discovery for many directories, remembering what it found: each
/// directory's path (as asked for, and its real location and the parents
/// walked through) is resolved and searched for a config at most once, so
/// the 2,000 drafts of one directory cost one search, not 2,000 of them,
/// each with a failing `stat` per config name and parent. The answers are
/// those of [`discover`]; a config created or deleted during the run is
/// not noticed (the language server, which runs for hours, does not use
/// this).
#[derive(Debug, Default)]
pub struct Discovery {
    /// Directory (as given, or real) → the config that applies in it.
    found: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl Discovery {
    /// The config that applies to files in `dir`, as [`discover`] says.
    pub fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.found.get(dir) {
            return found.clone();
        }
        let real_dir = real(dir);
        let mut walked = Vec::new();
        let mut found = None;
        for d in real_dir.ancestors() {
            if let Some(f) = self.found.get(d) {
                found = f.clone();
                break;
            }
            walked.push(d.to_path_buf());
            if let Some(p) = CONFIG_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()) {
                found = Some(p);
                break;
            }
        }
        // Every directory walked through has the same nearest config.
        for d in walked {
            self.found.insert(d, found.clone());
        }
        self.found.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// Read and apply the config at `path` (or none) with command-line overrides.
pub fn resolve(path: Option<&Path>, cli: &Overrides) -> Result<Resolved, ConfigError> {
    let (file, spec) = match path {
        Some(p) => {
            let text = crate::input::read_file(p, crate::input::MAX_YAML_FILE_SIZE)
                .map_err(|e| e.to_string())
                .and_then(|b| crate::source::decode(b).map_err(|e| e.to_string()))
                .map_err(|e| {
                    ConfigError::Usage(format!("{}: cannot read config: {e}", p.display()))
                })?;
            let file = SourceFile::new(p.display().to_string(), text);
            let spec = parse(&file).map_err(|errors| {
                ConfigError::Files(LoadError {
                    files: vec![file.clone()],
                    errors,
                })
            })?;
            (Some(file), spec)
        }
        None => (None, ConfigSpec::default()),
    };
    let base = path.and_then(Path::parent).map(real).unwrap_or_default();
    let mut dirs: Vec<PathBuf> = spec.rule_dirs.iter().map(|d| base.join(d)).collect();
    dirs.extend(cli.rule_dirs.iter().cloned());
    let builtin = spec.builtin.unwrap_or(true) && !cli.no_builtin;
    let set: Arc<RuleSet> = if dirs.is_empty() && builtin {
        RuleSet::builtin()
            .map_err(|e| {
                ConfigError::Files(LoadError {
                    files: e.files.clone(),
                    errors: e.errors.clone(),
                })
            })?
            .clone()
    } else {
        Arc::new(RuleSet::load(&dirs, builtin).map_err(ConfigError::Files)?)
    };
    let mut errors = Vec::new();
    let index = file.as_ref().map(|f| SpanIndex::build(&f.text));
    let at = |key: &str, key_span: bool| -> Option<crate::span::Span> {
        let ix = index.as_ref()?;
        if key_span { ix.key(key) } else { ix.value(key) }
    };

    // The profile: the command line's, else the config's, else the default.
    let profile = match (&cli.profile, &spec.profile) {
        (Some(p), _) => {
            if !set.profiles.contains_key(p) {
                return Err(ConfigError::Usage(unknown(
                    "profile",
                    p,
                    set.profiles.keys().map(String::as_str),
                )));
            }
            p.clone()
        }
        (None, Some(p)) => {
            if !set.profiles.contains_key(p) && !set.profiles.is_empty() {
                errors.push(
                    RuleError::new(0, at("profile", false), format!("unknown profile `{p}`"))
                        .label("not a profile of the loaded rules")
                        .note(format!(
                            "profiles: {}",
                            set.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
                        )),
                );
            }
            p.clone()
        }
        (None, None) => DEFAULT_PROFILE.to_string(),
    };

    let mut settings = Settings::defaults(&set);
    if let Some(p) = set.profiles.get(&profile) {
        for (id, s) in &p.settings {
            if let Some(i) = set.position(id) {
                apply(&mut settings.rules[i], s, set.rules[i].severity);
            }
        }
    }
    for (id, s) in &spec.rules {
        let Some(i) = set.position(id) else {
            let mut e = RuleError::new(
                0,
                at(&format!("rules.{id}"), true),
                format!("unknown rule `{id}`"),
            )
            .label("no loaded rule has this id");
            if let Some(near) = crate::rules::closest_id(&set, id) {
                e = e.note(format!("did you mean `{near}`?"));
            }
            errors.push(e);
            continue;
        };
        let rule = &set.rules[i];
        let allowed = crate::rules::load::allowed_keys(rule.kind);
        for key in s.tunables.set_keys() {
            if !allowed.contains(&key) {
                errors.push(
                    RuleError::new(
                        0,
                        at(&format!("rules.{id}.{key}"), true),
                        format!("`{key}` does not apply to `{id}`"),
                    )
                    .label("not a tunable of this rule")
                    .note(format!(
                        "`{id}` is a `{}` rule; see `emaillint explain {id}`",
                        rule.kind.as_str()
                    )),
                );
            }
        }
        for (key, v) in s.tunables.entries() {
            if let Some(v) = v
                && (v < 0.0 || !v.is_finite())
            {
                errors.push(RuleError::new(
                    0,
                    at(&format!("rules.{id}.{key}"), false),
                    format!("`{key}` must be a finite number of zero or more"),
                ));
            }
        }
        apply(&mut settings.rules[i], s, rule.severity);
    }
    if let Some(d) = &spec.interview {
        match Date::parse(d) {
            Some(d) => settings.interview = Some(d),
            None => errors.push(
                RuleError::new(0, at("interview", false), format!("`{d}` is not a date"))
                    .label("expected YYYY-MM-DD")
                    .note("for example `interview: 2026-03-02`"),
            ),
        }
    }
    settings.variables = spec.variables.clone();
    let ignore = if spec.ignore.is_empty() {
        None
    } else {
        let mut b = GitignoreBuilder::new(&base);
        for (i, line) in spec.ignore.iter().enumerate() {
            if let Err(e) = b.add_line(None, line) {
                errors.push(RuleError::new(
                    0,
                    at(&format!("ignore[{i}]"), false),
                    format!("bad ignore pattern: {e}"),
                ));
            }
        }
        b.build().ok()
    };
    if !errors.is_empty() {
        return Err(ConfigError::Files(LoadError {
            files: file.into_iter().collect(),
            errors,
        }));
    }

    // The command line last.
    for (id, on) in &cli.toggles {
        let Some(i) = set.position(id) else {
            return Err(ConfigError::Usage(unknown(
                "rule",
                id,
                set.rules.iter().map(|r| r.id.as_str()),
            )));
        };
        settings.rules[i].severity = on.then_some(set.rules[i].severity);
    }
    Ok(Resolved {
        path: path.map(Path::to_path_buf),
        profile,
        set,
        settings,
        ignore,
    })
}

fn unknown<'a>(what: &str, name: &str, known: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut m = format!("unknown {what} `{name}`");
    if let Some(near) = crate::rules::closest(known.clone(), name) {
        m.push_str(&format!(" (did you mean `{near}`?)"));
    } else {
        m.push_str(&format!(
            " (known: {})",
            known.collect::<Vec<_>>().join(", ")
        ));
    }
    m
}

/// Apply a config or profile entry to a rule's settings.
fn apply(cfg: &mut RuleConfig, s: &RuleSetting, default: crate::Severity) {
    match s.level {
        Some(Level::Off) => cfg.severity = None,
        Some(l) => cfg.severity = l.severity(),
        // Tunables alone switch a rule on at its default severity.
        None if cfg.severity.is_none() && s.tunables != Default::default() => {
            cfg.severity = Some(default)
        }
        None => {}
    }
    cfg.bounds = cfg.bounds.merged(&s.tunables);
}

/// Parse a config file's text: every syntax error, unknown key and wrong
/// type, each with its span, in file order.
pub fn parse(file: &SourceFile) -> Result<ConfigSpec, Vec<RuleError>> {
    if file.text.trim().is_empty() {
        return Ok(ConfigSpec::default());
    }
    yaml::from_str::<Option<ConfigSpec>>(&file.text)
        .map(Option::unwrap_or_default)
        .map_err(|e| {
            yaml::mistakes::all::<Option<ConfigSpec>>(&file.text, e)
                .into_iter()
                .map(|m| {
                    let mut r = RuleError::new(0, m.span, m.message);
                    r.notes = m.notes;
                    r
                })
                .collect()
        })
}

/// The commented config `emaillint init` writes.
pub const INIT_TEMPLATE: &str = include_str!("init.yaml");
