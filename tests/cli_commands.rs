//! The command line people expect: shell completions, a man page, options
//! before a subcommand, `--enable`/`--disable` in order, `--statistics`
//! and `--exit-zero`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emaillint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const BAD: &str = "fixtures/examples/needs-work.md";

#[test]
fn completions_for_each_shell_name_the_commands_and_flags() {
    for (shell, marker) in [
        ("bash", "complete -F _emaillint"),
        ("zsh", "#compdef emaillint"),
        ("fish", "complete -c emaillint"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        // Flags are spelled `--flag`, or `-l flag` in fish.
        for word in [
            "max-file-size",
            "stdin-filename",
            "explain",
            "lsp",
            "completions",
        ] {
            assert!(script.contains(word), "{shell}: `{word}` is not completed");
        }
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let o = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emaillint.bash");
    std::fs::write(&path, &o.stdout).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn the_man_page_documents_the_options_and_exit_codes() {
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH emaillint 1"), "not a section 1 man page");
    for word in [
        "max\\-file\\-size",
        "stdin\\-filename",
        "Exit codes",
        "completions",
    ] {
        assert!(page.contains(word), "the man page lacks `{word}`");
    }
}

#[test]
fn config_options_may_come_before_a_subcommand() {
    let o = run(&["--profile", "thank-you", "rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .lines()
            .next()
            .unwrap()
            .contains("profile: thank-you")
    );
    let o = run(&["--disable", "fit", "explain", "fit"]);
    assert!(stdout(&o).contains("in effect: off"), "{}", stdout(&o));
}

#[test]
fn a_linting_option_before_a_subcommand_is_an_error_not_ignored() {
    let o = run(&["--format", "json", "rules"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--format` is an option for linting drafts, not for `rules`"));
    let o = run(&["--format", "json", "lint", BAD]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`--format` goes after `lint`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_later_of_enable_and_disable_wins() {
    let fit = |args: &[&str]| {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        all.push(BAD);
        stdout(&run(&all)).contains("\"rule\": \"fit\"")
    };
    assert!(fit(&[]), "fit reports on the fixture");
    assert!(!fit(&["--enable", "fit", "--disable", "fit"]));
    assert!(fit(&["--disable", "fit", "--enable", "fit"]));
    assert!(fit(&["--disable", "references,fit", "--enable=fit"]));
}

#[test]
fn statistics_count_diagnostics_per_rule_instead_of_showing_them() {
    let o = run(&["--statistics", "--color", "never", BAD]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        !out.contains("-->") && !out.contains("┌─"),
        "diagnostics were shown:\n{out}"
    );
    let json = stdout(&run(&["--format", "json", BAD]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let sob = diagnostics
        .iter()
        .filter(|d| d["rule"] == "sob-story")
        .count();
    assert!(sob >= 1);
    let line = out
        .lines()
        .find(|l| l.ends_with("  sob-story"))
        .expect("a line for sob-story");
    assert_eq!(
        line.split_whitespace().next().unwrap(),
        sob.to_string(),
        "{out}"
    );
    // The table's lines: a right-aligned count, a severity, a rule.
    let total: usize = out
        .lines()
        .filter(|l| l.starts_with(' ') && l.split_whitespace().count() == 3)
        .filter_map(|l| l.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(total, diagnostics.len(), "{out}");
    let o = run(&["--statistics", "--format", "json", BAD]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn exit_zero_is_deny_nothing() {
    assert_eq!(run(&[BAD]).status.code(), Some(1));
    assert_eq!(run(&["--exit-zero", BAD]).status.code(), Some(0));
    assert_eq!(run(&["--exit-zero", "missing.txt"]).status.code(), Some(2));
    assert_eq!(
        run(&["--exit-zero", "--deny", "warning", BAD])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn completions_for_each_shell_name_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        // fish spells a long option `-l format`.
        for word in ["emaillint", "explain", "profile", "format", "max-file-size"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
        // The values of --format are offered (PowerShell's script lists
        // options only).
        if shell != "powershell" {
            assert!(script.contains("sarif"), "{shell}: no --format values");
        }
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_bash_completion_script_is_valid_bash_and_completes() {
    let script = stdout(&run(&["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emaillint.bash");
    std::fs::write(&path, &script).unwrap();
    let Ok(o) = Command::new("bash").arg("-n").arg(&path).output() else {
        eprintln!("SKIPPED: no bash");
        return;
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Complete `emaillint --form` as bash would, with the function it defines.
    let probe = format!(
        "source {}\nCOMP_WORDS=(emaillint --form)\nCOMP_CWORD=1\nCOMP_LINE='emaillint --form'\nCOMP_POINT=${{#COMP_LINE}}\n_emaillint emaillint --form emaillint\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path.display()
    );
    let o = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    let words = String::from_utf8_lossy(&o.stdout);
    assert!(words.lines().any(|w| w == "--format"), "{words}");
}

#[test]
fn the_man_page_documents_the_options_and_commands() {
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.contains(".TH emaillint 1"), "{page}");
    for word in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        "\\-\\-profile",
        "\\-\\-deny",
        "explain",
    ] {
        assert!(page.contains(word), "no {word} in the man page");
    }
    // The exit codes are in it (from --help's closing text).
    assert!(page.contains("Exit codes"), "{page}");
}

#[test]
fn options_may_come_before_a_subcommand() {
    let o = run(&["--profile", "thank-you", "rules"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("(profile: thank-you"), "{}", stdout(&o));
    let o = run(&["--no-config", "--disable", "subject", "rules"]);
    let out = stdout(&o);
    let line = out.lines().find(|l| l.starts_with("subject ")).unwrap();
    assert!(line.contains(" off "), "{line}");
}

#[test]
fn the_later_of_enable_and_disable_wins_across_comma_lists() {
    let draft = "fixtures/eml/body.txt";
    let rules = |args: &[&str]| {
        let mut a = vec!["--no-config", "--format", "concise"];
        a.extend_from_slice(args);
        a.push(draft);
        stdout(&run(&a))
    };
    assert!(rules(&["--disable", "references", "--enable", "references"]).contains("[references]"));
    assert!(
        !rules(&["--enable", "references", "--disable", "references"]).contains("[references]")
    );
    assert!(
        !rules(&["--disable=subject,references", "--enable", "subject"]).contains("[references]")
    );
    assert!(rules(&["--disable=subject,references", "--enable", "subject"]).contains("[subject]"));
}

#[test]
fn exit_zero_still_fails_on_unreadable_input_or_a_conflicting_deny() {
    let bad = "fixtures/examples/needs-work.md";
    assert_eq!(run(&["-q", bad]).status.code(), Some(1));
    assert_eq!(run(&["-q", "--exit-zero", bad]).status.code(), Some(0));
    assert_eq!(
        run(&["-q", "--deny", "nothing", bad]).status.code(),
        Some(0)
    );
    // Unreadable input still fails the run.
    assert_eq!(
        run(&["-q", "--exit-zero", bad, "missing.txt"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["--exit-zero", "--deny", "warning", bad])
            .status
            .code(),
        Some(2)
    );
}
