import Foundation
import Tifa

/// The single writer of a build: prepared statements in one long transaction on the temporary
/// copy (journal off: the copy is thrown away on failure, so SQLite need not be able to roll back).
/// The page cache is 32 MiB: rows are appended in key order, so a larger cache only delayed
/// writing (at 128 MiB SQLite held most of a 100 MB corpus's index in memory until the end).
final class IndexWriter {
    let db: SQLiteDatabase
    /// Term ids, statistics and the document being inserted's counts (see `IndexVocabulary`).
    private var vocabulary = IndexVocabulary()
    private var nextDocID: Int64 = 1
    private(set) var documentCount = 0
    /// Whether documents' texts are written (`meta.texts`).
    let texts: TextStorage
    /// Texts were dropped from a copy of the previous index: `finish` compacts the file.
    private var droppedTexts = false

    private let insertDocument, insertMeta, insertText, insertTerm, insertDocTerm, insertFormula: SQLiteStatement
    private let updateSource, insertSkip, upsertFile, selectDocTerms, deleteDocTerms, deleteFormulas,
        deleteMeta, deleteText, deleteDocument, selectDocsOfFile: SQLiteStatement

    /// What the file at `path` holds when the writer opens it.
    enum Start {
        /// Nothing yet: the writer creates the schema.
        case empty
        /// A copy of the previous index, to be updated.
        case previousIndex
    }

    init(path: String, start: Start, texts: TextStorage) throws {
        self.texts = texts
        db = try SQLiteDatabase(path: path, mode: [.readWrite, .create])
        try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -32768; ")
        if start == .empty {
            // 1 KiB pages: every document has two blobs of a few KiB (its compressed text and
            // term counts), and each leaves on average half a page unused at its end. The index
            // of the generated 1 MB corpus is 1.13x the text with 1 KiB pages, 1.28x with 4 KiB,
            // 1.36x with 8 KiB (10 MB: 0.91x, 1.0x, 1.04x).
            try db.execute("PRAGMA page_size = 1024; PRAGMA application_id = \(IndexSchema.applicationID); PRAGMA user_version = \(IndexSchema.version);")
            try db.execute(IndexSchema.tables)
            // The views now: the writer reads a document's counts back through `doc_terms`.
            try db.execute(IndexSchema.views)
        }
        insertDocument = try db.prepare("INSERT INTO documents (doc_id, name, source, file, year, metadata, chars, tokens, bytes, encoding, replacements, checksum) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        insertMeta = try db.prepare("INSERT OR REPLACE INTO document_meta (doc_id, key, value) VALUES (?,?,?)")
        insertText = try db.prepare("INSERT INTO text_data (doc_id, bytes, data) VALUES (?,?,?)")
        insertTerm = try db.prepare("INSERT INTO terms (term_id, text, kind, category, df, cf) VALUES (?,?,?,?,?,?)")
        insertDocTerm = try db.prepare("INSERT INTO doc_term_data (doc_id, bytes, data) VALUES (?,?,?)")
        insertFormula = try db.prepare("INSERT OR IGNORE INTO formula_occurrences (doc_id, term_id, start, \"end\", surface, within_term_id, within_start, within_end) VALUES (?,?,?,?,?,?,?,?)")
        updateSource = try db.prepare("UPDATE documents SET source = ? WHERE doc_id = ?")
        insertSkip = try db.prepare("INSERT INTO skipped (source, reason) VALUES (?,?)")
        upsertFile = try db.prepare("INSERT OR REPLACE INTO files (path, kind, size, mtime) VALUES (?,?,?,?)")
        selectDocTerms = try db.prepare("SELECT term_id, count FROM doc_terms WHERE doc_id = ?")
        deleteDocTerms = try db.prepare("DELETE FROM doc_term_data WHERE doc_id = ?")
        deleteFormulas = try db.prepare("DELETE FROM formula_occurrences WHERE doc_id = ?")
        deleteMeta = try db.prepare("DELETE FROM document_meta WHERE doc_id = ?")
        deleteText = try db.prepare("DELETE FROM text_data WHERE doc_id = ?")
        deleteDocument = try db.prepare("DELETE FROM documents WHERE doc_id = ?")
        selectDocsOfFile = try db.prepare("SELECT doc_id FROM documents WHERE file = ? ORDER BY doc_id")
        if start == .previousIndex { try loadVocabulary() }
    }

    private func loadVocabulary() throws {
        let t = try db.prepare("SELECT term_id, text, kind, df, cf FROM terms")
        while try t.step() {
            guard let kind = TermKind(rawValue: t.text(2) ?? "") else { continue }
            vocabulary.load(TermKey(text: t.text(1) ?? "", kind: kind), id: t.int(0), df: t.int(3), cf: t.int(4))
        }
        vocabulary.startNewTerms(after: try db.scalarInt("SELECT MAX(term_id) FROM terms") ?? 0)
        nextDocID = (try db.scalarInt("SELECT MAX(doc_id) FROM documents") ?? 0) + 1
    }

    func begin() throws {
        try db.execute("BEGIN; DELETE FROM skipped;")
    }

    /// Stores a document and its analysis; `storedText` is its text already compressed, if any
    /// (nothing of the text is stored when `texts` is `.omitted`).
    func insert(_ document: Document, file: String, analysis: DocumentAnalysis, storedText: SQLArchiveBlob? = nil) throws {
        let id = nextDocID
        nextDocID += 1
        let metadata = "{" + document.metadata.keys.sorted().map { "\(JSON.quote($0)):\(JSON.quote(document.metadata[$0]!))" }.joined(separator: ",") + "}"
        try insertDocument.run([.int(id), .text(document.id), .text(document.source), .text(file),
                                document.year.map { .int(Int64($0)) } ?? .null, .text(metadata),
                                .int(Int64(analysis.characterCount)), .int(Int64(analysis.tokenCount)), .int(Int64(document.byteCount)),
                                .text(document.encoding.description), .int(Int64(document.replacements)), .text(document.checksum)])
        for key in document.metadata.keys.sorted() {
            try insertMeta.run([.int(id), .text(key), .text(document.metadata[key]!)])
        }
        if texts == .stored {
            try insertText.run(id, storedText ?? SQLArchiveBlob(document.text, compressor: compressor))
        }
        // A formula's category is needed only when it becomes a new term: found then, not
        // hashed into a dictionary for every document.
        let formulas = analysis.formulas
        func category(of formula: String) -> String? {
            formulas.last { $0.category != nil && $0.formula == formula }?.category?.rawValue
        }
        let formulaIDs = vocabulary.count(analysis, category: category)
        func formulaID(_ formula: String, category: @autoclosure () -> String?) -> Int64 {
            formulaIDs.id(of: formula) ?? vocabulary.termID(for: TermKey(text: formula, kind: .formula), category: category())
        }
        try insertDocTerm.run(id, vocabulary.withDocumentTermsJSON { SQLArchiveBlob(utf8: $0, compressor: compressor) })
        for f in analysis.formulas {
            let termID = formulaID(f.formula, category: f.category?.rawValue)
            let outer = f.within
            try insertFormula.run(id, termID, Int64(f.sourceRange.lowerBound), Int64(f.sourceRange.upperBound), f.surface,
                                  outer.map { formulaID($0.formula, category: category(of: $0.formula)) },
                                  outer.map { Int64($0.sourceRange.lowerBound) }, outer.map { Int64($0.sourceRange.upperBound) })
        }
    }

    private let compressor = ArchiveCompressor()

    /// Sets the category of an existing formula term (its lexicon entry changed; new terms get
    /// theirs when inserted).
    func setCategory(_ category: String?, ofFormula formula: String) throws {
        try db.prepare("UPDATE terms SET category = ? WHERE kind = 'formula' AND text = ?")
            .run([category.map { .text($0) } ?? .null, .text(formula)])
    }

    /// Deletes every stored text of the copy (an update to `--no-texts`); returns how many.
    /// The file is compacted when the build finishes, so the index really shrinks.
    func dropStoredTexts() throws -> Int {
        let count = Int(try db.scalarInt("SELECT COUNT(*) FROM text_data") ?? 0)
        try db.execute("DELETE FROM text_data")
        droppedTexts = true
        return count
    }

    func keep(docID: Int64, source: String) throws {
        try updateSource.run([.text(source), .int(docID)])
    }

    func recordSkip(_ skip: CorpusSkip) throws {
        try insertSkip.run([.text(skip.source), .text(skip.reason)])
    }

    /// How a re-read file ended.
    enum FileOutcome {
        /// Every document of it was read: recorded as indexed, so an unchanged file is not read again.
        case complete
        /// Some of it was skipped: not recorded, so the next build tries it again.
        case incomplete
    }

    /// After a re-read file: drops its previous documents that no document of it matched
    /// (`removing`), and records the file as indexed when `outcome` is `.complete`.
    func finishFile(_ file: CorpusFile, key: String, removing untaken: [Int64], outcome: FileOutcome) throws {
        for id in untaken { try removeDocument(id) }
        if outcome == .complete && file.kind != .stdin {
            try upsertFile.run([.text(key), .text(file.kind.rawValue), .int(Int64(file.size)), .double(file.modified.timeIntervalSince1970)])
        } else {
            try db.prepare("DELETE FROM files WHERE path = ?").run([.text(key)])
        }
    }

    /// Drops every document of a file that is no longer in the corpus.
    func removeFile(_ path: String) throws -> Int {
        var ids: [Int64] = []
        try selectDocsOfFile.bind([.text(path)])
        while try selectDocsOfFile.step() { ids.append(selectDocsOfFile.int(0)) }
        for id in ids { try removeDocument(id) }
        try db.prepare("DELETE FROM files WHERE path = ?").run([.text(path)])
        return ids.count
    }

    /// Drops a document and its rows, and its counts from the term statistics.
    func removeDocument(_ id: Int64) throws {
        try selectDocTerms.bind([.int(id)])
        while try selectDocTerms.step() {
            let termID = selectDocTerms.int(0)
            vocabulary.remove(termID, count: selectDocTerms.int(1))
        }
        for statement in [deleteDocTerms, deleteFormulas, deleteMeta, deleteText, deleteDocument] {
            try statement.run([.int(id)])
        }
    }

    /// Writes the terms with their statistics and the provenance, then commits.
    func finish(provenance: Provenance) throws {
        let update = try db.prepare("UPDATE terms SET df = ?, cf = ? WHERE term_id = ?")
        let dropTerm = try db.prepare("DELETE FROM terms WHERE term_id = ?")
        let stats = vocabulary.stats
        for termID in stats.changedIDs where termID < vocabulary.firstNewTermID {
            let s = stats[termID]!
            if s.df > 0 {
                try update.run([.int(s.df), .int(s.cf), .int(termID)])
            } else {
                try dropTerm.run([.int(termID)])
            }
        }
        for (i, term) in vocabulary.newTerms.enumerated() {
            let id = vocabulary.firstNewTermID + Int64(i)
            guard let s = stats[id], s.df > 0 else { continue }
            try insertTerm.run([.int(id), .text(term.key.text), .text(term.key.kind.rawValue), term.category.map { .text($0) } ?? .null,
                                .int(s.df), .int(s.cf)])
        }
        vocabulary.forgetNewTerms()

        try db.execute("DELETE FROM resources")
        let resource = try db.prepare("INSERT INTO resources (name, kind, path, sha256, bytes) VALUES (?,?,?,?,?)")
        for r in provenance.resources {
            try resource.run([.text(r.name), .text(r.kind), .text(r.path), .text(r.sha256), .int(Int64(r.bytes))])
        }
        documentCount = Int(try db.scalarInt("SELECT COUNT(*) FROM documents") ?? 0)
        let tokens = try db.scalarInt("SELECT COALESCE(SUM(tokens), 0) FROM documents") ?? 0
        let now = Provenance.now
        let meta: [(String, String)] = [
            ("tifa_version", Tifa.version),
            ("schema_version", String(IndexSchema.version)),
            ("sqlite_version", SQLiteDatabase.libraryVersion),
            ("icu_version", ICU.version),
            ("analyzer", Analyzer.identity),
            ("options", provenance.optionsJSON),
            ("inputs", String(decoding: try JSONEncoder.sorted.encode(provenance.inputs), as: UTF8.self)),
            ("fingerprint", provenance.fingerprint),
            ("created_at", provenance.createdAt ?? now),
            ("updated_at", now),
            ("documents", String(documentCount)),
            ("tokens", String(tokens)),
            ("texts", texts.rawValue),
            ("build_complete", "1"),
        ]
        let m = try db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)")
        for (k, v) in meta { try m.run([.text(k), .text(v)]) }
        if let lists = provenance.wordLists {
            try m.run([.text("fingerprint_without_word_lists"), .text(lists.fingerprint)])
            try m.run([.text("user_word_lists"), .text(lists.json)])
        } else {
            try db.execute("DELETE FROM meta WHERE key IN ('fingerprint_without_word_lists', 'user_word_lists')")
        }
        try db.execute("COMMIT")
        // Deleted texts leave free pages (about half of the file) that only VACUUM gives back.
        if droppedTexts { try db.execute("VACUUM") }
        try db.execute("PRAGMA optimize")
    }
}
