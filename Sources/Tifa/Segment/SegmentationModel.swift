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
/// ## Layout (for speed: one lookup per symbol, one probe per pair, small tables)
/// Weights are 16-bit integers (quantized after training). The rows of all 5 positions of a
/// symbol and its 4 lattice tags sit together in one 72-byte row, one row per symbol the model
/// knows (`symbolIndex` maps a symbol of the Basic Multilingual Plane to its row); pairs are in
/// bucketed hash tables keyed by the two symbols' rows (`PairTable`, one cache line of keys per
/// lookup, no branch), whose row holds the 4 positions of an adjacent pair. Decoding is in `SegmentationModel+Decode.swift`, files in `+File.swift`.
///
/// Thread-safe: immutable after loading.
public final class SegmentationModel: @unchecked Sendable {
    // MARK: Schema

    static let magic = Array("TIFASEGM".utf8)
    /// Version 2 records the number of trainings averaged (`TrainingInfo.runs`), version 3 the
    /// kept words (`keptWords`); version 1 and 2 files are still read (no kept words).
    static let formatVersion: UInt32 = 3
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
        /// Trainings whose weights were averaged (seeds `seed`, `seed + 1`, …); 1 in a version 1 file.
        public var runs: Int
        public var minimumPairCount: Int
        public var maximumPairRows: Int
        public var sentences: Int
        public var atoms: Int
    }

    public let info: TrainingInfo
    /// Holds the tables below, freed with the model.
    private let storage: BufferArena
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
    /// What the model, run over its training text, nearly always left as the lattice had it
    /// where it stood in a window (`SegmentationTrainer.Options`: seen there 10+ times, changed
    /// in at most 10 %): lexicon words of 2+ characters it kept whole, and single characters it
    /// kept alone; sorted. A kept word is left out of the windows unless a window token the
    /// model may join with it (one that is neither a kept word nor a kept character) stands next
    /// to it: less to decode, the same tokens wherever the model keeps it (DESIGN.md §4a).
    public let keptWords: [String]
    /// Where the file's kept words start (its weights and header before), for
    /// `SegmentationTrainer.replacingKeptWords`.
    let keptWordsOffset: Int

    /// A hash table from a packed pair of symbol rows to its row of weights, looked up without
    /// a branch: a key hashes to a bucket of 16 four-byte keys (one cache line), compared at
    /// once; the rows of a bucket's keys are consecutive, from the bucket's first row, and row 0
    /// is all zeros (an unknown pair), so a lookup is one line of keys, one entry of a small
    /// table of first rows and one row, whatever the answer; the rows stay dense (one per pair).
    ///
    /// Measured (DESIGN.md §4a): the earlier linear-probing table (8-byte slots of key and row
    /// number) lost more to its probe loop's mispredicted branches — present or absent, one
    /// probe or more — than to its cache misses. A bucket never overflows: the table picks
    /// the first hash seed (0, 1, …) that leaves every bucket with at most 16 keys, doubling
    /// the buckets after a few failures, so the layout depends only on the keys.
    struct PairTable {
        /// 16 keys a bucket; 0 for an empty slot (keys are never 0: symbol rows start at 1).
        let slots: UnsafeMutablePointer<UInt32>
        /// Rows of `width` weights; row 0 is zeros.
        let rows: UnsafeMutablePointer<Int16>
        /// The row of each bucket's first key; its key in slot i has row `firstRow[b] + i`.
        let firstRow: UnsafeMutablePointer<Int32>
        let bucketMask: Int
        let seed: UInt64
        let width: Int
        let count: Int
        static let bucketSize = 16

        /// `keys[i]`'s weights are `weights[i * width ..< (i + 1) * width]`.
        init(keys: [UInt32], weights source: [Int16], width: Int, in storage: BufferArena) {
            count = keys.count
            self.width = width
            // At most 4 keys a bucket on average: an overflow is rare, and a new seed fixes it.
            var buckets = 16
            while buckets * 4 < count { buckets <<= 1 }
            var seed: UInt64 = 0
            var fill = [UInt8](repeating: 0, count: buckets)
            while true {
                var overflow = false
                for key in keys {
                    let b = Self.bucket(key, seed, buckets - 1)
                    fill[b] += 1
                    if Int(fill[b]) > Self.bucketSize { overflow = true; break }
                }
                if !overflow { break }
                seed += 1
                if seed % 4 == 0 { buckets <<= 1 }
                fill = [UInt8](repeating: 0, count: buckets)
            }
            bucketMask = buckets - 1
            self.seed = seed
            slots = storage.allocate(repeating: 0, count: buckets * Self.bucketSize)
            firstRow = storage.allocate(count: buckets)
            var next: Int32 = 1
            for b in 0..<buckets {
                firstRow[b] = next
                next += Int32(fill[b])
            }
            rows = storage.allocate(repeating: 0, count: (count + 1) * width)
            source.withUnsafeBufferPointer { source in
                for (i, key) in keys.enumerated() {
                    let b = Self.bucket(key, seed, bucketMask)
                    var s = 0
                    while slots[b * Self.bucketSize + s] != 0 { s += 1 }
                    slots[b * Self.bucketSize + s] = key
                    (rows + (Int(firstRow[b]) + s) * width).update(from: source.baseAddress! + i * width, count: width)
                }
            }
        }

        @inline(__always) static func bucket(_ key: UInt32, _ seed: UInt64, _ mask: Int) -> Int {
            Int(truncatingIfNeeded: ((UInt64(key) ^ seed &* 0xD6E8_FEB8_6659_FD93) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        }

        @inline(__always) func prefetch(_ key: UInt32) {
            tifa_prefetch(slots + Self.bucket(key, seed, bucketMask) &* Self.bucketSize)
        }

        /// The weights for `key` (zeros when absent).
        @inline(__always) func row(_ key: UInt32) -> UnsafeMutablePointer<Int16> {
            let b = Self.bucket(key, seed, bucketMask)
            let row = Int(truncatingIfNeeded: tifa_bucket_row(slots + b &* Self.bucketSize, key, firstRow[b]))
            return rows + row &* width
        }
    }

    /// The key of a pair of symbols (in the trainer) or of symbol rows (in the model's tables).
    @inline(__always) static func pairKey(_ a: UInt16, _ b: UInt16) -> UInt32 { UInt32(a) << 16 | UInt32(b) }

    init(data: Data, url: URL?) throws {
        let name = url?.path ?? "segmentation model"
        func fail(_ message: String) -> DataFileError { DataFileError(file: name, line: nil, message: message) }
        var reader = ModelFileReader(data: data)
        guard data.count >= 16, Array(data.prefix(8)) == Self.magic else {
            throw fail("is not a Tifa segmentation model (bad magic; expected a file written by `tifa train`)")
        }
        reader.offset = 8
        let version = try reader.u32(fail)
        guard version >= 1 && version <= Self.formatVersion else {
            throw fail("has model format version \(version); this Tifa reads versions 1 to \(Self.formatVersion) (retrain with `tifa train`)")
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
        let epochs = Int(try reader.u32(fail)), seed = try reader.u64(fail)
        let runs = version >= 2 ? Int(try reader.u32(fail)) : 1
        info = TrainingInfo(epochs: epochs, seed: seed, runs: runs,
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
        keptWordsOffset = reader.offset
        if version >= 3 {
            let length = Int(try reader.u32(fail))
            let at = try reader.take(length, fail)
            guard let text = String(validating: data[(data.startIndex + at)..<(data.startIndex + at + length)], as: UTF8.self) else {
                throw fail("has kept words that are not UTF-8")
            }
            keptWords = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, word) in keptWords.enumerated() where word.isEmpty || (i > 0 && keptWords[i - 1] >= word) {
                throw fail("has kept words that are not sorted, unique and non-empty (`\(word)`)")
            }
        } else {
            keptWords = []
        }
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
        let storage = BufferArena()
        self.storage = storage
        context = storage.allocate(count: Self.contextCount * 4)
        context.initialize(from: contextWeights, count: contextWeights.count)
        symbolIndex = storage.allocate(count: 0x10000)
        symbolIndex.initialize(from: rowOfSymbol, count: 0x10000)
        symbols = storage.allocate(count: (symbolCount + 1) * Self.symbolRow)
        symbols.initialize(repeating: 0, count: Self.symbolRow)
        (symbols + Self.symbolRow).initialize(from: symbolWeights, count: symbolWeights.count)
        pairs = PairTable(keys: pairKeys, weights: pairSection.weights, width: Self.pairRow, in: storage)
        skips = PairTable(keys: skipKeys, weights: skipSection.weights, width: Self.skipRow, in: storage)
        featureCount = symbolCount * Self.symbolRow + pairs.count * Self.pairRow + skips.count * Self.skipRow + Self.contextCount * 4
        self.url = url
    }
}
