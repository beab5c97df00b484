import Foundation
import XCTest
import TifaTestSupport

/// End-to-end tests of `tifa segment` and `tifa eval`, running the built binary.
final class SegmentCLITests: XCTestCase {
    static let root = TestPaths.packageRoot
    static let pku = root.deletingLastPathComponent().appendingPathComponent("shared/eval/pku")

    /// Runs the built binary through the shared runner.
    func tifa(_ arguments: [String], stdin: String? = nil, launcher: [String] = []) throws -> TifaRunner.Result {
        try TifaRunner.run(arguments, stdin: stdin, currentDirectory: Self.root, launcher: launcher)
    }

    func temporaryFile(_ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-seg-cli-\(UUID().uuidString).txt")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testDoneWhenExample() throws {
        let r = try tifa(["segment"], stdin: "聚焦两不愁三保障，精细实施五个一批\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "聚焦 两不愁三保障 ， 精细 实施 五个一批\n")
    }

    func testANamedHTMLFileIsReadAsItsText() throws {
        // As the corpus commands read it: no tags, scripts or styles, entities decoded, the
        // page's furniture gone.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-seg-cli-\(UUID().uuidString).html")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let page = "<html><head><script>var a = \"首页\";</script><style>p{}</style></head><body>"
            + "<div>首页 | 政策 | 新闻 | 互动</div><p>精细实施五个一批&amp;两不愁三保障</p></body></html>"
        try Data(page.utf8).write(to: url)
        let r = try tifa(["segment", url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { !$0.isEmpty }, ["精细 实施 五个一批 & 两不愁三保障"])
        let normalized = try tifa(["normalize", url.path])
        XCTAssertFalse(normalized.stdout.contains("<"), normalized.stdout)
        XCTAssertTrue(normalized.stdout.contains("精细实施五个一批&两不愁三保障"), normalized.stdout)
    }

    func testEmptyLinesStayAndDelimiter() throws {
        let r = try tifa(["segment", "--delimiter", "/"], stdin: "脱贫攻坚\n\n\n精准扶贫 工作")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "脱贫攻坚\n\n\n精准扶贫/工作\n")
    }

    func testJSONLinesHaveOriginalOffsetsAndKinds() throws {
        let r = try tifa(["segment", "--format", "jsonl"], stdin: "一\n脫貧２０１４年")
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            #"{"file":"<stdin>","line":1,"start":0,"end":1,"text":"一","kind":"word"}"#,
            #"{"file":"<stdin>","line":2,"start":2,"end":4,"text":"脫貧","kind":"word"}"#,
            #"{"file":"<stdin>","line":2,"start":4,"end":9,"text":"２０１４年","kind":"number"}"#,
        ])
        let normalized = try tifa(["segment", "--format", "jsonl", "--surface", "normalized"], stdin: "一\n脫貧２０１４年")
        XCTAssertEqual(normalized.stdout.split(separator: "\n").map(String.init), [
            #"{"file":"<stdin>","line":1,"start":0,"end":1,"text":"一","kind":"word"}"#,
            #"{"file":"<stdin>","line":2,"start":2,"end":4,"text":"脱贫","kind":"word"}"#,
            #"{"file":"<stdin>","line":2,"start":4,"end":9,"text":"2014年","kind":"number"}"#,
        ], normalized.stderr)
    }

    func testJSONLinesEscapeWhatJSONNeedsAndKeepEveryCharacter() throws {
        // Quotes, backslashes, a control character, 2-, 3- and 4-byte characters: every line
        // parses, and the tokens' texts are the input's characters (bar spaces) in order.
        let input = "He said \"hi\" \\ é\u{01}控制 😀👍🏽 中華"
        let r = try tifa(["segment", "--format", "jsonl"], stdin: input)
        XCTAssertEqual(r.status, 0, r.stderr)
        var texts = ""
        for line in r.stdout.split(separator: "\n") {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            texts += try XCTUnwrap(object["text"] as? String)
        }
        XCTAssertEqual(texts, input.filter { $0 != " " })
        XCTAssertTrue(r.stdout.contains(#""text":"\"""#) && r.stdout.contains(#""text":"\\""#), r.stdout)
    }

    /// Words are found in the normalized text and written as the input spells them: the output
    /// less its delimiters is the input less what normalizing removes (here a zero-width space
    /// and the runs of spaces), so a traditional or full-width gold file scores it as it is.
    func testWordsAreWrittenAsTheInputSpellsThem() throws {
        let input = "臺灣位於東南沿海，面積約３６０００平方公里\n國務院  扶貧\u{200B}開發領導小組\n"
        let r = try tifa(["segment"], stdin: input)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "臺灣 位於 東南 沿海 ， 面積 約 ３６０００ 平方公里\n國務院 扶貧開發 領導 小組\n")
        let normalized = try tifa(["segment", "--surface", "normalized"], stdin: input)
        XCTAssertEqual(normalized.stdout, "台湾 位于 东南 沿海 ， 面积 约 36000 平方公里\n国务院 扶贫开发 领导 小组\n", normalized.stderr)
        // The same words either way, and --explain writes the surface asked for.
        let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(\.count) }
        XCTAssertEqual(words(r.stdout), words(normalized.stdout))
        let explain = try tifa(["segment", "--explain"], stdin: "脫貧攻堅\n")
        XCTAssertTrue(explain.stdout.contains("\n脫貧攻堅\t0\t4\tformula"), explain.stdout)
        // A word cut by a decoder chunk's end keeps its original characters (the rest of the
        // line waits for the next chunk with them).
        let long = try tifa(["segment"], stdin: String(repeating: "精準扶貧，建檔立卡", count: 30_000) + "\n")
        XCTAssertEqual(Set(long.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })), ["精準扶貧", "，", "建檔立卡"], long.stderr)
        XCTAssertEqual(try tifa(["segment", "--surface", "pinyin"], stdin: "扶贫\n").status, 64)
    }

    /// A line removed as web chrome comes out empty: one output line per input line, and the
    /// JSON Lines' line numbers are the input's.
    func testRemovedChromeLinesKeepTheLinesInStep() throws {
        let page = "全县脱贫。\n责任编辑：李四\n乡村振兴。\n上一篇：没有了\n"
        let r = try tifa(["segment"], stdin: page)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "全县 脱贫 。\n\n乡村振兴 。\n\n")
        let jsonl = try tifa(["segment", "--format", "jsonl"], stdin: page)
        XCTAssertTrue(jsonl.stdout.contains(#"{"file":"<stdin>","line":3,"start":14,"end":18,"text":"乡村振兴","kind":"formula"}"#), jsonl.stdout)
    }

    func testLineLongerThanADecoderChunkKeepsItsWords() throws {
        let r = try tifa(["segment"], stdin: String(repeating: "精准扶贫，建档立卡", count: 30_000) + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 1)
        XCTAssertEqual(Set(r.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })), ["精准扶贫", "，", "建档立卡"])
    }

    /// `--threads` changes the speed, nothing else: 1, 2 and 4 threads print the same bytes on
    /// stdout and stderr (warnings once each, in input order) for several files (an empty one,
    /// UTF-16 with a byte-order mark, invalid UTF-8) and stdin; a line longer than the decoder's
    /// block of 1 MiB is cut into pieces after a sign, and the pieces join as one line.
    func testThreadsDoNotChangeTheOutput() throws {
        let seeds = try TestPaths.seedFiles().map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n") + "\n"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-seg-threads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ data: Data) throws -> String {
            let url = folder.appendingPathComponent(name)
            try data.write(to: url)
            return url.path
        }
        var invalid = Data(seeds.utf8.prefix(3000))
        invalid.append(contentsOf: [0xFF, 0xC3])
        invalid.append(contentsOf: Data(seeds.utf8.dropFirst(3000)))
        let files = [
            try file("lines.txt", Data(String(repeating: seeds, count: 4).utf8)),
            try file("empty.txt", Data()),
            try file("utf16.txt", Data([0xFF, 0xFE]) + seeds.data(using: .utf16LittleEndian)!),
            try file("invalid.txt", invalid),
        ]
        for options in [["--delimiter", " | ", "--surface", "normalized"], ["--format", "jsonl"]] {
            let one = try tifa(["segment", "--threads", "1"] + options + files)
            XCTAssertEqual(one.status, 0, one.stderr)
            XCTAssertTrue(one.stderr.contains("invalid.txt: 2 invalid UTF-8 byte sequences"), one.stderr)
            XCTAssertTrue(one.stderr.contains("garbled text"), one.stderr)
            for threads in ["2", "4"] {
                let many = try tifa(["segment", "--threads", threads] + options + files)
                XCTAssertEqual(many.status, 0, many.stderr)
                XCTAssertTrue(many.stdout == one.stdout, "\(options), --threads \(threads): stdout differs")
                XCTAssertEqual(many.stderr, one.stderr, "\(options), --threads \(threads)")
            }
            let stdin = try tifa(["segment", "--threads", "4"] + options, stdin: seeds + seeds)
            XCTAssertTrue(stdin.stdout == (try tifa(["segment", "--threads", "1"] + options, stdin: seeds + seeds)).stdout, "\(options): stdin")
            if options.contains("jsonl") {
                // Line numbers go on across chunks: the last token of lines.txt (the seeds four
                // times) is three times the seeds' lines after the last token of the seeds.
                func lastLine(_ output: String, _ file: String) -> Int? {
                    guard let last = output.split(separator: "\n").last(where: { $0.contains(file) }),
                          let range = last.range(of: #""line":[0-9]+"#, options: .regularExpression) else { return nil }
                    return Int(last[range].dropFirst(7))
                }
                let seedsLast = lastLine(try tifa(["segment", "--format", "jsonl"], stdin: seeds).stdout, "<stdin>")
                XCTAssertNotNil(seedsLast)
                XCTAssertEqual(lastLine(one.stdout, "lines.txt"), seedsLast.map { $0 + 3 * seeds.unicodeScalars.filter { $0 == "\n" }.count })
            } else {
                // One output line per input line.
                XCTAssertEqual(one.stdout.utf8.filter { $0 == 0x0A }.count, 6 * seeds.unicodeScalars.filter { $0 == "\n" }.count)
            }
        }
        // A line of 408,000 characters (1.2 MB) without a space or sentence end: the decoder cuts
        // it at its 1 MiB block, anywhere, the cut is moved back after the last comma, the rest
        // goes with the next chunk, and the pieces join with the delimiter; then two lines.
        let long = try file("long-line.txt", Data((String(repeating: "精准扶贫，建档立卡，脱贫", count: 34_000) + "\n第二行\nend").utf8))
        let longOne = try tifa(["segment", "--threads", "1", "--delimiter", "|", long])
        XCTAssertTrue(longOne.stdout == Array(repeating: "精准扶贫|，|建档立卡|，|脱贫", count: 34_000).joined(separator: "|") + "\n第二|行\nend\n")
        XCTAssertTrue(try tifa(["segment", "--threads", "3", "--delimiter", "|", long]).stdout == longOne.stdout)
        let longJSON = try tifa(["segment", "--threads", "1", "--format", "jsonl", long])
        XCTAssertTrue(longJSON.stdout.hasSuffix(#""line":3,"start":408005,"end":408008,"text":"end","kind":"latin"}"# + "\n"))
        XCTAssertTrue(try tifa(["segment", "--threads", "3", "--format", "jsonl", long]).stdout == longJSON.stdout)
        // Against the golden output of the seeds (one thread wrote it), on four threads.
        let golden = try TestPaths.seedFiles().map {
            try String(contentsOf: Self.root.appendingPathComponent("Tests/Golden/seeds/\($0.deletingPathExtension().lastPathComponent).segment.txt"), encoding: .utf8)
        }.joined()
        let four = try tifa(["segment", "--threads", "4"] + TestPaths.seedFiles().map(\.path))
        XCTAssertEqual(four.stdout, golden)
        let explain = try tifa(["segment", "--explain", "--format", "jsonl", "--threads", "1"] + TestPaths.seedFiles().map(\.path))
        XCTAssertEqual(try tifa(["segment", "--explain", "--format", "jsonl", "--threads", "4"] + TestPaths.seedFiles().map(\.path)).stdout, explain.stdout)
        let zero = try tifa(["segment", "--threads", "0"], stdin: "一\n")
        XCTAssertNotEqual(zero.status, 0)
        XCTAssertTrue(zero.stderr.contains("--threads must be at least 1"), zero.stderr)
    }

    func testUserDictionaryAndMalformedLine() throws {
        let good = try temporaryFile("互联网+ 10 n\n")
        let r = try tifa(["segment", "--dict", good], stdin: "互联网+政务\n")
        XCTAssertEqual(r.stdout, "互联网+ 政务\n", r.stderr)
        let bad = try temporaryFile("好词 10\n坏 词 10 n\n")
        let b = try tifa(["segment", "--dict", bad], stdin: "好词\n")
        XCTAssertNotEqual(b.status, 0)
        XCTAssertTrue(b.stderr.contains("\(bad):2:"), b.stderr)
        XCTAssertEqual(b.stderr.split(separator: "\n").count, 1, b.stderr)
        XCTAssertEqual(b.stdout, "")
    }

    func testModesAndExplain() throws {
        let icu = try tifa(["segment", "--no-lexicon"], stdin: "两不愁三保障\n")
        XCTAssertEqual(icu.stdout, "两 不愁 三 保障\n", icu.stderr)
        let search = try tifa(["segment", "--search"], stdin: "中华人民共和国\n")
        XCTAssertTrue(search.stdout.hasSuffix(" 中华人民共和国\n"), search.stdout)
        XCTAssertTrue(search.stdout.contains("共和国 "), search.stdout)
        let explain = try tifa(["segment", "--explain"], stdin: "聚焦两不愁三保障\n")
        XCTAssertTrue(explain.stdout.contains("两不愁三保障\t2\t8\tformula\tforced phrase"), explain.stdout)
    }

    func testEvalOnSmallGoldFile() throws {
        // The segmenter gives 脱贫攻坚 / 2014年 / ， / 我们 / 精准扶贫: 4 of the 6 gold words are found;
        // the OOV words (2014年, 精准扶贫) are both found.
        let gold = try temporaryFile("脱贫 攻坚 2014年 ， 我们 精准扶贫\n")
        let train = try temporaryFile("脱贫\n攻坚\n我们\n，\n")
        let r = try tifa(["eval", "--gold", gold, "--train-words", train, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"gold_words\":6"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"segmented_words\":5"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"correct_words\":4"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"oov_words\":2"), r.stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(object["oov_recall"] as? Double, 1)
    }

    func testEvalScoresAnotherToolsOutput() throws {
        // Gold 我|爱|北京|天安门, theirs 我|爱|北京天安门: P = 2/3, R = 1/2.
        let gold = try temporaryFile("我 爱 北京 天安门\n")
        let theirs = try temporaryFile("我 爱 北京天安门\n")
        let r = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(try XCTUnwrap(object["precision"] as? Double), 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(object["recall"] as? Double, 0.5)
        let tsv = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--format", "tsv"])
        XCTAssertTrue(tsv.stdout.hasPrefix("gold\tlines\tgold_words\tsegmented_words\tcorrect_words\tmismatched_lines\tprecision\trecall\tf1\n"), tsv.stdout)
        XCTAssertTrue(tsv.stdout.hasSuffix("\t1\t4\t3\t2\t0\t0.6667\t0.5000\t0.5714\n"), tsv.stdout)
        XCTAssertTrue(r.stdout.contains("\"mismatched_lines\":0"), r.stdout)
        let short = try temporaryFile("")
        XCTAssertNotEqual(try tifa(["eval", "--gold", gold, "--segmented", short]).status, 0)
    }

    func testEvalWritesTheDisagreementsWithTheGold() throws {
        let gold = try temporaryFile("我 爱 北京 天安门\n北京 天安门 很 大\n检察机关\n")
        let theirs = try temporaryFile("我 爱 北京天安门\n北京天安门 很 大\n检察 机关\n")
        let train = try temporaryFile("我\n爱\n北京\n很\n大\n")
        let errors = try temporaryFile("old contents\n")
        let r = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--train-words", train, "--errors", errors])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("disagreements:     3 (split 1, joined 2, crossed 0; 2 distinct, in \(errors))"), r.stdout)
        XCTAssertEqual(try String(contentsOfFile: errors, encoding: .utf8), """
            count\tkind\tgold\tsegmented\toov\tfirst_line
            2\tjoined\t北京 天安门\t北京天安门\t1\t1
            1\tsplit\t检察机关\t检察 机关\t1\t3

            """)
        // The scores are unchanged by the option; standard output cannot take the list.
        let plain = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--format", "json"])
        let listed = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--format", "json", "--errors", errors])
        XCTAssertEqual(plain.stdout, listed.stdout)
        let refused = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--errors", "-"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--errors needs a file"), refused.stderr)
        let missing = try tifa(["eval", "--gold", gold, "--segmented", theirs, "--errors", "/nonexistent-folder/errors.tsv"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/nonexistent-folder/errors.tsv: cannot be written"), missing.stderr)
    }

    func testEvalRefusesOutputWhoseCharactersOrLinesDifferFromTheGold() throws {
        let gold = try temporaryFile("我 爱\n兴平市 扎实\n")
        for (theirs, needle) in [("我 爱\nXYZ\n", ":2: the characters differ"), ("我 爱\n兴平县 扎实\n", ":2: the characters differ"),
                                 ("我 爱\n兴平市 扎实\n多 一行\n", "3 lines, but the gold")] {
            let file = try temporaryFile(theirs)
            let r = try tifa(["eval", "--gold", gold, "--segmented", file])
            XCTAssertEqual(r.status, 1, theirs)
            XCTAssertEqual(r.stdout, "", theirs)
            XCTAssertTrue(r.stderr.contains(needle), r.stderr)
        }
    }

    func testEvalOnPKU() throws {
        let gold = Self.pku.appendingPathComponent("pku_test_gold.utf8").path
        guard FileManager.default.fileExists(atPath: gold) else { throw XCTSkip("../shared/eval/pku is absent") }
        let r = try tifa(["eval", "--gold", gold, "--train-words", Self.pku.appendingPathComponent("pku_training_words.utf8").path, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let f1 = json?["f1"] as? Double ?? 0
        // A regression guard at the level reached (see the closing note), not the goal.
        XCTAssertGreaterThan(f1, 0.84)
        XCTAssertEqual(json?["gold_words"] as? Int, 104372)
    }

    /// Pinned to one core (taskset, a container's cpuset), `segment` and `index build` start one
    /// thread by default rather than one per core of the machine, which would only take turns.
    func testThreadsDefaultToTheCoresTheProcessMayUse() throws {
        let taskset = "/usr/bin/taskset"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: taskset), "no taskset on this machine")
        let pinned = try tifa(["segment", "--stats"], stdin: "聚焦两不愁三保障\n", launcher: [taskset, "-c", "0"])
        XCTAssertEqual(pinned.status, 0, pinned.stderr)
        XCTAssertEqual(pinned.stdout, "聚焦 两不愁三保障\n")
        XCTAssertTrue(pinned.stderr.contains("one thread"), pinned.stderr)
        let asked = try tifa(["segment", "--stats", "--threads", "2"], stdin: "聚焦两不愁三保障\n", launcher: [taskset, "-c", "0"])
        XCTAssertEqual(asked.stdout, pinned.stdout)
        XCTAssertTrue(asked.stderr.contains("2 worker threads"), asked.stderr)
    }

    func testTrainThenSegmentWithTheModelAndBadModelFiles() throws {
        let fixture = Self.root.appendingPathComponent("Tests/TifaTests/Fixtures/segmentation_training.txt").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-cli-model-\(UUID().uuidString).bin").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        let trained = try tifa(["train", fixture, "--format", "words", "--epochs", "2", "--min-pair-count", "1", "-o", out])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let r = try tifa(["segment", "--model", out], stdin: "晋城市泽州县金村镇\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "晋城市 泽州县 金村镇\n")
        let lattice = try tifa(["segment", "--no-model"], stdin: "大家公认为最好\n")
        XCTAssertEqual(lattice.stdout, "大家 公 认为 最好\n")
        let model = try tifa(["segment"], stdin: "大家公认为最好\n")
        XCTAssertEqual(model.stdout, "大家 公认 为 最好\n")
        let bad = try temporaryFile("not a model\n")
        let e = try tifa(["segment", "--model", bad], stdin: "兴平市\n")
        XCTAssertNotEqual(e.status, 0)
        XCTAssertTrue(e.stderr.hasPrefix("tifa: error: \(bad): is not a Tifa segmentation model"), e.stderr)
        XCTAssertEqual(e.stderr.split(separator: "\n").count, 1, e.stderr)
        let both = try tifa(["segment", "--model", out, "--no-model"], stdin: "兴平市\n")
        XCTAssertNotEqual(both.status, 0)
        let averaged = try tifa(["train", fixture, "--format", "words", "--epochs", "2", "--min-pair-count", "1", "--runs", "3", "-o", out])
        XCTAssertEqual(averaged.status, 0, averaged.stderr)
        XCTAssertEqual(try tifa(["segment", "--model", out], stdin: "晋城市泽州县金村镇\n").stdout, "晋城市 泽州县 金村镇\n")
        let noRuns = try tifa(["train", fixture, "--runs", "0", "-o", out])
        XCTAssertNotEqual(noRuns.status, 0)
        XCTAssertTrue(noRuns.stderr.contains("--runs must be 1…64"), noRuns.stderr)
    }
}
