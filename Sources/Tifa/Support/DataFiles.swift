import Foundation

/// Where Tifa finds its data files (`Dictionaries/`), and the errors they can raise.
///
/// Search order: `$TIFA_DICTIONARIES`; `<executable dir>/../share/tifa/Dictionaries` (an
/// installed layout); `Dictionaries/` beside the package the library was built from (a checkout).
public enum DataFiles {
    public static func dictionariesDirectory() throws -> URL {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["TIFA_DICTIONARIES"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../share/tifa/Dictionaries").standardized)
        candidates.append(packageRoot.appendingPathComponent("Dictionaries"))
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("README.md").path) {
            return c
        }
        throw DataFileError(file: candidates.map(\.path).joined(separator: ", "), line: nil,
                            message: "Tifa's Dictionaries directory was not found; set TIFA_DICTIONARIES")
    }

    /// A file of the shipped dictionaries by name, e.g. `t2s_phrases.tsv`.
    public static func dictionary(_ name: String) throws -> URL {
        try dictionariesDirectory().appendingPathComponent(name)
    }

    /// The root of the checkout this library was compiled from.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Reads a UTF-8 data file and calls `body` for each line that is not blank or a `#` comment,
    /// with its 1-based line number. Errors thrown by `body` get the file and line attached.
    public static func forEachDataLine(in url: URL, _ body: (_ line: Substring, _ number: Int) throws -> Void) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError(file: url.path, line: nil, message: "cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: url.path, line: nil, message: "is not valid UTF-8")
        }
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do { try body(line, number) } catch var e as DataFileError {
                if e.line == nil { e.line = number }
                if e.file.isEmpty { e.file = url.path }
                throw e
            }
        }
    }
}

/// A data file (dictionary, lexicon, stop-word list) that cannot be used, with the place.
public struct DataFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String = "", line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
