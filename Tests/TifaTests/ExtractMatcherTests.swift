import XCTest
import TifaTestSupport
@testable import Tifa

final class ExtractMatcherTests: XCTestCase {
    static let fixtures = TestPaths.fixtures

    static func lexicon() throws -> PolicyLexicon {
        try PolicyLexicon(files: [fixtures.appendingPathComponent("test_lexicon.tsv")])
    }

    /// (original text, expected [formula, surface]) — the variants real text writes.
    static let cases: [(String, [(String, String)])] = [
        ("实现两不愁三保障目标", [("两不愁三保障", "两不愁三保障")]),
        ("实现“两不愁、三保障”目标", [("两不愁三保障", "两不愁、三保障")]),
        ("實現“兩不愁、三保障”目標", [("两不愁三保障", "兩不愁、三保障")]),
        ("两不愁 三保障", [("两不愁三保障", "两不愁 三保障")]),
        ("两不愁，三保障", [("两不愁三保障", "两不愁，三保障")]),
        ("“两不愁”“三保障”", [("两不愁三保障", "两不愁”“三保障")]),
        ("二不愁三保障", [("两不愁三保障", "二不愁三保障")]),
        ("落实5个一批", [("五个一批", "5个一批")]),
        ("落实５个一批", [("五个一批", "５个一批")]),
        ("落实15个一批", []),
        ("十五个一批", []),
        ("第五个一批", []),
        ("五个、一批", []),
        ("落实“三落实三精准三保障”要求", [("三落实三精准三保障", "三落实三精准三保障")]),
        ("三落实、三精准、三保障", [("三落实三精准三保障", "三落实、三精准、三保障")]),
        ("做到一摘四不摘和四个不摘", [("一摘四不摘", "一摘四不摘"), ("四个不摘", "四个不摘")]),
        ("“十三五”时期", [("十三五", "十三五")]),
        ("第十三五年", []),
        ("共建丝绸之路经济带和21世纪海上丝绸之路", [("一带一路", "丝绸之路经济带和21世纪海上丝绸之路")]),
        ("三保障到位", [("三保障", "三保障")]),
        ("精准扶贫、两不愁", [("精准扶贫", "精准扶贫")]),
    ]

    func testCases() throws {
        let matcher = try FormulaMatcher(lexicon: Self.lexicon())
        let normalizer = try Normalizer()
        for (text, expected) in Self.cases {
            let original = Array(text.unicodeScalars)
            let found = matcher.matches(in: normalizer.normalize(text)).map { m in
                (m.formula, String(String.UnicodeScalarView(original[m.sourceRange])))
            }
            XCTAssertEqual(found.map(\.0), expected.map(\.0), text)
            XCTAssertEqual(found.map(\.1), expected.map(\.1), text)
        }
    }

    func testOffsetsAndSentenceAreInTheOriginal() throws {
        let matcher = try FormulaMatcher(lexicon: Self.lexicon())
        let text = "第一句。\r\n  我們堅持“兩不愁、三保障”(bǎo zhàng)標準！下一句"
        let original = Array(text.unicodeScalars)
        let m = try XCTUnwrap(matcher.matches(in: try Normalizer().normalize(text)).first)
        XCTAssertEqual(String(String.UnicodeScalarView(original[m.sourceRange])), "兩不愁、三保障")
        XCTAssertEqual(m.sourceRange.lowerBound, 13)
        XCTAssertEqual(String(String.UnicodeScalarView(original[m.sentenceSourceRange])), "我們堅持“兩不愁、三保障”(bǎo zhàng)標準！")
    }

    func testPartBoundaries() {
        func parts(_ s: String) -> [Int] { FormulaText.partBoundaries(FormulaText.key(s)) }
        XCTAssertEqual(parts("两不愁三保障"), [3])
        XCTAssertEqual(parts("三落实三精准三保障"), [3, 6])
        XCTAssertEqual(parts("一个中心两个基本点"), [4])
        XCTAssertEqual(parts("五个一批"), [])
        XCTAssertEqual(parts("十三五"), [])
        XCTAssertEqual(parts("精准扶贫"), [])
    }
}
