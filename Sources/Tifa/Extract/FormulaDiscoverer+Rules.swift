import Foundation

/// The rules and the ranking of `FormulaDiscoverer` (counting is in FormulaDiscoverer.swift).
/// Every decision is a `DiscoveryRule`, recorded in the judgment or the candidate's `rules`.
extension FormulaDiscoverer {
    /// The ranked candidates: the shown rows of `judgments`.
    public func candidates(_ selection: Selection = .init()) -> [FormulaCandidate] {
        judgments(selection, explain: false).filter { $0.droppedBy == nil }.map(\.candidate)
    }

    /// The ranked candidates first (shown rows, in rank order), then, with `explain`, every
    /// other phrase counted at least `minCount` times in `minDocuments` documents with the rule
    /// that dropped it, by descending count.
    public func judgments(_ selection: Selection = .init(), explain: Bool = true) -> [DiscoveryJudgment] {
        var dropped: [DiscoveryJudgment] = []
        var scored: [(key: [UInt32], candidate: FormulaCandidate)] = []
        for (key, s) in stats where Int(s.count) >= selection.minCount && Int(s.documents) >= selection.minDocuments {
            if let lexicon = matcher?.lexicon, lexicon.knows(key: key) { continue }
            switch judge(key, s, selection) {
            case .success(let candidate): scored.append((key, candidate))
            case .failure(let rejection):
                if explain { dropped.append(DiscoveryJudgment(candidate: rejection.candidate, droppedBy: rejection.rule)) }
            }
        }
        // A candidate inside a longer candidate that accounts for most of its occurrences
        // (两制 in 一国两制, 一企一产业 in 一村一企一产业) is only a piece of it.
        var containing: [[UInt32]: (count: Int, form: String)] = [:]
        for (key, c) in scored {
            for i in 0..<key.count {
                for j in (i + 1)...key.count where j - i < key.count {
                    let piece = Array(key[i..<j])
                    if (containing[piece]?.count ?? 0) < c.count { containing[piece] = (c.count, c.form) }
                }
            }
        }
        // A piece mostly quoted as a whole that has numbered chunks or a measure word of its
        // own (“一中一台”, “两个中国” in “两个中国”、“一中一台”) is a formula in a list of formulas.
        scored.removeAll { entry in
            guard let outer = containing[entry.key], Double(outer.count) >= 0.75 * Double(entry.candidate.count) else { return false }
            if entry.candidate.structure == .chunks || entry.candidate.structure == .counted, entry.candidate.quotedShare >= 0.5 { return false }
            if explain { dropped.append(DiscoveryJudgment(candidate: entry.candidate, droppedBy: .piece, into: outer.form)) }
            return true
        }
        scored.sort { $0.candidate.score != $1.candidate.score ? $0.candidate.score > $1.candidate.score : $0.candidate.form < $1.candidate.form }
        // Near-duplicates fold into the higher-ranked row: one contains the other and the
        // difference holds no numeral (四个全面 / 四个全面战略, 五保 / 五保户, 八字宪法 /
        // 农业八字宪法); a difference with a numbered chunk (两不愁 / 两不愁三保障) makes a
        // candidate of its own.
        var shown: [(key: [UInt32], candidate: FormulaCandidate)] = []
        var result: [DiscoveryJudgment] = []
        for (key, candidate) in scored {
            if let row = shown.firstIndex(where: { isVariant(key, of: $0.key) != nil }) {
                // The row keeps its rank and shows the shorter form, the core the other adds
                // plain words to; the other becomes a variant.
                var folded = candidate
                if key.count < shown[row].key.count {
                    folded = shown[row].candidate
                    let (score, variants) = (folded.score, folded.variants)
                    shown[row].key = key
                    shown[row].candidate = candidate
                    shown[row].candidate.score = score
                    shown[row].candidate.variants = variants
                }
                // Listed when it adds a word (五保户, 农业八字宪法, 四个全面战略), not a phrase
                // (四项基本原则的前提下).
                if let added = isVariant(key, of: shown[row].key), added.count <= 2, !added.contains(where: { stoplist.tails.contains([$0]) }) {
                    shown[row].candidate.variants.append(folded.form)
                }
                if explain { dropped.append(DiscoveryJudgment(candidate: folded, droppedBy: .variant, into: shown[row].candidate.form)) }
                continue
            }
            if let top = selection.top, shown.count >= top {
                if explain { dropped.append(DiscoveryJudgment(candidate: candidate, droppedBy: .belowTop)) }
                continue
            }
            shown.append((key, candidate))
        }
        result = shown.map { DiscoveryJudgment(candidate: $0.candidate, droppedBy: nil) }
        dropped.sort { $0.candidate.count != $1.candidate.count ? $0.candidate.count > $1.candidate.count : $0.candidate.form < $1.candidate.form }
        return result + dropped
    }

    /// What the longer of `a` and `b` adds to the shorter when it contains it and the addition
    /// has no numeral; nil otherwise.
    func isVariant(_ a: [UInt32], of b: [UInt32]) -> [UInt32]? {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard short.count >= 2, short.count < long.count else { return nil }
        for start in 0...(long.count - short.count) where long[start..<(start + short.count)].elementsEqual(short) {
            let added = Array(long[..<start] + long[(start + short.count)...])
            if !added.contains(where: FormulaText.isNumeral) { return added }
        }
        return nil
    }

    struct Rejection: Error {
        var rule: DiscoveryRule
        var candidate: FormulaCandidate
    }

    /// The rules for one phrase, in order; the first rejection drops it.
    func judge(_ key: [UInt32], _ s: Stat, _ selection: Selection) -> Result<FormulaCandidate, Rejection> {
        var candidate = FormulaCandidate(
            form: s.display.isEmpty ? FormulaText.string(key) : s.display, structure: s.structure, count: Int(s.count),
            documentCount: Int(s.documents), score: 0, examples: s.examples,
            firstYear: s.firstYear == 0 ? nil : Int(s.firstYear), lastYear: s.lastYear == 0 ? nil : Int(s.lastYear),
            numeralShare: 1, leftEntropy: 0, rightEntropy: 0, quotedShare: Double(s.quoted) / Double(s.count), cohesion: 0)
        func reject(_ rule: DiscoveryRule) -> Result<FormulaCandidate, Rejection> { .failure(Rejection(rule: rule, candidate: candidate)) }
        let count = Double(s.count)
        let quoted = s.quoted > 0
        if quoted { candidate.rules.append(.quoted) }
        switch s.structure {
        case .chunks: candidate.rules.append(.chunks)
        case .code: candidate.rules.append(.code)
        default: break
        }
        let patterned = s.structure == .code || s.structure == .quoted
        // Quotes mark the whole (“两个凡是”, “三个有利于”), however it ends.
        if !patterned && !quoted && stoplist.endsWithTail(key) { return reject(.tail) }
        // An attributive needs its noun (一项基本 of 一项基本经验, 两次历史性 of 两次历史性转变).
        if !patterned && !quoted && stoplist.endsWithModifier(key) { return reject(.modifier) }
        // Fragments: mostly followed by one and the same character, unless that character
        // is a particle a formula is followed by (两条腿走路的方针) or starts a generic head
        // noun it is followed by (三联包抓【机制】).
        if isRightFragment(key, s) { return reject(.rightFragment) }
        // Mostly cut out of a longer word (两个工 of 两个工作, 一体 of 一体化): no unit of its own.
        if !patterned && Double(s.aligned) / count < 0.5 { return reject(.midWord) }
        // Mostly the title of a work (《三国演义》): a name.
        if 2 * Int(s.titled) >= Int(s.count) { return reject(.title) }
        var q = 0
        while q < key.count && FormulaText.isNumeral(key[q]) { q += 1 }
        let rest = Array(key[q...])
        let measure = stoplist.prefixLength(stoplist.measures, in: rest[...])
        // Other numbers before the same name (两步走 / 三步走, 两个中国 / 一个中国), or before
        // its head (两个中国 for 一个中国原则; not an attributive: 三项基本 for 一项基本制度; no
        // numeral in it: 颜六 of 五颜六色 is no name).
        func contrastCount(termsOnly: Bool) -> Int {
            var contrast = paradigmCount(rest[...], own: key[..<q], termsOnly: termsOnly)
            var head = measure + 2
            while contrast < selection.indefiniteContrast && head < rest.count {
                defer { head += 1 }
                let name = rest[..<head]
                if name.contains(where: FormulaText.isNumeral) || stoplist.endsWithModifier(Array(name)) { continue }
                contrast = max(contrast, paradigmCount(name, own: key[..<q], termsOnly: termsOnly))
            }
            return contrast
        }
        let contrast = contrastCount(termsOnly: false)
        if !patterned && contrast > 0 { candidate.rules.append(.paradigm) }
        // A name that opens with an attributive and is mostly followed by a particle is itself
        // an attributive of the noun after it (两类不同性质【的】矛盾).
        if !patterned && !quoted && stoplist.prefixLength(stoplist.modifiers, in: rest[measure...]) > 0
            && 2 * Self.particles.reduce(0, { $0 + Int(s.right[$1] ?? 0) }) >= Int(s.count) { return reject(.modifier) }
        // General knowledge (jieba's tags, cpca's divisions), unless the corpus uses the phrase
        // as a formula: quoted (twice: one quote may be a citation, 《》 a title); for names and
        // set phrases also counted (三座大山, 两条路线: an idiom proper with a measure word,
        // 八方支援, is still an idiom) or in a paradigm (两步走).
        let quotedUse = s.quoted >= 2
        let usedAsFormula = quotedUse || contrast > 0 || (s.structure == .counted && !knowledge.isFixedIdiom(key))
        if !quotedUse && knowledge.isDivision(key) { return reject(.place) }
        if !usedAsFormula && knowledge.isName(key) { return reject(.place) }
        if !usedAsFormula && knowledge.isIdiom(key) { return reject(.idiom) }
        if Self.isVagueQuantity(key, numeralEnd: q, stoplist: stoplist) { return reject(.quantity) }
        if !quoted && stoplist.isMeeting(key) { return reject(.meeting) }
        if !patterned && !quotedUse && isEverydayWord(key, numeralEnd: q) { return reject(.everydayWord) }
        // One dictionary word (二氧化碳, 两面派, 四人帮): no quantity, but mostly an ordinary
        // word; it needs quotes or frequency to rank.
        let lexicalized = !patterned && s.structure != .chunks && Double(s.singleWord) >= 0.5 * count
        var share = 1.0
        if !patterned {
            let remainder = rest[measure...]
            // Further numbered chunks, not counting a numeral that opens a common word (十分).
            let moreChunks = remainder.indices.contains { i in
                FormulaText.isNumeral(remainder[i])
                    && (i == remainder.startIndex || !FormulaText.isNumeral(remainder[i - 1]))
                    && stoplist.prefixLength(stoplist.words, in: remainder[i...]) == 0
            }
            if remainder.isEmpty { return reject(.noName) }
            // Every part an indefinite 一 + measure (一个政党、一个政权): an enumeration of
            // things, not a formula, unless quoted.
            if moreChunks && !quoted {
                let starts = key.indices.filter { FormulaText.isNumeral(key[$0]) && ($0 == 0 || !FormulaText.isNumeral(key[$0 - 1])) }
                if starts.allSatisfy({ key[$0] == 0x4E00 && $0 + 1 < key.count && stoplist.prefixLength(stoplist.measures, in: key[($0 + 1)...]) > 0 }) {
                    return reject(.indefiniteList)
                }
            }
            candidate.cohesion = self.cohesion(key, count: s.count, split: q + measure)
            // A single numbered part, never quoted, is most often a quantity: it needs spread
            // over documents and a bound pair of number and name.
            // Its name after pseudo-numbers half as often as after it (两个阶级 beside
            // 各个阶级) also marks a quantity when nothing else speaks for a formula; other
            // numbers before the name (两步走, 三步走) are a paradigm, no evidence against.
            let pseudoCount = Int(restTotals[rest] ?? 0) - Int(numberedRestTotals[rest] ?? 0)
            if !moreChunks && !quoted {
                if Int(s.documents) < selection.weakMinDocuments || candidate.cohesion < selection.weakMinCohesion
                    || 2 * pseudoCount >= Int(s.count) { return reject(.weak) }
                candidate.rules.append(.cohesive)
            }
            // Quotes around most occurrences mark a term (“三类人员”), not a quantity.
            if !lexicalized && candidate.quotedShare < 0.5 {
                if !moreChunks && (stoplist.prefixLength(stoplist.nouns, in: remainder) > 0 || stoplist.prefixLength(stoplist.nouns, in: rest[...]) > 0) { return reject(.countedNoun) }
                if stoplist.prefixLength(stoplist.units, in: remainder) > 0 { return reject(.unit) }
            }
            // Reduplication (一个一个, 一个又一个): the last chunk repeats the count.
            if moreChunks && key.count >= 4 {
                let head = Array(key[..<(q + measure)])
                if head.count >= 2 && Array(key.suffix(head.count)) == head { return reject(.reduplication) }
            }
            share = count / Double(max(restTotals[rest] ?? s.count, s.count))
            candidate.numeralShare = share
            // Other numbers before the name speak against a formula unless quotes mark it.
            if share < 0.34 && candidate.quotedShare < 0.5 { return reject(.numeralShare) }
            // 一 + measure word is the indefinite article (一个新的, 一项重要): a formula made
            // of it (一个中国) shows itself by quotes around most occurrences, by further
            // numbered chunks or by a contrast with a term: the same name after other numbers,
            // quoted at least once (“两个中国”; 两个星期 is no term and 一个星期 no formula).
            // Quotes in one document only may be a citation (党内形成“一个资产阶级”).
            let quotedTerm = 4 * Int(s.quoted) >= 3 * Int(s.count) && Int(s.documents) >= selection.weakMinDocuments
            if q == 1 && key[0] == 0x4E00 && measure > 0 && !moreChunks && !quotedTerm
                && contrastCount(termsOnly: true) < selection.indefiniteContrast { return reject(.indefiniteArticle) }
        }
        let hl = Self.entropy(s.left, boundaries: s.leftBoundaries, total: s.count)
        // A particle after the phrase (两条腿走路【的】方针) ends it like punctuation.
        var right = s.right, rightBoundaries = s.rightBoundaries
        for (next, n) in s.right where stoplist.tails.contains([next]) { rightBoundaries += n; right[next] = nil }
        let hr = Self.entropy(right, boundaries: rightBoundaries, total: s.count)
        candidate.leftEntropy = hl
        candidate.rightEntropy = hr
        let freedom = min(1, (hr + 0.5) / 2) * min(1, (hl + 1) / 2)
        let weight: Double
        switch s.structure {
        case .chunks: weight = 1.5
        case .code: weight = 1.3
        default: weight = 1
        }
        let ordinary = lexicalized && !quoted ? 0.5 : 1
        if ordinary < 1 { candidate.rules.append(.ordinaryWord) }
        candidate.score = log2(1 + count) * (1 + log2(Double(s.documents))) * share * freedom * weight * ordinary * (1 + candidate.quotedShare)
        if candidate.score < selection.minScore { return reject(.lowScore) }
        return .success(candidate)
    }

    /// Whether the phrase is mostly followed by one and the same character (两不愁三 → 保), unless
    /// that character is a particle a formula is followed by (两条腿走路【的】方针) or starts a
    /// generic head noun it is followed by (三联包抓【机制】): a piece of a longer phrase.
    /// A particle that goes on into a dictionary word in most occurrences (一哄【而】起, 一哄而散)
    /// is part of that word: the phrase is a fragment all the same.
    func isRightFragment(_ key: [UInt32], _ s: Stat) -> Bool {
        guard let (next, top) = s.right.max(by: { $0.value < $1.value }), Double(top) >= 0.75 * Double(s.count) else { return false }
        if stoplist.tails.contains([next]) {
            return 2 * occurrencesIntoKnownWord(key + [next], count: Int(top), depth: 2) >= Int(s.count)
        }
        return !isFollowedByHead(key, next)
    }

    /// How many of the `count` occurrences of `phrase` are, or go on within `depth` more
    /// characters into, an idiom, name or everyday word of `knowledge` (一哄而 → 一哄而起).
    func occurrencesIntoKnownWord(_ phrase: [UInt32], count: Int, depth: Int) -> Int {
        if knowledge.isIdiom(phrase) || knowledge.isEverydayWord(phrase) || knowledge.isName(phrase) { return count }
        guard depth > 0, let s = stats[phrase] else { return 0 }
        return s.right.reduce(0) { $0 + occurrencesIntoKnownWord(phrase + [$1.key], count: Int($1.value), depth: depth - 1) }
    }

    /// Occurrences of `name` after a one-character formula number other than `own` (两步走 for
    /// 三步走), counting only whole phrases: 三个资产阶级 of 三个资产阶级司令部 (a right
    /// fragment) is no paradigm of 一个资产阶级.
    /// With `termsOnly`, only members quoted at least once count (“两个中国”).
    func paradigmCount(_ name: ArraySlice<UInt32>, own: ArraySlice<UInt32>, termsOnly: Bool = false) -> Int {
        var total = 0
        for n in Self.paradigmNumerals where !(own.count == 1 && own.first == n) {
            let phrase = [n] + name
            guard let s = stats[phrase], !termsOnly || s.quoted > 0, !isRightFragment(phrase, s) else { continue }
            total += Int(s.count)
        }
        return total
    }

    /// Whether `key` (its numeral ends at `numeralEnd`) is an everyday word of jieba's
    /// dictionary (一等奖, 两面派: a paradigm is no evidence there, 一等奖 has 二等奖), or opens
    /// with one that is not nominal and holds more than the number (一行 of 一行是应, 一直 of
    /// 一直十分; not 两个 of 两个凡是) and goes on without a numbered chunk.
    func isEverydayWord(_ key: [UInt32], numeralEnd q: Int) -> Bool {
        // A number and a measure word alone (一个, 两次) is no name: rule `no-name`.
        if stoplist.prefixLength(stoplist.measures, in: key[q...]) == key.count - q { return false }
        if knowledge.isEverydayWord(key) { return true }
        let n = knowledge.everydayPrefix(of: key)
        guard n > q, stoplist.prefixLength(stoplist.measures, in: key[q..<n]) == 0 else { return false }
        return !(n..<key.count).contains { i in
            FormulaText.isNumeral(key[i]) && !FormulaText.isNumeral(key[i - 1]) && stoplist.prefixLength(stoplist.words, in: key[i...]) == 0
        }
    }

    /// The one-character numbers a paradigm is made of (folded as text: 二 is 两).
    static let paradigmNumerals = FormulaText.key("一两三四五六七八九十百千万")
    /// Particles after an attributive phrase (的, 之).
    static let particles: [UInt32] = [0x7684, 0x4E4B]

    /// Whether the phrase `key` + `next` goes on, mostly, into a `head` noun (机制 after 三联包抓).
    func isFollowedByHead(_ key: [UInt32], _ next: UInt32) -> Bool {
        var phrase = key + [next], added = [next]
        while added.count < 4 {
            if stoplist.heads.contains(added) { return true }
            guard let s = stats[phrase], let (c, n) = s.right.max(by: { $0.value < $1.value }), 2 * n > Int32(s.count) else { return false }
            phrase.append(c)
            added.append(c)
        }
        return stoplist.heads.contains(added)
    }

    /// A decimal (一点四, 1.4), a range (一至十月, 三到五年), a multiple (三倍) or a vague
    /// amount (一小部分, 一大批): the number measures, it names nothing.
    static func isVagueQuantity(_ key: [UInt32], numeralEnd q: Int, stoplist: DiscoveryStoplist) -> Bool {
        let point: UInt32 = 0x70B9, times: UInt32 = 0x500D  // 点 倍
        let to: Set<UInt32> = [0x81F3, 0x5230]  // 至 到
        if q < key.count - 1, key[q] == point || to.contains(key[q]), FormulaText.isNumeral(key[q + 1]) { return true }
        if q < key.count, key[q] == times { return true }
        if key.last == times { return true }
        // 一 + 大/小 + measure (一大批, 一小部分).
        if q == 1, key[0] == 0x4E00, key.count > 2, key[1] == 0x5927 || key[1] == 0x5C0F,
           stoplist.prefixLength(stoplist.measures, in: key[2...]) > 0 || stoplist.prefixLength(stoplist.nouns, in: key[2...]) > 0 {
            return true
        }
        return false
    }
}
