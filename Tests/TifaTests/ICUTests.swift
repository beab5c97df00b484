import XCTest
@testable import Tifa

final class ICUTests: XCTestCase {
    func testICUDictionaryHasCostedWords() throws {
        var count = 0
        var costs: [String: Int32] = [:]
        let wanted: Set<String> = ["中国", "不愁", "脱贫"]
        try ICUDictionary.forEachWord { word, cost in
            count += 1
            let s = String(decoding: word, as: UTF16.self)
            if wanted.contains(s) { costs[s] = cost }
        }
        XCTAssertGreaterThan(count, 300_000)
        XCTAssertNotNil(costs["中国"])
        XCTAssertNotNil(costs["不愁"])
        XCTAssertNil(costs["脱贫"], "ICU lacks 脱贫: the domain lexicon must add it")
    }

    func testTransliteratorIsICUs() throws {
        let t = try ICUTransliterator(id: "Traditional-Simplified")
        XCTAssertEqual(try t.transliterate("脫貧攻堅"), "脱贫攻坚")
    }

    func testWordBreakerSplitsFormulaWithoutLexicon() throws {
        let b = try ICUWordBreaker()
        let text = Array("两不愁三保障".utf16)
        let ends = try text.withUnsafeBufferPointer { try b.boundaries(utf16: $0) }.map(\.offset)
        XCTAssertEqual(ends, [1, 3, 4, 6])
    }

    func testCharsetDetectionNamesAnEncoding() {
        let bytes: [UInt8] = Array("两不愁三保障，五个一批，一摘四不摘。".utf8)
        let guess = bytes.withUnsafeBytes { ICU.detectCharset($0) }
        XCTAssertEqual(guess?.name, "UTF-8")
    }

    func testICUErrorsBecomeSwiftErrors() {
        XCTAssertThrowsError(try ICUTransliterator(id: "No-Such-Transliterator")) { error in
            XCTAssertTrue("\(error)".contains("ICU"), "\(error)")
        }
    }
}
