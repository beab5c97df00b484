import XCTest
import TifaTestSupport
@testable import Tifa

/// The shared table of traditional → simplified cases, run through the library.
final class ConversionCaseTests: XCTestCase {
    static func cases(_ name: String = "t2s_cases.tsv") throws -> [(input: String, expected: String)] {
        let url = TestPaths.fixtures.appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t")
            return f.count == 2 ? (String(f[0]), String(f[1])) : nil
        }
    }

    func testEveryCase() throws {
        let normalizer = try Normalizer()
        let cases = try Self.cases()
        XCTAssertGreaterThan(cases.count, 50)
        for (input, expected) in cases {
            XCTAssertEqual(normalizer.normalize(input).string, expected, input)
        }
    }

    func testSimplifiedTextPassesThroughUnchanged() throws {
        let normalizer = try Normalizer()
        for (_, expected) in try Self.cases() {
            XCTAssertEqual(normalizer.normalize(expected).string, expected, "simplified input stays as it is")
        }
    }

    func testAmbiguousCharactersOfReports() throws {
        let converter = try ChineseConverter.shared()
        let table: [(String, String)] = [
            ("乾隆", "乾隆"), ("乾淨", "干净"), ("著作", "著作"), ("跟著", "跟着"), ("頭髮", "头发"), ("發展", "发展"),
            ("皇后", "皇后"), ("後來", "后来"), ("甚麼", "什么"), ("臺灣", "台湾"), ("藉口", "借口"), ("憑藉", "凭借"),
            ("於是", "于是"), ("瞭解", "了解"), ("夥伴", "伙伴"), ("週年", "周年"), ("反覆", "反复"), ("覆蓋", "覆盖"),
            ("計畫", "计划"), ("畫面", "画面"), ("沈陽", "沈阳"), ("剩餘", "剩余"), ("範圍", "范围"), ("鍾情", "钟情"), ("鐘錶", "钟表"),
        ]
        for (traditional, simplified) in table {
            XCTAssertEqual(converter.convert(traditional), simplified, traditional)
        }
    }

    /// Held-out sentences written for the OpenCC merge (not OpenCC's test cases, not used to
    /// build the tables): the hard characters 乾 陞/昇 麽/么/幺 沈/沉 像/象 剋 氾 甦 祕 蒐 釐 逕
    /// 劄/箚 扞 and one outside the BMP (𠮟), and simplified words that must not change (合著,
    /// 他著有, 著名, 显著). OpenCC 1.1.6 (t2s) gets 36 of the 45 right; Tifa must get all.
    func testHeldOutHardCharacters() throws {
        let normalizer = try Normalizer()
        let cases = try Self.cases("t2s_heldout.tsv")
        XCTAssertEqual(cases.count, 45)
        for (input, expected) in cases {
            XCTAssertEqual(normalizer.normalize(input).string, expected, input)
            XCTAssertEqual(normalizer.normalize(expected).string, expected, "simplified input stays as it is")
        }
    }
}
