//! Bounded time, memory and output on hostile input, and honest exit codes:
//! each test is named after a failure that was found and fixed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_emaillint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c.env_remove("COLUMNS");
    c.stdin(Stdio::null());
    c
}

/// Run with a deadline: a hang fails the test instead of stalling it.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let mut c = bin();
    c.current_dir(dir).args(args);
    run_with_deadline(c)
}

fn run_with_deadline(mut c: Command) -> Output {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        out.read_to_end(&mut b).unwrap();
        b
    });
    let ereader = std::thread::spawn(move || {
        let mut b = Vec::new();
        err.read_to_end(&mut b).unwrap();
        b
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Output {
                status,
                stdout: reader.join().unwrap(),
                stderr: ereader.join().unwrap(),
            };
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "emaillint {:?} did not finish in 60 s",
                c.get_args().collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str = "fixtures/examples/second-chance.txt";

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn fifo_input_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    if !mkfifo(&dir.path().join("p.txt")) {
        return;
    }
    let o = run_in(dir.path(), &["p.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("p.txt: is a FIFO (named pipe), not a regular file"),
        "{}",
        stderr(&o)
    );
    let o = run_in(dir.path(), &["explain", "references", "p.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOOD);
    let o = run_in(dir.path(), &["--config", "p.txt", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read config"), "{}", stderr(&o));
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_is_refused_not_read_forever() {
    let o = run_in(Path::new("."), &["/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a character device"),
        "{}",
        stderr(&o)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn endless_stdin_stops_at_max_file_size() {
    let mut c = bin();
    c.args(["--max-file-size", "1MB", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap());
    let o = run_with_deadline(c);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("skipped: more than the size limit of 1.0 MB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn max_file_size_skips_with_a_message_and_exit_2() {
    let o = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--max-file-size", "100", GOOD],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("skipped:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--max-file-size"), "{}", stderr(&o));
    let o = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--max-file-size", "lots", GOOD],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(target_os = "linux")]
#[test]
fn stdout_write_error_exits_2() {
    let mut c = bin();
    c.args(["--format", "sarif", "fixtures/examples/needs-work.md"])
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        );
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write output"), "{}", stderr(&o));
}

#[test]
fn broken_pipe_is_a_quiet_stop() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        std::fs::write(dir.path().join(format!("d{i:03}.txt")), "Hello there.\n").unwrap();
    }
    let mut child = bin()
        .current_dir(dir.path())
        .args(["--color", "never", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn nul_after_64_kib_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Dear Dana,\n\nThank you.\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 70_000));
    bytes.push(0);
    std::fs::write(dir.path().join("n.txt"), bytes).unwrap();
    let o = run_in(dir.path(), &["n.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("NUL byte at offset 70023"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn escape_sequences_from_a_draft_are_escaped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("e.txt"),
        "Hi \x1b]0;pwned\x07 there \u{9b}31m, \u{202e}dlrow.\n",
    )
    .unwrap();
    for format in ["human", "concise", "github"] {
        let o = run_in(
            dir.path(),
            &["--color", "never", "--format", format, "e.txt"],
        );
        let out = stdout(&o);
        assert!(!out.contains('\x1b'), "{format}: raw ESC in {out:?}");
        assert!(!out.contains('\x07'), "{format}: raw BEL");
        assert!(!out.contains('\u{9b}'), "{format}: raw CSI");
        assert!(!out.contains('\u{202e}'), "{format}: raw bidi override");
    }
}

#[test]
fn deep_front_matter_is_refused_fast() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "---\nsubject: {}{}\n---\n\nHi Dana,\n\nThanks.\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.path().join("d.md"), deep).unwrap();
    let t = Instant::now();
    let o = run_in(dir.path(), &["--color", "never", "d.md"]);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    assert!(
        stdout(&o).contains("front matter is not valid YAML"),
        "{}",
        stdout(&o)
    );
    // Deep but small: refused for its depth.
    let deep = format!(
        "---\nsubject: {}{}\n---\n\nHi,\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    std::fs::write(dir.path().join("d.md"), deep).unwrap();
    let o = run_in(dir.path(), &["--color", "never", "d.md"]);
    assert!(
        stdout(&o).contains("nested more than 64 levels"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn deep_rule_file_and_config_are_refused_fast_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let deep = format!(
        "rules:\n  - id: x\n    kind: forbid\n    message: m\n    phrases: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.path().join("rules/deep.yaml"), &deep).unwrap();
    let t = Instant::now();
    let o = run_in(dir.path(), &["rules", "--rules", "rules"]);
    assert!(t.elapsed() < Duration::from_secs(10));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("deep.yaml:5:1: nested more than 64 levels deep"),
        "{}",
        stderr(&o)
    );
    let config = format!("profile: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(dir.path().join(".emaillint.yaml"), config).unwrap();
    let o = run_in(dir.path(), &["rules"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(".emaillint.yaml:1:1: nested more than 64"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn exception_checks_are_linear_on_a_3_mb_draft() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q.txt"),
        "A call. Would you. ".repeat(160_000),
    )
    .unwrap();
    let t = Instant::now();
    let o = run_in(dir.path(), &["-q", "--format", "concise", "q.txt"]);
    assert!(o.status.code().is_some());
    // Quadratic, this took 17 s in a release build; linear, it takes ~3 s in a debug one.
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
}

#[test]
fn rule_file_errors_come_out_in_a_deterministic_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    // Keys a `forbid` rule does not use: one error each.
    let keys = "    anchor: start\n    suggestion: s\n    paragraph: last\n    swap: {a: b}\n    max_words: 1\n    min_words: 1\n    max_sentences: 1\n    min_days: 1\n    max_days: 2\n";
    std::fs::write(
        dir.path().join("r/r.yaml"),
        format!(
            "rules:\n  - id: a-rule\n    kind: forbid\n    message: m\n    phrases: [x]\n{keys}"
        ),
    )
    .unwrap();
    let first = stderr(&run_in(dir.path(), &["rules", "--rules", "r"]));
    assert!(first.contains("`anchor` is not used"), "{first}");
    let a = first.find("`anchor` is not used").unwrap();
    let b = first.find("`max_days` is not used").unwrap();
    assert!(a < b, "not in source order: {first}");
    for _ in 0..5 {
        assert_eq!(
            stderr(&run_in(dir.path(), &["rules", "--rules", "r"])),
            first
        );
    }
}

#[test]
fn nan_and_inf_tunables_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    for v in [".nan", ".inf", "-.inf"] {
        std::fs::write(
            dir.path().join(".emaillint.yaml"),
            format!("rules:\n  length: {{max_words: {v}}}\n"),
        )
        .unwrap();
        let o = run_in(dir.path(), &["rules"]);
        assert_eq!(o.status.code(), Some(2), "{v}");
        assert!(
            stderr(&o).contains("must be a finite number"),
            "{v}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn rule_dirs_dot_does_not_load_the_config_as_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".emaillint.yaml"),
        "rule_dirs: [.]\nrules:\n  length: off\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mine.yaml"),
        "rules:\n  - id: my-rule\n    kind: forbid\n    message: m\n    phrases: [zzz]\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("my-rule"));
}

#[test]
fn null_id_is_an_error_not_a_rule_named_null() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    for (v, what) in [("null", "null"), ("~", "null"), ("true", "a boolean")] {
        std::fs::write(
            dir.path().join("r/r.yaml"),
            format!("rules:\n  - id: {v}\n    kind: forbid\n    message: m\n    phrases: [x]\n"),
        )
        .unwrap();
        let o = run_in(dir.path(), &["rules", "--rules", "r"]);
        assert_eq!(o.status.code(), Some(2), "{v}");
        assert!(
            stderr(&o).contains(&format!("`id` is {what}, not text")),
            "{v}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_long_line_is_not_reprinted_under_each_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let line = "I am so sorry. ".repeat(40_000);
    std::fs::write(dir.path().join("l.txt"), format!("Hi Dana,\n\n{line}\n")).unwrap();
    let o = run_in(dir.path(), &["--color", "never", "l.txt"]);
    // Each diagnostic shows a window of the line, cut to 80 columns.
    let out = stdout(&o);
    let excerpts: Vec<&str> = out.lines().filter(|l| l.starts_with("3 │")).collect();
    assert!(!excerpts.is_empty(), "{}", &out[..2000.min(out.len())]);
    for l in excerpts {
        assert!(l.chars().count() <= 80, "{l}");
        assert!(l.contains('\u{2026}'), "{l}");
    }
    assert!(
        o.stdout.len() < 200_000,
        "{} bytes of output",
        o.stdout.len()
    );
}

#[test]
fn diagnostics_per_file_are_capped_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(
        dir.path().join("r/r.yaml"),
        "rules:\n  - id: no-zz\n    kind: forbid\n    severity: error\n    message: m\n    phrases: [zz]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("z.txt"), "zz zz zz zz zz.\n".repeat(1000)).unwrap();
    let o = run_in(
        dir.path(),
        &["--no-builtin", "--rules", "r", "--format", "json", "z.txt"],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["diagnostics"].as_array().unwrap().len(), 1000);
    assert_eq!(v["files"][0]["omitted_diagnostics"], 4000);
    assert_eq!(v["summary"]["errors"], 5000);
    let o = run_in(
        dir.path(),
        &[
            "--no-builtin",
            "--rules",
            "r",
            "--max-diagnostics",
            "10",
            "--color",
            "never",
            "z.txt",
        ],
    );
    assert!(
        stdout(&o).contains("4990 more diagnostics in z.txt not shown"),
        "{}",
        stdout(&o)
    );
    let o = run_in(
        dir.path(),
        &["--no-builtin", "--rules", "r", "--format", "sarif", "z.txt"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 1000);
    let n = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("4000 more diagnostics"),
        "{n}"
    );
}

#[test]
fn related_spans_are_capped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let apologies = "I am sorry. ".repeat(200);
    std::fs::write(
        dir.path().join("a.txt"),
        format!("Dear Dana,\n\n{apologies}\n\nBest regards,\nSam Lee\n"),
    )
    .unwrap();
    let o = run_in(dir.path(), &["--format", "json", "a.txt"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "apology-count")
        .unwrap();
    assert!(d["related"].as_array().unwrap().len() <= 20);
    assert!(
        d["notes"]
            .to_string()
            .contains("more related places not shown"),
        "{d}"
    );
}

#[test]
fn a_huge_bad_regex_is_not_echoed_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    let pattern = format!("({}", "a".repeat(200_000));
    std::fs::write(
        dir.path().join("r/r.yaml"),
        format!(
            "rules:\n  - id: big\n    kind: forbid\n    message: m\n    patterns: ['{pattern}']\n"
        ),
    )
    .unwrap();
    let o = run_in(dir.path(), &["rules", "--rules", "r"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        o.stderr.len() < 10_000,
        "{} bytes of errors",
        o.stderr.len()
    );
    assert!(
        stderr(&o).contains("this regex does not compile"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn per_sentence_rules_are_linear_on_a_3_mb_draft() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(
        dir.path().join("r/r.yaml"),
        "rules:\n  - id: each-call\n    kind: require\n    scope: sentence\n    message: m\n    phrases: [call]\n    suggestion: Call me.\n  - id: calls\n    kind: limit\n    scope: sentence\n    max_count: 0\n    message: m\n    phrases: [call]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("q.txt"),
        "A call. Would you. ".repeat(160_000),
    )
    .unwrap();
    let t = Instant::now();
    let o = run_in(
        dir.path(),
        &[
            "--no-builtin",
            "--rules",
            "r",
            "-q",
            "--format",
            "concise",
            "q.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
}

#[test]
fn explain_escapes_a_drafts_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("e.txt"),
        "Dear Dana,\n\nThank you \x1b[2J for meeting.\n",
    )
    .unwrap();
    let o = run_in(dir.path(), &["explain", "thanks", "e.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains('\x1b'), "{}", stdout(&o));
}

#[test]
fn a_files_output_is_written_before_later_files_are_linted() {
    // Standard input is the second draft, and it is written only once the
    // first draft's diagnostics have been read: output held back until the
    // run ends would leave both sides waiting (the deadline fails it).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("first.txt"), "hello,\n\nI want the job.\n").unwrap();
    let mut child = bin()
        .current_dir(dir.path())
        .args(["--format", "concise", "first.txt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = send.send(std::mem::take(&mut line));
        }
    });
    let first = receive.recv_timeout(Duration::from_secs(60));
    let Ok(first) = first else {
        let _ = child.kill();
        panic!("nothing was written while the second draft was still unread");
    };
    assert!(first.starts_with("first.txt:"), "{first}");
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b"hello,\n\nI want it.\n").unwrap();
    drop(stdin);
    let rest: Vec<String> = receive.iter().collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    // first.txt's lines, then stdin's.
    let stdin_at = rest.iter().position(|l| l.starts_with("<stdin>:"));
    let stdin_at = stdin_at.unwrap_or_else(|| panic!("{rest:?}"));
    assert!(
        rest[..stdin_at].iter().all(|l| l.starts_with("first.txt:"))
            && rest[stdin_at..].iter().all(|l| l.starts_with("<stdin>:")),
        "{rest:?}"
    );
}
