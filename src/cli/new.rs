//! `emaillint new`.

use super::Error;
use super::args::ConfigArgs;
use super::exit;
use emaillint::input::io_message;
use emaillint::skeleton::{self, Fill};
use std::io::Write;
use std::path::Path;

/// `emaillint new`: print a skeleton draft, or write it to `path`.
pub(crate) fn new(
    path: Option<&Path>,
    fill: &Fill,
    force: bool,
    args: &ConfigArgs,
) -> Result<u8, Error> {
    // The profile: --profile, else the one the config in the current
    // directory names, else the default (an unknown one is an error).
    let resolved = super::inputs::resolve_for_cwd(args)?;
    let profile = resolved.profile.as_str();
    fill.validate()
        .map_err(|e| Error::Message(format!("cannot fill the draft: {e}")))?;
    let Some(text) = skeleton::render(profile, fill) else {
        return Err(Error::Message(format!(
            "no draft to start from for profile `{profile}` (there are drafts for: {})",
            skeleton::profiles().collect::<Vec<_>>().join(", ")
        )));
    };
    let Some(path) = path else {
        return super::write_stdout(text.as_bytes());
    };
    if path.is_dir() {
        return Err(Error::Message(format!(
            "{}: is a directory (name the file to write)",
            path.display()
        )));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let written = options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()));
    if let Err(e) = written {
        return Err(Error::Message(
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{}: already exists (use --force to overwrite it)",
                    path.display()
                )
            } else {
                format!("{}: cannot write: {}", path.display(), io_message(&e))
            },
        ));
    }
    let left: Vec<&str> = skeleton::SLOTS
        .iter()
        .copied()
        .filter(|s| text.contains(s))
        .collect();
    let name = path.display();
    if left.is_empty() {
        eprintln!("Wrote {name}. Run `emaillint {name}` to check it.");
    } else {
        eprintln!("Wrote {name}. Still to fill in:");
        for slot in &left {
            eprintln!("  {slot}");
        }
        eprintln!("`emaillint {name}` reports every slot still left.");
    }
    Ok(exit::OK)
}
