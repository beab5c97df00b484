import Foundation

/// THE per-document analysis: normalize → segment → match policy formulas, with one set of
/// options. Every command that analyses documents and the index go through it, so a word the
/// user added with `--dict` is counted by `index build`, found by `kwic` and cut by `segment`
/// alike.
///
/// - Tokens come from the `Segmenter` (mode, shipped and user dictionaries per `Options`), with the
///   analyzer's normalizer and the formulas of its lexicon as forced phrases.
/// - Formulas come from the `FormulaMatcher` over the same lexicon (shipped `policy_formulas.tsv`
///   and the `--lexicon` files), on the same `NormalizedText`.
/// - Term kinds: the segmenter's word, number and latin tokens are counted as such; its forced
///   policy-phrase tokens (`Token.Kind.formula`) count as words, because the formula kind is the
///   matcher's (which also finds variants and separated forms: 兩不愁、三保障). Punctuation,
///   whitespace and symbols are not tokens.
///
/// Immutable and `Sendable`: build one per process and share it between threads (loading costs
/// about 70 ms and 10 MB, the compiled segmenter lexicon). `dataFiles` lists the files it loaded,
/// for an index's provenance.
public final class Analyzer: Sendable {
    /// Names the analysis; stored in indexes and part of their fingerprint.
    /// /2: nested formula occurrences are counted (a formula inside a longer one).
    public static let identity = "tifa-segmenter+formula-matcher/2"

    /// What changes the analysis. `Codable` (serialize with `JSONEncoder` and `.sortedKeys`):
    /// indexes store them, and `tifa analyze` and its consumers pass them between processes.
    public struct Options: Sendable, Equatable, Codable {
        public var normalization = Normalizer.Options()
        public var segmentation: Segmenter.Options.Mode = .standard
        /// Which shipped word lists the segmenter compiles.
        public var shippedDictionaries: Segmenter.Options.ShippedDictionaries = .all
        /// jieba-format user dictionaries (`word [freq] [tag]`), by path, in order (`--dict`).
        public var dictionaries: [String] = []
        /// Policy-formula lexicons in the shipped format, by path; later files win (`--lexicon`).
        public var lexicons: [String] = []
        public var shippedLexicon: ShippedLexicon = .used
        public var model: SegmentationModel = .shipped
        /// Formula occurrences inside longer ones are found and counted (`.nested`), or not
        /// (`.outermost`, `--outermost`).
        public var formulaCoverage: FormulaCoverage = .nested

        public enum ShippedLexicon: String, Sendable, Equatable, Codable {
            /// `policy_formulas.tsv` and then the `lexicons` (which override it formula by formula).
            case used
            /// The `lexicons` alone (`--no-shipped-lexicon`).
            case unused
        }

        public init() {}

        /// Options written by an older or newer Tifa decode with defaults for missing keys.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Options()
            normalization = try c.decodeIfPresent(Normalizer.Options.self, forKey: .normalization) ?? d.normalization
            segmentation = try c.decodeIfPresent(Segmenter.Options.Mode.self, forKey: .segmentation) ?? d.segmentation
            shippedDictionaries = try c.decodeIfPresent(Segmenter.Options.ShippedDictionaries.self, forKey: .shippedDictionaries) ?? d.shippedDictionaries
            dictionaries = try c.decodeIfPresent([String].self, forKey: .dictionaries) ?? d.dictionaries
            lexicons = try c.decodeIfPresent([String].self, forKey: .lexicons) ?? d.lexicons
            shippedLexicon = try c.decodeIfPresent(ShippedLexicon.self, forKey: .shippedLexicon) ?? d.shippedLexicon
            model = try c.decodeIfPresent(SegmentationModel.self, forKey: .model) ?? d.model
            formulaCoverage = try c.decodeIfPresent(FormulaCoverage.self, forKey: .formulaCoverage) ?? d.formulaCoverage
        }

        /// The options as canonical JSON (sorted keys): what indexes store and fingerprint.
        public var json: String {
            // Encoding plain strings, numbers and enums cannot fail.
            String(decoding: try! JSONEncoder.sorted.encode(self), as: UTF8.self)
        }
    }

    /// The statistical segmentation model beside the lexicon lattice. Today Tifa ships none, so
    /// `.shipped` is the lattice alone; the segmentation issue (10) adds its model and choices here.
    public enum SegmentationModel: String, Sendable, Equatable, Codable {
        case shipped
    }

    /// A data file the analysis depends on: its content is hashed into an index's provenance.
    public struct DataFile: Sendable, Equatable {
        public enum Role: String, Sendable, Equatable, Codable {
            case normalization, segmentation, lexicon
            case userDictionary = "user-dictionary"
            case userLexicon = "user-lexicon"
        }
        /// The file name of a shipped file (`t2s_chars.tsv`); the path as given for a user's.
        public var name: String
        public var role: Role
        public var url: URL
    }

    /// What `analyze` returns besides counts.
    public enum Detail: Sendable, Equatable {
        /// Counts and formulas.
        case counts
        /// Also every counted token with its original range.
        case tokens
    }

    public let options: Options
    public let normalizer: Normalizer
    public let segmenter: Segmenter
    public let formulaMatcher: FormulaMatcher
    /// The files loaded, shipped ones first (see `dataFiles(for:)`).
    public let dataFiles: [DataFile]

    /// Loads the dictionaries and lexicons. Throws `DataFileError` (file and line) for one that is
    /// missing or malformed.
    public init(options: Options = .init()) throws {
        self.options = options
        dataFiles = try Self.dataFiles(for: options)
        normalizer = try Normalizer(options: options.normalization)
        let (user, lexicon) = try Self.lexicons(for: options)
        var s = Segmenter.Options()
        s.mode = options.segmentation
        s.shippedDictionaries = options.shippedDictionaries
        s.userDictionaries = options.dictionaries.map { URL(fileURLWithPath: $0) }
        // The formulas the matcher finds are kept whole by the segmenter; without the shipped
        // domain lists (`--no-domain`, for general text) only the user's are.
        s.forcedPhrases = options.shippedDictionaries == .all ? lexicon.surfaceForms : user.surfaceForms
        s.forcedPhraseSource = .givenOnly
        segmenter = try Segmenter(options: s, normalizer: normalizer)
        formulaMatcher = FormulaMatcher(lexicon: lexicon, normalizer: normalizer)
    }

    /// The formula lexicon of `options` (the shipped one, then the user's), for commands that
    /// match formulas without segmenting (`extract`, `discover`, `define`).
    public static func lexicon(for options: Options) throws -> PolicyLexicon {
        try lexicons(for: options).all
    }

    /// The user's lexicons alone, and with the shipped one when it is used.
    private static func lexicons(for options: Options) throws -> (user: PolicyLexicon, all: PolicyLexicon) {
        let user = try PolicyLexicon(files: options.lexicons.map { URL(fileURLWithPath: $0) })
        return (user, options.shippedLexicon == .used ? try PolicyLexicon.shipped().merging(user) : user)
    }

    /// The files an analyzer with `options` loads, without loading them: for a fingerprint that
    /// decides whether an index is up to date. Throws `DataFileError` for a user file that does
    /// not exist.
    public static func dataFiles(for options: Options) throws -> [DataFile] {
        var files: [DataFile] = []
        func shipped(_ name: String, _ role: DataFile.Role) throws {
            let url = try DataFiles.dictionary(name)
            if FileManager.default.fileExists(atPath: url.path) { files.append(DataFile(name: name, role: role, url: url)) }
        }
        if options.normalization.steps.contains(.traditionalToSimplified) {
            try shipped("t2s_chars.tsv", .normalization)
            try shipped("t2s_phrases.tsv", .normalization)
        }
        if options.normalization.steps.contains(.webChrome) { try shipped("web_chrome.tsv", .normalization) }
        switch options.shippedDictionaries {
        case .all: try shipped("domain_words.txt", .segmentation); fallthrough
        case .withoutDomain: try shipped("segmentation_words.txt", .segmentation)
        case .icuOnly: break
        }
        if options.segmentation != .icuOnly && options.shippedDictionaries != .icuOnly {
            try shipped("general_words.txt", .segmentation)
            try shipped("places.tsv", .segmentation)
        }
        try shipped("segmentation_rules.tsv", .segmentation)
        try shipped("number_units.tsv", .segmentation)
        if options.shippedLexicon == .used { try shipped("policy_formulas.tsv", .lexicon) }
        // What the matcher reads besides the lexicon (FalseFriendFilters).
        try shipped("formula_false_friends.tsv", .lexicon)
        try shipped("discovery_stoplist.txt", .lexicon)
        for path in options.dictionaries { files.append(try user(path, .userDictionary)) }
        for path in options.lexicons { files.append(try user(path, .userLexicon)) }
        return files
    }

    /// Changes whenever analysing a document with `options` could give another result: a hash of
    /// `identity`, ICU's version, the options and the content of every data file. User files
    /// count by content, not path, so machines that keep the same files in other places (a
    /// cluster's executors) agree. Throws like `dataFiles(for:)`, or for an unreadable file.
    public static func fingerprint(for options: Options) throws -> String {
        var location = options
        location.dictionaries = []
        location.lexicons = []
        var text = "analyzer=\(identity)\nicu=\(ICU.version)\noptions=\(location.json)\n"
        for file in try dataFiles(for: options) {
            let data: Data
            do { data = try Data(contentsOf: file.url) } catch {
                throw DataFileError(file: file.url.path, message: "cannot be read (\(error.localizedDescription))")
            }
            let name = file.role == .userDictionary || file.role == .userLexicon ? "" : file.name
            text += "\(file.role.rawValue) \(name)=\(SHA256.hex(data))\n"
        }
        return SHA256.hex(Array(text.utf8))
    }

    private static func user(_ path: String, _ role: DataFile.Role) throws -> DataFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataFileError(file: path, message: "no such \(role == .userDictionary ? "dictionary" : "lexicon")")
        }
        return DataFile(name: path, role: role, url: URL(fileURLWithPath: path))
    }

    /// Analyses one document's decoded text. Deterministic: the same text and options give the
    /// same result, term order included.
    public func analyze(_ text: String, detail: Detail = .counts) -> DocumentAnalysis {
        let normalized = normalizer.normalize(text)
        let scalars = normalized.scalars
        // Counting is keyed by the scalars packed into integers, not by String: building and
        // hashing a String per token (NFC-aware hashing) cost more than the word breaking.
        // Strings are made once per distinct term. Terms longer than `PackedTerm.capacity`
        // scalars fall back to String keys.
        var firstRange: [Range<Int>] = []
        var packedKeys: [PackedTerm?] = []
        var kinds: [TermKind] = []
        var counts: [Int] = []
        var packedCounts = PackedTermTable()
        var long: [TermKey: Int] = [:]
        var tokenCount = 0
        var tokens: [AnalyzedToken]? = detail == .tokens ? [] : nil
        forEachTokenRange(in: normalized) { range, kind in
            tokenCount += 1
            if tokens != nil {
                tokens!.append(AnalyzedToken(text: Self.string(scalars[range]), kind: kind, sourceRange: normalized.sourceRange(range)))
            }
            if let key = PackedTerm(scalars[range], kind: kind) {
                let i = packedCounts.index(of: key, insertingIfAbsent: counts.count)
                if i != counts.count { counts[i] += 1; return }
                packedKeys.append(key)
            } else {
                let key = TermKey(text: Self.string(scalars[range]), kind: kind)
                if let i = long[key] { counts[i] += 1; return }
                long[key] = counts.count
                packedKeys.append(nil)
            }
            firstRange.append(range)
            kinds.append(kind)
            counts.append(1)
        }
        var terms: [TermCount] = []
        terms.reserveCapacity(counts.count)
        for i in counts.indices {
            terms.append(TermCount(text: Self.string(scalars[firstRange[i]]), kind: kinds[i], count: counts[i]))
        }
        let formulas = formulas(in: normalized, text: text)
        var formulaIndex: [String: Int] = [:]
        for f in formulas {
            if let i = formulaIndex[f.formula] { terms[i].count += 1 } else {
                formulaIndex[f.formula] = terms.count
                terms.append(TermCount(text: f.formula, kind: .formula, count: 1))
            }
        }
        var analysis = DocumentAnalysis(characterCount: text.unicodeScalars.count, tokenCount: tokenCount,
                                        terms: terms, formulas: formulas, tokens: tokens)
        analysis.packedKeys = packedKeys
        return analysis
    }

    /// Every counted token (no punctuation, whitespace or symbols) with its original range.
    public func tokens(in text: String) -> [AnalyzedToken] {
        let normalized = normalizer.normalize(text)
        var result: [AnalyzedToken] = []
        forEachTokenRange(in: normalized) { range, kind in
            result.append(AnalyzedToken(text: Self.string(normalized.scalars[range]), kind: kind, sourceRange: normalized.sourceRange(range)))
        }
        return result
    }

    /// The formulas of the analyzer's lexicon in `text`, in order of position.
    public func formulas(in text: String) -> [FormulaOccurrence] {
        formulas(in: normalizer.normalize(text), text: text)
    }

    private func formulas(in normalized: NormalizedText, text: String) -> [FormulaOccurrence] {
        let matches = formulaMatcher.matches(in: normalized, coverage: options.formulaCoverage)
        // The original's scalars only for the surfaces: most documents have no formula.
        guard !matches.isEmpty else { return [] }
        let original = Array(text.unicodeScalars)
        return matches.map { m in
            var surface = String.UnicodeScalarView()
            surface.append(contentsOf: original[m.sourceRange])
            return FormulaOccurrence(formula: m.formula, category: m.category.rawValue, sourceRange: m.sourceRange, surface: String(surface),
                                     within: m.within.map { FormulaOccurrence.Outer(formula: $0.formula, sourceRange: $0.sourceRange) })
        }
    }

    /// Tokens as ranges of normalized scalars, with their term kind.
    private func forEachTokenRange(in normalized: NormalizedText, _ body: (Range<Int>, TermKind) -> Void) {
        segmenter.forEachToken(in: normalized) { token in
            switch token.kind {
            case .word, .formula: body(token.range, .word)
            case .number: body(token.range, .number)
            case .latin: body(token.range, .latin)
            case .punctuation, .whitespace, .symbol: break
            }
        }
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count * 3)
        for s in scalars { UTF8.encode(s) { utf8.append($0) } }
        return String(decoding: utf8, as: UTF8.self)
    }
}
