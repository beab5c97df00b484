import XCTest
@testable import Tifa

/// `JSON.quote` and the byte writers built on `JSON.appendQuoted` follow one escaping rule.
final class JSONQuoteTests: XCTestCase {
    func testQuoteEscapesWhatJSONNeedsAndNothingElse() {
        XCTAssertEqual(JSON.quote("a\"b\\c\nd\re\tf\u{01}\u{1F}\u{7F}/é中😀"),
                       "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u001f\u{7F}/é中😀\"")
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
}
