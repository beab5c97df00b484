import Foundation
import XCTest
@testable import Tifa

/// Data files are read line by line whatever their line ends, and an empty file is no error.
final class DataFileReadingTests: XCTestCase {
    func lines(of bytes: String) throws -> [String] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-data-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes.utf8).write(to: url)
        var result: [String] = []
        try DataFiles.forEachDataLine(in: url) { line, number in result.append("\(number):\(line)") }
        return result
    }

    func testCRLFAndLFFilesGiveTheSameLines() throws {
        XCTAssertEqual(try lines(of: "# c\r\n精准 3\r\n\r\n扶贫 5\r\n"), ["2:精准 3", "4:扶贫 5"])
        XCTAssertEqual(try lines(of: "# c\n精准 3\n\n扶贫 5\n"), ["2:精准 3", "4:扶贫 5"])
    }

    func testEmptyFileHasNoLines() throws {
        XCTAssertEqual(try lines(of: ""), [])
    }

    /// `DataFiles.contents(of:)`, which every file Tifa reads whole goes through: all the bytes
    /// of a file larger than its first read, none of an empty one, and the system's reason when
    /// a path cannot be read.
    func testContentsReadsWholeFilesAndSaysWhyNot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-contents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let large = Data((0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try large.write(to: directory.appendingPathComponent("large.bin"))
        XCTAssertEqual(try DataFiles.contents(of: directory.appendingPathComponent("large.bin")), large)
        try Data().write(to: directory.appendingPathComponent("empty.txt"))
        XCTAssertEqual(try DataFiles.contents(of: directory.appendingPathComponent("empty.txt")), Data())
        func reason(_ url: URL) -> String? {
            do { _ = try DataFiles.contents(of: url); return nil } catch { return DataFiles.reason(error) }
        }
        XCTAssertEqual(reason(directory.appendingPathComponent("missing.txt")), "No such file or directory")
        XCTAssertEqual(reason(directory), "Is a directory")
    }
}
