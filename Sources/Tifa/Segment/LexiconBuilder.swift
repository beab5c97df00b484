/// Collects words for a `Lexicon` without a heap allocation per word: all characters go into
/// one flat buffer, each word is a record pointing into it.
struct LexiconBuilder {
    private(set) var scalars: [UInt32] = []
    private(set) var records: [Record] = []
    /// Words to mark as not nouns, one flat buffer: each ends at the offset in `notNounEnds`.
    private(set) var notNounUnits: [UInt16] = []
    private(set) var notNounEnds: [Int32] = []

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

    /// Marks `word` (UTF-16, Basic Multilingual Plane) as not a noun, if a layer adds it; a
    /// word no layer adds is ignored (a mark is not a word).
    mutating func markNotNoun(utf16 word: UnsafeBufferPointer<UInt16>) {
        notNounUnits.append(contentsOf: word)
        notNounEnds.append(Int32(notNounUnits.count))
    }

    /// Compiles the words into a trie. Words are sorted first; Swift's sort is a merge sort
    /// that runs in near-linear time on ICU's already sorted words plus a short unsorted tail.
    func build() throws -> Lexicon {
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
        // Lay the words out again in sorted order, characters included: the trie is built by
        // scanning ranges of sorted words once per depth, and through the permutation every
        // read was a cache miss (measured: most of the build time).
        var sortedScalars: [UInt32] = []
        sortedScalars.reserveCapacity(scalars.count)
        var sortedRecords: [Record] = []
        sortedRecords.reserveCapacity(records.count)
        for i in order {
            let r = records[Int(i)]
            sortedRecords.append(Record(start: Int32(sortedScalars.count), length: r.length, cost: r.cost, layer: r.layer))
            sortedScalars.append(contentsOf: scalars[Int(r.start)..<Int(r.start + r.length)])
        }
        let lexicon = try Lexicon(scalars: sortedScalars, sortedRecords: sortedRecords)
        lexicon.markNotNouns(units: notNounUnits, ends: notNounEnds)
        return lexicon
    }
}
