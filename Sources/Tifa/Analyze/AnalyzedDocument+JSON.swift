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
