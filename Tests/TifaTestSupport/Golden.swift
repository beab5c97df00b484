import Foundation

/// Golden files: expected outputs kept in `Tests/Golden`, so that every change of behaviour shows
/// up as a reviewed diff of those files.
///
/// To re-record after an intended change: `TIFA_RECORD_GOLDEN=1 swift test --filter GoldenTests`,
/// then review `git diff Tests/Golden` and commit the files with the change that caused them.
public enum Golden {
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["TIFA_RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with the golden file `name` (a path under `Tests/Golden`); when
    /// recording, writes it instead. Returns nil when they agree (or after recording), else a
    /// message naming the file, the first differing line and how to re-record.
    public static func check(_ actual: String, against name: String) throws -> String? {
        let url = TestPaths.golden.appendingPathComponent(name)
        if isRecording {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "golden file Tests/Golden/\(name) is missing; record it with TIFA_RECORD_GOLDEN=1 swift test --filter GoldenTests"
        }
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var line = 0
        while line < min(e.count, a.count) && e[line] == a[line] { line += 1 }
        let want = line < e.count ? String(e[line]) : "(end of file)"
        let got = line < a.count ? String(a[line]) : "(end of output)"
        return """
            output differs from Tests/Golden/\(name) at line \(line + 1) (\(e.count) lines expected, \(a.count) produced)
              expected: \(want.prefix(300))
              actual:   \(got.prefix(300))
            If the change is intended: TIFA_RECORD_GOLDEN=1 swift test --filter GoldenTests, review git diff Tests/Golden, commit.
            """
    }
}
