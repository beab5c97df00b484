import ArgumentParser

/// Long runs of plain arguments (thousands of paths from `xargs` or a shell glob) kept away from
/// ArgumentParser, which copies a repeated positional's whole array for every value it appends:
/// parsing n paths costs O(n²) — measured: 8,701 paths took 1.3 s, more than normalizing their
/// 100 MB of text.
///
/// Before parsing, `fold` replaces each long run of plain arguments (not starting with `-`) by
/// one placeholder, except the run's first argument, which may be the value of the option before
/// it, and leading subcommand names. Commands get their positional lists back, in order, through
/// `unfold`. Short command lines are passed through untouched.
enum LongArgumentLists {
    /// Runs shorter than this are left to ArgumentParser (its cost is negligible there).
    static let minimumRun = 64
    static let marker = "\u{1}tifa-argument-run-"
    nonisolated(unsafe) private static var runs: [[String]] = []

    /// `arguments` without the program name; `commandNames` are the names of all subcommands.
    static func fold(_ arguments: [String], commandNames: Set<String>) -> [String] {
        guard arguments.count >= minimumRun else { return arguments }
        var result: [String] = []
        result.reserveCapacity(64)
        var i = 0
        var afterTerminator = false
        while i < arguments.count {
            let a = arguments[i]
            if !afterTerminator && a == "--" {
                afterTerminator = true
                result.append(a)
                i += 1
                continue
            }
            if !afterTerminator && isOption(a) {
                result.append(a)
                i += 1
                continue
            }
            // A run of plain arguments from i.
            var end = i
            while end < arguments.count && (afterTerminator || !isOption(arguments[end])) && (afterTerminator || arguments[end] != "--") {
                end += 1
            }
            var keep = i
            if i == 0 {
                while keep < end && commandNames.contains(arguments[keep]) { keep += 1 }
            } else if !afterTerminator && !arguments[i - 1].contains("=") {
                keep += 1  // perhaps the value of the option before the run
            }
            result.append(contentsOf: arguments[i..<min(keep, end)])
            if end - keep >= minimumRun {
                result.append(marker + String(runs.count))
                runs.append(Array(arguments[keep..<end]))
            } else if keep < end {
                result.append(contentsOf: arguments[keep..<end])
            }
            i = end
        }
        return result
    }

    /// A positional list with every placeholder replaced by the arguments it stands for.
    static func unfold(_ values: [String]) -> [String] {
        guard !runs.isEmpty, values.contains(where: { $0.hasPrefix(marker) }) else { return values }
        var result: [String] = []
        for v in values {
            if v.hasPrefix(marker), let k = Int(v.dropFirst(marker.count)), runs.indices.contains(k) {
                result.append(contentsOf: runs[k])
            } else {
                result.append(v)
            }
        }
        return result
    }

    private static func isOption(_ a: String) -> Bool { a.count > 1 && a.hasPrefix("-") }

    /// The names of `command`'s subcommands, at every depth.
    static func commandNames(of command: ParsableCommand.Type) -> Set<String> {
        var names = Set<String>()
        for sub in command.configuration.subcommands {
            names.insert(sub._commandName)
            names.formUnion(commandNames(of: sub))
        }
        return names
    }
}
