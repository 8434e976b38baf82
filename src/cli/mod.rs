//! The command line, in the binary: the library is used as any embedder
//! would use it. `main` parses the arguments, `try_main` runs a command and
//! returns its exit code or an [`Error`], and `main` alone turns an error
//! into words on stderr and exit code 2 (ripgrep's `main`/`try_main`).
//!
//! One file per concern: `args.rs` (clap), `inputs.rs` (paths to drafts
//! and their configs), `lint.rs` (a lint run), `statistics.rs`
//! (`--statistics`), `write.rs` (`--fix` writing files), `rules.rs`
//! (`rules`, `rules check`), `explain.rs`, `init.rs`, `lsp/` (the language
//! server), `terminal.rs` (colour, width, stderr). `completions` and `man`
//! are generated from the clap definition here.

mod args;
mod explain;
mod init;
mod inputs;
mod lint;
mod lsp;
mod new;
mod ordered;
mod rules;
mod statistics;
mod terminal;
mod write;

use args::{Cli, Command, RulesAction};
use clap::CommandFactory;
use emaillint::config::ConfigError;
use std::process::ExitCode;

/// Exit codes, a public interface (README, CHANGELOG).
pub(crate) mod exit {
    /// No diagnostic at or above the `--deny` level (error by default).
    pub const OK: u8 = 0;
    /// At least one diagnostic at or above the `--deny` level.
    pub const PROBLEMS: u8 = 1;
    /// A usage error, an input that could not be read or was skipped, fixes
    /// or output that could not be written, or a broken rule or config file.
    pub const TROUBLE: u8 = 2;
}

/// Why a command stopped. `main` prints it and exits with
/// [`exit::TROUBLE`] (a broken pipe excepted).
#[derive(Debug)]
pub(crate) enum Error {
    /// A usage mistake or a file that cannot be used: `error: message`.
    Message(String),
    /// `emaillint` with no paths.
    NoDrafts,
    /// Config or rule files that could not be used, in the order met.
    Config(Vec<ConfigError>),
    /// Standard output was closed (`emaillint ... | head`): a quiet stop
    /// with the exit code the run had earned.
    BrokenPipe(u8),
    /// Standard output could not be written (a full disk).
    Output(std::io::Error),
}

/// Run the command line; the process exit code.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::parse_all() {
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
    ExitCode::from(match try_main(cli) {
        Ok(code) => code,
        Err(e) => report(&e),
    })
}

fn try_main(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Some(Command::Lint(args)) => lint::lint(args),
        None => lint::lint(cli.lint),
        Some(Command::Rules {
            action: None,
            config,
        }) => rules::list(&config),
        Some(Command::Rules {
            action: Some(RulesAction::Check { dir }),
            config,
        }) => rules::check(dir.as_deref(), &config),
        Some(Command::Explain {
            id,
            file,
            input_format,
            config,
        }) => explain::run(&id, file.as_deref(), input_format.map(Into::into), &config),
        Some(Command::Lsp { config }) => lsp::run(&config),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "emaillint", &mut out);
            write_stdout(&out)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(Error::Output)?;
            write_stdout(&out)
        }
        Some(Command::Init {
            path,
            force,
            config,
        }) => init::init(&path, force, &config),
        Some(Command::New {
            path,
            to,
            role,
            from,
            force,
            config,
        }) => new::new(
            path.as_deref(),
            &emaillint::skeleton::Fill {
                to: to.as_deref(),
                role: role.as_deref(),
                from: from.as_deref(),
            },
            force,
            &config,
        ),
    }
}

/// Write a command's whole output to standard output.
fn write_stdout(bytes: &[u8]) -> Result<u8, Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    terminal::output(out.write_all(bytes).and_then(|()| out.flush()), exit::OK)?;
    Ok(exit::OK)
}

/// Say what went wrong; the exit code.
fn report(e: &Error) -> u8 {
    match e {
        Error::Message(m) => terminal::error_line(m),
        Error::NoDrafts => {
            terminal::error_line(
                "no drafts given: name one or more files or directories, or `-` for standard input",
            );
            eprintln!(
                "\nUsage: emaillint [OPTIONS] <PATH>...\n\nFor more information, try '--help'."
            );
        }
        Error::Config(errors) => errors.iter().for_each(terminal::config_error),
        Error::BrokenPipe(code) => return *code,
        Error::Output(e) => terminal::error_line(&format!(
            "cannot write output: {}",
            emaillint::input::io_message(e)
        )),
    }
    exit::TROUBLE
}
