import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Top: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        abstract: "The most frequent terms or formulas of an index.",
        discussion: """
        At most --limit terms per group (default 20, 0 = all). With --kind all a formula is counted once, as a formula (not also as the word the segmenter kept whole). Columns: group (with --by), rank, term, kind, count, documents (documents of the group containing the term), per_10k (count per 10,000 tokens of the group) and tfidf (count × (ln((1+N)/(1+df)) + 1), N documents and df document frequency in the whole corpus). Stop words (--stopwords) apply to words only.
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case word, formula, number, latin, all }

    @OptionGroup var database: DatabaseOption

    @Option(help: "Terms to rank: word, formula, number, latin or all.")
    var kind: Kind = .word

    @Option(name: .customLong("rank-by"), help: "Rank by count, rate (per 10k tokens) or tfidf.")
    var rankBy: TermRanking = .count

    @Option(name: [.long, .customLong("group-by", withSingleDash: false)], help: ArgumentHelp("Rank within each value of year or of a metadata field (as --by of trend and report).", valueName: "FIELD"))
    var by: String?

    @OptionGroup var limit: LimitOption

    @OptionGroup var stopWords: StopWordOption

    @OptionGroup var output: TableOutputOptions
    var outputOption: OutputOption { output.output }

    func validate() throws {
        // --by used to name the ranking; it now groups, as in trend and report.
        if let by, TermRanking(rawValue: by) != nil {
            throw ValidationError("--by groups (by year or a metadata field); to rank by \(by), use --rank-by \(by)")
        }
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        var query = TopQuery()
        query.kinds = kind == .all ? Set(TermKind.allCases) : [TermKind(rawValue: kind.rawValue)!]
        query.ranking = rankBy
        query.groupBy = by
        query.limit = limit.value(default: 20) ?? Int.max
        query.stopWords = try stopWords.load()
        let rows = try index.top(query)
        let columns = (by.map { [$0] } ?? []) + ["rank", "term", "kind", "count", "documents", "per_10k", "tfidf"]
        try output.writer(columns: columns).write(rows.map { r in
            (by == nil ? [] : [Cell.text(r.group)]) +
                [.int(r.rank), .text(r.term), .text(r.kind.rawValue), .int(r.count), .int(r.documents), .number(r.per10k), .number(r.tfidf)]
        })
    }
}

extension TermRanking: ExpressibleByArgument {}
