import Foundation

/// Where the letters of a lexicon formula stand in a text but something else is meant, so that
/// `FormulaMatcher` does not report it (issue 13: "each formula is only itself"):
///
/// - **A count, not a formula**: a counted formula (numeral, measure word, name: 四个服务,
///   三个代表) followed at once by a productive noun suffix (业 区 站 者 … — the `suffix` role of
///   `Dictionaries/segmentation_rules.tsv`) counts things named by a longer noun: 新增4个服务业 is
///   four service industries, 三个代表团 three delegations.
/// - **Another abbreviation, by context**: `Dictionaries/formula_false_friends.tsv` lists
///   contexts where a form is another formula's or no formula (“四化”方针 is the cadres' four
///   -izations of the 1980s, not the four modernizations). Contexts compare folded text with
///   separators and quotes skipped, so “四化”方针 and 四化方针 are one context.
///
/// (The third rule, that an abbreviation is not reported inside a longer formula — 四化 of
/// 四化同步 — is the matcher's own: it needs the trie node.)
///
/// Immutable and `Sendable`; built once per matcher. Cost: a set probe per counted match and a
/// few comparisons per match of a formula with listed contexts.
struct FalseFriendFilters: Sendable {
    struct Context: Sendable {
        /// Folded keys of the text that must stand right before and after the form.
        var left: [UInt32]
        var right: [UInt32]
    }

    private var counted = Set<Int32>()
    private var suffixes = Set<UInt32>()
    private var contexts: [Int32: [Context]] = [:]

    init() {}

    /// The filters for the entries of `lexicon`, from the shipped data files.
    init(lexicon: PolicyLexicon, normalizer: Normalizer) {
        // The shipped files are checked by the tests (DictionaryFileTests); a matcher built
        // without them still matches, without these filters.
        guard let data = try? Self.shipped.get() else { return }
        suffixes = data.suffixes
        for (index, entry) in lexicon.entries.enumerated() {
            let key = FormulaText.key(normalizer.normalize(entry.formula).scalars)
            var q = 0
            while q < key.count && FormulaText.isNumeral(key[q]) { q += 1 }
            let measure = q > 0 ? data.stoplist.prefixLength(data.stoplist.measures, in: key[q...]) : 0
            if measure > 0 && q + measure < key.count { counted.insert(Int32(index)) }
            if let c = data.contexts[entry.formula] { contexts[Int32(index)] = c }
        }
    }

    func rejects(entry: Int32, start: Int, end: Int, symbols: UnsafeBufferPointer<FormulaText.Symbol>) -> Bool {
        if counted.contains(entry), end < symbols.count, suffixes.contains(symbols[end].value) {
            return true
        }
        guard let list = contexts[entry] else { return false }
        return list.contains { context in
            var i = start - 1
            for v in context.left.reversed() {
                while i >= 0 && symbols[i].isSeparator { i -= 1 }
                guard i >= 0, symbols[i].value == v else { return false }
                i -= 1
            }
            var j = end
            for v in context.right {
                while j < symbols.count && symbols[j].isSeparator { j += 1 }
                guard j < symbols.count, symbols[j].value == v else { return false }
                j += 1
            }
            return true
        }
    }

    struct Data: Sendable {
        var suffixes: Set<UInt32>
        var stoplist: DiscoveryStoplist
        var contexts: [String: [Context]]
    }

    static let shipped: Result<Data, Error> = Result {
        let rules = try SegmentationRules(url: DataFiles.dictionary("segmentation_rules.tsv"))
        var suffixes = Set<UInt32>()
        for unit in 0..<rules.suffixCost.count where rules.suffixCost[unit] > 0 { suffixes.insert(UInt32(unit)) }
        return Data(suffixes: suffixes, stoplist: try DiscoveryStoplist.shipped(),
                    contexts: try readContexts(DataFiles.dictionary("formula_false_friends.tsv")))
    }

    /// Reads `context<TAB>formula<TAB>what it is there` lines; the context marks the form with 【】.
    static func readContexts(_ url: URL) throws -> [String: [Context]] {
        var result: [String: [Context]] = [:]
        try DataFiles.forEachDataLine(in: url) { line, _ in
            let c = DataFiles.tabFields(line)
            guard c.count == 3, !c[1].isEmpty, !c[2].isEmpty else {
                throw DataFileError(message: "expected `context<TAB>formula<TAB>what it is there`")
            }
            let context = String(c[0])
            guard let open = context.firstIndex(of: "【"), let close = context.firstIndex(of: "】"), open < close,
                  context.index(after: open) < close else {
                throw DataFileError(message: "the context `\(context)` must mark the form with 【】")
            }
            let left = FormulaText.key(String(context[..<open])), right = FormulaText.key(String(context[context.index(after: close)...]))
            guard !left.isEmpty || !right.isEmpty else { throw DataFileError(message: "the context `\(context)` has no text around the form") }
            result[String(c[1]), default: []].append(Context(left: left, right: right))
        }
        return result
    }
}
