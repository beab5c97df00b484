/// One occurrence of a lexicon formula in a text.
public struct FormulaMatch: Sendable, Equatable {
    /// The canonical form of the formula found.
    public var formula: String
    public var category: PolicyCategory
    /// Where it stands in the normalized text (scalar indices into `NormalizedText.scalars`).
    public var range: Range<Int>
    /// Where it stands in the original text: 0-based code point offsets, end exclusive. The
    /// surface is `original[sourceRange]`, traditional characters and separators as they stand.
    public var sourceRange: Range<Int>
    /// The sentence around it, in the normalized text and in the original.
    public var sentenceRange: Range<Int>
    public var sentenceSourceRange: Range<Int>
    /// The outermost occurrence this one stands in, or nil when it is outermost itself. An
    /// occurrence is outermost when it is leftmost-longest (全面深化改革 in 全面深化改革开放); every
    /// other formula written inside an outermost one, or overlapping its end, is reported with it
    /// (改革开放 within 全面深化改革, 脱贫攻坚 within 精准脱贫攻坚战).
    public var within: FormulaEnclosure?
}

/// The outermost occurrence a nested one stands in (see `FormulaMatch.within`).
public struct FormulaEnclosure: Sendable, Equatable, Hashable, Codable {
    public var formula: String
    /// Normalized scalar range and original code point range of the outer occurrence.
    public var range: Range<Int>
    public var sourceRange: Range<Int>

    public init(formula: String, range: Range<Int>, sourceRange: Range<Int>) {
        self.formula = formula
        self.range = range
        self.sourceRange = sourceRange
    }
}

/// Which occurrences a `FormulaMatcher` reports.
public enum FormulaCoverage: String, Sendable, Codable, CaseIterable {
    /// Every occurrence of every formula, also those inside or overlapping a longer one, each
    /// counted once: counts equal what a reader counts in the text.
    case nested
    /// Leftmost-longest only: no occurrence overlaps another.
    case outermost
}

/// Finds the formulas of a `PolicyLexicon` in normalized text, tolerating how real text writes
/// them.
///
/// Built once from a lexicon into a trie over folded keys (see `FormulaText`: 二/两, Arabic
/// numerals 1–10, letter case). At the part boundaries of a formula (`FormulaText.partBoundaries`:
/// 两不愁|三保障) the trie has a second edge that first skips up to four separators or quotes, so
/// 两不愁、三保障, 两不愁 三保障 and “两不愁”“三保障” all match. Text is scanned leftmost-longest
/// for the outermost occurrences (三落实三精准三保障 is one); with `FormulaCoverage.nested` (the
/// default) every formula written inside one of them, or overlapping its end, is reported too and
/// linked to it (`FormulaMatch.within`): the 三保障 of 三落实三精准三保障, the 改革开放 of
/// 全面深化改革开放 (whose outermost occurrence is 全面深化改革). A formula is reported once per
/// occurrence: from each start, the longest form of each formula.
/// A formula that starts (ends) with a numeral does not match right after (before) another
/// numeral, and not after 第: 十五个一批 and 第五个一批 are not 五个一批.
///
/// Immutable and `Sendable`; share one matcher across threads. Cost: building is linear in the
/// total length of the forms; matching is O(n · L) for n characters and longest form L, in
/// practice a hash probe per character.
public struct FormulaMatcher: Sendable {
    struct Node: Sendable {
        var children: [UInt32: Int32] = [:]
        /// The node reached by skipping separators here (-1: none allowed).
        var afterSeparator: Int32 = -1
        /// Index of the lexicon entry ending here (-1: none).
        var entry: Int32 = -1
        /// The form ending here is an abbreviation: a variant shorter than its formula (四化 of
        /// 四个现代化, 双创 of 大众创业万众创新).
        var abbreviation = false
    }

    private var nodes: [Node] = [Node()]
    /// The trie's edges compiled for matching: (node, symbol) → child, and which symbols can
    /// start a formula. A Swift dictionary probe per character (hashing with SipHash) was most of
    /// the matching time.
    private var edges = EdgeTable()
    private var entryOfNode: [Int32] = []
    private var separatorNode: [Int32] = []
    private var abbreviationNode: [Bool] = []
    private var filters = FalseFriendFilters()
    public let lexicon: PolicyLexicon
    /// Separators skipped at one part boundary, at most.
    static let maxSeparatorRun = 4
    /// Sentence context kept on each side of a match at most, in characters.
    static let maxSentenceSide = 160

    /// A matcher for `lexicon`, whose forms are normalized with `normalizer` like the texts are
    /// (so a form written with a character the normalizer changes still matches).
    public init(lexicon: PolicyLexicon, normalizer: Normalizer) {
        self.lexicon = lexicon
        let canonicalLength = lexicon.entries.map { FormulaText.key(normalizer.normalize($0.formula).scalars).count }
        for (index, entry) in lexicon.entries.enumerated() {
            for form in [entry.formula] + entry.variants {
                let key = FormulaText.key(normalizer.normalize(form).scalars)
                if !key.isEmpty { insert(key, entry: Int32(index), abbreviation: key.count < canonicalLength[index]) }
            }
        }
        filters = FalseFriendFilters(lexicon: lexicon, normalizer: normalizer)
        var table = EdgeTable(capacity: nodes.dropFirst().reduce(0) { $0 + $1.children.count }, roots: nodes[0].children)
        for (index, node) in nodes.enumerated().dropFirst() {
            for (symbol, child) in node.children { table.insert(node: Int32(index), symbol: symbol, child: child) }
        }
        edges = table
        entryOfNode = nodes.map(\.entry)
        separatorNode = nodes.map(\.afterSeparator)
        abbreviationNode = nodes.map(\.abbreviation)
    }

    /// A matcher with the shipped normalizer.
    public init(lexicon: PolicyLexicon) throws {
        self.init(lexicon: lexicon, normalizer: try Normalizer())
    }

    private mutating func insert(_ key: [UInt32], entry: Int32, abbreviation: Bool) {
        let boundaries = Set(FormulaText.partBoundaries(key))
        var node = 0
        for (i, symbol) in key.enumerated() {
            let child: Int32
            if let existing = nodes[node].children[symbol] {
                child = existing
            } else {
                child = Int32(nodes.count)
                nodes.append(Node())
                nodes[node].children[symbol] = child
            }
            if boundaries.contains(i) {
                var sep = nodes[node].afterSeparator
                if sep < 0 {
                    sep = Int32(nodes.count)
                    nodes.append(Node())
                    nodes[node].afterSeparator = sep
                }
                nodes[Int(sep)].children[symbol] = child
            }
            node = Int(child)
        }
        // Canonical forms are inserted after variants of the same entry; across entries the
        // lexicon already guarantees a key names one entry, so the last writer is that entry.
        nodes[node].entry = entry
        nodes[node].abbreviation = abbreviation
    }

    /// All occurrences in `text`, in order of start (an outer occurrence before those inside it).
    public func matches(in text: NormalizedText, coverage: FormulaCoverage = .nested) -> [FormulaMatch] {
        let symbols = FormulaText.fold(text.scalars)
        return matches(in: text, symbols: symbols, coverage: coverage)
    }

    /// What a match carries besides the formula and where it stands.
    package enum Context {
        /// The sentence around it (`sentenceRange`, `sentenceSourceRange`), for display.
        case sentence
        /// Nothing more: the sentence fields are the match's own ranges. The analysis (and so the
        /// index) uses no sentence, and finding one walked up to 320 characters per match.
        case none
    }

    /// All occurrences in `text` with only the context asked for.
    package func matches(in text: NormalizedText, coverage: FormulaCoverage, context: Context) -> [FormulaMatch] {
        matches(in: text, symbols: FormulaText.fold(text.scalars), coverage: coverage, context: context)
    }

    /// Matches over already folded symbols of `text` (for callers that fold once and reuse).
    package func matches(in text: NormalizedText, symbols: [FormulaText.Symbol], coverage: FormulaCoverage = .nested,
                         context: Context = .sentence) -> [FormulaMatch] {
        symbols.withUnsafeBufferPointer { matches(in: text, symbols: $0, coverage: coverage, context: context) }
    }

    /// Matches over folded symbols in a caller's buffer (`FormulaText.fold(_:into:)`).
    package func matches(in text: NormalizedText, symbols: UnsafeBufferPointer<FormulaText.Symbol>, coverage: FormulaCoverage,
                         context: Context) -> [FormulaMatch] {
        var result: [FormulaMatch] = []
        edges.withTables { edges in
            entryOfNode.withUnsafeBufferPointer { entryOfNode in
                separatorNode.withUnsafeBufferPointer { separatorNode in
                    do {
                        let n = symbols.count
                        /// Whether a formula may start at symbol `i`.
                        func canStart(_ i: Int) -> Bool {
                            let first = symbols[i]
                            guard edges.canStart(first.value), !first.isSeparator else { return false }
                            // 十五个一批 is not 五个一批, and 第五个一批 is an ordinal, not the formula.
                            return !(first.isNumeral && i > 0 && (symbols[i - 1].isNumeral || symbols[i - 1].value == 0x7B2C))
                        }
                        /// Walks the trie from symbol `i`, calling `found(end, entry)` for each formula
                        /// that ends there and is no false friend (`FalseFriendFilters`), shortest first.
                        func walk(from i: Int, nested: Bool, _ found: (Int, Int32) -> Void) {
                            var node: Int32 = 0
                            var j = i
                            while j < n {
                                let s = symbols[j]
                                if s.isSeparator {
                                    let sep = separatorNode[Int(node)]
                                    guard sep >= 0, j > i else { break }
                                    var k = j
                                    while k < n && symbols[k].isSeparator && k - j < Self.maxSeparatorRun { k += 1 }
                                    guard k < n, !symbols[k].isSeparator else { break }
                                    let child = edges.child(of: sep, symbols[k].value)
                                    guard child >= 0 else { break }
                                    node = child
                                    j = k + 1
                                } else {
                                    let child = edges.child(of: node, s.value)
                                    guard child >= 0 else { break }
                                    node = child
                                    j += 1
                                }
                                let entry = entryOfNode[Int(node)]
                                if entry >= 0 {
                                    let endsInNumeral = symbols[j - 1].isNumeral
                                    if !(endsInNumeral && j < n && symbols[j].isNumeral)
                                        && !(nested && abbreviationNode[Int(node)])
                                        && !filters.rejects(entry: entry, start: i, end: j, symbols: symbols) { found(j, entry) }
                                }
                            }
                        }
                        func append(_ start: Int, _ end: Int, _ entry: Int32, within: FormulaEnclosure?) {
                            let range = symbols[start].range.lowerBound..<symbols[end - 1].range.upperBound
                            let sourceRange = text.sourceRange(range)
                            let e = lexicon.entries[Int(entry)]
                            switch context {
                            case .sentence:
                                let sentence = Self.sentence(around: range, in: text.scalars)
                                result.append(FormulaMatch(formula: e.formula, category: e.category, range: range, sourceRange: sourceRange,
                                                           sentenceRange: sentence, sentenceSourceRange: text.sourceRange(sentence),
                                                           within: within))
                            case .none:
                                result.append(FormulaMatch(formula: e.formula, category: e.category, range: range, sourceRange: sourceRange,
                                                           sentenceRange: range, sentenceSourceRange: sourceRange, within: within))
                            }
                        }
                        var i = 0
                        while i < n {
                            guard canStart(i) else { i += 1; continue }
                            var bestEnd = -1
                            var bestEntry: Int32 = -1
                            walk(from: i, nested: false) { end, entry in bestEnd = end; bestEntry = entry }
                            guard bestEnd >= 0 else { i += 1; continue }
                            append(i, bestEnd, bestEntry, within: nil)
                            if coverage == .nested {
                                let outer = result[result.count - 1]
                                let enclosure = FormulaEnclosure(formula: outer.formula, range: outer.range, sourceRange: outer.sourceRange)
                                // From each start inside the outer occurrence, the longest form of
                                // each other formula (a formula is counted once per occurrence).
                                for k in i..<bestEnd where canStart(k) {
                                    var longest: [(entry: Int32, end: Int)] = []
                                    walk(from: k, nested: true) { end, entry in
                                        guard entry != bestEntry, !(k == i && end == bestEnd) else { return }
                                        if let at = longest.firstIndex(where: { $0.entry == entry }) { longest[at].end = end } else { longest.append((entry, end)) }
                                    }
                                    for (entry, end) in longest.sorted(by: { $0.end > $1.end }) { append(k, end, entry, within: enclosure) }
                                }
                            }
                            i = bestEnd
                        }
                    }
                }
            }
        }
        return result
    }

    @inline(__always)
    static func endsSentence(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0x21 || v == 0x3F || v == 0xFF1B || v == 0x3B || v == 0x0A
    }

    /// The sentence holding `range`: from just after the previous 。！？；!?; or line break to the
    /// next one inclusive (a line break is not included), at most `maxSentenceSide` characters on
    /// each side, without leading spaces.
    static func sentence(around range: Range<Int>, in scalars: [Unicode.Scalar]) -> Range<Int> {
        var start = range.lowerBound
        let lowest = max(0, range.lowerBound - maxSentenceSide)
        while start > lowest && !endsSentence(scalars[start - 1].value) { start -= 1 }
        while start < range.lowerBound && scalars[start].properties.isWhitespace { start += 1 }
        var end = range.upperBound
        let highest = min(scalars.count, range.upperBound + maxSentenceSide)
        while end < highest && !endsSentence(scalars[end].value) { end += 1 }
        if end < scalars.count && end < highest && scalars[end] != "\n" { end += 1 }
        return start..<end
    }
}

/// The trie's edges in one open-addressing table keyed by (node, symbol), and the root's edges
/// apart: most characters of a text are tested against the root (can a formula start here?),
/// so those are a bitmap over the BMP (8 KB) with a rank per 64 symbols and the children in
/// symbol order (a few KB together, which stay in the first-level cache while the segmenter's
/// lexicon passes through it). A hash probe from the root into the whole table missed the cache
/// at every character that starts some formula. Supplementary start symbols are a dictionary.
struct EdgeTable: Sendable {
    private var keys: [UInt64] = [EdgeTable.empty]
    private var children: [Int32] = [-1]
    private var mask = 0
    /// One bit per BMP code point: set where the root has a child.
    private var starts: [UInt64] = Array(repeating: 0, count: 0x10000 / 64)
    /// For each word of `starts`, how many bits the words before it hold.
    private var startRank: [Int32] = Array(repeating: 0, count: 0x10000 / 64)
    /// The root's BMP children in symbol order.
    private var rootChildren: [Int32] = []
    private var supplementaryRoots: [UInt32: Int32] = [:]
    /// A Bloom filter (one hash, 2^15 bits = 4 KB) of the edges below the root: most walks end
    /// with an edge that does not exist, and the filter answers that without reaching into the
    /// table (a cache miss per walk, most of the matching time). No false negatives, so the
    /// table still decides every edge the filter lets through. About eight bits per edge of the
    /// shipped lexicon: small enough to stay in the first-level cache, where 32 KB did not
    /// (callgrind, 1 MB build: first-level misses in matching −26%, last-level −30%, the same
    /// instructions). A large user lexicon lets more failing probes through, never changes a match.
    private var edgeBits: [UInt64] = Array(repeating: 0, count: EdgeTable.edgeBitCount / 64)
    static let edgeBitCount = 1 << 15
    static let empty = UInt64.max

    init() {}

    /// `capacity`: edges below the root; `roots`: the root's children by symbol.
    init(capacity: Int, roots: [UInt32: Int32]) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        children = Array(repeating: -1, count: size)
        mask = size - 1
        for (symbol, child) in roots.sorted(by: { $0.key < $1.key }) {
            if symbol < 0x10000 {
                starts[Int(symbol >> 6)] |= 1 << UInt64(symbol & 63)
                rootChildren.append(child)
            } else {
                supplementaryRoots[symbol] = child
            }
        }
        var rank: Int32 = 0
        for w in starts.indices {
            startRank[w] = rank
            rank += Int32(starts[w].nonzeroBitCount)
        }
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The filter bit of an edge key: other bits of the product than the table's slot uses.
    @inline(__always)
    static func edgeBit(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0xC2B2_AE3D_27D4_EB4F) >> (64 - UInt64(edgeBitCount.trailingZeroBitCount)))
    }

    mutating func insert(node: Int32, symbol: UInt32, child: Int32) {
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(symbol)
        var i = Self.slot(key, mask)
        while keys[i] != Self.empty && keys[i] != key { i = (i + 1) & mask }
        keys[i] = key
        children[i] = child
        let bit = Self.edgeBit(key)
        edgeBits[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    struct View {
        let keys: UnsafeBufferPointer<UInt64>
        let children: UnsafeBufferPointer<Int32>
        let starts: UnsafeBufferPointer<UInt64>
        let startRank: UnsafeBufferPointer<Int32>
        let rootChildren: UnsafeBufferPointer<Int32>
        let supplementaryRoots: [UInt32: Int32]
        let edgeBits: UnsafeBufferPointer<UInt64>
        let mask: Int

        @inline(__always)
        func canStart(_ symbol: UInt32) -> Bool {
            if symbol < 0x10000 { return starts[Int(symbol >> 6)] & (1 << UInt64(symbol & 63)) != 0 }
            return !supplementaryRoots.isEmpty && supplementaryRoots[symbol] != nil
        }

        /// The child of `node` on `symbol`, or -1.
        @inline(__always)
        func child(of node: Int32, _ symbol: UInt32) -> Int32 {
            if node == 0 {
                guard symbol < 0x10000 else { return supplementaryRoots[symbol] ?? -1 }
                let word = starts[Int(symbol >> 6)], bit: UInt64 = 1 << UInt64(symbol & 63)
                guard word & bit != 0 else { return -1 }
                return rootChildren[Int(startRank[Int(symbol >> 6)]) + (word & (bit &- 1)).nonzeroBitCount]
            }
            let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(symbol)
            let bit = EdgeTable.edgeBit(key)
            guard edgeBits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return -1 }
            var i = EdgeTable.slot(key, mask)
            while true {
                let k = keys[i]
                if k == key { return children[i] }
                if k == EdgeTable.empty { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    func withTables<R>(_ body: (View) -> R) -> R {
        keys.withUnsafeBufferPointer { k in
            children.withUnsafeBufferPointer { c in
                starts.withUnsafeBufferPointer { s in
                    startRank.withUnsafeBufferPointer { r in
                        rootChildren.withUnsafeBufferPointer { roots in
                            edgeBits.withUnsafeBufferPointer { bits in
                                body(View(keys: k, children: c, starts: s, startRank: r, rootChildren: roots,
                                          supplementaryRoots: supplementaryRoots, edgeBits: bits, mask: mask))
                            }
                        }
                    }
                }
            }
        }
    }
}
