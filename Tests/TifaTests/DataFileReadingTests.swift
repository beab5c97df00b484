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
}
