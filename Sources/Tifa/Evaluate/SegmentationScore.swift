/// Word-level segmentation scores as the SIGHAN bakeoffs compute them.
///
/// A word is a span of characters `[start, end)` in the text with its whitespace removed. A
/// segmented word is correct when the gold segmentation has a word with exactly the same span.
/// - precision = correct / segmented words, recall = correct / gold words, F1 = 2PR / (P + R);
/// - OOV recall = correctly segmented gold words that are *not* in the training word list /
///   such gold words (nil when there is no list or no OOV word);
/// - IV recall likewise for gold words in the list.
///
/// Feed it line by line with `add(gold:segmented:)`; counting is streaming and exact.
public struct SegmentationScore: Sendable, Equatable {
    public private(set) var goldWords = 0
    public private(set) var segmentedWords = 0
    public private(set) var correctWords = 0
    public private(set) var oovGoldWords = 0
    public private(set) var oovCorrectWords = 0
    public private(set) var ivGoldWords = 0
    public private(set) var ivCorrectWords = 0
    public private(set) var lines = 0
    /// Lines whose segmented characters differ from the gold's (a scorer input error).
    public private(set) var mismatchedLines = 0

    public init() {}

    public var precision: Double { segmentedWords == 0 ? 0 : Double(correctWords) / Double(segmentedWords) }
    public var recall: Double { goldWords == 0 ? 0 : Double(correctWords) / Double(goldWords) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    public var oovRate: Double { goldWords == 0 ? 0 : Double(oovGoldWords) / Double(goldWords) }
    public var oovRecall: Double? { oovGoldWords == 0 ? nil : Double(oovCorrectWords) / Double(oovGoldWords) }
    public var ivRecall: Double? { ivGoldWords == 0 ? nil : Double(ivCorrectWords) / Double(ivGoldWords) }

    /// Scores one line given as words: `gold` and `segmented` are the words of the same text;
    /// `isInVocabulary` tells whether a gold word is in the training list (nil: no list).
    public mutating func add(gold: [Substring], segmented: [Substring], isInVocabulary: ((Substring) -> Bool)?) {
        if gold.joined() != segmented.joined() { mismatchedLines += 1 }
        add(gold: gold, segmentedSpans: Self.spans(of: segmented), isInVocabulary: isInVocabulary)
    }

    /// The spans of `words` (in Unicode scalars) in their text with the whitespace removed.
    public static func spans(of words: [Substring]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        spans.reserveCapacity(words.count)
        var position = 0
        for w in words {
            let n = w.unicodeScalars.count
            spans.append(position..<(position + n))
            position += n
        }
        return spans
    }

    /// Scores one line given as spans: `segmentedSpans` are word spans in Unicode scalars of the
    /// gold text with its whitespace removed (what `Token.sourceRange` gives when that text is
    /// segmented), so a segmenter that normalizes is still scored on the original characters.
    public mutating func add(gold: [Substring], segmentedSpans: [Range<Int>], isInVocabulary: ((Substring) -> Bool)?) {
        lines += 1
        goldWords += gold.count
        segmentedWords += segmentedSpans.count
        var segmented = Set<Int>()
        segmented.reserveCapacity(segmentedSpans.count)
        for r in segmentedSpans { segmented.insert(r.lowerBound << 32 | r.upperBound) }
        var position = 0
        for w in gold {
            let n = w.unicodeScalars.count
            let correct = segmented.contains(position << 32 | (position + n))
            if correct { correctWords += 1 }
            if let isInVocabulary {
                if isInVocabulary(w) {
                    ivGoldWords += 1
                    if correct { ivCorrectWords += 1 }
                } else {
                    oovGoldWords += 1
                    if correct { oovCorrectWords += 1 }
                }
            }
            position += n
        }
    }
}
