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
    ///
    /// A line without a rare character has no garbled window, so a first loop only looks for
    /// rare characters (one table read per character, a branch that is almost never taken), and
    /// the window loop runs over the lines that hold one. With a threshold below one every line
    /// is run through the window loop.
    public func runs(in scalars: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        let window = max(1, self.window)
        // The last `window` Han-like characters of the current line, in a ring (see `scanLine`).
        var positions = [Int](repeating: 0, count: window)
        var rare = [Bool](repeating: false, count: window)
        positions.withUnsafeMutableBufferPointer { positions in
            rare.withUnsafeMutableBufferPointer { rare in
                Self.classes.withUnsafeBufferPointer { classes in
                    scalars.withUnsafeBufferPointer { text in
                        text.withMemoryRebound(to: UInt32.self) { text in
                            var k = 0
                            var scanned = 0  // lines before this were scanned (or hold no rare character)
                            while k < text.count {
                                let v = text[k]
                                if v < 0x3400 { k += 1; continue }
                                let isRare = v < 0x10000 ? Self.bits(v, classes) == 3 : HanScript.isHan(v)
                                guard isRare || threshold < 1 else { k += 1; continue }
                                var lineStart = k
                                while lineStart > scanned && text[lineStart - 1] != 0x0A { lineStart -= 1 }
                                k = scanLine(text, from: lineStart, classes: classes, positions: positions, rare: rare, base: scalars.startIndex, into: &runs)
                                scanned = k
                            }
                        }
                    }
                }
            }
        }
        return runs
    }

    /// The window loop over the line that starts at `start`: appends its garbled runs (merging
    /// overlapping ones) and returns the index just past the line's break (or the end).
    ///
    /// The ring holds the last `window` Han-like characters of the line: slot k % window the k-th
    /// one's position and whether it is rare. Read through buffers, and the ring's slot kept as a
    /// counter (arrays appended per character were a third of normalization's time, a division
    /// per character a tenth of this loop).
    private func scanLine(_ text: UnsafeBufferPointer<UInt32>, from start: Int, classes: UnsafeBufferPointer<UInt64>,
                          positions: UnsafeMutableBufferPointer<Int>, rare: UnsafeMutableBufferPointer<Bool>,
                          base: Int, into runs: inout [Range<Int>]) -> Int {
        let window = positions.count, threshold = self.threshold, maximumSpan = self.maximumSpan
        var n = 0  // Han-like characters of the line so far
        var slot = 0  // n % window: the ring slot of the next one
        var rareInWindow = 0
        var k = start
        while k < text.count {
            let v = text[k]
            k += 1
            let isRare: Bool
            if v < 0x10000 {
                let bits = Self.bits(v, classes)
                if bits == 0 {
                    if v == 0x0A { return k }
                    continue
                }
                isRare = bits == 3
            } else {
                guard HanScript.isHan(v) else { continue }
                isRare = true  // no supplementary character is common
            }
            let i = base + k - 1
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
        return k
    }

    /// The class of BMP character `v` in `classes`.
    @inline(__always)
    private static func bits(_ v: UInt32, _ classes: UnsafeBufferPointer<UInt64>) -> UInt64 {
        (classes[Int(v >> 5)] >> UInt64((v & 31) << 1)) & 3
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
