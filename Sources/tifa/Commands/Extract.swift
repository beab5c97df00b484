import ArgumentParser
import Foundation
import Tifa

struct Extract: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Find the policy formulas of the lexicon in a corpus.",
        discussion: """
        Reads FILEs and folders (recursively; .txt .md .html .htm .jsonl), JSON Lines records (--text-field, --id-field) or stdin. Text is normalized first (traditional → simplified, width), and formulas match however they are written: 兩不愁、三保障, “两不愁”“三保障”, 5个一批. Every occurrence is reported, also a formula inside a longer one or overlapping it: in 三落实三精准三保障 the 三保障 too, in 全面深化改革开放 both 全面深化改革 and 改革开放; such an occurrence names the outermost one it stands in (within_formula, within_start, within_end; empty for an outermost occurrence). --outermost reports leftmost-longest occurrences only.

        Columns: doc_id, source, formula (canonical), category, surface (as in the original), start, end (0-based code point offsets into the original text, end exclusive), sentence, within_formula, within_start, within_end.

        --summary gives doc_id, formula, count instead (an aligned table at a terminal).

        Exit status 3: the job finished but some inputs were skipped (reported on stderr).
        """
    )

    @Argument(help: "Files or folders (.txt .md .html .htm .jsonl in folders) to read, - for stdin; stdin when none.")
    var inputs: [String] = []

    @OptionGroup var inputList: InputListOption

    @Option(help: "Output format: tsv, csv, jsonl, or text (aligned); default tsv, or text for --summary at a terminal.")
    var format: TableFormat?

    @Flag(help: "Count occurrences per document and formula instead of listing them.")
    var summary = false

    @Option(help: "Only formulas of this category.")
    var category: PolicyCategory?

    @Flag(help: "Only outermost (leftmost-longest) occurrences: a formula inside a longer one is not reported.")
    var outermost = false

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var lexicon: LexiconFlags
    @OptionGroup var corpus: CorpusInputFlags

    func validate() throws {
        if let format { try TableFormat.check(format, allowed: [.text, .tsv, .csv, .jsonl]) }
    }

    func run() throws {
        Index.Build.returnLargeBuffersToTheSystem()
        // The analyzer's normalization and lexicon, without its segmenter (not needed here).
        let options = lexicon.analysisOptions
        let normalizer = try Normalizer(options: options.normalization)
        let matcher = FormulaMatcher(lexicon: try Analyzer.lexicon(for: options), normalizer: normalizer)
        let reader = try corpus.reader(try inputList.inputs(inputs))
        let out = Output.standard
        let format = self.format ?? (summary && isatty(1) != 0 ? .text : .tsv)
        let header = summary ? ["doc_id", "formula", "count"] : ["doc_id", "source", "formula", "category", "surface", "start", "end", "sentence", "within_formula", "within_start", "within_end"]
        // TSV, CSV and JSON Lines of the summary stream through a table; occurrences as JSON Lines
        // are records of their own (the occurrence as `tifa analyze` encodes it), and text is
        // aligned here.
        let table = format == .text || (format == .jsonl && !summary) ? nil : TableWriter(format: format, columns: header)
        var textRows: [[String]] = format == .text ? [header] : []
        let encoder = JSONEncoder.sorted
        var totals: [String: (count: Int, documents: Int)] = [:]
        let skipped = CorpusRun.forEachDocument(reader) { document in
            // Piece by piece (cut at line ends), so a long document is read in bounded memory.
            var summaryMatches: [FormulaMatch] = []
            Analyzer.forEachPiece(of: document.text) { piece in
                var matches = matcher.matches(in: normalizer.normalize(piece), coverage: outermost ? .outermost : .nested)
                if let category { matches = matches.filter { $0.category == category } }
                if summary { summaryMatches += matches; return }
                guard !matches.isEmpty else { return }
                // The piece's original text; offsets are the document's.
                let original = piece.scalars, base = piece.startOffset
                func slice(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(original[(r.lowerBound - base)..<(r.upperBound - base)])) }
                func sentenceText(_ r: Range<Int>) -> String {
                    let text = slice(r)
                    // Foundation's replacement only where a line break is there to replace (it is
                    // most of the cost otherwise); kept for those, as it treats a break followed by
                    // a combining mark in its own way.
                    guard original[(r.lowerBound - base)..<(r.upperBound - base)].contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
                    return text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                }
                for m in matches {
                    let surface = slice(m.sourceRange)
                    let sentence = sentenceText(m.sentenceSourceRange)
                    if let table {
                        table.add([.text(document.id), .text(document.source), .text(m.formula), .text(m.category.rawValue), .text(surface),
                                   .int(m.sourceRange.lowerBound), .int(m.sourceRange.upperBound), .text(sentence),
                                   .text(m.within?.formula), .intOrNull(m.within?.sourceRange.lowerBound), .intOrNull(m.within?.sourceRange.upperBound)])
                    } else if format == .text {
                        let formula = m.within.map { "\(m.formula) (in \($0.formula))" } ?? m.formula
                        out.write(Table.aligned([[document.id, "\(m.sourceRange.lowerBound)-\(m.sourceRange.upperBound)", formula, surface, sentence]]))
                    } else {
                        let occurrence = FormulaOccurrence(formula: m.formula, category: m.category, sourceRange: m.sourceRange, surface: surface,
                                                           within: m.within.map { FormulaOccurrence.Outer(formula: $0.formula, sourceRange: $0.sourceRange) })
                        // Strings and integers: encoding cannot fail.
                        var data = try! encoder.encode(ExtractedOccurrence(docID: document.id, source: document.source, occurrence: occurrence, sentence: sentence))
                        data.append(0x0A)
                        data.withUnsafeBytes { out.write(bytes: $0.bindMemory(to: UInt8.self)) }
                    }
                }
            }
            if summary {
                let matches = summaryMatches
                var counts: [String: Int] = [:]
                var order: [String] = []
                for m in matches {
                    if counts[m.formula] == nil { order.append(m.formula) }
                    counts[m.formula, default: 0] += 1
                }
                order.sort { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }
                for f in order {
                    totals[f, default: (0, 0)].count += counts[f]!
                    totals[f, default: (0, 0)].documents += 1
                    if let table { table.add([.text(document.id), .text(f), .int(counts[f]!)]) } else { textRows.append([document.id, f, String(counts[f]!)]) }
                }
                return
            }
        }
        if format == .text && summary {
            if textRows.count > 1 {
                textRows.append(["", "", ""])
                textRows.append(["all documents", "formula", "count (documents)"])
                for (f, t) in totals.sorted(by: { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }) {
                    textRows.append(["", f, "\(t.count) (\(t.documents))"])
                }
            }
            out.write(Table.aligned(textRows))
        }
        table?.finish()
        try CorpusRun.finish(skipped: skipped)
    }
}

/// One line of `extract --format jsonl`: the occurrence as `tifa analyze` records it
/// (`FormulaOccurrence`'s coding: formula, category, start, end, surface, within), with the
/// document it is in and its sentence.
struct ExtractedOccurrence: Encodable {
    var docID: String
    var source: String
    var occurrence: FormulaOccurrence
    var sentence: String

    enum CodingKeys: String, CodingKey { case docID = "doc_id", source, sentence }

    func encode(to encoder: Encoder) throws {
        try occurrence.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(docID, forKey: .docID)
        try c.encode(source, forKey: .source)
        try c.encode(sentence, forKey: .sentence)
    }
}
