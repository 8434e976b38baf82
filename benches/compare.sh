#!/usr/bin/env bash
# Whole-process timings of the release emaillint against the ripgrep
# reference of issue 12, `rg -c -i -F -f PHRASES INPUT`, where PHRASES is
# every literal phrase of the built-in pack (examples/pack_phrases.rs says
# how phrase syntax becomes literals). Cases, all from examples/gen_corpus.rs
# (deterministic, so every run times the same bytes):
#
#   one    one 1-2 KB email (the corpus's draft-00001.txt)
#   files  2,000 drafts (~2.5 MB), `--format json` and the default human output
#   halfmb one 0.5 MB draft (`--format json` and the default human output)
#   5mb    one 5 MB draft (the same two)
#   50mb   one 50 MB draft (the same two)
#
# Prints hyperfine's report for each case, then a table of medians, the
# ratio emaillint / rg and MB/s. emaillint exits 1 when it finds errors,
# so failures are ignored (-i); outputs go to /dev/null (hyperfine -N).
#
#   bash benches/compare.sh                   # every case
#   CASES="one files" bash benches/compare.sh # some cases
#   bash benches/compare.sh OTHER_BINARY      # also time another build (say,
#                                             # main's), paired in each run
#   RUNS=30 BIG_RUNS=3 bash benches/compare.sh  # runs per case (defaults:
#                                             # 20; 5 MB: 3; 50 MB: 1)
#
# Needs hyperfine and ripgrep (Debian packages `hyperfine`, `ripgrep`).
set -euo pipefail
cd "$(dirname "$0")/.."
other="${1:-}"
cases="${CASES:-one files halfmb 5mb 50mb}"
runs="${RUNS:-20}"
big_runs="${BIG_RUNS:-3}"
huge_runs="${HUGE_RUNS:-1}"
for tool in hyperfine rg python3; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool" >&2; exit 2; }
done
cargo build --quiet --release --bin emaillint --example gen_corpus --example pack_phrases
repo="$PWD"
bin="$repo/target/release/emaillint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Outside the repository, so no .emaillint.yaml applies.
cd "$work"
"$repo/target/release/examples/pack_phrases" > phrases.txt 2>/dev/null
"$repo/target/release/examples/gen_corpus" corpus 2000 2>/dev/null
echo "PHRASES: $(wc -l < phrases.txt) literal phrases; corpus: $(ls corpus | wc -l) drafts, $(cat corpus/* | wc -c) bytes"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

rows=()
# time CASE LABEL BYTES RUNS WARMUP EMAILLINT_ARGS... -- INPUT
time_case() {
  local label="$1" bytes="$2" n="$3" warm="$4"
  shift 4
  local input="${*: -1}"
  local eargs=("${@:1:$#-2}")
  local cmds=("$bin ${eargs[*]} $input" "rg -c -i -F -f phrases.txt $input")
  [ -n "$other" ] && cmds+=("$other ${eargs[*]} $input")
  echo
  echo "== $label"
  hyperfine -N -i --warmup "$warm" --runs "$n" --export-json "t.json" "${cmds[@]}"
  rows+=("$(python3 - "$label" "$bytes" t.json <<'PY'
import json, sys
label, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = [x["median"] for x in json.load(open(path))["results"]]
mb = size / 1e6
cells = [label, f"{size:,}", f"{r[0]*1000:.1f}", f"{r[1]*1000:.1f}", f"{r[0]/r[1]:.1f}x",
         f"{mb/r[0]:.1f}", f"{mb/r[1]:.1f}", f"{r[0]/mb:.3f}"]
if len(r) > 2:
    cells += [f"{r[2]*1000:.1f}", f"{r[2]/r[0]:.2f}x"]
print(" | ".join(cells))
PY
)")
}

for c in $cases; do
  case "$c" in
    one)
      mkdir -p one && cp corpus/draft-00001.txt one/
      time_case "one email" "$(wc -c < one/draft-00001.txt)" "$((runs * 3))" 5 -- one/draft-00001.txt
      ;;
    files)
      size=$(cat corpus/* | wc -c)
      time_case "2,000 files, json" "$size" "$runs" 2 --format json -- corpus
      time_case "2,000 files, human" "$size" "$runs" 2 -- corpus
      ;;
    halfmb)
      "$repo/target/release/examples/gen_corpus" --big 500000 big05.txt 2>/dev/null
      time_case "one 0.5 MB draft, json" "$(wc -c < big05.txt)" "$runs" 1 --max-file-size 1GB --format json -- big05.txt
      time_case "one 0.5 MB draft, human" "$(wc -c < big05.txt)" "$runs" 1 --max-file-size 1GB -- big05.txt
      ;;
    5mb)
      "$repo/target/release/examples/gen_corpus" --big 5000000 big5.txt 2>/dev/null
      time_case "one 5 MB draft, json" "$(wc -c < big5.txt)" "$big_runs" 0 --max-file-size 1GB --format json -- big5.txt
      time_case "one 5 MB draft, human" "$(wc -c < big5.txt)" "$big_runs" 0 --max-file-size 1GB -- big5.txt
      ;;
    50mb)
      "$repo/target/release/examples/gen_corpus" --big 50000000 big50.txt 2>/dev/null
      time_case "one 50 MB draft, json" "$(wc -c < big50.txt)" "$huge_runs" 0 --max-file-size 1GB --format json -- big50.txt
      time_case "one 50 MB draft, human" "$(wc -c < big50.txt)" "$huge_runs" 0 --max-file-size 1GB -- big50.txt
      ;;
    *) echo "unknown case $c (one, files, halfmb, 5mb, 50mb)" >&2; exit 2 ;;
  esac
done

echo
head="case | bytes | emaillint ms | rg ms | emaillint/rg | emaillint MB/s | rg MB/s | emaillint s/MB"
[ -n "$other" ] && head="$head | other ms | other/emaillint"
echo "medians: $head"
for r in "${rows[@]}"; do echo "$r"; done
