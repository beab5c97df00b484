import FuzzSupport
import Tifa

// Decoding with every encoding, forced or detected, lenient and strict. The first byte chooses
// the options; the rest is the file.
let encodings: [TextEncoding?] = [nil, .utf8, .utf16LittleEndian, .utf16BigEndian, .gb18030, .big5,
                                  .other("Shift_JIS"), .other("no-such-encoding")]

@main
enum FuzzDecode {
    static func main() {
        runFuzzer(optionByte: { selector, rest in
            let file = Array(rest)
            let strict = selector & 0x80 != 0
            let options = DecodingOptions(encoding: encodings[Int(selector & 7)], invalidBytes: strict ? .fail : .replace)
            do {
                let (text, report) = try TextDecoder.decode(file, name: "fuzz", options: options)
                if strict { precondition(report.replacements == 0, "strict decoding replaced bytes") }
                if report.replacements > 0 {
                    precondition((report.firstInvalidByteOffset ?? -1) >= 0 && report.firstInvalidByteOffset! < file.count,
                                 "first invalid byte offset outside the input")
                }
                // Valid UTF-8 read as UTF-8 comes back unchanged (less a byte-order mark).
                if options.encoding == .utf8, !file.contains(0), let original = String(validating: file, as: UTF8.self) {
                    let expected = original.hasPrefix("\u{FEFF}") ? String(original.unicodeScalars.dropFirst()) : original
                    precondition(text.unicodeScalars.elementsEqual(expected.unicodeScalars), "valid UTF-8 changed by decoding")
                    precondition(report.replacements == 0, "valid UTF-8 has replacements")
                }
            } catch is TextDecodingError {
                // Refusals (binary data, strict errors, unknown encodings) are answers, not findings.
            } catch {
                preconditionFailure("decode threw an undocumented error: \(error)")
            }
        })
    }
}
