import XCTest
import Tifa

/// The library example of README.md, kept honest.
final class ReadmeExampleTests: XCTestCase {
    func testLibraryExample() throws {
        let normalizer = try Normalizer()
        let segmenter = try Segmenter()
        let matcher = try FormulaMatcher(lexicon: PolicyLexicon.shipped())
        let text = normalizer.normalize("聚焦兩不愁、三保障")
        let tokens = segmenter.segment(text)
        XCTAssertEqual(tokens.map { text.text($0.range) }, ["聚焦", "两不愁", "、", "三保障"])
        XCTAssertEqual(tokens.first?.sourceRange, 0..<2)
        let matches = matcher.matches(in: text)
        XCTAssertEqual(matches.map(\.formula), ["两不愁三保障", "两不愁", "三保障"])
        XCTAssertEqual(matches.first?.sourceRange, 2..<9)
        XCTAssertEqual(matches.map { $0.within?.formula }, [nil, "两不愁三保障", "两不愁三保障"])
    }
}

/// README's decoding example.
final class ReadmeDecodeExampleTests: XCTestCase {
    func testDecodeExample() throws {
        let (text, report) = try TextDecoder.decode(Array("兩不愁三保障".utf8), name: "report.txt")
        XCTAssertEqual(text, "兩不愁三保障")
        XCTAssertEqual(report.encoding, .utf8)
        XCTAssertEqual(report.replacements, 0)

        // The streaming form, on a GB18030 file with the encoding forced.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-readme-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0xC1, 0xBD, 0xB2, 0xBB, 0xB3, 0xEE]).write(to: url)  // 两不愁 in GB18030
        let decoder = TextDecoder(source: try FileByteSource(path: url.path), name: url.lastPathComponent,
                                  options: DecodingOptions(encoding: .gb18030))
        var scalars: [Unicode.Scalar] = []
        while let chunk = try decoder.nextChunk() {
            XCTAssertEqual(chunk.startOffset, scalars.count)
            scalars += chunk.scalars
        }
        XCTAssertEqual(String(String.UnicodeScalarView(scalars)), "两不愁")
    }
}
