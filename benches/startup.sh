#!/usr/bin/env bash
# Whole-process start-up: wall time (hyperfine, Debian package `hyperfine`)
# and peak RSS (/usr/bin/time -v) of one lint of a 1-2 KB email with the
# release binary, and where the time goes in-process (examples/startup.rs).
# Figures go in docs/performance.md.
#
#   bash benches/startup.sh                 # fixtures/corpus/emails/056.txt
#   bash benches/startup.sh DRAFT [OTHER_BINARY]
#
# With OTHER_BINARY (say, a build of main), both are timed in the same
# hyperfine run, for a paired comparison on this shared, noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
draft="${1:-fixtures/corpus/emails/056.txt}"
other="${2:-}"
cargo build --quiet --release --bin emaillint --example startup
bin=target/release/emaillint
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Outside the repository, so no .emaillint.yaml is found.
cp "$draft" "$work/"
email="$work/$(basename "$draft")"
echo "draft: $draft ($(wc -c <"$draft") bytes)"
if command -v hyperfine >/dev/null; then
  cmds=("$bin $email")
  [ -n "$other" ] && cmds+=("$other $email")
  hyperfine -N -i --warmup 5 --runs 50 "${cmds[@]}"
else
  echo "hyperfine not installed (apt-get install hyperfine); median of 50 runs:"
  for _ in $(seq 50); do
    s=$(date +%s%N); "$bin" "$email" >/dev/null || true; e=$(date +%s%N)
    echo $(((e - s) / 1000))
  done | sort -n | sed -n 25p | awk '{printf "  %.2f ms\n", $1 / 1000}'
fi
for b in "$bin" $other; do
  rss=$(/usr/bin/time -v "$b" "$email" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
  echo "peak RSS $b: $((rss / 1024)) MiB ($rss KiB)"
done
echo "in-process (one run):"
target/release/examples/startup "$email"
