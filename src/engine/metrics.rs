//! Measures that rules can bound: reading grade, and calendar dates for
//! `timing` rules.

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        (1..=12).contains(&month).then_some(())?;
        (1..=days[month as usize - 1])
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// `2026-03-02` (an ISO date, optionally followed by a time).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let date = s.get(..10)?;
        let mut it = date.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// An RFC 5322 date such as `Mon, 3 Mar 2025 16:40:00 +0000`.
    pub fn parse_rfc5322(s: &str) -> Option<Date> {
        let s = s.split_once(',').map_or(s, |(_, rest)| rest);
        let mut it = s.split_whitespace();
        let day: u32 = it.next()?.parse().ok()?;
        let month = it.next()?.to_ascii_lowercase();
        let month = MONTHS.iter().position(|m| month.starts_with(m))? as u32 + 1;
        let year: i32 = it.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Either format.
    pub fn parse(s: &str) -> Option<Date> {
        Date::parse_iso(s).or_else(|| Date::parse_rfc5322(s))
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today, in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    pub fn days_since(self, earlier: Date) -> i64 {
        self.days() - earlier.days()
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Syllables in an English word, by vowel groups (good to about one
/// syllable a word, which is all a reading grade needs).
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.is_empty() {
        return 0;
    }
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    // A silent final "e" ("made"), but not "-le" ("table").
    let consonant_le = w.len() > 2 && w[w.len() - 2] == 'l' && !vowel(w[w.len() - 3]);
    if w.len() > 2 && w[w.len() - 1] == 'e' && !vowel(w[w.len() - 2]) && !consonant_le {
        count -= 1;
    }
    count.max(1)
}

/// Flesch-Kincaid grade level of some sentences.
pub fn grade(sentences: &[&str]) -> f64 {
    let words: Vec<&str> = sentences
        .iter()
        .flat_map(|s| s.split_whitespace())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    if words.is_empty() || sentences.is_empty() {
        return 0.0;
    }
    let syl: usize = words.iter().map(|w| syllables(w)).sum();
    let g = 0.39 * words.len() as f64 / sentences.len() as f64
        + 11.8 * syl as f64 / words.len() as f64
        - 15.59;
    (g * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let a = Date::parse("2026-03-02").unwrap();
        let b = Date::parse("Thu, 5 Mar 2026 09:00:00 +0000").unwrap();
        assert_eq!(b.days_since(a), 3);
        assert_eq!(Date::from_days(a.days()), a);
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("next week").is_none());
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn grades() {
        assert!(grade(&["I am here."]) < 2.0);
        let hard = [
            "Notwithstanding considerable organisational uncertainty, comprehensive institutional restructuring necessitates unprecedented interdepartmental collaboration.",
        ];
        assert!(grade(&hard) > 16.0);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("made"), 1);
        assert_eq!(syllables("interview"), 3);
    }
}
