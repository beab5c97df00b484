#!/usr/bin/env python3
"""Regenerates Dictionaries/non_noun_words.txt from jieba's dictionary (MIT licence).

The segmenter joins a lexicon word and a productive suffix into one word (四川 + 省, 示范 + 区,
现代 + 化). Some suffixes name places, levels, institutions and disciplines (省 市 县 乡 镇 村 级 学
站 厂: `nominal` in segmentation_rules.tsv); they form words from nouns, never from verbs,
adjectives or adverbs: 推行 村级, 担任 村级, 健全 县 …, 所有 学段, 始终 站 — not 推行村 级. This
script lists the words that are not nouns, by the part-of-speech tag jieba's dictionary.txt
(jieba 0.42.1, PyPI) gives them:
  - tags of verbs, adjectives, adverbs, pronouns, numerals, classifiers, prepositions,
    conjunctions, particles, localizers, place and time words, distinguishing words, status
    words, idioms and set phrases (NON_NOUN_TAGS below); not nouns, names, verbal or adjectival
    nouns (vn: 管理 局, an: 卫生 部), abbreviations (j: 计生 委) or morphemes;
  - 2 to 4 characters, all Han (a suffix needs a stem of 2+ characters);
  - frequency at least 10, as for general_words.txt.
jieba gives one tag per word, its most frequent reading, so a word used as both (示范: v, yet
示范村) follows that reading; Tifa's own lexicons hold the compounds that need it (示范村).

Usage: python3 Dictionaries/tools/non_noun_words.py [--jieba-dict PATH] [--out PATH]
  (without --jieba-dict the jieba 0.42.1 source package is downloaded with pip into a temporary
  folder and its checksum verified)
"""
import argparse, hashlib, os, subprocess, sys, tarfile, tempfile

from general_words import HEADER as GENERAL_HEADER, is_han

# jieba's MIT notice (its source package has no licence file; general_words.py quotes it).
JIEBA_LICENCE = GENERAL_HEADER[GENERAL_HEADER.index("#\n# The MIT License"):].removeprefix("#\n")

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)

SDIST = "jieba-0.42.1.tar.gz"
SHA256 = "055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2"
NON_NOUN_TAGS = {"v", "vd", "vi", "vq", "vg", "a", "ad", "ag", "d", "dg", "p", "c", "r", "rr", "rz",
                 "m", "mq", "q", "f", "s", "t", "tg", "u", "y", "e", "o", "z", "b", "i", "l"}
MIN_FREQUENCY = 10

HEADER = """# Words that are not nouns — verbs, adjectives, adverbs, pronouns … (推行, 担任, 健全, 所有, 始终) — by
# jieba's part-of-speech tags. A `nominal` suffix of segmentation_rules.tsv (省 市 县 乡 镇 村 级 学 站
# 厂) does not join them: 推行 村级, not 推行村 级.
# Format: `word tag`, space-separated; tag is jieba's (v verb, a adjective, d adverb, r pronoun, b
# distinguishing word, t time word, i idiom, l set phrase …), kept for review. Sorted, no duplicates.
# Source: selected from jieba's dictionary (jieba 0.42.1, dict.txt) by
# Dictionaries/tools/non_noun_words.py, which documents the selection; regenerate with it.
# Licence of the source, which applies to this file:
#
"""


def jieba_dict(path, tmp):
    """`path`, or jieba 0.42.1's dict.txt extracted into `tmp` from its checked source package."""
    if path:
        return path
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--dest", tmp, "jieba==0.42.1"], check=True)
    sdist = os.path.join(tmp, SDIST)
    digest = hashlib.sha256(open(sdist, "rb").read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{sdist}: SHA-256 {digest}, expected {SHA256}")
    with tarfile.open(sdist) as t:
        t.extract("jieba-0.42.1/jieba/dict.txt", tmp)
    return os.path.join(tmp, "jieba-0.42.1", "jieba", "dict.txt")


def write_tagged_words(out, header, words):
    """Writes `word tag` lines under `header` and jieba's licence, in code point order."""
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write(JIEBA_LICENCE)
        for w in sorted(words):  # code point order, as DictionaryFileTests checks
            f.write(f"{w} {words[w]}\n")
    print(f"{len(words)} words written to {out}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jieba-dict", help="jieba 0.42.1's dict.txt")
    ap.add_argument("--out", default=os.path.join(DICTS, "non_noun_words.txt"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = jieba_dict(args.jieba_dict, tmp)
        words = {}
        for line in open(path, encoding="utf-8"):
            word, freq, tag = line.split()
            if tag in NON_NOUN_TAGS and 2 <= len(word) <= 4 and int(freq) >= MIN_FREQUENCY and all(is_han(c) for c in word):
                words[word] = tag
    write_tagged_words(args.out, HEADER, words)


if __name__ == "__main__":
    main()
