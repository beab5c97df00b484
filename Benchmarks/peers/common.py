"""What every peer shares: reading a generated corpus the way Tifa reads it.

Peers get each file's encoding from the corpus manifest (Tifa detects it), decode with
errors="replace" (as Tifa replaces malformed bytes with U+FFFD), and write their results to
stdout, which the harness sends to /dev/null, exactly as it does with tifa's output.
"""
import os
import sys

CODECS = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gb18030": "gb18030", "big5": "cp950", "utf-16le": "utf-16"}


def documents(corpus_dir):
    """Yields (path, text) for each document of a corpus built by corpusgen.py, in order."""
    with open(os.path.join(corpus_dir, "manifest.tsv"), encoding="utf-8") as manifest:
        next(manifest)
        for line in manifest:
            rel, encoding = line.split("\t", 2)[:2]
            with open(os.path.join(corpus_dir, rel), "rb") as fh:
                yield rel, fh.read().decode(CODECS[encoding], errors="replace")


def output():
    """A large buffered text stdout, so that writing is not what is measured."""
    return open(sys.stdout.fileno(), "w", encoding="utf-8", buffering=1 << 20, closefd=False)
