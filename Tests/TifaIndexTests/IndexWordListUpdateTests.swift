import Foundation
import Tifa
@testable import TifaIndex
import XCTest
import TifaTestSupport

/// A build with other user dictionaries or lexicons re-indexes only the documents that hold a
/// changed entry, and its result is the fresh build's.
final class IndexWordListUpdateTests: XCTestCase {
    /// `contentSignature` plus what it leaves out: formula categories and nested occurrences.
    func signature(_ path: String) throws -> [String] {
        let db = try SQLiteDatabase(path: path, mode: .readOnly)
        var lines = try contentSignature(path)
        for q in ["SELECT 'category ' || text || '|' || COALESCE(category, '') FROM terms WHERE kind = 'formula'",
                  "SELECT 'within ' || d.name || '|' || t.text || '|' || f.start || '|' || COALESCE(w.text, '') || '|' || COALESCE(f.within_start, '') FROM formula_occurrences f JOIN documents d USING (doc_id) JOIN terms t USING (term_id) LEFT JOIN terms w ON w.term_id = f.within_term_id"] {
            let s = try db.prepare(q)
            while try s.step() { lines.append(s.text(0) ?? "") }
        }
        return lines.sorted()
    }

    /// doc_id by name and checksum (names may repeat: all ids, in order).
    func documentIDs(_ path: String) throws -> [String: [Int64]] {
        let db = try SQLiteDatabase(path: path, mode: .readOnly)
        let s = try db.prepare("SELECT name || '|' || checksum, doc_id FROM documents ORDER BY doc_id")
        var ids: [String: [Int64]] = [:]
        while try s.step() { ids[s.text(0) ?? "", default: []].append(s.int(1)) }
        return ids
    }

    /// Builds `inputs` with `before`, updates the index with `after`, and checks: no full
    /// rebuild; the result equals a fresh build with `after`; the documents analysed again are
    /// exactly those whose normalized text holds a changed entry (found here by plain substring
    /// search), and every other document kept its row (same doc_id: not analysed again).
    @discardableResult
    func assertUpdateEqualsFreshBuild(_ inputs: [String], before: Analyzer.Options, after: Analyzer.Options, texts: [String],
                                      corpus: CorpusOptions = .init(), file: StaticString = #filePath, line: UInt = #line) throws -> IndexBuildReport {
        let scratch = try Scratch()
        var options = IndexBuildOptions.threads(2)
        options.corpus = corpus
        options.analysis = before
        let db = scratch.path("i.db")
        try IndexBuilder.build(inputs: inputs, database: db, options: options)
        let idsBefore = try documentIDs(db)

        options.analysis = after
        let report = try IndexBuilder.build(inputs: inputs, database: db, options: options)
        XCTAssertNil(report.fullRebuildReason, file: file, line: line)
        let change = try XCTUnwrap(report.wordListChange, file: file, line: line)

        var fresh = options
        fresh.mode = .rebuild
        fresh.threads = 1
        let rebuilt = scratch.path("fresh.db")
        try IndexBuilder.build(inputs: inputs, database: rebuilt, options: fresh)
        XCTAssertEqual(try signature(db), try signature(rebuilt), file: file, line: line)

        let phrases = try UserWordLists(options: after).changes(since: UserWordLists(options: before)).phrases
        let normalizer = try Normalizer(options: after.normalization)
        let holding = texts.filter { text in
            let normalized = normalizer.normalize(text).string
            return phrases.contains { normalized.contains($0) }
        }
        XCTAssertEqual(change.reanalyzed, holding.count, file: file, line: line)
        XCTAssertEqual(report.indexed, holding.count, file: file, line: line)
        XCTAssertEqual(report.kept, texts.count - holding.count, file: file, line: line)
        let idsAfter = try documentIDs(db)
        let unchangedRows = idsAfter.reduce(0) { n, entry in n + Set(entry.value).intersection(idsBefore[entry.key] ?? []).count }
        XCTAssertEqual(unchangedRows, report.kept, "documents without a changed entry keep their rows", file: file, line: line)
        // A second run with the same lists has nothing to do.
        XCTAssertTrue(try IndexBuilder.build(inputs: inputs, database: db, options: options).upToDate, file: file, line: line)
        return report
    }

    /// Han substrings of `length` found in some of `texts` but not all, at most `count`, in text
    /// order: words whose change touches part of the corpus.
    func partialWords(in texts: [String], length: Int, count: Int, skipping: Set<String> = []) -> [String] {
        var words: [String] = []
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            var i = 0
            while i + length <= scalars.count && words.count < count {
                let slice = scalars[i..<(i + length)]
                i += 3
                guard slice.allSatisfy({ HanScript.isHan($0.value) }) else { continue }
                let word = String(String.UnicodeScalarView(slice))
                let holders = texts.filter { $0.contains(word) }.count
                if holders > 0 && holders < texts.count && !words.contains(word) && !skipping.contains(word) { words.append(word) }
            }
        }
        return words
    }

    /// Before: a dictionary and a lexicon; after: a word re-weighted, one removed, one added, a
    /// formula's category changed, a formula added, and a word found nowhere.
    func wordListOptions(_ scratch: Scratch, texts: [String], base: Analyzer.Options = .init()) throws -> (Analyzer.Options, Analyzer.Options) {
        let words = partialWords(in: texts, length: 3, count: 4)
        let formulas = partialWords(in: texts, length: 4, count: 2, skipping: Set(words))
        XCTAssertEqual(words.count, 4)
        XCTAssertEqual(formulas.count, 2)
        var before = base, after = base
        before.dictionaries = [try scratch.write("before.dict", "\(words[0]) 5\n\(words[1])\n\(words[2]) 3 n\n")]
        after.dictionaries = [try scratch.write("after.dict", "\(words[0]) 50000\n\(words[2]) 3 n\n\(words[3])\n甲乙丙丁戊\n")]
        before.lexicons = [try scratch.write("before.tsv", "\(formulas[0])\teconomy\t-\t-\t-\n")]
        after.lexicons = [try scratch.write("after.tsv", "\(formulas[0])\treform\t-\t-\t-\n\(formulas[1])\tsociety\t-\t-\t-\n")]
        return (before, after)
    }

    func testSeedsUpdateEqualsFreshBuild() throws {
        let files = try TestPaths.seedFiles()
        let texts = try files.map { try String(contentsOf: $0, encoding: .utf8) }
        let scratch = try Scratch()
        let (before, after) = try wordListOptions(scratch, texts: texts)
        let report = try assertUpdateEqualsFreshBuild(files.map(\.path), before: before, after: after, texts: texts)
        XCTAssertEqual(report.wordListChange?.changedEntries, 6)  // 4 words (re-weighted, removed, added, found nowhere), 2 formulas
        XCTAssertEqual(report.unchangedFiles, 0)                   // every file is read to look for the words
    }

    /// Traditional and simplified texts in several encodings: the dictionary words are matched
    /// after normalization (a traditional entry finds simplified text and the reverse).
    func testFixtureCorpusUpdateEqualsFreshBuild() throws {
        // Decoded as the build decodes them (encoding detection).
        let scratch = try Scratch()
        let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/TifaTests/Fixtures")
        let names = ["simplified.utf8.txt", "simplified.gb18030.txt", "traditional.big5.txt", "traditional.utf8.txt", "segmentation_training.txt"]
        try FileManager.default.createDirectory(atPath: scratch.path("corpus"), withIntermediateDirectories: true)
        var texts: [String] = []
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
            _ = try scratch.write("corpus/\(name)", bytes: bytes)
            texts.append(try TextDecoder.decode(bytes).text)
        }
        let normalizer = try Normalizer()
        var (before, after) = try wordListOptions(scratch, texts: texts.map { normalizer.normalize($0).string })
        // A word written in traditional characters is looked for normalized (鄉村振興 → 乡村振兴).
        after.dictionaries.append(try scratch.write("traditional.dict", "鄉村振興\n"))
        let report = try assertUpdateEqualsFreshBuild([scratch.path("corpus")], before: before, after: after, texts: texts)
        XCTAssertGreaterThan(report.wordListChange?.reanalyzed ?? 0, 0)
    }

    /// The bundled corpus as JSON Lines (skipped when absent): records of an unchanged file are
    /// checked one by one.
    func testSharedCorpusUpdateEqualsFreshBuild() throws {
        guard let lines = try TestPaths.sharedCorpusRecords(first: 30) else { throw XCTSkip("\(TestPaths.sharedCorpus.path) is absent") }
        let scratch = try Scratch()
        let path = try scratch.write("part.jsonl", lines.joined(separator: "\n") + "\n")
        let texts = try lines.map { line -> String in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try XCTUnwrap(object?["content"] as? String)
        }
        let normalizer = try Normalizer()
        let (before, after) = try wordListOptions(scratch, texts: texts.map { normalizer.normalize($0).string })
        try assertUpdateEqualsFreshBuild([path], before: before, after: after, texts: texts)
    }

    /// Dictionaries rewritten with the same entries (a comment, another order): the new
    /// provenance is written, no document is analysed again, no file read again.
    func testSameEntriesInOtherFilesReindexNothing() throws {
        let scratch = try Scratch()
        try scratch.write("c/a.txt", "坚持精准扶贫，聚焦两不愁三保障。")
        try scratch.write("c/b.txt", "巩固脱贫成果，推进乡村振兴。")
        var options = IndexBuildOptions.threads(1)
        options.analysis.dictionaries = [try scratch.write("d1.txt", "精准扶贫\n乡村振兴 10\n")]
        let db = scratch.path("i.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        options.analysis.dictionaries = [try scratch.write("d2.txt", "# the same words\n乡村振兴 10\n精准扶贫\n")]
        let report = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertNil(report.fullRebuildReason)
        XCTAssertEqual(report.wordListChange?.changedEntries, 0)
        XCTAssertEqual(report.indexed, 0)
        XCTAssertEqual(report.unchangedFiles, 2)
        XCTAssertFalse(report.upToDate)
        XCTAssertTrue(try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options).upToDate)
    }

    /// What the entries cannot vouch for re-indexes everything: a formula made only of numerals
    /// (any text may hold it: 十三五 / 13五), or another option besides the word lists.
    func testWhatWordListsCannotBoundReindexesEverything() throws {
        let scratch = try Scratch()
        try scratch.write("c/a.txt", "十三五规划。")
        try scratch.write("c/b.txt", "乡村振兴。")
        var options = IndexBuildOptions.threads(1)
        let db = scratch.path("i.db")
        try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        options.analysis.lexicons = [try scratch.write("l.tsv", "十三五\tplan\t-\t-\t-\n")]
        let numerals = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertEqual(numerals.indexed, 2)
        XCTAssertNotNil(numerals.fullRebuildReason)
        XCTAssertNil(numerals.wordListChange)

        options.analysis.dictionaries = [try scratch.write("d.txt", "乡村振兴\n")]
        options.analysis.formulaCoverage = .outermost
        let both = try IndexBuilder.build(inputs: [scratch.path("c")], database: db, options: options)
        XCTAssertEqual(both.indexed, 2)
        XCTAssertNotNil(both.fullRebuildReason)
    }

    func testFixedPartsOfFormulaForms() throws {
        let normalizer = try Normalizer()
        // Numerals, separators and part boundaries end a run; 兩 is normalized first.
        XCTAssertEqual(UserWordLists.fixedPart(of: "兩不愁三保障", normalizer: normalizer), "不愁")
        XCTAssertEqual(UserWordLists.fixedPart(of: "五个一批", normalizer: normalizer), "个")
        XCTAssertEqual(UserWordLists.fixedPart(of: "长期共存互相监督", normalizer: normalizer), "长期共存")
        XCTAssertEqual(UserWordLists.fixedPart(of: "1+X证书", normalizer: normalizer), "证书")
        XCTAssertEqual(UserWordLists.fixedPart(of: "十三五", normalizer: normalizer), "")
    }

    func testPhraseSetFindsEveryPhraseAndOnlyThem() {
        let set = PhraseSet(["乡村振兴", "村振", "兴旺", "he", "she", "hers"])
        for text in ["乡村振兴", "全面推进乡村振兴战略", "村振", "人丁兴旺", "ushers", "she", "ahe"] {
            XCTAssertTrue(set.occurs(in: text.unicodeScalars), text)
        }
        for text in ["", "乡村", "振兴", "兴 旺", "hs", "村 振"] {
            XCTAssertFalse(set.occurs(in: text.unicodeScalars), text)
        }
        XCTAssertTrue(PhraseSet([""]).occurs(in: "".unicodeScalars))
        XCTAssertFalse(PhraseSet([]).occurs(in: "abc".unicodeScalars))
    }
}
