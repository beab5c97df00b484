@testable import Tifa
import XCTest

final class UTF8WriterTests: XCTestCase {
    /// Scalars of every UTF-8 length (1–4 bytes), short (a small string) and long.
    func testEncodesEveryScalarWidthLikeFoundation() {
        let samples = ["", "a", "é两", "两不愁三保障", "x\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}𠀀", String(repeating: "脱贫攻坚é𠀀a", count: 40)]
        for text in samples {
            let scalars = Array(text.unicodeScalars)
            XCTAssertEqual(UTF8Writer.string(scalars), text)
            var bytes: [UInt8] = [0x41]
            UTF8Writer.append(scalars[...], to: &bytes)
            XCTAssertEqual(bytes, [0x41] + Array(text.utf8), "append keeps what was there and adds the UTF-8")
        }
    }
}
