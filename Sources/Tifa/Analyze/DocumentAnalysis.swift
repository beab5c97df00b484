import Foundation

/// Kinds of counted terms. Punctuation, whitespace and symbols are not terms and are not counted
/// as tokens.
public enum TermKind: String, Sendable, CaseIterable, Codable {
    case word, number, latin, formula
}

/// What an index counts: a normalized surface and its kind.
public struct TermKey: Hashable, Sendable, Codable {
    public var text: String
    public var kind: TermKind

    public init(text: String, kind: TermKind) {
        self.text = text
        self.kind = kind
    }
}

/// How often one term occurs in a document.
public struct TermCount: Sendable, Equatable, Codable {
    /// The normalized surface (simplified, width-folded) or, for a formula, its canonical form.
    public var text: String
    public var kind: TermKind
    public var count: Int

    public init(text: String, kind: TermKind, count: Int) {
        self.text = text
        self.kind = kind
        self.count = count
    }

    public var key: TermKey { TermKey(text: text, kind: kind) }
}

/// One policy formula found in a document.
public struct FormulaOccurrence: Sendable, Equatable, Codable {
    /// The canonical formula (e.g. 两不愁三保障 for “兩不愁、三保障”).
    public var formula: String
    /// The lexicon category; encoded as its raw value (`poverty`), as in the lexicon file.
    public var category: PolicyCategory?
    /// Original code point range in the document text.
    public var sourceRange: Range<Int>
    /// The original text in `sourceRange`.
    public var surface: String
    /// The outermost occurrence this one stands in (改革开放 in 全面深化改革开放, whose outermost
    /// occurrence is 全面深化改革), or nil when it is outermost itself (see `FormulaMatch.within`).
    public var within: Outer?

    /// An outer occurrence: its formula and original code point range.
    public struct Outer: Sendable, Equatable, Hashable, Codable {
        public var formula: String
        public var sourceRange: Range<Int>

        public init(formula: String, sourceRange: Range<Int>) {
            self.formula = formula
            self.sourceRange = sourceRange
        }

        enum CodingKeys: String, CodingKey { case formula, start, end }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            formula = try c.decode(String.self, forKey: .formula)
            sourceRange = try FormulaOccurrence.decodeRange(c, start: .start, end: .end, what: "outer formula")
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(formula, forKey: .formula)
            try c.encode(sourceRange.lowerBound, forKey: .start)
            try c.encode(sourceRange.upperBound, forKey: .end)
        }
    }

    public init(formula: String, category: PolicyCategory?, sourceRange: Range<Int>, surface: String, within: Outer? = nil) {
        self.formula = formula
        self.category = category
        self.sourceRange = sourceRange
        self.surface = surface
        self.within = within
    }

    enum CodingKeys: String, CodingKey { case formula, category, start, end, surface, within }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formula = try c.decode(String.self, forKey: .formula)
        category = try c.decodeIfPresent(PolicyCategory.self, forKey: .category)
        sourceRange = try Self.decodeRange(c, start: .start, end: .end, what: "formula")
        surface = try c.decode(String.self, forKey: .surface)
        within = try c.decodeIfPresent(Outer.self, forKey: .within)
    }

    static func decodeRange<K: CodingKey>(_ c: KeyedDecodingContainer<K>, start: K, end: K, what: String) throws -> Range<Int> {
        let lower = try c.decode(Int.self, forKey: start), upper = try c.decode(Int.self, forKey: end)
        guard lower >= 0, upper >= lower else {
            throw Swift.DecodingError.dataCorruptedError(forKey: end, in: c, debugDescription: "\(what) range \(lower)..<\(upper) is not a range")
        }
        return lower..<upper
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formula, forKey: .formula)
        try c.encode(category, forKey: .category)
        try c.encode(sourceRange.lowerBound, forKey: .start)
        try c.encode(sourceRange.upperBound, forKey: .end)
        try c.encode(surface, forKey: .surface)
        try c.encode(within, forKey: .within)
    }
}

/// A counted token: normalized surface, kind and original range (0-based code points into the
/// document's decoded original text, end exclusive).
public struct AnalyzedToken: Sendable, Equatable, Codable {
    public var text: String
    public var kind: TermKind
    public var sourceRange: Range<Int>

    public init(text: String, kind: TermKind, sourceRange: Range<Int>) {
        self.text = text
        self.kind = kind
        self.sourceRange = sourceRange
    }

    enum CodingKeys: String, CodingKey { case text, kind, start, end }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        kind = try c.decode(TermKind.self, forKey: .kind)
        let start = try c.decode(Int.self, forKey: .start), end = try c.decode(Int.self, forKey: .end)
        guard start >= 0, end >= start else {
            throw Swift.DecodingError.dataCorruptedError(forKey: .end, in: c, debugDescription: "token range \(start)..<\(end) is not a range")
        }
        sourceRange = start..<end
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(kind, forKey: .kind)
        try c.encode(sourceRange.lowerBound, forKey: .start)
        try c.encode(sourceRange.upperBound, forKey: .end)
    }
}

/// The analysis of one document by an `Analyzer`: what an index stores about it.
///
/// Serialized (`Codable`) with the keys `characters`, `token_count`, `terms` (`text`, `kind`,
/// `count`), `formulas` (`formula`, `category`, `start`, `end`, `surface`, `within`: null or the outermost
/// occurrence it stands in, `formula`, `start`, `end`), `tokens` (`text`,
/// `kind`, `start`, `end`; only when asked for) and `warnings`.
public struct DocumentAnalysis: Sendable, Codable {
    /// Code points of the original text.
    public var characterCount: Int
    /// Word, number and latin tokens.
    public var tokenCount: Int
    /// Counts per term, in order of first occurrence (formulas after the segmenter's tokens),
    /// so that a writer assigning ids in this order is deterministic.
    public var terms: [TermCount]
    /// In order of position.
    public var formulas: [FormulaOccurrence]
    /// The counted tokens in order, when the analysis was asked for them (`Analyzer.Detail`).
    public var tokens: [AnalyzedToken]?
    /// Problems worth telling the user that did not stop the analysis.
    public var warnings: [String]
    /// The packed scalars of `terms[i]` where they fit (nil for long terms and formulas): lets
    /// an index writer find a known term's id without hashing its string, and gives the text of
    /// such a term when the analyzer left it out (`Analyzer.TermTexts.unpackedOnly`). Not
    /// serialized.
    package var packedKeys: [PackedTerm?] = []

    public init(characterCount: Int, tokenCount: Int, terms: [TermCount], formulas: [FormulaOccurrence],
                tokens: [AnalyzedToken]? = nil, warnings: [String] = []) {
        self.characterCount = characterCount
        self.tokenCount = tokenCount
        self.terms = terms
        self.formulas = formulas
        self.tokens = tokens
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case characterCount = "characters", tokenCount = "token_count", terms, formulas, tokens, warnings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        characterCount = try c.decode(Int.self, forKey: .characterCount)
        tokenCount = try c.decode(Int.self, forKey: .tokenCount)
        terms = try c.decode([TermCount].self, forKey: .terms)
        formulas = try c.decodeIfPresent([FormulaOccurrence].self, forKey: .formulas) ?? []
        tokens = try c.decodeIfPresent([AnalyzedToken].self, forKey: .tokens)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(characterCount, forKey: .characterCount)
        try c.encode(tokenCount, forKey: .tokenCount)
        try c.encode(terms, forKey: .terms)
        try c.encode(formulas, forKey: .formulas)
        try c.encodeIfPresent(tokens, forKey: .tokens)
        try c.encode(warnings, forKey: .warnings)
    }
}

extension DocumentAnalysis: Equatable {
    /// Equal content; the packed keys are a cache of `terms`.
    public static func == (a: Self, b: Self) -> Bool {
        a.characterCount == b.characterCount && a.tokenCount == b.tokenCount && a.terms == b.terms
            && a.formulas == b.formulas && a.tokens == b.tokens && a.warnings == b.warnings
    }
}
