//! Mistakes in the YAML files emaillint reads (rule files and configs),
//! each with the file and span it is about. The rule loader and the config
//! make them; the reporters render them; neither imports the other.

use crate::source::SourceFile;
use crate::span::Span;

/// A mistake in a rule or config file.
#[derive(Debug, Clone)]
pub struct RuleError {
    /// Index into the loader's files.
    pub file: usize,
    pub span: Option<Span>,
    pub message: String,
    pub label: Option<String>,
    pub notes: Vec<String>,
    /// Other places worth showing (file, span, label).
    pub related: Vec<(usize, Span, String)>,
}

impl RuleError {
    pub fn new(file: usize, span: Option<Span>, message: impl Into<String>) -> Self {
        RuleError {
            file,
            span,
            message: message.into(),
            label: None,
            notes: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Rule files that could not be loaded, with every error found in them.
#[derive(Debug)]
pub struct LoadError {
    pub files: Vec<SourceFile>,
    pub errors: Vec<RuleError>,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in &self.errors {
            let file = self
                .files
                .get(e.file)
                .map_or("<rules>", |f| f.name.as_str());
            match e.span {
                Some(s) => {
                    let lc = self.files[e.file].line_col(s.start);
                    writeln!(f, "{file}:{}:{}: {}", lc.line, lc.column, e.message)?
                }
                None => writeln!(f, "{file}: {}", e.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}
