import Foundation
import Tifa
@testable import TifaIndex
import TifaTestSupport
import XCTest

/// `index build --no-texts`: no stored texts, every count-based answer the same as with texts,
/// and the commands that need texts refuse with the index's name and the fix.
final class IndexWithoutTextsTests: XCTestCase {
    /// The seeds, each file's number as metadata `part`, so queries have groups.
    func seedOptions(_ texts: TextStorage) -> IndexBuildOptions {
        var options = IndexBuildOptions.threads(2)
        options.corpus.metaFromPath = "(?<part>\\d{3})_"
        options.texts = texts
        return options
    }

    func storedTextCount(_ db: String) throws -> Int64 {
        try SQLiteDatabase(path: db, mode: .readOnly).scalarInt("SELECT COUNT(*) FROM texts") ?? -1
    }

    func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
    }

    func assertNeedsTexts(_ db: String, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(db + ": ") && message.contains("--no-texts") && message.contains("--rebuild"), message, file: file, line: line)
            XCTAssertFalse(message.contains("\n"), "one line: \(message)", file: file, line: line)
        }
    }

    func testQueriesWithoutTextsAnswerAsWithTexts() throws {
        let scratch = try Scratch()
        let with = scratch.path("with.db"), without = scratch.path("without.db")
        try IndexBuilder.build(inputs: [Fixtures.seeds], database: with, options: seedOptions(.stored))
        try IndexBuilder.build(inputs: [Fixtures.seeds], database: without, options: seedOptions(.omitted))

        // Every table but the texts, ids included.
        try assertSameIndex(with, without, except: ["texts"])
        XCTAssertEqual(try storedTextCount(with), 5)
        XCTAssertEqual(try storedTextCount(without), 0)
        let a = try IndexReader(path: with), b = try IndexReader(path: without)
        XCTAssertEqual(a.texts, .stored)
        XCTAssertEqual(b.texts, .omitted)
        XCTAssertEqual(try b.meta("texts"), "omitted")
        XCTAssertLessThan(try fileSize(without), try fileSize(with))

        for kinds in [[.word], [.formula], Set(TermKind.allCases)] as [Set<TermKind>] {
            for ranking in TermRanking.allCases {
                for group in [nil, "part"] as [String?] {
                    var q = TopQuery()
                    q.kinds = kinds
                    q.ranking = ranking
                    q.groupBy = group
                    q.limit = 100_000
                    let rows = try a.top(q)
                    XCTAssertFalse(rows.isEmpty)
                    XCTAssertEqual(rows, try b.top(q), "top \(kinds) \(ranking) \(group ?? "-")")
                }
            }
        }
        var trend = TrendQuery(terms: ["两不愁三保障", "脱贫", "五个一批"])
        trend.groupBy = "part"
        let trendRows = try a.trend(trend).rows
        XCTAssertTrue(trendRows.contains { $0.count > 0 })
        XCTAssertEqual(trendRows, try b.trend(trend).rows)
        XCTAssertEqual(try a.distinctTerms(.formula), try b.distinctTerms(.formula))

        // Exports: byte for byte (the same file names: the matrix names its side files).
        for (index, folder) in [(a, "with"), (b, "without")] {
            try FileManager.default.createDirectory(atPath: scratch.path(folder), withIntermediateDirectories: true)
            try index.exportLong(to: scratch.path("\(folder)/x.csv"))
            try index.exportDTM(to: scratch.path("\(folder)/x.mtx"))
        }
        for name in ["x.csv", "x.mtx", "x.rows.csv", "x.cols.csv"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: scratch.path("with/" + name)))
            XCTAssertFalse(x.isEmpty)
            XCTAssertEqual(x, try Data(contentsOf: URL(fileURLWithPath: scratch.path("without/" + name))), name)
        }

        // What needs the texts refuses, naming the index; with texts it works.
        XCTAssertFalse(try a.kwic("五个一批").isEmpty)
        XCTAssertFalse(try a.kwic("脱贫", kinds: [.word]).isEmpty)
        assertNeedsTexts(without) { _ = try b.kwic("五个一批") }
        assertNeedsTexts(without) { _ = try b.kwic("脱贫", kinds: [.word]) }
        var text = TrendQuery(terms: ["精准"])
        text.groupBy = "part"
        text.search = .text
        XCTAssertTrue(try a.trend(text).rows.contains { $0.count > 0 })
        assertNeedsTexts(without) { _ = try b.trend(text) }
        text.search = .regex
        assertNeedsTexts(without) { _ = try b.trend(text) }
        // A query that is not a term would be searched as text: refused, not counted as zero.
        text.search = .auto
        text.terms = ["扶贫攻坚战役"]
        XCTAssertEqual(try a.resolve("扶贫攻坚战役").method, .text)
        assertNeedsTexts(without) { _ = try b.trend(text) }
    }

    func testUpdatesKeepTheSettingDropTextsAndRefuseToAddThem() throws {
        let scratch = try Scratch()
        for (i, seed) in try TestPaths.seedFiles().enumerated() {
            try scratch.write("c/\(i).txt", try String(contentsOf: seed, encoding: .utf8))
        }
        let corpus = [scratch.path("c")]
        let db = scratch.path("i.db")
        var options = IndexBuildOptions.threads(2)
        options.texts = .omitted
        XCTAssertEqual(try IndexBuilder.build(inputs: corpus, database: db, options: options).indexed, 5)
        XCTAssertTrue(try IndexBuilder.build(inputs: corpus, database: db, options: options).upToDate)

        // An update with the same setting: only the changed file, still no texts.
        try scratch.write("c/1.txt", "第一篇改写：坚持精准扶贫，聚焦两不愁三保障。")
        let update = try IndexBuilder.build(inputs: corpus, database: db, options: options)
        XCTAssertEqual(update.indexed, 1)
        XCTAssertNil(update.droppedTexts)
        XCTAssertEqual(try storedTextCount(db), 0)
        XCTAssertEqual(try IndexReader(path: db).texts, .omitted)
        let fresh = scratch.path("fresh.db")
        try IndexBuilder.build(inputs: corpus, database: fresh, options: options)
        XCTAssertEqual(try contentSignature(db), try contentSignature(fresh))

        // Texts back on an update: refused, the index unchanged; --rebuild stores them.
        try scratch.write("c/2.txt", "第二篇改写：实施五个一批。")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        var withTexts = IndexBuildOptions.threads(2)
        XCTAssertThrowsError(try IndexBuilder.build(inputs: corpus, database: db, options: withTexts)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(db + ": ") && message.contains("--no-texts") && message.contains("--rebuild"), message)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        withTexts.mode = .rebuild
        XCTAssertEqual(try IndexBuilder.build(inputs: corpus, database: db, options: withTexts).indexed, 5)
        XCTAssertEqual(try storedTextCount(db), 5)
        XCTAssertEqual(try IndexReader(path: db).texts, .stored)

        // To --no-texts on an update: the texts go (the file shrinks), the rows stay a fresh build's,
        // even with nothing else to do.
        let sizeWithTexts = try fileSize(db)
        let dropped = try IndexBuilder.build(inputs: corpus, database: db, options: options)
        XCTAssertFalse(dropped.upToDate)
        XCTAssertEqual(dropped.droppedTexts, 5)
        XCTAssertEqual(dropped.indexed, 0)
        XCTAssertEqual(try storedTextCount(db), 0)
        XCTAssertEqual(try IndexReader(path: db).texts, .omitted)
        XCTAssertLessThan(try fileSize(db), sizeWithTexts * 9 / 10)
        var rebuilt = options
        rebuilt.mode = .rebuild
        try IndexBuilder.build(inputs: corpus, database: fresh, options: rebuilt)
        XCTAssertEqual(try contentSignature(db), try contentSignature(fresh))
        XCTAssertTrue(try IndexBuilder.build(inputs: corpus, database: db, options: options).upToDate)

        // Another dictionary re-analyses the documents holding its words, still without texts.
        var dictionary = options
        dictionary.analysis.dictionaries = [try scratch.write("d.txt", "一篇改写 10\n")]
        let words = try IndexBuilder.build(inputs: corpus, database: db, options: dictionary)
        XCTAssertEqual(words.wordListChange?.reanalyzed, 1)
        XCTAssertEqual(try storedTextCount(db), 0)
        dictionary.mode = .rebuild
        try IndexBuilder.build(inputs: corpus, database: fresh, options: dictionary)
        XCTAssertEqual(try contentSignature(db), try contentSignature(fresh))
    }

    func testMergeRefusesMixedShardsUnlessTextsAreLeftOut() throws {
        let scratch = try Scratch()
        let files = try TestPaths.seedFiles().map(\.path)
        var options = IndexBuildOptions.threads(1)
        let single = scratch.path("single.db")
        options.texts = .omitted
        try IndexBuilder.build(inputs: files, database: single, options: options)
        let a = scratch.path("a.db"), b = scratch.path("b.db"), c = scratch.path("c.db")
        options.texts = .stored
        try IndexBuilder.build(inputs: Array(files[0..<2]), database: a, options: options)
        options.texts = .omitted
        try IndexBuilder.build(inputs: Array(files[2...]), database: b, options: options)
        try IndexBuilder.build(inputs: Array(files[0..<2]), database: c, options: options)

        let merged = scratch.path("m.db")
        XCTAssertThrowsError(try IndexMerger.merge(shards: [a, b], into: merged)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(b + ": ") && message.contains(a) && message.contains("--no-texts"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: merged))
        XCTAssertThrowsError(try IndexMerger.merge(shards: [b, a], into: merged))
        XCTAssertThrowsError(try IndexMerger.merge(shards: [c, b], into: merged, texts: .stored))

        // Left out: the index of one build without texts.
        XCTAssertEqual(try IndexMerger.merge(shards: [a, b], into: merged, texts: .omitted).texts, .omitted)
        try assertSameIndex(single, merged)
        XCTAssertEqual(try IndexReader(path: merged).texts, .omitted)
        // Shards that all lack texts need no option.
        let merged2 = scratch.path("m2.db")
        XCTAssertEqual(try IndexMerger.merge(shards: [c, b], into: merged2).texts, .omitted)
        try assertSameIndex(single, merged2)
        // Shards with texts keep them.
        let merged3 = scratch.path("m3.db")
        XCTAssertEqual(try IndexMerger.merge(shards: [a], into: merged3).texts, .stored)
        XCTAssertEqual(try storedTextCount(merged3), 2)
    }

    func testIndexFromAnalysesHonoursNoTexts() throws {
        let scratch = try Scratch()
        let files = try TestPaths.seedFiles().map(\.path)
        var options = IndexBuildOptions.threads(1)
        options.texts = .omitted
        let single = scratch.path("single.db")
        try IndexBuilder.build(inputs: files, database: single, options: options)
        let analyzer = try Analyzer(options: IndexBuildOptions().analysis)
        let fingerprint = try Analyzer.fingerprint(for: analyzer.options)
        var withText = "", withoutText = ""
        for item in try CorpusReader(inputs: files) {
            guard case .document(let document) = item else { return XCTFail("seed skipped") }
            let analysis = analyzer.analyze(document.text)
            withText += String(decoding: try JSONEncoder().encode(AnalyzedDocument(document: document, analysis: analysis, analyzer: fingerprint)), as: UTF8.self) + "\n"
            withoutText += String(decoding: try JSONEncoder().encode(AnalyzedDocument(document: document, analysis: analysis, analyzer: fingerprint, includesText: false)), as: UTF8.self) + "\n"
        }
        options.source = .analyses
        for (name, lines) in [("with", withText), ("without", withoutText)] {
            let analyses = try scratch.write("\(name).jsonl", lines)
            let db = scratch.path("\(name).db")
            try IndexBuilder.build(inputs: [analyses], database: db, options: options)
            try assertSameIndex(single, db)
            XCTAssertEqual(try IndexReader(path: db).texts, .omitted)
        }
        // Records without texts cannot give an index with texts: refused, not stored empty.
        options.texts = .stored
        let analyses = scratch.path("without.jsonl")
        XCTAssertThrowsError(try IndexBuilder.build(inputs: [analyses], database: scratch.path("empty.db"), options: options)) { error in
            XCTAssertTrue("\(error)".contains("has no text") && "\(error)".contains("--no-texts"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("empty.db")))
    }
}
