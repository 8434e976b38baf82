//! The command line: argument parsing, finding inputs and configs, linting
//! in parallel, fixing, and the exit code.

use crate::config::{self, ConfigError, Overrides, Resolved};
use crate::document::Format;
use crate::report::{self, Context, InputError, Linted, Outcome, OutputFormat, render_rule_errors};
use crate::rules::model::Severity;
use crate::source::SourceFile;
use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{Buffer, BufferWriter, ColorChoice, WriteColor};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Exit codes, a public interface (README, CHANGELOG).
pub mod exit {
    /// No diagnostic at or above the `--deny` level (error by default).
    pub const OK: u8 = 0;
    /// At least one diagnostic at or above the `--deny` level.
    pub const PROBLEMS: u8 = 1;
    /// A usage error, an input that could not be read or was skipped, fixes
    /// or output that could not be written, or a broken rule or config file.
    pub const TROUBLE: u8 = 2;
}

const AFTER_HELP: &str = "\
Exit codes:
  0  no diagnostic at or above the --deny level (error by default)
  1  at least one such diagnostic
  2  usage error, an input that could not be read or was skipped (not a
     regular file, over --max-file-size), fixes that could not be written,
     output that could not be written, or a broken rule or config file

Examples:
  emaillint draft.txt                  lint one draft
  emaillint drafts/ --format github    lint a folder in CI
  emaillint explain references draft.md
  emaillint rules                      list the rules and their settings";

#[derive(Debug, Parser)]
#[command(
    name = "emaillint",
    version,
    about = "Lint a drafted email before you press Send.",
    long_about = "Lint a drafted email before you press Send.\n\nReads plain-text or Markdown drafts, checks them against rules drawn from career advice (built in, or your own YAML), and reports problems with the exact text they are about.",
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    lint: LintArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint drafts (what `emaillint PATH...` does; use it for a file named like a command).
    Lint(LintArgs),
    /// List the rules in effect, or check rule files against their examples.
    Rules {
        #[command(subcommand)]
        action: Option<RulesAction>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Explain a rule; with a draft, trace what the rule found in it and why.
    Explain {
        /// A rule id (`emaillint rules` lists them).
        id: String,
        /// A draft to trace the rule over; `-` reads standard input.
        file: Option<PathBuf>,
        /// Read FILE as this format instead of guessing from its extension.
        #[arg(long, value_enum)]
        input_format: Option<Format>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Write a commented .emaillint.yaml to start from (with --profile NAME, for that profile).
    Init {
        /// Where to write it: a file, or a directory to write .emaillint.yaml in.
        #[arg(default_value = ".emaillint.yaml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        config: ConfigArgs,
    },
}

#[derive(Debug, Subcommand)]
enum RulesAction {
    /// Check that every `fail` example fires its rule and every `pass` example does not.
    Check {
        /// A directory of rule files to check on its own (default: the rules in effect).
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Args)]
struct ConfigArgs {
    /// Use this config file instead of looking for .emaillint.yaml.
    #[arg(long, value_name = "PATH", global = true)]
    config: Option<PathBuf>,
    /// Ignore any .emaillint.yaml.
    #[arg(long, global = true, conflicts_with = "config")]
    no_config: bool,
    /// The kind of email: second-chance (default), thank-you, follow-up.
    #[arg(long, value_name = "NAME", global = true)]
    profile: Option<String>,
    /// Also load the rule files (*.yaml) in DIR. Repeatable.
    #[arg(long = "rules", value_name = "DIR", global = true)]
    rule_dirs: Vec<PathBuf>,
    /// Do not load the built-in rules.
    #[arg(long, global = true)]
    no_builtin: bool,
    /// Turn rules on, at their default severity. Repeatable, or comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',', global = true)]
    enable: Vec<String>,
    /// Turn rules off. Repeatable, or comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',', global = true)]
    disable: Vec<String>,
}

impl ConfigArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            profile: self.profile.clone(),
            rule_dirs: self.rule_dirs.clone(),
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            no_builtin: self.no_builtin,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    #[value(alias = "errors")]
    Error,
    #[value(alias = "warnings")]
    Warning,
    #[value(alias = "infos", alias = "note", alias = "notes")]
    Info,
    /// Never fail because of diagnostics (exit 0 unless something could not be read).
    Nothing,
}

#[derive(Debug, Clone, Args)]
struct LintArgs {
    /// Drafts or directories to lint; `-` reads standard input. Directories
    /// are searched for .txt, .md, .markdown and .eml files, honouring .gitignore.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// When to colour human output. With auto, a non-empty NO_COLOR in the environment means never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorWhen,
    /// Read inputs as this format instead of guessing from the extension.
    #[arg(long, value_enum)]
    input_format: Option<Format>,
    /// The file name to report (and guess the format and config from) for standard input.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1 (`note` means info).
    #[arg(long, value_enum, default_value = "error", value_name = "SEVERITY")]
    deny: Deny,
    /// Apply safe fixes to the files (standard input: print the fixed draft).
    #[arg(long)]
    fix: bool,
    /// With --fix, also insert suggested sentences (review them before sending).
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
    /// Diagnostics only: no checklist or summary.
    #[arg(short, long)]
    quiet: bool,
    /// Skip inputs larger than this (bytes, or with kB, MB, GB, KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "10MB", value_parser = crate::input::parse_size)]
    max_file_size: u64,
    /// Cut source lines in human output to N columns (default: COLUMNS,
    /// else the terminal's width, else 80); 0 shows whole lines.
    #[arg(long, value_name = "N")]
    max_columns: Option<usize>,
    /// Show at most N diagnostics per file (the rest are counted); 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_diagnostics: usize,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Run the command line; the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::TROUBLE
            } else {
                exit::OK
            });
        }
    };
    ExitCode::from(run(cli))
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Lint(args)) => lint(args),
        None => lint(cli.lint),
        Some(Command::Rules {
            action: None,
            config,
        }) => list_rules(&config),
        Some(Command::Rules {
            action: Some(RulesAction::Check { dir }),
            config,
        }) => check_rules(dir.as_deref(), &config),
        Some(Command::Explain {
            id,
            file,
            input_format,
            config,
        }) => crate::explain::run(
            &id,
            file.as_deref(),
            input_format,
            &resolve_for_cwd(&config),
        ),
        Some(Command::Init {
            path,
            force,
            config,
        }) => init(&path, force, &config),
    }
}

/// Colour for a stream: only to a terminal, and never with NO_COLOR set.
fn auto_color(to_terminal: bool) -> ColorChoice {
    color_for(std::env::var_os("NO_COLOR").as_deref(), to_terminal)
}

/// `--color auto`: colour to a terminal unless NO_COLOR is set to something
/// (no-color.org: an empty NO_COLOR is the same as none).
fn color_for(no_color: Option<&std::ffi::OsStr>, to_terminal: bool) -> ColorChoice {
    if no_color.is_some_and(|v| !v.is_empty()) || !to_terminal {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    }
}

/// The width human output fits in: `--max-columns`, else `COLUMNS`, else
/// the terminal's width, else 80 (not a terminal).
fn columns(flag: Option<usize>, to_stderr: bool) -> usize {
    if let Some(n) = flag {
        return n;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return n;
    }
    let size = if to_stderr {
        terminal_size::terminal_size_of(std::io::stderr())
    } else {
        terminal_size::terminal_size_of(std::io::stdout())
    };
    size.map_or(80, |(w, _)| usize::from(w.0))
}

fn stderr_color() -> ColorChoice {
    auto_color(std::io::stderr().is_terminal())
}

/// Print a one-line error to stderr: `error: message`.
pub(crate) fn error_line(message: &str) {
    let w = BufferWriter::stderr(stderr_color());
    let mut b = w.buffer();
    let _ = b.set_color(
        codespan_reporting::term::termcolor::ColorSpec::new()
            .set_fg(Some(codespan_reporting::term::termcolor::Color::Red))
            .set_bold(true),
    );
    let _ = write!(b, "error");
    let _ = b.reset();
    let _ = writeln!(b, ": {message}");
    let _ = w.print(&b);
}

/// Print config or rule file errors to stderr.
fn config_error(e: &ConfigError) -> u8 {
    match e {
        ConfigError::Usage(m) => error_line(m),
        ConfigError::Files(e) => {
            let w = BufferWriter::stderr(stderr_color());
            let mut b = w.buffer();
            let _ = render_rule_errors(&mut b, &e.files, &e.errors);
            let n = e.errors.len();
            let _ = writeln!(
                b,
                "{n} problem{} in the rule or config files; nothing was linted",
                if n == 1 { "" } else { "s" }
            );
            let _ = w.print(&b);
        }
    }
    exit::TROUBLE
}

/// The config for commands that are not about particular files.
pub(crate) type Resolution = Result<Resolved, u8>;

fn resolve_for_cwd(args: &ConfigArgs) -> Resolution {
    let path = if args.no_config {
        None
    } else {
        args.config
            .clone()
            .or_else(|| config::discover(Path::new(".")))
    };
    config::resolve(path.as_deref(), &args.overrides()).map_err(|e| config_error(&e))
}

/// One thing to lint.
#[derive(Debug)]
enum Input {
    Stdin,
    /// A file, and whether it was named on the command line (rather than found in a directory).
    File(PathBuf, bool),
    Bad(InputError),
}

const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "eml", "text"];

fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                let walker = ignore::WalkBuilder::new(p)
                    .sort_by_file_name(|a, b| a.cmp(b))
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let path = e.path();
                            let is_draft = e.file_type().is_some_and(|t| t.is_file())
                                && path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                                    DRAFT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                                });
                            if is_draft {
                                found.push(Input::File(path.to_path_buf(), false));
                            }
                        }
                        Err(e) => found.push(Input::Bad(InputError {
                            path: p.display().to_string(),
                            message: walk_message(&e),
                        })),
                    }
                }
                if found.is_empty() {
                    found.push(Input::Bad(InputError {
                        path: p.display().to_string(),
                        message: "no drafts found in this directory (looked for .txt, .md, .markdown, .eml, .text)".into(),
                    }));
                }
                out.extend(found);
            }
            Ok(_) => match crate::input::special_kind(p) {
                Some(kind) => out.push(Input::Bad(InputError {
                    path: p.display().to_string(),
                    message: format!(
                        "{}; it was not read (to lint what it holds, pipe it to `emaillint -`)",
                        crate::input::ReadError::NotRegular(kind)
                    ),
                })),
                None => out.push(Input::File(p.clone(), true)),
            },
            Err(e) => out.push(Input::Bad(InputError {
                path: p.display().to_string(),
                message: io_message(&e),
            })),
        }
    }
    dedup(out)
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
/// real file is linted, and fixed, once.
fn dedup(inputs: Vec<Input>) -> Vec<Input> {
    let mut seen = std::collections::HashSet::new();
    inputs
        .into_iter()
        .filter(|i| match i {
            Input::File(p, _) => {
                seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            }
            _ => true,
        })
        .collect()
}

pub(crate) fn io_message(e: &std::io::Error) -> String {
    crate::input::io_message(e)
}

/// Configs by the path they were read from (None: no config).
struct Configs<'a> {
    args: &'a ConfigArgs,
    cache: HashMap<Option<PathBuf>, Arc<Resolved>>,
    failed: bool,
}

impl Configs<'_> {
    fn for_dir(&mut self, dir: &Path) -> Option<Arc<Resolved>> {
        let path = if self.args.no_config {
            None
        } else {
            self.args.config.clone().or_else(|| config::discover(dir))
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
                config_error(&e);
                self.failed = true;
                None
            }
        }
    }
}

/// A unit of linting work: an input with the config that applies to it.
enum Job {
    Stdin(Arc<Resolved>),
    File(PathBuf, Arc<Resolved>),
    Bad(InputError),
}

fn lint(args: LintArgs) -> u8 {
    if args.paths.is_empty() {
        error_line(
            "no drafts given: name one or more files or directories, or `-` for standard input",
        );
        eprintln!("\nUsage: emaillint [OPTIONS] <PATH>...\n\nFor more information, try '--help'.");
        return exit::TROUBLE;
    }
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        error_line("`-` (standard input) can be given only once");
        return exit::TROUBLE;
    }
    let stdin_fixing = args.fix && args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin_fixing && args.paths.len() > 1 {
        error_line(
            "--fix with `-` prints the fixed draft, so it cannot be combined with other inputs",
        );
        return exit::TROUBLE;
    }

    // Inputs and the config for each; every config is resolved before
    // anything is linted, so a broken one stops the run.
    let mut configs = Configs {
        args: &args.config,
        cache: HashMap::new(),
        failed: false,
    };
    let mut jobs = Vec::new();
    for input in expand(&args.paths) {
        match input {
            Input::Stdin => {
                let dir = args
                    .stdin_filename
                    .as_deref()
                    .and_then(Path::parent)
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if let Some(r) = configs.for_dir(dir) {
                    jobs.push(Job::Stdin(r));
                }
            }
            Input::File(path, named) => {
                // The config of the directory the file really is in (a
                // symlink's target's), however the path is spelled.
                let real = std::fs::canonicalize(&path).ok();
                let dir = real
                    .as_deref()
                    .unwrap_or(&path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if let Some(r) = configs.for_dir(dir) {
                    if !named && r.ignores(&path, false) {
                        continue;
                    }
                    jobs.push(Job::File(path, r));
                }
            }
            Input::Bad(e) => jobs.push(Job::Bad(e)),
        }
    }
    if configs.failed {
        return exit::TROUBLE;
    }

    let outcomes: Vec<Outcome> = jobs
        .into_par_iter()
        .map(|job| run_job(job, &args))
        .collect();

    let code = exit_code(&outcomes, args.deny);
    if stdin_fixing && let Some(Outcome::Linted(l)) = outcomes.first() {
        let mut out = std::io::stdout().lock();
        if let Err(stop) = output(
            out.write_all(l.source.text.as_bytes())
                .and_then(|()| out.flush()),
            code,
        ) {
            return stop;
        }
    }

    // Render each file in parallel into its own buffer, then print in order.
    let color = match args.color {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => auto_color(if stdin_fixing {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        }),
    };
    let writer = if stdin_fixing {
        BufferWriter::stderr(color)
    } else {
        BufferWriter::stdout(color)
    };
    let reporter = report::reporter(args.format);
    let rules = outcomes
        .iter()
        .find_map(|o| match o {
            Outcome::Linted(l) => Some(l.rules.clone()),
            Outcome::Failed(_) => None,
        })
        .or_else(|| configs.cache.values().next().map(|r| r.set.clone()))
        // Nothing could be read: the errors still need reporting, with the
        // rules that would have applied here.
        .or_else(|| configs.for_dir(Path::new(".")).map(|r| r.set.clone()));
    let Some(rules) = rules else {
        return exit::TROUBLE;
    };
    let cx = Context {
        rules: &rules,
        checklist: !args.quiet,
        columns: columns(args.max_columns, stdin_fixing),
    };
    let buffers: Vec<Buffer> = outcomes
        .par_iter()
        .map(|o| {
            let mut b = writer.buffer();
            if let Outcome::Linted(l) = o {
                let cx = Context {
                    rules: &l.rules,
                    ..cx
                };
                if let Err(e) = reporter.file(&mut b, l, &cx) {
                    let _ = writeln!(
                        b,
                        "error: {}: cannot render diagnostics: {e}",
                        report::escape(&l.source.name)
                    );
                }
            }
            b
        })
        .collect();
    for (o, b) in outcomes.iter().zip(&buffers) {
        match o {
            Outcome::Failed(e) => error_line(&format!("{}: {}", e.path, e.message)),
            Outcome::Linted(l) => {
                if let Some(e) = &l.error {
                    error_line(&format!("{}: {e}", l.source.name));
                }
            }
        }
        if let Err(stop) = output(writer.print(b), code) {
            return stop;
        }
    }
    let mut b = writer.buffer();
    let rendered = reporter.finish(&mut b, &outcomes, &cx);
    if let Err(stop) = output(rendered.and_then(|()| writer.print(&b)), code) {
        return stop;
    }
    code
}

/// The exit code after a command's last write to standard output.
pub(crate) fn finish_output(result: std::io::Result<()>, code: u8) -> u8 {
    output(result, code).err().unwrap_or(code)
}

/// The outcome of writing to standard output: a broken pipe (`emaillint
/// ... | head`) is a quiet stop with the exit code the run had earned; any
/// other failure (a full disk) is an error, exit code 2.
fn output(result: std::io::Result<()>, code: u8) -> Result<(), u8> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(code),
        Err(e) => {
            error_line(&format!("cannot write output: {}", io_message(&e)));
            Err(exit::TROUBLE)
        }
    }
}

fn exit_code(outcomes: &[Outcome], deny: Deny) -> u8 {
    let threshold = match deny {
        Deny::Error => Some(Severity::Error),
        Deny::Warning => Some(Severity::Warning),
        Deny::Info => Some(Severity::Info),
        Deny::Nothing => None,
    };
    let mut code = exit::OK;
    for o in outcomes {
        match o {
            Outcome::Failed(_) => return exit::TROUBLE,
            Outcome::Linted(l) if l.error.is_some() => return exit::TROUBLE,
            Outcome::Linted(l) => {
                let max = l.report.max_severity().max(l.omitted.max_severity());
                if let (Some(t), Some(max)) = (threshold, max)
                    && max >= t
                {
                    code = exit::PROBLEMS;
                }
            }
        }
    }
    code
}

fn read_input(job: &Job, args: &LintArgs) -> Result<(String, Vec<u8>), InputError> {
    let (name, bytes) = match job {
        Job::Stdin(_) => {
            let name = args
                .stdin_filename
                .as_ref()
                .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
            (name, crate::input::read_stdin(args.max_file_size))
        }
        Job::File(path, _) => (
            path.display().to_string(),
            crate::input::read_file(path, args.max_file_size),
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

fn run_job(job: Job, args: &LintArgs) -> Outcome {
    let resolved = match &job {
        Job::Stdin(r) | Job::File(_, r) => r.clone(),
        Job::Bad(e) => return Outcome::Failed(e.clone()),
    };
    let (name, bytes) = match read_input(&job, args) {
        Ok(x) => x,
        Err(e) => return Outcome::Failed(e),
    };
    let format = args.input_format.unwrap_or_else(|| match &job {
        Job::File(p, _) => Format::from_path(p),
        _ => args
            .stdin_filename
            .as_deref()
            .map_or(Format::Text, Format::from_path),
    });
    let (text, decoded) = match crate::document::prepare(bytes, format) {
        Ok(p) => (p.text, p.decoded),
        Err(e) => {
            return Outcome::Failed(InputError {
                path: name,
                message: e.to_string(),
            });
        }
    };
    if decoded.is_some() && args.fix && matches!(job, Job::Stdin(_)) {
        // Printing the decoded text would replace the message's bytes.
        return Outcome::Failed(InputError {
            path: name,
            message: "--fix cannot rewrite this email: its body is encoded (lint it without --fix)"
                .into(),
        });
    }
    let set = &resolved.set;
    let mut settings = resolved.settings.clone();
    settings
        .today
        .get_or_insert_with(crate::engine::Date::today);
    let mut linted = Linted {
        source: SourceFile::new(name, String::new()),
        format,
        report: Default::default(),
        fixed: 0,
        rules: resolved.set.clone(),
        omitted: Default::default(),
        error: None,
        fixable: Default::default(),
        decoded: None,
    };
    if decoded.is_some() && args.fix {
        // The fixes would be edits of the decoded text, not of the file.
        linted.error = Some(
            "--fix cannot rewrite this email: its body is encoded, so nothing was written".into(),
        );
        linted.report = crate::check(&text, format, set, &settings).1;
        linted.source = SourceFile::new(linted.source.name, text);
    } else if args.fix {
        let fixed = crate::fix::fix(&text, format, set, &settings, args.unsafe_fixes);
        if let Some(why) = &fixed.stopped {
            linted.error = Some(format!("--fix {why}"));
        }
        let written = match &job {
            Job::File(path, _) if fixed.text != text => {
                write_fixed(path, text.as_bytes(), fixed.text.as_bytes())
            }
            _ => Ok(()),
        };
        match written {
            Ok(()) => {
                linted.fixed = fixed.applied;
                linted.report = fixed.report;
                linted.fixable = report::Fixable::of(&linted.report, &fixed.refused);
                linted.source = SourceFile::new(linted.source.name, fixed.text);
            }
            Err(e) => {
                // Nothing was written: report the file as it is on disk.
                linted.error = Some(format!("cannot write fixes: {e}"));
                linted.report = crate::check(&text, format, set, &settings).1;
                linted.source = SourceFile::new(linted.source.name, text);
            }
        }
    } else {
        linted.report = crate::check(&text, format, set, &settings).1;
        if args.format == OutputFormat::Human
            && decoded.is_none()
            && linted.report.diagnostics.iter().any(|d| d.fix.is_some())
        {
            // Try the fixes on a copy, so that the summary counts only
            // those --fix would apply, and a suggestion it would refuse
            // says so.
            let trial = crate::fix::fix(&text, format, set, &settings, true);
            crate::fix::note_refused(
                &mut linted.report,
                &trial.refused,
                "--fix would not apply this",
            );
            linted.fixable = report::Fixable::of(&linted.report, &trial.refused);
        }
        linted.source = SourceFile::new(linted.source.name, text);
    }
    linted.decoded = decoded;
    linted.omitted = crate::report::limit(&mut linted.report, args.max_diagnostics);
    Outcome::Linted(Box::new(linted))
}

/// Write fixed bytes over the draft at `path`, which held `original`.
///
/// A symlink is followed: the file it points to is fixed and the link
/// stays. A file with other hard links is not written (renaming over one
/// name would split it from the others), nor one that changed since it was
/// read. The new text goes to an unpredictable temporary file beside the
/// real file, created exclusively with the draft's permissions, synced, and
/// renamed over it, so a crash or a full disk leaves the old draft or the
/// new one, never half of one.
fn write_fixed(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), String> {
    let real = std::fs::canonicalize(path).map_err(|e| io_message(&e))?;
    let meta = std::fs::metadata(&real).map_err(|e| io_message(&e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "it has {} hard links, and replacing it would split this name from the others; fix a copy instead",
                meta.nlink()
            ));
        }
    }
    let changed = || "the file changed while it was being linted; run again".to_string();
    let now = crate::input::read_file(&real, original.len() as u64).map_err(|_| changed())?;
    if now != original {
        return Err(changed());
    }
    let dir = real
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".emaillint.tmp")
        .permissions(meta.permissions())
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "cannot create a temporary file in {}: {}",
                dir.display(),
                io_message(&e)
            )
        })?;
    let io = |e: std::io::Error| io_message(&e);
    tmp.write_all(fixed).map_err(io)?;
    // The umask may have narrowed the mode at creation; restore it exactly.
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keep the owner when allowed (root fixing someone's draft).
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&real).map_err(|e| io_message(&e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn list_rules(args: &ConfigArgs) -> u8 {
    let r = match resolve_for_cwd(args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    let width = r.set.rules.iter().map(|x| x.id.len()).max().unwrap_or(2);
    let header = writeln!(
        out,
        "{:width$}  {:11}  {:8}  SUMMARY   (profile: {}{})",
        "RULE",
        "KIND",
        "SEVERITY",
        r.profile,
        r.path
            .as_ref()
            .map(|p| format!(", config: {}", p.display()))
            .unwrap_or_default()
    );
    let mut result = header;
    for (rule, cfg) in r.set.rules.iter().zip(&r.settings.rules) {
        let severity = cfg.severity.map_or("off", Severity::as_str);
        result = result.and_then(|()| {
            writeln!(
                out,
                "{:width$}  {:11}  {:8}  {}",
                rule.id,
                rule.kind.as_str(),
                severity,
                crate::report::escape(&rule.summary)
            )
        });
    }
    finish_output(result.and_then(|()| out.flush()), exit::OK)
}

fn check_rules(dir: Option<&Path>, args: &ConfigArgs) -> u8 {
    let (set, only): (Arc<crate::rules::RuleSet>, Option<Vec<usize>>) = match dir {
        Some(d) => {
            // The directory on its own. If it is not complete by itself (its
            // rules use the built-in lists or vocabulary), with the built-in
            // files loaded beside it, checking only its own rules; but a
            // directory that defines what the built-in pack defines (a copy
            // of `rules/`) is never checked against the built-in pack.
            let dirs = [d.to_path_buf()];
            let alone = crate::rules::RuleSet::load(&dirs, false);
            let loaded = match alone {
                Ok(s) => Ok(s),
                Err(e) if args.no_builtin => Err(e),
                Err(alone_errors) => match crate::rules::RuleSet::load(&dirs, true) {
                    Ok(s) => Ok(s),
                    Err(e) if clashes_with_builtin(&e, &alone_errors) => Err(alone_errors),
                    Err(e) => Err(e),
                },
            };
            match loaded {
                Ok(s) => {
                    let own: Vec<usize> = (0..s.files.len())
                        .filter(|&i| !s.files[i].name.starts_with("<builtin>"))
                        .collect();
                    (Arc::new(s), Some(own))
                }
                Err(e) => return config_error(&ConfigError::Files(e)),
            }
        }
        None => match resolve_for_cwd(args) {
            Ok(r) => (r.set.clone(), None),
            Err(code) => return code,
        },
    };
    let (count, failures) = crate::rules::examples::check(&set, only.as_deref());
    let w = BufferWriter::stdout(auto_color(std::io::stdout().is_terminal()));
    let mut b = w.buffer();
    let errors: Vec<crate::rules::load::RuleError> = failures
        .iter()
        .map(|f| {
            let message = if f.missing {
                format!("`{}` has no `{}` example", f.rule, f.expected)
            } else if f.expected == "suggestion" {
                format!(
                    "the `suggestion` of `{}` does not satisfy the rule: inserted into `fail` example {}, the rule still fires",
                    f.rule,
                    f.index + 1
                )
            } else if f.expected == "fail" {
                format!(
                    "`fail` example {} of `{}` does not fire the rule",
                    f.index + 1,
                    f.rule
                )
            } else {
                format!(
                    "`pass` example {} of `{}` fires the rule",
                    f.index + 1,
                    f.rule
                )
            };
            let mut e = crate::rules::load::RuleError::new(f.file, f.span, message);
            e.label = Some(if f.missing {
                "add `examples: {pass: [...], fail: [...]}` to this rule".into()
            } else if f.expected == "suggestion" {
                "the suggestion lands here, where the rule does not count it".into()
            } else if f.expected == "fail" {
                "expected a diagnostic here".into()
            } else {
                "expected no diagnostic".into()
            });
            e.notes = f
                .diagnostics
                .iter()
                .map(|d| format!("reported: {}", d.message))
                .collect();
            e
        })
        .collect();
    let _ = render_rule_errors(&mut b, &set.files, &errors);
    let _ = writeln!(
        b,
        "{} rule{}, {} example{}: {}",
        count.rules,
        if count.rules == 1 { "" } else { "s" },
        count.examples,
        if count.examples == 1 { "" } else { "s" },
        if failures.is_empty() {
            "all behave as documented".to_string()
        } else {
            format!("{} misbehave", failures.len())
        }
    );
    let code = if failures.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    };
    finish_output(w.print(&b), code)
}

/// Did loading a directory beside the built-in pack (`with`) fail in a way
/// it did not alone (`alone`): a rule id, list or profile the pack also
/// defines? Then the pack is in the way, and the directory's own errors
/// are the ones to show.
fn clashes_with_builtin(with: &crate::rules::LoadError, alone: &crate::rules::LoadError) -> bool {
    with.errors
        .iter()
        .any(|e| !alone.errors.iter().any(|a| a.message == e.message))
}

fn init(path: &Path, force: bool, args: &ConfigArgs) -> u8 {
    // A directory: the config goes inside it.
    let file;
    let path = if path.is_dir() {
        file = path.join(config::CONFIG_NAMES[0]);
        file.as_path()
    } else {
        path
    };
    // The profile must be one the rules in effect have.
    let template = match &args.profile {
        None => config::INIT_TEMPLATE.to_string(),
        Some(name) => {
            if let Err(e) = config::resolve(None, &args.overrides()) {
                return config_error(&e);
            }
            config::INIT_TEMPLATE.replacen(
                &format!("profile: {}", config::DEFAULT_PROFILE),
                &format!("profile: {name}"),
                1,
            )
        }
    };
    if path.exists() && !force {
        error_line(&format!(
            "{}: already exists (use --force to overwrite it)",
            path.display()
        ));
        return exit::TROUBLE;
    }
    match std::fs::write(path, template) {
        Ok(()) => {
            println!(
                "Wrote {}. Edit it to choose a profile and tune rules; `emaillint rules` shows the result.",
                path.display()
            );
            exit::OK
        }
        Err(e) => {
            error_line(&format!(
                "{}: cannot write: {}",
                path.display(),
                io_message(&e)
            ));
            exit::TROUBLE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_no_color_does_not_turn_colour_off() {
        use std::ffi::OsStr;
        assert_eq!(color_for(None, true), ColorChoice::Auto);
        assert_eq!(color_for(Some(OsStr::new("")), true), ColorChoice::Auto);
        assert_eq!(color_for(Some(OsStr::new("1")), true), ColorChoice::Never);
        assert_eq!(color_for(None, false), ColorChoice::Never);
    }
}
