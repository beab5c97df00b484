#!/usr/bin/env bash
# Builds Tifa's libFuzzer targets (with AddressSanitizer) and runs each for SECONDS.
#
#   Fuzz/run.sh [SECONDS] [TARGET…]      default: 60 s each, every target
#   FUZZ_BUILD=0 Fuzz/run.sh …           without building first
#   FUZZ_MAX_LEN=4096 Fuzz/run.sh …      longest input libFuzzer makes (default: per target, below)
#
# Targets: FuzzDecode FuzzNormalize FuzzSegment FuzzFormulas FuzzCorpus FuzzDictionaries FuzzAnalyses FuzzModel.
# Everything lives in .build-fuzz/ (ignored): the build, the seed corpora (made here from
# seeds/, their GB18030/Big5/UTF-16 re-encodings, test fixtures and Dictionaries/), the growing
# corpora, crash artifacts and logs. Inputs in Fuzz/Regressions/TARGET/ (minimized inputs of
# crashes found and fixed) are run first and must pass.
# Prints one row per target: target, seconds, inputs, inputs/s, crashes (artifacts of this run
# only: those of earlier runs stay in the folder but are not counted); exits 1 on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
all=(FuzzDecode FuzzNormalize FuzzSegment FuzzFormulas FuzzCorpus FuzzDictionaries FuzzAnalyses FuzzModel)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

work=.build-fuzz/fuzz
bin=.build-fuzz/release
# libFuzzer links -sanitize=fuzzer; the main package's C++ (ICU shim) gets coverage and ASan too.
# FUZZ_BUILD=0 runs the binaries already built (a long run while the sources change).
# SwiftPM keeps its build plan of the parent package when files are added to it or removed from
# it (then "missing inputs" or "cannot find type"); removing the plan makes it plan again, and
# the build stays incremental.
[ "${FUZZ_BUILD:-1}" = 0 ] || rm -f .build-fuzz/release.yaml
[ "${FUZZ_BUILD:-1}" = 0 ] || swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
  -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
  -Xcxx -fsanitize=fuzzer-no-link,address 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' >&2

# MARK: Seeds
seeds=$work/seeds
if [ ! -f "$seeds/.done-4" ]; then
  rm -rf "$seeds"
  mkdir -p "$seeds/text" "${all[@]/#/$seeds/}"
  n=0
  # Pieces of the seed reports: short, so that the fuzzer runs fast, and in every encoding.
  for f in seeds/*.txt Tests/TifaTests/Fixtures/*.utf8.txt; do
    for piece in "head -c 120" "head -c 400" "sed -n 5,7p" "tail -c 300"; do
      n=$((n + 1))
      $piece "$f" | iconv -f UTF-8 -t UTF-8 -c > "$seeds/text/$n.utf8" 2>/dev/null || true
      iconv -f UTF-8 -t GB18030 -c < "$seeds/text/$n.utf8" > "$seeds/text/$n.gb18030" || true
      uconv -f UTF-8 -t windows-950 -x Hans-Hant --callback skip < "$seeds/text/$n.utf8" > "$seeds/text/$n.big5" 2>/dev/null || true
      { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE -c < "$seeds/text/$n.utf8"; } > "$seeds/text/$n.utf16le" || true
      iconv -f UTF-8 -t UTF-16BE -c < "$seeds/text/$n.utf8" > "$seeds/text/$n.utf16be" || true
    done
  done
  cp Tests/TifaTests/Fixtures/*.gb18030.txt Tests/TifaTests/Fixtures/*.big5.txt Tests/TifaTests/Fixtures/*.utf16le.txt "$seeds/text/"
  # Each target's first byte chooses its options: seeds carry several.
  selector() { printf "\\x$(printf %02x "$1")"; }
  i=0
  for f in "$seeds"/text/*; do
    i=$((i + 1))
    { selector $((i % 8 + (i % 3 == 0 ? 128 : 0))); cat "$f"; } > "$seeds/FuzzDecode/$i"
    case "$f" in *.utf8)
      { selector $((i % 16)); cat "$f"; } > "$seeds/FuzzNormalize/$i"
      { selector $((i % 2)); cat "$f"; } > "$seeds/FuzzSegment/$i"
      { cat "$f"; printf '\f'; head -c 300 "$f"; } > "$seeds/FuzzFormulas/$i"
      # (head ends the pipe early: tr's SIGPIPE is no error.)
      line=$(tr -d '\n\r\\"' < "$f" | head -c 600 | iconv -f UTF-8 -t UTF-8 -c 2>/dev/null || true)
      { selector $((i % 64 & ~3))
        printf '{"title":"t%d","date":"2019-03-0%d","region":"四川","content":"%s"}\n{"title":"u","content":"%s"}\n' \
          "$i" $((i % 9 + 1)) "$line" "${line:0:40}"; } > "$seeds/FuzzCorpus/j$i"
      { selector $((i % 64 | 1 | 64))
        printf '<html><head><title>标题</title><script>x=1</script></head><body><p>%s</p><br/>&amp;&#25991;</body></html>' "$line"
      } > "$seeds/FuzzCorpus/h$i" ;;
    *.gb18030|*.big5) { selector $((i % 64 & ~3 | 2)); cat "$f"; } > "$seeds/FuzzCorpus/t$i" ;;
    esac
  done
  for d in domain_words.txt:0 policy_formulas.tsv:1 discovery_stoplist.txt:2 segmentation_words.txt:3; do
    file=${d%:*}; number=${d#*:}
    for range in 1,30p 30,60p 60,200p; do
      { selector "$number"; sed -n "$range" "Dictionaries/$file"; } > "$seeds/FuzzDictionaries/$number-$range"
    done
  done
  { printf '\x01'; cat Tests/TifaTests/Fixtures/test_lexicon.tsv; } > "$seeds/FuzzDictionaries/test_lexicon"
  { printf '\x00'; cat Fuzz/Data/user_dictionary.txt; } > "$seeds/FuzzDictionaries/user_dictionary"
  # Records of `tifa analyze` (Fuzz/Data/analyses.jsonl), one per seed.
  n=0
  while IFS= read -r record; do n=$((n + 1)); printf '%s\n' "$record" > "$seeds/FuzzAnalyses/$n"; done < Fuzz/Data/analyses.jsonl
  # A small model file (its first byte is the option byte, which FuzzModel ignores).
  { printf '\x00'; cat Fuzz/Data/tiny_model.bin; } > "$seeds/FuzzModel/tiny_model"
  touch "$seeds/.done-4"
fi

# MARK: Runs
export SWIFT_BACKTRACE=enable=no   # Swift's crash handler would hang the run on the first crash
status=0
results=$work/results.tsv
printf 'target\tseconds\tinputs\tinputs/s\tcrashes\n' > "$results"
for t in "${targets[@]}"; do
  [ -x "$bin/$t" ] || { echo "run.sh: unknown target $t (one of ${all[*]})" >&2; exit 2; }
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  started=$work/artifacts/$t/.started
  touch "$started"
  log=$work/$t.log
  if [ -d "Fuzz/Regressions/$t" ] && ls "Fuzz/Regressions/$t"/* >/dev/null 2>&1; then
    if ! "$bin/$t" "Fuzz/Regressions/$t"/* > "$work/$t.regressions.log" 2>&1; then
      echo "run.sh: $t fails on a regression input (see $work/$t.regressions.log)" >&2
      status=1
    fi
  fi
  # Short inputs keep the rate in the thousands a second: the cost of every target grows with
  # the input (discovery counts every n-gram of up to 10 characters), and libFuzzer's corpus
  # drifts to max_len. What the layers do differently at a size lies below these lengths
  # (decoding's plausibility test below 512 bytes, one line, a few sentences); the limits far
  # above them (a 16 KiB detection sample, 64 Ki-character chunks, 4,096-atom lattices) are
  # unit tests.
  case $t in
    FuzzDecode) max_len=1024 ;;
    FuzzSegment|FuzzFormulas) max_len=256 ;;
    FuzzModel) max_len=32768 ;;  # the seed model is 19.7 KB
    *) max_len=512 ;;
  esac
  max_len=${FUZZ_MAX_LEN:-$max_len}
  set +e
  "$bin/$t" "$work/corpus/$t" "$seeds/$t" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" > "$log" 2>&1
  rc=$?
  set -e
  # (No "Done" line when a target stops on a finding: `|| true` keeps set -e from ending the report.)
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  took=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE 'in [0-9]+' | grep -oE '[0-9]+' | tail -1 || true)
  crashes=$(find "$work/artifacts/$t" -maxdepth 1 -newer "$started" -regextype egrep \
    -regex '.*/(crash|leak|timeout|oom|slow-unit)-[^/]*' | wc -l)
  [ -n "$took" ] || took=$seconds
  rate=$(( ${runs:-0} / (took > 0 ? took : 1) ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$took" "${runs:-0}" "$rate" "$crashes" | tee -a "$results"
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    echo "run.sh: $t stopped with status $rc; artifacts in $work/artifacts/$t, log $log:" >&2
    grep -E 'ERROR|Fatal|fatal|panic|SUMMARY' "$log" | head -5 >&2
    status=1
  fi
done
exit $status
