import Foundation
import Tifa

/// How `IndexBuilder` builds.
public struct IndexBuildOptions: Sendable {
    public enum Mode: Sendable { case incremental, rebuild }
    public enum SkipPolicy: Sendable { case report, fail }

    public var corpus = CorpusOptions()
    /// The analysis of every document: `Analyzer.Options()` but for domain words, which are
    /// never cut (`.whole`), so a count of one does not depend on its neighbours (DESIGN.md §7).
    public var analysis: Analyzer.Options = {
        var options = Analyzer.Options()
        options.domainWords = .whole
        return options
    }()
    /// What the inputs hold: a corpus to analyse, or `tifa analyze` records made elsewhere with
    /// the same `analysis` options (checked by fingerprint).
    public var source: Source = .corpus
    public enum Source: Sendable { case corpus, analyses }
    /// `.incremental` re-indexes only new or changed documents and drops removed ones;
    /// `.rebuild` starts from an empty index.
    public var mode: Mode = .incremental
    /// `.fail` makes an unreadable or undecodable document fatal (the target stays untouched).
    public var skipPolicy: SkipPolicy = .report
    /// Whether each document's text is stored for KWIC and text searches (`--no-texts`: `.omitted`).
    public var texts: TextStorage = .stored
    /// Analysis threads. Results do not depend on it.
    public var threads = usableCores
    /// Documents are analysed in batches of about this many bytes; with the queues this bounds
    /// the text held in memory to a few batches. An analysed batch holds several times its text
    /// (per-document term lists), and three or four are in flight: 2 MiB keeps that near 100 MB
    /// while batches stay large enough that workers rarely wait for each other.
    public var batchBytes = 2 << 20

    public init() {}
}

/// Whether an index holds its documents' texts (`text_data`, the `texts` view), which only KWIC
/// and searching a query as text read. Recorded as `meta.texts`; an index without the key (older
/// than it) stored them. Counts, statistics, formula occurrences and exports are the same either
/// way; without texts a build does no compression work for them and the index is about half the
/// size (DESIGN §6).
public enum TextStorage: String, Sendable {
    case stored
    /// `index build --no-texts`: `text_data` stays empty.
    case omitted

    /// The setting recorded in an index.
    static func recorded(in db: SQLiteDatabase, path: String) throws -> TextStorage {
        guard let value = try db.scalarText("SELECT value FROM meta WHERE key = 'texts'") else { return .stored }
        guard let storage = TextStorage(rawValue: value) else {
            throw IndexError(file: path, message: "meta.texts is `\(value)`, which this Tifa does not know (built by a newer Tifa?)")
        }
        return storage
    }

    /// What a command that needs the texts of an index built without them says.
    static func missing(in path: String, neededBy what: String) -> IndexError {
        IndexError(file: path, message: "\(what) needs the documents' texts, which this index does not store (built with --no-texts); rebuild it with texts: `tifa index build CORPUS --db \(path) --rebuild`")
    }
}

/// Progress of a build, reported from the writer thread after each batch.
public struct IndexProgress: Sendable {
    public var documents: Int
    public var bytes: Int
    /// Bytes of all files to read, 0 when unknown (stdin).
    public var totalBytes: Int
    public var elapsed: Double
}

/// What a build did.
public struct IndexBuildReport: Sendable {
    /// Documents analysed and stored (new or changed).
    public var indexed = 0
    /// Documents of changed files whose content was unchanged, kept without re-analysis.
    public var kept = 0
    /// Files not read at all because their size and modification time were unchanged.
    public var unchangedFiles = 0
    /// Documents removed (their file disappeared, or they left a changed file).
    public var removed = 0
    public var skipped: [CorpusSkip] = []
    /// Documents in which invalid bytes were replaced with U+FFFD.
    public var documentsWithReplacements = 0
    public var bytesRead = 0
    public var seconds = 0.0
    /// Why everything was re-indexed, when an existing index could not be updated in place.
    public var fullRebuildReason: String?
    /// Nothing changed: the index was not written.
    public var upToDate = false
    /// When only the user's dictionaries or lexicons changed: what changed, and how many
    /// unchanged documents held a changed entry and were analysed again (also counted in
    /// `indexed`; the others are in `kept`).
    public var wordListChange: WordListChange?
    /// Documents whose stored texts an update with `--no-texts` dropped (nil when none were).
    public var droppedTexts: Int?
    /// What the folder inputs held, files not read for their extension included.
    public var folders: [FolderListing] = []

    public struct WordListChange: Sendable, Equatable {
        /// Dictionary words and formulas added, removed or changed.
        public var changedEntries: Int
        /// The strings looked for in the documents.
        public var phrases: Int
        public var reanalyzed = 0
    }
    public var totalDocuments = 0
}
