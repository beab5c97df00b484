/// `Analyzer.analyze`'s per-token work — count each word, number and Latin token by its
/// scalars, and keep the token itself for `Detail.tokens` — as a sink of a concrete type that
/// the segmenter's lattice is specialized for: no closure call, thunk or `Token` (with its
/// original offsets) per token, as `Segmenter.forEachToken` would cost.
///
/// Counting is keyed by the scalars packed into integers, not by String: building and hashing
/// a String per token (NFC-aware hashing) cost more than the word breaking. Strings are made
/// once per distinct term. Terms longer than `PackedTerm.capacity` scalars fall back to String
/// keys.
struct TermCounter: SpanSink {
    var terms: [TermCount] = []
    var packedKeys: [PackedTerm?] = []
    var packedCounts: PackedTermTable
    var long = TermSlots()
    var tokenCount = 0
    var tokens: [AnalyzedToken]?
    /// The piece being segmented (`count(_:)` sets them).
    private var scalars = UnsafeBufferPointer<Unicode.Scalar>(start: nil, count: 0)
    private var normalized: NormalizedText?

    private let termTexts: Analyzer.TermTexts

    /// Counts into `table`, which must be empty (a table of an earlier analysis, `removeAll()`ed).
    init(table: PackedTermTable, detail: Analyzer.Detail, termTexts: Analyzer.TermTexts = .all) {
        packedCounts = table
        tokens = detail == .tokens ? [] : nil
        self.termTexts = termTexts
    }

    /// Counts the tokens of one normalized piece.
    mutating func count(_ piece: NormalizedText, segmenter: Segmenter) {
        // Tokens are read through a buffer pointer: an ArraySlice per token retained and
        // released the array.
        piece.scalars.withUnsafeBufferPointer { scalars in
            self.scalars = scalars
            if tokens != nil { normalized = piece }
            segmenter.forEachSpan(in: piece, &self)
            self.scalars = UnsafeBufferPointer(start: nil, count: 0)
            normalized = nil
        }
    }

    @inline(__always)
    mutating func span(_ range: Range<Int>, _ kind: Token.Kind, _ rule: Segmenter.SpanRule) {
        guard let kind = TermKind(counting: kind) else { return }
        tokenCount += 1
        let token = UnsafeBufferPointer(rebasing: scalars[range])
        if tokens != nil {
            tokens!.append(AnalyzedToken(text: UTF8Writer.string(token), kind: kind, sourceRange: normalized!.sourceRange(range)))
        }
        let text: String
        if let key = PackedTerm(token, kind: kind) {
            let i = packedCounts.index(of: key, insertingIfAbsent: terms.count)
            if i != terms.count { terms[i].count += 1; return }
            packedKeys.append(key)
            text = termTexts == .all ? UTF8Writer.string(token) : ""
        } else {
            text = UTF8Writer.string(token)
            if let i = long.slot(of: text, kind: kind, insertingIfAbsent: terms.count) { terms[i].count += 1; return }
            packedKeys.append(nil)
        }
        terms.append(TermCount(text: text, kind: kind, count: 1))
    }
}

extension TermKind {
    /// The kind a segmenter token is counted as, nil for one that is not counted. The
    /// segmenter's forced policy phrases count as words: the formula kind is the matcher's.
    @inline(__always)
    init?(counting kind: Token.Kind) {
        switch kind {
        case .word, .formula: self = .word
        case .number: self = .number
        case .latin: self = .latin
        case .punctuation, .whitespace, .symbol: return nil
        }
    }
}
