import XCTest
import TifaTestSupport
@testable import Tifa

final class NormalizerTests: XCTestCase {
    static let seeds = TestPaths.seeds

    func normalize(_ s: String, _ options: Normalizer.Options = .init()) throws -> NormalizedText {
        try Normalizer(options: options).normalize(s)
    }

    /// Every normalized character maps back to one original character; where normalization did
    /// not change it, that character is itself.
    func assertMapsBack(_ original: String, _ text: NormalizedText, file: StaticString = #filePath, line: UInt = #line) {
        let source = Array(original.unicodeScalars)
        XCTAssertEqual(text.sourceOffsets.count, text.count + 1, file: file, line: line)
        var previous = -1
        for (i, s) in text.scalars.enumerated() {
            let o = text.sourceOffsets[i]
            XCTAssertGreaterThan(o, previous, "offsets increase", file: file, line: line)
            previous = o
            XCTAssertLessThan(o, source.count, file: file, line: line)
            if s.value < 0x3400 && !(s == " " || s == "\n") && !(source[o].value >= 0xFF01 && source[o].value <= 0xFF5E) {
                XCTAssertEqual(s, source[o], "character \(i) maps back to itself", file: file, line: line)
            }
        }
    }

    func testPinyinAnnotationsAreRemovedButRealParenthesesStay() throws {
        let original = "突出產業(yè)發(fā)展，鄉(xiāng)村（2018年）成效(一)綜述(下)"
        let text = try normalize(original, Normalizer.Options(steps: Normalizer.Steps.all.subtracting(.traditionalToSimplified)))
        XCTAssertEqual(text.string, "突出產業發展，鄉村（2018年）成效(一)綜述(下)")
        assertMapsBack(original, text)
        // 產業 spans the original 產業 only; the annotation after it is not part of it.
        let start = text.string.unicodeScalars.distance(from: text.string.unicodeScalars.startIndex, to: text.string.unicodeScalars.firstIndex(of: "產")!)
        let range = text.sourceRange(start..<start + 2)
        XCTAssertEqual(String(String.UnicodeScalarView(Array(original.unicodeScalars)[range])), "產業")
        // 業發 covers the annotation between them.
        let across = text.sourceRange(start + 1..<start + 3)
        XCTAssertEqual(String(String.UnicodeScalarView(Array(original.unicodeScalars)[across])), "業(yè)發")
    }

    func testWidthFoldingKeepsChinesePunctuation() throws {
        let original = "ＧＤＰ增长１２．１％，达到３．６９８亿元；（一）“两不愁”！？：、。"
        let text = try normalize(original)
        XCTAssertEqual(text.string, "GDP增长12.1%，达到3.698亿元；（一）“两不愁”！？：、。")
        assertMapsBack(original, text)
    }

    func testWhitespaceRunsCollapseAndIndentationGoes() throws {
        let original = "　　脱贫\u{3000}\u{3000}攻坚\u{A0} 精准  扶贫 \t\n  第二段\u{200B}落实 "
        let text = try normalize(original)
        XCTAssertEqual(text.string, "脱贫 攻坚 精准 扶贫\n第二段落实")
        assertMapsBack(original, text)
    }

    func testLineEndsBecomeLFAndOffsetsPointAtTheOriginal() throws {
        let original = "脱贫\r\n攻坚\r精准"
        let text = try normalize(original)
        XCTAssertEqual(text.string, "脱贫\n攻坚\n精准")
        XCTAssertEqual(text.sourceOffsets, [0, 1, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(text.sourceRange(3..<5), 4..<6)
    }

    func testStepsCanBeSwitchedOff() throws {
        let original = "　產業(yè)ＡＢ  "
        XCTAssertEqual(try normalize(original, .none).string, original)
    }

    func testOffsetsContinueAcrossChunks() throws {
        let normalizer = try Normalizer()
        let text = normalizer.normalize(TextChunk(scalars: Array("脫貧".unicodeScalars), startOffset: 100))
        XCTAssertEqual(text.string, "脱贫")
        XCTAssertEqual(text.sourceRange(0..<2), 100..<102)
    }

    func testSeed003ComesOutSimplifiedWithoutPinyin() throws {
        let url = Self.seeds.appendingPathComponent("003_d4946fc00d2aaf39.txt")
        let original = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        let text = try normalize(original).string
        XCTAssertTrue(text.contains("脱贫攻坚"))
        XCTAssertTrue(text.contains("产业"))
        XCTAssertTrue(text.contains("乡村"))
        XCTAssertFalse(text.contains("(yè)"))
        XCTAssertFalse(text.contains("(xiāng)"))
        XCTAssertTrue(text.contains("综述(下)"))
    }

    func testEveryCharacterOfTheSeedsMapsBack() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.seeds.path) where name.hasSuffix(".txt") {
            let original = String(decoding: try Data(contentsOf: Self.seeds.appendingPathComponent(name)), as: UTF8.self)
            assertMapsBack(original, try normalize(original))
        }
    }

    func testInvisibleFormatCharactersGoWhereverTheyStand() throws {
        let n = try Normalizer()
        // U+FEFF between Han characters used to take the CJK fast path and survive.
        let text = n.normalize("\u{FEFF}脱贫\u{FEFF}攻坚\u{200B}工作\u{200E}报告\u{2060}，\u{00AD}a\u{FEFF}b")
        XCTAssertEqual(text.string, "脱贫攻坚工作报告，ab")
        XCTAssertEqual(Array(text.sourceOffsets.prefix(4)), [1, 2, 4, 5])
    }
}

final class NormalizationStepsTests: XCTestCase {
    func testStepsEncodeAsNamesInPipelineOrder() throws {
        let options = Normalizer.Options(steps: [.traditionalToSimplified, .webArtifacts])
        let json = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
        XCTAssertEqual(json, #"{"steps":["artifacts","t2s"]}"#)
        XCTAssertEqual(try JSONDecoder().decode(Normalizer.Options.self, from: Data(json.utf8)), options)
        XCTAssertEqual(Normalizer.Steps.all.description, "artifacts+width+whitespace+t2s+chrome+drop-garbled")
        XCTAssertEqual(Normalizer.Steps.standard.description, "artifacts+width+whitespace+t2s+chrome")
        XCTAssertEqual(Normalizer.Options.none.steps.description, "none")
    }

    func testUnknownStepIsAnError() {
        XCTAssertThrowsError(try JSONDecoder().decode(Normalizer.Options.self, from: Data(#"{"steps":["artifacts","shout"]}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("unknown normalization step shout"), "\(error)")
        }
    }
}
