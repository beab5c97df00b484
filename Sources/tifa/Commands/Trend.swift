import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Trend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count and rate of terms per year; SVG chart.",
        discussion: """
        One row per term and group, zeros included: group, term, kind, count, documents, tokens (of the group) and per_10k (count per 10,000 tokens). Terms are normalized like the documents (兩不愁三保障 finds 两不愁三保障); a term not in the index gives no rows.
        """
    )

    @Argument(help: "Terms or formulas.")
    var terms: [String]

    @Option(name: .long, help: ArgumentHelp("Group by year or by a metadata field.", valueName: "FIELD"))
    var by = "year"

    @Option(help: "Only terms of this kind: word, formula, number or latin (default: the formula when the term is one, else any kind).")
    var kind: String?

    @OptionGroup var database: DatabaseOption

    @Option(help: "Output format: table, csv, tsv or jsonl.")
    var format: TableFormat = .table

    @Option(name: .long, help: ArgumentHelp("Also draw the series as an SVG line chart into FILE.", valueName: "FILE"))
    var svg: String?

    @Option(name: .long, help: "What the chart plots: rate (per 10k tokens) or count.")
    var measure: TrendChart.Measure = .rate

    func validate() throws {
        if terms.isEmpty { throw ValidationError("give at least one term") }
        if let kind, TermKind(rawValue: kind) == nil { throw ValidationError("--kind must be word, formula, number or latin") }
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        let rows = try index.trend(terms: LongArgumentLists.unfold(terms), by: by, kinds: kind.flatMap(TermKind.init(rawValue:)).map { [$0] })
        let kinds = kind.flatMap(TermKind.init(rawValue:)).map { Set([$0]) }
        for t in terms where try !index.contains(t, kinds: kinds) {
            Diagnostics.warning("\"\(t)\" is not in the index")
        }
        if !rows.isEmpty && rows.allSatisfy({ $0.group == nil }) {
            Diagnostics.warning("no document has a \(by) (build with --meta FIELDS for JSON Lines or --meta-from-path REGEX for file names, or choose --by FIELD)")
        }
        TableWriter(format: format, columns: [by, "term", "kind", "count", "documents", "tokens", "per_10k"]).write(rows.map { r in
            [.text(r.group), .text(r.term), .text(r.kind.rawValue), .int(r.count), .int(r.documents), .int(r.tokens), .number(r.per10k)]
        })
        if let svg {
            var chart = TrendChart()
            chart.measure = measure
            chart.xLabel = by
            chart.title = terms.joined(separator: ", ")
            do { try chart.svg(rows).write(toFile: svg, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("\(svg): cannot be written (\(error.localizedDescription))")
            }
        }
    }
}

extension TrendChart.Measure: ExpressibleByArgument {}
