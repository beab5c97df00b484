import Foundation
import Tifa

/// What a previous index holds that an incremental build needs, read without modifying it.
struct ExistingIndex {
    var complete: Bool
    var schemaVersion: Int32
    var fingerprint: String?
    var createdAt: String?
    var documentCount: Int
    /// What a build with other dictionaries or lexicons compares (absent in older indexes).
    var fingerprintWithoutWordLists: String?
    var userWordLists: UserWordLists?
    var texts: TextStorage

    init(path: String) throws {
        let db = try IndexReader.openVerifyingTifa(path: path, requireComplete: false)
        schemaVersion = Int32(try db.scalarInt("PRAGMA user_version") ?? 0)
        complete = (try? db.scalarText("SELECT value FROM meta WHERE key = 'build_complete'")) == "1"
        fingerprint = try? db.scalarText("SELECT value FROM meta WHERE key = 'fingerprint'")
        createdAt = try? db.scalarText("SELECT value FROM meta WHERE key = 'created_at'")
        documentCount = Int((try? db.scalarInt("SELECT COUNT(*) FROM documents")) ?? 0)
        texts = try TextStorage.recorded(in: db, path: path)
        guard complete, schemaVersion == IndexSchema.version else { return }
        fingerprintWithoutWordLists = try? db.scalarText("SELECT value FROM meta WHERE key = 'fingerprint_without_word_lists'")
        if let json = try? db.scalarText("SELECT value FROM meta WHERE key = 'user_word_lists'") {
            userWordLists = try? JSONDecoder().decode(UserWordLists.self, from: Data(json.utf8))
        }
    }
}

/// Everything written about a build besides the data: what a study needs to replicate it.
struct Provenance {
    var inputs: [String]
    /// `meta.options`: `RecordedOptions` as JSON.
    var optionsJSON: String
    var fingerprint: String
    var createdAt: String?
    var resources: [Resource]
    /// `meta.fingerprint_without_word_lists` and `meta.user_word_lists` (`UserWordLists` as
    /// JSON): what lets a build with other dictionaries re-index only what they change.
    var wordLists: WordListsRecord?

    struct WordListsRecord {
        var fingerprint: String
        var json: String
    }

    struct Resource {
        var name: String
        var kind: String
        var path: String
        var sha256: String
        var bytes: Int
    }

    /// The provenance of a build with `options`, whose data files are `hashedFiles`
    /// (`Analyzer.hashedDataFiles`, hashed once per build).
    init(inputs: [String], options: IndexBuildOptions, hashedFiles: [Analyzer.HashedDataFile], createdAt: String?) throws {
        let lists = try UserWordLists(options: options.analysis)
        self.init(inputs: inputs, optionsJSON: Self.optionsJSON(options), fingerprint: Self.fingerprint(options: options, hashedFiles: hashedFiles),
                  createdAt: createdAt, resources: Self.resources(hashedFiles),
                  wordLists: WordListsRecord(fingerprint: Self.fingerprintWithoutWordLists(options: options, hashedFiles: hashedFiles),
                                             json: String(decoding: try JSONEncoder.sorted.encode(lists), as: UTF8.self)))
    }

    init(inputs: [String], optionsJSON: String, fingerprint: String, createdAt: String?, resources: [Resource], wordLists: WordListsRecord?) {
        self.inputs = inputs
        self.optionsJSON = optionsJSON
        self.fingerprint = fingerprint
        self.createdAt = createdAt
        self.resources = resources
        self.wordLists = wordLists
    }

    /// The options of a build as stored in `meta.options` (Codable, keys sorted).
    struct RecordedOptions: Codable {
        var analysis: Analyzer.Options
        var corpus: RecordedCorpusOptions
    }

    /// `CorpusOptions` as recorded: the extensions sorted, the encoding by name.
    struct RecordedCorpusOptions: Codable {
        var textField: String
        var idField: String
        var meta: [String]
        var metaFromPath: String?
        /// Recorded only when on, so that indexes built before it existed keep their fingerprint.
        var dateFromText: Bool?
        var encoding: String?
        var strictDecoding: Bool
        var extensions: [String]
        var stdin: CorpusOptions.StdinFormat

        init(_ c: CorpusOptions) {
            textField = c.textField
            idField = c.idField
            meta = c.metaFields
            metaFromPath = c.metaFromPath
            dateFromText = c.dateFromText ? true : nil
            encoding = c.decoding.encoding?.description
            strictDecoding = c.decoding.invalidBytes == .fail
            extensions = c.extensions.sorted()
            stdin = c.stdin
        }
    }

    static func optionsJSON(_ o: IndexBuildOptions) -> String {
        // Strings, booleans and enums: encoding cannot fail.
        let data = try! JSONEncoder.sorted.encode(RecordedOptions(analysis: o.analysis, corpus: RecordedCorpusOptions(o.corpus)))
        return String(decoding: data, as: UTF8.self)
    }

    /// The analysis options stored in an index by `optionsJSON`.
    static func analysisOptions(fromJSON json: String) throws -> Analyzer.Options {
        try JSONDecoder().decode(RecordedOptions.self, from: Data(json.utf8)).analysis
    }

    static func resources(_ hashedFiles: [Analyzer.HashedDataFile]) -> [Resource] {
        hashedFiles.map { h in
            Resource(name: h.file.name, kind: h.file.role.rawValue, path: h.file.url.path, sha256: h.sha256, bytes: h.byteCount)
        }
    }

    /// Changes whenever re-analysing a document could give a different result.
    static func fingerprint(options: IndexBuildOptions, hashedFiles: [Analyzer.HashedDataFile]) -> String {
        fingerprint(options: options, analysis: Analyzer.fingerprint(for: options.analysis, hashedFiles: hashedFiles))
    }

    /// The same without the content of the user's dictionaries and lexicons (see `UserWordLists`).
    static func fingerprintWithoutWordLists(options: IndexBuildOptions, hashedFiles: [Analyzer.HashedDataFile]) -> String {
        fingerprint(options: options, analysis: Analyzer.fingerprintWithoutUserWordLists(for: options.analysis, hashedFiles: hashedFiles))
    }

    private static func fingerprint(options: IndexBuildOptions, analysis: String) -> String {
        // Strings, booleans and enums: encoding cannot fail.
        let corpus = String(decoding: try! JSONEncoder.sorted.encode(RecordedCorpusOptions(options.corpus)), as: UTF8.self)
        let text = "schema=\(IndexSchema.version)\nanalysis=\(analysis)\ncorpus=\(corpus)\n"
        return SHA256.hex(Array(text.utf8))
    }

    static var now: String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
