//! Print the parts emaillint finds in a draft: heading, greeting, body
//! paragraphs (postscripts marked), sign-off and signature, each with its
//! source text, and the body word count.
//!
//! `cargo run --example frame -- DRAFT...`; with `PROSE=1`, also each
//! part's range and text in the normalized prose.

use emaillint::{Document, Format, RuleSet};

fn main() -> std::process::ExitCode {
    let Ok(set) = RuleSet::builtin() else {
        eprintln!("the built-in rule pack does not load");
        return std::process::ExitCode::from(2);
    };
    for path in std::env::args().skip(1) {
        let text = match std::fs::read(&path).map(emaillint::source::decode) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => {
                eprintln!("{path}: {e}");
                continue;
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let doc = Document::parse(&text, Format::from_path(path.as_ref()), &set.vocab);
        println!("== {path} ({} body words)", doc.body_words());
        for r in &doc.regions {
            let ps = match (r.part, doc.postscript) {
                (emaillint::document::Part::Paragraph(i), Some(p)) if i >= p => " (postscript)",
                _ => "",
            };
            let src = text.get(r.span.range()).unwrap_or("");
            println!("{:?}{ps} [{} words]: {src:?}", r.part, r.words.len());
            if std::env::var_os("PROSE").is_some() {
                println!(
                    "    prose {:?}: {:?}",
                    r.virt,
                    &doc.prose.text[r.virt.clone()]
                );
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
