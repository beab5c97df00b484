import Foundation

/// Readers for the word lists the segmenter compiles: jieba-format dictionaries (shipped domain
/// vocabulary and users' `--dict` files). Forced phrases come from `PolicyLexicon`.
///
/// Every reader throws `DataFileError` with file and line for a line it cannot use: a dictionary
/// that cannot load is never ignored.
public enum SegmentationDictionaries {
    /// The cost scale of the lattice is ICU's: cjdict stores, per word, about
    /// roughly `10 × -ln(probability)`, from 20 (的: 31) to 255. A jieba frequency becomes a cost on the same
    /// scale as `scale × ln(referenceTotal / freq)`, `referenceTotal` being the total count of
    /// jieba's own dictionary, so a jieba word of frequency 1,000 costs about what an ICU word of
    /// the same rank costs.
    static let referenceTotal = 60_101_967.0
    static let costScale = 11.0
    /// Cost of a word listed without a frequency: that of a fairly common word, so the word is
    /// chosen over splitting it, yet longer listed words still win over it.
    static let defaultCost: Int32 = 90

    static func cost(frequency: Int) -> Int32 {
        let f = max(1.0, Double(frequency))
        return Int32(max(1.0, min(255.0, costScale * log(referenceTotal / f))))
    }

    /// One entry of a jieba-format dictionary.
    public struct Entry: Sendable, Equatable {
        public var word: String
        public var frequency: Int?
        public var tag: String?
    }

    /// Parses one line of jieba's user-dictionary format: `word [freq] [tag]`, fields separated
    /// by spaces or tabs. As in jieba, a single second field that is not a number is a tag.
    /// Throws `DataFileError` (without file and line; `forEachDataLine` adds them).
    public static func parseJiebaLine(_ line: Substring) throws -> Entry {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = fields.first else { throw DataFileError(message: "empty entry") }
        if fields.count > 3 {
            throw DataFileError(message: "expected `word [freq] [tag]`, found \(fields.count) fields (a word cannot contain spaces)")
        }
        var frequency: Int?
        var tag: String?
        if fields.count >= 2 {
            if let f = Int(fields[1]), f >= 0 {
                frequency = f
                if fields.count == 3 { tag = String(fields[2]) }
            } else if fields.count == 2, fields[1].allSatisfy({ $0.isLetter || $0 == "_" }) {
                tag = String(fields[1])
            } else {
                throw DataFileError(message: "frequency `\(fields[1])` is not a non-negative integer")
            }
        }
        if let tag, !tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw DataFileError(message: "tag `\(tag)` is not a part-of-speech tag")
        }
        if first.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw DataFileError(message: "word contains a control character")
        }
        return Entry(word: String(first), frequency: frequency, tag: tag)
    }

    /// Calls `body` with each entry of a jieba-format file (a user's `--dict`), as the segmenter
    /// reads it. Throws `DataFileError` with file and line for a line it cannot use.
    public static func forEachJiebaEntry(in url: URL, _ body: (Entry) throws -> Void) throws {
        try DataFiles.forEachDataLine(in: url) { line, _ in try body(parseJiebaLine(line)) }
    }

    /// Adds every word of a jieba-format file to `builder` at `layer`.
    static func addJiebaFile(_ url: URL, layer: LexiconLayer, normalizer: Normalizer?, to builder: inout LexiconBuilder) throws {
        try forEachJiebaEntry(in: url) { entry in
            let cost = entry.frequency.map { Self.cost(frequency: $0) } ?? defaultCost
            builder.add(normalized(entry.word, normalizer), cost: cost, layer: layer)
        }
    }

    /// Adds the words of `general_words.txt` at `.general`, leaving out the phrases `rules`
    /// drop (as for ICU's words). Lines are `word freq`, the word Han characters already in
    /// normalized form (`Dictionaries/tools/general_words.py` only writes such words).
    static func addGeneralWords(_ url: URL, rules: SegmentationRules, to builder: inout LexiconBuilder) throws {
        try forEachHanWordLine(in: url, expected: "word freq") { word, field in
            var frequency = 0
            for byte in field {
                guard byte >= 0x30 && byte <= 0x39, frequency < 1 << 40 else {
                    throw DataFileError(message: "frequency is not a non-negative integer")
                }
                frequency = frequency * 10 + Int(byte - 0x30)
            }
            if rules.dropsBaseWord(word) { return }
            builder.add(utf16: word, cost: cost(frequency: frequency), layer: .general)
        }
    }

    /// Marks the words of `non_noun_words.txt` (`word tag`, see its header) as not nouns, for
    /// the words the lexicon has: no `nominal` suffix joins them.
    static func addNonNounWords(_ url: URL, to builder: inout LexiconBuilder) throws {
        try forEachHanWordLine(in: url, expected: "word tag") { word, tag in
            guard tag.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) }) else {
                throw DataFileError(message: "tag is not a part-of-speech tag (lowercase letters)")
            }
            builder.markNotNoun(utf16: word)
        }
    }

    /// Reads a file of `word<SPACE>field` lines whose words are Han characters of the Basic
    /// Multilingual Plane (the files Tifa selects from jieba's dictionary), calling `body` with
    /// the word in UTF-16 and the field's bytes. Parsed from the bytes rather than through
    /// `parseJiebaLine`, because this runs at every start (measured: Unicode property lookups
    /// per character were most of its cost). Errors get the file and line.
    static func forEachHanWordLine(in url: URL, expected format: String,
                                   _ body: (UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let data = try DataFiles.contents(ofDataFile: url)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var units: [UInt16] = []
            units.reserveCapacity(16)
            var i = 0, number = 0
            while i < b.count {
                number += 1
                let start = i
                while i < b.count && b[i] != 0x0A { i += 1 }
                var end = i
                i += 1
                if end > start && b[end - 1] == 0x0D { end -= 1 }
                if end == start || b[start] == 0x23 { continue }  // blank line, `#` comment
                do {
                    var space = start
                    while space < end && b[space] != 0x20 { space += 1 }
                    guard space > start, space + 1 < end else { throw DataFileError(message: "expected `\(format)`") }
                    // The word: Han characters of the Basic Multilingual Plane, three UTF-8 bytes each.
                    units.removeAll(keepingCapacity: true)
                    var k = start
                    while k < space {
                        guard k + 2 < space, b[k] & 0xF0 == 0xE0, b[k + 1] & 0xC0 == 0x80, b[k + 2] & 0xC0 == 0x80 else {
                            throw DataFileError(message: "the word is not made of Han characters")
                        }
                        let u = UInt16(b[k] & 0x0F) << 12 | UInt16(b[k + 1] & 0x3F) << 6 | UInt16(b[k + 2] & 0x3F)
                        guard HanScript.isHan(UInt32(u)) else {
                            throw DataFileError(message: "the word is not made of Han characters")
                        }
                        units.append(u)
                        k += 3
                    }
                    try units.withUnsafeBufferPointer { word in
                        try body(word, UnsafeBufferPointer(rebasing: b[(space + 1)..<end]))
                    }
                } catch var e as DataFileError {
                    e.file = url.path
                    e.line = number
                    throw e
                }
            }
        }
    }

    /// Lattice cost of a place name of 3+ characters (兴平市, 泽州县, 山西省) and of its short
    /// form (兴平). A name is a word whatever its frequency, but its characters alone are often
    /// cheaper (兴 78 + 平 70 + 市 51 …, and jieba's list has 晋城市 at 167 against 晋 84 +
    /// 城市 64), so names get the cost of a fairly rare word: enough to beat their characters
    /// one by one, not enough to beat two common words that overlap it (沿海 城市, not 沿 海城市).
    static let placeNameCost: Int32 = 130
    /// A two-character name (渠县, 户县, 和县) is one character and a division (县, 区, 市), and
    /// such pairs meet by chance more often, so it costs more: about what its two characters
    /// cost when the first is rare (渠 93 + 县 68), more than when it is common (户 75 + 县 68:
    /// 建档立卡户 县内, not 户县). Short forms (晋城, 兴平) have no division character and
    /// keep `placeNameCost`.
    static let twoCharacterPlaceNameCost: Int32 = 150

    /// Adds the names of `places.tsv` (`name<TAB>level<TAB>short`, see its header) at
    /// `.place`, each with its short form when it has one.
    static func addPlaces(_ url: URL, to builder: inout LexiconBuilder) throws {
        try DataFiles.forEachDataLine(in: url) { line, _ in
            let c = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard c.count == 3, ["province", "prefecture", "county", "township"].contains(c[1]), !c[0].isEmpty, !c[2].isEmpty else {
                throw DataFileError(message: "expected `name<TAB>province|prefecture|county|township<TAB>short form or -`")
            }
            let cost = c[0].unicodeScalars.count <= 2 ? twoCharacterPlaceNameCost : placeNameCost
            builder.add(c[0].unicodeScalars, cost: cost, layer: .place)
            if c[2] != "-" { builder.add(c[2].unicodeScalars, cost: placeNameCost, layer: .place) }
        }
    }

    /// Words are matched against normalized text, so they are normalized the same way
    /// (traditional → simplified, full-width → ASCII) when a normalizer is given.
    static func normalized(_ word: String, _ normalizer: Normalizer?) -> [Unicode.Scalar] {
        guard let normalizer else { return Array(word.unicodeScalars) }
        return normalizer.normalize(word).scalars
    }
}
