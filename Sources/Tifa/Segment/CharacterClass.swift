/// The classes of characters the segmenter's scanner tells apart, as bits.
struct CharacterClass: OptionSet, Sendable {
    let rawValue: UInt16
    static let han = CharacterClass(rawValue: 1 << 0)
    static let digit = CharacterClass(rawValue: 1 << 1)        // 0-9 and full-width ０-９
    static let letter = CharacterClass(rawValue: 1 << 2)       // alphabetic, not Han
    static let space = CharacterClass(rawValue: 1 << 3)
    static let newline = CharacterClass(rawValue: 1 << 4)
    static let punctuation = CharacterClass(rawValue: 1 << 5)
    static let symbol = CharacterClass(rawValue: 1 << 6)       // emoji, math and currency signs
    static let extend = CharacterClass(rawValue: 1 << 7)       // combining marks, ZWJ, variation selectors
    static let hanNumeral = CharacterClass(rawValue: 1 << 8)   // 〇○零一二三四五六七八九十百千万亿两
    static let ascii = CharacterClass(rawValue: 1 << 9)
    static let breakScript = CharacterClass(rawValue: 1 << 10) // Thai, Lao, Khmer, Myanmar, kana: ICU splits them

    /// Classes of the Basic Multilingual Plane, computed once from Unicode's properties.
    /// A plain buffer, never freed, so the scanner reads it without reference counting.
    ///
    /// Long runs of characters of one class take the class of their first character that is
    /// not a Chinese numeral, the numerals their own: the ideographs, Yi and Hangul syllables
    /// and the Private Use Area, 46,000 characters whose properties every process start looked
    /// up one by one (measured: ~7 % of the CPU time of a one-line `tifa segment`). A test
    /// compares the whole table with `compute`.
    nonisolated(unsafe) static let bmp: UnsafeMutablePointer<UInt16> = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x10000)
        table.initialize(repeating: 0, count: 0x10000)
        let runs: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA48C, 0xAC00...0xD7A3, 0xE000...0xF8FF]
        var v: UInt32 = 0
        while v < 0x10000 {
            if let run = runs.first(where: { $0.contains(v) }) {
                var shared: UInt16?
                for u in run {
                    if ChineseNumeral.isNumeral(u) {
                        table[Int(u)] = compute(Unicode.Scalar(u)!).rawValue
                    } else {
                        if shared == nil { shared = compute(Unicode.Scalar(u)!).rawValue }
                        table[Int(u)] = shared!
                    }
                }
                v = run.upperBound + 1
                continue
            }
            if let s = Unicode.Scalar(v) { table[Int(v)] = compute(s).rawValue }
            v += 1
        }
        return table
    }()

    @inline(__always)
    static func of(_ v: UInt32) -> CharacterClass {
        if v < 0x10000 { return CharacterClass(rawValue: bmp[Int(v)]) }
        guard let s = Unicode.Scalar(v) else { return [] }
        return compute(s)
    }

    static func compute(_ s: Unicode.Scalar) -> CharacterClass {
        let v = s.value
        var c: CharacterClass = v < 0x80 ? [.ascii] : []
        if ChineseNumeral.isNumeral(v) { c.insert(.hanNumeral) }
        if v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 || v == 0x85 { c.insert(.newline); return c }
        if (v >= 0x30 && v <= 0x39) || (v >= 0xFF10 && v <= 0xFF19) { c.insert(.digit); return c }
        // ○ (white circle) is written for zero in Chinese years: 二○○一年.
        if HanScript.isHan(v) || v == 0x25CB {
            c.insert(.han); return c
        }
        if v == 0x200D || (v >= 0xFE00 && v <= 0xFE0F) || (v >= 0xE0100 && v <= 0xE01EF) || (v >= 0x1F3FB && v <= 0x1F3FF) || (v >= 0xE0020 && v <= 0xE007F) {
            c.insert(.extend); return c
        }
        let p = s.properties
        switch p.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: c.insert(.space); return c
        case .control, .format:
            if v == 0x09 || v == 0x0B || v == 0x0C { c.insert(.space) } else { c.insert(.symbol) }
            return c
        case .nonspacingMark, .spacingMark, .enclosingMark: c.insert(.extend); return c
        default: break
        }
        if p.isAlphabetic || p.generalCategory == .decimalNumber {
            c.insert(.letter)
            if (v >= 0x0E00 && v <= 0x0EFF) || (v >= 0x1000 && v <= 0x109F) || (v >= 0x1780 && v <= 0x17FF)
                || (v >= 0x3040 && v <= 0x30FF) || (v >= 0x31F0 && v <= 0x31FF) {
                c.insert(.breakScript)
            }
            return c
        }
        switch p.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            c.insert(.punctuation)
        default:
            c.insert(.symbol)
        }
        return c
    }
}
