import Foundation

/// Minimal JSON string quoting for streaming writers (JSON Lines, CSV-free exports).
package enum JSON {
    /// `s` as a JSON string literal; non-ASCII stays as UTF-8, control characters are escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out += "\""
        return out
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
