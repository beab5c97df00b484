/// The character classes and folding rules that formula matching and discovery share, so that a
/// lexicon key, a text and a discovered candidate are compared in one alphabet.
///
/// Folding (applied to lexicon keys and to text alike, after `Normalizer`):
/// - 二 → 两: formulas use both (两不愁 / 二不愁 never differ in meaning; 十二五 folds to 十两五 on
///   both sides, so nothing is lost).
/// - A run of ASCII digits whose value is 1–10 becomes the Chinese numeral (5 → 五, 10 → 十), unless
///   it touches `+` or a Latin letter, where it is part of a code (5+2, 1+X) and stays as it is.
///   Larger numbers stay digits: 15个一批 is not 五个一批.
/// - ASCII letters fold to lower case.
///
/// Separators that may stand between the parts of a formula: 、，,;；:： spaces, middle dots and
/// quotes “”‘’「」『』"'《》. Line breaks are not separators: a formula does not span lines.
package enum FormulaText {
    /// One folded symbol and the normalized range it stands for (a digit run is one symbol or,
    /// for 10, the symbol 十 covering two digits).
    /// 16 bytes (the range as two 32-bit bounds): a document's symbols are written and read once
    /// per analysis, and at 32 bytes each they were the largest array of formula matching.
    public struct Symbol: Sendable, Equatable {
        public var value: UInt32
        private var start: Int32
        private var end: Int32
        public var isSeparator: Bool
        public var isNumeral: Bool

        /// `range`: scalar indices, below 2³¹ (a piece of text is at most `Analyzer.pieceLength`).
        public init(value: UInt32, range: Range<Int>, isSeparator: Bool, isNumeral: Bool) {
            self.value = value
            start = Int32(truncatingIfNeeded: range.lowerBound)
            end = Int32(truncatingIfNeeded: range.upperBound)
            self.isSeparator = isSeparator
            self.isNumeral = isNumeral
        }

        public var range: Range<Int> {
            get { Int(start)..<Int(end) }
            set { start = Int32(truncatingIfNeeded: newValue.lowerBound); end = Int32(truncatingIfNeeded: newValue.upperBound) }
        }
    }

    @inline(__always)
    public static func isSeparator(_ v: UInt32) -> Bool {
        switch v {
        case 0x3001, 0xFF0C, 0x2C, 0x3B, 0xFF1B, 0x3A, 0xFF1A, 0x20, 0xB7, 0x30FB, 0x2027: return true
        default: return isQuote(v)
        }
    }

    @inline(__always)
    public static func isQuote(_ v: UInt32) -> Bool {
        switch v {
        case 0x201C, 0x201D, 0x2018, 0x2019, 0x300C, 0x300D, 0x300E, 0x300F, 0x22, 0x27, 0x300A, 0x300B: return true
        default: return false
        }
    }

    @inline(__always)
    public static func isOpeningQuote(_ v: UInt32) -> Bool {
        v == 0x201C || v == 0x2018 || v == 0x300C || v == 0x300E || v == 0x300A || v == 0x22 || v == 0x27
    }

    @inline(__always)
    public static func isClosingQuote(_ v: UInt32) -> Bool {
        v == 0x201D || v == 0x2019 || v == 0x300D || v == 0x300F || v == 0x300B || v == 0x22 || v == 0x27
    }

    /// Chinese numeral characters (after folding 二 → 两), and ASCII digits.
    @inline(__always)
    public static func isNumeral(_ v: UInt32) -> Bool {
        ChineseNumeral.isNumeral(v) || (v >= 0x30 && v <= 0x39)
    }

    /// The value of a single Chinese numeral character 一…十 (两 and 二 are 2), else nil.
    public static func smallNumeralValue(_ v: UInt32) -> Int? {
        if v == 0x5341 { return 10 }
        guard let d = ChineseNumeral.digitValue(v), d > 0 else { return nil }
        return d
    }

    @inline(__always)
    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    @inline(__always)
    static func isLatin(_ v: UInt32) -> Bool { (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }

    static let chineseDigits: [UInt32] = Array("零一两三四五六七八九十".unicodeScalars.map(\.value))

    /// Folds normalized scalars into symbols (see the type's documentation).
    public static func fold<C: RandomAccessCollection>(_ scalars: C) -> [Symbol] where C.Element == Unicode.Scalar, C.Index == Int {
        // At most one symbol per scalar: written in place, without `append`'s checks per symbol.
        [Symbol](unsafeUninitializedCapacity: scalars.count) { out, count in
            count = fold(scalars, into: out.baseAddress!)
        }
    }

    /// Folds `scalars` into the start of `buffer`, which keeps its elements across calls (a
    /// document's symbols reuse the previous document's memory) and grows when too short;
    /// returns how many symbols were written.
    package static func fold<C: RandomAccessCollection>(_ scalars: C, into buffer: inout [Symbol]) -> Int where C.Element == Unicode.Scalar, C.Index == Int {
        if buffer.count < scalars.count {
            buffer = Array(repeating: Symbol(value: 0, range: 0..<0, isSeparator: false, isNumeral: false), count: max(scalars.count, buffer.count * 2))
        }
        return buffer.withUnsafeMutableBufferPointer { fold(scalars, into: $0.baseAddress!) }
    }

    /// The Chinese numerals among the CJK Unified Ideographs (U+4E00–U+9FFF, where almost every
    /// character of a report is), a bit each: folding tested every character against the
    /// numeral and separator lists (two `switch`es over some 40 values), none of which but the
    /// numerals lies in that block.
    private static let unifiedNumerals: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: (0xA000 - 0x4E00) / 64)
        for v in UInt32(0x4E00)..<0xA000 where isNumeral(v) {
            bits[Int(v - 0x4E00) >> 6] |= 1 << UInt64((v - 0x4E00) & 63)
        }
        return bits
    }()

    /// Writes the symbols of `scalars` from `out` (room for `scalars.count`); returns their count.
    private static func fold<C: RandomAccessCollection>(_ scalars: C, into out: UnsafeMutablePointer<Symbol>) -> Int where C.Element == Unicode.Scalar, C.Index == Int {
        unifiedNumerals.withUnsafeBufferPointer { fold(scalars, into: out, unifiedNumerals: $0) }
    }

    private static func fold<C: RandomAccessCollection>(_ scalars: C, into out: UnsafeMutablePointer<Symbol>,
                                                        unifiedNumerals: UnsafeBufferPointer<UInt64>) -> Int where C.Element == Unicode.Scalar, C.Index == Int {
        var k = 0
        var i = scalars.startIndex
        let end = scalars.endIndex
        while i < end {
            var v = scalars[i].value
            if isDigit(v) {
                var j = i
                var value = 0
                while j < end && isDigit(scalars[j].value) {
                    value = min(value * 10 + Int(scalars[j].value - 0x30), 1_000_000)
                    j += 1
                }
                let touchesCode = (i > scalars.startIndex && (scalars[i - 1].value == 0x2B || isLatin(scalars[i - 1].value)))
                    || (j < end && (scalars[j].value == 0x2B || isLatin(scalars[j].value)))
                if !touchesCode && value >= 1 && value <= 10 && (j - i == 1 || value == 10) {
                    (out + k).initialize(to: Symbol(value: chineseDigits[value], range: i..<j, isSeparator: false, isNumeral: true))
                    k += 1
                } else {
                    for d in i..<j {
                        (out + k).initialize(to: Symbol(value: scalars[d].value, range: d..<(d + 1), isSeparator: false, isNumeral: true))
                        k += 1
                    }
                }
                i = j
                continue
            }
            if v == 0x4E8C { v = 0x4E24 }                      // 二 → 两
            else if v >= 0x41 && v <= 0x5A { v += 0x20 }        // A → a
            let separator: Bool, numeral: Bool
            if v >= 0x4E00 && v < 0xA000 {
                let d = v - 0x4E00
                separator = false
                numeral = unifiedNumerals[Int(d >> 6)] & (1 << UInt64(d & 63)) != 0
            } else {
                separator = isSeparator(v)
                numeral = isNumeral(v)
            }
            (out + k).initialize(to: Symbol(value: v, range: i..<(i + 1), isSeparator: separator, isNumeral: numeral))
            k += 1
            i += 1
        }
        return k
    }

    /// The folded key of a formula or variant as the lexicon stores it: folded, separators and
    /// quotes removed.
    public static func key(_ scalars: [Unicode.Scalar]) -> [UInt32] {
        fold(scalars).filter { !$0.isSeparator }.map(\.value)
    }

    public static func key(_ string: String) -> [UInt32] { key(Array(string.unicodeScalars)) }

    /// Where a separator may stand inside a folded key: before a numeral that opens a new
    /// numbered chunk. A chunk is a numeral run and what follows it up to the next numeral run;
    /// a boundary is allowed before a numeral run when the chunk before it holds something other
    /// than numerals and 个 (so 两不愁|三保障, 三落实|三精准|三保障, 一摘|四不摘, 一个中心|两个基本点,
    /// but 五个一批 and 十三五 have no boundary: 五个 and 十三 are only a count).
    ///
    /// A formula without numerals made of four-character phrases (8, 12 or 16 characters:
    /// 百花齐放|百家争鸣, 长期共存|互相监督|肝胆相照|荣辱与共) has a boundary after each phrase, as
    /// reports write them with 、 between.
    public static func partBoundaries(_ key: [UInt32]) -> [Int] {
        if key.count >= 8 && key.count % 4 == 0 && !key.contains(where: { isNumeral($0) }) {
            return Array(stride(from: 4, to: key.count, by: 4))
        }
        var result: [Int] = []
        var chunkHasContent = false
        for i in key.indices {
            let numeral = isNumeral(key[i])
            if numeral && i > 0 && !isNumeral(key[i - 1]) && chunkHasContent {
                result.append(i)
                chunkHasContent = false
            }
            if !numeral && key[i] != 0x4E2A { chunkHasContent = true }  // 个
        }
        return result
    }

    static func string(_ key: [UInt32]) -> String {
        var s = String.UnicodeScalarView()
        for v in key { if let u = Unicode.Scalar(v) { s.append(u) } }
        return String(s)
    }
}
