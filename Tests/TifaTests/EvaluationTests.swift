import XCTest
@testable import Tifa

/// The SIGHAN scorer against hand-computed cases.
final class EvaluationTests: XCTestCase {
    func split(_ s: String) -> [Substring] { s.split(separator: " ") }

    func testHandComputedScores() {
        var score = SegmentationScore()
        let vocabulary: Set<Substring> = ["我", "爱", "北京"]
        // Gold: 我|爱|北京|天安门 (4 words); segmented: 我|爱|北京天安门 (3 words). Correct: 我, 爱.
        score.add(gold: split("我 爱 北京 天安门"), segmented: split("我 爱 北京天安门"), isInVocabulary: { vocabulary.contains($0) })
        XCTAssertEqual(score.goldWords, 4)
        XCTAssertEqual(score.segmentedWords, 3)
        XCTAssertEqual(score.correctWords, 2)
        XCTAssertEqual(score.precision, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(score.recall, 0.5, accuracy: 1e-12)
        XCTAssertEqual(score.f1, 2 * (2.0 / 3.0) * 0.5 / (2.0 / 3.0 + 0.5), accuracy: 1e-12)
        // OOV: 天安门 (missed) → 0/1; IV: 我 爱 北京 → 2/3.
        XCTAssertEqual(score.oovGoldWords, 1)
        XCTAssertEqual(score.oovRecall!, 0, accuracy: 1e-12)
        XCTAssertEqual(score.ivRecall!, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(score.oovRate, 0.25, accuracy: 1e-12)
        XCTAssertEqual(score.mismatchedLines, 0)
    }

    func testSpansAreComparedNotStrings() {
        // The same word at a different place is not correct: gold 的|的|人, segmented 的的|人.
        var score = SegmentationScore()
        score.add(gold: split("的 的 人"), segmented: split("的的 人"), isInVocabulary: nil)
        XCTAssertEqual(score.correctWords, 1)
        XCTAssertNil(score.oovRecall)
        // A second line accumulates: gold 中国|人 segmented 中国|人 → 2 more correct.
        score.add(gold: split("中国 人"), segmented: split("中国 人"), isInVocabulary: nil)
        XCTAssertEqual(score.correctWords, 3)
        XCTAssertEqual(score.goldWords, 5)
        XCTAssertEqual(score.segmentedWords, 4)
        XCTAssertEqual(score.recall, 0.6, accuracy: 1e-12)
        XCTAssertEqual(score.precision, 0.75, accuracy: 1e-12)
    }

    func testPerfectAndEmpty() {
        var score = SegmentationScore()
        XCTAssertEqual(score.f1, 0)
        score.add(gold: [], segmented: [], isInVocabulary: nil)
        score.add(gold: split("一 二"), segmented: split("一 二"), isInVocabulary: nil)
        XCTAssertEqual(score.f1, 1)
        XCTAssertEqual(score.lines, 2)
    }

    func testTraditionalTextIsScoredOnOriginalCharacters() throws {
        // Segment after normalization (traditional → simplified), score on the original spans.
        let gold = split("脫貧 攻堅")
        let text = try Normalizer().normalize(gold.joined())
        let segmenter = try Segmenter()
        let spans = segmenter.segment(text).map(\.sourceRange)
        var score = SegmentationScore()
        score.add(gold: gold, segmentedSpans: spans, isInVocabulary: nil)
        // 脱贫攻坚 is one domain word: the gold's two words are both missed, one word segmented.
        XCTAssertEqual(spans, [0..<4])
        XCTAssertEqual(score.correctWords, 0)
        XCTAssertEqual(score.segmentedWords, 1)
    }

    func testMismatchedTextIsCounted() {
        var score = SegmentationScore()
        score.add(gold: split("我 们"), segmented: split("我 他"), isInVocabulary: nil)
        XCTAssertEqual(score.mismatchedLines, 1)
    }

    func testDisagreementsAreThePiecesBetweenSharedBoundaries() {
        // Gold 检察 机关 | 依法 | 办案 | 中国 家, segmented 检察机关 | 依 法 | 办案 | 中 国家:
        // one piece joined, one split, one crossed; 办案 agrees and is not listed.
        var found = SegmentationDisagreements()
        let known: (Substring) -> Bool = { $0 != "机关" }
        found.add(gold: split("检察 机关 依法 办案 中国 家"), segmentedSpans: SegmentationScore.spans(of: split("检察机关 依 法 办案 中 国家")),
                  line: 1, isInVocabulary: known)
        found.add(gold: split("检察 机关 是"), segmentedSpans: SegmentationScore.spans(of: split("检察机关 是")), line: 2, isInVocabulary: known)
        XCTAssertEqual(found.total, 4)
        let entries = found.entries
        XCTAssertEqual(entries.map(\.kind), [.joined, .split, .crossed])
        XCTAssertEqual(entries[0].gold, ["检察", "机关"])
        XCTAssertEqual(entries[0].segmented, ["检察机关"])
        XCTAssertEqual(entries[0].count, 2)
        XCTAssertEqual(entries[0].firstLine, 1)
        XCTAssertEqual(entries[0].oovGoldWords, 1)
        XCTAssertEqual(entries[1].gold, ["依法"])
        XCTAssertEqual(entries[1].segmented, ["依", "法"])
        XCTAssertEqual(entries[2].gold, ["中国", "家"])
        XCTAssertEqual(entries[2].segmented, ["中", "国家"])
        XCTAssertEqual(entries[2].oovGoldWords, 0)
    }

    func testDisagreementsWithCharactersLeftOutAndTraditionalGold() throws {
        // A span missing (a character normalization removed) is a crossed piece; a traditional
        // gold set is listed in its own characters.
        var gaps = SegmentationDisagreements()
        gaps.add(gold: split("我们 好"), segmentedSpans: [0..<2], line: 3, isInVocabulary: nil)
        XCTAssertEqual(gaps.entries, [SegmentationDisagreements.Entry(gold: ["好"], segmented: [], kind: .crossed, count: 1, firstLine: 3, oovGoldWords: nil)])
        let gold = split("脫貧 攻堅")
        let text = try Normalizer().normalize(gold.joined())
        var found = SegmentationDisagreements()
        found.add(gold: gold, segmentedSpans: try Segmenter().segment(text).map(\.sourceRange), line: 1, isInVocabulary: nil)
        XCTAssertEqual(found.entries.map(\.segmented), [["脫貧攻堅"]])
        var agreeing = SegmentationDisagreements()
        agreeing.add(gold: split("一 二"), segmentedSpans: [0..<1, 1..<2], line: 1, isInVocabulary: nil)
        agreeing.add(gold: [], segmentedSpans: [], line: 2, isInVocabulary: nil)
        XCTAssertEqual(agreeing.total, 0)
    }
}
