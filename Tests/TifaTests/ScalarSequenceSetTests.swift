@testable import Tifa
import XCTest

final class ScalarSequenceSetTests: XCTestCase {
    private func key(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    func testPrefixSuffixAndMembershipOnSlices() {
        var set = ScalarSequenceSet()
        XCTAssertTrue(set.insert(key("个")))
        XCTAssertTrue(set.insert(key("个百分点")))
        XCTAssertTrue(set.insert(key("提出")))
        XCTAssertFalse(set.insert(key("提出")), "a duplicate is not added twice")
        XCTAssertEqual(set.count, 3)
        XCTAssertEqual(set.longest, 4)

        let text = key("三个百分点以上")
        XCTAssertEqual(set.longestPrefix(of: text[1...]), 4, "the longest entry wins over 个")
        XCTAssertEqual(set.longestPrefix(of: text[1...], limit: 3), 1, "the limit cuts 个百分点")
        XCTAssertEqual(set.longestPrefix(of: text[0...]), 0)
        XCTAssertEqual(set.longestPrefix(of: text[7...]), 0, "an empty slice")

        XCTAssertTrue(set.containsSuffix(of: key("会上提出")[...]))
        XCTAssertFalse(set.containsSuffix(of: key("提出了")[...]))
        XCTAssertTrue(set.contains(text[1..<2]))
        XCTAssertFalse(set.contains(text[1..<3]), "个百 is a prefix of an entry, not an entry")
        XCTAssertFalse(set.contains(key("个百分点以上以上")), "longer than every entry")
    }
}
