#!/usr/bin/env bash
# Crash tests of every write path: kills each writer at random moments (SIGKILL and SIGINT,
# alternately) and checks that what is left is exactly the old or the new state, and that no
# temporary file outlives the next command.
#
#   Tests/crash/run.sh [KILLS] [PATH…]     default: 100 kills per path, every path
#
# Paths:
#   fresh        index build into a new --db (old state: no index)
#   incremental  index build after a file was changed, one removed and one added
#   options      index build with changed analysis options (--no-t2s: a new fingerprint, so
#                everything is re-indexed over the old index)
#   dictionary   index build with another --dict: only the documents holding a changed word are
#                re-indexed over the old index, the others kept
#   notexts      index build --no-texts over an index with texts: the texts are dropped and the
#                file compacted (VACUUM), nothing re-indexed
#   merge        index merge SHARD… --db DB over an existing index (of the first shard's corpus)
#   discover     discover --accept SHEET --into LEXICON (an existing lexicon gets new lines)
#
# For every kill: PRAGMA integrity_check, a content signature (documents, term counts, term
# statistics, formula occurrences; independent of ids) and `tifa top` compared with clean runs;
# lexicons compared byte for byte. "leftovers" counts temporary files (DB.tmp-*, LEXICON.tmp-*)
# still there after the next command (the same writer run again to completion).
# Prints: path, kills, old, new, corrupt, leftovers (and how many temporaries the kill itself
# left, which the next command must remove). Exits 1 if any kill left a corrupt state or a leftover.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
kills=${1:-100}
[ $# -gt 0 ] && shift
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(fresh incremental options dictionary notexts merge discover)

swift build --product tifa >&2
tifa=$root/.build/debug/tifa
command -v sqlite3 >/dev/null || { echo "crash test: sqlite3 is needed (.ci/setup installs it)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tifa-crash.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# The state of an index as text, independent of document and term ids; "absent" when there is none.
signature() {
  local db=$1
  [ -f "$db" ] || { echo absent; return; }
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)" = ok ] || { echo corrupt; return; }
  {
    sqlite3 "$db" "SELECT value FROM meta WHERE key IN ('build_complete', 'options') ORDER BY key;
      SELECT name, source, tokens, chars, checksum, metadata FROM documents ORDER BY name, source;
      SELECT d.name, t.text, t.kind, dt.count FROM doc_terms dt JOIN documents d USING (doc_id) JOIN terms t USING (term_id) ORDER BY 1, 2, 3;
      SELECT t.text, t.kind, s.df, s.cf FROM term_stats s JOIN terms t USING (term_id) ORDER BY 1, 2;
      SELECT d.name, t.text, f.start, f.\"end\", f.surface FROM formula_occurrences f JOIN documents d USING (doc_id) JOIN terms t USING (term_id) ORDER BY 1, 2, 3;
      SELECT COUNT(*) FROM texts; SELECT COUNT(*) FROM terms;" 2>&1
    "$tifa" top --db "$db" --kind all --limit 40 2>&1
  } | sha256sum | cut -c1-16
}

temporaries() { ls -1 | grep -c -E "\.tmp-[0-9]+$" || true; }

# Milliseconds a command takes, uninterrupted.
duration() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

# Starts "$@" in the background, kills it after a random delay in [0, 1.2 × typical], waits.
# Alternates SIGKILL and SIGINT by the kill number $1.
kill_randomly() {
  local n=$1 typical=$2
  shift 2
  local ms=$(( (RANDOM * 32768 + RANDOM) % (typical * 12 / 10 + 1) ))
  local signal=KILL
  [ $((n % 2)) -eq 1 ] && signal=INT
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -s "$signal" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

printf 'path\tkills\told\tnew\tcorrupt\tleftovers\ttemporaries after the kill\n' > table.tsv
status=0

# Corpus A: the seed reports; B: one changed, one removed, one added.
mkdir -p corpus
cp "$root"/seeds/*.txt corpus/
make_corpus_b() {
  printf '\n补充：坚持“两不愁三保障”，落实“五个一批”。\n' >> corpus/000_*.txt
  rm corpus/004_*.txt
  printf '新增文件：实施乡村振兴战略，巩固拓展脱贫攻坚成果。\n' > corpus/005_added.txt
}

for path in "${paths[@]}"; do
  old=0 new=0 corrupt=0 leftovers=0 after_kill=0
  case $path in
    fresh|incremental|options|dictionary|notexts|merge)
      rm -rf corpus shard* x.db* clean*.db* && mkdir corpus && cp "$root"/seeds/*.txt corpus/
      extra=() old_extra=()
      [ "$path" = options ] && extra=(--no-t2s)
      [ "$path" = notexts ] && extra=(--no-texts)
      if [ "$path" = dictionary ]; then
        printf '精准扶贫 5\n' > old.dict
        printf '精准扶贫 50000\n脱贫攻坚成果\n乡村振兴战略\n' > new.dict
        old_extra=(--dict old.dict) extra=(--dict new.dict)
      fi
      writer=("$tifa" index build corpus --db x.db --quiet)
      if [ "$path" = merge ]; then
        mkdir shard1 shard2 && cp "$root"/seeds/00[012]_*.txt shard1/ && cp "$root"/seeds/00[34]_*.txt shard2/
        "$tifa" index build shard1 --db shard1.db --quiet && "$tifa" index build shard2 --db shard2.db --quiet
        cp shard1.db old.db
        "$tifa" index merge shard1.db shard2.db --db clean.db >/dev/null 2>&1
        writer=("$tifa" index merge shard1.db shard2.db --db x.db)
      else
        "$tifa" index build corpus --db old.db --quiet "${old_extra[@]}"
        [ "$path" = incremental ] && make_corpus_b
        "$tifa" index build corpus --db clean.db --quiet "${extra[@]}"
      fi
      if [ "$path" = fresh ]; then rm -f old.db; old_sig=absent; else old_sig=$(signature old.db); fi
      new_sig=$(signature clean.db)
      [ "$old_sig" != "$new_sig" ] || { echo "crash test: $path: old and new states are the same" >&2; exit 2; }
      restore() { rm -f x.db; [ -f old.db ] && cp -p old.db x.db; return 0; }
      restore
      typical=$(duration "${writer[@]}" "${extra[@]}")
      [ "$(signature x.db)" = "$new_sig" ] || { echo "crash test: $path: an uninterrupted run does not give the clean state" >&2; exit 2; }
      for ((k = 0; k < kills; k++)); do
        restore
        kill_randomly "$k" "$typical" "${writer[@]}" "${extra[@]}"
        after_kill=$((after_kill + $(temporaries)))
        sig=$(signature x.db)
        if [ "$sig" = "$old_sig" ]; then old=$((old + 1))
        elif [ "$sig" = "$new_sig" ]; then new=$((new + 1))
        else corrupt=$((corrupt + 1)); cp x.db "$root/.build/crash-$path-$k.db" 2>/dev/null || true
        fi
        # The next command: the same writer, run to completion.
        "${writer[@]}" "${extra[@]}" >/dev/null 2>&1 || true
        leftovers=$((leftovers + $(temporaries)))
      done ;;
    discover)
      rm -f lexicon.tsv* sheet.csv
      printf '# formula\tcategory\tvariants\tsince\tmeaning\n已有提法\tplan\t-\t-\t-\n' > old.tsv
      printf 'rank,form,accept,category,meaning\n1,四支队伍,y,plan,\n2,八办三组,y,poverty,\n3,一站式,n,,\n4,三联全覆盖,y,governance,-\n' > sheet.csv
      cp old.tsv lexicon.tsv
      "$tifa" discover --accept sheet.csv --into lexicon.tsv >/dev/null 2>&1
      cp lexicon.tsv new.tsv
      cmp -s old.tsv new.tsv && { echo "crash test: discover: old and new lexicons are the same" >&2; exit 2; }
      cp old.tsv lexicon.tsv
      typical=$(duration "$tifa" discover --accept sheet.csv --into lexicon.tsv)
      for ((k = 0; k < kills; k++)); do
        cp old.tsv lexicon.tsv
        kill_randomly "$k" "$typical" "$tifa" discover --accept sheet.csv --into lexicon.tsv
        after_kill=$((after_kill + $(temporaries)))
        if cmp -s lexicon.tsv old.tsv; then old=$((old + 1))
        elif cmp -s lexicon.tsv new.tsv; then new=$((new + 1))
        else corrupt=$((corrupt + 1)); cp lexicon.tsv "$root/.build/crash-discover-$k.tsv" 2>/dev/null || true
        fi
        "$tifa" discover --accept sheet.csv --into lexicon.tsv >/dev/null 2>&1 || true
        leftovers=$((leftovers + $(temporaries)))
      done ;;
    *) echo "crash test: unknown path $path (fresh incremental options dictionary notexts merge discover)" >&2; exit 2 ;;
  esac
  printf '%s\t%d\t%d\t%d\t%d\t%d\t%d\n' "$path" "$kills" "$old" "$new" "$corrupt" "$leftovers" "$after_kill" | tee -a table.tsv >&2
  [ "$corrupt" -eq 0 ] && [ "$leftovers" -eq 0 ] || status=1
done
echo
column -t -s $'\t' table.tsv
exit $status
