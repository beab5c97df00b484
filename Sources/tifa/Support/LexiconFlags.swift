import ArgumentParser
import Foundation
import Tifa

/// Which lexicons the formula commands use: the shipped one and any `--lexicon FILE`s.
struct LexiconFlags: ParsableArguments {
    @Option(name: .customLong("lexicon"), help: ArgumentHelp("A user lexicon in the shipped format (formula, category, variants, since, meaning; TAB-separated); repeatable; later files win.", valueName: "file"))
    var lexiconFiles: [String] = []

    @Flag(name: .customLong("no-shipped-lexicon"), help: "Use only the --lexicon files, not Dictionaries/policy_formulas.tsv.")
    var noShippedLexicon = false

    /// Sets the lexicons of `options`.
    func apply(to options: inout Analyzer.Options) {
        options.lexicons = lexiconFiles.map(AnalysisPaths.absolute)
        options.shippedLexicon = noShippedLexicon ? .unused : .used
    }

    var analysisOptions: Analyzer.Options {
        var o = Analyzer.Options()
        apply(to: &o)
        return o
    }

    func load() throws -> PolicyLexicon {
        try Analyzer.lexicon(for: analysisOptions)
    }
}

/// Paths of dictionaries and lexicons are stored absolute in analysis options, so that an index
/// records which file it used and a query reloads the same one from any directory.
enum AnalysisPaths {
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

extension PolicyCategory: ExpressibleByArgument {}
