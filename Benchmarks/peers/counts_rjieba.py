"""Corpus to term counts in a few lines: jieba-rs (rjieba.cut) + collections.Counter.

The smallest honest peer of `tifa index build`: segments each document with jieba-rs, counts the
terms with a Counter, and writes each term with its total count and document frequency, as TSV,
most frequent first.
"""
import sys
from collections import Counter
import rjieba
from common import documents, output

totals, document_frequency = Counter(), Counter()
for _, text in documents(sys.argv[1]):
    counts = Counter(rjieba.cut(text))
    totals.update(counts)
    document_frequency.update(counts.keys())
out = output()
out.write("term\tcount\tdocuments\n")
for term, count in totals.most_common():
    if not term.isspace():
        out.write(f"{term}\t{count}\t{document_frequency[term]}\n")
out.flush()
