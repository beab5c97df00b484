import Foundation

/// The word lists that keep plain quantities and ordinary words out of formula discovery, read
/// from `Dictionaries/discovery_stoplist.txt` (format documented in the file). All entries are
/// folded like text (`FormulaText`), so 二是 and 两是 are one entry.
///
/// Immutable and `Sendable`. Cost: a few hundred short entries; lookups are hash probes.
public struct DiscoveryStoplist: Sendable {
    var measures: Set<[UInt32]> = []
    var units: Set<[UInt32]> = []
    var nouns: Set<[UInt32]> = []
    var words: Set<[UInt32]> = []
    /// Glue words by their first numeral: (word, index of that numeral in the word).
    var glue: [UInt32: [(word: [UInt32], at: Int)]] = [:]
    /// Characters after which no numeral starts a candidate (第).
    var glueBlockers: Set<UInt32> = []
    var pseudoNumerals: Set<[UInt32]> = []
    var tails: Set<[UInt32]> = []
    var modifiers: Set<[UInt32]> = []
    var ordinals: Set<UInt32> = []
    var longest = 1

    public static func shipped() throws -> DiscoveryStoplist { try shippedResult.get() }
    private static let shippedResult: Result<DiscoveryStoplist, Error> = Result {
        try DiscoveryStoplist(file: DataFiles.dictionary("discovery_stoplist.txt"))
    }

    public init() {}

    public init(file: URL) throws {
        try DataFiles.forEachDataLine(in: file) { line, _ in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[1].isEmpty else {
                throw DataFileError(message: "expected `kind<TAB>text`")
            }
            let key = FormulaText.key(String(fields[1]))
            guard !key.isEmpty else { throw DataFileError(message: "empty entry") }
            longest = max(longest, key.count)
            switch fields[0] {
            case "measure": measures.insert(key)
            case "unit": units.insert(key)
            case "noun": nouns.insert(key)
            case "word": words.insert(key)
            case "pseudo": pseudoNumerals.insert(key)
            case "tail": tails.insert(key)
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
                throw DataFileError(message: "unknown kind `\(fields[0])`; one of measure unit noun word glue pseudo tail modifier ordinal")
            }
        }
    }

    /// The longest entry of `set` that starts `key` at `from`, as its length (0: none).
    func prefixLength(_ set: Set<[UInt32]>, in key: ArraySlice<UInt32>) -> Int {
        var n = min(longest, key.count)
        while n > 0 {
            if set.contains(Array(key.prefix(n))) { return n }
            n -= 1
        }
        return 0
    }

    /// Whether `key` ends with a word no formula ends with (的, 提出).
    func endsWithTail(_ key: [UInt32]) -> Bool {
        for n in 1...min(longest, key.count) where tails.contains(Array(key.suffix(n))) { return true }
        return false
    }

    /// Whether `key` ends with an attributive word that needs a noun after it (基本, 重要).
    func endsWithModifier(_ key: [UInt32]) -> Bool {
        for n in 1...min(longest, key.count) where modifiers.contains(Array(key.suffix(n))) { return true }
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
