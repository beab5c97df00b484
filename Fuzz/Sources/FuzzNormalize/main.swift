import FuzzSupport
import Tifa

// Normalization (traditional → simplified, width, web artifacts, whitespace) with each option
// set; the first byte chooses the options, the rest is UTF-8 text (invalid bytes become U+FFFD).
let converter = loadOrDie("the T→S tables") { try ChineseConverter.shared() }

@main
enum FuzzNormalize {
    static func main() {
        runFuzzer { data, size in
            let input = bytes(data, size)
            guard let selector = input.first else { return 0 }
            var options = Normalizer.Options()
            options.traditionalToSimplified = selector & 1 != 0
            options.foldWidth = selector & 2 != 0
            options.removeWebArtifacts = selector & 4 != 0
            options.normalizeWhitespace = selector & 8 != 0
            let start = Int(selector >> 4)
            let text = String(decoding: input.dropFirst(), as: UTF8.self)
            let normalizer = Normalizer(options: options, converter: converter)
            let normalized = normalizer.normalize(text, startingAt: start)
            precondition((normalized.sourceOffsets.first ?? start) >= start, "offsets start before the chunk")
            let shifted = NormalizedText(scalars: normalized.scalars, sourceOffsets: normalized.sourceOffsets.map { $0 - start })
            checkOffsets(shifted, originalCount: text.unicodeScalars.count)
            return 0
        }
    }
}
