import Foundation
import XCTest
@testable import Tifa
import TifaTestSupport

/// The compiled-lexicon cache: a cached lexicon segments exactly as a compiled one, anything
/// that shapes the lexicon makes another entry, and a damaged or unusable cache only costs time.
final class LexiconCacheTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-lexicon-cache-\(UUID().uuidString)")
        LexiconCache.directory = directory
    }

    override func tearDownWithError() throws {
        LexiconCache.directory = nil
        try? FileManager.default.removeItem(at: directory)
    }

    var cacheFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    func tokens(_ segmenter: Segmenter) throws -> [String] {
        let text = try Normalizer().normalize(try String(contentsOf: TestPaths.seedFiles()[1], encoding: .utf8)
            + "惠特妮·休斯顿在兴平市精细实施五个一批")
        return segmenter.segment(text).map { "\($0.range) \($0.kind)" }
    }

    func testACachedLexiconSegmentsAsTheCompiledOne() throws {
        let compiled = try Segmenter()
        XCTAssertFalse(compiled.lexiconIsCached)
        XCTAssertEqual(cacheFiles.count, 1)
        let file = directory.appendingPathComponent(try XCTUnwrap(cacheFiles.first))
        let stored = try Data(contentsOf: file)
        let cached = try Segmenter()
        XCTAssertTrue(cached.lexiconIsCached)
        XCTAssertEqual(try Data(contentsOf: file), stored, "the trie is used where it is mapped, and the model's marks stay in the process")
        XCTAssertEqual(cached.lexicon.edges.count, compiled.lexicon.edges.count)
        XCTAssertTrue(zip(cached.lexicon.edges, compiled.lexicon.edges).allSatisfy { $0.bits == $1.bits })
        XCTAssertTrue(zip(cached.lexicon.root, compiled.lexicon.root).allSatisfy { $0.bits == $1.bits })
        XCTAssertEqual(cached.lexiconWordCount, compiled.lexiconWordCount)
        XCTAssertEqual(try tokens(cached), try tokens(compiled))
        LexiconCache.directory = nil
        XCTAssertEqual(try tokens(cached), try tokens(Segmenter()), "the same as without any cache")
    }

    func testWhatShapesTheLexiconMakesAnotherEntry() throws {
        _ = try Segmenter()
        var options = Segmenter.Options()
        options.forcedPhrases = ["实施五个一"]
        let phrases = try Segmenter(options: options)
        XCTAssertFalse(phrases.lexiconIsCached)
        options.shippedDictionaries = .withoutDomain
        XCTAssertFalse(try Segmenter(options: options).lexiconIsCached)
        var steps = Normalizer.Options()
        steps.steps.remove(.traditionalToSimplified)
        XCTAssertFalse(try Segmenter(normalizer: Normalizer(options: steps)).lexiconIsCached)
        XCTAssertEqual(cacheFiles.count, 4)
        // A user dictionary counts by its contents, not its name.
        let dict = directory.appendingPathComponent("words.txt")
        try "实施五 10\n".write(to: dict, atomically: true, encoding: .utf8)
        var withDict = Segmenter.Options()
        withDict.userDictionaries = [dict]
        XCTAssertFalse(try Segmenter(options: withDict).lexiconIsCached)
        XCTAssertTrue(try Segmenter(options: withDict).lexiconIsCached)
        try "实施五个 10\n".write(to: dict, atomically: true, encoding: .utf8)
        let changed = try Segmenter(options: withDict)
        XCTAssertFalse(changed.lexiconIsCached)
        XCTAssertTrue(try tokens(changed).contains { $0.hasSuffix("word") })
        XCTAssertEqual(cacheFiles.count, LexiconCache.keptFiles, "the oldest entries are deleted")
    }

    /// Eviction goes by use, not by writing: the entry read between the writes of six others stays.
    func testTheMostRecentlyUsedEntriesAreKept() throws {
        _ = try Segmenter()
        var options = Segmenter.Options()
        for i in 0..<(LexiconCache.keptFiles - 1) {
            options.forcedPhrases = ["实施五个一批\(i)"]
            XCTAssertFalse(try Segmenter(options: options).lexiconIsCached)
        }
        XCTAssertTrue(try Segmenter().lexiconIsCached)
        options.forcedPhrases = ["实施五个一批新"]
        XCTAssertFalse(try Segmenter(options: options).lexiconIsCached)
        XCTAssertEqual(cacheFiles.count, LexiconCache.keptFiles)
        XCTAssertTrue(try Segmenter().lexiconIsCached, "used last but one: kept")
        options.forcedPhrases = ["实施五个一批0"]
        XCTAssertFalse(try Segmenter(options: options).lexiconIsCached, "the least recently used went")
    }

    func testADamagedEntryIsCompiledAgain() throws {
        let compiled = try Segmenter()
        let file = directory.appendingPathComponent(try XCTUnwrap(cacheFiles.first))
        var bytes = try [UInt8](Data(contentsOf: file))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: file)
        let again = try Segmenter()
        XCTAssertFalse(again.lexiconIsCached, "a flipped byte fails the checksum")
        XCTAssertEqual(try tokens(again), try tokens(compiled))
        XCTAssertTrue(try Segmenter().lexiconIsCached, "and the entry was written again")
        try Data(bytes.prefix(100)).write(to: file)
        XCTAssertFalse(try Segmenter().lexiconIsCached, "a short file")
    }

    func testAnUnusableDirectoryOnlyCostsTime() throws {
        let file = directory.appendingPathExtension("file")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        LexiconCache.directory = file.appendingPathComponent("below-a-file")
        let segmenter = try Segmenter()
        XCTAssertFalse(segmenter.lexiconIsCached)
        XCTAssertFalse(try Segmenter().lexiconIsCached)
        LexiconCache.directory = nil
        XCTAssertEqual(try tokens(segmenter), try tokens(Segmenter()))
    }

    func testAMissingUserDictionaryIsStillNamed() throws {
        var options = Segmenter.Options()
        options.userDictionaries = [directory.appendingPathComponent("missing.txt")]
        XCTAssertThrowsError(try Segmenter(options: options)) { error in
            XCTAssertTrue("\(error)".contains("missing.txt"), "\(error)")
        }
    }

    func testTheCommandsDirectoryFromTheEnvironment() {
        XCTAssertNil(LexiconCache.directory(environment: ["TIFA_CACHE_DIR": "", "HOME": "/home/a"]))
        XCTAssertEqual(LexiconCache.directory(environment: ["TIFA_CACHE_DIR": "/c", "HOME": "/home/a"])?.path, "/c")
        XCTAssertEqual(LexiconCache.directory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/home/a"])?.path, "/x/tifa")
        XCTAssertEqual(LexiconCache.directory(environment: ["HOME": "/home/a"])?.path, "/home/a/.cache/tifa")
        XCTAssertNil(LexiconCache.directory(environment: [:]))
    }
}
