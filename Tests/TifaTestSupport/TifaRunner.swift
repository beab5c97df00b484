import Foundation

/// Runs the built `tifa` binary, as a user would, and captures what it prints.
public enum TifaRunner {
    public struct Result {
        public var stdout: String
        public var stderr: String
        public var status: Int32
    }

    public static let packageRoot = TestPaths.packageRoot
    public static let seeds = TestPaths.seeds
    public static let shared = TestPaths.shared

    /// The `tifa` executable next to the test bundle (`.build/<config>/tifa`).
    public static var executable: URL {
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        for candidate in [dir.appendingPathComponent("tifa"), Bundle(for: Marker.self).bundleURL.deletingLastPathComponent().appendingPathComponent("tifa")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return dir.appendingPathComponent("tifa")
    }

    final class Marker {}

    @discardableResult
    /// `launcher`: a command that runs tifa (`["/usr/bin/taskset", "-c", "0"]`), or none.
    public static func run(_ arguments: [String], stdin: String? = nil, currentDirectory: URL? = nil, environment: [String: String] = [:],
                           launcher: [String] = []) throws -> Result {
        let process = Process()
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = currentDirectory ?? packageRoot
        // Output goes to temporary files, so a large output can never block the child.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
    }
}
