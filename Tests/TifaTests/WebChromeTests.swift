import XCTest
import TifaTestSupport
@testable import Tifa

/// Web chrome removal on the seeds: every chrome line goes, every report line stays. The lists
/// were written by reading each seed (lines as they are after normalization).
final class WebChromeTests: XCTestCase {
    static let chrome: [String: [String]] = [
        "000_668dea35054aa90f.txt": ["来源:县乡村振兴局", "发布日期:2019-09-23", "浏览次数:人次"],
        "001_e3192dbda4851018.txt": [
            "晋城生活网 - 晋城人自己的生活网站!", "您的位置:首页 >国际 >", "时间:2020-08-26 14:00:10 | 来源:太行日报",
            "□本报记者 闫妮莎",
            "郑重声明:本文版权归原作者所有,转载文章仅为传播更多信息之目的,如有侵权行为,请第一时间联系我们修改或删除,多谢。",
        ],
        "002_50751f0a73dae2fa.txt": ["本文2018-03-15 19:01:22发表“工作报告”栏目。", "本文链接:https://www.damishu.cn/article/306069.html"],
        "003_d4946fc00d2aaf39.txt": [
            "您所在的位置:康巴传媒网 >> 新闻 >> 各县动态 >> 浏览文章", "甘孜日报 2018年06月08日", "◎本网记者 袁飞 泸定县委宣传部 文/图",
            "• 上一篇:格萨尔文化城即将“活”出新风韵", "• 下一篇:没有了",
        ],
        "004_a3e95d40bf8703e6.txt": [
            "上一篇:老百姓口中的好人", "下一篇:第一书记张利锋的三个绰号",
            "本站部分信息由相应民事主体自行提供,该信息内容的真实性、准确性和合法性应由该民事主体负责。乡镇在线网 对此不承担任何保证责任。",
            "本网部分转载文章、图片等无法联系到权利人,请相关权利人与本网站联系。",
            "北京中农时代农业技术研究院主办 | 政讯通-政务信息一体化办公室 主管", "乡镇在线网 zgxzzx.org 版权所有。",
            "联系电话:010-56019387、010-80440269、010-69945235,监督电话:18516948318,违法和不良信息举报电话:010-57028685",
            "第一办公区:北京市西城区敬胜胡同甲3号东侧;第二办公区:北京市东城区建国门内大街26号新闻大厦5层",
        ],
    ]

    func lines(_ text: NormalizedText) -> [String] {
        text.string.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    func testEverySeedLosesItsChromeAndKeepsItsReport() throws {
        let withChrome = try Normalizer(options: .init(steps: Normalizer.Steps.standard.subtracting(.webChrome)))
        let normalizer = try Normalizer()
        let seeds = try TestPaths.seedFiles()
        XCTAssertEqual(seeds.count, 5)
        for url in seeds {
            let name = url.lastPathComponent
            let original = try TextDecoder.decode(Array(try Data(contentsOf: url))).text
            let all = lines(withChrome.normalize(original))
            let cleaned = normalizer.normalize(original)
            let kept = lines(cleaned)
            let expectedChrome = try XCTUnwrap(Self.chrome[name], name)
            for line in expectedChrome { XCTAssertTrue(all.contains(line), "\(name): the list names a line of the seed: \(line)") }
            // Chrome lines gone, every other line (the report) kept, in order.
            XCTAssertEqual(kept, all.filter { !expectedChrome.contains($0) }, name)
            XCTAssertEqual(cleaned.findings.filter { $0.kind == .webChrome }.map(\.text), expectedChrome, name)
            // Removal is deletion: each remaining character maps back to itself in the original.
            let originalScalars = Array(original.unicodeScalars)
            for (i, s) in cleaned.scalars.enumerated() where s.value >= 0x4E00 && s.value <= 0x9FFF && !name.hasPrefix("003") {
                XCTAssertEqual(originalScalars[cleaned.sourceOffsets[i]], s, "\(name) offset \(i)")
            }
            for f in cleaned.findings where f.kind == .webChrome && !name.hasPrefix("003") {
                XCTAssertEqual(String(String.UnicodeScalarView(originalScalars[f.sourceRange])).replacingOccurrences(of: "\u{3000}", with: " ").trimmingCharacters(in: .whitespaces).isEmpty, false)
            }
        }
    }

    func testMetaLinesStayInTextThatIsNotAScrapedPage() throws {
        let n = try Normalizer()
        // 来源 and 电话 lines are chrome only on a page that has a page-only line.
        let report = "来源:县统计局\n联系电话:010-12345678\n全县脱贫攻坚取得决定性成效。"
        XCTAssertEqual(n.normalize(report).string, report)
        XCTAssertTrue(n.normalize(report).findings.isEmpty)
        let page = report + "\n上一篇:没有了"
        // Removed lines leave their line breaks: the text keeps the page's line numbers.
        XCTAssertEqual(n.normalize(page).string, "\n\n全县脱贫攻坚取得决定性成效。\n")
        XCTAssertEqual(n.normalize(page).findings.map(\.rule), ["source", "phone", "prev-next"])
        // A source line naming a site is a source line, not a site title.
        XCTAssertEqual(n.normalize("来源：人民网-人民日报\n上一篇：无").findings.map(\.rule), ["source", "prev-next"])
    }

    func testReportLinesThatMentionChromeWordsStay() throws {
        let n = try Normalizer()
        let lines = [
            "上一篇:没有了",  // makes it a page
            "下一步,全县将紧盯2018年整县脱贫的目标。",
            "资金来源:财政专项扶贫资金3560万元,惠及群众3.2万人,覆盖全县44个贫困村的全部建档立卡贫困户。",
            "本文所称贫困户,是指建档立卡贫困户。",
            "当前位置偏远的村组,实施易地扶贫搬迁。",
            "各级党委政府要分享到户到人的成功经验,建立长效机制,巩固脱贫攻坚成果,防止返贫致贫,切实提高群众获得感。",
            "关于我们党的作风建设问题",
            "建立健全容错纠错机制",
            "推广扫码支付,方便群众办事。",
            "二维码溯源体系",
            "首页设计大赛 获奖名单",
            "字体大中小学生书法比赛",
            "相关文件精神要求各地加快推进",
            "附件:1.扶贫资金分配表",
            "技术支持是关键",
            "标题党问题要整治",
            "作者认为,来源于实践",
            "字号老店焕发新生机",
            "返回顶部的路径",
            "分享经济",
            "打印机采购",
            "典型经验分享:某村发展特色产业",
            "今天是2021年7月1日,是中国共产党成立100周年的日子。",
            "欢迎各界人士积极参与乡村振兴",
            "加快推进适老化改造和无障碍环境建设。",
            "全书共328页",
            "共20条具体措施",
            "客户端下载量突破千万",
            "浏览器市场份额",
            "评论员文章",
            "登录系统后填报",
        ]
        let text = n.normalize(lines.joined(separator: "\n"))
        XCTAssertEqual(text.string, "\n" + lines.dropFirst().joined(separator: "\n"))
    }

    func testMenusQRCodesMetadataTablesAndRelatedLinksAreChrome() throws {
        // Lines of the kind government and news sites put around an article (written here, not
        // taken from a test set): each is chrome on its own, and the page's text stays.
        let n = try Normalizer()
        let chrome = [
            ("首页 | 政策 | 新闻 | 互动 | 服务", "nav-menu"),
            ("首页 要闻 政务公开 办事服务 互动交流", "nav-menu"),
            ("【我要纠错】 责任编辑:张三", "correction"),
            ("扫一扫在手机打开当前页", "qr-code"),
            ("用微信扫描二维码 分享至好友和朋友圈", "qr-code"),
            ("【字体:大 中 小】", "font-size"),
            ("字号:[大] [中] [小] 打印", "font-size"),
            ("网站地图 | 联系我们 | 使用帮助", "site-links"),
            ("关于我们", "site-links"),
            ("分享至:微信 微博", "share"),
            ("索 引 号:000014349/2021-00123\t主题分类:农业、林业、水利\\其他", "info-index"),
            ("发文机关:国务院\t成文日期:2021年11月12日", "document-header"),
            ("作者:李四 来源:新华社 发布时间:2022-02-11 10:15", "byline-fields"),
            ("附件:“十四五”推进农业农村现代化规划.PDF", "attachment"),
            ("相关链接:国务院办公厅关于进一步做好基层减负工作的通知", "related"),
            ("相关新闻", "related"),
            ("Produced By 大汉网络 大汉版通发布系统", "cms-credit"),
            ("【字号 大 中 小】", "font-size"),
            ("原标题:乡村振兴开新局", "original-title"),
            ("打印 | 收藏 | 分享 | 关闭", "toolbar"),
            ("【打印】【纠错】", "print-close"),
            ("返回顶部", "back-to-top"),
            ("本文来源:新华网", "source"),
            ("京公网安备 11010502030143号", "police-record"),
            ("网站标识码:bm01000001", "site-code"),
            ("网友评论", "comments"),
            ("已有0人参与", "comments"),
            ("请登录后发表评论", "comments"),
            ("关注我们", "follow-us"),
            ("微信公众号 | 官方微博", "follow-us"),
            ("您的浏览器不支持 video 标签。", "video-fallback"),
            ("当前第1页 共3页", "pagination"),
            ("共 128 条记录", "pagination"),
            ("分享:", "share"),
            ("收藏本页", "bookmark"),
            ("今天是:2023年5月12日 星期五", "date-widget"),
            ("欢迎访问XX县人民政府网站", "welcome"),
            ("无障碍浏览", "accessibility"),
            ("长者模式", "accessibility"),
            ("繁体版 | 简体版 | English", "site-versions"),
            ("简体版 | 登录 | 注册", "site-versions"),
        ]
        let report = "全县脱贫攻坚取得决定性成效。"
        let text = n.normalize((chrome.map(\.0) + [report]).joined(separator: "\n"))
        XCTAssertEqual(text.findings.map(\.rule), chrome.map(\.1))
        XCTAssertEqual(text.string, String(repeating: "\n", count: chrome.count) + report)
    }

    /// The headlines under 相关新闻 / 推荐阅读 are other articles' titles: chrome with their
    /// heading (bullets, dates and blank lines between them allowed); the first line that reads
    /// as a sentence ends the list and stays, and so does everything after it.
    func testListsOfLinksUnderTheirHeadingAreChrome() throws {
        let n = try Normalizer()
        let body = "会议要求，各乡镇要压实责任，确保如期完成脱贫任务。"
        let page = [
            "上一篇:我县开展春季植树活动", body, "相关新闻", "全市脱贫攻坚现场会在我县召开", "", "• 我县举办扶贫干部培训班 2019-05-11",
            "[05-09] 五个一批，一个都不能少", "推荐阅读:", "乡村振兴开新局（2022年3月1日）", "", body, "两不愁三保障",
        ]
        let text = n.normalize(page.joined(separator: "\n"))
        // The last item before the sentence (乡村振兴开新局…) is that text's title: it stays.
        XCTAssertEqual(text.findings.map(\.rule), ["prev-next", "related", "related", "related", "related", "related"])
        XCTAssertEqual(text.string.split(separator: "\n").map(String.init), [body, "乡村振兴开新局（2022年3月1日）", body, "两不愁三保障"])
        // A sidebar of links before the article: the article's title stays with its text.
        let sidebar = ["上一篇:无", "热点推荐", "全市脱贫攻坚现场会在我县召开", "我县举办扶贫干部培训班", "我县召开脱贫攻坚推进会", body]
        XCTAssertEqual(n.normalize(sidebar.joined(separator: "\n")).string.split(separator: "\n").map(String.init), ["我县召开脱贫攻坚推进会", body])
        // What reads as a headline: a title, even a long one; not a sentence, nor a bare date.
        XCTAssertTrue(WebChrome.isListItem(Array("国务院关于印发“十四五”推进农业农村现代化规划的通知".unicodeScalars)[...]))
        XCTAssertFalse(WebChrome.isListItem(Array("会议要求，各乡镇要压实责任，确保如期完成脱贫任务".unicodeScalars)[...]))
        XCTAssertFalse(WebChrome.isListItem(Array("全面推进乡村振兴。".unicodeScalars)[...]))
        XCTAssertFalse(WebChrome.isListItem(Array("2019-05-12".unicodeScalars)[...]))
    }

    func testKeepChromeSwitchesTheStepOff() throws {
        let n = try Normalizer(options: .init(steps: Normalizer.Steps.standard.subtracting(.webChrome)))
        XCTAssertEqual(n.normalize("上一篇:没有了\n正文").string, "上一篇:没有了\n正文")
    }

    func testRulesFileLoadsAndNamesEachRuleOnce() throws {
        let chrome = try WebChrome.shared()
        XCTAssertGreaterThanOrEqual(chrome.rules.count, 20)
        XCTAssertEqual(Set(chrome.rules.map(\.name)).count, chrome.rules.count)
    }

    /// The shape read from a pattern (first and last character) is what the pattern implies.
    func testLineShapesAreReadFromTheSimpleFormsOnly() {
        typealias Shape = WebChrome.LineShape
        func scalars(_ s: String) -> Set<UInt32> { Set(s.unicodeScalars.map(\.value)) }
        XCTAssertEqual(Shape(pattern: "^本文(链接|地址)\\s*[:：].{0,200}$"), Shape(firstScalars: scalars("本"), lastScalar: nil))
        XCTAssertEqual(Shape(pattern: "^(发布|更新)?(时间|日期)\\s*[:：]"), Shape(firstScalars: scalars("发更时日"), lastScalar: nil))
        XCTAssertEqual(Shape(pattern: "^(第.办公区|(联系|通讯)?地址)x"), Shape(firstScalars: scalars("第联通地"), lastScalar: nil))
        XCTAssertEqual(Shape(pattern: "^\\S{2,12}报\\s+\\d{4}年\\d{1,2}月\\d{1,2}日$"), Shape(firstScalars: nil, lastScalar: 0x65E5))
        // Forms that do not pin a character down give nothing.
        for pattern in ["^(?!来源)[^，]{1,20}网.*$", "^(.{0,40}主办|主管)", "^本?文", "^本{0,2}文", "^(本|文){0,1}x", "^(本|)文",
                        "^本文|^首页", "^本文|x", "本文$", "^.*日\\$", "^.*日?$", "^.*[日]$", "^.*(日)$", "^\\本"] {
            let shape = Shape(pattern: pattern)
            XCTAssertNil(shape.firstScalars, pattern)
            if pattern != "本文$" { XCTAssertNil(shape.lastScalar, pattern) }
        }
        XCTAssertEqual(Shape(pattern: "本文$").lastScalar, 0x6587)
        // `$` matches before a line terminator that ends the text.
        XCTAssertTrue(Shape(pattern: "^.*日$").admits(first: 0x41, last: 0x2028))
    }

    /// The shape check never rejects a line its rule's expression matches: every line of the
    /// seeds (with their chrome) and of hand-made variants, against every rule.
    func testLineShapesRejectOnlyLinesTheExpressionRejects() throws {
        let chrome = try WebChrome.shared()
        let withChrome = try Normalizer(options: .init(steps: Normalizer.Steps.standard.subtracting(.webChrome)))
        var samples = Self.chrome.values.flatMap { $0 } + ["甘孜日报 2018年06月08日\u{2028}", "发布时间:2020-01-01", "联系地址:北京", "通讯地址:北京"]
        for url in try TestPaths.seedFiles() {
            samples += lines(withChrome.normalize(try TextDecoder.decode(Array(try Data(contentsOf: url))).text))
        }
        var rejected = 0
        for line in samples {
            let body = String(String.UnicodeScalarView(line.unicodeScalars.drop { WebChrome.bullets.contains($0.value) }))
            guard let first = body.unicodeScalars.first?.value, let last = body.unicodeScalars.last?.value else { continue }
            let whole = NSRange(body.startIndex..., in: body)
            for rule in chrome.rules where !rule.shape.admits(first: first, last: last) {
                rejected += 1
                XCTAssertNotEqual(rule.expression.firstMatch(in: body, range: whole)?.range, whole, "\(rule.name): \(body)")
            }
        }
        XCTAssertGreaterThan(rejected, 1000)
    }
}
