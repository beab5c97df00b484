import Foundation
import Tifa

/// What the index counts: a normalized surface and its kind.
public struct TermKey: Hashable, Sendable {
    public var text: String
    public var kind: TermKind

    public init(text: String, kind: TermKind) {
        self.text = text
        self.kind = kind
    }
}

/// Kinds of indexed terms. Punctuation and whitespace are not terms and are not counted as tokens.
public enum TermKind: String, Sendable, CaseIterable {
    case word, number, latin, formula
}

/// One policy formula found in a document.
public struct FormulaOccurrence: Sendable, Equatable {
    /// The canonical formula (e.g. 两不愁三保障 for “兩不愁、三保障”).
    public var formula: String
    public var category: String?
    /// Original code point range in the document text.
    public var sourceRange: Range<Int>
    /// The original text in `sourceRange`.
    public var surface: String
}

/// The per-document result the index stores.
public struct DocumentAnalysis: Sendable {
    /// Word, number and latin tokens.
    public var tokenCount: Int
    /// Code points of the original text.
    public var characterCount: Int
    /// Counts per term, in order of first occurrence (so term ids are assigned deterministically).
    public var terms: [(key: TermKey, count: Int)]
    /// In order of position.
    public var formulas: [FormulaOccurrence]
    /// The packed scalars of `terms[i]` where they fit (nil for long terms and formulas): lets
    /// the writer find a known term's id without hashing its string.
    var packedKeys: [PackedTerm?] = []

    init(tokenCount: Int, characterCount: Int, terms: [(key: TermKey, count: Int)], formulas: [FormulaOccurrence], packedKeys: [PackedTerm?] = []) {
        self.tokenCount = tokenCount
        self.characterCount = characterCount
        self.terms = terms
        self.formulas = formulas
        self.packedKeys = packedKeys
    }
}

/// Options that change what the analysis produces; stored in the index and part of its
/// fingerprint, so changing them forces a full re-index.
public struct AnalysisOptions: Sendable, Equatable {
    public var normalization = Normalizer.Options()
    public init() {}

    var json: String {
        let steps = normalization.steps
        return "{\"t2s\":\(steps.contains(.traditionalToSimplified)),\"width\":\(steps.contains(.width)),\"artifacts\":\(steps.contains(.webArtifacts)),\"whitespace\":\(steps.contains(.whitespace))}"
    }
}

/// A token as the analysis sees it: normalized surface, kind, original range.
struct AnalyzedToken {
    var text: String
    var kind: TermKind
    var sourceRange: Range<Int>
}

/// THE SEAM between the index and the analysis layers (normalize → segment → extract).
///
/// Everything the index knows about a document comes from `analyze(_:)`: tokens from the
/// `Segmenter` (standard mode, shipped dictionaries) and policy formulas from the
/// `FormulaMatcher` over the shipped `PolicyLexicon`, both on the same `NormalizedText`. KWIC
/// on words re-runs `tokens(in:)` so its occurrences agree with the stored counts.
///
/// Term kinds: the segmenter's word, number and latin tokens are counted as such; its forced
/// policy-phrase tokens (Token.Kind.formula) are counted as words, because the formula kind is the
/// matcher's (which also finds variants and separated forms: 兩不愁、三保障). Punctuation,
/// whitespace and symbols are not tokens.
///
/// One analyzer per thread (cheap: the segmenter's 10 MB lexicon and the lexicon are shared).
final class DocumentAnalyzer {
    /// Names the analysis; stored in the index and part of its fingerprint.
    static let identity = "tifa-segmenter+formula-matcher/1"

    let options: AnalysisOptions
    private let normalizer: Normalizer
    private let segmenter: Segmenter
    private let formulaMatcher: FormulaMatcher
    /// Term indices of the document being analysed, reused across documents.
    private var packedCounts = PackedTermTable()

    /// Compiled once per process and shared by every analyzer (`Segmenter` is immutable).
    private static let sharedSegmenter: Result<Segmenter, Error> = Result { try Segmenter(options: .init()) }

    /// Files whose content changes what the analysis produces.
    static let dataFiles: [(name: String, kind: String)] = [
        ("t2s_chars.tsv", "normalization"), ("t2s_phrases.tsv", "normalization"),
        ("domain_words.txt", "segmentation"), ("segmentation_words.txt", "segmentation"), ("general_words.txt", "segmentation"),
        ("places.tsv", "segmentation"),
        ("segmentation_rules.tsv", "segmentation"), ("number_units.tsv", "segmentation"),
        ("policy_formulas.tsv", "lexicon"),
    ]

    init(options: AnalysisOptions) throws {
        self.options = options
        normalizer = try Normalizer(options: options.normalization)
        segmenter = try Self.sharedSegmenter.get()
        formulaMatcher = FormulaMatcher(lexicon: try PolicyLexicon.shipped(), normalizer: normalizer)
    }

    /// The data files the analysis depends on, hashed into the index's provenance.
    static func resources(options: AnalysisOptions) -> [(name: String, kind: String, url: URL)] {
        dataFiles.compactMap { file in
            if file.kind == "normalization" && !options.normalization.steps.contains(.traditionalToSimplified) { return nil }
            guard let url = try? DataFiles.dictionary(file.name), FileManager.default.fileExists(atPath: url.path) else { return nil }
            return (file.name, file.kind, url)
        }
    }

    func analyze(_ text: String) -> DocumentAnalysis {
        let normalized = normalizer.normalize(text)
        let scalars = normalized.scalars
        // Counting is keyed by the scalars packed into integers, not by String: building and
        // hashing a String per token (NFC-aware hashing) cost more than the word breaking.
        // Strings are made once per distinct term. Terms longer than `PackedTerm.capacity`
        // scalars fall back to String keys.
        var firstRange: [Range<Int>] = []
        var packedKeys: [PackedTerm?] = []
        var kinds: [TermKind] = []
        var counts: [Int] = []
        packedCounts.removeAll()
        var long: [TermKey: Int] = [:]
        var tokenCount = 0
        forEachTokenRange(in: normalized) { range, kind in
            tokenCount += 1
            if let key = PackedTerm(scalars[range], kind: kind) {
                let i = packedCounts.index(of: key, insertingIfAbsent: counts.count)
                if i != counts.count { counts[i] += 1; return }
                packedKeys.append(key)
            } else {
                let key = TermKey(text: Self.string(scalars[range]), kind: kind)
                if let i = long[key] { counts[i] += 1; return }
                long[key] = counts.count
                packedKeys.append(nil)
            }
            firstRange.append(range)
            kinds.append(kind)
            counts.append(1)
        }
        var terms: [(key: TermKey, count: Int)] = []
        terms.reserveCapacity(counts.count)
        for i in counts.indices {
            terms.append((TermKey(text: Self.string(scalars[firstRange[i]]), kind: kinds[i]), counts[i]))
        }
        let formulas = formulas(in: normalized, text: text)
        var formulaIndex: [String: Int] = [:]
        for f in formulas {
            if let i = formulaIndex[f.formula] { terms[i].count += 1 } else {
                formulaIndex[f.formula] = terms.count
                terms.append((TermKey(text: f.formula, kind: .formula), 1))
            }
        }
        return DocumentAnalysis(tokenCount: tokenCount, characterCount: text.unicodeScalars.count, terms: terms, formulas: formulas, packedKeys: packedKeys)
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count * 3)
        for s in scalars { UTF8.encode(s) { utf8.append($0) } }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Every token (no punctuation or whitespace) with its original range.
    func tokens(in text: String) -> [AnalyzedToken] {
        let normalized = normalizer.normalize(text)
        var result: [AnalyzedToken] = []
        forEachToken(in: normalized) { result.append($0) }
        return result
    }

    func formulas(in text: String) -> [FormulaOccurrence] {
        formulas(in: normalizer.normalize(text), text: text)
    }

    private func formulas(in normalized: NormalizedText, text: String) -> [FormulaOccurrence] {
        let matches = formulaMatcher.matches(in: normalized)
        // The original's scalars only for the surfaces: most documents have no formula.
        guard !matches.isEmpty else { return [] }
        let original = Array(text.unicodeScalars)
        return matches.map { m in
            var surface = String.UnicodeScalarView()
            surface.append(contentsOf: original[m.sourceRange])
            return FormulaOccurrence(formula: m.formula, category: m.category.rawValue, sourceRange: m.sourceRange, surface: String(surface))
        }
    }

    /// Normalizes a query term the way documents were normalized, so 兩不愁三保障 finds 两不愁三保障.
    func normalizeQuery(_ term: String) -> String {
        normalizer.normalize(term).string
    }

    private func forEachToken(in normalized: NormalizedText, _ body: (AnalyzedToken) -> Void) {
        forEachTokenRange(in: normalized) { range, kind in
            body(AnalyzedToken(text: Self.string(normalized.scalars[range]), kind: kind, sourceRange: normalized.sourceRange(range)))
        }
    }

    /// Tokens as ranges of normalized scalars, with the index's term kind.
    private func forEachTokenRange(in normalized: NormalizedText, _ body: (Range<Int>, TermKind) -> Void) {
        segmenter.forEachToken(in: normalized) { token in
            switch token.kind {
            case .word, .formula: body(token.range, .word)
            case .number: body(token.range, .number)
            case .latin: body(token.range, .latin)
            case .punctuation, .whitespace, .symbol: break
            }
        }
    }
}

/// Up to five scalars (21 bits each), the length and the kind in two integers: a cheap hash key
/// for counting.
struct PackedTerm: Hashable, Sendable {
    static let capacity = 5
    var low: UInt64
    var high: UInt64

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    init?(_ scalars: ArraySlice<Unicode.Scalar>, kind: TermKind) {
        guard scalars.count <= Self.capacity else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, s) in scalars.enumerated() {
            if i < 3 { low |= UInt64(s.value) << (21 * UInt64(i)) } else { high |= UInt64(s.value) << (21 * UInt64(i - 3)) }
        }
        let tag: UInt64 = switch kind { case .word: 0; case .number: 1; case .latin: 2; case .formula: 3 }
        self.low = low
        self.high = high | (UInt64(scalars.count) << 42) | (tag << 45)
    }
}

/// An open-addressing map from `PackedTerm` to an index, cleared in O(1) by a generation stamp
/// and reused across documents: Swift's dictionary hashed every token with SipHash and was
/// rebuilt per document.
struct PackedTermTable {
    private var low: [UInt64] = []
    private var high: [UInt64] = []
    private var values: [Int] = []
    private var stamps: [UInt32] = []
    private var generation: UInt32 = 1
    private var mask = -1
    private(set) var count = 0

    init() { grow(to: 1024) }

    /// Forgets every key (the storage is kept).
    mutating func removeAll() {
        count = 0
        generation &+= 1
        if generation == 0 {
            for i in stamps.indices { stamps[i] = 0 }
            generation = 1
        }
    }

    @inline(__always)
    private static func slot(_ key: PackedTerm, _ mask: Int) -> Int {
        var h = key.low &* 0x9E37_79B9_7F4A_7C15 ^ key.high &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The value of `key`, or nil.
    func value(of key: PackedTerm) -> Int? {
        var i = Self.slot(key, mask)
        while stamps[i] == generation {
            if low[i] == key.low && high[i] == key.high { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The value of `key`; when absent, stores `value` for it and returns `value`.
    @inline(__always)
    mutating func index(of key: PackedTerm, insertingIfAbsent value: Int) -> Int {
        if (count + 1) * 2 > stamps.count { grow(to: stamps.count * 2) }
        var i = Self.slot(key, mask)
        while stamps[i] == generation {
            if low[i] == key.low && high[i] == key.high { return values[i] }
            i = (i + 1) & mask
        }
        stamps[i] = generation
        low[i] = key.low
        high[i] = key.high
        values[i] = value
        count += 1
        return value
    }

    mutating func set(_ key: PackedTerm, _ value: Int) {
        _ = index(of: key, insertingIfAbsent: value)
    }

    private mutating func grow(to size: Int) {
        let old = (low, high, values, stamps, generation)
        low = Array(repeating: 0, count: size)
        high = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        stamps = Array(repeating: 0, count: size)
        mask = size - 1
        generation = 1
        count = 0
        for i in old.3.indices where old.3[i] == old.4 {
            _ = index(of: PackedTerm(low: old.0[i], high: old.1[i]), insertingIfAbsent: old.2[i])
        }
    }
}
