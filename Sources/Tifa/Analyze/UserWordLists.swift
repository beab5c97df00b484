import Foundation

/// The entries of a user's dictionaries (`--dict`) and lexicons (`--lexicon`) as the analysis
/// uses them: what an index stores so that a build with other word lists re-analyses only the
/// documents they can change (DESIGN §7a).
///
/// Why that is sound: a dictionary word acts on a document only where its normalized form is
/// found in the document's normalized text (the lattice's edges and the model's features come
/// from dictionary matches, and a word's cost is its own), and a formula only where the matcher's
/// trie or the lattice's forced phrases find one of its forms. So when the options and every
/// other data file are equal, a document in which no changed entry can be found is analysed
/// exactly as before. `changes(since:)` gives, per changed entry, strings that every match of it
/// contains; `PhraseSet` finds them.
public struct UserWordLists: Sendable, Equatable, Codable {
    /// Each user-dictionary word, normalized, with the lattice cost of each of its entries, in
    /// load order (what `Segmenter` compiles).
    public var dictionaryWords: [String: [Int32]] = [:]
    /// Each formula of the user's lexicons (merged: later files win), by canonical form.
    public var formulas: [String: Formula] = [:]

    public struct Formula: Sendable, Equatable, Codable {
        /// The entry as one lexicon line: any difference counts as a change.
        public var line: String
        /// For each form (canonical and variants), a normalized string that every occurrence of
        /// it contains (see `fixedPart`); "" when a form has none, so any text may hold it.
        public var phrases: [String]
    }

    public init() {}

    /// The user's word lists of `options`, read and normalized as `Analyzer` reads them. Throws
    /// `DataFileError` for a file that is missing or malformed.
    public init(options: Analyzer.Options) throws {
        let normalizer = try Normalizer(options: options.normalization)
        for path in options.dictionaries {
            try SegmentationDictionaries.forEachJiebaEntry(in: URL(fileURLWithPath: path)) { entry in
                let word = String(String.UnicodeScalarView(SegmentationDictionaries.normalized(entry.word, normalizer)))
                let cost = entry.frequency.map { SegmentationDictionaries.cost(frequency: $0) } ?? SegmentationDictionaries.defaultCost
                dictionaryWords[word, default: []].append(cost)
            }
        }
        let lexicon = try PolicyLexicon(files: options.lexicons.map { URL(fileURLWithPath: $0) })
        for entry in lexicon.entries {
            formulas[entry.formula] = Formula(line: entry.line, phrases: ([entry.formula] + entry.variants).map { Self.fixedPart(of: $0, normalizer: normalizer) })
        }
    }

    /// What changed between `old` and these lists.
    public struct Change: Sendable, Equatable {
        /// Dictionary words and formulas added, removed or with another entry.
        public var entries = 0
        /// Strings every document whose analysis may change contains one of (old and new forms).
        public var phrases: [String] = []
        /// The formulas among the changed entries.
        public var formulas: [String] = []
        /// A changed formula has a form without a fixed part: any document may hold it.
        public var affectsAnyText: Bool { phrases.contains("") }
    }

    public func changes(since old: UserWordLists) -> Change {
        var change = Change()
        var phrases = Set<String>()
        for word in Set(dictionaryWords.keys).union(old.dictionaryWords.keys) where dictionaryWords[word] != old.dictionaryWords[word] {
            change.entries += 1
            if !word.isEmpty { phrases.insert(word) }
        }
        for formula in Set(formulas.keys).union(old.formulas.keys) where formulas[formula] != old.formulas[formula] {
            change.entries += 1
            change.formulas.append(formula)
            phrases.formUnion(formulas[formula]?.phrases ?? [])
            phrases.formUnion(old.formulas[formula]?.phrases ?? [])
        }
        change.phrases = phrases.sorted()
        change.formulas.sort()
        return change
    }

    /// The longest run of a formula form that every occurrence of it holds as it is written in
    /// the normalized text: both the matcher (over `FormulaText` symbols) and the lattice (forced
    /// phrases, digits read as numerals) may find the form with numerals written otherwise
    /// (5 / 五, 二 / 两), ASCII letters in another case, and separators at part boundaries
    /// (两不愁、三保障). So a run stops at numerals, ASCII, separators and part boundaries; the
    /// characters left are matched exactly.
    package static func fixedPart(of form: String, normalizer: Normalizer) -> String {
        let symbols = FormulaText.fold(normalizer.normalize(form).scalars)
        let boundaries = Set(FormulaText.partBoundaries(symbols.filter { !$0.isSeparator }.map(\.value)))
        var best: [UInt32] = [], run: [UInt32] = []
        func close() {
            if run.count > best.count { best = run }
            run = []
        }
        var keyIndex = 0
        for symbol in symbols {
            if symbol.isSeparator { close(); continue }
            if boundaries.contains(keyIndex) { close() }
            keyIndex += 1
            if symbol.isNumeral || symbol.value < 0x80 || symbol.range.count != 1 { close(); continue }
            run.append(symbol.value)
        }
        close()
        return FormulaText.string(best)
    }
}

/// A set of strings found in text in one pass (Aho–Corasick over code points): which documents
/// hold a changed dictionary word or formula.
///
/// Immutable and `Sendable`. Cost: building is linear in the total length of the phrases;
/// searching is one hash probe per character, plus failure links.
public struct PhraseSet: Sendable {
    private var children: [[UInt32: Int32]] = [[:]]
    private var failure: [Int32] = [0]
    /// A phrase ends here or at a node on the failure chain.
    private var accepts: [Bool] = [false]
    public let count: Int

    public init(_ phrases: [String]) {
        count = phrases.count
        for phrase in phrases {
            var node = 0
            for scalar in phrase.unicodeScalars {
                if let child = children[node][scalar.value] {
                    node = Int(child)
                } else {
                    children.append([:]); failure.append(0); accepts.append(false)
                    children[node][scalar.value] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            accepts[node] = true
        }
        // Failure links breadth first, so a node's link is final before its children's.
        var queue = Array(children[0].values)
        var head = 0
        while head < queue.count {
            let node = Int(queue[head]); head += 1
            for (symbol, child) in children[node] {
                var f = Int(failure[node])
                while f != 0 && children[f][symbol] == nil { f = Int(failure[f]) }
                let target = children[f][symbol].map(Int.init) ?? 0
                failure[Int(child)] = Int32(target == Int(child) ? 0 : target)
                accepts[Int(child)] = accepts[Int(child)] || accepts[Int(failure[Int(child)])]
                queue.append(child)
            }
        }
    }

    /// Whether `scalars` contain one of the phrases (an empty phrase is in every text).
    public func occurs<C: Collection>(in scalars: C) -> Bool where C.Element == Unicode.Scalar {
        if accepts[0] { return true }
        var node = 0
        for scalar in scalars {
            let v = scalar.value
            while true {
                if let child = children[node][v] { node = Int(child); break }
                if node == 0 { break }
                node = Int(failure[node])
            }
            if accepts[node] { return true }
        }
        return false
    }
}

extension Analyzer {
    /// Whether the normalized text of `text`, normalized piece by piece as `analyze` does, holds
    /// one of `phrases`.
    public func normalizedText(of text: String, contains phrases: PhraseSet) -> Bool {
        var found = false
        Self.forEachPiece(of: text) { piece in
            if !found { found = phrases.occurs(in: normalizer.normalize(piece).scalars) }
        }
        return found
    }
}
