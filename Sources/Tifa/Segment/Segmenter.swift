import Foundation

/// Splits normalized Chinese text into words, numbers, Latin words, punctuation and whitespace.
///
/// ## How it works
/// 1. A **scanner** cuts each line into *atoms*: one atom per Han character, and for everything
///    else the whole unit — a number with its unit (2014年, 12.1%, 3.698亿元, 2019—2020学年), a
///    Latin word (COVID-19), a URL, an e-mail address, a run of one punctuation sign (——), an
///    emoji sequence, a run of spaces, a line break.
/// 2. Between whitespace, a **lattice** over the atoms is solved by dynamic programming (see
///    `Segmenter+Lattice.swift` for the exact rule): edges are the single atoms, every lexicon
///    word that starts and ends on atom boundaries (so a user word like 互联网+ or 5+2 spans
///    several atoms), and Chinese-numeral patterns (二○○一年, 十二月, 三十一日, 第十九).
/// 3. The path of least cost wins, compared first on the characters left outside forced
///    phrases, then on those left outside user words, then on the summed word costs (ICU's cost
///    scale, lower = more frequent). That is the **precedence**: a forced phrase beats a user
///    word beats the shipped lexicon (Tifa's domain vocabulary merged with the place names of
///    `places.tsv`, ICU's cjdict and the general vocabulary of `general_words.txt`; for a word
///    in several, the entry of the first of these is used, a place name only where it is the
///    cheaper) beats single characters.
///
/// 4. The trained **model** (`SegmentationModel`, `Options.model`) reconsiders the tokens the
///    lattice may have wrong — single characters, word + suffix, transliterated names, and their
///    neighbours — with the lattice's answer among its features; forced phrases, user words,
///    numbers and other scanned atoms are hard constraints it cannot change.
///
/// Scripts without spaces that Tifa has no lexicon for (Thai, Lao, Khmer, Myanmar, kana) are
/// split by ICU's word breaker. `Mode.icuOnly` (`--no-lexicon`) bypasses all of this and
/// reports ICU's word breaks for everything.
///
/// ## Guarantees and cost
/// - Deterministic: the same text and dictionaries give the same tokens.
/// - Tokens cover the text without gaps or overlaps, in order (`Mode.search` adds sub-words of
///   long words, which overlap them, before each such word).
/// - Thread-safe: the compiled lexicon is immutable and shared; each call allocates only its own
///   small work arrays (sized by the text: a few KB per 1,000 characters, bounded: a line
///   longer than `Lattice.maxAtoms` is solved in pieces, so at most about 250 KB a call).
/// - Speed: with the trained model, about 33 MB/s of UTF-8 report text per core in
///   segmentation CPU time, about 1.8× rjieba (jieba-rs) in the same runs; with `model = .none`
///   (the lattice alone) about 51 MB/s, 2.75× rjieba (`Benchmarks/segment-speed.sh`, 100 MB of
///   reports, medians of 7; DESIGN.md 4a has the trade-off). Two processes on the two cores each kept
///   95–100% of that (threads share one trie, so they need no more memory).
/// - Loading compiles ICU's cjdict (316,000 words) plus the shipped dictionaries (41,000 general
///   words, 2,100 of Tifa's own, 510 formulas with their variants) and user dictionaries into a
///   trie of about 8 MB, in about 70 ms of CPU time on the reference machine (`tifa segment
///   --stats`).
public final class Segmenter: Sendable {
    public struct Options: Sendable, Equatable {
        public enum Mode: String, Sendable, Equatable, Codable {
            /// Lexicon words, numbers and formulas as single tokens.
            case standard
            /// `standard`, plus the lexicon words inside each long word, for search indexes.
            case search
            /// ICU's word break iterator alone (for comparison): no lexicon, no number rules.
            case icuOnly = "icu-only"
        }

        public var mode: Mode = .standard
        /// Extra jieba-format dictionaries (`word [freq] [tag]`), loaded in order.
        public var userDictionaries: [URL] = []
        /// Phrases that always come out as one token (policy formulas).
        public var forcedPhrases: [String] = []
        /// Whether the shipped formulas are added to `forcedPhrases` (when `shippedDictionaries`
        /// is `.all`), or the caller gave them all (the `Analyzer` passes its lexicon's).
        public var forcedPhraseSource: ForcedPhraseSource = .givenAndShippedFormulas
        /// Whether to load the shipped lexicons (`domain_words.txt`, `segmentation_words.txt`,
        /// `general_words.txt`, `places.tsv`) and the formulas of `policy_formulas.tsv` as forced phrases.
        public var shippedDictionaries: ShippedDictionaries = .all

        public enum ForcedPhraseSource: Sendable, Equatable {
            case givenAndShippedFormulas
            case givenOnly
        }

        public enum ShippedDictionaries: String, Sendable, Equatable, Codable {
            case all
            /// Without the domain vocabulary (`domain_words.txt`) and the policy formulas: for
            /// measuring on general text by a standard that splits policy phrases (PKU's).
            case withoutDomain = "without-domain"
            /// ICU's cjdict and the number units only (for tests and comparisons).
            case icuOnly = "icu-only"
        }

        /// The trained model that decides over the lattice (`SegmentationModel`).
        public var model: Model = .shipped
        /// What the model may do with the domain vocabulary's words.
        public var domainWords: DomainWords = .model

        /// Domain words (`domain_words.txt`, `segmentation_words.txt`) of 5 or more characters are
        /// never re-cut by the model. Shorter ones are the model's by default: it learned PKU's cuts of compounds
        /// (领导 干部, 人工 智能) and applies them next to a single character, so a count of such
        /// a word depends on its neighbours; `.whole` keeps every domain word the lattice
        /// found whole, for consistent counts, at the price of PKU's convention (DESIGN.md §4a).
        public enum DomainWords: String, Sendable, Equatable, Codable {
            /// The model may re-cut those of 2–4 characters (the default).
            case model
            /// Never re-cut (`--whole-domain-words`).
            case whole
        }

        public enum Model: Sendable, Equatable, Codable {
            /// `Dictionaries/segmentation_model.bin`.
            case shipped
            /// The lexicon lattice alone (`--no-model`).
            case none
            /// A model file written by `tifa train` (`--model FILE`).
            case file(URL)

            /// Coded as one string: `shipped`, `none`, or the model file's path (absolute).
            public init(from decoder: Decoder) throws {
                let text = try decoder.singleValueContainer().decode(String.self)
                switch text {
                case "shipped": self = .shipped
                case "none": self = .none
                default: self = .file(URL(fileURLWithPath: text))
                }
            }

            public func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .shipped: try c.encode("shipped")
                case .none: try c.encode("none")
                case .file(let url): try c.encode(url.path)
                }
            }
        }

        public init() {}
    }

    public let options: Options
    /// The trained model, nil for `Model.none` and `Mode.icuOnly`.
    public let model: SegmentationModel?
    let lexicon: Lexicon
    /// Whether the lexicon was read from `LexiconCache` rather than compiled.
    public let lexiconIsCached: Bool
    let units: Lexicon
    /// Cost of a productive suffix by BMP character, 0 for none (`segmentation_rules.tsv`).
    let suffixCost: [UInt8]
    /// Characters of transliterated names by BMP character (`segmentation_rules.tsv`).
    let transliteration: [Bool]
    /// Suffixes that join nouns only, by BMP character (`segmentation_rules.tsv`).
    let nominalSuffix: [Bool]
    /// Surnames that make an anonymized person with 某 (张某), by BMP character
    /// (`segmentation_rules.tsv`). Read only where the text has 某 (`Lattice.anonymizedNameEdge`).
    let surname: [Bool]
    /// Names the model may not re-cut (`person_names.txt`); none without the base lexicons.
    let personNames: PersonNames

    /// Loads the dictionaries. Throws `DataFileError` (file and line) for a dictionary that is
    /// missing or malformed, `ICUError` when ICU's dictionary cannot be opened. Dictionary words
    /// are normalized with `normalizer` (the one the texts go through; default: all steps).
    public init(options: Options = .init(), normalizer: Normalizer? = nil) throws {
        self.options = options
        let normalizer = try normalizer ?? Normalizer()
        // ICU's word breaker is opened per call where it is used (its iterators are not
        // thread-safe); opening one here makes a broken ICU an error now rather than a silent
        // fallback to single characters later.
        _ = try ICUWordBreaker()
        let rules = try SegmentationRules(url: DataFiles.dictionary("segmentation_rules.tsv"))
        let shippedFormulas = options.shippedDictionaries == .all && options.forcedPhraseSource == .givenAndShippedFormulas
            ? try PolicyLexicon.shipped().surfaceForms : []
        let shippedWords: [String] = switch options.shippedDictionaries {
        case .all: ["domain_words.txt", "segmentation_words.txt"]
        case .withoutDomain: ["segmentation_words.txt"]
        case .icuOnly: []
        }
        // The lexicons after ICU's dictionary, in layer order: one list for compiling them and
        // for the cache key, so that no file the lexicon is compiled from is left out of the key.
        typealias AddFile = (URL, inout LexiconBuilder) throws -> Void
        let baseWordFiles: [(name: String, add: AddFile)] = options.mode == .icuOnly || options.shippedDictionaries == .icuOnly ? [] : [
            ("general_words.txt", { try SegmentationDictionaries.addGeneralWords($0, rules: rules, to: &$1) }),
            // Latin + Han words (A股, T恤): scanned Latin atoms cost nothing, hence their low cost.
            ("mixed_words.txt", { try SegmentationDictionaries.addJiebaFile($0, layer: .general, normalizer: normalizer, to: &$1) }),
            // Taiwan's words in simplified script (义大利, 萤幕), normalized like a user's dictionary.
            ("taiwan_words.txt", { try SegmentationDictionaries.addJiebaFile($0, layer: .general, normalizer: normalizer, to: &$1) }),
            ("places.tsv", { try SegmentationDictionaries.addPlaces($0, to: &$1) }),
            ("non_noun_words.txt", { try SegmentationDictionaries.addNonNounWords($0, to: &$1) }),
        ]
        let cache = LexiconCache.directory.flatMap { directory in
            Self.lexiconKey(options, normalizer, shippedFormulas: shippedFormulas,
                            files: shippedWords + ["segmentation_rules.tsv"] + baseWordFiles.map(\.name))
                .map { (directory, $0) }
        }
        if let (directory, key) = cache, let cached = LexiconCache.load(key, from: directory) {
            lexicon = cached
            lexiconIsCached = true
        } else {
            lexiconIsCached = false
            var builder = LexiconBuilder(capacity: 380_000)
            for phrase in options.forcedPhrases + shippedFormulas {
                builder.add(SegmentationDictionaries.normalized(phrase, normalizer), cost: 0, layer: .forcedPhrase)
            }
            for url in options.userDictionaries {
                try SegmentationDictionaries.addJiebaFile(url, layer: .user, normalizer: normalizer, to: &builder)
            }
            for name in shippedWords {
                try SegmentationDictionaries.addJiebaFile(DataFiles.dictionary(name), layer: .domain, normalizer: normalizer, to: &builder)
            }
            if options.mode != .icuOnly {
                try ICUDictionary.forEachWord { word, cost in
                    if rules.dropsBaseWord(word) { return }
                    builder.add(utf16: word, cost: cost, layer: .icu)
                }
                for file in baseWordFiles { try file.add(DataFiles.dictionary(file.name), &builder) }
            }
            lexicon = try builder.build()
            lexicon.markRuleStarts { [transliteration = rules.transliteration] v in Lattice.startsRuleEdge(v, transliteration: transliteration) }
            if let (directory, key) = cache { LexiconCache.store(lexicon, key, in: directory) }
        }
        suffixCost = rules.suffixCost
        transliteration = rules.transliteration
        nominalSuffix = rules.nominalSuffix
        surname = rules.surname
        personNames = baseWordFiles.isEmpty ? .none : try PersonNames(url: DataFiles.dictionary("person_names.txt"))

        var unitBuilder = LexiconBuilder()
        try DataFiles.forEachDataLine(in: DataFiles.dictionary("number_units.tsv")) { line, _ in
            let columns = line.split(separator: "\t")
            guard columns.count == 2, let kind = UnitKind(name: columns[1]) else {
                throw DataFileError(message: "expected `unit<TAB>calendar|currency|percent`")
            }
            unitBuilder.add(columns[0].unicodeScalars, cost: Int32(kind.rawValue), layer: .domain)
        }
        units = try unitBuilder.build()
        model = switch (options.mode, options.model) {
        case (.icuOnly, _), (_, .none): nil
        case (_, .shipped): try SegmentationModel(contentsOf: SegmentationModel.shippedURL())
        case (_, .file(let url)): try SegmentationModel(contentsOf: url)
        }
        // After the cache stored the trie (the flags are this model's, not the lexicon's).
        if let model { lexicon.markModelKeeps(model.keptWords) }
    }

    /// The `LexiconCache` key of the lexicon these options compile: everything the compilation
    /// reads (see `LexiconCache`), the shipped data `files` by name; nil when the running
    /// executable cannot be identified or a file cannot be read (compiling then reports it, with
    /// the file's name).
    static func lexiconKey(_ options: Options, _ normalizer: Normalizer, shippedFormulas: [String], files: [String]) -> String? {
        guard let executable = LexiconCache.executableIdentity() else { return nil }
        var key = LexiconCache.Key()
        key.add("format \(LexiconCache.format) \(executable)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let normalization = try? encoder.encode(normalizer.options) else { return nil }
        key.add(String(decoding: normalization, as: UTF8.self))
        key.add("\(options.mode.rawValue) \(options.shippedDictionaries.rawValue)")
        for phrase in options.forcedPhrases + [""] + shippedFormulas { key.add(phrase) }
        do {
            for url in options.userDictionaries { try key.add(contentsOf: url) }
            key.add("")
            for name in files {
                key.add(name)
                try key.add(contentsOf: DataFiles.dictionary(name))
            }
        } catch {
            return nil
        }
        return key.hex
    }

    enum UnitKind: Int32 {
        case calendar = 0, currency = 1, percent = 2
        init?(name: Substring) {
            switch name {
            case "calendar": self = .calendar
            case "currency": self = .currency
            case "percent": self = .percent
            default: return nil
            }
        }
    }

    /// Number of words in the compiled lexicon.
    public var lexiconWordCount: Int { lexicon.wordCount }

    /// Domain words this long or longer are never re-cut by the model (`Lattice.runClass`):
    /// `Lattice.minimumWholeDomainLength`, or 2 (all of them) with `Options.DomainWords.whole`.
    var wholeDomainLength: Int { options.domainWords == .whole ? 2 : Lattice.minimumWholeDomainLength }

    /// Whether `word` is a domain word the model may re-cut where the lattice finds it (one
    /// shorter than `wholeDomainLength`): where a count of it depends on its neighbours, and
    /// `--whole-domain-words` would keep it whole.
    package func modelMayRecutDomainWord(_ word: String) -> Bool {
        let length = word.unicodeScalars.count
        return model != nil && length >= 2 && length < wholeDomainLength && lexicon.lookup(word)?.layer == .domain
    }

    /// The tokens of `text`, in order.
    public func segment(_ text: NormalizedText) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(text.count / 2 + 1)
        forEachToken(in: text) { tokens.append($0) }
        return tokens
    }

    /// Calls `body` with each token of `text`, in order, without building an array.
    public func forEachToken(in text: NormalizedText, _ body: (Token) -> Void) {
        // `NormalizedText.sourceRange`, over a buffer: no array retain per token.
        let base = text.sourceOffsets.base
        text.sourceOffsets.withUnsafeDistances { offsets in
            forEachSpan(in: text) { range, kind, _ in
                let start = base + Int(offsets[range.lowerBound])
                let end = range.isEmpty ? start : base + Int(offsets[range.upperBound - 1]) + 1
                body(Token(range: range, sourceRange: start..<end, kind: kind))
            }
        }
    }

    /// Appends the words of `text` to `output` as UTF-8 text: tokens other than whitespace
    /// separated by `delimiter`, a line break for each line break, other whitespace dropped.
    /// `lineHasWords` says whether the current output line already has a word; it carries over
    /// between calls, so a line may be split across several `text`s.
    ///
    /// The same tokens as `forEachToken`, for `tifa segment`'s text output: bytes are written
    /// straight from the scalars, with no `Token`, `String` or offset lookup per word. With
    /// `surface` (as many scalars as `text`, e.g. `text.originalScalars(in:)`), each word is
    /// written as those scalars spell it rather than as normalized.
    public func appendText(of text: NormalizedText, surface: [Unicode.Scalar]? = nil, delimiter: [UInt8],
                           to output: inout [UInt8], lineHasWords: inout Bool) {
        lineHasWords = appendText(of: text, surface: surface, delimiter: delimiter, to: &output, startingWithWords: lineHasWords).endsWithWords
    }

    /// How a piece of text written by `appendTextPiece` joins the output before it.
    package struct TextPieceJoin: Sendable {
        /// The first thing written is a word (not a line break): it needs the delimiter before
        /// it when the output's line already has words.
        package var startsWithWord: Bool
        /// The output's line has words after the piece (when the piece wrote anything; if not,
        /// the line is as it was).
        package var endsWithWords: Bool
    }

    /// `appendText` for one piece of a longer text whose pieces are segmented independently
    /// (`tifa segment --threads`, on several threads) and joined in order: the piece is written
    /// as if its first line had no words yet, and the result says how to join it.
    package func appendTextPiece(of text: NormalizedText, surface: [Unicode.Scalar]?, delimiter: [UInt8],
                                 to output: inout [UInt8]) -> TextPieceJoin {
        appendText(of: text, surface: surface, delimiter: delimiter, to: &output, startingWithWords: false)
    }

    private func appendText(of text: NormalizedText, surface: [Unicode.Scalar]?, delimiter: [UInt8],
                            to output: inout [UInt8], startingWithWords: Bool) -> TextPieceJoin {
        precondition(surface.map { $0.count == text.count } ?? true, "one surface scalar per normalized scalar")
        return text.scalars.withUnsafeBufferPointer { scalars in
            (surface ?? text.scalars).withUnsafeBufferPointer { surface in
                delimiter.withUnsafeBufferPointer { delimiter in
                    var sink = TextSink(scalars: scalars, surface: surface, delimiter: delimiter, hasWords: startingWithWords)
                    defer { sink.buffer.deallocate() }
                    forEachSpan(in: text, &sink)
                    output.append(contentsOf: UnsafeBufferPointer(start: sink.buffer, count: sink.count))
                    // Written before the first line break (or with none) is words only.
                    return TextPieceJoin(startsWithWord: sink.firstLineBreak != 0 && sink.count > 0, endsWithWords: sink.hasWords)
                }
            }
        }
    }

    /// `appendText`'s writer: a concrete type rather than a closure, so that the lattice is
    /// specialized for it and writes each token's bytes without a call per token.
    private struct TextSink: SpanSink {
        /// The normalized text (line breaks are read here) and what each word is written from.
        let scalars, surface: UnsafeBufferPointer<Unicode.Scalar>
        let delimiter: UnsafeBufferPointer<UInt8>
        var hasWords: Bool
        var buffer: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        /// Where the first line break was written (-1: none yet).
        var firstLineBreak = -1

        init(scalars: UnsafeBufferPointer<Unicode.Scalar>, surface: UnsafeBufferPointer<Unicode.Scalar>,
             delimiter: UnsafeBufferPointer<UInt8>, hasWords: Bool) {
            self.scalars = scalars
            self.surface = surface
            self.delimiter = delimiter
            self.hasWords = hasWords
            // Standard mode needs at most 4 bytes per scalar plus a delimiter per token (a token
            // has 1+ scalars); search mode's sub-words overlap, so the buffer may still grow.
            capacity = scalars.count * (4 + delimiter.count) + 16
            buffer = .allocate(capacity: capacity)
        }

        @inline(__always)
        mutating func span(_ range: Range<Int>, _ kind: Token.Kind, _ rule: SpanRule) {
            // Room for this token and its delimiter, or for a line break.
            let needed = count + delimiter.count + 4 * range.count
            if needed > capacity {
                capacity = max(needed, capacity * 2)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.update(from: buffer, count: count)
                buffer.deallocate()
                buffer = grown
            }
            if kind == .whitespace {
                if scalars[range.lowerBound] == "\n" {
                    if firstLineBreak < 0 { firstLineBreak = count }
                    buffer[count] = 0x0A
                    count += 1
                    hasWords = false
                }
                return
            }
            if hasWords {
                for b in delimiter { buffer[count] = b; count += 1 }
            }
            hasWords = true
            count = UTF8Writer.encode(UnsafeBufferPointer(rebasing: surface[range]),
                                      into: UnsafeMutableBufferPointer(start: buffer, count: capacity), at: count)
        }
    }

    /// Lower level than `forEachToken`: ranges in `text` only, with the rule that made each.
    /// With `lattice`, the lexicon lattice's own tokens, without the model (for `explain`).
    func forEachSpan(in text: NormalizedText, lattice: Bool = false, _ body: (Range<Int>, Token.Kind, SpanRule) -> Void) {
        withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            forEachSpan(in: text, lattice: lattice, &sink)
        }
    }

    /// `forEachSpan` into a sink of a concrete type (the lattice is specialized for it).
    func forEachSpan<Sink: SpanSink>(in text: NormalizedText, lattice: Bool = false, _ sink: inout Sink) {
        if options.mode == .icuOnly {
            icuSpans(text) { sink.span($0, $1, $2) }
            return
        }
        withLattice(over: text, collect: nil, model: lattice ? nil : model) { $0.run(search: options.mode == .search, &sink) }
    }

    /// `forEachSpan` with the model, calling `window` with each window the model decoded (its
    /// scalar range) before the spans of its stretch (for `explain`).
    func forEachSpan(in text: NormalizedText, window: (Range<Int>) -> Void, _ body: (Range<Int>, Token.Kind, SpanRule) -> Void) {
        guard options.mode != .icuOnly else { return forEachSpan(in: text, body) }
        withoutActuallyEscaping(body) { body in
            withoutActuallyEscaping(window) { window in
                var sink = ClosureSink(body: body)
                withLattice(over: text, collect: nil, model: model, observeWindows: window) { $0.run(search: options.mode == .search, &sink) }
            }
        }
    }

    private struct ClosureSink: SpanSink {
        let body: (Range<Int>, Token.Kind, SpanRule) -> Void
        func span(_ range: Range<Int>, _ kind: Token.Kind, _ rule: SpanRule) { body(range, kind, rule) }
    }

    /// For training: runs the lattice (without the model) over `text` and calls `body` with
    /// what the model would see of each stretch, its atom count and the atoms' starts.
    func forEachModelStretch(in text: NormalizedText, _ body: (ModelInput, Int, UnsafeMutablePointer<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in
            var ignored = ClosureSink { _, _, _ in }
            withLattice(over: text, collect: body, model: nil) { $0.run(search: false, &ignored) }
        }
    }

    /// For training (`SegmentationTrainer.keptWords`): runs `model` over `text` with this
    /// segmenter's lattice and calls `body` with each plain lexicon word of 2+ atoms and each
    /// single character in the model's windows, and whether the model left it as the lattice had
    /// it. This segmenter should have no model of its own (its lexicon unmarked), so that the
    /// windows are the lattice's own.
    func forEachWindowWord(in text: NormalizedText, model: SegmentationModel, _ body: (UnsafeBufferPointer<UInt32>, Bool) -> Void) {
        withoutActuallyEscaping(body) { body in
            var ignored = ClosureSink { _, _, _ in }
            withLattice(over: text, collect: nil, model: model, observeWindowWords: body) { $0.run(search: false, &ignored) }
        }
    }

    /// A lattice over `text` for the duration of `body`. The rule tables are borrowed for the
    /// lattice's whole run, inside these closures: a pointer taken from
    /// `withUnsafeBufferPointer` must not outlive its closure.
    private func withLattice(over text: NormalizedText, collect: ((ModelInput, Int, UnsafeMutablePointer<Int>) -> Void)?,
                             model: SegmentationModel?, observeWindowWords: ((UnsafeBufferPointer<UInt32>, Bool) -> Void)? = nil,
                             observeWindows: ((Range<Int>) -> Void)? = nil,
                             _ body: (inout Lattice) -> Void) {
        text.scalars.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt32.self) { scalars in
                suffixCost.withUnsafeBufferPointer { suffixCost in
                    nominalSuffix.withUnsafeBufferPointer { nominalSuffix in
                        transliteration.withUnsafeBufferPointer { transliteration in
                            var lattice = Lattice(segmenter: self, scalars: scalars, suffixCost: suffixCost,
                                                  nominalSuffix: nominalSuffix, transliteration: transliteration, model: model, collect: collect,
                                                  observeWindowWords: observeWindowWords, observeWindows: observeWindows)
                            body(&lattice)
                        }
                    }
                }
            }
        }
    }

    /// Why a span came out as it did.
    enum SpanRule: Equatable {
        case lexicon(LexiconLayer, cost: Int32)
        case singleCharacter(cost: Int32)
        case unknownCharacter
        case numeral
        case suffix(cost: Int32)
        case transliteration
        /// A name whose parts a middle dot joins (比尔·盖茨).
        case nameDot
        /// A surname + 某 or 某某, an anonymized person (张某, 李某某).
        case anonymizedName
        /// The trained model chose a token the lattice did not.
        case model
        /// A person name of the lattice (`person_names.txt`) that the model would have cut.
        case personName(LexiconLayer, cost: Int32)
        case scanned
        case subword
        case icu
    }
}
