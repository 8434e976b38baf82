//! The terminal: colour, width, one-line errors on stderr, and what a
//! failed write to standard output means.

use super::Error;
use codespan_reporting::term::termcolor::{
    BufferWriter, Color, ColorChoice, ColorSpec, WriteColor,
};
use emaillint::config::ConfigError;
use emaillint::report::render_rule_errors;
use std::io::{IsTerminal, Write};

/// Colour for a stream: only to a terminal, and never with NO_COLOR set.
pub(crate) fn auto_color(to_terminal: bool) -> ColorChoice {
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
pub(crate) fn columns(flag: Option<usize>, to_stderr: bool) -> usize {
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
    let _ = b.set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true));
    let _ = write!(b, "error");
    let _ = b.reset();
    let _ = writeln!(b, ": {message}");
    let _ = w.print(&b);
}

/// Print config or rule file errors to stderr.
pub(crate) fn config_error(e: &ConfigError) {
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
}

/// The outcome of writing to standard output: a broken pipe (`emaillint
/// ... | head`) is a quiet stop with the exit code the run had earned
/// (`code`); any other failure (a full disk) is an error.
pub(crate) fn output(result: std::io::Result<()>, code: u8) -> Result<(), Error> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::BrokenPipe(code)),
        Err(e) => Err(Error::Output(e)),
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
