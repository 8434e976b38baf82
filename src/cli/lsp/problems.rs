//! A config or rule file that cannot be used, as diagnostics: its
//! mistakes on each broken file, and one on the draft it stopped.

use super::convert::{Encoding, LineIndex, Target, file_uri};
use emaillint::config::ConfigError;
use lsp_types as lsp;

fn diagnostic(range: lsp::Range, message: String) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range,
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        code: Some(lsp::NumberOrString::String("config".into())),
        source: Some("emaillint".into()),
        message,
        ..Default::default()
    }
}

/// The diagnostics of each broken file that is on disk, and the one for the
/// draft (at its start, pointing at the first mistake).
pub(crate) fn config_error(
    e: &ConfigError,
    encoding: Encoding,
) -> (Vec<(lsp::Uri, Vec<lsp::Diagnostic>)>, lsp::Diagnostic) {
    let origin = lsp::Range::default();
    let load = match e {
        ConfigError::Usage(m) => return (Vec::new(), diagnostic(origin, m.clone())),
        ConfigError::Files(load) => load,
    };
    let mut files = Vec::new();
    let mut first = None;
    for (i, file) in load.files.iter().enumerate() {
        let Some(uri) = file_uri(&file.name) else {
            continue;
        };
        let index = LineIndex::new(&file.text);
        let at = Target {
            uri: &uri,
            text: &file.text,
            index: &index,
            encoding,
        };
        let diagnostics: Vec<lsp::Diagnostic> = load
            .errors
            .iter()
            .filter(|err| err.file == i)
            .map(|err| {
                let mut message = err.message.clone();
                if let Some(l) = &err.label {
                    message.push_str(&format!(" ({l})"));
                }
                for n in &err.notes {
                    message.push_str(&format!("\nnote: {n}"));
                }
                diagnostic(err.span.map_or(origin, |s| at.range(s)), message)
            })
            .collect();
        if let Some(d) = diagnostics.first() {
            first.get_or_insert_with(|| lsp::Location::new(uri.clone(), d.range));
            files.push((uri, diagnostics));
        }
    }
    let n = load.errors.len();
    let names: Vec<&str> = load
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| load.errors.iter().any(|e| e.file == *i))
        .map(|(_, f)| f.name.as_str())
        .collect();
    let mut on_draft = diagnostic(
        origin,
        format!(
            "not linted: {n} problem{} in {}",
            if n == 1 { "" } else { "s" },
            names.join(", ")
        ),
    );
    on_draft.related_information = first.map(|location| {
        vec![lsp::DiagnosticRelatedInformation {
            location,
            message: "the first problem".into(),
        }]
    });
    (files, on_draft)
}
