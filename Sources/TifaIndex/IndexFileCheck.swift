import Foundation

/// What the file given as `--db` is, found before any command uses it, so that every command
/// says what is wrong with it and how to fix it instead of failing on a missing table later.
enum IndexFileCheck {
    enum Finding {
        case absent
        case directory
        /// A file of 0 bytes: nothing to lose, a build may write into it.
        case empty
        /// Not SQLite, or SQLite of another application: never overwritten, even by --rebuild.
        case foreign(String)
        /// A Tifa index that cannot be used as it is (truncated, malformed, tables missing):
        /// an incremental build refuses it, --rebuild replaces it.
        case damaged(String)
        /// Opened; whether complete and of this schema version is for the caller to judge.
        case tifa(SQLiteDatabase)
    }

    static func inspect(_ path: String) -> Finding {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        if isDirectory.boolValue { return .directory }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { return .empty }
        if let problem = headerProblem(path, size: size) { return problem }
        let db: SQLiteDatabase
        let applicationID: Int64
        do {
            db = try SQLiteDatabase(path: path, mode: .readOnly)
            applicationID = try db.scalarInt("PRAGMA application_id") ?? 0
        } catch let error as IndexError {
            return .foreign("not an SQLite database (\(error.message))")
        } catch {
            return .foreign("not an SQLite database")
        }
        guard applicationID == Int64(IndexSchema.applicationID) else {
            return .foreign("an SQLite database with another application id (\(applicationID))")
        }
        // Another schema version has other tables: that is not damage, and the version check of
        // queries (a message naming both versions) and builds (a full rebuild) deals with it.
        if let version = try? db.scalarInt("PRAGMA user_version"), version != Int64(IndexSchema.version) {
            return .tifa(db)
        }
        do {
            // Views are checked only in a finished index: an unfinished one may lack them and is
            // "incomplete" (rebuilt by the next build), not damaged.
            var missing = try missingSchemaObjects(db, types: ["table"])
            if missing.isEmpty, try db.scalarText("SELECT value FROM meta WHERE key = 'build_complete'") == "1" {
                missing = try missingSchemaObjects(db, types: ["view"])
            }
            if !missing.isEmpty {
                return .damaged(missing.joined(separator: ", ") + (missing.count == 1 ? " is" : " are") + " missing")
            }
        } catch let error as IndexError {
            return .damaged(error.message)
        } catch {
            return .damaged("\(error)")
        }
        return .tifa(db)
    }

    /// Reads the 100-byte SQLite header: a file cut short is told from a file that never was SQLite.
    private static func headerProblem(_ path: String, size: Int) -> Finding? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        let magic = Array("SQLite format 3\0".utf8)
        guard header.count >= 16, Array(header[0..<16]) == magic else {
            return .foreign("not an SQLite database")
        }
        guard header.count == 100 else { return .damaged("the file is truncated (\(size) bytes, not even a header)") }
        func be32(_ i: Int) -> Int { header[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        let isTifa = be32(68) == Int(IndexSchema.applicationID)
        var pageSize = Int(header[16]) << 8 | Int(header[17])
        if pageSize == 1 { pageSize = 65536 }
        // The page count in the header is valid when "version-valid-for" equals the change counter.
        let pages = be32(28)
        if isTifa, be32(92) == be32(24), pages > 0, size < pages * pageSize {
            return .damaged("the file is truncated (\(size) of \(pages * pageSize) bytes)")
        }
        return nil
    }

    /// Tables or views of the current schema that the file lacks, and tables lacking columns.
    static func missingSchemaObjects(_ db: SQLiteDatabase, types: Set<String>) throws -> [String] {
        let expected = try expectedSchema.get()
        let present = try schema(of: db)
        var missing: [String] = []
        for (name, object) in expected.sorted(by: { $0.key < $1.key }) where types.contains(object.type) {
            guard let found = present[name], found.type == object.type else {
                missing.append("\(object.type) \(name)")
                continue
            }
            for column in object.columns where !found.columns.contains(column) {
                missing.append("column \(name).\(column)")
            }
        }
        return missing
    }

    private static func schema(of db: SQLiteDatabase) throws -> [String: (type: String, columns: [String])] {
        var result: [String: (type: String, columns: [String])] = [:]
        let s = try db.prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
        while try s.step() { result[s.text(0) ?? ""] = (s.text(1) ?? "", []) }
        // Only tables: a view's columns cannot be listed when a table it reads is gone.
        for (name, object) in result where object.type == "table" {
            let c = try db.prepare("SELECT name FROM pragma_table_info(?)")
            try c.bind([.text(name)])
            while try c.step() { result[name]!.columns.append(c.text(0) ?? "") }
        }
        return result
    }

    /// The schema this Tifa writes, read back from an in-memory database built with it.
    private static let expectedSchema: Result<[String: (type: String, columns: [String])], Error> = Result {
        let db = try SQLiteDatabase(path: ":memory:", mode: [.readWrite, .create])
        try db.execute(IndexSchema.tables)
        try db.execute(IndexSchema.views)
        return try schema(of: db)
    }

    static func rebuildHint(_ path: String) -> String {
        "rebuild it with `tifa index build CORPUS --db \(path) --rebuild`"
    }
}
