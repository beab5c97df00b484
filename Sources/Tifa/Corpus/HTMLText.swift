/// The readable text of an HTML page: tags removed, `<script>`, `<style>`, `<noscript>` and
/// comments removed with their content, block-level tags turned into line breaks (the cells of
/// a table row a tab apart on the row's line), character references decoded. A small forgiving scanner rather than a DOM: scraped pages are often
/// malformed, and text is all Tifa needs.
///
/// The page's `<title>` is left out when the page repeats it as a line of its own — the
/// headline as `<h1>`, the title less its site name (我县召开脱贫攻坚推进会_XX县人民政府): counted
/// twice, every formula of a headline was counted twice a page. A title the page does not
/// repeat stays, as the only place of its words.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        // Where the first <title>'s text is in `out`.
        var titleStart: Int?, titleEnd: Int?
        var i = 0
        let n = s.count
        func lower(_ k: Int) -> Unicode.Scalar { let c = s[k]; return (c.value >= 65 && c.value <= 90) ? Unicode.Scalar(c.value + 32)! : c }
        func startsWith(_ word: String, at k: Int) -> Bool {
            var j = k
            for c in word.unicodeScalars { guard j < n, lower(j) == c else { return false }; j += 1 }
            return true
        }
        func skipPast(_ closing: String, from k: Int) -> Int {
            var j = k
            while j < n { if startsWith(closing, at: j) { return j + closing.unicodeScalars.count }; j += 1 }
            return n
        }
        while i < n {
            let c = s[i]
            if c == "<" {
                if startsWith("<!--", at: i) { i = skipPast("-->", from: i + 4); continue }
                var matchedRaw = false
                for raw in ["script", "style", "noscript", "template"] where startsWith("<" + raw, at: i) {
                    let after = i + 1 + raw.count
                    if after < n, s[after] == ">" || s[after] == " " || s[after] == "\t" || s[after] == "\n" || s[after] == "/" {
                        i = skipPast("</" + raw, from: after)
                        i = skipPast(">", from: i)
                        matchedRaw = true
                    }
                    break
                }
                if matchedRaw { continue }
                // A tag: find its end and whether it breaks lines.
                var j = i + 1
                var name = ""
                let closing = j < n && s[j] == "/"
                if closing { j += 1 }
                while j < n, s[j].properties.isAlphabetic || (s[j].value >= 48 && s[j].value <= 57) {
                    name.unicodeScalars.append(lower(j)); j += 1
                }
                if name.isEmpty && !(j < n && (s[j] == "!" || s[j] == "?")) {
                    out.append(c); i += 1; continue  // a lone '<' in text
                }
                i = skipPast(">", from: j)
                if name == "title" && titleEnd == nil {
                    if !closing && titleStart == nil {
                        if !out.isEmpty, out.last != "\n" { out.append("\n") }
                        titleStart = out.count
                        continue
                    }
                    if closing && titleStart != nil { titleEnd = out.count }
                }
                if name == "td" || name == "th" {
                    // The cells of a table row stay on the row's line, a tab apart: a row is
                    // one record (索引号：… 主题分类：…), and its label and value one line.
                    if !closing, !out.isEmpty, out.last != "\n", out.last != "\t" { out.append("\t") }
                } else if blockTags.contains(name), !out.isEmpty, out.last != "\n" {
                    out.append("\n")
                }
                continue
            }
            if c == "&", let (decoded, length) = entity(s, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i += length
                continue
            }
            out.append(c)
            i += 1
        }
        if let start = titleStart, let end = titleEnd, Self.pageRepeatsTitle(out, title: start..<end) {
            out.removeSubrange(start..<end)
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: out)
        return String(text)
    }

    /// Separators between a page title's headline and its site name (…_XX县人民政府, 人民网 - …).
    static let titleSeparators: Set<Unicode.Scalar> = ["_", "|", "｜", "-", "–", "—", "－", "·"]

    /// Whether a line of `text` other than the title's is the title, or one of its parts
    /// (between separators) of 4 characters or more: the headline again.
    static func pageRepeatsTitle(_ text: [Unicode.Scalar], title: Range<Int>) -> Bool {
        func trimmed(_ line: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
            var t = line.drop { $0.properties.isWhitespace }
            while let last = t.last, last.properties.isWhitespace { t = t.dropLast() }
            return t
        }
        let whole = trimmed(text[title])
        guard whole.count >= 4 else { return false }
        var parts: Set<[Unicode.Scalar]> = [Array(whole)]
        for part in whole.split(whereSeparator: { titleSeparators.contains($0) }) {
            let part = trimmed(part)
            if part.count >= 4 { parts.insert(Array(part)) }
        }
        let lengths = Set(parts.map(\.count))
        var lineStart = 0
        while lineStart < text.count {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.count
            if !(lineStart..<lineEnd).overlaps(title), case let line = trimmed(text[lineStart..<lineEnd]),
               lengths.contains(line.count), parts.contains(Array(line)) {
                return true
            }
            lineStart = lineEnd + 1
        }
        return false
    }

    static let blockTags: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "tr", "table", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
        "section", "article", "header", "footer", "blockquote", "pre", "hr", "title", "dd", "dt", "nav",
    ]

    static let named: [String: String] = [
        "nbsp": "\u{A0}", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "middot": "·",
        "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’", "mdash": "—", "ndash": "–", "hellip": "…",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "copy": "©", "reg": "®", "times": "×", "divide": "÷",
    ]

    static func entity(_ s: [Unicode.Scalar], at i: Int) -> (String, Int)? {
        var j = i + 1
        var body = ""
        while j < s.count, j - i <= 12, s[j] != ";" {
            guard s[j].isASCII, s[j].properties.isAlphabetic || s[j] == "#" || (s[j].value >= 48 && s[j].value <= 57) else { return nil }
            body.unicodeScalars.append(s[j]); j += 1
        }
        guard j < s.count, s[j] == ";", !body.isEmpty else { return nil }
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (String(scalar), j - i + 1)
        }
        guard let v = named[body] else { return nil }
        return (v, j - i + 1)
    }
}
