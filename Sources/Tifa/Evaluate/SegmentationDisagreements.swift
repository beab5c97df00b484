/// Where a segmentation and the gold disagree, and how often: what `tifa eval --errors` lists,
/// so that a user with their own gold set sees which words go wrong, not only how many.
///
/// A line is cut at every position where both the gold and the segmentation have a word
/// boundary; a piece between two such positions is a *disagreement* unless both have it as one
/// and the same word. Its gold words and segmented words are recorded as they are written in
/// the gold (the segmentation's spans are character spans of the gold text, so a traditional
/// gold set shows its own characters). Equal disagreements are counted together:
/// - `split`: one gold word, cut into several (检察机关 → 检察 机关);
/// - `joined`: several gold words, written as one (检察 机关 → 检察机关);
/// - `crossed`: boundaries in other places (中 国家 → 中国 家), or characters the segmentation
///   left out (normalization removed them).
///
/// Streaming and exact, like `SegmentationScore`: feed it line by line.
public struct SegmentationDisagreements: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case split, joined, crossed
    }

    public struct Entry: Sendable, Equatable {
        /// The gold's words of the piece, and the segmentation's.
        public var gold: [String]
        public var segmented: [String]
        public var kind: Kind
        /// How many times the piece disagreed so.
        public var count: Int
        /// The first gold line (1-based) where it did.
        public var firstLine: Int
        /// How many of the gold words are absent from the training word list (nil without one).
        public var oovGoldWords: Int?
    }

    private var entryIndex: [String: Int] = [:]
    private var recorded: [Entry] = []
    /// Disagreeing pieces, counted with repeats.
    public private(set) var total = 0

    public init() {}

    /// Every distinct disagreement, the most frequent first (ties: the one seen first).
    public var entries: [Entry] {
        recorded.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
        }.map(\.element)
    }

    /// One line: the gold's words, and the segmentation's words as spans of Unicode scalars of
    /// the gold text with its whitespace removed (`SegmentationScore.add(gold:segmentedSpans:…)`).
    public mutating func add(gold: [Substring], segmentedSpans: [Range<Int>], line: Int, isInVocabulary: ((Substring) -> Bool)?) {
        let text = Array(gold.joined().unicodeScalars)
        let goldSpans = SegmentationScore.spans(of: gold)
        let spans = segmentedSpans.filter { !$0.isEmpty && $0.upperBound <= text.count }.sorted { $0.lowerBound < $1.lowerBound }
        var segmentedBounds = Set<Int>()
        for r in spans { segmentedBounds.insert(r.lowerBound); segmentedBounds.insert(r.upperBound) }
        // Positions where both have a boundary, in order (gold boundaries are ordered already).
        var common = [0]
        for r in goldSpans where r.upperBound > 0 && segmentedBounds.contains(r.upperBound) { common.append(r.upperBound) }
        if common.last != text.count { common.append(text.count) }
        var g = 0, s = 0
        for (from, to) in zip(common, common.dropFirst()) {
            let goldStart = g, segmentedStart = s
            while g < goldSpans.count && goldSpans[g].upperBound <= to { g += 1 }
            while s < spans.count && spans[s].upperBound <= to { s += 1 }
            let goldWords = gold[goldStart..<g], pieces = spans[segmentedStart..<s]
            if goldWords.count == 1 && pieces.count == 1 && pieces.first! == from..<to { continue }
            if goldWords.isEmpty && pieces.isEmpty { continue }
            let segmented = pieces.map { String(String.UnicodeScalarView(text[$0])) }
            let kind: Kind = goldWords.count == 1 && pieces.count > 1 && pieces.first!.lowerBound == from && pieces.last!.upperBound == to
                && zip(pieces, pieces.dropFirst()).allSatisfy({ $0.upperBound == $1.lowerBound }) ? .split
                : goldWords.count > 1 && pieces.count == 1 && pieces.first! == from..<to ? .joined : .crossed
            record(gold: goldWords.map(String.init), segmented: segmented, kind: kind, line: line,
                   oov: isInVocabulary.map { known in goldWords.filter { !known($0) }.count })
        }
    }

    private mutating func record(gold: [String], segmented: [String], kind: Kind, line: Int, oov: Int?) {
        total += 1
        let key = gold.joined(separator: " ") + "\t" + segmented.joined(separator: " ")
        if let i = entryIndex[key] {
            recorded[i].count += 1
        } else {
            entryIndex[key] = recorded.count
            recorded.append(Entry(gold: gold, segmented: segmented, kind: kind, count: 1, firstLine: line, oovGoldWords: oov))
        }
    }
}
