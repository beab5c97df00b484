import Tifa

/// TEMPORARY stand-in for the policy-formula extractor (`FormulaMatcher` + `PolicyLexicon` on
/// branch extract), so the index's storage, queries and tests can be built before it lands.
/// Delete this file when `DocumentAnalyzer` switches to the real matcher (see its notes).
///
/// It knows a handful of formulas and finds them in normalized text with punctuation or spaces
/// allowed between their characters (“兩不愁、三保障” → 两不愁三保障 after T2S). The list is code,
/// not data, only because it is throwaway; the real lexicon lives in Dictionaries/.
struct StandInFormulaMatcher: Sendable {
    static let shared = StandInFormulaMatcher(formulas: [
        ("两不愁三保障", "poverty"), ("五个一批", "poverty"), ("一摘四不摘", "poverty"),
        ("六个精准", "poverty"), ("四个好", "poverty"), ("四个全面", "strategy"),
        ("四个意识", "party"), ("四个自信", "party"), ("两个维护", "party"), ("两个确立", "party"),
        ("五位一体", "strategy"), ("精准扶贫", "poverty"), ("乡村振兴", "rural"),
    ])

    private let byFirst: [Unicode.Scalar: [(scalars: [Unicode.Scalar], text: String, category: String)]]

    init(formulas: [(String, String)]) {
        var map: [Unicode.Scalar: [(scalars: [Unicode.Scalar], text: String, category: String)]] = [:]
        for (text, category) in formulas {
            let s = Array(text.unicodeScalars)
            map[s[0], default: []].append((s, text, category))
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
