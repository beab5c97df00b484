extension Normalizer {
    /// The switchable steps of normalization, a set drawn from a fixed pipeline. They always run
    /// in the order of `Steps.pipeline`, whatever the order they were named in (line ends are
    /// always normalized and are not a step).
    ///
    /// Encoded as an array of step names in pipeline order (`["artifacts", "width",
    /// "whitespace", "t2s"]`), so the options stored in an index or sent to another process
    /// read as what they do and are the same bytes for the same set.
    public struct Steps: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Zero-width characters, soft hyphens and scraped pinyin annotations removed.
        public static let webArtifacts = Steps(rawValue: 1 << 0)
        /// Full-width letters, digits and ASCII signs folded to ASCII (CJK punctuation stays).
        public static let width = Steps(rawValue: 1 << 1)
        /// Runs of spaces made one space; indentation and trailing spaces dropped.
        public static let whitespace = Steps(rawValue: 1 << 2)
        /// Traditional characters converted to simplified (`ChineseConverter`).
        public static let traditionalToSimplified = Steps(rawValue: 1 << 3)
        /// Lines of web-page furniture removed from text that looks like a scraped page
        /// (`WebChrome`, `Dictionaries/web_chrome.tsv`).
        public static let webChrome = Steps(rawValue: 1 << 4)
        /// Garbled runs (`GarbledText`) removed. They are found and reported without it; off by
        /// default, because a false alarm would lose text.
        public static let dropGarbledText = Steps(rawValue: 1 << 5)

        /// Every step, in the order they run, with the name used in encodings and messages.
        public static let pipeline: [(step: Steps, name: String)] = [
            (.webArtifacts, "artifacts"), (.width, "width"), (.whitespace, "whitespace"), (.traditionalToSimplified, "t2s"),
            (.webChrome, "chrome"), (.dropGarbledText, "drop-garbled"),
        ]
        public static let all = Steps(pipeline.map(\.step))
        /// The steps that run by default: all but `dropGarbledText`.
        public static let standard = all.subtracting(.dropGarbledText)

        /// The names of the steps in the set, in pipeline order.
        public var names: [String] { Self.pipeline.filter { contains($0.step) }.map(\.name) }
        public var description: String { names.isEmpty ? "none" : names.joined(separator: "+") }

        public init(from decoder: Decoder) throws {
            var steps: Steps = []
            for name in try decoder.singleValueContainer().decode([String].self) {
                guard let step = Self.pipeline.first(where: { $0.name == name })?.step else {
                    throw Swift.DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown normalization step \(name); known: \(Self.pipeline.map(\.name).joined(separator: ", "))"))
                }
                steps.insert(step)
            }
            self = steps
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(names)
        }
    }
}
