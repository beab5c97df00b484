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
    /// character to list the alternatives, and the lattice run a second time without the model to
    /// say what the model changed); meant for `--explain`, not for bulk work.
    public func explain(_ text: NormalizedText) -> [Explanation] {
        // The lattice's own tokens: a token of the model is explained by the ones it replaced.
        var latticeTokens: [(range: Range<Int>, kind: Token.Kind, rule: SpanRule)] = []
        if model != nil {
            forEachSpan(in: text, lattice: true) { range, kind, rule in
                if rule != .subword && kind != .whitespace { latticeTokens.append((range, kind, rule)) }
            }
        }
        var next = 0
        var result: [Explanation] = []
        // The windows the model decoded, each reported before its stretch's spans: a lattice
        // token inside one is the model's decision too.
        var windows: [Range<Int>] = []
        var window = 0
        forEachSpan(in: text, window: { windows.append($0) }) { range, kind, rule in
            var reason = Self.reason(rule, kind)
            // Tokens the model may re-cut (not those the lattice's precedence fixes).
            let free = switch rule {
            case .lexicon(let layer, _): layer != .forcedPhrase && layer != .user
            case .singleCharacter, .unknownCharacter, .suffix, .transliteration, .nameDot: true
            default: false
            }
            if model != nil && kind == .word && free {
                let domain = if case .lexicon(.domain, _) = rule { true } else { false }
                reason += modelNote(text, range, wholeDomainWord: domain && options.domainWords == .whole && range.count >= 2, windows: windows, from: &window)
            }
            if rule == .model {
                while next < latticeTokens.count && latticeTokens[next].range.upperBound <= range.lowerBound { next += 1 }
                var replaced: [(range: Range<Int>, kind: Token.Kind, rule: SpanRule)] = []
                var j = next
                while j < latticeTokens.count && latticeTokens[j].range.lowerBound < range.upperBound {
                    replaced.append(latticeTokens[j])
                    j += 1
                }
                reason = modelReason(text, range, replaced: replaced)
            }
            let token = Token(range: range, sourceRange: text.sourceRange(range), kind: kind)
            result.append(Explanation(token: token, surface: text.text(range), reason: reason,
                                      alternatives: kind == .whitespace ? [] : overlappingWords(text, range)))
        }
        return result
    }

    /// What the model did with the lattice's token `range` (a word of a lexicon, a single
    /// character or a word + suffix): decoded it again in one of its windows and agreed, or left
    /// it out of them as one of its kept words (`SegmentationModel.keptWords`); else nothing —
    /// the model did not look at it (no token it may re-cut next to it).
    /// A domain word the model must not cut (`wholeDomainWord`, `Lattice.markWhole`) says so.
    func modelNote(_ text: NormalizedText, _ range: Range<Int>, wholeDomainWord: Bool, windows: [Range<Int>], from window: inout Int) -> String {
        while window < windows.count && windows[window].upperBound <= range.lowerBound { window += 1 }
        if window < windows.count && windows[window].lowerBound <= range.lowerBound && range.upperBound <= windows[window].upperBound {
            return wholeDomainWord ? "; the model decoded it again, free to join it with a neighbour but not to cut it (a domain word, --whole-domain-words), and left it whole"
                : "; the model decoded it again and agreed"
        }
        guard range.count >= 2, let edge = lexicon.edge(for: text.text(range)), edge.modelKeepsWhole else { return "" }
        return "; one of the model's kept words (it nearly always leaves them whole): not decoded again"
    }

    /// What a rule means, for people.
    static func reason(_ rule: SpanRule, _ kind: Token.Kind) -> String {
        switch rule {
        case .lexicon(let layer, let cost): layer == .forcedPhrase ? "forced phrase" : "\(layer) (cost \(cost))"
        case .singleCharacter(let cost): "single character in ICU dictionary (cost \(cost))"
        case .unknownCharacter: "character in no lexicon (cost \(Lattice.unknownCharacterCost))"
        case .numeral: "Chinese numeral pattern"
        case .transliteration: "run of transliteration characters (a foreign name)"
        case .nameDot: "name whose parts a middle dot joins"
        case .anonymizedName: "surname + 某: an anonymized person (segmentation_rules.tsv), kept whole against the model"
        case .model: "model: the trained model decided against the lexicon lattice"
        case .personName(let layer, let cost): "person name (person_names.txt), kept whole against the model; \(layer) (cost \(cost))"
        case .suffix(let cost): "lexicon word + productive suffix (cost \(cost))"
        case .scanned: "scanner: \(kind)"
        case .subword: "search mode: word inside a longer word"
        case .icu: "ICU word break"
        }
    }

    /// Why the model's token `range` is not the lattice's: the lattice's tokens it replaced
    /// (split, joined, or a boundary moved) with their rules, and the lexicon's entry for the
    /// token itself when it has one (a token the lattice had too keeps the lattice's rule).
    func modelReason(_ text: NormalizedText, _ range: Range<Int>, replaced: [(range: Range<Int>, kind: Token.Kind, rule: SpanRule)]) -> String {
        guard let first = replaced.first, let last = replaced.last else { return Self.reason(.model, .word) }
        let change = replaced.count == 1 ? "split"
            : first.range.lowerBound == range.lowerBound && last.range.upperBound == range.upperBound ? "joined" : "moved a word boundary of"
        var reason = "model: \(change) the lattice's " + replaced.map { "\(text.text($0.range)) [\(Self.reason($0.rule, $0.kind))]" }.joined(separator: " + ")
        if let edge = lexicon.edge(for: text.text(range)) { reason += "; \(text.text(range)) is a word of the \(edge.layer) (cost \(edge.cost))" }
        return reason
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
