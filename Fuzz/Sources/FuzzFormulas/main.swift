import FuzzSupport
import Tifa

// Formula matching with the shipped lexicon, and discovery over the input split into documents
// at form feeds. The matcher and stop list are built once per process.
let normalizer = loadOrDie("the normalizer") { try Normalizer() }
let matcher = loadOrDie("the policy lexicon") { try FormulaMatcher(lexicon: PolicyLexicon.shipped()) }
let stoplist = loadOrDie("the discovery stop list") { try DiscoveryStoplist.shipped() }
let knowledge = loadOrDie("the discovery knowledge") { try DiscoveryKnowledge.shipped() }

@main
enum FuzzFormulas {
    static func main() {
        _ = (matcher, stoplist, knowledge)
        runFuzzer { data, size in
            let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
            let originalCount = text.unicodeScalars.count
            let discoverer = loadOrDie("ICU's word breaker") { try FormulaDiscoverer(matcher: matcher, stoplist: stoplist, knowledge: knowledge) }
            var selection = FormulaDiscoverer.Selection()
            selection.minCount = 1
            selection.weakMinDocuments = 1
            selection.top = nil
            var offset = 0
            for (year, document) in text.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated() {
                let normalized = normalizer.normalize(String(document), startingAt: offset)
                offset += document.unicodeScalars.count + 1
                var previousEnd = 0
                for m in matcher.matches(in: normalized) {
                    // Outermost occurrences are disjoint and in order; a nested one starts
                    // inside the outermost occurrence it names.
                    if let outer = m.within {
                        precondition(outer.sourceRange.contains(m.sourceRange.lowerBound), "nested match outside its enclosure")
                    } else {
                        precondition(m.range.lowerBound >= previousEnd, "matches overlap or go backwards")
                        previousEnd = m.range.upperBound
                    }
                    precondition(m.range.upperBound <= normalized.count && !m.range.isEmpty, "match outside the text")
                    precondition(m.sentenceRange.lowerBound <= m.range.lowerBound && m.sentenceRange.upperBound >= m.range.upperBound,
                                 "sentence does not contain the match")
                    precondition(m.sourceRange.upperBound <= originalCount, "match outside the original")
                }
                // ICU's word breaker fails only on what it cannot take: a finding.
                do { try discoverer.add(normalized, year: 2000 + year) } catch { preconditionFailure("discovery threw: \(error)") }
            }
            for c in discoverer.candidates(selection) {
                precondition(!c.form.isEmpty && c.count >= 1, "empty candidate")
            }
            return 0
        }
    }
}
