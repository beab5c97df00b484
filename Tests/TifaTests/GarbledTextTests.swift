import XCTest
import TifaTestSupport
@testable import Tifa

/// Garbled-text detection: the seed's mojibake is found, clean text gives no false alarm.
final class GarbledTextTests: XCTestCase {
    func testSeed003GarbledPassageIsReported() throws {
        let url = TestPaths.seeds.appendingPathComponent("003_d4946fc00d2aaf39.txt")
        let original = try TextDecoder.decode(Array(try Data(contentsOf: url))).text
        let text = try Normalizer().normalize(original)
        let garbled = text.findings.filter { $0.kind == .garbledText }
        XCTAssertEqual(garbled.count, 1)
        let found = try XCTUnwrap(garbled.first)
        XCTAssertFalse(found.removed)
        let originalScalars = Array(original.unicodeScalars)
        let surface = String(String.UnicodeScalarView(originalScalars[found.sourceRange]))
        XCTAssertTrue(surface.contains("虿≈仑氊毨"), surface)
        // On the line of 一人有病，全家返贫 (the 27th).
        XCTAssertEqual(originalScalars[..<found.sourceRange.lowerBound].filter { $0 == "\n" }.count, 26)
    }

    func testCleanSeedsGiveNoFalseAlarm() throws {
        let n = try Normalizer()
        for url in try TestPaths.seedFiles() {
            let original = try TextDecoder.decode(Array(try Data(contentsOf: url))).text
            let garbled = n.normalize(original).findings.filter { $0.kind == .garbledText }
            XCTAssertEqual(garbled.count, url.lastPathComponent.hasPrefix("003") ? 1 : 0, url.lastPathComponent)
        }
        for name in ["simplified.utf8.txt", "traditional.utf8.txt"] {
            let text = String(decoding: try Data(contentsOf: TestPaths.fixtures.appendingPathComponent(name)), as: UTF8.self)
            XCTAssertEqual(try Normalizer(options: .init(steps: [])).normalize(text).findings, [], name)
        }
    }

    func testUTF8ReadAsGB18030IsFoundAndCanBeDropped() throws {
        let clean = "各地聚焦两不愁三保障，精细实施五个一批，巩固脱贫攻坚成果。"
        let mojibake = try TextDecoder.decode(Array(clean.utf8), options: .init(encoding: .gb18030)).text
        let original = "全县脱贫。\n" + mojibake + "\n乡村振兴。"
        let reported = try Normalizer().normalize(original)
        XCTAssertEqual(reported.findings.map(\.kind), [.garbledText])
        let dropped = try Normalizer(options: .init(steps: Normalizer.Steps.standard.union(.dropGarbledText))).normalize(original)
        XCTAssertEqual(dropped.findings.map(\.removed), [true])
        XCTAssertTrue(dropped.string.hasPrefix("全县脱贫。\n"))
        XCTAssertTrue(dropped.string.hasSuffix("\n乡村振兴。"))
        XCTAssertLessThan(dropped.count, reported.count - 20)
        // Deletion keeps the offsets of what stays.
        let last = dropped.count - 1
        XCTAssertEqual(dropped.sourceOffsets[last], original.unicodeScalars.count - 1)
    }

    func testRandomHanCharactersAreFound() throws {
        // A fixed pseudo-random sequence over the Unified Ideographs (linear congruential).
        var state: UInt32 = 12345
        var scalars = String.UnicodeScalarView()
        for _ in 0..<40 {
            state = state &* 1_103_515_245 &+ 12345
            scalars.append(Unicode.Scalar(0x4E00 + (state >> 8) % 0x51A6)!)
        }
        let text = try Normalizer().normalize("正常的句子。" + String(scalars) + "。")
        XCTAssertEqual(text.findings.filter { $0.kind == .garbledText }.count, 1)
    }

    func testNamesAndTermsWithRareCharactersAreNotGarbled() throws {
        let lines = ["鏖战五年，渠县脱贫攻坚见实效。", "山旮旯里的土鸡蛋走出了大山。", "氨氮、总磷、高锰酸盐指数等指标达标。", "邕宁区、郫都区、濉溪县、黟县、婺源县。"]
        for line in lines {
            XCTAssertEqual(try Normalizer().normalize(line).findings, [], line)
        }
    }
}
