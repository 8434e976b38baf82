//! `cargo bench`: how long the work takes, measured with wall-clock time
//! over many repetitions (no timing assertions anywhere in the tests).
//!
//! - compiling the built-in pack (once per process);
//! - linting one draft (parse + all rules), for each example draft;
//! - linting a 1,000-draft batch in parallel, as the CLI does;
//! - re-linting one ~300-word email in process with the rules already
//!   compiled, as the language server does on each change;
//! - linting one large draft of 0.5 and 2 MB (the 300-word email's body
//!   repeated, with accented names and dashes), per MB: the two figures
//!   should be about equal (no step worse than n log n).

use emaillint::{Format, RuleSet, Settings};
use rayon::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn time<T>(iterations: u32, mut f: impl FnMut() -> T) -> Duration {
    // Warm up, then take the best of five batches.
    std::hint::black_box(f());
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(f());
            }
            start.elapsed() / iterations
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let compile = time(20, || {
        RuleSet::load(&[], true).map(|s| s.rules.len()).unwrap_or(0)
    });
    println!("compile built-in pack            {:>10.2?}", compile);

    let Ok(set) = RuleSet::builtin() else {
        eprintln!("the built-in pack does not load");
        std::process::exit(1);
    };
    let settings = Settings::defaults(set);
    let mut drafts: Vec<(String, String, Format)> = Vec::new();
    for dir in ["fixtures/examples", "fixtures/rules"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if let Ok(text) = std::fs::read_to_string(&p)
                && p.extension().is_some_and(|e| e != "md" || !text.is_empty())
                && !p.ends_with("README.md")
            {
                let name = p.strip_prefix(root).unwrap_or(&p).display().to_string();
                drafts.push((name, text, Format::from_path(&p)));
            }
        }
    }
    for (name, text, format) in drafts
        .iter()
        .filter(|(n, _, _)| n.starts_with("fixtures/examples"))
    {
        let per = time(2_000, || {
            emaillint::check(text, *format, set, &settings)
                .1
                .diagnostics
                .len()
        });
        println!(
            "lint {:<28} {:>10.2?}  ({} bytes)",
            name.trim_start_matches("fixtures/examples/"),
            per,
            text.len()
        );
        // Where the time goes: parsing, running the matchers, the rest.
        let parse = time(2_000, || {
            emaillint::Document::parse(text, *format, &set.vocab)
                .words
                .len()
        });
        let doc = emaillint::Document::parse(text, *format, &set.vocab);
        let matching = time(2_000, || {
            set.matchers
                .find_all(&doc.prose, &doc.segment_starts())
                .hits
                .len()
        });
        println!(
            "  parse {parse:>10.2?}   match {matching:>10.2?}   rules {:>10.2?}",
            per.saturating_sub(parse + matching)
        );
    }
    // The language server's path: a Linter built once, one email re-linted.
    let linter = emaillint::Linter::new(set.clone(), settings.clone());
    let email = include_str!("email-300.txt");
    let relint = time(2_000, || linter.lint(email, Format::Text).diagnostics.len());
    println!(
        "re-lint a 300-word email           {relint:>10.2?}  ({} bytes)",
        email.len()
    );
    large_draft(&linter, email);
    if drafts.is_empty() {
        return;
    }
    let batch: Vec<&(String, String, Format)> = drafts.iter().cycle().take(1_000).collect();
    let bytes: usize = batch.iter().map(|(_, t, _)| t.len()).sum();
    let serial = time(3, || {
        batch
            .iter()
            .map(|(_, t, f)| emaillint::check(t, *f, set, &settings).1.diagnostics.len())
            .sum::<usize>()
    });
    let parallel = time(3, || {
        batch
            .par_iter()
            .map(|(_, t, f)| emaillint::check(t, *f, set, &settings).1.diagnostics.len())
            .sum::<usize>()
    });
    let mb = bytes as f64 / 1e6;
    println!(
        "1,000 drafts ({mb:.2} MB), one thread  {:>10.2?}  ({:.1} MB/s)",
        serial,
        mb / serial.as_secs_f64()
    );
    println!(
        "1,000 drafts, {} threads            {:>10.2?}  ({:.1} MB/s)",
        rayon::current_num_threads(),
        parallel,
        mb / parallel.as_secs_f64()
    );
}

/// One large draft: the email's body paragraphs repeated between its
/// greeting and sign-off, every other one with non-ASCII names and a dash
/// (so the regexes see non-ASCII prose), at 0.5 and 2 MB; time per MB.
fn large_draft(linter: &emaillint::Linter, email: &str) {
    let paras: Vec<&str> = email.split("\n\n").collect();
    let (head, body, tail) = (
        &paras[..2],
        &paras[2..paras.len() - 1],
        paras[paras.len() - 1],
    );
    let mut per_mb = Vec::new();
    for size in [500_000, 2_000_000] {
        let mut text = head.join("\n\n") + "\n\n";
        let mut i = 0;
        while text.len() < size {
            let p = body[i % body.len()];
            if i % 2 == 1 {
                text.push_str(
                    &p.replace("Daniel Reyes", "José Åström")
                        .replace(", ", " \u{2014} "),
                );
            } else {
                text.push_str(p);
            }
            text.push_str("\n\n");
            i += 1;
        }
        text.push_str(tail);
        let mb = text.len() as f64 / 1e6;
        let t = time(1, || linter.lint(&text, Format::Text).diagnostics.len());
        let ms = t.as_secs_f64() * 1e3 / mb;
        per_mb.push(ms);
        println!(
            "one {mb:.1} MB draft                  {t:>10.2?}  ({ms:.0} ms/MB, {:.1} MB/s)",
            mb / t.as_secs_f64()
        );
    }
    println!(
        "  2 MB / 0.5 MB cost per MB          {:>10.2}",
        per_mb[1] / per_mb[0]
    );
}
