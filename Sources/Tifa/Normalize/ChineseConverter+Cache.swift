import Foundation

/// ICU's part of the traditional → simplified table, kept on disk between runs beside the
/// compiled lexicons (`LexiconCache.directory`): opening ICU's `Traditional-Simplified`
/// transliterator compiles its rules, and with the characters it may change transliterated it
/// was about 10 ms of every process that normalizes (a sixtieth of indexing 10 MB on one core).
///
/// The file holds the pairs ICU changes (a few thousand, 8 bytes each) under a key of this
/// format and the running executable with ICU's version (`LexiconCache.executableIdentity`): an
/// ICU or a Tifa that could derive another table never reads it, and only the few most recently
/// used files are kept (`LexiconCache.keptFiles`). A missing, short or damaged
/// file (checksum) is derived again and replaced; every failure to read or write falls back to
/// ICU, so the cache changes how fast a converter is built, never what it converts.
extension ChineseConverter {
    static let cacheMagic = Array("TIFAT2S1".utf8)

    /// The characters ICU's transliterator changes, with what it makes of them: from the cache
    /// when it has them, else from ICU (and then stored).
    static func icuPairs() throws -> [(from: UInt32, to: UInt32)] {
        guard let directory = LexiconCache.directory, let identity = LexiconCache.executableIdentity() else {
            return try deriveFromICU()
        }
        var key = LexiconCache.Key()
        key.add("t2s-icu-pairs\n\(identity)")
        let url = directory.appendingPathComponent("t2s-\(key.hex).table")
        if let pairs = loadPairs(from: url) {
            LexiconCache.markUsed(url)
            return pairs
        }
        let pairs = try deriveFromICU()
        storePairs(pairs, at: url, in: directory)
        return pairs
    }

    /// The pairs stored at `url`, or nil when there are none or the file is not intact.
    static func loadPairs(from url: URL) -> [(from: UInt32, to: UInt32)]? {
        guard let data = try? DataFiles.contents(of: url) else { return nil }
        return data.withUnsafeBytes { raw -> [(from: UInt32, to: UInt32)]? in
            let header = cacheMagic.count + 8
            guard raw.count >= header + 8, Array(raw[0..<cacheMagic.count]) == cacheMagic else { return nil }
            let count = Int(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: cacheMagic.count, as: Int64.self))
            guard count >= 0, count < 1 << 21, raw.count == header + count * 8 + 8,
                  LexiconCache.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)]))
                    == raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self) else { return nil }
            var pairs: [(from: UInt32, to: UInt32)] = []
            pairs.reserveCapacity(count)
            for i in 0..<count {
                let from = raw.loadUnaligned(fromByteOffset: header + 8 * i, as: UInt32.self)
                let to = raw.loadUnaligned(fromByteOffset: header + 8 * i + 4, as: UInt32.self)
                guard Unicode.Scalar(from) != nil, Unicode.Scalar(to) != nil else { return nil }
                pairs.append((from, to))
            }
            return pairs
        }
    }

    /// Writes `pairs` to `url` (best effort; see `LexiconCache.writeChecksummed`).
    static func storePairs(_ pairs: [(from: UInt32, to: UInt32)], at url: URL, in directory: URL) {
        var bytes = cacheMagic
        withUnsafeBytes(of: Int64(pairs.count).littleEndian) { bytes += $0 }
        for (from, to) in pairs {
            withUnsafeBytes(of: from.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: to.littleEndian) { bytes += $0 }
        }
        // One file per Tifa executable: only the newest few are kept.
        LexiconCache.writeChecksummed(&bytes, to: url, in: directory, evicting: (prefix: "t2s-", suffix: ".table"))
    }
}
