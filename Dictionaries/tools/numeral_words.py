#!/usr/bin/env python3
"""Regenerates Dictionaries/numeral_words.txt from jieba's dictionary (MIT licence).

`tifa discover` looks for numbered phrases (三农, 两不愁三保障); many words with a numeral in
them are no policy formula but a place (四川, 三门峡, 三峡), a person's name, an idiom or a set
phrase (一哄而起, 千篇一律, 三心二意). This script lists the words of jieba's dict.txt (jieba
0.42.1, PyPI) that contain a Chinese numeral (一 … 十, 两, 百, 千, 万, 零, 〇) and carry one of the
part-of-speech tags
  - ns place name, nr / nrt / nrfg person name (rule `place` of FormulaDiscoverer),
  - i idiom, l set phrase (rule `idiom`);
  - nt organisation name (rule `place`: 四川长虹, 三总部);
  - the tags of everyday words — common nouns, numerals and classifiers, time and place words,
    adverbs, distinguishing and status words, verbs, adjectives … (EVERYDAY_TAGS: 一等奖 n,
    两面派 n, 二手房 n, 一会儿 m, 两侧 f, 一幅幅 d, 十佳 z) — with a frequency of at least
    EVERYDAY_MIN_FREQUENCY (10, as for general_words.txt and non_noun_words.txt: rarer entries
    are specialist terms such as 三下乡 m 3) (rule `everyday-word`);
all Han, 2 to 8 characters, any frequency for the first four kinds. Left out: nz (other proper
names: book titles and brands, but also 三个代表, 三农, 三通) and j (abbreviations: 三讲, 两委,
四人帮), which name formulas as often as anything else. jieba tags political set phrases as `l`
too (一国两制, 两手抓, 三步走) and some formulas as everyday nouns (两基 n, 五保户 n, 四害 n): the
discoverer lets corpus evidence (quotes, other numbers before the same name, a counted name:
两条路线) override the tag, and documents that.

Usage: python3 Dictionaries/tools/numeral_words.py [--jieba-dict PATH] [--out PATH]
  (without --jieba-dict the jieba 0.42.1 source package is downloaded with pip into a temporary
  folder and its checksum verified, as by non_noun_words.py)
"""
import argparse, os, sys, tempfile

from general_words import is_han
from non_noun_words import jieba_dict, write_tagged_words

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)
TAGS = {"ns", "nr", "nrt", "nrfg", "nt", "i", "l"}
EVERYDAY_TAGS = {"n", "ng", "m", "mq", "mg", "q", "f", "s", "t", "tg", "d", "dg", "df", "b", "z", "zg", "v", "vn",
                 "vd", "vi", "vq", "vg", "a", "ad", "an", "ag", "r", "rr", "rz", "c", "p", "u", "uj", "ul", "ug",
                 "y", "e", "o", "h", "k", "g"}
EVERYDAY_MIN_FREQUENCY = 10
NUMERALS = set("一二三四五六七八九十两百千万零〇")

HEADER = """# Words with a numeral that are places, names, idioms, set phrases or everyday words (四川, 三门峡,
# 一哄而起, 千篇一律, 一等奖, 两侧) by jieba's part-of-speech tags: `tifa discover` drops such
# candidates (rules `place`, `idiom`, `everyday-word`) unless the corpus shows them used as a
# formula (quoted, or other numbers before the same name).
# Format: `word tag`, space-separated; tag is jieba's (ns place, nr/nrt/nrfg person, nt
# organisation, i idiom, l set phrase; any other tag an everyday word: n noun, m numeral, f
# localizer, d adverb …). Sorted, no duplicates.
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
            word, freq, tag = line.split()
            if not (2 <= len(word) <= 8 and all(is_han(c) for c in word) and NUMERALS & set(word)):
                continue
            if tag in TAGS or (tag in EVERYDAY_TAGS and int(freq) >= EVERYDAY_MIN_FREQUENCY):
                words[word] = tag
    write_tagged_words(args.out, HEADER, words)


if __name__ == "__main__":
    main()
