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
}

/// Options that change what the analysis produces; stored in the index and part of its
/// fingerprint, so changing them forces a full re-index.
public struct AnalysisOptions: Sendable, Equatable {
    public var normalization = Normalizer.Options()
    public init() {}

    var json: String {
        let n = normalization
        return "{\"t2s\":\(n.traditionalToSimplified),\"width\":\(n.foldWidth),\"artifacts\":\(n.removeWebArtifacts),\"whitespace\":\(n.normalizeWhitespace)}"
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
/// Everything the index knows about a document comes from `analyze(_:)`; KWIC on words re-runs
/// `tokens(in:)` so its occurrences agree with the stored counts. One analyzer per thread (it
/// owns an ICU break iterator); create them from `AnalysisOptions`.
///
/// TEMPORARY IMPLEMENTATION: `Normalizer` + ICU's word break iterator (`ICUWordBreaker`) for
/// tokens, and `StandInFormulaMatcher` for formulas, until the `Segmenter` (branch seg) and
/// `FormulaMatcher`/`PolicyLexicon` (branch extract) land on main. To switch:
///   1. `init`: build `Segmenter(options:)` and `FormulaMatcher(lexicon: PolicyLexicon.shipped())`
///      once (Sendable tables) and keep them instead of `breaker`/`formulaMatcher`.
///   2. `tokens(in:)`: `segmenter.segment(normalized)`, keep `.word/.number/.latin` tokens with
///      surface `normalized.text(token.range)` and `token.sourceRange`.
///   3. `formulas(in:original:)`: `matcher.matches(in: normalized)` → `FormulaOccurrence(formula:
///      m.formula, category: entry category, sourceRange: m.sourceRange, surface: original[m.sourceRange])`.
///   4. `identity` → "tifa-segmenter/1", `resources()` → the lexicon and dictionary files they load;
///      delete StandInFormulaMatcher.swift. Nothing else in TifaIndex changes.
final class DocumentAnalyzer {
    /// Names the analysis; stored in the index and part of its fingerprint.
    static let identity = "icu-wordbreak-standin/1"

    let options: AnalysisOptions
    private let normalizer: Normalizer
    private let breaker: ICUWordBreaker
    private let formulaMatcher: StandInFormulaMatcher

    init(options: AnalysisOptions) throws {
        self.options = options
        normalizer = try Normalizer(options: options.normalization)
        breaker = try ICUWordBreaker(locale: "zh")
        formulaMatcher = try StandInFormulaMatcher.shared.get()
    }

    /// The data files the analysis depends on, hashed into the index's provenance.
    static func resources(options: AnalysisOptions) -> [(name: String, kind: String, url: URL)] {
        var result: [(String, String, URL)] = []
        if options.normalization.traditionalToSimplified {
            for name in ["t2s_chars.tsv", "t2s_phrases.tsv"] {
                if let url = try? DataFiles.dictionary(name) { result.append((name, "normalization", url)) }
            }
        }
        if let url = try? DataFiles.dictionary(StandInFormulaMatcher.lexiconFile) { result.append((StandInFormulaMatcher.lexiconFile, "lexicon", url)) }
        return result
    }

    func analyze(_ text: String) -> DocumentAnalysis {
        let original = Array(text.unicodeScalars)
        let normalized = normalizer.normalize(text)
        var order: [TermKey] = []
        var counts: [TermKey: Int] = [:]
        var tokenCount = 0
        forEachToken(in: normalized) { token in
            tokenCount += 1
            let key = TermKey(text: token.text, kind: token.kind)
            if let c = counts[key] { counts[key] = c + 1 } else { counts[key] = 1; order.append(key) }
        }
        let formulas = formulaMatcher.matches(in: normalized, original: original)
        for f in formulas {
            let key = TermKey(text: f.formula, kind: .formula)
            if let c = counts[key] { counts[key] = c + 1 } else { counts[key] = 1; order.append(key) }
        }
        return DocumentAnalysis(tokenCount: tokenCount, characterCount: original.count,
                                terms: order.map { ($0, counts[$0]!) }, formulas: formulas)
    }

    /// Every token (no punctuation or whitespace) with its original range.
    func tokens(in text: String) -> [AnalyzedToken] {
        let normalized = normalizer.normalize(text)
        var result: [AnalyzedToken] = []
        forEachToken(in: normalized) { result.append($0) }
        return result
    }

    func formulas(in text: String) -> [FormulaOccurrence] {
        let original = Array(text.unicodeScalars)
        return formulaMatcher.matches(in: normalizer.normalize(text), original: original)
    }

    /// Normalizes a query term the way documents were normalized, so 兩不愁三保障 finds 两不愁三保障.
    func normalizeQuery(_ term: String) -> String {
        normalizer.normalize(term).string
    }

    private var utf16: [UInt16] = []
    private var scalarAtUTF16: [Int32] = []

    private func forEachToken(in normalized: NormalizedText, _ body: (AnalyzedToken) -> Void) {
        let scalars = normalized.scalars
        guard !scalars.isEmpty else { return }
        utf16.removeAll(keepingCapacity: true)
        scalarAtUTF16.removeAll(keepingCapacity: true)
        for (i, s) in scalars.enumerated() {
            if s.value < 0x10000 {
                utf16.append(UInt16(s.value)); scalarAtUTF16.append(Int32(i))
            } else {
                let v = s.value - 0x10000
                utf16.append(UInt16(0xD800 + (v >> 10))); scalarAtUTF16.append(Int32(i))
                utf16.append(UInt16(0xDC00 + (v & 0x3FF))); scalarAtUTF16.append(Int32(i))
            }
        }
        scalarAtUTF16.append(Int32(scalars.count))
        let boundaries: [(offset: Int, status: ICUWordBreaker.Status)]
        do {
            boundaries = try utf16.withUnsafeBufferPointer { try breaker.boundaries(utf16: $0) }
        } catch {
            // ICU only fails on allocation; treat the text as having no tokens rather than crash.
            return
        }
        var start = 0
        for b in boundaries {
            let end = Int(scalarAtUTF16[b.offset])
            defer { start = end }
            guard end > start else { continue }
            let kind: TermKind
            switch b.status {
            case .number: kind = .number
            case .letter: kind = .latin
            case .ideographic, .kana: kind = .word
            case .none: continue
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            body(AnalyzedToken(text: String(view), kind: kind, sourceRange: normalized.sourceRange(start..<end)))
        }
    }
}
