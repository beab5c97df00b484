#!/bin/sh
# segment-threads.sh — `tifa segment --threads 1` against `--threads N` on one corpus.
#
# Usage: Benchmarks/segment-threads.sh [RUNS] [N] [CORPUS] [TIFA]
#   RUNS    alternations of the two (default 3; medians are printed)
#   N       threads of the second (default: the machine's cores)
#   CORPUS  default Benchmarks/corpora/reports100.txt (Benchmarks/segment-speed.sh builds it)
#   TIFA    default .build/release/tifa
#
# Each run is timed whole with /usr/bin/time (wall, user CPU, peak RSS), unpinned: the point is
# the cores. The two outputs must be byte-identical (cmp). On a shared machine other work takes
# cores too: compare the medians of the same run, and read the load printed first.
set -eu
cd "$(dirname "$0")/.."
RUNS=${1:-3}
N=${2:-$(nproc)}
CORPUS=${3:-Benchmarks/corpora/reports100.txt}
TIFA=${4:-.build/release/tifa}
[ -s "$CORPUS" ] || { echo "segment-threads: no corpus: $CORPUS (Benchmarks/segment-speed.sh builds it)" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "corpus: $CORPUS, $(wc -c < "$CORPUS") bytes; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
    for t in 1 "$N"; do
        /usr/bin/time -f "%e %U %M" -o "$OUT/time" "$TIFA" segment --threads "$t" "$CORPUS" > "$OUT/out$t" 2> /dev/null
        echo "$t $(cat "$OUT/time")" >> "$OUT/runs"
        echo "--threads $t: $(awk '{print $1 " s wall, " $2 " s user, peak RSS " $3 " KB"}' "$OUT/time")"
    done
    cmp -s "$OUT/out1" "$OUT/out$N" || { echo "segment-threads: --threads 1 and --threads $N differ" >&2; exit 1; }
done
echo "outputs identical (cmp)"
median() {  # median of column $2 of the runs of --threads $1
    awk -v t="$1" -v k="$2" '$1 == t { print $k }' "$OUT/runs" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
for t in 1 "$N"; do
    echo "median --threads $t: $(median "$t" 2) s wall, $(median "$t" 3) s user, peak RSS $(median "$t" 4) KB"
done
