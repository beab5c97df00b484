/// Finds runs of text that are not plausible Chinese: mojibake (UTF-8 read as GBK gives
/// 鍦ㄥ叏…, 痹且虿≈仑氊毨…), text decoded with the wrong codec, random CJK characters.
///
/// The signal is general, not tuned on any passage: the share of *rare* characters. Chinese
/// prose of any register draws almost all its characters from the common set of GB2312's or
/// Big5's first level (`CommonHan`); wrong-codec decoding draws them uniformly from the whole
/// code table, where rare characters, GBK's extension rows and private-use code points
/// dominate. A window of `window` consecutive Han (or private-use) characters of one line,
/// spanning at most `maximumSpan` characters, is garbled when `threshold` or more of them are
/// rare; overlapping garbled windows form one run, from its first rare character to its last.
/// Measured on the seeds' clean text and the 355,000 characters of the development corpus
/// (reports from 1921 on, traditional and simplified): no window reaches 4 of 8.
///
/// Cost: one bit test per Han character.
public struct GarbledText: Sendable {
    public var window = 8
    public var threshold = 4
    public var maximumSpan = 12

    public init() {}

    /// The rule name findings of garbled text carry.
    public static let ruleName = "rare-characters"

    /// The garbled runs of `scalars`, as index ranges into it.
    public func runs(in scalars: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        let window = max(1, self.window), threshold = self.threshold, maximumSpan = self.maximumSpan
        let base = scalars.startIndex
        // The last `window` Han-like characters of the current line, in a ring: slot k % window
        // holds the k-th one's position and whether it is rare (arrays appended per character
        // were a third of normalization's time). Read through buffers, and the ring's slot kept
        // as a counter (a division per character was a tenth of this loop): this runs once per
        // character of every document.
        var positions = [Int](repeating: 0, count: window)
        var rare = [Bool](repeating: false, count: window)
        positions.withUnsafeMutableBufferPointer { positions in
            rare.withUnsafeMutableBufferPointer { rare in
                Self.classes.withUnsafeBufferPointer { classes in
                scalars.withUnsafeBufferPointer { text in
                    var n = 0  // Han-like characters of the current line so far
                    var slot = 0  // n % window: the ring slot of the next one
                    var rareInWindow = 0
                    for k in text.indices {
                        let v = text[k].value
                        let isRare: Bool
                        if v < 0x10000 {
                            // Two bits per BMP character: Han-like, rare (see `classes`).
                            let bits = (classes[Int(v >> 5)] >> UInt64((v & 31) << 1)) & 3
                            if bits == 0 {
                                if v == 0x0A { n = 0; slot = 0; rareInWindow = 0 }
                                continue
                            }
                            isRare = bits == 3
                        } else {
                            guard HanScript.isHan(v) else { continue }
                            isRare = true  // no supplementary character is common
                        }
                        let i = base + k
                        if n >= window, rare[slot] { rareInWindow -= 1 }  // the character leaving the window
                        positions[slot] = i; rare[slot] = isRare
                        if isRare { rareInWindow += 1 }
                        n += 1
                        slot += 1
                        if slot == window { slot = 0 }
                        // `slot` is now the oldest character of the window.
                        guard n >= window, rareInWindow >= threshold, i - positions[slot] < maximumSpan else { continue }
                        let first = (n - window..<n).first { rare[$0 % window] }!, last = (n - window..<n).last { rare[$0 % window] }!
                        let run = positions[first % window]..<(positions[last % window] + 1)
                        if let previous = runs.last, run.lowerBound <= previous.upperBound {
                            runs[runs.count - 1] = previous.lowerBound..<max(previous.upperBound, run.upperBound)
                        } else {
                            runs.append(run)
                        }
                    }
                }
                }
            }
        }
        return runs
    }

    /// Two bits per BMP character, 32 characters to a word: 0 for characters the rule ignores,
    /// 1 for common Han characters, 3 for rare ones and the Private Use Area (which is what
    /// wrong-codec decoding produces). One table read per character instead of range tests and
    /// a second table (16 KB, built once).
    private static let classes: [UInt64] = {
        let common = CommonHan.shared
        var table = [UInt64](repeating: 0, count: 0x10000 / 32)
        for v in UInt32(0x3400)..<0x10000 {
            let privateUse = v >= 0xE000 && v <= 0xF8FF
            guard privateUse || HanScript.isHan(v) else { continue }
            let bits: UInt64 = privateUse || !common.isCommon(Unicode.Scalar(v)!) ? 3 : 1
            table[Int(v >> 5)] |= bits << UInt64((v & 31) << 1)
        }
        return table
    }()
}
