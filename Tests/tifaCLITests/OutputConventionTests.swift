import Foundation
import TifaTestSupport
import XCTest

/// The conventions every command shares: `-o/--output FILE` (atomic), one CSV dialect with LF
/// line ends, `--limit` (with discover's old `--top`), `top --term`.
final class OutputConventionTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// The seeds' index, built once per test that needs it.
    func seedIndex() throws -> String {
        let db = path("seeds.db")
        let build = try TifaRunner.run(["index", "build", "seeds/", "--db", db, "--quiet", "--meta-from-path", "(?<n>\\d{3})_"])
        XCTAssertEqual(build.status, 0, build.stderr)
        return db
    }

    /// Every command that prints writes the same bytes with -o FILE as on stdout.
    func testDashOWritesWhatStdoutWouldShowForEveryCommand() throws {
        let db = try seedIndex()
        let seed = "seeds/000_668dea35054aa90f.txt"
        let gold = path("gold.txt")
        try "脱贫 攻坚\n两不愁三保障\n".write(toFile: gold, atomically: true, encoding: .utf8)
        let commands: [[String]] = [
            ["normalize", seed], ["segment", seed], ["extract", seed], ["extract", seed, "--format", "csv"],
            ["discover", "seeds/", "--format", "csv"], ["analyze", seed], ["terms"], ["define", "5个一批"],
            ["eval", "--gold", gold], ["index", "info", "--db", db, "--format", "json"], ["top", "--db", db],
            ["trend", "扶贫", "--db", db, "--by", "n", "--format", "csv"], ["kwic", "五个一批", "--db", db],
            ["export", "--db", db], ["report", "--db", db],
        ]
        for arguments in commands {
            let stdout = try TifaRunner.run(arguments)
            XCTAssertEqual(stdout.status, 0, "\(arguments): \(stdout.stderr)")
            XCTAssertFalse(stdout.stdout.isEmpty, "\(arguments)")
            let file = path("out-\(arguments[0])")
            let written = try TifaRunner.run(arguments + ["-o", file])
            XCTAssertEqual(written.status, 0, "\(arguments) -o: \(written.stderr)")
            XCTAssertEqual(written.stdout, "", "\(arguments) -o prints nothing")
            var content = try String(contentsOfFile: file, encoding: .utf8)
            var expected = stdout.stdout
            if arguments[0] == "analyze" || arguments[0] == "report" || arguments[0] == "index" {
                // The records and the page name when they were made / where the index is.
                content = content.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT[0-9:]+Z?"#, with: "T", options: .regularExpression)
                expected = expected.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT[0-9:]+Z?"#, with: "T", options: .regularExpression)
            }
            XCTAssertEqual(content, expected, "\(arguments)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp-") || ($0.hasSuffix(".lock") && $0 != "seeds.db.lock") }
            XCTAssertEqual(leftovers, [], "\(arguments)")
        }
    }

    func testAFailedCommandLeavesTheOutputFileAsItWas() throws {
        let file = path("keep.txt")
        try "before\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try TifaRunner.run(["define", "不是一个提法", "-o", file])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "before\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), ["keep.txt"])
        let missing = try TifaRunner.run(["terms", "-o", path("no/such/folder/x.txt")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no/such/folder/x.txt: cannot be written: the folder"), missing.stderr)
        XCTAssertFalse(missing.stderr.contains(".tmp-"), missing.stderr)
    }

    /// Exit 3 (inputs skipped) still writes the output: the job was done.
    func testSkippedInputsStillWriteTheOutput() throws {
        let corpus = path("c.jsonl")
        try "{\"title\":\"甲\",\"content\":\"落实两不愁三保障\"}\nnot json\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        let r = try TifaRunner.run(["extract", corpus, "-o", path("x.tsv")])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(try String(contentsOfFile: path("x.tsv"), encoding: .utf8).contains("两不愁三保障"))
    }

    /// One CSV dialect: RFC 4180 quoting, LF line ends, from every command that writes CSV.
    func testEveryCSVEndsLinesWithLF() throws {
        let db = try seedIndex()
        let outputs: [[String]] = [
            ["extract", "seeds/", "--format", "csv"], ["extract", "seeds/", "--format", "csv", "--summary"],
            ["discover", "seeds/", "--format", "csv"], ["top", "--db", db, "--format", "csv"],
            ["trend", "扶贫", "--db", db, "--by", "n", "--format", "csv"], ["kwic", "扶贫", "--db", db, "--format", "csv"],
            ["index", "info", "--db", db, "--format", "csv"], ["export", "--db", db],
        ]
        for arguments in outputs {
            let r = try TifaRunner.run(arguments)
            XCTAssertEqual(r.status, 0, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasSuffix("\n"), "\(arguments)")
            XCTAssertGreaterThan(r.stdout.split(separator: "\n").count, 1, "\(arguments)")
            XCTAssertFalse(r.stdout.unicodeScalars.contains("\r"), "\(arguments) writes CR")
        }
        let dtm = try TifaRunner.run(["export", "--db", db, "--dtm", path("m.mtx")])
        XCTAssertEqual(dtm.status, 0, dtm.stderr)
        for file in ["m.mtx", "m.rows.csv", "m.cols.csv"] {
            XCTAssertFalse(try String(contentsOfFile: path(file), encoding: .utf8).unicodeScalars.contains("\r"), file)
        }
        // RFC 4180 quoting: a field with a comma or quote is quoted, its quotes doubled.
        let quoted = try TifaRunner.run(["extract", "--format", "csv", "-"], stdin: "落实,\"两不愁三保障\"\n")
        XCTAssertTrue(quoted.stdout.contains(",\"落实,\"\"两不愁三保障\"\"\","), quoted.stdout)
        XCTAssertFalse(quoted.stdout.unicodeScalars.contains("\r"), quoted.stdout)
    }

    func testDiscoverLimitAndItsOldSpelling() throws {
        func rows(_ r: TifaRunner.Result) -> Int { r.stdout.split(separator: "\n").count - 1 }
        let limited = try TifaRunner.run(["discover", "seeds/", "--format", "tsv", "--limit", "2"])
        XCTAssertEqual(limited.status, 0, limited.stderr)
        XCTAssertEqual(rows(limited), 2)
        XCTAssertFalse(limited.stderr.contains("deprecated"), limited.stderr)
        let all = try TifaRunner.run(["discover", "seeds/", "--format", "tsv", "--limit", "0"])
        XCTAssertGreaterThan(rows(all), 2)
        let old = try TifaRunner.run(["discover", "seeds/", "--format", "tsv", "--top", "2"])
        XCTAssertEqual(old.stdout, limited.stdout)
        XCTAssertEqual(old.stderr.components(separatedBy: "--top N is deprecated; use --limit N").count, 2, old.stderr)
        XCTAssertFalse(try TifaRunner.run(["discover", "--help"]).stdout.contains("--top"))
        XCTAssertEqual(try TifaRunner.run(["discover", "seeds/", "--limit", "-1"]).status, 64)
    }

    func testTopTermShowsWhereATermStandsInAnySpelling() throws {
        let db = try seedIndex()
        let ranking = try TifaRunner.run(["top", "--db", db, "--kind", "formula", "--limit", "0", "--format", "tsv"])
        let formulaRow = ranking.stdout.split(separator: "\n").first { $0.contains("\t两不愁三保障\t") }
        XCTAssertNotNil(formulaRow, ranking.stdout)
        let r = try TifaRunner.run(["top", "--db", db, "--term", "兩不愁、三保障", "--term", "扶贫", "--format", "tsv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, r.stdout)
        XCTAssertEqual(lines[1], formulaRow)
        XCTAssertTrue(lines[2].contains("\t扶贫\tword\t"), r.stdout)
        let missing = try TifaRunner.run(["top", "--db", db, "--term", "兴平"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("\"兴平\" is not an indexed term"), missing.stderr)
    }
}

/// What a row of the exported document-term matrix sums to (Export's help, README "Indexing").
final class ExportCountTests: XCTestCase {
    func testMatrixRowSumsFollowTheDocumentedDefinition() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-dtm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let db = scratch.appendingPathComponent("s.db").path
        XCTAssertEqual(try TifaRunner.run(["index", "build", "seeds/", "--db", db, "--quiet"]).status, 0)
        /// Row → (term, kind) → count, and each row's `tokens`.
        func export(_ kind: String) throws -> (entries: [Int: [String: Int]], tokens: [Int: Int]) {
            let mtx = scratch.appendingPathComponent("\(kind).mtx").path
            let r = try TifaRunner.run(["export", "--db", db, "--dtm", mtx, "--kind", kind])
            XCTAssertEqual(r.status, 0, r.stderr)
            let stem = String(mtx.dropLast(4))
            let cols = try String(contentsOfFile: stem + ".cols.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            var term: [Int: String] = [:]
            for c in cols { term[Int(c[0])!] = "\(c[2])\t\(c[3])" }
            var tokens: [Int: Int] = [:]
            for r in try String(contentsOfFile: stem + ".rows.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
                let f = r.split(separator: ",", omittingEmptySubsequences: false)
                tokens[Int(f[0])!] = Int(f[3])!
            }
            var entries: [Int: [String: Int]] = [:]
            for line in try String(contentsOfFile: mtx, encoding: .utf8).split(separator: "\n").filter({ !$0.hasPrefix("%") }).dropFirst() {
                let v = line.split(separator: " ").map { Int($0)! }
                entries[v[0], default: [:]][term[v[1]]!] = v[2]
            }
            return (entries, tokens)
        }
        let all = try export("all"), word = try export("word"), number = try export("number"), latin = try export("latin"), formula = try export("formula")
        let formulaTexts = Set(formula.entries.values.flatMap(\.keys).map { $0.split(separator: "\t")[0] })
        func sum(_ e: [String: Int]?) -> Int { e?.values.reduce(0, +) ?? 0 }
        var exceeding = 0
        for (row, tokens) in all.tokens {
            XCTAssertEqual(sum(word.entries[row]) + sum(number.entries[row]) + sum(latin.entries[row]), tokens, "row \(row): word + number + latin = tokens")
            let formulaWords = (word.entries[row] ?? [:]).filter { formulaTexts.contains($0.key.split(separator: "\t")[0]) }.values.reduce(0, +)
            XCTAssertEqual(sum(all.entries[row]), tokens - formulaWords + sum(formula.entries[row]), "row \(row): --kind all")
            if sum(all.entries[row]) > tokens { exceeding += 1 }
        }
        XCTAssertGreaterThan(exceeding, 0, "the seeds hold formulas written across tokens or nested")
    }
}
