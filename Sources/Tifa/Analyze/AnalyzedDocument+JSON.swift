/// `tifa analyze`'s record written as bytes: the JSON `JSONEncoder.sorted` makes of an
/// `AnalyzedDocument`, byte for byte, without the encoder. The encoder builds a tree of boxed
/// values for every term, formula and token of a document and then walks it, which was more than
/// half of `tifa analyze`'s time; this writes the same keys in the same order straight into a
/// buffer. `JSONLineTests` holds the two to the same bytes, so a field added to the `Codable`
/// types must be added here too.
///
/// The encoder's rules this follows: keys sorted by their UTF-8 bytes; strings escaped as
/// `JSON.appendEscaped` does; integers in decimal; a nil `category` or `within` written as `null`;
/// a nil `tokens` or `text` left out.
extension AnalyzedDocument {
    /// Appends the record to `out`; with `leavingOpen`, without its closing `}`, so that a writer
    /// can append `,"text":…` (the last key) itself, piece by piece.
    package func appendJSON(to out: inout [UInt8], leavingOpen: Bool = false) {
        out.append(UInt8(ascii: "{"))
        JSON.appendKey("analysis", to: &out, first: true)
        analysis.appendJSON(to: &out)
        JSON.appendKey("analyzer", to: &out)
        JSON.appendQuoted(analyzer, to: &out)
        JSON.appendKey("bytes", to: &out)
        JSON.appendInteger(bytes, to: &out)
        JSON.appendKey("checksum", to: &out)
        JSON.appendQuoted(checksum, to: &out)
        JSON.appendKey("encoding", to: &out)
        JSON.appendQuoted(encoding, to: &out)
        JSON.appendKey("id", to: &out)
        JSON.appendQuoted(id, to: &out)
        JSON.appendKey("metadata", to: &out)
        out.append(UInt8(ascii: "{"))
        var first = true
        for key in metadata.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSON.appendQuoted(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSON.appendQuoted(metadata[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        JSON.appendKey("replacements", to: &out)
        JSON.appendInteger(replacements, to: &out)
        JSON.appendKey("source", to: &out)
        JSON.appendQuoted(source, to: &out)
        if let text {
            JSON.appendKey("text", to: &out)
            JSON.appendQuoted(text, to: &out)
        }
        if !leavingOpen { out.append(UInt8(ascii: "}")) }
    }
}

extension DocumentAnalysis {
    func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSON.appendKey("characters", to: &out, first: true)
        JSON.appendInteger(characterCount, to: &out)
        JSON.appendKey("formulas", to: &out)
        out.append(UInt8(ascii: "["))
        for (i, f) in formulas.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            JSON.appendKey("category", to: &out, first: true)
            if let category = f.category { JSON.appendQuoted(category.rawValue, to: &out) } else { JSON.appendNull(to: &out) }
            JSON.appendKey("end", to: &out)
            JSON.appendInteger(f.sourceRange.upperBound, to: &out)
            JSON.appendKey("formula", to: &out)
            JSON.appendQuoted(f.formula, to: &out)
            JSON.appendKey("start", to: &out)
            JSON.appendInteger(f.sourceRange.lowerBound, to: &out)
            JSON.appendKey("surface", to: &out)
            JSON.appendQuoted(f.surface, to: &out)
            JSON.appendKey("within", to: &out)
            if let outer = f.within {
                out.append(UInt8(ascii: "{"))
                JSON.appendKey("end", to: &out, first: true)
                JSON.appendInteger(outer.sourceRange.upperBound, to: &out)
                JSON.appendKey("formula", to: &out)
                JSON.appendQuoted(outer.formula, to: &out)
                JSON.appendKey("start", to: &out)
                JSON.appendInteger(outer.sourceRange.lowerBound, to: &out)
                out.append(UInt8(ascii: "}"))
            } else {
                JSON.appendNull(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        JSON.appendKey("terms", to: &out)
        out.append(UInt8(ascii: "["))
        for (i, t) in terms.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            JSON.appendKey("count", to: &out, first: true)
            JSON.appendInteger(t.count, to: &out)
            JSON.appendKey("kind", to: &out)
            JSON.appendQuoted(t.kind.rawValue, to: &out)
            JSON.appendKey("text", to: &out)
            JSON.appendQuoted(t.text, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        JSON.appendKey("token_count", to: &out)
        JSON.appendInteger(tokenCount, to: &out)
        if let tokens {
            JSON.appendKey("tokens", to: &out)
            out.append(UInt8(ascii: "["))
            for (i, t) in tokens.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                JSON.appendKey("end", to: &out, first: true)
                JSON.appendInteger(t.sourceRange.upperBound, to: &out)
                JSON.appendKey("kind", to: &out)
                JSON.appendQuoted(t.kind.rawValue, to: &out)
                JSON.appendKey("start", to: &out)
                JSON.appendInteger(t.sourceRange.lowerBound, to: &out)
                JSON.appendKey("text", to: &out)
                JSON.appendQuoted(t.text, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        JSON.appendKey("warnings", to: &out)
        out.append(UInt8(ascii: "["))
        for (i, w) in warnings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSON.appendQuoted(w, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        out.append(UInt8(ascii: "}"))
    }
}

// MARK: Reading a record

extension AnalyzedDocument {
    /// The record of one JSON line, read without `JSONDecoder` when the line is a plain record —
    /// any key order, whitespace and escapes, unknown keys skipped — or nil when anything is
    /// outside that (a number with a fraction or exponent, a duplicate key, a value of another
    /// type, an unknown kind or category, a range that is not one, invalid UTF-8 or a lone
    /// surrogate, …). The caller then decodes the line with `JSONDecoder`, which gives the same
    /// value or the error to report: this is a faster route to the decoder's answer, never
    /// another answer (`JSONRecordReaderTests`). The decoder built a boxed tree of the whole
    /// record first, 70 % of `index build --from-analyses`.
    package static func readJSON(_ line: UnsafeBufferPointer<UInt8>) -> AnalyzedDocument? {
        var reader = JSONRecordReader(line)
        guard let record = reader.document(), reader.atEnd() else { return nil }
        return record
    }
}

/// A reader of the JSON the `Codable` types of a `tifa analyze` record accept. Each method returns
/// nil (or false) on anything it does not take; the position is then meaningless.
struct JSONRecordReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func atEnd() -> Bool {
        skipSpace()
        return i == bytes.count
    }

    /// Consumes `byte` after optional whitespace.
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func takeNull() -> Bool {
        skipSpace()
        guard i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "n"), bytes[i + 1] == UInt8(ascii: "u"),
              bytes[i + 2] == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "l") else { return false }
        i += 4
        return true
    }

    /// The members of an object: `body` is called with each key and must read its value.
    mutating func object(_ body: (inout JSONRecordReader, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), body(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// The elements of an array, each read by `element`.
    mutating func array<T>(_ element: (inout JSONRecordReader) -> T?) -> [T]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [T] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = element(&self) else { return nil }
            items.append(item)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? items : nil
    }

    /// An integer written as digits (no fraction or exponent), within `Int`.
    mutating func integer() -> Int? {
        skipSpace()
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let start = i
        var value = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[i] - 0x30))
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        guard i > start, i - start == 1 || bytes[start] != 0x30 else { return nil }  // no leading zero
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
        return negative ? -value : value
    }

    /// A string: escapes resolved, UTF-8 validated, no raw control characters.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        // The common case: no escape; the bytes are the string's.
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") {
            if bytes[i] < 0x20 { return nil }
            i += 1
        }
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "\"") {
            i += 1
            return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<(i - 1)]), as: UTF8.self)
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var unit = hex4() else { return nil }
                    if unit >= 0xD800 && unit < 0xDC00 {
                        guard take(UInt8(ascii: "\\")), i < bytes.count, bytes[i] == UInt8(ascii: "u") else { return nil }
                        i += 1
                        guard let low = hex4(), low >= 0xDC00, low < 0xE000 else { return nil }
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    } else if unit >= 0xDC00 && unit < 0xE000 {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(unit) else { return nil }
                    out.append(contentsOf: UTF8.encode(scalar)!)
                default: return nil
                }
            default:
                if b < 0x20 { return nil }
                out.append(b)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x37
            case 0x61...0x66: d = c - 0x57
            default: return nil
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// Any JSON value, skipped (an unknown key's), nested at most 32 deep: deeper ones are the
    /// decoder's to accept or refuse.
    mutating func skipValue(depth: Int = 0) -> Bool {
        skipSpace()
        guard i < bytes.count, depth < 32 else { return false }
        switch bytes[i] {
        case UInt8(ascii: "{"): return object { r, _ in r.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return array { r in r.skipValue(depth: depth + 1) ? true : nil } != nil
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for word in ["true", "false", "null"] where bytes.count - i >= word.utf8.count && word.utf8.elementsEqual(bytes[i..<(i + word.utf8.count)]) {
                i += word.utf8.count
                return true
            }
            return false
        default:
            return number()
        }
    }

    /// A number as JSON writes it: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func number() -> Bool {
        func digits(_ r: inout JSONRecordReader) -> Int {
            let start = r.i
            while r.i < r.bytes.count, r.bytes[r.i] >= 0x30, r.bytes[r.i] <= 0x39 { r.i += 1 }
            return r.i - start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let start = i
        let whole = digits(&self)
        guard whole > 0, whole == 1 || bytes[start] != 0x30 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { return false }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { return false }
        }
        return true
    }

    /// Records each key once; false for a second time.
    private static func first(_ key: Int, _ seen: inout UInt32) -> Bool {
        defer { seen |= 1 << key }
        return seen & (1 << key) == 0
    }

    mutating func document() -> AnalyzedDocument? {
        var id: String?, source: String?, encoding: String?, checksum: String?, analyzer: String?
        var metadata: [String: String]?, replacements: Int?, bytes: Int?, analysis: DocumentAnalysis?
        var text: String?? = .none
        var seen: UInt32 = 0
        let ok = object { r, key in
            switch key {
            case "id": guard Self.first(0, &seen), let v = r.string() else { return false }; id = v
            case "source": guard Self.first(1, &seen), let v = r.string() else { return false }; source = v
            case "encoding": guard Self.first(2, &seen), let v = r.string() else { return false }; encoding = v
            case "checksum": guard Self.first(3, &seen), let v = r.string() else { return false }; checksum = v
            case "analyzer": guard Self.first(4, &seen), let v = r.string() else { return false }; analyzer = v
            case "replacements": guard Self.first(5, &seen), let v = r.integer() else { return false }; replacements = v
            case "bytes": guard Self.first(6, &seen), let v = r.integer() else { return false }; bytes = v
            case "text":
                guard Self.first(7, &seen) else { return false }
                if r.takeNull() { text = .some(nil) } else { guard let v = r.string() else { return false }; text = .some(v) }
            case "metadata":
                guard Self.first(8, &seen) else { return false }
                var m: [String: String] = [:]
                guard r.object({ r, k in
                    guard let v = r.string(), m.updateValue(v, forKey: k) == nil else { return false }
                    return true
                }) else { return false }
                metadata = m
            case "analysis": guard Self.first(9, &seen), let v = r.analysis() else { return false }; analysis = v
            default: guard r.skipValue() else { return false }
            }
            return true
        }
        guard ok, let id, let source, let encoding, let checksum, let analyzer, let metadata, let replacements,
              let bytes, let analysis else { return nil }
        var document = AnalyzedDocument(document: Document(id: id, source: source, metadata: metadata, text: "", replacements: replacements,
                                                           byteCount: bytes, checksum: checksum),
                                        analysis: analysis, analyzer: analyzer, includesText: false)
        document.encoding = encoding
        document.text = text ?? nil
        return document
    }

    mutating func analysis() -> DocumentAnalysis? {
        var characters: Int?, tokenCount: Int?, terms: [TermCount]?
        var formulas: [FormulaOccurrence] = [], tokens: [AnalyzedToken]?, warnings: [String] = []
        var seen: UInt32 = 0
        let ok = object { r, key in
            switch key {
            case "characters": guard Self.first(0, &seen), let v = r.integer() else { return false }; characters = v
            case "token_count": guard Self.first(1, &seen), let v = r.integer() else { return false }; tokenCount = v
            case "terms": guard Self.first(2, &seen), let v = r.array({ $0.termCount() }) else { return false }; terms = v
            case "formulas":
                guard Self.first(3, &seen) else { return false }
                if !r.takeNull() { guard let v = r.array({ $0.formula() }) else { return false }; formulas = v }
            case "tokens":
                guard Self.first(4, &seen) else { return false }
                if !r.takeNull() { guard let v = r.array({ $0.token() }) else { return false }; tokens = v }
            case "warnings":
                guard Self.first(5, &seen) else { return false }
                if !r.takeNull() { guard let v = r.array({ $0.string() }) else { return false }; warnings = v }
            default: guard r.skipValue() else { return false }
            }
            return true
        }
        guard ok, let characters, let tokenCount, let terms else { return nil }
        return DocumentAnalysis(characterCount: characters, tokenCount: tokenCount, terms: terms, formulas: formulas,
                                tokens: tokens, warnings: warnings)
    }

    mutating func kind() -> TermKind? { string().flatMap(TermKind.init(rawValue:)) }

    mutating func termCount() -> TermCount? {
        var text: String?, kind: TermKind?, count: Int?
        var seen: UInt32 = 0
        let ok = object { r, key in
            switch key {
            case "text": guard Self.first(0, &seen), let v = r.string() else { return false }; text = v
            case "kind": guard Self.first(1, &seen), let v = r.kind() else { return false }; kind = v
            case "count": guard Self.first(2, &seen), let v = r.integer() else { return false }; count = v
            default: guard r.skipValue() else { return false }
            }
            return true
        }
        guard ok, let text, let kind, let count else { return nil }
        return TermCount(text: text, kind: kind, count: count)
    }

    /// `start` and `end` as `FormulaOccurrence.decodeRange` accepts them.
    static func range(_ start: Int?, _ end: Int?) -> Range<Int>? {
        guard let start, let end, start >= 0, end >= start else { return nil }
        return start..<end
    }

    mutating func formula() -> FormulaOccurrence? {
        var formula: String?, category: PolicyCategory?, start: Int?, end: Int?, surface: String?
        var within: FormulaOccurrence.Outer?
        var seen: UInt32 = 0
        let ok = object { r, key in
            switch key {
            case "formula": guard Self.first(0, &seen), let v = r.string() else { return false }; formula = v
            case "category":
                guard Self.first(1, &seen) else { return false }
                if !r.takeNull() { guard let v = r.string().flatMap(PolicyCategory.init(rawValue:)) else { return false }; category = v }
            case "start": guard Self.first(2, &seen), let v = r.integer() else { return false }; start = v
            case "end": guard Self.first(3, &seen), let v = r.integer() else { return false }; end = v
            case "surface": guard Self.first(4, &seen), let v = r.string() else { return false }; surface = v
            case "within":
                guard Self.first(5, &seen) else { return false }
                if !r.takeNull() { guard let v = r.outer() else { return false }; within = v }
            default: guard r.skipValue() else { return false }
            }
            return true
        }
        guard ok, let formula, let surface, let range = Self.range(start, end) else { return nil }
        return FormulaOccurrence(formula: formula, category: category, sourceRange: range, surface: surface, within: within)
    }

    mutating func outer() -> FormulaOccurrence.Outer? {
        var formula: String?, start: Int?, end: Int?
        var seen: UInt32 = 0
        let ok = object { r, key in
            switch key {
            case "formula": guard Self.first(0, &seen), let v = r.string() else { return false }; formula = v
            case "start": guard Self.first(1, &seen), let v = r.integer() else { return false }; start = v
            case "end": guard Self.first(2, &seen), let v = r.integer() else { return false }; end = v
            default: guard r.skipValue() else { return false }
            }
            return true
        }
        guard ok, let formula, let range = Self.range(start, end) else { return nil }
        return FormulaOccurrence.Outer(formula: formula, sourceRange: range)
    }

    mutating func token() -> AnalyzedToken? {
        var text: String?, kind: TermKind?, start: Int?, end: Int?
        var seen: UInt32 = 0
        let ok = object { r, key in
            switch key {
            case "text": guard Self.first(0, &seen), let v = r.string() else { return false }; text = v
            case "kind": guard Self.first(1, &seen), let v = r.kind() else { return false }; kind = v
            case "start": guard Self.first(2, &seen), let v = r.integer() else { return false }; start = v
            case "end": guard Self.first(3, &seen), let v = r.integer() else { return false }; end = v
            default: guard r.skipValue() else { return false }
            }
            return true
        }
        guard ok, let text, let kind, let range = Self.range(start, end) else { return nil }
        return AnalyzedToken(text: text, kind: kind, sourceRange: range)
    }
}
