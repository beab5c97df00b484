import XCTest
import TifaTestSupport
@testable import Tifa

final class DiscoverTests: XCTestCase {
    static let corpus: [(String, Int)] = [
        ("坚持“六稳六保”方针，落实六稳六保要求。全县3个村、5个方面取得进展，一批企业落户，投入20万元。十五个一批。", 2019),
        ("做好六稳六保工作。新建3个村，5个方面改进。推行“5+2”工作法，实行5+2模式。几个方面还有差距。统一战线。", 2020),
        ("六稳六保成效明显。4个村、三个方面、各个方面都有进步。5+2工作法推广。投入30万元。一些企业，两不愁三保障。", 2021),
        ("进一步落实六稳六保，第一、二、三、四、五庭。“三变”改革推进，三变改革。", 2021),
    ]

    func discover(_ lexicon: PolicyLexicon?) throws -> [FormulaCandidate] {
        let normalizer = try Normalizer()
        let matcher = lexicon.map { FormulaMatcher(lexicon: $0, normalizer: normalizer) }
        let discoverer = try FormulaDiscoverer(matcher: matcher, stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        for (text, year) in Self.corpus { try discoverer.add(normalizer.normalize(text), year: year) }
        var selection = FormulaDiscoverer.Selection()
        selection.top = nil
        return discoverer.candidates(selection)
    }

    func testFindsNumberedFormulasAndLeavesQuantitiesOut() throws {
        let candidates = try discover(nil)
        let forms = candidates.map(\.form)
        XCTAssertEqual(forms.first, "六稳六保", "\(forms)")
        let top = try XCTUnwrap(candidates.first)
        XCTAssertEqual(top.count, 5)
        XCTAssertEqual(top.documentCount, 4)
        XCTAssertEqual(top.firstYear, 2019)
        XCTAssertEqual(top.lastYear, 2021)
        XCTAssertEqual(top.structure, .chunks)
        XCTAssertEqual(top.examples.count, 2)
        XCTAssertTrue(top.examples[0].contains("【六稳六保】"))
        XCTAssertTrue(forms.contains("5+2"), "\(forms)")
        XCTAssertTrue(forms.contains("三变"), "\(forms)")
        for quantity in ["三个村", "3个村", "五个方面", "三个方面", "一批企业", "二十万元", "20万元", "一些企业", "一战线", "一步落实", "五庭", "五个一批", "六稳六", "稳六保", "六保"] {
            XCTAssertFalse(forms.contains(quantity), "\(quantity) in \(forms)")
        }
    }

    func testKnownFormulasAreMasked() throws {
        let lexicon = PolicyLexicon(entries: [.init(formula: "六稳六保", category: .economy)])
        let forms = try discover(lexicon).map(\.form)
        XCTAssertFalse(forms.contains("六稳六保"))
        XCTAssertFalse(forms.contains("六稳"), "\(forms)")
        XCTAssertTrue(forms.contains("5+2"))
    }

    func testStoplistFileIsSortedAndParses() throws {
        let url = try DataFiles.dictionary("discovery_stoplist.txt")
        _ = try DiscoveryStoplist(file: url)
        var previous: String? = nil
        try DataFiles.forEachDataLine(in: url) { line, number in
            let s = String(line)
            if let previous {
                XCTAssertTrue(previous.unicodeScalars.lexicographicallyPrecedes(s.unicodeScalars), "line \(number): \(s) after \(previous)")
            }
            previous = s
        }
    }

    func testPartsWrittenApartJoin() throws {
        let normalizer = try Normalizer()
        let discoverer = try FormulaDiscoverer(matcher: nil, stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        for text in ["坚持一摘、四不摘，巩固成果。", "落实“一摘”“四不摘”要求。", "严格执行一摘四不摘政策。"] {
            try discoverer.add(normalizer.normalize(text))
        }
        let forms = discoverer.candidates().map(\.form)
        XCTAssertEqual(forms.first, "一摘四不摘", "\(forms)")
        let top = try XCTUnwrap(discoverer.candidates().first)
        XCTAssertEqual(top.count, 3)
        XCTAssertTrue(top.examples.contains { $0.contains("【一摘、四不摘】") }, "\(top.examples)")
        XCTAssertFalse(forms.contains("一摘"), "\(forms)")
    }

    func testAttributivesOrdinalListsAndIndefiniteEnumerationsStayOut() throws {
        let normalizer = try Normalizer()
        let discoverer = try FormulaDiscoverer(matcher: nil, stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        for text in ["这是一项基本经验。在十六大、十七大确立的目标下，检验一个政党、一个政权的性质。坚持两大主题。",
                     "又一项基本要求。十六大、十七大以来，一个政党、一个政权都要经受考验。围绕两大主题。",
                     "一项基本方针。十六大、十七大精神。一个政党、一个政权的兴衰。服务两大主题。"] {
            try discoverer.add(normalizer.normalize(text))
        }
        var selection = FormulaDiscoverer.Selection()
        selection.minScore = 0
        let forms = discoverer.candidates(selection).map(\.form)
        XCTAssertTrue(forms.contains("两大主题"), "\(forms)")
        for noise in ["一项基本", "十六大十七大", "十六大、十七大", "一个政党一个政权", "一个政党、一个政权"] {
            XCTAssertFalse(forms.contains(noise), "\(noise) in \(forms)")
        }
    }

    func testMidWordPiecesAndNumeralCodes() throws {
        let normalizer = try Normalizer()
        let discoverer = try FormulaDiscoverer(matcher: nil, stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        for text in ["做好两个工作重点。“十二五”时期成就巨大。", "抓住两个工作要点。十二五规划顺利完成。", "两个工人在场。七八个人。"] {
            try discoverer.add(normalizer.normalize(text))
        }
        let forms = discoverer.candidates().map(\.form)
        XCTAssertTrue(forms.contains("十二五"), "\(forms)")
        XCTAssertFalse(forms.contains("两个工"), "\(forms)")
        XCTAssertFalse(forms.contains { $0.hasPrefix("七八") }, "\(forms)")
    }

    func judgments(_ texts: [String], _ adjust: (inout FormulaDiscoverer.Selection) -> Void = { _ in }) throws -> [String: DiscoveryJudgment] {
        let normalizer = try Normalizer()
        let discoverer = try FormulaDiscoverer(matcher: nil, stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        for text in texts { try discoverer.add(normalizer.normalize(text)) }
        var selection = FormulaDiscoverer.Selection()
        selection.top = nil
        selection.minScore = 0
        adjust(&selection)
        var byForm: [String: DiscoveryJudgment] = [:]
        for j in discoverer.judgments(selection) where byForm[j.candidate.form] == nil { byForm[j.candidate.form] = j }
        return byForm
    }

    /// Sentences of our own: each junk class is dropped by its named rule, and the formulas
    /// beside them are shown.
    func testKnowledgeQuantityAndMeetingRulesNameTheirReasons() throws {
        let j = try judgments([
            "我们去了四川，又到三门峡考察。决不能一哄而起，也不要千篇一律。产值增长一点四倍，只有一小部分地区落后。一至十月产量上升。十九大和十九届历次全会作出部署。坚持“三河三湖”治理，推进多规合一。",
            "四川的经验和三门峡的做法。防止一哄而起、千篇一律。一至十月销售旺盛。收入增长一点四倍，一小部分企业亏损。学习十九大和十九届历次全会精神。“三河三湖”水质改善，多规合一试点。",
            "四川发展很快，三门峡也一样。不能一哄而起。效率提高一点四倍，一小部分人先富。十九大和十九届全会以来，三河三湖治理见效，多规合一推开。",
        ])
        XCTAssertEqual(j["四川"]?.droppedBy, .place, "\(String(describing: j["四川"]))")
        XCTAssertEqual(j["三门峡"]?.droppedBy, .place)
        XCTAssertEqual(j["一哄而起"]?.droppedBy, .idiom)
        XCTAssertEqual(j["千篇一律"]?.droppedBy, .idiom)
        XCTAssertEqual(j["一点四倍"]?.droppedBy, .quantity)
        XCTAssertEqual(j["一小部分"]?.droppedBy, .quantity)
        XCTAssertEqual(j["一至十月"]?.droppedBy, .quantity, "\(String(describing: j["一至十月"]))")
        XCTAssertEqual(j["十九大和十九届"]?.droppedBy, .meeting)
        XCTAssertNil(j["三河三湖"]?.droppedBy, "\(String(describing: j["三河三湖"]))")
        XCTAssertEqual(j["三河三湖"]?.candidate.rules.contains(.quoted), true)
        XCTAssertNil(j["多规合一"]?.droppedBy, "\(String(describing: j["多规合一"]))")
    }

    /// Corpus use overrides a tag: a quoted or counted set phrase is kept; a near-duplicate is
    /// folded into one row with its variant; an everyday noun derived from a formula (五保户,
    /// jieba n) is dropped beside it unless quoted as a term.
    func testTaggedPhrasesUsedAsFormulasAndVariants() throws {
        let j = try judgments([
            "坚持“一国两制”方针。农村五保户得到照顾，五保供养制度完善。推翻三座大山。推广“农业八字宪法”。",
            "“一国两制”实践成功。“五保户”生活有保障，落实“五保”政策。三座大山被推翻。学习八字宪法。",
            "贯彻“一国两制”。五保供养水平提高，五保户集中供养。搬掉三座大山。“农业八字宪法”深入人心。八字宪法好。",
        ])
        XCTAssertNil(j["一国两制"]?.droppedBy, "\(String(describing: j["一国两制"]))")  // jieba: l
        XCTAssertNil(j["三座大山"]?.droppedBy, "\(String(describing: j["三座大山"]))")  // jieba: ns, counted
        XCTAssertNil(j["五保"]?.droppedBy)
        XCTAssertEqual(j["五保户"]?.droppedBy, .everydayWord)
        let charter = try XCTUnwrap(j["八字宪法"])
        XCTAssertNil(charter.droppedBy)
        XCTAssertEqual(charter.candidate.variants, ["农业八字宪法"])
        XCTAssertEqual(j["农业八字宪法"]?.droppedBy, .variant)
        XCTAssertEqual(j["农业八字宪法"]?.into, "八字宪法")
    }

    /// Sentences of our own for the junk classes of corpora Tifa was not developed on: everyday
    /// words (jieba's tags), titles of works, attributive names, what a congress decided, a
    /// paradigm that is only a fragment of a longer name, an idiom whose second numeral made a
    /// paradigm, and a single quote (a citation) that lifts nothing.
    func testEverydayWordsTitlesAttributivesAndFalseParadigms() throws {
        let j = try judgments([
            "小王获得了一等奖，这件事有两面性。工作一直十分顺利。《六面来风》热销。这是两类不同性质的矛盾。学习十五大精神。所谓“一个资本集团”是谣言，三个资本集团司令部被粉碎。花园里五颜六色。不要“千篇一律”。一方有难，八方支援。",
            "小李也获得一等奖，任何事物都有两面性。进展一直十分迅速。再读《六面来风》。区分两类不同性质的矛盾。贯彻十五大精神。说有一个资本集团，不对。五颜六色的灯光。文章千篇一律。",
            "一等奖空缺，看到两面性。天气一直十分晴朗。八方支援灾区。《六面来风》再版。处理两类不同性质的矛盾。落实十五大精神。三个资本集团司令部。五颜六色的旗帜。千篇一律的讲话。",
        ])
        XCTAssertEqual(j["一等奖"]?.droppedBy, .everydayWord, "\(String(describing: j["一等奖"]))")
        XCTAssertEqual(j["两面性"]?.droppedBy, .everydayWord)
        XCTAssertEqual(j["一直十分"]?.droppedBy, .everydayWord, "\(String(describing: j["一直十分"]))")
        XCTAssertEqual(j["六面来风"]?.droppedBy, .title, "\(String(describing: j["六面来风"]))")
        XCTAssertEqual(j["两类不同性质"]?.droppedBy, .modifier, "\(String(describing: j["两类不同性质"]))")
        XCTAssertEqual(j["十五大精神"]?.droppedBy, .meeting)
        XCTAssertEqual(j["一个资本集团"]?.droppedBy, .indefiniteArticle, "\(String(describing: j["一个资本集团"]))")
        XCTAssertEqual(j["五颜六色"]?.droppedBy, .idiom, "\(String(describing: j["五颜六色"]))")
        XCTAssertEqual(j["千篇一律"]?.droppedBy, .idiom, "\(String(describing: j["千篇一律"]))")
        XCTAssertEqual(j["八方支援"]?.droppedBy, .idiom, "\(String(describing: j["八方支援"]))")  // 方 is a measure word
    }

    /// 一 + measure + name is the indefinite article unless the same name after another number
    /// is a term (quoted at least once): “两个中国” makes 一个中国 a formula, 两个星期 does not
    /// make 一个星期 one.
    func testIndefiniteArticleNeedsAContrastWithATerm() throws {
        let j = try judgments([
            "坚持一个中国，反对制造“两个中国”。休息了一个星期，又过了两个星期。",
            "一个中国的原则不变，不允许两个中国。用了一个星期，再等两个星期。",
            "世界上只有一个中国，反对“两个中国”。一个星期以后，两个星期以前。",
        ]) { $0.weakMinCohesion = 0 }  // three sentences make no cohesion statistics
        XCTAssertNil(j["一个中国"]?.droppedBy, "\(String(describing: j["一个中国"]))")
        XCTAssertEqual(j["一个星期"]?.droppedBy, .indefiniteArticle, "\(String(describing: j["一个星期"]))")
    }

    /// A phrase followed by a particle that goes on into an idiom (一哄【而】上, 一哄而散) is a
    /// piece of the idiom; a formula followed by a particle (两条腿走路【的】方针) is not.
    func testParticleInsideAnIdiomMakesAFragment() throws {
        let j = try judgments([
            "防止一哄而上，坚持两条腿走路的方针。",
            "不要一哄而散，实行两条腿走路的办法。",
            "切忌一哄而上，还要两条腿走路。",
        ])
        XCTAssertEqual(j["一哄"]?.droppedBy, .rightFragment, "\(String(describing: j["一哄"]))")
        let walking = try XCTUnwrap(j["两条腿走路"])
        XCTAssertNotEqual(walking.droppedBy, .rightFragment, "\(walking)")
    }

    /// The same rules leave formulas alone: an everyday word quoted as a term (“两基”, jieba n),
    /// a formula before its head noun, two numbered chunks after an everyday word (两弹一星).
    func testEverydayWordRuleKeepsQuotedTermsAndChunks() throws {
        let j = try judgments([
            "实现“两基”目标，发扬两弹一星精神。",
            "“两基”攻坚完成，两弹一星元勋。",
            "巩固两基成果，学习两弹一星。",
        ])
        XCTAssertNil(j["两基"]?.droppedBy, "\(String(describing: j["两基"]))")
        XCTAssertNil(j["两弹一星"]?.droppedBy, "\(String(describing: j["两弹一星"]))")
    }

    /// What counts as a hidden formula (see `recallOfHidden`).
    enum Hidden {
        /// Numbered formulas with two or more outermost occurrences in any wording, also one
        /// without a numeral (社会主义荣辱观 for 八荣八耻, 第七个五年计划 for 七五计划): the
        /// measure of the first version.
        case anyWording
        /// Numbered formulas written the same numbered way (the formula or one numbered
        /// variant, starting with a numeral) at least twice: what repetition can show.
        case numberedWording
    }

    /// Recall by hiding: numbered formulas of the shipped lexicon that occur at least twice in
    /// the corpus are taken out of the lexicon; discovery must find them again.
    func recallOfHidden(_ documents: [String], _ hidden: Hidden = .numberedWording) throws -> (found: [String], missed: [String]) {
        let normalizer = try Normalizer()
        let shipped = try PolicyLexicon.shipped()
        let matcher = FormulaMatcher(lexicon: shipped, normalizer: normalizer)
        var counts: [String: Int] = [:]
        let texts = documents.map { normalizer.normalize($0) }
        // Outermost occurrences: a formula counted only inside a longer hidden one (两不愁 of
        // 两不愁三保障) is no formula of its own to find.
        var wordings: [String: [[UInt32]: Int]] = [:]
        for text in texts {
            for m in matcher.matches(in: text, coverage: .outermost) {
                counts[m.formula, default: 0] += 1
                let surface = FormulaText.key(text.text(m.range))
                if let first = surface.first, FormulaText.isNumeral(first) { wordings[m.formula, default: [:]][surface, default: 0] += 1 }
            }
        }
        let numbered = Set(counts.filter { formula, count in
            guard FormulaText.isNumeral(FormulaText.key(formula)[0]) else { return false }
            switch hidden {
            case .anyWording: return count >= 2
            case .numberedWording: return (wordings[formula]?.values.max() ?? 0) >= 2
            }
        }.map(\.key))
        // Parts of a hidden formula (两不愁 of 两不愁三保障) are hidden too, or they mask it.
        let hiddenKeys = numbered.map { FormulaText.key($0) }
        // So are entries with such a part among their variants (四个不摘, written 四不摘).
        let kept = PolicyLexicon(entries: shipped.entries.filter { entry in
            ([entry.formula] + entry.variants).allSatisfy { form in
                let key = FormulaText.key(form)
                return !hiddenKeys.contains { hidden in
                    hidden.count >= key.count && (0...(hidden.count - key.count)).contains { Array(hidden[$0..<($0 + key.count)]) == key }
                }
            }
        })
        let discoverer = try FormulaDiscoverer(matcher: FormulaMatcher(lexicon: kept, normalizer: normalizer), stoplist: try DiscoveryStoplist.shipped(), knowledge: try DiscoveryKnowledge.shipped())
        for text in texts { try discoverer.add(text) }
        var selection = FormulaDiscoverer.Selection()
        selection.top = nil
        selection.minScore = 1
        // A row shows its folded variants (四个全面 with 四个全面战略): each counts as found.
        let forms = Set(discoverer.candidates(selection).flatMap { [$0.form] + $0.variants }.map { FormulaText.key($0) })
        // Found: a candidate spelled as the formula or as one of its variants (三变 for 三变改革).
        let found = numbered.filter { formula in
            ([formula] + (shipped.entry(formula: formula)?.variants ?? [])).contains { forms.contains(FormulaText.key($0)) }
        }.sorted()
        return (found, numbered.subtracting(found).sorted())
    }

    func testRecallOfHiddenFormulasInSeeds() throws {
        let seeds = try FileManager.default.contentsOfDirectory(at: Self.root.appendingPathComponent("seeds"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
        let texts = try seeds.map { try String(contentsOf: $0, encoding: .utf8) }
        let (found, missed) = try recallOfHidden(texts)
        XCTAssertGreaterThanOrEqual(found.count + missed.count, 8)
        print("hidden-formula recall on the seeds: \(found.count)/\(found.count + missed.count); missed \(missed)")
        let any = try recallOfHidden(texts, .anyWording)
        print("hidden-formula recall on the seeds, any wording: \(any.found.count)/\(any.found.count + any.missed.count); missed \(any.missed)")
        // Five short reports: most hidden formulas occur twice in one document, at the edge of
        // what statistics can show; this floor guards the measured level (see the goal of 80 %).
        XCTAssertGreaterThanOrEqual(Double(found.count), 0.5 * Double(found.count + missed.count), "missed \(missed)")
    }

    func testRecallOfHiddenFormulasInCongressReports() throws {
        let url = Self.root.appendingPathComponent("../shared/corpus/cpc_congress_reports.jsonl").standardized
        guard let data = try? String(contentsOf: url, encoding: .utf8) else { throw XCTSkip("../shared/corpus absent") }
        let documents = data.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["content"] as? String
        }
        let (found, missed) = try recallOfHidden(documents)
        print("hidden-formula recall on the congress reports: \(found.count)/\(found.count + missed.count); missed \(missed)")
        let any = try recallOfHidden(documents, .anyWording)
        print("hidden-formula recall on the congress reports, any wording: \(any.found.count)/\(any.found.count + any.missed.count); missed \(any.missed)")
        XCTAssertGreaterThanOrEqual(Double(found.count), 0.8 * Double(found.count + missed.count), "missed \(missed)")
    }

    static let root = TestPaths.packageRoot
}
