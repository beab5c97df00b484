import FuzzSupport
import Tifa

// Normalization (web artifacts, width, whitespace, traditional → simplified, web chrome, garbled
// text) with each set of steps; the first byte chooses the steps (its low six bits) and the
// offset of the first character (the top two), the rest is UTF-8 text (invalid bytes become
// U+FFFD).
let converter = loadOrDie("the T→S tables") { try ChineseConverter.shared() }
let webChrome = loadOrDie("the web chrome rules") { try WebChrome.shared() }

@main
enum FuzzNormalize {
    static func main() {
        runFuzzer(optionByte: { selector, rest in
            let options = Normalizer.Options(steps: Normalizer.Steps(rawValue: UInt32(selector & 63)).intersection(.all))
            let start = Int(selector >> 6)
            let text = String(decoding: rest, as: UTF8.self)
            let originalCount = text.unicodeScalars.count
            let normalizer = Normalizer(options: options, converter: converter, webChrome: webChrome)
            let normalized = normalizer.normalize(text, startingAt: start)
            precondition((normalized.sourceOffsets.first ?? start) >= start, "offsets start before the chunk")
            let shifted = NormalizedText(scalars: normalized.scalars, sourceOffsets: normalized.sourceOffsets.map { $0 - start })
            checkOffsets(shifted, originalCount: originalCount)
            var previousStart = start
            for finding in normalized.findings {
                precondition(finding.sourceRange.lowerBound >= previousStart && finding.sourceRange.upperBound <= start + originalCount,
                             "finding outside the original or out of order")
                previousStart = finding.sourceRange.lowerBound
            }
        })
    }
}
