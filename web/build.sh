#!/usr/bin/env bash
# Build the page's WebAssembly module and its JavaScript glue into web/pkg/.
#   bash web/build.sh            # release build
# Needs the wasm32-unknown-unknown target and the wasm-bindgen CLI at the
# version web/Cargo.lock pins (web/README.md). No wasm-opt pass: Debian
# bookworm's binaryen (108) writes a module Chromium refuses, and gains
# nothing on the compressed size.
set -euo pipefail
cd "$(dirname "$0")"

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "build.sh: the wasm32-unknown-unknown target is missing: rustup target add wasm32-unknown-unknown" >&2
  exit 3
fi
if ! command -v wasm-bindgen >/dev/null; then
  echo "build.sh: wasm-bindgen is missing: cargo install wasm-bindgen-cli --version $want" >&2
  exit 3
fi
have=$(wasm-bindgen --version | awk '{print $2}')
if [ "$have" != "$want" ]; then
  echo "build.sh: wasm-bindgen $have is installed, the crate needs $want: cargo install wasm-bindgen-cli --version $want --force" >&2
  exit 3
fi

cargo build --release --target wasm32-unknown-unknown --quiet
rm -rf pkg
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir pkg target/wasm32-unknown-unknown/release/emaillint_web.wasm
raw=$(wc -c < pkg/emaillint_web_bg.wasm)
gz=$(gzip -9 -c pkg/emaillint_web_bg.wasm | wc -c)
js=$(cat pkg/emaillint_web.js app.js index.html style.css | gzip -9 | wc -c)
echo "web/pkg: module $raw bytes ($gz gzipped); page and glue $js bytes gzipped"
