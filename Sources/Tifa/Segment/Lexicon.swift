/// Where a lexicon word comes from. The order is the precedence: when the same word is given by
/// several layers, the entry of the earliest layer is kept (its cost and its layer).
public enum LexiconLayer: UInt8, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// A policy formula (`policy_formulas.tsv` or `Segmenter.Options.forcedPhrases`): always one token.
    case forcedPhrase = 0
    /// A word of a user dictionary (`--dict FILE`, jieba's format).
    case user = 1
    /// Tifa's shipped vocabulary (`domain_words.txt`, `segmentation_words.txt`).
    case domain = 2
    /// ICU's own Chinese dictionary (cjdict).
    case icu = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .forcedPhrase: "forced phrase"
        case .user: "user dictionary"
        case .domain: "domain lexicon"
        case .icu: "ICU dictionary"
        }
    }
}

/// Collects words for a `Lexicon` without a heap allocation per word: all characters go into
/// one flat buffer, each word is a record pointing into it.
struct LexiconBuilder {
    private(set) var scalars: [UInt32] = []
    private(set) var records: [Record] = []

    struct Record {
        var start: Int32
        var length: Int32
        var cost: Int32
        var layer: LexiconLayer
    }

    init(capacity: Int = 0) {
        records.reserveCapacity(capacity)
        scalars.reserveCapacity(capacity * 3)
    }

    mutating func add<S: Sequence>(_ word: S, cost: Int32, layer: LexiconLayer) where S.Element == Unicode.Scalar {
        let start = scalars.count
        for s in word { scalars.append(s.value) }
        let length = scalars.count - start
        if length == 0 { return }
        records.append(Record(start: Int32(start), length: Int32(length), cost: cost, layer: layer))
    }

    /// Adds a word given in UTF-16 (ICU's form); unpaired surrogates become U+FFFD.
    mutating func add(utf16 word: UnsafeBufferPointer<UInt16>, cost: Int32, layer: LexiconLayer) {
        let start = scalars.count
        var i = 0
        while i < word.count {
            let u = UInt32(word[i])
            if u >= 0xD800 && u < 0xDC00 && i + 1 < word.count && word[i + 1] >= 0xDC00 && word[i + 1] < 0xE000 {
                scalars.append(0x10000 + ((u - 0xD800) << 10) + (UInt32(word[i + 1]) - 0xDC00))
                i += 2
            } else {
                scalars.append((u >= 0xD800 && u < 0xE000) ? 0xFFFD : u)
                i += 1
            }
        }
        let length = scalars.count - start
        if length == 0 { return }
        records.append(Record(start: Int32(start), length: Int32(length), cost: cost, layer: layer))
    }

    /// Compiles the words into a trie. Words are sorted first; Swift's sort is a merge sort
    /// that runs in near-linear time on ICU's already sorted words plus a short unsorted tail.
    func build() -> Lexicon {
        let scalars = self.scalars
        let records = self.records
        var order = Array(0..<Int32(records.count))
        scalars.withUnsafeBufferPointer { chars in
            records.withUnsafeBufferPointer { recs in
                order.sort { a, b in
                    let ra = recs[Int(a)], rb = recs[Int(b)]
                    let n = min(ra.length, rb.length)
                    var k: Int32 = 0
                    while k < n {
                        let ca = chars[Int(ra.start + k)], cb = chars[Int(rb.start + k)]
                        if ca != cb { return ca < cb }
                        k += 1
                    }
                    if ra.length != rb.length { return ra.length < rb.length }
                    return ra.layer < rb.layer
                }
            }
        }
        return Lexicon(scalars: scalars, records: records, sortedOrder: order)
    }
}

/// A compiled, immutable word list: a trie over Unicode scalars whose nodes carry the cost and
/// layer of the word that ends there. Shared by all threads without locks.
///
/// Layout: nodes are numbered in breadth-first order; the children of node `n` are the edges
/// `edgeStart[n]..<edgeStart[n + 1]`, sorted by scalar, so a lookup is a binary search over
/// a few entries. The root's children of the Basic Multilingual Plane are also in a direct
/// 64 K table, because nearly every lookup starts there.
///
/// Cost: about 13 bytes per node plus 8 per edge (≈ 10 MB for ICU's 316,000 words plus the
/// shipped lexicons); building takes one sort and one pass over the words.
public final class Lexicon: @unchecked Sendable {  // immutable after init; owns its buffers
    /// Marks a node that ends no word.
    static let noWord = Int32.max

    // Plain buffers rather than arrays: the segmenter's inner loop reads them without
    // reference counting, uniqueness or exclusivity checks. An edge carries its target's word
    // cost, so a step of a walk touches one cache line, not three (label, target, cost).
    struct Edge { var label: UInt32; var target: Int32; var word: Int32 }
    struct HashEntry { var key: UInt64; var target: Int32; var word: Int32 }
    let edgeStart: UnsafeMutableBufferPointer<Int32>
    let edges: UnsafeMutableBufferPointer<Edge>
    let nodeCost: UnsafeMutableBufferPointer<Int32>
    let nodeLayer: UnsafeMutableBufferPointer<UInt8>
    /// The root's children of the Basic Multilingual Plane, indexed by scalar.
    let root: UnsafeMutableBufferPointer<Edge>
    /// The children of nodes with more than `hashedChildren` children, in an open-addressing
    /// hash table keyed by (node, scalar): one probe instead of a binary search over hundreds
    /// of edges spread across many cache lines (measured: the binary search was the hot spot).
    let hashed: UnsafeMutableBufferPointer<HashEntry>
    let hashMask: Int
    static let hashedChildren = 12

    /// `word` of an edge: the cost in the low 24 bits, the layer above; -1 when no word ends there.
    @inline(__always) static func packWord(_ cost: Int32, _ layer: UInt8) -> Int32 {
        cost == noWord ? -1 : (cost & 0xFF_FFFF) | Int32(layer) << 24
    }
    @inline(__always) static func cost(ofWord w: Int32) -> Int32 { w & 0xFF_FFFF }
    @inline(__always) static func layer(ofWord w: Int32) -> UInt8 { UInt8(truncatingIfNeeded: w >> 24) }

    /// Number of distinct words.
    public let wordCount: Int
    /// Length in scalars of the longest word.
    public let maxWordLength: Int

    fileprivate init(scalars: [UInt32], records: [LexiconBuilder.Record], sortedOrder: [Int32]) {
        var edgeStart: [Int32] = [0]
        var edgeLabel: [UInt32] = []
        var edgeTarget: [Int32] = []
        var nodeCost: [Int32] = [Self.noWord]
        var nodeLayer: [UInt8] = [255]
        edgeLabel.reserveCapacity(records.count * 2)
        edgeTarget.reserveCapacity(records.count * 2)
        nodeCost.reserveCapacity(records.count * 2)
        nodeLayer.reserveCapacity(records.count * 2)
        edgeStart.reserveCapacity(records.count * 2)
        var words = 0
        var longest = 0

        // Breadth-first: a queue of (node, range of sorted words sharing its prefix, depth).
        // Nodes get their numbers as they are queued, so node n's edges are appended right
        // after node n-1's and one `edgeStart` array describes them all.
        struct Pending { var lo: Int32; var hi: Int32; var depth: Int32 }
        var queue: [Pending] = [Pending(lo: 0, hi: Int32(sortedOrder.count), depth: 0)]
        queue.reserveCapacity(records.count * 2)
        var head = 0
        scalars.withUnsafeBufferPointer { chars in
            records.withUnsafeBufferPointer { recs in
                sortedOrder.withUnsafeBufferPointer { order in
                    while head < queue.count {
                        let item = queue[head]
                        let node = head
                        head += 1
                        var i = Int(item.lo)
                        let hi = Int(item.hi)
                        // Words that end here come first in sorted order; the first has the
                        // highest precedence layer (ties sort by layer), the rest are duplicates.
                        if i < hi && recs[Int(order[i])].length == item.depth {
                            let r = recs[Int(order[i])]
                            nodeCost[node] = r.cost
                            nodeLayer[node] = r.layer.rawValue
                            words += 1
                            longest = max(longest, Int(item.depth))
                            while i < hi && recs[Int(order[i])].length == item.depth { i += 1 }
                        }
                        while i < hi {
                            let r = recs[Int(order[i])]
                            let c = chars[Int(r.start + item.depth)]
                            var j = i + 1
                            while j < hi {
                                let rj = recs[Int(order[j])]
                                if chars[Int(rj.start + item.depth)] != c { break }
                                j += 1
                            }
                            edgeLabel.append(c)
                            edgeTarget.append(Int32(queue.count))
                            queue.append(Pending(lo: Int32(i), hi: Int32(j), depth: item.depth + 1))
                            nodeCost.append(Self.noWord)
                            nodeLayer.append(255)
                            i = j
                        }
                        edgeStart.append(Int32(edgeLabel.count))
                    }
                }
            }
        }
        var packedEdges = [Edge]()
        packedEdges.reserveCapacity(edgeLabel.count)
        for e in 0..<edgeLabel.count {
            let t = Int(edgeTarget[e])
            packedEdges.append(Edge(label: edgeLabel[e], target: edgeTarget[e], word: Self.packWord(nodeCost[t], nodeLayer[t])))
        }
        var rootTable = [Edge](repeating: Edge(label: 0, target: -1, word: -1), count: 0x10000)
        for e in Int(edgeStart[0])..<Int(edgeStart[1]) where edgeLabel[e] < 0x10000 {
            rootTable[Int(edgeLabel[e])] = packedEdges[e]
        }
        var big = 0
        for node in 1..<(edgeStart.count - 1) where edgeStart[node + 1] - edgeStart[node] > Self.hashedChildren {
            big += Int(edgeStart[node + 1] - edgeStart[node])
        }
        var capacity = 16
        while capacity < big * 2 { capacity <<= 1 }
        let table = UnsafeMutableBufferPointer<HashEntry>.allocate(capacity: capacity)
        table.initialize(repeating: HashEntry(key: 0, target: -1, word: -1))
        for node in 1..<(edgeStart.count - 1) where edgeStart[node + 1] - edgeStart[node] > Self.hashedChildren {
            for e in Int(edgeStart[node])..<Int(edgeStart[node + 1]) {
                let key = Self.hashKey(Int32(node), edgeLabel[e])
                var slot = Self.hash(key) & (capacity - 1)
                while table[slot].key != 0 { slot = (slot + 1) & (capacity - 1) }
                table[slot] = HashEntry(key: key, target: packedEdges[e].target, word: packedEdges[e].word)
            }
        }
        self.hashed = table
        self.hashMask = capacity - 1
        self.edgeStart = Self.copy(edgeStart)
        self.edges = Self.copy(packedEdges)
        self.nodeCost = Self.copy(nodeCost)
        self.nodeLayer = Self.copy(nodeLayer)
        self.root = Self.copy(rootTable)
        self.wordCount = words
        self.maxWordLength = longest
    }

    private static func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, a.count))
        _ = b.initialize(from: a)
        return b
    }

    deinit {
        edgeStart.deallocate()
        edges.deallocate()
        nodeCost.deallocate()
        nodeLayer.deallocate()
        root.deallocate()
        hashed.deallocate()
    }

    @inline(__always) static func hashKey(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        (UInt64(node) << 21 | UInt64(scalar)) + 1  // + 1: 0 marks an empty slot
    }

    @inline(__always) static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    /// One step of a walk: the child of `node` along `scalar` (target -1 when none), with the
    /// packed cost and layer of the word ending there (-1 when none).
    @inline(__always)
    func step(_ node: Int32, _ scalar: UInt32) -> (target: Int32, word: Int32) {
        if node == 0 && scalar < 0x10000 {
            let e = root[Int(scalar)]
            return (e.target, e.word)
        }
        var lo = Int(edgeStart[Int(node)])
        let hi = Int(edgeStart[Int(node) + 1])
        if hi - lo > Self.hashedChildren && node != 0 {
            let key = Self.hashKey(node, scalar)
            var slot = Self.hash(key) & hashMask
            while true {
                let entry = hashed[slot]
                if entry.key == key { return (entry.target, entry.word) }
                if entry.key == 0 { return (-1, -1) }
                slot = (slot + 1) & hashMask
            }
        }
        if node == 0 {  // supplementary-plane children of the root
            var h = hi
            while lo < h {
                let mid = (lo + h) >> 1
                let l = edges[mid].label
                if l == scalar { return (edges[mid].target, edges[mid].word) }
                if l < scalar { lo = mid + 1 } else { h = mid }
            }
            return (-1, -1)
        }
        while lo < hi {
            let e = edges[lo]
            if e.label >= scalar { return e.label == scalar ? (e.target, e.word) : (-1, -1) }
            lo += 1
        }
        return (-1, -1)
    }

    /// The child of `node` along `scalar`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ scalar: UInt32) -> Int32 { step(node, scalar).target }

    /// The cost and layer of `word`, or nil when it is not in the lexicon.
    public func lookup(_ word: String) -> (cost: Int32, layer: LexiconLayer)? {
        var node: Int32 = 0
        for s in word.unicodeScalars {
            node = child(node, s.value)
            if node < 0 { return nil }
        }
        guard node > 0, nodeCost[Int(node)] != Self.noWord else { return nil }
        return (nodeCost[Int(node)], LexiconLayer(rawValue: nodeLayer[Int(node)])!)
    }

    public func contains(_ word: String) -> Bool { lookup(word) != nil }
}
