//! The rule-file format, as serde types. `docs/rules.md` documents every key.
//!
//! A rule file is a YAML mapping with `rules:` (a list of rules) and
//! optionally `lists:` (named phrase lists rules can share), `structure:`
//! (words that shape an email's frame), `profiles:` and `sources:` (the
//! titles of the articles rules cite).

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    #[serde(default)]
    pub structure: Option<StructureSpec>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileSpec>,
    /// The articles rules cite in their `sources`: file name → title.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StructureSpec {
    #[serde(default)]
    pub salutations: Vec<String>,
    #[serde(default)]
    pub valedictions: Vec<String>,
    #[serde(default)]
    pub abbreviations: Vec<String>,
    #[serde(default)]
    pub name_particles: Vec<String>,
    #[serde(default)]
    pub bare_signature_min_words: Option<usize>,
    /// Irregular word forms: base form → other forms (`feel: [felt]`), so a
    /// phrase written with one matches the others.
    #[serde(default)]
    pub forms: BTreeMap<String, Vec<String>>,
    // The letter frame's word lists; see `load::extend_frame`.
    #[serde(default)]
    pub greeting_joiners: Vec<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub not_vocatives: Vec<String>,
    #[serde(default)]
    pub not_vocative_endings: Vec<String>,
    #[serde(default)]
    pub reference_labels: Vec<String>,
    #[serde(default)]
    pub postscripts: Vec<String>,
    #[serde(default)]
    pub closing_formulas: Vec<String>,
    #[serde(default)]
    pub name_slot_words: Vec<String>,
    #[serde(default)]
    pub unfinished_endings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    pub description: String,
    /// Rule settings, as in a config file's `rules:`.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}

pub use crate::diagnostic::Severity;

/// A severity, or `off`, in a config file or profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    #[serde(alias = "note")]
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// A rule's entry in a config file or profile: a level, or a mapping of a
/// level and tunables (`{severity: error, max_words: 150}`).
#[derive(Debug, Clone, Default)]
pub struct RuleSetting {
    pub level: Option<Level>,
    pub tunables: Bounds,
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleSetting;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a level (off, info, warning, error) or a mapping of `severity` and tunables",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleSetting, E> {
                let level = Level::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(RuleSetting {
                    level: Some(level),
                    tunables: Bounds::default(),
                })
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RuleSetting, E> {
                // YAML 1.1 reads a bare `off` as false in some tools; accept both.
                Ok(RuleSetting {
                    level: (!v).then_some(Level::Off),
                    tunables: Bounds::default(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RuleSetting, A::Error> {
                let full = SettingMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RuleSetting {
                    level: full.severity,
                    tunables: full.bounds(),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The mapping form of a rule setting: a level and tunables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingMap {
    #[serde(default)]
    severity: Option<Level>,
    #[serde(default)]
    max_words: Option<f64>,
    #[serde(default)]
    min_words: Option<f64>,
    #[serde(default)]
    max_sentences: Option<f64>,
    #[serde(default)]
    min_sentences: Option<f64>,
    #[serde(default)]
    max_paragraphs: Option<f64>,
    #[serde(default)]
    min_paragraphs: Option<f64>,
    #[serde(default)]
    max_count: Option<f64>,
    #[serde(default)]
    min_count: Option<f64>,
    #[serde(default)]
    max_grade: Option<f64>,
    #[serde(default)]
    min_days: Option<f64>,
    #[serde(default)]
    max_days: Option<f64>,
}

impl SettingMap {
    fn bounds(&self) -> Bounds {
        Bounds {
            max_words: self.max_words,
            min_words: self.min_words,
            max_sentences: self.max_sentences,
            min_sentences: self.min_sentences,
            max_paragraphs: self.max_paragraphs,
            min_paragraphs: self.min_paragraphs,
            max_count: self.max_count,
            min_count: self.min_count,
            max_grade: self.max_grade,
            min_days: self.min_days,
            max_days: self.max_days,
        }
    }
}

/// The kinds of rule. Each is one general mechanism of the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Any match is a diagnostic.
    Forbid,
    /// At least one match must occur in the scope.
    Require,
    /// A phrase with a preferred replacement, fixable.
    Substitute,
    /// A measure of the scope must stay within bounds.
    Limit,
    /// Sentences matching a trigger may total at most so many words/sentences.
    Budget,
    /// A match must fall in the first or last paragraph.
    Position,
    /// Unfilled template placeholders.
    Placeholder,
    /// Days between the interview and sending must fall within bounds.
    Timing,
}

impl Kind {
    /// The kind's name in YAML (from the kind table, `kinds.rs`).
    pub fn as_str(self) -> &'static str {
        self.info().name
    }
}

/// Where a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Subject,
    Greeting,
    Body,
    Paragraph,
    Sentence,
    Closing,
    Signature,
    Document,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Subject => "subject",
            Scope::Greeting => "greeting",
            Scope::Body => "body",
            Scope::Paragraph => "paragraph",
            Scope::Sentence => "sentence",
            Scope::Closing => "closing",
            Scope::Signature => "signature",
            Scope::Document => "document",
        }
    }
}

impl Scope {
    /// Does a region of the email that is `part` belong to this scope?
    pub fn holds(self, part: crate::document::Part) -> bool {
        use crate::document::Part;
        match self {
            Scope::Subject => part == Part::Subject,
            Scope::Greeting => part == Part::Greeting,
            Scope::Body | Scope::Paragraph | Scope::Sentence => matches!(part, Part::Paragraph(_)),
            Scope::Closing => matches!(part, Part::Valediction | Part::Signature),
            Scope::Signature => part == Part::Signature,
            Scope::Document => true,
        }
    }

    /// Where a rule of this scope reports something missing when it names
    /// no `anchor`.
    pub fn default_anchor(self) -> Anchor {
        match self {
            Scope::Subject | Scope::Greeting | Scope::Document => Anchor::Start,
            Scope::Closing | Scope::Signature => Anchor::End,
            Scope::Body | Scope::Paragraph | Scope::Sentence => Anchor::BodyStart,
        }
    }
}

/// Whose claim a trigger must be (`claim:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Claim {
    /// The writer's own, not negated: uses the lists `negators`,
    /// `first-person` and `other-person`.
    Writer,
}

/// Where a missing element is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Anchor {
    /// The first line of the draft's text (after any front matter or headers).
    Start,
    /// The start of the body, after the greeting.
    BodyStart,
    /// The end of the body.
    BodyEnd,
    /// Just before the sign-off (or the end of the body if there is none).
    BeforeSignOff,
    /// The end of the sender's text.
    End,
}

/// Where a rule's `suggestion` goes relative to what another rule found:
/// `insert: {after: thanks}` puts it after the paragraph that satisfied
/// `thanks`; `{before: closing-thanks}` before the one that satisfied
/// `closing-thanks`. When that rule does not pass, the `anchor` is used.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Insert {
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
}

/// Which paragraph a `position` rule wants its match in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    First,
    Last,
}

/// What a bound measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Words (tokens with a letter or digit).
    Words,
    Sentences,
    Paragraphs,
    /// Matches of the rule's phrases, patterns and lists.
    Count,
    /// Flesch-Kincaid reading grade.
    Grade,
    /// Days from the interview to sending.
    Days,
}

/// The one list of numeric bounds: each bound's variant, YAML key, what it
/// measures and whether it is an upper (`max`) or lower (`min`) bound. The
/// macro makes [`Bound`] (typed bound names) and [`Bounds`] (a value for
/// each) from it; which kinds accept which bounds is in `kinds.rs`.
macro_rules! bounds {
    ($($variant:ident => $field:ident, $measure:ident, $side:ident;)*) => {
        /// A bound's name, typed: `Bound::MaxWords` is `max_words` in YAML.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Bound {
            $($variant,)*
        }

        impl Bound {
            /// Every bound, in the order they are listed and checked.
            pub const ALL: &'static [Bound] = &[$(Bound::$variant,)*];

            /// How many bounds there are.
            pub const COUNT: usize = Bound::ALL.len();

            /// The bound's key in rule and config files.
            pub fn key(self) -> &'static str {
                match self {
                    $(Bound::$variant => stringify!($field),)*
                }
            }

            pub fn measure(self) -> Measure {
                match self {
                    $(Bound::$variant => Measure::$measure,)*
                }
            }

            /// An upper bound (`max_*`): the measure must not exceed it.
            pub fn is_max(self) -> bool {
                match self {
                    $(Bound::$variant => stringify!($side) == "max",)*
                }
            }

            pub fn from_key(key: &str) -> Option<Bound> {
                Bound::ALL.iter().copied().find(|b| b.key() == key)
            }
        }

        /// Numeric bounds and tunables: a value for each [`Bound`], set or
        /// not. Which a rule may set depends on its kind (`KindInfo::bounds`).
        #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
        pub struct Bounds {
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<f64>,
            )*
        }

        impl Bounds {
            pub fn get(&self, bound: Bound) -> Option<f64> {
                match bound {
                    $(Bound::$variant => self.$field,)*
                }
            }

            pub fn set(&mut self, bound: Bound, value: Option<f64>) {
                match bound {
                    $(Bound::$variant => self.$field = value,)*
                }
            }
        }
    };
}

bounds! {
    MaxWords => max_words, Words, max;
    MinWords => min_words, Words, min;
    MaxSentences => max_sentences, Sentences, max;
    MinSentences => min_sentences, Sentences, min;
    MaxParagraphs => max_paragraphs, Paragraphs, max;
    MinParagraphs => min_paragraphs, Paragraphs, min;
    MaxCount => max_count, Count, max;
    MinCount => min_count, Count, min;
    MaxGrade => max_grade, Grade, max;
    MinDays => min_days, Days, min;
    MaxDays => max_days, Days, max;
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Bounds {
    /// The bounds that are set, with their values, in [`Bound::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Bound, f64)> + '_ {
        Bound::ALL
            .iter()
            .filter_map(|&b| self.get(b).map(|v| (b, v)))
    }

    /// Every bound's key and value, set or not.
    pub fn entries(&self) -> [(&'static str, Option<f64>); Bound::COUNT] {
        std::array::from_fn(|i| (Bound::ALL[i].key(), self.get(Bound::ALL[i])))
    }

    /// `self` with every bound `over` sets replaced.
    pub fn merged(mut self, over: &Bounds) -> Bounds {
        for (b, v) in over.iter() {
            self.set(b, Some(v));
        }
        self
    }

    /// The bounds that are set.
    pub fn set_bounds(&self) -> impl Iterator<Item = Bound> + '_ {
        self.iter().map(|(b, _)| b)
    }

    /// The keys of the bounds that are set.
    pub fn set_keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.set_bounds().map(Bound::key)
    }
}

/// Phrases and regexes. In YAML either a plain list of phrases or a mapping
/// with `phrases`, `patterns` and `lists`.
#[derive(Debug, Clone, Default)]
pub struct MatcherSpec {
    pub phrases: Vec<String>,
    pub patterns: Vec<String>,
    pub lists: Vec<String>,
    /// True when written as a plain list (paths then index the phrases directly).
    pub plain: bool,
}

impl MatcherSpec {
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty() && self.patterns.is_empty() && self.lists.is_empty()
    }
}

impl<'de> Deserialize<'de> for MatcherSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MatcherSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a list of phrases, or a mapping with `phrases`, `patterns` and `lists`",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<MatcherSpec, A::Error> {
                let phrases =
                    Vec::<String>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(MatcherSpec {
                    phrases,
                    plain: true,
                    ..MatcherSpec::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MatcherSpec, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Full {
                    #[serde(default)]
                    phrases: Vec<String>,
                    #[serde(default)]
                    patterns: Vec<String>,
                    #[serde(default)]
                    lists: Vec<String>,
                }
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(MatcherSpec {
                    phrases: f.phrases,
                    patterns: f.patterns,
                    lists: f.lists,
                    plain: false,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub pass: Vec<Example>,
    #[serde(default)]
    pub fail: Vec<Example>,
}

/// One example of a rule: a draft, and optionally the text the rule must
/// match in it. Written as a string, or as `{text: ..., match: ...}`: a
/// `fail` example's `match` is the text a diagnostic points at; a `pass`
/// example's is the text that counted (the thanks, the request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    Matched {
        text: String,
        #[serde(rename = "match")]
        matched: String,
    },
}

impl Example {
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) | Example::Matched { text: t, .. } => t,
        }
    }

    /// The text the rule must match, when the example says.
    pub fn matched(&self) -> Option<&str> {
        match self {
            Example::Text(_) => None,
            Example::Matched { matched, .. } => Some(matched),
        }
    }
}

impl<'de> Deserialize<'de> for Example {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Example;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an example draft, or a mapping of `text` and `match`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Example, E> {
                Ok(Example::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Example, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Full {
                    text: String,
                    #[serde(rename = "match")]
                    matched: String,
                }
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Example::Matched {
                    text: f.text,
                    matched: f.matched,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One rule, as written. Keys that do not apply to the rule's kind are
/// rejected when the rule is checked (see `load.rs`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub kind: Kind,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// One line for `emaillint rules`; defaults to the message.
    #[serde(default)]
    pub summary: String,
    pub message: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub rationale: Option<String>,
    /// Files in `../shared/seeds/` (or any source) the advice comes from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// A short name for the per-file checklist ("meeting request").
    #[serde(default)]
    pub checklist: Option<String>,
    #[serde(default)]
    pub scope: Option<Scope>,
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub lists: Vec<String>,
    #[serde(default)]
    pub exceptions: Option<MatcherSpec>,
    #[serde(default, rename = "with")]
    pub with_: Option<MatcherSpec>,
    #[serde(default)]
    pub without: Option<MatcherSpec>,
    #[serde(default)]
    pub case_sensitive: bool,
    /// How many words `...` in this rule's phrases may stand for.
    #[serde(default)]
    pub gap: Option<u8>,
    /// `writer`: a trigger only counts as the writer's own affirmative claim
    /// (not negated in its clause, not said of the reader or someone else).
    #[serde(default)]
    pub claim: Option<Claim>,
    /// `budget`: how many sentences after a counted one carry the account
    /// on (unless they hold an `until` match).
    #[serde(default)]
    pub continuation: Option<u8>,
    /// `budget`: how many sentences before a counted one set the account up
    /// (unless they hold an `until` match).
    #[serde(default)]
    pub lead_in: Option<u8>,
    /// `budget`: a sentence with a match of these ends the account.
    #[serde(default)]
    pub until: Option<MatcherSpec>,
    /// `budget`: a sentence where one of these rules finds what it looks for
    /// is another part of the letter: it neither counts nor carries the
    /// account on.
    #[serde(default)]
    pub exclude_rules: Vec<String>,
    /// `budget`: a match of these fails the rule whatever the account's
    /// length, reported with `fail_message`.
    #[serde(default)]
    pub fail_on: Option<MatcherSpec>,
    #[serde(default)]
    pub fail_message: Option<String>,
    #[serde(default)]
    pub anchor: Option<Anchor>,
    #[serde(default)]
    pub suggestion: Option<String>,
    #[serde(default)]
    pub insert: Option<Insert>,
    #[serde(default)]
    pub paragraph: Option<Which>,
    #[serde(default)]
    pub swap: BTreeMap<String, String>,
    #[serde(default)]
    pub max_words: Option<f64>,
    #[serde(default)]
    pub min_words: Option<f64>,
    #[serde(default)]
    pub max_sentences: Option<f64>,
    #[serde(default)]
    pub min_sentences: Option<f64>,
    #[serde(default)]
    pub max_paragraphs: Option<f64>,
    #[serde(default)]
    pub min_paragraphs: Option<f64>,
    #[serde(default)]
    pub max_count: Option<f64>,
    #[serde(default)]
    pub min_count: Option<f64>,
    #[serde(default)]
    pub max_grade: Option<f64>,
    #[serde(default)]
    pub min_days: Option<f64>,
    #[serde(default)]
    pub max_days: Option<f64>,
    #[serde(default)]
    pub examples: Examples,
}

impl RuleSpec {
    /// The matcher groups that narrow the trigger, by key: each is checked
    /// (not empty, lists known) and compiled like `with`.
    pub fn matcher_groups(&self) -> [(&'static str, &Option<MatcherSpec>); 5] {
        [
            ("exceptions", &self.exceptions),
            ("with", &self.with_),
            ("without", &self.without),
            ("until", &self.until),
            ("fail_on", &self.fail_on),
        ]
    }

    /// Has `phrases`, `patterns` or `lists`.
    pub fn has_trigger(&self) -> bool {
        !(self.phrases.is_empty() && self.patterns.is_empty() && self.lists.is_empty())
    }

    /// The numeric keys this rule sets.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            max_words: self.max_words,
            min_words: self.min_words,
            max_sentences: self.max_sentences,
            min_sentences: self.min_sentences,
            max_paragraphs: self.max_paragraphs,
            min_paragraphs: self.min_paragraphs,
            max_count: self.max_count,
            min_count: self.min_count,
            max_grade: self.max_grade,
            min_days: self.min_days,
            max_days: self.max_days,
        }
    }
}
