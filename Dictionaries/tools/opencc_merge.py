#!/usr/bin/env python3
"""Merges OpenCC's traditional → simplified dictionaries into Tifa's tables (Apache-2.0).

OpenCC (https://github.com/BYVoid/OpenCC) ships its knowledge as dictionaries; Debian's
`opencc` package (1.1.6) installs them as /usr/share/opencc/*.ocd2 with `opencc_dict`, which
writes them as text. This script reads
  - TSCharacters (traditional → simplified characters, OpenCC's first choice first),
  - TSPhrases (traditional → simplified phrases),
  - STPhrases (simplified → traditional phrases: their simplified side lists words of
    simplified text, used here only to guard them),
and rewrites the generated part of
  - Dictionaries/t2s_chars.tsv: a character where OpenCC's first choice differs from Tifa's
    table (ICU's transliterator + Tifa's own corrections) gets OpenCC's, with comment
    `OpenCC TSCharacters`;
  - Dictionaries/t2s_phrases.tsv: a TSPhrases entry of the same length on both sides that
    Tifa's table converts differently (`OpenCC TSPhrases`), and a guard `word<TAB>word` for
    each simplified word of STPhrases that Tifa's table would change (合著 → 合着), so that
    simplified input is never changed (`OpenCC STPhrases guard`).
Tifa's own lines (any comment that does not start with `OpenCC`) always win, and so do the
decisions in KEEP_TIFA below: mainland report text, not OpenCC's defaults, is the target.
Phrases stay as long on both sides (DESIGN §1 and §2); entries OpenCC gives with several
candidates use the first. OpenCC's test cases are not used.

The script is idempotent: it drops the lines it generated before, asks the `tifa` binary
(built from this checkout) how Tifa's own tables convert each entry, and writes the merge.

Usage: python3 Dictionaries/tools/opencc_merge.py [--tifa PATH] [--opencc-dir /usr/share/opencc]
  (installs Debian's `opencc` package with apt-get when `opencc_dict` is missing)
"""
import argparse, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DICTS = os.path.dirname(HERE)
ROOT = os.path.dirname(DICTS)

# Characters where Tifa's reading is kept against OpenCC's first choice, and why.
KEEP_TIFA = {
    "藉": "借 with phrase guards (慰藉, 狼藉, 枕藉); OpenCC keeps 藉 and writes 藉口, 凭藉",
    "瞭": "了 with phrase guards (瞭望); OpenCC keeps 瞭 and writes 瞭解, 明瞭",
    "甯": "a surname distinct from 宁 in mainland use",
    "薹": "薹 is the mainland form (蒜薹); OpenCC's first choice is 苔",
    "鏇": "镟 (镟床); OpenCC's first choice is 旋",
}

# Characters that are standard simplified characters in some words and traditional forms of
# another character in others (著/着, 乾/干, 藉/借, 瞭/了, 覆/复, 麽/么): a simplified word of
# STPhrases whose only changes are of these is guarded. Others are not: STPhrases also lists
# forms mainland text does not use (乌沈沈, 表姊, 合夥人, 想像出), which Tifa converts on purpose.
GUARDED = set("著乾藉瞭覆麽")

GENERATED = ("OpenCC TSCharacters", "OpenCC TSPhrases", "OpenCC STPhrases guard")


def opencc_text(opencc_dir, name, work):
    if shutil.which("opencc_dict") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "opencc"], check=True)
    out = os.path.join(work, name + ".txt")
    subprocess.run(["opencc_dict", "-i", os.path.join(opencc_dir, name + ".ocd2"), "-o", out,
                    "-f", "ocd2", "-t", "text"], check=True)
    entries = []
    with open(out, encoding="utf-8") as f:
        for line in f:
            key, values = line.rstrip("\n").split("\t")
            entries.append((key, values.split(" ")))
    return entries


def is_gb2312(text):
    try:
        text.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def read_table(path):
    """(header lines, {key: (value, comment)}) of a Tifa t2s file."""
    header, rows = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                if not rows:
                    header.append(line)
                continue
            fields = line.split("\t")
            rows[fields[0]] = (fields[1], fields[2] if len(fields) > 2 else "")
    return header, rows


def write_table(path, header, rows):
    with open(path, "w", encoding="utf-8") as f:
        for line in header:
            f.write(line + "\n")
        for key in sorted(rows, key=lambda k: [ord(c) for c in k]):
            value, comment = rows[key]
            f.write(f"{key}\t{value}\t{comment}\n" if comment else f"{key}\t{value}\n")


def convert(tifa, dictionaries, texts):
    """How tifa converts each text (one per line), with the dictionaries in `dictionaries`."""
    env = dict(os.environ, TIFA_DICTIONARIES=dictionaries)
    result = subprocess.run([tifa, "normalize", "--no-width", "--no-artifacts", "--no-whitespace", "--keep-chrome"],
                            input="\n".join(texts) + "\n", capture_output=True, text=True, env=env, check=True)
    lines = result.stdout.split("\n")
    assert len(lines) >= len(texts), "tifa changed the number of lines"
    return dict(zip(texts, lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tifa", default=os.path.join(ROOT, ".build", "release", "tifa"))
    parser.add_argument("--opencc-dir", default="/usr/share/opencc")
    args = parser.parse_args()
    if not os.path.exists(args.tifa):
        subprocess.run(["swift", "build", "-c", "release", "--product", "tifa"], cwd=ROOT, check=True)

    with tempfile.TemporaryDirectory() as work:
        ts_chars = opencc_text(args.opencc_dir, "TSCharacters", work)
        ts_phrases = opencc_text(args.opencc_dir, "TSPhrases", work)
        st_phrases = opencc_text(args.opencc_dir, "STPhrases", work)

        chars_path, phrases_path = os.path.join(DICTS, "t2s_chars.tsv"), os.path.join(DICTS, "t2s_phrases.tsv")
        char_header, chars = read_table(chars_path)
        phrase_header, phrases = read_table(phrases_path)
        chars = {k: v for k, v in chars.items() if not v[1].startswith(GENERATED)}
        phrases = {k: v for k, v in phrases.items() if not v[1].startswith(GENERATED)}

        # Tifa's own tables alone, in a scratch copy of Dictionaries/.
        own = os.path.join(work, "Dictionaries")
        shutil.copytree(DICTS, own, ignore=shutil.ignore_patterns("tools"))
        write_table(os.path.join(own, "t2s_chars.tsv"), char_header, chars)
        write_table(os.path.join(own, "t2s_phrases.tsv"), phrase_header, phrases)

        # 1. Characters.
        base = convert(args.tifa, own, [k for k, _ in ts_chars])
        added_chars = 0
        for key, values in ts_chars:
            target, tifa = values[0], base[key]
            if key in chars or key in KEEP_TIFA or tifa == target:
                continue
            if tifa != key and ord(tifa[0]) < 0x10000 <= ord(target[0]):
                continue  # Tifa already gives a common character; OpenCC's is a rare supplementary form
            chars[key] = (target, "OpenCC TSCharacters")
            added_chars += 1
        write_table(os.path.join(own, "t2s_chars.tsv"), char_header, chars)

        # 2. Phrases OpenCC converts differently from Tifa's characters.
        candidates = [(k, v[0]) for k, v in ts_phrases if len(k) == len(v[0]) >= 2 and k not in phrases]
        now = convert(args.tifa, own, [k for k, _ in candidates])
        added_phrases = 0
        for key, target in candidates:
            if now[key] != target:
                phrases[key] = (target, "OpenCC TSPhrases")
                added_phrases += 1
        write_table(os.path.join(own, "t2s_phrases.tsv"), phrase_header, phrases)

        # 3. Guards: simplified words the table would change. STPhrases' keys mix in traditional
        # and variant characters (干淨, 內蒙古, 复査), which must still be converted: a word is
        # taken as simplified text only when all its characters are in GB2312, the simplified set.
        words = [k for k, _ in st_phrases if len(k) >= 2 and k not in phrases and is_gb2312(k)]
        now = convert(args.tifa, own, words)
        guards = 0
        for word in words:
            changed = {a for a, b in zip(word, now[word]) if a != b}
            if changed and changed <= GUARDED:
                phrases[word] = (word, "OpenCC STPhrases guard")
                guards += 1

        write_table(chars_path, char_header, chars)
        write_table(phrases_path, phrase_header, phrases)
        print(f"t2s_chars.tsv: {added_chars} characters from OpenCC TSCharacters; "
              f"t2s_phrases.tsv: {added_phrases} phrases from TSPhrases, {guards} guards from STPhrases", file=sys.stderr)


if __name__ == "__main__":
    main()
