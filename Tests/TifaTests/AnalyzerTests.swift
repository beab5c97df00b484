import Foundation
@testable import Tifa
import TifaTestSupport
import XCTest

final class AnalyzerTests: XCTestCase {
    /// The README's example, kept honest.
    func testReadmeExample() throws {
        let analyzer = try Analyzer()
        let analysis = analyzer.analyze("聚焦兩不愁、三保障", detail: .tokens)
        XCTAssertEqual(analysis.terms.map { "\($0.text) \($0.kind) \($0.count)" },
                       ["聚焦 word 1", "两不愁 word 1", "三保障 word 1", "两不愁三保障 formula 1", "两不愁 formula 1", "三保障 formula 1"])
        // The formulas inside 两不愁三保障 are counted too, and name it.
        XCTAssertEqual(analysis.formulas.map(\.sourceRange), [2..<9, 2..<5, 6..<9])
        XCTAssertEqual(analysis.formulas.map(\.surface), ["兩不愁、三保障", "兩不愁", "三保障"])
        let outer = FormulaOccurrence.Outer(formula: "两不愁三保障", sourceRange: 2..<9)
        XCTAssertEqual(analysis.formulas.map(\.within), [nil, outer, outer])
        XCTAssertEqual(analysis.tokens?.map(\.sourceRange), [0..<2, 2..<5, 6..<9])
        XCTAssertEqual(analysis.tokenCount, 3)
        XCTAssertEqual(analysis.characterCount, 9)
        XCTAssertEqual(analyzer.analyze("聚焦兩不愁、三保障").tokens, nil)
        var options = Analyzer.Options()
        options.formulaCoverage = .outermost
        XCTAssertEqual(try Analyzer(options: options).analyze("聚焦兩不愁、三保障").formulas.map(\.formula), ["两不愁三保障"])
    }

    func testResultRoundTripsThroughJSON() throws {
        let analysis = try Analyzer().analyze("2020年，兩不愁、三保障 COVID-19 五个一批。", detail: .tokens)
        let data = try JSONEncoder().encode(analysis)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["characters", "token_count", "terms", "formulas", "tokens", "warnings"])
        XCTAssertEqual(try JSONDecoder().decode(DocumentAnalysis.self, from: data), analysis)
    }

    /// A user dictionary and a user lexicon reach the tokens, the formulas and the provenance.
    func testUserDictionaryAndLexicon() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("analyzer-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dict = dir.appendingPathComponent("words.txt"), lexicon = dir.appendingPathComponent("formulas.tsv")
        try "沣西新城 1000\n".write(to: dict, atomically: true, encoding: .utf8)
        try "三张清单\tgovernance\t-\t-\t-\n".write(to: lexicon, atomically: true, encoding: .utf8)
        let text = "沣西新城落实三张清单"
        // The lattice alone splits the unknown name (the model might find it by itself).
        var lattice = Analyzer.Options()
        lattice.model = .none
        let plain = try Analyzer(options: lattice).analyze(text)
        XCTAssertFalse(plain.terms.contains { $0.text == "沣西新城" })
        XCTAssertTrue(plain.formulas.isEmpty)

        var options = Analyzer.Options()
        options.dictionaries = [dict.path]
        options.lexicons = [lexicon.path]
        let analyzer = try Analyzer(options: options)
        let analysis = analyzer.analyze(text)
        XCTAssertTrue(analysis.terms.contains { $0.text == "沣西新城" && $0.kind == .word })
        XCTAssertEqual(analysis.formulas.map(\.formula), ["三张清单"])
        XCTAssertTrue(analysis.terms.contains { $0.text == "三张清单" && $0.kind == .word }, "the user's formula is kept whole")
        XCTAssertEqual(analyzer.dataFiles.filter { $0.role == .userDictionary }.map(\.url.path), [dict.path])
        XCTAssertEqual(analyzer.dataFiles.filter { $0.role == .userLexicon }.map(\.url.path), [lexicon.path])
        XCTAssertEqual(try Analyzer.dataFiles(for: options), analyzer.dataFiles)

        options.dictionaries = [dir.appendingPathComponent("missing.txt").path]
        XCTAssertThrowsError(try Analyzer.dataFiles(for: options)) { XCTAssertTrue("\($0)".contains("missing.txt")) }
    }

    func testOptionsAreCodableAndToleratesMissingKeys() throws {
        var options = Analyzer.Options()
        options.normalization.steps.remove(.traditionalToSimplified)
        options.segmentation = .search
        options.dictionaries = ["/a/b.txt"]
        let decoded = try JSONDecoder().decode(Analyzer.Options.self, from: Data(options.json.utf8))
        XCTAssertEqual(decoded, options)
        XCTAssertTrue(options.json.contains("\"segmentation\":\"search\""))
        // Keys are sorted, so equal options give equal JSON (and fingerprints).
        let keys = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(options.json.utf8)) as? [String: Any]).keys.sorted()
        XCTAssertEqual(options.json.components(separatedBy: "\"").filter { keys.contains($0) }.prefix(keys.count).map { $0 }, keys)
        XCTAssertEqual(try JSONDecoder().decode(Analyzer.Options.self, from: Data("{}".utf8)), Analyzer.Options())
        // The default leaves `domainWords` out, so indexes built before it keep their fingerprint.
        XCTAssertFalse(Analyzer.Options().json.contains("domainWords"))
        options.domainWords = .whole
        XCTAssertTrue(options.json.contains("\"domainWords\":\"whole\""))
        XCTAssertEqual(try JSONDecoder().decode(Analyzer.Options.self, from: Data(options.json.utf8)), options)
        var whole = Analyzer.Options()
        whole.domainWords = .whole
        XCTAssertEqual(try Analyzer(options: whole).segmenter.options.domainWords, .whole)
        XCTAssertEqual(try Analyzer().segmenter.options.domainWords, .model)
    }

    /// The segmenter the analyzer builds keeps its lexicon's formulas whole, as the shipped one did.
    func testSegmenterGetsItsFormulasFromTheAnalyzer() throws {
        let analyzer = try Analyzer()
        let standalone = try Segmenter()
        let text = analyzer.normalizer.normalize("坚持两不愁三保障，落实五个一批和三落实三精准三保障")
        XCTAssertEqual(analyzer.segmenter.segment(text), standalone.segment(text))
        XCTAssertEqual(analyzer.segmenter.lexiconWordCount, standalone.lexiconWordCount)
    }
}

extension AnalyzerTests {
    /// A long document is analysed in pieces, with the result of the whole: here pieces of 2,048
    /// code points over a seed repeated, against the seed's own analysis.
    func testLongDocumentsAreAnalysedInPiecesWithTheResultOfTheWhole() throws {
        let analyzer = try Analyzer()
        let seed = try String(contentsOf: TestPaths.seedFiles()[3], encoding: .utf8)
        let one = analyzer.analyze(seed + "\n", detail: .tokens)
        let copies = 5
        let long = String(repeating: seed + "\n", count: copies)
        let pieces = analyzer.analyze(long, detail: .tokens, pieceLength: 2048)
        XCTAssertGreaterThan(long.unicodeScalars.count, 4 * 2048)
        XCTAssertEqual(pieces.characterCount, copies * one.characterCount)
        XCTAssertEqual(pieces.tokenCount, copies * one.tokenCount)
        XCTAssertEqual(pieces.terms, one.terms.map { TermCount(text: $0.text, kind: $0.kind, count: copies * $0.count) })
        let length = one.characterCount
        XCTAssertEqual(pieces.formulas.map(\.sourceRange), (0..<copies).flatMap { k in one.formulas.map { ($0.sourceRange.lowerBound + k * length)..<($0.sourceRange.upperBound + k * length) } })
        XCTAssertEqual(pieces.formulas.map(\.surface), Array(repeating: one.formulas.map(\.surface), count: copies).flatMap { $0 })
        XCTAssertEqual(pieces.tokens?.count, copies * (one.tokens?.count ?? 0))
        XCTAssertEqual(pieces, analyzer.analyze(long, detail: .tokens), "the default piece length gives the same result")
    }

    /// An index's analysis leaves out the texts of packed terms; their packed keys give them back,
    /// so the terms are those of the full analysis.
    func testPackedTermsWithoutTextGiveTheSameTerms() throws {
        let analyzer = try Analyzer()
        let text = try String(contentsOf: TestPaths.seedFiles()[3], encoding: .utf8) + "\n𠀀𠀁 COVID-19 2020年 可持续发展战略"
        let full = analyzer.analyze(text)
        let lean = analyzer.analyze(text, termTexts: .unpackedOnly)
        XCTAssertEqual(full.packedKeys, lean.packedKeys)
        XCTAssertTrue(lean.terms.contains { $0.text.isEmpty } && lean.terms.contains { !$0.text.isEmpty })
        // Formulas, after the segmenter's terms, have no packed keys.
        let restored = lean.terms.enumerated().map { i, term in
            let packed = i < lean.packedKeys.count ? lean.packedKeys[i] : nil
            return TermCount(text: packed?.text ?? term.text, kind: term.kind, count: term.count)
        }
        XCTAssertEqual(restored, full.terms)
        XCTAssertEqual(lean.formulas, full.formulas)
        XCTAssertEqual(lean.tokenCount, full.tokenCount)
    }
}
