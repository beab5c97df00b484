"""Converts a corpus from traditional to simplified with OpenCC (the C++ library's Python binding, config t2s)."""
import sys
import opencc
from common import documents, output

converter = opencc.OpenCC("t2s")
out = output()
for _, text in documents(sys.argv[1]):
    out.write(converter.convert(text))
out.flush()
