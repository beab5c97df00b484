import XCTest
@testable import Tifa

/// `JSON.quote` and the byte writers built on `JSON.appendQuoted` follow one escaping rule.
final class JSONQuoteTests: XCTestCase {
    func testQuoteEscapesWhatJSONNeedsAndNothingElse() {
        XCTAssertEqual(JSON.quote("a\"b\\c\nd\re\tf\u{01}\u{08}\u{0C}\u{1F}\u{7F}/é中😀"),
                       "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\b\\f\\u001f\u{7F}/é中😀\"")
        XCTAssertEqual(JSON.quote(""), "\"\"")
    }

    func testBytesAreTheQuotedString() throws {
        for text in ["", "plain", "引号“”\"\\", "\u{00}\u{08}\u{0B}\u{0C}\u{1A}", "😀👍🏽 ümlaut"] {
            var bytes: [UInt8] = []
            JSON.appendQuoted(ArraySlice(text.unicodeScalars), to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), JSON.quote(text))
            let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
            XCTAssertEqual(decoded, text)
        }
    }

    /// Every string escaped as Foundation's encoder escapes it, so that the JSON Tifa writes by
    /// hand and the JSON it encodes agree (the `tifa analyze` record is both).
    func testQuoteIsWhatJSONEncoderWrites() throws {
        var text = String(String.UnicodeScalarView((0..<0x80).map { Unicode.Scalar(UInt8($0)) }))
        text += "\u{2028}\u{2029}\u{FFFD}\u{FFFF}é中😀"
        let encoded = try JSONEncoder.sorted.encode([text])
        XCTAssertEqual(String(decoding: encoded, as: UTF8.self), "[" + JSON.quote(text) + "]")
    }

    /// `tifa analyze`'s record written by hand is the record `JSONEncoder.sorted` writes, byte for
    /// byte: keys (metadata's too) in the encoder's order, nulls, nested formulas, tokens or none.
    func testAnalyzedDocumentBytesAreWhatJSONEncoderWrites() throws {
        let text = "坚持全面深化改革开放，实现两不愁、三保障，2020年GDP增长6%。\u{08}\u{0C}\u{01}\"\\/"
        let metadata = ["date": "2020", "Z": "\t", "_y": "\u{2028}", "a10": "1", "a9": "2", "\u{212B}": "k",
                        "a\u{301}z": "q", "😀": "e", "\u{FFFF}": "f", "": "empty", "ä": "x", "ae": "y"]
        let document = Document(id: "id\u{08}\"", source: "dir/a.txt", metadata: metadata, text: text, replacements: 2)
        for detail in [Analyzer.Detail.counts, .tokens] {
            var analysis = try Analyzer().analyze(text, detail: detail)
            XCTAssertTrue(analysis.formulas.contains { $0.within != nil } && analysis.formulas.contains { $0.within == nil })
            analysis.warnings = ["2 invalid byte sequences replaced with U+FFFD", "\u{0}"]
            analysis.formulas[0].category = nil
            for includesText in [false, true] {
                let record = AnalyzedDocument(document: document, analysis: analysis, analyzer: "fingerprint", includesText: includesText)
                var bytes: [UInt8] = []
                record.appendJSON(to: &bytes)
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(decoding: try JSONEncoder.sorted.encode(record), as: UTF8.self))
                var open: [UInt8] = []
                record.appendJSON(to: &open, leavingOpen: true)
                XCTAssertEqual(open + [UInt8(ascii: "}")], bytes)
            }
        }
    }
}
