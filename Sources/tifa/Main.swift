import ArgumentParser
import Foundation
import Tifa

/// Runs the command line with Tifa's error conventions: a user error is one line on stderr and a
/// non-zero exit, never a stack trace; `--help` and `--version` print to stdout and exit 0.
@main
enum Main {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty {
            // Nothing asked: the overview, as a usage error (a script calling `tifa` by mistake fails).
            FileHandle.standardError.write(Data((TifaCommand.helpMessage() + "\n").utf8))
            exit(64)
        }
        if let message = CommandSuggestions.unknownCommand(in: arguments, root: TifaCommand.self) {
            Diagnostics.error(message)
            exit(64)
        }
        var command: ParsableCommand
        do {
            command = try TifaCommand.parseAsRoot(arguments)
        } catch {
            let code = TifaCommand.exitCode(for: error)
            if code == .success {
                print(TifaCommand.fullMessage(for: error))
                exit(0)
            }
            let message = TifaCommand.message(for: error)
            Diagnostics.error(message.isEmpty ? "\(error)" : message)
            exit(code.rawValue == 0 ? 2 : code.rawValue)
        }
        // Compiled lexicons are reused between runs (LexiconCache; TIFA_CACHE_DIR= turns it off).
        LexiconCache.directory = LexiconCache.directory(environment: ProcessInfo.processInfo.environment)
        // Under `ulimit -v`, running out of memory ends with a line naming the limit and the file
        // left unchanged (MemoryLimit), not a crash trace.
        let words = CommandSuggestions.commandPath(in: arguments, root: TifaCommand.self)
        func value(of option: String) -> String? {
            if let i = arguments.firstIndex(of: option), i + 1 < arguments.count { return arguments[i + 1] }
            return arguments.first { $0.hasPrefix(option + "=") }.map { String($0.dropFirst(option.count + 1)) }
        }
        let outputPath = (command as? WritesOutput)?.outputPath.flatMap { $0 == "-" ? nil : $0 }
        MemoryLimit.install(command: (["tifa"] + words).joined(separator: " "), unchanged: value(of: "--db") ?? value(of: "--into") ?? outputPath)
        var status: Int32 = 0
        do {
            let destination = try outputPath.map { try OutputDestination(path: $0, stream: .standardOutput) }
            do {
                try command.run()
            } catch let exit as ExitCode where exit.rawValue == CorpusRun.skippedExitCode {
                // Done, with some inputs skipped (reported): the output is complete.
                status = exit.rawValue
            }
            try destination?.commit()
            Output.standard.flush()
            if let e = Output.standard.writeError {
                throw UserError("standard output: cannot be written (\(String(cString: strerror(e))))")
            }
            exit(status)
        } catch let exit as ExitCode {
            Output.standard.flush()
            Foundation.exit(exit.rawValue)
        } catch {
            Output.standard.flush()
            let code = TifaCommand.exitCode(for: error)
            if code == .success {  // help or version requested while running
                print(TifaCommand.fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = error is ValidationError ? TifaCommand.message(for: error) : Diagnostics.describe(error)
            Diagnostics.error(message + MemoryLimit.hint)
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// Every command states its `commandName`: without one, ArgumentParser derives it from the type
/// with `String(describing:)` each time it asks (145 times at every start), a dynamic conformance
/// lookup that cost about 24M instructions, 1% of a one-core build of the 10 MB corpus.
struct TifaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tifa",
        abstract: "Mine Chinese policy text: decode, normalize, segment, extract policy formulas, index corpora.",
        discussion: "Offsets are 0-based Unicode code point offsets into each document's decoded original text.",
        version: Tifa.version,
        subcommands: [Normalize.self, Segment.self, Extract.self, Analyze.self, Discover.self, Terms.self, Define.self, Eval.self, Train.self, Index.self, Top.self, Trend.self, Kwic.self, Export.self, Report.self]
    )
}
