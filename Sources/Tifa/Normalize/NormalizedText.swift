/// Text produced by the `Normalizer`, in which every character remembers where it came from.
///
/// Offsets unit: **0-based Unicode scalar (code point) offsets into the decoded original text**
/// of the document — the text as it was before normalization, after decoding from its byte
/// encoding (BOM removed, CRLF kept). In Python, `original[start:end]` on the decoded `str` gives
/// back the surface. Offsets do not depend on the byte encoding, so a GB18030 file and its UTF-8
/// twin report the same offsets.
///
/// Cost: 4 bytes per scalar plus 8 per offset (one per scalar and one end sentinel).
public struct NormalizedText: Sendable, Equatable {
    /// The normalized characters.
    public var scalars: [Unicode.Scalar]
    /// `sourceOffsets[i]` is the original offset of `scalars[i]`; one more element holds the
    /// original offset where the text ends, so a range `i..<j` maps to
    /// `sourceOffsets[i]..<sourceEnd(j)`.
    public var sourceOffsets: [Int]
    /// Web chrome and garbled text found while normalizing, in text order; removed ones are no
    /// longer in `scalars`.
    public var findings: [NormalizationFinding] = []

    public init(scalars: [Unicode.Scalar], sourceOffsets: [Int], findings: [NormalizationFinding] = []) {
        precondition(sourceOffsets.count == scalars.count + 1, "one offset per scalar plus the end")
        self.scalars = scalars
        self.sourceOffsets = sourceOffsets
        self.findings = findings
    }

    /// Text that is its own original, starting at `offset` (no normalization applied).
    public init(identity scalars: [Unicode.Scalar], startingAt offset: Int = 0) {
        self.scalars = scalars
        self.sourceOffsets = Array(offset...(offset + scalars.count))
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
}
