import Foundation
import TifaTestSupport
import XCTest

/// `tifa analyze` as a streaming stage, and the ways its output and shards become one index.
final class AnalyzeCommandTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-cli-analyze-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    func testStdinJSONLinesGiveOneRecordPerDocumentWithOffsets() throws {
        let input = """
            {"title": "a", "content": "聚焦兩不愁、三保障", "year": 2019}
            not json
            {"title": "b", "content": "COVID-19疫情，2020年"}

            """
        let run = try TifaRunner.run(["analyze", "-", "--tokens", "--meta", "year"], stdin: input)
        XCTAssertEqual(run.status, 3, "a skipped line gives exit status 3")
        XCTAssertTrue(run.stderr.contains("<stdin>:2: not a JSON object"), run.stderr)
        let records = try run.stdout.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(records.map { $0["id"] as? String }, ["a", "b"])
        XCTAssertEqual(records[0]["metadata"] as? [String: String], ["year": "2019"])
        let analysis = try XCTUnwrap(records[0]["analysis"] as? [String: Any])
        let formulas = try XCTUnwrap(analysis["formulas"] as? [[String: Any]])
        XCTAssertEqual(formulas.first?["formula"] as? String, "两不愁三保障")
        XCTAssertEqual(formulas.first?["surface"] as? String, "兩不愁、三保障")
        XCTAssertEqual(formulas.first?["start"] as? Int, 2)
        XCTAssertEqual(formulas.first?["end"] as? Int, 9)
        let tokens = try XCTUnwrap(analysis["tokens"] as? [[String: Any]])
        XCTAssertEqual(tokens.map { $0["text"] as? String }, ["聚焦", "两不愁", "三保障"])
        // Offsets index the original text.
        let text = Array((records[0]["text"] as? String ?? "").unicodeScalars)
        let second = tokens[1]
        XCTAssertEqual(String(String.UnicodeScalarView(text[(second["start"] as! Int)..<(second["end"] as! Int)])), "兩不愁")
        XCTAssertEqual(records[0]["analyzer"] as? String, records[1]["analyzer"] as? String)

        // Deterministic: the same input gives the same bytes.
        XCTAssertEqual(try TifaRunner.run(["analyze", "-", "--tokens", "--meta", "year"], stdin: input).stdout, run.stdout)
    }

    /// Records come in input order whatever the thread count: seeds, a JSON Lines file with a
    /// skipped line, an invalid byte, an empty document, and stdin.
    func testThreadsDoNotChangeTheOutput() throws {
        var files = try TestPaths.seedFiles().map(\.path)
        let lines = (0..<40).map { #"{"title": "r\#($0)", "content": "第\#($0)条：聚焦两不愁三保障\#(String(repeating: "，实施五个一批", count: $0 % 7))"}"# }
        try (lines[..<20].joined(separator: "\n") + "\nnot json\n" + lines[20...].joined(separator: "\n") + "\n{\"title\": \"empty\", \"content\": \"\"}\n")
            .write(toFile: path("records.jsonl"), atomically: true, encoding: .utf8)
        var invalid = Data("乡村振兴".utf8)
        invalid.append(contentsOf: [0xFF, 0xC3])
        try invalid.write(to: URL(fileURLWithPath: path("invalid.txt")))
        files += [path("records.jsonl"), path("invalid.txt")]
        for options in [[], ["--tokens"], ["--no-text"]] {
            let one = try TifaRunner.run(["analyze", "--threads", "1"] + options + files)
            XCTAssertEqual(one.status, 3, one.stderr)
            XCTAssertEqual(one.stdout.split(separator: "\n").count, 5 + 41 + 1)
            for threads in ["2", "4"] {
                let many = try TifaRunner.run(["analyze", "--threads", threads] + options + files)
                XCTAssertEqual(many.status, 3, many.stderr)
                XCTAssertTrue(many.stdout == one.stdout, "\(options), --threads \(threads): stdout differs")
                XCTAssertEqual(many.stderr, one.stderr)
            }
        }
        let stdin = try String(contentsOfFile: path("records.jsonl"), encoding: .utf8)
        XCTAssertEqual(try TifaRunner.run(["analyze", "--threads", "3", "-"], stdin: stdin).stdout,
                       try TifaRunner.run(["analyze", "--threads", "1", "-"], stdin: stdin).stdout)
    }

    func testAnalysesAndShardsBecomeTheIndexOfOneBuild() throws {
        // The seeds as JSON Lines with a year each (2016…2020), one record a file, so that
        // `trend` has groups to compare.
        let seeds = try TestPaths.seedFiles().enumerated().map { i, url in
            let record = try JSONSerialization.data(withJSONObject: ["title": url.lastPathComponent, "year": 2016 + i,
                                                                     "content": try String(contentsOf: url, encoding: .utf8)])
            let file = path("seed\(i).jsonl")
            try (String(decoding: record, as: UTF8.self) + "\n").write(toFile: file, atomically: false, encoding: .utf8)
            return file
        }
        let single = path("single.db")
        XCTAssertEqual(try TifaRunner.run(["index", "build"] + seeds + ["--db", single]).status, 0)

        let analyses = try TifaRunner.run(["analyze"] + seeds)
        XCTAssertEqual(analyses.status, 0, analyses.stderr)
        try analyses.stdout.write(toFile: path("analyses.jsonl"), atomically: false, encoding: .utf8)
        let fromAnalyses = path("from-analyses.db")
        let build = try TifaRunner.run(["index", "build", "--from-analyses", path("analyses.jsonl"), "--db", fromAnalyses])
        XCTAssertEqual(build.status, 0, build.stderr)

        let a = path("a.db"), b = path("b.db"), merged = path("merged.db")
        XCTAssertEqual(try TifaRunner.run(["index", "build"] + seeds.prefix(2) + ["--db", a]).status, 0)
        XCTAssertEqual(try TifaRunner.run(["index", "build"] + seeds.dropFirst(2) + ["--db", b]).status, 0)
        let merge = try TifaRunner.run(["index", "merge", a, b, "--db", merged])
        XCTAssertEqual(merge.status, 0, merge.stderr)

        for query in [["top", "--kind", "all", "--limit", "0", "--format", "tsv"], ["kwic", "两不愁三保障", "--format", "tsv"],
                      ["trend", "脱贫攻坚", "--format", "tsv"]] {
            let expected = try TifaRunner.run(query + ["--db", single])
            XCTAssertEqual(expected.status, 0, expected.stderr)
            XCTAssertGreaterThan(expected.stdout.split(separator: "\n").count, 5, "\(query)")
            XCTAssertEqual(try TifaRunner.run(query + ["--db", fromAnalyses]).stdout, expected.stdout, "\(query)")
            XCTAssertEqual(try TifaRunner.run(query + ["--db", merged]).stdout, expected.stdout, "\(query)")
        }

        // Analyses made with other options are refused with a message, not indexed.
        let other = try TifaRunner.run(["index", "build", "--from-analyses", path("analyses.jsonl"), "--no-t2s", "--db", path("other.db")])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("other options or dictionaries"), other.stderr)
    }

    /// Shards of stdin (one Spark partition each, piped) may hold the same record at the same
    /// line: their documents name no file, so the merge does not take them for one document.
    func testShardsReadFromStdinMergeWhateverTheyHold() throws {
        let record = "{\"content\": \"两不愁三保障，五个一批。\"}\n"
        for name in ["x.db", "y.db"] {
            let build = try TifaRunner.run(["index", "build", "-", "--stdin", "jsonl", "--db", path(name)], stdin: record)
            XCTAssertEqual(build.status, 0, build.stderr)
        }
        let merge = try TifaRunner.run(["index", "merge", path("x.db"), path("y.db"), "--db", path("m.db")])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let info = try TifaRunner.run(["index", "info", "--db", path("m.db"), "--format", "tsv"])
        XCTAssertTrue(info.stdout.contains("documents\t2\n"), info.stdout)
    }

    /// A user dictionary given to `index build` reaches the counts and the provenance.
    func testIndexBuildWithUserDictionary() throws {
        let dict = path("words.txt")
        try "兴平市 1000\n".write(toFile: dict, atomically: false, encoding: .utf8)
        let corpus = path("c.txt")
        try "兴平市人民政府。兴平市。\n".write(toFile: corpus, atomically: false, encoding: .utf8)
        let db = path("i.db")
        let build = try TifaRunner.run(["index", "build", corpus, "--dict", dict, "--db", db])
        XCTAssertEqual(build.status, 0, build.stderr)
        let top = try TifaRunner.run(["top", "--db", db, "--format", "tsv", "--limit", "0"])
        XCTAssertTrue(top.stdout.contains("\t兴平市\tword\t2\t"), top.stdout)
        let info = try TifaRunner.run(["index", "info", "--db", db, "--format", "tsv"])
        XCTAssertTrue(info.stdout.contains("resource \(dict)"), info.stdout)
    }
}
