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
                do {
                    return .analyzed(try decoder.decode(AnalyzedDocument.self, from: Data(line)))
                } catch {
                    return .skipped(CorpusSkip(source: "\(name):\(number)", reason: "not a `tifa analyze` record (\(Self.describe(error)))"))
                }
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
