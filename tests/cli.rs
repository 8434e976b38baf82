//! The command line as a user meets it: output snapshots, exit codes, bad
//! input, standard input, fixes, configs and the subcommands.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_emaillint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c.env_remove("COLUMNS");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

#[test]
fn good_draft_is_clean_and_exits_zero() {
    let o = run(&["--color", "never", "fixtures/examples/second-chance.txt"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    insta::assert_snapshot!("human_good", stdout(&o));
}

#[test]
fn bad_draft_human_output() {
    let o = run(&["--color", "never", "fixtures/examples/needs-work.md"]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("human_bad", stdout(&o));
}

#[test]
fn bad_draft_json_output() {
    let o = run(&["--format", "json", "fixtures/examples/needs-work.md"]);
    assert_eq!(code(&o), 1);
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The tool version changes with every release; the rest is the schema.
    v["tool"]["version"] = "VERSION".into();
    insta::assert_snapshot!("json_bad", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn json_spans_slice_to_what_they_describe() {
    let o = run(&["--format", "json", "fixtures/examples/needs-work.md"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let src = std::fs::read_to_string(fixture("examples/needs-work.md")).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let placeholder = diags.iter().find(|d| d["rule"] == "placeholder").unwrap();
    let (a, b) = (
        placeholder["span"]["start"].as_u64().unwrap() as usize,
        placeholder["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&src[a..b], "[Name]");
    assert_eq!(placeholder["start"]["line"], 5);
    assert_eq!(placeholder["start"]["column"], 4);
}

#[test]
fn every_output_format_runs() {
    for format in ["concise", "github", "sarif"] {
        let o = run(&["--format", format, "fixtures/examples/needs-work.md"]);
        assert_eq!(code(&o), 1, "{format}");
        insta::assert_snapshot!(format!("format_{format}"), stdout(&o));
    }
}

#[test]
fn unreadable_inputs_are_named_and_the_rest_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("utf16.txt"), b"\xff\xfeH\x00i\x00").unwrap();
    std::fs::write(p("latin1.txt"), b"Dear Ren\xe9,\n").unwrap();
    std::fs::write(p("binary.txt"), b"\x7fELF\x02\x01\x01\x00\x00\x00").unwrap();
    let good = fixture("examples/second-chance.txt");
    let o = run_in(
        dir.path(),
        &[
            "--color",
            "never",
            "missing.txt",
            "utf16.txt",
            "latin1.txt",
            "binary.txt",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("error: missing.txt: no such file or directory"),
        "{err}"
    );
    assert!(err.contains("error: utf16.txt: is UTF-16 encoded"), "{err}");
    assert!(
        err.contains("error: latin1.txt: is not valid UTF-8: byte 0xE9 at line 1, column 9"),
        "{err}"
    );
    assert!(
        err.contains("error: binary.txt: looks like a binary file"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // The readable draft was still linted and reported.
    assert!(
        stdout(&o).contains("second-chance.txt:  ✓ thanks"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("4 files could not be read"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn errors_are_reported_even_when_nothing_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for format in ["human", "json"] {
        let o = run_in(dir.path(), &["--format", format, "nope.txt", "empty"]);
        assert_eq!(code(&o), 2);
        let err = stderr(&o);
        assert!(
            err.contains("error: nope.txt: no such file or directory"),
            "{err}"
        );
        assert!(err.contains("error: empty: no drafts found"), "{err}");
    }
    let o = run_in(dir.path(), &["--format", "json", "nope.txt"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"][0]["path"], "nope.txt");
}

#[test]
fn rules_check_wants_both_kinds_of_example() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(
        dir.path().join("r/x.yaml"),
        "rules:\n  - id: filler\n    kind: forbid\n    message: m\n    phrases: [hope you are well]\n    examples:\n      pass: [Thanks.]\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["rules", "check", "r"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("`filler` has no `fail` example"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_example_can_say_what_its_rule_must_match() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    let rules = "rules:
  - id: wordy
    kind: forbid
    message: m
    phrases: [in order to]
    examples:
      pass: [I wrote to ask.]
      fail:
        - {text: I wrote in order to ask., match: in order to}
        - {text: I wrote in order to ask., match: in order}
  - id: thanks
    kind: require
    message: m
    phrases: [thank you]
    examples:
      pass:
        - {text: Thank you for your time., match: Thank you}
        - {text: Thank you for your time., match: Thank you for}
      fail: [Hello.]
";
    std::fs::write(dir.path().join("r/x.yaml"), rules).unwrap();
    let o = run_in(dir.path(), &["rules", "check", "r"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    // The second example of each rule names text the rule does not match:
    // a diagnostic's span for `fail`, the counted match for `pass`; each
    // error points at the `match` value and says what was matched instead.
    assert!(
        out.contains("error: `fail` example 2 of `wordy` does not match \u{201C}in order\u{201D}"),
        "{out}"
    );
    assert!(
        out.contains("= it matched \u{201C}in order to\u{201D}"),
        "{out}"
    );
    assert!(
        out.contains(
            "error: `pass` example 2 of `thanks` does not match \u{201C}Thank you for\u{201D}"
        ),
        "{out}"
    );
    assert!(
        out.contains("= it matched \u{201C}Thank you\u{201D}"),
        "{out}"
    );
    assert!(out.ends_with("2 rules, 6 examples: 2 misbehave\n"), "{out}");
    let line = rules
        .lines()
        .position(|l| l.contains("match: in order}"))
        .unwrap()
        + 1;
    assert!(out.contains(&format!("x.yaml:{line}:")), "{out}");
}

#[test]
fn rules_check_dir_checks_the_directory_on_its_own() {
    // A copy of the built-in pack: it used to fail with a duplicate-id
    // error for every rule, because the built-in pack was loaded beside it.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("pack");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
    }
    let o = run_in(dir.path(), &["rules", "check", "pack"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("all behave as documented"),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("duplicate"), "{}", stderr(&o));
    // A directory of one rule that uses a built-in list still has it.
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(
        dir.path().join("mine/r.yaml"),
        "rules:\n  - id: wants-the-job\n    kind: require\n    message: m\n    phrases: [\"@job\"]\n    examples:\n      pass: [I want the job.]\n      fail: [Hello there.]\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["rules", "check", "mine"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with("1 rule, 2 examples"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn front_matter_settings_are_strict_and_a_disabled_rule_is_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let draft = |settings: &str| {
        format!(
            "---\nsubject: Tuesday\nemaillint: {settings}\n---\nDear Ms. Chen,\n\nThank you for meeting me on Tuesday. I remain very interested in the analyst role. Could we meet again whenever suits you?\n\nThank you again,\n\nBest regards,\nSam Lee\n"
        )
    };
    // A misspelt key is an error with a did-you-mean, not silently ignored.
    std::fs::write(dir.path().join("typo.md"), draft("{disabel: [references]}")).unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "typo.md"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("typo.md:3:13: error[syntax] unknown key `disabel` under `emaillint`; did you mean `disable`?"),
        "{}",
        stdout(&o)
    );
    std::fs::write(dir.path().join("shape.md"), draft("{disable: references}")).unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "shape.md"]);
    assert!(
        stdout(&o).contains("error[syntax] `disable` must be a list of rule ids"),
        "{}",
        stdout(&o)
    );
    // Disabled for the whole draft: no ✗, and not `passed: false`, but not
    // listed as passing either.
    std::fs::write(dir.path().join("off.md"), draft("{disable: [references]}")).unwrap();
    let human = stdout(&run_in(dir.path(), &["--color", "never", "off.md"]));
    assert!(!human.contains("references"), "{human}");
    let json = stdout(&run_in(dir.path(), &["--format", "json", "off.md"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let checks = v["files"][0]["checks"].as_array().unwrap();
    assert!(!checks.is_empty());
    assert!(checks.iter().all(|c| c["rule"] != "references"), "{json}");
}

#[test]
fn no_paths_is_a_usage_error() {
    let o = run(&[]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no drafts given"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let o = run(&["--frobnicate", "x.txt"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn directory_is_walked_for_drafts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(
        fixture("examples/second-chance.txt"),
        dir.path().join("sub/a.txt"),
    )
    .unwrap();
    std::fs::copy(fixture("examples/needs-work.md"), dir.path().join("b.md")).unwrap();
    std::fs::write(dir.path().join("notes.rs"), "fn main() {}").unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "."]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("b.md:5:4: error[placeholder]"), "{out}");
    assert!(!out.contains("notes.rs"), "{out}");
}

#[test]
fn stdin_needs_no_file_and_takes_a_format() {
    let text = std::fs::read_to_string(fixture("examples/needs-work.md")).unwrap();
    let mut child = bin()
        .args(["--format", "concise", "--input-format", "markdown", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("<stdin>:5:4: error[placeholder]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn deny_controls_the_exit_code() {
    // The good draft with references removed has only a warning.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("examples/second-chance.txt"))
        .unwrap()
        .replace(
            "My former manager, Luis Ortega, would be happy to act as a reference.\n\n",
            "",
        );
    std::fs::write(dir.path().join("d.txt"), text).unwrap();
    assert_eq!(code(&run_in(dir.path(), &["-q", "d.txt"])), 0);
    assert_eq!(
        code(&run_in(dir.path(), &["-q", "--deny", "warnings", "d.txt"])),
        1
    );
    assert_eq!(
        code(&run_in(
            dir.path(),
            &[
                "-q",
                "--deny",
                "warnings",
                "--disable",
                "references",
                "d.txt"
            ]
        )),
        0
    );
    let o = run_in(dir.path(), &["--disable", "refrences", "d.txt"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unknown rule `refrences` (did you mean `references`?)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn severities_have_one_name_everywhere() {
    // Human output, concise output and JSON all call the lowest severity
    // `info`; `note` (the compiler word) is accepted for it on input.
    let human = stdout(&run(&[
        "--color",
        "never",
        "fixtures/examples/needs-work.md",
    ]));
    assert!(human.contains("\ninfo[convenience]: "), "{human}");
    assert!(!human.contains("note["), "{human}");
    let concise = stdout(&run(&[
        "--format",
        "concise",
        "fixtures/examples/needs-work.md",
    ]));
    assert!(concise.contains(": info[convenience] "), "{concise}");
    let json = stdout(&run(&[
        "--format",
        "json",
        "fixtures/examples/needs-work.md",
    ]));
    assert!(json.contains("\"severity\": \"info\""), "{json}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.txt"),
        "Dear Ms. Chen,\n\nThank you for meeting me. I remain very interested in the role.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "rules:\n  meeting-request: note\n  thanks: info\n",
    )
    .unwrap();
    let listed = stdout(&run_in(dir.path(), &["rules"]));
    let line = listed
        .lines()
        .find(|l| l.starts_with("meeting-request "))
        .unwrap();
    assert!(line.contains(" info "), "{line}");
    for deny in ["info", "note"] {
        let o = run_in(dir.path(), &["-q", "--deny", deny, "d.txt"]);
        assert_eq!(code(&o), 1, "--deny {deny}: {}{}", stdout(&o), stderr(&o));
    }
    assert_eq!(code(&run_in(dir.path(), &["-q", "d.txt"])), 0);
}

#[test]
fn checklist_covers_every_rule_that_ran() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("note.txt"),
        "Dear Ms. Chen,\n\nThank you for talking with me on Tuesday. I remain very interested in the analyst role.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    let args = ["--profile", "thank-you", "note.txt"];
    let human = stdout(&run_in(
        dir.path(),
        &[&["--color", "never"][..], &args].concat(),
    ));
    let checklist: String = human
        .split("\nnote.txt:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .to_string();
    // Rules the profile turns off are not listed; a note with no account of
    // a bad interview shows no "0/40 words".
    assert!(!checklist.contains("meeting request"), "{checklist}");
    assert!(!checklist.contains("references"), "{checklist}");
    assert!(checklist.contains("\u{2713} excuse "), "{checklist}");
    assert!(!checklist.contains("0/40"), "{checklist}");
    // Every rule that ran is counted: a failing one by name, the rest as "+N more".
    let json = stdout(&run_in(
        dir.path(),
        &[&["--format", "json"][..], &args].concat(),
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let checks = v["files"][0]["checks"].as_array().unwrap();
    let marks = checklist.matches(['\u{2713}', '\u{2717}']).count();
    let more: usize = checklist
        .split('+')
        .nth(1)
        .and_then(|m| m.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    // "+N more ✓" has a mark of its own.
    assert_eq!(marks - 1 + more, checks.len(), "{checklist}");
    let failed = checks.iter().filter(|c| c["passed"] == false).count();
    assert!(failed > 0);
    assert_eq!(checklist.matches('\u{2717}').count(), failed, "{checklist}");
    // Wrapped to 80 columns.
    for line in checklist.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

#[test]
fn an_empty_draft_gets_one_diagnostic_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("empty.txt", ""),
        ("blank.md", " \n\n\t \r\n"),
        ("bom.txt", "\u{FEFF}\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let o = run_in(dir.path(), &["--format", "json", name]);
        assert_eq!(code(&o), 1, "{name}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let diags = v["files"][0]["diagnostics"].as_array().unwrap();
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert_eq!(diags[0]["rule"], "empty");
        assert_eq!(diags[0]["message"], "the draft is empty");
        // --fix has nothing to insert into an empty draft.
        let o = run_in(dir.path(), &["--fix", "--unsafe-fixes", "-q", name]);
        assert_eq!(code(&o), 1, "{name}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(name)).unwrap(),
            text
        );
    }
    let o = run_in(dir.path(), &["--color", "never", "empty.txt"]);
    assert_eq!(
        stdout(&o),
        "error[empty]: the draft is empty\n  ┌─ empty.txt:1:1\n  │\n1 │ \n  │ ^\n  │\n  = help: There is nothing to check yet: write the email (or check that this is\n          the file you meant), then run emaillint again.\n\n1 error in 1 file.\n"
    );
}

#[test]
fn messages_agree_in_number_and_system_errors_have_no_codes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("soon.md"),
        "---\ninterview: 2026-03-02\ndate: 2026-03-03\n---\nDear Ms. Chen,\n\nThank you for meeting me.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "soon.md"]);
    assert!(
        stdout(&o).contains("this would go out 1 day after the interview"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("(s)"), "{}", stdout(&o));
    // A rule "directory" that is a file, and a missing one.
    for (dir_arg, reason) in [
        ("soon.md", "not a directory"),
        ("gone", "no such file or directory"),
    ] {
        let o = run_in(dir.path(), &["--rules", dir_arg, "soon.md"]);
        assert_eq!(code(&o), 2);
        let err = stderr(&o);
        assert!(
            err.contains(&format!(
                "{dir_arg}: cannot read rule directory: {reason}\n"
            )),
            "{err}"
        );
        assert!(!err.contains("os error"), "{err}");
    }
    // Nothing could be read: the summary does not claim "no problems in 0 files".
    let o = run_in(dir.path(), &["--color", "never", "missing.txt"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stdout(&o),
        "Nothing was linted. 1 file could not be read.\n"
    );
}

#[test]
fn the_summary_says_how_many_fixes_apply_and_a_refused_one_says_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(
        dir.path().join("r/plain.yaml"),
        "rules:\n  - id: wordy\n    kind: substitute\n    severity: info\n    message: “{match}” can be “{replacement}”\n    swap:\n      in order to: to\n",
    )
    .unwrap();
    // One safe fix (a swap), two suggestions (references, closing thanks).
    std::fs::write(
        dir.path().join("d.txt"),
        "Subject: Tuesday\n\nDear Ms. Chen,\n\nThank you for meeting me on Tuesday. I remain very interested in the analyst role, and I am writing in order to ask whether we could meet again whenever suits you.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["--color", "never", "--rules", "r", "d.txt"]);
    let out = stdout(&o);
    assert!(
        out.ends_with(" in 1 file.\n1 fixable with --fix; 2 more with --fix --unsafe-fixes.\n"),
        "{out}"
    );
    let o = run_in(
        dir.path(),
        &["--color", "never", "--rules", "r", "--fix", "d.txt"],
    );
    assert!(
        stdout(&o).ends_with(
            " Fixed 1 problem.\n2 fixable with --fix --unsafe-fixes; review what they insert.\n"
        ),
        "{}",
        stdout(&o)
    );

    // Here inserting the reference sentence would break another rule (it
    // lands after the closing thanks, or pushes the body over 200 words):
    // the suggestion says --fix would not apply it, and it is not counted.
    let filler = "At my current job I built the weekly stock report that the warehouse team now uses to plan deliveries, and I trained two new starters on it. ".repeat(6);
    std::fs::write(
        dir.path().join("long.txt"),
        format!("Subject: Tuesday\n\nDear Ms. Chen,\n\nThank you for meeting me on Tuesday. I remain very interested in the analyst position. {filler}\n\nCould we meet again whenever suits you? Thank you again for your time.\n\nBest regards,\nSam Lee\n"),
    )
    .unwrap();
    let o = run_in(dir.path(), &["--color", "never", "long.txt"]);
    let out = stdout(&o);
    assert!(
        out.contains("= --fix would not apply this: it would make `"),
        "{out}"
    );
    assert!(!out.contains("fixable"), "{out}");
}

#[test]
fn config_discovery_depends_on_where_the_file_is_not_how_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a/sub")).unwrap();
    std::fs::create_dir_all(root.join("drafts")).unwrap();
    std::fs::write(
        root.join("a/.emaillint.yaml"),
        "rules:\n  placeholder: off\n",
    )
    .unwrap();
    std::fs::copy(fixture("examples/needs-work.md"), root.join("drafts/x.md")).unwrap();
    std::fs::copy(fixture("examples/needs-work.md"), root.join("a/y.md")).unwrap();
    let placeholder = |cwd: &Path, path: &str| {
        stdout(&run_in(cwd, &["--format", "concise", path])).contains("[placeholder]")
    };
    let outside = root.join("drafts/x.md");
    // A file outside a/ gets no config from a/, however it is named.
    assert!(placeholder(&root.join("a"), "../drafts/x.md"));
    assert!(placeholder(&root.join("a/sub"), "../../drafts/x.md"));
    assert!(placeholder(&root.join("a/sub"), "../../a/../drafts/x.md"));
    assert!(placeholder(&root.join("a"), outside.to_str().unwrap()));
    // A file inside a/ gets a/'s config from anywhere.
    assert!(!placeholder(&root.join("a/sub"), "../y.md"));
    assert!(!placeholder(&root.join("drafts"), "../a/y.md"));
    assert!(!placeholder(&root.join("drafts"), "../a/sub/../y.md"));
    // A symlink is linted where its target really is.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, root.join("a/link.md")).unwrap();
        assert!(placeholder(&root.join("a"), "link.md"));
    }
}

#[test]
fn a_thank_you_note_is_not_told_to_ask_for_a_second_meeting() {
    // The thank-you profile keeps `fit` (as info) but asks for no meeting:
    // nothing it prints may talk of a second meeting or seeing them again.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("note.txt"),
        "Subject: Thank you\n\nDear Ms. Chen,\n\nThank you for talking with me on Tuesday. I remain very interested in the analyst role.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    let out = stdout(&run_in(
        dir.path(),
        &["--color", "never", "--profile", "thank-you", "note.txt"],
    ));
    assert!(out.contains("info[fit]"), "{out}");
    for phrase in ["second meeting", "see you again", "meeting request"] {
        assert!(!out.contains(phrase), "{phrase}: {out}");
    }
}

#[test]
fn greeting_and_sign_off_advice_matches_what_they_accept() {
    let dir = tempfile::tempdir().unwrap();
    // A Markdown heading above the greeting does not hide it.
    std::fs::write(
        dir.path().join("h.md"),
        "# My draft\n\nDear Ms. Chen,\n\nThank you for meeting me.\n\nBest regards,\nSam Lee\n",
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["--format", "concise", "h.md"]));
    assert!(!out.contains("[greeting]"), "{out}");
    // A lone name signs the email (LABELS.md), so the help for a missing
    // name must not call a lone first name unfinished.
    std::fs::write(
        dir.path().join("name.txt"),
        "Dear Ms. Chen,\n\nThank you for meeting me.\n\nSam\n",
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["--format", "concise", "name.txt"]));
    assert!(!out.contains("[sign-off]"), "{out}");
    std::fs::write(
        dir.path().join("none.txt"),
        "Dear Ms. Chen,\n\nThank you for meeting me.\n\nBest regards,\n",
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["--color", "never", "none.txt"]));
    assert!(out.contains("warning[sign-off]"), "{out}");
    assert!(!out.contains("lone first name"), "{out}");
}

#[test]
fn config_is_found_by_walking_up_and_cli_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("team/drafts")).unwrap();
    std::fs::write(root.join(".emaillint.yaml"), "rules:\n  placeholder: off\n").unwrap();
    std::fs::copy(
        fixture("examples/needs-work.md"),
        root.join("team/drafts/x.md"),
    )
    .unwrap();
    let o = run_in(&root.join("team"), &["--format", "concise", "drafts/x.md"]);
    assert!(
        !stdout(&o).contains("[placeholder]"),
        "config turned it off: {}",
        stdout(&o)
    );
    // A nearer config wins over a farther one.
    std::fs::write(
        root.join("team/.emaillint.yaml"),
        "rules:\n  sob-story: off\n",
    )
    .unwrap();
    let o = run_in(root, &["--format", "concise", "team/drafts/x.md"]);
    assert!(stdout(&o).contains("[placeholder]"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("[sob-story]"), "{}", stdout(&o));
    // The command line wins over the config.
    let o = run_in(
        root,
        &[
            "--format",
            "concise",
            "--enable",
            "sob-story",
            "team/drafts/x.md",
        ],
    );
    assert!(stdout(&o).contains("[sob-story]"), "{}", stdout(&o));
    // --no-config ignores it.
    let o = run_in(
        root,
        &["--format", "concise", "--no-config", "team/drafts/x.md"],
    );
    assert!(stdout(&o).contains("[sob-story]"), "{}", stdout(&o));
}

#[test]
fn profile_from_config_and_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Subject: Thank you\n\nDear Ms. Lee,\n\nThank you for meeting me today. I am still very keen on the role.\n\nThank you again,\nSam Park\n";
    std::fs::write(dir.path().join("t.txt"), text).unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "t.txt"]);
    assert!(stdout(&o).contains("[meeting-request]"), "{}", stdout(&o));
    let o = run_in(
        dir.path(),
        &["--format", "concise", "--profile", "thank-you", "t.txt"],
    );
    assert!(!stdout(&o).contains("[meeting-request]"), "{}", stdout(&o));
    std::fs::write(dir.path().join(".emaillint.yaml"), "profile: thank-you\n").unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "t.txt"]);
    assert!(!stdout(&o).contains("[meeting-request]"), "{}", stdout(&o));
    let o = run_in(
        dir.path(),
        &["--format", "concise", "--profile", "second-chance", "t.txt"],
    );
    assert!(stdout(&o).contains("[meeting-request]"), "{}", stdout(&o));
    let o = run_in(dir.path(), &["--profile", "thank-yuo", "t.txt"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `thank-you`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn tunables_from_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("examples/second-chance.txt"),
        dir.path().join("d.txt"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "rules:\n  length: {max_words: 100}\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["--color", "never", "d.txt"]);
    assert!(
        stdout(&o).contains("✗ length (136/100 words)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn ignore_globs_skip_walked_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    std::fs::copy(
        fixture("examples/needs-work.md"),
        dir.path().join("archive/old.md"),
    )
    .unwrap();
    std::fs::copy(
        fixture("examples/second-chance.txt"),
        dir.path().join("new.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join(".emaillint.yaml"), "ignore: [archive/]\n").unwrap();
    let o = run_in(dir.path(), &["--color", "never", "."]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("No problems in 1 file."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn broken_config_stops_the_run_with_a_span() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("examples/second-chance.txt"),
        dir.path().join("d.txt"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "rules:\n  lenght: off\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["d.txt"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("error: unknown rule `lenght`"), "{err}");
    assert!(err.contains(".emaillint.yaml:2:3"), "{err}");
    assert!(err.contains("did you mean `length`?"), "{err}");
    assert!(stdout(&o).is_empty(), "nothing linted: {}", stdout(&o));
}

#[test]
fn fix_inserts_suggestions_without_touching_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // CRLF, a BOM, tabs and non-ASCII must survive a rewrite byte for byte.
    let original = "\u{feff}Subject: Café interview\r\n\r\nDear Zoë,\r\n\r\nThank you for your time.\tI remain keen on the role and would welcome another conversation whenever suits you. My background in café logistics fits the post.\r\n\r\nBest regards,\r\nJosé\r\n";
    let path = dir.path().join("d.txt");
    std::fs::write(&path, original).unwrap();
    // Safe fixes only: the pack's presence rules offer insertions, which are unsafe.
    let o = run_in(dir.path(), &["-q", "--fix", "d.txt"]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        original,
        "{}",
        stdout(&o)
    );
    let o = run_in(dir.path(), &["-q", "--fix", "--unsafe-fixes", "d.txt"]);
    let fixed = std::fs::read_to_string(&path).unwrap();
    // References, then thanks, before the sign-off, in the order the pack's
    // rules are written; every other byte as it was.
    let inserted = "I would be glad to put you in touch with my current manager as a reference.\r\n\r\n\
                    Thank you again for your time and for considering this.\r\n\r\nBest regards,";
    assert_eq!(
        fixed,
        original.replacen("Best regards,", inserted, 1),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).is_empty(),
        "every problem was fixed: {}",
        stdout(&o)
    );
    assert!(
        !fixed.replace("\r\n", "").contains('\n'),
        "no bare LF was introduced"
    );
}

#[test]
fn suppression_comments() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\nsubject: Hi\nemaillint:\n  disable: [references, convenience]\n---\n\nDear Ms. Lee,\n\nThank you for your time. I am still keen on the role, and my five years in retail fit it well.\n\n<!-- emaillint-disable-next-line exaggeration -->\nIt was literally the worst hour of my week. Could we meet again?\n\n<!-- emaillint-disable sob-story -->\nI was devastated.\n<!-- emaillint-enable sob-story -->\n\nI was devastated, honestly.\n\n<!-- emaillint-disable desperation -->\nThank you again.\n\nBest regards,\nSam Park\n";
    std::fs::write(dir.path().join("d.md"), text).unwrap();
    let o = run_in(dir.path(), &["--format", "concise", "d.md"]);
    let out = stdout(&o);
    insta::assert_snapshot!("suppression", out);
}

#[test]
fn rules_list_and_explain() {
    let o = run(&["rules", "--no-config"]);
    assert_eq!(code(&o), 0);
    insta::assert_snapshot!("rules_list", stdout(&o));
    let o = run(&["explain", "references", "--no-config"]);
    assert_eq!(code(&o), 0);
    // The rule's line in the pack moves with every edit of the pack; the
    // snapshot pins the rest.
    let out = stdout(&o);
    let line = regex::Regex::new(r"second-chance\.yaml:\d+").unwrap();
    assert!(line.is_match(&out), "{out}");
    let out = line.replace(&out, "second-chance.yaml:LINE");
    insta::assert_snapshot!("explain_references", out);
    let o = run(&[
        "explain",
        "meeting-request",
        "fixtures/examples/needs-work.md",
        "--no-config",
    ]);
    assert_eq!(code(&o), 0);
    insta::assert_snapshot!("explain_trace", stdout(&o));
    let o = run(&["explain", "refrences"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("did you mean `references`"));
}

/// A numeral matched by `#` is shown as the numeral it is, not as another
/// form of the word.
#[test]
fn explain_shows_a_numeral_as_taken() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("d.txt");
    std::fs::write(
        &draft,
        "Dear Ms. Patel,\n\nI cut waiting times by 30% at the clinic.\n\nBest,\nSam\n",
    )
    .unwrap();
    let o = run(&["explain", "fit", draft.to_str().unwrap(), "--no-config"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.contains("\"cut waiting times by 30\""), "{out}");
    assert!(out.contains("# \"30\""), "{out}");
    assert!(!out.contains("\"30\" (a form)"), "{out}");
}

#[test]
fn builtin_rules_check_passes() {
    let o = run(&["rules", "check", "--no-config"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("all behave as documented"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(dir.path().join(".emaillint.yaml").is_file());
    let o = run_in(dir.path(), &["init"]);
    assert_eq!(code(&o), 2, "refuses to overwrite");
    let o = run_in(dir.path(), &["rules"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("profile: second-chance"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn init_writes_the_profile_asked_for_and_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "--profile", "thank-you"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run_in(dir.path(), &["rules"]);
    assert!(
        stdout(&o).contains("(profile: thank-you, config: "),
        "{}",
        stdout(&o)
    );
    // A profile that does not exist is refused, with a suggestion.
    let o = run_in(dir.path(), &["init", "--profile", "thank-yu", "other.yaml"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `thank-you`?"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("other.yaml").exists());
    // A directory: the config is written inside it, --force or not.
    std::fs::create_dir(dir.path().join("team")).unwrap();
    let o = run_in(dir.path(), &["init", "team", "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(dir.path().join("team/.emaillint.yaml").is_file());
    let o = run_in(dir.path(), &["init", "team"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

#[test]
fn explain_reads_standard_input_for_dash() {
    let mut c = bin();
    let o = c
        .args(["explain", "references", "-"])
        .stdin(std::fs::File::open(fixture("examples/needs-work.md")).unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("references in <stdin> (require rule"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn explain_counts_one_word_as_one_word() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.txt"),
        "Dear Ms. Chen,\n\nThank you for meeting me.\n\nThanks,\nSam\n",
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["explain", "thanks", "d.txt"]));
    assert!(out.contains("  1 word\n"), "{out}");
    assert!(!out.contains(" 1 words"), "{out}");
}

#[test]
fn timing_says_when_the_send_date_cannot_be_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "interview: 2026-03-02\n",
    )
    .unwrap();
    let eml = |date: &str| {
        format!(
            "Date: {date}\nSubject: Tuesday\nFrom: sam@example.com\n\nDear Ms. Chen,\n\nThank you for meeting me.\n\nBest regards,\nSam Lee\n"
        )
    };
    // Dated before the interview: said plainly, not "-3 days after".
    std::fs::write(
        dir.path().join("early.eml"),
        eml("Fri, 27 Feb 2026 10:00:00 +0000"),
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["--format", "concise", "early.eml"]));
    assert!(
        out.contains("early.eml:1:7: error[syntax] this draft is dated 2026-02-27, 3 days before the interview (2026-03-02)"),
        "{out}"
    );
    assert!(!out.contains("send-too"), "{out}");
    // An unreadable Date: is said, not silently replaced by today.
    std::fs::write(dir.path().join("vague.eml"), eml("sometime last week")).unwrap();
    let out = stdout(&run_in(dir.path(), &["--format", "concise", "vague.eml"]));
    assert!(
        out.contains("vague.eml:1:7: error[syntax] the `Date:` header `sometime last week` is not a date emaillint can read"),
        "{out}"
    );
    assert!(!out.contains("send-too"), "{out}");
    // A good date after the interview: no syntax problem.
    std::fs::write(
        dir.path().join("ok.eml"),
        eml("Thu, 5 Mar 2026 10:00:00 +0000"),
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["--format", "concise", "ok.eml"]));
    assert!(!out.contains("[syntax]"), "{out}");
}

#[test]
fn timing_uses_front_matter_dates() {
    let dir = tempfile::tempdir().unwrap();
    let body = std::fs::read_to_string(fixture("examples/second-chance.txt")).unwrap();
    let body = body.split_once("\n\n").unwrap().1;
    for (interview, date, expect) in [
        ("2026-03-02", "2026-03-02", Some("send-too-soon")),
        ("2026-03-02", "2026-03-03", Some("send-too-soon")),
        ("2026-03-02", "2026-03-05", None),
        ("2026-03-02", "2026-03-20", Some("send-too-late")),
    ] {
        let text = format!(
            "---\nsubject: The analyst interview\ninterview: {interview}\ndate: {date}\n---\n\n{body}"
        );
        std::fs::write(dir.path().join("d.md"), text).unwrap();
        let out = stdout(&run_in(dir.path(), &["--format", "concise", "d.md"]));
        for id in ["send-too-soon", "send-too-late"] {
            assert_eq!(
                out.contains(&format!("[{id}]")),
                expect == Some(id),
                "{interview} {date}: {out}"
            );
        }
    }
    std::fs::write(
        dir.path().join("d.md"),
        format!("---\ninterview: next tuesday\n---\n\n{body}"),
    )
    .unwrap();
    let out = stdout(&run_in(dir.path(), &["--format", "concise", "d.md"]));
    assert!(
        out.contains("d.md:2:12: error[syntax] `interview` is not a date"),
        "{out}"
    );
}
