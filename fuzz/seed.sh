#!/usr/bin/env bash
# Build fuzz/corpus/TARGET/ seed corpora from the repository's fixtures.
# Draft targets get one format byte in front (0 text, 1 Markdown, 2 email),
# as fuzz_targets/common.rs reads it.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/{document,lint,fix,rules,config}
i=0
while IFS= read -r -d '' f; do
  case "$f" in
    *.md|*.markdown) b='\x01' ;;
    *.eml) b='\x02' ;;
    *) b='\x00' ;;
  esac
  i=$((i + 1))
  for t in document lint fix; do
    { printf "$b"; cat "$f"; } > "corpus/$t/seed-$i"
  done
done < <(find "$root/fixtures" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.eml' \) -print0)
for f in "$root"/rules/*.yaml; do cp "$f" "corpus/rules/seed-$(basename "$f")"; done
cp "$root/src/init.yaml" corpus/config/seed-init.yaml
printf 'profile: thank-you\nrules:\n  length: {max_words: 150}\n  subject: off\nignore: ["*.bak"]\n' > corpus/config/seed-small.yaml
printf 'subject: Hello\ninterview: 2026-03-02\nvariables: [name]\nemaillint:\n  disable: [length]\n' > corpus/config/seed-front-matter.yaml
echo "seeded: $(ls corpus/lint | wc -l) drafts, $(ls corpus/rules | wc -l) rule files, $(ls corpus/config | wc -l) configs"
