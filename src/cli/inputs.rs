//! Inputs: the paths on the command line expanded into drafts, the config
//! that applies to each, and reading them.

use super::Error;
use super::args::{ConfigArgs, LintArgs};
use emaillint::config::{self, ConfigError, Resolved};
use emaillint::input::io_message;
use emaillint::report::InputError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One thing to lint.
#[derive(Debug)]
pub(crate) enum Input {
    Stdin,
    /// A file, whether it was named on the command line (rather than found
    /// in a directory), and where it really is (symlinks and `..`
    /// resolved; `None` if that cannot be found out).
    File(PathBuf, bool, Option<PathBuf>),
    Bad(InputError),
}

const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "eml", "text"];

/// File names (before the first `.`, case-insensitive) of a repository's
/// own documents, which directory walks leave out: a template repository's
/// README is not a draft.
const PROJECT_DOCUMENTS: &[&str] = &[
    "readme",
    "changelog",
    "changes",
    "history",
    "news",
    "contributing",
    "code_of_conduct",
    "security",
    "authors",
    "license",
    "licence",
    "copying",
    "notice",
    "architecture",
];

/// Directories (case-insensitive) whose files directory walks leave out.
const DOCUMENT_DIRS: &[&str] = &["docs", "doc"];

/// How directory walks choose files: `--include`, `--exclude`.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

fn globs(patterns: &[String], flag: &str) -> Result<Option<globset::GlobSet>, Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::Message(format!("{flag} `{p}`: {}", e.kind())))?;
        b.add(glob);
    }
    b.build()
        .map(Some)
        .map_err(|e| Error::Message(format!("{flag}: {e}")))
}

impl Walk {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Walk, Error> {
        Ok(Walk {
            include: globs(include, "--include")?,
            exclude: globs(exclude, "--exclude")?,
        })
    }

    /// Why a file found under `root` is not linted, if it is not. A glob
    /// matches the path below `root` or, without a `/`, the file name.
    fn skip(&self, root: &Path, path: &Path) -> Option<&'static str> {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let name = Path::new(rel.file_name().unwrap_or(rel.as_os_str()));
        let matches = |set: &globset::GlobSet| set.is_match(rel) || set.is_match(name);
        if self.exclude.as_ref().is_some_and(matches) {
            return Some("matches --exclude");
        }
        if let Some(include) = &self.include {
            // An --include names what to lint, project documents too.
            return (!matches(include)).then_some("does not match --include");
        }
        let stem = name
            .to_str()
            .and_then(|n| n.split('.').next())
            .map(str::to_ascii_lowercase);
        if stem.as_deref().is_some_and(|s| {
            PROJECT_DOCUMENTS.iter().any(|d| {
                s.strip_prefix(d)
                    .is_some_and(|r| r.is_empty() || r.starts_with('-'))
            })
        }) {
            return Some("a project document, not a draft");
        }
        let in_docs = rel.parent().is_some_and(|dir| {
            dir.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_some_and(|c| DOCUMENT_DIRS.contains(&c.to_ascii_lowercase().as_str()))
            })
        });
        in_docs.then_some("in a docs directory, not a draft")
    }
}

/// A file a directory walk left out, and why.
#[derive(Debug)]
pub(crate) struct Skipped {
    pub path: PathBuf,
    pub why: &'static str,
}

/// The inputs `paths` name: files as given, directories walked for drafts
/// (honouring `.gitignore`, `.ignore` and hidden files, inside a git
/// repository or not), and what the walks left out.
pub(crate) fn expand(paths: &[PathBuf], walk: &Walk) -> (Vec<Input>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                // Sorted below, not by the walk: its comparator parsed each
                // entry's path for its name, at every comparison.
                let walker = ignore::WalkBuilder::new(p).require_git(false).build();
                let mut left_out = 0;
                let skipped_before = skipped.len();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let path = e.path();
                            let is_draft = e.file_type().is_some_and(|t| t.is_file())
                                && path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                                    DRAFT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                                });
                            if !is_draft {
                                continue;
                            }
                            match walk.skip(p, path) {
                                Some(why) => {
                                    left_out += 1;
                                    skipped.push(Skipped {
                                        path: path.to_path_buf(),
                                        why,
                                    });
                                }
                                None => found.push((
                                    path.to_path_buf(),
                                    Input::File(path.to_path_buf(), false, None),
                                )),
                            }
                        }
                        Err(e) => found.push((
                            error_path(&e).unwrap_or(p).to_path_buf(),
                            Input::Bad(InputError {
                                path: p.display().to_string(),
                                message: walk_message(&e),
                            }),
                        )),
                    }
                }
                // A walk's error sorts where the path it names would.
                let mut found: Vec<Input> = sort_as_walked(found, |(path, _)| path)
                    .into_iter()
                    .map(|(_, input)| input)
                    .collect();
                let walked = skipped.split_off(skipped_before);
                skipped.extend(sort_as_walked(walked, |k| &k.path));
                if found.is_empty() {
                    let message = if left_out > 0 {
                        format!(
                            "no drafts found in this directory ({left_out} file{} left out: see --show-files)",
                            if left_out == 1 { "" } else { "s" }
                        )
                    } else {
                        "no drafts found in this directory (looked for .txt, .md, .markdown, .eml, .text)".into()
                    };
                    found.push(Input::Bad(InputError {
                        path: p.display().to_string(),
                        message,
                    }));
                }
                out.extend(found);
            }
            Ok(_) => match emaillint::input::special_kind(p) {
                Some(kind) => out.push(Input::Bad(InputError {
                    path: p.display().to_string(),
                    message: format!(
                        "{}; it was not read (to lint what it holds, pipe it to `emaillint -`)",
                        emaillint::input::ReadError::NotRegular(kind)
                    ),
                })),
                None => out.push(Input::File(p.clone(), true, None)),
            },
            Err(e) => out.push(Input::Bad(InputError {
                path: p.display().to_string(),
                message: io_message(&e),
            })),
        }
    }
    (dedup(out), skipped)
}

/// Put a walk's finds in the order of a walk that reads each directory's
/// entries sorted by name, depth first: the order of their paths compared
/// component by component. (Each path is split into components once: a
/// sorting walk, or comparing paths, parses both paths again at every
/// comparison.)
fn sort_as_walked<T>(items: Vec<T>, path: impl Fn(&T) -> &Path) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let keys: Vec<Vec<&std::ffi::OsStr>> =
            items.iter().map(|t| path(t).iter().collect()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    }
    let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| items[i].take()).collect()
}

/// The path a walk's error is about, if it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// A directory walk's error in the words the rest of emaillint uses: the
/// path it is about, and the system's reason without "(os error N)".
fn walk_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { path, err } => {
            format!("{}: {}", path.display(), walk_message(err))
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_message(err)
        }
        ignore::Error::Io(e) => io_message(e),
        other => other.to_string(),
    }
}

/// Drop files named twice (`d` and `d/a.txt`, or through a symlink): each
/// real file is linted, and fixed, once. Each file keeps its real path
/// (resolved once here, for this and for finding its config).
fn dedup(inputs: Vec<Input>) -> Vec<Input> {
    let mut seen = std::collections::HashSet::new();
    // A file a walk found is not a symlink (walks do not follow them), so
    // its real path is its directory's, resolved once per directory,
    // joined with its name: one `realpath` per file was three system calls
    // each, on a thousand files in one directory.
    let mut real_dirs: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut real_path = |p: &Path, named: bool| {
        let (Some(dir), Some(name), false) = (p.parent(), p.file_name(), named) else {
            return std::fs::canonicalize(p).ok();
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        real_dirs
            .entry(dir.to_path_buf())
            .or_insert_with(|| std::fs::canonicalize(dir).ok())
            .as_ref()
            .map(|d| d.join(name))
    };
    inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::File(p, named, _) => {
                let real = real_path(&p, named);
                seen.insert(real.clone().unwrap_or_else(|| p.clone()))
                    .then_some(Input::File(p, named, real))
            }
            other => Some(other),
        })
        .collect()
}

/// Configs by the path they were read from (None: no config).
pub(crate) struct Configs<'a> {
    pub args: &'a ConfigArgs,
    pub cache: HashMap<Option<PathBuf>, Arc<Resolved>>,
    /// Which config applies in each directory met so far.
    pub discovery: config::Discovery,
    /// Every config that could not be resolved, in the order met.
    pub errors: Vec<ConfigError>,
}

impl Configs<'_> {
    pub fn for_dir(&mut self, dir: &Path) -> Option<Arc<Resolved>> {
        let path = if self.args.no_config {
            None
        } else {
            self.args
                .config
                .clone()
                .or_else(|| self.discovery.discover(dir))
        };
        if let Some(r) = self.cache.get(&path) {
            return Some(r.clone());
        }
        match config::resolve(path.as_deref(), &self.args.overrides()) {
            Ok(r) => {
                let r = Arc::new(r);
                self.cache.insert(path, r.clone());
                Some(r)
            }
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }
}

/// A unit of linting work: an input with the config that applies to it.
pub(crate) enum Job {
    Stdin(Arc<Resolved>),
    File(PathBuf, Arc<Resolved>),
    Bad(InputError),
}

pub(crate) fn read_input(job: &Job, args: &LintArgs) -> Result<(String, Vec<u8>), InputError> {
    let (name, bytes) = match job {
        Job::Stdin(_) => {
            let name = args
                .stdin_filename
                .as_ref()
                .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
            (name, emaillint::input::read_stdin(args.max_file_size))
        }
        Job::File(path, _) => (
            path.display().to_string(),
            emaillint::input::read_file(path, args.max_file_size),
        ),
        Job::Bad(e) => return Err(e.clone()),
    };
    match bytes {
        Ok(b) => Ok((name, b)),
        Err(e) => Err(InputError {
            path: name,
            message: e.to_string(),
        }),
    }
}

/// The config for commands that are not about particular files: the one
/// that applies in the current directory.
pub(crate) fn resolve_for_cwd(args: &ConfigArgs) -> Result<Resolved, Error> {
    let path = if args.no_config {
        None
    } else {
        args.config
            .clone()
            .or_else(|| config::discover(Path::new(".")))
    };
    config::resolve(path.as_deref(), &args.overrides()).map_err(|e| Error::Config(vec![e]))
}
