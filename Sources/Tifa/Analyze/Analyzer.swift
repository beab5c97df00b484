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
    /// /3: segmentation changed in code, not only in data files (decimals in Chinese numerals,
    /// person names and domain words of 5+ characters kept whole against the model), so an
    /// index built before is analysed again rather than updated with stale tokens.
    /// /4: the text read changed in code: an HTML page's `<title>` is left out where the page
    /// repeats it, and the headlines under a related-links heading are chrome (the rules file
    /// changed too, but an HTML file's bytes did not), so such an index is analysed again.
    public static let identity = "tifa-segmenter+formula-matcher/4"

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
        /// The trained segmentation model (`--model FILE`, `--no-model`).
        public var model: Segmenter.Options.Model = .shipped
        /// Whether the model may re-cut domain words of 2–4 characters (nil: it may, the default;
        /// `.whole`: `--whole-domain-words`). Optional so that options without it encode as before
        /// and indexes built before it keep their fingerprint.
        public var domainWords: Segmenter.Options.DomainWords?
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
            model = try c.decodeIfPresent(Segmenter.Options.Model.self, forKey: .model) ?? d.model
            domainWords = try c.decodeIfPresent(Segmenter.Options.DomainWords.self, forKey: .domainWords)
            formulaCoverage = try c.decodeIfPresent(FormulaCoverage.self, forKey: .formulaCoverage) ?? d.formulaCoverage
        }

        /// The options as canonical JSON (sorted keys): what indexes store and fingerprint.
        public var json: String {
            // Encoding plain strings, numbers and enums cannot fail.
            String(decoding: try! JSONEncoder.sorted.encode(self), as: UTF8.self)
        }
    }

    /// A data file the analysis depends on: its content is hashed into an index's provenance.
    public struct DataFile: Sendable, Equatable {
        public enum Role: String, Sendable, Equatable, Codable {
            case normalization, segmentation, lexicon
            case userDictionary = "user-dictionary"
            case userLexicon = "user-lexicon"
            case userModel = "user-model"
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
    /// Working memory of finished analyses, for the next ones (see `AnalysisScratchPool`).
    private let scratchPool = AnalysisScratchPool()

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
        s.model = options.model
        s.domainWords = options.domainWords ?? .model
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
            try shipped("mixed_words.txt", .segmentation)
            try shipped("taiwan_words.txt", .segmentation)
            try shipped("person_names.txt", .segmentation)
            try shipped("places.tsv", .segmentation)
            try shipped("non_noun_words.txt", .segmentation)
        }
        try shipped("segmentation_rules.tsv", .segmentation)
        try shipped("number_units.tsv", .segmentation)
        if options.segmentation != .icuOnly {
            switch options.model {
            case .shipped: try shipped("segmentation_model.bin", .segmentation)
            case .file(let url): files.append(try user(url.path, .userModel))
            case .none: break
            }
        }
        if options.shippedLexicon == .used { try shipped("policy_formulas.tsv", .lexicon) }
        // What the matcher reads besides the lexicon (FalseFriendFilters).
        try shipped("formula_false_friends.tsv", .lexicon)
        try shipped("discovery_stoplist.txt", .lexicon)
        for path in options.dictionaries { files.append(try user(path, .userDictionary)) }
        for path in options.lexicons { files.append(try user(path, .userLexicon)) }
        return files
    }

    /// A data file with the SHA-256 of its content, read once: an index build hashes its files
    /// for the fingerprint, the fingerprint without word lists and the provenance alike.
    package struct HashedDataFile: Sendable, Equatable {
        package var file: DataFile
        package var sha256: String
        package var byteCount: Int
    }

    /// `dataFiles(for:)`, each file read and hashed. Throws like `dataFiles(for:)`, or
    /// `DataFileError` for an unreadable file.
    package static func hashedDataFiles(for options: Options) throws -> [HashedDataFile] {
        try dataFiles(for: options).map { file in
            let data = try DataFiles.contents(ofDataFile: file.url)
            return HashedDataFile(file: file, sha256: SHA256.hex(data), byteCount: data.count)
        }
    }

    /// Changes whenever analysing a document with `options` could give another result: a hash of
    /// `identity`, ICU's version, the options and the content of every data file. User files
    /// count by content, not path, so machines that keep the same files in other places (a
    /// cluster's executors) agree. Throws like `hashedDataFiles(for:)`.
    public static func fingerprint(for options: Options) throws -> String {
        fingerprint(for: options, hashedFiles: try hashedDataFiles(for: options))
    }

    /// The fingerprint without the content of the user's dictionaries and lexicons: equal for
    /// options that differ only in those, whose change `UserWordLists` tracks entry by entry.
    public static func fingerprintWithoutUserWordLists(for options: Options) throws -> String {
        fingerprintWithoutUserWordLists(for: options, hashedFiles: try hashedDataFiles(for: options))
    }

    /// `fingerprint(for:)` of files hashed already (`hashedDataFiles(for: options)`).
    package static func fingerprint(for options: Options, hashedFiles: [HashedDataFile]) -> String {
        fingerprint(for: options, hashedFiles) { _ in true }
    }

    /// `fingerprintWithoutUserWordLists(for:)` of files hashed already.
    package static func fingerprintWithoutUserWordLists(for options: Options, hashedFiles: [HashedDataFile]) -> String {
        fingerprint(for: options, hashedFiles) { $0 != .userDictionary && $0 != .userLexicon }
    }

    private static func fingerprint(for options: Options, _ hashedFiles: [HashedDataFile], including: (DataFile.Role) -> Bool) -> String {
        var location = options
        location.dictionaries = []
        location.lexicons = []
        var text = "analyzer=\(identity)\nicu=\(ICU.version)\noptions=\(location.json)\n"
        for hashed in hashedFiles where including(hashed.file.role) {
            let file = hashed.file
            let name = file.role == .userDictionary || file.role == .userLexicon ? "" : file.name
            text += "\(file.role.rawValue) \(name)=\(hashed.sha256)\n"
        }
        return SHA256.hex(Array(text.utf8))
    }

    private static func user(_ path: String, _ role: DataFile.Role) throws -> DataFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataFileError(file: path, message: "no such \(role == .userDictionary ? "dictionary" : role == .userModel ? "model" : "lexicon")")
        }
        return DataFile(name: path, role: role, url: URL(fileURLWithPath: path))
    }

    /// Analyses one document's decoded text. Deterministic: the same text and options give the
    /// same result, term order included.
    ///
    /// A long document is analysed in pieces of about `pieceLength` code points, cut after a line
    /// break (after 。！？；when a piece has none), so memory stays bounded whatever its length:
    /// normalization, segmentation and formula matching never look across a line, so the result
    /// is that of the whole text.
    public func analyze(_ text: String, detail: Detail = .counts) -> DocumentAnalysis {
        analyze(text, detail: detail, pieceLength: Self.pieceLength)
    }

    /// Which terms of an analysis carry their text.
    package enum TermTexts {
        /// Every term (what `analyze` returns).
        case all
        /// Only terms without a packed key: the others have an empty `text`, which
        /// `DocumentAnalysis.packedKeys` gives (`PackedTerm.text`). For an index writer, which
        /// needs the text of a term only the first time it sees it: a string per distinct term
        /// of every document was a fiftieth of a build.
        case unpackedOnly
    }

    /// `analyze(_:detail:)` with the texts of packed terms left out or not.
    package func analyze(_ text: String, detail: Detail = .counts, termTexts: TermTexts) -> DocumentAnalysis {
        analyze(text, detail: detail, pieceLength: Self.pieceLength, termTexts: termTexts)
    }

    func analyze(_ text: String, detail: Detail, pieceLength: Int, termTexts: TermTexts = .all) -> DocumentAnalysis {
        // Report text has about one distinct term per 15 UTF-8 bytes: most documents never grow it.
        let expectedTerms = min(text.utf8.count / 12, 1 << 16)
        var scratch = scratchPool.take() ?? AnalysisScratch(counts: PackedTermTable(capacity: expectedTerms))
        scratch.counts.removeAll(expecting: expectedTerms)
        var counter = TermCounter(table: scratch.counts, detail: detail, termTexts: termTexts)
        scratch.counts = .unallocated
        defer {
            scratch.counts = counter.packedCounts
            counter.packedCounts = .unallocated
            scratchPool.give(back: &scratch)
        }
        var characterCount = 0
        var formulas: [FormulaOccurrence] = []
        Self.forEachPiece(of: text, pieceLength: pieceLength) { piece in
            characterCount += piece.scalars.count
            let normalized = normalizer.normalize(piece)
            counter.count(normalized, segmenter: segmenter)
            formulas += self.formulas(in: normalized, original: piece, symbols: &scratch.symbols)
        }
        var terms = counter.terms
        counter.terms = []
        var formulaSlots = TermSlots()
        for f in formulas {
            if let i = formulaSlots.slot(of: f.formula, kind: .formula, insertingIfAbsent: terms.count) {
                terms[i].count += 1
            } else {
                terms.append(TermCount(text: f.formula, kind: .formula, count: 1))
            }
        }
        var analysis = DocumentAnalysis(characterCount: characterCount, tokenCount: counter.tokenCount,
                                        terms: terms, formulas: formulas, tokens: counter.tokens)
        analysis.packedKeys = counter.packedKeys
        return analysis
    }

    /// Code points analysed at once, at most (about 12 bytes each while analysed).
    public static let pieceLength = 1 << 20

    /// Calls `body` with consecutive pieces of `text` that together are the whole text, each of
    /// at most `pieceLength` code points and cut after a line break where possible (see
    /// `analyze`); `startOffset` is the piece's offset in `text`.
    public static func forEachPiece(of text: String, pieceLength: Int = pieceLength, _ body: (TextChunk) -> Void) {
        // Most documents are one piece: no scan (UTF-8 bytes ≥ code points).
        if text.utf8.count <= pieceLength {
            body(TextChunk(scalars: scalars(of: text), startOffset: 0))
            return
        }
        var buffer: [Unicode.Scalar] = []
        buffer.reserveCapacity(pieceLength)
        var offset = 0
        func emit(upTo cut: Int) {
            body(TextChunk(scalars: Array(buffer[..<cut]), startOffset: offset))
            offset += cut
            buffer.removeFirst(cut)
        }
        for scalar in text.unicodeScalars {
            buffer.append(scalar)
            if buffer.count >= pieceLength { emit(upTo: cut(buffer)) }
        }
        if !buffer.isEmpty { emit(upTo: buffer.count) }
    }

    /// The scalars of `text` in one pass over its UTF-8 (`Array(text.unicodeScalars)` counts
    /// them first, then decodes them again).
    static func scalars(of text: String) -> [Unicode.Scalar] {
        var text = text
        return text.withUTF8 { utf8 in
            [Unicode.Scalar](unsafeUninitializedCapacity: utf8.count) { buffer, count in
                // Valid UTF-8 (a Swift string): the lead byte tells the length.
                var i = 0, n = 0
                let end = utf8.count
                while i < end {
                    let b0 = UInt32(utf8[i])
                    var value: UInt32
                    if b0 < 0x80 {
                        value = b0; i += 1
                    } else if b0 < 0xE0 {
                        value = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F); i += 2
                    } else if b0 < 0xF0 {
                        value = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F); i += 3
                    } else {
                        value = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6 | UInt32(utf8[i + 3] & 0x3F); i += 4
                    }
                    buffer[n] = Unicode.Scalar(value).unsafelyUnwrapped
                    n += 1
                }
                count = n
            }
        }
    }

    /// Where to end a full piece: after its last line break, else after its last sentence end,
    /// else (a run of `pieceLength` characters without either) at its end.
    static func cut(_ scalars: [Unicode.Scalar]) -> Int {
        if let i = scalars.lastIndex(of: "\n") { return i + 1 }
        if let i = scalars.lastIndex(where: { $0 == "。" || $0 == "！" || $0 == "？" || $0 == "；" }) { return i + 1 }
        return scalars.count
    }

    /// Every counted token (no punctuation, whitespace or symbols) with its original range.
    public func tokens(in text: String) -> [AnalyzedToken] {
        tokens(in: text) { _ in }
    }

    /// `tokens(in:)`, handing `piece` the normalized text of each piece the tokens are cut from
    /// (its `sourceRange` maps back to `text`), so a caller looking at that text too does not
    /// normalize it again.
    public func tokens(in text: String, piece: (NormalizedText) -> Void) -> [AnalyzedToken] {
        var result: [AnalyzedToken] = []
        Self.forEachPiece(of: text) { chunk in
            let normalized = normalizer.normalize(chunk)
            piece(normalized)
            forEachTokenRange(in: normalized) { range, kind in
                result.append(AnalyzedToken(text: UTF8Writer.string(normalized.scalars[range]), kind: kind, sourceRange: normalized.sourceRange(range)))
            }
        }
        return result
    }

    /// The formulas of the analyzer's lexicon in `text`, in order of position.
    public func formulas(in text: String) -> [FormulaOccurrence] {
        var result: [FormulaOccurrence] = []
        Self.forEachPiece(of: text) { result += formulas(in: normalizer.normalize($0), original: $0) }
        return result
    }

    /// The formulas of one piece; `original` is the piece before normalization.
    private func formulas(in normalized: NormalizedText, original: TextChunk) -> [FormulaOccurrence] {
        var symbols: [FormulaText.Symbol] = []
        return formulas(in: normalized, original: original, symbols: &symbols)
    }

    /// `formulas(in:original:)` with the folded symbols in `symbols` (kept across pieces).
    private func formulas(in normalized: NormalizedText, original: TextChunk, symbols: inout [FormulaText.Symbol]) -> [FormulaOccurrence] {
        let count = FormulaText.fold(normalized.scalars, into: &symbols)
        let matches = symbols.withUnsafeBufferPointer {
            formulaMatcher.matches(in: normalized, symbols: UnsafeBufferPointer(rebasing: $0[..<count]),
                                   coverage: options.formulaCoverage, context: .none)
        }
        guard !matches.isEmpty else { return [] }
        return matches.map { m in
            let surface = UTF8Writer.string(original.scalars[(m.sourceRange.lowerBound - original.startOffset)..<(m.sourceRange.upperBound - original.startOffset)])
            return FormulaOccurrence(formula: m.formula, category: m.category, sourceRange: m.sourceRange, surface: surface,
                                     within: m.within.map { FormulaOccurrence.Outer(formula: $0.formula, sourceRange: $0.sourceRange) })
        }
    }

    /// Tokens as ranges of normalized scalars, with their term kind.
    private func forEachTokenRange(in normalized: NormalizedText, _ body: (Range<Int>, TermKind) -> Void) {
        segmenter.forEachSpan(in: normalized) { range, kind, _ in
            if let kind = TermKind(counting: kind) { body(range, kind) }
        }
    }
}

/// What an analysis works in besides its result: the counting table and the folded symbols
/// of formula matching. Allocating, zeroing and page-faulting them in for every document (tens of
/// KiB for a report, more than the mmap threshold for a long one) was a sixth of the
/// per-document cost outside segmentation.
struct AnalysisScratch {
    var counts: PackedTermTable
    var symbols: [FormulaText.Symbol] = []
}

/// The scratch of an analyzer's finished analyses, handed to the next ones: one per thread
/// analysing at a time. Scratch grown by a long document past `largestTable` slots (2 MiB) or
/// `largestSymbols` symbols (4 MiB) is dropped rather than kept.
final class AnalysisScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [AnalysisScratch] = []
    static let largestTable = 1 << 16
    static let largestSymbols = 1 << 18

    func take() -> AnalysisScratch? {
        lock.withLock { kept.popLast() }
    }

    /// Empties `scratch` and keeps it for a later `take()`.
    func give(back scratch: inout AnalysisScratch) {
        guard scratch.counts.slotCount <= Self.largestTable, scratch.symbols.count <= Self.largestSymbols else { return }
        scratch.counts.removeAll()
        let emptied = scratch
        scratch = AnalysisScratch(counts: .unallocated)
        lock.withLock { kept.append(emptied) }
    }
}
