import XCTest
@testable import Tifa

final class ExtractLexiconTests: XCTestCase {
    func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-lexicon-\(UUID().uuidString).tsv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testParsesEntries() throws {
        let lexicon = try ExtractMatcherTests.lexicon()
        let e = try XCTUnwrap(lexicon.entry(formula: "两不愁三保障"))
        XCTAssertEqual(e.category, .poverty)
        XCTAssertEqual(e.since, 2011)
        XCTAssertTrue(e.meaning?.contains("不愁吃") ?? false)
        XCTAssertTrue(e.origin.hasSuffix("test_lexicon.tsv:4"), e.origin)
        XCTAssertNil(lexicon.entry(formula: "精准扶贫")?.meaning)
        XCTAssertEqual(lexicon.entry(matching: "两不愁、三保障")?.formula, "两不愁三保障")
        XCTAssertEqual(lexicon.entry(matching: "5个一批")?.formula, "五个一批")
        XCTAssertEqual(lexicon.entry(matching: "丝绸之路经济带和21世纪海上丝绸之路")?.formula, "一带一路")
        XCTAssertNil(lexicon.entry(matching: "六个一批"))
        XCTAssertEqual(lexicon.surfaceForms.first, "丝绸之路经济带和21世纪海上丝绸之路")
        XCTAssertTrue(lexicon.surfaceForms.contains("三保障"))
    }

    func testBadLinesNameFileAndLine() throws {
        let bad: [(String, String)] = [
            ("两不愁三保障\n", "expected 2 to 5"),
            ("两不愁三保障\tpoverty\t-\t2011\t意思\t多余\n", "expected 2 to 5"),
            ("# c\n两不愁三保障\tpovrty\t-\t2011\t意思\n", "unknown category"),
            ("两不愁、三保障\tpoverty\t-\t2011\t意思\n", "separator"),
            ("两不愁三保障\tpoverty\t-\t11\t意思\n", "4-digit year"),
            ("五个一批\tpoverty\t-\t-\t-\n5个一批\tpoverty\t-\t-\t-\n", "already listed"),
        ]
        for (text, message) in bad {
            let url = try temporaryFile(text)
            XCTAssertThrowsError(try PolicyLexicon(files: [url]), text) { error in
                let e = error as? DataFileError
                XCTAssertEqual(e?.file, url.path)
                XCTAssertEqual(e?.line, text.hasPrefix("#") ? 2 : (message == "already listed" ? 2 : 1))
                XCTAssertTrue(e?.message.contains(message) ?? false, "\(String(describing: e))")
            }
        }
    }

    /// A user's lexicon may stop after the category, or leave cells empty (a spreadsheet's
    /// export): what is missing is unknown.
    func testShortLinesAndEmptyCellsMeanUnknown() throws {
        let url = try temporaryFile("六稳六保\teconomy\n两不愁三保障\tpoverty\t\t2011\n五个一批\tpoverty\t\t\t\n")
        let lexicon = try PolicyLexicon(files: [url])
        XCTAssertEqual(lexicon.entry(formula: "六稳六保"), PolicyLexicon.Entry(formula: "六稳六保", category: .economy, origin: "\(url.path):1"))
        XCTAssertEqual(lexicon.entry(formula: "两不愁三保障")?.since, 2011)
        XCTAssertNil(lexicon.entry(formula: "两不愁三保障")?.meaning)
        XCTAssertEqual(lexicon.entry(formula: "五个一批")?.variants, [])
    }

    func testUserLexiconOverridesAndAdds() throws {
        let user = try PolicyLexicon(files: [temporaryFile("五个一批\trural\t-\t-\t用户的解释\n六稳六保\teconomy\t-\t2020\t稳就业…保居民就业…\n")])
        let merged = try ExtractMatcherTests.lexicon().merging(user)
        XCTAssertEqual(merged.entry(formula: "五个一批")?.meaning, "用户的解释")
        XCTAssertEqual(merged.entry(formula: "五个一批")?.category, .rural)
        XCTAssertNotNil(merged.entry(formula: "六稳六保"))
        XCTAssertEqual(merged.count, try ExtractMatcherTests.lexicon().count + 1)
    }

    /// The shipped lexicon: parseable, sorted, unique, large enough; skipped until the data file exists.
    func testShippedLexicon() throws {
        let url = try DataFiles.dictionary("policy_formulas.tsv")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("policy_formulas.tsv not present yet") }
        let lexicon = try PolicyLexicon.shipped()
        XCTAssertGreaterThanOrEqual(lexicon.count, 300)
        var previous: String? = nil
        try DataFiles.forEachDataLine(in: url) { line, number in
            let formula = String(line.split(separator: "\t").first ?? "")
            if let previous {
                XCTAssertTrue(previous.unicodeScalars.lexicographicallyPrecedes(formula.unicodeScalars), "line \(number): \(formula) after \(previous)")
            }
            previous = formula
        }
        for f in ["两不愁三保障", "五个一批", "一摘四不摘", "八个一批", "三落实三精准三保障"] {
            XCTAssertNotNil(lexicon.entry(formula: f), f)
        }
    }
}
