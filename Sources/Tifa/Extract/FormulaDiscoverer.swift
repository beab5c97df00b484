import Foundation

/// Finds candidates for numbered policy formulas in a corpus, from patterns and corpus
/// statistics, leaving out what the lexicon already knows.
///
/// Feed documents one at a time with `add`; then ask for `candidates`. Method:
/// 1. **Where**: known formulas (lexicon matches) are masked. In each run of Han characters,
///    digits and letters, every numeral run that starts a word (not glued: 统一, 进一步, 第五; not
///    a common word: 一些, 两岸) opens n-grams of up to `maxLength` characters; codes (5+2, 1+X)
///    and short quoted phrases with a numeral are taken whole.
/// 2. **Counted**: frequency, documents, first/last year, left/right neighbours, quoted
///    occurrences; and for each phrase after a number, how often it follows any number or
///    pseudo-number (几个, 各个, 若干项), so that numeral share = count(五个方面) / count(*个方面).
///    Numeral strings that are no cardinal (十二五, 九二共识) count as codes; a stop word opens
///    a candidate only when a numeral follows it at once (两岸四地); parts written apart
///    (一摘、四不摘, “两不愁”“三保障”) are also counted joined, unless each part stands in its
///    own quotes in a list (“两个中国”、“一中一台”).
/// 3. **Judged** by named rules (`DiscoveryRule`, FormulaDiscoverer+Rules.swift; data in
///    `discovery_stoplist.txt`, `numeral_words.txt`, `places.tsv`), then **scored**:
///    log2(1+count) · (1+log2 documents) · numeral share · boundary freedom · structure weight ·
///    (1 + quoted share); near-duplicates are folded into one row (DESIGN.md, "Formula discovery").
///
/// `judgments` lists the rules per phrase (`tifa discover --explain`). Counting is here.
///
/// Memory is bounded by the candidate vocabulary: when the tables pass `maxVocabulary` entries,
/// n-grams seen once are dropped (lossy counting; a formula seen once is no candidate anyway).
/// Not thread-safe: feed from one thread. Cost: O(characters · maxLength) hash updates.
public final class FormulaDiscoverer {
    public struct Options: Sendable {
        /// Longest candidate in characters.
        public var maxLength = 10
        /// Table size at which n-grams seen once are pruned.
        public var maxVocabulary = 1_500_000
        public init() {}
    }

    public struct Selection: Sendable {
        public var minCount = 2
        public var minDocuments = 1
        /// Occurrences of the same measure + name after other numbers (两个中国) that an unquoted
        /// 一 + measure + name (一个中国) needs to count as a formula rather than the indefinite
        /// article (一个新的).
        public var indefiniteContrast = 2
        /// Candidates scoring below this are not shown, however large `top` is.
        public var minScore = 0.0
        /// Documents that a weak candidate needs: a single numbered part (N个X, NX) that is
        /// neither quoted nor followed by another numbered part.
        public var weakMinDocuments = 2
        /// Cohesion in bits that a weak candidate needs (see `FormulaCandidate.cohesion`).
        public var weakMinCohesion = 4.0
        /// Number of candidates returned; nil for all.
        public var top: Int? = 50
        public init() {}
    }

    struct Stat {
        var count: Int32 = 0
        var documents: Int32 = 0
        var lastDocument: Int32 = -1
        var quoted: Int32 = 0
        /// Occurrences inside the title of a work, in 《》.
        var titled: Int32 = 0
        var firstYear: Int16 = 0
        var lastYear: Int16 = 0
        var left: [UInt32: Int32] = [:]
        var right: [UInt32: Int32] = [:]
        var leftBoundaries: Int32 = 0
        var rightBoundaries: Int32 = 0
        var structure: FormulaCandidate.Structure = .numbered
        /// Occurrences whose both ends fall on ICU word boundaries, and those that are one ICU
        /// word exactly (a lexicalized word such as 二氧化碳).
        var aligned: Int32 = 0
        var singleWord: Int32 = 0
        var examples: [String] = []
        var exampleDocument: Int32 = -1
        /// The form as first written (normalized, not folded: 二氧化碳 stays 二).
        var display = ""
        /// The display was glued from parts written apart; an unbroken occurrence replaces it.
        var joinedDisplay = false
    }

    public let options: Options
    let matcher: FormulaMatcher?
    let stoplist: DiscoveryStoplist
    let knowledge: DiscoveryKnowledge
    var stats: [[UInt32]: Stat] = [:]
    private let wordBreaker: ICUWordBreaker
    /// Per normalized scalar of the current document: whether an ICU word boundary stands before
    /// it (one extra entry for the end), and whether it is inside the same word as its successor.
    private var wordEdges: [Bool] = []
    /// Per symbol of the piece being counted: whether it stands inside 《》 (`titleSpans`).
    private var inTitle: [Bool] = []
    var restTotals: [[UInt32]: Int32] = [:]
    /// The same, after true numbers only (no 几, 各, 若干).
    var numberedRestTotals: [[UInt32]: Int32] = [:]
    public private(set) var documentCount = 0
    /// Counts of every character n-gram of one to three characters in unmasked content runs,
    /// packed 21 bits a character (see `gramKey`), and their total: the base of `cohesion`.
    var grams: [UInt64: Int32] = [:]
    var gramPositions = 0

    /// - Parameters:
    ///   - matcher: known formulas to mask (nil: discover everything).
    ///   - stoplist: the filter data (`DiscoveryStoplist.shipped()`).
    ///   - knowledge: places, names and idioms (`DiscoveryKnowledge.shipped()`).
    /// Throws when ICU cannot open its word breaker (the word edges are part of the method).
    public init(matcher: FormulaMatcher?, stoplist: DiscoveryStoplist, knowledge: DiscoveryKnowledge, options: Options = .init()) throws {
        self.matcher = matcher
        self.stoplist = stoplist
        self.knowledge = knowledge
        self.options = options
        wordBreaker = try ICUWordBreaker()
    }

    /// Counts one document. `year` feeds the first/last year of each candidate.
    public func add(_ text: NormalizedText, year: Int? = nil) throws {
        startDocument()
        try addPart(text, year: year)
    }

    /// Starts a document whose text follows in `addPart` calls: a long document is normalized
    /// and counted part by part (`Analyzer.forEachPiece`), so memory holds one part, not the
    /// whole normalized text with its offsets.
    public func startDocument() {
        documentCount += 1
    }

    /// Counts the next part of the current document (see `startDocument`). Parts must end at a
    /// line end to count as the whole text would: counting never looks across a line.
    public func addPart(_ text: NormalizedText, year: Int? = nil) throws {
        precondition(documentCount > 0, "startDocument first")
        let doc = Int32(documentCount - 1)
        wordEdges = try Self.wordEdges(text, breaker: wordBreaker)
        // A long document is counted piece by piece, in whole lines of at most `pieceLength`
        // scalars: the per-symbol arrays cost ~40 bytes a character (1.4 GB for one 50 MB
        // document when made whole); a piece ends at a line break. A shorter document is one
        // piece, so its counts are what they were.
        let scalars = text.scalars
        var start = 0
        while start < scalars.count {
            var end = min(scalars.count, start + Self.pieceLength)
            if end < scalars.count, let newline = scalars[start..<end].lastIndex(of: "\n") { end = newline + 1 }
            addPiece(start..<end, of: text, doc: doc, year: year)
            start = end
            if stats.count > options.maxVocabulary { stats = stats.filter { $0.value.count > 1 } }
            if grams.count > options.maxVocabulary { grams = grams.filter { $0.value > 1 } }
            if restTotals.count > options.maxVocabulary { restTotals = restTotals.filter { $0.value > 1 } }
            if numberedRestTotals.count > options.maxVocabulary { numberedRestTotals = numberedRestTotals.filter { $0.value > 1 } }
        }
    }

    /// Scalars counted at once (see `add`).
    static let pieceLength = 1 << 20

    private func addPiece(_ piece: Range<Int>, of text: NormalizedText, doc: Int32, year: Int?) {
        let symbols = FormulaText.fold(text.scalars[piece])
        var masked = [Bool](repeating: false, count: symbols.count)
        if let matcher {
            var k = 0
            for m in matcher.matches(in: text, symbols: symbols, context: .none) {
                while k < symbols.count && symbols[k].range.lowerBound < m.range.lowerBound { k += 1 }
                while k < symbols.count && symbols[k].range.lowerBound < m.range.upperBound { masked[k] = true; k += 1 }
            }
        }
        let values = symbols.map(\.value)
        inTitle = Self.titleSpans(values)
        func isContent(_ i: Int) -> Bool {
            guard !masked[i] else { return false }
            let v = values[i]
            return HanScript.isHan(v) || FormulaText.isDigit(v) || FormulaText.isLatin(v) || v == 0x2B
        }
        var a = 0
        let n = symbols.count
        var previousRun: Range<Int>? = nil
        while a < n {
            guard isContent(a) else { a += 1; continue }
            var b = a
            while b < n && isContent(b) { b += 1 }
            countRun(a..<b, symbols: symbols, values: values, text: text, doc: doc, year: year)
            for i in a..<b {
                gramPositions += 1
                var key: UInt64 = 0
                for j in i..<min(b, i + 3) {
                    key = key << 21 | UInt64(values[j] & 0x1F_FFFF)
                    grams[key, default: 0] += 1
                }
            }
            if let previous = previousRun { countJoin(previous, a..<b, symbols: symbols, values: values, text: text, doc: doc, year: year) }
            previousRun = a..<b
            a = b
        }
    }

    private func countRun(_ run: Range<Int>, symbols: [FormulaText.Symbol], values: [UInt32], text: NormalizedText, doc: Int32, year: Int?) {
        let (a, b) = (run.lowerBound, run.upperBound)
        let quotedBefore = a > 0 && Self.isOpeningQuote(values[a - 1])
        let quotedAfter = b < values.count && Self.isClosingQuote(values[b])
        // Codes: digits and letters joined by +.
        var p = a
        while p < b {
            guard FormulaText.isDigit(values[p]) || FormulaText.isLatin(values[p]) || values[p] == 0x2B else { p += 1; continue }
            var q = p
            while q < b && (FormulaText.isDigit(values[q]) || FormulaText.isLatin(values[q]) || values[q] == 0x2B) { q += 1 }
            let code = values[p..<q]
            if code.contains(0x2B), code.first != 0x2B, code.last != 0x2B, code.count <= 12, code.contains(where: FormulaText.isDigit) {
                record(Array(code), at: p..<q, run: run, structure: .code, symbols: symbols, values: values, text: text, doc: doc, year: year)
            }
            p = q
        }
        // Quoted phrases with a numeral that does not open them.
        if quotedBefore && quotedAfter && (2...options.maxLength).contains(b - a) && !symbols[a].isNumeral
            && values[a..<b].contains(where: { FormulaText.smallNumeralValue($0) != nil }) {
            record(Array(values[a..<b]), at: a..<b, run: run, structure: .quoted, symbols: symbols, values: values, text: text, doc: doc, year: year)
        }
        // Numbered phrases.
        p = a
        var insideWord = a  // numerals before this index sit inside a stop word or idiom (千方百计)
        while p < b {
            let v = values[p]
            if symbols[p].isNumeral && p < insideWord { p += 1; continue }
            // Verb reduplication (说一说, 看一看): the 一 there is no number.
            if v == 0x4E00 && p > a && p + 1 < b && values[p - 1] == values[p + 1] { p += 1; continue }
            if symbols[p].isNumeral {
                guard p == a || !symbols[p - 1].isNumeral else { p += 1; continue }
                // Not after a placeholder or number (xx万, 3万) and not in an enumeration of
                // numerals (一、二、三、四、五庭): there the numeral starts no phrase of its own.
                if p > a && (FormulaText.isLatin(values[p - 1]) || FormulaText.isDigit(values[p - 1])) { p += 1; continue }
                if p == a && a >= 2 && FormulaText.isSeparator(values[a - 1]) && symbols[a - 2].isNumeral
                    && !stoplist.isGlued(values, at: a - 2, runStart: 0) { p += 1; continue }
                var q = p
                while q < b && symbols[q].isNumeral { q += 1 }
                defer { p = q }
                if stoplist.isGlued(values, at: p, runStart: a) { continue }
                let numeral = values[p..<q]
                // Digits in a row that make no cardinal (十二五, 九二, 六五) name a plan, a year or
                // an item; before a measure word or unit they are an estimate (七八个, 三五年).
                let code = Self.isNumeralCode(numeral)
                if code && q - p >= 3 && ((q == b && q < values.count && FormulaText.isClosingQuote(values[q])) || (q < b && stoplist.prefixLength(stoplist.units, in: values[q..<b]) == 0
                    && stoplist.prefixLength(stoplist.measures, in: values[q..<b]) == 0)) {
                    record(Array(numeral), at: p..<q, run: run, structure: .code, symbols: symbols, values: values, text: text, doc: doc, year: year)
                }
                if q == b { continue }
                let valid = Self.isFormulaNumber(numeral)
                    || (code && stoplist.prefixLength(stoplist.measures, in: values[q..<b]) == 0)
                let wordLength = stoplist.prefixLength(stoplist.words, in: values[p..<b])
                let startsWord = wordLength > 0
                if startsWord { insideWord = p + wordLength }
                let unit = stoplist.prefixLength(stoplist.units, in: values[q..<b]) > 0
                let longest = min(b - q, options.maxLength - (q - p))
                guard longest > 0 else { continue }
                for k in 1...longest {
                    if !startsWord {
                        restTotals[Array(values[q..<(q + k)]), default: 0] += 1
                        if valid { numberedRestTotals[Array(values[q..<(q + k)]), default: 0] += 1 }
                    }
                    // No numeral at the end (两不愁三 of 两不愁三保障), unless it ends a word a
                    // formula may end with (两线合一, 多规合一).
                    guard valid, !unit, !symbols[q + k - 1].isNumeral
                            || (k >= 2 && stoplist.endings.contains(values[(q + k - 2)..<(q + k)])) else { continue }
                    let hasChunks = values[q..<(q + k)].contains(where: FormulaText.isNumeral)
                    // A common word (两岸, 三要) opens a candidate only in a parallel structure,
                    // with a numeral right after the word (两岸四地, 三要三不要).
                    if startsWord && (p + wordLength >= q + k || !symbols[p + wordLength].isNumeral) { continue }
                    let counted = stoplist.prefixLength(stoplist.measures, in: values[q..<(q + k)]) > 0
                    record(Array(values[p..<(q + k)]), at: p..<(q + k), run: run,
                           structure: hasChunks ? .chunks : counted ? .counted : .numbered,
                           symbols: symbols, values: values, text: text, doc: doc, year: year)
                }
                continue
            }
            // A pseudo-number before a measure word (几个, 各项, 若干条) competes with the numerals.
            let pseudo = stoplist.prefixLength(stoplist.pseudoNumerals, in: values[p..<b])
            if pseudo > 0, p + pseudo < b, (p == a || !stoplist.pseudoNumerals.contains([values[p - 1]])),
               stoplist.prefixLength(stoplist.measures, in: values[(p + pseudo)..<b]) > 0 {
                let q = p + pseudo
                for k in 1...min(b - q, options.maxLength - 1) {
                    restTotals[Array(values[q..<(q + k)]), default: 0] += 1
                }
            }
            p += 1
        }
    }

    /// ICU word boundaries of `text` as a flag per normalized scalar offset (count + 1 entries).
    static func wordEdges(_ text: NormalizedText, breaker: ICUWordBreaker) throws -> [Bool] {
        let n = text.scalars.count
        var edges = [Bool](repeating: false, count: n + 1)
        edges[0] = true
        edges[n] = true
        // Line by line, so that the UTF-16 copy and offset map stay the size of a line.
        var lineStart = 0
        while lineStart < n {
            let lineEnd = text.scalars[lineStart...].firstIndex(of: "\n").map { $0 + 1 } ?? n
            for b in try breaker.boundaries(scalars: text.scalars[lineStart..<lineEnd].lazy.map(\.value)) {
                edges[lineStart + b.offset] = true
            }
            lineStart = lineEnd
        }
        return edges
    }

    /// 《 and 》 enclose the title of a work (《三国演义》, 《论十大关系》): a name, so discovery
    /// does not take them for the quotes that mark a term (“两个凡是”).
    static let titleOpen: UInt32 = 0x300A, titleClose: UInt32 = 0x300B

    /// Whether each of `values` stands inside 《》: between a 《 and the next 》 of the same line,
    /// at most `longestTitle` characters apart (an unclosed 《 marks nothing).
    static func titleSpans(_ values: [UInt32]) -> [Bool] {
        var flags = [Bool](repeating: false, count: values.count)
        var open: Int? = nil
        for (i, v) in values.enumerated() {
            if v == titleOpen {
                open = i
            } else if v == titleClose, let o = open {
                if i - o <= longestTitle { for j in (o + 1)..<i { flags[j] = true } }
                open = nil
            } else if v == 0x0A {
                open = nil
            }
        }
        return flags
    }

    static let longestTitle = 64

    /// Quotation marks that mark a term: `FormulaText`'s quotes without the title marks.
    static func isOpeningQuote(_ v: UInt32) -> Bool { v != titleOpen && FormulaText.isOpeningQuote(v) }
    static func isClosingQuote(_ v: UInt32) -> Bool { v != titleClose && FormulaText.isClosingQuote(v) }

    /// Two Chinese digits side by side (十二五, 九二, 一九九七): no cardinal number.
    static func isNumeralCode(_ numeral: ArraySlice<UInt32>) -> Bool {
        guard numeral.count >= 2 else { return false }
        var previousIsDigit = false
        for v in numeral {
            let isDigit = FormulaText.isDigit(v) ? false : (FormulaText.smallNumeralValue(v).map { $0 < 10 } ?? false) || v == 0x96F6 || v == 0x3007
            if FormulaText.isDigit(v) { return false }
            if isDigit && previousIsDigit { return true }
            previousIsDigit = isDigit
        }
        return false
    }

    /// Parts of one formula written apart (一摘、四不摘, “两不愁”“三保障”): when a run that is a
    /// whole short numbered phrase is followed, across separators only, by a run opening with a
    /// numeral, the two count as one candidate (key without the separators; surface in examples).
    private func countJoin(_ first: Range<Int>, _ second: Range<Int>, symbols: [FormulaText.Symbol], values: [UInt32], text: NormalizedText, doc: Int32, year: Int?) {
        let maxPart = options.maxLength / 2 + 1
        // The first part is the numbered phrase that ends the first run (坚持【一摘】、四不摘).
        var start = first.upperBound - 1
        while start > first.lowerBound && !(symbols[start].isNumeral && !symbols[start - 1].isNumeral) { start -= 1 }
        guard start < first.upperBound, !stoplist.isGlued(values, at: start, runStart: first.lowerBound),
              stoplist.prefixLength(stoplist.words, in: values[start..<first.upperBound]) == 0 else { return }  // 一定要把揭批“四人帮”
        let whole = first
        let first = start..<first.upperBound
        guard first.count >= 2, first.count <= maxPart, second.count >= 2,
              second.lowerBound - first.upperBound <= 3,
              (first.upperBound..<second.lowerBound).allSatisfy({ symbols[$0].isSeparator && values[$0] != 0x20 }),
              symbols[first.lowerBound].isNumeral, symbols[second.lowerBound].isNumeral,
              !symbols[first.upperBound - 1].isNumeral,
              !stoplist.endsWithTail(Array(values[first])) else { return }
        // Each part opens with a small number (not 1998、2000 or 二十三个).
        for part in [first, second] {
            var q = part.lowerBound
            while q < part.upperBound && symbols[q].isNumeral { q += 1 }
            guard Self.isFormulaNumber(values[part.lowerBound..<q]), q < part.upperBound,
                  stoplist.prefixLength(stoplist.units, in: values[q..<part.upperBound]) == 0 else { return }
        }
        // Each part in its own quotes and an enumeration comma between (“两个中国”、“一中一台”):
        // a list of formulas, not one written apart (“两不愁”“三保障”, 一摘、四不摘).
        let gap = values[first.upperBound..<second.lowerBound]
        if gap.contains(0x3001) && gap.contains(where: FormulaText.isClosingQuote) && gap.contains(where: FormulaText.isOpeningQuote) { return }
        let head = Array(values[first])
        let headText = text.text(symbols[first.lowerBound].range.lowerBound..<symbols[first.upperBound - 1].range.upperBound)
        for k in 2...min(second.count, maxPart) where !symbols[second.lowerBound + k - 1].isNumeral {
            let tail = second.lowerBound..<(second.lowerBound + k)
            let display = headText + text.text(symbols[tail.lowerBound].range.lowerBound..<symbols[tail.upperBound - 1].range.upperBound)
            record(head + values[tail], at: first.lowerBound..<tail.upperBound, run: whole.lowerBound..<second.upperBound,
                   structure: .chunks, symbols: symbols, values: values, text: text, doc: doc, year: year, display: display)
        }
    }

    /// 一…十, 两, 百, 千, 万 alone, or 十 followed by one of 一…九 (十二五 has no name after it, so
    /// larger numbers are quantities: 二十三个).
    static func isFormulaNumber(_ numeral: ArraySlice<UInt32>) -> Bool {
        if numeral.count == 1 {
            let v = numeral.first!
            return FormulaText.smallNumeralValue(v) != nil || v == 0x767E || v == 0x5343 || v == 0x4E07
        }
        if numeral.count == 2 {
            return numeral.first == 0x5341 && (FormulaText.smallNumeralValue(numeral.last!) ?? 10) < 10
        }
        return false
    }

    private func record(_ key: [UInt32], at range: Range<Int>, run: Range<Int>, structure: FormulaCandidate.Structure,
                        symbols: [FormulaText.Symbol], values: [UInt32], text: NormalizedText, doc: Int32, year: Int?,
                        display: String? = nil) {
        var s = stats[key] ?? Stat()
        if s.count == 0 || (display == nil && s.joinedDisplay) {
            s.display = display ?? text.text(symbols[range.lowerBound].range.lowerBound..<symbols[range.upperBound - 1].range.upperBound)
            s.joinedDisplay = display != nil
        }
        s.count += 1
        s.structure = structure
        if s.lastDocument != doc { s.documents += 1; s.lastDocument = doc }
        if let year, let y = Int16(exactly: year) {
            s.firstYear = s.firstYear == 0 ? y : min(s.firstYear, y)
            s.lastYear = max(s.lastYear, y)
        }
        if range.lowerBound > run.lowerBound { s.left[values[range.lowerBound - 1], default: 0] += 1 } else { s.leftBoundaries += 1 }
        if range.upperBound < run.upperBound { s.right[values[range.upperBound], default: 0] += 1 } else { s.rightBoundaries += 1 }
        if range == run, run.lowerBound > 0, run.upperBound < values.count,
           Self.isOpeningQuote(values[run.lowerBound - 1]), Self.isClosingQuote(values[run.upperBound]) {
            s.quoted += 1
        }
        if inTitle[range.lowerBound] { s.titled += 1 }
        let lo = symbols[range.lowerBound].range.lowerBound, hi = symbols[range.upperBound - 1].range.upperBound
        if wordEdges[lo] && wordEdges[hi] {
            s.aligned += 1
            if !wordEdges[(lo + 1)..<hi].contains(true) { s.singleWord += 1 }
        }
        if s.examples.count < 2 && (s.examples.isEmpty || s.exampleDocument != doc || s.count >= 2) {
            let from = max(0, lo - 16), to = min(text.count, hi + 16)
            var context = text.text(from..<lo) + "【" + text.text(lo..<hi) + "】" + text.text(hi..<to)
            context = context.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            if s.examples.isEmpty || s.exampleDocument != doc { s.examples.append(context) }
            s.exampleDocument = doc
        }
        stats[key] = s
    }

    /// The n-gram key of the first three characters of `chars` (0 for none).
    static func gramKey(_ chars: ArraySlice<UInt32>) -> UInt64 {
        var key: UInt64 = 0
        for v in chars.prefix(3) { key = key << 21 | UInt64(v & 0x1F_FFFF) }
        return key
    }

    /// PMI in bits of `key` split at `split` (see `FormulaCandidate.cohesion`).
    func cohesion(_ key: [UInt32], count: Int32, split: Int) -> Double {
        guard split > 0, split < key.count, gramPositions > 0 else { return 0 }
        let left = Double(max(grams[Self.gramKey(key[..<split])] ?? 1, count))
        let right = Double(max(grams[Self.gramKey(key[split...])] ?? 1, count))
        return log2(Double(count) * Double(gramPositions) / (left * right))
    }

    static func entropy(_ histogram: [UInt32: Int32], boundaries: Int32, total: Int32) -> Double {
        let t = Double(total)
        guard t > 0 else { return 0 }
        var h = 0.0
        for (_, c) in histogram { let p = Double(c) / t; h -= p * log2(p) }
        // Each boundary (punctuation, line edge) is a neighbour of its own.
        if boundaries > 0 { h += Double(boundaries) / t * log2(t) }
        return h
    }
}
