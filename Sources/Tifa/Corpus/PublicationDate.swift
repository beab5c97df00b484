import Foundation

/// The date a document says it was published, read from the lines where pages and official
/// documents write it (in simplified or traditional characters, any decimal digits): a labelled date (发布时间：2019-05-12, 发布日期:2019-09-23, 成文日期：2021年11月12日,
/// among other fields on a byline: 时间:2020-08-26 14:00:10 | 来源:太行日报), a posting note
/// (本文2018-03-15 19:01:22发表…), a newspaper's dateline (甘孜日报 2018年06月08日), or a line that is a
/// date alone (2014年2月16日; 2019-05-12 09:30; the signature date of an official document,
/// 二〇一九年五月十二日).
///
/// Only such lines count, and only near the ends of the text (the first 40 lines, then the last
/// 20): a date inside a sentence (1921年7月, 到2035年) is what the text is about, not when it was
/// written. The first date at the top wins; failing that, the last one at the bottom (the
/// signature comes last). Used by `CorpusOptions.dateFromText` for documents without a year
/// or date of their own.
public enum PublicationDate {
    public struct Found: Sendable, Equatable {
        public var year: Int
        public var month: Int
        public var day: Int
        /// 0-based line number in the text, or counted from its end (-1 the last line) for a
        /// date at the bottom.
        public var line: Int
        /// `yyyy-mm-dd`.
        public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    }

    static let topLines = 40
    static let bottomLines = 20
    /// Longer lines are sentences, not datelines.
    static let maximumLineLength = 200

    private static let digits = #"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})"#
    private static let chinese = "([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
    /// Each with the year, month and day as groups 1–3.
    private static let patterns: [NSRegularExpression] = [
        // A labelled date, anywhere on its line (a byline has several fields).
        #"(?:发布|發布|发表|發表|更新|录入|錄入|成文|印发|印發|上传|上傳|生成|发稿|發稿)?(?:时间|時間|日期)\s*[:：]\s*"# + digits,
        // A posting note.
        #"^本文\s*"# + digits,
        // A newspaper's dateline: its name, then the date.
        #"^\S{2,12}(?:报|報)\s+"# + digits + #"日?\s*$"#,
        // A date alone on its line, perhaps with a time and a weekday.
        #"^[\s(（\[【]*"# + digits + #"日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:星期.|周.)?[\s)）\]】]*$"#,
        // An official document's signature date, in Chinese numerals.
        #"^\s*"# + chinese + #"\s*$"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// The publication date written in `text`, if any.
    /// Reads only the lines it looks at: a 50 MB document is not split into lines.
    public static func find(in text: String) -> Found? {
        let utf8 = text.utf8
        // The first lines, front to back.
        var start = utf8.startIndex
        var lineCount = 0
        while start < utf8.endIndex && lineCount < topLines {
            let end = utf8[start...].firstIndex(of: 0x0A) ?? utf8.endIndex
            if let date = date(in: text[start..<end], line: lineCount) { return date }
            lineCount += 1
            start = end == utf8.endIndex ? end : utf8.index(after: end)
        }
        guard start < utf8.endIndex else { return nil }
        // The last lines not read above, back to front (their numbers counted from the end).
        let topEnd = start
        var end = utf8.endIndex
        if utf8[utf8.index(before: end)] == 0x0A { end = utf8.index(before: end) }
        for fromEnd in 0..<bottomLines where end > topEnd {
            let lineStart = utf8[topEnd..<end].lastIndex(of: 0x0A).map { utf8.index(after: $0) } ?? topEnd
            if let date = date(in: text[lineStart..<end], line: -1 - fromEnd) { return date }
            guard lineStart > topEnd else { break }
            end = utf8.index(before: lineStart)
        }
        return nil
    }

    static func date(in line: Substring, line lineNumber: Int) -> Found? {
        // A long line is a sentence (and a 50 MB one-line document is not copied to learn it).
        guard line.utf8.count <= 4 * maximumLineLength else { return nil }
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.count >= 8, text.count <= maximumLineLength, text.contains(where: { $0.isNumber }) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        for pattern in patterns {
            guard let m = pattern.firstMatch(in: text, range: range) else { continue }
            func group(_ k: Int) -> String { Range(m.range(at: k), in: text).map { String(text[$0]) } ?? "" }
            guard let year = number(group(1)), let month = number(group(2)), let day = number(group(3)),
                  (1900...2099).contains(year), (1...12).contains(month), (1...31).contains(day) else { continue }
            return Found(year: year, month: month, day: day, line: lineNumber)
        }
        return nil
    }

    /// ASCII digits, or Chinese numerals: digit by digit for a year (二〇一九), as a number for
    /// a month or day (十二, 二十三).
    static func number(_ s: String) -> Int? {
        // Any decimal digits (ASCII, full-width ２０１９).
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ $0.properties.numericType == .decimal }) {
            return s.unicodeScalars.reduce(0) { $0 * 10 + Int($1.properties.numericValue!) }
        }
        let digits: [Character: Int] = ["〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        let characters = Array(s)
        if characters.count == 4, characters.allSatisfy({ digits[$0] != nil }) {
            return characters.reduce(0) { $0 * 10 + digits[$1]! }
        }
        // 十, 十二, 二十, 二十三, 三十一
        guard !characters.isEmpty, characters.count <= 3 else { return nil }
        if let ten = characters.firstIndex(of: "十") {
            let tens = ten == 0 ? 1 : digits[characters[0]]
            let ones = ten + 1 < characters.count ? digits[characters[ten + 1]] : 0
            guard let tens, let ones, ten <= 1 else { return nil }
            return tens * 10 + ones
        }
        guard characters.count == 1, let d = digits[characters[0]] else { return nil }
        return d
    }
}
