import Foundation
import TifaTestSupport
import XCTest

/// Thousands of paths: `--files-from FILE|-` gives what the same paths give on the command line.
final class LongArgumentListTests: XCTestCase {
    func testFilesFromGivesTheSameOutputAsPathsOnTheCommandLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-args-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let texts = ["聚焦两不愁三保障", "精细实施五个一批", "坚持一摘四不摘"]
        var paths: [String] = []
        for i in 0..<300 {
            let url = dir.appendingPathComponent(String(format: "%03d.txt", i))
            try "\(i) \(texts[i % 3])\n".write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let list = dir.appendingPathComponent("list.txt").path
        try (paths.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)

        let all = try TifaRunner.run(["segment", "--format", "jsonl"] + paths)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(all.stdout.components(separatedBy: "\n").filter { $0.contains("\"formula\"") }.count, 300)
        let fromFile = try TifaRunner.run(["segment", "--format", "jsonl", "--files-from", list])
        XCTAssertEqual(fromFile.stdout, all.stdout)
        let fromStdin = try TifaRunner.run(["segment", "--format", "jsonl", "--files-from", "-"], stdin: paths.joined(separator: "\n"))
        XCTAssertEqual(fromStdin.stdout, all.stdout)
        XCTAssertFalse(all.stdout.contains("tifa-argument-run") || all.stderr.contains("tifa-argument-run"))

        let db = dir.appendingPathComponent("i.db").path
        let index = try TifaRunner.run(["index", "build", "--files-from", list, "--db", db, "--quiet"])
        XCTAssertEqual(index.status, 0, index.stderr)
        let top = try TifaRunner.run(["top", "--db", db, "--kind", "formula", "--format", "tsv"])
        XCTAssertTrue(top.stdout.contains("\t两不愁三保障\tformula\t100\t100\t"), top.stdout)

        // Many query terms are plain arguments: no placeholder anywhere.
        let terms = (0..<80).map { "不存在的词\($0)" } + ["两不愁三保障"]
        let trend = try TifaRunner.run(["trend", "--db", db, "--by", "nothing"] + terms)
        XCTAssertEqual(trend.status, 1)
        XCTAssertTrue(trend.stderr.contains("\"不存在的词79\""), trend.stderr)
        XCTAssertFalse(trend.stderr.contains("tifa-argument-run"))

        let missing = try TifaRunner.run(["segment", "--files-from", dir.appendingPathComponent("nope").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope: cannot be read (No such file or directory)"), missing.stderr)
    }
}
