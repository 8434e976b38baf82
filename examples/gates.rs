//! How often each regex's literal gate lets it run, over a set of drafts
//! (`cargo run --release --example gates -- DRAFT...`): per regex, the
//! drafts it ran on, most first, then the total. A regex that runs is also
//! one that must be compiled, so fewer openings mean a cheaper first lint.
use emaillint::{Document, Format, RuleSet};
use std::collections::BTreeMap;

fn main() {
    let Ok(set) = RuleSet::builtin() else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut drafts = 0;
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("error: cannot read {path}");
            std::process::exit(2);
        };
        let format = Format::from_path(std::path::Path::new(&path));
        let doc = Document::parse(&text, format, &set.vocab);
        drafts += 1;
        for (pattern, _, open) in set.matchers.pattern_gates(&doc.prose.text) {
            if open {
                *counts.entry(pattern.to_string()).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<(String, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: usize = rows.iter().map(|r| r.1).sum();
    for (pattern, n) in &rows {
        let p: String = pattern.chars().take(90).collect();
        println!("{n:>5}/{drafts}  {p}");
    }
    println!(
        "{total} regex runs on {drafts} drafts ({:.1} per draft; {} regexes in all)",
        total as f64 / drafts.max(1) as f64,
        set.matchers.pattern_count()
    );
}
