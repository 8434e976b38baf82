// Shared by the fuzz targets: the input's first byte picks the format.
use emaillint::Format;

#[allow(dead_code)]
pub fn split(data: &[u8]) -> Option<(Format, String)> {
    let (&first, rest) = data.split_first()?;
    let format = match first % 3 {
        0 => Format::Text,
        1 => Format::Markdown,
        _ => Format::Email,
    };
    // As the command line reads a draft: an .eml through MIME decoding.
    let text = emaillint::document::prepare(rest.to_vec(), format).ok()?.text;
    Some((format, text))
}

#[allow(dead_code)]
pub fn settings(set: &emaillint::RuleSet) -> emaillint::Settings {
    let mut s = emaillint::Settings::defaults(set);
    s.today = emaillint::Date::parse("2026-03-05");
    s
}

#[allow(dead_code)]
pub fn check_span(text: &str, s: emaillint::span::Span) {
    assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} out of bounds");
    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "span {s:?} splits a char");
}
