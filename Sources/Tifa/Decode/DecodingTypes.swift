/// The values `TextDecoder` takes and gives: its options, its chunks of text, its report and
/// its errors.

/// A piece of a decoded document: `scalars` start at scalar offset `startOffset` of the document.
public struct TextChunk: Sendable {
    public var scalars: [Unicode.Scalar]
    public var startOffset: Int
}

public struct DecodingOptions: Sendable {
    /// What becomes of an invalid or unmappable byte sequence.
    public enum InvalidBytes: Sendable {
        /// U+FFFD in its place, counted in `DecodingReport` (never silently).
        case replace
        /// Decoding stops with `TextDecodingError.invalidBytes` (the CLI's `--strict`).
        case fail
    }

    /// Forces an encoding instead of detecting it.
    public var encoding: TextEncoding?
    public var invalidBytes: InvalidBytes

    public init(encoding: TextEncoding? = nil, invalidBytes: InvalidBytes = .replace) {
        self.encoding = encoding
        self.invalidBytes = invalidBytes
    }
}

/// What decoding found: the encoding and how many byte sequences were replaced.
public struct DecodingReport: Sendable, Equatable {
    public var encoding: TextEncoding = .utf8
    public var byteOrderMark = false
    /// Invalid or unmappable byte sequences replaced by U+FFFD.
    public var replacements = 0
    /// The byte offset (0-based, from the start of the file) of the first of them.
    public var firstInvalidByteOffset: Int?
}

public enum TextDecodingError: Error, CustomStringConvertible, Sendable {
    case binary(file: String, byteOffset: Int)
    case invalidBytes(file: String, encoding: String, count: Int, firstByteOffset: Int)
    case unknownEncoding(file: String, encoding: String)
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .binary(file, offset):
            return "\(file): binary data (NUL byte at byte offset \(offset)), not text; if it is UTF-16 without a byte-order mark, give --encoding utf-16le or --encoding utf-16be"
        case let .invalidBytes(file, encoding, _, offset):
            return "\(file): invalid \(encoding) byte sequence at byte offset \(offset)"
        case let .unknownEncoding(file, encoding):
            return "\(file): cannot decode as \(encoding) (unknown or unsupported encoding)"
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        }
    }
}
