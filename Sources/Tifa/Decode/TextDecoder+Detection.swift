import CICU

/// Encoding detection, `TextDecoder`'s first step: which encoding the start of an input is in
/// (see `TextDecoder` for the rules), and the winning decoding of that sample, which decoding
/// goes on from. Static and free of decoder state, so tests can ask it about any bytes.
extension TextDecoder {
    /// The sample decoded with one candidate converter during detection; the winner's converter
    /// and output are handed on to decoding.
    final class SampleDecoding {
        let encoding: TextEncoding
        let bytes: [UInt8]
        private var converter: OpaquePointer?
        let units: [UInt16]
        /// Invalid sequences plus characters decoded into the Private Use Area.
        let invalid: Int

        init?(_ bytes: [UInt8], as encoding: TextEncoding) {
            var status: Int32 = 0
            guard let d = tifa_decoder_open(encoding.icuName, 0, &status) else { return nil }
            var target = [UInt16](repeating: 0, count: bytes.count * 2 + 16)
            var consumed: Int32 = 0
            let written = bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { c in
                    tifa_decoder_decode(d, c.baseAddress, Int32(c.count), &target, Int32(target.count), 0, &consumed, &status)
                }
            }
            target.removeLast(target.count - Int(max(0, written)))
            // ICU's Big5 table maps the user-defined byte ranges to the Private Use Area, so
            // GB18030 text read as Big5 shows up as PUA, not as errors.
            let privateUse = target.reduce(0) { $0 + (($1 >= 0xE000 && $1 <= 0xF8FF) ? 1 : 0) }
            self.encoding = encoding
            self.bytes = bytes
            self.converter = d
            self.units = target
            self.invalid = Int(tifa_decoder_invalid_count(d)) + privateUse
            if Int(consumed) != bytes.count { return nil }
        }

        deinit { if let converter { tifa_decoder_close(converter) } }

        func takeConverter() -> OpaquePointer? {
            defer { converter = nil }
            return converter
        }

        var scalars: [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            for s in String(decoding: units, as: UTF16.self).unicodeScalars { out.append(s) }
            return out
        }
    }

    /// The sample decoded as UTF-8 during detection (an unfinished last character left out),
    /// handed on to decoding when UTF-8 wins. Decoded piece by piece, so that detection stops
    /// once UTF-8 has lost (`decode(until:)`): a GB18030 or Big5 sample is mostly invalid UTF-8,
    /// the slow path of the decoder, and was a tenth of reading the generated corpus.
    final class UTF8SampleDecoding {
        let sample: [UInt8]
        /// `scalars[0..<count]` are decoded, unless only counted (`scalars` nil): a decoder
        /// that hands on valid UTF-8 as its bytes (`decodeRest`) needs the counts only.
        private(set) var scalars: UnsafeMutablePointer<UInt32>?
        private(set) var count = 0
        private(set) var consumedBytes = 0
        /// Whether the whole sample is decoded (all but an unfinished last character).
        private(set) var finished = false
        /// Invalid sequences, and the byte offset in the sample of the first: all a report
        /// keeps (a GB18030 or Big5 sample read as UTF-8 has thousands).
        private(set) var invalidCount = 0
        private(set) var firstInvalidOffset: Int? = nil
        private var nonASCII = 0
        static let pieceBytes = 2048

        init(_ sample: [UInt8], keepsScalars: Bool = true) {
            self.sample = sample
            scalars = keepsScalars ? .allocate(capacity: sample.count) : nil
        }

        deinit { scalars?.deallocate() }

        /// Valid non-ASCII characters decoded so far (each invalid sequence was written as one U+FFFD).
        var validNonASCII: Int { nonASCII - invalidCount }

        /// Decodes piece by piece until the sample is decoded or `stop(valid non-ASCII, invalid,
        /// bytes left)` says the counts so far settle what is asked.
        func decode(until stop: (Int, Int, Int) -> Bool) {
            sample.withUnsafeBufferPointer { bytes in
                while !finished && !stop(validNonASCII, invalidCount, bytes.count - consumedBytes) {
                    let start = consumedBytes, end = min(start + Self.pieceBytes, bytes.count)
                    var invalidCount = self.invalidCount, firstInvalidOffset = self.firstInvalidOffset
                    func noteInvalid(_ offset: Int) {
                        if invalidCount == 0 { firstInvalidOffset = start + offset }
                        invalidCount += 1
                    }
                    let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    let consumed: Int, written: Int
                    if let scalars {
                        var sink = UTF8Validator.CountingScalarWriter(out: scalars + count)
                        consumed = UTF8Validator().decode(piece, isFinal: false, into: &sink, invalid: noteInvalid)
                        (written, nonASCII) = (sink.count, nonASCII + sink.nonASCII)
                    } else {
                        var sink = UTF8Validator.ScalarCounter()
                        consumed = UTF8Validator().decode(piece, isFinal: false, into: &sink, invalid: noteInvalid)
                        (written, nonASCII) = (sink.count, nonASCII + sink.nonASCII)
                    }
                    self.invalidCount = invalidCount
                    self.firstInvalidOffset = firstInvalidOffset
                    count += written
                    consumedBytes = start + consumed
                    if end == bytes.count { finished = true }
                }
            }
        }
    }

    /// The encoding of `sample` (the start of the input, or all of it when `wholeInput`) and
    /// the winning decoding of the sample: for GB18030 or Big5 `decoding`, for UTF-8 `utf8`.
    /// `keepsUTF8Scalars`: whether `utf8` keeps the decoded scalars or only counts them.
    static func detect(_ sample: [UInt8], wholeInput: Bool, keepsUTF8Scalars: Bool = true) -> (encoding: TextEncoding, decoding: SampleDecoding?, utf8: UTF8SampleDecoding?) {
        if sample.isEmpty { return (.utf8, nil, nil) }
        if let utf16 = utf16ByNULPattern(sample, wholeInput: wholeInput) { return (utf16, nil, nil) }
        // Text in another encoding almost never forms valid multi-byte UTF-8 sequences, so UTF-8
        // with a few bad bytes is told apart from GB18030 or Big5 by counting errors both ways;
        // a tie goes to UTF-8. The sample is decoded, not only counted: when UTF-8 wins,
        // decoding goes on from there. It is decoded only as far as the rules need: UTF-8 has
        // failed the first test once even `rest / 2` more valid characters (each takes two bytes
        // or more) could not make up for the errors so far.
        let utf8 = UTF8SampleDecoding(sample, keepsScalars: keepsUTF8Scalars)
        utf8.decode { valid, invalid, rest in invalid > 0 && valid + rest / 2 < 8 * invalid }
        // A short file can be valid UTF-8 by chance (a GB18030 pair C4 A1 is also U+0121):
        // there the readings are compared by how plausible their characters are.
        let short = wholeInput && sample.count <= Self.shortInputBytes
        if utf8.finished {
            let (valid, invalid) = (utf8.validNonASCII, utf8.invalidCount)
            if (invalid == 0 && !short) || (invalid > 0 && valid >= 8 * invalid) { return (.utf8, nil, utf8) }
        }
        // An unfinished last character is not counted against either reading (it is flushed,
        // and counted, when decoding ends).
        guard let gb = SampleDecoding(sample, as: .gb18030),
              let big5 = SampleDecoding(sample, as: .big5) else {
            utf8.decode { _, _, _ in false }
            return (.utf8, nil, utf8)
        }
        if utf8.invalidCount == 0 {  // only when decoded whole: stopping needs an error
            let utf8Score = plausibility(String(decoding: sample, as: UTF8.self).unicodeScalars, common: CommonHan.shared.isCommon)
            let best = [gb, big5].filter { $0.invalid == 0 }.max { plausibility($0) < plausibility($1) }
            if let best, plausibility(best) > utf8Score { return (best.encoding, best, nil) }
            return (.utf8, nil, utf8)
        }
        // UTF-8 still wins with no more errors than either other reading: decoded until it has more.
        let fewest = min(gb.invalid, big5.invalid)
        utf8.decode { _, invalid, _ in invalid > fewest }
        if utf8.finished && utf8.invalidCount <= fewest { return (.utf8, nil, utf8) }
        if gb.invalid != big5.invalid { return gb.invalid < big5.invalid ? (.gb18030, gb, nil) : (.big5, big5, nil) }
        // A tie (usually Big5, which GB18030 also accepts): Big5 puts about a third of its common
        // characters' second bytes in 0x40–0x7E, where GB2312's common characters never do.
        let (pairs, lowTrails) = doubleBytePairs(sample)
        if pairs >= 32 { return lowTrails * 10 >= pairs ? (.big5, big5, nil) : (.gb18030, gb, nil) }
        // Too few characters for that statistic: the reading with more common characters wins.
        return plausibility(big5) > plausibility(gb) ? (.big5, big5, nil) : (.gb18030, gb, nil)
    }

    /// Inputs up to this size are checked for plausibility even when they are valid UTF-8.
    static let shortInputBytes = 512

    /// The share of a decoding's characters that plain Chinese text is made of: ASCII, CJK
    /// punctuation, and the common Han characters of the encoding's own script.
    static func plausibility(_ decoding: SampleDecoding) -> Double {
        let common = CommonHan.shared
        return plausibility(decoding.scalars, common: decoding.encoding == .big5 ? common.isCommonTraditional : common.isCommonSimplified)
    }

    static func plausibility<S: Sequence>(_ scalars: S, common: (Unicode.Scalar) -> Bool) -> Double where S.Element == Unicode.Scalar {
        var total = 0, plausible = 0
        for s in scalars {
            total += 1
            let v = s.value
            // CJK punctuation that text uses (、。〇《》「」【】…), not the rare signs around it (〆 々).
            if (v >= 0x20 && v < 0x7F) || v == 0x0A || v == 0x0D || v == 0x09 || (v >= 0x3000 && v <= 0x3003)
                || (v >= 0x3007 && v <= 0x3011) || (v >= 0x3014 && v <= 0x301F)
                || (v >= 0xFF01 && v <= 0xFF5E) || (v >= 0x2010 && v <= 0x2027) || common(s) {
                plausible += 1
            }
        }
        return total == 0 ? 0 : Double(plausible) / Double(total)
    }

    /// UTF-16 without a byte-order mark, recognised by its NUL bytes (the ASCII characters of
    /// UTF-16 text — digits, line breaks — have one) and confirmed by decoding: the byte order
    /// that gives well-formed text without control characters and with the more plausible
    /// characters wins. Binary data has control characters; it is left to be refused.
    static func utf16ByNULPattern(_ sample: [UInt8], wholeInput: Bool) -> TextEncoding? {
        guard sample.contains(0), !(wholeInput && sample.count % 2 != 0) else { return nil }
        var best: (encoding: TextEncoding, score: Double, ascii: Int)? = nil
        for encoding in [TextEncoding.utf16LittleEndian, .utf16BigEndian] {
            var units: [UInt16] = []
            units.reserveCapacity(sample.count / 2)
            var i = 0
            while i + 1 < sample.count {
                let (a, b) = (UInt16(sample[i]), UInt16(sample[i + 1]))
                units.append(encoding == .utf16LittleEndian ? a | b << 8 : a << 8 | b)
                i += 2
            }
            if !wholeInput, let last = units.last, UTF16.isLeadSurrogate(last) { units.removeLast() }
            var scalars: [Unicode.Scalar] = []
            var wellFormed = true
            var decoder = UTF16()
            var iterator = units.makeIterator()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let s):
                    let v = s.value
                    if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C) || v == 0xFFFE || v == 0xFFFF { wellFormed = false; break decoding }
                    scalars.append(s)
                case .emptyInput: break decoding
                case .error: wellFormed = false; break decoding
                }
            }
            guard wellFormed else { continue }
            // On equal plausibility the reading with more ASCII wins: ASCII is what puts NULs
            // into UTF-16 (a lone "0" is 00 30 in UTF-16BE, U+3000 read the other way).
            let score = plausibility(scalars, common: CommonHan.shared.isCommon), ascii = scalars.filter(\.isASCII).count
            if score >= 0.5 && (best == nil || (score, ascii) > (best!.score, best!.ascii)) { best = (encoding, score, ascii) }
        }
        return best?.encoding
    }

    /// Double-byte pairs of a sample read as a lead byte ≥ 0x81 and a trail byte, and how many
    /// of them have a trail byte in 0x40–0x7E.
    static func doubleBytePairs(_ sample: [UInt8]) -> (pairs: Int, lowTrails: Int) {
        var pairs = 0, low = 0, i = 0
        while i + 1 < sample.count {
            if sample[i] >= 0x81 {
                pairs += 1
                if sample[i + 1] >= 0x40 && sample[i + 1] <= 0x7E { low += 1 }
                i += 2
            } else {
                i += 1
            }
        }
        return (pairs, low)
    }
}
