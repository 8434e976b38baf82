//! `emaillint lsp`: a language server on standard input and output.
//!
//! Each open draft is linted on open, on every change (full or incremental
//! sync) and on save, with the `Linter` of the config that applies to it:
//! `.emaillint.yaml` is discovered from the draft's directory, as on the
//! command line, and each config's rules are compiled once and kept, so a
//! keystroke costs one lint, never a rebuild. When a config or rule file
//! changes (`workspace/didChangeWatchedFiles`, or a YAML file saved in the
//! editor) the configs are read again and every open draft re-linted. A
//! config or rule file with mistakes becomes diagnostics on that file and
//! one on each draft it stops; the server keeps running.

mod convert;
mod problems;
mod state;

use super::Error;
use super::args::ConfigArgs;
use super::exit;
use convert::Encoding;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use state::State;

fn protocol(e: impl std::fmt::Display) -> Error {
    Error::Message(format!("language server: {e}"))
}

/// Serve one client until it says `exit`: exit code 0 after `shutdown`,
/// 1 without (as the protocol asks).
pub(crate) fn run(args: &ConfigArgs) -> Result<u8, Error> {
    let (connection, io_threads) = Connection::stdio();
    let code = serve(&connection, args)?;
    drop(connection);
    io_threads.join().map_err(protocol)?;
    Ok(code)
}

fn serve(connection: &Connection, args: &ConfigArgs) -> Result<u8, Error> {
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let params: lsp::InitializeParams = serde_json::from_value(params).map_err(protocol)?;
    let encoding = Encoding::negotiate(&params.capabilities);
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    };
    let result = lsp::InitializeResult {
        capabilities,
        server_info: Some(lsp::ServerInfo {
            name: "emaillint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(protocol)?;
    connection.initialize_finish(id, result).map_err(protocol)?;
    let mut state = State::new(connection, encoding, args.clone());
    if watches_files(&params.capabilities) {
        state.register_watchers();
    }
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).map_err(protocol)? {
                    return Ok(exit::OK);
                }
                let response = request(&mut state, req);
                state.send(response.into());
            }
            Message::Notification(n) if n.method == "exit" => return Ok(exit::PROBLEMS),
            Message::Notification(n) => notification(&mut state, n),
            Message::Response(_) => {}
        }
    }
    Ok(exit::PROBLEMS)
}

/// Can the client watch files for us (`client/registerCapability`)?
fn watches_files(caps: &lsp::ClientCapabilities) -> bool {
    caps.workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

fn request(state: &mut State, req: Request) -> Response {
    match req.method.as_str() {
        "textDocument/codeAction" => match serde_json::from_value(req.params) {
            Ok(params) => Response::new_ok(req.id, state.code_actions(&params)),
            Err(e) => Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
        },
        _ => Response::new_err(
            req.id,
            ErrorCode::MethodNotFound as i32,
            format!("emaillint does not answer {}", req.method),
        ),
    }
}

fn notification(state: &mut State, n: Notification) {
    fn params<T: serde::de::DeserializeOwned>(n: Notification) -> Option<T> {
        serde_json::from_value(n.params).ok()
    }
    match n.method.as_str() {
        "textDocument/didOpen" => {
            if let Some(p) = params::<lsp::DidOpenTextDocumentParams>(n) {
                state.open(p.text_document);
            }
        }
        "textDocument/didChange" => {
            if let Some(p) = params::<lsp::DidChangeTextDocumentParams>(n) {
                state.change(p.text_document, p.content_changes);
            }
        }
        "textDocument/didSave" => {
            if let Some(p) = params::<lsp::DidSaveTextDocumentParams>(n) {
                state.saved(&p.text_document.uri);
            }
        }
        "textDocument/didClose" => {
            if let Some(p) = params::<lsp::DidCloseTextDocumentParams>(n) {
                state.close(&p.text_document.uri);
            }
        }
        "workspace/didChangeWatchedFiles" => state.reload(),
        _ => {}
    }
}
