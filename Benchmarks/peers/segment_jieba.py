"""Segments a corpus with Python jieba (default dictionary, HMM on): words separated by spaces, line by line."""
import sys
import jieba
from common import documents, output

jieba.setLogLevel(60)
jieba.initialize()
out = output()
for _, text in documents(sys.argv[1]):
    for line in text.splitlines():
        out.write(" ".join(w for w in jieba.cut(line) if not w.isspace()))
        out.write("\n")
out.flush()
