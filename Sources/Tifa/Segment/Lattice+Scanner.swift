/// The lattice's scanner: cuts a stretch of text into atoms (a Han character, a number with its
/// unit, a Latin word, a URL or e-mail address, a run of one punctuation sign, …).
extension Lattice {
    /// Cuts atoms from `start` up to the next whitespace (or `maxAtoms`); returns where it stopped.
    mutating func scanAtoms(from start: Int) -> Int {
        atomCount = 0
        hasNameDot = false
        var j = start
        while j < n && atomCount < Self.maxAtoms && j - start < Self.maxScalars {
            let c = cls(j)
            if c.contains(.space) || c.contains(.newline) { break }
            // Most atoms are one Han character: no call for them.
            var end = j + 1, kind = Self.han
            if !(c.contains(.han) && !c.contains(.hanNumeral) && (j + 1 == n || !cls(j + 1).contains(.extend))) {
                (end, kind) = scanAtom(at: j, c)
                if end == j + 1 && kind == Token.Kind.punctuation.rawValue && Self.isNameDot(s[j]) { hasNameDot = true }
            }
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
        if c.contains(.han) {
            if c.contains(.hanNumeral), let year = mixedZeroYearEnd(at: j) { return (year, Token.Kind.number.rawValue) }
            return (skipExtend(j + 1), Self.han)
        }
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
        // A minus sign (- or −) before digits, not after a letter or digit (气温-5℃, 增长−2.3%;
        // but 3-5, A-1): a negative number, one token as other numbers are. Nor right after a
        // number with its unit, where the sign is a range's dash (1939年－1945年, 14日－18日,
        // 3.5%-4.5%, 618年－907年): encyclopedic text writes every life and reign so, and the
        // year came out negative.
        if (s[j] == 0x2D || s[j] == 0x2212) && isDigit(j + 1) && (j == 0 || !isAlnum(j - 1)) && !followsNumber(atomCount, at: j) {
            let (end, kind) = scanNumber(at: j + 1)
            if kind == Token.Kind.number.rawValue { return (end, kind) }
        }
        // Taiwan's ellipsis ⋯⋯ (U+22EF, a mathematical sign to Unicode) is punctuation, one token
        // per run as …… is.
        if c.contains(.punctuation) || s[j] == 0x22EF {
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

    /// Whether atom `k`, being scanned at `j` (its start is not stored yet), comes right after a
    /// number: a number atom (2014年, 3.5%), or a calendar unit or degree sign after one that did
    /// not join it (618 年: three digits are not a year outside a range of years; 5 ℃-10 ℃).
    func followsNumber(_ k: Int, at j: Int) -> Bool {
        guard k > 0 else { return false }
        if atomKind[k - 1] == Token.Kind.number.rawValue { return true }
        guard k > 1, atomKind[k - 2] == Token.Kind.number.rawValue, j - atomStart[k - 1] == 1 else { return false }
        return [0x5E74, 0x6708, 0x65E5, 0x53F7, 0x2103, 0x2109, 0xB0].contains(s[atomStart[k - 1]])  // 年 月 日 号 ℃ ℉ °
    }

    func skipExtend(_ from: Int) -> Int {
        var k = from
        while k < n && cls(k).contains(.extend) { k += 1 }
        return k
    }

    @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && cls(k).contains(.digit) }
    /// The value of the digit at `k` (ASCII or full-width; `isDigit(k)` holds).
    @inline(__always) func digitValue(at k: Int) -> Int {
        let v = s[k]
        return Int(v >= 0xFF10 ? v - 0xFF10 : v - 0x30)
    }
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
    /// 3.698亿元, 2014年, 10:30, 1/3, 2019—2020学年, 2023-05-12. A digit run glued to letters is
    /// a Latin word instead (5G, 3D).
    func scanNumber(at j: Int) -> (Int, UInt8) {
        if let date = isoDateEnd(at: j) { return (date, Token.Kind.number.rawValue) }
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
        // A number with a magnitude is an amount, never a date: 6500万 年 (65 million years), as
        // 3.698亿元 keeps its currency.
        if k > numberEnd, let unit = unitMatch(at: k), unit.kind == Segmenter.UnitKind.calendar.rawValue { return (k, Token.Kind.number.rawValue) }
        k += unitLength(at: k)
        return (k, Token.Kind.number.rawValue)
    }

    /// The end of a year in Chinese numerals whose zeros were typed as a digit or a letter
    /// (二0二三年, 二O二三年, 二００一年: an input method's habit, common in the dates that close
    /// official notices), or nil: four numerals of one digit each, at least one of them such a
    /// zero, then 年. One number token, as 二〇二三年 is; it came out 二 0 二三 年.
    func mixedZeroYearEnd(at j: Int) -> Int? {
        guard j + 4 < n, s[j + 4] == 0x5E74 else { return nil }  // 年
        var typedZero = false
        for k in j..<(j + 4) {
            switch s[k] {
            case 0x30, 0xFF10, 0x4F, 0xFF2F: typedZero = true  // 0 ０ O Ｏ
            case 0x4E24: return nil  // 两: a count, never a digit of a year
            case let v where ChineseNumeral.digitValue(v) != nil: break  // 〇 ○ 零 一 … 九
            default: return nil
            }
        }
        return typedZero ? j + 5 : nil
    }

    /// The end of a date written year-month-day with hyphens (2023-05-12, 2023-5-1), as web
    /// pages date their articles: one token, as 2023/05/12 and 2023年5月12日 are, not a year
    /// and two ranges. Nil unless the month is 1–12, the day 1–31 and no digit or letter follows.
    func isoDateEnd(at j: Int) -> Int? {
        func field(_ from: Int, _ lengths: ClosedRange<Int>, _ values: ClosedRange<Int>) -> Int? {
            var k = from, value = 0
            while k < n && isDigit(k) && k - from < 5 {
                value = value * 10 + digitValue(at: k)
                k += 1
            }
            return lengths.contains(k - from) && values.contains(value) ? k : nil
        }
        guard let year = field(j, 4...4, 1000...2999), year < n, s[year] == 0x2D,
              let month = field(year + 1, 1...2, 1...12), month < n, s[month] == 0x2D,
              let day = field(month + 1, 1...2, 1...31), !isAlnum(day) else { return nil }
        return day
    }

    /// A calendar unit joins a number that can be what it names: 年 a 4-digit year or a year
    /// after an era's name (2014年, 公元前221年, 民國109年; while 10年 is a duration: 10 / 年), 月 1–12, 日 and 号 1–31,
    /// 时 分 秒 0–60. Other units (currency, percent) always fit.
    func calendarUnitFits(digitsFrom j: Int, to e: Int, unitAt u: Int) -> Bool {
        guard let unit = unitMatch(at: u), unit.kind == Segmenter.UnitKind.calendar.rawValue else { return true }
        guard let value = digitsValue(j, e) else { return false }  // 1.5年, 1,000年: not a date
        let digits = e - j
        switch s[u] {
        case 0x5E74 where u + 1 < n && s[u + 1] == 0x4EE3: return false  // 1990 年代, the decade, as 90 年代
        case 0x5E74, 0x5B66:  // 年 年度 学年
            return digits == 4 || (s[u] == 0x5E74 && (afterEra(j) || (digits == 3 && (monthFollows(u) || isYearRangeEnd(digitsFrom: j, value: value, unitAt: u)))))
        case 0x6708: return (1...12).contains(value) && digits <= 2  // 月 月份
        case 0x65E5, 0x53F7: return (1...31).contains(value) && digits <= 2  // 日 号
        default:                                                   // 时 分 秒, but 15 分钟, 30 秒钟
            return value <= 60 && digits <= 2 && !(u + 1 < n && s[u + 1] == 0x949F && (s[u] == 0x5206 || s[u] == 0x79D2))
        }
    }

    /// The value of the characters from `from` to `to` (exclusive) read as decimal digits (0 for
    /// none; wrapping, as a long run only needs to fail the ranges it is checked against), nil
    /// when one of them is not a digit.
    func digitsValue(_ from: Int, _ to: Int) -> Int? {
        var value = 0
        for i in from..<to {
            guard isDigit(i) else { return nil }
            value = value &* 10 &+ digitValue(at: i)
        }
        return value
    }

    /// Whether a month follows 年 at `u` (1–12 in digits and 月): then a number of three digits
    /// before it is a year, as in a date (唐太宗（598年1月28日－649年7月10日）).
    func monthFollows(_ u: Int) -> Bool {
        var e = u + 1
        while isDigit(e) && e - u <= 2 { e += 1 }
        guard e > u + 1, !isDigit(e), e < n, s[e] == 0x6708, let month = digitsValue(u + 1, e) else { return false }
        return (1...12).contains(month)
    }

    /// Whether a number of three digits with its 年 (`value`, digits from `j`, 年 at `u`) is one end
    /// of a range of years written out on both sides, the later year second: 唐朝（618年－907年）,
    /// 李白（701年－762年）, as encyclopedic text dates ancient lives and reigns. Alone, 618年 stays
    /// 618 年 (500年 is as often a duration), and so do ranges of durations, 3年－5年 (fewer digits).
    func isYearRangeEnd(digitsFrom j: Int, value: Int, unitAt u: Int) -> Bool {
        let dashes: [UInt32] = [0x2D, 0x2013, 0x2014, 0xFF0D, 0x7E, 0xFF5E, 0x301C]
        /// The value of the 3- or 4-digit number from `from` to `to` (exclusive), nil otherwise.
        func year(_ from: Int, _ to: Int) -> Int? {
            guard from >= 0, (3...4).contains(to - from) else { return nil }
            return digitsValue(from, to)
        }
        // The earlier end: 年, a dash, digits and 年 after it.
        if u + 2 < n, dashes.contains(s[u + 1]), isDigit(u + 2) {
            var e = u + 2
            while isDigit(e) { e += 1 }
            if e < n, s[e] == 0x5E74, let later = year(u + 2, e), later >= value { return true }
        }
        // The later end: digits, 年 and a dash before it.
        if j >= 5, dashes.contains(s[j - 1]), s[j - 2] == 0x5E74 {
            var b = j - 2
            while b > 0 && isDigit(b - 1) && j - 2 - b < 4 { b -= 1 }
            if b == 0 || !isDigit(b - 1), let earlier = year(b, j - 2), earlier <= value { return true }
        }
        return false
    }

    /// Whether the number at `j` follows the name of an era, after which it is a year of any
    /// length: 公元 or Taiwan's 西元, with 前 for BC (公元前221年), or 民国, the Republic of
    /// China's calendar that Taiwan's official texts date by (民國109年 is 2020).
    func afterEra(_ j: Int) -> Bool {
        guard j >= 2 else { return false }
        if s[j - 2] == 0x6C11 && s[j - 1] == 0x56FD { return true }  // 民国
        var k = j
        if s[k - 1] == 0x524D { k -= 1 }  // 前
        return k >= 2 && (s[k - 2] == 0x516C || s[k - 2] == 0x897F) && s[k - 1] == 0x5143  // 公元 西元
    }

    func digitsWithSeparators(from j: Int) -> Int {
        var k = j
        while isDigit(k) { k += 1 }
        // . , : / ．, the ratio sign ∶ of Chinese typesetting (3∶0, 10∶30), which NFKC leaves,
        // and a middle dot between digits: the date that names an event (5·12, 9·11, 3·15, Big5's
        // 9‧11), or an old decimal point (7·5%); one token in PKU, where a name's dot is not.
        while k + 1 < n, [0x2E, 0x2C, 0x3A, 0x2F, 0xFF0E, 0x2236, 0xB7, 0x2027, 0x30FB, 0xFF65].contains(s[k]), isDigit(k + 1) {
            k += 1
            while isDigit(k) { k += 1 }
        }
        return k
    }

    /// After digits: 十 百 千 万 亿 兆, each larger than the one before (3.698亿, 10万亿, 3千万,
    /// 1.2兆元 — Taiwan's and Hong Kong's trillion); a smaller one starts a word instead (5万 千瓦,
    /// not 5万千 瓦), and so does 千 before a metric base unit, where it is the prefix kilo- (300
    /// 千米, 50 千克, 2 千瓦时, as every standard writes them; 5千吨 and 3千万 stay numbers), and 兆
    /// before one, where it is mega- (100 兆瓦, 5 兆赫, 20 兆字节).
    func magnitudeEnd(_ from: Int) -> Int {
        let magnitudes: [UInt32] = [0x5341, 0x767E, 0x5343, 0x4E07, 0x4EBF, 0x5146]  // 十 百 千 万 亿 兆, ascending
        var k = from
        var smallest = 0
        while k < n, let rank = magnitudes.firstIndex(of: s[k]), rank >= smallest {
            if k + 1 < n {
                if s[k] == 0x5343 && Self.kiloUnits.contains(s[k + 1]) { break }
                if s[k] == 0x5146 && Self.megaUnits.contains(s[k + 1]) { break }
            }
            smallest = rank + 1
            k += 1
        }
        return k
    }

    /// Base units that 千 prefixes as kilo- (千米 千克 千瓦 千伏 千帕 千焦 千卡 千赫 千升 千兆).
    static let kiloUnits: Set<UInt32> = [0x7C73, 0x514B, 0x74E6, 0x4F0F, 0x5E15, 0x7126, 0x5361, 0x8D6B, 0x5347, 0x5146]

    /// Units that 兆 prefixes as mega- (兆瓦 兆赫 兆字节 兆位 兆比特 兆帕 兆焦 兆伏 兆欧 兆吨 兆克 兆升 兆卡).
    static let megaUnits: Set<UInt32> = [0x74E6, 0x8D6B, 0x5B57, 0x4F4D, 0x6BD4, 0x5E15, 0x7126, 0x4F0F, 0x6B27, 0x5428, 0x514B, 0x5347, 0x5361]

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
}
