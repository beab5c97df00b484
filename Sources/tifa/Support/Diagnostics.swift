import Foundation
import Tifa

/// Messages on stderr: `tifa: error: …` for failures, `tifa: warning: …` for what went wrong
/// but did not stop the job.
enum Diagnostics {
    static func error(_ message: String) { write("tifa: error: \(message)\n") }
    static func warning(_ message: String) { write("tifa: warning: \(message)\n") }
    /// How a result was obtained, when that is not the obvious way.
    static func note(_ message: String) { write("tifa: note: \(message)\n") }

    /// An old spelling that still works, named once per run.
    static func deprecated(_ old: String, use new: String) {
        warning("\(old) is deprecated; use \(new)")
    }

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

/// A failure in the user's terms (a query found nowhere, a file that cannot be written): one line
/// on stderr and exit status 1.
struct UserError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
