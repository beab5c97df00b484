#!/usr/bin/env bash
# The one command that regenerates Benchmarks/RESULTS.md from scratch:
#
#   Benchmarks/run.sh                      # full run: corpora of 1M,10M,100M,1G (long; prints progress)
#   Benchmarks/run.sh --quick              # 1M,10M, side by side on 10M with 3 runs, no Swift suite
#   Benchmarks/run.sh --sizes 1M,10M,100M  # choose the scaling sizes
#   options: --compare-size 10M (side-by-side corpus), --runs 3, --runs-large 1 (at 1 GB),
#            --no-swift-suite (skip the ordo-one per-layer suite)
#
# It installs what it needs: apt packages time, libicu-dev, pkg-config, python3-venv when missing
# (as root), a virtual environment Benchmarks/.venv with jieba, rjieba, opencc (the C++ library's
# binding), pyicu and scikit-learn from PyPI; builds tifa in release; generates the corpora in
# Benchmarks/corpora/ (gitignored; about 2.2× the largest size on disk); runs the measurements;
# writes Benchmarks/RESULTS.md, throughput.svg, scaling.svg and results.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
sizes="1M,10M,100M,1G"
compare="10M"
runs=3
runs_large=1
swift_suite=1
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) sizes="1M,10M"; compare="10M"; runs=3; swift_suite=0 ;;
        --sizes) sizes="$2"; shift ;;
        --compare-size) compare="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --runs-large) runs_large="$2"; shift ;;
        --no-swift-suite) swift_suite=0 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

step() { echo "[run.sh $(date +%H:%M:%S)] $*" >&2; }

# 1. System packages.
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v taskset >/dev/null || missing+=(util-linux)
pkg-config --exists icu-uc 2>/dev/null || missing+=(libicu-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ -f /usr/include/libdeflate.h ] || missing+=(libdeflate-dev)
if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]} with apt-get"
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" libsqlite3-dev build-essential >/dev/null
fi

# 2. Peers from PyPI, in a local virtual environment.
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    step "creating $venv"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import jieba, rjieba, opencc, icu, sklearn' 2>/dev/null; then
    step "installing jieba rjieba opencc pyicu scikit-learn into $venv (PyICU compiles against libicu-dev)"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q jieba rjieba opencc pyicu scikit-learn
fi

# 3. tifa, release build.
step "building tifa (release)"
swift build --package-path "$repo" -c release --product tifa 2>&1 | tail -1 >&2
tifa="$(swift build --package-path "$repo" -c release --show-bin-path)/tifa"

# 4. The 1 MB corpus first: the Swift suite reads it.
"$venv/bin/python" "$here/corpusgen.py" --size 1M --out "$here/corpora/1M" --quiet

# 5. The ordo-one per-layer suite (throughput and allocations per layer).
suite_out=""
if [ "$swift_suite" = 1 ]; then
    step "running the per-layer Swift suite: swift package --package-path Benchmarks benchmark"
    suite_out="$here/work/swift-suite.txt"
    mkdir -p "$here/work"
    if ! swift package --package-path "$here" benchmark --no-progress > "$suite_out" 2>&1; then
        step "the Swift suite failed; its output is in $suite_out"
        tail -5 "$suite_out" >&2
    fi
fi

# 6. Corpora, side by side, scaling, report.
step "side by side on $compare, scaling on $sizes, $runs runs each ($runs_large at 1 GB)"
"$venv/bin/python" "$here/bench.py" --tifa "$tifa" --python "$venv/bin/python" \
    --sizes "$sizes" --compare-size "$compare" --runs "$runs" --runs-large "$runs_large" \
    ${suite_out:+--swift-suite-output "$suite_out"} \
    --command-line "Benchmarks/run.sh${*:+ $*}"
step "done: $here/RESULTS.md"
