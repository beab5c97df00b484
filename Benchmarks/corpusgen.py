#!/usr/bin/env python3
"""Builds a large, realistic corpus of Chinese report text, deterministically, from real documents.

    python3 Benchmarks/corpusgen.py --size 100M --out Benchmarks/corpora/100M [--seed 1]

Source text: the seed reports (`seeds/*.txt`) and, when present, the development corpus
(`../shared/corpus/*.jsonl`, field `content`). Nothing is invented but some scraped-page chrome
lines; every generated document is a remix of real paragraphs and sentences:

- Documents have realistic lengths (log-normal, median ~8 KB of UTF-8, 1 KB–120 KB), a title
  line, a date line, then paragraphs: most are real paragraphs taken in order from one source
  document, the rest are assembled from real sentences drawn across all sources.
- Mixed scripts: documents from traditional sources stay traditional, and about a fifth of the
  others are converted to traditional characters (OpenCC s2t when the `opencc` module is
  importable — run.sh runs this script with its venv — else the inverted character table in
  Dictionaries/t2s_chars.tsv, else none).
- Mixed encodings as found in scraped collections: UTF-8 (some with a BOM), GB18030, Big5 (CP950;
  a document with a character Big5 lacks stays UTF-8), UTF-16LE with a BOM.
- About 3% of documents get 1–3 malformed byte sequences injected (a stray 0xFF, a truncated
  multi-byte sequence), as in badly scraped files.

Output, in --out:
- `docs/NNN/dNNNNNNN.<enc>.txt`  the documents (1,000 per folder)
- `corpus.jsonl`   the same documents as JSON Lines {"id", "title", "text"}, UTF-8; malformed
                   bytes appear as U+FFFD there, since JSON must be valid Unicode
- `manifest.tsv`   path, encoding, file bytes, UTF-8 bytes of the decoded text, traditional, malformed
- `files.txt`      the document paths, one a line (for xargs)
- `summary.json`   totals; "utf8_bytes" is the size benchmarks divide by (MB = 10^6 bytes)

Sizes are of the decoded text in UTF-8, whatever the files' encodings. Same --seed, --size and
sources give byte-identical output. Standard library only.
"""
import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GENERATOR_VERSION = 3

# Scraped-page chrome seen around real reports; short, appended to some documents.
CHROME_LINES = [
    "分享到：微信 微博 QQ空间",
    "【字体：大 中 小】 【打印本页】 【关闭窗口】",
    "责任编辑：王某某",
    "来源：人民网-人民日报",
    "上一篇： 下一篇：",
    "版权所有 © 2019 本网站 All Rights Reserved",
    "扫一扫在手机打开当前页",
    "浏览次数：１２３４",
]

SENTENCE_END = re.compile(r"(?<=[。！？；])")


def parse_size(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", text.strip().upper())
    if not m:
        raise SystemExit(f"corpusgen: cannot read size {text!r} (examples: 500K, 10M, 1G)")
    return int(float(m.group(1)) * {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}[m.group(2)])


def is_traditional_source(text):
    # Characters that exist only in traditional script and are common in reports.
    trad = sum(text.count(c) for c in "們這國會說對時發經濟與為產業鄉縣區")
    simp = sum(text.count(c) for c in "们这国会说对时发经济与为产业乡县区")
    return trad > simp


def load_sources(paths):
    """Returns [(name, text)], sorted by name, from .txt files and .jsonl files (field content)."""
    docs = []
    for path in paths:
        if os.path.isdir(path):
            files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith((".txt", ".jsonl")) and f != "README.md")
        elif os.path.exists(path):
            files = [path]
        else:
            continue
        for f in files:
            if f.endswith(".jsonl"):
                with open(f, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        obj = json.loads(line)
                        text = obj.get("content") or obj.get("text") or ""
                        if len(text) > 200:
                            docs.append((f"{os.path.basename(f)}:{n}", text))
            else:
                with open(f, "rb") as fh:
                    text = fh.read().decode("utf-8", errors="replace")
                if len(text) > 200:
                    docs.append((os.path.basename(f), text))
    docs.sort(key=lambda d: d[0])
    return docs


def load_simplified_to_traditional(mode):
    """Returns (name, function str -> str) converting simplified text to traditional."""
    if mode in ("auto", "opencc"):
        try:
            import opencc  # noqa: the C++ binding from PyPI, when run in Benchmarks/.venv
            # Taiwan standard forms (為, 著, 群) rather than OpenCC's default ones (爲, 着, 羣),
            # because Big5 — how most traditional documents in the wild are encoded — has them.
            conv = opencc.OpenCC("s2tw")
            return f"opencc {getattr(opencc, '__version__', '?')} s2tw", conv.convert
        except Exception as e:
            if mode == "opencc":
                raise SystemExit(f"corpusgen: OpenCC not available: {e}")
    table_path = os.path.join(REPO, "Dictionaries", "t2s_chars.tsv")
    if mode in ("auto", "dictionary") and os.path.exists(table_path):
        s2t = {}
        with open(table_path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
                    s2t.setdefault(parts[1], parts[0])  # first traditional form in sorted order
        if s2t:
            table = str.maketrans(s2t)
            return "inverted Dictionaries/t2s_chars.tsv", lambda s: s.translate(table)
    return "none (no converter available)", None


class Pool:
    """Paragraphs and sentences of the sources, each with its traditional form computed once."""

    def __init__(self, docs, to_traditional):
        self.documents = []   # per source: list of (simplified-or-original, traditional, is_trad_source)
        self.sentences = []   # (text, traditional)
        for name, text in docs:
            trad_source = is_traditional_source(text)
            paragraphs = [p.strip() for p in re.split(r"\n+", text) if len(p.strip()) >= 8]
            if not paragraphs:
                continue
            converted = self._convert_all(paragraphs, to_traditional, trad_source)
            self.documents.append([(p, t, trad_source) for p, t in zip(paragraphs, converted)])
            if not trad_source:
                for p, t in zip(paragraphs, converted):
                    simplified = SENTENCE_END.split(p)
                    traditional = SENTENCE_END.split(t) if t else []
                    if len(traditional) != len(simplified):
                        traditional = [None] * len(simplified)
                    for s, st in zip(simplified, traditional):
                        if len(s) >= 6:
                            self.sentences.append((s, st))
        if not self.documents:
            raise SystemExit("corpusgen: no source text found (seeds/ and ../shared/corpus/)")
        self.weights = [sum(len(p[0]) for p in d) for d in self.documents]
        self.chrome = list(zip(CHROME_LINES, self._convert_all(CHROME_LINES, to_traditional, False)))

    @staticmethod
    def _convert_all(paragraphs, to_traditional, trad_source):
        if trad_source or to_traditional is None:
            return [None] * len(paragraphs)
        # One call per source document: OpenCC is fast on large inputs, slower per call.
        joined = to_traditional("\n".join(paragraphs)).split("\n")
        return joined if len(joined) == len(paragraphs) else [to_traditional(p) for p in paragraphs]


def make_document(rng, pool, index, want_traditional):
    target = int(min(120_000, max(1_000, rng.lognormvariate(math.log(8_000), 0.8))))
    source = rng.choices(pool.documents, weights=pool.weights)[0]
    trad_source = source[0][2]
    traditional = trad_source or (want_traditional and source[0][1] is not None)

    def pick(pair):
        text, trad = pair[0], pair[1]
        return trad if (traditional and not trad_source and trad is not None) else text

    first = source[0][0]
    title = first[:rng.randint(12, 30)] if len(first) > 12 else first
    year = rng.randint(2008, 2023)
    lines = [title, f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    if traditional and not trad_source:
        lines[0] = pick((title, source[0][1][:len(title)] if source[0][1] else None))
    size = sum(len(l.encode("utf-8")) + 1 for l in lines)
    position = rng.randrange(len(source))
    while size < target:
        if rng.random() < 0.75 or trad_source or not pool.sentences:
            paragraph = pick(source[position])
            position = (position + 1) % len(source)
        else:
            parts = [pick(rng.choice(pool.sentences)) for _ in range(rng.randint(2, 6))]
            paragraph = "".join(parts)
        indent = "　　" if rng.random() < 0.3 else ""
        lines.append(indent + paragraph)
        size += len(lines[-1].encode("utf-8")) + 1
    if rng.random() < 0.25:
        lines += [pick(c) for c in rng.sample(pool.chrome, rng.randint(1, 3))]
    text = "\n".join(lines) + "\n"
    return lines[0], text, traditional


def choose_encoding(rng, traditional):
    r = rng.random()
    if traditional:
        return "big5" if r < 0.55 else ("utf-16le" if r < 0.62 else "utf-8")
    if r < 0.62:
        return "utf-8"
    if r < 0.67:
        return "utf-8-bom"
    if r < 0.93:
        return "gb18030"
    return "utf-16le"


def encode(text, encoding):
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "gb18030":
        return text.encode("gb18030")
    if encoding == "big5":
        return text.encode("cp950")   # raises when a character is not in Big5
    if encoding == "utf-16le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    raise ValueError(encoding)


def inject_malformed(rng, data, encoding):
    """Inserts 1–3 invalid byte sequences at character boundaries; returns (bytes, count)."""
    if encoding == "utf-16le":
        return data, 0   # a lone surrogate would be the analogue; keep UTF-16 files clean
    count = rng.randint(1, 3)
    out = bytearray(data)
    for _ in range(count):
        # Find a boundary: an ASCII byte (newline or digit) is safe in every encoding used here.
        for _ in range(50):
            at = rng.randrange(len(out))
            if out[at] in b"\n0123456789":
                break
        else:
            at = len(out)
        junk = rng.choice([b"\xff", b"\xe6\x88", b"\x80", b"\xfe\xfe"]) if encoding.startswith("utf-8") else rng.choice([b"\xff", b"\x80", b"\xfe"])
        out[at:at] = junk
    return bytes(out), count


def decoded_text(data, encoding):
    codec = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gb18030": "gb18030", "big5": "cp950", "utf-16le": "utf-16"}[encoding]
    return data.decode(codec, errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", required=True, help="target size of the decoded text in UTF-8: 1M, 10M, 100M, 1G")
    ap.add_argument("--out", required=True, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", nargs="*", default=[os.path.join(REPO, "seeds"), os.path.join(REPO, "..", "shared", "corpus")])
    ap.add_argument("--traditional", choices=["auto", "opencc", "dictionary", "none"], default="auto")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    target = parse_size(args.size)
    docs = load_sources(args.sources)
    source_digest = hashlib.sha256("".join(n + t for n, t in docs).encode()).hexdigest()[:16]
    converter_name, to_traditional = load_simplified_to_traditional(args.traditional)
    params = {"generator_version": GENERATOR_VERSION, "seed": args.seed, "target_utf8_bytes": target,
              "sources": [n for n, _ in docs], "source_digest": source_digest, "traditional_converter": converter_name}

    summary_path = os.path.join(args.out, "summary.json")
    if os.path.exists(summary_path):
        with open(summary_path) as fh:
            old = json.load(fh)
        if all(old.get(k) == v for k, v in params.items()):
            if not args.quiet:
                print(f"corpusgen: {args.out} is up to date ({old['utf8_bytes'] / 1e6:.1f} MB)", file=sys.stderr)
            return
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "docs"))

    pool = Pool(docs, to_traditional)
    rng = random.Random(args.seed)
    total_utf8 = total_file = 0
    by_encoding, traditional_docs, malformed_docs = {}, 0, 0
    report_every = max(target // 20, 1)
    next_report = report_every
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as jsonl, \
            open(os.path.join(args.out, "manifest.tsv"), "w", encoding="utf-8") as manifest, \
            open(os.path.join(args.out, "files.txt"), "w", encoding="utf-8") as files:
        manifest.write("path\tencoding\tfile_bytes\tutf8_bytes\ttraditional\tmalformed\n")
        index = 0
        while total_utf8 < target:
            want_trad = rng.random() < 0.2
            title, text, traditional = make_document(rng, pool, index, want_trad)
            encoding = choose_encoding(rng, traditional)
            try:
                data = encode(text, encoding)
            except UnicodeEncodeError:
                encoding = "utf-8"
                data = encode(text, encoding)
            malformed = 0
            if rng.random() < 0.03:
                data, malformed = inject_malformed(rng, data, encoding)
            if malformed:
                text = decoded_text(data, encoding)
            folder = os.path.join("docs", f"{index // 1000:04d}")
            os.makedirs(os.path.join(args.out, folder), exist_ok=True)
            rel = os.path.join(folder, f"d{index:07d}.{encoding}.txt")
            with open(os.path.join(args.out, rel), "wb") as fh:
                fh.write(data)
            utf8 = len(text.encode("utf-8"))
            jsonl.write(json.dumps({"id": rel, "title": title, "text": text}, ensure_ascii=False) + "\n")
            manifest.write(f"{rel}\t{encoding}\t{len(data)}\t{utf8}\t{int(traditional)}\t{malformed}\n")
            files.write(os.path.join(os.path.abspath(args.out), rel) + "\n")
            total_utf8 += utf8
            total_file += len(data)
            by_encoding[encoding] = by_encoding.get(encoding, 0) + 1
            traditional_docs += traditional
            malformed_docs += malformed > 0
            index += 1
            if total_utf8 >= next_report:
                while next_report <= total_utf8:
                    next_report += report_every
                if not args.quiet:
                    print(f"corpusgen: {args.out}: {total_utf8 / 1e6:.1f} / {target / 1e6:.1f} MB", file=sys.stderr)
    summary = dict(params, utf8_bytes=total_utf8, file_bytes=total_file, documents=index,
                   documents_by_encoding=by_encoding, traditional_documents=traditional_docs,
                   malformed_documents=malformed_docs)
    with open(summary_path, "w") as fh:
        json.dump(summary, fh, indent=1, ensure_ascii=False)
    if not args.quiet:
        print(f"corpusgen: wrote {index} documents, {total_utf8 / 1e6:.1f} MB of text to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
