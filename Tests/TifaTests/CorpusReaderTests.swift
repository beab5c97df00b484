import XCTest
import TifaTestSupport
@testable import Tifa

final class CorpusReaderTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    func documents(_ inputs: [String], _ options: CorpusOptions = .init()) throws -> ([Document], [CorpusSkip]) {
        var docs: [Document] = [], skips: [CorpusSkip] = []
        for item in try CorpusReader(inputs: inputs, options: options) {
            switch item {
            case .document(let d): docs.append(d)
            case .skipped(let s): skips.append(s)
            }
        }
        return (docs, skips)
    }

    func testFoldersAreReadRecursivelyInSortedOrderWithMetadataFromPath() throws {
        try write("2019_四川_渠县.txt", Array("脱贫攻坚".utf8))
        try write("sub/2020_山西_晋城.md", Array("五个一批".utf8))
        try write("ignored.pdf", [1, 2, 3])
        var options = CorpusOptions()
        options.metaFromPath = #"(?<year>\d{4})_(?<province>[^_/]+)_(?<county>[^_.]+)"#
        let (docs, skips) = try documents([directory.path], options)
        XCTAssertEqual(skips.count, 0)
        XCTAssertEqual(docs.map(\.id), ["2019_四川_渠县.txt", "sub/2020_山西_晋城.md"])
        XCTAssertEqual(docs[0].metadata, ["year": "2019", "province": "四川", "county": "渠县"])
        XCTAssertEqual(docs[0].year, 2019)
        XCTAssertEqual(docs[1].text, "五个一批")
        XCTAssertEqual(docs[0].checksum, SHA256.hex(Array("脱贫攻坚".utf8)))
    }

    /// What the listing promises: every listed file (extension, not hidden, no symbolic link)
    /// in the order of its relative path's Unicode scalars — computed here independently, from
    /// FileManager's paths sorted as a whole.
    func sortedListing(_ root: URL, extensions: Set<String> = CorpusOptions().extensions) throws -> [String] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { path in
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(path).path
            let attributes = try? FileManager.default.attributesOfItem(atPath: full)
            return !path.split(separator: "/").contains { $0.hasPrefix(".") }
                && FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && !isDirectory.boolValue
                && attributes?[.type] as? FileAttributeType == .typeRegular
                && extensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
        }
        return paths.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    func testFolderWalkYieldsTheGloballySortedOrder() throws {
        // Names a folder's own name is a prefix of ("a-c", "a.txt" sort before "a/…", "a0" after),
        // non-ASCII ones (U+FF46 sorts before U+1F600 by scalar, after it in UTF-16), hidden and
        // unlisted files, a symbolic link.
        let files = ["a/b.txt", "a-c.txt", "a.txt", "ab.txt", "a0.txt", "a b/x.md", "a.d/z.txt", "a-/y.txt", "a/b/c.txt", "a/b-c.txt",
                     "报告/一.txt", "报告.txt", "报告1/x.txt", "Z.txt", "é.md", "e/f/g.txt", "e.f/h.txt", "ｆ.txt", "😀.txt", "😀/a.txt",
                     ".hidden.txt", ".h/x.txt", "x.pdf", "sub/UPPER.TXT", "sub/page.html"]
        for name in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("扶贫".utf8).write(to: url)
        }
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.txt").path, withDestinationPath: directory.appendingPathComponent("a.txt").path)
        let listed = try CorpusFileList(inputs: [directory.path]).map(\.relativePath)
        XCTAssertEqual(listed, try sortedListing(directory))
        XCTAssertEqual(listed.prefix(6), ["Z.txt", "a b/x.md", "a-/y.txt", "a-c.txt", "a.d/z.txt", "a.txt"])
        XCTAssertFalse(listed.contains("link.txt"))
        XCTAssertEqual(listed.suffix(3), ["ｆ.txt", "😀.txt", "😀/a.txt"])
        XCTAssertEqual(try CorpusReader.listFiles(inputs: [directory.path]).map(\.relativePath), listed)
    }

    func testFolderWalkOrderOnRandomTrees() throws {
        // Short names from characters around "/" and beyond the BMP, folders and files mixed.
        let alphabet = ["a", "b", "-", ".", "0", " ", "报", "😀", "ｆ", "~"]
        var generator = SplitMix64(seed: 11)
        for round in 0..<5 {
            let root = directory.appendingPathComponent("tree\(round)")
            for _ in 0..<150 {
                let depth = Int.random(in: 0...3, using: &generator)
                let components = (0...depth).map { _ in (0..<Int.random(in: 1...3, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined() }
                guard !components.contains(where: { $0.allSatisfy { $0 == "." } }) else { continue }  // "." and ".."
                let url = components.reduce(root) { $0.appendingPathComponent($1) }.appendingPathExtension("txt")
                // A component that exists as a file where a folder is needed: skip that path.
                try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? Data("两不愁".utf8).write(to: url)
            }
            let listed = try CorpusFileList(inputs: [root.path]).map(\.relativePath)
            XCTAssertGreaterThan(listed.count, 50)
            XCTAssertEqual(listed, try sortedListing(root), "round \(round)")
        }
    }

    func testFolderListingsCountTheFilesNotReadByExtension() throws {
        try write("a.txt", Array("扶贫".utf8))
        try write("b.CSV", Array("1,2".utf8))
        try write("sub/c.csv", Array("3,4".utf8))
        try write("sub/d.docx", [0x50, 0x4B])
        try write("notes", Array("x".utf8))
        try write("README", Array("x".utf8))  // a folder's own files: not counted
        try write("sub/Thumbs.db", [0])
        try write(".hidden.csv", Array("x".utf8))  // hidden: never read, not counted
        let empty = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty.appendingPathComponent("deeper"), withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("a.txt").path
        let list = try CorpusFileList(inputs: [file, directory.path, empty.path])
        XCTAssertEqual(list.folderListings, [], "nothing is recorded before a walk ends")
        XCTAssertEqual(list.map(\.relativePath), [file, "a.txt"])
        let listings = list.folderListings
        XCTAssertEqual(listings.map(\.folder), [directory.path, empty.path])
        XCTAssertEqual(listings[0].readFiles, 1)
        XCTAssertEqual(listings[0].unlisted.map { "\($0.fileExtension) \($0.count)" }, ["csv 2", " 1", "docx 1"])
        XCTAssertEqual(listings[0].unlistedCount, 4)
        XCTAssertEqual(listings[0].unlistedSummary(), ".csv ×2, no extension ×1, .docx ×1")
        XCTAssertEqual(listings[0].unlistedSummary(limit: 1), ".csv ×2, …")
        XCTAssertEqual(listings[1].readFiles, 0)
        XCTAssertEqual(listings[1].unlistedCount, 0)
        XCTAssertEqual(listings[0].filesWithUndecodableNames, 0)
        // A name that is not UTF-8 (GBK 你好.txt, as a zip archive unpacks it) cannot be read, but is counted.
        let gbkName = Array(directory.path.utf8) + Array("/sub/".utf8) + [0xC4, 0xE3, 0xBA, 0xC3] + Array(".txt".utf8) + [0]
        let cName = gbkName.map { CChar(bitPattern: $0) }
        let fd: Int32 = cName.withUnsafeBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        XCTAssertEqual(Array(list).count, 2)
        XCTAssertEqual(list.folderListings[0].filesWithUndecodableNames, 1)
        _ = cName.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        // A second walk replaces the first one's listings instead of adding to them.
        _ = Array(list)
        XCTAssertEqual(list.folderListings, listings)
        // The reader's copy of the list shares them.
        let reader = try CorpusReader(inputs: [directory.path])
        XCTAssertEqual(reader.map { _ in 1 }.count, 1)
        XCTAssertEqual(reader.files.folderListings.first?.unlistedCount, 4)
    }

    func testAnInputGoneAfterTheReaderWasMadeIsReportedNotLost() throws {
        try write("gone.txt", Array("扶贫".utf8))
        let reader = try CorpusReader(inputs: [directory.appendingPathComponent("gone.txt").path])
        try FileManager.default.removeItem(at: directory.appendingPathComponent("gone.txt"))
        let skips = reader.compactMap { item -> CorpusSkip? in if case .skipped(let s) = item { return s } else { return nil } }
        XCTAssertEqual(skips.map(\.source), [directory.appendingPathComponent("gone.txt").path])
    }

    func testHTMLIsStrippedOfTagsScriptsAndEntities() throws {
        try write("page.html", Array("<html><head><title>标题</title><script>var a='<p>';</script><style>p{}</style></head><body><p>精准&nbsp;扶贫&amp;脱贫</p><!-- note --><div>两不愁</div></body></html>".utf8))
        let (docs, _) = try documents([directory.appendingPathComponent("page.html").path])
        XCTAssertEqual(docs.first?.text, "标题\n精准\u{A0}扶贫&脱贫\n两不愁\n")
    }

    func testHTMLTableRowsAreLinesOfTabSeparatedCells() {
        let html = "<table><tr><th>项目</th><th>金额</th></tr><tr><td>索引号：</td><td>000014349</td></tr>"
            + "<tr><td><p>产业扶贫</p></td><td>3560万元</td></tr></table><p>正文</p>"
        XCTAssertEqual(HTMLText.plainText(fromHTML: html), "项目\t金额\n索引号：\t000014349\n产业扶贫\n3560万元\n正文\n")
    }

    /// The page title goes when the page repeats it (the headline as <h1>, the title less its
    /// site name), so a headline's formulas count once a page; a title found nowhere else stays.
    func testPageTitleIsLeftOutWhereThePageRepeatsIt() {
        let page = "<html><head><title>我县召开脱贫攻坚推进会_XX县人民政府</title></head><body><div>首页 | 要闻</div>"
            + "<h1>我县召开脱贫攻坚推进会</h1><p>会议强调，聚焦“两不愁三保障”。</p></body></html>"
        XCTAssertEqual(HTMLText.plainText(fromHTML: page), "\n首页 | 要闻\n我县召开脱贫攻坚推进会\n会议强调，聚焦“两不愁三保障”。\n")
        let siteFirst = "<title>人民网 - 乡村振兴开新局</title><h2> 乡村振兴开新局 </h2><p>正文。</p>"
        XCTAssertEqual(HTMLText.plainText(fromHTML: siteFirst), "\n 乡村振兴开新局 \n正文。\n")
        let only = "<title>仅在标题中的两不愁三保障</title><p>正文。</p>"
        XCTAssertEqual(HTMLText.plainText(fromHTML: only), "仅在标题中的两不愁三保障\n正文。\n")
        // A short part (首页) is no headline; an <svg> title later in the page is not the page's.
        let short = "<title>首页_某某网</title><p>首页</p><svg><title>分享</title></svg>"
        XCTAssertEqual(HTMLText.plainText(fromHTML: short), "首页_某某网\n首页\n分享\n")
    }

    func testJSONLRecordsWithFieldsAndBadLinesSkipped() throws {
        let lines = [
            #"{"title": "报告一", "content": "两不愁三保障", "year": 2016, "region": "四川"}"#,
            "not json",
            #"{"title": "报告二", "body": "x"}"#,
            "",
            #"{"title": "报告三", "content": "五个一批", "year": "2018"}"#,
        ]
        try write("c.jsonl", Array(lines.joined(separator: "\n").utf8))
        var options = CorpusOptions()
        options.metaFields = ["year"]
        let path = directory.appendingPathComponent("c.jsonl").path
        let (docs, skips) = try documents([path], options)
        XCTAssertEqual(docs.map(\.id), ["报告一", "报告三"])
        XCTAssertEqual(docs.map(\.year), [2016, 2018])
        XCTAssertEqual(docs[0].metadata, ["year": "2016"])
        XCTAssertEqual(docs[0].source, "\(path):1")
        XCTAssertEqual(skips.map(\.description), ["\(path):2: not a JSON object (a JSON Lines record is one object on one line)", "\(path):3: no string field \"content\"; the record's string fields, longest first: \"title\", \"body\" (choose one with --text-field)"])
    }

    /// A record without its text says what it has instead: the text under another name is
    /// usually its longest string field.
    func testMissingTextFieldNamesWhatTheRecordHas() throws {
        func reason(_ json: String) throws -> String {
            let object = try Array(json.utf8).withUnsafeBufferPointer { try JSONRecord.fields($0) }
            return CorpusReader.missingTextField("content", in: object)
        }
        XCTAssertEqual(try reason(#"{"id": "d1", "text": "两不愁三保障，五个一批", "title": "报告"}"#),
                       #"no string field "content"; the record's string fields, longest first: "text", "title", "id" (choose one with --text-field)"#)
        XCTAssertEqual(try reason(#"{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6"}"#),
                       #"no string field "content"; the record's string fields, longest first: "a", "b", "c", "d", "e", … (choose one with --text-field)"#)
        XCTAssertEqual(try reason(#"{"content": 12}"#), #"field "content" is a number, not a string (choose the text's field with --text-field)"#)
        XCTAssertEqual(try reason(#"{"content": {"body": "x"}}"#), #"field "content" is an object or array, not a string (choose the text's field with --text-field)"#)
        XCTAssertEqual(try reason(#"{"year": 2020}"#), #"no string field "content", nor any other string field (choose the text's field with --text-field)"#)
    }

    /// A year is a year: four digits at most in a `year` field, or the first year 1900–2099 in it
    /// or in `date`. (FuzzCorpus found +0004000000000000184 taken as a year.)
    func testJSONLinesInOtherEncodingsWithAByteOrderMarkOrInvalidBytes() throws {
        // A record per fixture: its first line, in the fixture's encoding, inside ASCII JSON (the
        // text holds no quote or backslash; a GB18030 or Big5 trail byte may be 0x5C, which is
        // why the file is decoded before it is parsed).
        func firstLine(_ name: String) throws -> [UInt8] {
            let bytes = Array(try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/TifaTests/Fixtures/\(name)")))
            return Array(bytes.prefix { $0 != 0x0A && $0 != 0x0D })
        }
        func record(_ id: String, _ content: [UInt8]) -> [UInt8] {
            Array("{\"title\": \"\(id)\", \"content\": \"".utf8) + content + Array("\"}\r\n".utf8)
        }
        let simplified = String(decoding: try firstLine("simplified.utf8.txt"), as: UTF8.self)
        let traditional = String(decoding: try firstLine("traditional.utf8.txt"), as: UTF8.self)
        try write("gb.jsonl", record("g1", try firstLine("simplified.gb18030.txt")) + record("g2", try firstLine("simplified.gb18030.txt")))
        try write("big5.jsonl", record("b", try firstLine("traditional.big5.txt")))
        try write("bom.jsonl", [0xEF, 0xBB, 0xBF] + record("m1", Array(simplified.utf8)) + record("m2", Array("五个一批".utf8)))
        try write("bad.jsonl", record("x", Array("扶贫".utf8) + [0xFF] + Array("攻坚".utf8)))
        var utf16 = [UInt8]([0xFF, 0xFE])
        for unit in String(decoding: record("u", Array(simplified.utf8)), as: UTF8.self).utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try write("u16.jsonl", utf16)
        let (docs, skips) = try documents(["gb.jsonl", "big5.jsonl", "bom.jsonl", "u16.jsonl", "bad.jsonl"].map { directory.appendingPathComponent($0).path })
        XCTAssertEqual(skips.map(\.description), [])
        XCTAssertEqual(docs.map(\.id), ["g1", "g2", "b", "m1", "m2", "u", "x"])
        XCTAssertEqual(docs.map(\.text), [simplified, simplified, traditional, simplified, "五个一批", simplified, "扶贫\u{FFFD}攻坚"])
        XCTAssertEqual(docs.map(\.encoding), [.gb18030, .gb18030, .big5, .utf8, .utf8, .utf16LittleEndian, .utf8])
        XCTAssertEqual(docs.map(\.replacements), [0, 0, 0, 0, 0, 0, 1])
        // --strict: the record with invalid bytes is skipped, and the message says where.
        var strict = CorpusOptions()
        strict.decoding = DecodingOptions(invalidBytes: .fail)
        let (strictDocs, strictSkips) = try documents([directory.appendingPathComponent("bad.jsonl").path], strict)
        XCTAssertEqual(strictDocs.count, 0)
        XCTAssertEqual(strictSkips.map(\.reason), ["not UTF-8 at column 30 (byte 0xFF)"])
        // In a decoded file too, --strict skips only the record with invalid bytes.
        try write("gbbad.jsonl", record("g1", try firstLine("simplified.gb18030.txt")) + record("c", [0x81, 0x20])
                  + record("g2", try firstLine("simplified.gb18030.txt")))
        let gbbad = directory.appendingPathComponent("gbbad.jsonl").path
        XCTAssertEqual(try documents([gbbad]).0.map(\.replacements), [0, 1, 0])
        let (kept, skipped) = try documents([gbbad], strict)
        XCTAssertEqual(kept.map(\.id), ["g1", "g2"])
        XCTAssertEqual(skipped.map(\.description), ["\(gbbad):2: 1 invalid GB18030 byte sequence"])
        // --encoding forces the encoding as for a text file.
        var forced = CorpusOptions()
        forced.decoding = DecodingOptions(encoding: .gb18030)
        XCTAssertEqual(try documents([directory.appendingPathComponent("gb.jsonl").path], forced).0.map(\.text), [simplified, simplified])
    }

    func testJSONLinesSkipMessagesSayWhereAndWhy() throws {
        let lines = [
            #"{"title": "a", "content": "两不愁"#,
            #"{"title": "b" "content": "x"}"#,
            #"[1, 2]"#,
            "{\"title\": \"c\", \"content\": \"a\tb\"}",
        ]
        try write("s.jsonl", Array(lines.joined(separator: "\n").utf8))
        let (_, skips) = try documents([directory.appendingPathComponent("s.jsonl").path])
        XCTAssertEqual(skips.map(\.reason), [
            "not a JSON object: the line ends inside it (an unterminated string, object or array, or a record broken over two lines?)",
            "not valid JSON at column 15: unexpected «\"»",
            "not a JSON object (a JSON Lines record is one object on one line)",
            "not valid JSON at column 29: unexpected a tab inside a string",
        ])
    }

    func testYearFieldsHoldYearsOnly() {
        func year(_ metadata: [String: String]) -> Int? { Document(id: "d", source: "d", metadata: metadata, text: "").year }
        XCTAssertEqual(year(["year": "2019"]), 2019)
        XCTAssertEqual(year(["year": " 1999 "]), 1999)
        XCTAssertEqual(year(["year": "2019年"]), 2019)
        XCTAssertEqual(year(["year": "FY2021", "date": "2019-01-01"]), 2021)
        XCTAssertNil(year(["year": "+0004000000000000184"]))
        XCTAssertNil(year(["year": "-5"]))
        XCTAssertNil(year(["year": "12345"]))
        XCTAssertEqual(year(["year": "unknown", "date": "发布日期:2018-06-08"]), 2018)
        XCTAssertEqual(year(["year": "99999999999999999999", "date": "2018"]), 2018)
        XCTAssertNil(year(["date": "20190101"]))
    }

    func testUnreadableFilesAreSkippedAndMissingInputsThrow() throws {
        try write("bin.txt", [0x41, 0x00, 0x01, 0x00])  // not UTF-16 either: U+0001 is a control character
        try write("ok.txt", Array("扶贫".utf8))
        let (docs, skips) = try documents([directory.path])
        XCTAssertEqual(docs.map(\.id), ["ok.txt"])
        XCTAssertEqual(skips.count, 1)
        XCTAssertTrue(skips[0].reason.contains("binary"), skips[0].reason)
        XCTAssertThrowsError(try CorpusReader(inputs: [directory.appendingPathComponent("missing").path]))
    }

    func testSHA256HardwareAndPortableAgree() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4096, 100_003] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var portable = SHA256(implementation: .portable), automatic = SHA256(implementation: .automatic)
            // In uneven pieces, so partial blocks are joined before whole ones are hashed.
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...300, using: &generator))
                portable.update(bytes[start..<end])
                automatic.update(bytes[start..<end])
                start = end
            }
            XCTAssertEqual(automatic.hexDigest(), portable.hexDigest(), "\(length) bytes")
        }
    }

    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // Fed in uneven pieces, the digest is the same.
        let bytes = Array(String(repeating: "a", count: 1000).utf8)
        var hasher = SHA256()
        var i = 0
        for size in [1, 63, 64, 65, 7, 200] + Array(repeating: 100, count: 6) where i < bytes.count {
            hasher.update(bytes[i..<min(bytes.count, i + size)])
            i += size
        }
        XCTAssertEqual(hasher.hexDigest(), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testWholeJobFailuresAreCorpusErrorsNotSkips() {
        XCTAssertThrowsError(try CorpusReader(inputs: ["/nonexistent/tifa-corpus"])) { error in
            XCTAssertEqual(error as? CorpusError, .missingInput("/nonexistent/tifa-corpus"))
            XCTAssertEqual("\(error)", "/nonexistent/tifa-corpus: no such file or directory")
        }
        var options = CorpusOptions()
        options.metaFromPath = "(?<year>\\d{4}"
        XCTAssertThrowsError(try CorpusReader(inputs: [], options: options)) { error in
            XCTAssertEqual(error as? CorpusError, .invalidPathPattern("(?<year>\\d{4}"))
        }
    }
}

