#!/bin/sh
# segment-speed.sh — `tifa segment` against rjieba (jieba-rs), measured in the same run.
#
# Usage: Benchmarks/segment-speed.sh [RUNS] [CORPUS] [TIFA...]
#   RUNS    alternations of every tifa binary and rjieba (default 3; report medians)
#   CORPUS  UTF-8 text; default Benchmarks/corpora/reports100.txt, built on first use (≥ 100 MB)
#           from ../shared/corpus/cpc_congress_reports.jsonl (field `content`) and seeds/*.txt
#   TIFA    tifa binaries to compare (default .build/release/tifa; build it with
#           `swift build -c release --product tifa`)
#
# Every process is pinned to CPU 0 (`taskset -c 0`) and timed whole with /usr/bin/time
# (wall, user, peak RSS). tifa is given `--threads 1` (when it has the option): builds of
# 1af17ac…9a0a989 started a worker per core of the machine even under taskset, and workers
# sharing CPU 0 with the reading thread would measure thread switches, not segmentation (later
# builds count the cores of their CPU affinity); one thread is the one-core path. Each side also reports its own segmentation time in CPU seconds:
# tifa's `--stats` (segmentation with text output, dictionary load) and rjieba's loop of
# `rjieba.cut` over the lines. The machine is shared, so compare medians of alternating runs.
# rjieba is installed from PyPI into Benchmarks/.venv on first use.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-3}
CORPUS=${2:-Benchmarks/corpora/reports100.txt}
[ $# -ge 2 ] && shift 2 || shift $#
[ $# -eq 0 ] && set -- .build/release/tifa

if [ ! -x Benchmarks/.venv/bin/python ]; then
    python3 -m venv Benchmarks/.venv
    Benchmarks/.venv/bin/pip install --quiet rjieba
fi
PY=Benchmarks/.venv/bin/python

if [ ! -s "$CORPUS" ]; then
    [ -f ../shared/corpus/cpc_congress_reports.jsonl ] || { echo "segment-speed: no corpus: $CORPUS (and ../shared/corpus is absent)" >&2; exit 1; }
    mkdir -p "$(dirname "$CORPUS")"
    "$PY" - "$CORPUS" <<'EOF'
import glob, json, sys
parts = [json.loads(l)["content"] for l in open("../shared/corpus/cpc_congress_reports.jsonl", encoding="utf-8") if l.strip()]
parts += [open(p, encoding="utf-8").read() for p in sorted(glob.glob("seeds/*.txt"))]
block = "\n".join(parts) + "\n"
with open(sys.argv[1], "w", encoding="utf-8") as out:
    written = 0
    while written < 100_000_000:
        out.write(block)
        written += len(block.encode())
EOF
fi

PEER=$(mktemp)
trap 'rm -f "$PEER"' EXIT
cat > "$PEER" <<'EOF'
import sys, time, rjieba
data = open(sys.argv[1], encoding="utf-8", errors="replace").read()
lines = data.split("\n")
nbytes = len(data.encode())
t = time.process_time()
n = 0
for l in lines:
    n += len(rjieba.cut(l))
dt = time.process_time() - t
print(f"segmentation {nbytes / 1e6 / dt:.1f} MB/s ({dt:.2f} s CPU, {n} tokens)")
EOF

echo "corpus: $CORPUS, $(wc -c < "$CORPUS") bytes"
for i in $(seq "$RUNS"); do
    for tifa in "$@"; do
        threads=$("$tifa" segment --help | grep -q -- --threads && echo "--threads 1" || true)
        # shellcheck disable=SC2086
        /usr/bin/time -f "wall %e s, user %U s, peak RSS %M KB" taskset -c 0 "$tifa" segment $threads --stats "$CORPUS" 2>&1 >/dev/null \
            | grep -E "^wall|dictionary load|segmentation" | tr '\n' ' ' | sed "s|^|$tifa: |"
        echo
    done
    /usr/bin/time -f "wall %e s, user %U s, peak RSS %M KB" taskset -c 0 "$PY" "$PEER" "$CORPUS" 2>&1 | tr '\n' ' ' | sed "s|^|rjieba: |"
    echo
done
