//! The one description of each rule kind: the keys it takes, the bounds it
//! accepts, the placeholders it fills in, where it may look and where it
//! reports. The loader checks rules against it, the config checks tunables
//! against it, the engine and `explain` read it, and the table in
//! `docs/rules.md` is generated from it (`tests/kinds.rs` fails when the
//! docs are stale).
//!
//! To give a kind a new key: add the field to `RuleSpec` (`model.rs`), add
//! the key to the kind's `keys` below, and read it in `load::compile_rule`;
//! a new matcher group (like `with`) also goes in
//! `RuleSpec::matcher_groups`, which checks and compiles it. A new numeric
//! bound goes in the `bounds!` list in `model.rs` and in the `bounds` of the
//! kinds that accept it.

use super::model::{Bound, Kind, Scope};

/// The keys of a rule that matches text (its trigger and what narrows it),
/// followed by a kind's own keys.
macro_rules! trigger_keys {
    ($($own:literal),* $(,)?) => {
        &[
            "phrases",
            "patterns",
            "lists",
            "exceptions",
            "with",
            "without",
            "case_sensitive",
            "gap",
            "claim",
            $($own),*
        ]
    };
}

/// Keys of a rule that matches text: its trigger and what narrows it.
pub const TRIGGER_KEYS: &[&str] = trigger_keys!();

/// Keys every rule has, whatever its kind.
pub const COMMON_KEYS: &[&str] = &[
    "id",
    "kind",
    "severity",
    "summary",
    "message",
    "label",
    "help",
    "rationale",
    "sources",
    "checklist",
    "scope",
    "examples",
];

/// What starts a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// `phrases`, `patterns` or `lists`, at least one.
    Required,
    /// Matches only when a bound counts them (`max_count`, `min_count`).
    Counted,
    /// `swap`: phrases with replacements.
    Swap,
    /// None: the rule measures something else (days).
    None,
}

/// Which scopes a rule of the kind may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scopes {
    All,
    Only(&'static [Scope]),
    /// The kind does not look at the text (`timing`).
    Not,
}

/// Where the kind reports its diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    /// At each (counted) match.
    EachMatch,
    /// At the rule's `anchor`, where the missing text belongs.
    Anchor,
    /// At what goes past the bound.
    Overflow,
    /// At the subject line.
    Subject,
}

impl Reported {
    /// For `explain`; `None` for `Anchor` (the anchor says).
    pub fn describe(self) -> Option<&'static str> {
        match self {
            Reported::EachMatch => Some("each match"),
            Reported::Overflow => Some("what goes past the limit"),
            Reported::Subject => Some("the subject line"),
            Reported::Anchor => None,
        }
    }
}

/// Everything about one kind that is not its logic (`engine/kinds.rs`).
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    /// The name in YAML (`kind: forbid`).
    pub name: &'static str,
    /// One line on what the kind does (docs).
    pub does: &'static str,
    pub trigger: Trigger,
    /// Keys the kind takes beyond [`COMMON_KEYS`] and its bounds, in the
    /// order an error note lists them.
    pub keys: &'static [&'static str],
    /// Bounds the kind accepts (in rule files, profiles and configs).
    pub bounds: &'static [Bound],
    /// At least one of `bounds` must be set.
    pub needs_bound: bool,
    /// `{name}`s the kind fills in `message` and `label`.
    pub placeholders: &'static [&'static str],
    pub scopes: Scopes,
    /// The scope when the rule names none.
    pub default_scope: Scope,
    /// Reports something missing (rather than something present).
    pub presence: bool,
    pub reported: Reported,
}

const MATCH_BOUNDS: &[Bound] = &[
    Bound::MaxWords,
    Bound::MinWords,
    Bound::MaxSentences,
    Bound::MinSentences,
    Bound::MaxParagraphs,
    Bound::MinParagraphs,
    Bound::MaxCount,
    Bound::MinCount,
    Bound::MaxGrade,
];

/// The table: one entry per [`Kind`], in `Kind` order.
pub const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: Kind::Forbid,
        name: "forbid",
        does: "any match is a diagnostic",
        trigger: Trigger::Required,
        keys: TRIGGER_KEYS,
        bounds: &[],
        needs_bound: false,
        placeholders: &["match"],
        scopes: Scopes::All,
        default_scope: Scope::Body,
        presence: false,
        reported: Reported::EachMatch,
    },
    KindInfo {
        kind: Kind::Require,
        name: "require",
        does: "at least one match must occur in the scope",
        trigger: Trigger::Required,
        keys: trigger_keys!("anchor", "suggestion", "insert"),
        bounds: &[],
        needs_bound: false,
        placeholders: &[],
        scopes: Scopes::All,
        default_scope: Scope::Body,
        presence: true,
        reported: Reported::Anchor,
    },
    KindInfo {
        kind: Kind::Substitute,
        name: "substitute",
        does: "a phrase with a preferred wording, fixable",
        trigger: Trigger::Swap,
        keys: &["swap", "exceptions", "with", "without", "case_sensitive"],
        bounds: &[],
        needs_bound: false,
        placeholders: &["match", "replacement"],
        scopes: Scopes::All,
        default_scope: Scope::Body,
        presence: false,
        reported: Reported::EachMatch,
    },
    KindInfo {
        kind: Kind::Limit,
        name: "limit",
        does: "a measure of each unit of the scope within bounds",
        trigger: Trigger::Counted,
        keys: TRIGGER_KEYS,
        bounds: MATCH_BOUNDS,
        needs_bound: true,
        placeholders: &["count", "limit"],
        scopes: Scopes::All,
        default_scope: Scope::Body,
        presence: false,
        reported: Reported::Overflow,
    },
    KindInfo {
        kind: Kind::Budget,
        name: "budget",
        does: "the sentences that match may total at most so much",
        trigger: Trigger::Required,
        keys: trigger_keys!(
            "lead_in",
            "continuation",
            "until",
            "exclude_rules",
            "fail_on",
            "fail_message",
        ),
        bounds: &[Bound::MaxWords, Bound::MaxSentences],
        needs_bound: true,
        placeholders: &["count", "limit"],
        scopes: Scopes::Only(&[Scope::Body, Scope::Paragraph, Scope::Document]),
        default_scope: Scope::Body,
        presence: false,
        reported: Reported::Overflow,
    },
    KindInfo {
        kind: Kind::Position,
        name: "position",
        does: "a match must fall in the first or last paragraph",
        trigger: Trigger::Required,
        keys: trigger_keys!("anchor", "suggestion", "insert", "paragraph"),
        bounds: &[],
        needs_bound: false,
        placeholders: &[],
        scopes: Scopes::Only(&[Scope::Body]),
        default_scope: Scope::Body,
        presence: true,
        reported: Reported::Anchor,
    },
    KindInfo {
        kind: Kind::Placeholder,
        name: "placeholder",
        does: "unfilled template placeholders",
        trigger: Trigger::Required,
        keys: &[
            "patterns",
            "phrases",
            "lists",
            "exceptions",
            "case_sensitive",
        ],
        bounds: &[],
        needs_bound: false,
        placeholders: &["match"],
        scopes: Scopes::All,
        default_scope: Scope::Document,
        presence: false,
        reported: Reported::EachMatch,
    },
    KindInfo {
        kind: Kind::Timing,
        name: "timing",
        does: "days between the interview and sending within bounds",
        trigger: Trigger::None,
        keys: &[],
        bounds: &[Bound::MinDays, Bound::MaxDays],
        needs_bound: true,
        placeholders: &["count", "limit"],
        scopes: Scopes::Not,
        default_scope: Scope::Body,
        presence: false,
        reported: Reported::Subject,
    },
];

impl Kind {
    /// The kind's entry in [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        // `KINDS` is in `Kind` order (checked by a test).
        &KINDS[self as usize]
    }
}

impl KindInfo {
    /// Every key the kind takes beyond the common ones: its keys, then its
    /// bounds.
    pub fn allowed_keys(&self) -> Vec<&'static str> {
        self.keys
            .iter()
            .copied()
            .chain(self.bounds.iter().map(|b| b.key()))
            .collect()
    }

    /// Does the kind take `key` (common keys included)?
    pub fn takes(&self, key: &str) -> bool {
        COMMON_KEYS.contains(&key)
            || self.keys.contains(&key)
            || self.bounds.iter().any(|b| b.key() == key)
    }

    pub fn accepts(&self, bound: Bound) -> bool {
        self.bounds.contains(&bound)
    }

    pub fn allows_scope(&self, scope: Scope) -> bool {
        match self.scopes {
            Scopes::All => true,
            Scopes::Only(s) => s.contains(&scope),
            Scopes::Not => false,
        }
    }

    /// The kind's bounds as `a`, `a` or `b`, `a`, `b` or `c` (backquoted).
    pub fn bounds_list(&self) -> String {
        let keys: Vec<String> = self.bounds.iter().map(|b| format!("`{b}`")).collect();
        match keys.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }

    /// The Markdown table of every kind, as `docs/rules.md` has it.
    pub fn docs_table() -> String {
        let code = |items: &mut dyn Iterator<Item = String>| {
            let v: Vec<String> = items.map(|k| format!("`{k}`")).collect();
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        let mut out = String::from(
            "| kind | what | keys (besides the common ones) | bounds | placeholders | scopes (default) | reports |\n|---|---|---|---|---|---|---|\n",
        );
        for k in KINDS {
            let scopes = match k.scopes {
                Scopes::All => format!("any (`{}`)", k.default_scope.as_str()),
                Scopes::Only(s) => format!(
                    "{} (`{}`)",
                    code(&mut s.iter().map(|s| s.as_str().to_string())),
                    k.default_scope.as_str()
                ),
                Scopes::Not => "none".into(),
            };
            let reports = match k.reported {
                Reported::Anchor => "something missing, at the `anchor`".to_string(),
                r => r.describe().unwrap_or_default().to_string(),
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {}{} | {} | {} | {} |\n",
                k.name,
                k.does,
                code(&mut k.keys.iter().map(|s| s.to_string())),
                code(&mut k.bounds.iter().map(|b| b.key().to_string())),
                if k.needs_bound && !k.bounds.is_empty() {
                    " (at least one)"
                } else {
                    ""
                },
                if k.placeholders.is_empty() {
                    "none".to_string()
                } else {
                    k.placeholders
                        .iter()
                        .map(|p| format!("`{{{p}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                scopes,
                reports,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_kind_order() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.kind as usize, i, "{}", k.name);
            assert_eq!(k.kind.info().name, k.name);
        }
    }

    #[test]
    fn no_key_is_listed_twice_or_as_common() {
        for k in KINDS {
            let keys = k.allowed_keys();
            for (i, key) in keys.iter().enumerate() {
                assert!(!keys[..i].contains(key), "{}: {key} twice", k.name);
                assert!(!COMMON_KEYS.contains(key), "{}: {key} is common", k.name);
            }
        }
    }
}
