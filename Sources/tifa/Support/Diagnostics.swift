import Foundation
import Tifa

/// Messages on stderr: `tifa: error: …` for failures, `tifa: warning: …` for what went wrong
/// but did not stop the job.
enum Diagnostics {
    static func error(_ message: String) { write("tifa: error: \(message)\n") }
    static func warning(_ message: String) { write("tifa: warning: \(message)\n") }
    /// How a result was obtained, when that is not the obvious way.
    static func note(_ message: String) { write("tifa: note: \(message)\n") }

    static func write(_ text: String) {
        Output.standard.flush()
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether stderr is a terminal: progress lines are shown only then.
    static let stderrIsTerminal = isatty(2) != 0

    /// One line for any error: Tifa's errors describe themselves with file and place.
    static func describe(_ error: Error) -> String {
        String(describing: error)
    }
}

/// Buffered UTF-8 output to stdout; `flush` before exiting or writing to stderr.
final class Output {
    nonisolated(unsafe) static let standard = Output(fd: 1)
    private let fd: Int32
    private var buffer: [UInt8] = []

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
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n <= 0 {
                if errno == EINTR { continue }
                // A closed pipe (`tifa … | head`) ends the job quietly, as Unix tools do.
                if errno == EPIPE { exit(0) }
                break
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A failure in the user's terms (a query found nowhere, a file that cannot be written): one line
/// on stderr and exit status 1.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
