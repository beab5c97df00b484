import ArgumentParser
import Foundation
import Tifa

/// Buffered UTF-8 output to stdout; `flush` before exiting or writing to stderr. A failed write
/// (a full disk) is remembered, so that the command fails instead of losing output silently.
final class Output {
    nonisolated(unsafe) static let standard = Output(fd: 1)
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The errno of the first write that failed.
    private(set) var writeError: Int32?

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes scalars as UTF-8.
    func write(scalars: ArraySlice<Unicode.Scalar>) {
        UTF8Writer.append(scalars, to: &buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var written = 0
        while written < buffer.count && writeError == nil {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n <= 0 {
                if errno == EINTR { continue }
                // A closed pipe (`tifa … | head`) ends the job quietly, as Unix tools do.
                if errno == EPIPE { exit(0) }
                writeError = n < 0 ? errno : EIO
                break
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `-o/--output FILE` of every command that prints: what the command would print goes to FILE.
/// Handled once, in `Main`, through `OutputDestination`, so the option means the same everywhere.
struct OutputOption: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Write the output to FILE instead of stdout (replaced whole when the command succeeds; - is stdout).", valueName: "FILE"))
    var output: String?
}

/// Commands that print, and so take `-o/--output`.
protocol WritesOutput {
    /// The `-o` path; nil (or -) for stdout.
    var outputPath: String? { get }
}

/// A file written the way `-o FILE` writes: through a temporary file beside it, renamed over it
/// on `commit` (for `-o`: when the command succeeds, exit 0 or 3). A failed or interrupted command
/// leaves FILE as it was, never half written. A FILE that is not a regular file (a FIFO,
/// /dev/null, a terminal) is written in place: it cannot be replaced by a rename.
final class OutputDestination {
    /// What the file receives.
    enum Stream {
        /// File descriptor 1: everything the command prints (`-o`).
        case standardOutput
        /// Its own descriptor, written through `output` (side files such as `trend --svg`).
        case own
    }

    let path: String
    let output: Output
    private let replacement: FileReplacement?
    private let fd: Int32

    init(path: String, stream: Stream) throws {
        self.path = path
        var status = stat()
        let inPlace = stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
        replacement = inPlace ? nil : try FileReplacement(target: path, what: "output", locking: .unlocked)
        let fd = open(replacement?.temporary ?? path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.unwritable(path, errno: errno) }
        switch stream {
        case .standardOutput:
            Output.standard.flush()
            dup2(fd, 1)
            close(fd)
            self.fd = 1
            output = .standard
        case .own:
            self.fd = fd
            output = Output(fd: fd)
        }
    }

    deinit {
        if fd != 1 { close(fd) }
    }

    /// Writes what is buffered and puts the file in place.
    func commit() throws {
        output.flush()
        if let e = output.writeError {
            throw UserError("\(path): cannot be written (\(String(cString: strerror(e))))\(replacement == nil ? "" : "; it is unchanged")")
        }
        do { try replacement?.commit() } catch let error as FileReplacementError { throw UserError(error.description) }
    }

    /// The reason a file cannot be created, in the user's terms (the folder, not a temporary name).
    static func unwritable(_ path: String, errno code: Int32) -> UserError {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return UserError("\(path): cannot be written: the folder \(folder) does not exist")
        }
        return UserError("\(path): cannot be written (\(String(cString: strerror(code))))")
    }
}

enum OutputFile {
    /// Writes a whole file (or stdout for -) as `-o` does: replaced whole or left unchanged; the
    /// error names the file and the reason.
    static func write(_ text: String, to path: String) throws {
        if path == "-" { Output.standard.write(text); return }
        let destination = try OutputDestination(path: path, stream: .own)
        destination.output.write(text)
        try destination.commit()
    }
}
