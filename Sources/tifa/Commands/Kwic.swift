import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Kwic: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "kwic",
        abstract: "Keyword in context, from the original text.",
        discussion: """
        Columns: doc_id, document, start, end (0-based code point offsets into the document's original text, end exclusive), left, match (the original surface, e.g. 兩不愁、三保障) and right. Line breaks in contexts are shown as spaces. The query may be written in any form the extractor accepts (兩不愁、三保障, 5个一批); a query that is not an indexed term (兴平 inside 兴平市) is searched as text in the normalized documents, with a note on stderr; --regex searches a regular expression. A query found nowhere is an error.
        """
    )

    @Argument(help: "A term, formula or text (a pattern with --regex).")
    var term: String

    @OptionGroup var database: DatabaseOption

    @Option(help: "Characters of context on each side.")
    var width = 20

    @OptionGroup var limit: LimitOption

    @Option(help: "Only terms of this kind: word, formula, number or latin (default: the formula when the term is one, else any kind).")
    var kind: TermKindOption?

    @OptionGroup var search: SearchFlags

    @OptionGroup var output: TableOutputOptions
    var outputPath: String? { output.destination.output }

    func validate() throws {
        if width < 0 { throw ValidationError("--width must be ≥ 0") }
        try checkQueriesAreNotBlank([term])
    }

    func run() throws {
        let index = try IndexReader(path: database.db)
        let query = try index.resolve(term, kinds: kind.map { [$0.kind] }, search: search.mode)
        // A word's lines come from analysing its documents again: many for a common word of
        // a large index, so a terminal sees how far it got.
        var lastShown = Date.distantPast
        let progress: ((Int) -> Void)? = Diagnostics.stderrIsTerminal ? { read in
            let now = Date()
            guard now.timeIntervalSince(lastShown) >= 0.2 else { return }
            lastShown = now
            FileHandle.standardError.write(Data("\rkwic: documents analysed again: \(read)\u{1B}[K".utf8))
        } : nil
        let result = try index.kwicResult(query, width: width, limit: limit.value, progress: progress)
        if progress != nil && lastShown != .distantPast { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let lines = result.lines
        if lines.isEmpty { throw UserError("\"\(term)\" occurs nowhere in \(database.db) (neither as an indexed term nor as text)") }
        search.noteMethod(query)
        if result.otherwiseCut > 0, let example = result.otherwiseCutExample {
            // The count is of tokens: say where the text stands but the segmenter did not make it one.
            let whole = result.modelRecutsDomainWord ? " (a domain word the model cuts by PKU's convention next to a single character, as this index was built with --domain-words model; an index built with the default, --domain-words whole, keeps it whole)" : ""
            // With a limit, only the documents of the lines shown were read again.
            let read = result.stoppedAtLimit ? "the \(result.documentsRead) document\(result.documentsRead == 1 ? "" : "s") of these lines" : "these documents"
            Diagnostics.note("\"\(term)\" also stands \(result.otherwiseCut) time\(result.otherwiseCut == 1 ? "" : "s") in \(read) where the segmenter cut it otherwise (\(example)), not counted\(whole); --text lists every occurrence")
        }
        try output.writer(columns: ["doc_id", "document", "start", "end", "left", "match", "right"]).write(lines.map { l in
            [.int(l.docID), .text(l.name), .int(l.start), .int(l.end), .text(l.left), .text(l.match), .text(l.right)]
        })
    }
}
