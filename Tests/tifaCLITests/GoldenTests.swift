import Foundation
import XCTest

/// The seeds through the whole path, as a user runs it: `tifa normalize`, `tifa segment` and
/// `tifa extract` on each seed, compared with the expected outputs in `Tests/Golden/seeds/`.
/// A change of behaviour in any layer shows up as a diff of those files; re-record with
/// `TIFA_RECORD_GOLDEN=1 swift test --filter GoldenTests` and review `git diff Tests/Golden`.
final class GoldenTests: XCTestCase {
    /// The command line of each golden output, run from the package root on a seed's relative path.
    static let stages: [(suffix: String, arguments: [String])] = [
        ("normalize.txt", ["normalize"]),
        ("segment.txt", ["segment"]),
        ("extract.tsv", ["extract", "--format", "tsv"]),
    ]

    func testSeedsMatchTheirGoldenOutputs() throws {
        let seeds = try TestPaths.seedFiles()
        XCTAssertEqual(seeds.count, 5, "seeds/ should hold the five seed reports")
        var failures: [String] = []
        for seed in seeds {
            let relative = "seeds/" + seed.lastPathComponent
            let stem = seed.deletingPathExtension().lastPathComponent
            for stage in Self.stages {
                let result = try TifaRunner.run(stage.arguments + [relative])
                XCTAssertEqual(result.status, 0, "tifa \(stage.arguments.joined(separator: " ")) \(relative): \(result.stderr)")
                if let message = try Golden.check(result.stdout, against: "seeds/\(stem).\(stage.suffix)") {
                    failures.append(message)
                }
            }
        }
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n\n"))
    }
}
