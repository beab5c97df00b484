import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export an index as a document-term matrix (Matrix Market) or as tidy CSV.",
        discussion: """
        --dtm FILE writes FILE (Matrix Market coordinate integer: rows = documents, columns = terms, values = counts) with STEM.rows.csv (row, doc_id, name, tokens, metadata…) and STEM.cols.csv (col, term_id, term, kind, df, cf) beside it, STEM being FILE without .mtx. Python: scipy.io.mmread(FILE).tocsr(); R: Matrix::readMM(FILE).

        --long FILE writes tidy CSV (doc_id, name, metadata…, term, kind, count); - is stdout.
        """
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .long, help: ArgumentHelp("Write the document-term matrix (Matrix Market) to FILE.", valueName: "FILE"))
    var dtm: String?

    @Option(name: .long, help: ArgumentHelp("Write tidy CSV to FILE (- for stdout).", valueName: "FILE"))
    var long: String?

    @Option(help: "Terms to include: word, formula, number, latin or all.")
    var kind: Top.Kind = .all

    @Option(name: .customLong("min-df"), help: "Leave out terms in fewer documents.")
    var minDF = 1

    func validate() throws {
        if dtm == nil && long == nil { throw ValidationError("give --dtm FILE or --long FILE") }
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        var filter = ExportFilter()
        filter.kinds = kind == .all ? Set(TermKind.allCases) : [TermKind(rawValue: kind.rawValue)!]
        filter.minimumDocumentFrequency = minDF
        if let dtm {
            let s = try index.exportDTM(to: dtm, filter: filter)
            if Diagnostics.stderrIsTerminal {
                Diagnostics.write("\(dtm): \(s.documents) documents × \(s.terms) terms, \(s.nonZero) non-zero (\(s.files.dropFirst().joined(separator: ", ")))\n")
            }
        }
        if let long {
            if long == "-" { Output.standard.flush() }
            try index.exportLong(to: long, filter: filter)
        }
    }
}
