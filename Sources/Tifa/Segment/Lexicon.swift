import CICU
import Foundation

/// Where a lexicon word comes from. The order is the precedence: when the same word is given by
/// several layers, the entry of the earliest layer is kept (its cost and its layer), except that
/// a place name yields to a cheaper entry of a later layer (see `place`).
package enum LexiconLayer: UInt8, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// A policy formula (`policy_formulas.tsv` or `Segmenter.Options.forcedPhrases`): always one token.
    case forcedPhrase = 0
    /// A word of a user dictionary (`--dict FILE`, jieba's format).
    case user = 1
    /// Tifa's shipped vocabulary (`domain_words.txt`, `segmentation_words.txt`).
    case domain = 2
    /// China's administrative divisions and their short forms (`places.tsv`: 山西省, 晋城市,
    /// 兴平市 and 兴平, 渠县). Above the frequency lists, whose costs for rare names are too high
    /// to beat the names' own characters (晋 84 + 城市 64 < 晋城市 167 in jieba's list), yet a
    /// cap rather than a price: for a word a later layer has at a lower cost, that entry is
    /// kept (合作, the short form of 合作市, stays ICU's common word at ICU's cost).
    case place = 3
    /// ICU's own Chinese dictionary (cjdict).
    case icu = 4
    /// General vocabulary that cjdict lacks (`general_words.txt`, selected from jieba's
    /// dictionary). Below cjdict: for a word in both, ICU's cost is kept.
    case general = 5

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .forcedPhrase: "forced phrase"
        case .user: "user dictionary"
        case .domain: "domain lexicon"
        case .place: "place name"
        case .icu: "ICU dictionary"
        case .general: "general vocabulary"
        }
    }
}

/// A compiled, immutable word list: a trie over Unicode scalars whose nodes carry the cost and
/// layer of the word that ends there. Shared by all threads without locks.
///
/// Layout: nodes are numbered in breadth-first order; a node's children are contiguous in
/// `edges`, as a short sorted run (scanned) or, for a node with many children, its own small
/// hash table (one probe). The root's children of the Basic Multilingual Plane are also in a
/// direct 64 K table, because nearly every lookup starts there. Each edge also carries what
/// the next step needs (the word ending at its target, where the target's children are).
///
/// Cost: 8 bytes per edge or hash slot plus the 512 KB root table (≈ 7 MB for ICU's 316,000
/// words plus the shipped lexicons); building takes one sort and one pass over the words per
/// depth. Throws `DataFileError` when the words need more than 16 M trie slots (about 6
/// million words).
package final class Lexicon: @unchecked Sendable {  // immutable after init; owns its buffers
    /// Marks a node that ends no word.
    static let noWord = Int32.max

    // Plain buffers rather than arrays: the segmenter's inner loop reads them without
    // reference counting, uniqueness or exclusivity checks.
    //
    // A walk goes from edge to edge, and an edge carries all a step needs — the cost and layer
    // of the word ending there, and where its target's children are — so each step touches
    // one or two cache lines (measured: separate node, cost and edge arrays cost three misses
    // a step, and the segmenter is bound by memory latency).

    /// One edge in 8 bytes (measured: the segmenter is bound by the cache misses of its walks,
    /// and 16-byte edges made the trie twice as large). Bits, from the lowest:
    /// - 0–20 `label`, the scalar (`noLabel` for an empty slot);
    /// - 21–43 `first`, where the target's children start in `edges`;
    /// - 44 whether the trained model keeps the word ending at the target whole
    ///   (`modelKeepsWhole`, set from the model's kept words when a segmenter loads it);
    /// - 45–50 the target's children's shape: 0…31 that many sorted edges from `first`,
    ///   32 + k a hash table of 2^k slots from `first` (nodes with more than `hashedChildren`
    ///   children; each node's table is contiguous so a frequent node's table stays in cache),
    ///   63 the root;
    /// - 51–58 the cost of the word ending at the target (`maxCost` at most), 59 whether that
    ///   word is not a noun (`isNotNoun`; on the root table's edges, which end no word of 2+
    ///   scalars, whether the character starts a rule's edge: `startsRuleEdge`), 60–62 its
    ///   layer, 63 whether a word ends there.
    public struct Edge: Sendable {
        var bits: UInt64
        static let noLabel: UInt64 = 0x1F_FFFF
        static let maxFirst = (1 << 23) - 1
        /// Costs are ICU's scale (at most 255) or jieba frequencies mapped onto it (1–255).
        static let maxCost: Int32 = 255
        static let notNounBit: UInt64 = 1 << 59
        static let modelKeepsBit: UInt64 = 1 << 44
        static let rootShape: UInt64 = 63

        init(bits: UInt64) { self.bits = bits }

        /// `cost`: nil where no word ends at the target, else the cost of the word that does
        /// (clamped to 0…`maxCost`), with its `layer`.
        init(label: UInt32, cost: Int32?, layer: UInt8, first: Int, shape: UInt64) {
            var b = UInt64(label) | UInt64(first) << 21 | shape << 45
            if let cost {
                b |= UInt64(min(max(cost, 0), Self.maxCost)) << 51 | UInt64(layer & 7) << 60 | 1 << 63
            }
            bits = b
        }

        /// The edge a walk starts from (the root).
        static let start = Edge(bits: rootShape << 45)
        static let none = Edge(bits: noLabel)
        @inline(__always) var label: UInt32 { UInt32(truncatingIfNeeded: bits & 0x1F_FFFF) }
        @inline(__always) var first: Int { Int(truncatingIfNeeded: (bits >> 21) & 0x7F_FFFF) }
        @inline(__always) var shape: Int { Int(truncatingIfNeeded: (bits >> 45) & 63) }
        @inline(__always) var exists: Bool { bits & 0x1F_FFFF != Self.noLabel }
        @inline(__always) var isWord: Bool { bits >> 63 != 0 }
        @inline(__always) var cost: Int32 { Int32(truncatingIfNeeded: (bits >> 51) & 0xFF) }
        /// The word ending here is not a noun (`non_noun_words.txt`): no `nominal` suffix joins it.
        @inline(__always) var isNotNoun: Bool { bits & Self.notNounBit != 0 }
        /// The word ending here is one of the trained model's kept words
        /// (`SegmentationModel.keptWords`): the lattice keeps it out of the model's windows.
        @inline(__always) var modelKeepsWhole: Bool { bits & Self.modelKeepsBit != 0 }
        /// On an edge of the root table: its character may start a lattice edge of a rule
        /// (`markRuleStarts`), so the lattice looks at it more closely.
        @inline(__always) var startsRuleEdge: Bool { bits & Self.notNounBit != 0 }
        /// The word ending here is of a layer without precedence or a rule of its own (domain,
        /// ICU, general): its edge is priced like any word of the lattice.
        @inline(__always) var isPlainWord: Bool {
            let layer = (bits >> 60) & 7
            return layer == UInt64(LexiconLayer.domain.rawValue) || layer >= UInt64(LexiconLayer.icu.rawValue)
        }
        @inline(__always) var layer: LexiconLayer { LexiconLayer(rawValue: UInt8(truncatingIfNeeded: (bits >> 60) & 7))! }
    }
    let edges: UnsafeMutableBufferPointer<Edge>
    /// The cache file `edges` and `root` lie in (`LexiconCache.load`), or nil when they were allocated.
    private let mapping: UnsafeMutableRawBufferPointer?
    /// The root's children of the Basic Multilingual Plane, indexed by scalar.
    let root: UnsafeMutableBufferPointer<Edge>
    /// The root's children, sorted (for supplementary-plane scalars).
    let rootFirst: Int
    let rootCount: Int
    static let hashedChildren = 12

    /// Number of distinct words.
    public let wordCount: Int
    /// Length in scalars of the longest word.
    public let maxWordLength: Int

    /// `sortedRecords`: the words in sorted order, duplicates (same word, later layers) after
    /// the first.
    /// Only `LexiconBuilder.build()` calls it (the records must be sorted).
    convenience init(scalars: [UInt32], sortedRecords records: [LexiconBuilder.Record]) throws {
        // Every node but the root is a distinct prefix of a word, so there are at most
        // `scalars.count + 1` nodes; plain buffers of that size, filled without appends.
        // Node n + 1 is the target of edge n (nodes are numbered as their edges are made).
        let nodes = TrieNodes(capacity: scalars.count + 1)
        defer { nodes.deallocate() }
        let (nodeCount, words, longest) = Self.numberNodes(scalars, records, into: nodes)
        let (laidOut, rootFirst) = try Self.layOut(nodes, nodeCount: nodeCount, words: words)
        let rootTable = UnsafeMutableBufferPointer<Edge>.allocate(capacity: 0x10000)
        rootTable.initialize(repeating: Edge.none)
        for e in Int(nodes.edgeStart[0])..<Int(nodes.edgeStart[1]) where nodes.edgeLabel[e] < 0x10000 {
            rootTable[Int(nodes.edgeLabel[e])] = laidOut[rootFirst + e]
        }
        self.init(edges: laidOut, root: rootTable, rootFirst: rootFirst, rootCount: Int(nodes.edgeStart[1] - nodes.edgeStart[0]),
                  wordCount: words, maxWordLength: longest)
    }

    /// A laid-out lexicon (compiled, or read back by `LexiconCache`): takes ownership of the
    /// buffers — allocated, or inside `mapping`, a private file mapping unmapped with it.
    init(edges: UnsafeMutableBufferPointer<Edge>, root: UnsafeMutableBufferPointer<Edge>, rootFirst: Int, rootCount: Int,
         wordCount: Int, maxWordLength: Int, mapping: UnsafeMutableRawBufferPointer? = nil) {
        self.edges = edges
        self.root = root
        self.mapping = mapping
        self.rootFirst = rootFirst
        self.rootCount = rootCount
        self.wordCount = wordCount
        self.maxWordLength = maxWordLength
    }

    /// The trie under construction: per node where its edges start and the word ending there;
    /// per edge its label (edge n leads to node n + 1).
    private struct TrieNodes {
        let edgeStart, nodeCost: UnsafeMutablePointer<Int32>
        let edgeLabel: UnsafeMutablePointer<UInt32>
        let nodeLayer: UnsafeMutablePointer<UInt8>
        init(capacity: Int) {
            edgeStart = .allocate(capacity: capacity + 1)
            edgeLabel = .allocate(capacity: capacity)
            nodeCost = .allocate(capacity: capacity)
            nodeLayer = .allocate(capacity: capacity)
        }
        func deallocate() {
            edgeStart.deallocate(); edgeLabel.deallocate(); nodeCost.deallocate(); nodeLayer.deallocate()
        }
    }

    /// Breadth-first over the sorted words: a queue of (node, range of sorted words sharing its
    /// prefix, depth). Nodes get their numbers as they are queued, so node n's edges are
    /// appended right after node n-1's and one `edgeStart` array describes them all.
    private static func numberNodes(_ scalars: [UInt32], _ records: [LexiconBuilder.Record],
                                    into nodes: TrieNodes) -> (nodeCount: Int, words: Int, longest: Int) {
        let (edgeStart, edgeLabel, nodeCost, nodeLayer) = (nodes.edgeStart, nodes.edgeLabel, nodes.nodeCost, nodes.nodeLayer)
        var words = 0
        var longest = 0
        struct Pending { var lo: Int32; var hi: Int32; var depth: Int32 }
        let queue = UnsafeMutablePointer<Pending>.allocate(capacity: scalars.count + 1)
        defer { queue.deallocate() }
        queue[0] = Pending(lo: 0, hi: Int32(records.count), depth: 0)
        nodeCost[0] = Self.noWord
        nodeLayer[0] = 255
        edgeStart[0] = 0
        var queued = 1
        var edgeCount = 0
        var head = 0
        scalars.withUnsafeBufferPointer { chars in
            records.withUnsafeBufferPointer { recs in
                while head < queued {
                    let item = queue[head]
                    let node = head
                    head += 1
                    var i = Int(item.lo)
                    let hi = Int(item.hi)
                    let depth = Int(item.depth)
                    // Words that end here come first in sorted order; the first has the
                    // highest precedence layer (ties sort by layer), the rest are duplicates (a
                    // place name yields to a cheaper duplicate: `LexiconLayer.place`).
                    if i < hi && recs[i].length == item.depth {
                        var r = recs[i]
                        i += 1
                        while i < hi && recs[i].length == item.depth {
                            if r.layer == .place && recs[i].cost < r.cost { r = recs[i] }  // a cap, not a price
                            i += 1
                        }
                        nodeCost[node] = r.cost
                        nodeLayer[node] = r.layer.rawValue
                        words += 1
                        longest = max(longest, depth)
                    }
                    while i < hi {
                        let c = chars[Int(recs[i].start) + depth]
                        var j = i + 1
                        while j < hi && chars[Int(recs[j].start) + depth] == c { j += 1 }
                        edgeLabel[edgeCount] = c
                        edgeCount += 1
                        queue[queued] = Pending(lo: Int32(i), hi: Int32(j), depth: item.depth + 1)
                        nodeCost[queued] = Self.noWord
                        nodeLayer[queued] = 255
                        queued += 1
                        i = j
                    }
                    edgeStart[node + 1] = Int32(edgeCount)
                }
            }
        }
        return (queued, words, longest)
    }

    /// Lays the children out node by node (breadth-first order), each node either as its sorted
    /// edges or as its own hash table; then gives every edge its target's place. Returns the
    /// edges and where the root's sorted children start.
    private static func layOut(_ nodes: TrieNodes, nodeCount: Int, words: Int) throws
        -> (edges: UnsafeMutableBufferPointer<Edge>, rootFirst: Int) {
        let (edgeStart, edgeLabel, nodeCost, nodeLayer) = (nodes.edgeStart, nodes.edgeLabel, nodes.nodeCost, nodes.nodeLayer)
        let first = UnsafeMutablePointer<Int32>.allocate(capacity: nodeCount)
        let shape = UnsafeMutablePointer<UInt64>.allocate(capacity: nodeCount)
        defer { first.deallocate(); shape.deallocate() }
        var size = 0
        for node in 0..<nodeCount {
            let n = Int(edgeStart[node + 1] - edgeStart[node])
            first[node] = Int32(size)
            if n > Self.hashedChildren && node != 0 {
                var log2 = 4
                while 1 << log2 < n * 2 { log2 += 1 }
                shape[node] = 32 + UInt64(log2)
                size += 1 << log2
            } else {
                shape[node] = node == 0 ? Edge.rootShape : UInt64(n)
                size += n
            }
        }
        guard size <= Edge.maxFirst else {
            throw DataFileError(message: "the dictionaries are too large: \(words) words give \(size) trie slots, at most \(Edge.maxFirst) fit")
        }
        let laidOut = UnsafeMutableBufferPointer<Edge>.allocate(capacity: max(1, size))
        laidOut.initialize(repeating: Edge.none)
        func packed(_ e: Int) -> Edge {
            let t = e + 1
            let word = nodeCost[t] == Self.noWord ? nil : nodeCost[t]
            return Edge(label: edgeLabel[e], cost: word, layer: nodeLayer[t], first: Int(first[t]), shape: shape[t])
        }
        for node in 0..<nodeCount {
            let lo = Int(edgeStart[node]), hi = Int(edgeStart[node + 1])
            let base = Int(first[node])
            if shape[node] >= 32 && node != 0 {
                let mask = (1 << Int(shape[node] - 32)) - 1
                for e in lo..<hi {
                    var slot = Self.hash(edgeLabel[e]) & mask
                    while laidOut[base + slot].exists { slot = (slot + 1) & mask }
                    laidOut[base + slot] = packed(e)
                }
            } else {
                for e in lo..<hi { laidOut[base + e - lo] = packed(e) }
            }
        }
        return (laidOut, Int(first[0]))
    }

    deinit {
        if let mapping {
            munmap(mapping.baseAddress, mapping.count)
        } else {
            edges.deallocate()
            root.deallocate()
        }
    }

    @inline(__always) static func hash(_ scalar: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(scalar) &* 0x9E37_79B9_7F4A_7C15) >> 40)
    }

    /// One step of a walk: the edge from `from`'s target along `scalar`, `Edge.none` (not
    /// `exists`) when there is none. Start from `Edge.start`.
    @inline(__always)
    func step(_ from: Edge, _ scalar: UInt32) -> Edge {
        let shape = from.shape
        let base = from.first
        if shape >= 32 {
            if shape == Int(Edge.rootShape) {
                if scalar < 0x10000 { return root[Int(scalar)] }
                var lo = rootFirst, hi = rootFirst + rootCount
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    let l = edges[mid].label
                    if l == scalar { return edges[mid] }
                    if l < scalar { lo = mid + 1 } else { hi = mid }
                }
                return .none
            }
            let mask = (1 << (shape - 32)) - 1
            var slot = Self.hash(scalar) & mask
            while true {
                let e = edges[base + slot]
                if e.label == scalar || !e.exists { return e }
                slot = (slot + 1) & mask
            }
        }
        var i = base
        let end = base + shape
        while i < end {
            let e = edges[i]
            if e.label >= scalar { return e.label == scalar ? e : .none }
            i += 1
        }
        return .none
    }

    /// Where in `edges` the edge from `from` (not the root) along `scalar` is, nil if none.
    func slot(_ from: Edge, _ scalar: UInt32) -> Int? {
        let shape = from.shape
        let base = from.first
        if shape >= 32 {
            let mask = (1 << (shape - 32)) - 1
            var slot = Self.hash(scalar) & mask
            while edges[base + slot].exists {
                if edges[base + slot].label == scalar { return base + slot }
                slot = (slot + 1) & mask
            }
            return nil
        }
        return (base..<(base + shape)).first { edges[$0].label == scalar }
    }

    /// Sets `isNotNoun` on the words of 2+ scalars given (UTF-16 of the Basic Multilingual
    /// Plane, word `i` ending at `ends[i]`) that the lexicon has. Part of building: the
    /// lexicon is not shared yet.
    func markNotNouns(units: [UInt16], ends: [Int32]) {
        var start = 0
        for end in ends.map(Int.init) {
            defer { start = end }
            guard end - start >= 2, let i = wordSlot(units[start..<end].lazy.map(UInt32.init)) else { continue }
            edges[i].bits |= Edge.notNounBit
        }
    }

    /// Where in `edges` the edge ending `word` (2+ scalars) is, nil when the lexicon has no such word.
    func wordSlot<Word: BidirectionalCollection<UInt32>>(_ word: Word) -> Int? {
        var e = rootStep(word.first!)
        for v in word.dropFirst().dropLast() where e.exists { e = step(e, v) }
        guard e.exists, let i = slot(e, word.last!), edges[i].isWord else { return nil }
        return i
    }

    /// Sets `modelKeepsWhole` on the words given that the lexicon has (a character: its root
    /// edge); returns how many it marked. Only on a lexicon of its own that no model marked yet
    /// (`Segmenter.init`; `LexiconCache` stores the trie before it is marked, so the flag of one
    /// model never reaches a segmenter with another).
    @discardableResult
    func markModelKeeps(_ words: [String]) -> Int {
        var marked = 0
        for word in words {
            let scalars = Array(word.unicodeScalars.map(\.value))
            if scalars.count == 1 {
                // A character the model keeps alone: its root edge (the lattice's single character).
                guard scalars[0] < 0x10000, root[Int(scalars[0])].isWord else { continue }
                root[Int(scalars[0])].bits |= Edge.modelKeepsBit
                marked += 1
                continue
            }
            guard scalars.count >= 2, let i = wordSlot(scalars) else { continue }
            edges[i].bits |= Edge.modelKeepsBit
            marked += 1
        }
        return marked
    }

    /// Marks the root table's edges (with or without a word) of the characters of the Basic
    /// Multilingual Plane that `startsRule` accepts (`Edge.startsRuleEdge`), so that the lattice
    /// reads the one edge it loads anyway instead of a table per rule. Part of building: the
    /// lexicon is not shared yet.
    func markRuleStarts(_ startsRule: (UInt32) -> Bool) {
        for v in 0..<root.count where startsRule(UInt32(v)) { root[v].bits |= Edge.notNounBit }
    }

    /// The first step of a walk: the root's edge along `scalar`.
    @inline(__always)
    func rootStep(_ scalar: UInt32) -> Edge {
        scalar < 0x10000 ? root[Int(scalar)] : step(.start, scalar)
    }

    /// Requests the cache line that `step(from, scalar)` will read first, without waiting for
    /// it. Only a hint: it changes no result.
    @inline(__always)
    func prefetchStep(_ from: Edge, _ scalar: UInt32) {
        let shape = from.shape
        if shape == Int(Edge.rootShape) {
            if scalar < 0x10000 { tifa_prefetch(root.baseAddress! + Int(scalar)) }
            return
        }
        if shape == 0 { return }  // no children (or `Edge.none`)
        let slot = shape >= 32 ? Self.hash(scalar) & ((1 << (shape - 32)) - 1) : 0
        tifa_prefetch(edges.baseAddress! + from.first + slot)
    }

    /// `prefetchStep` from an edge of the root (not the root itself), without a branch: a
    /// node without children has its line requested too (measured: the shape's branches were
    /// mispredicted as often as characters start no word).
    @inline(__always)
    func prefetchSecondStep(_ from: Edge, _ scalar: UInt32) {
        let shape = from.shape
        let mask = shape >= 32 ? (1 &<< (shape & 31)) &- 1 : 0
        tifa_prefetch(edges.baseAddress! + (from.first &+ (Self.hash(scalar) & mask)))
    }

    /// `prefetchStep` from the root.
    @inline(__always)
    func prefetchRootStep(_ scalar: UInt32) {
        if scalar < 0x10000 { tifa_prefetch(root.baseAddress! + Int(scalar)) }
    }

    /// The cost and layer of `word`, or nil when it is not in the lexicon.
    public func lookup(_ word: String) -> (cost: Int32, layer: LexiconLayer)? {
        edge(for: word).map { ($0.cost, $0.layer) }
    }

    /// The edge where `word` ends, nil when it is not a word of the lexicon.
    func edge(for word: String) -> Edge? {
        var e = Edge.start
        for s in word.unicodeScalars {
            e = step(e, s.value)
            if !e.exists { return nil }
        }
        return e.exists && e.isWord ? e : nil
    }

    public func contains(_ word: String) -> Bool { lookup(word) != nil }
}
