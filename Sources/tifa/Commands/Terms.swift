import ArgumentParser
import Tifa

struct Terms: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "List the formulas of the lexicon.",
        discussion: "Columns: formula, category, variants (separated by |; an array in JSON), since, meaning."
    )

    @Option(help: "Only this category: \(PolicyCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
    var category: PolicyCategory?

    @Option(help: "Output format: text (aligned), tsv, csv, jsonl or json.")
    var format: TableFormat = .text

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var lexicon: LexiconFlags

    func run() throws {
        let entries = try lexicon.load().entries.filter { category == nil || $0.category == category }
        TableWriter(format: format, columns: ["formula", "category", "variants", "since", "meaning"]).write(entries.map { e in
            [.text(e.formula), .text(e.category.rawValue), .list(e.variants), .intOrNull(e.since), .text(e.meaning)]
        })
        if format == .text { Diagnostics.write("\(entries.count) formula\(entries.count == 1 ? "" : "s")\n") }
    }
}
