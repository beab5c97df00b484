#!/usr/bin/env bash
# Resource limits: every command under a low address-space limit (ulimit -v) and index writers on
# a full disk (a small tmpfs, when this runs as root and may mount). A command may succeed; if it
# fails it must say so in one line that names the limit (or the full disk) and the --db (or the -o
# file), with no crash trace, and leave the previous index byte for byte and no temporary file.
#
#   Tests/crash/limits.sh [LIMIT_MB…]     default: 120 160 200
#
# Prints: command, limit, outcome (ok | clean error | TRACE | HANG | no message | loader), index intact.
# "loader" means the dynamic loader could not even map Tifa's libraries (below ~100 MB): nothing
# of Tifa ran, so nothing could be said or damaged. Exits 1 on a trace, a hang (300 s), a missing message, or a
# changed index.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
limits=("$@")
[ ${#limits[@]} -gt 0 ] || limits=(120 160 200)
swift build --product tifa >&2
tifa=$root/.build/debug/tifa
work=$(mktemp -d "${TMPDIR:-/tmp}/tifa-limits.XXXXXX")
mounted=""
cleanup() { [ -z "$mounted" ] || umount "$mounted" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
mkdir corpus shard && cp "$root"/seeds/*.txt corpus/ && cp "$root"/seeds/000_*.txt shard/
"$tifa" index build corpus --db x.db --quiet
"$tifa" index build shard --db shard.db --quiet
printf 'rank,form,accept,category,meaning\n1,四支队伍,y,plan,\n' > sheet.csv
printf '# formula\tcategory\tvariants\tsince\tmeaning\n' > lexicon.tsv
status=0
printf 'command\tlimit\toutcome\tindex intact\n' > table.tsv

check() {  # check LABEL LIMIT FILE-THAT-MUST-NOT-CHANGE COMMAND…
  local label=$1 limit=$2 keep=$3
  shift 3
  local before after rc outcome intact=yes
  before=$(sha256sum "$keep" | cut -c1-16)
  set +e
  # A hang is a failure too (a build once waited forever for a thread that could not start).
  ( [ "$limit" = - ] || ulimit -v $((limit * 1024)); exec timeout 300 "$@" ) > out.txt 2> err.txt
  rc=$?
  set -e
  [ $rc -ne 124 ] || echo "tifa: timed out after 300 s (a hang)" >> err.txt
  after=$(sha256sum "$keep" | cut -c1-16)
  # A writer that succeeded changed its file; one that failed must not have.
  [ $rc -eq 0 ] || [ "$before" = "$after" ] || intact=NO
  find . -regextype egrep -regex '.*\.tmp-[0-9]+' | grep -q . && intact="$intact, TEMPORARY LEFT"
  if [ $rc -eq 0 ]; then outcome=ok
  elif grep -q 'error while loading shared libraries' err.txt; then outcome=loader
  elif [ $rc -eq 124 ]; then outcome=HANG
  elif grep -qE 'Backtrac|Signal [0-9]|Stack dump|Current stack trace' err.txt; then outcome=TRACE
  elif grep -q 'tifa: error:' err.txt && { [ "$limit" = - ] || grep -q 'ulimit -v' err.txt; }; then outcome="clean error"
  else outcome="no message"
  fi
  printf '%s\t%s\t%s\t%s\n' "$label" "$limit" "$outcome" "$intact" >> table.tsv
  case "$outcome" in TRACE|HANG|"no message") status=1; sed 's/^/    /' err.txt | head -5 >&2 ;; esac
  [ "$intact" = yes ] || status=1
}

for limit in "${limits[@]}"; do
  touch corpus/000_*.txt  # the incremental build re-reads one file
  check "index build" "$limit" x.db "$tifa" index build corpus --db x.db --quiet
  check "index build --rebuild" "$limit" x.db "$tifa" index build corpus --db x.db --rebuild --quiet
  # More worker threads than this machine's cores, as on a larger one: each thread's first use
  # of a generic type makes the Swift runtime allocate, unchecked (MemoryLimit explains).
  touch corpus/000_*.txt
  check "index build --threads 4" "$limit" x.db "$tifa" index build corpus --db x.db --threads 4 --quiet
  check "segment --threads 4" "$limit" x.db "$tifa" segment --threads 4 corpus
  check "index merge" "$limit" x.db "$tifa" index merge shard.db x.db --db x.db.merged
  check "index info" "$limit" x.db "$tifa" index info --db x.db
  check "top" "$limit" x.db "$tifa" top --db x.db --kind all
  check "trend" "$limit" x.db "$tifa" trend 两不愁三保障 --db x.db
  check "kwic" "$limit" x.db "$tifa" kwic 五个一批 --db x.db
  check "export -o" "$limit" x.db "$tifa" export --db x.db -o long.csv
  check "segment" "$limit" x.db "$tifa" segment corpus
  check "normalize" "$limit" x.db "$tifa" normalize corpus
  check "extract" "$limit" x.db "$tifa" extract corpus
  check "discover" "$limit" x.db "$tifa" discover corpus
  check "discover --into" "$limit" lexicon.tsv "$tifa" discover --accept sheet.csv --into lexicon.tsv
  rm -f x.db.merged*
done

# A full disk: a 512 KiB tmpfs holding a small index, then a build that needs more room.
if [ "$(id -u)" = 0 ] && mkdir -p disk && mount -t tmpfs -o size=512k tmpfs disk 2>/dev/null; then
  mounted=$work/disk
  "$tifa" index build shard --db disk/x.db --quiet
  # Leave less room than a build needs (a copy of the index and more): stored texts are
  # compressed, so the corpus alone no longer fills 512 KiB.
  dd if=/dev/zero of=disk/filler bs=1k count=$(( $(df --output=avail -k disk | tail -1) - 40 )) 2>/dev/null || true
  check "index build (disk full)" - disk/x.db "$tifa" index build corpus --db disk/x.db --quiet
  cat err.txt >&2
  check "index build --rebuild (disk full)" - disk/x.db "$tifa" index build corpus --db disk/x.db --rebuild --quiet
  grep -q 'tifa: error: disk/x.db: ' err.txt || { echo "limits: the full-disk message does not lead with the --db" >&2; status=1; }
  check "index merge (disk full)" - disk/x.db "$tifa" index merge x.db shard.db --db disk/x.db
  rm -f disk/filler
  cp lexicon.tsv disk/lexicon.tsv
  echo "old output" > disk/out.tsv
  dd if=/dev/zero of=disk/filler bs=4k 2>/dev/null || true
  check "discover --into (disk full)" - disk/lexicon.tsv "$tifa" discover --accept sheet.csv --into disk/lexicon.tsv
  check "segment -o (disk full)" - disk/out.tsv "$tifa" segment corpus -o disk/out.tsv
  grep -q 'tifa: error: disk/out.tsv: ' err.txt || { echo "limits: the full-disk message does not name the -o file" >&2; status=1; }

else
  echo "limits: not root or cannot mount a tmpfs: full-disk checks skipped" >&2
fi
column -t -s $'\t' table.tsv
exit $status
