import ArgumentParser
import Foundation
import Tifa

struct Discover: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Rank unknown numbered phrases that look like formulas.",
        discussion: """
        Patterns (一X四不X, 三X三Y, 两X一Y, N个X, codes like 5+2 and 1+X, short quoted numbered phrases, parts written apart such as 一摘、四不摘) are counted over the whole corpus and scored by frequency, spread over documents, numeral share (五个方面 among 几个/各个/三个方面 is a quantity), boundary entropy, ICU word edges (两个工 of 两个工作 is cut mid-word) and quoting; candidates below --min-score are not shown; at most --limit (default 50, 0 = all) are; quantities (3个村, 20万元) are filtered with Dictionaries/discovery_stoplist.txt, places, names, idioms and everyday words (四川, 三门峡, 一哄而起, 一等奖) with Dictionaries/places.tsv and numeral_words.txt (jieba's tags) unless quoted twice, titles of works (《三国演义》) and meeting names (十九大和十九届, 十五大精神) by their ordinals; near-duplicates (八字宪法 / 农业八字宪法) are folded into one row with its variants. A document whose text is the same as an earlier one's (a reposted article, a file saved twice) is read once, with a note (--keep-duplicates reads every copy).

        Every decision is a named rule: --explain lists, per phrase, the rules that fired and, for a dropped one, the rule that dropped it (DESIGN.md, "Formula discovery").

        Formulas the lexicon knows are masked first (--no-shipped-lexicon to see them too).

        Feedback loop: `tifa discover --format csv DIR > sheet.csv`; mark the `accept` column with y (fill `category` and `meaning` where you can); then `tifa discover --accept sheet.csv --into my_lexicon.tsv [--category C]` appends the accepted rows as lexicon lines, ready for `tifa extract --lexicon my_lexicon.tsv`.
        """
    )

    @Argument(help: "Files or folders (.txt .md .html .htm .jsonl in folders) to read, - for stdin; stdin when none.")
    var inputs: [String] = []

    @OptionGroup var inputList: InputListOption

    @OptionGroup var limit: LimitOption

    /// The old spelling of --limit.
    @Option(help: .hidden)
    var top: Int?

    @Option(name: .customLong("min-count"), help: "Minimum number of occurrences.")
    var minCount = 2

    @Option(name: .customLong("min-docs"), help: "Minimum number of documents.")
    var minDocs = 1

    @Option(name: .customLong("min-score"), help: "Candidates scoring below this are not shown, even within --limit (0: show all).")
    var minScore = 1.0

    @Option(name: .customLong("weak-min-docs"), help: "Documents a single numbered part (N个X, NX) needs when it is neither quoted nor followed by another numbered part.")
    var weakMinDocs = FormulaDiscoverer.Selection().weakMinDocuments

    @Option(name: .customLong("weak-min-cohesion"), help: "Cohesion in bits (PMI of number part and name) such a single part needs.")
    var weakMinCohesion = FormulaDiscoverer.Selection().weakMinCohesion

    @Flag(help: "List every phrase counted --min-count times with its verdict: the rules that fired and the rule that dropped it (shown rows first, then dropped ones by count).")
    var explain = false

    @Flag(name: .customLong("keep-duplicates"), help: "Count a document whose text is the same as an earlier one's (by default it is read once: a reposted article is one piece of evidence, not two).")
    var keepDuplicates = false

    @Option(help: "Output format: text (default at a terminal), tsv (default in a pipe), csv (a sheet to mark up: with accept, category and meaning columns), jsonl or json.")
    var format: TableFormat?

    @Option(help: ArgumentHelp("A marked-up CSV sheet from --format csv: rows with accept = y are written to --into.", valueName: "sheet.csv"))
    var accept: String?

    @Option(help: ArgumentHelp("The lexicon file accepted rows are appended to (created if missing).", valueName: "lexicon.tsv"))
    var into: String?

    @Option(help: "Category for accepted rows whose category cell is empty.")
    var category: PolicyCategory?

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var lexicon: LexiconFlags
    @OptionGroup var corpus: CorpusInputFlags

    func validate() throws {
        if (accept == nil) != (into == nil) { throw ValidationError("--accept and --into go together") }
        if accept != nil && !inputs.isEmpty { throw ValidationError("--accept reads a sheet, not a corpus; give no inputs") }
        if top != nil && limit.limit != nil { throw ValidationError("--top is the old spelling of --limit: give one of them") }
        if let top, top < 0 { throw ValidationError("--limit must be ≥ 0 (0 = all), not \(top)") }
        if minCount < 1 || minDocs < 1 || minScore < 0 { throw ValidationError("--min-score must be ≥ 0, --min-count and --min-docs ≥ 1") }
    }

    func run() throws {
        if let accept, let into {
            try AcceptedSheet.append(sheet: accept, into: into, defaultCategory: category, lexicon: try lexicon.load())
            return
        }
        let options = self.lexicon.analysisOptions
        let lexicon = try Analyzer.lexicon(for: options)
        let normalizer = try Normalizer(options: options.normalization)
        let matcher = FormulaMatcher(lexicon: lexicon, normalizer: normalizer)
        let discoverer = try FormulaDiscoverer(matcher: matcher, stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        // A scraped corpus holds the same article many times (reposts, a page saved twice, a
        // record exported twice): every phrase of it would count once per copy, and any two
        // copies make a candidate of every fragment (min-count 2, boundary entropy of one
        // context). Each text is read once, known by its SHA-256.
        var textsSeen = Set<[UInt8]>()
        var duplicates = 0
        let skipped = try CorpusRun.forEachDocument(try corpus.reader(try inputList.inputs(inputs))) { document in
            if !keepDuplicates {
                var digest = SHA256()
                var text = document.text
                text.withUTF8 { digest.update(buffer: $0) }
                guard textsSeen.insert(digest.finalize()).inserted else { duplicates += 1; return }
            }
            // Part by part, as `Analyzer` does: one 50 MB document no longer holds its whole
            // normalized text and offsets (4 + 8 bytes a character) at once.
            discoverer.startDocument()
            var failure: Error?
            Analyzer.forEachPiece(of: document.text) { piece in
                guard failure == nil else { return }
                do { try discoverer.addPart(normalizer.normalize(piece), year: document.year) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        if duplicates > 0 {
            Diagnostics.note("\(duplicates) document\(duplicates == 1 ? "" : "s") read once: the same text as an earlier one (--keep-duplicates counts every copy)")
        }
        var selection = FormulaDiscoverer.Selection()
        if top != nil { Diagnostics.deprecated("--top N", use: "--limit N") }
        let count = top ?? limit.limit ?? 50
        selection.top = count == 0 ? nil : count
        selection.minCount = minCount
        selection.minDocuments = minDocs
        selection.minScore = minScore
        selection.weakMinDocuments = weakMinDocs
        selection.weakMinCohesion = weakMinCohesion
        let format = self.format ?? (isatty(1) != 0 ? .text : .tsv)
        if explain {
            writeExplanation(discoverer.judgments(selection), format: format)
            try CorpusRun.finish(skipped: skipped)
            return
        }
        let candidates = discoverer.candidates(selection)
        if format == .text {
            let table = TableWriter(format: .text, columns: ["rank", "form", "count", "documents", "score", "years", "example"])
            for (i, c) in candidates.enumerated() {
                let years = c.firstYear.map { "\($0)–\(c.lastYear ?? $0)" } ?? ""
                let form = c.variants.isEmpty ? c.form : "\(c.form) (\(c.variants.joined(separator: ", ")))"
                table.add([.int(i + 1), .text(form), .int(c.count), .int(c.documentCount), .number(c.score), .text(years), .text(c.examples.first)])
            }
            table.finish()
        } else {
            // One set of columns for every machine format; the sheet (csv) adds the ones to fill in.
            let sheet = format == .csv ? ["accept", "category", "meaning"] : []
            let table = TableWriter(format: format, columns: ["rank", "form", "structure", "count", "documents", "score", "first_year", "last_year", "example_1", "example_2",
                                                              "numeral_share", "left_entropy", "right_entropy", "quoted_share", "cohesion", "rules", "variants"] + sheet)
            for (i, c) in candidates.enumerated() {
                table.add([.int(i + 1), .text(c.form), .text(c.structure.rawValue), .int(c.count), .int(c.documentCount), .number(c.score),
                           .intOrNull(c.firstYear), .intOrNull(c.lastYear), .text(c.examples.first), .text(c.examples.dropFirst().first),
                           .number(c.numeralShare), .number(c.leftEntropy), .number(c.rightEntropy), .number(c.quotedShare), .number(c.cohesion),
                           .list(c.rules.map(\.rawValue)), .list(c.variants)]
                          + sheet.map { _ in .text("") })
            }
            table.finish()
        }
        try CorpusRun.finish(skipped: skipped)
    }

    /// One row a phrase: rank (shown rows), verdict, the rule that dropped it and what it was
    /// folded into (or a shown row's variants), the rules that fired before.
    func writeExplanation(_ judgments: [DiscoveryJudgment], format: TableFormat) {
        var columns = ["rank", "form", "verdict", "dropped_by", "into", "rules", "count", "documents", "score"]
        if format != .text { columns.append("example") }
        let table = TableWriter(format: format, columns: columns)
        var rank = 0
        for j in judgments {
            let c = j.candidate
            if j.droppedBy == nil { rank += 1 }
            var row: [Cell] = [j.droppedBy == nil ? .int(rank) : .text(nil), .text(c.form), .text(j.droppedBy == nil ? "shown" : "dropped"),
                               .text(j.droppedBy?.rawValue), j.into.map { .list([$0]) } ?? .list(c.variants), .list(c.rules.map(\.rawValue)),
                               .int(c.count), .int(c.documentCount), .number(c.score)]
            if format != .text { row.append(.text(c.examples.first)) }
            table.add(row)
        }
        table.finish()
    }
}

/// Turns the accepted rows of a discovery sheet into lexicon lines.
enum AcceptedSheet {
    static func append(sheet: String, into target: String, defaultCategory: PolicyCategory?, lexicon: PolicyLexicon) throws {
        let data = try DataFiles.contents(ofDataFile: URL(fileURLWithPath: sheet), named: sheet)
        guard let text = String(data: data, encoding: .utf8) else { throw DataFileError(file: sheet, message: "is not valid UTF-8") }
        let rows = Table.parseCSV(text)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
              let formColumn = header.firstIndex(of: "form"), let acceptColumn = header.firstIndex(of: "accept") else {
            throw DataFileError(file: sheet, line: 1, message: "needs a header with `form` and `accept` columns (from tifa discover --format csv)")
        }
        let categoryColumn = header.firstIndex(of: "category")
        let meaningColumn = header.firstIndex(of: "meaning")
        let yearColumn = header.firstIndex(of: "first_year")
        let targetURL = URL(fileURLWithPath: target)
        let existing = FileManager.default.fileExists(atPath: target) ? try PolicyLexicon(files: [targetURL]) : PolicyLexicon(entries: [])
        var lines: [String] = []
        var added = Set<String>()
        for (line, fields) in rows.dropFirst() {
            func cell(_ column: Int?) -> String {
                guard let column, column < fields.count else { return "" }
                return fields[column].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard ["y", "yes", "1", "x", "true", "✓", "是"].contains(cell(acceptColumn).lowercased()) else { continue }
            let form = cell(formColumn)
            let categoryText = cell(categoryColumn)
            guard let category = categoryText.isEmpty ? defaultCategory : PolicyCategory(rawValue: categoryText) else {
                throw DataFileError(file: sheet, line: line, message: categoryText.isEmpty
                    ? "accepted `\(form)` has no category; fill the cell or pass --category"
                    : "unknown category `\(categoryText)`; one of \(PolicyCategory.allCases.map(\.rawValue).joined(separator: " "))")
            }
            if existing.entry(matching: form) != nil || added.contains(form) {
                Diagnostics.warning("\(sheet):\(line): `\(form)` is already in \(target); not added again")
                continue
            }
            if let known = lexicon.entry(matching: form) {
                Diagnostics.warning("\(sheet):\(line): `\(form)` is already known as `\(known.formula)`; added to \(target) anyway")
            }
            let year = cell(yearColumn)
            let meaning = cell(meaningColumn).replacingOccurrences(of: "\t", with: " ")
            let lineText = [form, category.rawValue, "-", year.count == 4 && Int(year) != nil ? year : "-", meaning.isEmpty ? "-" : meaning].joined(separator: "\t")
            do { _ = try PolicyLexicon.parse(lineText[...]) } catch let error as DataFileError {
                throw DataFileError(file: sheet, line: line, message: error.message)
            }
            lines.append(lineText)
            added.insert(form)
        }
        // The lexicon is rewritten whole through a temporary file (FileReplacement): killed at
        // any moment, it stays the old file or the new one, never a half-written line.
        let replacement = try FileReplacement(target: target, what: "lexicon")
        var old = Data()
        if FileManager.default.fileExists(atPath: target) {
            old = try DataFiles.contents(ofDataFile: targetURL, named: target)
        }
        var output = old
        if old.isEmpty {
            output += Data("# User lexicon (tifa extract --lexicon FILE). One formula a line, 5 TAB-separated columns:\n# formula\tcategory\tvariants\tsince\tmeaning\n".utf8)
        } else if old.last != 0x0A {
            output += Data("\n".utf8)
        }
        output += Data(lines.map { $0 + "\n" }.joined().utf8)
        let fd = open(replacement.temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DataFileError(file: target, message: "cannot be written (\(replacement.temporary): \(String(cString: strerror(errno))))")
        }
        var written = 0
        var writeError: Int32 = 0
        output.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 { if errno == EINTR { continue }; writeError = errno; break }
                written += n
            }
        }
        close(fd)
        if writeError != 0 {
            throw DataFileError(file: target, message: "cannot be written (\(String(cString: strerror(writeError))), writing \(replacement.temporary)); it is unchanged")
        }
        try replacement.commit()
        Diagnostics.write("tifa: added \(lines.count) formula\(lines.count == 1 ? "" : "s") to \(target)\n")
    }
}
