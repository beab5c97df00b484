/// What Tifa calls a Han character and a Chinese numeral: the one definition every layer uses
/// (normalization, segmentation, formula matching and discovery, dictionary parsing).
package enum HanScript {
    /// The CJK blocks of the Basic Multilingual Plane: Extension A, the Unified Ideographs and
    /// the compatibility ideographs.
    public static let bmpBlocks: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF]

    /// A Han character: the BMP blocks, the supplementary Extensions B–H (U+20000–U+3134F), and
    /// 〇 (U+3007, the ideographic zero of 二〇〇一年).
    @inline(__always)
    public static func isHan(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0x20000 && v <= 0x3134F) || v == 0x3007
    }
}

/// Chinese numeral characters: digits and magnitudes.
package enum ChineseNumeral {
    /// The value of a numeral digit: 零 〇 ○ 0 (○, the white circle, is written for zero in
    /// years: 二○○一年), 一 1, 二 and 两 2, 三 … 九; nil for anything else.
    @inline(__always)
    public static func digitValue(_ v: UInt32) -> Int? {
        switch v {
        case 0x96F6, 0x3007, 0x25CB: 0
        case 0x4E00: 1
        case 0x4E8C, 0x4E24: 2
        case 0x4E09: 3
        case 0x56DB: 4
        case 0x4E94: 5
        case 0x516D: 6
        case 0x4E03: 7
        case 0x516B: 8
        case 0x4E5D: 9
        default: nil
        }
    }

    /// The value of a magnitude character: 十 10, 百 100, 千 1000, 万 10⁴, 亿 10⁸; else nil.
    @inline(__always)
    public static func magnitudeValue(_ v: UInt32) -> Int? {
        switch v {
        case 0x5341: 10
        case 0x767E: 100
        case 0x5343: 1000
        case 0x4E07: 10_000
        case 0x4EBF: 100_000_000
        default: nil
        }
    }

    /// A digit or a magnitude.
    @inline(__always)
    public static func isNumeral(_ v: UInt32) -> Bool {
        digitValue(v) != nil || magnitudeValue(v) != nil
    }
}
