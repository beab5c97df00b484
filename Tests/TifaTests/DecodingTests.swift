import XCTest
import TifaTestSupport
@testable import Tifa

final class DecodingTests: XCTestCase {
    static let fixtures = TestPaths.fixtures

    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
    }

    func testGB18030AndBig5DecodeToTheUTF8Original() throws {
        let simplified = String(decoding: try bytes("simplified.utf8.txt"), as: UTF8.self)
        let traditional = String(decoding: try bytes("traditional.utf8.txt"), as: UTF8.self)
        let gb = try TextDecoder.decode(try bytes("simplified.gb18030.txt"))
        XCTAssertEqual(gb.text, simplified)
        XCTAssertEqual(gb.report.encoding, .gb18030)
        let big5 = try TextDecoder.decode(try bytes("traditional.big5.txt"))
        XCTAssertEqual(big5.text, traditional)
        XCTAssertEqual(big5.report.encoding, .big5)
        let tradGB = try TextDecoder.decode(try bytes("traditional.gb18030.txt"))
        XCTAssertEqual(tradGB.text, traditional)
        XCTAssertEqual(tradGB.report.encoding, .gb18030)
        let utf16 = try TextDecoder.decode(try bytes("simplified.utf16le.txt"))
        XCTAssertEqual(utf16.text, simplified)
        XCTAssertEqual(utf16.report.encoding, .utf16LittleEndian)
        XCTAssertEqual(utf16.report.replacements, 0)
    }

    func testUTF16SurrogatePairsSurviveBlockBoundaries() throws {
        let text = String(repeating: "扶贫😀", count: 300_000)  // more than one 1 MiB block
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
        let decoded = try TextDecoder.decode(bytes)
        XCTAssertEqual(decoded.report.encoding, .utf16LittleEndian)
        XCTAssertEqual(decoded.report.replacements, 0)
        XCTAssertEqual(decoded.text, text)
    }

    func testForcedEncodingOverridesDetection() throws {
        let forced = try TextDecoder.decode(try bytes("traditional.big5.txt"), options: .init(encoding: TextEncoding(name: "big5")))
        XCTAssertEqual(forced.text, String(decoding: try bytes("traditional.utf8.txt"), as: UTF8.self))
    }

    func testUTF8BOMIsRemovedAndCRLFKept() throws {
        let decoded = try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array("脱贫\r\n攻坚".utf8))
        XCTAssertEqual(decoded.text, "脱贫\r\n攻坚")
        XCTAssertTrue(decoded.report.byteOrderMark)
    }

    func testInvalidUTF8BytesAreCountedAndReplaced() throws {
        var input = Array("两不愁三保障".utf8)
        input.insert(0xFF, at: 6)           // byte offset 6
        input += [0xE4, 0xB8]                // a truncated sequence at the end
        let decoded = try TextDecoder.decode(input)
        XCTAssertEqual(decoded.text, "两不\u{FFFD}愁三保障\u{FFFD}")
        XCTAssertEqual(decoded.report.replacements, 2)
        XCTAssertEqual(decoded.report.firstInvalidByteOffset, 6)
        XCTAssertEqual(decoded.report.encoding, .utf8)
    }

    func testStrictModeRefusesInvalidBytes() {
        var input = Array("扶贫".utf8)
        input.append(0xFF)
        XCTAssertThrowsError(try TextDecoder.decode(input, name: "bad.txt", options: .init(invalidBytes: .fail))) { error in
            XCTAssertEqual("\(error)", "bad.txt: invalid UTF-8 byte sequence at byte offset 6")
        }
    }

    func testInvalidGB18030BytesAreCounted() throws {
        // "扶贫" in GB18030 is B7 F6 C6 B6; 0x81 0x20 is not a valid pair.
        let decoded = try TextDecoder.decode([0xB7, 0xF6, 0xC6, 0xB6, 0x81, 0x20, 0xB7, 0xF6], options: .init(encoding: .gb18030))
        XCTAssertEqual(decoded.report.replacements, 1)
        XCTAssertEqual(decoded.report.firstInvalidByteOffset, 4)
        XCTAssertTrue(decoded.text.hasPrefix("扶贫"))
    }

    func testBinaryIsRefused() {
        XCTAssertThrowsError(try TextDecoder.decode([0x41, 0x00, 0x42], name: "x.bin")) { error in
            XCTAssertTrue("\(error)".hasPrefix("x.bin: binary data (NUL byte at byte offset 1), not text"), "\(error)")
        }
    }

    func testEmptyInput() throws {
        let decoded = try TextDecoder.decode([])
        XCTAssertEqual(decoded.text, "")
    }

    func testLongLineIsChunkedWithoutLosingText() throws {
        let sentence = "坚持精准扶贫精准脱贫基本方略。"
        let line = String(repeating: sentence, count: 40_000)  // 600,000 characters, no newline
        let decoder = TextDecoder(source: MemoryByteSource(Array(line.utf8)), name: "long")
        var total = 0
        var chunks = 0
        var nextOffset = 0
        var largest = 0
        while let chunk = try decoder.nextChunk() {
            XCTAssertEqual(chunk.startOffset, nextOffset)
            nextOffset += chunk.scalars.count
            total += chunk.scalars.count
            largest = max(largest, chunk.scalars.count)
            chunks += 1
        }
        XCTAssertEqual(total, line.unicodeScalars.count)
        XCTAssertGreaterThan(chunks, 1)
        XCTAssertLessThanOrEqual(largest, TextDecoder.chunkScalars * 4 + TextDecoder.blockBytes)
    }

    /// `decodeRest` (the corpus reader's path) hands valid UTF-8 on as its bytes and counts the
    /// sample without keeping its scalars: the text and report are those of chunked decoding,
    /// with bytes to replace in the sample, after it, across a block, or none, and in GB18030.
    func testDecodeRestMatchesChunkedDecoding() throws {
        let line = Array("各地区各部门要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。\n".utf8)
        let long = Array(Array(repeating: line, count: 2000).joined())  // about 200 KB: past the sample and a block
        var badInSample = long; badInSample[100] = 0xFF
        var badAfterSample = long; badAfterSample[40_000] = 0xC3
        var badLate = long; badLate.insert(contentsOf: [0xE6, 0x9C], at: long.count - 10)
        let inputs: [[UInt8]] = [long, badInSample, badAfterSample, badLate, line, [0xEF, 0xBB, 0xBF] + line, [0x80] + line,
                                 try bytes("simplified.gb18030.txt"), try bytes("traditional.big5.txt"), []]
        for (k, input) in inputs.enumerated() {
            let expected = try TextDecoder.decode(input)
            let decoder = TextDecoder(source: MemoryByteSource(input), name: "input \(k)")
            var utf8: [UInt8] = []
            try decoder.decodeRest(appendingUTF8To: &utf8)
            XCTAssertEqual(String(decoding: utf8, as: UTF8.self), expected.text, "input \(k)")
            XCTAssertEqual(utf8, Array(expected.text.utf8), "input \(k)")
            XCTAssertEqual(decoder.report, expected.report, "input \(k)")
        }
        XCTAssertEqual(try TextDecoder.decode(badInSample).report.encoding, .utf8)  // the fallback path: UTF-8 with bytes to replace in the sample
        XCTAssertEqual(try TextDecoder.decode(badInSample).report.firstInvalidByteOffset, 100)
    }
}
