import Foundation

/// The rules of `Dictionaries/segmentation_rules.tsv`, compiled (see that file's header): which
/// entries of the base lexicons (ICU's cjdict, `general_words.txt`) are phrases rather than
/// words, the productive suffixes, and the characters of two lattice rules (transliterated
/// names, surnames).
struct SegmentationRules {
    /// The roles of each UTF-16 unit, as bits (`Role`): one table rather than a set per role,
    /// because `dropsBaseWord` runs for each of the base lexicons' 357,000 words at load time.
    var roles = [UInt8](repeating: 0, count: 0x10000)
    enum Role {
        static let numeral: UInt8 = 1, classifier: UInt8 = 2, function: UInt8 = 4, initial: UInt8 = 8,
                   adverb: UInt8 = 16, verbal: UInt8 = 32, degree: UInt8 = 64
    }
    var lexical = Set<[UInt16]>()
    var suffixCost = [UInt8](repeating: 0, count: 0x10000)
    /// Suffixes that form words from nouns only (省 市 县 村 级 学 …: places, levels,
    /// disciplines): not after a word of `non_noun_words.txt`.
    var nominalSuffix = [Bool](repeating: false, count: 0x10000)
    var transliteration = [Bool](repeating: false, count: 0x10000)
    /// Common surnames: with 某 or 某某 after them, an anonymized person (张某, 李某某).
    var surname = [Bool](repeating: false, count: 0x10000)

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
            case "numeral": roles[Int(try single())] |= Role.numeral
            case "classifier": roles[Int(try single())] |= Role.classifier
            case "function": roles[Int(try single())] |= Role.function
            case "initial": roles[Int(try single())] |= Role.initial
            case "adverb": roles[Int(try single())] |= Role.adverb
            case "verbal": roles[Int(try single())] |= Role.verbal
            case "degree": roles[Int(try single())] |= Role.degree
            case "lexical": lexical.insert(units)
            case "transliteration": transliteration[Int(try single())] = true
            case "surname": surname[Int(try single())] = true
            case "nominal": nominalSuffix[Int(try single())] = true
            case "suffix":
                guard c.count == 3, let cost = UInt8(c[2]), cost > 0 else {
                    throw DataFileError(message: "a suffix needs a cost from 1 to 255")
                }
                suffixCost[Int(try single())] = cost
            default: throw DataFileError(message: "unknown role `\(c[1])`")
            }
        }
        if let u = (0..<0x10000).first(where: { nominalSuffix[$0] && suffixCost[$0] == 0 }) {
            throw DataFileError(file: url.path, line: nil, message: "`\(Character(Unicode.Scalar(UInt16(u))!))` is `nominal` but not a `suffix`")
        }
    }

    /// Whether an entry of a base lexicon (given in UTF-16) is a phrase by these rules.
    /// `Dictionaries/tools/general_words.py` mirrors this test.
    func dropsBaseWord(_ w: UnsafeBufferPointer<UInt16>) -> Bool {
        guard w.count >= 2 && w.count <= 4 else { return false }
        let first = roles[Int(w[0])], last = roles[Int(w[w.count - 1])]
        let phrase = (w.count == 2 && first & Role.numeral != 0 && last & Role.classifier != 0)
            || (w.count == 2 && first & Role.adverb != 0 && last & (Role.verbal | Role.degree) != 0)
            || (w.count <= 3 && (last & Role.function != 0 || first & Role.initial != 0))
            || (w[0] == Self.ordinalPrefix && last & Role.classifier != 0
                && w.dropFirst().dropLast().allSatisfy { roles[Int($0)] & Role.numeral != 0 })
        return phrase && !lexical.contains(Array(w))
    }

    /// 第: an ordinal (第一, 第十二) with a classifier after it is a phrase (第一 次, 第八 届,
    /// 第三 个), as a numeral with one is (GB/T 13715; PKU's corpus never writes one whole).
    static let ordinalPrefix: UInt16 = 0x7B2C
}
