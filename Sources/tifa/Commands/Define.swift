import ArgumentParser
import Tifa

struct Define: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "define",
        abstract: "Print what a policy formula stands for.",
        discussion: "FORMULA may be written in any form the extractor accepts: 兩不愁、三保障, 5个一批, a listed variant."
    )

    @Argument(help: "The formula to look up.")
    var formula: String

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var lexicon: LexiconFlags

    func validate() throws {
        try checkQueriesAreNotBlank([formula], "the formula")
    }

    func run() throws {
        let lexicon = try self.lexicon.load()
        let query = try Normalizer().normalize(formula).string.trimmingCharacters(in: .whitespaces)
        guard let entry = lexicon.entry(matching: query) else {
            let key = query.filter { !$0.isWhitespace }
            let near = lexicon.entries.filter { $0.formula.contains(key) || (key.count >= 2 && key.contains($0.formula) && $0.formula.count >= 2) }.prefix(8)
            let hint = near.isEmpty ? "" : "; did you mean: " + near.map(\.formula).joined(separator: " ")
            Diagnostics.error("`\(formula)` is not in the lexicon\(hint)")
            throw ExitCode(1)
        }
        var text = "\(entry.formula)\n"
        text += "  category: \(entry.category.rawValue) (\(entry.category.label))\n"
        if !entry.variants.isEmpty { text += "  variants: \(entry.variants.joined(separator: ", "))\n" }
        if let since = entry.since { text += "  since:    \(since)\n" }
        text += "  meaning:  \(entry.meaning ?? "(not yet described)")\n"
        Output.standard.write(text)
    }
}
