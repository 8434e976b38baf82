//! Where matching time goes for one draft: literals, tokenizing, word
//! sequences, regexes (`cargo run --release --example matchtime -- FILE`).
//! Each figure is the best of five batches of 2,000 runs (`RUNS=N` sets
//! the batch size, say `RUNS=1` for a draft of megabytes; `RULES=DIR`
//! adds the rule files in DIR to the built-in pack).
use emaillint::{Document, Format, RuleSet};
use std::time::{Duration, Instant};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/examples/second-chance.txt".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("error: cannot read {path}");
        std::process::exit(2);
    };
    // RULES=DIR: the built-in pack and the rule files in DIR.
    let extra: Vec<std::path::PathBuf> = std::env::var_os("RULES")
        .map(Into::into)
        .into_iter()
        .collect();
    let set = match RuleSet::load(&extra, true) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("the rules do not load: {e}");
            std::process::exit(2);
        }
    };
    let doc = Document::parse(
        &text,
        Format::from_path(std::path::Path::new(&path)),
        &set.vocab,
    );
    let segments = doc.segment_starts();
    let n: u32 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(2000);
    let mut best: Vec<(&'static str, Duration)> = Vec::new();
    let mut best_all = Duration::MAX;
    for _ in 0..5 {
        let mut sums: Vec<(&'static str, Duration)> = Vec::new();
        let start = Instant::now();
        for _ in 0..n {
            let mut last = Instant::now();
            let found = set.matchers.find_all_timed(
                &doc.prose,
                &segments,
                Some(&doc.regions),
                &mut |stage| {
                    let now = Instant::now();
                    match sums.iter_mut().find(|(s, _)| *s == stage) {
                        Some((_, d)) => *d += now - last,
                        None => sums.push((stage, now - last)),
                    }
                    last = now;
                },
            );
            std::hint::black_box(found.hits.len());
        }
        best_all = best_all.min(start.elapsed() / n);
        for (stage, d) in sums {
            let d = d / n;
            match best.iter_mut().find(|(s, _)| *s == stage) {
                Some((_, b)) => *b = (*b).min(d),
                None => best.push((stage, d)),
            }
        }
    }
    print!("find_all {best_all:?}:");
    for (stage, d) in best {
        print!("  {stage} {d:?}");
    }
    println!();
    regex_report(&set, &doc.prose.text, n.div_ceil(10));
}

/// The regexes that run on this draft (ungated, or their gate found a
/// literal), slowest first.
fn regex_report(set: &RuleSet, text: &str, runs: u32) {
    let gates = set.matchers.pattern_gates(text);
    let gated = gates.iter().filter(|g| g.1).count();
    let run = gates.iter().filter(|g| g.2).count();
    println!(
        "regexes: {} in all, {gated} gated, {run} run on this draft",
        gates.len()
    );
    let mut times: Vec<(Duration, &str, bool)> = gates
        .iter()
        .filter(|g| g.2)
        .filter_map(|&(p, gated, _)| {
            let re = regex::Regex::new(p).ok()?;
            std::hint::black_box(re.find_iter(text).count());
            let t = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(re.find_iter(text).count());
            }
            Some((t.elapsed() / runs, p, gated))
        })
        .collect();
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    for (d, p, gated) in times.iter().take(12) {
        let p: String = p.chars().take(90).collect();
        println!(
            "  {d:>9.2?}  {}  {p}",
            if *gated { "gated  " } else { "ungated" }
        );
    }
}
