//! The document parser: any bytes, any format; no panic, spans in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((format, text)) = common::split(data) else { return };
    let set = emaillint::RuleSet::builtin().expect("builtin rules");
    let doc = emaillint::Document::parse(&text, format, &set.vocab);
    for r in &doc.regions {
        common::check_span(&text, r.span);
        let _ = doc.span_of(r.virt.clone());
    }
    for s in &doc.sentences {
        common::check_span(&text, doc.span_of(s.virt.clone()));
    }
    for w in &doc.words {
        common::check_span(&text, doc.span_of(w.clone()));
    }
});
