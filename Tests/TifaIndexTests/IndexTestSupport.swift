import Foundation
import Tifa
@testable import TifaIndex
import XCTest
import TifaTestSupport

/// A scratch directory per test, removed afterwards.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-index-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: p, atomically: false, encoding: .utf8)
        return p
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
}

enum Fixtures {
    static let root = TestPaths.packageRoot
    static var seeds: String { root.appendingPathComponent("seeds").path }
    static var sharedCorpus: String { root.appendingPathComponent("../shared/corpus/cpc_congress_reports.jsonl").standardized.path }
}

extension IndexBuildOptions {
    static func threads(_ n: Int) -> IndexBuildOptions {
        var o = IndexBuildOptions()
        o.threads = n
        o.batchBytes = 4096  // many small batches, so ordering across batches is exercised
        return o
    }
}

/// The whole content of an index as comparable text, independent of doc/term ids.
func contentSignature(_ path: String) throws -> [String] {
    let db = try SQLiteDatabase(path: path, mode: .readOnly)
    var lines: [String] = []
    let queries = [
        "SELECT d.name || '|' || d.source || '|' || d.tokens || '|' || d.chars || '|' || d.checksum || '|' || d.metadata FROM documents d",
        "SELECT d.name || '|' || t.text || '|' || t.kind || '|' || dt.count FROM doc_terms dt JOIN documents d USING (doc_id) JOIN terms t USING (term_id)",
        "SELECT t.text || '|' || t.kind || '|' || s.df || '|' || s.cf FROM term_stats s JOIN terms t USING (term_id)",
        "SELECT d.name || '|' || t.text || '|' || f.start || '|' || f.\"end\" || '|' || f.surface FROM formula_occurrences f JOIN documents d USING (doc_id) JOIN terms t USING (term_id)",
        "SELECT 'terms ' || COUNT(*) FROM terms",
    ]
    for q in queries {
        let s = try db.prepare(q)
        while try s.step() { lines.append(s.text(0) ?? "") }
    }
    return lines.sorted()
}
