#!/usr/bin/env bash
# Peak memory and time on a corpus of MANY tiny files: N files of a few hundred bytes of Chinese
# (slices of seeds/*.txt, seeded, so the same N gives the same corpus) in nested folders of at
# most 1000 files, run through `index build --threads 2`, an incremental rebuild after some
# files are changed, removed and added, `analyze`, `extract` and `discover` (/usr/bin/time %M;
# MB = 1000 KB as the README quotes them). With several tifa binaries (e.g. main's and this
# checkout's) each command runs with each binary in turn, and their outputs are compared:
# analyze, extract and discover byte for byte, the indexes as `sqlite3 .dump` without their
# build times.
#
#   bash Benchmarks/many-files.sh N [TIFA…]      # default TIFA: this checkout's release build
#
# Disk: about 4 KB a file (one block each) plus the indexes; the work folder is removed at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:?usage: many-files.sh N [TIFA…]}
shift
binaries=("$@")
if [ ${#binaries[@]} -eq 0 ]; then
  swift build -c release --product tifa >&2
  binaries=("$PWD/.build/release/tifa")
fi
export TIFA_DICTIONARIES=${TIFA_DICTIONARIES:-$PWD/Dictionaries}
work=$(mktemp -d "${TMPDIR:-/tmp}/tifa-many.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The corpus: folder dNNN/ holds sub-folders of 1000 files, 100 of them per top folder.
python3 - "$count" "$work/corpus" seeds <<'PY'
import os, random, sys
count, root, seeds = int(sys.argv[1]), sys.argv[2], sys.argv[3]
text = "".join(open(os.path.join(seeds, n), encoding="utf-8").read() for n in sorted(os.listdir(seeds)) if n.endswith(".txt"))
text = text.replace("\n", "")
rng = random.Random(11)
for i in range(count):
    folder = os.path.join(root, f"d{i // 100000:03d}", f"报告{i // 1000 % 100:02d}")
    if i % 1000 == 0: os.makedirs(folder, exist_ok=True)
    start = rng.randrange(0, len(text) - 200)
    with open(os.path.join(folder, f"{i:07d}_文件.txt"), "w", encoding="utf-8") as f:
        f.write(text[start:start + rng.randrange(80, 160)] + "\n")
PY

# Changes for the incremental rebuild: 1% of the files rewritten, 1% removed, 1% new (in a new
# folder), 1% touched with the same content (read again, their documents kept).
change_corpus() {
  python3 - "$count" "$work/corpus" <<'PY'
import os, sys, time
count, root = int(sys.argv[1]), sys.argv[2]
def path(i): return os.path.join(root, f"d{i // 100000:03d}", f"报告{i // 1000 % 100:02d}", f"{i:07d}_文件.txt")
step = 100
for i in range(0, count, step):
    with open(path(i), "a", encoding="utf-8") as f: f.write("坚持精准扶贫精准脱贫。\n")
for i in range(1, count, step):
    os.remove(path(i))
later = time.time() + 10
for i in range(2, count, step):
    os.utime(path(i), (later, later))
os.makedirs(os.path.join(root, "new"), exist_ok=True)
for i in range(0, count, step):
    with open(os.path.join(root, "new", f"{i:07d}.txt"), "w", encoding="utf-8") as f: f.write("新增文件：两不愁三保障。\n")
PY
}

measure() {  # NAME COMMAND… — prints the row, the output goes to $work/out
  local name=$1; shift
  /usr/bin/time -f "%M %e" -o "$work/time" "$@" >"$work/out" 2>"$work/stderr" || {
    status=$?
    # Exit 3: the command finished but skipped some inputs; anything else is a failure.
    [ $status -eq 3 ] || { cat "$work/stderr" >&2; exit 1; }
  }
  read -r kb seconds < "$work/time"
  printf '%s\t%s\t%d\t%s\n' "$count" "$name" $((kb / 1000)) "$seconds"
}

dump() {  # DB — the index's rows without the build's times
  sqlite3 "$1" .dump | grep -v -e "'created_at'" -e "'updated_at'" | sha256sum | cut -c1-16
}

printf 'files\tcommand (binary)\tpeak RSS MB\tseconds\n'
for phase in build analyze extract discover; do
  for i in "${!binaries[@]}"; do
    tifa=${binaries[$i]}
    case $phase in
      build) measure "index build #$i" "$tifa" index build "$work/corpus" --db "$work/index-$i.db" --threads 2 --quiet
             dump "$work/index-$i.db" > "$work/dump-$i" ;;
      analyze) measure "analyze #$i" "$tifa" analyze "$work/corpus"
               sha256sum < "$work/out" | cut -c1-16 > "$work/analyze-$i" ;;
      extract) measure "extract #$i" "$tifa" extract "$work/corpus"
               sha256sum < "$work/out" | cut -c1-16 > "$work/extract-$i" ;;
      discover) measure "discover #$i" "$tifa" discover "$work/corpus" --format tsv
                sha256sum < "$work/out" | cut -c1-16 > "$work/discover-$i" ;;
    esac
  done
done
change_corpus
for i in "${!binaries[@]}"; do
  measure "index build, incremental #$i" "${binaries[$i]}" index build "$work/corpus" --db "$work/index-$i.db" --threads 2 --quiet
  dump "$work/index-$i.db" > "$work/update-$i"
  measure "index build, up to date #$i" "${binaries[$i]}" index build "$work/corpus" --db "$work/index-$i.db" --threads 2 --quiet
done
for i in "${!binaries[@]}"; do
  printf '#%s %s: index %s, incremental %s, analyze %s, extract %s, discover %s\n' "$i" "${binaries[$i]}" \
    "$(cat "$work/dump-$i")" "$(cat "$work/update-$i")" "$(cat "$work/analyze-$i")" "$(cat "$work/extract-$i")" "$(cat "$work/discover-$i")"
done
same=yes
for kind in dump update analyze extract discover; do
  for i in "${!binaries[@]}"; do cmp -s "$work/$kind-0" "$work/$kind-$i" || same=no; done
done
echo "outputs identical across binaries: $same"
