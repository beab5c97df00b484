import Foundation

/// Where Tifa finds its data files (`Dictionaries/`), and the errors they can raise.
///
/// Search order: `$TIFA_DICTIONARIES`; `<executable dir>/../share/tifa/Dictionaries` (an
/// installed layout); `Dictionaries/` beside the package the library was built from (a checkout).
public enum DataFiles {
    public static func dictionariesDirectory() throws -> URL {
        // Found once per value of TIFA_DICTIONARIES: an analyzer asks for every data file it
        // loads (47 times), and each search resolved the executable's symbolic links and
        // tested paths again (1.7 ms of a 63 ms start). getenv, not ProcessInfo's environment:
        // that builds a dictionary of every variable each time (18M instructions for 47 calls).
        let env = getenv("TIFA_DICTIONARIES").map { String(cString: $0) }
        lastDirectory.lock.lock()
        defer { lastDirectory.lock.unlock() }
        if let found = lastDirectory.found, found.env == env { return found.url }
        let url = try searchDictionariesDirectory(env: env)
        lastDirectory.found = (env, url)
        return url
    }

    private final class DirectoryCache: @unchecked Sendable {
        let lock = NSLock()
        var found: (env: String?, url: URL)?
    }
    private static let lastDirectory = DirectoryCache()

    private static func searchDictionariesDirectory(env value: String?) throws -> URL {
        var candidates: [URL] = []
        if let env = value, !env.isEmpty {
            // An explicit choice that does not work is an error, not a silent fallback to another copy.
            let url = URL(fileURLWithPath: env)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: env, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DataFileError(file: env, line: nil, message: "no such directory (TIFA_DICTIONARIES must name Tifa's Dictionaries folder)")
            }
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("README.md").path) else {
                throw DataFileError(file: env, line: nil, message: "not Tifa's Dictionaries folder (no README.md; TIFA_DICTIONARIES must name it)")
            }
            return url
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

    /// The system's reason for a failed file operation ("No such file or directory"), not
    /// Foundation's "The operation could not be completed".
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch ns.code {
        case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "No such file or directory"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "Permission denied"
        default: return ns.localizedDescription
        }
    }

    /// A file of the shipped dictionaries by name, e.g. `t2s_phrases.tsv`.
    public static func dictionary(_ name: String) throws -> URL {
        try dictionariesDirectory().appendingPathComponent(name)
    }

    /// The root of the checkout this library was compiled from.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The TAB-separated fields of a data line, cut at the tab bytes: a tab is always a
    /// Character of its own, so this is `line.split(separator: "\t", omittingEmptySubsequences:
    /// false)` without running grapheme breaking over the line (a tenth of loading the analyzer).
    public static func tabFields(_ line: Substring) -> [Substring] {
        var fields: [Substring] = []
        let utf8 = line.utf8
        var start = utf8.startIndex
        while let tab = utf8[start...].firstIndex(of: 0x09) {
            fields.append(line[start..<tab])
            start = utf8.index(after: tab)
        }
        fields.append(line[start...])
        return fields
    }

    /// The bytes of the file at `url`, read with POSIX calls: Foundation's `Data(contentsOf:)`
    /// leaks its 4 KiB buffer on an empty file (swift-foundation of Swift 6.3; found by
    /// Fuzz/FuzzDictionaries and Fuzz/FuzzModel), and Tifa reads many small files — corpora
    /// hold empty ones. The buffer is the file's size (one byte more, so that the read that
    /// finds its end needs no growth) from `malloc`, whose failure under an address-space limit
    /// is an error here (ENOMEM) rather than a trap: a `Data` of that count traps, and the
    /// lexicon cache, read first, falls back to compiling when it cannot be read. Throws a
    /// `POSIXError` (`reason` gives its text).
    public static func contents(of url: URL) throws -> Data {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var info = stat()
        var capacity = (fstat(fd, &info) == 0 ? max(Int(info.st_size), 0) : 0) + 1
        guard var buffer = malloc(capacity) else { throw POSIXError(.ENOMEM) }
        var filled = 0
        while true {
            if filled == capacity {
                // The file grew since fstat (or is not a regular file).
                capacity = capacity * 2 + 4096
                guard let larger = realloc(buffer, capacity) else { free(buffer); throw POSIXError(.ENOMEM) }
                buffer = larger
            }
            let n = read(fd, buffer + filled, capacity - filled)
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                free(buffer)
                throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
            }
            if n == 0 { break }
            filled += n
        }
        guard filled > 0 else { free(buffer); return Data() }
        return Data(bytesNoCopy: buffer, count: filled, deallocator: .free)
    }

    /// `contents(of:)` of a file Tifa or its user names (a dictionary, a model, a sheet): a
    /// `DataFileError` naming it (`name`, else its path) with the system's reason when it
    /// cannot be read.
    public static func contents(ofDataFile url: URL, named name: String? = nil) throws -> Data {
        do { return try contents(of: url) } catch {
            throw DataFileError(file: name ?? url.path, line: nil, message: "cannot be read (\(reason(error)))")
        }
    }

    /// Reads a UTF-8 data file and calls `body` for each line that is not blank or a `#` comment,
    /// with its 1-based line number. Errors thrown by `body` get the file and line attached.
    public static func forEachDataLine(in url: URL, _ body: (_ line: Substring, _ number: Int) throws -> Void) throws {
        let bytes = try contents(ofDataFile: url)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataFileError(file: url.path, line: nil, message: "is not valid UTF-8")
        }
        var number = 0
        // Lines are cut at the bytes of "\n" (a line break is always a Character boundary, and
        // a "\r" before it is dropped below): splitting the String by Character ran grapheme
        // breaking over every data file and was most of the cost of reading them.
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex || (start == utf8.endIndex && number == 0) {
            let end = utf8[start...].firstIndex(of: 0x0A) ?? utf8.endIndex
            let raw = text[start..<end]
            start = end == utf8.endIndex ? end : utf8.index(after: end)
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
