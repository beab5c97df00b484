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

/// Every table that queries read, ids included; where a document came from (`source`, `file`)
/// is left out, because shards read other files.
func indexTables(_ path: String) throws -> [String: [String]] {
    let db = try SQLiteDatabase(path: path, mode: .readOnly)
    let queries = [
        "documents": "SELECT doc_id, name, year, metadata, chars, tokens, bytes, encoding, replacements, checksum FROM documents ORDER BY doc_id",
        "document_meta": "SELECT doc_id, key, value FROM document_meta ORDER BY doc_id, key",
        "texts": "SELECT doc_id, text FROM texts ORDER BY doc_id",
        "terms": "SELECT term_id, text, kind, COALESCE(category, '') FROM terms ORDER BY term_id",
        "doc_terms": "SELECT doc_id, term_id, count FROM doc_terms ORDER BY doc_id, term_id",
        "term_stats": "SELECT term_id, df, cf FROM term_stats ORDER BY term_id",
        "formula_occurrences": "SELECT doc_id, term_id, start, \"end\", surface, within_term_id, within_start, within_end FROM formula_occurrences ORDER BY doc_id, start, term_id",
        "meta": "SELECT key, value FROM meta WHERE key IN ('fingerprint', 'options', 'documents', 'tokens', 'analyzer', 'schema_version') ORDER BY key",
    ]
    var result: [String: [String]] = [:]
    for (table, query) in queries {
        let s = try db.prepare(query)
        var rows: [String] = []
        while try s.step() {
            rows.append((0..<Int(s.columnCount)).map { s.text(Int32($0)) ?? "NULL" }.joined(separator: "|"))
        }
        result[table] = rows
    }
    return result
}

/// `a` and `b` have the same `indexTables`, but those named in `except`.
func assertSameIndex(_ a: String, _ b: String, except: Set<String> = [], file: StaticString = #filePath, line: UInt = #line) throws {
    let ta = try indexTables(a).filter { !except.contains($0.key) }, tb = try indexTables(b).filter { !except.contains($0.key) }
    XCTAssertFalse(ta["doc_terms"]!.isEmpty, file: file, line: line)
    for key in ta.keys.sorted() {
        XCTAssertEqual(ta[key]!.count, tb[key]!.count, "\(key) row count", file: file, line: line)
        XCTAssertTrue(ta[key]! == tb[key]!, "\(key) differs: first \(zip(ta[key]!, tb[key]!).first { $0 != $1 }.map { "\($0) vs \($1)" } ?? "extra rows")", file: file, line: line)
    }
}
