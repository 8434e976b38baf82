//! The command line's arguments (clap). The library's types carry no clap
//! derives: the value enums here map onto them.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use emaillint::config::Overrides;
use emaillint::document::Format;
use emaillint::report::OutputFormat;
use std::ffi::OsString;
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
    args_conflicts_with_subcommands = true,
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
    /// Print a shell completion script: bash, zsh, fish, powershell (or elvish).
    #[command(
        after_help = "Install, for example:\n  emaillint completions bash > ~/.local/share/bash-completion/completions/emaillint\n  emaillint completions zsh > \"${fpath[1]}/_emaillint\"\n  emaillint completions fish > ~/.config/fish/completions/emaillint.fish\n  emaillint completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `emaillint man | man -l -`.
    Man,
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
    /// Turn rules off. Repeatable, or comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',', global = true)]
    pub disable: Vec<String>,
}

impl ConfigArgs {
    pub fn overrides(&self) -> Overrides {
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
    /// Exit 0 whatever the diagnostics: the same as `--deny nothing`.
    #[arg(long, conflicts_with = "deny")]
    pub exit_zero: bool,
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
    /// Instead of the diagnostics, count them per rule (with how many
    /// --fix and --fix --unsafe-fixes would address).
    #[arg(long, conflicts_with = "format")]
    pub statistics: bool,
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

/// The words of the command line as clap should see them: options written
/// before a subcommand (`emaillint --profile thank-you rules`) move after
/// it, where the subcommand accepts them. The first word that is neither
/// an option nor an option's value is the one looked at; anything after
/// `--` is a path.
pub(crate) fn normalize(mut args: Vec<OsString>) -> Vec<OsString> {
    let cmd = Cli::command();
    let takes_value = |word: &str| -> bool {
        let (long, short) = match word.strip_prefix("--") {
            Some(l) if l.contains('=') => return false,
            Some(l) => (Some(l), None),
            None => (None, word.strip_prefix('-').and_then(|s| s.chars().last())),
        };
        cmd.get_arguments().any(|a| {
            let named = match (long, short) {
                (Some(l), _) => a.get_long() == Some(l),
                (_, Some(c)) => a.get_short() == Some(c),
                _ => false,
            };
            named && a.get_action().takes_values()
        })
    };
    let mut i = 1;
    while i < args.len() {
        let Some(word) = args[i].to_str() else { break };
        if word == "--" || word == "-" {
            break;
        }
        if word.starts_with('-') {
            i += if takes_value(word) { 2 } else { 1 };
            continue;
        }
        let is_command = cmd
            .get_subcommands()
            .any(|c| c.get_name() == word || c.get_all_aliases().any(|a| a == word));
        if is_command && i > 1 {
            let name = args.remove(i);
            args.insert(1, name);
        }
        break;
    }
    args
}

/// `--enable` and `--disable` as written, in order: each id's last word
/// wins (`--disable length --enable length` leaves it on).
pub(crate) fn toggles(args: &[OsString]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut words = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(w) = words.next() {
        if w == "--" {
            break;
        }
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) => (f, Some(v)),
            None => (w, None),
        };
        let on = match flag {
            "--enable" => true,
            "--disable" => false,
            _ => continue,
        };
        let Some(value) = inline.or_else(|| words.next()) else {
            break;
        };
        out.extend(
            value
                .split(',')
                .filter(|id| !id.is_empty())
                .map(|id| (id.to_string(), on)),
        );
    }
    out
}

impl ConfigArgs {
    /// Make `--enable`/`--disable` say what the last of each id's words
    /// said, so that which list the config applies last does not matter.
    pub fn order_toggles(&mut self, toggles: &[(String, bool)]) {
        let mut last: Vec<(&str, bool)> = Vec::new();
        for (id, on) in toggles {
            last.retain(|(i, _)| i != id);
            last.push((id, *on));
        }
        self.enable = last
            .iter()
            .filter(|t| t.1)
            .map(|t| t.0.to_string())
            .collect();
        self.disable = last
            .iter()
            .filter(|t| !t.1)
            .map(|t| t.0.to_string())
            .collect();
    }
}

impl Cli {
    /// The config options of whichever command runs.
    pub fn config_mut(&mut self) -> &mut ConfigArgs {
        match &mut self.command {
            None => &mut self.lint.config,
            Some(Command::Lint(a)) => &mut a.config,
            Some(
                Command::Rules { config, .. }
                | Command::Explain { config, .. }
                | Command::Lsp { config }
                | Command::Init { config, .. },
            ) => config,
            // No rules are loaded: the options go nowhere.
            Some(Command::Completions { .. } | Command::Man) => &mut self.lint.config,
        }
    }
}

/// `emaillint completions SHELL`: the script on standard output.
pub(crate) fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "emaillint", out);
}

/// `emaillint man`: the manual page, in roff.
pub(crate) fn man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<OsString> {
        s.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn options_before_a_subcommand_move_after_it() {
        assert_eq!(
            normalize(words("emaillint --profile thank-you rules")),
            words("emaillint rules --profile thank-you")
        );
        assert_eq!(
            normalize(words("emaillint --no-config -q explain thanks d.txt")),
            words("emaillint explain --no-config -q thanks d.txt")
        );
        // An option's value or a path is not a command.
        assert_eq!(
            normalize(words("emaillint --profile rules d.txt")),
            words("emaillint --profile rules d.txt")
        );
        assert_eq!(
            normalize(words("emaillint d.txt rules")),
            words("emaillint d.txt rules")
        );
        assert_eq!(
            normalize(words("emaillint -- rules")),
            words("emaillint -- rules")
        );
    }

    #[test]
    fn the_last_toggle_of_an_id_wins() {
        let t = toggles(&words(
            "emaillint --disable length,subject --enable=length x --enable subject --disable subject",
        ));
        let mut c = ConfigArgs {
            config: None,
            no_config: false,
            profile: None,
            rule_dirs: vec![],
            no_builtin: false,
            enable: vec![],
            disable: vec![],
        };
        c.order_toggles(&t);
        assert_eq!(c.enable, vec!["length"]);
        assert_eq!(c.disable, vec!["subject"]);
    }
}
