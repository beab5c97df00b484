import Foundation

/// The rules of `Dictionaries/segmentation_rules.tsv`, compiled (see that file's header): which
/// ICU-dictionary entries are phrases rather than words, and the productive suffixes.
struct SegmentationRules {
    var numerals = Set<UInt16>()
    var classifiers = Set<UInt16>()
    var functionCharacters = Set<UInt16>()
    var initialCharacters = Set<UInt16>()
    var adverbs = Set<UInt16>()
    var verbals = Set<UInt16>()
    var lexical = Set<[UInt16]>()
    var suffixCost = [UInt8](repeating: 0, count: 0x10000)
    var transliteration = [Bool](repeating: false, count: 0x10000)

    init(url: URL) throws {
        try DataFiles.forEachDataLine(in: url) { line, _ in
            let c = line.split(separator: "\t")
            guard c.count >= 2 else { throw DataFileError(message: "expected `text<TAB>role[<TAB>cost]`") }
            let units = Array(c[0].utf16)
            func single() throws -> UInt16 {
                guard units.count == 1 else { throw DataFileError(message: "role `\(c[1])` takes one character") }
                return units[0]
            }
            switch c[1] {
            case "numeral": numerals.insert(try single())
            case "classifier": classifiers.insert(try single())
            case "function": functionCharacters.insert(try single())
            case "initial": initialCharacters.insert(try single())
            case "adverb": adverbs.insert(try single())
            case "verbal": verbals.insert(try single())
            case "lexical": lexical.insert(units)
            case "transliteration": transliteration[Int(try single())] = true
            case "suffix":
                guard c.count == 3, let cost = UInt8(c[2]), cost > 0 else {
                    throw DataFileError(message: "a suffix needs a cost from 1 to 255")
                }
                suffixCost[Int(try single())] = cost
            default: throw DataFileError(message: "unknown role `\(c[1])`")
            }
        }
    }

    /// Whether an ICU-dictionary entry is a phrase by these rules.
    func dropsICUWord(_ w: UnsafeBufferPointer<UInt16>) -> Bool {
        guard w.count == 2 || w.count == 3 else { return false }
        let phrase = (w.count == 2 && numerals.contains(w[0]) && classifiers.contains(w[1]))
            || (w.count == 2 && adverbs.contains(w[0]) && verbals.contains(w[1]))
            || functionCharacters.contains(w[w.count - 1]) || initialCharacters.contains(w[0])
        return phrase && !lexical.contains(Array(w))
    }
}
