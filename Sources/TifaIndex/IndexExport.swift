import Foundation
import Tifa

/// Which terms an export includes.
public struct ExportFilter: Sendable {
    public var kinds: Set<TermKind> = Set(TermKind.allCases)
    /// Terms in fewer documents are left out.
    public var minimumDocumentFrequency = 1
    public init() {}
}

/// What an export wrote.
public struct ExportSummary: Sendable {
    public var documents = 0
    public var terms = 0
    public var nonZero = 0
    public var files: [String] = []
}

/// Buffered writes to a file or to stdout ("-"); errors carry the path.
final class FileSink {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private let owned: Bool

    init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 1
            owned = false
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            owned = true
            if fd < 0 { throw IndexError(file: path, message: "cannot be written (\(String(cString: strerror(errno))))") }
        }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw IndexError(file: path, message: "write failed (\(String(cString: strerror(errno))))") }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        if owned { Foundation.close(fd) }
    }
}

/// RFC 4180 CSV fields: quoted only when they hold a comma, quote or line break.
enum CSV {
    static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}

extension IndexReader {
    /// Metadata keys of the corpus, sorted: the metadata columns of exports.
    func metadataKeys() throws -> [String] {
        let s = try db.prepare("SELECT DISTINCT key FROM document_meta ORDER BY key")
        var keys: [String] = []
        while try s.step() { keys.append(s.text(0) ?? "") }
        return keys
    }

    private func metadata(of docID: Int64, statement: SQLiteStatement) throws -> [String: String] {
        try statement.bind([.int(docID)])
        var m: [String: String] = [:]
        while try statement.step() { m[statement.text(0) ?? ""] = statement.text(1) ?? "" }
        return m
    }

    /// Column names for metadata keys that do not collide with the fixed columns.
    private static func metadataColumns(_ keys: [String], reserved: Set<String>) -> [String] {
        keys.map { reserved.contains($0) ? "meta_\($0)" : $0 }
    }

    private func termFilterSQL(_ filter: ExportFilter) -> String {
        let kinds = filter.kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")
        return "t.kind IN (\(kinds)) AND t.df >= \(max(1, filter.minimumDocumentFrequency))" + Self.formulaWordsLeftOut(filter.kinds)
    }

    /// Tidy CSV, one row per document and term: doc_id, name, metadata…, term, kind, count.
    /// Streams in document order; `path` "-" is stdout.
    @discardableResult
    public func exportLong(to path: String, filter: ExportFilter = .init()) throws -> ExportSummary {
        let sink = try FileSink(path: path)
        let keys = try metadataKeys()
        try sink.write(CSV.line(["doc_id", "name"] + Self.metadataColumns(keys, reserved: ["doc_id", "name", "term", "kind", "count"]) + ["term", "kind", "count"]))
        // The terms listed, as CSV fields, by slot.
        var csvTerms: [String] = [], kinds: [String] = []
        let allowed = try termIDSlots(where: termFilterSQL(filter)) { t, _ in
            csvTerms.append(CSV.field(t.text(1) ?? ""))
            kinds.append(t.text(2) ?? "")
            return true
        }
        // Documents' names, by doc_id.
        var names: [Int64: String] = [:]
        let d = try db.prepare("SELECT doc_id, name FROM documents")
        while try d.step() { names[d.int(0)] = d.text(1) ?? "" }
        let metaStatement = try db.prepare("SELECT key, value FROM document_meta WHERE doc_id = ?")
        var summary = ExportSummary(files: [path])
        var currentDoc: Int64 = -1
        var prefix = ""
        var used = [Bool](repeating: false, count: allowed.count)
        // Read from the documents' stored counts in one pass (`forEachDocumentTerm`: doc_id
        // order, term ids ascending within a document, as `ORDER BY doc_id, term_id` over the
        // doc_terms view gave them).
        try forEachDocumentTerm { id, termID, count in
            guard let t = allowed.slot(termID) else { return }
            if id != currentDoc {
                currentDoc = id
                summary.documents += 1
                let m = try metadata(of: id, statement: metaStatement)
                prefix = ([String(id), names[id] ?? ""] + keys.map { m[$0] ?? "" }).map(CSV.field).joined(separator: ",")
            }
            used[t] = true
            summary.nonZero += 1
            try sink.write(prefix + "," + csvTerms[t] + "," + kinds[t] + "," + String(count) + "\n")
        }
        let terms = used.lazy.filter { $0 }
        summary.terms = terms.count
        try sink.close()
        return summary
    }

    /// The document-term matrix in Matrix Market coordinate format (1-based; rows = documents in
    /// doc_id order, columns = terms in term_id order), with `<stem>.rows.csv` (row, doc_id, name,
    /// tokens, metadata…) and `<stem>.cols.csv` (col, term_id, term, kind, df, cf) beside it, where
    /// `<stem>` is `path` without a `.mtx` extension. Reads with `scipy.io.mmread`,
    /// R `Matrix::readMM`.
    @discardableResult
    public func exportDTM(to path: String, filter: ExportFilter = .init()) throws -> ExportSummary {
        let stem = path.hasSuffix(".mtx") ? String(path.dropLast(4)) : path
        let rowsPath = stem + ".rows.csv", colsPath = stem + ".cols.csv"
        var summary = ExportSummary(files: [path, rowsPath, colsPath])
        let where_ = termFilterSQL(filter)

        // Columns: the allowed terms in term_id order.
        let cols = try FileSink(path: colsPath)
        try cols.write(CSV.line(["col", "term_id", "term", "kind", "df", "cf"]))
        let allowed = try termIDSlots(where: where_) { c, slot in
            try cols.write(CSV.line([String(slot + 1), String(c.int(0)), c.text(1) ?? "", c.text(2) ?? "", String(c.int(3)), String(c.int(4))]))
            return true
        }
        try cols.close()
        summary.terms = allowed.count

        // Rows.
        var row: [Int64: Int] = [:]
        let keys = try metadataKeys()
        let rows = try FileSink(path: rowsPath)
        try rows.write(CSV.line(["row", "doc_id", "name", "tokens"] + Self.metadataColumns(keys, reserved: ["row", "doc_id", "name", "tokens"])))
        let r = try db.prepare("SELECT doc_id, name, tokens FROM documents ORDER BY doc_id")
        let metaStatement = try db.prepare("SELECT key, value FROM document_meta WHERE doc_id = ?")
        var docs: [(Int64, String, Int64)] = []
        while try r.step() { docs.append((r.int(0), r.text(1) ?? "", r.int(2))) }
        for (id, name, tokens) in docs {
            let index = row.count + 1
            row[id] = index
            let m = try metadata(of: id, statement: metaStatement)
            try rows.write(CSV.line([String(index), String(id), name, String(tokens)] + keys.map { m[$0] ?? "" }))
        }
        try rows.close()
        summary.documents = row.count

        // Entries, from the documents' stored counts (`forEachDocumentTerm`, in doc_id then
        // term_id order); the header needs their number first, so they are read twice.
        var nonZero = 0
        try forEachDocumentTerm { id, termID, _ in
            if row[id] != nil && allowed.slot(termID) != nil { nonZero += 1 }
        }
        let matrix = try FileSink(path: path)
        try matrix.write("%%MatrixMarket matrix coordinate integer general\n")
        try matrix.write("% Tifa document-term matrix: rows = documents (\(URL(fileURLWithPath: rowsPath).lastPathComponent)), columns = terms (\(URL(fileURLWithPath: colsPath).lastPathComponent)), values = counts\n")
        try matrix.write("\(row.count) \(allowed.count) \(nonZero)\n")
        try forEachDocumentTerm { id, termID, count in
            guard let i = row[id], let j = allowed.slot(termID) else { return }
            try matrix.write("\(i) \(j + 1) \(count)\n")
            summary.nonZero += 1
        }
        try matrix.close()
        return summary
    }
}
