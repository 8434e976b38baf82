//! The config parser and front-matter YAML: no panic, error spans in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = emaillint::source::SourceFile::new(".emaillint.yaml", text.to_string());
    if let Err(errors) = emaillint::config::parse(&file) {
        for span in errors.iter().filter_map(|e| e.span) {
            common::check_span(text, span);
        }
    }
    if let Err(e) = emaillint::yaml::value_from_str(text) {
        if let Some(span) = e.span {
            common::check_span(text, span);
        }
    }
    let _ = emaillint::yaml::SpanIndex::build(text);
});
