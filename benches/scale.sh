#!/usr/bin/env bash
# Scaling benchmark: time and peak memory of one lint of a 1, 10 and 100 MB
# draft and of a 1-million-line draft, with the release binary. Prints one
# line per size; figures go in docs/reliability.md.
#
#   bash benches/scale.sh            # all sizes
#   bash benches/scale.sh 1 10       # some sizes (MB)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release
bin=target/release/emaillint
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# An ordinary draft, repeated: a greeting, prose with the phrases the rules
# look for (thanks, apologies, requests), a sign-off.
para='Thank you for meeting me on Monday. I know the interview went badly and I am sorry that my answers on SQL were not clear. I remain very interested in the analyst role, and my work at Kobo fits your team well. Would you be willing to meet again at your convenience?'
make() { # make SIZE_BYTES FILE
  python3 - "$1" "$2" "$para" <<'PY'
import sys
size, path, para = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path, "w") as f:
    f.write("Dear Ms. Park,\n\n")
    n = 16
    while n < size:
        f.write(para + "\n\n")
        n += len(para) + 2
    f.write("Best regards,\nSam Lee\n")
PY
}

measure() { # measure LABEL FILE
  local out
  out=$( { /usr/bin/time -f '%e %M' "$bin" --max-file-size 1GB --max-diagnostics 100 --deny nothing -q --format concise "$2" > /dev/null; } 2>&1 | tail -1 )
  read -r secs kb <<<"$out"
  printf '%-22s %10s bytes  %7.2f s  %8.1f MB peak RSS\n' "$1" "$(stat -c %s "$2")" "$secs" "$(echo "$kb / 1024" | bc -l)"
}

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1 10 100 lines)
for s in "${sizes[@]}"; do
  if [ "$s" = lines ]; then
    python3 -c "
import sys
with open('$work/lines.txt','w') as f:
    f.write('Dear Ms. Park,\n\n')
    for i in range(1_000_000):
        f.write('Thank you again.\n' if i % 7 == 0 else 'a short line\n')
    f.write('\nBest regards,\nSam Lee\n')"
    measure "1,000,000 lines" "$work/lines.txt"
  else
    make $((s * 1000000)) "$work/d$s.txt"
    measure "$s MB" "$work/d$s.txt"
  fi
done
