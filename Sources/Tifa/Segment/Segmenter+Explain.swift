extension Segmenter {
    /// Why one token came out as it did: the rule or lexicon layer that produced it, its cost,
    /// and the lexicon words overlapping it that lost.
    public struct Explanation: Sendable, Hashable {
        public var token: Token
        public var surface: String
        /// e.g. "forced phrase", "user dictionary (cost 40)", "ICU dictionary (cost 59)",
        /// "single character (cost 31)", "unknown character", "numeral pattern", "scanner".
        public var reason: String
        /// Lexicon words overlapping the token but not chosen, with their layer.
        public var alternatives: [String]
    }

    /// The tokens of `text` with the reason for each. Costs more than `segment` (a trie walk per
    /// character to list the alternatives); meant for `--explain`, not for bulk work.
    public func explain(_ text: NormalizedText) -> [Explanation] {
        var result: [Explanation] = []
        forEachSpan(in: text) { range, kind, rule in
            let reason: String = switch rule {
            case .lexicon(let layer, let cost): layer == .forcedPhrase ? "forced phrase" : "\(layer) (cost \(cost))"
            case .singleCharacter(let cost): "single character in ICU dictionary (cost \(cost))"
            case .unknownCharacter: "character in no lexicon (cost \(Lattice.unknownCharacterCost))"
            case .numeral: "Chinese numeral pattern"
            case .transliteration: "run of transliteration characters (a foreign name)"
            case .model: "model: the trained model decided against the lexicon lattice"
            case .suffix(let cost): "lexicon word + productive suffix (cost \(cost))"
            case .scanned: "scanner: \(kind)"
            case .subword: "search mode: word inside a longer word"
            case .icu: "ICU word break"
            }
            let token = Token(range: range, sourceRange: text.sourceRange(range), kind: kind)
            result.append(Explanation(token: token, surface: text.text(range), reason: reason,
                                      alternatives: kind == .whitespace ? [] : overlappingWords(text, range)))
        }
        return result
    }

    /// Lexicon words of 2+ characters that overlap `range` without being it, within 8 characters.
    func overlappingWords(_ text: NormalizedText, _ range: Range<Int>) -> [String] {
        var words: [String] = []
        let s = text.scalars
        let from = max(0, range.lowerBound - lexicon.maxWordLength + 1)
        for p in from..<range.upperBound {
            var e = Lexicon.Edge.start
            var q = p
            while q < s.count {
                e = lexicon.step(e, s[q].value)
                if !e.exists { break }
                q += 1
                guard q - p >= 2, e.isWord else { continue }
                let overlaps = p < range.upperBound && q > range.lowerBound
                if overlaps && (p..<q) != range {
                    words.append("\(text.text(p..<q)) [\(e.layer), cost \(e.cost)]")
                }
            }
        }
        return words
    }
}
