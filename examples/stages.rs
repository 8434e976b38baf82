//! Where the time of one lint of a long draft goes: decoding, parsing
//! (structure, normalized prose, sentences), matching (`find_all`), and
//! the rules with everything else `lint` does (`cargo run --release
//! --example stages -- FILE`). Each figure is the best of `RUNS` runs
//! (default 5), in process, with the rules loaded once.
use emaillint::{Document, Format, Linter};
use std::time::{Duration, Instant};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stages FILE");
        std::process::exit(2);
    };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("error: cannot read {path}");
        std::process::exit(2);
    };
    let Ok(linter) = Linter::builtin() else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(5);
    let format = Format::from_path(std::path::Path::new(&path));
    let set = linter.rules().clone();
    let mut best = [Duration::MAX; 4];
    let mut diagnostics = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let Ok(text) = emaillint::source::decode(bytes.clone()) else {
            eprintln!("error: {path} is not UTF-8 text");
            std::process::exit(2);
        };
        let decoded = start.elapsed();
        let doc = Document::parse(&text, format, &set.vocab);
        let parsed = start.elapsed();
        let found = set
            .matchers
            .find_all(&doc.prose, &doc.segment_starts(), Some(&doc.regions));
        std::hint::black_box(found.hits.len());
        let matched = start.elapsed();
        // `lint_document` matches again, then runs the rules: its time less
        // the matching's is the rules'.
        let report = linter.lint_document(&doc);
        let linted = start.elapsed();
        diagnostics = report.diagnostics.len();
        let times = [
            decoded,
            parsed - decoded,
            matched - parsed,
            (linted - matched).saturating_sub(matched - parsed),
        ];
        for (b, t) in best.iter_mut().zip(times) {
            *b = (*b).min(t);
        }
    }
    let mb = bytes.len() as f64 / 1e6;
    let total: Duration = best.iter().sum();
    println!(
        "{path}: {} bytes, {diagnostics} diagnostics, best of {runs}",
        bytes.len()
    );
    for (name, t) in ["decode", "parse", "match", "rules"].iter().zip(best) {
        println!(
            "  {name:<7} {:>9.1?}  {:>7.1} MB/s",
            t,
            mb / t.as_secs_f64()
        );
    }
    println!(
        "  {:<7} {:>9.1?}  {:>7.1} MB/s",
        "total",
        total,
        mb / total.as_secs_f64()
    );
}
