#!/usr/bin/env bash
# CI for the web page (called by .ci/run): the wasm layer's own tests and
# lints, the module built, its size held under 1 MB gzipped, and the page
# tested in headless Chromium. What this needs is installed when the
# machine allows it; when it cannot be, a SKIPPED line says what was
# missing and the rest of CI goes on.
set -euo pipefail
cd "$(dirname "$0")"

skip() { echo "SKIPPED: the web page's build and browser test: $*"; exit 0; }

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

# The wasm layer, natively: offsets, fixes, errors. It shares the root's
# target directory (same lockfile versions) so dependencies build once.
cargo clippy --quiet --manifest-path Cargo.toml --target-dir ../target --all-targets -- -D warnings
cargo test --quiet --manifest-path Cargo.toml --target-dir ../target

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || skip "the wasm32-unknown-unknown target cannot be installed (rustup target add failed)"
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  # A debug build of the CLI compiles in about half the time and is fast
  # enough for one module.
  cargo install --quiet --debug wasm-bindgen-cli --version "$want" 2>/dev/null \
    || cargo install --quiet --debug --locked wasm-bindgen-cli --version "$want" 2>/dev/null \
    || skip "wasm-bindgen-cli $want cannot be installed (cargo install failed)"
fi
browser="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$browser" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq chromium >/dev/null 2>&1 || skip "Chromium cannot be installed (apt-get install chromium failed)"
  else
    skip "Chromium is missing ($browser) and cannot be installed here"
  fi
fi
command -v npm >/dev/null || skip "Node.js and npm are missing"

bash build.sh
gz=$(gzip -9 -c pkg/emaillint_web_bg.wasm | wc -c)
if [ "$gz" -gt 1048576 ]; then
  echo "web/ci.sh: the module is $gz bytes gzipped, over the 1 MB budget" >&2
  exit 1
fi
npm ci --quiet --no-audit --no-fund
CHROMIUM="$browser" node test/browser.mjs
