//! Drafts to start from (`emaillint new`, and the web page's "New draft"
//! button): one per built-in profile, each written to satisfy every rule
//! of its profile, with square-bracket slots for what only the writer
//! knows. The `placeholder` rule reports each slot until it is filled, so
//! a skeleton lints clean exactly when every slot has been replaced.
//!
//! ```
//! use emaillint::skeleton::{self, Fill};
//!
//! let text = skeleton::render("second-chance", &Fill { role: Some("data analyst"), ..Fill::default() })
//!     .expect("a built-in profile");
//! assert!(text.contains("about the data analyst position"));
//! assert!(text.contains("[interviewer's name]"));
//! ```

/// The slots a skeleton may hold, as they are written in it.
pub const TO: &str = "[interviewer's name]";
pub const ROLE: &str = "[role]";
pub const FROM: &str = "[your name]";
pub const WHAT_WENT_WRONG: &str = "[what went wrong, in one sentence]";
pub const FIT: &str = "[why your background fits]";

/// Every slot, in the order a writer meets them.
pub const SLOTS: &[&str] = &[ROLE, TO, WHAT_WENT_WRONG, FIT, FROM];

/// The skeletons, by profile name.
const SKELETONS: &[(&str, &str)] = &[
    ("second-chance", include_str!("skeletons/second-chance.txt")),
    ("thank-you", include_str!("skeletons/thank-you.txt")),
    ("follow-up", include_str!("skeletons/follow-up.txt")),
];

/// The profiles that have a skeleton.
pub fn profiles() -> impl Iterator<Item = &'static str> {
    SKELETONS.iter().map(|(name, _)| *name)
}

/// What the writer already knows; `None` leaves the slot in place.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fill<'a> {
    /// The interviewer, as the greeting should name them ("Ms. Park").
    pub to: Option<&'a str>,
    /// The job ("data analyst").
    pub role: Option<&'a str>,
    /// The writer's name, for the signature.
    pub from: Option<&'a str>,
}

/// Why a value cannot go into a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// The value is empty or only whitespace.
    Empty(&'static str),
    /// The value holds a line break or another control character, which
    /// would break the line it goes on.
    Control(&'static str),
}

impl std::fmt::Display for FillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FillError::Empty(what) => write!(f, "the {what} is empty"),
            FillError::Control(what) => {
                write!(f, "the {what} holds a line break or control character")
            }
        }
    }
}

impl std::error::Error for FillError {}

impl Fill<'_> {
    /// Check every value: one line of visible text.
    pub fn validate(&self) -> Result<(), FillError> {
        for (value, what) in [
            (self.to, "interviewer's name"),
            (self.role, "role"),
            (self.from, "sender's name"),
        ] {
            let Some(v) = value else { continue };
            if v.trim().is_empty() {
                return Err(FillError::Empty(what));
            }
            if v.chars().any(char::is_control) {
                return Err(FillError::Control(what));
            }
        }
        Ok(())
    }
}

/// The skeleton for `profile` with `fill`'s values in their slots, or
/// `None` when no skeleton has that name. Values are put in as given
/// (trimmed); call [`Fill::validate`] first to refuse multi-line ones.
pub fn render(profile: &str, fill: &Fill) -> Option<String> {
    let (_, text) = SKELETONS.iter().find(|(name, _)| *name == profile)?;
    let mut out = (*text).to_string();
    for (slot, value) in [(TO, fill.to), (ROLE, fill.role), (FROM, fill.from)] {
        if let Some(v) = value {
            out = out.replace(slot, v.trim());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skeleton_is_a_known_profile_and_holds_only_known_slots() {
        let rules = crate::RuleSet::builtin().expect("built-in rules");
        for (name, text) in SKELETONS {
            assert!(rules.profiles.contains_key(*name), "{name}");
            // Every bracket pair in a skeleton is one of SLOTS.
            let mut rest = *text;
            while let Some(i) = rest.find('[') {
                let j = rest[i..].find(']').expect("closed slot") + i;
                assert!(SLOTS.contains(&&rest[i..=j]), "{name}: {}", &rest[i..=j]);
                rest = &rest[j + 1..];
            }
        }
    }

    #[test]
    fn values_are_checked_and_trimmed() {
        let bad = Fill {
            to: Some("Ms. Park\nBcc: x"),
            ..Fill::default()
        };
        assert_eq!(
            bad.validate(),
            Err(FillError::Control("interviewer's name"))
        );
        let blank = Fill {
            role: Some("  "),
            ..Fill::default()
        };
        assert_eq!(blank.validate(), Err(FillError::Empty("role")));
        let text = render(
            "thank-you",
            &Fill {
                to: Some(" Ms. Park "),
                ..Fill::default()
            },
        )
        .expect("profile");
        assert!(text.contains("Dear Ms. Park,\n"));
        assert!(render("cover-letter", &Fill::default()).is_none());
    }
}
