//! The fixer: a fix run converges, a second run changes nothing, and the
//! result lints without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((format, text)) = common::split(data) else { return };
    let set = emaillint::RuleSet::builtin().expect("builtin rules");
    let s = common::settings(set);
    let first = emaillint::fix::fix(&text, format, set, &s, true);
    assert!(first.stopped.is_none(), "did not converge: {:?}", first.stopped);
    let second = emaillint::fix::fix(&first.text, format, set, &s, true);
    assert_eq!(second.text, first.text, "a second run changed the text");
});
