//! `--format sarif` is valid SARIF 2.1.0 (the OASIS JSON schema, vendored
//! in tests/schemas/sarif-2.1.0.json, checked offline), every `ruleId` it
//! uses is described in `driver.rules` with the pack's metadata, and fixes
//! are SARIF `fixes` whose replacements rebuild what `--fix` writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let o = Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), doc)
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}\n{doc:#}", errors.join("\n"));
}

/// A directory with a draft of every kind of result: rule diagnostics with
/// fixes, an unused suppression, a syntax problem, an empty draft, and an
/// encoded email.
fn drafts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = dir.path();
    std::fs::copy(
        root.join("fixtures/examples/needs-work.md"),
        d.join("needs work.md"),
    )
    .unwrap();
    std::fs::copy(
        root.join("fixtures/eml/apple-mail.eml"),
        d.join("apple.eml"),
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "\n").unwrap();
    // A rule with safe fixes (the pack's fixes are all suggestions).
    std::fs::create_dir(d.join("rules")).unwrap();
    std::fs::write(
        d.join("rules/wordy.yaml"),
        "rules:\n  - id: wordy\n    kind: substitute\n    severity: info\n    message: \"{match} can be {replacement}\"\n    swap:\n      in order to: to\n      at this point in time: now\n",
    )
    .unwrap();
    std::fs::write(
        d.join("wordy.txt"),
        "Subject: Tuesday\n\nDear Ms. Chen,\n\nThank you for meeting me. In order to show my work, I rebuilt the model, and at this point in time\nit runs in a minute.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    std::fs::write(
        d.join("odd.md"),
        "---\ninterview: soon\n---\n<!-- emaillint-disable-next-line sob-story -->\nDear Ms. Chen,\n\nThank you for meeting me.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    dir
}

#[test]
fn sarif_output_is_valid_and_every_rule_id_is_described() {
    let v = validator();
    let dir = drafts();
    let (code, doc) = run(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--no-config",
            "--rules",
            "rules",
            ".",
            "missing.txt",
        ],
    );
    assert_eq!(code, Some(2));
    assert_valid(&v, &doc);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let results = run["results"].as_array().unwrap();
    let used: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    for pseudo in ["empty", "syntax", "unused-suppression", "wordy"] {
        assert!(used.contains(pseudo), "no {pseudo} result: {used:?}");
    }
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[i], id, "ruleIndex of {id}");
    }
    // The pack's metadata: help text, rationale, default severity.
    let references = rules.iter().find(|r| r["id"] == "references").unwrap();
    assert!(
        references["help"]["text"]
            .as_str()
            .unwrap()
            .contains("vouch for you")
    );
    assert_eq!(references["defaultConfiguration"]["level"], "warning");
    assert_ne!(
        references["fullDescription"]["text"], references["shortDescription"]["text"],
        "the rationale, not the summary again"
    );
    let thanks = rules.iter().find(|r| r["id"] == "thanks").unwrap();
    assert_eq!(thanks["defaultConfiguration"]["level"], "error");
    // The unreadable input is a notification, and the run says it failed.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert!(
        inv["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(
                |n| n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "missing.txt"
            )
    );
    // Spaces in a path are escaped in the URI.
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "./needs%20work.md"
    }));
}

#[test]
fn the_schema_check_catches_a_broken_document() {
    let v = validator();
    let dir = drafts();
    let (_, mut doc) = run(
        dir.path(),
        &["--format", "sarif", "--no-config", "needs work.md"],
    );
    assert_valid(&v, &doc);
    doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!v.is_valid(&doc));
}

#[test]
fn sarif_fixes_rebuild_what_fix_writes() {
    let dir = drafts();
    let (_, doc) = run(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--no-config",
            "--rules",
            "rules",
            "wordy.txt",
        ],
    );
    let original = std::fs::read_to_string(dir.path().join("wordy.txt")).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let with_fixes: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert!(!with_fixes.is_empty(), "{doc:#}");
    // Apply the safe ones by byte region, as a SARIF consumer would.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for r in &with_fixes {
        let fix = &r["fixes"][0];
        assert!(
            fix["description"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        if fix["properties"]["applicability"] != "safe" {
            continue;
        }
        for rep in fix["artifactChanges"][0]["replacements"]
            .as_array()
            .unwrap()
        {
            let region = &rep["deletedRegion"];
            let start = region["byteOffset"].as_u64().unwrap() as usize;
            let len = region["byteLength"].as_u64().unwrap() as usize;
            edits.push((
                start,
                start + len,
                rep["insertedContent"]["text"].as_str().unwrap().into(),
            ));
        }
    }
    assert_eq!(edits.len(), 2, "{doc:#}");
    edits.sort();
    let mut fixed = String::new();
    let mut pos = 0;
    for (s, e, text) in &edits {
        fixed.push_str(&original[pos..*s]);
        fixed.push_str(text);
        pos = *e;
    }
    fixed.push_str(&original[pos..]);
    let o = Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(dir.path())
        .args(["--fix", "--no-config", "--rules", "rules", "wordy.txt"])
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c < 2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("wordy.txt")).unwrap(),
        fixed
    );
    assert!(fixed.contains("To show my work") && fixed.contains("and now\nit runs"));
}

#[test]
fn an_encoded_email_gets_no_regions_and_no_fixes() {
    let dir = drafts();
    let (_, doc) = run(
        dir.path(),
        &["--format", "sarif", "--no-config", "apple.eml"],
    );
    assert_valid(&validator(), &doc);
    for r in doc["runs"][0]["results"].as_array().unwrap() {
        assert!(
            r["locations"][0]["physicalLocation"]
                .get("region")
                .is_none()
        );
        assert!(r.get("fixes").is_none());
    }
}

/// A broken config or rule file: still one valid document on stdout in
/// every machine-readable format, pointing at the mistake; exit code 2.
#[test]
fn a_broken_config_still_gives_a_valid_document_pointing_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join(".emaillint.yaml"),
        "profile: thank-you\nrules:\n  lenght: off\n",
    )
    .unwrap();
    std::fs::write(
        d.join("d.txt"),
        "Dear Ms. Chen,\n\nThank you.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();

    let (code, sarif) = run(d, &["--format", "sarif", "d.txt"]);
    assert_eq!(code, Some(2));
    assert_valid(&validator(), &sarif);
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("unknown rule `lenght`")
    );
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("did you mean `length`?")
    );
    let loc = &n["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], ".emaillint.yaml");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(loc["region"]["startColumn"], 3);

    let (code, json) = run(d, &["--format", "json", "d.txt"]);
    assert_eq!(code, Some(2));
    assert_eq!(json["files"], serde_json::json!([]));
    let e = &json["errors"][0];
    assert_eq!(e["path"], ".emaillint.yaml");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(3))
    );

    let o = Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(d)
        .args(["--format", "github", "d.txt"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.starts_with("::error file=.emaillint.yaml,line=3,col=3,endLine=3,endColumn=9,title=emaillint (config)::unknown rule `lenght`"),
        "{out}"
    );
    // The human rendering is still on stderr.
    assert!(String::from_utf8(o.stderr).unwrap().contains("lenght: off"));

    // A broken rule file given with --rules, and a bad option value.
    std::fs::remove_file(d.join(".emaillint.yaml")).unwrap();
    std::fs::create_dir(d.join("r")).unwrap();
    std::fs::write(
        d.join("r/bad.yaml"),
        "rules:\n  - id: x\n    kind: forbidd\n",
    )
    .unwrap();
    let (code, sarif) = run(d, &["--format", "sarif", "--rules", "r", "d.txt"]);
    assert_eq!(code, Some(2));
    assert_valid(&validator(), &sarif);
    let uri = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]
        ["physicalLocation"]["artifactLocation"]["uri"];
    assert!(uri.as_str().unwrap().ends_with("r/bad.yaml"), "{sarif:#}");
    let (code, json) = run(d, &["--format", "json", "--enable", "nope", "d.txt"]);
    assert_eq!(code, Some(2));
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown rule `nope`")
    );
}
