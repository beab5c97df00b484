import Foundation
import XCTest
@testable import Tifa

/// Records of `tifa analyze` read back (`index build --from-analyses`): a record as written is
/// used, one changed afterwards so that it contradicts itself is skipped with the reason.
final class AnalyzedDocumentTests: XCTestCase {
    /// A record with words, numbers and formulas, one of them standing in an overlapping outer
    /// one (改革开放 in 全面深化改革开放 stands in 全面深化改革).
    func record() throws -> [String: Any] {
        let text = "坚持全面深化改革开放，实现两不愁、三保障，2020年GDP增长6%。"
        let document = Document(id: "d", source: "d.txt", text: text)
        let analysis = try Analyzer().analyze(text, detail: .tokens)
        XCTAssertTrue(analysis.formulas.contains { $0.within != nil }, "the text has a nested occurrence")
        let data = try JSONEncoder().encode(AnalyzedDocument(document: document, analysis: analysis, analyzer: "x"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// What `analyzedDocuments` makes of the record as one line of a file: nil when it is used,
    /// else the reason it was skipped.
    func skipReason(_ record: [String: Any]) throws -> String? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-analyses-\(UUID().uuidString).jsonl")
        var line = try JSONSerialization.data(withJSONObject: record)
        line.append(0x0A)
        try line.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CorpusReader(inputs: [url.path])
        let items = Array(reader.analyzedDocuments(in: try XCTUnwrap(Array(reader.files).first)))
        XCTAssertEqual(items.count, 1)
        switch items.first {
        case .analyzed: return nil
        case .skipped(let skip): XCTAssertEqual(skip.source, url.path + ":1"); return skip.reason
        case nil: return "nothing"
        }
    }

    func changed(_ change: (inout [String: Any], inout [String: Any]) -> Void) throws -> String {
        var r = try record()
        var analysis = r["analysis"] as! [String: Any]
        change(&r, &analysis)
        r["analysis"] = analysis
        return try XCTUnwrap(try skipReason(r), "a changed record was used")
    }

    func testARecordAsWrittenIsUsed() throws {
        XCTAssertNil(try skipReason(try record()))
        var withoutText = try record()
        withoutText["text"] = nil
        XCTAssertNil(try skipReason(withoutText), "--no-text records carry no text to check against")
    }

    func testChangedRecordsAreSkippedWithWhatContradictsWhat() throws {
        func terms(_ a: [String: Any]) -> [[String: Any]] { a["terms"] as! [[String: Any]] }
        func formulas(_ a: [String: Any]) -> [[String: Any]] { a["formulas"] as! [[String: Any]] }
        func set(_ a: inout [String: Any], _ key: String, _ i: Int, _ field: String, _ value: Any?) {
            var list = a[key] as! [[String: Any]]
            list[i][field] = value
            a[key] = list
        }
        var reason = try changed { _, a in set(&a, "terms", 0, "count", -5) }
        XCTAssertTrue(reason.contains("contradicts itself (analysis.terms.0: count -5"), reason)
        XCTAssertTrue(reason.contains("changed after `tifa analyze` wrote it"), reason)
        reason = try changed { _, a in set(&a, "terms", 0, "count", (terms(a)[0]["count"] as! Int) + 1) }
        XCTAssertTrue(reason.contains("token_count is"), reason)
        reason = try changed { _, a in a["terms"] = terms(a) + [terms(a)[0]]; a["token_count"] = (a["token_count"] as! Int) + (terms(a)[0]["count"] as! Int) }
        XCTAssertTrue(reason.contains("is listed twice"), reason)
        reason = try changed { _, a in set(&a, "formulas", 0, "start", 900); set(&a, "formulas", 0, "end", 906) }
        XCTAssertTrue(reason.contains("analysis.formulas.0: range 900..<906 is beyond the text's"), reason)
        reason = try changed { _, a in
            let f = formulas(a)[0]
            set(&a, "formulas", 0, "start", (f["start"] as! Int) + 1); set(&a, "formulas", 0, "end", (f["end"] as! Int) + 1)
        }
        XCTAssertTrue(reason.contains("is not its surface"), reason)
        reason = try changed { _, a in set(&a, "formulas", 0, "surface", "两不愁") }
        XCTAssertTrue(reason.contains("characters long"), reason)
        reason = try changed { _, a in a["formulas"] = Array(formulas(a).dropLast()) }
        XCTAssertTrue(reason.contains("formula counts differ"), reason)
        reason = try changed { _, a in
            let i = formulas(a).firstIndex { $0["within"] is [String: Any] }!
            set(&a, "formulas", i, "within", ["formula": "全面深化改革", "start": 0, "end": 2])
        }
        XCTAssertTrue(reason.contains("does not overlap the occurrence"), reason)
        reason = try changed { r, _ in r["text"] = (r["text"] as! String) + "。" }
        XCTAssertTrue(reason.contains("characters, analysis.characters says"), reason)
        reason = try changed { _, a in set(&a, "tokens", 0, "end", 1000) }
        XCTAssertTrue(reason.contains("analysis.tokens.0: range"), reason)
        reason = try changed { r, _ in r["bytes"] = -1 }
        XCTAssertTrue(reason.contains("bytes -1 is negative"), reason)
    }
}
