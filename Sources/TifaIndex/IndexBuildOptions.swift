import Foundation
import Tifa

/// How `IndexBuilder` builds.
public struct IndexBuildOptions: Sendable {
    public enum Mode: Sendable { case incremental, rebuild }
    public enum SkipPolicy: Sendable { case report, fail }

    public var corpus = CorpusOptions()
    public var analysis = Analyzer.Options()
    /// What the inputs hold: a corpus to analyse, or `tifa analyze` records made elsewhere with
    /// the same `analysis` options (checked by fingerprint).
    public var source: Source = .corpus
    public enum Source: Sendable { case corpus, analyses }
    /// `.incremental` re-indexes only new or changed documents and drops removed ones;
    /// `.rebuild` starts from an empty index.
    public var mode: Mode = .incremental
    /// `.fail` makes an unreadable or undecodable document fatal (the target stays untouched).
    public var skipPolicy: SkipPolicy = .report
    /// Analysis threads. Results do not depend on it.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Documents are analysed in batches of about this many bytes; with the queues this bounds
    /// the text held in memory to a few batches. An analysed batch holds several times its text
    /// (per-document term lists), and three or four are in flight: 2 MiB keeps that near 100 MB
    /// while batches stay large enough that workers rarely wait for each other.
    public var batchBytes = 2 << 20

    public init() {}
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

    public struct WordListChange: Sendable, Equatable {
        /// Dictionary words and formulas added, removed or changed.
        public var changedEntries: Int
        /// The strings looked for in the documents.
        public var phrases: Int
        public var reanalyzed = 0
    }
    public var totalDocuments = 0
}
