//! `emaillint explain ID [FILE]`: what a rule is for, and what it saw.

use super::Error;
use super::args::ConfigArgs;
use super::exit;
use super::inputs::resolve_for_cwd;
use super::terminal::output;
use emaillint::Verdict;
use emaillint::config::Resolved;
use emaillint::document::{Format, Part};
use emaillint::rules::Rule;
use emaillint::source::SourceFile;
use emaillint::{Linter, input, report};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// `emaillint explain ID [FILE]`.
pub(crate) fn run(
    id: &str,
    file: Option<&Path>,
    input_format: Option<Format>,
    config: &ConfigArgs,
) -> Result<u8, Error> {
    let r = resolve_for_cwd(config)?;
    let Some(index) = r.set.position(id) else {
        let mut m = format!("unknown rule `{id}`");
        match emaillint::rules::closest_id(&r.set, id) {
            Some(near) => m.push_str(&format!(" (did you mean `{near}`?)")),
            None => m.push_str(" (`emaillint rules` lists them)"),
        }
        return Err(Error::Message(m));
    };
    let rule = &r.set.rules[index];
    let mut out = String::new();
    match file {
        None => describe(&mut out, rule, &r),
        Some(path) => {
            // `-` is standard input, as for linting.
            let stdin = path.as_os_str() == "-";
            let read = if stdin {
                input::read_stdin(input::DEFAULT_MAX_FILE_SIZE)
            } else {
                input::read_file(path, input::DEFAULT_MAX_FILE_SIZE)
            };
            let name = if stdin {
                "<stdin>".to_string()
            } else {
                path.display().to_string()
            };
            let format = input_format.unwrap_or_else(|| {
                if stdin {
                    Format::Text
                } else {
                    Format::from_path(path)
                }
            });
            // An encoded .eml is traced over its decoded text.
            let text = read
                .map_err(|e| e.to_string())
                .and_then(|b| {
                    emaillint::document::prepare(b, format)
                        .map(|p| p.text)
                        .map_err(|e| e.to_string())
                })
                .map_err(|e| Error::Message(format!("{name}: {e}")))?;
            let source = SourceFile::new(name, text);
            trace_file(&mut out, rule, index, &source, format, &r);
        }
    }
    let mut stdout = std::io::stdout().lock();
    output(
        stdout
            .write_all(report::escape(&out).as_bytes())
            .and_then(|()| stdout.flush()),
        exit::OK,
    )?;
    Ok(exit::OK)
}

fn describe(out: &mut String, rule: &Rule, r: &Resolved) {
    let configured = r.settings.rules[r.set.position(&rule.id).unwrap_or(0)].severity;
    let _ = writeln!(out, "{}: {}", rule.id, rule.summary);
    let _ = writeln!(
        out,
        "  kind: {}   default severity: {}   in effect: {} (profile {})",
        rule.kind.as_str(),
        rule.severity.as_str(),
        configured.map_or("off", |s| s.as_str()),
        r.profile
    );
    let _ = writeln!(
        out,
        "  scope: {}   reported at: {}",
        rule.scope.as_str(),
        anchor_name(rule)
    );
    // The bounds in effect (defaults, then profile, config, command line).
    let index = r.set.position(&rule.id).unwrap_or(0);
    let bounds: Vec<String> = r.settings.rules[index]
        .bounds
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    if !bounds.is_empty() {
        let _ = writeln!(out, "  tunables: {}", bounds.join(", "));
    }
    let file = &r.set.files[rule.origin.file];
    let lc = file.line_col(rule.origin.span.start);
    let _ = writeln!(out, "  defined in: {}:{}", file.name, lc.line);
    let _ = writeln!(out, "\nMessage: {}", rule.message);
    if let Some(h) = &rule.help {
        let _ = writeln!(out, "Help: {h}");
    }
    if let Some(why) = &rule.rationale {
        let _ = writeln!(out, "\nWhy:\n{}", wrap(why, 76, "  "));
    }
    if !rule.sources.is_empty() {
        let _ = writeln!(out, "Sources:");
        for s in &rule.sources {
            match r.set.source_titles.get(s) {
                Some(title) => {
                    let _ = writeln!(out, "  \u{201C}{title}\u{201D} ({s})");
                }
                None => {
                    let _ = writeln!(out, "  {s}");
                }
            }
        }
    }
    for (title, list) in [
        ("passes", &rule.examples.pass),
        ("fires", &rule.examples.fail),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nExamples where the rule {title}:");
        for e in list {
            for (i, line) in e.text().lines().enumerate() {
                let _ = writeln!(out, "  {} {line}", if i == 0 { "-" } else { " " });
            }
            if let Some(m) = e.matched() {
                let _ = writeln!(out, "    (matches \u{201C}{m}\u{201D})");
            }
        }
    }
}

fn anchor_name(rule: &Rule) -> &'static str {
    use emaillint::rules::model::Anchor;
    if let Some(at) = rule.kind.info().reported.describe() {
        return at;
    }
    match rule.anchor {
        Anchor::Start => "the start of the draft",
        Anchor::BodyStart => "the start of the body",
        Anchor::BodyEnd => "the end of the body",
        Anchor::BeforeSignOff => "just before the sign-off",
        Anchor::End => "the end of the draft",
    }
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

fn part_name(p: Part) -> String {
    match p {
        Part::Subject => "subject".into(),
        Part::Heading => "letter heading".into(),
        Part::Greeting => "greeting".into(),
        Part::Paragraph(i) => format!("paragraph {}", i + 1),
        Part::Valediction => "sign-off".into(),
        Part::Signature => "signature".into(),
    }
}

fn trace_file(
    out: &mut String,
    rule: &Rule,
    index: usize,
    source: &SourceFile,
    format: Format,
    r: &Resolved,
) {
    let mut settings = r.settings.clone();
    settings.rules[index].severity.get_or_insert(rule.severity);
    settings.today.get_or_insert_with(emaillint::Date::today);
    let linter = Linter::new(r.set.clone(), settings);
    let doc = linter.parse(&source.text, format);
    let _ = writeln!(
        out,
        "{} in {} ({} rule, scope {})",
        rule.id,
        source.name,
        rule.kind.as_str(),
        rule.scope.as_str()
    );
    let _ = writeln!(out, "\nThe draft's parts:");
    for region in &doc.regions {
        let a = source.line_col(region.span.start);
        let b = source.line_col(region.span.end);
        let _ = writeln!(
            out,
            "  {:<13} {}:{}-{}:{}  {} word{}",
            part_name(region.part),
            a.line,
            a.column,
            b.line,
            b.column,
            region.words.len(),
            if region.words.len() == 1 { "" } else { "s" }
        );
    }
    if !doc.quoted.is_empty() {
        let _ = writeln!(
            out,
            "  ({} quoted block(s), never linted)",
            doc.quoted.len()
        );
    }
    let hits = linter.trace(&doc, index);
    let _ = writeln!(out, "\nWhat the rule's phrases and patterns matched:");
    if hits.is_empty() {
        let _ = writeln!(out, "  nothing");
    }
    for h in &hits {
        let lc = source.line_col(h.span.start);
        let _ = writeln!(
            out,
            "  {}:{}  {:?}  by {}: {}",
            lc.line,
            lc.column,
            source.slice(h.span),
            h.by,
            h.verdict.describe()
        );
        // How the phrase lined up: `@job "role" · ...5 "still very" · ...`.
        if !h.parts.is_empty() {
            let parts: Vec<String> = h
                .parts
                .iter()
                .map(|p| {
                    let form = if p.form { " (a form)" } else { "" };
                    format!("{} {:?}{form}", p.written, source.slice(p.span))
                })
                .collect();
            let _ = writeln!(out, "      {}", parts.join(" \u{b7} "));
        }
    }
    let mut only = linter.settings().clone();
    for (i, cfg) in only.rules.iter_mut().enumerate() {
        if i != index {
            cfg.severity = None;
        }
    }
    let report = linter.with_settings(only).lint_document(&doc);
    let check = report.checks.iter().find(|c| c.rule == rule.id);
    let _ = writeln!(out, "\nResult:");
    match check {
        None => {
            let _ = writeln!(
                out,
                "  not evaluated (a timing rule needs an interview date: front matter `interview:` or config)"
            );
        }
        Some(c) if c.passed => {
            let _ = write!(out, "  passed");
            if let Some(e) = c.evidence {
                let lc = source.line_col(e.start);
                let _ = write!(
                    out,
                    ": satisfied by {:?} at {}:{}",
                    source.slice(e),
                    lc.line,
                    lc.column
                );
            }
            if let (Some(v), Some(l)) = (c.value, c.limit) {
                let _ = write!(out, " (measured {v}, limit {l})");
            }
            let _ = writeln!(out);
        }
        Some(c) => {
            if let (Some(v), Some(l)) = (c.value, c.limit) {
                let _ = writeln!(out, "  measured {v}, limit {l}");
            }
            if rule.is_presence() {
                let counted = hits
                    .iter()
                    .filter(|h| h.verdict == Verdict::Counted)
                    .count();
                let why = if hits.is_empty() {
                    "none of its phrases or patterns occur in the draft".to_string()
                } else if counted == 0 {
                    format!(
                        "{} match(es) were found, but none counted (see above)",
                        hits.len()
                    )
                } else {
                    "its matches are not where the rule needs them (see `paragraph:`/`scope`)"
                        .to_string()
                };
                let _ = writeln!(out, "  missing: {why}");
            }
            for d in report.diagnostics.iter().filter(|d| d.rule == rule.id) {
                let lc = source.line_col(d.span.start);
                let _ = writeln!(
                    out,
                    "  {}:{}:{}: {}[{}] {}",
                    source.name,
                    lc.line,
                    lc.column,
                    d.severity.as_str(),
                    d.rule,
                    d.message
                );
            }
        }
    }
}
