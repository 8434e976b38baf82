//! A lint run: every draft linted (and fixed) in parallel, rendered in
//! parallel into buffers, printed in input order, and the exit code.

use super::Error;
use super::args::{ColorWhen, Deny, FormatArg, LintArgs};
use super::exit;
use super::inputs::{Configs, Input, Job, Skipped, Walk, expand, read_input};
use super::ordered::in_order;
use super::terminal::{auto_color, columns, error_line, output};
use super::write::write_fixed;
use codespan_reporting::term::termcolor::{BufferWriter, ColorChoice};
use emaillint::document::Format;
use emaillint::report::{self, Context, InputError, Linted, Outcome};
use emaillint::source::SourceFile;
use emaillint::{Linter, Severity};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Lint the drafts `args` names: the exit code it earned (2 when an input
/// could not be read or fixes not written, which are reported in band).
pub(crate) fn lint(args: LintArgs) -> Result<u8, Error> {
    if args.paths.is_empty() {
        return Err(Error::NoDrafts);
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(Error::Message(
            "--unsafe-fixes goes with --fix or --diff".into(),
        ));
    }
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::Message(
            "`-` (standard input) can be given only once".into(),
        ));
    }
    if args.statistics && !matches!(args.format, FormatArg::Human | FormatArg::Concise) {
        return Err(Error::Message(
            "--statistics prints a table: use it with --format human or concise".into(),
        ));
    }
    let stdin_fixing = args.fix && args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin_fixing && args.paths.len() > 1 {
        return Err(Error::Message(
            "--fix with `-` prints the fixed draft, so it cannot be combined with other inputs"
                .into(),
        ));
    }

    // Inputs and the config for each; every config is resolved before
    // anything is linted, so a broken one stops the run.
    let mut configs = Configs {
        args: &args.config,
        cache: HashMap::new(),
        discovery: Default::default(),
        errors: Vec::new(),
    };
    let walk = Walk::new(&args.include, &args.exclude)?;
    let (inputs, mut skipped) = expand(&args.paths, &walk);
    let mut jobs = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin => {
                let dir = args
                    .stdin_filename
                    .as_deref()
                    .and_then(Path::parent)
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if let Some(r) = configs.for_dir(dir) {
                    jobs.push(Job::Stdin(r));
                }
            }
            Input::File(path, named, real) => {
                // The config of the directory the file really is in (a
                // symlink's target's), however the path is spelled.
                let dir = real
                    .as_deref()
                    .unwrap_or(&path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if let Some(r) = configs.for_dir(dir) {
                    if !named && r.ignores(&path, false) {
                        skipped.push(Skipped {
                            path,
                            why: "ignored by its config's `ignore:`",
                        });
                        continue;
                    }
                    jobs.push(Job::File(path, r));
                }
            }
            Input::Bad(e) => jobs.push(Job::Bad(e)),
        }
    }
    if !configs.errors.is_empty() {
        // Machine-readable output is still one valid document, saying
        // what broke and where (the mistakes are on stderr as well).
        // Paths below the working directory as relative ones, which is
        // how CI annotations name files.
        let cwd = std::env::current_dir().ok();
        let problems: Vec<report::ConfigProblem> = configs
            .errors
            .iter()
            .flat_map(report::ConfigProblem::of)
            .map(|mut p| {
                if let (Some(path), Some(cwd)) = (&p.path, &cwd)
                    && let Ok(rel) = Path::new(path).strip_prefix(cwd)
                {
                    p.path = Some(rel.display().to_string());
                }
                p
            })
            .collect();
        if let Some(doc) = report::config_failure(args.format.into(), &problems) {
            let mut out = std::io::stdout().lock();
            output(
                out.write_all(doc.as_bytes()).and_then(|()| out.flush()),
                exit::TROUBLE,
            )?;
        }
        return Err(Error::Config(configs.errors));
    }
    if args.show_files {
        return show_files(&jobs, &skipped);
    }

    // Each file is rendered into its own buffer as soon as it is linted,
    // in parallel, and the buffers are printed in input order.
    let color = match args.color {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => auto_color(if stdin_fixing {
            std::io::stderr().is_terminal()
        } else {
            std::io::stdout().is_terminal()
        }),
    };
    let writer = if stdin_fixing {
        BufferWriter::stderr(color)
    } else {
        BufferWriter::stdout(color)
    };
    let reporter = report::reporter(args.format.into());
    let checklist = !args.quiet;
    let columns = columns(args.max_columns, stdin_fixing);
    let render = |o: &Outcome| {
        let mut b = writer.buffer();
        if let Outcome::Linted(l) = o
            && !args.statistics
            && !args.diff
        {
            let cx = Context {
                rules: &l.rules,
                checklist,
                columns,
            };
            if let Err(e) = reporter.file(&mut b, l, &cx) {
                let _ = writeln!(
                    b,
                    "error: {}: cannot render diagnostics: {e}",
                    report::escape(&l.source.name)
                );
            }
        }
        b
    };
    let work = |job| {
        let (o, d) = run_job(job, &args);
        let b = render(&o);
        (o, d, b)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if args.diff {
        let mut outcomes = Vec::with_capacity(jobs.len());
        let mut diffs = Vec::with_capacity(jobs.len());
        let done: Result<(), Error> = in_order(jobs, threads, work, |(o, d, _)| {
            outcomes.push(o);
            diffs.push(d);
            Ok(())
        });
        done?;
        return print_diffs(&outcomes, &diffs);
    }

    // The rules the head and the summary are written with: those of the
    // first draft (configs differ between directories, and each file's
    // output uses its own).
    let rules = jobs
        .iter()
        .find_map(|j| match j {
            Job::Stdin(r) | Job::File(_, r) => Some(r.set.clone()),
            Job::Bad(_) => None,
        })
        .or_else(|| configs.cache.values().next().map(|r| r.set.clone()))
        // Nothing can be read: the errors still need reporting, with the
        // rules that would have applied here.
        .or_else(|| configs.for_dir(Path::new(".")).map(|r| r.set.clone()));
    let Some(rules) = rules else {
        return Err(Error::Config(configs.errors));
    };
    let cx = Context {
        rules: &rules,
        checklist,
        columns,
    };
    let threshold = threshold(if args.exit_zero {
        Deny::Nothing
    } else {
        args.deny
    });
    // The exit code so far: a broken pipe stops the run with it.
    let mut code = exit::OK;
    let mut head = writer.buffer();
    output(
        reporter
            .begin(&mut head, &cx)
            .and_then(|()| writer.print(&head)),
        code,
    )?;
    let mut separator = writer.buffer();
    if !args.statistics {
        output(separator.write_all(reporter.separator()), code)?;
    }
    // Each file's output is written as soon as every earlier file's is;
    // after that only its counts are kept, unless the end of the run
    // needs more.
    let keep = args.statistics || reporter.needs_files_at_finish();
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut first = true;
    let written = in_order(jobs, threads, work, |(mut o, _, b)| {
        code = code.max(exit_code(&o, threshold));
        match &o {
            Outcome::Failed(e) => error_line(&format!("{}: {}", e.path, e.message)),
            Outcome::Linted(l) => {
                if stdin_fixing {
                    // The fixed draft on stdout; diagnostics go to stderr.
                    let mut out = std::io::stdout().lock();
                    output(
                        out.write_all(l.source.text.as_bytes())
                            .and_then(|()| out.flush()),
                        code,
                    )?;
                }
                if let Some(e) = &l.error {
                    error_line(&format!("{}: {e}", l.source.name));
                }
                if !first && !separator.is_empty() {
                    output(writer.print(&separator), code)?;
                }
                first = false;
            }
        }
        output(writer.print(&b), code)?;
        if let Outcome::Linted(l) = &mut o
            && !keep
        {
            l.release();
        }
        outcomes.push(o);
        Ok(())
    });
    written?;
    let mut b = writer.buffer();
    if args.statistics {
        let table = super::statistics::table(&outcomes);
        output(b.write_all(table.as_bytes()), code)?;
    }
    let rendered = reporter.finish(&mut b, &outcomes, &cx);
    output(rendered.and_then(|()| writer.print(&b)), code)?;
    Ok(code)
}

/// `--show-files`: the files a run would lint, one a line, then those the
/// directory walks (or a config's `ignore:`) left out, each with why.
/// Nothing is read or linted.
fn show_files(jobs: &[Job], skipped: &[Skipped]) -> Result<u8, Error> {
    let mut s = String::new();
    let mut code = exit::OK;
    for j in jobs {
        match j {
            Job::Stdin(_) => s.push_str("-\n"),
            Job::File(p, _) => {
                s.push_str(&format!("{}\n", report::escape(&p.display().to_string())))
            }
            Job::Bad(e) => {
                error_line(&format!("{}: {}", e.path, e.message));
                code = exit::TROUBLE;
            }
        }
    }
    for k in skipped {
        s.push_str(&format!(
            "skipped {}: {}\n",
            report::escape(&k.path.display().to_string()),
            k.why
        ));
    }
    let mut out = std::io::stdout().lock();
    output(out.write_all(s.as_bytes()).and_then(|()| out.flush()), code)?;
    Ok(code)
}

/// The lowest severity that fails a run under `deny`.
fn threshold(deny: Deny) -> Option<Severity> {
    match deny {
        Deny::Error => Some(Severity::Error),
        Deny::Warning => Some(Severity::Warning),
        Deny::Info => Some(Severity::Info),
        Deny::Nothing => None,
    }
}

/// The exit code one outcome earns (a run's is the highest): 2 if the
/// input failed, else 1 if a diagnostic reached `threshold`, else 0.
fn exit_code(o: &Outcome, threshold: Option<Severity>) -> u8 {
    match o {
        Outcome::Failed(_) => exit::TROUBLE,
        Outcome::Linted(l) if l.error.is_some() => exit::TROUBLE,
        Outcome::Linted(l) => {
            let max = l.report.max_severity().max(l.omitted.max_severity());
            match (threshold, max) {
                (Some(t), Some(max)) if max >= t => exit::PROBLEMS,
                _ => exit::OK,
            }
        }
    }
}

/// Lint (and fix) one input. With `--diff`, nothing is written and the
/// second value is the unified diff of what `--fix` would write.
fn run_job(job: Job, args: &LintArgs) -> (Outcome, Option<String>) {
    let resolved = match &job {
        Job::Stdin(r) | Job::File(_, r) => r.clone(),
        Job::Bad(e) => return (Outcome::Failed(e.clone()), None),
    };
    if args.diff {
        return diff_job(&job, &resolved, args);
    }
    let (name, bytes) = match read_input(&job, args) {
        Ok(x) => x,
        Err(e) => return (Outcome::Failed(e), None),
    };
    let format = args
        .input_format
        .map(Format::from)
        .unwrap_or_else(|| match &job {
            Job::File(p, _) => Format::from_path(p),
            _ => args
                .stdin_filename
                .as_deref()
                .map_or(Format::Text, Format::from_path),
        });
    let (text, decoded) = match emaillint::document::prepare(bytes, format) {
        Ok(p) => (p.text, p.decoded),
        Err(e) => {
            return (
                Outcome::Failed(InputError {
                    path: name,
                    message: e.to_string(),
                }),
                None,
            );
        }
    };
    if decoded.is_some() && args.fix && matches!(job, Job::Stdin(_)) {
        // Printing the decoded text would replace the message's bytes.
        return (
            Outcome::Failed(InputError {
                path: name,
                message:
                    "--fix cannot rewrite this email: its body is encoded (lint it without --fix)"
                        .into(),
            }),
            None,
        );
    }
    let mut settings = resolved.settings.clone();
    settings.today.get_or_insert_with(emaillint::Date::today);
    let linter = Linter::new(resolved.set.clone(), settings);
    let mut linted = Linted {
        source: SourceFile::new(name, String::new()),
        format,
        report: Default::default(),
        fixed: 0,
        rules: resolved.set.clone(),
        omitted: Default::default(),
        error: None,
        fixable: Default::default(),
        decoded: None,
    };
    if decoded.is_some() && args.fix {
        // The fixes would be edits of the decoded text, not of the file.
        linted.error = Some(
            "--fix cannot rewrite this email: its body is encoded, so nothing was written".into(),
        );
        linted.report = linter.lint(&text, format);
        linted.source = SourceFile::new(linted.source.name, text);
    } else if args.fix {
        let fixed = linter.fix(&text, format, args.unsafe_fixes);
        if let Some(why) = &fixed.stopped {
            linted.error = Some(format!("--fix {why}"));
        }
        let written = match &job {
            Job::File(path, _) if fixed.text != text => {
                write_fixed(path, text.as_bytes(), fixed.text.as_bytes())
            }
            _ => Ok(()),
        };
        match written {
            Ok(()) => {
                linted.fixed = fixed.applied;
                linted.report = fixed.report;
                linted.fixable = report::Fixable::of(&linted.report, &fixed.refused);
                linted.source = SourceFile::new(linted.source.name, fixed.text);
            }
            Err(e) => {
                // Nothing was written: report the file as it is on disk.
                linted.error = Some(format!("cannot write fixes: {e}"));
                linted.report = linter.lint(&text, format);
                linted.source = SourceFile::new(linted.source.name, text);
            }
        }
    } else {
        linted.report = linter.lint(&text, format);
        if args.format == FormatArg::Human
            && decoded.is_none()
            && linted.report.diagnostics.iter().any(|d| d.fix.is_some())
        {
            // Try the fixes on a copy, so that the summary counts only
            // those --fix would apply, and a suggestion it would refuse
            // says so.
            let trial = linter.fix_linted(&text, format, linted.report.clone(), true);
            emaillint::fix::note_refused(
                &mut linted.report,
                &trial.refused,
                "--fix would not apply this",
            );
            linted.fixable = report::Fixable::of(&linted.report, &trial.refused);
        }
        linted.source = SourceFile::new(linted.source.name, text);
    }
    linted.decoded = decoded;
    // Statistics count every diagnostic.
    let max = if args.statistics {
        0
    } else {
        args.max_diagnostics
    };
    linted.omitted = report::limit(&mut linted.report, max);
    (Outcome::Linted(Box::new(linted)), None)
}

/// `--diff` for one input: run the fix loop as `--fix` would, write
/// nothing, and return the unified diff of the change (`None`: none).
fn diff_job(
    job: &Job,
    resolved: &emaillint::config::Resolved,
    args: &LintArgs,
) -> (Outcome, Option<String>) {
    let failed =
        |path: String, message: String| (Outcome::Failed(InputError { path, message }), None);
    let (name, bytes) = match read_input(job, args) {
        Ok(x) => x,
        Err(e) => return (Outcome::Failed(e), None),
    };
    let format = args
        .input_format
        .map(Format::from)
        .unwrap_or_else(|| match job {
            Job::File(p, _) => Format::from_path(p),
            _ => args
                .stdin_filename
                .as_deref()
                .map_or(Format::Text, Format::from_path),
        });
    let prepared = match emaillint::document::prepare(bytes, format) {
        Ok(p) => p,
        Err(e) => return failed(name, e.to_string()),
    };
    if prepared.decoded.is_some() {
        return failed(
            name,
            "--diff: this email's body is encoded, so --fix would not rewrite it".into(),
        );
    }
    let mut settings = resolved.settings.clone();
    settings.today.get_or_insert_with(emaillint::Date::today);
    let linter = Linter::new(resolved.set.clone(), settings);
    let text = prepared.text;
    let fixed = linter.fix(&text, format, args.unsafe_fixes);
    let diff = (fixed.text != text).then(|| {
        similar::TextDiff::from_lines(&text, &fixed.text)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string()
    });
    let linted = Linted {
        source: SourceFile::new(name, fixed.text),
        format,
        report: fixed.report,
        fixed: fixed.applied,
        rules: resolved.set.clone(),
        omitted: Default::default(),
        error: fixed.stopped.map(|why| format!("--fix {why}")),
        fixable: Default::default(),
        decoded: None,
    };
    (Outcome::Linted(Box::new(linted)), diff)
}

/// `--diff`: the diffs in input order on stdout, problems on stderr. Exit
/// code 1 when a file would change, 2 when an input could not be read.
fn print_diffs(outcomes: &[Outcome], diffs: &[Option<String>]) -> Result<u8, Error> {
    let mut code = exit::OK;
    let mut text = String::new();
    for (o, d) in outcomes.iter().zip(diffs) {
        match o {
            Outcome::Failed(e) => {
                error_line(&format!("{}: {}", e.path, e.message));
                code = exit::TROUBLE;
            }
            Outcome::Linted(l) => {
                if let Some(e) = &l.error {
                    error_line(&format!("{}: {e}", l.source.name));
                    code = exit::TROUBLE;
                }
            }
        }
        if let Some(d) = d {
            text.push_str(d);
            if code == exit::OK {
                code = exit::PROBLEMS;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    output(
        out.write_all(text.as_bytes()).and_then(|()| out.flush()),
        code,
    )?;
    Ok(code)
}
