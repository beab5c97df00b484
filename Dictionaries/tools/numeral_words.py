#!/usr/bin/env python3
"""Regenerates Dictionaries/numeral_words.txt from jieba's dictionary (MIT licence).

`tifa discover` looks for numbered phrases (三农, 两不愁三保障); many words with a numeral in
them are no policy formula but a place (四川, 三门峡, 三峡), a person's name, an idiom or a set
phrase (一哄而起, 千篇一律, 三心二意). This script lists the words of jieba's dict.txt (jieba
0.42.1, PyPI) that contain a Chinese numeral (一 … 十, 两, 百, 千, 万, 零, 〇) and carry one of the
part-of-speech tags
  - ns place name, nr / nrt / nrfg person name (rule `place` of FormulaDiscoverer),
  - i idiom, l set phrase (rule `idiom`);
all Han, 2 to 8 characters, any frequency. jieba tags political set phrases as `l` too (一国两制,
两手抓, 三步走): the discoverer lets corpus evidence (quotes, other numbers before the same
name, a counted name: 两条路线) override the tag, and documents that.

Usage: python3 Dictionaries/tools/numeral_words.py [--jieba-dict PATH] [--out PATH]
  (without --jieba-dict the jieba 0.42.1 source package is downloaded with pip into a temporary
  folder and its checksum verified, as by non_noun_words.py)
"""
import argparse, os, sys, tempfile

from general_words import is_han
from non_noun_words import jieba_dict, write_tagged_words

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)
TAGS = {"ns", "nr", "nrt", "nrfg", "i", "l"}
NUMERALS = set("一二三四五六七八九十两百千万零〇")

HEADER = """# Words with a numeral that are places, names, idioms or set phrases (四川, 三门峡, 一哄而起, 千篇一律)
# by jieba's part-of-speech tags: `tifa discover` drops such candidates (rules `place`, `idiom`)
# unless the corpus shows them used as a formula (quoted, or other numbers before the same name).
# Format: `word tag`, space-separated; tag is jieba's (ns place, nr/nrt/nrfg person, i idiom, l set
# phrase). Sorted, no duplicates.
# Source: selected from jieba's dictionary (jieba 0.42.1, dict.txt) by
# Dictionaries/tools/numeral_words.py, which documents the selection; regenerate with it.
# Licence of the source, which applies to this file:
#
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jieba-dict", help="jieba 0.42.1's dict.txt")
    ap.add_argument("--out", default=os.path.join(DICTS, "numeral_words.txt"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        words = {}
        for line in open(jieba_dict(args.jieba_dict, tmp), encoding="utf-8"):
            word, _, tag = line.split()
            if tag in TAGS and 2 <= len(word) <= 8 and all(is_han(c) for c in word) and NUMERALS & set(word):
                words[word] = tag
    write_tagged_words(args.out, HEADER, words)


if __name__ == "__main__":
    main()
