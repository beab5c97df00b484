import Foundation

/// Where the tests find the repository's files: one definition for every test target.
public enum TestPaths {
    /// The package root (this file is `Tests/TifaTestSupport/TestPaths.swift`).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The bundled demo corpus.
    public static let seeds = packageRoot.appendingPathComponent("seeds")
    /// The library tests' fixtures.
    public static let fixtures = packageRoot.appendingPathComponent("Tests/TifaTests/Fixtures")
    /// Expected outputs of the golden tests (`Tests/Golden`).
    public static let golden = packageRoot.appendingPathComponent("Tests/Golden")
    /// `../shared` beside the checkout: development data that is not part of the repository.
    /// Tests that need it skip when it is absent.
    public static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    public static let sharedCorpus = shared.appendingPathComponent("corpus/cpc_congress_reports.jsonl")

    /// The first `count` JSON Lines records of `sharedCorpus` (a prefix keeps tests fast in debug
    /// builds), or nil when it is absent and the caller should skip.
    public static func sharedCorpusRecords(first count: Int) throws -> [String]? {
        guard FileManager.default.fileExists(atPath: sharedCorpus.path) else { return nil }
        return try String(contentsOf: sharedCorpus, encoding: .utf8).split(separator: "\n").prefix(count).map(String.init)
    }

    /// The seed files, sorted by name.
    public static func seedFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: seeds, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
