"""Corpus to term counts the usual Python way: jieba + scikit-learn CountVectorizer.

Builds the document-term matrix (CountVectorizer(tokenizer=jieba.lcut)), then writes each term
with its total count and document frequency, as TSV, most frequent first.
"""
import sys
import jieba
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from common import documents, output

jieba.setLogLevel(60)
vectorizer = CountVectorizer(tokenizer=jieba.lcut, lowercase=False, token_pattern=None)
matrix = vectorizer.fit_transform(text for _, text in documents(sys.argv[1]))
totals = np.asarray(matrix.sum(axis=0)).ravel()
document_frequency = np.asarray((matrix > 0).sum(axis=0)).ravel()
terms = vectorizer.get_feature_names_out()
out = output()
out.write("term\tcount\tdocuments\n")
for i in np.argsort(-totals, kind="stable"):
    if not terms[i].isspace():
        out.write(f"{terms[i]}\t{totals[i]}\t{document_frequency[i]}\n")
out.flush()
