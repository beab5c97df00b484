import Foundation
import FuzzSupport
import Tifa

// Segmentation with the shipped dictionaries plus a user dictionary (Fuzz/Data), in standard
// and search mode, of normalized UTF-8 text. The segmenters are built once per process.
let userDictionary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Data/user_dictionary.txt").standardized
let normalizer = loadOrDie("the normalizer") { try Normalizer() }
let segmenters: [Segmenter] = [Segmenter.Options.Mode.standard, .search].map { mode in
    var options = Segmenter.Options()
    options.mode = mode
    options.userDictionaries = [userDictionary]
    return loadOrDie("the segmenter") { try Segmenter(options: options) }
}

@main
enum FuzzSegment {
    static func main() {
        _ = segmenters
        runFuzzer { data, size in
            let input = bytes(data, size)
            guard let selector = input.first else { return 0 }
            let text = String(decoding: input.dropFirst(), as: UTF8.self)
            let normalized = normalizer.normalize(text)
            let segmenter = segmenters[Int(selector & 1)]
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
            // The text output walks the same tokens without building them.
            var output: [UInt8] = []
            var lineHasWords = false
            segmenter.appendText(of: normalized, delimiter: Array(" ".utf8), to: &output, lineHasWords: &lineHasWords)
            return 0
        }
    }
}
