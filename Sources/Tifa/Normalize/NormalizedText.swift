/// Text produced by the `Normalizer`, in which every character remembers where it came from.
///
/// Offsets unit: **0-based Unicode scalar (code point) offsets into the decoded original text**
/// of the document — the text as it was before normalization, after decoding from its byte
/// encoding (BOM removed, CRLF kept). In Python, `original[start:end]` on the decoded `str` gives
/// back the surface. Offsets do not depend on the byte encoding, so a GB18030 file and its UTF-8
/// twin report the same offsets.
///
/// Cost: 4 bytes per scalar plus 4 per offset (one per scalar and one end sentinel; see
/// `SourceOffsets`).
public struct NormalizedText: Sendable, Equatable {
    /// The normalized characters.
    public var scalars: [Unicode.Scalar]
    /// `sourceOffsets[i]` is the original offset of `scalars[i]`; one more element holds the
    /// original offset where the text ends, so a range `i..<j` maps to
    /// `sourceOffsets[i]..<sourceEnd(j)`.
    public var sourceOffsets: SourceOffsets
    /// Web chrome and garbled text found while normalizing, in text order; removed ones are no
    /// longer in `scalars`.
    public var findings: [NormalizationFinding] = []

    public init(scalars: [Unicode.Scalar], sourceOffsets: SourceOffsets, findings: [NormalizationFinding] = []) {
        precondition(sourceOffsets.count == scalars.count + 1, "one offset per scalar plus the end")
        self.scalars = scalars
        self.sourceOffsets = sourceOffsets
        self.findings = findings
    }

    public init(scalars: [Unicode.Scalar], sourceOffsets: [Int], findings: [NormalizationFinding] = []) {
        self.init(scalars: scalars, sourceOffsets: SourceOffsets(sourceOffsets), findings: findings)
    }

    /// Text that is its own original, starting at `offset` (no normalization applied).
    public init(identity scalars: [Unicode.Scalar], startingAt offset: Int = 0) {
        self.scalars = scalars
        self.sourceOffsets = SourceOffsets(base: offset, relative: Array(0...UInt32(scalars.count)))
    }

    public init(identity string: String, startingAt offset: Int = 0) {
        self.init(identity: Array(string.unicodeScalars), startingAt: offset)
    }

    public var count: Int { scalars.count }
    public var isEmpty: Bool { scalars.isEmpty }

    /// The normalized text as a String.
    public var string: String { String(String.UnicodeScalarView(scalars)) }

    /// The normalized characters in `range` as a String.
    public func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }

    /// The original range covered by normalized range `range`: from the original start of its
    /// first character to the original end of its last one. Every normalized character stands
    /// for exactly one original character (the normalizer replaces one by one and removes the
    /// rest), so original text removed inside the span (a pinyin annotation) is covered, and
    /// removed text right after it is not.
    public func sourceRange(_ range: Range<Int>) -> Range<Int> {
        let start = sourceOffsets[range.lowerBound]
        guard !range.isEmpty else { return start..<start }
        return start..<(sourceOffsets[range.upperBound - 1] + 1)
    }

    /// The original character of each normalized character, as written in `original` (the
    /// chunk this text was normalized from, or any decoded text holding its source offsets):
    /// traditional characters, full-width letters and digits as they were. `count` elements, so
    /// a normalized range reads the same range of the result; what normalizing removed (a
    /// zero-width space, a pinyin annotation) is not in it. For output that keeps the writer's
    /// characters at the tokens found in the normalized text (`tifa segment --surface original`).
    public func originalScalars(in original: TextChunk) -> [Unicode.Scalar] {
        original.scalars.withUnsafeBufferPointer { source in
            sourceOffsets.withUnsafeDistances { distances in
                let shift = sourceOffsets.base - original.startOffset
                return (0..<count).map { source[Int(distances[$0]) + shift] }
            }
        }
    }
}

/// The original offsets of a normalized text (`NormalizedText.sourceOffsets`): a collection of
/// `Int`, stored as 32-bit distances from the smallest (`base`), so 4 bytes per character instead
/// of 8. A text holds one piece of a document (`Analyzer.forEachPiece`) or a whole document;
/// either spans far fewer than 2³² code points (16 GB of text).
public struct SourceOffsets: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The smallest offset; every element is `base` plus its stored distance.
    public let base: Int
    private(set) var relative: [UInt32]

    init(base: Int, relative: [UInt32]) {
        self.base = base
        self.relative = relative
    }

    public init(_ offsets: [Int]) {
        let base = offsets.min() ?? 0
        precondition((offsets.max() ?? base) - base <= Int(UInt32.max), "a normalized text spans fewer than 2^32 code points")
        self.init(base: base, relative: offsets.map { UInt32($0 - base) })
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { relative.count }

    @inline(__always)
    public subscript(i: Int) -> Int { base + Int(relative[i]) }

    /// The stored distances from `base`, for loops that read many offsets.
    public func withUnsafeDistances<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        try relative.withUnsafeBufferPointer(body)
    }

    /// Equal offsets, however they are stored.
    public static func == (a: SourceOffsets, b: SourceOffsets) -> Bool {
        a.elementsEqual(b)
    }
}
