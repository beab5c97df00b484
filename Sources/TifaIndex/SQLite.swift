import CSQLite
import Foundation

// Why SQLite's C API and not GRDB: Tifa's index needs nothing beyond prepared statements, explicit
// transactions and a handful of PRAGMAs (journal mode, application_id, page cache). The C API gives
// full control of those — one long write transaction per build, statements prepared once and
// reused millions of times, no per-row allocation of record types — and adds no package to the
// dependency graph (the system's libsqlite3 is already required). GRDB's conveniences (records,
// observation, migrations, a pool of connections) are things a single-writer batch indexer and a
// read-only query tool do not use. This file is the only place that calls sqlite3_*.

/// An error from SQLite or from opening an index, described in one line with the database file.
public struct IndexError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}

/// SQLite's way of saying a bound text or blob must be copied before the call returns.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection. Not shared between threads: the index is written by one writer thread and
/// read by one query at a time.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    struct OpenMode: OptionSet {
        let rawValue: Int32
        static let readOnly = OpenMode(rawValue: SQLITE_OPEN_READONLY)
        static let readWrite = OpenMode(rawValue: SQLITE_OPEN_READWRITE)
        static let create = OpenMode(rawValue: SQLITE_OPEN_CREATE)
    }

    init(path: String, mode: OpenMode) throws {
        var db: OpaquePointer?
        let flags = mode.rawValue | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw IndexError(file: path, message: message)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
        // The `texts` view decompresses stored texts with it (see `StoredText`).
        tifa_register_sqlar_uncompress(db)
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw IndexError(file: path, message: message)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw IndexError(file: path, message: String(cString: sqlite3_errmsg(handle)))
        }
        return SQLiteStatement(handle: statement, database: self)
    }

    /// The first column of the first row of `sql`, as an integer.
    func scalarInt(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> Int64? {
        let s = try prepare(sql)
        try s.bind(arguments)
        return try s.step() ? (s.isNull(0) ? nil : s.int(0)) : nil
    }

    func scalarText(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> String? {
        let s = try prepare(sql)
        try s.bind(arguments)
        return try s.step() ? s.text(0) : nil
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ rc: Int32) -> IndexError {
        var message = String(cString: sqlite3_errmsg(handle)) + " (SQLite code \(rc))"
        // A file damaged after it was opened (truncated, overwritten) shows up only on reading.
        if rc & 0xFF == SQLITE_CORRUPT || rc & 0xFF == SQLITE_NOTADB {
            message += "; the index is damaged: \(IndexFileCheck.rebuildHint(path))"
        }
        return IndexError(file: path, message: message)
    }

    static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}

enum SQLiteValue {
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// A value stored as in an SQLite Archive, which the sqlite3 shell's built-in
/// `sqlar_uncompress(data, bytes)` reads: zlib's `compress()` of the UTF-8, or the UTF-8 itself
/// when compressing does not make it smaller. Texts (`text_data`) and per-document term counts
/// (`doc_term_data`) are stored so.
struct SQLArchiveBlob {
    /// The UTF-8 length of the value.
    var bytes: Int
    var data: [UInt8]

    /// Level 1 of libdeflate, which writes the same zlib format as `compress()`: on the
    /// generated 10 MB corpus it keeps 47.4% of the text's bytes at twice the speed of zlib's
    /// level 1 (48.3%); zlib's level 6 keeps 44.9% at a quarter of the speed. A build compresses
    /// every text once.
    static let level: Int32 = 1

    init(_ text: String, compressor: ArchiveCompressor) {
        var text = text
        self = text.withUTF8 { SQLArchiveBlob(utf8: $0, compressor: compressor) }
    }

    init(utf8: UnsafeBufferPointer<UInt8>, compressor: ArchiveCompressor) {
        bytes = utf8.count
        data = compressor.compress(utf8) ?? Array(utf8)
    }
}

/// A libdeflate compressor (its state is allocated once: zlib's `compress2` set up and cleared
/// about 300 KB per call, which cost more than compressing a document of a few KiB). Used by
/// one thread at a time (each analysis worker has its own).
final class ArchiveCompressor: @unchecked Sendable {
    private let compressor: OpaquePointer?

    init() {
        compressor = libdeflate_alloc_compressor(SQLArchiveBlob.level)
    }

    deinit {
        if let compressor { libdeflate_free_compressor(compressor) }
    }

    /// zlib's `compress()` format of `input`, or nil when that is not smaller.
    func compress(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let compressor, let base = input.baseAddress, input.count > 1 else { return nil }
        // Room for one byte less than the input: libdeflate returns 0 when the result does not fit.
        let room = input.count - 1
        let out = [UInt8](unsafeUninitializedCapacity: room) { buffer, count in
            count = libdeflate_zlib_compress(compressor, base, input.count, buffer.baseAddress, room)
        }
        return out.isEmpty ? nil : out
    }
}

/// A prepared statement, reset and rebound for each use.
final class SQLiteStatement {
    let handle: OpaquePointer
    unowned let database: SQLiteDatabase

    init(handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite3_bind_int64(handle, index, x)
            case .double(let x): rc = sqlite3_bind_double(handle, index, x)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, SQLITE_TRANSIENT)
            case .blob(let b): rc = b.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64($0.count), SQLITE_TRANSIENT) }
            case .null: rc = sqlite3_bind_null(handle, index)
            }
            if rc != SQLITE_OK { throw database.error(rc) }
        }
    }

    /// Binds and runs a statement that returns no rows.
    func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        let rc = sqlite3_step(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW { throw database.error(rc) }
        sqlite3_reset(handle)
    }

    /// Binds a key and a stored blob (`doc_id, bytes, data`) and runs the statement: the other
    /// hot path of a build, without copying the blob into an argument array.
    func run(_ key: Int64, _ blob: SQLArchiveBlob) throws {
        sqlite3_reset(handle)
        var rc = sqlite3_bind_int64(handle, 1, key)
        if rc == SQLITE_OK { rc = sqlite3_bind_int64(handle, 2, Int64(blob.bytes)) }
        if rc != SQLITE_OK { throw database.error(rc) }
        // Bound without a copy (SQLITE_STATIC) and stepped while the bytes are pinned; the
        // binding is cleared before they are released.
        try blob.data.withUnsafeBytes { bytes in
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            var rc = sqlite3_bind_blob64(handle, 3, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(bytes.count), nil)
            if rc == SQLITE_OK { rc = sqlite3_step(handle) }
            if rc != SQLITE_DONE && rc != SQLITE_ROW { throw database.error(rc) }
        }
    }

    /// Binds four integers, a text and three integers or NULLs (parameters 1–8, in order) and
    /// runs the statement: the row of every formula occurrence of a build (25,672 for the 10 MB
    /// corpus), without an argument array of enums, a copy of the text or clearing the bindings
    /// (every parameter is bound again). The text is bound without a copy while it is pinned.
    func run(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64, _ text: String, _ e: Int64?, _ f: Int64?, _ g: Int64?) throws {
        sqlite3_reset(handle)
        var rc = sqlite3_bind_int64(handle, 1, a)
        if rc == SQLITE_OK { rc = sqlite3_bind_int64(handle, 2, b) }
        if rc == SQLITE_OK { rc = sqlite3_bind_int64(handle, 3, c) }
        if rc == SQLITE_OK { rc = sqlite3_bind_int64(handle, 4, d) }
        if rc == SQLITE_OK { rc = e.map { sqlite3_bind_int64(handle, 6, $0) } ?? sqlite3_bind_null(handle, 6) }
        if rc == SQLITE_OK { rc = f.map { sqlite3_bind_int64(handle, 7, $0) } ?? sqlite3_bind_null(handle, 7) }
        if rc == SQLITE_OK { rc = g.map { sqlite3_bind_int64(handle, 8, $0) } ?? sqlite3_bind_null(handle, 8) }
        if rc != SQLITE_OK { throw database.error(rc) }
        var text = text
        try text.withUTF8 { utf8 in
            defer {
                sqlite3_reset(handle)
                sqlite3_bind_null(handle, 5)
            }
            let start = UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            var rc = sqlite3_bind_text64(handle, 5, start, sqlite3_uint64(utf8.count), nil, UInt8(SQLITE_UTF8))
            if rc == SQLITE_OK { rc = sqlite3_step(handle) }
            if rc != SQLITE_DONE && rc != SQLITE_ROW { throw database.error(rc) }
        }
    }

    /// Ends a read before its last row, so it holds no read transaction.
    func reset() { sqlite3_reset(handle) }

    /// Advances to the next row; false when there are no more.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw database.error(rc)
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    /// The bytes of a blob (or text) column, valid until the next step or reset.
    func withBytes<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let base = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeBufferPointer(start: base?.assumingMemoryBound(to: UInt8.self), count: base == nil ? 0 : count))
    }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func value(_ column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .int(int(column))
        case SQLITE_FLOAT: return .double(double(column))
        case SQLITE_NULL: return .null
        default: return .text(text(column) ?? "")
        }
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }
    func columnName(_ column: Int32) -> String { String(cString: sqlite3_column_name(handle, column)) }
}
