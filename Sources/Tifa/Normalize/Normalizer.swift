/// Cleans decoded text for analysis while every output character keeps its original offset.
///
/// Steps, each on by default and switchable in `Options.steps` (`Normalizer.Steps`), in this order:
/// 1. **Line ends**: CRLF and lone CR become LF (always on).
/// 2. **Web artifacts**: zero-width and other invisible format characters (U+200B–U+200F,
///    U+FEFF wherever it stands, soft hyphens, direction marks, variation selectors) are removed, and pinyin
///    annotations that scraped pages put after characters (產業(yè), 鄉(xiāng)村) are removed. An
///    annotation is a parenthesis right after a Han character holding only lowercase pinyin
///    letters and spaces with at least one tone mark, so （2018年）, (一) or 述(下) stay.
/// 3. **Width folding**: full-width letters, digits and ASCII signs (Ａ１％＋) become ASCII. CJK
///    punctuation stays: ，。、“”《》 and the full-width ，：；！？（） that Chinese text uses as its
///    own punctuation, because folding them would turn Chinese punctuation into English.
/// 4. **Whitespace**: ideographic space, NBSP, tabs and other spaces become one ASCII space per
///    run; whitespace at the start and end of a line (paragraph indentation) is dropped.
/// 5. **Traditional → simplified** with `ChineseConverter` (phrases first, then characters).
/// 6. **Web chrome**: in text that has a line only web pages have (a breadcrumb, 上一篇：…,
///    版权所有 …), the lines of page furniture are removed (`WebChrome`, rules in
///    `Dictionaries/web_chrome.tsv`), each reported as a finding.
/// 7. **Garbled text**: runs that are not plausible Chinese (`GarbledText`) are always reported
///    as findings, and removed with `dropGarbledText` (off by default).
/// Removal is deletion (DESIGN §1), so offsets stay exact.
///
/// Cost: one pass plus one table pass; output arrays as long as the input; steps 6–7 add one
/// table lookup per character and one pattern match per line that holds a rule's cue.
public struct Normalizer: Sendable {
    public struct Options: Sendable, Equatable, Codable {
        /// The steps that run (`Steps.standard` by default: all but dropping garbled text).
        public var steps: Steps
        public init(steps: Steps = .standard) { self.steps = steps }

        /// All steps off but line ends: the text as decoded, with LF line ends.
        public static var none: Options { Options(steps: []) }
    }

    public let options: Options
    private let converter: ChineseConverter?
    private let webChrome: WebChrome?
    private let garbledText = GarbledText()

    /// A normalizer with the shipped conversion tables and chrome rules. Throws if they cannot load.
    public init(options: Options = .init()) throws {
        self.options = options
        self.converter = options.steps.contains(.traditionalToSimplified) ? try ChineseConverter.shared() : nil
        self.webChrome = options.steps.contains(.webChrome) ? try WebChrome.shared() : nil
    }

    public init(options: Options, converter: ChineseConverter?, webChrome: WebChrome? = nil) {
        self.options = options
        self.converter = options.steps.contains(.traditionalToSimplified) ? converter : nil
        self.webChrome = options.steps.contains(.webChrome) ? webChrome : nil
    }

    /// Normalizes a whole string whose first character has original offset `offset`.
    public func normalize(_ string: String, startingAt offset: Int = 0) -> NormalizedText {
        normalize(TextChunk(scalars: Array(string.unicodeScalars), startOffset: offset))
    }

    /// Normalizes one chunk of a decoded document.
    public func normalize(_ chunk: TextChunk) -> NormalizedText {
        let n = chunk.scalars.count
        precondition(n < Int(UInt32.max), "a chunk of fewer than 2^32 code points")
        // Output is never longer than input: write through pointers into uninitialized arrays
        // of the input's length (zeroing them first cost as much as the pass), then set the
        // count. Offsets are written relative to the chunk's start (`SourceOffsets`: 4 bytes
        // each), with the end sentinel after the last.
        var offsets: [UInt32] = []
        var out = chunk.scalars.withUnsafeBufferPointer { input in
            [Unicode.Scalar](unsafeUninitializedCapacity: n) { outScalars, outCount in
                offsets = [UInt32](unsafeUninitializedCapacity: n + 1) { outOffsets, offsetCount in
                    outCount = normalize(input, into: outScalars, offsets: outOffsets)
                    outOffsets[outCount] = UInt32(n)
                    offsetCount = outCount + 1
                }
            }
        }
        converter?.convert(&out)
        let findings = removeChromeAndGarble(&out, offsets: &offsets, base: chunk.startOffset)
        return NormalizedText(scalars: out, sourceOffsets: SourceOffsets(base: chunk.startOffset, relative: offsets), findings: findings)
    }

    /// Steps 6 and 7 on the normalized characters: finds chrome lines and garbled runs, deletes
    /// the ones to remove (offsets of the rest unchanged) and returns what was found.
    private func removeChromeAndGarble(_ out: inout [Unicode.Scalar], offsets: inout [UInt32], base: Int) -> [NormalizationFinding] {
        var found: [(range: Range<Int>, kind: NormalizationFinding.Kind, rule: String, removed: Bool)] = []
        if let webChrome {
            for line in webChrome.lines(in: out[...]) { found.append((line.range, .webChrome, line.rule, true)) }
        }
        let dropGarbled = options.steps.contains(.dropGarbledText)
        for run in garbledText.runs(in: out[...]) where !found.contains(where: { $0.range.overlaps(run) }) {
            found.append((run, .garbledText, GarbledText.ruleName, dropGarbled))
        }
        guard !found.isEmpty else { return [] }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }
        let findings = found.map { f -> NormalizationFinding in
            var text = f.range
            if text.upperBound > text.lowerBound, out[text.upperBound - 1] == "\n" { text = text.lowerBound..<(text.upperBound - 1) }
            let start = base + Int(offsets[text.lowerBound])
            let source = text.isEmpty ? start..<start : start..<(base + Int(offsets[text.upperBound - 1]) + 1)
            return NormalizationFinding(kind: f.kind, rule: f.rule, sourceRange: source,
                                        text: String(String.UnicodeScalarView(out[text])), removed: f.removed)
        }
        let removed = found.filter(\.removed).map(\.range)
        if !removed.isEmpty {
            var keptScalars: [Unicode.Scalar] = [], keptOffsets: [UInt32] = []
            keptScalars.reserveCapacity(out.count); keptOffsets.reserveCapacity(offsets.count)
            var next = 0
            for range in removed {
                keptScalars += out[next..<range.lowerBound]; keptOffsets += offsets[next..<range.lowerBound]
                // A removed line keeps its line break: the text keeps the original's lines, so
                // line numbers and `tifa segment`'s one output line per input line still hold.
                var end = range.upperBound
                if end > max(next, range.lowerBound), out[end - 1] == "\n" { end -= 1 }
                next = max(next, end)
            }
            keptScalars += out[next...]; keptOffsets += offsets[next...]  // offsets keeps its end sentinel
            out = keptScalars
            offsets = keptOffsets
        }
        return findings
    }

    /// The single pass of steps 1–4. Returns the number of scalars written; `offsets` are
    /// relative to the input's start.
    private func normalize(_ input: UnsafeBufferPointer<Unicode.Scalar>,
                           into out: UnsafeMutableBufferPointer<Unicode.Scalar>,
                           offsets: UnsafeMutableBufferPointer<UInt32>) -> Int {
        let n = input.count
        let steps = options.steps
        let artifacts = steps.contains(.webArtifacts), width = steps.contains(.width), spaces = steps.contains(.whitespace)
        var k = 0
        var pendingSpace = -1  // input index of a whitespace run not yet written, -1 if none
        var lineStart = true
        var i = 0
        while i < n {
            var c = input[i]
            let v = c.value
            if v >= 0x3400 && v < 0xFE00 {  // Han and most of CJK: nothing to do but copy
                if pendingSpace >= 0 {
                    if !lineStart { out[k] = " "; offsets[k] = UInt32(truncatingIfNeeded: pendingSpace); k += 1 }  // a run becomes one space
                    pendingSpace = -1
                }
                lineStart = false
                out[k] = c; offsets[k] = UInt32(truncatingIfNeeded: i); k += 1; i += 1
                continue
            }

            // 1. Line ends.
            if v == 0x0D || v == 0x0A {
                pendingSpace = -1  // trailing whitespace is dropped
                if v == 0x0D && i + 1 < n && input[i + 1].value == 0x0A {
                    out[k] = "\n"; offsets[k] = UInt32(truncatingIfNeeded: i + 1); k += 1  // the LF stands for itself; the CR is removed
                    i += 2
                } else {
                    out[k] = "\n"; offsets[k] = UInt32(truncatingIfNeeded: i); k += 1
                    i += 1
                }
                lineStart = true
                continue
            }

            // 2. Web artifacts.
            if artifacts {
                if Self.isInvisibleFormat(v) {
                    i += 1
                    continue
                }
                if (v == 0x28 || v == 0xFF08), k > 0, HanScript.isHan(out[k - 1].value), let end = Self.pinyinAnnotationEnd(input, from: i) {
                    i = end
                    continue
                }
            }

            // 3. Width folding.
            if width, v >= 0xFF01 && v <= 0xFF5E, !Self.keptFullWidth.contains(v) {
                c = Unicode.Scalar(v - 0xFEE0)!  // U+FF01…U+FF5E sit 0xFEE0 above ASCII
            }

            // 4. Whitespace.
            if spaces && Self.isSpace(c.value) {
                if pendingSpace < 0 { pendingSpace = i }
                i += 1
                continue
            }
            if pendingSpace >= 0 {
                if !lineStart { out[k] = " "; offsets[k] = UInt32(truncatingIfNeeded: pendingSpace); k += 1 }
                pendingSpace = -1
            }
            lineStart = false
            out[k] = c; offsets[k] = UInt32(truncatingIfNeeded: i); k += 1
            i += 1
        }
        return k
    }

    /// Characters that take no space and carry nothing for analysis: zero-width space, joiners,
    /// word joiner, byte-order mark (U+FEFF inside text), soft hyphen, direction marks and
    /// embeddings, invisible operators, Mongolian vowel separator, variation selectors.
    @inline(__always)
    static func isInvisibleFormat(_ v: UInt32) -> Bool {
        (v >= 0x200B && v <= 0x200F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2060 && v <= 0x2064)
            || (v >= 0x2066 && v <= 0x206F) || v == 0xFEFF || v == 0x00AD || v == 0x180E || (v >= 0xFE00 && v <= 0xFE0F)
    }

    /// Full-width forms that are Chinese punctuation in their own right and are kept.
    static let keptFullWidth: Set<UInt32> = [0xFF0C, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF08, 0xFF09]

    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0x0B || v == 0x0C || v == 0xA0 || v == 0x3000 || (v >= 0x2000 && v <= 0x200A) || v == 0x202F || v == 0x205F
    }

    /// If `input[start]` opens a pinyin annotation, the index just past its closing parenthesis.
    static func pinyinAnnotationEnd(_ input: UnsafeBufferPointer<Unicode.Scalar>, from start: Int) -> Int? {
        var i = start + 1
        var toneMarks = 0
        var letters = 0
        while i < input.count && i - start <= 32 {
            let v = input[i].value
            if v == 0x29 || v == 0xFF09 {
                return (toneMarks > 0 && letters > 0) ? i + 1 : nil
            }
            if v >= 0x61 && v <= 0x7A { letters += 1 }
            else if v == 0xFC { letters += 1 }  // ü
            else if toneVowels.contains(v) { letters += 1; toneMarks += 1 }
            else if v == 0x20 || v == 0x27 { }  // space, apostrophe (xī'ān)
            else { return nil }
            i += 1
        }
        return nil
    }

    /// Vowels with pinyin tone marks: āáǎà ēéěè īíǐì ōóǒò ūúǔù ǖǘǚǜ, and ê/ń/ň/ǹ/ḿ.
    static let toneVowels: Set<UInt32> = Set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜêńňǹḿ".unicodeScalars.map(\.value))
}
