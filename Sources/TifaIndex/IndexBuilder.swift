import Foundation
import Tifa

/// Builds or updates a Tifa index (an SQLite file, see `IndexSchema`) from a corpus.
///
/// Guarantees:
/// - **Atomic.** The build writes a copy (`DB.tmp-<pid>` next to the target: a new file, or a
///   copy of the previous index for an incremental update) and renames it over the target only
///   once it is complete and synced. Killing the process at any moment leaves either the previous
///   complete index or the new one. One build at a time: a second one on the same target
///   stops with a message (`FileReplacement`: a lock on `DB.lock`). The copy is removed on
///   failure, SIGINT, SIGTERM and SIGHUP; after SIGKILL, by the next build.
/// - **Incremental.** Files whose size and modification time are unchanged are not read.
///   Documents of changed files whose checksum is unchanged are kept without re-analysis; new and
///   changed documents are analysed; documents whose file is gone are dropped. Other user
///   dictionaries or lexicons alone re-analyse only the documents that hold a changed entry
///   (`WordListUpdate`); any other change of analyzer, data files or options (the fingerprint)
///   re-indexes everything.
/// - **Deterministic.** Document and term ids follow input order; results are identical for any
///   number of threads.
///
/// Cost: documents stream through a reader thread, `threads` analysis workers and one SQLite
/// writer; memory holds a few batches of text plus the vocabulary (term ids and statistics),
/// nothing per file of the corpus: the listing is walked, and an update is planned against the
/// previous index in SQLite (`BuildPlan`, DESIGN §6).
/// Incremental updates copy the index file once.
public enum IndexBuilder {
    /// Builds or updates the index; throws when it fails. The report (what was indexed, kept,
    /// removed and skipped) is a summary a caller may ignore.
    @discardableResult
    public static func build(inputs: [String], database: String, options: IndexBuildOptions,
                             progress: (@Sendable (IndexProgress) -> Void)? = nil) throws -> IndexBuildReport {
        let started = Date()
        var report = IndexBuildReport()
        // One writer at a time; temporary copies of killed builds go (see `FileReplacement`).
        try checkWritableFolder(of: database)
        let replacement = try FileReplacement(target: database, what: "index")
        defer { withExtendedLifetime(replacement) {} }

        let reader = try CorpusReader(inputs: inputs, options: options.corpus)
        // The data files are read and hashed once, for both fingerprints and the provenance.
        let hashedFiles = try Analyzer.hashedDataFiles(for: options.analysis)
        let fingerprint = Provenance.fingerprint(options: options, hashedFiles: hashedFiles)

        // Decide between a fresh build and an in-place update of a copy.
        var previous: ExistingIndex?
        var wordLists: WordListUpdate?
        switch IndexFileCheck.inspect(database) {
        case .absent, .empty:
            break
        case .damaged where options.mode == .rebuild:
            report.fullRebuildReason = "the existing index is damaged"
        default:
            // A damaged index stops an incremental build (ExistingIndex says what is wrong);
            // a file that is not a Tifa index is never overwritten.
            let existing = try ExistingIndex(path: database)
            if options.mode == .rebuild {
                previous = nil
            } else if !existing.complete {
                report.fullRebuildReason = "the existing index is incomplete"
            } else if existing.schemaVersion != IndexSchema.version {
                report.fullRebuildReason = "the existing index has schema version \(existing.schemaVersion), this Tifa writes \(IndexSchema.version)"
            } else if existing.fingerprint != fingerprint {
                switch try WordListUpdate.make(existing: existing, options: options, hashedFiles: hashedFiles) {
                case .success(let update):
                    previous = existing
                    wordLists = update
                    report.wordListChange = IndexBuildReport.WordListChange(changedEntries: update.change.entries, phrases: update.change.phrases.count)
                case .failure(let reason):
                    report.fullRebuildReason = reason.message
                }
            } else {
                previous = existing
            }
        }

        // Texts cannot be added to an index without them short of reading and analysing every
        // document again: that is a rebuild, which the user asks for (a forgotten --no-texts on
        // the update of a large index must not start hours of work).
        if let previous, previous.texts == .omitted, options.texts == .stored {
            throw IndexError(file: database, message: "was built with --no-texts, and storing texts needs every document read and analysed again; update it with --no-texts, or rebuild it with texts: `tifa index build CORPUS --db \(database) --rebuild`")
        }

        // Documents that may hold a changed word are found by reading every file again.
        let readEverything = wordLists?.phrases != nil
        let previousIndex = previous == nil ? nil : database
        // A first pass over the listing when an index exists (an index that is up to date is
        // not copied) or a progress line needs the bytes to read: a walk and one lookup a file
        // (DESIGN §6). Without a progress line it stops at the first file to read.
        var totalBytes = 0
        if previous != nil || progress != nil {
            let survey = try BuildPlan(files: reader.files, previousIndex: previousIndex, readEverything: readEverything)
            var toRead = 0, unchanged = 0
            while progress != nil || toRead == 0, let step = try survey.next() {
                switch step {
                case .read(let file, _): toRead += 1; totalBytes += file.size
                case .unchanged: unchanged += 1
                }
            }
            if let previous, previous.fingerprint == fingerprint, previous.texts == options.texts, toRead == 0, try !survey.anyRemovedFile() {
                report.upToDate = true
                report.unchangedFiles = unchanged
                report.totalDocuments = previous.documentCount
                report.seconds = Date().timeIntervalSince(started)
                report.folders = reader.files.folderListings
                return report
            }
            if progress == nil { totalBytes = 0 }
        }

        let temporary = replacement.temporary
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            if previous != nil {
                do { try FileManager.default.copyItem(atPath: database, toPath: temporary) } catch {
                    throw IndexError(file: temporary, message: "cannot copy the index for an incremental update (\(error.localizedDescription))")
                }
            }
            // The writer (and its connection) must be gone before the file is renamed.
            try {
                let writer = try IndexWriter(path: temporary, start: previous == nil ? .empty : .previousIndex, texts: options.texts)
                // Reads the previous index, not the copy the writer changes.
                let plan = try BuildPlan(files: reader.files, previousIndex: previousIndex, readEverything: readEverything)
                try writer.begin()
                if previous?.texts == .stored && options.texts == .omitted {
                    report.droppedTexts = try writer.dropStoredTexts()
                }
                try runPipeline(reader: reader, plan: plan, writer: writer, options: options, hashedFiles: hashedFiles, wordLists: wordLists?.phrases,
                                totalBytes: totalBytes, report: &report, started: started, progress: progress)
                if let wordLists { try wordLists.updateCategories(writer: writer, options: options) }
                try writer.finish(provenance: Provenance(inputs: inputs, options: options, hashedFiles: hashedFiles,
                                                         createdAt: previous?.createdAt))
                report.totalDocuments = writer.documentCount
            }()
            try replacement.commit()
        } catch let error as IndexError where error.file == temporary {
            // Errors of the copy (a full disk, a write error) are the user's --db's.
            try? FileManager.default.removeItem(atPath: temporary)
            throw IndexError(file: database, message: "cannot write the new index (\(error.message); writing \(temporary)); "
                             + (previous == nil && !FileManager.default.fileExists(atPath: database) ? "nothing was written" : "the previous index is unchanged"))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        report.folders = reader.files.folderListings
        return report
    }

    // MARK: Pipeline

    /// A unit of work in input order.
    enum WorkItem: @unchecked Sendable {
        /// A JSONL record read by the reader thread, to analyse.
        case analyze(Document, file: String)
        /// A record of a file of analyses: analysed elsewhere, to store.
        case analyzed(Document, DocumentAnalysis, file: String)
        /// A JSONL record whose content is unchanged.
        case keep(docID: Int64, source: String, bytes: Int)
        /// A JSONL record whose content is unchanged, kept unless it holds a changed word.
        case recheck(Document, docID: Int64, file: String)
        case skip(CorpusSkip)
        /// The end of a JSONL (or stdin) file; `untaken`: its documents in the previous index
        /// that no record matched, which go.
        case fileDone(CorpusFile, key: String, clean: Bool, untaken: [Int64])
        /// A text or HTML file: read, decoded (with encoding detection) and analysed by a worker,
        /// so that decoding runs on all cores too. `known`: its documents in the previous index.
        case readFile(CorpusFile, key: String, known: [DocumentIdentity: [Int64]])
        /// A file of the previous index that is no longer listed: its documents go.
        case removeFile(String)
    }

    /// What a worker made of one work item.
    enum Outcome: @unchecked Sendable {
        /// With the text compressed for storage when a worker analysed it (so the one writer
        /// thread does not compress every text).
        case analyzed(Document, DocumentAnalysis, storedText: SQLArchiveBlob?)
        case kept(docID: Int64, source: String)
        /// An unchanged document analysed again because it holds a changed dictionary word or
        /// formula; the previous row (`replacing`) goes.
        case reanalyzed(Document, DocumentAnalysis, storedText: SQLArchiveBlob?, replacing: Int64)
        case skipped(CorpusSkip)
    }

    struct Batch: @unchecked Sendable {
        var items: [WorkItem] = []
        var bytes = 0
    }

    /// `wordLists`: the changed words and formulas, when only they changed: unchanged documents
    /// that hold one are analysed again, the others kept. `totalBytes`: of the files to read,
    /// 0 when not counted.
    private static func runPipeline(reader: CorpusReader, plan: BuildPlan, writer: IndexWriter, options: IndexBuildOptions,
                                    hashedFiles: [Analyzer.HashedDataFile], wordLists: PhraseSet?, totalBytes: Int,
                                    report: inout IndexBuildReport, started: Date,
                                    progress: (@Sendable (IndexProgress) -> Void)?) throws {
        let threads = max(1, options.threads)
        let batches = BoundedQueue<Batch>(capacity: 2)
        let dispenser = ItemDispenser(batches: batches, inFlight: 2)
        let failure = FailureBox()
        // Used by the reader thread only.
        let listing = UncheckedSendable(plan)
        let batchBytes = options.batchBytes
        let source = options.source
        let fingerprint = source == .analyses ? Analyzer.fingerprint(for: options.analysis, hashedFiles: hashedFiles) : ""
        // CorpusReader is an immutable description of the corpus (its regular expression is
        // safe to share); the writer is used only by the writer thread.
        let corpus = UncheckedSendable(reader)
        // Before the reader and writer threads start: an analyzer that cannot be made (a user
        // dictionary with a bad line) must not leave them waiting for work that never comes.
        let analyzer = try Analyzer(options: options.analysis)
        let sink = UncheckedSendable(writer)

        // Reader: lists work in input order; JSONL records are read here (one file, many
        // documents, decided against the previous index in order), other files by the workers;
        // then the files that are gone.
        let box = ReportBox(report)
        let texts = options.texts
        let readerBody: @Sendable () -> Void = {
            var batch = Batch()
            func flush() {
                if !batch.items.isEmpty { batches.push(batch) }
                batch = Batch()
            }
            var unchanged = 0
            do {
                while !failure.isSet, let step = try listing.value.next() {
                    guard case .read(let file, let key) = step else {
                        unchanged += 1
                        continue
                    }
                    try readerWork(file, key: key)
                }
                if !failure.isSet { try listing.value.forEachRemovedFile { path in
                    batch.items.append(.removeFile(path))
                    if batch.items.count >= 4096 { flush() }
                } }
            } catch {
                failure.set(error)
            }
            box.update { $0.unchangedFiles = unchanged }
            flush()
            batches.close()

            func readerWork(_ file: CorpusFile, key: String) throws {
                if source == .corpus && (file.kind == .text || file.kind == .html) {
                    batch.items.append(.readFile(file, key: key, known: try listing.value.previousDocuments(ofFile: key)))
                    batch.bytes += file.size
                    if batch.bytes >= batchBytes || batch.items.count >= 1024 { flush() }
                    return
                }
                // Records, possibly millions: matched in SQLite, not in a dictionary.
                try listing.value.startRecords(ofFile: key)
                var clean = true
                func add(_ document: Document, _ analysis: DocumentAnalysis?) throws {
                    if let id = try listing.value.take(document) {
                        batch.items.append(wordLists == nil ? .keep(docID: id, source: document.source, bytes: document.byteCount)
                                           : .recheck(document, docID: id, file: key))
                    } else if let analysis {
                        batch.items.append(.analyzed(document, analysis, file: key))
                    } else {
                        batch.items.append(.analyze(document, file: key))
                    }
                    batch.bytes += document.byteCount
                }
                func skip(_ skip: CorpusSkip) {
                    clean = false
                    batch.items.append(.skip(skip))
                }
                // At most 1024 records a batch, as files: a batch's analyses (a few KB each) are
                // held until the writer takes it, and with 4096 tiny records a batch a build of
                // 300,000 of them peaked at 205 MB instead of 110 MB, in the same time.
                switch source {
                case .corpus:
                    for item in corpus.value.documents(in: file) {
                        switch item {
                        case .document(let document): try add(document, nil)
                        case .skipped(let s): skip(s)
                        }
                        if batch.bytes >= batchBytes || batch.items.count >= 1024 { flush() }
                        if failure.isSet { break }
                    }
                case .analyses:
                    for item in corpus.value.analyzedDocuments(in: file) {
                        switch item {
                        case .analyzed(let record):
                            guard record.analyzer == fingerprint else {
                                failure.set(IndexError(file: file.kind == .stdin ? "<stdin>" : file.path, message: "\(record.source) was analysed with other options or dictionaries (analyzer \(record.analyzer.prefix(12))…, this build \(fingerprint.prefix(12))…); give `index build` the options `tifa analyze` had"))
                                break
                            }
                            guard record.text != nil || texts == .omitted else {
                                failure.set(IndexError(file: file.kind == .stdin ? "<stdin>" : file.path, message: "\(record.source) has no text (made with `tifa analyze --no-text`): index such records with --no-texts"))
                                break
                            }
                            try add(record.document, record.analysis)
                        case .skipped(let s): skip(s)
                        }
                        if batch.bytes >= batchBytes || batch.items.count >= 1024 { flush() }
                        if failure.isSet { break }
                    }
                }
                batch.items.append(.fileDone(file, key: key, clean: clean, untaken: try listing.value.untakenRecords()))
            }
        }

        // Writer: one SQLite connection, items in input order.
        let writerBody: @Sendable () -> Void = {
            var documents = 0
            var bytes = 0
            let total = totalBytes
            func write(_ outcome: Outcome, file: String) throws {
                switch outcome {
                case .analyzed(let document, let analysis, let storedText):
                    try sink.value.insert(document, file: file, analysis: analysis, storedText: storedText)
                    box.update { $0.indexed += 1; if document.replacements > 0 { $0.documentsWithReplacements += 1 } }
                    documents += 1
                case .kept(let id, let source):
                    try sink.value.keep(docID: id, source: source)
                    box.update { $0.kept += 1 }
                    documents += 1
                case .reanalyzed(let document, let analysis, let storedText, let previous):
                    try write(.analyzed(document, analysis, storedText: storedText), file: file)
                    try sink.value.removeDocument(previous)
                    box.update { $0.wordListChange?.reanalyzed += 1; $0.removed += 1 }
                case .skipped(let skip):
                    if options.skipPolicy == .fail { throw skip }
                    try sink.value.recordSkip(skip)
                    box.update { $0.skipped.append(skip) }
                }
            }
            while let inProgress = dispenser.started.pop() {
                let batch = inProgress.batch
                let results = inProgress.waitForOutcomes()
                if failure.isSet { continue }
                do {
                    for (i, item) in batch.items.enumerated() {
                        switch item {
                        case .analyze(_, let file):
                            guard let outcome = results[i].first, case .analyzed = outcome else { continue }
                            try write(outcome, file: file)
                        case .analyzed(let document, let analysis, let file):
                            try write(.analyzed(document, analysis, storedText: nil), file: file)
                        case .keep(let id, let source, _):
                            try write(.kept(docID: id, source: source), file: "")
                        case .recheck(_, _, let file):
                            guard let outcome = results[i].first else { continue }
                            try write(outcome, file: file)
                        case .skip(let skip):
                            try write(.skipped(skip), file: "")
                        case .fileDone(let file, let key, let clean, let untaken):
                            try sink.value.finishFile(file, key: key, removing: untaken, outcome: clean ? .complete : .incomplete)
                            box.update { $0.removed += untaken.count }
                        case .readFile(let file, let key, let known):
                            var clean = true
                            var taken = Set<Int64>()
                            for outcome in results[i] {
                                switch outcome {
                                case .skipped: clean = false
                                case .kept(let id, _), .reanalyzed(_, _, _, let id): taken.insert(id)
                                case .analyzed: break
                                }
                                try write(outcome, file: key)
                            }
                            let untaken = known.values.flatMap { $0 }.filter { !taken.contains($0) }
                            try sink.value.finishFile(file, key: key, removing: untaken, outcome: clean ? .complete : .incomplete)
                            box.update { $0.removed += untaken.count }
                        case .removeFile(let path):
                            let removed = try sink.value.removeFile(path)
                            box.update { $0.removed += removed }
                        }
                    }
                    bytes += batch.bytes
                    box.update { $0.bytesRead = bytes }
                    progress?(IndexProgress(documents: documents, bytes: bytes, totalBytes: total, elapsed: Date().timeIntervalSince(started)))
                } catch {
                    failure.set(error)
                }
            }
            dispenser.started.finished()
        }
        // The writer first: if the reader cannot start, the writer is told there is no work.
        try startThread(named: "index writer", stackSize: 8 << 20, writerBody)
        do {
            try startThread(named: "corpus reader", stackSize: 8 << 20, readerBody)
        } catch {
            failure.set(error)
            batches.close()
            _ = dispenser.take()  // none: it closes the writer's queue
            dispenser.started.waitUntilFinished()
            throw error
        }

        // Analysis on `threads` workers (this thread one of them) that take items one at a
        // time across batches; outcomes are stored by item, so order never depends on timing.
        /// An unchanged document when the word lists changed: analysed again if its normalized
        /// text holds a changed word (only there can its analysis differ), else kept.
        @Sendable func recheck(_ document: Document, id: Int64, compressor: ArchiveCompressor?) -> Outcome {
            guard let wordLists, analyzer.normalizedText(of: document.text, contains: wordLists) else {
                return .kept(docID: id, source: document.source)
            }
            return .reanalyzed(document, analyzer.analyze(document.text, termTexts: .unpackedOnly), storedText: stored(document, compressor), replacing: id)
        }
        /// The text compressed for storage on the worker; nil, and no work at all, with `--no-texts`.
        @Sendable func stored(_ document: Document, _ compressor: ArchiveCompressor?) -> SQLArchiveBlob? {
            compressor.map { SQLArchiveBlob(document.text, compressor: $0) }
        }
        @Sendable func work() {
            let compressor = texts == .stored ? ArchiveCompressor() : nil
            while let (batch, i) = dispenser.take() {
                if failure.isSet {
                    batch.set(i, [])
                    continue
                }
                switch batch.batch.items[i] {
                case .analyze(let document, _):
                    batch.set(i, [.analyzed(document, analyzer.analyze(document.text, termTexts: .unpackedOnly), storedText: stored(document, compressor))])
                case .recheck(let document, let id, _):
                    batch.set(i, [recheck(document, id: id, compressor: compressor)])
                case .readFile(let file, _, let known):
                    var known = KnownDocuments(known)
                    var outcomes: [Outcome] = []
                    for item in corpus.value.documents(in: file) {
                        switch item {
                        case .document(let document):
                            if let id = known.take(document) {
                                outcomes.append(wordLists == nil ? .kept(docID: id, source: document.source) : recheck(document, id: id, compressor: compressor))
                            } else {
                                outcomes.append(.analyzed(document, analyzer.analyze(document.text, termTexts: .unpackedOnly), storedText: stored(document, compressor)))
                            }
                        case .skipped(let skip):
                            outcomes.append(.skipped(skip))
                        }
                    }
                    batch.set(i, outcomes)
                default:
                    batch.set(i, [])
                }
            }
        }
        // A worker that cannot start is not needed: this thread works through every item.
        for _ in 1..<threads { try? startThread(named: "analysis", stackSize: 8 << 20) { work() } }
        work()
        dispenser.started.waitUntilFinished()
        if let error = failure.error { throw error }
        report = box.report
    }

    // MARK: Files

    /// `path` absolute, without `.`/`..` components, repeated or trailing slashes: what the
    /// index records as a file's key.
    static func standardPath(_ path: String) -> String {
        // Listed corpus files are already standard; building a URL asks the file system whether
        // the path is a folder (a tenth of a second per 10,000 files).
        if CorpusFile.isStandardAbsolutePath(path) { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

extension IndexBuilder {
    /// The build writes its copy beside `database`: a missing or read-only folder is reported
    /// as the user named it, not as the temporary file SQLite failed to open.
    static func checkWritableFolder(of database: String) throws {
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IndexError(file: database, message: "cannot be written: the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw IndexError(file: database, message: "cannot be written: the folder \(folder) is not writable (\(String(cString: strerror(errno))))")
        }
    }
}
