import Foundation
import XCTest
@testable import tifa

/// Thousands of paths on the command line (xargs, shell globs) bypass ArgumentParser's quadratic
/// positional parsing without changing what any command does with them.
final class LongArgumentListTests: XCTestCase {
    let names: Set<String> = ["segment", "index", "build"]

    func testShortCommandLinesAreUntouched() {
        let args = ["segment", "--format", "jsonl", "a.txt", "b.txt"]
        XCTAssertEqual(LongArgumentLists.fold(args, commandNames: names), args)
    }

    func testLongRunsFoldToOnePlaceholderAndUnfoldInOrder() {
        let paths = (0..<200).map { "d/\($0).txt" }
        let more = (200..<300).map { "d/\($0).txt" }
        let args = ["index", "build"] + paths + ["--db", "x.db"] + more + ["--quiet"]
        let folded = LongArgumentLists.fold(args, commandNames: names)
        XCTAssertLessThan(folded.count, 12, "\(folded)")
        XCTAssertEqual(Array(folded.prefix(2)), ["index", "build"], "subcommand names stay")
        XCTAssertTrue(folded.contains("x.db"), "an option's value stays next to its option")
        XCTAssertEqual(folded.last, "--quiet")
        // What ArgumentParser hands a command as its positional list: everything but options.
        let positionals = folded.enumerated().filter { i, a in
            i >= 2 && !a.hasPrefix("-") && folded[i - 1] != "--db"
        }.map(\.element)
        XCTAssertEqual(LongArgumentLists.unfold(positionals), paths + more)
    }

    func testAfterTheTerminatorEverythingIsAValue() {
        let paths = (0..<100).map { "-\($0).txt" }
        let folded = LongArgumentLists.fold(["segment", "--"] + paths, commandNames: names)
        XCTAssertEqual(folded.count, 3)
        XCTAssertEqual(LongArgumentLists.unfold(Array(folded.dropFirst(2))), paths)
    }

    /// End to end: 300 files given at once give what the same files give in small batches.
    func testThousandsOfPathsGiveTheSameOutputAsSmallBatches() throws {
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
        let all = try TifaRunner.run(["segment", "--format", "jsonl"] + paths)
        XCTAssertEqual(all.status, 0, all.stderr)
        var batched = ""
        for start in stride(from: 0, to: paths.count, by: 50) {
            let r = try TifaRunner.run(["segment", "--format", "jsonl"] + paths[start..<(start + 50)])
            XCTAssertEqual(r.status, 0, r.stderr)
            batched += r.stdout
        }
        XCTAssertEqual(all.stdout, batched)
        XCTAssertEqual(all.stdout.components(separatedBy: "\n").filter { $0.contains("\"formula\"") }.count, 300)

        let db = dir.appendingPathComponent("i.db").path
        let index = try TifaRunner.run(["index", "build"] + paths + ["--db", db, "--quiet"])
        XCTAssertEqual(index.status, 0, index.stderr)
        let top = try TifaRunner.run(["top", "--db", db, "--kind", "formula", "--format", "tsv"])
        XCTAssertTrue(top.stdout.contains("\t两不愁三保障\tformula\t100\t100\t"), top.stdout)
    }
}
