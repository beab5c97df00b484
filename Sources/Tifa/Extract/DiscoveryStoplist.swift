import Foundation

/// The word lists that keep plain quantities and ordinary words out of formula discovery, read
/// from `Dictionaries/discovery_stoplist.txt` (format documented in the file). All entries are
/// folded like text (`FormulaText`), so 二是 and 两是 are one entry.
///
/// Immutable and `Sendable`. Cost: a few hundred short entries; lookups are hash probes.
public struct DiscoveryStoplist: Sendable {
    var measures = ScalarSequenceSet()
    var units = ScalarSequenceSet()
    var nouns = ScalarSequenceSet()
    var words = ScalarSequenceSet()
    /// Glue words by their first numeral: (word, index of that numeral in the word).
    var glue: [UInt32: [(word: [UInt32], at: Int)]] = [:]
    /// Characters after which no numeral starts a candidate (第).
    var glueBlockers: Set<UInt32> = []
    var pseudoNumerals = ScalarSequenceSet()
    var tails = ScalarSequenceSet()
    var heads = ScalarSequenceSet()
    var endings = ScalarSequenceSet()
    var modifiers = ScalarSequenceSet()
    var ordinals: Set<UInt32> = []

    public static func shipped() throws -> DiscoveryStoplist { try shippedResult.get() }
    private static let shippedResult: Result<DiscoveryStoplist, Error> = Result {
        try DiscoveryStoplist(file: DataFiles.dictionary("discovery_stoplist.txt"))
    }

    public init() {}

    public init(file: URL) throws {
        try DataFiles.forEachDataLine(in: file) { line, _ in
            let fields = DataFiles.tabFields(line)
            guard fields.count == 2, !fields[1].isEmpty else {
                throw DataFileError(message: "expected `kind<TAB>text`")
            }
            let key = FormulaText.key(String(fields[1]))
            guard !key.isEmpty else { throw DataFileError(message: "empty entry") }
            switch fields[0] {
            case "measure": measures.insert(key)
            case "unit": units.insert(key)
            case "noun": nouns.insert(key)
            case "word": words.insert(key)
            case "pseudo": pseudoNumerals.insert(key)
            case "tail": tails.insert(key)
            case "head": heads.insert(key)
            case "ending": endings.insert(key)
            case "modifier": modifiers.insert(key)
            case "ordinal":
                guard key.count == 1 else { throw DataFileError(message: "an ordinal is one character") }
                ordinals.insert(key[0])
            case "glue":
                if let at = key.indices.first(where: { $0 > 0 && FormulaText.isNumeral(key[$0]) }) {
                    glue[key[at], default: []].append((key, at))
                } else if key.count == 1 {
                    glueBlockers.insert(key[0])
                } else {
                    throw DataFileError(message: "a glue word needs a numeral after its first character, or is one character")
                }
            default:
                throw DataFileError(message: "unknown kind `\(fields[0])`; one of measure unit noun word glue pseudo tail head ending modifier ordinal")
            }
        }
    }

    /// The longest entry of `set` that starts `key`, as its length (0: none).
    func prefixLength(_ set: ScalarSequenceSet, in key: ArraySlice<UInt32>) -> Int {
        set.longestPrefix(of: key)
    }

    /// Whether `key` ends with a word no formula ends with (的, 提出).
    func endsWithTail(_ key: [UInt32]) -> Bool {
        tails.containsSuffix(of: key[...])
    }

    /// Whether `key` ends with an attributive word that needs a noun after it (基本, 重要).
    func endsWithModifier(_ key: [UInt32]) -> Bool {
        modifiers.containsSuffix(of: key[...])
    }

    /// Whether `key` names a meeting or lists meetings: a numeral and an `ordinal` character
    /// (十九大, 十七届, 三中) followed by a word for a meeting (三中全会, 十三届人大), or, for a
    /// numeral of two characters or more (an ordinal: 十九大, not 两大), by anything: the meeting
    /// alone, in a list (十六大十七大, 十九大和十九届) or with what it decided (十五大精神,
    /// 十五大提出的各项任务, 十四大以来).
    func isMeeting(_ key: [UInt32]) -> Bool {
        let meetingWords: [[UInt32]] = ["全会", "会议", "大会", "代表大会", "人大", "全国人大", "次会议"].map { Array($0.unicodeScalars.map(\.value)) }
        var i = 0
        while i < key.count {
            guard FormulaText.isNumeral(key[i]) else { i += 1; continue }
            var e = i
            while e < key.count && FormulaText.isNumeral(key[e]) { e += 1 }
            defer { i = e }
            guard e < key.count, ordinals.contains(key[e]) else { continue }
            let after = key[(e + 1)...]
            if meetingWords.contains(where: { after.starts(with: $0) }) { return true }
            // A numeral of two characters before an ordinal is an ordinal name (十九大, 十七届).
            if e - i >= 2 { return true }
        }
        return false
    }

    /// Whether the numeral at `p` is glued to the characters before it (统一, 进一步, 第五).
    func isGlued(_ values: [UInt32], at p: Int, runStart: Int) -> Bool {
        if p > runStart && glueBlockers.contains(values[p - 1]) { return true }
        guard let words = glue[values[p]] else { return false }
        for (word, at) in words {
            let start = p - at
            guard start >= runStart, start + word.count <= values.count else { continue }
            if values[start..<(start + word.count)].elementsEqual(word) { return true }
        }
        return false
    }
}
