import ArgumentParser
import Foundation
import Tifa

/// Options that build a `Segmenter`; shared by `segment` and `eval`.
struct SegmenterFlags: ParsableArguments {
    @Option(name: .customLong("dict"), help: ArgumentHelp("A user dictionary in jieba's format (`word [freq] [tag]` per line); repeatable.", valueName: "FILE"))
    var dictionaries: [String] = []

    @Flag(name: .customLong("search"), help: "Also emit the lexicon words inside long words (for search indexes).")
    var search = false

    @Flag(name: .customLong("no-lexicon"), help: "ICU's word break iterator alone, for comparison.")
    var noLexicon = false

    func makeSegmenter() throws -> Segmenter {
        var o = Segmenter.Options()
        if noLexicon && search { throw ValidationError("--search and --no-lexicon cannot be combined") }
        o.mode = noLexicon ? .icuOnly : (search ? .search : .standard)
        o.userDictionaries = dictionaries.map { URL(fileURLWithPath: $0) }
        return try Segmenter(options: o)
    }
}

struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split Chinese text into words.",
        discussion: """
        Reads FILEs (or stdin), normalizes each (see `tifa normalize`) and writes one output line
        per input line, words separated by --delimiter (a space). Empty lines stay empty.
        Precedence: a forced policy phrase (Dictionaries/policy_formulas.tsv) beats a word of a
        --dict file beats Tifa's lexicon (domain vocabulary + ICU's dictionary) beats single
        characters. Numbers, dates, percentages and amounts are one token (2014年, 12.1%,
        3.698亿元); counters stay apart (47065 户).
        --format jsonl writes one object per token: {"file", "line" (1-based), "start", "end"
        (0-based code point offsets into the original text of the file, end exclusive), "text"
        (normalized surface), "kind" (word, number, latin, punctuation, formula, symbol)}.
        --explain adds why each token came out as it did (rule or lexicon layer, cost, and the
        overlapping lexicon words that lost); as TSV lines in text format.
        """
    )

    enum Format: String, ExpressibleByArgument { case text, jsonl }

    @Argument(help: "Files to read; stdin when none.")
    var files: [String] = []

    @Option(help: "Output format: text or jsonl.")
    var format: Format = .text

    @Option(help: "Separator between words in text output.")
    var delimiter: String = " "

    @Flag(help: "Show why each token came out as it did.")
    var explain = false

    @OptionGroup var segmentation: SegmenterFlags
    @OptionGroup var decoding: DecodingFlags
    @OptionGroup var normalization: NormalizationFlags

    func run() throws {
        let segmenter = try segmentation.makeSegmenter()
        let normalizer = try Normalizer(options: normalization.options)
        let out = Output.standard
        let delimiter = Array(delimiter.utf8)
        if explain && format == .text {
            out.write("surface\tstart\tend\tkind\treason\talternatives\n")
        }
        try InputFiles.forEach(files, decoding: decoding.options) { decoder in
            var line = 1
            var lineHasWords = false
            var endedWithNewline = true
            let fileName = JSON.quote(decoder.name)
            while let chunk = try decoder.nextChunk() {
                let text = normalizer.normalize(chunk)
                if text.isEmpty { continue }
                endedWithNewline = text.scalars.last == "\n"
                if explain {
                    for e in segmenter.explain(text) {
                        if e.token.kind == .whitespace {
                            if e.surface == "\n" { line += 1 }
                            continue
                        }
                        let t = e.token
                        switch format {
                        case .text:
                            out.write("\(Self.tsvField(e.surface))\t\(t.sourceRange.lowerBound)\t\(t.sourceRange.upperBound)\t\(t.kind)\t\(e.reason)\t\(e.alternatives.joined(separator: "; "))\n")
                        case .jsonl:
                            out.write("{\"file\":\(fileName),\"line\":\(line),\"start\":\(t.sourceRange.lowerBound),\"end\":\(t.sourceRange.upperBound),\"text\":\(JSON.quote(e.surface)),\"kind\":\"\(t.kind)\",\"reason\":\(JSON.quote(e.reason)),\"alternatives\":[\(e.alternatives.map(JSON.quote).joined(separator: ","))]}\n")
                        }
                    }
                    continue
                }
                switch format {
                case .text:
                    // Fast path: the surface goes straight from the scalars to the output buffer.
                    delimiter.withUnsafeBufferPointer { delimiterBytes in
                        segmenter.forEachToken(in: text) { token in
                            if token.kind == .whitespace {
                                if text.scalars[token.range.lowerBound] == "\n" {
                                    out.write("\n")
                                    lineHasWords = false
                                }
                                return
                            }
                            if lineHasWords { out.write(bytes: delimiterBytes) }
                            out.write(scalars: text.scalars[token.range])
                            lineHasWords = true
                        }
                    }
                case .jsonl:
                    segmenter.forEachToken(in: text) { token in
                        if token.kind == .whitespace {
                            if text.scalars[token.range.lowerBound] == "\n" { line += 1 }
                            return
                        }
                        out.write("{\"file\":\(fileName),\"line\":\(line),\"start\":\(token.sourceRange.lowerBound),\"end\":\(token.sourceRange.upperBound),\"text\":\(JSON.quote(text.text(token.range))),\"kind\":\"\(token.kind)\"}\n")
                    }
                }
            }
            if format == .text && !explain && !endedWithNewline { out.write("\n") }
        }
    }

    static func tsvField(_ s: String) -> String {
        s.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
    }
}
