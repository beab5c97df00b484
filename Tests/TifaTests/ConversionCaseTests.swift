import XCTest
import TifaTestSupport
@testable import Tifa

/// The shared table of traditional → simplified cases, run through the library.
final class ConversionCaseTests: XCTestCase {
    static func cases() throws -> [(input: String, expected: String)] {
        let url = TestPaths.fixtures.appendingPathComponent("t2s_cases.tsv")
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
}
