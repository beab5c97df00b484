#!/usr/bin/env python3
"""Regenerates Dictionaries/mixed_words.txt from jieba's dictionary (MIT licence).

Words that mix Latin letters (or digits) with Han characters — A股, T恤, U盘, IC卡, B超, X光,
4S店 — are single words in every segmentation standard, but Tifa's scanner cuts a run of Latin
letters into an atom of its own, and no other lexicon holds them (general_words.txt keeps Han
words only). This script takes from jieba's dict.txt (jieba 0.42.1, PyPI) every entry that holds
both a Latin letter and a Han character and whose part-of-speech tag is a noun other than a
personal name (n, nz, ns, nt …; not nr: 小S, 大S).

jieba lists them all at frequency 3–4 (placeholders), and a Latin atom costs the lattice
nothing, so a word must cost less than its Han part alone: every entry is written with the
frequency 1000000 (a lattice cost of 45, below any single Han character's).

Usage: python3 Dictionaries/tools/mixed_words.py [--jieba-dict PATH]
  (jieba's dict.txt is found through `import jieba` when not given: pip install jieba==0.42.1)
"""
import argparse, os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)
FREQUENCY = 1000000

HEADER = """# Words mixing Latin letters or digits with Han characters (A股, T恤, U盘, IC卡, B超, X光, 4S店):
# one word in every segmentation standard, split by the scanner's Latin atoms otherwise.
# Format: jieba's dictionary format, `word freq` (space-separated). Every entry at freq 1000000,
# a lattice cost of 45: the Latin part is scanned at no cost, so the word must cost less than its
# Han part alone. Sorted, no duplicates, NFKC-normalized (full-width letters as ASCII).
# Source: selected from jieba's dictionary (jieba 0.42.1, dict.txt) by
# Dictionaries/tools/mixed_words.py, which documents the selection; regenerate with it.
# Licence of the source, which applies to this file:
#
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jieba-dict")
    args = parser.parse_args()
    words = set()
    for word, _, tag in jieba_entries(args.jieba_dict):
        word = unicodedata.normalize("NFKC", word)
        if not (re.search(r"[A-Za-z]", word) and re.search(r"[\u4e00-\u9fff]", word)):
            continue
        if not tag.startswith("n") or tag.startswith("nr"):
            continue
        words.add(word)
    write_with_licence("mixed_words.txt", HEADER, (f"{word} {FREQUENCY}" for word in sorted(words)))


def jieba_entries(path=None):
    """(word, frequency, tag) of each entry of jieba's dict.txt (found through `import jieba`
    when `path` is None)."""
    if not path:
        import jieba
        path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    for line in open(path, encoding="utf-8"):
        fields = line.split()
        if len(fields) >= 3:
            yield fields[0], int(fields[1]), fields[2]


def write_with_licence(name, header, lines):
    """Writes Dictionaries/NAME: the header, jieba's licence as a comment, then the lines."""
    out = os.path.join(DICTS, name)
    count = 0
    with open(out, "w", encoding="utf-8") as f:
        f.write(header)
        f.write("".join("# " + l if l.strip() else "#\n" for l in MIT.splitlines(keepends=True)))
        for line in lines:
            f.write(line + "\n")
            count += 1
    print(f"{out}: {count} lines", file=sys.stderr)


MIT = """The MIT License (MIT)

Copyright (c) 2013 Sun Junyi

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

if __name__ == "__main__":
    main()
