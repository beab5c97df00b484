import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Top: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "The most frequent terms or formulas of an index.",
        discussion: """
        At most --limit terms per group (default 20, 0 = all). With --kind all a formula is counted once, as a formula (not also as the word the segmenter kept whole). Columns: group (with --by), rank, term, kind, count, documents (documents of the group containing the term), per_10k (count per 10,000 tokens of the group) and tfidf (count × (ln((1+N)/(1+df)) + 1), N documents and df document frequency in the whole corpus). Stop words (--stopwords) apply to words only.

        --term X (repeatable) shows where X stands instead: its row in the ranking of its kind (in each group with --by), whatever its rank. X may be written in any form the extractor accepts (兩不愁、三保障 and 5个一批 name their formula); a term found as a formula is ranked among formulas, unless --kind says otherwise. A term that is not indexed is an error (`tifa kwic --text` and `tifa trend` search text).
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case word, formula, number, latin, all }

    @OptionGroup var database: DatabaseOption

    @Option(help: "Terms to rank: word, formula, number, latin or all (default word; with --term, the term's own kind).")
    var kind: Kind?

    @Option(name: .customLong("term"), help: ArgumentHelp("Show this term's rank and counts instead of the leading terms; repeatable.", valueName: "TERM"))
    var terms: [String] = []

    @Option(help: ArgumentHelp("With --by: leave out groups below this value (numeric groups such as years).", valueName: "VALUE"))
    var from: Double?

    @Option(help: ArgumentHelp("With --by: leave out groups above this value.", valueName: "VALUE"))
    var to: Double?

    @Option(name: .customLong("rank-by"), help: "Rank by count, rate (per 10k tokens) or tfidf.")
    var rankBy: TermRanking = .count

    @Option(name: [.long, .customLong("group-by", withSingleDash: false)], help: ArgumentHelp("Rank within each value of year or of a metadata field (as --by of trend and report).", valueName: "FIELD"))
    var by: String?

    @OptionGroup var limit: LimitOption

    @OptionGroup var stopWords: StopWordOption

    @OptionGroup var output: TableOutputOptions
    var outputPath: String? { output.destination.output }

    func validate() throws {
        // --by used to name the ranking; it now groups, as in trend and report.
        if let by, TermRanking(rawValue: by) != nil {
            throw ValidationError("--by groups (by year or a metadata field); to rank by \(by), use --rank-by \(by)")
        }
        try checkQueriesAreNotBlank(terms, "a --term")
        if by == nil && (from != nil || to != nil) { throw ValidationError("--from and --to choose among the groups of --by; give --by year (or another field)") }
        try checkGroupRange(from: from, to: to)
        if !terms.isEmpty && limit.limit != nil { throw ValidationError("--limit does not apply to --term: every row of the term is shown") }
    }

    static func kinds(_ kind: Kind) -> Set<TermKind> {
        kind == .all ? Set(TermKind.allCases) : [TermKind(rawValue: kind.rawValue)!]
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        var query = TopQuery()
        query.kinds = Self.kinds(kind ?? .word)
        query.ranking = rankBy
        query.groupBy = by
        query.from = from
        query.to = to
        query.limit = limit.value(default: 20) ?? Int.max
        query.stopWords = try stopWords.load()
        let rows = terms.isEmpty ? try index.top(query) : try termRows(index, query)
        let columns = (by.map { [$0] } ?? []) + ["rank", "term", "kind", "count", "documents", "per_10k", "tfidf"]
        try output.writer(columns: columns).write(rows.map { r in
            (by == nil ? [] : [Cell.text(r.group)]) +
                [.int(r.rank), .text(r.term), .text(r.kind.rawValue), .int(r.count), .int(r.documents), .number(r.per10k), .number(r.tfidf)]
        })
    }
}

extension Top {
    /// The rows of the --term queries, in the order given: each term ranked among the terms of
    /// its kind (--kind, or the kinds it is indexed as; a formula not also as the word).
    func termRows(_ index: IndexReader, _ base: TopQuery) throws -> [TopRow] {
        var rows: [TopRow] = []
        var rankings: [Set<TermKind>: [TopRow]] = [:]
        for term in terms {
            var kinds: [Set<TermKind>] = []
            if let kind {
                kinds = [Self.kinds(kind)]
            } else {
                let found = try TermKind.allCases.filter { try index.resolve(term, kinds: [$0], search: .term).found }
                kinds = found.filter { !($0 == .word && found.contains(.formula)) }.map { [$0] }
            }
            var matched = false
            for k in kinds {
                let resolved = try index.resolve(term, kinds: k, search: .term)
                guard resolved.found else { continue }
                var query = base
                query.kinds = k
                query.limit = Int.max
                // The term itself is ranked even when it is a stop word.
                query.stopWords.remove(resolved.label)
                let ranking: [TopRow]
                if query.stopWords != base.stopWords {
                    ranking = try index.top(query)
                } else {
                    ranking = try rankings[k] ?? index.top(query)
                    rankings[k] = ranking
                }
                let found = ranking.filter { $0.term == resolved.label }
                matched = matched || !found.isEmpty
                rows += found
            }
            if !matched {
                throw UserError("\"\(term)\" is not an indexed term\(kind.map { " of kind \($0.rawValue)" } ?? "") in \(database.db) (tifa kwic --text and tifa trend also search inside terms)")
            }
        }
        return rows
    }
}

extension TermRanking: ExpressibleByArgument {}
