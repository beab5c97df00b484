import Foundation
import XCTest
@testable import Tifa

/// `AnalyzedDocument.readJSON` is a faster route to `JSONDecoder`'s answer: whenever it reads a
/// line, the decoder reads the same record from it; when it declines, the decoder decides.
final class JSONRecordReaderTests: XCTestCase {
    func fast(_ line: [UInt8]) -> AnalyzedDocument? { line.withUnsafeBufferPointer(AnalyzedDocument.readJSON) }
    func decoded(_ line: [UInt8]) -> AnalyzedDocument? { try? JSONDecoder().decode(AnalyzedDocument.self, from: Data(line)) }

    /// Agreement on one line: the fast reader reads nothing the decoder refuses, and reads what it
    /// reads as the decoder does.
    func assertAgrees(_ line: [UInt8], file: StaticString = #filePath, line number: UInt = #line) {
        guard let fast = fast(line) else { return }
        XCTAssertEqual(fast, decoded(line), String(decoding: line, as: UTF8.self), file: file, line: number)
    }

    /// Records as `tifa analyze` writes them: with and without tokens and text, with metadata,
    /// nested formulas, a formula without a category, warnings and escapes.
    func records() throws -> [AnalyzedDocument] {
        let texts = ["坚持全面深化改革开放，实现两不愁、三保障，2020年GDP增长6%。",
                     "引号\"反斜杠\\斜杠/\u{08}\u{0C}\u{01}换行\n制表\t😀👍🏽",
                     ""]
        var records: [AnalyzedDocument] = []
        for (n, text) in texts.enumerated() {
            let document = Document(id: "doc\(n)\"\\", source: "dir/\(n).txt", metadata: ["date": "2020", "é": "\u{2028}", "a\u{301}": "x"],
                                    text: text, replacements: n)
            for detail in [Analyzer.Detail.counts, .tokens] {
                var analysis = try Analyzer().analyze(text, detail: detail)
                if n == 0 { analysis.formulas[0].category = nil }
                analysis.warnings = n == 1 ? ["1 invalid byte sequence replaced with U+FFFD"] : []
                for includesText in [false, true] {
                    records.append(AnalyzedDocument(document: document, analysis: analysis, analyzer: "fp", includesText: includesText))
                }
            }
        }
        XCTAssertTrue(records[0].analysis.formulas.contains { $0.within != nil })
        return records
    }

    func testRecordsAsWrittenAreReadAsTheDecoderReadsThem() throws {
        for record in try records() {
            var line: [UInt8] = []
            record.appendJSON(to: &line)
            XCTAssertEqual(fast(line), record)
            XCTAssertEqual(decoded(line), record)
            // Another writer's JSON: keys in another order, `/` escaped, pretty-printed.
            let object = try JSONSerialization.jsonObject(with: Data(line))
            for options in [JSONSerialization.WritingOptions(), [.prettyPrinted]] {
                let other = [UInt8](try JSONSerialization.data(withJSONObject: object, options: options))
                XCTAssertEqual(fast(other), record, String(decoding: other, as: UTF8.self))
            }
        }
    }

    /// Forms the decoder accepts that the fast reader reads too, and forms it leaves to the decoder.
    func testEdgeFormsAgreeWithTheDecoder() throws {
        var base: [UInt8] = []
        try records()[2].appendJSON(to: &base)
        let plain = String(decoding: base, as: UTF8.self)
        let read = [
            plain.replacingOccurrences(of: "\"id\":", with: "\"unknown\":[1,-2.5e+3,{\"x\":null},true,false,\"\\ud83d\\ude00\"],\"id\":"),
            plain.replacingOccurrences(of: "\"analyzer\":\"fp\"", with: "\"analyzer\":\"\\u0066\\u0070\""),
            plain.replacingOccurrences(of: "\"warnings\":[]", with: "\"warnings\":null"),
            plain.replacingOccurrences(of: "\"formulas\":[", with: "\"formulas\" : [ "),
            " \t" + plain + "\r\n",
        ]
        for line in read {
            XCTAssertNotNil(fast(Array(line.utf8)), line)
            assertAgrees(Array(line.utf8))
        }
        let declined = [
            plain.replacingOccurrences(of: "\"bytes\":", with: "\"bytes\":1,\"bytes\":"),              // duplicate key: the decoder keeps the first
            plain.replacingOccurrences(of: "\"replacements\":0", with: "\"replacements\":0.0"),     // decoder: 0
            plain.replacingOccurrences(of: "\"replacements\":0", with: "\"replacements\":00"),      // decoder: error
            plain.replacingOccurrences(of: "\"id\":", with: "\"x\":\"\\ud800\",\"id\":"),            // a lone surrogate
            plain.replacingOccurrences(of: "\"metadata\":{", with: "\"metadata\":{\"\u{212B}\":\"1\",\"Å\":\"2\","),  // canonically equal keys
            plain.replacingOccurrences(of: "\"id\":", with: "\"x\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + ",\"id\":"),
            plain + "x",
            "\u{FEFF}" + plain,
        ]
        for line in declined {
            XCTAssertNil(fast(Array(line.utf8)), line)
        }
        XCTAssertNil(fast(Array(plain.utf8).dropLast() + [0xFF, UInt8(ascii: "}")]))
    }

    /// A differential fuzz in miniature: thousands of lines, each a record with a few bytes
    /// replaced, inserted or removed (from JSON's alphabet and beyond), must never make the fast
    /// reader read what the decoder does not, or read it otherwise. Deterministic.
    func testMutatedRecordsNeverDisagree() throws {
        var lines: [[UInt8]] = []
        for record in try records() where record.text != nil {
            var line: [UInt8] = []
            record.appendJSON(to: &line)
            lines.append(line)
        }
        let alphabet = Array("{}[]:,\"\\/ -+.0123456789eEtrufalsnbu\u{0}\t\n".utf8) + [0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xFF, 0x80]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        var readFast = 0
        for round in 0..<3000 {
            var line = lines[round % lines.count]
            for _ in 0...random(3) {
                let at = random(line.count)
                switch random(3) {
                case 0: line[at] = alphabet[random(alphabet.count)]
                case 1: line.insert(alphabet[random(alphabet.count)], at: at)
                default: line.remove(at: at)
                }
            }
            if fast(line) != nil { readFast += 1 }
            assertAgrees(line)
        }
        XCTAssertGreaterThan(readFast, 100, "mutations in string contents still read fast")
    }
}
