//! `emaillint init`.

use super::Error;
use super::args::ConfigArgs;
use super::exit;
use emaillint::config;
use emaillint::input::io_message;
use std::path::Path;

/// `emaillint init`: write a commented config to start from.
pub(crate) fn init(path: &Path, force: bool, args: &ConfigArgs) -> Result<u8, Error> {
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
            config::resolve(None, &args.overrides()).map_err(|e| Error::Config(vec![e]))?;
            config::INIT_TEMPLATE.replacen(
                &format!("profile: {}", config::DEFAULT_PROFILE),
                &format!("profile: {name}"),
                1,
            )
        }
    };
    if path.exists() && !force {
        return Err(Error::Message(format!(
            "{}: already exists (use --force to overwrite it)",
            path.display()
        )));
    }
    match std::fs::write(path, template) {
        Ok(()) => {
            println!(
                "Wrote {}. Edit it to choose a profile and tune rules; `emaillint rules` shows the result.",
                path.display()
            );
            Ok(exit::OK)
        }
        Err(e) => Err(Error::Message(format!(
            "{}: cannot write: {}",
            path.display(),
            io_message(&e)
        ))),
    }
}
