import Foundation
import XCTest
import TifaIndex
import TifaTestSupport

/// README's index-and-query example, on the seeds.
final class ReadmeIndexExampleTests: XCTestCase {
    func testIndexAndQueryExample() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-readme-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("seeds.db").path

        let build = IndexBuildOptions()
        let report = try IndexBuilder.build(inputs: [TestPaths.seeds.path], database: db, options: build)
        XCTAssertEqual(report.indexed, 5)
        let index = try IndexReader(path: db)
        var top = TopQuery()
        top.kinds = [.formula]
        let rows = try index.top(top)
        let first = try XCTUnwrap(rows.first { $0.term == "两不愁三保障" })
        XCTAssertEqual(first.documents, 3)
        XCTAssertGreaterThanOrEqual(first.count, 7)
        let lines = try index.kwic("五个一批")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.map(\.match), ["五个一批", "五个一批"])
    }
}
