import Foundation

/// Finds the furniture of scraped web pages — breadcrumbs, previous/next links, share and print
/// bars, editor, source and date lines, copyright and disclaimer blocks, site footers — by the
/// line rules of `Dictionaries/web_chrome.tsv`.
///
/// A rule is a regular expression over one whole normalized line (leading bullets stripped),
/// guarded by literal cues so that ordinary lines cost one table lookup per character. Rules
/// of tier `page` name lines only web pages have; rules of tier `meta` (来源：…, 电话：…) apply
/// only to text that has a `page` line, so a report that quotes a phone number keeps it.
///
/// Immutable and `Sendable` (`NSRegularExpression` is thread-safe); build once (`shared()`).
/// Cost: loading compiles ~20 expressions (< 5 ms); finding is one pass over the text plus one
/// expression match per line that holds a cue.
public final class WebChrome: @unchecked Sendable {
    public enum Tier: String, Sendable, Codable {
        /// A line only web pages have; marks the text as a scraped page.
        case page
        /// Chrome on a web page, but possible elsewhere: removed only from scraped pages.
        case meta
    }

    public struct Rule: @unchecked Sendable {
        public let name: String
        public let tier: Tier
        let cues: [[Unicode.Scalar]]
        let expression: NSRegularExpression
        /// What the expression implies about a line it matches, read from its text
        /// (`LineShape`): a line without that shape is rejected before the line becomes a
        /// string and meets `NSRegularExpression` (most lines that hold a cue, e.g. 报).
        let shape: LineShape
        /// The line heads a list of links (相关新闻, 推荐阅读): the headlines under it are
        /// chrome too (`isListItem`).
        let headsList: Bool
    }

    /// A necessary condition for a whole-line match, derived from a pattern's literal start
    /// and end: the first character is one of `firstScalars` (`^本…`, `^(上一篇|下一篇)…`,
    /// `^(发布|更新)?(时间|日期)…`) and the last is `lastScalar` (`…日$`). Either is nil when
    /// the pattern does not pin it down in one of these simple forms; deriving it gives up
    /// (nil) on anything else, so the condition is never stricter than the expression.
    struct LineShape: Equatable {
        var firstScalars: Set<UInt32>?
        var lastScalar: UInt32?

        init(pattern: String) {
            let p = Array(pattern.unicodeScalars).map(\.value)
            // A `|` outside every group splits the whole pattern: nothing is derived.
            guard !Self.hasTopLevelAlternation(p) else { return }
            if p.first == 0x5E /* ^ */ { firstScalars = Self.first(p[1...]) }
            if p.count >= 2, p.last == 0x24 /* $ */, !Self.isSyntax(p[p.count - 2]), p.count < 3 || p[p.count - 3] != 0x5C {
                lastScalar = p[p.count - 2]
            }
        }

        init(firstScalars: Set<UInt32>?, lastScalar: UInt32?) {
            self.firstScalars = firstScalars
            self.lastScalar = lastScalar
        }

        /// Whether a line (not empty) may match: decided by its first and last character.
        @inline(__always)
        func admits(first: UInt32, last: UInt32) -> Bool {
            if let firstScalars, !firstScalars.contains(first) { return false }
            // `$` also matches before a line terminator that ends the text.
            if let lastScalar, last != lastScalar, !Self.isLineTerminator(last) { return false }
            return true
        }

        static func isLineTerminator(_ v: UInt32) -> Bool { (0x0A...0x0D).contains(v) || v == 0x85 || v == 0x2028 || v == 0x2029 }

        /// Characters with a meaning in ICU's pattern syntax (and `#` and space, which
        /// have one under flags the rules do not use: excluded all the same).
        static func isSyntax(_ v: UInt32) -> Bool {
            v < 0x80 && "\\.[](){}?*+|^$#- ".unicodeScalars.contains { $0.value == v }
        }

        /// The characters a match of `p` can start with, if `p` starts with a literal or with
        /// a group of alternatives that each start so (optionally followed by `?` or `*`, then
        /// also what follows); nil otherwise.
        static func first(_ p: ArraySlice<UInt32>) -> Set<UInt32>? {
            guard let c = p.first else { return nil }
            let i = p.startIndex
            if c == 0x28 /* ( */ {
                guard i + 1 < p.endIndex, p[i + 1] != 0x3F /* ? */, let close = groupClose(p, from: i) else { return nil }
                var set = Set<UInt32>()
                for alternative in alternatives(p[(i + 1)..<close]) {
                    guard let s = first(alternative) else { return nil }
                    set.formUnion(s)
                }
                let after = close + 1
                guard after < p.endIndex else { return set }
                switch p[after] {
                case 0x3F, 0x2A:  // ? *: the group may be absent
                    guard after + 1 < p.endIndex, !isSyntax(p[after + 1]) || p[after + 1] == 0x28,
                          let rest = first(p[(after + 1)...]) else { return nil }
                    return set.union(rest)
                case 0x7B: return nil  // {n,m}: may be {0,…}
                default: return set
                }
            }
            guard !isSyntax(c) else { return nil }
            if i + 1 < p.endIndex, [0x3F, 0x2A, 0x7B].contains(p[i + 1]) { return nil }  // c? c* c{…}
            return [c]
        }

        /// The index of the `)` closing the group opened at `open`, nil if none or if the group
        /// holds an escape or a class.
        static func groupClose(_ p: ArraySlice<UInt32>, from open: Int) -> Int? {
            var depth = 0
            for k in (open + 1)..<p.endIndex {
                switch p[k] {
                case 0x5C, 0x5B: return nil  // \ [
                case 0x28: depth += 1
                case 0x29:
                    if depth == 0 { return k }
                    depth -= 1
                default: break
                }
            }
            return nil
        }

        /// The `|`-separated alternatives of a group's contents (not those of inner groups).
        static func alternatives(_ p: ArraySlice<UInt32>) -> [ArraySlice<UInt32>] {
            var parts: [ArraySlice<UInt32>] = []
            var depth = 0, start = p.startIndex
            for k in p.indices {
                switch p[k] {
                case 0x28: depth += 1
                case 0x29: depth -= 1
                case 0x7C where depth == 0: parts.append(p[start..<k]); start = k + 1
                default: break
                }
            }
            parts.append(p[start...])
            return parts
        }

        /// Whether `p` has a `|` outside every group and class (escapes skipped).
        static func hasTopLevelAlternation(_ p: [UInt32]) -> Bool {
            var depth = 0, inClass = false, k = 0
            while k < p.count {
                switch p[k] {
                case 0x5C: k += 1
                case 0x5B: inClass = true
                case 0x5D: inClass = false
                case 0x28 where !inClass: depth += 1
                case 0x29 where !inClass: depth -= 1
                case 0x7C where !inClass && depth == 0: return true
                default: break
                }
                k += 1
            }
            return false
        }
    }

    /// A chrome line: `range` covers its characters and its line break.
    public struct Line: Sendable, Equatable {
        public var range: Range<Int>
        public var rule: String
    }

    public let rules: [Rule]
    /// Bits over the BMP: set for the first character of any cue.
    private let cueStarts: [UInt64]
    /// The cues by their first character, each with its rule's index, in rule order: a line's
    /// character that starts a cue is compared with those cues only, not with every rule's.
    /// `cueGroup[c]` is 1 + the index of character c's group in `cuesByStart` (0: none), so
    /// the loop over a line's characters needs no hashing (cues start with common characters:
    /// 网, 报, 本, 上 …).
    private let cuesByStart: [[(rule: Int, cue: [UInt32])]]
    private let cueGroup: [UInt8]
    /// Lines longer than this are report text, never chrome.
    public static let maximumLineLength = 300

    public static func shared() throws -> WebChrome { try sharedResult.get() }
    private static let sharedResult: Result<WebChrome, Error> = Result {
        try WebChrome(rules: DataFiles.dictionary("web_chrome.tsv"))
    }

    public init(rules file: URL) throws {
        var rules: [Rule] = []
        var starts = [UInt64](repeating: 0, count: 0x10000 / 64)
        try DataFiles.forEachDataLine(in: file) { line, _ in
            let fields = DataFiles.tabFields(line).map(String.init)
            guard fields.count == 4 || (fields.count == 5 && fields[4] == "list"), let tier = Tier(rawValue: fields[1]), !fields[0].isEmpty else {
                throw DataFileError(message: "expected `rule<TAB>page|meta<TAB>cue|cue…<TAB>pattern[<TAB>list]`")
            }
            let cues = fields[2].split(separator: "|").map { Array($0.unicodeScalars) }
            guard !cues.isEmpty, cues.allSatisfy({ !$0.isEmpty && $0[0].value < 0x10000 }) else {
                throw DataFileError(message: "a rule needs one or more cues (texts separated by |)")
            }
            let expression: NSRegularExpression
            do { expression = try NSRegularExpression(pattern: fields[3]) } catch {
                throw DataFileError(message: "the pattern is not a valid regular expression: \(fields[3])")
            }
            for cue in cues { starts[Int(cue[0].value >> 6)] |= 1 << UInt64(cue[0].value & 63) }
            rules.append(Rule(name: fields[0], tier: tier, cues: cues, expression: expression, shape: LineShape(pattern: fields[3]),
                              headsList: fields.count == 5))
        }
        var byStart: [[(rule: Int, cue: [UInt32])]] = []
        var group = [UInt8](repeating: 0, count: 0x10000)
        for (k, rule) in rules.enumerated() {
            for cue in rule.cues {
                let first = Int(cue[0].value)
                if group[first] == 0 {
                    guard byStart.count < Int(UInt8.max) else { throw DataFileError(file: file.path, message: "more than 255 different first characters of cues") }
                    byStart.append([])
                    group[first] = UInt8(byStart.count)
                }
                byStart[Int(group[first]) - 1].append((k, cue.map(\.value)))
            }
        }
        self.rules = rules
        self.cueStarts = starts
        self.cuesByStart = byStart
        self.cueGroup = group
    }

    /// Leading characters stripped before the rules see a line: list bullets and spaces. A short
    /// list, searched without hashing.
    static let bullets: [UInt32] = " \t•·‧◎□■●▲►▶*-—◆◇○".unicodeScalars.map(\.value)

    /// The chrome lines of `scalars` (LF-separated text): the lines a rule matches, and the
    /// items of a list a rule heads (`isListItem`: headlines, blank lines between them allowed,
    /// up to `maximumListItems`, until the first line that is not one — when that is a sentence,
    /// the item before it is its text's title and stays); none if no `page` rule matches any line.
    public func lines(in scalars: ArraySlice<Unicode.Scalar>) -> [Line] {
        var found: [Line] = []
        var sawPage = false
        var start = scalars.startIndex
        var list: (rule: String, itemsLeft: Int)?
        while start < scalars.endIndex {
            let newline = scalars[start...].firstIndex(of: "\n")
            let end = newline ?? scalars.endIndex
            let line = scalars[start..<end]
            let range = start..<(newline.map { $0 + 1 } ?? end)
            start = end + (newline == nil ? 0 : 1)
            if let rule = rule(for: line) {
                found.append(Line(range: range, rule: rule.name))
                if rule.tier == .page { sawPage = true }
                list = rule.headsList ? (rule.name, Self.maximumListItems) : nil
                continue
            }
            guard let current = list else { continue }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{3000}" }) { continue }
            if current.itemsLeft > 0 && Self.isListItem(line) {
                found.append(Line(range: range, rule: current.rule))
                list = (current.rule, current.itemsLeft - 1)
            } else {
                // A sentence right after the list: its last "item" is the title of the text that
                // starts here (a sidebar of links before the article), and stays.
                if current.itemsLeft < Self.maximumListItems { found.removeLast() }
                list = nil
            }
        }
        return sawPage ? found : []
    }

    /// A list under a heading ends after this many items (a site's list of links is shorter;
    /// a longer run of short lines is more likely a page's own text).
    public static let maximumListItems = 30

    /// Whether `line` reads as an item of a list of links — a headline, perhaps with its date —
    /// rather than a sentence of a report: 2–40 characters besides bullets, spaces and a date,
    /// no full stop, semicolon or exclamation mark, at most one comma. Written from the lists
    /// of news and government sites (相关新闻, 推荐阅读), which hold other articles' titles.
    static func isListItem(_ line: ArraySlice<Unicode.Scalar>) -> Bool {
        var length = 0, commas = 0
        for c in line.drop(while: { bullets.contains($0.value) }) {
            switch c {
            case "。", "；", ";", "！", "!", "？": return false
            case "，", ",": commas += 1
            case " ", "\t", "\r", "\u{3000}", "-", "/", ".", ":", "：", "(", ")", "（", "）", "[", "]", "【", "】", "年", "月", "日": continue
            default:
                if !("0"..."9").contains(c) { length += 1 }
                if length > 40 { return false }
            }
        }
        return length >= 2 && length <= 40 && commas <= 1
    }

    /// The first rule (in file order) that matches `line`, if any.
    func rule(for line: ArraySlice<Unicode.Scalar>) -> Rule? {
        let bullets = Self.bullets
        var body = line.drop { bullets.contains($0.value) }
        while let last = body.last, last == " " || last == "\t" || last == "\r" { body = body.dropLast() }
        guard !body.isEmpty, body.count <= Self.maximumLineLength else { return nil }
        var candidates: [Int] = []
        let first = body.first!.value, last = body.last!.value
        body.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: UInt32.self) { text in
                cueStarts.withUnsafeBufferPointer { cueStarts in
                    // The characters that may start a cue, gathered without a branch: 12 % of a
                    // report's characters do (上, 全, 发 …), in no pattern a predictor learns.
                    withUnsafeTemporaryAllocation(of: Int32.self, capacity: text.count) { starts in
                        var count = 0
                        for i in text.indices {
                            let v = text[i]
                            starts[count] = Int32(truncatingIfNeeded: i)
                            let inPlane = UInt64(truncatingIfNeeded: (v >> 16) == 0 ? 1 : 0)
                            count &+= Int(truncatingIfNeeded: cueStarts[Int(truncatingIfNeeded: v & 0xFFFF) >> 6] >> UInt64(v & 63) & inPlane)
                        }
                        for h in 0..<count {
                            let i = Int(starts[h])
                            // The cue's text first: it fails at its second character nearly
                            // always, and the shape's test hashes.
                            for (k, cue) in cuesByStart[Int(cueGroup[Int(text[i])]) - 1] where i + cue.count <= text.count {
                                var j = 1
                                while j < cue.count && text[i + j] == cue[j] { j += 1 }
                                if j == cue.count && !candidates.contains(k) && rules[k].shape.admits(first: first, last: last) { candidates.append(k) }
                            }
                        }
                    }
                }
            }
        }
        guard !candidates.isEmpty else { return nil }
        let text = UTF8Writer.string(body)
        let whole = NSRange(text.startIndex..., in: text)
        for k in candidates.sorted() {
            if let m = rules[k].expression.firstMatch(in: text, range: whole), m.range == whole { return rules[k] }
        }
        return nil
    }
}
