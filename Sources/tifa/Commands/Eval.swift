import ArgumentParser
import Foundation
import Tifa

struct Eval: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score segmentation against a gold file (SIGHAN).",
        discussion: """
        Each gold line holds words separated by whitespace. The line without its whitespace is normalized and segmented; words are compared as character spans of the original text, so traditional-character sets are segmented after conversion and scored on their own characters. Prints word precision, recall, F1, and — with --train-words (one word per line) — the OOV rate, OOV recall (gold words absent from that list) and IV recall.

        --errors FILE also writes where the segmentation and the gold disagree, as TSV with a header, the most frequent first: count, kind (split: one gold word cut into several; joined: several gold words written as one; crossed: boundaries elsewhere), gold (the gold's words, space-separated), segmented (the segmentation's words of the same characters), oov (how many of those gold words --train-words lacks; empty without it) and first_line (1-based). A line is cut wherever both have a word boundary; a piece is a disagreement unless both have it as one word.
        """
    )

    @Option(help: ArgumentHelp("The gold segmentation.", valueName: "FILE"))
    var gold: String

    @Option(name: .customLong("train-words"), help: ArgumentHelp("The training word list, for OOV recall.", valueName: "FILE"))
    var trainWords: String?

    @Option(help: ArgumentHelp("Score this segmentation (words separated by spaces, one line per gold line, e.g. another tool's output) instead of Tifa's.", valueName: "FILE"))
    var segmented: String?

    @Option(help: "Output format: text (a report for people), or one record: tsv, csv, jsonl or json (one JSON object).")
    var format: TableFormat = .text

    @Option(help: ArgumentHelp("Also write the disagreements with the gold to FILE (TSV, the most frequent first; see above).", valueName: "FILE"))
    var errors: String?

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var analysis: TextAnalysisFlags

    func run() throws {
        if analysis.segmentation.search { throw ValidationError("--search emits overlapping words and cannot be scored") }
        if errors == "-" { throw ValidationError("--errors needs a file: standard output holds the scores") }
        let analyzer = try analysis.makeAnalyzer()
        let decoding = analysis.decoding
        let normalizer = analyzer.normalizer, segmenter = analyzer.segmenter
        var vocabulary: Set<Substring>?
        if let trainWords {
            var words = Set<Substring>()
            try Self.forEachLine(trainWords, decoding: decoding.options) { line in
                for w in line.split(whereSeparator: \.isWhitespace) { words.insert(w) }
            }
            vocabulary = words
        }
        let isInVocabulary: ((Substring) -> Bool)? = vocabulary.map { v in { v.contains($0) } }
        var score = SegmentationScore()
        var disagreements = errors == nil ? nil : SegmentationDisagreements()
        var spans: [Range<Int>] = []
        var segmentedLines: [String]?
        if let segmented {
            var lines: [String] = []
            try Self.forEachLine(segmented, decoding: decoding.options) { lines.append($0) }
            segmentedLines = lines
        }
        var lineIndex = 0
        var differences = SegmentedOutputCheck()
        try Self.forEachLine(gold, decoding: decoding.options) { line in
            let words = line.split(whereSeparator: { $0.isWhitespace })
            defer { lineIndex += 1 }
            if let segmentedLines {
                guard lineIndex < segmentedLines.count else {
                    throw UserError("\(segmented!): \(segmentedLines.count) line\(segmentedLines.count == 1 ? "" : "s"), but the gold \(gold) has more; a segmentation must have one line per gold line")
                }
                let theirs = segmentedLines[lineIndex].split(whereSeparator: { $0.isWhitespace })
                SegmentedOutputCheck.compare(gold: words, segmented: theirs, line: lineIndex + 1, into: &differences)
                score.add(gold: words, segmented: theirs, isInVocabulary: isInVocabulary)
                disagreements?.add(gold: words, segmentedSpans: SegmentationScore.spans(of: theirs), line: lineIndex + 1, isInVocabulary: isInVocabulary)
                return
            }
            let text = normalizer.normalize(words.joined())
            spans.removeAll(keepingCapacity: true)
            segmenter.forEachToken(in: text) { t in
                if t.kind != .whitespace { spans.append(t.sourceRange) }
            }
            score.add(gold: words, segmentedSpans: spans, isInVocabulary: isInVocabulary)
            disagreements?.add(gold: words, segmentedSpans: spans, line: lineIndex + 1, isInVocabulary: isInVocabulary)
        }
        if let segmented, let segmentedLines {
            try differences.check(segmented: segmented, lines: segmentedLines.count, gold: gold, goldLines: lineIndex)
        }
        // Sorted once, for the file and the report line.
        let disagreementEntries = disagreements?.entries ?? []
        if let errors { try Self.write(disagreementEntries, to: errors) }
        let out = Output.standard
        func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }
        switch format {
        case .text:
            out.write("""
            gold:              \(gold)
            lines:             \(score.lines)
            gold words:        \(score.goldWords)
            segmented words:   \(score.segmentedWords)
            correct words:     \(score.correctWords)
            precision:         \(f(score.precision))
            recall:            \(f(score.recall))
            F1:                \(f(score.f1))

            """)
            if let errors, let disagreements {
                let byKind = SegmentationDisagreements.Kind.allCases.map { kind in
                    "\(kind.rawValue) \(disagreementEntries.lazy.filter { $0.kind == kind }.reduce(0) { $0 + $1.count })"
                }
                out.write("disagreements:     \(disagreements.total) (\(byKind.joined(separator: ", ")); \(disagreementEntries.count) distinct, in \(errors))\n")
            }
            if vocabulary != nil {
                out.write("""
                OOV rate:          \(f(score.oovRate))
                OOV recall:        \(f(score.oovRecall))
                IV recall:         \(f(score.ivRecall))

                """)
            }
        case .tsv, .csv, .jsonl, .json:
            // One record; json is the object itself, not an array of one.
            var columns = ["gold", "lines", "gold_words", "segmented_words", "correct_words", "mismatched_lines", "precision", "recall", "f1"]
            var cells: [Cell] = [.text(gold), .int(score.lines), .int(score.goldWords), .int(score.segmentedWords), .int(score.correctWords),
                                 .int(score.mismatchedLines), .numberOrNull(score.precision), .numberOrNull(score.recall), .numberOrNull(score.f1)]
            if vocabulary != nil {
                columns += ["oov_words", "oov_rate", "oov_recall", "iv_recall"]
                cells += [.int(score.oovGoldWords), .numberOrNull(score.oovRate), .numberOrNull(score.oovRecall), .numberOrNull(score.ivRecall)]
            }
            TableWriter(format: format == .json ? .jsonl : format, columns: columns).write([cells])
        }
    }

    /// The disagreements (`SegmentationDisagreements.entries`) as a TSV file, replaced whole (or
    /// left as it was when it cannot be written).
    static func write(_ entries: [SegmentationDisagreements.Entry], to path: String) throws {
        let destination = try OutputDestination(path: path, stream: .own)
        let table = TableWriter(format: .tsv, columns: ["count", "kind", "gold", "segmented", "oov", "first_line"], out: destination.output)
        for e in entries {
            table.add([.int(e.count), .text(e.kind.rawValue), .text(e.gold.joined(separator: " ")), .text(e.segmented.joined(separator: " ")),
                       .intOrNull(e.oovGoldWords), .int(e.firstLine)])
        }
        table.finish()
        try destination.commit()
    }

    /// Calls `body` with each line of a file (any supported encoding), without its line end.
    static func forEachLine(_ path: String, decoding: DecodingOptions, _ body: (String) throws -> Void) throws {
        try InputFiles.forEach([path], decoding: decoding) { decoder in
            var pending = String.UnicodeScalarView()
            while let chunk = try decoder.nextChunk() {
                for s in chunk.scalars {
                    if s == "\n" {
                        if pending.last == "\r" { pending.removeLast() }
                        try body(String(pending))
                        pending.removeAll(keepingCapacity: true)
                    } else {
                        pending.append(s)
                    }
                }
            }
            if !pending.isEmpty {
                if pending.last == "\r" { pending.removeLast() }
                try body(String(pending))
            }
        }
    }
}

/// `eval --segmented` scores another tool's words only when they are the gold's characters, line
/// for line: otherwise the scores measure nothing (XYZ against 兴平市 扎实 had precision 1.0).
struct SegmentedOutputCheck {
    private(set) var first: (line: Int, gold: String, segmented: String)?
    private(set) var count = 0

    static func compare(gold: [Substring], segmented: [Substring], line: Int, into check: inout SegmentedOutputCheck) {
        let g = gold.joined(), s = segmented.joined()
        guard g != s else { return }
        check.count += 1
        if check.first == nil { check.first = (line, g, s) }
    }

    /// Throws when lines differ in characters or in number.
    func check(segmented: String, lines: Int, gold: String, goldLines: Int) throws {
        if lines > goldLines {
            throw UserError("\(segmented): \(lines) line\(lines == 1 ? "" : "s"), but the gold \(gold) has \(goldLines); a segmentation must have one line per gold line")
        }
        guard let first else { return }
        func excerpt(_ s: String) -> String { s.count > 30 ? String(s.prefix(30)) + "…" : s }
        throw UserError("\(segmented):\(first.line): the characters differ from the gold's (\(gold):\(first.line) has “\(excerpt(first.gold))”, the segmentation “\(excerpt(first.segmented))”); \(count == 1 ? "1 line differs" : "\(count) lines differ"), so no score is given")
    }
}
