import Foundation

/// One document of a corpus: its decoded original text and what is known about it.
///
/// `text` is the original that all offsets refer to (0-based code points): the decoded file
/// (BOM removed), the JSONL record's text field, or — for HTML — the text left after tags,
/// scripts and styles are stripped and entities decoded.
public struct Document: Sendable {
    /// A stable identifier: the JSONL id field, or the file's path relative to the input folder.
    public var id: String
    /// Where it came from: a path, `path:line` for a JSONL record, or `<stdin>`.
    public var source: String
    /// Metadata fields (from JSONL `--meta` fields or `--meta-from-path` named groups).
    public var metadata: [String: String]
    public var text: String
    /// The detected or forced encoding of the file (JSON Lines records too).
    public var encoding: TextEncoding
    /// Invalid byte sequences replaced by U+FFFD while decoding.
    public var replacements: Int
    /// Size of the raw input in bytes; for a JSON Lines record of a file in another encoding
    /// than UTF-8 (decoded as it streams), the size of the record line in UTF-8.
    public var byteCount: Int
    /// SHA-256 (hex) of the raw bytes of the file; for a JSON Lines record, of the whole record
    /// line (so a change of its metadata fields counts as a change too; in UTF-8 when the file
    /// was in another encoding). Without one given, of
    /// the text in UTF-8.
    public var checksum: String

    public init(id: String, source: String, metadata: [String: String] = [:], text: String,
                encoding: TextEncoding = .utf8, replacements: Int = 0, byteCount: Int? = nil, checksum: String? = nil) {
        self.id = id
        self.source = source
        self.metadata = metadata
        self.text = text
        self.encoding = encoding
        self.replacements = replacements
        self.byteCount = byteCount ?? text.utf8.count
        self.checksum = checksum ?? SHA256.hex(Array(text.utf8))
    }

    /// The year the document belongs to: its `year` metadata field when that is a year (one to
    /// four ASCII digits, surrounding spaces allowed) or holds one (the first four-digit year
    /// 1900–2099 in it: 2019年, FY2019), else the first such year in a `date` metadata field.
    /// (`Int` alone took +0004000000000000184 for a year.)
    public var year: Int? { Self.year(in: metadata) }

    /// `year` of a document with these metadata.
    static func year(in metadata: [String: String]) -> Int? {
        if let field = metadata["year"]?.trimmingCharacters(in: .whitespaces) {
            if (1...4).contains(field.utf8.count), field.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { return Int(field) }
            if let y = Self.firstYear(in: field) { return y }
        }
        if let date = metadata["date"], let y = Self.firstYear(in: date) { return y }
        return nil
    }

    static func firstYear(in s: String) -> Int? {
        let digits = Array(s.unicodeScalars)
        var i = 0
        while i + 4 <= digits.count {
            let window = digits[i..<i + 4]
            if window.allSatisfy({ $0.properties.numericType == .decimal && $0.isASCII }),
               let y = Int(String(String.UnicodeScalarView(window))), (1900...2099).contains(y) {
                let before = i == 0 || !(digits[i - 1].isASCII && digits[i - 1].properties.numericType == .decimal)
                let after = i + 4 == digits.count || !(digits[i + 4].isASCII && digits[i + 4].properties.numericType == .decimal)
                if before && after { return y }
            }
            i += 1
        }
        return nil
    }
}

/// A failure of the whole corpus job, before any document is read: the input list or the
/// options are wrong. (A single document that cannot be used is a `CorpusSkip` instead.)
public enum CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An input path that does not exist.
    case missingInput(String)
    /// `--meta-from-path` is not a valid regular expression.
    case invalidPathPattern(String)

    public var description: String {
        switch self {
        case .missingInput(let path): "\(path): no such file or directory"
        case .invalidPathPattern(let pattern): "--meta-from-path: invalid regular expression \(pattern)"
        }
    }
}

/// A document the reader could not use, and why. Reported and skipped; the rest goes on.
public struct CorpusSkip: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
    public var description: String { "\(source): \(reason)" }
}

public enum CorpusItem: Sendable {
    case document(Document)
    case skipped(CorpusSkip)
}

/// A file that belongs to a corpus, as listed without reading it.
public struct CorpusFile: Sendable, Hashable {
    public var path: String
    /// The path relative to the folder it was found in (the file's document id).
    public var relativePath: String
    public var size: Int
    public var modified: Date
    public var kind: Kind

    public enum Kind: String, Sendable { case text, html, jsonl, stdin }

    /// Whether `path` is what `URL(fileURLWithPath:).standardizedFileURL.path` makes of it:
    /// absolute, with no empty, `.` or `..` component and no trailing slash. Checking is cheap;
    /// the URL asks the file system whether the path is a folder.
    public static func isStandardAbsolutePath(_ path: String) -> Bool {
        var utf8 = path.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "/") else { return false }
        // The bytes of the current component so far: 0, 1 or 2 dots, or 3 for anything else.
        var dots = 0, length = 0
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "/") {
                if length == 0 || (dots == length && length <= 2) { return false }
                dots = 0; length = 0
            } else {
                if byte == UInt8(ascii: ".") { dots += 1 }
                length += 1
            }
        }
        return path == "/" || !(length == 0 || (dots == length && length <= 2))
    }
}
