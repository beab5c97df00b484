/// Something normalization found in a document and reports: a line of web-page chrome, or a run
/// of garbled text. `removed` says whether the text is gone from the normalized output (chrome
/// is removed by the `webChrome` step; garbled text only with `dropGarbledText`).
public struct NormalizationFinding: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A line of web-page furniture (`WebChrome`); `rule` names the rule of `web_chrome.tsv`.
        case webChrome = "chrome"
        /// Text that is not plausible Chinese (`GarbledText`).
        case garbledText = "garbled"
    }

    public var kind: Kind
    /// The rule that found it: a rule name of `web_chrome.tsv`, or `rare-characters`.
    public var rule: String
    /// Original offsets (0-based code points, end exclusive) of the text found.
    public var sourceRange: Range<Int>
    /// The text found, normalized, without its line break.
    public var text: String
    public var removed: Bool

    public init(kind: Kind, rule: String, sourceRange: Range<Int>, text: String, removed: Bool) {
        self.kind = kind
        self.rule = rule
        self.sourceRange = sourceRange
        self.text = text
        self.removed = removed
    }
}
