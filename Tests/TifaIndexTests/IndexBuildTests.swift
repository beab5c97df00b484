import Foundation
import Tifa
@testable import TifaIndex
import XCTest

final class IndexBuildTests: XCTestCase {
    func testSeedsFormulaCountsAndKwic() throws {
        let scratch = try Scratch()
        let db = scratch.path("s.db")
        let report = try IndexBuilder.build(inputs: [Fixtures.seeds], database: db, options: .threads(2))
        XCTAssertGreaterThanOrEqual(report.indexed, 5)
        XCTAssertTrue(report.skipped.isEmpty)

        let index = try IndexReader(path: db)
        var q = TopQuery()
        q.kinds = [.formula]
        let top = try index.top(q)
        let row = try XCTUnwrap(top.first { $0.term == "两不愁三保障" })
        XCTAssertEqual(row.count, 7)  // 5 in 001, 1 in 004, and “兩不愁、三保障” in the traditional 003
        XCTAssertEqual(row.documents, 3)

        let lines = try index.kwic("五个一批")
        XCTAssertEqual(lines.count, 2)
        let original = try String(contentsOfFile: Fixtures.seeds + "/001_e3192dbda4851018.txt", encoding: .utf8)
        let scalars = Array(original.unicodeScalars)
        for l in lines {
            XCTAssertTrue(l.name.hasPrefix("001_"))
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[l.start..<l.end])), "五个一批")
            XCTAssertEqual(l.match, "五个一批")
        }
        // Traditional surface keeps its original form and offsets.
        let traditional = try index.kwic("两不愁三保障").filter { $0.name.hasPrefix("003_") }
        XCTAssertEqual(traditional.map(\.match), ["兩不愁、三保障"])
        // The segmenter's word token counts only the unseparated form; the formula counts all.
        XCTAssertEqual(try index.kwic("两不愁三保障", kinds: [.word]).count, 6)
        // A traditional query finds the simplified term.
        XCTAssertEqual(try index.kwic("兩不愁三保障").count, 7)
    }

    /// Every dictionary that shapes the analysis is in the index's provenance, so changing it
    /// re-indexes everything; only the query-time stop words and discovery's knowledge of places and
    /// idioms are not (the discovery stoplist's measure words tell the formula matcher what a
    /// counted formula is).
    func testProvenanceCoversEveryAnalysisDictionary() throws {
        let dir = try DataFiles.dictionariesDirectory()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".tsv") || $0.hasSuffix(".bin") }
        let notAnalysis: Set<String> = ["stopwords.txt", "numeral_words.txt"]
        XCTAssertEqual(Set(try Analyzer.dataFiles(for: .init()).map(\.name)), Set(files).subtracting(notAnalysis))
    }

    func testUnknownTermGivesEmptyResults() throws {
        let scratch = try Scratch()
        let db = scratch.path("s.db")
        try IndexBuilder.build(inputs: [Fixtures.seeds], database: db, options: .threads(1))
        let index = try IndexReader(path: db)
        XCTAssertEqual(try index.kwic("不存在的提法"), [])
        XCTAssertEqual(try index.trend(terms: ["不存在的提法"], by: "year"), [])
        XCTAssertFalse(try index.contains("不存在的提法"))
    }

    func testResultsDoNotDependOnThreadCount() throws {
        let scratch = try Scratch()
        let one = scratch.path("one.db"), three = scratch.path("three.db")
        try IndexBuilder.build(inputs: [Fixtures.seeds], database: one, options: .threads(1))
        try IndexBuilder.build(inputs: [Fixtures.seeds], database: three, options: .threads(3))
        XCTAssertEqual(try contentSignature(one), try contentSignature(three))
        // Ids too: they follow input order.
        let a = scratch.path("a.csv"), b = scratch.path("b.csv")
        try IndexReader(path: one).exportLong(to: a)
        try IndexReader(path: three).exportLong(to: b)
        XCTAssertEqual(try String(contentsOfFile: a, encoding: .utf8), try String(contentsOfFile: b, encoding: .utf8))
    }

    func testIncrementalBuildEqualsRebuild() throws {
        let scratch = try Scratch()
        try scratch.write("c/2018_a.txt", "坚持精准扶贫，聚焦两不愁三保障。")
        try scratch.write("c/2019_b.txt", "实施五个一批，落实两不愁、三保障。")
        try scratch.write("c/2020_c.txt", "巩固脱贫成果，推进乡村振兴。")
        try scratch.write("c/records.jsonl", """
            {"title": "r1", "content": "四个全面战略布局", "year": 2015}
            {"title": "r2", "content": "五位一体总体布局", "year": 2016}

            """)
        var options = IndexBuildOptions.threads(2)
        options.corpus.metaFromPath = "(?<year>\\d{4})_"
        let db = scratch.path("i.db")
        let first = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertEqual(first.indexed, 5)

        // Nothing changed: not written at all.
        let before = try FileManager.default.attributesOfItem(atPath: db)[.modificationDate] as! Date
        let again = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertTrue(again.upToDate)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: db)[.modificationDate] as! Date, before)

        // Change one file, remove one, add one, append a record to the JSONL file.
        try scratch.write("c/2019_b.txt", "实施五个一批。")
        try FileManager.default.removeItem(atPath: scratch.path("c/2020_c.txt"))
        try scratch.write("c/2021_d.txt", "全面推进乡村振兴，两不愁三保障。")
        try scratch.write("c/records.jsonl", """
            {"title": "r1", "content": "四个全面战略布局", "year": 2015}
            {"title": "r2", "content": "五位一体总体布局", "year": 2016}
            {"title": "r3", "content": "四个自信", "year": 2017}

            """)
        let update = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertEqual(update.indexed, 3)       // 2019_b changed, 2021_d new, r3 new
        XCTAssertEqual(update.kept, 2)          // r1, r2 unchanged inside the changed JSONL file
        XCTAssertEqual(update.removed, 2)       // the old 2019_b and 2020_c
        XCTAssertEqual(update.unchangedFiles, 1)

        var fresh = options
        fresh.mode = .rebuild
        let rebuilt = scratch.path("r.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: rebuilt, options: fresh)
        XCTAssertEqual(try contentSignature(db), try contentSignature(rebuilt))

        let index = try IndexReader(path: db)
        let trend = try index.trend(terms: ["两不愁三保障"], by: "year")
        XCTAssertEqual(trend.map(\.group), ["2015", "2016", "2017", "2018", "2019", "2021"])
        XCTAssertEqual(trend.map(\.count), [0, 0, 0, 1, 0, 1])
    }

    func testChangedOptionsReindexEverything() throws {
        let scratch = try Scratch()
        try scratch.write("c/a.txt", "兩不愁三保障")
        let db = scratch.path("i.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: .threads(1))
        var options = IndexBuildOptions.threads(1)
        options.analysis.normalization.steps.remove(.traditionalToSimplified)
        let report = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertNotNil(report.fullRebuildReason)
        XCTAssertEqual(report.indexed, 1)
        XCTAssertEqual(try IndexReader(path: db).meta("options")?.contains("\"steps\":[\"artifacts\",\"width\",\"whitespace\",\"chrome\"]"), true)
    }

    func testSkippedDocumentsAreListedAndStrictLeavesPreviousIndex() throws {
        let scratch = try Scratch()
        try scratch.write("c/good.txt", "精准扶贫")
        try scratch.write("c/records.jsonl", "{\"title\": \"ok\", \"content\": \"五个一批\"}\nnot json\n")
        let db = scratch.path("i.db")
        let report = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: .threads(2))
        XCTAssertEqual(report.indexed, 2)
        XCTAssertEqual(report.skipped.map(\.source), [scratch.url.standardizedFileURL.path + "/c/records.jsonl:2"])
        let index = try IndexReader(path: db)
        XCTAssertEqual(try index.skipped().count, 1)
        let signature = try contentSignature(db)

        try scratch.write("c/new.txt", "乡村振兴")
        var strict = IndexBuildOptions.threads(2)
        strict.skipPolicy = .fail
        XCTAssertThrowsError(try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: strict)) { error in
            XCTAssertTrue("\(error)".contains("records.jsonl:2"), "\(error)")
        }
        XCTAssertEqual(try contentSignature(db), signature)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testQueriesRefuseFilesThatAreNotCompleteTifaIndexes() throws {
        let scratch = try Scratch()
        XCTAssertThrowsError(try IndexReader(path: scratch.path("missing.db"))) { XCTAssertTrue("\($0)".contains("no such index")) }
        let text = try scratch.write("plain.txt", "hello")
        XCTAssertThrowsError(try IndexReader(path: text)) { XCTAssertTrue("\($0)".contains("not a Tifa index")) }

        let other = scratch.path("other.db")
        try SQLiteDatabase(path: other, mode: [.readWrite, .create]).execute("CREATE TABLE x (y)")
        XCTAssertThrowsError(try IndexReader(path: other)) { XCTAssertTrue("\($0)".contains("not a Tifa index")) }
        // A build refuses to overwrite someone else's database.
        try scratch.write("c/a.txt", "精准扶贫")
        XCTAssertThrowsError(try IndexBuilder.build(inputs: [scratch.path("c")], database: other, options: .threads(1)))

        // An index whose build never finished (no marker) is refused.
        let partial = scratch.path("partial.db")
        let db = try SQLiteDatabase(path: partial, mode: [.readWrite, .create])
        try db.execute("PRAGMA application_id = \(IndexSchema.applicationID); PRAGMA user_version = \(IndexSchema.version);")
        try db.execute(IndexSchema.tables)
        XCTAssertThrowsError(try IndexReader(path: partial)) { XCTAssertTrue("\($0)".contains("incomplete")) }
        // …and the next build replaces it with a complete one.
        let report = try IndexBuilder.build(inputs: [scratch.path("c")], database: partial, options: .threads(1))
        XCTAssertNotNil(report.fullRebuildReason)
        XCTAssertEqual(try IndexReader(path: partial).documentCount, 1)
    }

    func testHTMLIsIndexedWithoutTagsAndScriptsAndOffsetsReferToTheStrippedText() throws {
        let scratch = try Scratch()
        try scratch.write("c/page.html", "<html><head><script>var x = '五个一批';</script><style>p{}</style></head><body><p>精细实施&ldquo;五个一批&rdquo;</p></body></html>")
        let db = scratch.path("h.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: .threads(1))
        let index = try IndexReader(path: db)
        let lines = try index.kwic("五个一批")
        XCTAssertEqual(lines.count, 1)  // the one in <script> is not text
        let sql = try SQLiteDatabase(path: db, mode: .readOnly)
        let text = Array(try XCTUnwrap(sql.scalarText("SELECT text FROM texts")).unicodeScalars)
        let l = try XCTUnwrap(lines.first)
        XCTAssertEqual(String(String.UnicodeScalarView(text[l.start..<l.end])), "五个一批")
        XCTAssertFalse(String(String.UnicodeScalarView(text)).contains("<p>"))
    }

    func testStaleTemporaryCopiesOfDeadBuildsAreRemoved() throws {
        let scratch = try Scratch()
        try scratch.write("c/a.txt", "精准扶贫")
        let db = scratch.path("i.db")
        // pid 2^22+1 is above Linux's default pid_max, so no such process exists.
        try scratch.write("i.db.tmp-4194305", "half-written")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: .threads(1))
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("i.db.tmp-4194305")))
    }
}
