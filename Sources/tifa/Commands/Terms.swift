import ArgumentParser
import Tifa

struct Terms: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        abstract: "List the formulas of the lexicon.",
        discussion: "Columns: formula, category, variants, since, meaning (the lexicon file format)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, tsv, jsonl }

    @Option(help: "Only this category: \(PolicyCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
    var category: PolicyCategory?

    @Option(help: "Output format: text (aligned), tsv, jsonl.")
    var format: Format = .text

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var lexicon: LexiconFlags

    func run() throws {
        let entries = try lexicon.load().entries.filter { category == nil || $0.category == category }
        let out = Output.standard
        switch format {
        case .tsv:
            out.write(Table.tsv(["formula", "category", "variants", "since", "meaning"]))
            for e in entries { out.write(e.line + "\n") }
        case .jsonl:
            for e in entries {
                out.write("{\"formula\":\(JSON.quote(e.formula)),\"category\":\(JSON.quote(e.category.rawValue)),\"variants\":[\(e.variants.map(JSON.quote).joined(separator: ","))],\"since\":\(e.since.map(String.init) ?? "null"),\"meaning\":\(e.meaning.map(JSON.quote) ?? "null")}\n")
            }
        case .text:
            var rows = [["formula", "category", "since", "meaning"]]
            for e in entries {
                rows.append([e.formula, e.category.rawValue, e.since.map(String.init) ?? "", e.meaning ?? ""])
            }
            out.write(Table.aligned(rows))
            Diagnostics.write("\(entries.count) formula\(entries.count == 1 ? "" : "s")\n")
        }
    }
}
