import Foundation
import Tifa

extension IndexReader {
    // MARK: kwic

    /// Every occurrence of `term` with `width` characters of original text on each side, in
    /// document order. Formulas come from the stored occurrences; words are found by re-running
    /// the build's analysis on the documents that contain them, so occurrences agree with counts.
    public func kwic(_ term: String, width: Int = 20, limit: Int? = nil, kinds: Set<TermKind>? = nil, search: SearchMode = .auto) throws -> [KwicLine] {
        try kwic(resolve(term, kinds: kinds, search: search), width: width, limit: limit)
    }

    /// KWIC lines of a resolved query; text and regex queries are found in the normalized texts.
    public func kwic(_ query: ResolvedQuery, width: Int = 20, limit: Int? = nil) throws -> [KwicLine] {
        try kwicResult(query, width: width, limit: limit).lines
    }

    /// `kwic`, and for a word: where its text also stands in the documents read, but cut
    /// otherwise by the segmenter (across token boundaries: 用 好用 活 for 用活), which its count
    /// and lines leave out. Inside a longer word (兴平 in 兴平市) is not such a place.
    ///
    /// `progress` is told how many documents have been analysed again after each one (a word
    /// of a large index without a limit reads many).
    public func kwicResult(_ query: ResolvedQuery, width: Int = 20, limit: Int? = nil, progress: ((Int) -> Void)? = nil) throws -> KwicResult {
        // Even formula occurrences, which are stored, need the text around them.
        try requireTexts(for: "kwic")
        var result = KwicResult()
        guard query.found else { return result }
        var spans: [Int64: Set<Range<Int>>] = [:]
        if query.method != .term {
            // A text search's lines are its matches alone: with a limit, the first documents do.
            let enough = query.terms.isEmpty ? limit : nil
            for (id, ranges) in try textOccurrences(query, enough: enough) { spans[id] = Set(ranges) }
        }
        let matches = query.terms
        for m in matches where m.kind == .formula {
            let s = try db.prepare("SELECT doc_id, start, \"end\" FROM formula_occurrences WHERE term_id = ?")
            try s.bind([.int(m.id)])
            while try s.step() { spans[s.int(0), default: []].insert(Int(s.int(1))..<Int(s.int(2))) }
        }
        let words = matches.filter { $0.kind != .formula }
        if !words.isEmpty {
            // The documents holding the words, read one at a time in doc_id order (the table's
            // own order: no sort, so the first rows come before every blob is decompressed).
            let docs = try db.prepare("""
                SELECT d.doc_id FROM doc_term_data d
                WHERE EXISTS (SELECT 1 FROM json_each(CAST(sqlar_uncompress(d.data, d.bytes) AS TEXT)) j
                              WHERE CAST(j.key AS INTEGER) IN (\(words.map { String($0.id) }.joined(separator: ","))))
                ORDER BY d.doc_id
                """)
            let text = try db.prepare("SELECT text FROM texts WHERE doc_id = ?")
            let analyzer = try analyzer()
            let needles = Set(words.map(\.text)).map { Array($0.unicodeScalars) }.filter { $0.count >= 2 }
            // Lines come in document order: with a limit, the documents after the one that
            // completes it are not analysed (a common word of a large index would otherwise
            // have every document analysed again for five lines). `linesBefore` counts the
            // lines of the documents before `id`, from every source.
            let otherDocuments = spans.keys.sorted()
            var nextOther = 0
            var linesBefore = 0
            var previous: Int64?
            while try docs.step() {
                let id = docs.int(0)
                if let previous { linesBefore += spans[previous]?.count ?? 0 }
                while nextOther < otherDocuments.count && otherDocuments[nextOther] < id {
                    if otherDocuments[nextOther] != previous { linesBefore += spans[otherDocuments[nextOther]]?.count ?? 0 }
                    nextOther += 1
                }
                previous = id
                if let limit, linesBefore >= limit {
                    result.stoppedAtLimit = true
                    break
                }
                result.documentsRead += 1
                progress?(result.documentsRead)
                try text.bind([.int(id)])
                guard try text.step(), let t = text.text(0) else { continue }
                // The words' texts in the normalized text the tokens are cut from, as original ranges.
                var occurrences: [Range<Int>] = []
                let tokens = analyzer.tokens(in: t) { piece in
                    for needle in needles {
                        Self.forEachOccurrence(of: needle, in: piece.scalars) { occurrences.append(piece.sourceRange($0)) }
                    }
                }
                for token in tokens where words.contains(where: { $0.text == token.text && $0.kind == token.kind }) {
                    spans[id, default: []].insert(token.sourceRange)
                }
                for source in occurrences {
                    // The tokens it overlaps (sorted by start: a binary search to the first).
                    var lo = 0, hi = tokens.count
                    while lo < hi { let mid = (lo + hi) / 2; if tokens[mid].sourceRange.upperBound <= source.lowerBound { lo = mid + 1 } else { hi = mid } }
                    var end = lo
                    while end < tokens.count && tokens[end].sourceRange.lowerBound < source.upperBound { end += 1 }
                    guard end - lo > 1 else { continue }  // one token: the word, or a longer one
                    result.otherwiseCut += 1
                    if result.otherwiseCutExample == nil { result.otherwiseCutExample = tokens[lo..<end].map(\.text).joined(separator: " ") }
                }
            }
            if result.otherwiseCut > 0 {
                result.modelRecutsDomainWord = words.contains { analyzer.segmenter.modelMayRecutDomainWord($0.text) }
            }
        }
        var lines: [KwicLine] = []
        let doc = try db.prepare("SELECT d.name, d.source, t.text FROM documents d JOIN texts t USING (doc_id) WHERE doc_id = ?")
        outer: for id in spans.keys.sorted() {
            try doc.bind([.int(id)])
            guard try doc.step() else { continue }
            let scalars = Array((doc.text(2) ?? "").unicodeScalars)
            for r in spans[id]!.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let limit, lines.count >= limit { break outer }
                guard r.upperBound <= scalars.count else { continue }
                lines.append(KwicLine(docID: Int(id), name: doc.text(0) ?? "", source: doc.text(1) ?? "",
                                       start: r.lowerBound, end: r.upperBound,
                                       left: Self.flat(scalars[max(0, r.lowerBound - width)..<r.lowerBound]),
                                       match: Self.flat(scalars[r]),
                                       right: Self.flat(scalars[r.upperBound..<min(scalars.count, r.upperBound + width)])))
            }
        }
        result.lines = lines
        return result
    }

    /// Context on one line: line breaks and tabs become spaces.
    static func flat(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        for s in scalars { view.append(s == "\n" || s == "\r" || s == "\t" ? " " : s) }
        return String(view)
    }
}
