import CICU
import Foundation

/// Decodes the bytes of one document into Unicode text, streaming, in bounded memory.
///
/// - Detection: a byte-order mark wins; otherwise a sample of the first 16 KiB is tested: NUL
///   bytes at every other offset mean UTF-16; text that is UTF-8 but for a handful of bad
///   sequences is UTF-8; otherwise GB18030 or Big5, whichever decodes with fewer errors, with ties
///   (and short files) decided by the share of common characters (`CommonHan`). The winning
///   decoding of the sample is kept, not repeated. `DecodingOptions.encoding` overrides detection.
/// - Bad input never crashes and is never lost silently: each invalid or unmappable byte
///   sequence becomes U+FFFD and is counted, with the byte offset of the first one
///   (`report`); with `invalidBytes: .fail` (`--strict`) the first one is an error instead. NUL bytes in a file that is not
///   UTF-16 mean binary data and are refused.
/// - Output comes as `TextChunk`s that end at a line break, or — for lines longer than the
///   chunk limit — at a sentence end or space, so a 10 MB line never sits in memory whole.
///
/// Cost: one pass over the bytes; memory is two blocks of input plus one chunk of output. The
/// decoded text waits in one buffer that is written in place (no zeroing, no copy per chunk but
/// the chunk's own array) and reused from block to block.
public final class TextDecoder {
    public let name: String
    public private(set) var encoding: TextEncoding = .utf8
    public private(set) var report = DecodingReport()

    private let source: ByteSource
    private let options: DecodingOptions
    private var pending: [UInt8] = []          // bytes read but not decoded yet
    /// Decoded scalars not handed out yet are `decoded[decodedStart..<decodedEnd]`.
    private var decoded: UnsafeMutablePointer<UInt32>
    private var decodedCapacity = 0
    private var decodedStart = 0
    private var decodedEnd = 0
    private var emittedScalars = 0            // original offset of decoded[decodedStart]
    private var bytesDecoded = 0               // byte offset of pending[0]
    /// Bytes of the first block that detection decoded already (UTF-8): the next block is that
    /// much shorter, so blocks — and so the chunks of a long line — end where they would have.
    private var sampleBytesDecoded = 0
    private var finishedInput = false
    private var started = false
    private var icu: OpaquePointer?
    private var carry16: UInt16? = nil         // a high surrogate waiting for its pair
    /// Input bytes whose decoding is exactly `decoded[start..<end]`, when that is valid UTF-8:
    /// `decodeRest` appends them as they are instead of encoding the scalars again (valid
    /// UTF-8 has one encoding per scalar, so the bytes are the same). Any write to `decoded`
    /// drops it.
    private var validUTF8OfDecoded: (start: Int, end: Int, bytes: ArraySlice<UInt8>)? = nil
    /// Set when `decodeRest` starts the decoder: detection then only counts the sample's
    /// UTF-8, and a valid sample is handed on as `validUTF8Sample` (its bytes and scalar count),
    /// never decoded into `decoded`.
    private var handsOnValidUTF8 = false
    private var validUTF8Sample: (bytes: ArraySlice<UInt8>, scalars: Int)? = nil

    /// Chunks hold about this many scalars; a longer line is cut at a sentence end.
    public static let chunkScalars = 1 << 16
    static let blockBytes = 1 << 20
    /// Detection looks at this much of the start of the input (TextDecoder+Detection.swift).
    static let sampleBytes = 16 * 1024

    public init(source: ByteSource, name: String, options: DecodingOptions = .init()) {
        self.source = source
        self.name = name
        self.options = options
        self.decoded = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    }

    deinit {
        if let icu { tifa_decoder_close(icu) }
        decoded.deallocate()
    }

    /// Decodes the whole input at once, for small inputs and tests.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>", options: DecodingOptions = .init()) throws -> (text: String, report: DecodingReport) {
        let decoder = TextDecoder(source: MemoryByteSource(bytes), name: name, options: options)
        var scalars: [Unicode.Scalar] = []
        while let chunk = try decoder.nextChunk() { scalars += chunk.scalars }
        return (String(String.UnicodeScalarView(scalars)), decoder.report)
    }

    /// Decodes the rest of the input and appends it to `utf8` as UTF-8: a whole document at once,
    /// without the arrays of `nextChunk`'s chunks.
    package func decodeRest(appendingUTF8To utf8: inout [UInt8]) throws {
        if !started { handsOnValidUTF8 = true; try start() }
        if let sample = validUTF8Sample {
            utf8.append(contentsOf: sample.bytes)
            emittedScalars += sample.scalars
            validUTF8Sample = nil
        }
        while true {
            let n = decodedEnd - decodedStart
            if let valid = validUTF8OfDecoded, valid.start == decodedStart, valid.end == decodedEnd {
                utf8.append(contentsOf: valid.bytes)
            } else if n > 0 {
                (decoded + decodedStart).withMemoryRebound(to: Unicode.Scalar.self, capacity: n) {
                    UTF8Writer.append(UnsafeBufferPointer(start: $0, count: n), to: &utf8)
                }
            }
            validUTF8OfDecoded = nil
            if n > 0 {
                decodedStart = decodedEnd
                emittedScalars += n
            }
            if finishedInput && pending.isEmpty { return }
            try decodeMore()
        }
    }

    /// The next piece of decoded text, or nil at the end.
    public func nextChunk() throws -> TextChunk? {
        if !started { try start() }
        while true {
            if let chunk = takeChunk(final: finishedInput && pending.isEmpty) { return chunk }
            if finishedInput && pending.isEmpty {
                return nil
            }
            try decodeMore()
        }
    }

    // MARK: Detection

    private func start() throws {
        started = true
        try fill(atLeast: Self.sampleBytes)
        var bomLength = 0
        var reused: SampleDecoding? = nil
        var reusedUTF8: UTF8SampleDecoding? = nil
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8; bomLength = 3 }
        else if pending.starts(with: [0xFF, 0xFE]) { encoding = .utf16LittleEndian; bomLength = 2 }
        else if pending.starts(with: [0xFE, 0xFF]) { encoding = .utf16BigEndian; bomLength = 2 }
        if let forced = options.encoding {
            encoding = forced
            // A BOM of another encoding than the forced one is data; of the same, it is dropped.
            let matches = (forced == .utf8 && bomLength == 3) || (forced == .utf16LittleEndian && pending.starts(with: [0xFF, 0xFE])) || (forced == .utf16BigEndian && pending.starts(with: [0xFE, 0xFF]))
            if !matches { bomLength = 0 }
        } else if bomLength == 0 {
            let sample = Array(pending.prefix(Self.sampleBytes))
            let wholeInput = finishedInput && pending.count <= Self.sampleBytes
            let detection = Self.detect(sample, wholeInput: wholeInput, keepsUTF8Scalars: !handsOnValidUTF8)
            encoding = detection.encoding
            if options.invalidBytes == .replace { reused = detection.decoding; reusedUTF8 = detection.utf8 }
        }
        report.encoding = encoding
        report.byteOrderMark = bomLength > 0
        if bomLength > 0 { pending.removeFirst(bomLength); bytesDecoded = bomLength }
        if let reused, let converter = reused.takeConverter() {
            // The detection already decoded the sample with the winning converter: keep its
            // output and go on from where it stopped instead of decoding the sample again.
            if let nul = reused.bytes.firstIndex(of: 0) { tifa_decoder_close(converter); throw TextDecodingError.binary(file: name, byteOffset: nul) }
            icu = converter
            pending.removeFirst(reused.bytes.count)
            bytesDecoded = reused.bytes.count
            appendUTF16(reused.units[...])
            noteICUInvalid(converter)
            if pending.isEmpty && finishedInput { try decodeICU([]) }  // flushes an unfinished last character
            return
        }
        if let reusedUTF8, encoding == .utf8 {
            // Detection decoded the sample as UTF-8 to count its errors: keep that too.
            let consumed = reusedUTF8.consumedBytes
            if let nul = Self.firstNUL(pending[..<consumed]) { throw TextDecodingError.binary(file: name, byteOffset: nul) }
            if let scalars = reusedUTF8.scalars {
                let wasEmpty = decodedStart == decodedEnd
                reserveDecoded(reusedUTF8.count).update(from: scalars, count: reusedUTF8.count)
                decodedEnd += reusedUTF8.count
                if let first = reusedUTF8.firstInvalidOffset {
                    report.firstInvalidByteOffset = first
                    report.replacements = reusedUTF8.invalidCount
                } else if wasEmpty {
                    validUTF8OfDecoded = (decodedStart, decodedEnd, reusedUTF8.sample[..<consumed])
                }
            } else if reusedUTF8.invalidCount == 0 {
                validUTF8Sample = (reusedUTF8.sample[..<consumed], reusedUTF8.count)
            } else {
                // Only counted, and it has bytes to replace: decoding starts over from the first
                // byte (`decodeMore`), which replaces and reports them.
                return
            }
            pending.removeFirst(consumed)
            bytesDecoded = consumed
            sampleBytesDecoded = consumed
            return
        }
        switch encoding {
        case .utf8: break
        default:
            var status: Int32 = 0
            icu = tifa_decoder_open(encoding.icuName, options.invalidBytes == .fail ? 1 : 0, &status)
            if icu == nil || status > 0 {
                throw TextDecodingError.unknownEncoding(file: name, encoding: encoding.description)
            }
        }
    }

    // MARK: Reading and decoding

    private func fill(atLeast count: Int) throws {
        while !finishedInput && pending.count < count {
            let block = try source.read(maxBytes: Self.blockBytes)
            if block.isEmpty { finishedInput = true } else if pending.isEmpty { pending = block } else { pending += block }
        }
    }

    private func decodeMore() throws {
        try fill(atLeast: Self.blockBytes - sampleBytesDecoded)
        sampleBytesDecoded = 0
        let bytes = pending
        pending = []
        if encoding != .utf16LittleEndian && encoding != .utf16BigEndian, let nul = Self.firstNUL(bytes[...]) {
            throw TextDecodingError.binary(file: name, byteOffset: bytesDecoded + nul)
        }
        switch encoding {
        case .utf8: try decodeUTF8(bytes)
        default: try decodeICU(bytes)
        }
    }

    /// The offset of the first NUL byte (memchr: this looks at every byte of the input).
    static func firstNUL(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let hit = memchr(base, 0, raw.count) else { return nil }
            return UnsafeRawPointer(hit) - base
        }
    }

    private func decodeUTF8(_ bytes: [UInt8]) throws {
        let start = bytesDecoded
        var invalidOffsets: [Int] = []
        let finalBlock = finishedInput
        let wasEmpty = decodedStart == decodedEnd
        // Decode straight into the buffer's free space: no per-character append.
        let out = reserveDecoded(bytes.count)
        let (consumed, written) = bytes.withUnsafeBufferPointer { buffer in
            UTF8Validator().decode(buffer, isFinal: finalBlock, into: out) { invalidOffsets.append(start + $0) }
        }
        decodedEnd += written
        if wasEmpty && invalidOffsets.isEmpty { validUTF8OfDecoded = (decodedStart, decodedEnd, bytes[..<consumed]) }
        for offset in invalidOffsets { noteInvalid(at: offset) }
        if options.invalidBytes == .fail, let first = report.firstInvalidByteOffset {
            throw TextDecodingError.invalidBytes(file: name, encoding: encoding.description, count: report.replacements, firstByteOffset: first)
        }
        pending = Array(bytes[consumed...]) + pending
        bytesDecoded += consumed
    }

    private func decodeICU(_ input: [UInt8]) throws {
        guard let icu else { return }
        // An empty final call flushes the converter; it still needs a valid pointer.
        let bytes = input.isEmpty ? [0] : input, length = input.count
        var target = [UInt16](repeating: 0, count: bytes.count * 2 + 16)
        var offset = 0
        let flush: Int32 = finishedInput ? 1 : 0
        repeat {
            var consumed: Int32 = 0
            var status: Int32 = 0
            let written = bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { c in
                    tifa_decoder_decode(icu, c.baseAddress! + offset, Int32(length - offset), &target, Int32(target.count), flush, &consumed, &status)
                }
            }
            offset += Int(consumed)
            appendUTF16(target[0..<Int(written)])
            let invalid = noteICUInvalid(icu)
            if status > 0 && status != 15 /* buffer overflow: loop */ {
                if options.invalidBytes == .fail && invalid > 0 {
                    throw TextDecodingError.invalidBytes(file: name, encoding: encoding.description, count: invalid, firstByteOffset: report.firstInvalidByteOffset ?? 0)
                }
                throw TextDecodingError.unknownEncoding(file: name, encoding: encoding.description)
            }
        } while offset < length
        bytesDecoded += length
        // A lead surrogate left at the end has no pair: it is a replaced character.
        if finishedInput, carry16 != nil { carry16 = nil; reserveDecoded(1)[0] = 0xFFFD; decodedEnd += 1 }
    }

    /// Appends UTF-16 units as scalars, pairing surrogates across calls; a lone surrogate becomes
    /// U+FFFD. Writes through a local pointer: appending to a property per unit would pay an
    /// exclusivity check each time.
    private func appendUTF16(_ units: ArraySlice<UInt16>) {
        // A unit gives at most one scalar, but a carried lead surrogate that finds no trail adds one.
        let out = reserveDecoded(units.count + 1)
        var k = 0
        var high = carry16
        for unit in units {
            if let h = high {
                high = nil
                if UTF16.isTrailSurrogate(unit) {
                    out[k] = 0x10000 + ((UInt32(h) - 0xD800) << 10) + (UInt32(unit) - 0xDC00); k += 1
                    continue
                }
                out[k] = 0xFFFD; k += 1
            }
            if UTF16.isLeadSurrogate(unit) { high = unit; continue }
            out[k] = UTF16.isTrailSurrogate(unit) ? 0xFFFD : UInt32(unit); k += 1
        }
        carry16 = high
        decodedEnd += k
    }

    /// Room for `count` more scalars at `decoded + decodedEnd`, which it returns. Moves the
    /// scalars not handed out yet to the start of the buffer first, and grows it if they and
    /// `count` more do not fit.
    @discardableResult
    private func reserveDecoded(_ count: Int) -> UnsafeMutablePointer<UInt32> {
        validUTF8OfDecoded = nil
        let live = decodedEnd - decodedStart
        if decodedStart > 0 {
            if live > 0 { decoded.update(from: decoded + decodedStart, count: live) }  // overlapping move to the front
            decodedStart = 0
            decodedEnd = live
        }
        if live + count > decodedCapacity {
            let capacity = max(live + count, decodedCapacity * 2)
            let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            grown.moveInitialize(from: decoded, count: live)
            decoded.deallocate()
            decoded = grown
            decodedCapacity = capacity
        }
        return decoded + decodedEnd
    }

    /// Copies the converter's count of invalid sequences into the report.
    @discardableResult
    private func noteICUInvalid(_ icu: OpaquePointer) -> Int {
        let invalid = Int(tifa_decoder_invalid_count(icu))
        if invalid > 0 {
            report.replacements = invalid
            report.firstInvalidByteOffset = Int(tifa_decoder_first_invalid_offset(icu)) + (report.byteOrderMark ? 2 : 0)
        }
        return invalid
    }

    private func noteInvalid(at byteOffset: Int) {
        if report.firstInvalidByteOffset == nil { report.firstInvalidByteOffset = byteOffset }
        report.replacements += 1
    }

    // MARK: Chunking

    private func takeChunk(final: Bool) -> TextChunk? {
        let n = decodedEnd - decodedStart
        if n == 0 { return nil }
        let text = UnsafeBufferPointer(start: decoded + decodedStart, count: n)
        var cut: Int? = nil
        if final {
            cut = n
        } else if n >= Self.chunkScalars {
            if let lastNewline = text.lastIndex(of: 0x0A) {
                cut = lastNewline + 1
            } else if n >= Self.chunkScalars * 4 {
                // One very long line: cut after a sentence end or a space near the end, so the
                // pieces stay bounded and words are rarely cut.
                let window = text[(n - Self.chunkScalars)...]
                if let p = window.lastIndex(where: { Self.longLineBreaks.contains($0) }) { cut = p + 1 } else { cut = n }
            }
        }
        guard let cut else { return nil }
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: cut) { buffer, count in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: text.baseAddress!, byteCount: cut * MemoryLayout<UInt32>.stride)
            count = cut
        }
        let chunk = TextChunk(scalars: scalars, startOffset: emittedScalars)
        decodedStart += cut
        emittedScalars += cut
        return chunk
    }

    /// Where a line longer than four chunks is cut: after a sentence end or a space.
    private static let longLineBreaks: [UInt32] = "。！？；!?;\u{3000} ".unicodeScalars.map(\.value)
}
