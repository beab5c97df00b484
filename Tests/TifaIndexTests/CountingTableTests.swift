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
            var reference: [PackedTerm: Int] = [:]
            // Enough distinct keys to grow past the initial 1024 slots several times.
            for _ in 0..<(3000 * (round + 1)) {
                let scalars = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                    Unicode.Scalar(UInt32.random(in: 0x4E00...0x4E40, using: &generator))!
                }
                let key = PackedTerm(scalars[...], kind: .word)!
                let fresh = reference.count
                let expected = reference[key] ?? fresh
                if reference[key] == nil { reference[key] = fresh }
                XCTAssertEqual(table.index(of: key, insertingIfAbsent: fresh), expected)
            }
            XCTAssertEqual(table.count, reference.count)
            for (key, value) in reference { XCTAssertEqual(table.value(of: key), value) }
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
}
