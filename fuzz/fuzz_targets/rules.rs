//! The rule loader: any rule file loads or is refused with errors whose
//! spans are in bounds; a rule set that loads lints a draft and checks its
//! own examples without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
mod common;

const DRAFT: &str = "Dear Ms. Park,\n\nThank you for meeting me. I am sorry it went badly. Would you meet again?\n\nBest regards,\nSam Lee\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match emaillint::RuleSet::from_sources([("fuzz.yaml", text)]) {
        Ok(set) => {
            let s = common::settings(&set);
            let _ = emaillint::check(DRAFT, emaillint::Format::Text, &set, &s);
            let _ = emaillint::linter::examples::check(&std::sync::Arc::new(set), None);
        }
        Err(e) => {
            for err in &e.errors {
                if let (Some(span), Some(f)) = (err.span, e.files.get(err.file)) {
                    common::check_span(&f.text, span);
                }
            }
            let mut b = codespan_reporting::term::termcolor::Buffer::no_color();
            emaillint::report::render_rule_errors(&mut b, &e.files, &e.errors).expect("render");
        }
    }
});
