import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Export: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an index as a term matrix or tidy CSV.",
        discussion: """
        --dtm FILE writes FILE (Matrix Market coordinate integer: rows = documents, columns = terms, values = counts) with STEM.rows.csv (row, doc_id, name, tokens, metadata…) and STEM.cols.csv (col, term_id, term, kind, df, cf) beside it, STEM being FILE without .mtx. Python: scipy.io.mmread(FILE).tocsr(); R: Matrix::readMM(FILE).

        Otherwise, or with -o FILE as well, the output is tidy CSV (doc_id, name, metadata…, term, kind, count), on stdout or into FILE (--long FILE is the old spelling of -o FILE).

        Counts (rows.csv has each document's `tokens`): every word, number and latin token counts once under its term, so these three kinds sum to `tokens`. Every formula occurrence the extractor finds counts once under the formula (kind formula), nested ones included (三保障 inside 三落实三精准三保障). With --kind all a word whose text is a formula is left out, the formula counting it instead; so a row sums to tokens − (tokens whose text is a formula) + (formula occurrences), which exceeds `tokens` when formulas are written across several tokens (兩不愁、三保障) or nested in a longer formula. Sum --kind word, number and latin for token totals.
        """
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .long, help: ArgumentHelp("Write the document-term matrix (Matrix Market) to FILE.", valueName: "FILE"))
    var dtm: String?

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output ?? long }

    @Option(name: .long, help: .hidden)
    var long: String?

    @Option(help: "Terms to include: word, formula, number, latin or all.")
    var kind: Top.Kind = .all

    @Option(name: .customLong("min-df"), help: "Leave out terms in fewer documents.")
    var minDF = 1

    func validate() throws {
        if output.output != nil && long != nil { throw ValidationError("--long FILE is the old spelling of -o FILE: give one of them") }
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        var filter = ExportFilter()
        filter.kinds = Top.kinds(kind)
        filter.minimumDocumentFrequency = minDF
        if let dtm {
            let s = try index.exportDTM(to: dtm, filter: filter)
            if Diagnostics.stderrIsTerminal {
                Diagnostics.write("\(dtm): \(s.documents) documents × \(s.terms) terms, \(s.nonZero) non-zero (\(s.files.dropFirst().joined(separator: ", ")))\n")
            }
        }
        if long != nil { Diagnostics.deprecated("--long FILE", use: "-o FILE") }
        if dtm == nil || outputPath != nil {
            // Into stdout, which -o has pointed at its file.
            Output.standard.flush()
            try index.exportLong(to: "-", filter: filter)
        }
    }
}
