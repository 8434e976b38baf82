//! `emaillint rules` and `emaillint rules check`.

use super::Error;
use super::args::ConfigArgs;
use super::exit;
use super::inputs::resolve_for_cwd;
use super::terminal::{auto_color, output};
use codespan_reporting::term::termcolor::BufferWriter;
use emaillint::Severity;
use emaillint::config::ConfigError;
use emaillint::linter::examples;
use emaillint::problem::{LoadError, RuleError};
use emaillint::report::{self, render_rule_errors};
use emaillint::rules::RuleSet;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

/// `emaillint rules`: the rules in effect, their kind, severity and summary.
pub(crate) fn list(args: &ConfigArgs) -> Result<u8, Error> {
    let r = resolve_for_cwd(args)?;
    let mut out = std::io::stdout().lock();
    let width = r.set.rules.iter().map(|x| x.id.len()).max().unwrap_or(2);
    let header = writeln!(
        out,
        "{:width$}  {:11}  {:8}  SUMMARY   (profile: {}{})",
        "RULE",
        "KIND",
        "SEVERITY",
        r.profile,
        r.path
            .as_ref()
            .map(|p| format!(", config: {}", p.display()))
            .unwrap_or_default()
    );
    let mut result = header;
    for (rule, cfg) in r.set.rules.iter().zip(&r.settings.rules) {
        let severity = cfg.severity.map_or("off", Severity::as_str);
        result = result.and_then(|()| {
            writeln!(
                out,
                "{:width$}  {:11}  {:8}  {}",
                rule.id,
                rule.kind.as_str(),
                severity,
                report::escape(&rule.summary)
            )
        });
    }
    output(result.and_then(|()| out.flush()), exit::OK)?;
    Ok(exit::OK)
}

/// `emaillint rules check [DIR]`: every rule against its own examples.
pub(crate) fn check(dir: Option<&Path>, args: &ConfigArgs) -> Result<u8, Error> {
    let (set, only): (Arc<RuleSet>, Option<Vec<usize>>) = match dir {
        Some(d) => {
            // The directory on its own. If it is not complete by itself (its
            // rules use the built-in lists or vocabulary), with the built-in
            // files loaded beside it, checking only its own rules; but a
            // directory that defines what the built-in pack defines (a copy
            // of `rules/`) is never checked against the built-in pack.
            let dirs = [d.to_path_buf()];
            let alone = RuleSet::load(&dirs, false);
            let loaded = match alone {
                Ok(s) => Ok(s),
                Err(e) if args.no_builtin => Err(e),
                Err(alone_errors) => match RuleSet::load(&dirs, true) {
                    Ok(s) => Ok(s),
                    Err(e) if clashes_with_builtin(&e, &alone_errors) => Err(alone_errors),
                    Err(e) => Err(e),
                },
            };
            match loaded {
                Ok(s) => {
                    let own: Vec<usize> = (0..s.files.len())
                        .filter(|&i| !s.files[i].name.starts_with("<builtin>"))
                        .collect();
                    (Arc::new(s), Some(own))
                }
                Err(e) => return Err(Error::Config(vec![ConfigError::Files(e)])),
            }
        }
        None => (resolve_for_cwd(args)?.set.clone(), None),
    };
    let (count, failures) = examples::check(&set, only.as_deref());
    let w = BufferWriter::stdout(auto_color(std::io::stdout().is_terminal()));
    let mut b = w.buffer();
    let errors: Vec<RuleError> = failures
        .iter()
        .map(|f| {
            let message = if f.missing {
                format!("`{}` has no `{}` example", f.rule, f.expected)
            } else if f.expected == "suggestion" {
                format!(
                    "the `suggestion` of `{}` does not satisfy the rule: inserted into `fail` example {}, the rule still fires",
                    f.rule,
                    f.index + 1
                )
            } else if f.expected == "fail" {
                format!(
                    "`fail` example {} of `{}` does not fire the rule",
                    f.index + 1,
                    f.rule
                )
            } else {
                format!(
                    "`pass` example {} of `{}` fires the rule",
                    f.index + 1,
                    f.rule
                )
            };
            let mut e = RuleError::new(f.file, f.span, message);
            e.label = Some(if f.missing {
                "add `examples: {pass: [...], fail: [...]}` to this rule".into()
            } else if f.expected == "suggestion" {
                "the suggestion lands here, where the rule does not count it".into()
            } else if f.expected == "fail" {
                "expected a diagnostic here".into()
            } else {
                "expected no diagnostic".into()
            });
            e.notes = f
                .diagnostics
                .iter()
                .map(|d| format!("reported: {}", d.message))
                .collect();
            e
        })
        .collect();
    let _ = render_rule_errors(&mut b, &set.files, &errors);
    let _ = writeln!(
        b,
        "{} rule{}, {} example{}: {}",
        count.rules,
        if count.rules == 1 { "" } else { "s" },
        count.examples,
        if count.examples == 1 { "" } else { "s" },
        if failures.is_empty() {
            "all behave as documented".to_string()
        } else {
            format!("{} misbehave", failures.len())
        }
    );
    let code = if failures.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    };
    output(w.print(&b), code)?;
    Ok(code)
}

/// Did loading a directory beside the built-in pack (`with`) fail in a way
/// it did not alone (`alone`): a rule id, list or profile the pack also
/// defines? Then the pack is in the way, and the directory's own errors
/// are the ones to show.
fn clashes_with_builtin(with: &LoadError, alone: &LoadError) -> bool {
    with.errors
        .iter()
        .any(|e| !alone.errors.iter().any(|a| a.message == e.message))
}
