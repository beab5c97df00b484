import XCTest
@testable import Tifa

/// Encoding detection on short inputs: every window of 1–8 characters of the fixture texts, in
/// every encoding Tifa detects, decodes to the original characters.
final class DetectionMatrixTests: XCTestCase {
    /// A fixture text with its encoded twin, cut into characters with the bytes of each.
    struct Encoded {
        var encoding: TextEncoding
        var characters: [Unicode.Scalar]
        var bytes: [[UInt8]]   // bytes[i] encodes characters[i]
    }

    static func text(_ name: String) throws -> [Unicode.Scalar] {
        let data = try Data(contentsOf: DecodingTests.fixtures.appendingPathComponent(name))
        return Array(String(decoding: data, as: UTF8.self).unicodeScalars)
    }

    /// Splits a GB18030 or Big5 file into the byte sequences of its characters.
    static func doubleByte(_ name: String, text: [Unicode.Scalar], encoding: TextEncoding) throws -> Encoded {
        let raw = Array(try Data(contentsOf: DecodingTests.fixtures.appendingPathComponent(name)))
        var pieces: [[UInt8]] = []
        var i = 0
        while i < raw.count {
            var length = raw[i] < 0x80 ? 1 : 2
            if encoding == .gb18030, length == 2, i + 1 < raw.count, raw[i + 1] >= 0x30 && raw[i + 1] <= 0x39 { length = 4 }
            pieces.append(Array(raw[i..<(i + length)]))
            i += length
        }
        XCTAssertEqual(pieces.count, text.count, name)
        return Encoded(encoding: encoding, characters: text, bytes: pieces)
    }

    static func unicode(_ text: [Unicode.Scalar], as encoding: TextEncoding) -> Encoded {
        let bytes: [[UInt8]] = text.map { s in
            switch encoding {
            case .utf8: return Array(String(s).utf8)
            default:
                return String(s).utf16.flatMap { u -> [UInt8] in
                    encoding == .utf16LittleEndian ? [UInt8(u & 0xFF), UInt8(u >> 8)] : [UInt8(u >> 8), UInt8(u & 0xFF)]
                }
            }
        }
        return Encoded(encoding: encoding, characters: text, bytes: bytes)
    }

    /// Decodes every window of 1…8 characters that does not start or end at a line break and
    /// returns the failures as readable lines.
    func failures(_ e: Encoded, byteOrderMark: [UInt8] = [], only: ([Unicode.Scalar]) -> Bool = { _ in true },
                  ambiguous: ([UInt8]) -> Bool = { _ in false }) throws -> [String] {
        var failed: [String] = []
        var tested = 0
        for start in e.characters.indices {
            for n in 1...8 where start + n <= e.characters.count {
                let window = Array(e.characters[start..<(start + n)])
                if window.first == "\n" || window.last == "\n" || !only(window) { continue }
                let input = byteOrderMark + e.bytes[start..<(start + n)].flatMap { $0 }
                let decoded = try TextDecoder.decode(input)
                tested += 1
                if ambiguous(input) { continue }
                let expected = String(String.UnicodeScalarView(window))
                if decoded.text != expected || (byteOrderMark.isEmpty && decoded.report.encoding != e.encoding && !window.allSatisfy(\.isASCII)) {
                    failed.append("\(e.encoding) \(n) chars «\(expected)» → «\(decoded.text)» as \(decoded.report.encoding)")
                }
            }
        }
        XCTAssertGreaterThan(tested, 50)
        return failed
    }

    func testShortGB18030AndBig5Files() throws {
        let simplified = try Self.text("simplified.utf8.txt"), traditional = try Self.text("traditional.utf8.txt")
        XCTAssertEqual(try failures(Self.doubleByte("simplified.gb18030.txt", text: simplified, encoding: .gb18030)), [])
        XCTAssertEqual(try failures(Self.doubleByte("traditional.big5.txt", text: traditional, encoding: .big5), ambiguous: Self.isAlsoCommonGB18030), [])
    }

    /// One or two characters whose Big5 bytes also read as common simplified characters in
    /// GB18030 (縣 BF A4 is 郡, 準 B7 C7 is 非) cannot be told apart; GB18030 is chosen. From
    /// three characters on, every window of the fixture decodes right.
    static func isAlsoCommonGB18030(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= 4, let gb = TextDecoder.SampleDecoding(bytes, as: .gb18030), gb.invalid == 0 else { return false }
        return gb.scalars.allSatisfy { $0.isASCII || CommonHan.shared.isCommonSimplified($0) }
    }

    func testOneBig5CharacterThatIsAlsoCommonGB18030IsAmbiguous() throws {
        XCTAssertTrue(Self.isAlsoCommonGB18030([0xBF, 0xA4]))                       // 縣 / 郡
        XCTAssertEqual(try TextDecoder.decode([0xBF, 0xA4]).text, "郡")
        XCTAssertFalse(Self.isAlsoCommonGB18030([0xBF, 0xA4, 0xA9, 0x65]))          // 縣委: 委 is A9 65 in Big5
        XCTAssertEqual(try TextDecoder.decode([0xBF, 0xA4, 0xA9, 0x65]).text, "縣委")
    }

    func testShortUTF8AndUTF16Files() throws {
        for name in ["simplified.utf8.txt", "traditional.utf8.txt"] {
            let text = try Self.text(name)
            XCTAssertEqual(try failures(Self.unicode(text, as: .utf8)), [], name)
            XCTAssertEqual(try failures(Self.unicode(text, as: .utf8), byteOrderMark: [0xEF, 0xBB, 0xBF]), [], name)
            XCTAssertEqual(try failures(Self.unicode(text, as: .utf16LittleEndian), byteOrderMark: [0xFF, 0xFE]), [], name)
            XCTAssertEqual(try failures(Self.unicode(text, as: .utf16BigEndian), byteOrderMark: [0xFE, 0xFF]), [], name)
            // Without a byte-order mark, UTF-16 is recognised by the NUL bytes of its ASCII
            // characters; text of Han characters alone has none and is not claimed.
            let hasASCII: ([Unicode.Scalar]) -> Bool = { $0.contains(where: \.isASCII) }
            XCTAssertEqual(try failures(Self.unicode(text, as: .utf16LittleEndian), only: hasASCII), [], name)
            XCTAssertEqual(try failures(Self.unicode(text, as: .utf16BigEndian), only: hasASCII), [], name)
        }
    }

    func testUTF16WithoutByteOrderMarkIsDetected() throws {
        let text = "各地聚焦“两不愁三保障”。\n2019年，全县脱贫。\n"
        let le = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        XCTAssertEqual(try TextDecoder.decode(le).text, text)
        XCTAssertEqual(try TextDecoder.decode(le).report.encoding, .utf16LittleEndian)
        XCTAssertEqual(try TextDecoder.decode(be).text, text)
        XCTAssertEqual(try TextDecoder.decode(be).report.encoding, .utf16BigEndian)
    }

    func testBinaryDataIsRefusedWithAHintAboutUTF16() throws {
        let binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00]
        XCTAssertThrowsError(try TextDecoder.decode(binary, name: "a.bin")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("a.bin: binary data (NUL byte at byte offset 7)"), message)
            XCTAssertTrue(message.contains("--encoding utf-16le"), message)
        }
    }

    func testGB18030AndBig5KeepTheirReplacementsWhenTheSampleIsReused() throws {
        // An invalid pair in the sample the detection decoded is still counted and located.
        var gb = Array(try Data(contentsOf: DecodingTests.fixtures.appendingPathComponent("simplified.gb18030.txt")))
        gb.insert(contentsOf: [0x81, 0x20], at: 10)
        let decoded = try TextDecoder.decode(gb)
        XCTAssertEqual(decoded.report.encoding, TextEncoding.gb18030)
        XCTAssertEqual(decoded.report.replacements, 1)
        XCTAssertEqual(decoded.report.firstInvalidByteOffset, 10)
        XCTAssertThrowsError(try TextDecoder.decode(gb, options: .init(invalidBytes: .fail)))
    }
}
