import Foundation
import Tifa
@testable import TifaIndex
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

final class IndexQueryTests: XCTestCase {
    var scratch: Scratch!
    var db: String!

    override func setUpWithError() throws {
        scratch = try Scratch()
        try scratch.write("c/records.jsonl", """
            {"id": "a", "text": "精准扶贫。精准扶贫，两不愁三保障。发展 产业 产业", "year": 2018, "region": "川"}
            {"id": "b", "text": "两不愁三保障。两不愁三保障。产业", "year": 2019, "region": "川"}
            {"id": "c", "text": "乡村振兴。产业兴旺，2020年", "year": 2020, "region": "晋"}
            {"id": "d", "text": "乡村振兴，乡村振兴", "year": 2020, "region": "晋"}

            """)
        var options = IndexBuildOptions.threads(2)
        options.corpus.textField = "text"
        options.corpus.idField = "id"
        options.corpus.metaFields = ["year", "region"]
        db = scratch.path("q.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
    }

    func testTopOverallAndPerGroup() throws {
        let index = try IndexReader(path: db)
        var q = TopQuery()
        q.kinds = [.formula]
        let top = try index.top(q)
        // Nested formulas count: each 两不愁三保障 holds a 两不愁 and a 三保障 (ties in code point order).
        XCTAssertEqual(top.map(\.term), ["三保障", "两不愁", "两不愁三保障", "乡村振兴", "精准扶贫"])
        XCTAssertEqual(top.map(\.count), [3, 3, 3, 3, 2])
        XCTAssertEqual(top.map(\.rank), [1, 2, 3, 4, 5])

        q.groupBy = "region"
        q.limit = 1
        let grouped = try index.top(q)
        XCTAssertEqual(grouped.map(\.group), ["川", "晋"])
        XCTAssertEqual(grouped.map(\.term), ["三保障", "乡村振兴"])

        // Rate: per 10,000 tokens of the group.
        q.groupBy = "year"
        q.ranking = .rate
        let rated = try index.top(q)
        let tokens2019 = try XCTUnwrap(index.trend(terms: ["两不愁三保障"], by: "year").first { $0.group == "2019" }).tokens
        let r2019 = try XCTUnwrap(rated.first { $0.group == "2019" })
        XCTAssertEqual(r2019.per10k, 2 * 10000 / Double(tokens2019), accuracy: 1e-9)
    }

    func testTfidfAndStopWords() throws {
        let index = try IndexReader(path: db)
        var q = TopQuery()
        q.ranking = .tfidf
        q.limit = 100
        let rows = try index.top(q)
        let n = 4.0
        let chanye = try XCTUnwrap(rows.first { $0.term == "产业" })
        XCTAssertEqual(chanye.tfidf, Double(chanye.count) * (log((1 + n) / (1 + 3)) + 1), accuracy: 1e-9)
        q.stopWords = ["产业"]
        XCTAssertFalse(try index.top(q).contains { $0.term == "产业" })
    }

    func testTrendFillsZerosAndOrdersGroups() throws {
        let index = try IndexReader(path: db)
        let rows = try index.trend(terms: ["乡村振兴", "两不愁三保障"], by: "year")
        XCTAssertEqual(rows.map(\.group), ["2018", "2019", "2020", "2018", "2019", "2020"])
        XCTAssertEqual(rows.map(\.count), [0, 0, 3, 1, 2, 0])
        XCTAssertEqual(rows.map(\.documents), [0, 0, 2, 1, 1, 0])
    }

    func testKwicOnWordsAgreesWithCounts() throws {
        let index = try IndexReader(path: db)
        let count = try index.top({ var q = TopQuery(); q.limit = 1000; return q }()).first { $0.term == "产业" }?.count
        let lines = try index.kwic("产业", width: 3)
        XCTAssertEqual(lines.count, count)
        XCTAssertTrue(lines.allSatisfy { $0.match == "产业" })
        XCTAssertEqual(lines.first?.left, "发展 ")
    }

    /// With a limit, kwic analyses again only the documents of the lines it shows (the lines
    /// come in document order), and its lines are the first of the unlimited ones.
    func testKwicWithALimitReadsOnlyTheDocumentsItShows() throws {
        let index = try IndexReader(path: db)
        let query = try index.resolve("产业")
        let all = try index.kwicResult(query, width: 3)
        XCTAssertEqual(all.documentsRead, 3)  // a, b, c hold 产业
        XCTAssertFalse(all.stoppedAtLimit)
        for limit in 1...4 {
            let some = try index.kwicResult(query, width: 3, limit: limit)
            XCTAssertEqual(some.lines, Array(all.lines.prefix(limit)), "limit \(limit)")
            // a holds two: lines 1–2 need a alone, line 3 b too, line 4 c too.
            XCTAssertEqual(some.documentsRead, [1, 1, 2, 3][limit - 1], "limit \(limit)")
            XCTAssertEqual(some.stoppedAtLimit, limit < 4, "limit \(limit)")
        }
        // A text search (振兴 stands only inside 乡村振兴) stops reading texts as early.
        let text = try index.resolve("振兴")
        XCTAssertEqual(text.method, .text)
        let allText = try index.kwicResult(text, width: 2)
        XCTAssertEqual(allText.lines.count, 3)
        for limit in 1...3 {
            XCTAssertEqual(try index.kwicResult(text, width: 2, limit: limit).lines, Array(allText.lines.prefix(limit)))
        }
    }

    /// `top --by FIELD` sums the documents' counts outside SQL: the same rows as SQL's GROUP BY
    /// over the `doc_terms` view, for every ranking, grouping and range.
    func testGroupedTopEqualsSQLOverDocTerms() throws {
        let index = try IndexReader(path: db)
        let sql = try SQLiteDatabase(path: db, mode: .readOnly)
        for field in ["year", "region", "nothing"] {
            let grp = field == "year" ? "d.year" : "(SELECT m.value FROM document_meta m WHERE m.doc_id = d.doc_id AND m.key = '\(field)')"
            let s = try sql.prepare("""
                SELECT \(grp) AS g, t.text, t.kind, SUM(dt.count), COUNT(*) FROM doc_terms dt JOIN documents d USING (doc_id)
                JOIN terms t USING (term_id)
                WHERE NOT (t.kind = 'word' AND t.text IN (SELECT f.text FROM terms f WHERE f.kind = 'formula'))
                GROUP BY g, dt.term_id
                """)
            var expected: Set<String> = []
            while try s.step() {
                let group = s.isNull(0) ? "-" : (s.text(0) ?? "")
                expected.insert("\(group)|\(s.text(1) ?? "")|\(s.text(2) ?? "")|\(s.int(3))|\(s.int(4))")
            }
            for ranking in [TermRanking.count, .rate, .tfidf] {
                var query = TopQuery()
                query.groupBy = field
                query.kinds = Set(TermKind.allCases)
                query.stopWords = []
                query.limit = 1000
                query.ranking = ranking
                let rows = try index.top(query)
                XCTAssertEqual(Set(rows.map { "\($0.group ?? "-")|\($0.term)|\($0.kind.rawValue)|\($0.count)|\($0.documents)" }), expected, "\(field) \(ranking)")
                // Ranked within each group.
                for (a, b) in zip(rows, rows.dropFirst()) where a.group == b.group {
                    XCTAssertEqual(b.rank, a.rank + 1)
                    XCTAssertFalse(IndexReader.ranksBefore(b, a, ranking), "\(a) \(b)")
                }
            }
        }
        var ranged = TopQuery()
        ranged.groupBy = "year"
        ranged.from = 2019
        ranged.to = 2020
        XCTAssertEqual(Set(try index.top(ranged).compactMap(\.group)), ["2019", "2020"])
    }

    /// `trend` sums the queried terms over one pass of the documents' counts: the same counts as
    /// SQL over the `doc_terms` view, in every group; a field no document has groups nothing.
    func testTrendEqualsSQLOverDocTerms() throws {
        let index = try IndexReader(path: db)
        let sql = try SQLiteDatabase(path: db, mode: .readOnly)
        for field in ["year", "region", "nothing"] {
            var query = TrendQuery(terms: ["产业", "两不愁三保障", "乡村振兴"])
            query.groupBy = field
            let result = try index.trend(query)
            let grp = field == "year" ? "d.year" : "(SELECT m.value FROM document_meta m WHERE m.doc_id = d.doc_id AND m.key = '\(field)')"
            for row in result.rows {
                let s = try sql.prepare("""
                    SELECT COALESCE(SUM(dt.count), 0), COUNT(*) FROM doc_terms dt JOIN documents d USING (doc_id) JOIN terms t USING (term_id)
                    WHERE t.text = ? AND t.kind = ? AND CAST(\(grp) AS TEXT) = ?
                    """)
                try s.bind([.text(row.term), .text(row.kindName), .text(row.group ?? "")])
                XCTAssertTrue(try s.step())
                XCTAssertEqual(row.count, Int(s.int(0)), "\(field) \(row)")
                XCTAssertEqual(row.documents, Int(s.int(1)), "\(field) \(row)")
            }
            XCTAssertEqual(result.rows.isEmpty, field == "nothing")
            XCTAssertEqual(result.ungroupedDocuments, field == "nothing" ? 4 : 0)
        }
    }

    /// Term counts that do not decompress to the writer's JSON are a damaged index, named.
    func testGroupedTopNamesDamagedTermCounts() throws {
        let sql = try SQLiteDatabase(path: db, mode: .readWrite)
        try sql.execute("UPDATE doc_term_data SET data = x'789c0300', bytes = 9 WHERE doc_id = 2")
        var query = TopQuery()
        query.groupBy = "year"
        XCTAssertThrowsError(try IndexReader(path: db).top(query)) { error in
            XCTAssertTrue("\(error)".contains("the term counts of document 2 are damaged"), "\(error)")
        }
    }

    func testExportsLongAndMatrixMarket() throws {
        let index = try IndexReader(path: db)
        let long = scratch.path("long.csv")
        try index.exportLong(to: long)
        let lines = try String(contentsOfFile: long, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "doc_id,name,region,year,term,kind,count")
        XCTAssertTrue(lines.contains("2,b,川,2019,两不愁三保障,formula,2"))

        let mtx = scratch.path("dtm.mtx")
        var filter = ExportFilter()
        filter.kinds = [.formula]
        let summary = try index.exportDTM(to: mtx, filter: filter)
        let matrix = try String(contentsOfFile: mtx, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(matrix[0], "%%MatrixMarket matrix coordinate integer general")
        let header = matrix.first { !$0.hasPrefix("%") }!.split(separator: " ").map { Int($0)! }
        XCTAssertEqual(header, [4, 5, summary.nonZero])
        XCTAssertEqual(matrix.filter { !$0.hasPrefix("%") }.count - 1, summary.nonZero)
        let cols = try String(contentsOfFile: scratch.path("dtm.cols.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(cols.count, 6)
        let rows = try String(contentsOfFile: scratch.path("dtm.rows.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "row,doc_id,name,tokens,region,year")
        XCTAssertEqual(rows.count, 5)
        // Sum of the matrix equals the formulas' collection frequency.
        let total = matrix.filter { !$0.hasPrefix("%") }.dropFirst().map { Int($0.split(separator: " ")[2])! }.reduce(0, +)
        XCTAssertEqual(total, 14)
    }

    func testSchemaViewsAnswerPlainSQL() throws {
        let sql = try SQLiteDatabase(path: db, mode: .readOnly)
        XCTAssertEqual(try sql.scalarInt("SELECT count FROM formula_counts_by_year WHERE year = 2020 AND formula = '乡村振兴'"), 3)
        XCTAssertEqual(try sql.scalarInt("SELECT documents FROM corpus_totals"), 4)
        XCTAssertEqual(try sql.scalarInt("SELECT cf FROM term_totals WHERE text = '两不愁三保障' AND kind = 'formula'"), 3)
        XCTAssertEqual(try sql.scalarText("SELECT surface FROM formula_occurrences f JOIN texts USING (doc_id) WHERE substr(text, f.start + 1, f.\"end\" - f.start) = f.surface LIMIT 1"), "精准扶贫")
    }

    /// Nested occurrences are stored with the outermost occurrence they stand in, and kwic finds them.
    func testNestedFormulaOccurrencesNameTheirOuterOne() throws {
        let sql = try SQLiteDatabase(path: db, mode: .readOnly)
        XCTAssertEqual(try sql.scalarInt("SELECT COUNT(*) FROM formula_occurrences WHERE within_term_id IS NOT NULL"), 6)
        XCTAssertEqual(try sql.scalarInt("""
            SELECT COUNT(*) FROM formula_occurrences n JOIN terms t ON t.term_id = n.within_term_id
            JOIN formula_occurrences o ON o.doc_id = n.doc_id AND o.term_id = n.within_term_id AND o.start = n.within_start AND o."end" = n.within_end
            WHERE t.text = '两不愁三保障' AND o.within_term_id IS NULL AND n.start >= o.start AND n.start < o."end"
            """), 6)
        let index = try IndexReader(path: db)
        XCTAssertEqual(try index.kwic("三保障", width: 3).count, 3)
    }

    func testTrendChartIsWellFormedSVG() throws {
        let index = try IndexReader(path: db)
        var chart = TrendChart()
        chart.measure = .rate
        chart.title = "提法 <trend>"
        let svg = chart.svg(try index.trend(terms: ["乡村振兴", "两不愁三保障"], by: "year"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
        XCTAssertTrue(svg.contains(">2018<") && svg.contains(">2020<"))
        XCTAssertTrue(svg.contains("occurrences per 10,000 tokens"))
        XCTAssertTrue(svg.contains(">乡村振兴</text>"))
        XCTAssertTrue(svg.contains("&lt;trend&gt;"))
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "\(String(describing: parser.parserError))")
    }

    func testTrendChartHasATimeAxisAndLeavesOutUngroupedRows() throws {
        func row(_ g: String?, _ term: String, _ count: Int) -> TrendRow {
            TrendRow(group: g, term: term, kind: .formula, count: count, documents: 1, tokens: 100, per10k: Double(count) * 100)
        }
        let years = ["1954", "1960", "1981", "1988", "1992", "2022"]
        var rows = years.map { row($0, "改革开放", 1) }
        rows.append(row(nil, "改革开放", 9))
        var chart = TrendChart()
        chart.note = "1 document without a year left out"
        let svg = chart.svg(rows)
        // Points are placed in proportion to the year: 1988 → 1992 is 4/68 of the axis, 1954 → 1960 6/68.
        let xs = svg.components(separatedBy: "<circle cx=\"").dropFirst().map { Double($0.prefix { $0 != "\"" })! }
        XCTAssertEqual(xs.count, years.count + 1, "one marker per grouped point and one in the legend")
        let span = xs[5] - xs[0]
        XCTAssertEqual((xs[4] - xs[3]) / span, 4.0 / 68, accuracy: 1e-3)
        XCTAssertEqual((xs[1] - xs[0]) / span, 6.0 / 68, accuracy: 1e-3)
        XCTAssertFalse(svg.contains("unknown"))
        XCTAssertTrue(svg.contains("1 document without a year left out"))
        XCTAssertTrue(svg.contains("Noto Sans CJK SC") && svg.contains("Microsoft YaHei"))
        // Tick labels never closer than a label's width: about 40 px for a year at 12 px.
        let ticks = TrendChart.numericTicks(min: 1954, max: 2022, pixels: 540)
        XCTAssertGreaterThan(ticks.count, 3)
        XCTAssertGreaterThanOrEqual(540 / Double(ticks.count), 40)
        XCTAssertEqual(ticks, ticks.map { $0.rounded() }, "whole years give whole ticks")
    }

    func testTrendChartSeriesAreDistinguishable() {
        let styles = (0..<24).map { TrendChart.style($0) }
        XCTAssertEqual(Set(styles.prefix(12).map(\.colour)).count, 12)
        XCTAssertEqual(Set(styles.map { "\($0.colour)|\($0.dash)|\($0.marker)" }).count, 24)
    }

    func testQueriesInAnySpellingAndAsText() throws {
        let index = try IndexReader(path: db)
        XCTAssertEqual(try index.resolve("兩不愁、三保障").method, .term)
        XCTAssertEqual(try index.resolve("兩不愁、三保障").label, "两不愁三保障")
        // 振兴 is inside the formula 乡村振兴, not a token: found as text.
        let inside = try index.resolve("振兴")
        XCTAssertEqual(inside.method, .text)
        XCTAssertEqual(try index.kwic(inside).count, 3)
        XCTAssertEqual(try index.kwic("振兴", search: .term), [])
        let pattern = try index.resolve("精准.贫", search: .regex)
        XCTAssertEqual(try index.kwic(pattern).map(\.match), ["精准扶贫", "精准扶贫"])
        var query = TrendQuery(terms: ["振兴"])
        query.from = 2019
        let trend = try index.trend(query)
        XCTAssertEqual(trend.rows.map(\.group), ["2019", "2020"])
        XCTAssertEqual(trend.rows.map(\.count), [0, 3])
        XCTAssertNil(trend.rows[0].kind)
    }

    func testReportPageIsSelfContainedWithChartsTablesAndSamples() throws {
        let index = try IndexReader(path: db)
        let html = try CorpusReport().html(index)
        XCTAssertEqual(html.components(separatedBy: "<figure class=\"chart\">").count - 1, 2)
        XCTAssertTrue(html.contains("<polyline class=\"series\""))
        XCTAssertTrue(html.contains("<td class=\"match\">两不愁三保障</td>"))
        XCTAssertTrue(html.contains("dataset.ok = \"1\""))
        for external in ["src=\"http", "href=\"http", "<link ", "@import"] { XCTAssertFalse(html.contains(external), external) }
    }

    func testFormulasAreCountedOnceWhenWordsAndFormulasAreRanked() throws {
        let index = try IndexReader(path: db)
        var q = TopQuery()
        q.kinds = Set(TermKind.allCases)
        q.limit = 1000
        let rows = try index.top(q)
        XCTAssertEqual(rows.filter { $0.term == "两不愁三保障" }.map(\.kind), [.formula])
        let words = try index.top({ var w = TopQuery(); w.limit = 1000; return w }())
        XCTAssertTrue(words.contains { $0.term == "两不愁三保障" }, "a word ranking alone still shows it")
    }
}
