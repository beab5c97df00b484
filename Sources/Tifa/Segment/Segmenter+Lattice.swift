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
///   an ordinal (第 + numerals or digits);
/// - a forced phrase written with Arabic digits (5个一批 for 五个一批): small numbers read as the
///   Chinese numerals the extractor folds them to (`digitFormulaEdges`);
/// - a lexicon word of 2+ characters plus a productive suffix (现代 + 化), at the word's cost
///   plus the suffix's (`segmentation_rules.tsv`); not after a place name (泸定县 + 委), a
///   `nominal` suffix (村 县 学 …) not after a word of `non_noun_words.txt` (推行 + 村), and no
///   suffix where a word starting with it costs less than the word it would make (基层 站所);
/// - a place name gives up its last character to a cheaper lexicon word starting with it
///   (泸定 县委, not 泸定县 委): the name less that character, when 2+ characters are left,
///   instead of it;
/// - a run of 3–8 transliteration characters (克林顿), at a cost rising with its length.
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
    let s: UnsafeBufferPointer<UInt32>
    let n: Int

    // Work buffers, reused for every stretch (plain buffers: no reference counting or
    // uniqueness checks in the inner loop). Freed by `deallocate()`.
    static let maxScalars = 1 << 15
    let atomStart: UnsafeMutablePointer<Int>
    let atomKind: UnsafeMutablePointer<UInt8>
    var atomCount = 0
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

    // Rule codes kept per lattice node; `rule(_:cost:)` turns them into a `SpanRule`.
    static let ruleScanned: UInt8 = 0, ruleSingle: UInt8 = 1, ruleUnknown: UInt8 = 2, ruleNumeral: UInt8 = 3,
               ruleSuffix: UInt8 = 4, ruleTransliteration: UInt8 = 5, ruleModel: UInt8 = 6, ruleLexicon: UInt8 = 16

    /// `suffixCost`, `nominalSuffix` and `transliteration` are the segmenter's rule tables,
    /// borrowed by the caller for as long as this lattice is used. With `collect`, the model
    /// does not run: each stretch's model input is handed to it instead (for training).
    init(segmenter: Segmenter, scalars: UnsafeBufferPointer<UInt32>, suffixCost: UnsafeBufferPointer<UInt8>,
         nominalSuffix: UnsafeBufferPointer<Bool>, transliteration: UnsafeBufferPointer<Bool>,
         collect: ((ModelInput, Int, UnsafeMutablePointer<Int>) -> Void)? = nil) {
        self.segmenter = segmenter
        self.lexicon = segmenter.lexicon
        self.s = scalars
        self.n = scalars.count
        // Sized by the text, up to the limits: a short line (the library called per sentence)
        // gets small buffers, not 250 KB mapped and unmapped for each call.
        let atoms = min(Self.maxAtoms, scalars.count) + 2
        atomStart = .allocate(capacity: atoms)
        atomKind = .allocate(capacity: atoms)
        atomAt = .allocate(capacity: min(Self.maxScalars, scalars.count) + 2)
        best = .allocate(capacity: atoms)
        back = .allocate(capacity: atoms)
        backRule = .allocate(capacity: atoms)
        backCost = .allocate(capacity: atoms)
        backKind = .allocate(capacity: atoms)
        path = .allocate(capacity: atoms)
        classTable = CharacterClass.bmp
        self.suffixCost = suffixCost
        self.nominalSuffix = nominalSuffix
        self.transliteration = transliteration
        self.collect = collect
        model = collect == nil ? segmenter.model : nil
        let modelAtoms = model != nil || collect != nil ? atoms : 0
        modelInput = modelAtoms > 0 ? ModelInput(capacity: modelAtoms) : nil
        tokenEnd = .allocate(capacity: modelAtoms)
        modelScores = .allocate(capacity: 4 * modelAtoms)
        modelBack = .allocate(capacity: modelAtoms)
        modelTags = .allocate(capacity: modelAtoms)
        modelWindows = .allocate(capacity: modelAtoms + 2)
    }

    func deallocate() {
        atomStart.deallocate(); atomKind.deallocate(); atomAt.deallocate(); best.deallocate()
        back.deallocate(); backRule.deallocate(); backCost.deallocate(); backKind.deallocate(); path.deallocate()
        modelInput?.deallocate()
        tokenEnd.deallocate(); modelScores.deallocate(); modelBack.deallocate(); modelTags.deallocate(); modelWindows.deallocate()
    }

    static func rule(_ code: UInt8, cost: Int32) -> Segmenter.SpanRule {
        switch code {
        case ruleSingle: .singleCharacter(cost: cost)
        case ruleUnknown: .unknownCharacter
        case ruleNumeral: .numeral
        case ruleSuffix: .suffix(cost: cost)
        case ruleTransliteration: .transliteration
        case ruleModel: .model
        case ruleLexicon...: .lexicon(LexiconLayer(rawValue: code - ruleLexicon)!, cost: cost)
        default: .scanned
        }
    }

    @inline(__always) func cls(_ i: Int) -> CharacterClass {
        let v = s[i]
        return v < 0x10000 ? CharacterClass(rawValue: classTable[Int(v)]) : CharacterClass.of(v)
    }

    mutating func run(search: Bool, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        var i = 0
        while i < n {
            let c = cls(i)
            if c.contains(.newline) {
                body(i..<(i + 1), .whitespace, .scanned)
                i += 1
            } else if c.contains(.space) {
                var j = i + 1
                while j < n && cls(j).contains(.space) { j += 1 }
                body(i..<j, .whitespace, .scanned)
                i = j
            } else {
                let end = scanAtoms(from: i)
                solve(search: search, body)
                i = end
            }
        }
    }

    // MARK: Scanner

    /// Cuts atoms from `start` up to the next whitespace (or `maxAtoms`); returns where it stopped.
    mutating func scanAtoms(from start: Int) -> Int {
        atomCount = 0
        var j = start
        while j < n && atomCount < Self.maxAtoms && j - start < Self.maxScalars {
            let c = cls(j)
            if c.contains(.space) || c.contains(.newline) { break }
            // Most atoms are one Han character: no call for them.
            let (end, kind) = c.contains(.han) && (j + 1 == n || !cls(j + 1).contains(.extend)) ? (j + 1, Self.han) : scanAtom(at: j, c)
            if end - start > Self.maxScalars && atomCount > 0 { break }  // the next piece starts with it
            atomStart[atomCount] = j
            atomKind[atomCount] = kind
            atomCount += 1
            j = end
        }
        // A piece cut by the limits ends after its last punctuation sign, if there is one in
        // its second half, so that no word is cut in two.
        if j < n, !cls(j).contains(.space), !cls(j).contains(.newline) {  // stopped by a limit
            var k = atomCount - 1
            while k > atomCount / 2 && atomKind[k] != Token.Kind.punctuation.rawValue { k -= 1 }
            if k > atomCount / 2 && k + 1 < atomCount {
                atomCount = k + 1
                j = atomStart[atomCount]
            }
        }
        atomStart[atomCount] = j
        return j
    }

    func scanAtom(at j: Int, _ c: CharacterClass) -> (Int, UInt8) {
        if c.contains(.han) { return (skipExtend(j + 1), Self.han) }
        if c.contains(.digit) {
            if let e = scanEmailOrURL(at: j) { return (e, Token.Kind.latin.rawValue) }
            return scanNumber(at: j)
        }
        if c.contains(.breakScript) {
            // Scripts written without spaces that Tifa has no lexicon for: one atom, which
            // `emit` hands to ICU's word breaker.
            var k = j + 1
            while k < n && !cls(k).isDisjoint(with: [.breakScript, .extend]) { k += 1 }
            return (k, Token.Kind.word.rawValue)
        }
        if c.contains(.letter) {
            if c.contains(.ascii), let e = scanEmailOrURL(at: j) { return (e, Token.Kind.latin.rawValue) }
            return (scanLetters(at: j), Token.Kind.latin.rawValue)
        }
        if c.contains(.punctuation) {
            var k = j + 1
            while k < n && s[k] == s[j] { k += 1 }
            return (k, Token.Kind.punctuation.rawValue)
        }
        // Emoji and other symbols: a sequence with its modifiers, joiners and flags.
        var k = skipExtend(j + 1)
        if s[j] >= 0x1F1E6 && s[j] <= 0x1F1FF && k < n && s[k] >= 0x1F1E6 && s[k] <= 0x1F1FF { k += 1 }
        while k < n && s[k - 1] == 0x200D && !cls(k).contains(.space) && !cls(k).contains(.newline) {
            k = skipExtend(k + 1)
        }
        return (k, Token.Kind.symbol.rawValue)
    }

    func skipExtend(_ from: Int) -> Int {
        var k = from
        while k < n && cls(k).contains(.extend) { k += 1 }
        return k
    }

    @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && cls(k).contains(.digit) }
    @inline(__always) func isAlnum(_ k: Int) -> Bool {
        k < n && !cls(k).isDisjoint(with: [.digit, .letter])
    }

    /// Letters and digits, with inner `-`, `'`, `’`, `.`, `&`, `_` between them (COVID-19,
    /// don't, Node.js, AT&T).
    func scanLetters(at j: Int) -> Int {
        var k = j
        while true {
            while k < n && !cls(k).isDisjoint(with: [.digit, .letter, .extend]) { k += 1 }
            if k + 1 < n, [0x2D, 0x27, 0x2019, 0x2E, 0x26, 0x5F].contains(s[k]), isAlnum(k + 1) {
                k += 1
                continue
            }
            return k
        }
    }

    /// A number with its separators, range, magnitude and unit: 47065, 12.1%, 1,234.5,
    /// 3.698亿元, 2014年, 10:30, 1/3, 2019—2020学年. A digit run glued to letters is a Latin
    /// word instead (5G, 3D).
    func scanNumber(at j: Int) -> (Int, UInt8) {
        var k = digitsWithSeparators(from: j)
        if k < n && cls(k).contains(.letter) && cls(k).contains(.ascii) {
            return (scanLetters(at: j), Token.Kind.latin.rawValue)
        }
        let beforeRange = k
        // A range of two numbers is one token only when a unit follows (2019—2020学年).
        if k + 1 < n, [0x2014, 0x2013, 0x2D, 0x7E, 0xFF5E, 0x81F3].contains(s[k]), isDigit(k + 1) {
            let e = digitsWithSeparators(from: k + 1)
            if unitLength(at: magnitudeEnd(e)) > 0 && calendarUnitFits(digitsFrom: k + 1, to: e, unitAt: e) { k = e }
        }
        let numberEnd = k
        k = magnitudeEnd(k)
        if k == numberEnd && !calendarUnitFits(digitsFrom: j, to: beforeRange, unitAt: k) { return (k, Token.Kind.number.rawValue) }
        k += unitLength(at: k)
        return (k, Token.Kind.number.rawValue)
    }

    /// A calendar unit joins a number that can be what it names: 年 a 4-digit year (2014年,
    /// while 10年 is a duration: 10 / 年), 月 1–12, 日 and 号 1–31, 时 分 秒 0–60. Other units
    /// (currency, percent) always fit.
    func calendarUnitFits(digitsFrom j: Int, to e: Int, unitAt u: Int) -> Bool {
        guard let unit = unitMatch(at: u), unit.kind == Segmenter.UnitKind.calendar.rawValue else { return true }
        var value = 0
        var digits = 0
        for i in j..<e {
            let v = s[i]
            guard isDigit(i) else { return false }  // 1.5年, 1,000年: not a date
            value = value &* 10 &+ Int(v >= 0xFF10 ? v - 0xFF10 : v - 0x30)
            digits += 1
        }
        switch s[u] {
        case 0x5E74, 0x5B66: return digits == 4                   // 年 年度 学年
        case 0x6708: return (1...12).contains(value) && digits <= 2  // 月 月份
        case 0x65E5, 0x53F7: return (1...31).contains(value) && digits <= 2  // 日 号
        default: return value <= 60 && digits <= 2                // 时 分 秒
        }
    }

    func digitsWithSeparators(from j: Int) -> Int {
        var k = j
        while isDigit(k) { k += 1 }
        while k + 1 < n, [0x2E, 0x2C, 0x3A, 0x2F, 0xFF0E].contains(s[k]), isDigit(k + 1) {
            k += 1
            while isDigit(k) { k += 1 }
        }
        return k
    }

    /// After digits: 十 百 千 万 亿 (3.698亿, 10万亿).
    func magnitudeEnd(_ from: Int) -> Int {
        var k = from
        while k < n, [0x5341, 0x767E, 0x5343, 0x4E07, 0x4EBF].contains(s[k]) { k += 1 }
        return k
    }

    /// Length of the longest unit of `number_units.tsv` at `k`, 0 if none.
    func unitLength(at k: Int) -> Int {
        unitMatch(at: k)?.length ?? 0
    }

    func unitMatch(at k: Int) -> (length: Int, kind: Int32)? {
        let units = segmenter.units
        var e = Lexicon.Edge.start
        var q = k
        var found: (Int, Int32)?
        while q < n {
            e = units.step(e, s[q])
            if !e.exists { break }
            q += 1
            if e.isWord { found = (q - k, e.cost) }
        }
        return found
    }

    /// A URL (scheme:// or www.) or an e-mail address starting at `j`, up to its end.
    func scanEmailOrURL(at j: Int) -> Int? {
        @inline(__always) func ascii(_ k: Int) -> UInt32 { k < n && s[k] < 0x80 ? s[k] : 0 }
        func isURLChar(_ v: UInt32) -> Bool {
            v > 0x20 && v < 0x7F && v != 0x22 && v != 0x3C && v != 0x3E && v != 0x5C && v != 0x5E && v != 0x60 && v != 0x7B && v != 0x7D && v != 0x7C
        }
        func isLocalChar(_ v: UInt32) -> Bool {
            (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x2E || v == 0x5F || v == 0x25 || v == 0x2B || v == 0x2D
        }
        func trimURL(_ end: Int) -> Int {
            var e = end
            while e > j, [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x27].contains(s[e - 1]) { e -= 1 }
            return e
        }
        // scheme://
        var k = j
        while (ascii(k) >= 0x61 && ascii(k) <= 0x7A) || (ascii(k) >= 0x41 && ascii(k) <= 0x5A) { k += 1 }
        if k > j && k - j <= 10 && ascii(k) == 0x3A && ascii(k + 1) == 0x2F && ascii(k + 2) == 0x2F {
            var e = k + 3
            while isURLChar(ascii(e)) { e += 1 }
            if e > k + 3 { return trimURL(e) }
        }
        // www.
        if k - j == 3, [0x77, 0x57].contains(s[j]), (s[j + 1] | 0x20) == 0x77, (s[j + 2] | 0x20) == 0x77, ascii(k) == 0x2E {
            var e = k
            while isURLChar(ascii(e)) { e += 1 }
            return trimURL(e)
        }
        // local@domain.tld
        k = j
        while isLocalChar(ascii(k)) { k += 1 }
        if k > j, ascii(k) == 0x40 {
            var e = k + 1
            var dots = 0
            var lastDot = -1
            while true {
                let v = ascii(e)
                if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x2D { e += 1; continue }
                if v == 0x2E && e > lastDot + 1, isAlnum(e + 1), s[e + 1] < 0x80 { dots += 1; lastDot = e; e += 1; continue }
                break
            }
            if dots > 0 && e > k + 1 { return e }
        }
        return nil
    }

    // MARK: Lattice

    func solve(search: Bool, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        let m = atomCount
        guard m > 0 else { return }
        let r0 = atomStart[0]
        let end = atomStart[m]
        // A lone scanned atom (a number, a Latin word between spaces) needs no lattice unless a
        // lexicon word could start with it; a stretch longer than the buffers (one huge atom)
        // is given atom by atom.
        if (m == 1 && atomKind[0] != Self.han && !lexicon.step(.start, s[r0]).exists) || end - r0 > Self.maxScalars {
            for k in 0..<m {
                emit(atomStart[k]..<atomStart[k + 1], atomKind[k] == Self.han ? .word : Token.Kind(rawValue: atomKind[k])!, .scanned, body)
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
                if v < 0x10000 { lexicon.prefetchStep(lexicon.root[Int(v)], s[ahead + 1]) }
                if ahead + Self.prefetchDistance < end { lexicon.prefetchStep(.start, s[ahead + Self.prefetchDistance]) }
            }
            let first = lexicon.rootStep(s[p])
            // The atom alone.
            if kind == Self.han {
                let single = first
                if single.isWord && atomLength == 1 {
                    let c = Int64(single.cost)
                    relax(k + 1, from: k, cost: base &+ outside &+ c, Self.ruleSingle, Int32(c), .word)
                } else {
                    relax(k + 1, from: k, cost: base &+ outside &+ Self.unknownCharacterCost, Self.ruleUnknown, 0, .word)
                }
            } else {
                relax(k + 1, from: k, cost: base &+ outside &+ Self.scannedCost, Self.ruleScanned, 0, Token.Kind(rawValue: kind)!)
            }
            // Lexicon words from here that end on an atom boundary.
            var edge = first
            var q = p + 1
            while edge.exists {
                if edge.isWord { wordEnd(edge, k, p, q, base: base, end: end, r0: r0) }
                if q >= end { break }
                edge = lexicon.step(edge, s[q])
                q += 1
            }
            if kind == Self.han {
                let v = s[p]
                if v == 0x7B2C || cls(p).contains(.hanNumeral) { numeralEdges(k, base: base, end: end, r0: r0) }
                if v < 0x10000 && transliteration[Int(v)] { transliterationEdges(k, base: base, end: end, r0: r0) }
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
        if let input = modelInput {
            fillModelInput(input, pathCount: count)
            if let collect {
                collect(input, m, atomStart)
                return
            }
            if let model {
                runModel(model, input)
                emitModelTokens(search: search, body)
                return
            }
        }
        var from = 0
        while count > 0 {
            count -= 1
            let a = Int(path[count])
            let range = atomStart[from]..<atomStart[a]
            let kind = Token.Kind(rawValue: backKind[a])!
            if search && range.count >= 3 && (kind == .word || kind == .formula) {
                emitSubwords(range, body)
            }
            emit(range, kind, Self.rule(backRule[a], cost: backCost[a]), body)
            from = a
        }
    }

    /// A lexicon word from atom `k` (at scalar `p`) ending at scalar `q`: an edge if `q` is an
    /// atom boundary, and the word plus a productive suffix after it.
    @inline(__always)
    func wordEnd(_ edge: Lexicon.Edge, _ k: Int, _ p: Int, _ q: Int, base: Int64, end: Int, r0: Int) {
        let a = atomAt[q - r0]
        if a < 0 { return }
        if let input = modelInput {
            // Longest lexicon words starting and ending here, for the model (in atoms, 4 = 4+).
            let atoms = UInt8(min(Int(a) - k, 4))
            if input.startLength[k] < atoms { input.startLength[k] = atoms }
            if input.endLength[Int(a) - 1] < atoms { input.endLength[Int(a) - 1] = atoms }
        }
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
        // the word (泸定 163 + 县委 103) on every frequency scale.
        if layer == .place && q < end && wordStarts(at: q - 1, cheaperThan: c) && !wordStarts(at: q, cheaperThan: Lexicon.Edge.maxCost + 1) {
            let a1 = atomAt[q - 1 - r0]
            if length >= 3 && a1 >= 0 {
                relax(Int(a1), from: k, cost: base &+ penalty &- (Self.forcedWeight &+ Self.userWeight) &+ Int64(c), Self.ruleLexicon + layer.rawValue, c, .word)
            }
            return
        }
        relax(Int(a), from: k, cost: base &+ penalty &+ Int64(c), Self.ruleLexicon + layer.rawValue, c, layer == .forcedPhrase ? .formula : .word)
        // A productive suffix after a word of 2+ characters (现代 + 化); never after a place
        // name, which has its own (泸定县 + 委 is 泸定 县委, 咸阳市 + 级 is 咸阳 市级); a
        // nominal suffix (村 县 学 …) only after a noun (推行 村级, not 推行村 级); and like a
        // place name, the suffix yields to a cheaper word starting with it (基层 站所).
        if length >= 2 && q < end && layer != .forcedPhrase && layer != .place && s[q] < 0x10000 {
            let sc = suffixCost[Int(s[q])]
            if sc > 0 && !(edge.isNotNoun && nominalSuffix[Int(s[q])]) && !wordStarts(at: q, cheaperThan: c + Int32(sc)) {
                let a2 = atomAt[q + 1 - r0]
                if a2 >= 0 {
                    relax(Int(a2), from: k, cost: base + (Self.forcedWeight + Self.userWeight) * (length + 1) + Int64(c) + Int64(sc), Self.ruleSuffix, c + Int32(sc), .word)
                }
            }
        }
    }

    /// Whether a lexicon word of 2+ characters that costs less than `cost` starts at scalar
    /// `p` (within the stretch).
    func wordStarts(at p: Int, cheaperThan cost: Int32) -> Bool {
        var e = lexicon.rootStep(s[p])
        var q = p + 1
        let end = atomStart[atomCount]
        while e.exists && q < end {
            e = lexicon.step(e, s[q])
            q += 1
            if e.isWord && e.cost < cost { return true }
        }
        return false
    }

    /// Hands a span to `body`; a scanned word atom (Thai, Lao, Khmer, Myanmar, kana) is split
    /// by ICU's word breaker first.
    @inline(__always)
    func emit(_ range: Range<Int>, _ kind: Token.Kind, _ rule: Segmenter.SpanRule, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        if kind == .word && rule == .scanned {
            splitWithICU(range, body)
        } else {
            body(range, kind, rule)
        }
    }

    func splitWithICU(_ range: Range<Int>, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        var utf16: [UInt16] = []
        var scalarAt: [Int] = []
        for i in range {
            for u in UTF16.encode(Unicode.Scalar(s[i]) ?? "\u{FFFD}")! {
                utf16.append(u)
                scalarAt.append(i)
            }
        }
        scalarAt.append(range.upperBound)
        // ICU's iterators are not thread-safe: one per run (these scripts are rare in Tifa's input).
        guard let breaker = try? ICUWordBreaker(),
              let bounds = try? utf16.withUnsafeBufferPointer({ try breaker.boundaries(utf16: $0) }) else {
            body(range, .word, .icu)
            return
        }
        var from = range.lowerBound
        for (offset, _) in bounds {
            let to = scalarAt[offset]
            if to > from { body(from..<to, .word, .icu) }
            from = to
        }
        if from < range.upperBound { body(from..<range.upperBound, .word, .icu) }
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

    /// Chinese-numeral edges from atom `k` (see the type's documentation).
    func numeralEdges(_ k: Int, base: Int64, end: Int, r0: Int) {
        let p = atomStart[k]
        let ordinal = s[p] == 0x7B2C  // 第
        guard ordinal || cls(p).contains(.hanNumeral) else { return }
        let q = ordinal ? p + 1 : p
        var e = q
        while e < end && cls(e).contains(.hanNumeral) { e += 1 }
        let runLength = e - q
        func edge(_ to: Int, _ cost: Int64) {
            let a = atomAt[to - r0]
            guard a >= 0 else { return }
            relax(Int(a), from: k, cost: base + (Self.forcedWeight + Self.userWeight) * Int64(to - p) + cost, Self.ruleNumeral, 0, .number)
        }
        if ordinal {
            if runLength > 0 { edge(e, Self.ordinalCost) }
            else if k + 1 < atomCount, atomKind[k + 1] == Token.Kind.number.rawValue, isDigit(q) {
                edge(atomStart[k + 2], Self.ordinalCost)
            }
            return
        }
        if runLength >= 2 && s[q] != 0x4E07 && s[q] != 0x4EBF { edge(e, Self.numeralRunCost) }
        // The unit may follow any prefix of the run, e.g. 二○○一年 or 十二月; try the whole run.
        guard runLength > 0, let unit = unitMatch(at: e) else { return }
        let unitText = String(String.UnicodeScalarView(s[e..<(e + unit.length)].map { Unicode.Scalar($0)! }))
        let allDigits = s[q..<e].allSatisfy { ChineseNumeral.magnitudeValue($0) == nil }
        var valid = false
        switch unit.kind {
        case Segmenter.UnitKind.calendar.rawValue:
            switch unitText {
            case "年", "年度": valid = allDigits && runLength == 4
            case "月", "月份": valid = Self.numeralValue(Array(s[q..<e])[...]).map { (1...12).contains($0) } ?? false
            case "日", "号": valid = Self.numeralValue(Array(s[q..<e])[...]).map { (1...31).contains($0) } ?? false
            default: valid = false
            }
        case Segmenter.UnitKind.currency.rawValue: valid = true
        default: valid = false
        }
        if valid { edge(e + unit.length, Self.numeralDateCost) }
    }

    /// The Chinese numeral a number atom stands for inside a formula (5 → 五, 2 → 两, 10 → 十,
    /// as `FormulaText` folds digits for the extractor), nil for any other atom and for a
    /// number touching `+` (a code: 5+2).
    func formulaNumeral(_ a: Int) -> UInt32? {
        guard atomKind[a] == Token.Kind.number.rawValue else { return nil }
        let p = atomStart[a], e = atomStart[a + 1]
        guard e - p <= 2 else { return nil }
        var value = 0
        for i in p..<e {
            guard s[i] >= 0x30 && s[i] <= 0x39 else { return nil }
            value = value * 10 + Int(s[i] - 0x30)
        }
        guard (e - p == 1 && value >= 1) || value == 10 else { return nil }
        if (p > 0 && s[p - 1] == 0x2B) || (e < n && s[e] == 0x2B) { return nil }
        return FormulaText.chineseDigits[value]
    }

    /// The first atom from `a` on that `formulaNumeral` reads, `atomCount` if none.
    func smallNumberAtom(from a: Int) -> Int {
        var k = a
        while k < atomCount && formulaNumeral(k) == nil { k += 1 }
        return k
    }

    /// Forced phrases written with Arabic digits (5个一批 for 五个一批, 3个代表): the trie is
    /// walked again from atom `k`, each small number read as its Chinese numeral; only forced
    /// phrases that cross such a number are taken (so 5年 does not become the word 五年).
    func digitFormulaEdges(_ k: Int, base: Int64, end: Int, r0: Int) {
        var e = Lexicon.Edge.start
        var folded = false
        var a = k
        while a < atomCount {
            if let numeral = formulaNumeral(a) {
                e = lexicon.step(e, numeral)
                folded = true
            } else {
                for i in atomStart[a]..<atomStart[a + 1] where e.exists { e = lexicon.step(e, s[i]) }
            }
            a += 1
            guard e.exists else { return }
            if folded && e.isWord && e.layer == .forcedPhrase {
                relax(a, from: k, cost: base &+ Int64(e.cost), Self.ruleLexicon &+ LexiconLayer.forcedPhrase.rawValue, e.cost, .formula)
            }
        }
    }

    /// A foreign name written with transliteration characters (克林顿, 拉姆斯菲尔德): runs of 3
    /// to 8 such characters starting here, each at `transliterationCost(length)`.
    func transliterationEdges(_ k: Int, base: Int64, end: Int, r0: Int) {
        let t = transliteration
        let p = atomStart[k]
        var e = p
        while e < end && e - p < 8 && s[e] < 0x10000 && t[Int(s[e])] { e += 1 }
        guard e - p >= 3 else { return }
        for q in (p + 3)...e {
            let a = atomAt[q - r0]
            if a < 0 { continue }
            let length = Int64(q - p)
            relax(Int(a), from: k, cost: base + (Self.forcedWeight + Self.userWeight) * length + Self.transliterationBase + Self.transliterationPerCharacter * length, Self.ruleTransliteration, 0, .word)
        }
    }

    /// The value of a small Chinese numeral (一, 十二, 三十一), nil when not one.
    static func numeralValue(_ run: ArraySlice<UInt32>) -> Int? {
        let digit = ChineseNumeral.digitValue
        let a = Array(run)
        switch a.count {
        case 1: return a[0] == 0x5341 ? 10 : digit(a[0])
        case 2:
            if a[0] == 0x5341 { return digit(a[1]).map { 10 + $0 } }
            if a[1] == 0x5341 { return digit(a[0]).map { $0 * 10 } }
            return nil
        case 3:
            guard a[1] == 0x5341, let t = digit(a[0]), let u = digit(a[2]) else { return nil }
            return t * 10 + u
        default: return nil
        }
    }

    /// Search mode: the lexicon words (2 or more characters) inside `range`, shortest first at
    /// each start.
    func emitSubwords(_ range: Range<Int>, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        for p in range.lowerBound..<(range.upperBound - 1) {
            var e = Lexicon.Edge.start
            var q = p
            while q < range.upperBound {
                e = lexicon.step(e, s[q])
                if !e.exists { break }
                q += 1
                if q - p >= 2, e.isWord, q - p < range.count {
                    body(p..<q, .word, .subword)
                }
            }
        }
    }

    // MARK: Model

    /// What the model sees of the current stretch, from the scanner's atoms and the lattice's
    /// best path (`path[0..<pathCount]`, ends of tokens from the last).
    func fillModelInput(_ input: ModelInput, pathCount: Int) {
        let m = atomCount
        typealias Model = SegmentationModel
        let sym = input.symbols
        sym[0] = Model.symbolStart; sym[1] = Model.symbolStart
        sym[m + 2] = Model.symbolEnd; sym[m + 3] = Model.symbolEnd
        for k in 0..<m {
            let p = atomStart[k]
            let v = s[p]
            let single = atomStart[k + 1] - p == 1 && v < 0x10000
            sym[k + 2] = switch atomKind[k] {
            case Self.han: single ? UInt16(v) : Model.symbolRareHan
            case Token.Kind.number.rawValue: Model.symbolNumber
            case Token.Kind.latin.rawValue: Model.symbolLatin
            case Token.Kind.punctuation.rawValue: single ? UInt16(v) : Model.symbolPunctuation
            case Token.Kind.word.rawValue: Model.symbolScript
            default: Model.symbolOther
            }
        }
        var from = 0
        var c = pathCount
        while c > 0 {
            c -= 1
            let to = Int(path[c])
            let rule = backRule[to]
            let kind = backKind[to]
            var fixed = kind == Token.Kind.formula.rawValue || kind == Token.Kind.number.rawValue
                || rule == Self.ruleLexicon + LexiconLayer.user.rawValue || rule == Self.ruleLexicon + LexiconLayer.forcedPhrase.rawValue
            for k in from..<to where atomKind[k] != Self.han { fixed = true }
            let ruleClass = rule >= Self.ruleLexicon ? UInt8(min(Int(rule - Self.ruleLexicon) + 8, Model.ruleClasses - 1)) : rule
            let length = to - from
            for k in from..<to {
                let tag = length == 1 ? Model.tagS : k == from ? Model.tagB : k == to - 1 ? Model.tagE : Model.tagM
                input.latticeTag[k] = tag
                input.ruleClass[k] = ruleClass
                input.tokenLength[k] = UInt8(min(length, 255))
                input.fixed[k] = fixed ? tag : Model.free
                tokenEnd[k] = Int32(to)
            }
            from = to
        }
    }

    /// Sets `modelTags` to the model's tags: the lattice's outside the windows, the model's
    /// inside them. A window is a run of free tokens that are unsure or next to an unsure one.
    func runModel(_ model: SegmentationModel, _ input: ModelInput) {
        let m = atomCount
        typealias Model = SegmentationModel
        for k in 0..<m { modelTags[k] = input.latticeTag[k] }
        @inline(__always) func isSingle(_ k: Int) -> Bool {
            k >= 0 && k < m && input.fixed[k] == Model.free && input.tokenLength[k] == 1 && (input.ruleClass[k] == Self.ruleSingle || input.ruleClass[k] == Self.ruleUnknown)
        }
        /// Whether the token starting at atom k is one the lattice may have wrong: a single
        /// character, a word + productive suffix, a transliterated name (see DESIGN.md for the
        /// measurements that chose this gate).
        @inline(__always) func unsure(_ k: Int) -> Bool {
            guard k >= 0 && k < m && input.fixed[k] == Model.free else { return false }
            let rule = input.ruleClass[k]
            return rule == Self.ruleSuffix || rule == Self.ruleTransliteration || isSingle(k)
        }
        var windowCount = 0
        var windowStart = -1
        var k = 0
        var previousUnsure = false
        var currentUnsure = unsure(0)
        while k < m {
            let next = Int(tokenEnd[k])
            let nextUnsure = next < m && unsure(next)
            let inWindow = input.fixed[k] == Model.free && (currentUnsure || previousUnsure || nextUnsure)
            if inWindow && windowStart < 0 { windowStart = k }
            if !inWindow && windowStart >= 0 {
                modelWindows[2 * windowCount] = Int32(windowStart)
                modelWindows[2 * windowCount + 1] = Int32(k)
                windowCount += 1
                windowStart = -1
            }
            previousUnsure = currentUnsure
            currentUnsure = nextUnsure
            k = next
        }
        if windowStart >= 0 {
            modelWindows[2 * windowCount] = Int32(windowStart)
            modelWindows[2 * windowCount + 1] = Int32(m)
            windowCount += 1
        }
        model.decode(input, count: m, windows: modelWindows, windowCount: windowCount, scores: modelScores, back: modelBack, tags: modelTags)
    }

    /// Emits the tokens of the model's tags; a token the lattice had too keeps its rule.
    func emitModelTokens(search: Bool, _ body: (Range<Int>, Token.Kind, Segmenter.SpanRule) -> Void) {
        let m = atomCount
        let input = modelInput!
        var k = 0
        while k < m {
            var last = k
            while last + 1 < m && modelTags[last] != SegmentationModel.tagE && modelTags[last] != SegmentationModel.tagS { last += 1 }
            let to = last + 1
            let range = atomStart[k]..<atomStart[to]
            let sameAsLattice = Int(tokenEnd[k]) == to && (input.latticeTag[k] == SegmentationModel.tagB || input.latticeTag[k] == SegmentationModel.tagS)
            let kind = sameAsLattice ? Token.Kind(rawValue: backKind[to])! : .word
            if search && range.count >= 3 && (kind == .word || kind == .formula) {
                emitSubwords(range, body)
            }
            if sameAsLattice {
                emit(range, kind, Self.rule(backRule[to], cost: backCost[to]), body)
            } else {
                body(range, .word, .model)
            }
            k = to
        }
    }
}
