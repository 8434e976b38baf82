//! Where one process's start-up goes: reading the built-in rule files (rules/pack.json),
//! checking and compiling them, the first lint (which compiles the regexes
//! its gates open) and a second lint of the same draft
//! (`cargo run --release --example startup -- FILE`).
use emaillint::rules::load::Loader;
use emaillint::{Format, Settings};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/examples/second-chance.txt".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("error: cannot read {path}");
        std::process::exit(2);
    };
    let format = Format::from_path(std::path::Path::new(&path));
    let t = Instant::now();
    let mut loader = Loader::new();
    loader.add_builtin();
    let parsed = t.elapsed();
    let t = Instant::now();
    let Ok(set) = loader.build() else {
        eprintln!("the built-in rules do not load");
        std::process::exit(2);
    };
    let built = t.elapsed();
    let settings = Settings::defaults(&set);
    let t = Instant::now();
    let (_, first) = emaillint::check(&text, format, &set, &settings);
    let lint1 = t.elapsed();
    let compiled = set.matchers.compiled_patterns();
    let t = Instant::now();
    let (_, second) = emaillint::check(&text, format, &set, &settings);
    let lint2 = t.elapsed();
    assert_eq!(first, second);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "parse rule files {:.2} ms  check+compile {:.2} ms  first lint {:.2} ms  second lint {:.2} ms  ({compiled} of {} regexes compiled)",
        ms(parsed),
        ms(built),
        ms(lint1),
        ms(lint2),
        set.matchers.pattern_count()
    );
}
