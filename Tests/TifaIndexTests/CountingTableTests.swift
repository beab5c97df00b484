@testable import Tifa
@testable import TifaIndex
import XCTest

/// The index's own counting structures must agree with a plain dictionary: a wrong probe or a
/// stale slot after a reset would silently merge or split terms.
final class CountingTableTests: XCTestCase {
    func testPackedTermTableAgreesWithADictionaryAcrossGrowthAndResets() {
        var table = PackedTermTable()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            table.removeAll()
            // Enough distinct keys to grow past the initial 1024 slots several times.
            assertAgreesWithADictionary(&table, insertions: 3000 * (round + 1), length: 1...5, scalars: 0x4E00...0x4E40, &generator)
        }
        table.removeAll()
        XCTAssertNil(table.value(of: PackedTerm(Array("两".unicodeScalars)[...], kind: .word)!))
    }

    func testPackedTermsDifferByKindAndLength() {
        let a = PackedTerm(Array("一".unicodeScalars)[...], kind: .word)!
        let b = PackedTerm(Array("一".unicodeScalars)[...], kind: .number)!
        let c = PackedTerm(Array("一\u{0}".unicodeScalars)[...], kind: .word)!
        var table = PackedTermTable()
        XCTAssertEqual(table.index(of: a, insertingIfAbsent: 0), 0)
        XCTAssertEqual(table.index(of: b, insertingIfAbsent: 1), 1)
        XCTAssertEqual(table.index(of: c, insertingIfAbsent: 2), 2)
        XCTAssertEqual(table.index(of: a, insertingIfAbsent: 3), 0)
    }

    func testTermStatisticsReportChangedIDsInOrder() {
        var stats = TermStatistics()
        stats.load(7, df: 2, cf: 5)
        stats.add(3000, df: 1, cf: 4)
        stats.add(2, df: 1, cf: 1)
        stats.set(7, df: 1, cf: 3)
        XCTAssertEqual(stats.changedIDs, [2, 7, 3000])
        XCTAssertEqual(stats[7]?.cf, 3)
        XCTAssertNil(stats[8])
        stats.load(9, df: 1, cf: 1)
        XCTAssertEqual(stats.changedIDs, [2, 7, 3000])
    }

    /// The radix sort of a document's term ids agrees with `sort` for every size regime
    /// (insertion sort below 64 keys, one to three byte passes above) and reused scratch space.
    func testTermIDSortAgreesWithSort() {
        var generator = SystemRandomNumberGenerator()
        var scratch: [UInt64] = []
        for (count, maxID) in [(0, 10), (1, 10), (5, 300), (63, 1 << 20), (64, 200), (500, 70_000), (2000, 1 << 24), (100, 1 << 30), (3, 1 << 30)] {
            let ids = Array(Set((0..<count * 3).map { _ in UInt64.random(in: 1..<UInt64(maxID), using: &generator) }).prefix(count))
            var keys = ids.enumerated().map { $0.element << 32 | UInt64($0.offset) }
            let expected = keys.sorted()
            IndexVocabulary.sortByHighHalf(&keys, scratch: &scratch, maxHigh: UInt64(maxID))
            XCTAssertEqual(keys, expected, "\(count) ids below \(maxID)")
        }
    }

    /// The term-count JSON's numbers are written as Swift prints them, at every length.
    func testDecimalsAreWrittenAsSwiftPrintsThem() {
        var values: [Int64] = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65_535, 1 << 31, Int64.max, Int64.min, -1, -10, -987_654]
        var power: Int64 = 1
        for _ in 0..<18 { power *= 10; values += [power - 1, power, power + 1] }
        var buffer = [UInt8](repeating: 0, count: 64)
        for value in values {
            let end = buffer.withUnsafeMutableBufferPointer { IndexVocabulary.writeDecimal(value, into: $0, at: 3) }
            XCTAssertEqual(String(decoding: buffer[3..<end], as: UTF8.self), String(value))
        }
    }

    /// A reused table probing fewer slots than it has (a short document after a long one)
    /// finds exactly the keys inserted since, also when it grows back within its storage.
    func testPackedTermTableShrunkForAShortDocumentAgreesWithADictionary() {
        var table = PackedTermTable(capacity: 20_000)
        var generator = SystemRandomNumberGenerator()
        for keys in [15_000, 10, 600, 3000, 40, 20_000, 0, 1500] {
            table.removeAll(expecting: keys / 3)
            assertAgreesWithADictionary(&table, insertions: keys, length: 1...3, scalars: 0x4E00...0x4E60, &generator)
        }
    }

    /// Inserts random packed keys into the empty `table` and checks every answer against a dictionary.
    private func assertAgreesWithADictionary(_ table: inout PackedTermTable, insertions: Int, length: ClosedRange<Int>,
                                             scalars: ClosedRange<UInt32>, _ generator: inout SystemRandomNumberGenerator) {
        var reference: [PackedTerm: Int] = [:]
        for _ in 0..<insertions {
            let text = (0..<Int.random(in: length, using: &generator)).map { _ in
                Unicode.Scalar(UInt32.random(in: scalars, using: &generator))!
            }
            let key = PackedTerm(text[...], kind: .word)!
            let fresh = reference.count
            let expected = reference[key] ?? fresh
            if reference[key] == nil { reference[key] = fresh }
            XCTAssertEqual(table.index(of: key, insertingIfAbsent: fresh), expected)
        }
        XCTAssertEqual(table.count, reference.count)
        for (key, value) in reference { XCTAssertEqual(table.value(of: key), value) }
    }

    /// Term slots found by bytes give the slots of a dictionary keyed by `TermKey` (canonical
    /// equality), whether the canonically equal spellings come before or after plain terms.
    func testTermSlotsAgreeWithACanonicalDictionary() {
        let spellings = ["可持续发展战略", "\u{E9}t\u{E9}", "e\u{301}te\u{301}", "\u{C5}ngstr\u{F6}m", "\u{212B}ngstr\u{F6}m",
                         "A\u{30A}ngstro\u{308}m", "\u{F900}\u{F901}", "\u{8C48}\u{66F4}", "GDP增长率", "十三五规划纲要", "㐀㐁", "ABCDEF"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            var slots = TermSlots()
            var reference: [TermKey: Int] = [:]
            // Plain terms first in some rounds, so the canonical table is built late.
            let order = round % 2 == 0 ? spellings.shuffled(using: &generator) : spellings.sorted { TermSlots.isTriviallyCanonical($0) && !TermSlots.isTriviallyCanonical($1) }
            for text in order + order.shuffled(using: &generator) {
                for kind in [TermKind.word, .formula] {
                    let key = TermKey(text: text, kind: kind)
                    let fresh = reference.count
                    let expected = reference[key]
                    if expected == nil { reference[key] = fresh }
                    XCTAssertEqual(slots.slot(of: text, kind: kind, insertingIfAbsent: fresh), expected, text)
                }
            }
        }
        var slots = TermSlots()
        slots.set("e\u{301}", kind: .word, to: 1)
        slots.set("\u{E9}", kind: .word, to: 2)
        XCTAssertEqual(slots.slot(of: "e\u{301}", kind: .word, insertingIfAbsent: 9), 2)
        XCTAssertEqual(slots.slot(of: "\u{E9}", kind: .word, insertingIfAbsent: 9), 2)
    }

    func testTriviallyCanonicalTextIsASCIIAndUnifiedIdeographsOnly() {
        for text in ["", "abc 123", "可持续发展", "GDP增长率", "㐀䶿一鿿"] { XCTAssertTrue(TermSlots.isTriviallyCanonical(text), text) }
        for text in ["\u{E9}", "e\u{301}", "\u{F900}", "〇", "\u{4DC0}", "\u{A000}", "\u{20000}", "ｆ", "两·三"] {
            XCTAssertFalse(TermSlots.isTriviallyCanonical(text), text)
        }
    }
}
