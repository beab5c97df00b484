import Foundation
import Tifa

/// How a query is looked for.
public enum SearchMode: String, Sendable, CaseIterable {
    /// An indexed term when the query is one (in any spelling the extractor accepts), else the
    /// query as text in the documents.
    case auto
    /// Indexed terms only.
    case term
    /// The query as text (a substring of the normalized documents), token or not.
    case text
    /// The query as a regular expression (ICU syntax) over the normalized documents.
    case regex
}

/// How a query was found.
public enum QueryMatchMethod: String, Sendable {
    /// As indexed terms: counts come from the index.
    case term
    /// As a substring of the normalized texts.
    case text
    /// As a regular expression over the normalized texts.
    case regex
}

/// A query as the index understood it.
public struct ResolvedQuery: Sendable {
    /// The query as given.
    public var query: String
    public var method: QueryMatchMethod
    /// What is counted: the normalized text or the pattern (the term texts for `.term`).
    public var label: String
    /// For `.term`: the indexed terms it names.
    var terms: [(id: Int64, text: String, kind: TermKind)] = []
    /// Whether anything was found (always true for a text search that was not run yet).
    public var found: Bool
    var pattern: NSRegularExpression?
}

public struct TrendQuery: Sendable {
    public var terms: [String]
    /// `year` or any metadata field.
    public var groupBy = "year"
    public var kinds: Set<TermKind>?
    /// Numeric groups below `from` or above `to` are left out (and non-numeric ones when either is given).
    public var from: Double?
    public var to: Double?
    public var search: SearchMode = .auto
    public init(terms: [String]) { self.terms = terms }
}

public struct TrendResult: Sendable {
    public var rows: [TrendRow] = []
    /// Documents without a value of the grouping field: never in `rows`.
    public var ungroupedDocuments = 0
    /// How each query was looked for, in query order.
    public var queries: [ResolvedQuery] = []
}

extension IndexReader {
    /// Looks `query` up: as indexed terms (normalized like the documents; any spelling of a
    /// formula names the formula) or, when it is not a term and `search` allows it, as text.
    public func resolve(_ query: String, kinds: Set<TermKind>? = nil, search: SearchMode = .auto) throws -> ResolvedQuery {
        switch search {
        case .regex:
            do {
                let pattern = try NSRegularExpression(pattern: query)
                return ResolvedQuery(query: query, method: .regex, label: query, found: true, pattern: pattern)
            } catch {
                throw IndexError(file: path, message: "--regex \(query): not a valid regular expression")
            }
        case .text:
            return textQuery(query)
        case .term, .auto:
            let terms = try lookup(query, kinds: kinds)
            if !terms.isEmpty || search == .term {
                return ResolvedQuery(query: query, method: .term, label: terms.first?.text ?? query, terms: terms, found: !terms.isEmpty)
            }
            return textQuery(query)
        }
    }

    private func textQuery(_ query: String) -> ResolvedQuery {
        let normalized = (try? queryNormalizer().normalize(query).string) ?? query
        let text = normalized.trimmingCharacters(in: .whitespaces)
        return ResolvedQuery(query: query, method: .text, label: text, found: !text.isEmpty)
    }

    /// Original ranges of every occurrence of a text or regex query, by document, found in the
    /// normalized texts (so 兴平 finds 興平 in a traditional document, inside 兴平市 too).
    /// `enough`: stop after the document that brings the occurrences to that many (documents
    /// are read in doc_id order, so they are the first ones).
    func textOccurrences(_ query: ResolvedQuery, enough: Int? = nil) throws -> [Int64: [Range<Int>]] {
        try requireTexts(for: query.method == .regex ? "--regex \(query.query)"
                         : "searching \"\(query.query)\" as text (not an indexed term, or --text)")
        let normalizer = try queryNormalizer()
        let needle = Array(query.label.unicodeScalars)
        var result: [Int64: [Range<Int>]] = [:]
        var found = 0
        let s = try db.prepare("SELECT doc_id, text FROM texts ORDER BY doc_id")
        while try s.step() {
            if let enough, found >= enough { break }
            guard let text = s.text(1) else { continue }
            let normalized = normalizer.normalize(text)
            var ranges: [Range<Int>] = []
            if let pattern = query.pattern {
                Self.forEachMatch(of: pattern, in: normalized.scalars) { ranges.append(normalized.sourceRange($0)) }
            } else if !needle.isEmpty {
                Self.forEachOccurrence(of: needle, in: normalized.scalars) { ranges.append(normalized.sourceRange($0)) }
            }
            if !ranges.isEmpty { result[s.int(0)] = ranges }
            found += ranges.count
        }
        return result
    }

    /// Non-overlapping occurrences, left to right.
    static func forEachOccurrence(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], _ body: (Range<Int>) -> Void) {
        guard let first = needle.first, needle.count <= haystack.count else { return }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<i + needle.count].elementsEqual(needle) {
                body(i..<i + needle.count)
                i += needle.count
            } else {
                i += 1
            }
        }
    }

    /// Regex matches as scalar ranges (NSRegularExpression counts UTF-16 units).
    static func forEachMatch(of pattern: NSRegularExpression, in scalars: [Unicode.Scalar], _ body: (Range<Int>) -> Void) {
        let string = String(String.UnicodeScalarView(scalars))
        // UTF-16 offset → scalar offset, walked forward as matches come in order.
        var unit = 0, scalar = 0
        func scalarOffset(_ target: Int) -> Int {
            while unit < target && scalar < scalars.count {
                unit += scalars[scalar].value > 0xFFFF ? 2 : 1
                scalar += 1
            }
            return scalar
        }
        for m in pattern.matches(in: string, range: NSRange(location: 0, length: string.utf16.count)) where m.range.length > 0 {
            let start = scalarOffset(m.range.location)
            let end = scalarOffset(m.range.location + m.range.length)
            body(start..<end)
        }
    }
}
