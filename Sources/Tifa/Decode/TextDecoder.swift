import CICU

/// Decodes the bytes of one document into Unicode text, streaming, in bounded memory.
///
/// - Detection: a byte-order mark wins; otherwise a sample of the first 64 KiB is tested: text
///   that is UTF-8 but for a handful of bad sequences is UTF-8; otherwise ICU's charset detector
///   chooses between GB18030 and Big5. `DecodingOptions.encoding` overrides detection.
/// - Bad input never crashes and is never lost silently: each invalid or unmappable byte
///   sequence becomes U+FFFD and is counted, with the byte offset of the first one
///   (`report`); with `strict` the first one is an error instead. NUL bytes in a file that is not
///   UTF-16 mean binary data and are refused.
/// - Output comes as `TextChunk`s that end at a line break, or — for lines longer than the
///   chunk limit — at a sentence end or space, so a 10 MB line never sits in memory whole.
///
/// Cost: one pass over the bytes; memory is two blocks of input plus one chunk of output.
public final class TextDecoder {
    public let name: String
    public private(set) var encoding: TextEncoding = .utf8
    public private(set) var report = DecodingReport()

    private let source: ByteSource
    private let options: DecodingOptions
    private var pending: [UInt8] = []          // bytes read but not decoded yet
    private var decodedScalars: [Unicode.Scalar] = []
    private var emittedScalars = 0            // original offset of decodedScalars[0]
    private var bytesDecoded = 0               // byte offset of pending[0]
    private var finishedInput = false
    private var started = false
    private var icu: OpaquePointer?
    private var carry16: UInt16? = nil         // a high surrogate waiting for its pair
    private var pendingCR = false

    /// Chunks hold about this many scalars; a longer line is cut at a sentence end.
    public static let chunkScalars = 1 << 16
    static let blockBytes = 1 << 20
    /// Detection looks at this much of the start of the input.
    static let sampleBytes = 16 * 1024

    public init(source: ByteSource, name: String, options: DecodingOptions = .init()) {
        self.source = source
        self.name = name
        self.options = options
    }

    deinit { if let icu { tifa_decoder_close(icu) } }

    /// Decodes the whole input at once, for small inputs and tests.
    public static func decode(_ bytes: [UInt8], name: String = "<memory>", options: DecodingOptions = .init()) throws -> (text: String, report: DecodingReport) {
        let decoder = TextDecoder(source: MemoryByteSource(bytes), name: name, options: options)
        var scalars: [Unicode.Scalar] = []
        while let chunk = try decoder.nextChunk() { scalars += chunk.scalars }
        return (String(String.UnicodeScalarView(scalars)), decoder.report)
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
        if pending.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8; bomLength = 3 }
        else if pending.starts(with: [0xFF, 0xFE]) { encoding = .utf16LittleEndian; bomLength = 2 }
        else if pending.starts(with: [0xFE, 0xFF]) { encoding = .utf16BigEndian; bomLength = 2 }
        if let forced = options.encoding {
            encoding = forced
            // A BOM of another encoding than the forced one is data; of the same, it is dropped.
            let matches = (forced == .utf8 && bomLength == 3) || (forced == .utf16LittleEndian && pending.starts(with: [0xFF, 0xFE])) || (forced == .utf16BigEndian && pending.starts(with: [0xFE, 0xFF]))
            if !matches { bomLength = 0 }
        } else if bomLength == 0 {
            encoding = detect(Array(pending.prefix(Self.sampleBytes)))
        }
        report.encoding = encoding
        report.byteOrderMark = bomLength > 0
        if bomLength > 0 { pending.removeFirst(bomLength); bytesDecoded = bomLength }
        switch encoding {
        case .utf8: break
        default:
            var status: Int32 = 0
            icu = tifa_decoder_open(encoding.icuName, options.strict ? 1 : 0, &status)
            if icu == nil || status > 0 {
                throw TextDecodingError.unknownEncoding(file: name, encoding: encoding.description)
            }
        }
    }

    private func detect(_ sample: [UInt8]) -> TextEncoding {
        if sample.isEmpty { return .utf8 }
        // Text in another encoding almost never forms valid multi-byte UTF-8 sequences, so UTF-8
        // with a few bad bytes is told apart from GB18030 or Big5 by counting errors both ways;
        // a tie goes to UTF-8.
        let (valid, invalid) = sample.withUnsafeBufferPointer { UTF8Validator().countSequences($0, isFinal: false) }
        if invalid == 0 || valid >= 8 * invalid { return .utf8 }
        let invalidAsGB = Self.countInvalid(sample, as: .gb18030)
        let invalidAsBig5 = Self.countInvalid(sample, as: .big5)
        if invalid <= min(invalidAsGB, invalidAsBig5) { return .utf8 }
        if invalidAsGB != invalidAsBig5 { return invalidAsGB < invalidAsBig5 ? .gb18030 : .big5 }
        // A tie (usually Big5, which GB18030 also accepts): Big5 puts about a third of its common
        // characters' second bytes in 0x40–0x7E, where GB2312's common characters never do.
        let (pairs, lowTrails) = Self.doubleBytePairs(sample)
        if pairs >= 32 { return lowTrails * 10 >= pairs ? .big5 : .gb18030 }
        let guess = sample.prefix(4096).withUnsafeBytes { ICU.detectCharset($0) }
        switch guess.map({ TextEncoding(name: $0.name) }) {
        case .big5?: return .big5
        case .utf16LittleEndian?: return .utf16LittleEndian
        case .utf16BigEndian?: return .utf16BigEndian
        default: return .gb18030
        }
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

    /// Invalid sequences in `sample` when decoded as `encoding` (an unfinished last character is
    /// not counted), plus characters decoded into the Private Use Area: ICU's Big5 table maps
    /// the user-defined byte ranges there, so GB18030 text read as Big5 shows up as PUA, not errors.
    static func countInvalid(_ sample: [UInt8], as encoding: TextEncoding) -> Int {
        var status: Int32 = 0
        guard let d = tifa_decoder_open(encoding.icuName, 0, &status) else { return Int.max }
        defer { tifa_decoder_close(d) }
        var target = [UInt16](repeating: 0, count: sample.count * 2 + 16)
        var consumed: Int32 = 0
        let written = sample.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { c in
                tifa_decoder_decode(d, c.baseAddress, Int32(c.count), &target, Int32(target.count), 0, &consumed, &status)
            }
        }
        let privateUse = target[0..<Int(max(0, written))].reduce(0) { $0 + (($1 >= 0xE000 && $1 <= 0xF8FF) ? 1 : 0) }
        return Int(tifa_decoder_invalid_count(d)) + privateUse
    }

    // MARK: Reading and decoding

    private func fill(atLeast count: Int) throws {
        while !finishedInput && pending.count < count {
            let block = try source.read(maxBytes: Self.blockBytes)
            if block.isEmpty { finishedInput = true } else { pending += block }
        }
    }

    private func decodeMore() throws {
        try fill(atLeast: Self.blockBytes)
        let bytes = pending
        pending.removeAll(keepingCapacity: true)
        if encoding != .utf16LittleEndian && encoding != .utf16BigEndian, let nul = bytes.firstIndex(of: 0) {
            throw TextDecodingError.binary(file: name, byteOffset: bytesDecoded + nul)
        }
        switch encoding {
        case .utf8: try decodeUTF8(bytes)
        default: try decodeICU(bytes)
        }
    }

    private func decodeUTF8(_ bytes: [UInt8]) throws {
        let start = bytesDecoded
        var written = 0
        var invalidOffsets: [Int] = []
        let finalBlock = finishedInput
        let oldCount = decodedScalars.count
        var consumed = 0
        // Decode straight into the output array's spare capacity: no per-character append.
        decodedScalars.append(contentsOf: repeatElement("\u{0}", count: bytes.count))
        decodedScalars.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: UInt32.self) { raw in
                bytes.withUnsafeBufferPointer { buffer in
                    let r = UTF8Validator().decode(buffer, isFinal: finalBlock, into: raw.baseAddress! + oldCount) { invalidOffsets.append(start + $0) }
                    consumed = r.consumed
                    written = r.written
                }
            }
        }
        decodedScalars.removeLast(bytes.count - written)
        for offset in invalidOffsets { noteInvalid(at: offset) }
        if options.strict, let first = report.firstInvalidByteOffset {
            throw TextDecodingError.invalidBytes(file: name, encoding: encoding.description, count: report.replacements, firstByteOffset: first)
        }
        pending = Array(bytes[consumed...]) + pending
        bytesDecoded += consumed
    }

    private func decodeICU(_ bytes: [UInt8]) throws {
        guard let icu else { return }
        var target = [UInt16](repeating: 0, count: bytes.count * 2 + 16)
        var offset = 0
        let flush: Int32 = finishedInput ? 1 : 0
        repeat {
            var consumed: Int32 = 0
            var status: Int32 = 0
            let written = bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { c in
                    tifa_decoder_decode(icu, c.baseAddress! + offset, Int32(b.count - offset), &target, Int32(target.count), flush, &consumed, &status)
                }
            }
            offset += Int(consumed)
            appendUTF16(target[0..<Int(written)])
            let invalid = Int(tifa_decoder_invalid_count(icu))
            if invalid > 0 {
                report.replacements = invalid
                report.firstInvalidByteOffset = Int(tifa_decoder_first_invalid_offset(icu)) + (report.byteOrderMark ? 2 : 0)
            }
            if status > 0 && status != 15 /* buffer overflow: loop */ {
                if options.strict && invalid > 0 {
                    throw TextDecodingError.invalidBytes(file: name, encoding: encoding.description, count: invalid, firstByteOffset: report.firstInvalidByteOffset ?? 0)
                }
                throw TextDecodingError.unknownEncoding(file: name, encoding: encoding.description)
            }
        } while offset < bytes.count
        bytesDecoded += bytes.count
        if finishedInput, let high = carry16 { carry16 = nil; _ = high; append("\u{FFFD}") }
    }

    /// Appends UTF-16 units as scalars, pairing surrogates across calls; a lone surrogate becomes
    /// U+FFFD. Builds a local array first: appending to the property per unit would pay an
    /// exclusivity check each time.
    private func appendUTF16(_ units: ArraySlice<UInt16>) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(units.count)
        var high = carry16
        for unit in units {
            if let h = high {
                high = nil
                if UTF16.isTrailSurrogate(unit) {
                    scalars.append(Unicode.Scalar(0x10000 + ((UInt32(h) - 0xD800) << 10) + (UInt32(unit) - 0xDC00))!)
                    continue
                }
                scalars.append("\u{FFFD}")
            }
            if UTF16.isLeadSurrogate(unit) { high = unit; continue }
            scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
        }
        carry16 = high
        decodedScalars.append(contentsOf: scalars)
    }

    @inline(__always)
    private func append(_ scalar: Unicode.Scalar) {
        decodedScalars.append(scalar)
    }

    private func noteInvalid(at byteOffset: Int) {
        if report.firstInvalidByteOffset == nil { report.firstInvalidByteOffset = byteOffset }
        report.replacements += 1
    }

    // MARK: Chunking

    private func takeChunk(final: Bool) -> TextChunk? {
        let n = decodedScalars.count
        if n == 0 { return nil }
        var cut: Int? = nil
        if final {
            cut = n
        } else if n >= Self.chunkScalars {
            if let lastNewline = decodedScalars.lastIndex(of: "\n") {
                cut = lastNewline + 1
            } else if n >= Self.chunkScalars * 4 {
                // One very long line: cut after a sentence end or a space near the end, so the
                // pieces stay bounded and words are rarely cut.
                let window = decodedScalars[(n - Self.chunkScalars)...]
                if let p = window.lastIndex(where: { "。！？；!?;\u{3000} ".unicodeScalars.contains($0) }) { cut = p + 1 } else { cut = n }
            }
        }
        guard let cut else { return nil }
        let chunk = TextChunk(scalars: Array(decodedScalars[0..<cut]), startOffset: emittedScalars)
        decodedScalars.removeFirst(cut)
        emittedScalars += cut
        return chunk
    }
}

/// A piece of a decoded document: `scalars` start at scalar offset `startOffset` of the document.
public struct TextChunk: Sendable {
    public var scalars: [Unicode.Scalar]
    public var startOffset: Int
}

public struct DecodingOptions: Sendable {
    /// Forces an encoding instead of detecting it.
    public var encoding: TextEncoding?
    /// Makes the first invalid byte sequence an error instead of a counted U+FFFD.
    public var strict: Bool

    public init(encoding: TextEncoding? = nil, strict: Bool = false) {
        self.encoding = encoding
        self.strict = strict
    }
}

/// What decoding found: the encoding and how many byte sequences were replaced.
public struct DecodingReport: Sendable, Equatable {
    public var encoding: TextEncoding = .utf8
    public var byteOrderMark = false
    /// Invalid or unmappable byte sequences replaced by U+FFFD.
    public var replacements = 0
    /// The byte offset (0-based, from the start of the file) of the first of them.
    public var firstInvalidByteOffset: Int?
}

public enum TextDecodingError: Error, CustomStringConvertible, Sendable {
    case binary(file: String, byteOffset: Int)
    case invalidBytes(file: String, encoding: String, count: Int, firstByteOffset: Int)
    case unknownEncoding(file: String, encoding: String)
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .binary(file, offset):
            return "\(file): binary data (NUL byte at byte offset \(offset)), not text"
        case let .invalidBytes(file, encoding, _, offset):
            return "\(file): invalid \(encoding) byte sequence at byte offset \(offset)"
        case let .unknownEncoding(file, encoding):
            return "\(file): cannot decode as \(encoding) (unknown or unsupported encoding)"
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        }
    }
}
