#!/bin/sh
# normalize-speed.sh — decoding and normalization of tifa binaries, measured in the same run.
#
# Usage: Benchmarks/normalize-speed.sh [RUNS] [TEXT] [FOLDER] [TIFA...]
#   RUNS    alternations of the tifa binaries (default 5; report medians)
#   TEXT    UTF-8 text (default: the first 30 MB of Benchmarks/corpora/reports100.txt, which
#           Benchmarks/segment-speed.sh builds)
#   FOLDER  a folder of documents in mixed encodings (default Benchmarks/corpora/10M/docs, made
#           by `Benchmarks/run.sh` through corpusgen.py); skipped when absent
#   TIFA    tifa binaries to compare (default .build/release/tifa)
#
# Per binary and run, on CPU 0 (`taskset -c 0`), CPU seconds (user + system) of:
#   normalize TEXT       `tifa normalize TEXT` (decode, normalize, write UTF-8)
#   normalize FOLDER     `tifa normalize FOLDER` (detection and decoding of every encoding)
#   index FOLDER         `tifa index build FOLDER --threads 1`
# and the normalization rate `tifa segment --stats TEXT` reports (CPU time in
# `Normalizer.normalize` only). The machine is shared: compare medians of alternating runs.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-5}
TEXT=${2:-}
FOLDER=${3:-Benchmarks/corpora/10M/docs}
[ $# -ge 3 ] && shift 3 || shift $#
[ $# -eq 0 ] && set -- .build/release/tifa

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "$TEXT" ]; then
    [ -s Benchmarks/corpora/reports100.txt ] || { echo "normalize-speed: run Benchmarks/segment-speed.sh once to build Benchmarks/corpora/reports100.txt, or give TEXT" >&2; exit 1; }
    TEXT=$WORK/reports30.txt
    head -c 30000000 Benchmarks/corpora/reports100.txt > "$TEXT"
fi

cpu() {  # CPU seconds of a command, its output discarded
    /usr/bin/time -f "%U %S" taskset -c 0 "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.2f", $1 + $2 }'
}

echo "text: $TEXT ($(wc -c < "$TEXT") bytes); folder: $FOLDER"
for i in $(seq "$RUNS"); do
    for tifa in "$@"; do
        line="$tifa: normalize text $(cpu "$tifa" normalize "$TEXT") s"
        if [ -d "$FOLDER" ]; then
            rm -f "$WORK"/index.db*
            line="$line, normalize folder $(cpu "$tifa" normalize "$FOLDER") s, index folder $(cpu "$tifa" index build "$FOLDER" --db "$WORK/index.db" --threads 1 --quiet) s"
        fi
        rate=$(taskset -c 0 "$tifa" segment --stats "$TEXT" 2>&1 >/dev/null | grep "normalization (CPU" | sed 's/.*, //')
        echo "$line, segment --stats normalization $rate"
    done
done
