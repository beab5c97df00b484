import Foundation
import XCTest
import TifaTestSupport

/// End-to-end: runs the built `tifa` binary on the seeds and on generated corpora.
final class IndexCommandTests: XCTestCase {
    static let root = TestPaths.packageRoot
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-cli-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    var binary: URL { TifaRunner.executable }

    @discardableResult
    func tifa(_ arguments: [String], stdin: String? = nil) throws -> TifaRunner.Result {
        try TifaRunner.run(arguments, stdin: stdin)
    }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    func testDoneCriteriaOnSeeds() throws {
        let db = path("s.db")
        let build = try tifa(["index", "build", "seeds/", "--db", db])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.stdout, "")
        XCTAssertEqual(build.stderr, "")  // silence in pipes

        let top = try tifa(["top", "--db", db, "--kind", "formula", "--format", "csv"])
        XCTAssertEqual(top.status, 0, top.stderr)
        XCTAssertTrue(top.stdout.contains(",两不愁三保障,formula,7,3,"), top.stdout)

        let kwic = try tifa(["kwic", "五个一批", "--db", db, "--format", "tsv"])
        let lines = kwic.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "doc_id\tdocument\tstart\tend\tleft\tmatch\tright")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.contains("001_e3192dbda4851018.txt") && $0.contains("\t五个一批\t") })

        let jsonl = try tifa(["top", "--db", db, "--kind", "formula", "--format", "jsonl", "--limit", "100"])
        let objects = try jsonl.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let object = objects.first { $0?["term"] as? String == "两不愁三保障" }
        XCTAssertEqual(object??["count"] as? Int, 7)
        XCTAssertEqual(object??["kind"] as? String, "formula")

        // The shipped stop words keep function words out of word rankings.
        let words = try tifa(["top", "--db", db, "--format", "tsv", "--limit", "50"]).stdout
        XCTAssertFalse(words.contains("\t的\tword\t"), words)
        let unfiltered = try tifa(["top", "--db", db, "--format", "tsv", "--limit", "0", "--stopwords", "none"]).stdout
        XCTAssertTrue(unfiltered.contains("\t的\tword\t"))
        // The default list (Stopwords ISO's zh, Dictionaries/tools/stopwords.py) drops the counters
        // and numerals that opened the ranking (户 人 一 名) and keeps what Tifa decided to keep.
        for word in ["户", "人", "一", "名"] {
            XCTAssertTrue(unfiltered.contains("\t\(word)\tword\t"), word)
            XCTAssertFalse(words.contains("\t\(word)\tword\t"), "\(word) is a stop word")
        }
        XCTAssertTrue(words.contains("\t县\tword\t"), words)
        XCTAssertGreaterThan(unfiltered.split(separator: "\n").count, 500, "--limit 0 is all")

        // --kind all counts a formula once, as a formula.
        let all = try tifa(["top", "--db", db, "--kind", "all", "--format", "tsv", "--limit", "0"]).stdout
        XCTAssertTrue(all.contains("\t两不愁三保障\tformula\t"))
        XCTAssertFalse(all.contains("\t两不愁三保障\tword\t"), all)

        // --by groups as in trend; the ranking is --rank-by.
        let legacy = try tifa(["top", "--db", db, "--by", "tfidf"])
        XCTAssertEqual(legacy.status, 64)
        XCTAssertTrue(legacy.stderr.contains("--rank-by tfidf"), legacy.stderr)
        XCTAssertEqual(try tifa(["top", "--db", db, "--rank-by", "tfidf", "--format", "json"]).status, 0)

        let page = path("report.html")
        let report = try tifa(["report", "--db", db, "-o", page])
        XCTAssertEqual(report.status, 0, report.stderr)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.contains("两不愁三保障") && html.contains("class=\"sortable\""))
        XCTAssertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "self-contained")
    }

    func testTrendOnJSONLWithYearsAndSVG() throws {
        let corpus = path("reports.jsonl")
        try """
            {"title": "a", "content": "聚焦两不愁三保障，实施五个一批。", "year": 2018}
            {"title": "b", "content": "两不愁三保障全面实现。两不愁三保障！", "year": 2019}
            {"title": "c", "content": "巩固拓展脱贫攻坚成果。", "year": 2021}
            {"title": "d", "content": "要把政策用好用活。"}

            """.write(toFile: corpus, atomically: true, encoding: .utf8)
        let db = path("j.db")
        XCTAssertEqual(try tifa(["index", "build", corpus, "--db", db, "--meta", "year"]).status, 0)
        let svg = path("t.svg")
        let trend = try tifa(["trend", "两不愁三保障", "--by", "year", "--db", db, "--format", "csv", "--svg", svg])
        XCTAssertEqual(trend.status, 0, trend.stderr)
        let rows = trend.stdout.split(separator: "\n").map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
        XCTAssertEqual(rows, ["year,term,kind,count", "2018,两不愁三保障,formula,1", "2019,两不愁三保障,formula,2", "2021,两不愁三保障,formula,0"])
        let chart = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(chart.hasPrefix("<svg") && chart.contains("<polyline"))

        let unknown = try tifa(["trend", "没有的提法", "--db", db])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stdout, "")
        XCTAssertTrue(unknown.stderr.contains("\"没有的提法\" occurs nowhere in \(db)"), unknown.stderr)

        // Found only in the document without a year: zeros and a note, not "nowhere" (as text
        // and as a term), nor silence.
        for query in ["用好", "政策"] {
            let leftOut = try tifa(["trend", query, "--db", db, "--format", "csv"])
            XCTAssertEqual(leftOut.status, 0, leftOut.stderr)
            XCTAssertEqual(leftOut.stdout.split(separator: "\n").count, 4, leftOut.stdout)
            XCTAssertTrue(leftOut.stderr.contains("\"\(query)\" occurs only in documents left out (without a year)"), leftOut.stderr)
            XCTAssertTrue(leftOut.stderr.contains("1 document without a year left out"), leftOut.stderr)
        }
        // top chooses groups as trend does.
        let since = try tifa(["top", "--db", db, "--by", "year", "--from", "2019", "--kind", "formula", "--format", "csv"])
        XCTAssertEqual(since.status, 0, since.stderr)
        XCTAssertEqual(Set(since.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }), ["2019", "2021"], since.stdout)
        XCTAssertEqual(try tifa(["top", "--db", db, "--to", "2019"]).status, 64)
        // No document has the field: an error, not an empty table with exit 0.
        let ungrouped = try tifa(["trend", "两不愁三保障", "--by", "region", "--db", db])
        XCTAssertEqual(ungrouped.status, 1)
        XCTAssertEqual(ungrouped.stdout, "")
        XCTAssertTrue(ungrouped.stderr.contains("no document of \(db) has a region: nothing to group by"), ungrouped.stderr)

        let text = try tifa(["kwic", "不愁", "--db", db, "--format", "tsv"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stdout.split(separator: "\n").count, 4)
        XCTAssertTrue(text.stderr.contains("searched as text"), text.stderr)
        let negative = try tifa(["kwic", "不愁", "--db", db, "--limit", "-3"])
        XCTAssertEqual(negative.status, 64)
        XCTAssertTrue(negative.stderr.contains("--limit must be ≥ 0"), negative.stderr)
    }

    /// --date-from-text: the seeds' datelines give four of them a year (the fifth writes none),
    /// recorded in the options; analyses carry no texts to read it from.
    func testDateFromTextGivesScrapedPagesAYear() throws {
        let db = path("dated.db")
        let build = try tifa(["index", "build", "seeds/", "--db", db, "--date-from-text"])
        XCTAssertEqual(build.status, 0, build.stderr)
        let trend = try tifa(["trend", "脱贫攻坚", "--db", db, "--format", "csv"])
        XCTAssertEqual(trend.status, 0, trend.stderr)
        XCTAssertEqual(trend.stdout.split(separator: "\n").map { $0.split(separator: ",").prefix(4).joined(separator: ",") },
                       ["year,term,kind,count", "2018,脱贫攻坚,formula,51", "2019,脱贫攻坚,formula,11", "2020,脱贫攻坚,formula,14"])
        XCTAssertTrue(trend.stderr.contains("1 document without a year left out"), trend.stderr)
        let info = try tifa(["index", "info", "--db", db, "--format", "tsv"])
        XCTAssertTrue(info.stdout.contains("\"dateFromText\":true"), info.stdout)
        let refused = try tifa(["index", "build", "--from-analyses", "x.jsonl", "--db", path("a.db"), "--date-from-text"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--date-from-text reads a corpus's texts; give it to `tifa analyze`"), refused.stderr)
        // `tifa analyze --date-from-text` records carry the date: their index trends alike.
        let analyses = try tifa(["analyze", "--date-from-text", "seeds/"])
        XCTAssertEqual(analyses.status, 0, analyses.stderr)
        try analyses.stdout.write(toFile: path("a.jsonl"), atomically: false, encoding: .utf8)
        XCTAssertEqual(try tifa(["index", "build", "--from-analyses", path("a.jsonl"), "--db", path("a.db")]).status, 0)
        XCTAssertEqual(try tifa(["trend", "脱贫攻坚", "--db", path("a.db"), "--format", "csv"]).stdout, trend.stdout)
        // discover reads the years too.
        let discover = try tifa(["discover", "seeds/", "--date-from-text", "--format", "jsonl", "--limit", "1"])
        XCTAssertEqual(discover.status, 0, discover.stderr)
        XCTAssertTrue(discover.stdout.contains("\"first_year\":20"), discover.stdout)
    }

    /// kwic of a word tells where its text stands but the segmenter cut it otherwise (用 好用 活),
    /// so its count is not read as every occurrence: that many = text occurrences − token lines
    /// (no longer word here holds 用活), whatever the model decides.
    func testKwicTellsWhereAWordWasCutOtherwise() throws {
        let corpus = path("kw.txt")
        try "加强人才国际交流，用好用活各类人才。\n要把政策用好用活，切实解决问题。\n用活资金。\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        let db = path("kw.db")
        XCTAssertEqual(try tifa(["index", "build", corpus, "--db", db]).status, 0)
        let text = try tifa(["kwic", "用活", "--text", "--db", db, "--format", "tsv"])
        let occurrences = text.stdout.split(separator: "\n").count - 1
        XCTAssertEqual(occurrences, 3, text.stdout)
        let words = try tifa(["kwic", "用活", "--db", db, "--format", "tsv"])
        guard words.status == 0 else { return XCTAssertTrue(words.stderr.contains("occurs nowhere"), words.stderr) }
        let tokens = words.stdout.split(separator: "\n").count - 1
        if tokens == occurrences {
            XCTAssertFalse(words.stderr.contains("cut it otherwise"), words.stderr)
        } else {
            let n = occurrences - tokens
            XCTAssertTrue(words.stderr.contains("\"用活\" also stands \(n) time\(n == 1 ? "" : "s") in these documents where the segmenter cut it otherwise ("), words.stderr)
            // 用活 is general vocabulary, not a domain word: no --domain-words hint.
            XCTAssertFalse(words.stderr.contains("--domain-words"), words.stderr)
        }
    }

    /// `--domain-words whole`, the index's default: every occurrence of a domain word is one
    /// token, so its count does not depend on the character before it; the choice is part of
    /// the index's options, and a build with the other one analyses the documents again.
    func testIndexesCountEveryOccurrenceOfADomainWord() throws {
        let corpus = path("wd.txt")
        try "这是新时代的要求，进入新时代。\n由中国科学院主办的人工智能研讨会。\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        for flags in [["--whole-domain-words"], ["--domain-words", "whole"]] {
            let segmented = try tifa(["segment"] + flags + [corpus])
            XCTAssertEqual(segmented.status, 0, segmented.stderr)
            XCTAssertTrue(segmented.stdout.contains(" 人工智能 "), segmented.stdout)
        }
        let db = path("wd.db")
        for flags in [[], ["--domain-words", "whole"], ["--whole-domain-words"]] {
            XCTAssertEqual(try tifa(["index", "build", corpus, "--db", db] + flags).status, 0)
            let top = try tifa(["top", "--db", db, "--format", "tsv", "--limit", "100"])
            XCTAssertTrue(top.stdout.contains("\t新时代\tword\t2\t1\t"), "\(flags): \(top.stdout)")
            XCTAssertTrue(top.stdout.contains("\t人工智能\tword\t1\t1\t"), "\(flags): \(top.stdout)")
            let recorded = try tifa(["index", "info", "--db", db, "--format", "json"])
            XCTAssertTrue(recorded.stdout.contains("\\\"domainWords\\\":\\\"whole\\\""), recorded.stdout)
        }
        // `tifa analyze` counts alike, so its records index under the same options.
        let analyses = try tifa(["analyze", corpus])
        XCTAssertEqual(analyses.status, 0, analyses.stderr)
        try analyses.stdout.write(toFile: path("wd.jsonl"), atomically: false, encoding: .utf8)
        XCTAssertEqual(try tifa(["index", "build", "--from-analyses", path("wd.jsonl"), "--db", path("wd2.db")]).status, 0)
        let conflicting = try tifa(["index", "build", corpus, "--db", db, "--whole-domain-words", "--domain-words", "model"])
        XCTAssertNotEqual(conflicting.status, 0)
        XCTAssertTrue(conflicting.stderr.contains("--whole-domain-words and --domain-words model cannot be combined"), conflicting.stderr)
        let again = try tifa(["index", "build", corpus, "--db", db, "--domain-words", "model"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let info = try tifa(["index", "info", "--db", db, "--format", "json"])
        XCTAssertFalse(info.stdout.contains("domainWords"), info.stdout)
        // Built with PKU's cuts, kwic says where the model cut the domain word and what would keep it whole.
        let kwic = try tifa(["kwic", "新时代", "--db", db, "--format", "tsv"])
        XCTAssertEqual(kwic.status, 0, kwic.stderr)
        let tokens = kwic.stdout.split(separator: "\n").count - 1
        if tokens < 2 {
            XCTAssertTrue(kwic.stderr.contains("where the segmenter cut it otherwise (新 时代), not counted (a domain word the model cuts by PKU's convention next to a single character, as this index was built with --domain-words model; an index built with the default, --domain-words whole, keeps it whole)"), kwic.stderr)
        } else {
            XCTAssertFalse(kwic.stderr.contains("--domain-words"), kwic.stderr)
        }
    }

    /// A blank query is a usage error (before the index is opened), not "occurs nowhere".
    func testBlankQueriesAreUsageErrors() throws {
        let db = path("none.db")
        for (arguments, message) in [(["kwic", " ", "--db", db], "a query is empty"), (["trend", "发展", "", "--db", db], "a query is empty"),
                                     (["top", "--term", "\u{3000}", "--db", db], "a --term is empty"), (["define", ""], "the formula is empty")] {
            let run = try tifa(arguments)
            XCTAssertEqual(run.status, 64, "\(arguments)")
            XCTAssertTrue(run.stderr.contains(message), run.stderr)
        }
    }

    /// --no-texts: the counting commands print what they print with texts; kwic, text searches
    /// and an update that would add texts are one-line errors naming the index.
    func testIndexWithoutTexts() throws {
        let with = path("with.db"), without = path("without.db")
        let part = ["--meta-from-path", "(?<part>\\d{3})_"]
        XCTAssertEqual(try tifa(["index", "build", "seeds/", "--db", with] + part).status, 0)
        let build = try tifa(["index", "build", "seeds/", "--db", without, "--no-texts"] + part)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.stderr, "")
        for query in [["top", "--kind", "all", "--limit", "0", "--format", "tsv"], ["top", "--rank-by", "tfidf", "--format", "csv"],
                      ["trend", "两不愁三保障", "脱贫", "--by", "part", "--format", "csv"], ["export"], ["export", "--kind", "formula"]] {
            let a = try tifa(query + ["--db", with]), b = try tifa(query + ["--db", without])
            XCTAssertEqual(a.status, 0, a.stderr)
            XCTAssertGreaterThan(a.stdout.split(separator: "\n").count, 5, "\(query)")
            XCTAssertEqual(a.stdout, b.stdout, "\(query)")
            XCTAssertEqual(b.status, 0, b.stderr)
        }
        XCTAssertTrue(try tifa(["index", "info", "--db", without, "--format", "csv"]).stdout.contains("\ntexts,omitted\n"))
        for query in [["kwic", "五个一批"], ["kwic", "不愁"], ["trend", "不愁", "--by", "part"], ["trend", "精准", "--text", "--by", "part"]] {
            XCTAssertEqual(try tifa(query + ["--db", with]).status, 0, "\(query)")
            let r = try tifa(query + ["--db", without])
            XCTAssertEqual(r.status, 1, "\(query)")
            XCTAssertEqual(r.stdout, "")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("\(without): ") && r.stderr.contains("--no-texts"), r.stderr)
        }
        let update = try tifa(["index", "build", "seeds/", "--db", without] + part)
        XCTAssertEqual(update.status, 1)
        XCTAssertTrue(update.stderr.contains("--no-texts") && update.stderr.contains("--rebuild"), update.stderr)
        // Shards of other documents, one with texts and one without.
        let seeds = try TestPaths.seedFiles().map(\.path)
        let shardWith = path("shard-with.db"), shardWithout = path("shard-without.db")
        XCTAssertEqual(try tifa(["index", "build", seeds[0], "--db", shardWith]).status, 0)
        XCTAssertEqual(try tifa(["index", "build", seeds[1], "--db", shardWithout, "--no-texts"]).status, 0)
        let mixed = try tifa(["index", "merge", shardWith, shardWithout, "--db", path("m.db")])
        XCTAssertEqual(mixed.status, 1)
        XCTAssertTrue(mixed.stderr.contains("--no-texts"), mixed.stderr)
        let merged = try tifa(["index", "merge", shardWith, shardWithout, "--db", path("m.db"), "--no-texts"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
    }

    func testStdinCorpusAndExports() throws {
        let db = path("in.db")
        let build = try tifa(["index", "build", "--db", db], stdin: "乡村振兴战略。乡村振兴。")
        XCTAssertEqual(build.status, 0, build.stderr)
        let long = try tifa(["export", "--db", db, "--kind", "formula"])
        XCTAssertEqual(long.stdout, "doc_id,name,term,kind,count\n1,<stdin>,乡村振兴,formula,2\n")
        let mtx = path("m.mtx")
        XCTAssertEqual(try tifa(["export", "--db", db, "--dtm", mtx]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.rows.csv")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.cols.csv")))
    }

    func testBadDatabasesAreOneLineErrors() throws {
        for (file, expected) in [(path("none.db"), "no such index"), (Self.root.appendingPathComponent("Package.swift").path, "not a Tifa index")] {
            let r = try tifa(["top", "--db", file])
            XCTAssertNotEqual(r.status, 0)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(expected), r.stderr)
        }
    }

    func testSkippedDocumentsAreReportedAndStrictFails() throws {
        let dir = path("c")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "精准扶贫".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try Data([0xE7, 0xB2, 0xBE, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: dir + "/bad.txt"))
        let db = path("k.db")
        let lenient = try tifa(["index", "build", dir, "--db", db, "--encoding", "utf-8"])
        XCTAssertEqual(lenient.status, 0)
        XCTAssertTrue(lenient.stderr.contains("invalid bytes replaced"), lenient.stderr)
        let strict = try tifa(["index", "build", dir, "--db", path("k2.db"), "--encoding", "utf-8", "--strict"])
        XCTAssertNotEqual(strict.status, 0)
        XCTAssertTrue(strict.stderr.contains("bad.txt"), strict.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("k2.db")))
    }

    /// Kills builds at random moments: the target is always a complete index, the old or the new.
    func testKilledBuildLeavesACompleteIndex() throws {
        let dir = path("big")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let seed = try String(contentsOfFile: Self.root.appendingPathComponent("seeds/001_e3192dbda4851018.txt").path, encoding: .utf8)
        for i in 0..<300 { try (seed + "\n第\(i)篇").write(toFile: dir + "/doc\(i).txt", atomically: false, encoding: .utf8) }
        let db = path("k.db")
        try "精准扶贫".write(toFile: path("one.txt"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try tifa(["index", "build", path("one.txt"), "--db", db]).status, 0)
        for delay in [0.05, 0.2, 0.4] {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["index", "build", dir, "--db", db, "--quiet"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let top = try tifa(["top", "--db", db, "--kind", "formula", "--format", "csv"])
            XCTAssertEqual(top.status, 0, top.stderr)
            let docs = try tifa(["index", "info", "--db", db, "--format", "csv"]).stdout
            XCTAssertTrue(docs.contains("documents,1\n") || docs.contains("documents,300\n"), docs)
        }
    }
}
