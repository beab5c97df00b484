import Tifa

/// The vocabulary a build writes: term ids in order of first occurrence (dense from 1), each
/// term's df and cf, and the counts of the document being inserted on their way to
/// `doc_term_data`.
///
/// A value the writer keeps in one property and changes with one call per document: as stored
/// properties of the writer (a class), every term's id lookup, count and statistics update was
/// a dynamic exclusivity check and a retain, about a tenth of the writer's time.
struct IndexVocabulary {
    /// Term ids by text and kind, as a dictionary keyed by `TermKey` would give them, but found by
    /// bytes (`TermSlots`): hashing a term canonically for each document it occurs in was a
    /// fiftieth of a build.
    private var termIDs = TermSlots()
    /// Term ids by packed scalars, filled from `termIDs` lookups: equal packed keys are equal
    /// scalars, hence equal `TermKey`s, so this only skips hashing the string again.
    private var packedTermIDs = PackedTermTable()
    private(set) var stats = TermStatistics()
    private var nextTermID: Int64 = 1
    /// Terms first seen in this build: written with their statistics by the writer's `finish`,
    /// so a term row is written once and not updated.
    private(set) var newTerms: [(key: TermKey, category: String?)] = []
    private(set) var firstNewTermID: Int64 = 1

    /// The term counts of the document being inserted, and the buffers their JSON is made in.
    private var documentTerms: [(id: Int64, count: Int64)] = []
    /// `documentTerms` in id order (see `withDocumentTermsJSON`).
    private var order: [UInt64] = []
    private var sortScratch: [UInt64] = []
    private var json: [UInt8] = []

    /// A term of the previous index (an incremental build).
    mutating func load(_ key: TermKey, id: Int64, df: Int64, cf: Int64) {
        termIDs.set(key.text, kind: key.kind, to: Int(id))
        stats.load(id, df: df, cf: cf)
    }

    /// New terms are numbered from `maxTermID + 1`.
    mutating func startNewTerms(after maxTermID: Int64) {
        nextTermID = maxTermID + 1
        firstNewTermID = nextTermID
    }

    mutating func forgetNewTerms() { newTerms = [] }

    /// The id of `key`, a new one (the next) when the vocabulary does not have it.
    mutating func termID(for key: TermKey, category: @autoclosure () -> String?) -> Int64 {
        if let id = termIDs.slot(of: key.text, kind: key.kind, insertingIfAbsent: Int(nextTermID)) { return Int64(id) }
        let id = nextTermID
        nextTermID += 1
        newTerms.append((key, category()))
        return id
    }

    /// A removed document's occurrence of `termID`, `count` times.
    mutating func remove(_ termID: Int64, count: Int64) {
        let s = stats[termID] ?? (1, count)
        stats.set(termID, df: s.df - 1, cf: s.cf - count)
    }

    /// Counts the terms of a document being inserted (its df and cf, and its own counts for
    /// `withDocumentTermsJSON`), numbering new ones; `category`: of one of its formulas. Terms
    /// with a packed key may have no text (`Analyzer.TermTexts.unpackedOnly`).
    /// Returns the ids of its formulas.
    mutating func count(_ analysis: DocumentAnalysis, category: (String) -> String?) -> DocumentFormulaIDs {
        var formulaIDs = DocumentFormulaIDs()
        let packed = analysis.packedKeys
        analysis.terms.withUnsafeBufferPointer { terms in
            for i in terms.indices {
                let count = terms[i].count
                let termID: Int64
                if i < packed.count, let p = packed[i] {
                    if let known = packedTermIDs.value(of: p) {
                        termID = Int64(known)
                    } else {
                        // The text from the packed key: the analyzer may have left it out.
                        termID = self.termID(for: TermKey(text: p.text, kind: terms[i].kind), category: nil)
                        packedTermIDs.set(p, Int(termID))
                    }
                } else {
                    let key = terms[i].key
                    termID = self.termID(for: key, category: key.kind == .formula ? category(key.text) : nil)
                    if key.kind == .formula { formulaIDs.append(key.text, termID) }
                }
                documentTerms.append((termID, Int64(count)))
                stats.add(termID, df: 1, cf: Int64(count))
            }
        }
        return formulaIDs
    }

    /// The counted document's terms as `doc_term_data` stores them (before compression): a
    /// JSON object from term id to count, in ascending id order ({"3":1,"17":4}); the
    /// `doc_terms` view reads it with json_each. Forgets the document's counts.
    mutating func withDocumentTermsJSON<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // A document's term ids are distinct: sorting plain integers (id in the high half, the
        // term's place in the low half) is several times faster than a stable sort of pairs.
        if documentTerms.count < 1 << 32, nextTermID < 1 << 31 {
            order.removeAll(keepingCapacity: true)
            for (i, term) in documentTerms.enumerated() { order.append(UInt64(term.id) << 32 | UInt64(i)) }
            Self.sortByHighHalf(&order, scratch: &sortScratch, maxHigh: UInt64(nextTermID))
        } else {
            let terms = documentTerms
            order = terms.indices.sorted { terms[$0].id < terms[$1].id }.map(UInt64.init)
        }
        // Written through a pointer into a buffer kept across documents: appending byte by byte
        // checked the array's capacity and uniqueness for every digit. An entry takes at most
        // 2 + 20 + 2 + 20 + 1 bytes.
        let capacity = order.count * 45 + 2
        if json.count < capacity { json = [UInt8](repeating: 0, count: max(capacity, json.count * 2)) }
        let terms = documentTerms
        let length = json.withUnsafeMutableBufferPointer { out -> Int in
            var k = 0
            out[k] = UInt8(ascii: "{"); k += 1
            for (i, key) in order.enumerated() {
                let term = terms[Int(key & 0xFFFF_FFFF)]
                if i > 0 { out[k] = UInt8(ascii: ","); k += 1 }
                out[k] = UInt8(ascii: "\""); k += 1
                k = Self.writeDecimal(term.id, into: out, at: k)
                out[k] = UInt8(ascii: "\""); out[k + 1] = UInt8(ascii: ":"); k += 2
                k = Self.writeDecimal(term.count, into: out, at: k)
            }
            out[k] = UInt8(ascii: "}"); k += 1
            return k
        }
        documentTerms.removeAll(keepingCapacity: true)
        return json.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<length])) }
    }

    /// Sorts `keys` whose high halves (term ids, below `maxHigh`) are distinct: a radix sort of
    /// the high half, a byte per pass, and only as many passes as `maxHigh` has bytes. Swift's
    /// `sort` (a stable merge sort, even of integers) was a sixth of the writer's time.
    static func sortByHighHalf(_ keys: inout [UInt64], scratch: inout [UInt64], maxHigh: UInt64) {
        let n = keys.count
        if n < 64 {
            // Insertion sort: fewer moves than the counting passes for a few terms.
            keys.withUnsafeMutableBufferPointer { k in
                for i in 1..<max(1, n) {
                    let key = k[i]
                    var j = i
                    while j > 0 && k[j - 1] > key { k[j] = k[j - 1]; j -= 1 }
                    k[j] = key
                }
            }
            return
        }
        if scratch.count < n { scratch = Array(repeating: 0, count: n) }
        var shift: UInt64 = 32
        while shift < 64 && maxHigh >> (shift - 32) > 0 {
            keys.withUnsafeMutableBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
                        for i in 0..<256 { counts[i] = 0 }
                        for key in source { counts[Int((key >> shift) & 0xFF)] += 1 }
                        var total = 0
                        for i in 0..<256 { let c = counts[i]; counts[i] = total; total += c }
                        for key in source {
                            let digit = Int((key >> shift) & 0xFF)
                            target[counts[digit]] = key
                            counts[digit] += 1
                        }
                    }
                }
            }
            // The sorted keys are in `scratch`: swap the buffers (the first n of scratch are valid).
            if scratch.count == n {
                swap(&keys, &scratch)
            } else {
                keys.withUnsafeMutableBufferPointer { k in
                    scratch.withUnsafeBufferPointer { s in
                        for i in 0..<n { k[i] = s[i] }
                    }
                }
            }
            shift += 8
        }
    }

    /// Writes `value` in decimal into `out` at `index` (room for 20 bytes); returns the index
    /// after it.
    @inline(__always)
    static func writeDecimal(_ value: Int64, into out: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        var k = index
        if value < 0 { out[k] = UInt8(ascii: "-"); k += 1 }
        var v = value.magnitude
        var digits = 1
        var limit: UInt64 = 10
        while v >= limit && digits < 20 {
            digits += 1
            if limit > UInt64.max / 10 { break }
            limit *= 10
        }
        var i = k + digits - 1
        repeat {
            out[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        } while v > 0
        return k + digits
    }
}

/// The ids of one document's formulas, for its occurrences: a handful, found by comparing UTF-8
/// bytes (an occurrence names its formula with the very string its term has), where `==` on
/// Chinese strings compared them canonically, normalizing on the way.
struct DocumentFormulaIDs {
    private var formulas: [(text: String, id: Int64)] = []

    mutating func append(_ text: String, _ id: Int64) { formulas.append((text, id)) }

    /// The id of `formula` when it is one of the document's formula terms byte for byte, else
    /// nil (the caller looks it up canonically; a document with many formulas always does).
    func id(of formula: String) -> Int64? {
        guard formulas.count <= 32 else { return nil }
        return formulas.first { UTF8TermTable.sameBytes($0.text, formula) }?.id
    }
}

/// df and cf per term id, in arrays indexed by id (ids are dense from 1), with the ids changed
/// by this build: a dictionary and a set probe per document term cost more than the insert.
struct TermStatistics {
    private var df: [Int64] = []
    private var cf: [Int64] = []
    /// 0: no statistics, 1: loaded, 2: changed by this build.
    private var state: [UInt8] = []

    private mutating func reserve(_ id: Int64) {
        let needed = Int(id) + 1
        if needed > state.count {
            let size = max(needed, state.count * 2, 1024)
            df += repeatElement(0, count: size - df.count)
            cf += repeatElement(0, count: size - cf.count)
            state += repeatElement(0, count: size - state.count)
        }
    }

    subscript(id: Int64) -> (df: Int64, cf: Int64)? {
        let i = Int(id)
        guard i >= 0, i < state.count, state[i] != 0 else { return nil }
        return (df[i], cf[i])
    }

    mutating func load(_ id: Int64, df: Int64, cf: Int64) {
        reserve(id)
        let i = Int(id)
        self.df[i] = df
        self.cf[i] = cf
        if state[i] == 0 { state[i] = 1 }
    }

    mutating func set(_ id: Int64, df: Int64, cf: Int64) {
        reserve(id)
        let i = Int(id)
        self.df[i] = df
        self.cf[i] = cf
        state[i] = 2
    }

    @inline(__always)
    mutating func add(_ id: Int64, df: Int64, cf: Int64) {
        reserve(id)
        let i = Int(id)
        self.df[i] += df
        self.cf[i] += cf
        state[i] = 2
    }

    /// Ids whose statistics this build changed, ascending.
    var changedIDs: [Int64] {
        state.indices.filter { state[$0] == 2 }.map(Int64.init)
    }
}
