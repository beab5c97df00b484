import FuzzSupport
import Tifa

// Normalization (web artifacts, width, whitespace, traditional → simplified) with each set of
// steps; the first byte chooses the steps, the rest is UTF-8 text (invalid bytes become U+FFFD).
let converter = loadOrDie("the T→S tables") { try ChineseConverter.shared() }

@main
enum FuzzNormalize {
    static func main() {
        runFuzzer { data, size in
            let input = bytes(data, size)
            guard let selector = input.first else { return 0 }
            let options = Normalizer.Options(steps: Normalizer.Steps(rawValue: UInt32(selector & 15)).intersection(.all))
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
