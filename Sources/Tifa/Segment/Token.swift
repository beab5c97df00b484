/// One token of segmented text.
///
/// `range` is in the scalars of the `NormalizedText` that was segmented (use `text.text(range)`
/// for the surface); `sourceRange` is the same span as 0-based Unicode scalar offsets into the
/// document's decoded ORIGINAL text, computed through the normalizer's offset map.
public struct Token: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// A Chinese word (from a lexicon, or a single character).
        case word
        /// A number, date, percentage or amount: 2014年, 12.1%, 3.698亿元, 二○○一年, 第三.
        case number
        /// A run of letters of an alphabetic script, possibly with digits (COVID-19, 5G, GDP),
        /// or a URL or e-mail address.
        case latin
        /// Punctuation; a run of the same sign (——, ……) is one token.
        case punctuation
        /// Spaces (one token per run) or a line break (one token each).
        case whitespace
        /// A forced policy phrase (两不愁三保障), always one token.
        case formula
        /// Emoji and other symbols, one token per emoji sequence.
        case symbol

        public var description: String {
            switch self {
            case .word: "word"
            case .number: "number"
            case .latin: "latin"
            case .punctuation: "punctuation"
            case .whitespace: "whitespace"
            case .formula: "formula"
            case .symbol: "symbol"
            }
        }
    }

    public var range: Range<Int>
    public var sourceRange: Range<Int>
    public var kind: Kind

    public init(range: Range<Int>, sourceRange: Range<Int>, kind: Kind) {
        self.range = range
        self.sourceRange = sourceRange
        self.kind = kind
    }
}
