import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Top: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        abstract: "The most frequent terms or formulas of an index.",
        discussion: """
        At most --limit terms per group (default 20, 0 = all). Columns: group (with --group-by), rank, term, kind, count, documents (documents of the group containing the term), per_10k (count per 10,000 tokens of the group) and tfidf (count × (ln((1+N)/(1+df)) + 1), N documents and df document frequency in the whole corpus). Stop words (Dictionaries/stopwords.txt and --stopwords files) apply to words only.
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case word, formula, number, latin, all }

    @OptionGroup var database: DatabaseOption

    @Option(help: "Terms to rank: word, formula, number, latin or all.")
    var kind: Kind = .word

    @Option(help: "Rank by count, rate (per 10k tokens) or tfidf.")
    var by: TermRanking = .count

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Rank within each value of year or of a metadata field.", valueName: "FIELD"))
    var groupBy: String?

    @OptionGroup var limit: LimitOption

    @Option(name: .long, help: ArgumentHelp("A stop-word file (one word per line, # comments); repeatable.", valueName: "FILE"))
    var stopwords: [String] = []

    @Flag(name: .customLong("no-default-stopwords"), help: "Do not use Dictionaries/stopwords.txt.")
    var noDefaultStopwords = false

    @OptionGroup var output: TableOutputOptions
    var outputOption: OutputOption { output.output }

    func run() throws {
        let index = try IndexReader(path: database.db)
        var query = TopQuery()
        query.kinds = kind == .all ? Set(TermKind.allCases) : [TermKind(rawValue: kind.rawValue)!]
        query.ranking = by
        query.groupBy = groupBy
        query.limit = limit.value(default: 20) ?? Int.max
        query.stopWords = try StopWords.load(files: stopwords, includeDefault: !noDefaultStopwords)
        let rows = try index.top(query)
        let columns = (groupBy.map { [$0] } ?? []) + ["rank", "term", "kind", "count", "documents", "per_10k", "tfidf"]
        try output.writer(columns: columns).write(rows.map { r in
            (groupBy == nil ? [] : [Cell.text(r.group)]) +
                [.int(r.rank), .text(r.term), .text(r.kind.rawValue), .int(r.count), .int(r.documents), .number(r.per10k), .number(r.tfidf)]
        })
    }
}

extension TermRanking: ExpressibleByArgument {}

enum StopWords {
    /// The shipped list (when present and wanted) plus the user's files.
    static func load(files: [String], includeDefault: Bool) throws -> Set<String> {
        var urls = files.map { URL(fileURLWithPath: $0) }
        if includeDefault, let url = try? DataFiles.dictionary("stopwords.txt"), FileManager.default.fileExists(atPath: url.path) {
            urls.insert(url, at: 0)
        }
        var words = Set<String>()
        for url in urls {
            try DataFiles.forEachDataLine(in: url) { line, _ in
                let word = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).first.map(String.init) ?? ""
                if !word.isEmpty { words.insert(word) }
            }
        }
        return words
    }
}
