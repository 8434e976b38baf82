//! The command line people expect from a linter: shell completions, a
//! manual page, options before a subcommand, the later of --enable and
//! --disable winning and --exit-zero (tests/cli_commands.rs has more,
//! --statistics among them).

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
fn the_later_of_enable_and_disable_wins() {
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
fn exit_zero_is_deny_nothing() {
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
