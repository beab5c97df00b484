import XCTest
@testable import Tifa

/// The publication date a document writes near its ends (lines written here, in the forms
/// pages and official documents use), and the dates it is about, which are not taken.
final class PublicationDateTests: XCTestCase {
    func date(_ text: String) -> String? { PublicationDate.find(in: text)?.iso }

    func testDatelinesOfPagesNewspapersAndOfficialDocuments() {
        let body = "会议强调，要坚持精准扶贫精准脱贫基本方略。"
        XCTAssertEqual(date("标题\n发布时间：2019-05-12 09:30 来源：县扶贫办\n" + body), "2019-05-12")
        XCTAssertEqual(date("作者:李四 来源:新华社 发布日期:2022/2/11\n" + body), "2022-02-11")
        XCTAssertEqual(date("標題\n發布時間：2021.3.4\n" + body), "2021-03-04")
        XCTAssertEqual(date("本文2018-03-15 19:01:22发表“工作报告”栏目。\n" + body), "2018-03-15")
        XCTAssertEqual(date("某某日報    2018年06月08日\n" + body), "2018-06-08")
        XCTAssertEqual(date("现在，我代表第十七届中央委员会向大会作报告。\n2014年2月16日\n" + body), "2014-02-16")
        XCTAssertEqual(date("（２０２１年３月１日）\n" + body), "2021-03-01")
        XCTAssertEqual(date(body + "\n\n县人民政府\n二〇一九年五月十二日\n"), "2019-05-12")
        XCTAssertEqual(date(body + "\n2020年12月31日\n"), "2020-12-31")
        XCTAssertEqual(date("标题\r\n发布时间：2019-05-12\r\n" + body + "\r\n"), "2019-05-12")
        XCTAssertEqual(date(([body] + Array(repeating: "正文。", count: 60) + ["2020年12月31日", "", ""]).joined(separator: "\r\n")), "2020-12-31")
    }

    func testDatesTheTextIsAboutAreNotTaken() {
        XCTAssertNil(date("1921年7月，中国共产党成立。\n到2035年基本实现社会主义现代化。"))
        XCTAssertNil(date("会议于2019年5月10日召开，历时三天。"))
        // A date line in the middle of a long text: neither at the top nor at the bottom.
        let middle = Array(repeating: "全面推进乡村振兴。", count: 50) + ["2019年5月12日"] + Array(repeating: "巩固脱贫攻坚成果。", count: 30)
        XCTAssertNil(date(middle.joined(separator: "\n")))
        XCTAssertNil(date("发布时间：2019-13-12\n正文"))  // no 13th month
        XCTAssertNil(date("发布时间：1850-05-12\n正文"))
    }

    func testTheTopWinsThenTheLastAtTheBottom() {
        XCTAssertEqual(date("2018年1月2日\n正文。\n2019年3月4日"), "2018-01-02")
        let long = ["正文。"] + Array(repeating: "全面推进乡村振兴。", count: 45) + ["2019年3月4日", "2020年5月6日"]
        XCTAssertEqual(date(long.joined(separator: "\n")), "2020-05-06")
    }

    func testChineseNumerals() {
        XCTAssertEqual(PublicationDate.number("二〇一九"), 2019)
        XCTAssertEqual(PublicationDate.number("十"), 10)
        XCTAssertEqual(PublicationDate.number("十二"), 12)
        XCTAssertEqual(PublicationDate.number("二十三"), 23)
        XCTAssertEqual(PublicationDate.number("三十一"), 31)
        XCTAssertEqual(PublicationDate.number("五"), 5)
        XCTAssertNil(PublicationDate.number("一二"))
    }

    /// A corpus read with `dateFromText`: a document without a year gets the date as `date`
    /// metadata (and so a year); one with a year of its own keeps it.
    func testCorpusReaderDatesDocumentsWithoutAYear() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-dates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "标题\n发布日期：2019-09-23\n正文。".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try #"{"title": "b", "content": "2014年2月16日\n正文。"}"#.appending("\n").appending(#"{"title": "c", "content": "2014年2月16日\n正文。", "year": 2020}"#)
            .write(to: dir.appendingPathComponent("b.jsonl"), atomically: true, encoding: .utf8)
        var options = CorpusOptions()
        options.dateFromText = true
        let documents = try CorpusReader(inputs: [dir.path], options: options).compactMap { item -> Document? in
            if case .document(let d) = item { return d } else { return nil }
        }
        XCTAssertEqual(documents.map(\.year), [2019, 2014, 2020])
        XCTAssertEqual(documents.map { $0.metadata["date"] }, ["2019-09-23", "2014-02-16", nil])
        options.dateFromText = false
        let plain = try CorpusReader(inputs: [dir.path], options: options).compactMap { item -> Document? in
            if case .document(let d) = item { return d } else { return nil }
        }
        XCTAssertEqual(plain.map(\.year), [nil, nil, 2020])
    }
}
