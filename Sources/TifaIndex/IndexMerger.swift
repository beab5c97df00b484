import Foundation
import Tifa

/// What a merge did.
public struct IndexMergeReport: Sendable {
    public var shards = 0
    public var documents = 0
    public var terms = 0
    /// Whether the merged index has the documents' texts.
    public var texts = TextStorage.stored
    public var seconds = 0.0
}

/// Merges indexes built separately (shards of one corpus, e.g. one per Spark partition) into one.
///
/// The result is the index one build over the shards' inputs, in the order of the shards, would
/// have written: documents are renumbered in shard order, and every shard's term ids are mapped to
/// the merged vocabulary, a term new to it taking the next id in the order the shard met it (its
/// documents in order, in each the shard's ids ascending, which is its order of first occurrence).
/// So doc_terms, term_stats, formula_occurrences and every query agree with a single build; only
/// where a document came from (`files`, `documents.file` and `.source`) stays the shards'.
///
/// The shards must be complete Tifa indexes of this schema built with the same options and
/// dictionaries (equal fingerprints), and either all with texts or all without them unless the
/// merged index is to have none (`texts: .omitted`, `--no-texts`); the merged index is written to a copy and renamed into place
/// like a build's. Cost: one pass over each shard's rows; memory holds the vocabulary.
public enum IndexMerger {
    /// `texts`: `.omitted` leaves the texts out; nil keeps what the shards have, which must agree
    /// (merging shards without texts into one with texts would keep only some). Throws when the
    /// merge fails; the report is a summary a caller may ignore.
    @discardableResult
    public static func merge(shards: [String], into database: String, texts requested: TextStorage? = nil) throws -> IndexMergeReport {
        let started = Date()
        guard !shards.isEmpty else { throw IndexError(file: database, message: "no shards to merge") }
        let target = IndexBuilder.standardPath(database)
        var given = Set<String>()
        for shard in shards {
            let path = IndexBuilder.standardPath(shard)
            if path == target { throw IndexError(file: shard, message: "is both a shard and the merged index") }
            if !given.insert(path).inserted {
                throw IndexError(file: shard, message: "is given twice; each shard is merged once (its documents would count twice)")
            }
        }
        // One writer at a time; temporary copies of killed writers go (see `FileReplacement`).
        let replacement = try FileReplacement(target: database, what: "index")
        defer { withExtendedLifetime(replacement) {} }
        if case .foreign(let what) = IndexFileCheck.inspect(database) {
            throw IndexError(file: database, message: "not a Tifa index (\(what)); not replaced by the merge")
        }
        var readers: [(path: String, db: SQLiteDatabase)] = []
        for path in shards { readers.append((path, try IndexReader.openVerifyingTifa(path: path, requireComplete: true))) }
        let first = readers[0]
        let fingerprint = try first.db.scalarText("SELECT value FROM meta WHERE key = 'fingerprint'") ?? ""
        for r in readers.dropFirst() {
            let other = try r.db.scalarText("SELECT value FROM meta WHERE key = 'fingerprint'") ?? ""
            guard other == fingerprint else {
                throw IndexError(file: r.path, message: "was built with other options or dictionaries than \(first.path) (fingerprints differ); build every shard with the same options")
            }
        }
        var texts = try TextStorage.recorded(in: first.db, path: first.path)
        for r in readers.dropFirst() where requested != .omitted {
            guard try TextStorage.recorded(in: r.db, path: r.path) == texts else {
                let (without, with) = texts == .omitted ? (first.path, r.path) : (r.path, first.path)
                throw IndexError(file: without, message: "was built with --no-texts and \(with) with texts; merge them with --no-texts, or rebuild \(without) with texts")
            }
        }
        try requireDisjoint(readers)
        if requested == .stored && texts == .omitted {
            throw IndexError(file: first.path, message: "was built with --no-texts: the merged index cannot have texts")
        }
        texts = requested ?? texts
        let optionsJSON = try first.db.scalarText("SELECT value FROM meta WHERE key = 'options'") ?? "{}"
        // Equal fingerprints: equal word lists, so the merged index can be updated like a build.
        var wordLists: Provenance.WordListsRecord?
        if let fingerprint = try first.db.scalarText("SELECT value FROM meta WHERE key = 'fingerprint_without_word_lists'"),
           let json = try first.db.scalarText("SELECT value FROM meta WHERE key = 'user_word_lists'") {
            wordLists = Provenance.WordListsRecord(fingerprint: fingerprint, json: json)
        }
        var resources: [Provenance.Resource] = []
        let r = try first.db.prepare("SELECT name, kind, path, sha256, bytes FROM resources ORDER BY name")
        while try r.step() {
            resources.append(Provenance.Resource(name: r.text(0) ?? "", kind: r.text(1) ?? "", path: r.text(2) ?? "", sha256: r.text(3) ?? "", bytes: Int(r.int(4))))
        }
        var inputs: [String] = []
        for reader in readers {
            if let json = try reader.db.scalarText("SELECT value FROM meta WHERE key = 'inputs'"),
               let list = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) {
                inputs += list
            }
        }

        var report = IndexMergeReport()
        let temporary = replacement.temporary
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try {
                let writer = try IndexWriter(path: temporary, start: .empty, texts: texts)
                report.texts = texts
                try writer.begin()
                for reader in readers {
                    report.documents += try copyDocuments(of: reader.db, path: reader.path, to: writer)
                    report.shards += 1
                }
                try writer.finish(provenance: Provenance(inputs: inputs, optionsJSON: optionsJSON, fingerprint: fingerprint,
                                                         createdAt: nil, resources: resources, wordLists: wordLists))
                report.terms = Int(try writer.db.scalarInt("SELECT COUNT(*) FROM terms") ?? 0)
            }()
            try replacement.commit()
        } catch let error as IndexError where error.file == temporary {
            try? FileManager.default.removeItem(atPath: temporary)
            throw IndexError(file: database, message: "cannot write the merged index (\(error.message); writing \(temporary)); \(database) is unchanged")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Each document in one shard: a document another shard also holds (the same source and
    /// checksum: a copy of a shard, a retried task's output kept beside the first, shards built
    /// over the same files) would count twice in the merged index, silently. Documents read
    /// from stdin are left out of the test: their sources (`<stdin>:N`) name no file, and two
    /// partitions may hold the same record at the same line.
    static func requireDisjoint(_ readers: [(path: String, db: SQLiteDatabase)]) throws {
        var owner: [String: String] = [:]
        for reader in readers {
            let s = try reader.db.prepare("SELECT source, checksum FROM documents WHERE source NOT LIKE '<stdin>%' ORDER BY doc_id")
            while try s.step() {
                let source = s.text(0) ?? ""
                if let earlier = owner.updateValue(reader.path, forKey: source + "\u{0}" + (s.text(1) ?? "")), earlier != reader.path {
                    throw IndexError(file: reader.path, message: "holds the document \(source), which \(earlier) holds too (same source and text): a shard merged twice, or shards built over the same inputs; each document must be in one shard")
                }
            }
        }
    }

    /// Re-inserts every document of a shard, in doc_id order, with its analysis as stored.
    private static func copyDocuments(of db: SQLiteDatabase, path: String, to writer: IndexWriter) throws -> Int {
        // The shard's vocabulary: term id → (text, kind, category).
        var vocabulary: [Int64: (key: TermKey, category: String?)] = [:]
        let t = try db.prepare("SELECT term_id, text, kind, category FROM terms")
        while try t.step() {
            guard let kind = TermKind(rawValue: t.text(2) ?? "") else {
                throw IndexError(file: path, message: "term \(t.int(0)) has an unknown kind \(t.text(2) ?? "NULL")")
            }
            vocabulary[t.int(0)] = (TermKey(text: t.text(1) ?? "", kind: kind), t.text(3))
        }
        // Texts are not even read when the merged index has none.
        let withTexts = writer.texts == .stored
        let documents = try db.prepare("""
            SELECT d.doc_id, d.name, d.source, d.file, d.chars, d.tokens, d.bytes, d.encoding, d.replacements, d.checksum, \(withTexts ? "x.text" : "NULL")
            FROM documents d \(withTexts ? "LEFT JOIN texts x USING (doc_id)" : "") ORDER BY d.doc_id
            """)
        let meta = try db.prepare("SELECT key, value FROM document_meta WHERE doc_id = ?")
        let terms = try db.prepare("SELECT term_id, count FROM doc_terms WHERE doc_id = ? ORDER BY term_id")
        let formulas = try db.prepare("""
            SELECT term_id, start, "end", surface, within_term_id, within_start, within_end
            FROM formula_occurrences WHERE doc_id = ? ORDER BY start, term_id
            """)
        var count = 0
        while try documents.step() {
            let id = documents.int(0)
            var metadata: [String: String] = [:]
            try meta.bind([.int(id)])
            while try meta.step() { metadata[meta.text(0) ?? ""] = meta.text(1) ?? "" }
            let document = Document(id: documents.text(1) ?? "", source: documents.text(2) ?? "", metadata: metadata,
                                    text: documents.text(10) ?? "", encoding: TextEncoding(name: documents.text(7) ?? ""),
                                    replacements: Int(documents.int(8)), byteCount: Int(documents.int(6)),
                                    checksum: documents.text(9) ?? "")
            var counts: [TermCount] = []
            try terms.bind([.int(id)])
            while try terms.step() {
                guard let term = vocabulary[terms.int(0)] else {
                    throw IndexError(file: path, message: "document \(id) counts term \(terms.int(0)), which is not in its terms table")
                }
                counts.append(TermCount(text: term.key.text, kind: term.key.kind, count: Int(terms.int(1))))
            }
            var occurrences: [FormulaOccurrence] = []
            try formulas.bind([.int(id)])
            while try formulas.step() {
                guard let term = vocabulary[formulas.int(0)] else {
                    throw IndexError(file: path, message: "document \(id) has a formula occurrence of term \(formulas.int(0)), which is not in its terms table")
                }
                var category: PolicyCategory? = nil
                if let text = term.category {
                    guard let known = PolicyCategory(rawValue: text) else {
                        throw IndexError(file: path, message: "formula \(term.key.text) has the unknown category `\(text)`")
                    }
                    category = known
                }
                // A nested occurrence keeps its outer one (改革开放 within 全面深化改革), as one build writes it.
                var within: FormulaOccurrence.Outer? = nil
                if !formulas.isNull(4) {
                    guard let outer = vocabulary[formulas.int(4)] else {
                        throw IndexError(file: path, message: "document \(id) has a formula occurrence within term \(formulas.int(4)), which is not in its terms table")
                    }
                    within = FormulaOccurrence.Outer(formula: outer.key.text, sourceRange: Int(formulas.int(5))..<Int(formulas.int(6)))
                }
                occurrences.append(FormulaOccurrence(formula: term.key.text, category: category,
                                                     sourceRange: Int(formulas.int(1))..<Int(formulas.int(2)), surface: formulas.text(3) ?? "",
                                                     within: within))
            }
            let analysis = DocumentAnalysis(characterCount: Int(documents.int(4)), tokenCount: Int(documents.int(5)),
                                            terms: counts, formulas: occurrences)
            try writer.insert(document, file: documents.text(3) ?? "", analysis: analysis)
            count += 1
        }
        let skipped = try db.prepare("SELECT source, reason FROM skipped ORDER BY rowid")
        while try skipped.step() { try writer.recordSkip(CorpusSkip(source: skipped.text(0) ?? "", reason: skipped.text(1) ?? "")) }
        return count
    }
}
