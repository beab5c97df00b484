import Foundation
import XCTest
@testable import Tifa

/// The trained model: training is deterministic, bad model files are named, `--no-model` is the
/// lattice, the model overrides the lattice only where it may (never formulas, user words or numbers).
final class SegmentationModelTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    nonisolated(unsafe) static var cachedLattice: Segmenter?
    static func lattice() throws -> Segmenter {
        if let cachedLattice { return cachedLattice }
        var o = Segmenter.Options()
        o.model = .none
        let s = try Segmenter(options: o)
        cachedLattice = s
        return s
    }

    func words(_ text: String, _ segmenter: Segmenter) throws -> [String] {
        let normalized = try Normalizer().normalize(text)
        return segmenter.segment(normalized).filter { $0.kind != .whitespace }.map { normalized.text($0.range) }
    }

    /// The shipped segmenter with a `--dict` file of `lines`.
    func segmenter(withDictionary lines: String) throws -> Segmenter {
        let dict = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-dict-\(UUID().uuidString).txt")
        try lines.write(to: dict, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dict) }
        var o = Segmenter.Options()
        o.userDictionaries = [dict]
        return try Segmenter(options: o)
    }

    func trainFixture(seed: UInt64 = 1, runs: Int = 1) throws -> [UInt8] {
        let sentences = try SegmentationTrainer.readCorpus(Self.fixtures.appendingPathComponent("segmentation_training.txt"), format: .words)
        XCTAssertEqual(sentences.count, 15)
        var options = SegmentationTrainer.Options()
        options.epochs = 3
        options.seed = seed
        options.runs = runs
        options.minimumPairCount = 1
        return try SegmentationTrainer.train(sentences, segmenter: Self.lattice(), options: options)
    }

    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-model-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testTrainingIsDeterministicAndTheFileLoads() throws {
        let first = try trainFixture()
        let second = try trainFixture()
        XCTAssertEqual(first, second, "same data and options give the same bytes")
        let url = try temporaryFile(first)
        let model = try SegmentationModel(contentsOf: url)
        XCTAssertEqual(model.info.epochs, 3)
        XCTAssertEqual(model.info.sentences, 15)
        var o = Segmenter.Options()
        o.model = .file(url)
        let segmenter = try Segmenter(options: o)
        XCTAssertEqual(try words("晋城市泽州县金村镇", segmenter), ["晋城市", "泽州县", "金村镇"], "learned from its own training sentences")
    }

    func testRunsAverageTrainingsWithConsecutiveSeeds() throws {
        let averaged = try trainFixture(runs: 3)
        XCTAssertEqual(averaged, try trainFixture(runs: 3), "deterministic")
        XCTAssertNotEqual(averaged, try trainFixture(runs: 1))
        XCTAssertNotEqual(averaged, try trainFixture(seed: 2, runs: 3), "other seeds, other shuffles")
        let model = try SegmentationModel(contentsOf: try temporaryFile(averaged))
        XCTAssertEqual(model.info.runs, 3)
        XCTAssertEqual(model.info.seed, 1)
        XCTAssertEqual(try SegmentationModel(contentsOf: try temporaryFile(try trainFixture())).info.runs, 1)
    }

    /// A version 1 file (no `runs` field) is the same model: made here from a version 2 file.
    func testVersion1FilesStillLoad() throws {
        let current = try trainFixture()
        let keptWordsOffset = try SegmentationModel(contentsOf: try temporaryFile(current)).keptWordsOffset
        // magic 8, version 4, schema 16, epochs 4, seed 8: the runs field follows at 40; no kept words.
        var old = Array(current[0..<40]) + Array(current[44..<keptWordsOffset])
        old[8] = 1
        var writer = ModelFileWriter()
        writer.bytes = old
        let v1 = writer.finished()
        let model = try SegmentationModel(contentsOf: try temporaryFile(v1))
        XCTAssertEqual(model.info.runs, 1)
        XCTAssertEqual(model.info.epochs, 3)
        XCTAssertEqual(model.info.sentences, 15)
        var o = Segmenter.Options()
        o.model = .file(try temporaryFile(v1))
        var p = Segmenter.Options()
        p.model = .file(try temporaryFile(current))
        let text = "晋城市泽州县金村镇推行村级事务"
        XCTAssertEqual(try words(text, try Segmenter(options: o)), try words(text, try Segmenter(options: p)))
    }

    /// Kept words: found by the trainer, written sorted, found again for a file's weights with
    /// `replacingKeptWords` (the same bytes as training with them), and a version 2 file (none)
    /// gets them the same way.
    func testKeptWordsAreFoundWrittenAndFoundAgain() throws {
        let sentences = try SegmentationTrainer.readCorpus(Self.fixtures.appendingPathComponent("segmentation_training.txt"), format: .words)
        var options = SegmentationTrainer.Options()
        options.epochs = 3
        options.minimumPairCount = 1
        options.minimumKeptCount = 2
        let trained = try SegmentationTrainer.train(sentences, segmenter: Self.lattice(), options: options)
        let model = try SegmentationModel(contentsOf: try temporaryFile(trained))
        XCTAssertFalse(model.keptWords.isEmpty)
        XCTAssertEqual(model.keptWords, model.keptWords.sorted())
        let again = try SegmentationTrainer.replacingKeptWords(in: Data(trained), url: nil, sentences: sentences, segmenter: Self.lattice(),
                                                               minimumCount: 2, maximumRecutShare: options.maximumKeptRecutShare)
        XCTAssertEqual(again, trained, "the same weights and words, the same bytes")
        let none = try SegmentationTrainer.replacingKeptWords(in: Data(trained), url: nil, sentences: sentences, segmenter: Self.lattice(),
                                                              minimumCount: 0, maximumRecutShare: 0)
        XCTAssertEqual(try SegmentationModel(contentsOf: try temporaryFile(none)).keptWords, [])
        // A version 2 file: the same header and weights, no kept words.
        var v2 = ModelFileWriter()
        v2.bytes = Array(trained[0..<model.keptWordsOffset])
        v2.bytes[8] = 2
        let version2 = v2.finished()
        XCTAssertEqual(try SegmentationModel(contentsOf: try temporaryFile(version2)).keptWords, [])
        XCTAssertEqual(try SegmentationTrainer.replacingKeptWords(in: Data(version2), url: nil, sentences: sentences, segmenter: Self.lattice(),
                                                                  minimumCount: 2, maximumRecutShare: options.maximumKeptRecutShare), trained)
        // Kept words out of order are a named error.
        var unsorted = v2
        unsorted.bytes[8] = 3
        let text = Array("的\n我们".utf8)  // 的 U+7684 sorts after 我 U+6211
        unsorted.append(UInt32(text.count))
        unsorted.bytes += text
        let url = try temporaryFile(unsorted.finished())
        XCTAssertThrowsError(try SegmentationModel(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains("kept words"), "\(error)")
        }
        // Not UTF-8, and a byte count past the end: named errors, not a crash.
        var invalid = v2
        invalid.bytes[8] = 3
        invalid.append(UInt32(3))
        invalid.bytes += [0xE7, 0x9A, 0xFF]
        XCTAssertThrowsError(try SegmentationModel(contentsOf: try temporaryFile(invalid.finished()))) { error in
            XCTAssertTrue("\(error)".contains("not UTF-8"), "\(error)")
        }
        var long = v2
        long.bytes[8] = 3
        long.append(UInt32(1_000_000))
        long.bytes += Array("我们".utf8)
        XCTAssertThrowsError(try SegmentationModel(contentsOf: try temporaryFile(long.finished()))) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }

    /// The shipped model's kept words leave the tokens as they were where the model keeps them:
    /// a window stops at a kept word only where nothing next to it may join it, and is then
    /// decoded as if the word were in it. Sentences where the model joins or moves the
    /// boundary of a kept word's neighbours (工作法, 承诺书, 公认 为, 中央委员 between 的 and 和)
    /// come out as with no kept words at all.
    func testKeptWordsChangeNoTokenWhereTheModelKeepsThem() throws {
        let shipped = try SegmentationModel(contentsOf: try SegmentationModel.shippedURL())
        XCTAssertTrue(shipped.keptWords.contains("的"), "a character the model keeps alone")
        XCTAssertTrue(shipped.keptWords.contains("我们"), "a word the model keeps whole")
        XCTAssertFalse(shipped.keptWords.contains("县"), "the model joins 县 to place names")
        let none = try SegmentationTrainer.replacingKeptWords(in: try Data(contentsOf: SegmentationModel.shippedURL()), url: nil, sentences: [],
                                                              segmenter: Self.lattice(), minimumCount: 0, maximumRecutShare: 0)
        var o = Segmenter.Options()
        o.model = .file(try temporaryFile(none))
        let withoutKept = try Segmenter(options: o)
        let withKept = try Segmenter()
        for text in ["为党和人民作出重要贡献的中央委员和其他同志", "总结推广村级工作法和干部承诺书", "群众公认为最好的办法",
                     "我们的故事会在村里召开", "推进经济社会发展和生态文明建设"] {
            XCTAssertEqual(try words(text, withKept), try words(text, withoutKept), text)
        }
    }

    func testBMESCorpusFormatAndItsErrors() throws {
        let good = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-bmes-\(UUID().uuidString).txt")
        try "今/b 年/e 春/b 天/e 的/s\n".write(to: good, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: good) }
        XCTAssertEqual(try SegmentationTrainer.readCorpus(good, format: .bmes), [.init(text: "今年春天的", wordStarts: [0, 2, 4])])
        try "今/b 年/e\n春/x\n".write(to: good, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SegmentationTrainer.readCorpus(good, format: .bmes)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(good.path + ":2:"), message)
            XCTAssertTrue(message.contains("b, m, e, s"), message)
        }
    }

    func testBadModelFilesAreNamedErrors() throws {
        let bytes = try trainFixture()
        func message(_ data: [UInt8]) throws -> String {
            let url = try temporaryFile(data)
            do {
                _ = try SegmentationModel(contentsOf: url)
                XCTFail("loaded a bad model")
                return ""
            } catch let e as DataFileError {
                XCTAssertEqual(e.file, url.path)
                return e.message
            }
        }
        XCTAssertTrue(try message(Array(bytes.prefix(bytes.count / 2))).contains("truncated"))
        XCTAssertTrue(try message(Array("not a model at all, just text".utf8)).contains("bad magic"))
        XCTAssertTrue(try message([]).contains("is empty"))
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x40
        XCTAssertTrue(try message(damaged).contains("checksum"))
        var future = bytes
        future[8] = 99
        XCTAssertTrue(try message(future).contains("version 99"))
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-no-such-model.bin")
        XCTAssertThrowsError(try SegmentationModel(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
        }
    }

    func testNoModelIsTheLexiconLattice() throws {
        // The lattice's known mistakes (issue 10), kept as they were when the model is off.
        let lattice = try Self.lattice()
        XCTAssertEqual(try words("构建起", lattice), ["构", "建起"])
        XCTAssertEqual(try words("大家公认为最好", lattice), ["大家", "公", "认为", "最好"])
        XCTAssertNil(lattice.model)
        let text = try Normalizer().normalize("记者张卫东采访了李秀英，大家公认为最好")
        XCTAssertFalse(lattice.explain(text).contains { $0.reason.hasPrefix("model") })
    }

    func testShippedModelFixesWordsAndNamesTheLatticeMisses() throws {
        let model = try Segmenter()
        XCTAssertNotNil(model.model)
        // Sentences of our own: a verb + complement and given names the lexicons lack (the
        // shipped model follows PKU's standard: surname and given name apart).
        XCTAssertEqual(try words("这个机制构建起来了", model).prefix(3), ["这个", "机制", "构建"])
        XCTAssertEqual(try words("记者张卫东采访了李秀英", model), ["记者", "张", "卫东", "采访", "了", "李", "秀英"])
        let text = try Normalizer().normalize("大家公认为最好")
        let explained = model.explain(text)
        XCTAssertEqual(explained.map(\.surface), ["大家", "公认", "为", "最好"])
        XCTAssertEqual(explained[1].reason.hasPrefix("model"), true, "\(explained[1])")
    }

    func testExplainSaysWhatTheModelChangedInTheLattice() throws {
        // A seed sentence (001): the lattice has the domain words 因病致贫返贫 and 困难家庭; the model
        // splits the second (a domain word of 5+ characters is kept whole); a token both have
        // keeps the lattice's rule.
        let text = try Normalizer().normalize("持续关注因病致贫返贫的困难家庭，大家公认为最好")
        let explained = try Segmenter().explain(text)
        func reason(_ surface: String) throws -> String { try XCTUnwrap(explained.first { $0.surface == surface }, surface).reason }
        XCTAssertEqual(try reason("家庭"), "model: split the lattice's 困难家庭 [domain lexicon (cost 113)]; 家庭 is a word of the ICU dictionary (cost 67)")
        let moved = try reason("公认")
        XCTAssertEqual(try reason("因病致贫返贫"), "domain lexicon (cost 113)")
        XCTAssertTrue(moved.hasPrefix("model: moved a word boundary of the lattice's 公 [single character in ICU dictionary"), moved)
        XCTAssertTrue(moved.contains(" + 认为 [ICU dictionary"), moved)
        // Tokens the lattice had: decoded again in the model's window (大家 next to the 公 it
        // re-cut), or one of the model's kept words left out of the windows (关注).
        XCTAssertEqual(try reason("大家"), "ICU dictionary (cost 66); the model decoded it again and agreed")
        XCTAssertEqual(try reason("关注"), "ICU dictionary (cost 71); one of the model's kept words (it nearly always leaves them whole): not decoded again")
        XCTAssertEqual(try reason("的"), "single character in ICU dictionary (cost 31); the model decoded it again and agreed")
    }

    func testExplainSaysWhereTheModelDidNotLook() throws {
        // A lone character between two kept words is a window of one atom, which the model does
        // not decode: no note; the kept words say so. Without the model nothing is said of it.
        let text = try Normalizer().normalize("工作效率的提高")
        let withModel = try Segmenter().explain(text)
        XCTAssertEqual(withModel.map(\.surface), ["工作", "效率", "的", "提高"])
        guard withModel.count == 4 else { return }
        XCTAssertEqual(withModel[2].reason, "single character in ICU dictionary (cost 31)")
        XCTAssertTrue(withModel[3].reason.hasSuffix("; one of the model's kept words (it nearly always leaves them whole): not decoded again"), withModel[3].reason)
        let withoutModel = try Self.lattice().explain(text)
        XCTAssertFalse(withoutModel.contains { $0.reason.contains("model") }, "\(withoutModel.map(\.reason))")
    }

    func testModelNeverChangesFormulasNumbersOrUserWords() throws {
        let model = try Segmenter()
        XCTAssertEqual(try words("聚焦两不愁三保障，精细实施五个一批", model), ["聚焦", "两不愁三保障", "，", "精细", "实施", "五个一批"])
        XCTAssertEqual(try words("2014年增长12.1%，投入3.698亿元", model), ["2014年", "增长", "12.1%", "，", "投入", "3.698亿元"])
        let withDictionary = try segmenter(withDictionary: "认为最 10\n")
        XCTAssertEqual(try words("大家公认为最好", withDictionary), ["大家", "公", "认为最", "好"], "a --dict word beats the model")
    }
    func testAnonymizedPersonsAreOneToken() throws {
        // Court rulings and police reports name people by surname + 某 or 某某 (sentences of our
        // own). Left to the model they came out 张 某犯 and 孙 某某 beside 周某.
        let model = try Segmenter(), lattice = try Self.lattice()
        for segmenter in [model, lattice] {
            XCTAssertEqual(try words("被告人张某犯盗窃罪", segmenter), ["被告人", "张某", "犯", "盗窃罪"])
            XCTAssertEqual(try words("原告孙某某诉称，被告周某拖欠货款", segmenter).filter { $0.contains("某") }, ["孙某某", "周某"])
            XCTAssertEqual(try words("赵某于当晚被抓获", segmenter).first, "赵某")
            // 某 as a determiner: after a word that ends in a surname character (浙江, 吉林), before
            // a word it starts (某些, 某一), after a surname left out for its function-word use (向).
            XCTAssertEqual(try words("浙江某公司与吉林某雷达站", segmenter).filter { $0.contains("某") }, ["某", "某"])
            XCTAssertEqual(try words("王某些", segmenter).first, "王")
            XCTAssertEqual(try words("向某单位借款", segmenter).prefix(2), ["向", "某"])
            XCTAssertEqual(try words("任某一方违约", segmenter).first, "任")
        }
        let text = try Normalizer().normalize("李某某称")
        XCTAssertEqual(model.explain(text).first?.reason, "surname + 某: an anonymized person (segmentation_rules.tsv), kept whole against the model")
        XCTAssertEqual(try words("李某某称", segmenter(withDictionary: "某某称 10\n")), ["李", "某某称"], "a --dict word comes first")
    }

    func testNamesWrittenWithAMiddleDotAreOneToken() throws {
        // Sentences of our own; the dot as U+00B7, the katakana middle dot U+30FB and Big5's
        // hyphenation point U+2027; chains of parts; with the model and without it.
        let model = try Segmenter(), lattice = try Self.lattice()
        for segmenter in [model, lattice] {
            XCTAssertEqual(try words("诗人玛格丽特・阿特伍德获奖", segmenter), ["诗人", "玛格丽特・阿特伍德", "获奖"])
            XCTAssertEqual(try words("总统约翰·菲茨杰拉德·肯尼迪遇刺", segmenter), ["总统", "约翰·菲茨杰拉德·肯尼迪", "遇刺"])
            // The dot of titles, slogans and dates stays a separator: no transliteration
            // character next to it; a number, a formula or a --dict word is never joined.
            XCTAssertEqual(try words("开展孝父母·懂感恩活动", segmenter).filter { $0.contains("·") }, ["·"])
            XCTAssertEqual(try words("推进乡村守望·我在乡下有块田", segmenter).filter { $0.contains("·") }, ["·"])
            XCTAssertEqual(try words("2008·北京", segmenter), ["2008", "·", "北京"])
            XCTAssertEqual(try words("两不愁三保障·克林顿", segmenter), ["两不愁三保障", "·", "克林顿"])
            // An initial between two dots is part of the name; initials alone are not joined.
            XCTAssertEqual(try words("总统乔治·W·布什访华", segmenter), ["总统", "乔治·W·布什", "访华"])
            XCTAssertEqual(try words("作者J·K·罗琳", segmenter).filter { $0.contains("·") }, ["·", "·"])
        }
        XCTAssertEqual(try words("歌手惠特妮·休斯顿的专辑", model), ["歌手", "惠特妮·休斯顿", "的", "专辑"])
        XCTAssertEqual(try words("導演史蒂芬‧史匹柏來訪", model), ["导演", "史蒂芬‧史匹柏", "来访"])
        let withDictionary = try segmenter(withDictionary: "惠特妮 10\n")
        XCTAssertEqual(try words("歌手惠特妮·休斯顿", withDictionary), ["歌手", "惠特妮", "·", "休斯顿"], "a --dict word is never joined")
        // The lattice's token says why; the model re-cuts its outer edges (惠 特 妮·休斯顿).
        let text = try Normalizer().normalize("惠特妮·休斯顿")
        XCTAssertEqual(lattice.explain(text).map(\.reason).last, "name whose parts a middle dot joins")
        XCTAssertEqual(model.explain(text).map(\.surface), ["惠特妮·休斯顿"])
    }
}
