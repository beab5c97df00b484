/// The readable text of an HTML page: tags removed, `<script>`, `<style>`, `<noscript>` and
/// comments removed with their content, block-level tags turned into line breaks (the cells of
/// a table row a tab apart on the row's line), character references decoded. A small forgiving scanner rather than a DOM: scraped pages are often
/// malformed, and text is all Tifa needs.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
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
        return String(out)
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
