//! The server's state: open drafts, one compiled `Linter` per config, and
//! which config and rule files carry diagnostics.

use super::convert::{self, Encoding, LineIndex, Target, file_uri};
use super::problems;
use crate::cli::args::ConfigArgs;
use emaillint::config::{self, ConfigError};
use emaillint::diagnostic::FileReport;
use emaillint::{Date, Format, Linter};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types as lsp;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An open document.
struct Doc {
    text: String,
    index: LineIndex,
    version: i32,
    language: String,
    path: Option<PathBuf>,
    /// The last report and, for each of its diagnostics, what was published.
    report: FileReport,
    published: Vec<lsp::Diagnostic>,
}

impl Doc {
    /// A config or rule file: not a draft, never linted as one.
    fn is_yaml(&self) -> bool {
        self.language == "yaml"
            || self
                .path
                .as_deref()
                .and_then(Path::extension)
                .is_some_and(|e| e == "yaml" || e == "yml")
    }

    fn format(&self) -> Format {
        match self.language.as_str() {
            "markdown" => Format::Markdown,
            "email" | "eml" | "mail" => Format::Email,
            _ => self.path.as_deref().map_or(Format::Text, Format::from_path),
        }
    }
}

type Resolved = Result<Arc<Linter>, Arc<ConfigError>>;

pub(crate) struct State<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    args: ConfigArgs,
    docs: HashMap<lsp::Uri, Doc>,
    /// By config path (None: no config), compiled once.
    linters: HashMap<Option<PathBuf>, Resolved>,
    /// Config and rule files that have diagnostics published on them.
    config_uris: HashSet<lsp::Uri>,
}

impl<'c> State<'c> {
    pub fn new(connection: &'c Connection, encoding: Encoding, args: ConfigArgs) -> State<'c> {
        State {
            connection,
            encoding,
            args,
            docs: HashMap::new(),
            linters: HashMap::new(),
            config_uris: HashSet::new(),
        }
    }

    pub fn send(&self, message: Message) {
        // The client is gone: the receiving loop ends on its own.
        let _ = self.connection.sender.send(message);
    }

    /// Ask the client to tell us when a config or rule file changes.
    pub fn register_watchers(&self) {
        let watchers = ["**/.emaillint.{yaml,yml}", "**/*.{yaml,yml}"]
            .into_iter()
            .map(|g| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(g.into()),
                kind: None,
            })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "emaillint-config-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(
            Request::new(
                RequestId::from("emaillint-register-watchers".to_string()),
                "client/registerCapability".into(),
                params,
            )
            .into(),
        );
    }

    pub fn open(&mut self, item: lsp::TextDocumentItem) {
        let path = convert::uri_to_path(&item.uri);
        let doc = Doc {
            index: LineIndex::new(&item.text),
            text: item.text,
            version: item.version,
            language: item.language_id,
            path,
            report: FileReport::default(),
            published: Vec::new(),
        };
        self.docs.insert(item.uri.clone(), doc);
        self.lint(&item.uri);
    }

    pub fn change(
        &mut self,
        id: lsp::VersionedTextDocumentIdentifier,
        changes: Vec<lsp::TextDocumentContentChangeEvent>,
    ) {
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(&id.uri) else {
            return;
        };
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = doc.index.offset(&doc.text, range.start, encoding);
                    let end = doc.index.offset(&doc.text, range.end, encoding);
                    let (start, end) = (start.min(end), start.max(end));
                    doc.text.replace_range(start..end, &change.text);
                }
                None => doc.text = change.text,
            }
            doc.index = LineIndex::new(&doc.text);
        }
        doc.version = id.version;
        self.lint(&id.uri);
    }

    pub fn saved(&mut self, uri: &lsp::Uri) {
        if self.docs.get(uri).is_some_and(Doc::is_yaml) {
            self.reload();
        } else {
            self.lint(uri);
        }
    }

    pub fn close(&mut self, uri: &lsp::Uri) {
        if self.docs.remove(uri).is_some() && !self.config_uris.contains(uri) {
            self.publish(uri.clone(), Vec::new(), None);
        }
    }

    /// Config or rule files changed: read them again, re-lint everything.
    pub fn reload(&mut self) {
        self.linters.clear();
        for uri in std::mem::take(&mut self.config_uris) {
            self.publish(uri, Vec::new(), None);
        }
        let uris: Vec<lsp::Uri> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.lint(&uri);
        }
    }

    /// The linter for drafts in `dir`, compiled the first time its config
    /// is met.
    fn linter(&mut self, dir: &Path) -> Resolved {
        let path = if self.args.no_config {
            None
        } else {
            self.args.config.clone().or_else(|| config::discover(dir))
        };
        let overrides = self.args.overrides();
        self.linters
            .entry(path)
            .or_insert_with_key(|path| {
                let resolved = config::resolve(path.as_deref(), &overrides).map_err(Arc::new)?;
                let mut settings = resolved.settings;
                settings.today.get_or_insert_with(Date::today);
                Ok(Arc::new(Linter::new(resolved.set, settings)))
            })
            .clone()
    }

    fn lint(&mut self, uri: &lsp::Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        if doc.is_yaml() {
            return;
        }
        let dir = doc
            .path
            .as_deref()
            .and_then(Path::parent)
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let linter = match self.linter(&dir) {
            Ok(l) => l,
            Err(e) => return self.config_failed(uri, &e),
        };
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let format = doc.format();
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            linter.lint(&doc.text, format)
        }));
        let report = report.unwrap_or_default();
        let at = Target {
            uri,
            text: &doc.text,
            index: &doc.index,
            encoding: self.encoding,
        };
        doc.published = report
            .diagnostics
            .iter()
            .map(|d| convert::diagnostic(d, &at, rule_docs(&linter, &d.rule).as_ref()))
            .collect();
        doc.report = report;
        let (published, version) = (doc.published.clone(), doc.version);
        self.publish(uri.clone(), published, Some(version));
    }

    /// A config or rule file is broken: its mistakes on it, and one
    /// diagnostic on the draft saying why it was not linted.
    fn config_failed(&mut self, uri: &lsp::Uri, e: &ConfigError) {
        let (files, on_draft) = problems::config_error(e, self.encoding);
        for (file_uri, diagnostics) in files {
            self.config_uris.insert(file_uri.clone());
            self.publish(file_uri, diagnostics, None);
        }
        let version = self.docs.get_mut(uri).map(|doc| {
            doc.report = FileReport::default();
            doc.published = Vec::new();
            doc.version
        });
        self.publish(uri.clone(), vec![on_draft], version);
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams::new(uri, diagnostics, version);
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    /// Quick fixes for the diagnostics in `params.range`.
    pub fn code_actions(&self, params: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let Some(doc) = self.docs.get(&params.text_document.uri) else {
            return Vec::new();
        };
        let at = Target {
            uri: &params.text_document.uri,
            text: &doc.text,
            index: &doc.index,
            encoding: self.encoding,
        };
        let wanted = params.range;
        doc.report
            .diagnostics
            .iter()
            .zip(&doc.published)
            .filter(|(_, p)| p.range.start <= wanted.end && wanted.start <= p.range.end)
            .filter_map(|(d, p)| convert::code_action(d, p.clone(), &at))
            .map(lsp::CodeActionOrCommand::CodeAction)
            .collect()
    }
}

/// The page documenting a rule: its rule file, when that is on disk.
fn rule_docs(linter: &Linter, id: &str) -> Option<lsp::Uri> {
    let rules = linter.rules();
    let rule = rules.get(id)?;
    file_uri(&rules.files.get(rule.origin.file)?.name)
}
