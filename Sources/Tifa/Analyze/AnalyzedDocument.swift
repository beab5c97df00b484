import Foundation

/// One line of `tifa analyze`: a document's identity and metadata, its analysis, and the analyzer
/// that made it. `Codable`; `IndexBuilder` indexes such lines made elsewhere
/// (`tifa index build --from-analyses`).
///
/// Keys: `id`, `source`, `metadata` (object of strings), `encoding`, `replacements`, `bytes`,
/// `checksum` (SHA-256 hex of the raw bytes, or of the record line for JSON Lines), `text` (the
/// decoded original, which all offsets refer to; absent with `--no-text`), `analyzer`
/// (`Analyzer.fingerprint`) and `analysis` (`DocumentAnalysis`).
public struct AnalyzedDocument: Sendable, Equatable, Codable {
    public var id: String
    public var source: String
    public var metadata: [String: String]
    public var encoding: String
    public var replacements: Int
    public var bytes: Int
    public var checksum: String
    public var text: String?
    public var analyzer: String
    public var analysis: DocumentAnalysis

    public init(document: Document, analysis: DocumentAnalysis, analyzer: String, includesText: Bool = true) {
        id = document.id
        source = document.source
        metadata = document.metadata
        encoding = document.encoding.description
        replacements = document.replacements
        bytes = document.byteCount
        checksum = document.checksum
        text = includesText ? document.text : nil
        self.analyzer = analyzer
        self.analysis = analysis
    }

    /// The document, with its text ("" when the line has none).
    public var document: Document {
        Document(id: id, source: source, metadata: metadata, text: text ?? "", encoding: TextEncoding(name: encoding),
                 replacements: replacements, byteCount: bytes, checksum: checksum)
    }
}

extension AnalyzedDocument {
    /// What in the record contradicts the rest of it, or nil. `tifa analyze` writes records
    /// whose counts, offsets and surfaces agree; a record changed afterwards (by hand, a script,
    /// a truncated transfer) could otherwise put negative counts into an index, or formula
    /// occurrences that `kwic` cannot show and silently leaves out. Checked in one pass over the
    /// text: the term counts against the token count and the formula occurrences, every range
    /// against the text's length, and each formula's surface against the text at its range.
    var inconsistency: String? {
        let a = analysis
        let n = a.characterCount
        if replacements < 0 { return "replacements \(replacements) is negative" }
        if bytes < 0 { return "bytes \(bytes) is negative" }
        if n < 0 { return "analysis.characters \(n) is negative" }
        if let text {
            let length = text.unicodeScalars.count
            if length != n { return "text has \(length) characters, analysis.characters says \(n)" }
        }
        var words = 0
        var seen = Set<TermKey>()
        var formulaCounts: [String: Int] = [:]
        for (i, term) in a.terms.enumerated() {
            if term.count < 1 { return "analysis.terms.\(i): count \(term.count) of `\(term.text)` is below 1" }
            if term.text.isEmpty { return "analysis.terms.\(i): empty term" }
            if !seen.insert(term.key).inserted { return "analysis.terms.\(i): `\(term.text)` (\(term.kind.rawValue)) is listed twice" }
            if term.kind == .formula { formulaCounts[term.text] = term.count } else { words += term.count }
        }
        if words != a.tokenCount { return "analysis.token_count is \(a.tokenCount), the terms' counts add up to \(words)" }
        var occurrences: [String: Int] = [:]
        for (i, f) in a.formulas.enumerated() {
            occurrences[f.formula, default: 0] += 1
            if f.sourceRange.upperBound > n {
                return "analysis.formulas.\(i): range \(f.sourceRange.lowerBound)..<\(f.sourceRange.upperBound) is beyond the text's \(n) characters"
            }
            if f.surface.unicodeScalars.count != f.sourceRange.count {
                return "analysis.formulas.\(i): surface `\(f.surface)` is not \(f.sourceRange.count) characters long"
            }
            // The outer occurrence overlaps this one, and may end inside it (改革开放 in
            // 全面深化改革开放 stands in 全面深化改革).
            if let outer = f.within, outer.sourceRange.upperBound > n || !outer.sourceRange.overlaps(f.sourceRange) {
                return "analysis.formulas.\(i): `within` range \(outer.sourceRange.lowerBound)..<\(outer.sourceRange.upperBound) does not overlap the occurrence"
            }
        }
        if occurrences != formulaCounts { return "analysis.terms' formula counts differ from analysis.formulas" }
        for (i, t) in (a.tokens ?? []).enumerated() where t.sourceRange.upperBound > n {
            return "analysis.tokens.\(i): range \(t.sourceRange.lowerBound)..<\(t.sourceRange.upperBound) is beyond the text's \(n) characters"
        }
        // Surfaces against the text, visiting the occurrences by start (they are written in
        // order of position; nested ones share starts) with one index moving forward.
        guard let text, !a.formulas.isEmpty else { return nil }
        let scalars = text.unicodeScalars
        var at = scalars.startIndex, offset = 0
        for i in a.formulas.indices.sorted(by: { a.formulas[$0].sourceRange.lowerBound < a.formulas[$1].sourceRange.lowerBound }) {
            let f = a.formulas[i]
            at = scalars.index(at, offsetBy: f.sourceRange.lowerBound - offset)
            offset = f.sourceRange.lowerBound
            if !scalars[at...].starts(with: f.surface.unicodeScalars) {
                return "analysis.formulas.\(i): the text at \(f.sourceRange.lowerBound)..<\(f.sourceRange.upperBound) is not its surface `\(f.surface)`"
            }
        }
        return nil
    }
}

/// A line of a file of analyses: the record, or why it cannot be used.
public enum AnalyzedItem: Sendable {
    case analyzed(AnalyzedDocument)
    case skipped(CorpusSkip)
}

extension CorpusReader {
    /// The records of a file of `tifa analyze` output (or of stdin), one line at a time.
    public func analyzedDocuments(in file: CorpusFile) -> AnyIterator<AnalyzedItem> {
        let name = file.kind == .stdin ? "<stdin>" : file.path
        let lines: LineReader
        do {
            lines = LineReader(source: file.kind == .stdin ? FileByteSource(standardInput: ()) : try FileByteSource(path: file.path))
        } catch {
            return AnyIterator([AnalyzedItem.skipped(CorpusSkip(source: name, reason: "\(error)"))].makeIterator())
        }
        let decoder = JSONDecoder()
        var number = 0
        return AnyIterator {
            while true {
                let line: [UInt8]?
                do { line = try lines.next() } catch {
                    return .skipped(CorpusSkip(source: name, reason: "\(error)"))
                }
                guard let line else { return nil }
                number += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let record: AnalyzedDocument
                do {
                    // The decoder's answer, faster when the line is a plain record.
                    if let fast = line.withUnsafeBufferPointer(AnalyzedDocument.readJSON) {
                        record = fast
                    } else {
                        record = try decoder.decode(AnalyzedDocument.self, from: Data(line))
                    }
                } catch {
                    return .skipped(CorpusSkip(source: "\(name):\(number)", reason: "not a `tifa analyze` record (\(Self.describe(error)))"))
                }
                if let problem = record.inconsistency {
                    return .skipped(CorpusSkip(source: "\(name):\(number)", reason: "a `tifa analyze` record that contradicts itself (\(problem)); it was changed after `tifa analyze` wrote it"))
                }
                return .analyzed(record)
            }
        }
    }

    /// A decoding error in a few words: the key path and what was wrong.
    static func describe(_ error: Error) -> String {
        guard let e = error as? Swift.DecodingError else { return "\(error)" }
        func path(_ c: Swift.DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case .keyNotFound(let key, let c): return "missing \(path(c).isEmpty ? "" : path(c) + ".")\(key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong type at \(path(c))"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "not JSON" : "\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
