import Foundation
import XCTest
@testable import Tifa

/// ICU's part of the traditional → simplified table read from the cache converts exactly as
/// the table derived from ICU, and a damaged cache file only costs time.
final class ChineseConverterCacheTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-t2s-cache-\(UUID().uuidString)")
        LexiconCache.directory = directory
    }

    override func tearDownWithError() throws {
        LexiconCache.directory = nil
        try? FileManager.default.removeItem(at: directory)
    }

    var tableFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasPrefix("t2s-") }
            .map { directory.appendingPathComponent($0) }
    }

    /// Every BMP character and a few supplementary ones, one per line.
    let everyCharacter: String = {
        var view = String.UnicodeScalarView()
        for v in UInt32(0x20)..<0x10000 { if let s = Unicode.Scalar(v), v != 0x0A { view.append(s) } }
        for v in UInt32(0x20000)..<0x20400 { view.append(Unicode.Scalar(v)!) }
        return String(view)
    }()

    func testCachedTableConvertsAsICUsAndDamageIsDerivedAgain() throws {
        let chars = try DataFiles.dictionary("t2s_chars.tsv"), phrases = try DataFiles.dictionary("t2s_phrases.tsv")
        LexiconCache.directory = nil
        let derived = try ChineseConverter(characters: chars, phrases: phrases).convert(everyCharacter)
        XCTAssertNotEqual(derived, everyCharacter)

        LexiconCache.directory = directory
        XCTAssertEqual(try ChineseConverter(characters: chars, phrases: phrases).convert(everyCharacter), derived, "derived and stored")
        let file = try XCTUnwrap(tableFiles.first)
        XCTAssertEqual(tableFiles.count, 1)
        XCTAssertGreaterThan(ChineseConverter.loadPairs(from: file)?.count ?? 0, 1000)
        XCTAssertEqual(try ChineseConverter(characters: chars, phrases: phrases).convert(everyCharacter), derived, "read from the cache")

        // A flipped byte fails the checksum: the table is derived again and the file replaced.
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: file)
        XCTAssertNil(ChineseConverter.loadPairs(from: file))
        XCTAssertEqual(try ChineseConverter(characters: chars, phrases: phrases).convert(everyCharacter), derived, "damaged cache")
        XCTAssertNotNil(ChineseConverter.loadPairs(from: file))
        try Data(bytes.prefix(20)).write(to: file)
        XCTAssertEqual(try ChineseConverter(characters: chars, phrases: phrases).convert(everyCharacter), derived, "short cache file")
    }
}
