import Foundation
import Tifa

/// Which listed files an index build reads, decided one file at a time in input order, and
/// which files of the previous index are gone — without holding the corpus's list of files.
///
/// A file whose size, modification time and kind are those the previous index recorded is
/// unchanged (not read), unless `readEverything`; stdin is always read. A file listed twice
/// (overlapping inputs) is planned once, at its first place.
///
/// Cost: what the old plan held per file (the listing, a set of listed paths, the previous
/// index's files by path, the previous documents of every file to read: about 700 bytes a
/// file on an incremental build) is now in SQLite. The previous index is read through its own
/// read-only connection (the build owns it: nothing else writes it), one lookup a file; the
/// paths already listed, which find duplicates and, at the end, the vanished files, go into a
/// temporary table of that connection, whose pages SQLite keeps in a small cache and spills to
/// a temporary file. A fresh build of one input needs neither and opens nothing.
final class BuildPlan {
    enum Step {
        /// To read: new, changed or stdin (or any file, when `readEverything`). `key`: the path
        /// the index records (`IndexBuilder.standardPath`; "-" for stdin).
        case read(CorpusFile, key: String)
        /// As the previous index recorded it: its documents are kept without reading it.
        case unchanged(CorpusFile)
    }

    private var listing: CorpusFileList.Iterator
    private let readEverything: Bool
    private let db: SQLiteDatabase?
    private let markListed, selectFile, selectDocuments: SQLiteStatement?

    /// `previousIndex`: the path of the index being updated, nil for a fresh build.
    init(files: CorpusFileList, previousIndex: String?, readEverything: Bool) throws {
        listing = files.makeIterator()
        self.readEverything = readEverything
        if let previousIndex {
            db = try SQLiteDatabase(path: previousIndex, mode: .readOnly)
        } else if files.inputs.count > 1 {
            // "": a private temporary database, on disk once it outgrows its cache.
            db = try SQLiteDatabase(path: "", mode: [.readWrite, .create])
        } else {
            db = nil
        }
        // One transaction for the whole plan: SQLite would otherwise lock and unlock the file
        // (two fcntl calls) and commit the temporary table for every statement, a fifth of the
        // time of a listing that finds nothing to read.
        try db?.execute("BEGIN; CREATE TEMP TABLE listed (path TEXT PRIMARY KEY) WITHOUT ROWID")
        markListed = try db?.prepare("INSERT OR IGNORE INTO temp.listed (path) VALUES (?)")
        if previousIndex != nil {
            selectFile = try db?.prepare("SELECT kind, size, mtime FROM main.files WHERE path = ?")
            selectDocuments = try db?.prepare("SELECT doc_id, name, checksum FROM main.documents WHERE file = ? ORDER BY doc_id")
        } else {
            selectFile = nil
            selectDocuments = nil
        }
    }

    /// The next listed file and what to do with it; nil at the end of the listing.
    func next() throws -> Step? {
        while let file = listing.next() {
            let key = file.kind == .stdin ? "-" : IndexBuilder.standardPath(file.path)
            if let markListed, let db {
                try markListed.run([.text(key)])
                guard db.changes > 0 else { continue }
            }
            if !readEverything, file.kind != .stdin, let selectFile {
                try selectFile.bind([.text(key)])
                defer { selectFile.reset() }
                if try selectFile.step(), selectFile.text(0) == file.kind.rawValue, selectFile.int(1) == Int64(file.size),
                   selectFile.double(2) == file.modified.timeIntervalSince1970 {
                    return .unchanged(file)
                }
            }
            return .read(file, key: key)
        }
        return nil
    }

    /// The documents the previous index holds from the file recorded as `key`, by name and
    /// checksum (ids in order): what a re-read file's unchanged documents keep.
    func previousDocuments(ofFile key: String) throws -> [DocumentIdentity: [Int64]] {
        guard let selectDocuments else { return [:] }
        try selectDocuments.bind([.text(key)])
        var documents: [DocumentIdentity: [Int64]] = [:]
        while try selectDocuments.step() {
            documents[DocumentIdentity(name: selectDocuments.text(1) ?? "", checksum: selectDocuments.text(2) ?? ""), default: []]
                .append(selectDocuments.int(0))
        }
        return documents
    }

    /// Starts matching the records of the file recorded as `key` with its documents in the
    /// previous index (`take`): they are copied into a temporary table with an index by name and
    /// checksum, so a JSON Lines file of millions of records is matched without a dictionary
    /// of them (about 200 bytes a record).
    func startRecords(ofFile key: String) throws {
        guard let db, selectFile != nil else { return }
        if takeRecord == nil {
            try db.execute("""
                CREATE TEMP TABLE known (doc_id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL);
                CREATE INDEX temp.known_by_identity ON known (name, checksum, doc_id);
                """)
            fillRecords = try db.prepare("INSERT INTO temp.known SELECT doc_id, name, checksum FROM main.documents WHERE file = ?")
            takeRecord = try db.prepare("SELECT doc_id FROM temp.known WHERE name = ? AND checksum = ? ORDER BY doc_id LIMIT 1")
            dropRecord = try db.prepare("DELETE FROM temp.known WHERE doc_id = ?")
            untaken = try db.prepare("SELECT doc_id FROM temp.known ORDER BY doc_id")
        }
        try db.execute("DELETE FROM temp.known")
        try fillRecords?.run([.text(key)])
    }

    /// The previous id of `document` when the previous index holds it unchanged in the file of
    /// `startRecords` (by name and checksum, the first not taken yet); no longer available after.
    func take(_ document: Document) throws -> Int64? {
        guard let takeRecord, let dropRecord else { return nil }
        try takeRecord.bind([.text(document.id), .text(document.checksum)])
        defer { takeRecord.reset() }
        guard try takeRecord.step() else { return nil }
        let id = takeRecord.int(0)
        try dropRecord.run([.int(id)])
        return id
    }

    /// The documents of the file of `startRecords` that no record took: they leave the index.
    func untakenRecords() throws -> [Int64] {
        guard let untaken else { return [] }
        try untaken.bind([])
        var ids: [Int64] = []
        while try untaken.step() { ids.append(untaken.int(0)) }
        return ids
    }

    private var fillRecords, takeRecord, dropRecord, untaken: SQLiteStatement?

    /// Calls `body` with each file of the previous index that was not listed — recorded in
    /// `files`, or holding documents (a file with skipped records has no `files` row) — once
    /// `next()` has returned nil.
    func forEachRemovedFile(_ body: (String) throws -> Void) throws {
        guard let db, selectFile != nil else { return }
        for sql in Self.removedFiles {
            let s = try db.prepare(sql)
            while try s.step() { try body(s.text(0) ?? "") }
        }
    }

    /// Whether `forEachRemovedFile` would call its body.
    func anyRemovedFile() throws -> Bool {
        guard let db, selectFile != nil else { return false }
        return try Self.removedFiles.contains { try db.prepare($0 + " LIMIT 1").step() }
    }

    /// Two streams, no UNION: DISTINCT over the index by file needs no temporary table.
    private static let removedFiles = [
        "SELECT path FROM main.files WHERE path NOT IN (SELECT path FROM temp.listed)",
        "SELECT DISTINCT file FROM main.documents WHERE file NOT IN (SELECT path FROM temp.listed) AND file NOT IN (SELECT path FROM main.files)",
    ]
}

struct DocumentIdentity: Hashable, Sendable {
    var name: String
    var checksum: String
}

/// The previous documents of a re-read file, by name and checksum: an unchanged document is kept
/// (its previous id), each previous document at most once, in order.
struct KnownDocuments {
    private var ids: [DocumentIdentity: [Int64]]

    init(_ ids: [DocumentIdentity: [Int64]]) { self.ids = ids }

    /// The previous id of `document` when the index holds it unchanged, no longer available after.
    mutating func take(_ document: Document) -> Int64? {
        let identity = DocumentIdentity(name: document.id, checksum: document.checksum)
        guard let known = ids[identity], let first = known.first else { return nil }
        ids[identity] = known.count > 1 ? Array(known.dropFirst()) : nil
        return first
    }
}
