import Foundation
import XCTest
import Tifa
import TifaTestSupport

/// End-to-end tests of `tifa extract`, `discover`, `terms` and `define`, running the built binary.
final class ExtractCLITests: XCTestCase {
    static let root = TestPaths.packageRoot
    static let testLexicon = root.appendingPathComponent("Tests/TifaTests/Fixtures/test_lexicon.tsv").path

    /// Runs the built binary through the shared runner.
    func tifa(_ arguments: [String], stdin: String? = nil) throws -> TifaRunner.Result {
        try TifaRunner.run(arguments, stdin: stdin, currentDirectory: Self.root)
    }

    /// Lexicon flags: the shipped lexicon when present, else the test lexicon alone.
    var lexiconFlags: [String] {
        let shipped = Self.root.appendingPathComponent("Dictionaries/policy_formulas.tsv").path
        return FileManager.default.fileExists(atPath: shipped) ? [] : ["--no-shipped-lexicon", "--lexicon", Self.testLexicon]
    }

    func seedCounts(_ flags: [String] = []) throws -> [String: Int] {
        let r = try tifa(["extract", "--summary", "seeds/"] + flags + lexiconFlags)
        XCTAssertEqual(r.status, 0, r.stderr)
        var counts: [String: Int] = [:]
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "doc_id\tformula\tcount")
        for line in lines.dropFirst() {
            let f = line.split(separator: "\t")
            counts["\(f[0].prefix(3)) \(f[1])"] = Int(f[2])
        }
        return counts
    }

    func testSeedSummary() throws {
        let counts = try seedCounts(["--outermost"])
        XCTAssertEqual(counts["001 两不愁三保障"], 5)
        XCTAssertEqual(counts["003 两不愁三保障"], 1)
        XCTAssertEqual(counts["004 两不愁三保障"], 1)
        XCTAssertEqual(counts["001 五个一批"], 2)
        XCTAssertEqual(counts["001 一摘四不摘"], 2)
        XCTAssertEqual(counts["002 八个一批"], 1)
        XCTAssertEqual(counts["004 三落实三精准三保障"], 1)
        XCTAssertNil(counts["004 三保障"])
        // Nested: the 三保障 of 三落实三精准三保障 and of 两不愁三保障 are counted too.
        let nested = try seedCounts()
        XCTAssertEqual(nested["004 三保障"], 2)
        XCTAssertEqual(nested["004 三落实三精准三保障"], 1)
    }

    func testOccurrencesCarryOriginalSurfaceAndOffsets() throws {
        let r = try tifa(["extract", "seeds/003_d4946fc00d2aaf39.txt", "--format", "jsonl"] + lexiconFlags)
        XCTAssertEqual(r.status, 0, r.stderr)
        let original = Array(try String(contentsOf: Self.root.appendingPathComponent("seeds/003_d4946fc00d2aaf39.txt"), encoding: .utf8).unicodeScalars)
        var sawTraditional = false
        for line in r.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let start = object["start"] as! Int, end = object["end"] as! Int
            XCTAssertEqual(String(String.UnicodeScalarView(original[start..<end])), object["surface"] as? String)
            XCTAssertTrue((object["sentence"] as! String).contains(object["surface"] as! String))
            if object["surface"] as? String == "兩不愁、三保障" { sawTraditional = object["formula"] as? String == "两不愁三保障" }
        }
        XCTAssertTrue(sawTraditional, r.stdout)
    }

    func testTSVAndCSVHeadersAndJSONLCorpus() throws {
        let jsonl = "{\"title\":\"甲\",\"content\":\"落实“两不愁、三保障”和5个一批。\"}\n{\"title\":\"乙\",\"body\":\"没有文本字段\"}\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("c.jsonl")
        try jsonl.write(to: file, atomically: true, encoding: .utf8)
        let csv = try tifa(["extract", "--format", "csv", file.path] + lexiconFlags)
        let rows = csv.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(rows.first, "doc_id,source,formula,category,surface,start,end,sentence,within_formula,within_start,within_end")
        XCTAssertTrue(rows.contains { $0.hasPrefix("甲,") && $0.contains(",两不愁三保障,poverty,两不愁、三保障,3,10,") }, csv.stdout)
        XCTAssertTrue(rows.contains { $0.contains(",五个一批,poverty,5个一批,") }, csv.stdout)
        XCTAssertEqual(csv.status, 3, "a record without the text field is skipped and the exit status says so")
        XCTAssertTrue(csv.stderr.contains("skipped"), csv.stderr)
        let tsv = try tifa(["extract", "--text-field", "body", "--id-field", "title", file.path] + lexiconFlags)
        XCTAssertTrue(tsv.stdout.hasPrefix("doc_id\tsource\tformula\tcategory\tsurface\tstart\tend\tsentence\twithin_formula\twithin_start\twithin_end\n"))
    }

    func testNestedOccurrencesNameTheOuterOne() throws {
        let r = try tifa(["extract", "--format", "jsonl"] + lexiconFlags, stdin: "落实“三落实三精准三保障”要求")
        XCTAssertEqual(r.status, 0, r.stderr)
        let objects = try r.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(objects.map { $0["formula"] as? String }, ["三落实三精准三保障", "三保障"], r.stdout)
        XCTAssertTrue(objects[0]["within"] is NSNull)
        let within = try XCTUnwrap(objects[1]["within"] as? [String: Any])
        XCTAssertEqual(within["formula"] as? String, "三落实三精准三保障")
        XCTAssertEqual(within["start"] as? Int, 3)
        XCTAssertEqual(within["end"] as? Int, 12)
        XCTAssertEqual(objects[1]["start"] as? Int, 9)
        let outermost = try tifa(["extract", "--outermost", "--format", "jsonl"] + lexiconFlags, stdin: "落实“三落实三精准三保障”要求")
        XCTAssertEqual(outermost.stdout.split(separator: "\n").count, 1, outermost.stdout)
    }

    func testMalformedLexiconFails() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-bad-\(UUID().uuidString).tsv")
        try "# header\n两不愁三保障\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try tifa(["extract", "--lexicon", file.path, "seeds/"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(file.path):2:"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    func testFoldersSayWhatTheyHeldButWasNotRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-folders-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let mixed = folder.appendingPathComponent("mixed"), sheets = folder.appendingPathComponent("sheets")
        for f in [mixed, sheets] { try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true) }
        try Data("精细实施五个一批".utf8).write(to: mixed.appendingPathComponent("a.txt"))
        try Data("两不愁三保障".utf8).write(to: mixed.appendingPathComponent("b.csv"))
        try Data("两不愁三保障".utf8).write(to: sheets.appendingPathComponent("c.csv"))
        let r = try tifa(["extract", "--summary", mixed.path, sheets.path] + lexiconFlags)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("tifa: note: \(mixed.path): 1 file not read: .csv ×1 (folders are read for .htm .html .jsonl .md .txt)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("tifa: warning: \(sheets.path): no file to read (folders are read for .htm .html .jsonl .md .txt); it holds 1 file of other kinds: .csv ×1"), r.stderr)
        // segment reads .txt and .md from folders; index build says it too (also with --quiet: a
        // folder that gave nothing is a warning, not progress).
        let segment = try tifa(["segment", sheets.path])
        XCTAssertEqual(segment.status, 0, segment.stderr)
        XCTAssertTrue(segment.stderr.contains("\(sheets.path): no file to read (folders are read for .md .txt)"), segment.stderr)
        let db = folder.appendingPathComponent("i.db").path
        let index = try tifa(["index", "build", sheets.path, "--db", db, "--quiet"])
        XCTAssertEqual(index.status, 0, index.stderr)
        XCTAssertTrue(index.stderr.contains("\(sheets.path): no file to read"), index.stderr)
    }

    func testDefineAndTerms() throws {
        let d = try tifa(["define", "兩不愁、三保障"] + lexiconFlags)
        XCTAssertEqual(d.status, 0, d.stderr)
        XCTAssertTrue(d.stdout.hasPrefix("两不愁三保障\n"), d.stdout)
        XCTAssertTrue(d.stdout.contains("不愁吃"), d.stdout)
        let unknown = try tifa(["define", "九个一批"] + lexiconFlags)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("not in the lexicon"))
        let t = try tifa(["terms", "--category", "plan", "--format", "tsv"] + lexiconFlags)
        XCTAssertEqual(t.status, 0, t.stderr)
        let lines = t.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "formula\tcategory\tvariants\tsince\tmeaning")
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.split(separator: "\t")[1] == "plan" })
        XCTAssertTrue(lines.contains { $0.hasPrefix("十三五\t") })
    }

    func testDiscoverSheetRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-discover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, text) in ["坚持“六稳六保”。全县3个村。", "落实六稳六保，3个村。", "六稳六保见效，5个村。"].enumerated() {
            try text.write(to: dir.appendingPathComponent("\(i).txt"), atomically: true, encoding: .utf8)
        }
        // The test lexicon alone: the shipped one may know 六稳六保.
        let lexiconFlags = ["--no-shipped-lexicon", "--lexicon", Self.testLexicon]
        let sheet = try tifa(["discover", "--format", "csv", dir.path] + lexiconFlags)
        XCTAssertEqual(sheet.status, 0, sheet.stderr)
        XCTAssertFalse(sheet.stdout.contains("\r"), "CSV lines end with LF")
        var rows = sheet.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
        guard rows.count >= 2 else { return XCTFail("no candidates: \(sheet.stdout)") }
        XCTAssertEqual(rows.first, "rank,form,structure,count,documents,score,first_year,last_year,example_1,example_2,numeral_share,left_entropy,right_entropy,quoted_share,cohesion,rules,variants,accept,category,meaning")
        XCTAssertTrue(rows[1].hasPrefix("1,六稳六保,chunks,3,3,"), sheet.stdout)
        XCTAssertFalse(sheet.stdout.contains("个村,"))
        rows[1] = String(rows[1].dropLast(2)) + "y,economy,稳就业、稳金融……"
        let sheetFile = dir.appendingPathComponent("sheet.csv"), lexiconFile = dir.appendingPathComponent("mine.tsv")
        // Saved by a spreadsheet, with CRLF: --accept reads both line ends.
        try (rows.joined(separator: "\r\n") + "\r\n").write(to: sheetFile, atomically: true, encoding: .utf8)
        let accept = try tifa(["discover", "--accept", sheetFile.path, "--into", lexiconFile.path] + lexiconFlags)
        XCTAssertEqual(accept.status, 0, accept.stderr)
        let written = try String(contentsOf: lexiconFile, encoding: .utf8)
        XCTAssertTrue(written.contains("六稳六保\teconomy\t-\t-\t稳就业、稳金融……\n"), written)
        let again = try tifa(["extract", "--summary", "--lexicon", lexiconFile.path, dir.path] + lexiconFlags)
        XCTAssertTrue(again.stdout.contains("0.txt\t六稳六保\t1"), again.stdout)
        let text = try tifa(["discover", dir.path, "--format", "text"] + lexiconFlags)
        XCTAssertTrue(text.stdout.contains("六稳六保"))
        // --explain: the shown row with the rules that fired, dropped phrases with their rule.
        let explained = try tifa(["discover", dir.path, "--explain", "--format", "tsv"] + lexiconFlags)
        XCTAssertEqual(explained.status, 0, explained.stderr)
        let table = explained.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(table.first?.prefix(6), ["rank", "form", "verdict", "dropped_by", "into", "rules"])
        XCTAssertTrue(table.contains { $0[1] == "六稳六保" && $0[2] == "shown" && $0[5].contains("chunks") }, explained.stdout)
        let dropped = table.dropFirst().filter { $0[2] == "dropped" }
        XCTAssertFalse(dropped.isEmpty, explained.stdout)
        XCTAssertTrue(dropped.allSatisfy { DiscoveryRule(rawValue: $0[3])?.rejects == true }, explained.stdout)
    }

    /// A text read twice (a file saved twice, a reposted article) is one piece of evidence: its
    /// fragments are no candidates, and a note says what was left out; --keep-duplicates reads
    /// every copy.
    func testDiscoverReadsEachTextOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-discover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let article = "暴雨导致全市十二个区县受灾，三条高速公路封闭。开展“三点半课堂”。"
        for name in ["a.txt", "b.txt"] { try article.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try "落实“六稳六保”。".write(to: dir.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        let lexiconFlags = ["--no-shipped-lexicon", "--lexicon", Self.testLexicon]
        let once = try tifa(["discover", dir.path, "--format", "tsv", "--min-score", "0"] + lexiconFlags)
        XCTAssertEqual(once.status, 0, once.stderr)
        XCTAssertEqual(once.stdout.split(separator: "\n").count, 1, once.stdout)
        XCTAssertTrue(once.stderr.contains("1 document read once: the same text as an earlier one (--keep-duplicates counts every copy)"), once.stderr)
        let every = try tifa(["discover", dir.path, "--format", "tsv", "--min-score", "0", "--keep-duplicates"] + lexiconFlags)
        XCTAssertEqual(every.status, 0, every.stderr)
        XCTAssertTrue(every.stdout.contains("\t三点半课堂\t"), every.stdout)
        XCTAssertEqual(every.stderr, "")
    }

    func testDiscoverCongressReports() throws {
        let corpus = Self.root.appendingPathComponent("../shared/corpus/cpc_congress_reports.jsonl").standardized
        guard FileManager.default.fileExists(atPath: corpus.path) else { throw XCTSkip("../shared/corpus absent") }
        let r = try tifa(["discover", "--no-shipped-lexicon", "--limit", "20", "--format", "jsonl", corpus.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let forms = r.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["form"] as? String
        }
        XCTAssertEqual(forms.count, 20)
        for f in ["一国两制", "三个代表", "四项基本原则"] { XCTAssertTrue(forms.contains(f), "\(f) not in \(forms)") }
    }
}
