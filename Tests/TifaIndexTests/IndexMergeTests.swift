import Foundation
import Tifa
@testable import TifaIndex
import TifaTestSupport
import XCTest

/// Shards merged, and analyses made elsewhere, must give the index of one build: same ids, same
/// rows, so every query answers alike.
final class IndexMergeTests: XCTestCase {
    func testMergedSeedShardsEqualOneBuildForSeveralSplits() throws {
        let scratch = try Scratch()
        let files = try TestPaths.seedFiles().map(\.path)
        let single = scratch.path("single.db")
        try IndexBuilder.build(inputs: files, database: single, options: .threads(2))
        for (n, split) in [[2, 3], [1, 2, 1, 1], [5], [4, 1]].enumerated() {
            var shards: [String] = []
            var start = 0
            for (k, size) in split.enumerated() {
                let shard = scratch.path("s\(n)-\(k).db")
                try IndexBuilder.build(inputs: Array(files[start..<start + size]), database: shard, options: .threads(1))
                shards.append(shard)
                start += size
            }
            let merged = scratch.path("merged\(n).db")
            let report = try IndexMerger.merge(shards: shards, into: merged)
            XCTAssertEqual(report.documents, files.count)
            try assertSameIndex(single, merged)
            // Queries agree too.
            let a = try IndexReader(path: single), b = try IndexReader(path: merged)
            XCTAssertEqual(try a.kwic("两不愁三保障"), try b.kwic("两不愁三保障"))
            XCTAssertEqual(try a.kwic("脱贫", kinds: [.word]), try b.kwic("脱贫", kinds: [.word]))
        }
    }

    /// The bundled corpus as JSON Lines, cut into shards at pseudo-random lines (several seeds).
    func testMergedJSONLinesShardsEqualOneBuild() throws {
        guard let lines = try TestPaths.sharedCorpusRecords(first: 40) else { throw XCTSkip("\(TestPaths.sharedCorpus.path) is absent") }
        let scratch = try Scratch()
        let whole = try scratch.write("whole.jsonl", lines.joined(separator: "\n") + "\n")
        let single = scratch.path("single.db")
        try IndexBuilder.build(inputs: [whole], database: single, options: .threads(2))
        for seed in [7, 1234] as [UInt64] {
            var state = seed
            var cuts: [Int] = []
            for _ in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                cuts.append(Int((state >> 33) % UInt64(lines.count)))
            }
            let bounds = [0] + cuts.sorted() + [lines.count]
            var shards: [String] = []
            for k in 0..<(bounds.count - 1) where bounds[k] < bounds[k + 1] {
                let part = try scratch.write("part\(seed)-\(k).jsonl", lines[bounds[k]..<bounds[k + 1]].joined(separator: "\n") + "\n")
                let shard = scratch.path("shard\(seed)-\(k).db")
                try IndexBuilder.build(inputs: [part], database: shard, options: .threads(1))
                shards.append(shard)
            }
            let merged = scratch.path("merged\(seed).db")
            try IndexMerger.merge(shards: shards, into: merged)
            try assertSameIndex(single, merged)
        }
    }

    func testIndexFromAnalysesEqualsOneBuild() throws {
        let scratch = try Scratch()
        let files = try TestPaths.seedFiles().map(\.path)
        let single = scratch.path("single.db")
        try IndexBuilder.build(inputs: files, database: single, options: .threads(2))
        let analyzer = try Analyzer(options: IndexBuildOptions().analysis)
        let fingerprint = try Analyzer.fingerprint(for: analyzer.options)
        var lines = ""
        for item in try CorpusReader(inputs: files) {
            guard case .document(let document) = item else { return XCTFail("seed skipped") }
            let record = AnalyzedDocument(document: document, analysis: analyzer.analyze(document.text), analyzer: fingerprint)
            lines += String(decoding: try JSONEncoder().encode(record), as: UTF8.self) + "\n"
        }
        let analyses = try scratch.write("analyses.jsonl", lines)
        var options = IndexBuildOptions.threads(1)
        options.source = .analyses
        let fromAnalyses = scratch.path("from-analyses.db")
        try IndexBuilder.build(inputs: [analyses], database: fromAnalyses, options: options)
        try assertSameIndex(single, fromAnalyses)

        // Analyses made with other options are refused, naming the mismatch.
        options.analysis.normalization.steps.remove(.traditionalToSimplified)
        XCTAssertThrowsError(try IndexBuilder.build(inputs: [analyses], database: scratch.path("other.db"), options: options)) {
            XCTAssertTrue("\($0)".contains("other options or dictionaries"), "\($0)")
        }
    }

    func testShardsWithOtherOptionsAreRefused() throws {
        let scratch = try Scratch()
        let files = try TestPaths.seedFiles().map(\.path)
        try IndexBuilder.build(inputs: [files[0]], database: scratch.path("a.db"), options: .threads(1))
        var options = IndexBuildOptions.threads(1)
        options.analysis.normalization.steps.remove(.traditionalToSimplified)
        try IndexBuilder.build(inputs: [files[1]], database: scratch.path("b.db"), options: options)
        XCTAssertThrowsError(try IndexMerger.merge(shards: [scratch.path("a.db"), scratch.path("b.db")], into: scratch.path("m.db"))) {
            XCTAssertTrue("\($0)".contains("b.db"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("m.db")))
    }

    /// A document in two shards would count twice: a shard given twice, a copy of a shard (a
    /// retried task's output) or shards over the same file are refused, naming the document
    /// (documents read from stdin name no file and are not compared: `AnalyzeCommandTests`).
    func testOverlappingShardsAreRefused() throws {
        let scratch = try Scratch()
        let files = try TestPaths.seedFiles().map(\.path)
        let a = scratch.path("a.db"), b = scratch.path("b.db"), copy = scratch.path("copy.db")
        try IndexBuilder.build(inputs: [files[0]], database: a, options: .threads(1))
        try IndexBuilder.build(inputs: [files[1], files[0]], database: b, options: .threads(1))
        try FileManager.default.copyItem(atPath: a, toPath: copy)
        for (shards, message) in [([a, a], "is given twice"), ([a, copy], "holds the document \(files[0]), which \(a) holds too"),
                                  ([a, b], "holds the document \(files[0]), which \(a) holds too")] {
            XCTAssertThrowsError(try IndexMerger.merge(shards: shards, into: scratch.path("m.db"))) {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("m.db")))
        }
    }
}
