import CICU
import Foundation

/// The trained part of the segmenter: an averaged structured perceptron that tags each atom of
/// a stretch B (begins a word), M (inside), E (ends) or S (a word alone), with the lexicon
/// lattice's own answer among its features. See DESIGN.md, "A trained model over the lattice".
///
/// ## Features of atom i (each one a row of 4 weights, one per tag)
/// - the symbols at i-2 … i+2 (a Han character is its own symbol; other atoms a class symbol:
///   number, Latin word, each punctuation sign, …; the stretch's ends are padding symbols);
/// - the symbol at i with the lattice's tag for it;
/// - the adjacent symbol pairs (i-2,i-1) (i-1,i) (i,i+1) (i+1,i+2) and the pair (i-1,i+1);
/// - lattice context: the lattice's tags of i-1, i, i+1; the rule that made the lattice's token
///   (lexicon layer, single character, unknown character, suffix, …) with the tag and the
///   token's length; the longest lexicon word starting and ending at i, and the same across the
///   boundaries before and after i.
/// Transition weights between tags complete the score; a first-order Viterbi over the legal tag
/// sequences finds the best one. Atoms the lattice fixes (forced phrases, user words, numbers,
/// Latin words, punctuation, numeral patterns) keep the lattice's tags: the model cannot change them.
///
/// ## Layout (for speed: one lookup per symbol, one probe per pair)
/// Weights are 16-bit integers (quantized after training). The rows of all 5 positions of a
/// symbol and its 4 lattice tags sit together in one 72-byte row of a dense table indexed by
/// the symbol (all symbols are in the Basic Multilingual Plane); pairs are in open-addressing
/// tables keyed by the two packed symbols, whose row holds the 4 positions of an adjacent pair.
///
/// Thread-safe: immutable after loading.
public final class SegmentationModel: @unchecked Sendable {
    // MARK: Schema

    static let magic = Array("TIFASEGM".utf8)
    static let formatVersion: UInt32 = 1
    static let tagCount = 4
    static let tagB: UInt8 = 0, tagM: UInt8 = 1, tagE: UInt8 = 2, tagS: UInt8 = 3
    /// In `ModelInput.fixed`: the model chooses this atom's tag.
    static let free: UInt8 = 4

    /// Weights per symbol: 5 positions × 4 tags, then 4 lattice tags × 4 tags.
    static let symbolRow = 36
    /// Weights per adjacent pair: 4 positions × 4 tags.
    static let pairRow = 16
    /// Weights per skip pair (i-1, i+1): 4 tags.
    static let skipRow = 4

    // Lattice context groups: offsets (in rows of 4) and sizes.
    static let lengthValues = 5        // longest word: 0 (none), 1, 2, 3, 4+
    static let ruleClasses = 16
    static let contextTags = 125       // lattice tags of i-1, i, i+1, 5 values each (4 = outside)
    static let contextRule = contextTags                                   // rule × tag × token length
    static let contextLengths = contextRule + ruleClasses * 4 * 4          // start × end at i
    static let contextBefore = contextLengths + lengthValues * lengthValues // end at i-1 × start at i
    static let contextAfter = contextBefore + lengthValues * lengthValues   // end at i × start at i+1
    static let contextCount = contextAfter + lengthValues * lengthValues

    // Symbols for atoms that are not one Han character of the BMP, in the Private Use Area.
    static let symbolNumber: UInt16 = 0xE000, symbolLatin: UInt16 = 0xE001, symbolPunctuation: UInt16 = 0xE002,
               symbolOther: UInt16 = 0xE003, symbolScript: UInt16 = 0xE004, symbolRareHan: UInt16 = 0xE005,
               symbolStart: UInt16 = 0xE010, symbolEnd: UInt16 = 0xE011

    // MARK: Weights

    /// How the model was trained (recorded in the file).
    public struct TrainingInfo: Sendable, Equatable {
        public var epochs: Int
        public var seed: UInt64
        public var minimumPairCount: Int
        public var maximumPairRows: Int
        public var sentences: Int
        public var atoms: Int
    }

    public let info: TrainingInfo
    /// The file it was loaded from, if any.
    public let url: URL?
    /// The row of each symbol in `symbols` (0, a row of zeros, for a symbol the model never saw).
    let symbolIndex: UnsafeMutablePointer<UInt16>
    /// Rows of `symbolRow` weights, one per symbol the model knows, after the zero row: only
    /// the rows there are (a few thousand, in the core's cache), not a table over the whole BMP
    /// (4.7 MB, a page per row touched).
    let symbols: UnsafeMutablePointer<Int16>
    /// Adjacent pairs and skip pairs, keyed by the two symbols' rows (`pairKey`).
    let pairs: PairTable
    let skips: PairTable
    let context: UnsafeMutablePointer<Int16>
    /// 4 × 4 transitions (from, to), then 4 start weights.
    let transitions: [Int64]
    /// Size of the file's weights, for statistics.
    public let featureCount: Int

    /// An open-addressing table from a packed pair of symbol rows to its row of weights; row 0
    /// is all zeros and stands for an unknown pair, so lookups need no branch on the result.
    ///
    /// The slots hold only the key and the row number (8 bytes: the whole table, 512 KB for
    /// 30,000 pairs, stays in the core's cache), the rows sit apart, each inside one cache line.
    /// Measured against slots carrying key and weights together (36 bytes, 2.4 MB, often two
    /// lines): see DESIGN.md §4a.
    struct PairTable {
        /// `key | row << 32`; 0 for an empty slot (keys are never 0: symbol rows start at 1).
        let slots: UnsafeMutablePointer<UInt64>
        let rows: UnsafeMutablePointer<Int16>
        let mask: Int
        let width: Int
        let count: Int

        /// `keys[i]`'s weights are `weights[i * width ..< (i + 1) * width]`.
        init(keys: [UInt32], weights source: [Int16], width: Int) {
            count = keys.count
            var capacity = 16
            // Load factor at most 0.5: a probe for an unknown pair (a common case) stays short.
            while capacity < count * 2 { capacity <<= 1 }
            mask = capacity - 1
            self.width = width
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: 0, count: capacity)
            let rowBytes = (count + 1) * width * 2
            rows = UnsafeMutableRawPointer.allocate(byteCount: rowBytes, alignment: 64).bindMemory(to: Int16.self, capacity: (count + 1) * width)
            rows.initialize(repeating: 0, count: width)
            source.withUnsafeBufferPointer { (rows + width).initialize(from: $0.baseAddress!, count: count * width) }
            for (i, key) in keys.enumerated() {
                var h = Self.slot(key, mask)
                while slots[h] != 0 { h = (h + 1) & mask }
                slots[h] = UInt64(key) | UInt64(i + 1) << 32
            }
        }

        @inline(__always) static func slot(_ key: UInt32, _ mask: Int) -> Int {
            Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        }

        @inline(__always) func prefetch(_ key: UInt32) { tifa_prefetch(slots + Self.slot(key, mask)) }

        /// The weights for `key` (zeros when absent).
        @inline(__always) func row(_ key: UInt32) -> UnsafeMutablePointer<Int16> {
            var h = Self.slot(key, mask)
            while true {
                let e = slots[h]
                if UInt32(truncatingIfNeeded: e) == key { return rows + Int(e >> 32) * width }
                if e == 0 { return rows }
                h = (h + 1) & mask
            }
        }

        func deallocate() { slots.deallocate(); rows.deallocate() }
    }

    /// The key of a pair of symbols (in the trainer) or of symbol rows (in the model's tables).
    @inline(__always) static func pairKey(_ a: UInt16, _ b: UInt16) -> UInt32 { UInt32(a) << 16 | UInt32(b) }

    deinit {
        symbolIndex.deallocate()
        symbols.deallocate()
        context.deallocate()
        pairs.deallocate()
        skips.deallocate()
    }

    // MARK: File format

    /// The default model, `Dictionaries/segmentation_model.bin`.
    public static func shippedURL() throws -> URL { try DataFiles.dictionary("segmentation_model.bin") }

    /// Loads a model file (format in `Dictionaries/README.md`). Throws `DataFileError` naming
    /// the file for one that is missing, truncated, of another format or version, or corrupt.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw DataFileError(file: url.path, line: nil, message: "cannot be read (\(error.localizedDescription))")
        }
        try self.init(data: data, url: url)
    }

    init(data: Data, url: URL?) throws {
        let name = url?.path ?? "segmentation model"
        func fail(_ message: String) -> DataFileError { DataFileError(file: name, line: nil, message: message) }
        var reader = ModelFileReader(data: data)
        guard data.count >= 16, Array(data.prefix(8)) == Self.magic else {
            throw fail("is not a Tifa segmentation model (bad magic; expected a file written by `tifa train`)")
        }
        reader.offset = 8
        let version = try reader.u32(fail)
        guard version == Self.formatVersion else {
            throw fail("has model format version \(version); this Tifa reads version \(Self.formatVersion) (retrain with `tifa train`)")
        }
        // Checksum of everything before its last 8 bytes.
        guard data.count >= 24 else { throw fail("is truncated") }
        let stored = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: data.count - 8, as: UInt64.self) }
        let actual = data.withUnsafeBytes { Self.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(data.count - 8)])) }
        guard stored == actual else { throw fail("is truncated or corrupt (checksum mismatch)") }
        // The schema: a model trained with other feature sizes cannot be read.
        let schema = [try reader.u32(fail), try reader.u32(fail), try reader.u32(fail), try reader.u32(fail)]
        guard schema == [UInt32(Self.symbolRow), UInt32(Self.pairRow), UInt32(Self.skipRow), UInt32(Self.contextCount)] else {
            throw fail("has a feature schema this Tifa does not know (\(schema)); retrain with `tifa train`")
        }
        info = TrainingInfo(epochs: Int(try reader.u32(fail)), seed: try reader.u64(fail),
                            minimumPairCount: Int(try reader.u32(fail)), maximumPairRows: Int(try reader.u32(fail)), sentences: Int(try reader.u32(fail)),
                            atoms: Int(try reader.u32(fail)))
        var t: [Int64] = []
        for _ in 0..<20 { t.append(Int64(try reader.i16(fail))) }
        transitions = t
        let contextWeights = try reader.i16s(Self.contextCount * 4, fail)
        let symbolCount = Int(try reader.u32(fail))
        guard symbolCount < 0x10000 else { throw fail("has \(symbolCount) symbol rows (at most 65,535)") }
        let symbolIDs = try reader.u16s(symbolCount, fail)
        let symbolWeights = try reader.i16s(symbolCount * Self.symbolRow, fail)
        func readPairs(width: Int) throws -> (keys: [UInt32], weights: [Int16]) {
            let count = Int(try reader.u32(fail))
            guard count < 1 << 26 else { throw fail("has an implausible pair count \(count)") }
            let keys = try reader.u32s(count, fail)
            let weights = try reader.i16s(count * width, fail)
            for i in keys.indices where keys[i] == 0 || (i > 0 && keys[i - 1] >= keys[i]) {
                throw fail("has pair keys that are not sorted and unique")
            }
            return (keys, weights)
        }
        let pairSection = try readPairs(width: Self.pairRow)
        let skipSection = try readPairs(width: Self.skipRow)
        guard reader.offset == data.count - 8 else { throw fail("has \(data.count - 8 - reader.offset) unexpected bytes before its checksum") }

        // Symbol rows are numbered from 1 in the file's order; pairs are rekeyed by them.
        var rowOfSymbol = [UInt16](repeating: 0, count: 0x10000)
        for (i, id) in symbolIDs.enumerated() {
            guard rowOfSymbol[Int(id)] == 0 else { throw fail("has symbol ids that are not unique") }
            rowOfSymbol[Int(id)] = UInt16(i + 1)
        }
        func rekeyed(_ keys: [UInt32]) throws -> [UInt32] {
            try keys.map { key in
                let a = rowOfSymbol[Int(key >> 16)], b = rowOfSymbol[Int(key & 0xFFFF)]
                guard a != 0 && b != 0 else { throw fail("has a pair of symbols without symbol rows") }
                return Self.pairKey(a, b)
            }
        }
        let pairKeys = try rekeyed(pairSection.keys), skipKeys = try rekeyed(skipSection.keys)

        // Everything read and checked: build the tables.
        let context = UnsafeMutablePointer<Int16>.allocate(capacity: Self.contextCount * 4)
        contextWeights.withUnsafeBufferPointer { context.initialize(from: $0.baseAddress!, count: $0.count) }
        self.context = context
        let symbolIndex = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x10000)
        rowOfSymbol.withUnsafeBufferPointer { symbolIndex.initialize(from: $0.baseAddress!, count: 0x10000) }
        self.symbolIndex = symbolIndex
        let symbols = UnsafeMutableRawPointer.allocate(byteCount: (symbolCount + 1) * Self.symbolRow * 2, alignment: 64)
            .bindMemory(to: Int16.self, capacity: (symbolCount + 1) * Self.symbolRow)
        symbols.initialize(repeating: 0, count: Self.symbolRow)
        symbolWeights.withUnsafeBufferPointer { (symbols + Self.symbolRow).initialize(from: $0.baseAddress!, count: $0.count) }
        self.symbols = symbols
        pairs = PairTable(keys: pairKeys, weights: pairSection.weights, width: Self.pairRow)
        skips = PairTable(keys: skipKeys, weights: skipSection.weights, width: Self.skipRow)
        featureCount = symbolCount * Self.symbolRow + pairs.count * Self.pairRow + skips.count * Self.skipRow + Self.contextCount * 4
        self.url = url
    }

    /// A fast checksum (64-bit multiply–xor over 8-byte words), enough to catch truncation and
    /// damage; not cryptographic.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h
    }

    // MARK: Decoding

    /// Tags the atoms of each window (`windows[2w] ..< windows[2w + 1]`) of the `m` atoms of
    /// `input` into `tags` (B M E S), keeping the fixed atoms' tags; windows start and end on
    /// word boundaries. `scores` holds at least 4 × m entries of work space, `back` at least m.
    ///
    /// Memory first: every table slot and row the windows will read is requested before the
    /// first is read, so the cache misses of the whole stretch overlap instead of following one
    /// another (measured: the misses, not the arithmetic, are the model's cost).
    func decode(_ input: ModelInput, count m: Int, windows: UnsafePointer<Int32>, windowCount: Int,
                scores: UnsafeMutablePointer<Int64>, back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        let sym = input.symbols, row = input.symbolRows  // padded: atom i is at slot i + 2
        let symbolIndex = self.symbolIndex
        for w in 0..<windowCount {
            let a = Int(windows[2 * w]), b = Int(windows[2 * w + 1])
            for slot in a..<(b + 4) {
                let r = symbolIndex[Int(sym[slot])]
                row[slot] = r
                let p = symbols + Int(r) * Self.symbolRow
                tifa_prefetch(p); tifa_prefetch(p + (Self.symbolRow - 1))
            }
            for slot in a..<(b + 3) { pairs.prefetch(Self.pairKey(row[slot], row[slot + 1])) }
            for i in a..<b { skips.prefetch(Self.pairKey(row[i + 1], row[i + 3])) }
        }
        // Each pair looked up once: it serves 4 atoms. Its row is requested for the scoring.
        for w in 0..<windowCount {
            let a = Int(windows[2 * w]), b = Int(windows[2 * w + 1])
            for slot in a..<(b + 3) {
                let p = pairs.row(Self.pairKey(row[slot], row[slot + 1]))
                input.pairRows[slot] = p
                tifa_prefetch(p)
            }
            for i in a..<b {
                let p = skips.row(Self.pairKey(row[i + 1], row[i + 3]))
                input.skipRows[i] = p
                tifa_prefetch(p)
            }
        }
        for w in 0..<windowCount {
            decode(input, count: m, window: Int(windows[2 * w])..<Int(windows[2 * w + 1]), scores: scores, back: back, tags: tags)
        }
    }

    /// Scores one window whose pair rows are resolved, and runs Viterbi over it.
    private func decode(_ input: ModelInput, count m: Int, window: Range<Int>, scores: UnsafeMutablePointer<Int64>, back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        let sym = input.symbolRows
        let symbols = self.symbols
        let context = self.context
        let pairRows = input.pairRows, skipRows = input.skipRows
        let first = window.lowerBound
        for i in window {
            var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
            @inline(__always) func add(_ w: UnsafeMutablePointer<Int16>) {
                s0 &+= Int32(w[0]); s1 &+= Int32(w[1]); s2 &+= Int32(w[2]); s3 &+= Int32(w[3])
            }
            let c = sym + i + 2
            // Symbols at i-2 … i+2: position d's weights are at (d + 2) × 4 of that symbol's row.
            add(symbols + Int(c[-2]) * Self.symbolRow)
            add(symbols + Int(c[-1]) * Self.symbolRow + 4)
            let row0 = symbols + Int(c[0]) * Self.symbolRow
            add(row0 + 8)
            add(symbols + Int(c[1]) * Self.symbolRow + 12)
            add(symbols + Int(c[2]) * Self.symbolRow + 16)
            add(row0 + 20 + Int(input.latticeTag[i]) * 4)
            // Adjacent pairs (i-2,i-1) (i-1,i) (i,i+1) (i+1,i+2) start at slots i … i+3.
            add(pairRows[i]); add(pairRows[i + 1] + 4); add(pairRows[i + 2] + 8); add(pairRows[i + 3] + 12)
            add(skipRows[i])
            let ctx = Self.contextRows(input, i, m)
            add(context + ctx.0 * 4); add(context + ctx.1 * 4); add(context + ctx.2 * 4)
            add(context + ctx.3 * 4); add(context + ctx.4 * 4)
            let o = 4 * (i - first)
            scores[o] = Int64(s0); scores[o + 1] = Int64(s1); scores[o + 2] = Int64(s2); scores[o + 3] = Int64(s3)
        }
        transitions.withUnsafeBufferPointer { t in
            Self.viterbi(window.count, scores: scores, transitions: t.baseAddress!, fixed: input.fixed + first, impossible: Int64.min / 4, back: back, tags: tags + first)
        }
    }

    /// The 5 lattice-context rows of atom i (indices into the context table).
    @inline(__always)
    static func contextRows(_ input: ModelInput, _ i: Int, _ m: Int) -> (Int, Int, Int, Int, Int) {
        let tag = input.latticeTag
        let before = i > 0 ? Int(tag[i - 1]) : 4
        let after = i + 1 < m ? Int(tag[i + 1]) : 4
        let t = Int(tag[i])
        let tags = (before * 5 + t) * 5 + after
        let rule = contextRule + (Int(input.ruleClass[i]) * 4 + t) * 4 + min(Int(input.tokenLength[i]), 4) - 1
        let start = Int(input.startLength[i]), end = Int(input.endLength[i])
        let lengths = contextLengths + start * lengthValues + end
        let endBefore = i > 0 ? Int(input.endLength[i - 1]) : 0
        let startAfter = i + 1 < m ? Int(input.startLength[i + 1]) : 0
        return (tags, rule, lengths, contextBefore + endBefore * lengthValues + start, contextAfter + end * lengthValues + startAfter)
    }

    /// First-order Viterbi over the legal tag sequences (B/M → M/E, E/S → B/S; start B/S, end
    /// E/S), with fixed atoms restricted to their tag.
    static func viterbi<S: Comparable & AdditiveArithmetic>(_ m: Int, scores: UnsafePointer<S>, transitions t: UnsafePointer<S>,
                                                           fixed: UnsafePointer<UInt8>, impossible: S,
                                                           back: UnsafeMutablePointer<UInt8>, tags: UnsafeMutablePointer<UInt8>) {
        guard m > 0 else { return }
        @inline(__always) func allowed(_ i: Int, _ tag: UInt8) -> Bool { fixed[i] == free || fixed[i] == tag }
        @inline(__always) func plus(_ a: S, _ b: S) -> S { a == impossible ? impossible : a + b }
        // t[from * 4 + to]; t[16 + tag] for the first atom.
        var b = allowed(0, tagB) ? t[16] + scores[0] : impossible
        var mm = impossible
        var e = impossible
        var s = allowed(0, tagS) ? t[19] + scores[3] : impossible
        var i = 1
        while i < m {
            let x = scores + 4 * i
            // Into B or S: from E or S. Into M or E: from B or M.
            let bFromE = plus(e, t[2 * 4 + 0]), bFromS = plus(s, t[3 * 4 + 0])
            let sFromE = plus(e, t[2 * 4 + 3]), sFromS = plus(s, t[3 * 4 + 3])
            let mFromB = plus(b, t[0 * 4 + 1]), mFromM = plus(mm, t[1 * 4 + 1])
            let eFromB = plus(b, t[0 * 4 + 2]), eFromM = plus(mm, t[1 * 4 + 2])
            let nb: S, nm: S, ne: S, ns: S
            var bk: UInt8 = 0
            if bFromS > bFromE { nb = bFromS; bk |= 1 } else { nb = bFromE }
            if mFromM > mFromB { nm = mFromM; bk |= 2 } else { nm = mFromB }
            if eFromM > eFromB { ne = eFromM; bk |= 4 } else { ne = eFromB }
            if sFromS > sFromE { ns = sFromS; bk |= 8 } else { ns = sFromE }
            back[i] = bk
            b = allowed(i, tagB) ? plus(nb, x[0]) : impossible
            mm = allowed(i, tagM) ? plus(nm, x[1]) : impossible
            e = allowed(i, tagE) ? plus(ne, x[2]) : impossible
            s = allowed(i, tagS) ? plus(ns, x[3]) : impossible
            i += 1
        }
        // The last atom ends a word.
        var tag: UInt8 = s >= e ? tagS : tagE
        i = m - 1
        while true {
            tags[i] = tag
            if i == 0 { break }
            let bk = back[i]
            tag = switch tag {
            case tagB: bk & 1 != 0 ? tagS : tagE
            case tagM: bk & 2 != 0 ? tagM : tagB
            case tagE: bk & 4 != 0 ? tagM : tagB
            default: bk & 8 != 0 ? tagS : tagE
            }
            i -= 1
        }
    }
}

/// One stretch as the model sees it, filled by the lattice: per atom its symbol (padded by two
/// on each side), the lattice's tag, the rule and length (in atoms) of its lattice token, the
/// longest lexicon words starting and ending at it, and its fixed tag (`SegmentationModel.free`
/// when the model chooses).
struct ModelInput {
    let symbols: UnsafeMutablePointer<UInt16>
    /// Work space of `SegmentationModel.decode`: each slot's row in the model's symbol table.
    let symbolRows: UnsafeMutablePointer<UInt16>
    let latticeTag: UnsafeMutablePointer<UInt8>
    let ruleClass: UnsafeMutablePointer<UInt8>
    let tokenLength: UnsafeMutablePointer<UInt8>
    let startLength: UnsafeMutablePointer<UInt8>
    let endLength: UnsafeMutablePointer<UInt8>
    let fixed: UnsafeMutablePointer<UInt8>
    /// Work space of `SegmentationModel.decode`: the weight row of each slot's adjacent pair
    /// (slot, slot + 1), and of each atom's pair (i-1, i+1).
    let pairRows: UnsafeMutablePointer<UnsafeMutablePointer<Int16>>
    let skipRows: UnsafeMutablePointer<UnsafeMutablePointer<Int16>>

    init(capacity: Int) {
        symbols = .allocate(capacity: capacity + 4)
        symbolRows = .allocate(capacity: capacity + 4)
        latticeTag = .allocate(capacity: capacity)
        ruleClass = .allocate(capacity: capacity)
        tokenLength = .allocate(capacity: capacity)
        startLength = .allocate(capacity: capacity)
        endLength = .allocate(capacity: capacity)
        fixed = .allocate(capacity: capacity)
        pairRows = .allocate(capacity: capacity + 4)
        skipRows = .allocate(capacity: capacity)
    }

    func deallocate() {
        symbols.deallocate(); symbolRows.deallocate(); latticeTag.deallocate(); ruleClass.deallocate(); tokenLength.deallocate()
        startLength.deallocate(); endLength.deallocate(); fixed.deallocate()
        pairRows.deallocate(); skipRows.deallocate()
    }
}

/// Little-endian reads from a model file, each failing with "truncated" past the end.
struct ModelFileReader {
    let data: Data
    var offset = 0

    mutating func take(_ n: Int, _ fail: (String) -> DataFileError) throws -> Int {
        guard n >= 0, offset + n <= data.count - 8 else { throw fail("is truncated (at byte \(offset))") }
        defer { offset += n }
        return offset
    }

    mutating func u32(_ fail: (String) -> DataFileError) throws -> UInt32 {
        let at = try take(4, fail)
        return UInt32(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) })
    }

    mutating func u64(_ fail: (String) -> DataFileError) throws -> UInt64 {
        let at = try take(8, fail)
        return UInt64(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) })
    }

    mutating func i16(_ fail: (String) -> DataFileError) throws -> Int16 {
        let at = try take(2, fail)
        return Int16(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: Int16.self) })
    }

    mutating func array<T: FixedWidthInteger>(_ count: Int, _ fail: (String) -> DataFileError) throws -> [T] {
        let at = try take(count * MemoryLayout<T>.size, fail)
        return data.withUnsafeBytes { raw in
            (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: at + $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    mutating func i16s(_ count: Int, _ fail: (String) -> DataFileError) throws -> [Int16] { try array(count, fail) }
    mutating func u16s(_ count: Int, _ fail: (String) -> DataFileError) throws -> [UInt16] { try array(count, fail) }
    mutating func u32s(_ count: Int, _ fail: (String) -> DataFileError) throws -> [UInt32] { try array(count, fail) }
}

/// Little-endian writes for a model file.
struct ModelFileWriter {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append<T: FixedWidthInteger>(contentsOf values: [T]) {
        bytes.reserveCapacity(bytes.count + values.count * MemoryLayout<T>.size)
        for v in values { append(v) }
    }

    /// The bytes with their checksum appended.
    func finished() -> [UInt8] {
        var out = bytes
        let sum = bytes.withUnsafeBytes { SegmentationModel.checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { out.append(contentsOf: $0) }
        return out
    }
}
