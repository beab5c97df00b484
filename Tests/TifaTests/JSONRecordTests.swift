import Foundation
@testable import Tifa
import XCTest

final class JSONRecordTests: XCTestCase {
    private func fields(_ line: String) throws -> [String: JSONRecord.Value] {
        try Array(line.utf8).withUnsafeBufferPointer { try JSONRecord.fields($0) }
    }

    private func fields(bytes: [UInt8]) throws -> [String: JSONRecord.Value] {
        try bytes.withUnsafeBufferPointer { try JSONRecord.fields($0) }
    }

    func testFieldsOfARecord() throws {
        let f = try fields(#" {"id": "a1", "year": 2014, "score": -3.5e2, "ok": true, "no": false, "none": null, "tags": ["x", {"y": [1, 2]}], "meta": {}, "text": "两不愁\n\"三保障\"\t\\\/"} "#)
        XCTAssertEqual(f["id"], .string("a1"))
        XCTAssertEqual(f["year"], .number("2014"))
        XCTAssertEqual(f["score"], .number("-3.5e2"))
        XCTAssertEqual(f["ok"], .bool(true))
        XCTAssertEqual(f["no"]?.scalarText, "false")
        XCTAssertEqual(f["none"], .null)
        XCTAssertEqual(f["tags"], .nested)
        XCTAssertEqual(f["meta"], .nested)
        XCTAssertEqual(f["text"], .string("两不愁\n\"三保障\"\t\\/"))
        XCTAssertEqual(try fields("{}"), [:])
        XCTAssertEqual(try fields(#"{"a":"1","a":"2"}"#)["a"], .string("2"))
    }

    func testUnicodeEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try fields(#"{"t":"\u4e24\u4E0D\ud83d\ude00"}"#)["t"], .string("两不😀"))
        // A lone surrogate cannot be a Swift string: it becomes U+FFFD, as it would when decoding.
        XCTAssertEqual(try fields(#"{"t":"a\ud83db"}"#)["t"], .string("a\u{FFFD}b"))
        XCTAssertEqual(try fields(#"{"t":"\ude00"}"#)["t"], .string("\u{FFFD}"))
    }

    func testLongTextsAreDecodedWhole() throws {
        let text = String(repeating: "坚持精准扶贫、精准脱贫。\n", count: 20_000) + String(repeating: "中", count: 100_000)
        let line = try JSONEncoder().encode(["text": text])
        XCTAssertEqual(try fields(bytes: Array(line))["text"], .string(text))
    }

    func testWhatIsNotOneJSONObjectIsRefused() {
        let bad = [#""text""#, #"[1]"#, #"{"a":1"#, #"{"a":1} x"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{a:1}"#,
                   #"{"a":tru}"#, #"{"a":"x\q"}"#, #"{"a":"\u12"}"#, "{\"a\":\"tab\there\"}", #"{"a":1,}"#, #"{"a" 1}"#, "",
                   "{\"a\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"]
        for line in bad {
            XCTAssertThrowsError(try fields(line), line)
        }
        // Invalid UTF-8 inside a string, and a truncated sequence at its end.
        XCTAssertThrowsError(try fields(bytes: Array(#"{"a":""#.utf8) + [0xFF] + Array(#""}"#.utf8)))
        XCTAssertThrowsError(try fields(bytes: Array(#"{"a":""#.utf8) + [0xE4, 0xB8] + Array(#""}"#.utf8)))
    }

    func testAgreesWithJSONSerializationOnStringsAndNumbers() throws {
        let lines = [#"{"id":"x","text":"a\u00e9\"b","n":42}"#, #"{"text":"","id":7,"year":"2019","x":[{"y":"z"}]}"#,
                     #"{"text":"\r\n\b\f","m":{"k":null}}"#]
        for line in lines {
            let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let parsed = try fields(line)
            XCTAssertEqual(Set(reference.keys), Set(parsed.keys))
            for (key, value) in reference {
                if let s = value as? String { XCTAssertEqual(parsed[key], .string(s)) }
                if let n = value as? NSNumber, !(value is String) { XCTAssertEqual(parsed[key]?.scalarText, n.stringValue) }
            }
        }
    }
}
