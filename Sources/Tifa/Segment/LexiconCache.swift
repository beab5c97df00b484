import Foundation

/// Compiled lexicons kept on disk between runs, so that a process does not compile the same
/// dictionaries again: `Dictionaries/` stays the documented text it is, and the trie built from
/// it (with ICU's dictionary, ~380,000 words, ~4.6 MB) is a cache of it, like jieba's
/// `jieba.cache`. Measured: compiling is most of a process' start (DESIGN.md §4b).
///
/// A cached lexicon is used only when everything it was compiled from is the same: a 128-bit
/// key over this format, the running executable (size, modification time, inode: a rebuilt
/// Tifa never reads the trie an older one laid out), ICU's version (its dictionary), the
/// normalizer's options, the segmenter's options that shape the lexicon (mode, shipped
/// dictionaries, forced phrases and where they come from) and the bytes of every data file the
/// compilation reads, user dictionaries included. A file that is short, fails its checksum or
/// belongs to another key is compiled again and replaced. Files are written under a temporary
/// name and renamed into place (several processes may start at once); the 6 most recently
/// used are kept (a file read is marked used, see `markUsed`). Every failure to read or write the cache falls back to compiling: it
/// changes how fast a process starts, never its output.
public enum LexiconCache {
    /// Where compiled lexicons are kept, or nil for none (the library's default). The `tifa`
    /// command sets it from `TIFA_CACHE_DIR` (empty: no cache), else `$XDG_CACHE_HOME/tifa`,
    /// else `~/.cache/tifa`. Set it before creating segmenters.
    nonisolated(unsafe) public static var directory: URL?

    static let magic = Array("TIFALEXC".utf8)
    /// Version 3 pads the header to 8 bytes, so that the trie is used where it lies in the mapped file.
    static let format: UInt32 = 3
    static let keptFiles = 6

    /// The directory the `tifa` command uses, from the environment (see `directory`).
    public static func directory(environment: [String: String]) -> URL? {
        if let explicit = environment["TIFA_CACHE_DIR"] {
            return explicit.isEmpty ? nil : URL(fileURLWithPath: explicit)
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("tifa")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".cache/tifa")
        }
        return nil
    }

    /// A key being computed: two 64-bit multiply–xor lanes over everything fed to it.
    struct Key {
        private var a: UInt64 = 0x243F_6A88_85A3_08D3
        private var b: UInt64 = 0x1319_8A2E_0370_7344

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            let n = bytes.count
            while i + 8 <= n {
                mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            while i < n { tail = tail << 8 | UInt64(bytes[i]); i += 1 }
            mix(tail)
            mix(UInt64(n))  // lengths separate the parts: "ab" + "c" is not "a" + "bc"
        }

        mutating func add(_ text: String) {
            var text = text
            text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        }

        mutating func add(contentsOf url: URL) throws {
            let data = try DataFiles.contents(of: url)
            data.withUnsafeBytes { add($0) }
        }

        @inline(__always) private mutating func mix(_ v: UInt64) {
            a = (a ^ v) &* 0x9E37_79B9_7F4A_7C15
            a ^= a >> 29
            b = (b ^ v ^ a) &* 0xBF58_476D_1CE4_E5B9
            b ^= b >> 31
        }

        var hex: String { String(format: "%016llx%016llx", a, b) }
        var first: UInt64 { a }
    }

    /// The key of the executable and libraries this process runs: nil when it cannot be told
    /// (then nothing is cached).
    static func executableIdentity() -> String? {
        var s = stat()
        guard stat("/proc/self/exe", &s) == 0 else { return nil }
        return "\(s.st_size) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(s.st_ino) \(ICU.version)"
    }

    static func url(_ key: String, in directory: URL) -> URL {
        directory.appendingPathComponent("lexicon-\(key).bin")
    }

    /// Bytes before the trie: magic, format, 4 bytes of padding, key, five counts.
    static let headerSize = magic.count + 8 + 32 + 5 * 8

    /// The lexicon stored under `key`, or nil when there is none or it is not intact.
    ///
    /// The file is mapped (private, copy-on-write: the segmenter marks its model's kept words
    /// in the trie) and the trie used where it lies: reading it copied 7 MB twice and faulted
    /// in as many fresh pages, ~8 ms of a process' start (DESIGN.md §4b). Cache files are only
    /// ever replaced by a rename, never rewritten in place, so the mapped file does not change
    /// under the process.
    static func load(_ key: String, from directory: URL) -> Lexicon? {
        let url = url(key, in: directory)
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= headerSize + 8 else { return nil }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        let mapping = UnsafeMutableRawBufferPointer(start: base, count: size)
        let raw = UnsafeRawBufferPointer(mapping)
        var offset = magic.count + 8 + 32
        func next() -> Int {
            defer { offset += 8 }
            return Int(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        }
        let rootEntries = 0x10000
        guard Array(raw[0..<magic.count]) == magic, raw.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self) == format,
              String(decoding: raw[(magic.count + 8)..<(magic.count + 40)], as: UTF8.self) == key,
              case let (edgeCount, rootFirst, rootCount, wordCount, maxWordLength) = (next(), next(), next(), next(), next()),
              edgeCount >= 0, edgeCount < 1 << 26, size == headerSize + (edgeCount + rootEntries) * 8 + 8,
              checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(size - 8)])) == raw.loadUnaligned(fromByteOffset: size - 8, as: UInt64.self)
        else {
            munmap(base, size)
            return nil
        }
        let edges = (base + headerSize).bindMemory(to: Lexicon.Edge.self, capacity: edgeCount + rootEntries)
        markUsed(url)
        return Lexicon(edges: UnsafeMutableBufferPointer(start: edges, count: edgeCount),
                       root: UnsafeMutableBufferPointer(start: edges + edgeCount, count: rootEntries),
                       rootFirst: rootFirst, rootCount: rootCount, wordCount: wordCount, maxWordLength: maxWordLength, mapping: mapping)
    }

    /// Sets a cache file's modification time, by which eviction orders the files, to now: the
    /// files kept are then the most recently *used*, not written. By write time, the entry of
    /// the options a user builds with every day was the first to go once six others had been
    /// written (a few `--dict` iterations, a rebuilt Tifa, other users of the machine), and
    /// every process paid compiling again: 90 ms of a `tifa index build` (DESIGN §6).
    static func markUsed(_ url: URL) {
        _ = utimes(url.path, nil)
    }

    /// Stores `lexicon` under `key` (best effort: any failure leaves the cache as it was).
    static func store(_ lexicon: Lexicon, _ key: String, in directory: URL) {
        var bytes: [UInt8] = magic
        withUnsafeBytes(of: format.littleEndian) { bytes += $0 }
        bytes += [0, 0, 0, 0]
        bytes += Array(key.utf8)
        for v in [lexicon.edges.count, lexicon.rootFirst, lexicon.rootCount, lexicon.wordCount, lexicon.maxWordLength] {
            withUnsafeBytes(of: Int64(v).littleEndian) { bytes += $0 }
        }
        bytes += UnsafeRawBufferPointer(lexicon.edges)
        bytes += UnsafeRawBufferPointer(lexicon.root)
        writeChecksummed(&bytes, to: url(key, in: directory), in: directory, evicting: (prefix: "lexicon-", suffix: ".bin"))
    }

    /// Appends the checksum of `bytes` to them and writes them to `url` under a temporary name renamed into place
    /// (several processes may start at once), then deletes all but the `keptFiles` most
    /// recently written or used (`markUsed`) files of `evicting`'s name pattern. Best effort: any failure leaves the
    /// cache as it was. Shared by every file of the cache directory.
    static func writeChecksummed(_ bytes: inout [UInt8], to url: URL, in directory: URL, evicting pattern: (prefix: String, suffix: String)) {
        let sum = bytes.withUnsafeBytes { checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { bytes += $0 }
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(url.lastPathComponent)-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp")
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, url.path) != 0 { try? fm.removeItem(at: temporary) }
        } catch { return }
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return }
        let files = names.filter { $0.hasPrefix(pattern.prefix) && $0.hasSuffix(pattern.suffix) }.compactMap { name -> (String, Date)? in
            let path = directory.appendingPathComponent(name).path
            guard let date = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
            return (path, date)
        }
        guard files.count > keptFiles else { return }
        for (path, _) in files.sorted(by: { $0.1 > $1.1 }).dropFirst(keptFiles) { try? fm.removeItem(atPath: path) }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var key = Key()
        key.add(bytes)
        return key.first
    }
}
