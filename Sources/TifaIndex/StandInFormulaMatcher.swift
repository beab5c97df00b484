import Tifa

/// TEMPORARY stand-in for the policy-formula extractor (`FormulaMatcher` + `PolicyLexicon` on
/// branch extract), so the index's storage, queries and tests can be built before it lands.
/// Delete this file when `DocumentAnalyzer` switches to the real matcher (see its notes).
///
/// It reads the shipped lexicon (`Dictionaries/policy_formulas.tsv`: formula, category, variants)
/// and finds formulas and variants in normalized text, longest first, with separators allowed
/// between their characters (“兩不愁、三保障” → 两不愁三保障 after T2S). It does not derive
/// numeral variants (二/两, Arabic digits) as the real matcher does.
struct StandInFormulaMatcher: Sendable {
    static let lexiconFile = "policy_formulas.tsv"

    /// Loaded once per process; the error is kept so every analyzer reports it.
    static let shared: Result<StandInFormulaMatcher, Error> = Result {
        var entries: [(String, String, String)] = []
        try DataFiles.forEachDataLine(in: try DataFiles.dictionary(lexiconFile)) { line, _ in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3, !columns[0].isEmpty else {
                throw DataFileError(message: "expected TAB-separated formula, category, variants")
            }
            entries.append((columns[0], columns[0], columns[1]))
            if columns[2] != "-" {
                for v in columns[2].split(separator: "|") where !v.isEmpty { entries.append((String(v), columns[0], columns[1])) }
            }
        }
        return StandInFormulaMatcher(entries: entries)
    }

    private let byFirst: [Unicode.Scalar: [(scalars: [Unicode.Scalar], text: String, category: String)]]

    /// `entries`: (surface to find, canonical formula, category).
    init(entries: [(String, String, String)]) {
        var map: [Unicode.Scalar: [(scalars: [Unicode.Scalar], text: String, category: String)]] = [:]
        for (surface, formula, category) in entries {
            let s = Array(surface.unicodeScalars)
            guard let first = s.first else { continue }
            map[first, default: []].append((s, formula, category))
        }
        for k in map.keys { map[k]!.sort { $0.scalars.count > $1.scalars.count } }
        byFirst = map
    }

    /// Characters that may sit between the characters of a formula.
    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "、", "，", ",", " ", "·", "・", "‧", "“", "”", "\"", "\n": return true
        default: return false
        }
    }

    func matches(in text: NormalizedText, original: [Unicode.Scalar]) -> [FormulaOccurrence] {
        let scalars = text.scalars
        var result: [FormulaOccurrence] = []
        var i = 0
        outer: while i < scalars.count {
            if let candidates = byFirst[scalars[i]] {
                for c in candidates {
                    var j = i, k = 0
                    while k < c.scalars.count && j < scalars.count {
                        if scalars[j] == c.scalars[k] { j += 1; k += 1 }
                        else if k > 0 && Self.isSeparator(scalars[j]) { j += 1 }
                        else { break }
                    }
                    if k == c.scalars.count {
                        let range = text.sourceRange(i..<j)
                        var view = String.UnicodeScalarView()
                        view.append(contentsOf: original[range])
                        result.append(FormulaOccurrence(formula: c.text, category: c.category, sourceRange: range, surface: String(view)))
                        i = j
                        continue outer
                    }
                }
            }
            i += 1
        }
        return result
    }
}
