#!/usr/bin/env bash
# Peak memory on one long document: a single-document file of SIZE (default 50M) made from the
# generated corpus (Benchmarks/corpusgen.py: every document's text, one after another), run
# through extract, discover, analyze and index build (release build, one core,
# /usr/bin/time %M; MB = 1000 KB as the README quotes them).
#
#   bash Benchmarks/long-document.sh [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-50M}
swift build -c release --product tifa >&2
tifa=$PWD/.build/release/tifa
work=$(mktemp -d "${TMPDIR:-/tmp}/tifa-long.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/corpusgen.py --size "$size" --out "$work/corpus" --traditional none --quiet
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
with open(f"{work}/long.txt", "w", encoding="utf-8") as out:
    for line in open(f"{work}/corpus/corpus.jsonl", encoding="utf-8"):
        out.write(json.loads(line)["text"].replace("\ufffd", "") + "\n")
PY
printf 'command\tpeak RSS MB\tseconds\t(%s bytes, one document)\n' "$(wc -c < "$work/long.txt")"
for command in extract discover analyze "index build"; do
  extra=()
  [ "$command" = "index build" ] && extra=(--db "$work/long.db" --rebuild)
  # shellcheck disable=SC2086  # "index build" is two words
  /usr/bin/time -f "%M %e" -o "$work/time" taskset -c 0 "$tifa" $command "$work/long.txt" "${extra[@]}" >/dev/null 2>"$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  read -r kb seconds < "$work/time"
  printf '%s\t%d\t%s\n' "$command" $((kb / 1000)) "$seconds"
done
