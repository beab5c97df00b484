import Foundation

/// Minimal JSON string quoting for streaming writers (JSON Lines, CSV-free exports).
package enum JSON {
    /// `s` as a JSON string literal; non-ASCII stays as UTF-8, control characters are escaped.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `quote` of these characters as UTF-8 bytes appended to `out`, for writers that build their
    /// output as bytes (`tifa segment --format jsonl`). Not generic: called from another module,
    /// a generic one ran unspecialized, through an iterator per character (35 % slower).
    @inlinable package static func appendQuoted(_ scalars: ArraySlice<Unicode.Scalar>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in scalars { appendEscaped(c, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// `quote(s)` appended to `out` as UTF-8.
    @inlinable package static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in s.unicodeScalars { appendEscaped(c, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// `,"key":` (or `"key":` for an object's first key). Keys are ASCII without escapes.
    @inlinable package static func appendKey(_ key: StaticString, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// `[e1,e2,…]`, each element written by `element`.
    @inlinable package static func appendArray<Items: Sequence>(_ items: Items, to out: inout [UInt8],
                                                                _ element: (Items.Element, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    @inlinable package static func appendNull(to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    /// `n` in decimal, as `String(n)` writes it (a small string: no allocation).
    @inlinable package static func appendInteger(_ n: Int, to out: inout [UInt8]) {
        out.append(contentsOf: String(n).utf8)
    }

    /// One character inside a JSON string, in UTF-8, as Foundation's `JSONEncoder` writes it (so
    /// that every JSON Tifa writes escapes alike): `"` and `\` escaped, backspace, form feed, line
    /// feed, carriage return and tab as `\b` `\f` `\n` `\r` `\t`, other control characters as
    /// `\u00xx` (lowercase hex); `/` and everything else as it is.
    @inlinable @inline(__always) package static func appendEscaped(_ c: Unicode.Scalar, to out: inout [UInt8]) {
        let v = c.value
        switch v {
        case 0x22: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
        case 0x5C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
        case 0..<0x20:
            let hex = v & 15
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), UInt8(0x30 + (v >> 4)),
                                    UInt8(truncatingIfNeeded: hex < 10 ? 0x30 + hex : 0x57 + hex)])
        case 0x20..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}

extension JSONEncoder {
    /// Keys sorted and slashes unescaped: equal values give equal JSON (options, fingerprints,
    /// `tifa analyze` records).
    package static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
