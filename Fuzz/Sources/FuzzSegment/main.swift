import FuzzSupport
import Tifa

// Segmentation with the shipped dictionaries plus a user dictionary (Fuzz/Data), in standard
// and search mode, and in standard mode with domain words never cut (`--domain-words whole`,
// the index's default: the model's windows then carry forbidden tags), of normalized UTF-8
// text. The segmenters are built once per process.
let normalizer = loadOrDie("the normalizer") { try Normalizer() }
let segmenters: [Segmenter] = [(Segmenter.Options.Mode.standard, Segmenter.Options.DomainWords.model), (.search, .model), (.standard, .whole)].map { mode, domainWords in
    var options = Segmenter.Options()
    options.mode = mode
    options.domainWords = domainWords
    options.userDictionaries = [userDictionary]
    return loadOrDie("the segmenter") { try Segmenter(options: options) }
}

@main
enum FuzzSegment {
    static func main() {
        _ = segmenters
        runFuzzer(optionByte: { selector, rest in
            let text = String(decoding: rest, as: UTF8.self)
            let normalized = normalizer.normalize(text)
            let segmenter = segmenters[Int(selector % 3)]
            let tokens = segmenter.segment(normalized)
            let originalCount = text.unicodeScalars.count
            if segmenter.options.mode == .standard {
                // Standard tokens tile the text: in order, no gaps, no overlaps, none empty.
                var next = 0
                for t in tokens {
                    precondition(t.range.lowerBound == next && !t.range.isEmpty, "tokens do not tile the text")
                    precondition(t.sourceRange.lowerBound >= 0 && t.sourceRange.upperBound <= originalCount, "source range outside the original")
                    next = t.range.upperBound
                }
                precondition(next == normalized.count, "tokens stop before the end")
            } else {
                for t in tokens {
                    precondition(t.range.lowerBound >= 0 && t.range.upperBound <= normalized.count && !t.range.isEmpty, "token outside the text")
                }
            }
            // The text output (`tifa segment`) walks the same tokens without building them: it
            // says what the tokens say, words apart, a line break for each line break.
            var output: [UInt8] = []
            var lineHasWords = false
            segmenter.appendText(of: normalized, delimiter: [0x20], to: &output, lineHasWords: &lineHasWords)
            var expected: [UInt8] = []
            var hasWords = false
            for t in tokens {
                if t.kind == .whitespace {
                    if normalized.scalars[t.range.lowerBound] == "\n" { expected.append(0x0A); hasWords = false }
                    continue
                }
                if hasWords { expected.append(0x20) }
                hasWords = true
                for scalar in normalized.scalars[t.range] { UTF8.encode(scalar) { expected.append($0) } }
            }
            precondition(output == expected, "the text output differs from the tokens")
        })
    }
}
