//! Where matching time goes for one draft: tokenizing, word sequences,
//! literals and regexes (`cargo run --release --example matchtime -- FILE`).
use emaillint::{Document, Format, RuleSet};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/examples/second-chance.txt".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("error: cannot read {path}");
        std::process::exit(2);
    };
    let Ok(set) = RuleSet::builtin() else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    let doc = Document::parse(
        &text,
        Format::from_path(std::path::Path::new(&path)),
        &set.vocab,
    );
    let n = 2000;
    let best = |f: &dyn Fn() -> usize| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..n {
                    std::hint::black_box(f());
                }
                t.elapsed() / n
            })
            .min()
            .unwrap_or_default()
    };
    let all = best(&|| {
        set.matchers
            .find_all(&doc.prose, &doc.segment_starts())
            .hits
            .len()
    });
    let tok = best(&|| {
        set.matchers
            .tokenize(&doc.prose, &doc.segment_starts())
            .tokens
            .len()
    });
    println!("find_all {all:?}  tokenize {tok:?}");
}
