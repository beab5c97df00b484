import Foundation

/// A numbered phrase that looks like a policy formula the lexicon does not know.
public struct FormulaCandidate: Sendable, Equatable {
    /// How the candidate is built.
    public enum Structure: String, Sendable {
        /// Two or more numbered chunks: 一X四不X, 三X三Y, 两X一Y.
        case chunks
        /// A numeral and a measure word before a name: N个X, N项X, N大X.
        case counted
        /// A numeral right before a name: 三农, 四风.
        case numbered
        /// Digits joined by + or letters: 5+2, 7+N, 1+X.
        case code
        /// A short quoted phrase with a numeral inside.
        case quoted
    }

    public var form: String
    public var structure: Structure
    public var count: Int
    public var documentCount: Int
    public var score: Double
    /// Up to two contexts (normalized text), from different documents where possible.
    public var examples: [String]
    public var firstYear: Int?
    public var lastYear: Int?
    /// count / occurrences of the same phrase after any number (五个方面 among 三个/几个/各个方面).
    public var numeralShare: Double
    /// Entropy in bits of the characters left and right of the occurrences (punctuation and line
    /// edges count as distinct boundaries).
    public var leftEntropy: Double
    public var rightEntropy: Double
    /// Share of the occurrences standing in quotes as a whole.
    public var quotedShare: Double
    /// Pointwise mutual information in bits between the number part (numeral and measure word:
    /// 两大, 一个, 三) and the name after it, from character n-gram counts of the whole corpus:
    /// log2(count · N / (count(number part) · count(name))). High for a bound pair (两大主题,
    /// 三农), low for a free combination (一个资产阶级). Names longer than three characters
    /// are counted by their first three, which can only lower the figure.
    public var cohesion: Double
    /// The rules that spoke for the candidate or weighed its score (`DiscoveryRule`), in the
    /// order they were applied.
    public var rules: [DiscoveryRule] = []
    /// Other candidates folded into this one: fragments and near-duplicates (农业八字宪法 beside
    /// 八字宪法, 五保户 beside 五保), by descending score.
    public var variants: [String] = []
}

/// A named reason of `FormulaDiscoverer` to drop a candidate, or to keep and weigh it. Every
/// decision the discoverer makes is one of these, so `tifa discover --explain` can show it.
/// The raw values are the names printed.
public enum DiscoveryRule: String, Sendable, CaseIterable, Codable {
    // Rejections, in the order they are tried.
    /// Ends with a word no formula ends with (的, 提出): it runs past the formula (unquoted).
    case tail
    /// Ends with an attributive that needs its noun (一项基本 of 一项基本经验), or is one — a name
    /// that opens with an attributive word, mostly followed by a particle (两类不同性质【的】矛盾)
    /// (unquoted).
    case modifier
    /// Mostly followed by one and the same character (两不愁三 → 保), or by a particle that goes
    /// on into a dictionary word (一哄【而】上): a piece of a longer phrase.
    case rightFragment = "right-fragment"
    /// Its ends fall inside an ICU word in most occurrences (两个工 of 两个工作, 一体 of 一体化).
    case midWord = "mid-word"
    /// Mostly written inside the title of a work, in 《》 (《三国演义》, 《中国大百科全书》): a
    /// name, not a formula.
    case title
    /// A place or person's name: an administrative division (cpca, `places.tsv`: 四川, 三门峡,
    /// 三河市…), or a word jieba tags ns/nr/nt (三峡, 四川长虹), unless the corpus quotes it.
    case place
    /// An idiom or set phrase jieba tags i/l (一哄而起, 千篇一律), unless the corpus uses it as a
    /// formula: quoted twice, counted (两条路线; not an idiom proper, i: 八方支援), or with other
    /// numbers before the same name (两步走).
    case idiom
    /// An everyday word of jieba's dictionary (一等奖, 两面派, 一会儿, 两侧: tags n m f d t b z …,
    /// frequency ≥ 10), or a phrase opening with one that holds more than the number (一直 of
    /// 一直十分), unless the corpus quotes it twice or more.
    case everydayWord = "everyday-word"
    /// A number with a decimal, a range, a multiple or a vague amount (一点四倍, 一至十月, 三倍,
    /// 一小部分, 一大批).
    case quantity
    /// Ordinal names of congresses and plenums (十九大和十九届, 十七届三中全会, 党的十六大、
    /// 十七大): a meeting or a list of meetings.
    case meeting
    /// Only a numeral and a measure word, no name (两个, 三项).
    case noName = "no-name"
    /// Every part an indefinite 一 + measure (一个政党、一个政权): an enumeration (unquoted).
    case indefiniteList = "indefinite-list"
    /// One numbered part, never quoted, without the evidence a weak candidate needs: documents
    /// (`weakMinDocuments`), cohesion (`weakMinCohesion`) and a name rarely after 各/几 (各个阶级).
    case weak
    /// Numeral + measure + an ordinary counted noun (3个村, 5个方面, 两个指标).
    case countedNoun = "counted-noun"
    /// A unit or time word after the number (20万元, 3年).
    case unit
    /// The last chunk repeats the count (一个一个, 一个又一个).
    case reduplication
    /// The name follows other numbers and pseudo-numbers far more often (numeral share < 0.34).
    case numeralShare = "numeral-share"
    /// 一 + measure is the indefinite article (一个新的, 一项重要): no further chunks, no contrast
    /// with a term of other numbers (“两个中国” beside 一个中国), not quoted in most occurrences in
    /// `weakMinDocuments` documents (a quote in one document may be a citation).
    case indefiniteArticle = "indefinite-article"
    /// Scores below `Selection.minScore`.
    case lowScore = "low-score"
    /// Inside a longer candidate that accounts for most (≥ 75 %) of its occurrences (两制 in
    /// 一国两制).
    case piece
    /// Folded into a higher-ranked candidate that it contains or that contains it, the
    /// difference being plain words without a numeral (四个全面 / 四个全面战略, 五保 / 五保户,
    /// 八字宪法 / 农业八字宪法): listed among that row's variants.
    case variant
    /// Below the `top` first rows.
    case belowTop = "below-top"

    // Acceptance evidence and score weights.
    /// Stands in quotes as a whole (score × (1 + quoted share)); quotes also lift the
    /// tail, modifier, place, idiom, weak and indefinite rules.
    case quoted = "quoted"
    /// Two or more numbered chunks (三严三实): weight 1.5.
    case chunks
    /// A code (5+2, 十二五): weight 1.3.
    case code
    /// Other numbers stand before the same name (两步走 / 三步走, 一个中国 / 两个中国): a paradigm.
    case paradigm
    /// A single numbered part that passed the weak tests: documents, cohesion, numeral share.
    case cohesive
    /// One dictionary word (二氧化碳, 两面派) never quoted: weight 0.5.
    case ordinaryWord = "ordinary-word"

    /// Whether the rule drops a candidate (else it is evidence or a weight).
    public var rejects: Bool {
        switch self {
        case .quoted, .chunks, .code, .paradigm, .cohesive, .ordinaryWord: false
        default: true
        }
    }
}

/// What `FormulaDiscoverer` decided about one phrase, for `tifa discover --explain`.
public struct DiscoveryJudgment: Sendable, Equatable {
    /// The candidate; for a dropped phrase the statistics computed before it was dropped (score
    /// 0 when it was dropped before scoring).
    public var candidate: FormulaCandidate
    /// The rule that dropped it, nil when it is shown.
    public var droppedBy: DiscoveryRule?
    /// For `.variant` and `.piece`: the candidate it was folded into or is a piece of.
    public var into: String?
}
