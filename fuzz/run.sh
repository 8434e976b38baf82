#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 300), one after another.
#   bash fuzz/run.sh 300            # all targets
#   bash fuzz/run.sh 600 lint fix   # some targets
#   FUZZ_TIMEOUT=30 bash fuzz/run.sh …  # per-input timeout (s) on a loaded machine
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"; shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(document lint rules config fix)
[ -d corpus/lint ] || ./seed.sh
for t in "${targets[@]}"; do
  echo "== $t: ${secs}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    2>&1 | grep -E '^(#[0-9]+ *(DONE|INITED)|stat::|==[0-9]+==|SUMMARY|Test unit written|artifact_prefix|panicked|thread)' 
done
