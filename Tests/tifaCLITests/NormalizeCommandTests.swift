import XCTest

final class NormalizeCommandTests: XCTestCase {
    func testTraditionalFromStdin() throws {
        let r = try TifaRunner.run(["normalize"], stdin: "乾隆皇帝的頭髮，跟著")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "乾隆皇帝的头发，跟着")
    }

    func testSeed003() throws {
        let r = try TifaRunner.run(["normalize", "seeds/003_d4946fc00d2aaf39.txt"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("脱贫攻坚"))
        XCTAssertTrue(r.stdout.contains("产业"))
        XCTAssertFalse(r.stdout.contains("(yè)"))
    }

    func testJSONLinesMapBackToTheOriginal() throws {
        let original = "產業(yè)發展\r\n　　兩不愁"
        let r = try TifaRunner.run(["normalize", "--format", "jsonl"], stdin: original)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        XCTAssertEqual(first["text"] as? String, "产业发展")
        XCTAssertEqual(first["start"] as? Int, 0)
        XCTAssertEqual(first["end"] as? Int, 8)
        XCTAssertEqual((first["map"] as? [[Int]]) ?? [], [[0, 0, 2], [2, 6, 2]])
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        XCTAssertEqual(second["line"] as? Int, 2)
        XCTAssertEqual(second["text"] as? String, "两不愁")
        XCTAssertEqual(second["start"] as? Int, 12)
    }

    func testEmptyInputGivesEmptyOutput() throws {
        let r = try TifaRunner.run(["normalize"], stdin: "")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "")
    }

    func testUserErrorsAreOneLine() throws {
        // A folder is read (its .txt and .md files), as by extract and index.
        for arguments in [["normalize", "no-such-file.txt"], ["normalize", "--no-such-flag"]] {
            let r = try TifaRunner.run(arguments)
            XCTAssertNotEqual(r.status, 0, "\(arguments)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("tifa: error: "), r.stderr)
        }
        XCTAssertEqual(try TifaRunner.run(["normalize", "no-such-file.txt"]).stderr, "tifa: error: no-such-file.txt: no such file or directory\n")
    }

    func testInvalidBytesWarnAndStrictFails() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.txt")
        try Data(Array("扶贫".utf8) + [0xFF] + Array("攻坚".utf8)).write(to: file)
        let lenient = try TifaRunner.run(["normalize", file.path])
        XCTAssertEqual(lenient.status, 0)
        XCTAssertEqual(lenient.stdout, "扶贫\u{FFFD}攻坚")
        XCTAssertEqual(lenient.stderr, "tifa: warning: \(file.path): 1 invalid UTF-8 byte sequence replaced with U+FFFD (first at byte offset 6)\n")
        let strict = try TifaRunner.run(["normalize", "--strict", file.path])
        XCTAssertNotEqual(strict.status, 0)
        XCTAssertEqual(strict.stderr, "tifa: error: \(file.path): invalid UTF-8 byte sequence at byte offset 6\n")
    }

    func testHelpListsSubcommands() throws {
        let r = try TifaRunner.run(["--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("normalize"))
    }
}

extension NormalizeCommandTests {
    /// The shared conversion table, through the command line in one run.
    func testSharedConversionCases() throws {
        let url = TifaRunner.packageRoot.appendingPathComponent("Tests/TifaTests/Fixtures/t2s_cases.tsv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }.filter { $0.count == 2 }
        let r = try TifaRunner.run(["normalize"], stdin: rows.map { $0[0] }.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init), rows.map { $0[1] })
    }

    func testFilesStayOnSeparateLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-normalize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "第一行\n没有换行的最后一行".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "第二个文件".write(to: dir.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let r = try TifaRunner.run(["normalize", dir.appendingPathComponent("a.txt").path, dir.appendingPathComponent("b.txt").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "第一行\n没有换行的最后一行\n第二个文件")
    }

    func testChromeIsRemovedExplainedAndKeptOnRequest() throws {
        let page = "您的位置:首页 > 新闻\n全县脱贫攻坚取得决定性成效。\n上一篇:没有了\n"
        let r = try TifaRunner.run(["normalize"], stdin: page)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\n全县脱贫攻坚取得决定性成效。\n\n", "a removed line leaves its line break")
        let kept = try TifaRunner.run(["normalize", "--keep-chrome"], stdin: page)
        XCTAssertEqual(kept.stdout, page)
        let explain = try TifaRunner.run(["normalize", "--explain"], stdin: page)
        XCTAssertEqual(explain.stdout, """
            file\tline\tstart\tend\tkind\trule\tremoved\ttext
            <stdin>\t1\t0\t12\tchrome\tbreadcrumb\ttrue\t您的位置:首页 > 新闻
            <stdin>\t3\t28\t35\tchrome\tprev-next\ttrue\t上一篇:没有了

            """)
        let stats = try TifaRunner.run(["normalize", "--stats"], stdin: page)
        XCTAssertTrue(stats.stdout.hasPrefix("file\tkind\trule\tfound\tremoved\tremoved_characters\n"), stats.stdout)
        XCTAssertTrue(stats.stdout.contains("*\tchrome\tprev-next\t1\t1\t7\n"), stats.stdout)
    }

    func testGarbledTextIsReportedAndDroppedOnRequest() throws {
        let text = "全县脱贫。\n涓や笉鎰佷笁淇濋殰锛岀簿缁嗗疄鏂戒簲涓竴鎵广€俓n乡村振兴。"
        let r = try TifaRunner.run(["normalize"], stdin: text)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("tifa: warning: <stdin>:2: garbled text at offsets "), r.stderr)
        XCTAssertTrue(r.stdout.contains("佷笁淇濋"))
        let segmented = try TifaRunner.run(["segment"], stdin: text)
        XCTAssertTrue(segmented.stderr.contains("tifa: warning: <stdin>:2: garbled text at offsets "), segmented.stderr)
        let dropped = try TifaRunner.run(["normalize", "--drop-garbled"], stdin: text)
        XCTAssertFalse(dropped.stdout.contains("佷笁淇濋"), dropped.stdout)
        XCTAssertTrue(dropped.stdout.hasPrefix("全县脱贫。\n"))
        XCTAssertTrue(dropped.stdout.hasSuffix("乡村振兴。"))
    }
}
