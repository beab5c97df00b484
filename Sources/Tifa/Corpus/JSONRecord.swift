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

    /// Nested arrays and objects deeper than this are refused rather than recursed into.
    static let maximumDepth = 512

    /// The record's fields (the last of repeated keys wins), or `SyntaxError` when `bytes` is
    /// not one JSON object (surrounding whitespace allowed) in valid UTF-8.
    public static func fields(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String: Value] {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let fields = try parser.object(depth: 0, keep: true)
        parser.skipSpace()
        guard parser.i == bytes.count else { throw SyntaxError(offset: parser.i) }
        return fields
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        func error() -> SyntaxError { SyntaxError(offset: i) }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard i < bytes.count, bytes[i] == byte else { throw error() }
            i += 1
        }

        mutating func literal(_ word: StaticString) throws {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { throw error() }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error() }
            i += n
        }

        /// An object; its fields when `keep`, else validated only.
        mutating func object(depth: Int, keep: Bool) throws -> [String: Value] {
            guard depth < JSONRecord.maximumDepth else { throw error() }
            try expect(UInt8(ascii: "{"))
            var fields: [String: Value] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return fields }
            while true {
                skipSpace()
                let key = try string(keep: keep)
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                let v = try value(depth: depth, keep: keep)
                if keep { fields[key] = v }
                skipSpace()
                guard i < bytes.count else { throw error() }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"))
                return fields
            }
        }

        mutating func array(depth: Int) throws {
            guard depth < JSONRecord.maximumDepth else { throw error() }
            try expect(UInt8(ascii: "["))
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                skipSpace()
                _ = try value(depth: depth, keep: false)
                skipSpace()
                guard i < bytes.count else { throw error() }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return
            }
        }

        mutating func value(depth: Int, keep: Bool) throws -> Value {
            guard i < bytes.count else { throw error() }
            switch bytes[i] {
            case UInt8(ascii: "\""): return .string(try string(keep: keep))
            case UInt8(ascii: "{"): _ = try object(depth: depth + 1, keep: false); return .nested
            case UInt8(ascii: "["): try array(depth: depth + 1); return .nested
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        mutating func number() throws -> String {
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
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        /// A string; decoded when `keep` (runs without escapes are appended as they are, so a
        /// 50 MB text is built in place), validated otherwise.
        mutating func string(keep: Bool) throws -> String {
            try expect(UInt8(ascii: "\""))
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
                                i = save
                                code = 0xFFFD
                            }
                        } else {
                            code = 0xFFFD
                        }
                    } else if code >= 0xDC00 && code < 0xE000 {
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
}
