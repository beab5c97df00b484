#!/usr/bin/env bash
# Runs examples/spark/tifa_spark.py with Spark in local mode on the seeds and on the bundled corpus
# (../shared/corpus/cpc_congress_reports.jsonl beside the checkout, when present), and checks both
# Spark-built indexes against a single-machine build. Not part of CI (a few minutes).
#
#   bash examples/spark/run.sh [--partitions N] [--corpus FILE.jsonl …]
#
# Installs what it needs: Debian's openjdk-17-jre-headless (as root, when java is missing), a
# virtual environment examples/spark/.venv with pyspark from PyPI, and tifa built in release.
# Output goes to examples/spark/work/ (gitignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
partitions=4
corpora=()
while [ $# -gt 0 ]; do
    case "$1" in
        --partitions) partitions="$2"; shift ;;
        --corpus) corpora+=("$2"); shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
step() { echo "[spark/run.sh $(date +%H:%M:%S)] $*" >&2; }

if ! command -v java >/dev/null; then
    step "installing openjdk-17-jre-headless"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -x "$here/.venv/bin/python" ] || ! "$here/.venv/bin/python" -c "import pyspark" 2>/dev/null; then
    step "creating $here/.venv with pyspark"
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q pyspark
fi
tifa="${TIFA:-$repo/.build/release/tifa}"
if [ -z "${TIFA:-}" ]; then
    step "building tifa (release)"
    (cd "$repo" && swift build -c release --product tifa >/dev/null)
fi
export TIFA_DICTIONARIES="${TIFA_DICTIONARIES:-$repo/Dictionaries}"

work="$here/work"
mkdir -p "$work"
if [ ${#corpora[@]} -eq 0 ]; then
    # The seeds as JSON Lines records (title = file name, content = text, date = the first date
    # in the page's first 500 characters, where there is one: 发布日期:2019-09-23, 2018年06月08日).
    "$here/.venv/bin/python" - "$repo/seeds" "$work/seeds.jsonl" <<'PY'
import json, os, re, sys
folder, target = sys.argv[1], sys.argv[2]
with open(target, "w", encoding="utf-8") as out:
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            record = {"title": name, "content": text}
            date = re.search(r"(?:19|20)\d\d[-年/.]\d{1,2}", text[:500])
            if date:
                record["date"] = date.group(0)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
PY
    corpora=("$work/seeds.jsonl")
    shared="$repo/../shared/corpus/cpc_congress_reports.jsonl"
    [ -f "$shared" ] && corpora+=("$shared")
fi

status=0
for corpus in "${corpora[@]}"; do
    name="$(basename "$corpus" .jsonl)"
    step "$name: spark local[2], $partitions partitions"
    "$here/.venv/bin/python" "$here/tifa_spark.py" "$corpus" --out "$work/$name" --partitions "$partitions" \
        --tifa "$tifa" --mode both --check || status=1
done
exit $status
