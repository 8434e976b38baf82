#!/usr/bin/env bash
# The pre-commit hook as a template repository meets it: `pre-commit
# try-repo` builds emaillint from this checkout (`language: rust`) and runs
# the hook in a scratch git repository holding a bad draft, a good draft
# and a README.md that the hook must leave alone.
#
# pre-commit comes from PyPI into a scratch virtualenv. Without python3,
# git or a reachable PyPI the test says SKIPPED and exits 0.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

skip() { echo "SKIPPED: pre-commit try-repo: $*"; exit 0; }
command -v python3 >/dev/null || skip "no python3"
command -v git >/dev/null || skip "no git"
python3 -m venv "$work/venv" >/dev/null 2>&1 || skip "python3 -m venv failed (install python3-venv)"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit >"$work/pip.log" 2>&1 ||
  skip "pip install pre-commit failed: $(tail -n 1 "$work/pip.log")"
pre_commit="$work/venv/bin/pre-commit"

# Reuse this checkout's build directory: cargo then rebuilds only emaillint
# itself, not every dependency.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
export PRE_COMMIT_HOME="$work/cache"

proj="$work/proj"
mkdir -p "$proj/drafts"
cd "$proj"
git init --quiet
git config user.email ci@example.com
git config user.name CI
cp "$repo/fixtures/examples/needs-work.md" drafts/needs-work.md
cp "$repo/fixtures/examples/second-chance.txt" drafts/second-chance.txt
printf '# Templates\n\nI am begging you [Name], just read this README.\n' > README.md
git add .

fail=0
check() { # description, expected exit (0 or 1), pattern the output must hold, files...
  local what="$1" want="$2" pattern="$3"
  shift 3
  local out code=0
  out="$("$pre_commit" try-repo "$repo" emaillint --files "$@" 2>&1)" || code=$?
  if [ "$code" != "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAILED: $what (exit $code, wanted $want; output must contain '$pattern')"
    echo "$out" | sed 's/^/    /'
    fail=1
  else
    echo "ok: $what"
  fi
}

check "a bad draft fails the hook with its diagnostics" 1 "needs-work.md:" drafts/needs-work.md
check "a good draft passes" 0 "Passed" drafts/second-chance.txt
check "README.md is not a draft" 0 "(no files to check)Skipped" README.md

# The README must not show up even when committed together with a draft.
out="$("$pre_commit" try-repo "$repo" emaillint --all-files 2>&1 || true)"
if ! grep -q "needs-work.md:" <<<"$out" || grep -q "README.md" <<<"$out"; then
  echo "FAILED: --all-files must lint the drafts and not README.md"
  echo "$out" | sed 's/^/    /'
  fail=1
else
  echo "ok: --all-files leaves README.md alone"
fi

if [ "$fail" = 0 ]; then echo "4 passed, 0 failed"; else echo "pre-commit try-repo: FAILED"; fi
exit "$fail"
