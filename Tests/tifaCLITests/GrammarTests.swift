import Foundation
import TifaTestSupport
import XCTest

/// One CLI grammar: usage errors, suggestions, errors in the user's terms, exit codes.
final class GrammarTests: XCTestCase {
    func testBareTifaPrintsHelpAndIsAUsageError() throws {
        let r = try TifaRunner.run([])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("SUBCOMMANDS"), r.stderr)
    }

    func testMistypedCommandsAndOptionsGetSuggestions() throws {
        let command = try TifaRunner.run(["segmnet"])
        XCTAssertEqual(command.status, 64)
        XCTAssertTrue(command.stderr.contains("did you mean 'segment'?"), command.stderr)
        let nested = try TifaRunner.run(["index", "biuld"])
        XCTAssertTrue(nested.stderr.contains("did you mean 'build'?"), nested.stderr)
        let option = try TifaRunner.run(["segment", "--formt", "jsonl"], stdin: "")
        XCTAssertTrue(option.stderr.contains("Did you mean '--format'?"), option.stderr)
    }

    func testErrorsNameTheFileAndTheReason() throws {
        let db = try TifaRunner.run(["index", "build", "--db", "/nonexistent-folder/x.db"], stdin: "你好")
        XCTAssertEqual(db.status, 1)
        XCTAssertTrue(db.stderr.contains("/nonexistent-folder/x.db: cannot be written: the folder /nonexistent-folder does not exist"), db.stderr)
        XCTAssertFalse(db.stderr.contains(".tmp-"), db.stderr)
        let dictionaries = try TifaRunner.run(["segment"], stdin: "你好", environment: ["TIFA_DICTIONARIES": "/nonexistent"])
        XCTAssertEqual(dictionaries.status, 1)
        XCTAssertTrue(dictionaries.stderr.contains("/nonexistent: no such directory"), dictionaries.stderr)
        let dict = try TifaRunner.run(["segment", "--dict", "/nonexistent.txt"], stdin: "你好")
        XCTAssertNotEqual(dict.status, 0)
        XCTAssertTrue(dict.stderr.contains("/nonexistent.txt"), dict.stderr)
        XCTAssertFalse(dict.stderr.contains("could not be completed"), dict.stderr)
    }

    func testIndexBuildExits3WhenRecordsAreSkippedAndWarnsAboutDuplicateIDs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-grammar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("c.jsonl").path
        try "{\"title\": \"a\", \"content\": \"两不愁三保障\"}\n{\"title\": \"a\", \"content\": \"五个一批\"}\nnot json\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        let r = try TifaRunner.run(["index", "build", corpus, "--db", dir.appendingPathComponent("c.db").path])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("1 document id occurs more than once (e.g. \"a\" ×2); choose a unique --id-field (now title)"), r.stderr)
    }

    func testFoldersAndStdinForTextCommands() throws {
        let folder = try TifaRunner.run(["normalize", "seeds/"])
        XCTAssertEqual(folder.status, 0, folder.stderr)
        XCTAssertTrue(folder.stdout.contains("两不愁"))
        let stdin = try TifaRunner.run(["segment", "-"], stdin: "聚焦两不愁三保障")
        XCTAssertEqual(stdin.stdout, "聚焦 两不愁三保障\n")
    }
}
