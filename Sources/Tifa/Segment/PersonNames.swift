import Foundation

/// Person names the segmenter keeps whole against its model (`person_names.txt`: 邓小平, not
/// 邓 小平). The model learned the PKU standard, which splits surname and given name, but it
/// re-cuts only the tokens next to a single character, so the same name came out whole after
/// 提议 and split after 在; every other standard, jieba and anyone counting names write it whole.
/// Where the lattice's token is one of these names, `Lattice.emitModelTokens` keeps it.
struct PersonNames: Sendable {
    /// A bit per character of the Basic Multilingual Plane that starts a name: most tokens are
    /// rejected by one load from this 8 KB table.
    private let firstCharacters: [UInt64]
    /// Each name's characters packed 16 bits each (2–4 BMP characters, none of them 0).
    private let names: Set<UInt64>

    static let none = PersonNames(firstCharacters: [UInt64](repeating: 0, count: 1024), names: [])

    private init(firstCharacters: [UInt64], names: Set<UInt64>) {
        self.firstCharacters = firstCharacters
        self.names = names
    }

    /// Reads a file of one name per line. Throws `DataFileError` with file and line for a line
    /// that is not 2–4 characters of the Basic Multilingual Plane.
    init(url: URL) throws {
        var first = [UInt64](repeating: 0, count: 1024)
        var names = Set<UInt64>()
        try DataFiles.forEachDataLine(in: url) { line, _ in
            let scalars = Array(line.unicodeScalars)
            guard (2...4).contains(scalars.count), scalars.allSatisfy({ $0.value < 0x10000 && $0.value > 0x20 }) else {
                throw DataFileError(message: "a name is 2–4 characters of the Basic Multilingual Plane, no spaces")
            }
            names.insert(Self.key(scalars.lazy.map(\.value)))
            let v = Int(scalars[0].value)
            first[v >> 6] |= 1 << UInt64(v & 63)
        }
        self.init(firstCharacters: first, names: names)
    }

    var count: Int { names.count }

    @inline(__always) func mayStart(_ v: UInt32) -> Bool {
        v < 0x10000 && firstCharacters[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0
    }

    /// Whether `characters` (BMP scalar values, 2–4 of them) are a name of the list.
    @inline(__always) func contains<C: Collection>(_ characters: C) -> Bool where C.Element == UInt32 {
        names.contains(Self.key(characters))
    }

    private static func key<C: Sequence>(_ characters: C) -> UInt64 where C.Element == UInt32 {
        characters.reduce(0) { $0 << 16 | UInt64($1 & 0xFFFF) }
    }
}
