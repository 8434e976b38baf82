//! The whole lint and every reporter: no panic, spans in bounds, JSON and
//! SARIF that parse.
#![no_main]
use codespan_reporting::term::termcolor::Buffer;
use emaillint::report::{self, Context, Linted, Outcome, OutputFormat};
use libfuzzer_sys::fuzz_target;
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((format, text)) = common::split(data) else { return };
    let set = emaillint::RuleSet::builtin().expect("builtin rules");
    let (_, mut report) = emaillint::check(&text, format, set, &common::settings(set));
    for d in &report.diagnostics {
        common::check_span(&text, d.span);
        for r in &d.related {
            common::check_span(&text, r.span);
        }
    }
    let omitted = report::limit(&mut report, 50);
    let linted = Linted {
        source: emaillint::source::SourceFile::new("fuzz", text),
        format,
        report,
        fixed: 0,
        rules: set.clone(),
        omitted,
        error: None,
        fixable: Default::default(),
        decoded: None,
    };
    let outcomes = vec![Outcome::Linted(Box::new(linted))];
    let cx = Context { rules: set, checklist: true, columns: 80 };
    for f in [OutputFormat::Human, OutputFormat::Json, OutputFormat::Sarif, OutputFormat::Github, OutputFormat::Concise] {
        let r = report::reporter(f);
        let mut b = Buffer::no_color();
        if let Outcome::Linted(l) = &outcomes[0] {
            r.file(&mut b, l, &cx).expect("render");
        }
        r.finish(&mut b, &outcomes, &cx).expect("finish");
        if matches!(f, OutputFormat::Json | OutputFormat::Sarif) {
            serde_json::from_slice::<serde_json::Value>(&b.into_inner()).expect("valid JSON");
        }
    }
});
