"""Segments a corpus with rjieba (jieba-rs, Rust; default dictionary, HMM on): words separated by spaces, line by line."""
import sys
import rjieba
from common import documents, output

out = output()
for _, text in documents(sys.argv[1]):
    for line in text.splitlines():
        out.write(" ".join(w for w in rjieba.cut(line) if not w.isspace()))
        out.write("\n")
out.flush()
