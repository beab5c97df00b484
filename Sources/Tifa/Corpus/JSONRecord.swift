/// The top-level fields of one JSON Lines record, parsed straight from the line's bytes.
///
/// Why not `JSONSerialization`: a record's text can be 50 MB, and Foundation copies the line into
/// `Data`, builds the whole object graph and bridges every string, so one record held several
/// times its size (340 MB for 50 MB). Here strings are decoded once into Swift strings, nested
/// arrays and objects are validated and skipped (no field of a record uses them), and nothing
/// else is allocated. The grammar is RFC 8259's, UTF-8 only: anything else is not a JSON object.
public enum JSONRecord {
    public enum Value: Equatable, Sendable {
        case string(String)
        /// A number as written in the record (2014, 3.5, 1e3).
        case number(String)
        case bool(Bool)
        case null
        /// An array or object, validated but not kept.
        case nested

        /// The field as metadata or an id: strings, numbers as written, true/false; nil otherwise.
        public var scalarText: String? {
            switch self {
            case .string(let s), .number(let s): return s
            case .bool(let b): return b ? "true" : "false"
            case .null, .nested: return nil
            }
        }
    }

    public struct SyntaxError: Error, Equatable {
        public var offset: Int
    }

    /// Why `line` is not a record, for a skip message: not an object at all, or where the JSON
    /// stops (as a 1-based character column, with what stands there), so a user can find it.
    public static func describe(_ error: SyntaxError?, in line: UnsafeBufferPointer<UInt8>) -> String {
        guard let first = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }), line[first] == UInt8(ascii: "{") else {
            return "not a JSON object (a JSON Lines record is one object on one line)"
        }
        // Columns count characters (a UTF-8 lead byte or an invalid byte each starts one).
        func column(_ offset: Int) -> Int { line[..<offset].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } }
        // Bytes that are not UTF-8 stop the scanner at the end of their string: name them instead.
        if let bad = UTF8Validator.invalidSequences(in: line).first, bad <= error?.offset ?? Int.max {
            return String(format: "not UTF-8 at column \(column(bad)) (byte 0x%02X)", line[bad])
        }
        guard let offset = error?.offset else { return "not a JSON object" }
        guard offset < line.count else {
            return "not a JSON object: the line ends inside it (an unterminated string, object or array, or a record broken over two lines?)"
        }
        let column = column(offset)
        let byte = line[offset]
        let what: String
        if byte < 0x20 {
            what = byte == 0x09 ? "a tab inside a string" : String(format: "the control character U+%04X (escape it in a string)", byte)
        } else if byte < 0x80 {
            what = "«\(Character(Unicode.Scalar(byte)))»"
        } else {
            var end = offset + 1
            while end < line.count, end - offset < 4, line[end] & 0xC0 == 0x80 { end += 1 }
            let piece = String(validating: UnsafeBufferPointer(rebasing: line[offset..<end]), as: UTF8.self)
            what = piece.map { "«\($0)»" } ?? String(format: "the byte 0x%02X, not UTF-8", byte)
        }
        return "not valid JSON at column \(column): unexpected \(what)"
    }

    /// Nested arrays and objects deeper than this are refused rather than recursed into.
    static let maximumDepth = 512

    /// The record's fields (the last of repeated keys wins), or `SyntaxError` when `bytes` is
    /// not one JSON object (surrounding whitespace allowed) in valid UTF-8.
    public static func fields(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String: Value] {
        var scanner = JSONScanner(bytes)
        scanner.skipSpace()
        let fields = try scanner.fields()
        scanner.skipSpace()
        guard scanner.i == bytes.count else { throw SyntaxError(offset: scanner.i) }
        return fields
    }
}

extension JSONScanner {
    /// A top-level object's members; nested values validated, not kept.
    fileprivate mutating func fields() throws -> [String: JSONRecord.Value] {
        var fields: [String: JSONRecord.Value] = [:]
        try members { scanner, key in
            guard scanner.i < scanner.bytes.count else { throw scanner.error() }
            switch scanner.bytes[scanner.i] {
            case UInt8(ascii: "\""): fields[key] = .string(try scanner.string())
            case UInt8(ascii: "{"), UInt8(ascii: "["): try scanner.skipValue(depth: 1, maximumDepth: JSONRecord.maximumDepth); fields[key] = .nested
            case UInt8(ascii: "t"): try scanner.literal("true"); fields[key] = .bool(true)
            case UInt8(ascii: "f"): try scanner.literal("false"); fields[key] = .bool(false)
            case UInt8(ascii: "n"): try scanner.literal("null"); fields[key] = .null
            default: fields[key] = .number(try scanner.number())
            }
        }
        return fields
    }
}

/// A scanner of JSON as RFC 8259 writes it, in UTF-8, over a line's bytes: the pieces both readers
/// of JSON Lines are made of (`JSONRecord` for a corpus's records, `AnalyzedDocument.readJSON` for
/// `tifa analyze`'s). Errors give the offset where the input stopped being JSON.
package struct JSONScanner {
    package let bytes: UnsafeBufferPointer<UInt8>
    package var i = 0

    /// What a `\u` escape of a lone surrogate becomes: U+FFFD (`JSONRecord`, which never refuses a
    /// record for it), or an error (a reader that must decline what it cannot read as `JSONDecoder`
    /// would).
    package enum LoneSurrogate { case replace, reject }
    package var loneSurrogate = LoneSurrogate.replace

    package init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    package func error() -> JSONRecord.SyntaxError { JSONRecord.SyntaxError(offset: i) }

    package mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    package mutating func expect(_ byte: UInt8) throws {
        guard i < bytes.count, bytes[i] == byte else { throw error() }
        i += 1
    }

    /// Whether the next byte after whitespace is `byte`, consumed if so.
    package mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    package mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error() }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error() }
        i += n
    }

    /// An object's members, whitespace allowed around them: `member` is called with each key
    /// ("" unless `keepingKeys`), positioned at its value (after whitespace), and must read it.
    package mutating func members(keepingKeys: Bool = true, _ member: (inout JSONScanner, String) throws -> Void) throws {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipSpace()
            let key = try string(keep: keepingKeys)
            guard take(UInt8(ascii: ":")) else { throw error() }
            skipSpace()
            try member(&self, key)
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw error() }
    }

    /// An array's elements, each read by `element` (positioned at it, after whitespace).
    package mutating func elements(_ element: (inout JSONScanner) throws -> Void) throws {
        skipSpace()
        try expect(UInt8(ascii: "["))
        if take(UInt8(ascii: "]")) { return }
        repeat {
            skipSpace()
            try element(&self)
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "]")) else { throw error() }
    }

    /// Any value, validated and skipped; arrays and objects nested deeper than `maximumDepth`
    /// are refused rather than recursed into.
    package mutating func skipValue(depth: Int, maximumDepth: Int) throws {
        skipSpace()
        guard i < bytes.count else { throw error() }
        switch bytes[i] {
        case UInt8(ascii: "\""): _ = try string(keep: false)
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { throw error() }
            try members(keepingKeys: false) { scanner, _ in try scanner.skipValue(depth: depth + 1, maximumDepth: maximumDepth) }
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { throw error() }
            try elements { scanner in try scanner.skipValue(depth: depth + 1, maximumDepth: maximumDepth) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberRange()
        }
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, as written.
    package mutating func number() throws -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[try numberRange()]), as: UTF8.self)
    }

    /// Where `number()` reads, without making a string of it.
    package mutating func numberRange() throws -> Range<Int> {
        let start = i
        func digits() throws {
            let first = i
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            if i == first { throw error() }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "0") { i += 1 } else { try digits() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") { i += 1; try digits() }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            try digits()
        }
        return start..<i
    }

    /// A string; decoded when `keep` (runs without escapes are appended as they are, so a
    /// 50 MB text is built in place), validated otherwise.
    package mutating func string(keep: Bool = true) throws -> String {
        try expect(UInt8(ascii: "\""))
        // The common case: nothing to unescape before the closing quote, so the bytes are the
        // string (one pass to find the quote, one to validate and copy).
        var end = i
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            defer { i = end + 1 }
            guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self) else { i = end; throw error() }
            return keep ? s : ""
        }
        var result = ""
        if keep {
            // The string's length bounds its decoded size: one allocation for a long text.
            var j = i
            while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
            if j - i > 64 { result.reserveCapacity(j - i) }
        }
        var run = i
        func flush(upTo end: Int) throws {
            guard end > run else { return }
            guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[run..<end]), as: UTF8.self) else { throw error() }
            if keep { result += s }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                try flush(upTo: i)
                i += 1
                return result
            }
            if b < 0x20 { throw error() }
            guard b == UInt8(ascii: "\\") else {
                i += 1
                // Validate long runs in pieces so a huge string is never held twice.
                if i - run >= 1 << 16, bytes[i - 1] < 0x80 { try flush(upTo: i); run = i }
                continue
            }
            try flush(upTo: i)
            i += 1
            guard i < bytes.count else { throw error() }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): result += "\""
            case UInt8(ascii: "\\"): result += "\\"
            case UInt8(ascii: "/"): result += "/"
            case UInt8(ascii: "b"): result += "\u{8}"
            case UInt8(ascii: "f"): result += "\u{C}"
            case UInt8(ascii: "n"): result += "\n"
            case UInt8(ascii: "r"): result += "\r"
            case UInt8(ascii: "t"): result += "\t"
            case UInt8(ascii: "u"):
                var code = try hex4()
                if code >= 0xD800 && code < 0xDC00 {
                    // A high surrogate: its low one must follow; a lone one becomes U+FFFD.
                    if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            if loneSurrogate == .reject { throw error() }
                            i = save
                            code = 0xFFFD
                        }
                    } else {
                        if loneSurrogate == .reject { throw error() }
                        code = 0xFFFD
                    }
                } else if code >= 0xDC00 && code < 0xE000 {
                    if loneSurrogate == .reject { throw error() }
                    code = 0xFFFD
                }
                result.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default:
                throw error()
            }
            run = i
        }
        throw error()
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw error() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error()
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
