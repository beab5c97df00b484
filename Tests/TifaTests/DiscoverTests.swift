import XCTest
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
        let discoverer = FormulaDiscoverer(matcher: matcher, stoplist: try DiscoveryStoplist.shipped())
        for (text, year) in Self.corpus { discoverer.add(normalizer.normalize(text), year: year) }
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
}
