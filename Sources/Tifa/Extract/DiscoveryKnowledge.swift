import Foundation

/// General knowledge of words with a numeral that are no policy formula, for the `place`,
/// `idiom` and `everyday-word` rules of `FormulaDiscoverer`: China's administrative divisions
/// with a numeral in the name (`places.tsv`, from cpca: 四川, 三门峡市, 三河) and jieba's places,
/// names, organisations, idioms, set phrases and everyday words (`numeral_words.txt`: 三峡 ns,
/// 一哄而起 i, 千篇一律 l, 一等奖 n, 两侧 f). Keys are folded like text (`FormulaText`).
///
/// Immutable and `Sendable`. Cost: about 12,000 short entries; lookups are hash probes.
public struct DiscoveryKnowledge: Sendable {
    /// Administrative divisions (full and short names) containing a numeral.
    var divisions = ScalarSequenceSet()
    /// jieba's ns / nr / nrt / nrfg / nt words.
    var names: Set<[UInt32]> = []
    /// jieba's i / l words.
    var idioms: Set<[UInt32]> = []
    /// jieba's i words alone: idioms (成语, 八方支援), not set phrases (l: 两条路线).
    var fixedIdioms: Set<[UInt32]> = []
    /// jieba's words of the other tags listed in `numeral_words.txt` (n m f d t b z …).
    var everyday = ScalarSequenceSet()
    /// The everyday words that are not nominal (m d f v a …: 一直, 一行, 两旁), which a longer
    /// phrase does not continue as a compound the way 一站式结算 continues 一站式.
    var everydayNonNominal = ScalarSequenceSet()

    public static func shipped() throws -> DiscoveryKnowledge { try shippedResult.get() }
    private static let shippedResult: Result<DiscoveryKnowledge, Error> = Result {
        try DiscoveryKnowledge(places: DataFiles.dictionary("places.tsv"), numeralWords: DataFiles.dictionary("numeral_words.txt"))
    }

    /// No knowledge: the `place` and `idiom` rules never fire.
    public init() {}

    /// - Parameters:
    ///   - places: `name<TAB>level<TAB>short` lines (`places.tsv`).
    ///   - numeralWords: `word tag` lines (`numeral_words.txt`): ns nr nrt nrfg nt are names, i l
    ///     idioms and set phrases, the tags of `everydayTags` everyday words.
    public init(places: URL, numeralWords: URL) throws {
        try DataFiles.forEachDataLine(in: places) { line, _ in
            let c = DataFiles.tabFields(line)
            guard c.count == 3, !c[0].isEmpty, !c[2].isEmpty else {
                throw DataFileError(message: "expected `name<TAB>province|prefecture|county|township<TAB>short form or -`")
            }
            for name in [c[0], c[2]] where name != "-" {
                let key = FormulaText.key(String(name))
                if key.contains(where: FormulaText.isNumeral) {
                    divisions.insert(key)
                }
            }
        }
        try DataFiles.forEachDataLine(in: numeralWords) { line, _ in
            let c = line.split(separator: " ", omittingEmptySubsequences: false)
            guard c.count == 2, !c[0].isEmpty else { throw DataFileError(message: "expected `word tag`") }
            let key = FormulaText.key(String(c[0]))
            switch c[1] {
            case "ns", "nr", "nrt", "nrfg", "nt": names.insert(key)
            case "i", "l":
                idioms.insert(key)
                if c[1] == "i" { fixedIdioms.insert(key) }
            case let tag where Self.everydayTags.contains(String(tag)):
                everyday.insert(key)
                if !Self.nominalTags.contains(String(tag)) { everydayNonNominal.insert(key) }
            default: throw DataFileError(message: "unknown tag `\(c[1])`; one of ns nr nrt nrfg nt i l or an everyday word's tag (n m f d t b z …)")
            }
        }
    }

    /// Whether `key` is a jieba place or person's name (三峡; jieba also tags 三座大山 ns, so
    /// the discoverer lets corpus use override this).
    func isName(_ key: [UInt32]) -> Bool { names.contains(key) }

    /// Whether `key` is an administrative division, or one followed by plain characters without
    /// a numeral (三门峡市, 四川省, 三江 + 源).
    func isDivision(_ key: [UInt32]) -> Bool {
        let n = divisions.longestPrefix(of: key[...])
        return n >= 2 && !key[n...].contains(where: FormulaText.isNumeral)
    }

    func isIdiom(_ key: [UInt32]) -> Bool { idioms.contains(key) }

    /// Whether `key` is an idiom proper (jieba i: 八方支援), not a set phrase (l: 两条路线).
    func isFixedIdiom(_ key: [UInt32]) -> Bool { fixedIdioms.contains(key) }

    /// Whether `key` is an everyday word of jieba's dictionary (一等奖, 两面派, 一会儿, 两侧).
    func isEverydayWord<C: Collection>(_ key: C) -> Bool where C.Element == UInt32 { everyday.contains(key) }

    /// The length of the longest everyday word that starts `key` and is shorter than it, when
    /// that word is not nominal (一直 of 一直十分; not 一站式 of 一站式结算, though 一站 is m);
    /// 0 for none.
    func everydayPrefix(of key: [UInt32]) -> Int {
        let n = everyday.longestPrefix(of: key[...], limit: key.count - 1)
        return n > 0 && everydayNonNominal.contains(key[..<n]) ? n : 0
    }

    /// jieba's nominal tags among them: nouns, distinguishing words, verbal and adjectival nouns,
    /// place and time words.
    static let nominalTags: Set<String> = ["n", "ng", "b", "vn", "an", "s", "t", "tg"]

    /// jieba's tags of everyday words, as `Dictionaries/tools/numeral_words.py` selects them.
    static let everydayTags: Set<String> = ["n", "ng", "m", "mq", "mg", "q", "f", "s", "t", "tg", "d", "dg", "df", "b", "z", "zg",
                                            "v", "vn", "vd", "vi", "vq", "vg", "a", "ad", "an", "ag", "r", "rr", "rz", "c", "p",
                                            "u", "uj", "ul", "ug", "y", "e", "o", "h", "k", "g"]
}
