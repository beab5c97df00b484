import Foundation

/// Traditional → simplified conversion: a character table derived once from ICU's
/// `Traditional-Simplified` transliterator, corrected by `Dictionaries/t2s_chars.tsv`, and
/// phrase rules from `Dictionaries/t2s_phrases.tsv` applied longest match first.
///
/// Why phrases beat characters: one traditional character can stand for several simplified ones
/// (乾 → 乾 in 乾隆 but 干 in 乾淨; 著 → 著 in 著作 but 着 in 跟著), and the phrase is the only
/// context a table can see. Phrases are as long on both sides, so each output character keeps
/// the offset of the character it replaces.
///
/// Immutable and `Sendable`: build once (`ChineseConverter.shared`), use from any thread.
/// Cost: building takes ~15 ms (ICU loads its rules and transliterates the characters they may
/// change), a few when ICU's part is read from the cache (`icuPairs()`); converting is one table lookup per character plus a phrase probe where a phrase
/// may start.
public final class ChineseConverter: Sendable {
    /// BMP table: `bmp[c]` is the simplified form of `c` (identity where nothing changes).
    private let bmp: [UInt32]
    /// Bits over the BMP (8 KB each). `touched`: set where `bmp` changes the character or a
    /// phrase starts with it; most characters of simplified text are neither, and the bit is
    /// all they cost (the 256 KB table missed the cache for each). `mapped`: `bmp` changes it.
    /// `phraseStarts`: a phrase starts with it.
    private let touched: [UInt64]
    private let mapped: [UInt64]
    private let phraseStarts: [UInt64]
    /// Bits (8 KB) over a hash of a phrase's first two characters (`pairHash`), set for every
    /// phrase: common characters start phrases (大, 不, 重 … start one in twelve Han characters
    /// of simplified text), and the next character rules out almost all of them without
    /// looking at their phrases.
    private let phrasePairs: [UInt64]
    private let supplementary: [UInt32: UInt32]
    /// Phrases grouped by first character, longest first; `phraseSlot[c]` is 1 + the index of
    /// character c's group (0: no phrase starts with c), so the hot loop needs no hashing.
    private let phraseGroups: [[(from: [UInt32], to: [UInt32])]]
    private let phraseSlot: [UInt16]
    /// Where each rule came from, for `explain`-style tooling and tests.
    public let phraseCount: Int
    public let characterCount: Int

    /// The converter built from the shipped dictionaries. Loading errors surface on first use.
    public static func shared() throws -> ChineseConverter {
        try sharedResult.get()
    }
    private static let sharedResult: Result<ChineseConverter, Error> = Result {
        try ChineseConverter(characters: DataFiles.dictionary("t2s_chars.tsv"), phrases: DataFiles.dictionary("t2s_phrases.tsv"))
    }

    public init(characters charactersFile: URL?, phrases phrasesFile: URL?) throws {
        var table = [UInt32](0..<0x10000)
        var supplementary: [UInt32: UInt32] = [:]
        for (from, to) in try Self.icuPairs() {
            if from < 0x10000 { table[Int(from)] = to } else { supplementary[from] = to }
        }
        var overrides = 0
        if let charactersFile {
            try DataFiles.forEachDataLine(in: charactersFile) { line, _ in
                let fields = DataFiles.tabFields(line)
                guard fields.count >= 2, fields[0].unicodeScalars.count == 1, fields[1].unicodeScalars.count == 1 else {
                    throw DataFileError(message: "expected `traditional<TAB>simplified[<TAB>comment]`, one character each")
                }
                let from = fields[0].unicodeScalars.first!.value, to = fields[1].unicodeScalars.first!.value
                if from < 0x10000 { table[Int(from)] = to } else { supplementary[from] = to }
                overrides += 1
            }
        }
        var phrases: [UInt32: [(from: [UInt32], to: [UInt32])]] = [:]
        var count = 0
        if let phrasesFile {
            try DataFiles.forEachDataLine(in: phrasesFile) { line, _ in
                let fields = DataFiles.tabFields(line)
                guard fields.count >= 2 else { throw DataFileError(message: "expected `traditional<TAB>simplified`") }
                let from = fields[0].unicodeScalars.map(\.value), to = fields[1].unicodeScalars.map(\.value)
                guard from.count >= 2, from.count == to.count else {
                    throw DataFileError(message: "a phrase needs two or more characters, as many on both sides")
                }
                phrases[from[0], default: []].append((from, to))
                guard from[0] < 0x10000 else { throw DataFileError(message: "a phrase must start with a character of the Basic Multilingual Plane") }
                count += 1
            }
        }
        var groups: [[(from: [UInt32], to: [UInt32])]] = []
        var slots = [UInt16](repeating: 0, count: 0x10000)
        for key in phrases.keys.sorted() {
            groups.append(phrases[key]!.sorted { $0.from.count > $1.from.count })
            slots[Int(key)] = UInt16(groups.count)
        }
        var mapped = [UInt64](repeating: 0, count: 0x10000 / 64), starts = mapped, pairs = mapped
        for c in table.indices where table[c] != UInt32(c) { mapped[c >> 6] |= 1 << UInt64(c & 63) }
        for (key, group) in phrases where key < 0x10000 {
            starts[Int(key >> 6)] |= 1 << UInt64(key & 63)
            for phrase in group {
                let h = Self.pairHash(phrase.from[0], phrase.from[1])
                pairs[Int(h >> 6)] |= 1 << UInt64(h & 63)
            }
        }
        self.bmp = table
        self.touched = zip(mapped, starts).map { $0 | $1 }
        self.mapped = mapped
        self.phraseStarts = starts
        self.phrasePairs = pairs
        self.supplementary = supplementary
        self.phraseGroups = groups
        self.phraseSlot = slots
        self.phraseCount = count
        self.characterCount = overrides
    }

    /// Converts `scalars` in place (same length).
    public func convert(_ scalars: inout [Unicode.Scalar]) {
        let n = scalars.count
        scalars.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt32.self) { s in
                bmp.withUnsafeBufferPointer { table in
                    phraseSlot.withUnsafeBufferPointer { slots in
                    touched.withUnsafeBufferPointer { touched in
                    mapped.withUnsafeBufferPointer { mapped in
                    phraseStarts.withUnsafeBufferPointer { phraseStarts in
                    phrasePairs.withUnsafeBufferPointer { pairs in
                        var i = 0
                        while i < n {
                            let c = s[i]
                            if c < 0x3400 { i += 1; continue }  // ASCII, Latin, punctuation: never converted
                            if c < 0x10000 {
                                let word = Int(c >> 6), bit: UInt64 = 1 << UInt64(c & 63)
                                guard touched[word] & bit != 0 else { i += 1; continue }
                                if phraseStarts[word] & bit != 0, i + 1 < n {
                                    let h = Self.pairHash(c, s[i + 1])
                                    if pairs[Int(h >> 6)] & (1 << UInt64(h & 63)) != 0,
                                       let length = matchPhrase(s, at: i, count: n, group: Int(slots[Int(c)]) - 1) {
                                        i += length
                                        continue
                                    }
                                }
                                if mapped[word] & bit != 0 { s[i] = table[Int(c)] }
                            } else if let m = supplementary[c] {
                                s[i] = m
                            }
                            i += 1
                        }
                    }
                    }
                    }
                    }
                    }
                }
            }
        }
    }

    /// Converts a string.
    public func convert(_ string: String) -> String {
        var scalars = Array(string.unicodeScalars)
        convert(&scalars)
        return String(String.UnicodeScalarView(scalars))
    }

    /// A 16-bit hash of a phrase's first two characters, for `phrasePairs`.
    @inline(__always)
    private static func pairHash(_ first: UInt32, _ second: UInt32) -> UInt32 {
        ((first &* 0x9E37) ^ second) & 0xFFFF
    }

    @inline(__always)
    private func matchPhrase(_ s: UnsafeMutableBufferPointer<UInt32>, at i: Int, count n: Int, group: Int) -> Int? {
        for (from, to) in phraseGroups[group] where i + from.count <= n {
            var k = 1
            while k < from.count && s[i + k] == from[k] { k += 1 }
            if k == from.count {
                for j in 0..<to.count { s[i + j] = to[j] }
                return from.count
            }
        }
        return nil
    }

    /// The CJK blocks whose characters are run through ICU once to derive the table. The
    /// supplementary planes are left out: ICU maps none of their characters, and they would triple the cost.
    private static let cjkRanges = HanScript.bmpBlocks

    /// Runs every CJK character through ICU's transliterator in one call, one per line, and keeps
    /// the single-character results that differ from the input, in character order. One batched call is far cheaper than one call per character.
    /// Only the characters ICU says its rules may change (its source set, a few thousand) are
    /// asked: the others come out as they are, and transliterating all 28,000 was most of the
    /// cost of loading a normalizer (about 30 ms, as much as building the segmenter).
    static func deriveFromICU() throws -> [(from: UInt32, to: UInt32)] {
        let transliterator = try ICUTransliterator(id: "Traditional-Simplified")
        let changeable = try transliterator.sourceRanges()
        var input = String.UnicodeScalarView()
        var originals: [UInt32] = []
        for range in cjkRanges {
            for source in changeable where source.overlaps(range) {
                let clamped = source.clamped(to: range)
                for v in clamped {
                    guard let s = Unicode.Scalar(v) else { continue }
                    input.append(s)
                    input.append("\n")
                    originals.append(v)
                }
            }
        }
        let output = try transliterator.transliterate(String(input))
        let lines = output.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= originals.count else {
            throw ICUError(code: 1, operation: "deriving the traditional→simplified table (line count changed)")
        }
        var pairs: [(from: UInt32, to: UInt32)] = []
        for (k, v) in originals.enumerated() {
            let line = lines[k]
            guard line.count == 1, let mapped = line.first?.value, mapped != v else { continue }
            pairs.append((v, mapped))
        }
        return pairs
    }
}
