import ArgumentParser

/// "did you mean" for a mistyped subcommand (`tifa segmnet`): ArgumentParser only says
/// "Unexpected argument". Options already get its own suggestions.
enum CommandSuggestions {
    /// An error message when the first plain argument at some level of `root` names no subcommand.
    static func unknownCommand(in arguments: [String], root: ParsableCommand.Type) -> String? {
        var subcommands = root.configuration.subcommands
        var path = "tifa"
        for argument in arguments {
            if argument.hasPrefix("-") || argument == "help" || subcommands.isEmpty { return nil }
            let names = subcommands.map { $0._commandName }
            guard let i = names.firstIndex(of: argument) else {
                let ranked = names.map { ($0, distance(argument, $0)) }.filter { $0.1 <= max(2, argument.count / 3) }.sorted { $0.1 < $1.1 }
                let hint = ranked.first.map { "; did you mean '\($0.0)'?" } ?? "; commands: \(names.joined(separator: ", "))"
                return "'\(argument)' is not a \(path) command\(hint)"
            }
            subcommands = subcommands[i].configuration.subcommands
            path += " " + argument
        }
        return nil
    }

    /// The subcommand names at the start of `arguments` (`index build`).
    static func commandPath(in arguments: [String], root: ParsableCommand.Type) -> [String] {
        var subcommands = root.configuration.subcommands
        var path: [String] = []
        for argument in arguments {
            let names = subcommands.map { $0._commandName }
            guard let i = names.firstIndex(of: argument) else { break }
            subcommands = subcommands[i].configuration.subcommands
            path.append(argument)
        }
        return path
    }

    /// Edit distance with adjacent transpositions (segmnet → segment is 1).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}
