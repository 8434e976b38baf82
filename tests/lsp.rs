//! `emaillint lsp` driven as an editor drives it: the real binary, JSON-RPC
//! over its standard input and output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_emaillint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            while let Some(m) = read_message(&mut stdout) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (other messages are dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message that `want` accepts.
    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if want(&m) => return m,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no such message from the server"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server stopped"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        self.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            ["params"]
            .clone()
    }

    fn initialize(&mut self, encodings: &[&str]) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {"general": {"positionEncodings": encodings}},
            }),
        );
        self.notify("initialized", json!({}));
        result["result"].clone()
    }

    fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Two emoji before the placeholder: 8 bytes, 4 UTF-16 units, 2 characters.
const DRAFT: &str = "Dear Ms. Park,\n\n😀😀 [Name] here. Thank you for meeting me yesterday. I am still very interested in the role and would love to meet again at your convenience. In order to show my work, I attach a sample.\n\nBest regards,\nSam\n";

fn with_rules(dir: &Path) {
    std::fs::create_dir(dir.join("my-rules")).unwrap();
    std::fs::write(
        dir.join("my-rules/wordy.yaml"),
        "rules:\n  - id: wordy\n    kind: substitute\n    severity: info\n    message: “{match}” can be “{replacement}”\n    swap:\n      in order to: to\n    examples:\n      pass: [To show my work, I attach a sample.]\n      fail: [In order to show my work, I attach a sample.]\n",
    )
    .unwrap();
    std::fs::write(dir.join(".emaillint.yaml"), "rule_dirs: [my-rules]\n").unwrap();
}

fn find<'a>(published: &'a Value, code: &str) -> Option<&'a Value> {
    published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == code)
}

#[test]
fn an_editor_session_open_change_fix_reload_and_exit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    with_rules(&dir);
    let draft = dir.join("draft.txt");
    std::fs::write(&draft, DRAFT).unwrap();
    let draft_uri = uri(&draft);

    let mut client = Client::start(&dir);
    let caps = client.initialize(&["utf-16"]);
    assert_eq!(caps["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        caps["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental"
    );
    assert_eq!(
        caps["capabilities"]["textDocumentSync"]["save"]["includeText"],
        false
    );

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": draft_uri, "languageId": "plaintext", "version": 1, "text": DRAFT}}),
    );
    let published = client.diagnostics(&draft_uri);
    assert_eq!(published["version"], 1);
    let placeholder = find(&published, "placeholder").expect("the placeholder is reported");
    // UTF-16 columns: the two emoji count 4, not 8 bytes or 2 characters.
    assert_eq!(
        placeholder["range"]["start"],
        json!({"line": 2, "character": 5})
    );
    assert_eq!(
        placeholder["range"]["end"],
        json!({"line": 2, "character": 11})
    );
    assert_eq!(placeholder["severity"], 1);
    assert_eq!(placeholder["source"], "emaillint");
    let help = &placeholder["relatedInformation"][0];
    assert!(
        help["message"].as_str().unwrap().starts_with("help: "),
        "{help}"
    );
    // A rule from a file on disk links to its definition.
    let wordy = find(&published, "wordy").expect("the user rule fires");
    let href = wordy["codeDescription"]["href"].as_str().unwrap();
    assert!(href.ends_with("/my-rules/wordy.yaml"), "{href}");

    // Quick fixes: the safe swap is preferred, the inserted reference is not.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": draft_uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 7, "character": 0}},
            "context": {"diagnostics": []},
        }),
    )["result"]
        .clone();
    let actions = actions.as_array().expect("code actions");
    let swap = actions
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "wordy")
        .expect("a fix for the wordy phrase");
    assert_eq!(swap["kind"], "quickfix");
    assert_eq!(swap["isPreferred"], true);
    let edit = &swap["edit"]["changes"][&draft_uri][0];
    assert_eq!(edit["newText"], "To");
    let line = DRAFT.lines().nth(2).unwrap();
    let col16 = line[..line.find("In order to").unwrap()]
        .encode_utf16()
        .count();
    assert_eq!(
        edit["range"]["start"],
        json!({"line": 2, "character": col16})
    );
    let reference = actions
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "references")
        .expect("a suggested reference");
    assert_eq!(reference["isPreferred"], false);

    // An incremental change, in UTF-16 positions: fill in the placeholder.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": draft_uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 2, "character": 5}, "end": {"line": 2, "character": 11}},
                "text": "Sam Lee",
            }],
        }),
    );
    let published = client.diagnostics(&draft_uri);
    assert_eq!(published["version"], 2);
    assert!(find(&published, "placeholder").is_none(), "{published}");
    // The emoji stayed: the swap moved by one UTF-16 unit ("Sam Lee" is one longer).
    let wordy = find(&published, "wordy").unwrap();
    assert_eq!(wordy["range"]["start"]["character"], col16 + 1);

    // A full-text change (no range), then a save: linted each time.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": draft_uri, "version": 3},
            "contentChanges": [{"text": DRAFT}],
        }),
    );
    let published = client.diagnostics(&draft_uri);
    assert_eq!(published["version"], 3);
    assert!(find(&published, "placeholder").is_some(), "{published}");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": draft_uri}}),
    );
    assert_eq!(client.diagnostics(&draft_uri)["version"], 3);

    // A broken config: a diagnostic on the config, one on the draft, and
    // the server still answers.
    let config = dir.join(".emaillint.yaml");
    std::fs::write(&config, "rule_dirs: [my-rules]\nrules:\n  refrences: off\n").unwrap();
    let config_uri = uri(&config);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let on_config = client.diagnostics(&config_uri);
    let mistake = &on_config["diagnostics"][0];
    assert!(
        mistake["message"]
            .as_str()
            .unwrap()
            .contains("unknown rule `refrences`"),
        "{mistake}"
    );
    assert_eq!(mistake["range"]["start"]["line"], 2);
    let on_draft = client.diagnostics(&draft_uri);
    let stopped = &on_draft["diagnostics"][0];
    assert!(
        stopped["message"]
            .as_str()
            .unwrap()
            .starts_with("not linted: 1 problem"),
        "{stopped}"
    );

    // Fixed: the config's diagnostics are cleared and the new settings apply.
    std::fs::write(
        &config,
        "rule_dirs: [my-rules]\nrules:\n  references: off\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&config_uri)["diagnostics"], json!([]));
    let published = client.diagnostics(&draft_uri);
    assert!(find(&published, "references").is_none(), "{published}");
    assert!(find(&published, "wordy").is_some(), "{published}");

    assert_eq!(client.stop(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let draft = dir.join("draft.txt");
    let draft_uri = uri(&draft);
    let mut client = Client::start(&dir);
    let caps = client.initialize(&["utf-8", "utf-16"]);
    assert_eq!(caps["capabilities"]["positionEncoding"], "utf-8");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": draft_uri, "languageId": "plaintext", "version": 7, "text": DRAFT}}),
    );
    let published = client.diagnostics(&draft_uri);
    let placeholder = find(&published, "placeholder").unwrap();
    assert_eq!(
        placeholder["range"]["start"],
        json!({"line": 2, "character": 9})
    );
    // An unsaved buffer, and a change whose range runs past the text and
    // into the middle of the emoji: clamped, never a dead server.
    let untitled = "untitled:Untitled-1";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": untitled, "languageId": "markdown", "version": 1, "text": DRAFT}}),
    );
    assert!(find(&client.diagnostics(untitled), "placeholder").is_some());
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": untitled, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 2, "character": 2}, "end": {"line": 999, "character": 999}},
                "text": "",
            }],
        }),
    );
    let published = client.diagnostics(untitled);
    assert_eq!(published["version"], 2);
    assert!(find(&published, "placeholder").is_none(), "{published}");

    // An unknown request is an error reply, not a dead server.
    let reply = client.request("textDocument/hover", json!({}));
    assert_eq!(reply["error"]["code"], -32601);
    assert_eq!(client.stop(), 0);
}
