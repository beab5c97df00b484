import Foundation
import Tifa
@testable import TifaIndex
import XCTest

/// Incremental builds decided file by file against the previous index (`BuildPlan`), with no
/// list of the corpus in memory: every kind of change, overlapping inputs and changed inputs
/// give the rows of a fresh build.
final class IndexIncrementalTests: XCTestCase {
    /// The `files` table (what the next build compares with), in path order.
    func recordedFiles(_ db: String) throws -> [String] {
        let s = try SQLiteDatabase(path: db, mode: .readOnly).prepare("SELECT path, kind, size, mtime FROM files ORDER BY path")
        var rows: [String] = []
        while try s.step() { rows.append("\(s.text(0) ?? "") \(s.text(1) ?? "") \(s.int(2)) \(s.double(3))") }
        return rows
    }

    /// Builds `inputs` into a fresh index beside `db` and checks that `db` has the same rows and
    /// records the same files.
    func assertEqualsFreshBuild(_ db: String, inputs: [String], _ scratch: Scratch, file: StaticString = #filePath, line: UInt = #line) throws {
        var options = IndexBuildOptions.threads(2)
        options.mode = .rebuild
        let fresh = scratch.path("fresh-\(UUID().uuidString).db")
        try IndexBuilder.build(inputs: inputs, database: fresh, options: options)
        XCTAssertEqual(try contentSignature(db), try contentSignature(fresh), file: file, line: line)
        XCTAssertEqual(try recordedFiles(db), try recordedFiles(fresh), file: file, line: line)
    }

    func testEveryKindOfChangeGivesTheFreshBuildsRows() throws {
        let scratch = try Scratch()
        for i in 0..<6 { try scratch.write("c/a/\(i).txt", "第\(i)篇：坚持精准扶贫，聚焦两不愁三保障。") }
        for i in 0..<4 { try scratch.write("c/b/\(i).txt", "第\(i)份：实施五个一批。") }
        try scratch.write("c/b/deep/x.md", "巩固脱贫成果。")
        try scratch.write("c/records.jsonl", """
            {"title": "r1", "content": "四个全面战略布局"}
            {"title": "r2", "content": "五位一体总体布局"}
            {"title": "r3", "content": "四个自信"}

            """)
        // A file whose every record is skipped: documents none, no `files` row (read again).
        try scratch.write("c/bad.jsonl", "not json\n")
        let db = scratch.path("i.db")
        let corpus = [scratch.path("c")]
        let first = try IndexBuilder.build(inputs: corpus, database: db, options: .threads(2))
        XCTAssertEqual(first.indexed, 14)
        XCTAssertEqual(first.skipped.count, 1)

        // Rewritten, touched with the same content, removed (a file and a whole folder), added,
        // and a JSONL file that lost a record and changed another.
        try scratch.write("c/a/0.txt", "第0篇：全面推进乡村振兴。")
        let later = Date().addingTimeInterval(10)
        try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: scratch.path("c/a/1.txt"))
        try FileManager.default.removeItem(atPath: scratch.path("c/a/2.txt"))
        try FileManager.default.removeItem(atPath: scratch.path("c/b"))
        try scratch.write("c/new/n.txt", "新增：两不愁三保障。")
        try scratch.write("c/records.jsonl", """
            {"title": "r1", "content": "四个全面战略布局"}
            {"title": "r3", "content": "四个自信，坚定不移"}

            """)
        let update = try IndexBuilder.build(inputs: corpus, database: db, options: .threads(2))
        XCTAssertEqual(update.indexed, 3)         // a/0, new/n, r3
        XCTAssertEqual(update.kept, 2)            // a/1 (touched), r1
        XCTAssertEqual(update.removed, 9)         // a/0 and r2, r3 as they were, a/2, b/* (5)
        XCTAssertEqual(update.unchangedFiles, 3)  // a/3, a/4, a/5
        XCTAssertEqual(update.skipped.count, 1)   // bad.jsonl, read again
        try assertEqualsFreshBuild(db, inputs: corpus, scratch)

        // Read again only because of its skipped record: not "up to date", and the same rows.
        let again = try IndexBuilder.build(inputs: corpus, database: db, options: .threads(1))
        XCTAssertFalse(again.upToDate)
        XCTAssertEqual(again.indexed + again.removed, 0)
        try FileManager.default.removeItem(atPath: scratch.path("c/bad.jsonl"))
        XCTAssertEqual(try IndexBuilder.build(inputs: corpus, database: db, options: .threads(1)).removed, 0)
        let upToDate = try IndexBuilder.build(inputs: corpus, database: db, options: .threads(1))
        XCTAssertTrue(upToDate.upToDate)
        XCTAssertEqual(upToDate.unchangedFiles, 7)
        try assertEqualsFreshBuild(db, inputs: corpus, scratch)
    }

    func testRecordsAreMatchedOnceEachInOrder() throws {
        // Records matched by name and checksum in SQLite (`BuildPlan.take`): a record written
        // twice keeps one previous document each time, the first first; the rest go.
        let scratch = try Scratch()
        let records = scratch.path("c/r.jsonl")
        try scratch.write("c/r.jsonl", """
            {"title": "a", "content": "两不愁三保障"}
            {"title": "a", "content": "两不愁三保障"}
            {"title": "b", "content": "五个一批"}
            {"title": "c", "content": "四个全面"}

            """)
        let db = scratch.path("i.db")
        XCTAssertEqual(try IndexBuilder.build(inputs: [records], database: db, options: .threads(2)).indexed, 4)
        try scratch.write("c/r.jsonl", """
            {"title": "b", "content": "五个一批"}
            {"title": "a", "content": "两不愁三保障"}
            {"title": "c", "content": "四个全面，五位一体"}
            {"title": "d", "content": "精准扶贫"}

            """)
        let update = try IndexBuilder.build(inputs: [records], database: db, options: .threads(2))
        XCTAssertEqual(update.kept, 2)     // b, and a's first copy
        XCTAssertEqual(update.indexed, 2)  // c changed, d new
        XCTAssertEqual(update.removed, 2)  // c as it was, a's second copy
        let s = try SQLiteDatabase(path: db, mode: .readOnly).prepare("SELECT doc_id, name FROM documents ORDER BY doc_id")
        var rows: [String] = []
        while try s.step() { rows.append("\(s.int(0)) \(s.text(1) ?? "")") }
        XCTAssertEqual(rows, ["1 a", "3 b", "5 c", "6 d"])
        try assertEqualsFreshBuild(db, inputs: [records], scratch)
    }

    func testOverlappingInputsIndexEachFileOnce() throws {
        let scratch = try Scratch()
        for i in 0..<3 { try scratch.write("c/s/\(i).txt", "第\(i)篇：两不愁三保障。") }
        try scratch.write("c/top.txt", "五个一批。")
        let db = scratch.path("i.db")
        // The folder twice, a sub-folder and a file in it, spelled another way too.
        let inputs = [scratch.path("c"), scratch.path("c/s"), scratch.path("c/./s/1.txt"), scratch.path("c") + "/"]
        let first = try IndexBuilder.build(inputs: inputs, database: db, options: .threads(2))
        XCTAssertEqual(first.indexed, 4)
        try assertEqualsFreshBuild(db, inputs: [scratch.path("c")], scratch)
        XCTAssertTrue(try IndexBuilder.build(inputs: inputs, database: db, options: .threads(2)).upToDate)

        // Fewer inputs: the files no longer listed go; then only one file. (Unchanged files are
        // not read, so they keep the names they had under the old inputs: no fresh build here.)
        let fewer = try IndexBuilder.build(inputs: [scratch.path("c/s"), scratch.path("c/s/0.txt")], database: db, options: .threads(2))
        XCTAssertEqual(fewer.removed, 1)
        XCTAssertEqual(fewer.unchangedFiles, 3)
        XCTAssertEqual(try recordedFiles(db).map { $0.split(separator: " ")[0] }, (0..<3).map { Substring(scratch.path("c/s/\($0).txt")) })
        let one = try IndexBuilder.build(inputs: [scratch.path("c/s/2.txt")], database: db, options: .threads(1))
        XCTAssertEqual(one.removed, 2)
        XCTAssertEqual(one.unchangedFiles, 1)
        XCTAssertEqual(one.totalDocuments, 1)
        XCTAssertEqual(try recordedFiles(db).count, 1)
    }

    func testManyFilesInNestedFoldersStayInInputOrder() throws {
        // Enough files for several batches and work items of the listing; ids follow the
        // sorted listing, also after an update adds files between existing ones.
        let scratch = try Scratch()
        for i in stride(from: 0, to: 300, by: 2) { try scratch.write("c/\(i % 7)/\(i).txt", "第\(i)号：聚焦两不愁三保障。") }
        let db = scratch.path("i.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: .threads(2))
        for i in stride(from: 1, to: 300, by: 10) { try scratch.write("c/\(i % 7)/\(i).txt", "第\(i)号：实施五个一批。") }
        let update = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: .threads(2))
        XCTAssertEqual(update.indexed, 30)
        XCTAssertEqual(update.unchangedFiles, 150)
        try assertEqualsFreshBuild(db, inputs: [scratch.path("c")], scratch)
        let s = try SQLiteDatabase(path: db, mode: .readOnly).prepare("SELECT name FROM documents ORDER BY doc_id")
        var names: [String] = []
        while try s.step() { names.append(s.text(0) ?? "") }
        let old = names.prefix(150), new = names.suffix(30)
        XCTAssertEqual(Array(old), old.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
        XCTAssertEqual(Array(new), new.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
    }
}
