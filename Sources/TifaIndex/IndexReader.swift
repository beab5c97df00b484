import Foundation
import Tifa

/// How `top` ranks terms.
public enum TermRanking: String, Sendable, CaseIterable {
    /// Occurrences in the group.
    case count
    /// Occurrences per 10,000 tokens of the group.
    case rate
    /// count × idf, idf = ln((1 + N) / (1 + df)) + 1 over the whole corpus (N documents, df
    /// documents containing the term) — scikit-learn's smoothed idf.
    case tfidf
}

public struct TopQuery: Sendable {
    public var kinds: Set<TermKind> = [.word]
    public var ranking: TermRanking = .count
    /// `year`, or any metadata field; nil for the whole corpus.
    public var groupBy: String?
    /// Rows per group.
    public var limit = 20
    /// Words left out (applies to word terms only; formulas are never stop words).
    public var stopWords: Set<String> = []
    /// With `groupBy`: numeric groups below `from` or above `to` are left out (and non-numeric
    /// ones when either is given), as in `TrendQuery`.
    public var from: Double?
    public var to: Double?
    public init() {}
}

public struct TopRow: Sendable, Equatable {
    public var group: String?
    public var rank: Int
    public var term: String
    public var kind: TermKind
    public var count: Int
    /// Documents of the group that contain the term.
    public var documents: Int
    public var per10k: Double
    public var tfidf: Double
}

public struct TrendRow: Sendable, Equatable {
    public var group: String?
    /// The indexed term, or the normalized text or pattern searched for.
    public var term: String
    /// The term's kind; nil for a text or regex search.
    public var kind: TermKind?
    public var count: Int
    public var documents: Int
    /// Tokens of all documents in the group.
    public var tokens: Int
    public var per10k: Double

    /// The kind's name, or `text` for a text or regex search.
    public var kindName: String { kind?.rawValue ?? "text" }
}

/// `IndexReader.kwicResult`: the lines, and for a word the places in the documents read where
/// its text stands cut otherwise by the segmenter.
public struct KwicResult: Sendable, Equatable {
    public var lines: [KwicLine] = []
    public var otherwiseCut = 0
    /// How the first such place was cut (用 好用 活).
    public var otherwiseCutExample: String?
    /// Documents analysed again for a word's lines, and whether documents after them that hold
    /// it were left unread because the limit was reached (`otherwiseCut` counts the read ones).
    public var documentsRead = 0
    public var stoppedAtLimit = false
    /// The query is a domain word the build's model may re-cut (`Segmenter.modelMayRecutDomainWord`):
    /// an index built with `--domain-words whole` (the default) would count those places too.
    public var modelRecutsDomainWord = false
}

public struct KwicLine: Sendable, Equatable {
    public var docID: Int
    public var name: String
    public var source: String
    public var start: Int
    public var end: Int
    public var left: String
    public var match: String
    public var right: String
}

/// Read-only queries on a complete Tifa index.
///
/// Opening checks that the file is an SQLite database with Tifa's application_id, a known schema
/// version and the `build_complete` marker, and throws a one-line `IndexError` otherwise. A term
/// that is not in the index gives an empty result. Query terms are normalized like the documents
/// were (traditional → simplified, width folding), so 兩不愁三保障 finds 两不愁三保障.
public final class IndexReader {
    let db: SQLiteDatabase
    let path: String
    /// Whether the index has its documents' texts: without them (`--no-texts`) KWIC and text
    /// searches throw, naming the index and how to rebuild it; everything else is unchanged.
    public let texts: TextStorage
    private var analyzerCache: Analyzer?
    private var analysisOptionsCache: Analyzer.Options?
    private var lexiconCache: PolicyLexicon?
    private var normalizerCache: Normalizer?

    public init(path: String) throws {
        self.path = path
        db = try Self.openVerifyingTifa(path: path, requireComplete: true)
        texts = try TextStorage.recorded(in: db, path: path)
    }

    /// Throws the one-line error of an index without texts, for `what` (a query that reads them).
    func requireTexts(for what: @autoclosure () -> String) throws {
        if texts == .omitted { throw TextStorage.missing(in: path, neededBy: what()) }
    }

    static func openVerifyingTifa(path: String, requireComplete: Bool) throws -> SQLiteDatabase {
        let db: SQLiteDatabase
        switch IndexFileCheck.inspect(path) {
        case .absent:
            throw IndexError(file: path, message: "no such index (build one with `tifa index build CORPUS --db \(path)`)")
        case .directory:
            throw IndexError(file: path, message: "is a directory, not a Tifa index")
        case .empty:
            throw IndexError(file: path, message: "is an empty file, not a Tifa index (build one into it with `tifa index build CORPUS --db \(path)`)")
        case .foreign(let what):
            throw IndexError(file: path, message: "not a Tifa index (\(what))")
        case .damaged(let what):
            throw IndexError(file: path, message: "damaged Tifa index: \(what); \(IndexFileCheck.rebuildHint(path))")
        case .tifa(let opened):
            db = opened
        }
        guard requireComplete else { return db }
        let version = try db.scalarInt("PRAGMA user_version") ?? 0
        guard version == Int64(IndexSchema.version) else {
            throw IndexError(file: path, message: "Tifa index schema version \(version) is not supported by this Tifa (\(IndexSchema.version)); \(IndexFileCheck.rebuildHint(path))")
        }
        guard (try? db.scalarText("SELECT value FROM meta WHERE key = 'build_complete'")) == "1" else {
            throw IndexError(file: path, message: "incomplete Tifa index (its build did not finish); \(IndexFileCheck.rebuildHint(path))")
        }
        return db
    }

    /// A `meta` value (provenance), e.g. `tifa_version`, `options`, `fingerprint`.
    public func meta(_ key: String) throws -> String? {
        try db.scalarText("SELECT value FROM meta WHERE key = ?", [.text(key)])
    }

    /// Every `meta` row, sorted by key.
    public func provenance() throws -> [(key: String, value: String)] {
        let s = try db.prepare("SELECT key, value FROM meta ORDER BY key")
        var rows: [(String, String)] = []
        while try s.step() {
            let key = s.text(0) ?? "", value = s.text(1) ?? ""
            // The entries themselves are for the next build; people see how many there are.
            if key == "user_word_lists", let lists = try? JSONDecoder().decode(UserWordLists.self, from: Data(value.utf8)) {
                rows.append((key, "\(lists.dictionaryWords.count) dictionary words, \(lists.formulas.count) formulas"))
            } else {
                rows.append((key, value))
            }
        }
        let r = try db.prepare("SELECT name, sha256 FROM resources ORDER BY name")
        while try r.step() { rows.append(("resource " + (r.text(0) ?? ""), "sha256:" + (r.text(1) ?? ""))) }
        return rows
    }

    /// Whether the index has the term (normalized like the documents).
    public func contains(_ term: String, kinds: Set<TermKind>? = nil) throws -> Bool {
        try !lookup(term, kinds: kinds).isEmpty
    }

    public var documentCount: Int { Int((try? db.scalarInt("SELECT COUNT(*) FROM documents")) ?? 0) }

    /// Document names (ids) shared by several documents, most frequent first.
    public func duplicateNames() throws -> [(name: String, count: Int)] {
        let s = try db.prepare("SELECT name, COUNT(*) AS n FROM documents GROUP BY name HAVING n > 1 ORDER BY n DESC, name")
        var result: [(String, Int)] = []
        while try s.step() { result.append((s.text(0) ?? "", Int(s.int(1)))) }
        return result
    }

    /// Skipped documents of the last build.
    public func skipped() throws -> [CorpusSkip] {
        let s = try db.prepare("SELECT source, reason FROM skipped ORDER BY rowid")
        var result: [CorpusSkip] = []
        while try s.step() { result.append(CorpusSkip(source: s.text(0) ?? "", reason: s.text(1) ?? "")) }
        return result
    }

    // MARK: Analysis options of the build

    /// The analysis options of the build.
    func analysisOptions() throws -> Analyzer.Options {
        if let analysisOptionsCache { return analysisOptionsCache }
        guard let json = try meta("options") else { throw IndexError(file: path, message: "has no analysis options in its meta table; rebuild it with `tifa index build --rebuild`") }
        do {
            let options = try Provenance.analysisOptions(fromJSON: json)
            analysisOptionsCache = options
            return options
        } catch {
            throw IndexError(file: path, message: "its analysis options cannot be read (built by another Tifa version?); rebuild it with `tifa index build --rebuild`")
        }
    }

    /// The build's analyzer, loaded once (about 70 ms): only KWIC on words re-analyses texts.
    func analyzer() throws -> Analyzer {
        if let analyzerCache { return analyzerCache }
        let a = try Analyzer(options: analysisOptions())
        analyzerCache = a
        return a
    }

    /// The normalizer the build used, for query terms and text searches (so 兩不愁三保障 finds
    /// 两不愁三保障). A normalizer is enough: no segmenter is loaded for a lookup.
    func queryNormalizer() throws -> Normalizer {
        if let normalizerCache { return normalizerCache }
        let n = try Normalizer(options: analysisOptions().normalization)
        normalizerCache = n
        return n
    }

    /// The lexicon the build matched formulas with (shipped and `--lexicon` files).
    func buildLexicon() throws -> PolicyLexicon {
        if let lexiconCache { return lexiconCache }
        let l = try Analyzer.lexicon(for: analysisOptions())
        lexiconCache = l
        return l
    }

    /// The index's terms matching a query term: of `kinds` when given; otherwise the formula if
    /// the term is one, else every kind it has.
    func lookup(_ term: String, kinds: Set<TermKind>?) throws -> [(id: Int64, text: String, kind: TermKind)] {
        let normalized = try queryNormalizer().normalize(term.trimmingCharacters(in: .whitespaces)).string
        // Any spelling the extractor accepts names its formula (兩不愁、三保障, 5个一批, a variant).
        let formula = try buildLexicon().entry(matching: normalized)?.formula ?? normalized
        let s = try db.prepare("SELECT term_id, text, kind FROM terms WHERE text IN (?, ?, ?) ORDER BY term_id")
        try s.bind([.text(normalized), .text(term), .text(formula)])
        var result: [(id: Int64, text: String, kind: TermKind)] = []
        while try s.step() {
            guard let kind = TermKind(rawValue: s.text(2) ?? "") else { continue }
            if let kinds, !kinds.contains(kind) { continue }
            result.append((s.int(0), s.text(1) ?? "", kind))
        }
        // A lexicon formula is also a segmenter token (a word); without an explicit kind the
        // formula is meant: its count includes variants and separated forms (兩不愁、三保障).
        if kinds == nil, result.contains(where: { $0.kind == .formula }) {
            result.removeAll { $0.kind != .formula }
        }
        return result
    }

    // MARK: Groups

    /// SQL for (doc_id, grp, tokens) of every document, and its bound arguments.
    private func groupSQL(_ field: String?) -> (String, [SQLiteValue]) {
        guard let field else { return ("SELECT doc_id, NULL AS grp, tokens FROM documents", []) }
        if field == "year" { return ("SELECT doc_id, year AS grp, tokens FROM documents", []) }
        return ("SELECT d.doc_id, m.value AS grp, d.tokens FROM documents d LEFT JOIN document_meta m ON m.doc_id = d.doc_id AND m.key = ?", [.text(field)])
    }

    /// Whether a group passes `from`…`to`: any group when neither is given, else a numeric one
    /// within them (a document without the field, nil, never).
    static func group(_ group: String?, isWithin from: Double?, _ to: Double?) -> Bool {
        guard from != nil || to != nil else { return true }
        guard let group, let v = Double(group) else { return false }
        return v >= (from ?? -.infinity) && v <= (to ?? .infinity)
    }

    private static func groupString(_ s: SQLiteStatement, _ column: Int32) -> String? {
        switch s.value(column) {
        case .null: return nil
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .text(let t): return t
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    /// Groups in a natural order: numerically when every group is a number, unknown (nil) last.
    static func sortGroups(_ groups: [String?]) -> [String?] {
        let known = groups.compactMap { $0 }
        let numeric = known.allSatisfy { Double($0) != nil }
        let sorted = known.sorted { a, b in
            if numeric { return Double(a)! < Double(b)! }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        }
        return sorted.map { Optional($0) } + (groups.contains { $0 == nil } ? [nil] : [])
    }

    /// Every document's group of `field`: the groups met, and per doc_id (0…MAX(doc_id)) the
    /// index of its group among them, -1 for an id without a document or a group `keep` refuses.
    /// The one reading of documents' groups that top, trend and their text searches share.
    private func documentGroups(_ field: String?, keep: (String?) -> Bool = { _ in true }) throws -> (groups: [String?], ofDocument: [Int32]) {
        let (g, args) = groupSQL(field)
        let maxDoc = Int(try db.scalarInt("SELECT COALESCE(MAX(doc_id), 0) FROM documents") ?? 0)
        var ofDocument = [Int32](repeating: -1, count: maxDoc + 1)
        var groups: [String?] = [], index: [String?: Int32] = [:]
        let d = try db.prepare("WITH g AS (\(g)) SELECT doc_id, grp FROM g")
        try d.bind(args)
        while try d.step() {
            let group = Self.groupString(d, 1)
            let doc = Int(d.int(0))
            guard keep(group), doc >= 0 && doc <= maxDoc else { continue }
            let i: Int32
            if let known = index[group] { i = known } else {
                i = Int32(groups.count)
                index[group] = i
                groups.append(group)
            }
            ofDocument[doc] = i
        }
        return (groups, ofDocument)
    }

    /// Tokens and documents of every group.
    private func groupTotals(_ field: String?) throws -> [String?: (tokens: Int, documents: Int)] {
        let (g, args) = groupSQL(field)
        let s = try db.prepare("WITH g AS (\(g)) SELECT grp, SUM(tokens), COUNT(*) FROM g GROUP BY grp")
        try s.bind(args)
        var result: [String?: (Int, Int)] = [:]
        while try s.step() { result[Self.groupString(s, 0)] = (Int(s.int(1)), Int(s.int(2))) }
        return result
    }

    // MARK: top

    /// SQL condition on `t` (terms) that counts a formula once when words and formulas are both
    /// wanted: the segmenter keeps a formula whole as a word token, and the matcher counts the
    /// same occurrence as a formula; the word is left out.
    static func formulaWordsLeftOut(_ kinds: Set<TermKind>) -> String {
        guard kinds.contains(.word) && kinds.contains(.formula) else { return "" }
        return " AND NOT (t.kind = 'word' AND t.text IN (SELECT f.text FROM terms f WHERE f.kind = 'formula'))"
    }

    public func top(_ query: TopQuery) throws -> [TopRow] {
        let totals = try groupTotals(query.groupBy)
        let corpusDocuments = Double(documentCount)
        let kinds = query.kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")
        if query.groupBy != nil { return try groupedTop(query, totals: totals) }
        let sql = "SELECT NULL, t.text, t.kind, t.cf, t.df, t.df FROM terms t WHERE t.kind IN (\(kinds))\(Self.formulaWordsLeftOut(query.kinds))"
        let s = try db.prepare(sql)
        var byGroup: [String?: [TopRow]] = [:]
        while try s.step() {
            let text = s.text(1) ?? ""
            guard let kind = TermKind(rawValue: s.text(2) ?? "") else { continue }
            if kind == .word && query.stopWords.contains(text) { continue }
            let group = Self.groupString(s, 0)
            let count = Int(s.int(3))
            let tokens = totals[group]?.tokens ?? 0
            let idf = log((1 + corpusDocuments) / (1 + Double(s.int(5)))) + 1
            byGroup[group, default: []].append(TopRow(group: group, rank: 0, term: text, kind: kind, count: count,
                                                      documents: Int(s.int(4)),
                                                      per10k: tokens > 0 ? Double(count) * 10000 / Double(tokens) : 0,
                                                      tfidf: Double(count) * idf))
        }
        var result: [TopRow] = []
        for group in Self.sortGroups(Array(byGroup.keys)) {
            var rows = byGroup[group]!
            rows.sort { Self.ranksBefore($0, $1, query.ranking) }
            for (i, var row) in rows.prefix(max(0, query.limit)).enumerated() {
                row.rank = i + 1
                result.append(row)
            }
        }
        return result
    }

    /// `top`'s order: the ranking's value, descending; then the term, then its kind.
    static func ranksBefore(_ a: TopRow, _ b: TopRow, _ ranking: TermRanking) -> Bool {
        let (x, y): (Double, Double)
        switch ranking {
        case .count: (x, y) = (Double(a.count), Double(b.count))
        case .rate: (x, y) = (a.per10k, b.per10k)
        case .tfidf: (x, y) = (a.tfidf, b.tfidf)
        }
        if x != y { return x > y }
        if a.term != b.term { return a.term.unicodeScalars.lexicographicallyPrecedes(b.term.unicodeScalars) }
        return a.kind.rawValue < b.kind.rawValue
    }

    /// `top` per group: each term's count and documents in every group, summed here over one
    /// pass of the documents' term counts (`forEachDocumentTerm`). SQL's `GROUP BY` over the
    /// `doc_terms` view took 10 s on the generated 100 MB corpus's index, most of it SQLite
    /// sorting and comparing records (DESIGN.md §6).
    private func groupedTop(_ query: TopQuery, totals: [String?: (tokens: Int, documents: Int)]) throws -> [TopRow] {
        let corpusDocuments = Double(documentCount)
        // The terms the query may list (kind, and a formula's word left out), by term id.
        let kinds = query.kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")
        var texts: [String] = [], termKinds: [TermKind] = [], dfs: [Int] = []
        let terms = try termIDSlots(where: "t.kind IN (\(kinds))\(Self.formulaWordsLeftOut(query.kinds))") { t, _ in
            guard let kind = TermKind(rawValue: t.text(2) ?? "") else { return false }
            let text = t.text(1) ?? ""
            if kind == .word && query.stopWords.contains(text) { return false }
            texts.append(text); termKinds.append(kind); dfs.append(Int(t.int(3)))
            return true
        }
        let (groups, groupOfDoc) = try documentGroups(query.groupBy) { Self.group($0, isWithin: query.from, query.to) }
        let maxDoc = groupOfDoc.count - 1
        // The count and documents of each term in each group.
        var sums = [[Int32: (count: Int, documents: Int)]](repeating: [:], count: groups.count)
        @inline(__always) func add(_ count: Int64, to sum: inout (count: Int, documents: Int)) {
            sum.count += Int(count)
            sum.documents += 1
        }
        try forEachDocumentTerm { doc, term, count in
            guard doc >= 0 && Int(doc) <= maxDoc, let slot = terms.slot(term) else { return }
            let group = groupOfDoc[Int(doc)]
            guard group >= 0 else { return }
            add(count, to: &sums[Int(group)][Int32(slot), default: (0, 0)])
        }
        var result: [TopRow] = []
        let limit = max(0, query.limit)
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        for group in Self.sortGroups(groups) {
            let sum = sums[groupIndex[group]!]
            guard !sum.isEmpty else { continue }
            let tokens = totals[group]?.tokens ?? 0
            var rows = sum.map { slot, value -> TopRow in
                let s = Int(slot)
                let idf = log((1 + corpusDocuments) / (1 + Double(dfs[s]))) + 1
                return TopRow(group: group, rank: 0, term: texts[s], kind: termKinds[s], count: value.count, documents: value.documents,
                              per10k: tokens > 0 ? Double(value.count) * 10000 / Double(tokens) : 0,
                              tfidf: Double(value.count) * idf)
            }
            rows.sort { Self.ranksBefore($0, $1, query.ranking) }
            for (i, var row) in rows.prefix(limit).enumerated() {
                row.rank = i + 1
                result.append(row)
            }
        }
        return result
    }

    // MARK: trend

    /// Count and rate of each term in every group (zero where it does not occur). Terms not in
    /// the index give no rows.
    public func trend(terms: [String], by field: String, kinds: Set<TermKind>? = nil) throws -> [TrendRow] {
        var query = TrendQuery(terms: terms)
        query.groupBy = field
        query.kinds = kinds
        query.search = .term
        return try trend(query).rows
    }

    /// Count and rate of each query in every group of `query.groupBy` (zero where it does not
    /// occur), within `from`…`to` when given. Documents without a value of the field are left
    /// out and counted in the result; so are queries found nowhere (`ResolvedQuery.found`: in
    /// no document of the index, including those left out).
    public func trend(_ query: TrendQuery) throws -> TrendResult {
        let field = query.groupBy
        let totals = try groupTotals(field)
        var result = TrendResult()
        result.ungroupedDocuments = totals[nil]?.documents ?? 0
        let groups = Self.sortGroups(Array(totals.keys)).compactMap { $0 }.filter { Self.group($0, isWithin: query.from, query.to) }
        let resolvedQueries = try query.terms.map { try resolve($0, kinds: query.kinds, search: query.search) }
        // doc_terms is keyed by document: the counts of every queried term come from one pass.
        var termCounts: [Int64: [String?: (Int, Int)]] = [:]
        let ids = Set(resolvedQueries.filter { $0.method == .term }.flatMap { $0.terms.map(\.id) })
        let needsGroups = !ids.isEmpty || resolvedQueries.contains { $0.method != .term && $0.found }
        let (groupNames, groupOfDoc) = needsGroups ? try documentGroups(field) : ([], [])
        /// The group of document `doc`, nil when it has none (no document of that id).
        func groupOf(_ doc: Int64) -> String?? {
            guard doc >= 0 && doc < Int64(groupOfDoc.count), case let g = groupOfDoc[Int(doc)], g >= 0 else { return nil }
            return .some(groupNames[Int(g)])
        }
        if !ids.isEmpty {
            // Summed over one pass of the documents' counts (`forEachDocumentTerm`; SQL over
            // the doc_terms view took about a second for the 100 MB corpus's index).
            var lastDoc: Int64 = -1
            var group: String?? = nil
            try forEachDocumentTerm { doc, term, count in
                guard ids.contains(term) else { return }
                if doc != lastDoc { lastDoc = doc; group = groupOf(doc) }
                guard let group else { return }
                let old = termCounts[term]?[group] ?? (0, 0)
                termCounts[term, default: [:]][group] = (old.0 + Int(count), old.1 + 1)
            }
        }
        func append(_ label: String, _ kind: TermKind?, _ counts: [String?: (Int, Int)]) {
            for group in groups {
                let (count, documents) = counts[group] ?? (0, 0)
                let tokens = totals[group]?.tokens ?? 0
                result.rows.append(TrendRow(group: group, term: label, kind: kind, count: count, documents: documents,
                                            tokens: tokens, per10k: tokens > 0 ? Double(count) * 10000 / Double(tokens) : 0))
            }
        }
        var seen = Set<Int64>()
        for var resolved in resolvedQueries {
            defer { result.queries.append(resolved) }
            switch resolved.method {
            case .term:
                for match in resolved.terms where seen.insert(match.id).inserted {
                    append(match.text, match.kind, termCounts[match.id] ?? [:])
                }
            case .text, .regex:
                guard resolved.found else { continue }
                let spans = try textOccurrences(resolved)
                // Found means found in some document, grouped or not: a text that occurs only
                // in documents left out is not "nowhere".
                resolved.found = !spans.isEmpty
                var counts: [String?: (Int, Int)] = [:]
                for (doc, found) in spans where !found.isEmpty {
                    guard let key = groupOf(doc) else { continue }
                    let old = counts[key] ?? (0, 0)
                    counts[key] = (old.0 + found.count, old.1 + 1)
                }
                append(resolved.label, nil, counts)
            }
        }
        return result
    }
}
