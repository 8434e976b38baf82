//! The command line's arguments (clap). The library's types carry no clap
//! derives: the value enums here map onto them.

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use emaillint::config::Overrides;
use emaillint::document::Format;
use emaillint::report::OutputFormat;
use std::path::PathBuf;

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
    override_usage = "emaillint [OPTIONS] [PATH]...\n       emaillint [OPTIONS] <COMMAND>",
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
        input_format: Option<InputFormat>,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Run the language server on standard input and output, for editors.
    Lsp {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or a man directory.
    Man,
    /// Write a draft to start from, with [slots] to fill (--profile NAME for another kind of email).
    New {
        /// Write the draft to this file (never over an existing one unless
        /// --force); without it, print it.
        path: Option<PathBuf>,
        /// The interviewer's name, as the greeting should say it ("Ms. Park").
        #[arg(long, value_name = "NAME")]
        to: Option<String>,
        /// The job you interviewed for ("data analyst").
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// Your name, for the signature.
        #[arg(long, value_name = "NAME")]
        from: Option<String>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
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
pub(crate) enum RulesAction {
    /// Check that every `fail` example fires its rule and every `pass` example does not.
    Check {
        /// A directory of rule files to check on its own (default: the rules in effect).
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ConfigArgs {
    /// Use this config file instead of looking for .emaillint.yaml.
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// Ignore any .emaillint.yaml.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// The kind of email: second-chance (default), thank-you, follow-up.
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,
    /// Also load the rule files (*.yaml) in DIR. Repeatable.
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub rule_dirs: Vec<PathBuf>,
    /// Do not load the built-in rules.
    #[arg(long, global = true)]
    pub no_builtin: bool,
    /// Turn rules on, at their default severity. Repeatable, or comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',', global = true)]
    pub enable: Vec<String>,
    /// Turn rules off. Repeatable, or comma-separated. For a rule both
    /// enabled and disabled, the later on the command line wins.
    #[arg(long, value_name = "ID", value_delimiter = ',', global = true)]
    pub disable: Vec<String>,
    /// `enable` and `disable` in command-line order (see [`Cli::parse_all`]).
    #[arg(skip)]
    pub toggles: Vec<(String, bool)>,
}

impl ConfigArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            profile: self.profile.clone(),
            rule_dirs: self.rule_dirs.clone(),
            toggles: self.toggles.clone(),
            no_builtin: self.no_builtin,
        }
    }

    /// Fill `toggles` from where each `--enable` and `--disable` value
    /// stood on the command line.
    fn order_toggles(&mut self, m: &ArgMatches) {
        let mut all: Vec<(usize, String, bool)> = Vec::new();
        for (id, on) in [("enable", true), ("disable", false)] {
            if let (Some(ix), Some(values)) = (m.indices_of(id), m.get_many::<String>(id)) {
                all.extend(ix.zip(values).map(|(i, v)| (i, v.clone(), on)));
            }
        }
        all.sort_by_key(|(i, _, _)| *i);
        self.toggles = all.into_iter().map(|(_, id, on)| (id, on)).collect();
    }
}

impl Cli {
    /// Parse the command line, keeping the order of `--enable` and
    /// `--disable`, which the derived parser loses.
    pub fn parse_all() -> Result<Cli, clap::Error> {
        let matches = Cli::command().try_get_matches()?;
        if let Some((name, _)) = matches.subcommand() {
            lint_options_before(&matches, name)?;
        }
        let mut cli = Cli::from_arg_matches(&matches)?;
        let sub = matches.subcommand().map_or(&matches, |(_, m)| m);
        let config = match &mut cli.command {
            None => &mut cli.lint.config,
            Some(Command::Lint(args)) => &mut args.config,
            Some(
                Command::Rules { config, .. }
                | Command::Explain { config, .. }
                | Command::Lsp { config }
                | Command::Init { config, .. }
                | Command::New { config, .. },
            ) => config,
            Some(Command::Completions { .. } | Command::Man) => return Ok(cli),
        };
        config.order_toggles(sub);
        Ok(cli)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Deny {
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
pub(crate) struct LintArgs {
    /// Drafts or directories to lint; `-` reads standard input. Directories
    /// are searched for .txt, .md, .markdown and .eml files, honouring
    /// .gitignore (in a git repository or not), and leaving out README,
    /// CHANGELOG, LICENSE and the like, and docs/ directories.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// In directories, lint only files matching GLOB (a glob with `/`
    /// matches the path below the directory, else the file name);
    /// README and docs/ files too if they match. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// In directories, leave out files matching GLOB. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// List the files that would be linted, and those directory walks
    /// leave out (with why), then stop.
    #[arg(long)]
    pub show_files: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// When to colour human output. With auto, a non-empty NO_COLOR in the environment means never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorWhen,
    /// Read inputs as this format instead of guessing from the extension.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// The file name to report (and guess the format and config from) for standard input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1 (`note` means info).
    #[arg(long, value_enum, default_value = "error", value_name = "SEVERITY")]
    pub deny: Deny,
    /// Exit 0 even when there are diagnostics (the same as --deny nothing).
    #[arg(long, conflicts_with = "deny")]
    pub exit_zero: bool,
    /// Print how many diagnostics each rule reported instead of the
    /// diagnostics (human and concise output).
    #[arg(long)]
    pub statistics: bool,
    /// Apply safe fixes to the files (standard input: print the fixed draft).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also insert suggested sentences (review them before sending).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff, and change nothing
    /// (exit code 1 when there is something to change).
    #[arg(long, conflicts_with_all = ["fix", "format", "statistics", "show_files"])]
    pub diff: bool,
    /// Diagnostics only: no checklist or summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Skip inputs larger than this (bytes, or with kB, MB, GB, KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "10MB", value_parser = emaillint::input::parse_size)]
    pub max_file_size: u64,
    /// Cut source lines in human output to N columns (default: COLUMNS,
    /// else the terminal's width, else 80); 0 shows whole lines.
    #[arg(long, value_name = "N")]
    pub max_columns: Option<usize>,
    /// Show at most N diagnostics per file (the rest are counted); 0 shows all.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_diagnostics: usize,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// The config options (`--profile`, `--config`, `--enable`, ...) may come
/// before a subcommand; the linting options (`--format`, `--fix`, ...) are
/// not the subcommand's, so there they are a mistake to say, not to ignore.
fn lint_options_before(matches: &ArgMatches, subcommand: &str) -> Result<(), clap::Error> {
    let mut cmd = Cli::command();
    let misplaced = cmd.get_arguments().find(|a| {
        !a.is_global_set()
            && a.get_long().is_some()
            && matches.value_source(a.get_id().as_str()) == Some(ValueSource::CommandLine)
    });
    let Some(long) = misplaced.and_then(|a| a.get_long()).map(str::to_string) else {
        return Ok(());
    };
    let message = if subcommand == "lint" {
        format!("`--{long}` goes after `lint`: emaillint lint --{long} ...")
    } else {
        format!("`--{long}` is an option for linting drafts, not for `{subcommand}`")
    };
    Err(cmd.error(clap::error::ErrorKind::ArgumentConflict, message))
}

/// `--input-format`: how to read a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// Plain text; a first line `Subject: ...` gives the subject.
    Text,
    /// CommonMark; YAML front matter may give `subject:`.
    Markdown,
    /// An RFC 5322 / MIME message (`.eml`): its text/plain part, decoded if need be.
    Email,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Text => Format::Text,
            InputFormat::Markdown => Format::Markdown,
            InputFormat::Email => Format::Email,
        }
    }
}

/// `--format`: the output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Compiler-style diagnostics with source excerpts, a checklist per file and a summary.
    Human,
    /// One JSON document (schema in docs/json.md).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// One line per diagnostic: `path:line:col: severity[rule] message`.
    Concise,
}

impl From<FormatArg> for OutputFormat {
    fn from(f: FormatArg) -> OutputFormat {
        match f {
            FormatArg::Human => OutputFormat::Human,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Sarif => OutputFormat::Sarif,
            FormatArg::Github => OutputFormat::Github,
            FormatArg::Concise => OutputFormat::Concise,
        }
    }
}
