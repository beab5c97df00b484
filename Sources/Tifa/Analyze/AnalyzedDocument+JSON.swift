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
        JSON.appendArray(formulas, to: &out) { f, out in
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
        JSON.appendKey("terms", to: &out)
        JSON.appendArray(terms, to: &out) { t, out in
            out.append(UInt8(ascii: "{"))
            JSON.appendKey("count", to: &out, first: true)
            JSON.appendInteger(t.count, to: &out)
            JSON.appendKey("kind", to: &out)
            JSON.appendQuoted(t.kind.rawValue, to: &out)
            JSON.appendKey("text", to: &out)
            JSON.appendQuoted(t.text, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        JSON.appendKey("token_count", to: &out)
        JSON.appendInteger(tokenCount, to: &out)
        if let tokens {
            JSON.appendKey("tokens", to: &out)
            JSON.appendArray(tokens, to: &out) { t, out in
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
        }
        JSON.appendKey("warnings", to: &out)
        JSON.appendArray(warnings, to: &out) { w, out in JSON.appendQuoted(w, to: &out) }
        out.append(UInt8(ascii: "}"))
    }
}

// MARK: Reading a record

extension AnalyzedDocument {
    /// The record of one JSON line, read without `JSONDecoder` when the line is a plain record —
    /// any key order, whitespace and escapes, unknown keys skipped — or nil when anything is
    /// outside that (a number with a fraction or exponent, a repeated key, a value of another
    /// type, an unknown kind or category, a range that is not one, invalid UTF-8 or a lone
    /// surrogate, nesting past 32, …). The caller then decodes the line with `JSONDecoder`, which
    /// gives the same value or the error to report: this is a faster route to the decoder's
    /// answer, never another answer (`JSONRecordReaderTests`). The decoder built a boxed tree of
    /// the whole record first, 70 % of `index build --from-analyses`.
    package static func readJSON(_ line: UnsafeBufferPointer<UInt8>) -> AnalyzedDocument? {
        var scanner = JSONScanner(line)
        scanner.loneSurrogate = .reject
        guard let record = try? scanner.analyzedDocument() else { return nil }
        scanner.skipSpace()
        return scanner.i == line.count ? record : nil
    }
}

/// The types of a `tifa analyze` record read from a `JSONScanner`, throwing on anything the
/// `Codable` conformances might read otherwise (then `JSONDecoder` decides).
extension JSONScanner {
    private struct Declined: Error {}

    /// Unknown keys' values nest at most this deep (the decoder has a limit of its own).
    private static let unknownValueDepth = 32

    /// The members of an object; `read` reads the value of a key it knows and returns its
    /// number (< 64), or nil for a key it does not, whose value is skipped. A repeated key is
    /// declined (the decoder keeps the first, `JSONRecord` the last).
    private mutating func object(_ read: (inout JSONScanner, String) throws -> Int?) throws {
        var seen: UInt64 = 0
        try members { scanner, key in
            guard let k = try read(&scanner, key) else {
                return try scanner.skipValue(depth: 1, maximumDepth: Self.unknownValueDepth)
            }
            guard seen & (1 << k) == 0 else { throw Declined() }
            seen |= 1 << k
        }
    }

    private mutating func array<T>(_ element: (inout JSONScanner) throws -> T) throws -> [T] {
        var items: [T] = []
        try elements { items.append(try element(&$0)) }
        return items
    }

    /// Whether the value is `null` (consumed).
    private mutating func null() -> Bool {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "n") else { return false }
        return (try? literal("null")) != nil
    }

    /// An integer written as digits (no fraction or exponent: the decoder reads 1.0 as 1, this
    /// declines it), within `Int`.
    private mutating func integer() throws -> Int {
        let range = try numberRange()
        var negative = false, value = 0
        for k in range {
            let b = bytes[k]
            if b == UInt8(ascii: "-") { negative = true; continue }
            guard b >= 0x30, b <= 0x39 else { throw Declined() }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b - 0x30))
            guard !o1, !o2 else { throw Declined() }
            value = a
        }
        return negative ? -value : value
    }

    private mutating func kind() throws -> TermKind {
        guard let kind = TermKind(rawValue: try string()) else { throw Declined() }
        return kind
    }

    /// `start` and `end` as `FormulaOccurrence.decodeRange` accepts them.
    private static func range(_ start: Int?, _ end: Int?) throws -> Range<Int> {
        guard let start, let end, start >= 0, end >= start else { throw Declined() }
        return start..<end
    }

    private static func required<T>(_ value: T?) throws -> T {
        guard let value else { throw Declined() }
        return value
    }

    fileprivate mutating func analyzedDocument() throws -> AnalyzedDocument {
        var id: String?, source: String?, encoding: String?, checksum: String?, analyzer: String?
        var metadata: [String: String]?, replacements: Int?, bytes: Int?, analysis: DocumentAnalysis?
        var text: String?
        try object { s, key in
            switch key {
            case "id": id = try s.string(); return 0
            case "source": source = try s.string(); return 1
            case "encoding": encoding = try s.string(); return 2
            case "checksum": checksum = try s.string(); return 3
            case "analyzer": analyzer = try s.string(); return 4
            case "replacements": replacements = try s.integer(); return 5
            case "bytes": bytes = try s.integer(); return 6
            case "text": text = s.null() ? nil : try s.string(); return 7
            case "metadata":
                var m: [String: String] = [:]
                try s.members { s, key in
                    // Canonically equal keys are one key to a Swift dictionary: declined.
                    guard m.updateValue(try s.string(), forKey: key) == nil else { throw Declined() }
                }
                metadata = m
                return 8
            case "analysis": analysis = try s.analysis(); return 9
            default: return nil
            }
        }
        var document = AnalyzedDocument(
            document: Document(id: try Self.required(id), source: try Self.required(source), metadata: try Self.required(metadata),
                               text: "", replacements: try Self.required(replacements), byteCount: try Self.required(bytes),
                               checksum: try Self.required(checksum)),
            analysis: try Self.required(analysis), analyzer: try Self.required(analyzer), includesText: false)
        document.encoding = try Self.required(encoding)
        document.text = text
        return document
    }

    private mutating func analysis() throws -> DocumentAnalysis {
        var characters: Int?, tokenCount: Int?, terms: [TermCount]?
        var formulas: [FormulaOccurrence] = [], tokens: [AnalyzedToken]?, warnings: [String] = []
        try object { s, key in
            switch key {
            case "characters": characters = try s.integer(); return 0
            case "token_count": tokenCount = try s.integer(); return 1
            case "terms": terms = try s.array { try $0.termCount() }; return 2
            case "formulas": if !s.null() { formulas = try s.array { try $0.formula() } }; return 3
            case "tokens": if !s.null() { tokens = try s.array { try $0.token() } }; return 4
            case "warnings": if !s.null() { warnings = try s.array { try $0.string() } }; return 5
            default: return nil
            }
        }
        return DocumentAnalysis(characterCount: try Self.required(characters), tokenCount: try Self.required(tokenCount),
                                terms: try Self.required(terms), formulas: formulas, tokens: tokens, warnings: warnings)
    }

    private mutating func termCount() throws -> TermCount {
        var text: String?, kind: TermKind?, count: Int?
        try object { s, key in
            switch key {
            case "text": text = try s.string(); return 0
            case "kind": kind = try s.kind(); return 1
            case "count": count = try s.integer(); return 2
            default: return nil
            }
        }
        return TermCount(text: try Self.required(text), kind: try Self.required(kind), count: try Self.required(count))
    }

    private mutating func formula() throws -> FormulaOccurrence {
        var formula: String?, category: PolicyCategory?, start: Int?, end: Int?, surface: String?
        var within: FormulaOccurrence.Outer?
        try object { s, key in
            switch key {
            case "formula": formula = try s.string(); return 0
            case "category": if !s.null() { category = try Self.required(PolicyCategory(rawValue: try s.string())) }; return 1
            case "start": start = try s.integer(); return 2
            case "end": end = try s.integer(); return 3
            case "surface": surface = try s.string(); return 4
            case "within": if !s.null() { within = try s.outer() }; return 5
            default: return nil
            }
        }
        return FormulaOccurrence(formula: try Self.required(formula), category: category, sourceRange: try Self.range(start, end),
                                 surface: try Self.required(surface), within: within)
    }

    private mutating func outer() throws -> FormulaOccurrence.Outer {
        var formula: String?, start: Int?, end: Int?
        try object { s, key in
            switch key {
            case "formula": formula = try s.string(); return 0
            case "start": start = try s.integer(); return 1
            case "end": end = try s.integer(); return 2
            default: return nil
            }
        }
        return FormulaOccurrence.Outer(formula: try Self.required(formula), sourceRange: try Self.range(start, end))
    }

    private mutating func token() throws -> AnalyzedToken {
        var text: String?, kind: TermKind?, start: Int?, end: Int?
        try object { s, key in
            switch key {
            case "text": text = try s.string(); return 0
            case "kind": kind = try s.kind(); return 1
            case "start": start = try s.integer(); return 2
            case "end": end = try s.integer(); return 3
            default: return nil
            }
        }
        return AnalyzedToken(text: try Self.required(text), kind: try Self.required(kind), sourceRange: try Self.range(start, end))
    }
}
