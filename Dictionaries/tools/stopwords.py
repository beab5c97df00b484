#!/usr/bin/env python3
"""Regenerates Dictionaries/stopwords.txt from the Chinese list of PyPI's `stopwordsiso` (MIT).

stopwordsiso 0.7.1 packages Stopwords ISO (Gene Diaz and contributors, MIT licence) as
`stopwordsiso/stopwords-iso.json`, one list per ISO 639-1 code; its `zh` list has 794 entries.
This script fetches that exact wheel with `pip download --no-deps` into a temporary folder,
checks the SHA-256 of the wheel and of the JSON file, and writes:
  - the `zh` entries made of Han characters only (754): the 40 others are punctuation and
    full-width digits, which rankings never see as words (punctuation is dropped by token kind,
    full-width digits are normalized to number tokens);
  - less KEEP: words of report content that Tifa must not drop from word rankings (each with
    its reason below);
  - plus ADD: Tifa's own additions, function words and counters that the list lacks and that
    would otherwise open a ranking of report text (each with its reason below).
Sorted by code point, unique, with a header naming the source, version, licence and checksums.

Usage: python3 Dictionaries/tools/stopwords.py [--wheel PATH] [--out PATH]
  (without --wheel the wheel is downloaded with pip; the checksums are verified either way)
"""
import argparse, hashlib, json, os, subprocess, sys, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)

VERSION = "0.7.1"
WHEEL = f"stopwordsiso-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "e23edcffca952f98cd26f54a5c56f93b2fa435c88d3ee60f3beffb4c44279380"
JSON_PATH = "stopwordsiso/stopwords-iso.json"
JSON_SHA256 = "337af4d57d5fa1fecc2ffcae532e9b9f05db51c74ff18d3dde9572185a3cdae4"

# Words of the source list that carry report content: an analyst ranking the words of policy
# reports wants them (Tifa's domain decision; the header of the file repeats the list).
KEEP = {
    "区": "an administrative division, like 县 and 市 (which the list does not hold)",
    "当地": "local (当地政府, 当地群众): where a measure applies",
    "本地": "local, as 当地",
    "全体": "the whole membership (全体党员, 全体人民): a subject of report sentences",
    "逐步": "gradually: how a policy is phased in, a content word of plans",
    "遵循": "to follow (遵循规律, 遵循原则): a policy verb",
    "遵照": "to act on (遵照指示): a policy verb",
    "针对": "to target (针对问题): a policy verb",
    "开始": "to begin (开始实施): a stage of a policy",
    "结果": "result, outcome: a content noun",
    "受到": "to receive (受到表彰, 受到处分): a content verb in reports",
    "有关": "concerned (有关部门): names the responsible bodies",
    "才能": "talent, ability (才能): a content noun in cadre policy",
}

# Tifa's additions: function words and counters missing from the source list that are among the
# most frequent words of report text and say nothing of its content (a word ranking of 72 local
# government reports opened with 户 and 名, as in 47065 户 and 3 名: issue 14).
ADD = {
    "户": "counter of households (47065 户)",
    "名": "counter of people (3 名)",
    "位": "counter of people (各位 is in the list)",
    "项": "counter of items (3 项)",
    "件": "counter of matters (12 件)",
    "已经": "aspect adverb (already)",
    "正在": "aspect adverb (in progress)",
    "应当": "modal verb (should)",
    "应该": "modal verb (should)",
    "必须": "modal verb (must)",
    "能够": "modal verb (can)",
    "没有": "negation (have not)",
}


def is_han(word):
    return all(0x3400 <= ord(c) <= 0x9FFF or 0x20000 <= ord(c) <= 0x3134F for c in word)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def fetch(folder):
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                    f"stopwordsiso=={VERSION}", "-d", folder], check=True)
    return os.path.join(folder, WHEEL)


def build(wheel_path):
    data = open(wheel_path, "rb").read()
    if sha256(data) != WHEEL_SHA256:
        sys.exit(f"stopwords.py: {wheel_path}: SHA-256 {sha256(data)}, expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel_path) as z:
        raw = z.read(JSON_PATH)
    if sha256(raw) != JSON_SHA256:
        sys.exit(f"stopwords.py: {JSON_PATH}: SHA-256 {sha256(raw)}, expected {JSON_SHA256}")
    source = json.loads(raw)["zh"]
    han = {w for w in source if is_han(w)}
    missing = sorted(set(KEEP) - han)
    if missing:
        sys.exit(f"stopwords.py: KEEP names words the source does not hold: {' '.join(missing)}")
    already = sorted(set(ADD) & han)
    if already:
        sys.exit(f"stopwords.py: ADD names words the source already holds: {' '.join(already)}")
    words = sorted((han - set(KEEP)) | set(ADD))
    return source, han, words


def header(source, han, words):
    keep = "\n".join(f"#   {w}  {why}" for w, why in sorted(KEEP.items()))
    add = "\n".join(f"#   {w}  {why}" for w, why in sorted(ADD.items()))
    return f"""# stopwords.txt — Chinese stop words left out of word rankings (tifa top, tifa report: --stopwords default)
#
# Format: one simplified-Chinese word per line; lines starting with '#' are comments; data lines
# are sorted by code point and unique. UTF-8, LF line endings. Text is converted to simplified
# before lookup; punctuation and numbers are left out of word rankings by token kind.
#
# Source: Stopwords ISO, list `zh`, as packaged by PyPI's stopwordsiso {VERSION}
# (wheel {WHEEL}, SHA-256 {WHEEL_SHA256};
# {JSON_PATH}, SHA-256 {JSON_SHA256}).
# Licence of the source, which applies to this file: MIT (The MIT License, © Gene Diaz and the
# Stopwords ISO contributors; stopwordsiso © Arthit Suriyawongkul). Permission is hereby granted,
# free of charge, to any person obtaining a copy of this software and associated documentation
# files, to deal in them without restriction, provided the copyright notice and this permission
# notice are included in all copies or substantial portions. THE SOFTWARE IS PROVIDED "AS IS",
# WITHOUT WARRANTY OF ANY KIND.
#
# Generated by Dictionaries/tools/stopwords.py (do not edit by hand; change KEEP or ADD there):
# the {len(han)} entries of Han characters of the {len(source)} (the others are punctuation and
# full-width digits), less the words Tifa keeps because they carry report content:
{keep}
# plus Tifa's own additions (function words and counters the list lacks):
{add}
# {len(words)} words.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", help="a downloaded stopwordsiso wheel (checked)")
    parser.add_argument("--out", default=os.path.join(DICTS, "stopwords.txt"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source, han, words = build(args.wheel or fetch(folder))
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(header(source, han, words))
        for w in words:
            f.write(w + "\n")
    print(f"stopwords.py: wrote {args.out}: {len(words)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
