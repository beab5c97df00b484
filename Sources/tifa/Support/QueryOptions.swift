import ArgumentParser
import Foundation
import Tifa
import TifaIndex

/// `--kind` of the query commands.
enum TermKindOption: String, ExpressibleByArgument, CaseIterable {
    case word, formula, number, latin
    var kind: TermKind { TermKind(rawValue: rawValue)! }
}

/// How `kwic` and `trend` look a query up.
struct SearchFlags: ParsableArguments {
    @Flag(help: "Treat queries as regular expressions (ICU syntax) over the normalized texts.")
    var regex = false

    @Flag(help: "Search queries as text even when they are indexed terms (finds 兴平 inside 兴平市 too).")
    var text = false

    func validate() throws {
        if regex && text { throw ValidationError("--regex and --text exclude each other") }
    }

    var mode: SearchMode { regex ? .regex : text ? .text : .auto }

    /// Tells on stderr when a query was not taken as an indexed term, so counts are not misread.
    func noteMethod(_ q: ResolvedQuery) {
        if q.method == .text && mode == .auto {
            Diagnostics.note("\"\(q.query)\" is not an indexed term: searched as text in the documents (\(q.label))")
        }
    }
}

/// A query that is empty or only spaces names nothing: a usage error (exit 64) rather than
/// "occurs nowhere" or "not in the lexicon", which read as an answer about the corpus.
func checkQueriesAreNotBlank(_ queries: [String], _ what: String = "a query") throws {
    if queries.contains(where: { $0.unicodeScalars.allSatisfy(\.properties.isWhitespace) }) {
        throw ValidationError("\(what) is empty")
    }
}

/// `--from` after `--to` chooses no group: a usage error, for `top --by` and `trend` alike.
func checkGroupRange(from: Double?, to: Double?) throws {
    if let from, let to, from > to { throw ValidationError("--from \(TrendChart.label(from)) is after --to \(TrendChart.label(to))") }
}

extension TableFormat {
    /// The format named by `--format`, or an error listing those `allowed`.
    static func check(_ format: TableFormat, allowed: [TableFormat]) throws {
        guard allowed.contains(format) else {
            throw ValidationError("--format \(format.rawValue) does not apply here; use \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

/// `--format` and `-o/--output` of the commands that print a result table.
struct TableOutputOptions: ParsableArguments {
    @Option(help: "Output format: text (aligned, for people), tsv, csv, jsonl or json.")
    var format: TableFormat = .text

    @OptionGroup var destination: OutputOption

    func writer(columns: [String]) throws -> TableWriter {
        TableWriter(format: format, columns: columns)
    }
}

/// `-n/--limit N` of every command that prints a ranked or long result: at most N rows (per
/// group), 0 = all.
struct LimitOption: ParsableArguments {
    // Unconditional, so `--limit -3` reaches validation instead of reading as an option.
    @Option(name: [.short, .long], parsing: .unconditional, help: ArgumentHelp("At most N results (per group); 0 = all.", valueName: "N"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be ≥ 0 (0 = all), not \(limit)") }
    }

    /// The limit, nil for all.
    var value: Int? { limit == 0 ? nil : limit }

    /// The limit or `fallback` when not given; nil for all.
    func value(default fallback: Int) -> Int? { limit == nil ? fallback : value }
}

/// `--stopwords default|none|FILE` of the word rankings (`top`, `report`).
struct StopWordOption: ParsableArguments {
    @Option(name: .customLong("stopwords"), help: ArgumentHelp("Words left out of word rankings: default (Dictionaries/stopwords.txt: Stopwords ISO's Chinese list, MIT, with Tifa's documented changes), none, or a FILE (one word per line, # comments) used instead of the default; repeatable, the lists add up.", valueName: "default|none|FILE"))
    var lists: [String] = []

    @Flag(name: .customLong("no-default-stopwords"), help: .hidden)
    var noDefault = false

    func load() throws -> Set<String> {
        var names = lists.isEmpty ? [noDefault ? "none" : "default"] : lists
        if noDefault { names.removeAll { $0 == "default" } }
        var words = Set<String>()
        for name in names where name != "none" {
            let url: URL
            if name == "default" {
                url = try DataFiles.dictionary("stopwords.txt")
            } else {
                guard FileManager.default.fileExists(atPath: name) else { throw UserError("--stopwords \(name): no such file (or give default or none)") }
                url = URL(fileURLWithPath: name)
            }
            try DataFiles.forEachDataLine(in: url) { line, _ in
                let word = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).first.map(String.init) ?? ""
                if !word.isEmpty { words.insert(word) }
            }
        }
        return words
    }
}
