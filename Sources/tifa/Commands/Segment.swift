import ArgumentParser
import Foundation
import Tifa

/// Options that build a `Segmenter`; shared by `segment` and `eval`.
struct SegmenterFlags: ParsableArguments {
    @Option(name: .customLong("dict"), help: ArgumentHelp("A user dictionary in jieba's format (`word [freq] [tag]` per line); repeatable.", valueName: "FILE"))
    var dictionaries: [String] = []

    @Option(name: .customLong("lexicon"), help: ArgumentHelp("A user policy-formula lexicon (the format of Dictionaries/policy_formulas.tsv) whose formulas are kept whole; repeatable.", valueName: "FILE"))
    var lexicons: [String] = []

    @Flag(name: .customLong("search"), help: "Also emit the lexicon words inside long words (for search indexes).")
    var search = false

    @Flag(name: .customLong("no-lexicon"), help: "ICU's word break iterator alone, for comparison.")
    var noLexicon = false

    @Flag(name: .customLong("no-domain"), help: "Leave out the domain vocabulary and the policy formulas (to compare on general text).")
    var noDomain = false

    @Option(name: .customLong("model"), help: ArgumentHelp("A segmentation model written by `tifa train`, instead of the shipped one.", valueName: "FILE"))
    var model: String?

    @Flag(name: .customLong("no-model"), help: "The lexicon lattice alone, without the trained model.")
    var noModel = false

    /// Sets the segmentation and lexicon choices of `options`.
    func apply(to options: inout Analyzer.Options) throws {
        if noLexicon && search { throw ValidationError("--search and --no-lexicon cannot be combined") }
        if noModel && model != nil { throw ValidationError("--model and --no-model cannot be combined") }
        options.model = noModel ? .none : model.map { .file(URL(fileURLWithPath: AnalysisPaths.absolute($0))) } ?? .shipped
        options.segmentation = noLexicon ? .icuOnly : (search ? .search : .standard)
        options.shippedDictionaries = noDomain ? .withoutDomain : .all
        options.dictionaries = dictionaries.map(AnalysisPaths.absolute)
        options.lexicons = lexicons.map(AnalysisPaths.absolute)
    }

    /// The analyzer of these flags and `normalization`.
    func makeAnalyzer(normalization: Normalizer.Options) throws -> Analyzer {
        var o = Analyzer.Options()
        o.normalization = normalization
        try apply(to: &o)
        return try Analyzer(options: o)
    }
}

/// Which characters `tifa segment` writes for each word.
enum SurfaceForm: String, ExpressibleByArgument, CaseIterable {
    /// As written in the input (traditional characters, full-width digits and letters): the
    /// input with the word boundaries marked, as segmenters and SIGHAN's scoring expect.
    case original
    /// As Tifa analyses and counts them (simplified, half-width; see `tifa normalize`).
    case normalized
}

struct Segment: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Split Chinese text into words.",
        discussion: """
        Reads FILEs (or stdin), normalizes each (see `tifa normalize`), segments the normalized text and writes one output line per input line, words separated by --delimiter (a space). Empty lines stay empty. Each word is written as the input spells it (--surface original: traditional characters and full-width digits stay as they are, so the output is the input with its word boundaries marked); --surface normalized writes the words as Tifa counts them (simplified, half-width). Text that normalizing removes (web page furniture, zero-width characters, pinyin annotations) is not written either way.

        Precedence: a forced policy phrase (Dictionaries/policy_formulas.tsv) beats a word of a --dict file beats Tifa's lexicon (domain vocabulary + ICU's dictionary) beats single characters; the trained model (Dictionaries/segmentation_model.bin, or --model FILE) then reconsiders the tokens the lexicons may have wrong (single characters and their neighbours), never a formula, a --dict word or a number. --no-model keeps the lexicon lattice's tokens. Numbers, dates, percentages and amounts are one token (2014年, 12.1%, -5, 3.698亿元, 百分之五十); counters stay apart (47065 户). Names written with a middle dot are one token (惠特妮·休斯顿).

        --format jsonl writes one object per token: {"file", "line" (1-based), "start", "end" (0-based code point offsets into the original text of the file, end exclusive), "text" (the word, per --surface), "kind" (word, number, latin, punctuation, formula, symbol)}.

        --explain adds why each token came out as it did (rule or lexicon layer, cost, and the overlapping lexicon words that lost); as TSV lines in text format.
        """
    )

    @OptionGroup var inputs: TextInputs

    @Option(help: "Output format: text or jsonl.")
    var format: TextFormat = .text

    @Option(help: "Separator between words in text output.")
    var delimiter: String = " "

    @Flag(help: "Show why each token came out as it did.")
    var explain = false

    @Option(help: "The characters of each word: original (as written in the input) or normalized (simplified, half-width, as Tifa counts them).")
    var surface: SurfaceForm = .original

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var analysis: TextAnalysisFlags

    @Flag(help: "Print timings to stderr: dictionary load, normalization, segmentation (MB/s of UTF-8 input).")
    var stats = false

    func run() throws {
        // The normalizer first: its conversion tables are shared with the segmenter, and
        // --stats reports the segmenter's own load time.
        let normalizerStart = DispatchTime.now().uptimeNanoseconds
        _ = try Normalizer(options: analysis.normalization.options)
        _ = try ChineseConverter.shared()
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let loadCPUStart = Self.cpuNanoseconds()
        let analyzer = try analysis.makeAnalyzer()
        let normalizer = analyzer.normalizer, segmenter = analyzer.segmenter
        let loadNanoseconds = DispatchTime.now().uptimeNanoseconds - loadStart
        let loadCPUNanoseconds = Self.cpuNanoseconds() - loadCPUStart
        var normalizeNanoseconds: UInt64 = 0
        var segmentNanoseconds: UInt64 = 0
        var inputBytes = 0
        var inputScalars = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 18)
        let out = Output.standard
        let delimiter = Array(delimiter.utf8)
        if explain && format == .text {
            out.write("surface\tstart\tend\tkind\treason\talternatives\n")
        }
        try InputFiles.forEach(try inputs.paths(), decoding: analysis.decoding.options) { decoder in
            var line = 1
            var lineHasWords = false
            var endedWithNewline = true
            let fileName = JSON.quote(decoder.name)
            // A chunk that ends inside a line (lines longer than the decoder's chunk) is cut after
            // its last sign or space, and the rest waits for the next chunk, so no word is cut
            // at a chunk boundary.
            // `surface`: the characters each normalized one is written as (nil: itself).
            var pending: (text: NormalizedText, surface: [Unicode.Scalar]?)?
            func process(_ text: NormalizedText, _ surface: [Unicode.Scalar]?) {
                if text.isEmpty { return }
                func written(_ range: Range<Int>) -> String {
                    guard let surface else { return text.text(range) }
                    return String(String.UnicodeScalarView(surface[range]))
                }
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
                            out.write("\(Self.tsvField(written(t.range)))\t\(t.sourceRange.lowerBound)\t\(t.sourceRange.upperBound)\t\(t.kind)\t\(e.reason)\t\(e.alternatives.joined(separator: "; "))\n")
                        case .jsonl:
                            out.write("{\"file\":\(fileName),\"line\":\(line),\"start\":\(t.sourceRange.lowerBound),\"end\":\(t.sourceRange.upperBound),\"text\":\(JSON.quote(written(t.range))),\"kind\":\"\(t.kind)\",\"reason\":\(JSON.quote(e.reason)),\"alternatives\":[\(e.alternatives.map(JSON.quote).joined(separator: ","))]}\n")
                        }
                    }
                    return
                }
                switch format {
                case .text:
                    // Fast path: surfaces are encoded straight from the scalars into a local
                    // byte buffer (no String per token), handed to the output in large blocks.
                    let t1 = stats ? Self.cpuNanoseconds() : 0
                    bytes.removeAll(keepingCapacity: true)
                    segmenter.appendText(of: text, surface: surface, delimiter: delimiter, to: &bytes, lineHasWords: &lineHasWords)
                    if stats { segmentNanoseconds += Self.cpuNanoseconds() - t1 }
                    bytes.withUnsafeBufferPointer { out.write(bytes: $0) }
                case .jsonl:
                    segmenter.forEachToken(in: text) { token in
                        if token.kind == .whitespace {
                            if text.scalars[token.range.lowerBound] == "\n" { line += 1 }
                            return
                        }
                        out.write("{\"file\":\(fileName),\"line\":\(line),\"start\":\(token.sourceRange.lowerBound),\"end\":\(token.sourceRange.upperBound),\"text\":\(JSON.quote(written(token.range))),\"kind\":\"\(token.kind)\"}\n")
                    }
                }
                        }
            var garbledWarnings = GarbledTextWarnings()
            while true {
                guard let chunk = try decoder.nextChunk() else {
                    if let rest = pending { process(rest.text, rest.surface) }
                    break
                }
                let t0 = stats ? Self.cpuNanoseconds() : 0
                var text = normalizer.normalize(chunk)
                var written = surface == .original ? text.originalScalars(in: chunk) : nil
                garbledWarnings.warn(about: text.findings, in: chunk, file: decoder.name)
                if stats {
                    normalizeNanoseconds += Self.cpuNanoseconds() - t0
                    inputScalars += chunk.scalars.count
                    for s in chunk.scalars { inputBytes += s.value < 0x80 ? 1 : s.value < 0x800 ? 2 : s.value < 0x10000 ? 3 : 4 }
                }
                if let rest = pending {
                    text = NormalizedText(scalars: rest.text.scalars + text.scalars, sourceOffsets: Array(rest.text.sourceOffsets.dropLast()) + text.sourceOffsets)
                    written = written.map { (rest.surface ?? []) + $0 }
                    pending = nil
                }
                if text.scalars.last != "\n", let cut = Self.lastSafeBreak(text.scalars), cut < text.count {
                    pending = (NormalizedText(scalars: Array(text.scalars[cut...]), sourceOffsets: Array(text.sourceOffsets[cut...])),
                               written.map { Array($0[cut...]) })
                    text = NormalizedText(scalars: Array(text.scalars[..<cut]), sourceOffsets: Array(text.sourceOffsets[...cut]))
                    written = written.map { Array($0[..<cut]) }
                }
                process(text, written)
            }
            if format == .text && !explain && !endedWithNewline { out.write("\n") }
        }
        if stats {
            out.flush()
            let mb = Double(inputBytes) / 1_000_000
            func rate(_ ns: UInt64) -> String { ns == 0 ? "-" : String(format: "%.1f MB/s", mb / (Double(ns) / 1e9)) }
            func f(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
            Diagnostics.write("""
            normalizer load: \(f(Double(loadStart - normalizerStart) / 1e6, 1)) ms
            segmenter dictionary load: \(f(Double(loadNanoseconds) / 1e6, 1)) ms wall, \(f(Double(loadCPUNanoseconds) / 1e6, 1)) ms CPU (\(segmenter.lexiconWordCount) words\(segmenter.lexiconIsCached ? ", compiled lexicon from the cache" : ""))
            input: \(f(mb, 1)) MB UTF-8, \(inputScalars) characters
            normalization (CPU time): \(f(Double(normalizeNanoseconds) / 1e9, 2)) s, \(rate(normalizeNanoseconds))
            segmentation with text output (CPU time): \(f(Double(segmentNanoseconds) / 1e9, 2)) s, \(rate(segmentNanoseconds))

            """)
        }
    }

    /// The index just after the last sign or space within the last 1,024 characters, if any.
    static func lastSafeBreak(_ scalars: [Unicode.Scalar]) -> Int? {
        var i = scalars.count - 1
        let stop = max(0, scalars.count - 1024)
        while i >= stop {
            let p = scalars[i].properties
            if p.isWhitespace || [.otherPunctuation, .closePunctuation, .finalPunctuation, .dashPunctuation].contains(p.generalCategory) {
                return i + 1
            }
            i -= 1
        }
        return nil
    }

    /// CPU time of this thread: a fairer clock than the wall on a shared machine.
    static func cpuNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    static func tsvField(_ s: String) -> String {
        s.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
    }
}
