import CSQLite
import Foundation
import Tifa
@testable import TifaIndex
import XCTest

/// One writer at a time, temporary copies that do not outlive their build, damage detected.
final class IndexReliabilityTests: XCTestCase {
    private func buildSeeds(_ db: String, mode: IndexBuildOptions.Mode = .incremental) throws {
        var options = IndexBuildOptions.threads(2)
        options.mode = mode
        _ = try IndexBuilder.build(inputs: [Fixtures.seeds], database: db, options: options)
    }

    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return String(describing: error) }
        return "no error"
    }

    func testASecondWriterStopsWithAMessageAndTheIndexStaysUsable() throws {
        let scratch = try Scratch()
        let db = scratch.path("x.db")
        try buildSeeds(db)
        let before = try contentSignature(db)
        let holder = try FileReplacement(target: db, what: "index")
        let m = message { try buildSeeds(db, mode: .rebuild) }
        XCTAssertTrue(m.contains("another Tifa process (pid \(getpid())) is writing this index"), m)
        XCTAssertEqual(try contentSignature(db), before)
        XCTAssertEqual(try IndexReader(path: db).documentCount, 5)  // readers are not locked out
        withExtendedLifetime(holder) {}
    }

    func testTemporaryCopiesOfDeadWritersAreRemovedWhateverTheirPid() throws {
        let scratch = try Scratch()
        let db = scratch.path("x.db")
        // pid 1 is alive (init): `kill(pid, 0)` alone would have kept its copy forever.
        let stale = ["x.db.tmp-1", "x.db.tmp-999999"].map { scratch.path($0) }
        for s in stale { try scratch.write((s as NSString).lastPathComponent, "a dead build's copy") }
        try buildSeeds(db)
        for s in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: s), s) }
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [])
    }

    func testAnIndexOfAnotherSchemaVersionIsRefusedByQueriesAndRebuiltByBuilds() throws {
        let scratch = try Scratch()
        let db = scratch.path("x.db")
        try buildSeeds(db)
        // Schema 2 had a `texts` table and a `term_stats` table; schema 3 has neither.
        let old = try SQLiteDatabase(path: db, mode: .readWrite)
        try old.execute("PRAGMA user_version = 2; DROP VIEW texts; DROP TABLE text_data; CREATE TABLE texts (doc_id INTEGER PRIMARY KEY, text TEXT NOT NULL);")
        XCTAssertTrue(message { _ = try IndexReader(path: db) }.hasSuffix(
            "x.db: Tifa index schema version 2 is not supported by this Tifa (\(IndexSchema.version)); rebuild it with `tifa index build CORPUS --db \(db) --rebuild`"),
                      message { _ = try IndexReader(path: db) })
        let report = try IndexBuilder.build(inputs: [Fixtures.seeds], database: db, options: .threads(2))
        XCTAssertEqual(report.fullRebuildReason, "the existing index has schema version 2, this Tifa writes \(IndexSchema.version)")
        XCTAssertEqual(try IndexReader(path: db).documentCount, 5)
    }

    func testStoredTextsAreCompressedAsInAnSQLiteArchive() throws {
        let scratch = try Scratch()
        let db = scratch.path("x.db")
        try buildSeeds(db)
        let sql = try SQLiteDatabase(path: db, mode: .readOnly)
        // zlib's compress() output starts with 0x78; every seed report shrinks.
        XCTAssertEqual(try sql.scalarInt("SELECT COUNT(*) FROM text_data WHERE length(data) < bytes AND hex(substr(data, 1, 1)) = '78'"), 5)
        // The view gives back the decoded originals, byte for byte.
        XCTAssertEqual(try sql.scalarInt("SELECT COUNT(*) FROM texts t JOIN text_data d USING (doc_id) WHERE length(CAST(t.text AS BLOB)) = d.bytes"), 5)
        let compressor = ArchiveCompressor()
        XCTAssertEqual(SQLArchiveBlob("", compressor: compressor).data, [])
        XCTAssertEqual(SQLArchiveBlob("短", compressor: compressor).data, Array("短".utf8))  // compressing would not make it smaller
        // The reused stream gives what zlib's compress() gives, call after call.
        let text = String(repeating: "坚持精准扶贫、精准脱贫。", count: 50)
        for _ in 0..<3 {
            let blob = SQLArchiveBlob(text, compressor: compressor)
            var out = [UInt8](repeating: 0, count: blob.bytes)
            var length = uLongf(blob.bytes)
            XCTAssertEqual(blob.data.withUnsafeBufferPointer { uncompress(&out, &length, $0.baseAddress, uLong($0.count)) }, Z_OK)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), text)
            XCTAssertLessThan(blob.data.count, blob.bytes / 4)
        }
    }

    func testADroppedTableIsReportedAsDamageByQueriesAndIncrementalBuilds() throws {
        for table in ["doc_term_data", "text_data", "terms", "formula_occurrences"] {
            let scratch = try Scratch()
            let db = scratch.path("x.db")
            try buildSeeds(db)
            let writer = try SQLiteDatabase(path: db, mode: .readWrite)
            try writer.execute("DROP TABLE \(table)")
            let expected = "x.db: damaged Tifa index: table \(table) is missing; rebuild it with `tifa index build CORPUS --db \(db) --rebuild`"
            XCTAssertTrue(message { _ = try IndexReader(path: db) }.hasSuffix(expected), message { _ = try IndexReader(path: db) })
            // An incremental build must not "succeed" on it (with or without changes to index).
            XCTAssertTrue(message { try buildSeeds(db) }.hasSuffix(expected), table)
            try scratch.write("new/extra.txt", "新增一篇文档，坚持两不愁三保障。")
            XCTAssertTrue(message { _ = try IndexBuilder.build(inputs: [Fixtures.seeds, scratch.path("new")], database: db, options: .threads(2)) }.hasSuffix(expected), table)
            try buildSeeds(db, mode: .rebuild)
            XCTAssertEqual(try IndexReader(path: db).documentCount, 5)
        }
    }

    func testEmptyTruncatedAndForeignFilesAreToldApart() throws {
        let scratch = try Scratch()
        let empty = try scratch.write("empty.db", "")
        XCTAssertTrue(message { _ = try IndexReader(path: empty) }.contains("is an empty file, not a Tifa index"))
        try buildSeeds(empty)  // nothing to lose: a build writes into it
        XCTAssertEqual(try IndexReader(path: empty).documentCount, 5)

        let whole = try Data(contentsOf: URL(fileURLWithPath: empty))
        let truncated = try scratch.write("cut.db", bytes: Array(whole.prefix(whole.count / 2)))
        let m = message { _ = try IndexReader(path: truncated) }
        XCTAssertTrue(m.contains("damaged Tifa index: the file is truncated (\(whole.count / 2) of \(whole.count) bytes)"), m)
        XCTAssertTrue(message { try buildSeeds(truncated) }.contains("the file is truncated"))
        try buildSeeds(truncated, mode: .rebuild)
        XCTAssertEqual(try IndexReader(path: truncated).documentCount, 5)

        let foreign = scratch.path("other.db")
        try SQLiteDatabase(path: foreign, mode: [.readWrite, .create]).execute("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
        XCTAssertTrue(message { _ = try IndexReader(path: foreign) }.contains("not a Tifa index (an SQLite database with another application id (0))"))
        // Not even --rebuild overwrites another application's database.
        XCTAssertTrue(message { try buildSeeds(foreign, mode: .rebuild) }.contains("not a Tifa index"))
        let text = try scratch.write("notes.db", "plain text, not a database")
        XCTAssertTrue(message { _ = try IndexReader(path: text) }.contains("not a Tifa index (not an SQLite database)"))
    }

    func testAFailedRenameLeavesTheTargetAsItWas() throws {
        let scratch = try Scratch()
        // A non-empty folder cannot be replaced by a rename.
        try scratch.write("target/keep.txt", "old")
        let replacement = try FileReplacement(target: scratch.path("target"), what: "file")
        try scratch.write((replacement.temporary as NSString).lastPathComponent, "new")
        let m = message { try replacement.commit() }
        XCTAssertTrue(m.contains("cannot replace it with the new content (rename:"), m)
        XCTAssertEqual(try String(contentsOfFile: scratch.path("target/keep.txt"), encoding: .utf8), "old")
    }
}
