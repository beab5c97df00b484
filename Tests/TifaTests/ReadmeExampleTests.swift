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
