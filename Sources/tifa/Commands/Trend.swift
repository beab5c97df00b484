import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Trend: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Count and rate of terms per year (or any field); SVG chart.",
        discussion: """
        One row per term and group, zeros included: group, term, kind, count, documents, tokens (of the group) and per_10k (count per 10,000 tokens). A term may be written in any form the extractor accepts (兩不愁、三保障 and 5个一批 find their formulas). A query that is not an indexed term (兴平 inside 兴平市) is counted as text in the normalized documents, and a note on stderr says so; --regex counts a regular expression. A query found nowhere is an error; one found only in documents left out gets a note. Documents without a value of the --by field are left out, with a note on stderr and under the chart; an index where no document has one is an error.
        """
    )

    @Argument(help: "Terms, formulas or text (or patterns with --regex).")
    var terms: [String] = []

    @Option(name: .long, help: ArgumentHelp("Group by year or by a metadata field (the x axis).", valueName: "FIELD"))
    var by = "year"

    @Option(help: ArgumentHelp("Leave out groups below this value (numeric groups such as years).", valueName: "VALUE"))
    var from: Double?

    @Option(help: ArgumentHelp("Leave out groups above this value.", valueName: "VALUE"))
    var to: Double?

    @Option(help: "Only terms of this kind: word, formula, number or latin (default: the formula when the term is one, else any kind).")
    var kind: TermKindOption?

    @OptionGroup var search: SearchFlags

    @OptionGroup var database: DatabaseOption

    @OptionGroup var output: TableOutputOptions
    var outputPath: String? { output.destination.output }

    @Option(name: .long, help: ArgumentHelp("Also draw the series as an SVG line chart into FILE.", valueName: "FILE"))
    var svg: String?

    @Flag(help: "The chart plots occurrences per 10,000 tokens of the group instead of counts.")
    var rate = false

    func validate() throws {
        if terms.isEmpty { throw ValidationError("give at least one term") }
        try checkQueriesAreNotBlank(terms)
        try checkGroupRange(from: from, to: to)
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        var query = TrendQuery(terms: terms)
        query.groupBy = by
        query.kinds = kind.map { [$0.kind] }
        query.from = from
        query.to = to
        query.search = search.mode
        let result = try index.trend(query)
        let missing = result.queries.filter { !$0.found }.map(\.query)
        if !missing.isEmpty {
            throw UserError("\(missing.map { "\"\($0)\"" }.joined(separator: ", ")) occur\(missing.count == 1 ? "s" : "") nowhere in \(database.db) (neither as an indexed term nor as text)")
        }
        // Every document left out: no table, however the queries are spelled (not a warning
        // and an empty table with exit 0, which a script reads as "no occurrences").
        if index.documentCount > 0 && result.ungroupedDocuments == index.documentCount {
            throw UserError("no document of \(database.db) has a \(by): nothing to group by (build with --meta FIELDS for JSON Lines or --meta-from-path REGEX for file names, or choose --by FIELD)")
        }
        var note: String?
        if result.ungroupedDocuments > 0 {
            note = "\(result.ungroupedDocuments) document\(result.ungroupedDocuments == 1 ? "" : "s") without a \(by) left out"
            Diagnostics.note(note!)
        }
        for q in result.queries {
            search.noteMethod(q)
            // A zero row after row is read as "never said": say where the occurrences are.
            let counted = result.rows.contains { $0.count > 0 && $0.term == q.label && ($0.kind == nil) == (q.method != .term) }
            if !counted {
                let range = from != nil || to != nil ? " or outside --from/--to" : ""
                Diagnostics.note("\"\(q.query)\" occurs only in documents left out (without a \(by)\(range))")
            }
        }
        try output.writer(columns: [by, "term", "kind", "count", "documents", "tokens", "per_10k"]).write(result.rows.map { r in
            [.text(r.group), .text(r.term), .text(r.kindName), .int(r.count), .int(r.documents), .int(r.tokens), .number(r.per10k)]
        })
        if let svg {
            var chart = TrendChart()
            chart.measure = rate ? .rate : .count
            chart.xLabel = by
            chart.note = note
            chart.title = terms.count <= 6 ? terms.joined(separator: ", ") : "\(terms.count) terms"
            try OutputFile.write(chart.svg(result.rows), to: svg)
        }
    }
}
