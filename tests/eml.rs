//! Real `.eml` files, as mail clients save them (fixtures/eml: our own
//! Thunderbird, Apple Mail, Outlook and Gmail look-alikes, an HTML-only
//! message and an 8-bit ISO-8859-1 one). Each holds the same email as
//! fixtures/eml/body.txt, so each must be linted like it: the same
//! diagnostics on the same words, the same counts, attachments and other
//! alternatives left out, and spans that are exact (in the file when the
//! body is stored as-is, in `decoded.text` when it is encoded).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/eml")
        .join(name)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let o = run(Path::new(env!("CARGO_MANIFEST_DIR")), args);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The one file entry of `--format json FILE`.
fn file_json(path: &Path) -> Value {
    let doc = json(&["--format", "json", "--no-config", path.to_str().unwrap()]);
    assert_eq!(doc["errors"], serde_json::json!([]), "{doc:#}");
    doc["files"][0].clone()
}

fn span_of(v: &Value) -> (usize, usize) {
    (
        v["span"]["start"].as_u64().unwrap() as usize,
        v["span"]["end"].as_u64().unwrap() as usize,
    )
}

/// (rule, text at the span) of every diagnostic, sliced out of `text`.
fn slices(file: &Value, text: &[u8]) -> Vec<(String, String)> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (s, e) = span_of(d);
            let slice = std::str::from_utf8(&text[s..e]).unwrap().to_string();
            (d["rule"].as_str().unwrap().to_string(), slice)
        })
        .collect()
}

const STORED: &[&str] = &["thunderbird.eml", "gmail.eml"];
const ENCODED: &[(&str, &str)] = &[
    ("apple-mail.eml", "quoted-printable"),
    ("outlook.eml", "quoted-printable"),
    ("html-only.eml", "HTML"),
    ("latin1.eml", "charset iso-8859-1"),
];

/// What the same email gets as plain text, less the `subject` diagnostic
/// (every .eml has a subject).
fn expected() -> (Vec<(String, String)>, Value) {
    let path = fixture("body.txt");
    let f = file_json(&path);
    let mut s = slices(&f, &std::fs::read(&path).unwrap());
    s.retain(|(rule, _)| rule != "subject");
    (s, f["stats"].clone())
}

#[test]
fn a_stored_body_is_linted_in_place_with_file_spans() {
    let (want, stats) = expected();
    assert!(want.contains(&("desperation".into(), "I am begging you".into())));
    for name in STORED {
        let path = fixture(name);
        let raw = std::fs::read(&path).unwrap();
        let f = file_json(&path);
        assert!(f.get("decoded").is_none(), "{name}: {f:#}");
        // Same words, same diagnostics: the attachment (which also begs)
        // and the HTML alternative are not linted, nor are MIME headers.
        assert_eq!(slices(&f, &raw), want, "{name}");
        assert_eq!(f["stats"], stats, "{name}");
        // The subject, an encoded word or not, counts and points at the header.
        let subject = f["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == "subject")
            .unwrap();
        assert_eq!(subject["passed"], true, "{name}");
        let (s, e) = span_of(&subject["evidence"]);
        let header_value = std::str::from_utf8(&raw[s..e]).unwrap();
        assert!(
            header_value.starts_with("=?UTF-8?"),
            "{name}: {header_value:?}"
        );
    }
}

#[test]
fn an_encoded_subject_is_read_decoded() {
    let set = emaillint::RuleSet::builtin().unwrap();
    let text = std::fs::read_to_string(fixture("thunderbird.eml")).unwrap();
    let doc = emaillint::Document::parse(&text, emaillint::Format::Email, &set.vocab);
    assert!(
        doc.prose
            .text
            .starts_with("Following up on Tuesday's interview for the analyst role\n\n"),
        "{:?}",
        &doc.prose.text[..80]
    );
    let text = std::fs::read_to_string(fixture("gmail.eml")).unwrap();
    let doc = emaillint::Document::parse(&text, emaillint::Format::Email, &set.vocab);
    assert!(
        doc.prose
            .text
            .starts_with("Tuesday's interview \u{2013} one more conversation?"),
        "{:?}",
        &doc.prose.text[..60]
    );
}

#[test]
fn an_encoded_body_is_linted_decoded_and_json_says_so() {
    let (want, stats) = expected();
    for (name, encoding) in ENCODED {
        let f = file_json(&fixture(name));
        assert_eq!(f["decoded"]["encoding"], *encoding, "{name}");
        let text = f["decoded"]["text"].as_str().unwrap();
        // The decoded text is a small message: subject, date, the body.
        assert!(text.starts_with("Subject: "), "{name}: {text}");
        assert!(text.contains("\nDate: "), "{name}: {text}");
        assert!(
            !text.contains("=\n") && !text.contains("=\r\n"),
            "{name}: soft breaks left"
        );
        assert!(!text.contains('<'), "{name}: markup left: {text}");
        // Spans are exact in the decoded text.
        assert_eq!(slices(&f, text.as_bytes()), want, "{name}");
        assert_eq!(f["stats"], stats, "{name}");
    }
    // Outlook's windows-1252 apostrophe (=92) comes out as U+2019, and
    // ISO-8859-1's byte 0xEA as U+00EA.
    let f = file_json(&fixture("outlook.eml"));
    assert!(
        f["decoded"]["text"]
            .as_str()
            .unwrap()
            .contains("didn\u{2019}t show")
    );
    let f = file_json(&fixture("latin1.eml"));
    assert!(
        f["decoded"]["text"]
            .as_str()
            .unwrap()
            .contains("Cr\u{ea}perie Harlow")
    );
}

#[test]
fn other_formats_do_not_point_at_the_wrong_lines_of_an_encoded_email() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = "fixtures/eml/apple-mail.eml";
    // GitHub annotations: the file, no line of it; the place is in the message.
    let o = run(root, &["--format", "github", "--no-config", path]);
    let out = String::from_utf8(o.stdout).unwrap();
    let line = out
        .lines()
        .find(|l| l.contains("(desperation)"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with("::warning file=fixtures/eml/apple-mail.eml,title="),
        "{line}"
    );
    assert!(!line.contains(",line="), "{line}");
    assert!(
        line.contains("line 10, column 183 of the decoded text"),
        "{line}"
    );
    // SARIF: a result on the file without a region.
    let sarif = json(&["--format", "sarif", "--no-config", path]);
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "desperation")
        .unwrap()
        .clone();
    let loc = &result["locations"][0]["physicalLocation"];
    assert!(loc.get("region").is_none(), "{result:#}");
    // Human output names the decoded text at each excerpt and says why.
    let o = run(root, &["--color", "never", "--no-config", path]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("apple-mail.eml (decoded):10:183"), "{out}");
    assert!(
        out.contains("the body is stored as quoted-printable"),
        "{out}"
    );
    // A stored body keeps the file's own lines.
    let o = run(
        root,
        &[
            "--format",
            "github",
            "--no-config",
            "fixtures/eml/gmail.eml",
        ],
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("file=fixtures/eml/gmail.eml,line=21,col=183,"),
        "{out}"
    );
}

#[test]
fn the_date_header_drives_the_timing_rules_decoded_or_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "interview: 2026-03-05\n",
    )
    .unwrap();
    for name in ["apple-mail.eml", "thunderbird.eml"] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    // Both are dated 5 March, the interview's day: too soon.
    for name in ["apple-mail.eml", "thunderbird.eml"] {
        let o = run(dir.path(), &["--format", "json", name]);
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        let diags = doc["files"][0]["diagnostics"].as_array().unwrap();
        assert!(
            diags.iter().any(|d| d["rule"] == "send-too-soon"),
            "{name}: {doc:#}"
        );
    }
}

#[test]
fn fix_never_rewrites_an_encoded_email_and_edits_only_the_plain_part_of_a_stored_one() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["outlook.eml", "thunderbird.eml"] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    let before = std::fs::read(dir.path().join("outlook.eml")).unwrap();
    let o = run(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--no-config", "outlook.eml"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("--fix cannot rewrite this email"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("outlook.eml")).unwrap(),
        before
    );
    // Standard input: nothing is printed in place of the message.
    let o = Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(dir.path())
        .args(["--fix", "--no-config", "--stdin-filename", "x.eml", "-"])
        .stdin(std::fs::File::open(dir.path().join("outlook.eml")).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());

    // A stored body: the reference offer goes into the text/plain part, in
    // its CRLF line endings; every other byte of the file stays.
    let path = dir.path().join("thunderbird.eml");
    let before = std::fs::read_to_string(&path).unwrap();
    let o = run(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--no-config", "thunderbird.eml"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let after = std::fs::read_to_string(&path).unwrap();
    let html = before
        .find("--------------u7Qz2Ln4Pa9KdWe6Yx0Tg3Hc\r\nContent-Type: text/html")
        .unwrap();
    let inserted = after.len() - before.len();
    assert!(
        after[..html + inserted].contains("as a reference.\r\n\r\nThank you again"),
        "{after}"
    );
    assert_eq!(after[html + inserted..], before[html..]);
    let f = file_json(&path);
    assert!(
        !f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "references"),
        "{f:#}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Broken MIME never panics: a fixture cut anywhere, with bytes
    /// changed, is decoded (or refused) and linted with spans in bounds.
    #[test]
    fn broken_mime_is_read_or_refused_never_a_panic(
        which in 0usize..6,
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, proptest::prelude::any::<u8>()), 0..8),
    ) {
        let names = ["thunderbird.eml", "gmail.eml", "apple-mail.eml", "outlook.eml", "html-only.eml", "latin1.eml"];
        let mut bytes = std::fs::read(fixture(names[which])).unwrap();
        bytes.truncate((bytes.len() as f64 * cut) as usize);
        let len = bytes.len();
        for (at, b) in flips {
            if len > 0 {
                bytes[((len - 1) as f64 * at) as usize] = b;
            }
        }
        if let Ok(p) = emaillint::document::prepare(bytes, emaillint::Format::Email) {
            let linter = emaillint::Linter::builtin().unwrap();
            let report = linter.lint(&p.text, emaillint::Format::Email);
            for d in &report.diagnostics {
                proptest::prop_assert!(d.span.end <= p.text.len());
                proptest::prop_assert!(p.text.is_char_boundary(d.span.start) && p.text.is_char_boundary(d.span.end));
            }
        }
    }
}
