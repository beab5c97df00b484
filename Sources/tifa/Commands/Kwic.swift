import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Kwic: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keyword in context: every occurrence of a term with the original text around it.",
        discussion: """
        Columns: doc_id, document, start, end (0-based code point offsets into the document's original text, end exclusive), left, match (the original surface, e.g. 兩不愁、三保障) and right. Line breaks in contexts are shown as spaces. A term not in the index gives no rows.
        """
    )

    @Argument(help: "A term or formula.")
    var term: String

    @OptionGroup var database: DatabaseOption

    @Option(help: "Characters of context on each side.")
    var width = 20

    @Option(name: [.short, .long], help: "At most this many lines.")
    var limit: Int?

    @Option(help: "Only terms of this kind: word, formula, number or latin (default: the formula when the term is one, else any kind).")
    var kind: String?

    @Option(help: "Output format: table, csv, tsv or jsonl.")
    var format: TableFormat = .table

    func validate() throws {
        if width < 0 { throw ValidationError("--width must not be negative") }
        if let kind, TermKind(rawValue: kind) == nil { throw ValidationError("--kind must be word, formula, number or latin") }
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        let lines = try index.kwic(term, width: width, limit: limit, kinds: kind.flatMap(TermKind.init(rawValue:)).map { [$0] })
        if lines.isEmpty { Diagnostics.warning("\"\(term)\" is not in the index") }
        TableWriter(format: format, columns: ["doc_id", "document", "start", "end", "left", "match", "right"]).write(lines.map { l in
            [.int(l.docID), .text(l.name), .int(l.start), .int(l.end), .text(l.left), .text(l.match), .text(l.right)]
        })
    }
}
