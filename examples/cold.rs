//! The cold check: how many unseen sentences each rule judges right.
//!
//! ```text
//! cargo run --release --example cold -- [fixtures/cold/sentences.yaml] [--verbose]
//! ```
//!
//! `fixtures/cold/sentences.yaml` holds sentences written from the label
//! definitions alone, without seeing the rules: for presence rules, ones
//! that express the element (`present`) and near misses (`absent`); for
//! problem rules, ones that commit the problem (`problem`) and ones that do
//! not (`fine`). Each sentence is linted as the only body paragraph of a
//! minimal email (for `apology-count`, three times over, so that one
//! apology each makes three). Prints, per rule, how many of each group the
//! rule gets right; `--verbose` lists the ones it gets wrong.

use emaillint::{Format, RuleSet, Settings};
use std::collections::BTreeMap;

type Groups = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn main() {
    let mut path = "fixtures/cold/sentences.yaml".to_string();
    let mut verbose = false;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--verbose" | "-v" => verbose = true,
            _ => path = a,
        }
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(2);
        }
    };
    let groups: Groups = match serde_yaml::from_str(&text) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(2);
        }
    };
    let set = match RuleSet::builtin() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("the built-in rules do not load:\n{e}");
            std::process::exit(2);
        }
    };
    let settings = Settings::defaults(set);
    println!(
        "{:<16} {:>16} {:>14}",
        "rule", "present|problem", "absent|fine"
    );
    let (mut right, mut total) = (0, 0);
    for (rule, g) in &groups {
        let mut cells = Vec::new();
        let mut misses = Vec::new();
        for (key, want_pass) in [
            ("present", true),
            ("absent", false),
            ("problem", false),
            ("fine", true),
        ] {
            let Some(sentences) = g.get(key) else {
                continue;
            };
            let mut ok = 0;
            for s in sentences {
                let body = if rule == "apology-count" {
                    format!("{s} {s} {s}")
                } else {
                    s.clone()
                };
                let draft = format!(
                    "Dear Ms. Rivera,\n\nI am writing after my interview on Monday.\n\n{body}\n\nBest regards,\nJordan Blake\n"
                );
                let (_, report) = emaillint::check(&draft, Format::Text, set, &settings);
                let passed = report
                    .checks
                    .iter()
                    .find(|c| &c.rule == rule)
                    .map(|c| c.passed);
                if passed == Some(want_pass) {
                    ok += 1;
                } else {
                    misses.push(format!("  {key}: {s}"));
                }
            }
            right += ok;
            total += sentences.len();
            cells.push(format!("{ok}/{}", sentences.len()));
        }
        println!(
            "{:<16} {:>16} {:>14}",
            rule,
            cells.first().map_or("", String::as_str),
            cells.get(1).map_or("", String::as_str)
        );
        if verbose {
            for m in misses {
                println!("{m}");
            }
        }
    }
    println!("\n{right}/{total} sentences judged right");
}
