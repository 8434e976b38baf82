//! Print how emaillint reads a draft: its parts and sentences.
//!
//! `cargo run --example parse -- draft.txt`

use emaillint::{Document, Format, RuleSet};

fn main() {
    let Ok(set) = RuleSet::builtin() else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    for path in std::env::args().skip(1) {
        let path = std::path::PathBuf::from(path);
        let text = match std::fs::read(&path).map(emaillint::source::decode) {
            Ok(Ok(t)) => t,
            _ => {
                eprintln!("{}: cannot read", path.display());
                continue;
            }
        };
        let doc = Document::parse(&text, Format::from_path(&path), &set.vocab);
        println!("== {}", path.display());
        for r in &doc.regions {
            println!("[{:?}] {:?}", r.part, &text[r.span.range()]);
            for s in &doc.sentences[r.sentences.clone()] {
                println!(
                    "    - ({}w) {}",
                    s.words.len(),
                    &doc.prose.text[s.virt.clone()]
                );
            }
        }
        if let Some(c) = &doc.closing {
            println!(
                "closing: valediction={:?} signature={:?} bare={:?}",
                c.valediction.map(|s| &text[s.range()]),
                c.signature.map(|s| &text[s.range()]),
                c.bare_name.map(|s| &text[s.range()])
            );
        }
        for q in &doc.quoted {
            println!(
                "quoted: {:?}",
                &text[q.range()].chars().take(50).collect::<String>()
            );
        }
        println!("body words: {}", doc.body_words());
    }
}
