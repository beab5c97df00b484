"""Converts a corpus from traditional to simplified with ICU's Traditional-Simplified transliterator (PyICU)."""
import sys
import icu
from common import documents, output

transliterator = icu.Transliterator.createInstance("Traditional-Simplified")
out = output()
for _, text in documents(sys.argv[1]):
    out.write(transliterator.transliterate(text))
out.flush()
