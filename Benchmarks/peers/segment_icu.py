"""Segments a corpus with ICU's word break iterator (locale zh, via PyICU): words separated by spaces, line by line."""
import sys
import icu
from common import documents, output

breaker = icu.BreakIterator.createWordInstance(icu.Locale("zh"))
out = output()
for _, text in documents(sys.argv[1]):
    for line in text.splitlines():
        if not line:
            out.write("\n")
            continue
        # PyICU's iterator works in UTF-16 units; UnicodeString slices by the same units.
        u = icu.UnicodeString(line)
        breaker.setText(u)
        start = breaker.first()
        words = []
        for end in breaker:
            w = str(u[start:end])
            if not w.isspace():
                words.append(w)
            start = end
        out.write(" ".join(words))
        out.write("\n")
out.flush()
