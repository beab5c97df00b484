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

    @Option(name: .customLong("domain-words"), help: ArgumentHelp("What the model may do with the words of Tifa's domain vocabulary (domain_words.txt, segmentation_words.txt): `whole` never cuts one (it may still join one with a neighbour, 共产党人), so a count of 新时代 or 人工智能 does not depend on its neighbours; `model` lets the model cut those of 2–4 characters by PKU's convention (新 时代 next to a single character; PKU F1 0.932, 0.928 with `whole`). Default: `whole` for `index build` and `analyze`, which count; `model` for the other commands.", valueName: "whole|model"))
    var domainWords: Segmenter.Options.DomainWords?

    @Flag(name: .customLong("whole-domain-words"), help: "The same as --domain-words whole.")
    var wholeDomainWords = false

    /// Sets the segmentation and lexicon choices of `options`; `defaultDomainWords` when the
    /// command line chooses none (`whole` where the analyses are counted: DESIGN.md §7).
    func apply(to options: inout Analyzer.Options, defaultDomainWords: Segmenter.Options.DomainWords = .model) throws {
        if noLexicon && search { throw ValidationError("--search and --no-lexicon cannot be combined") }
        if noModel && model != nil { throw ValidationError("--model and --no-model cannot be combined") }
        if wholeDomainWords && domainWords == .model { throw ValidationError("--whole-domain-words and --domain-words model cannot be combined") }
        options.model = noModel ? .none : model.map { .file(URL(fileURLWithPath: AnalysisPaths.absolute($0))) } ?? .shipped
        // `.model` is left out of the options (nil), so indexes built with it before the option
        // existed keep their fingerprint.
        let chosen = wholeDomainWords ? .whole : domainWords ?? defaultDomainWords
        options.domainWords = chosen == .whole ? .whole : nil
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

extension Segmenter.Options.DomainWords: ExpressibleByArgument {}

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
        Reads FILEs (or stdin; from folders .txt and .md files; a named .html or .htm file as its text, without markup), normalizes each (see `tifa normalize`), segments the normalized text and writes one output line per input line, words separated by --delimiter (a space). Empty lines stay empty. Each word is written as the input spells it (--surface original: traditional characters and full-width digits stay as they are, so the output is the input with its word boundaries marked); --surface normalized writes the words as Tifa counts them (simplified, half-width). Text that normalizing removes (web page furniture, zero-width characters, pinyin annotations) is not written either way.

        Precedence: a forced policy phrase (Dictionaries/policy_formulas.tsv) beats a word of a --dict file beats Tifa's lexicon (domain vocabulary + ICU's dictionary) beats single characters; the trained model (Dictionaries/segmentation_model.bin, or --model FILE) then reconsiders the tokens the lexicons may have wrong (single characters and their neighbours), never a formula, a --dict word or a number. --no-model keeps the lexicon lattice's tokens. Numbers, dates, percentages and amounts are one token (2014年, 12.1%, -5, 3.698亿元, 百分之五十); counters stay apart (47065 户). Names written with a middle dot are one token (惠特妮·休斯顿).

        --format jsonl writes one object per token: {"file", "line" (1-based), "start", "end" (0-based code point offsets into the original text of the file, end exclusive), "text" (the word, per --surface), "kind" (word, number, latin, punctuation, formula, symbol)}.

        --explain adds why each token came out as it did (rule or lexicon layer, cost, and the overlapping lexicon words that lost); as TSV lines in text format.

        Normalizing and segmenting run on --threads threads (default: one per core the process may use, --explain included); the output and the warnings are those of one thread, whatever their number.
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

    @Flag(help: "Print timings to stderr: dictionary load, normalization and segmentation (CPU time summed over the threads, MB/s of UTF-8 input), and the time from reading to writing.")
    var stats = false

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        // The normalizer first: its conversion tables are shared with the segmenter, and
        // --stats reports the segmenter's own load time.
        let normalizerStart = DispatchTime.now().uptimeNanoseconds
        _ = try Normalizer(options: analysis.normalization.options)
        _ = try ChineseConverter.shared()
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let loadCPUStart = Self.cpuNanoseconds()
        let analyzer = try analysis.makeAnalyzer()
        let segmenter = analyzer.segmenter
        let loadNanoseconds = DispatchTime.now().uptimeNanoseconds - loadStart
        let loadCPUNanoseconds = Self.cpuNanoseconds() - loadCPUStart
        let out = Output.standard
        if explain && format == .text {
            out.write("surface\tstart\tend\tkind\treason\talternatives\n")
        }
        let work = SegmentWork(normalizer: analyzer.normalizer, segmenter: segmenter, format: format, explain: explain,
                               keepsOriginalSurface: surface == .original, delimiter: Array(delimiter.utf8), timed: stats)
        // One thread: no worker, each chunk is done in place before the next is read.
        let pipeline = SegmentPipeline(work: work, workerThreads: threading.count == 1 ? 0 : threading.count)
        let wallStart = DispatchTime.now().uptimeNanoseconds
        do {
            try InputFiles.forEachDecoder(try inputs.paths(), decoding: analysis.decoding.options) { decoder in
                pipeline.startFile(decoder.name)
                while let chunk = try decoder.nextChunk() { pipeline.add(chunk) }
                pipeline.endFile(warning: InputFiles.replacementWarning(decoder))
            }
        } catch {
            // What was read before the error is written, as with one thread (not the rest of
            // the line the error cut).
            pipeline.finish()
            throw error
        }
        pipeline.finish()
        let wallNanoseconds = DispatchTime.now().uptimeNanoseconds - wallStart
        if stats {
            out.flush()
            let totals = pipeline.totals
            let mb = Double(totals.inputBytes) / 1_000_000
            func rate(_ ns: UInt64) -> String { ns == 0 ? "-" : String(format: "%.1f MB/s", mb / (Double(ns) / 1e9)) }
            func f(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
            Diagnostics.write("""
            normalizer load: \(f(Double(loadStart - normalizerStart) / 1e6, 1)) ms
            segmenter dictionary load: \(f(Double(loadNanoseconds) / 1e6, 1)) ms wall, \(f(Double(loadCPUNanoseconds) / 1e6, 1)) ms CPU (\(segmenter.lexiconWordCount) words\(segmenter.lexiconIsCached ? ", compiled lexicon from the cache" : ""))
            input: \(f(mb, 1)) MB UTF-8, \(totals.inputScalars) characters
            normalization (CPU time, all threads): \(f(Double(totals.normalizeNanoseconds) / 1e9, 2)) s, \(rate(totals.normalizeNanoseconds))
            segmentation with text output (CPU time, all threads): \(f(Double(totals.segmentNanoseconds) / 1e9, 2)) s, \(rate(totals.segmentNanoseconds))
            reading to writing (elapsed): \(f(Double(wallNanoseconds) / 1e9, 2)) s, \(rate(wallNanoseconds)), \(pipeline.workerThreads == 0 ? "one thread" : "\(pipeline.workerThreads) worker threads")

            """)
        }
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
