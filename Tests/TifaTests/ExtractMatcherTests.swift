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
            let found = matcher.matches(in: normalizer.normalize(text), coverage: .outermost).map { m in
                (m.formula, String(String.UnicodeScalarView(original[m.sourceRange])))
            }
            XCTAssertEqual(found.map(\.0), expected.map(\.0), text)
            XCTAssertEqual(found.map(\.1), expected.map(\.1), text)
        }
    }

    /// (text, expected [formula, surface, outer formula or nil]) with nested occurrences.
    static let nestedCases: [(String, [(String, String, String?)])] = [
        ("落实三落实三精准三保障要求", [("三落实三精准三保障", "三落实三精准三保障", nil), ("三保障", "三保障", "三落实三精准三保障")]),
        ("实现“两不愁、三保障”", [("两不愁三保障", "两不愁、三保障", nil), ("三保障", "三保障", "两不愁三保障")]),
        // Overlapping the end of the outer occurrence: 改革开放 starts inside 全面深化改革.
        ("全面深化改革开放", [("全面深化改革", "全面深化改革", nil), ("改革开放", "改革开放", "全面深化改革")]),
        // Two levels: both inner formulas link to the outermost one.
        ("巩固拓展脱贫攻坚成果同乡村振兴有效衔接", [("巩固拓展脱贫攻坚成果同乡村振兴有效衔接", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接", nil),
                                         ("巩固拓展脱贫攻坚成果", "巩固拓展脱贫攻坚成果", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接"),
                                         ("脱贫攻坚", "脱贫攻坚", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接"),
                                         ("乡村振兴", "乡村振兴", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接")]),
        ("打赢精准脱贫攻坚战", [("精准脱贫", "精准脱贫", nil), ("脱贫攻坚战", "脱贫攻坚战", "精准脱贫"), ("脱贫攻坚", "脱贫攻坚", "精准脱贫")]),
        // The numeral rules hold inside too: 十五个一批 holds no 五个一批.
        ("八个一批和十五个一批", [("八个一批", "八个一批", nil)]),
    ]

    static func nestedLexicon() throws -> PolicyLexicon {
        try lexicon().merging(PolicyLexicon(entries: ["全面深化改革", "改革开放", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接", "巩固拓展脱贫攻坚成果",
                                                    "脱贫攻坚", "脱贫攻坚战", "乡村振兴", "精准脱贫"].map { .init(formula: $0, category: .poverty) }))
    }

    func testNestedOccurrences() throws {
        let matcher = try FormulaMatcher(lexicon: Self.nestedLexicon())
        let normalizer = try Normalizer()
        for (text, expected) in Self.nestedCases {
            let original = Array(text.unicodeScalars)
            let found = matcher.matches(in: normalizer.normalize(text))
            XCTAssertEqual(found.map(\.formula), expected.map(\.0), text)
            XCTAssertEqual(found.map { String(String.UnicodeScalarView(original[$0.sourceRange])) }, expected.map(\.1), text)
            XCTAssertEqual(found.map { $0.within?.formula }, expected.map(\.2), text)
            for m in found {
                guard let outer = m.within else { continue }
                XCTAssertTrue(outer.sourceRange.contains(m.sourceRange.lowerBound), "\(m.formula) starts outside \(outer.formula)")
                XCTAssertTrue(found.contains { $0.within == nil && $0.sourceRange == outer.sourceRange && $0.formula == outer.formula })
            }
            let outermost = matcher.matches(in: normalizer.normalize(text), coverage: .outermost)
            XCTAssertEqual(outermost.map(\.formula), found.filter { $0.within == nil }.map(\.formula), text)
        }
    }

    /// Nested counts equal literal counts: every formula is counted as often as it is written.
    func testNestedCountsEqualLiteralCounts() throws {
        let lexicon = try Self.nestedLexicon()
        let matcher = try FormulaMatcher(lexicon: lexicon)
        let text = """
        坚持改革开放，全面深化改革开放。全面深化改革，扩大改革开放。打赢精准脱贫攻坚战，脱贫攻坚取得胜利。\
        实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接，全面推进乡村振兴，脱贫攻坚战全面胜利。
        """
        var counts: [String: Int] = [:]
        for m in matcher.matches(in: try Normalizer().normalize(text)) { counts[m.formula, default: 0] += 1 }
        for entry in lexicon.entries {
            let literal = text.components(separatedBy: entry.formula).count - 1
            XCTAssertEqual(counts[entry.formula] ?? 0, literal, entry.formula)
        }
        XCTAssertEqual(counts["改革开放"], 3)
        XCTAssertEqual(counts["脱贫攻坚"], 4)
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
        // Four-character phrases in a row: 长期共存、互相监督、肝胆相照、荣辱与共.
        XCTAssertEqual(parts("长期共存互相监督肝胆相照荣辱与共"), [4, 8, 12])
        XCTAssertEqual(parts("百花齐放百家争鸣"), [4])
        XCTAssertEqual(parts("山水林田湖草沙"), [])
    }

    /// Folding flags every character as the separator and numeral lists say, whichever path it
    /// takes (a bit table for the Unified Ideographs, the lists elsewhere).
    func testFoldedSymbolsAreFlaggedAsTheListsSay() {
        let scalars = (UInt32(0)..<0x10000).compactMap(Unicode.Scalar.init).filter { !(0x30...0x39).contains($0.value) }
        let symbols = FormulaText.fold(scalars)
        XCTAssertEqual(symbols.count, scalars.count)
        for symbol in symbols {
            XCTAssertEqual(symbol.isSeparator, FormulaText.isSeparator(symbol.value), "U+\(String(symbol.value, radix: 16))")
            XCTAssertEqual(symbol.isNumeral, FormulaText.isNumeral(symbol.value), "U+\(String(symbol.value, radix: 16))")
        }
        XCTAssertEqual(symbols.filter(\.isNumeral).count, 18)  // 零〇○一两三四五六七八九 (二 folds to 两) 十百千万亿
    }
}

/// Each formula is only itself: wordings of another period, counts and other abbreviations are
/// not reported as a formula (issue 13), on sentences written for these tests.
final class FalseFriendTests: XCTestCase {
    func formulas(_ text: String) throws -> [String] {
        let matcher = try FormulaMatcher(lexicon: PolicyLexicon.shipped())
        return matcher.matches(in: try Normalizer().normalize(text)).map(\.formula)
    }

    func testWordingsOfAnotherPeriodAreTheirOwnEntries() throws {
        XCTAssertEqual(try formulas("山水林田湖是一个生命共同体"), ["山水林田湖"])
        XCTAssertEqual(try formulas("统筹山水林田湖草系统治理"), ["山水林田湖草", "山水林田湖"])
        XCTAssertEqual(try formulas("坚持山水林田湖草沙一体化保护").first, "山水林田湖草沙")
        XCTAssertEqual(try formulas("实行长期共存、互相监督的方针"), ["长期共存互相监督"])
        XCTAssertEqual(try formulas("长期共存、互相监督、肝胆相照、荣辱与共").first, "长期共存互相监督肝胆相照荣辱与共")
        let lexicon = try PolicyLexicon.shipped()
        XCTAssertEqual(lexicon.entry(formula: "山水林田湖")?.since, 2013)
        XCTAssertEqual(lexicon.entry(formula: "长期共存互相监督")?.since, 1956)
        XCTAssertEqual(lexicon.entry(formula: "长期共存互相监督肝胆相照荣辱与共")?.since, 1982)
        XCTAssertEqual(lexicon.entry(formula: "五讲四美")?.since, 1981)
    }

    func testACountIsNoFormula() throws {
        XCTAssertFalse(try formulas("今年新增4个服务业扩大开放试点城市").contains("四个服务"))
        XCTAssertFalse(try formulas("选取三个代表性案例").contains("三个代表"))
        XCTAssertTrue(try formulas("坚持“四个服务”的办学方向").contains("四个服务"))
        XCTAssertTrue(try formulas("践行四个服务").contains("四个服务"))
        XCTAssertTrue(try formulas("三个代表重要思想").contains("三个代表"))
    }

    func testAnotherAbbreviationIsNoFormula() throws {
        XCTAssertFalse(try formulas("坚持干部“四化”方针").contains("四个现代化"))
        XCTAssertFalse(try formulas("按照“四化”方针选拔干部").contains("四个现代化"))
        XCTAssertFalse(try formulas("推动四化同步发展").contains("四个现代化"))
        XCTAssertEqual(try formulas("推动四化同步发展"), ["四化同步"])
        XCTAssertTrue(try formulas("为实现四化而奋斗").contains("四个现代化"))
    }

    func testFalseFriendFileParses() throws {
        let contexts = try FalseFriendFilters.readContexts(DataFiles.dictionary("formula_false_friends.tsv"))
        let lexicon = try PolicyLexicon.shipped()
        for formula in contexts.keys { XCTAssertNotNil(lexicon.entry(formula: formula), "\(formula) is not in the lexicon") }
    }
}
