import CSQLite
import Foundation
import Tifa

extension IndexReader {
    /// Every document's term counts, document by document in doc_id order, as the `doc_terms`
    /// view gives them — but read from `doc_term_data` here (libdeflate, and a parser of the one
    /// JSON shape the writer makes: `{"3":1,"17":4}`, `IndexVocabulary.withDocumentTermsJSON`)
    /// instead of through `json_each`, whose rows cost SQLite's record machinery each: a pass
    /// over every document of the generated 100 MB corpus's index takes a fraction of a second.
    /// `body(doc, term, count)`; a blob that does not decompress to that shape is a damaged index.
    func forEachDocumentTerm(_ body: (_ doc: Int64, _ term: Int64, _ count: Int64) throws -> Void) throws {
        guard let decompressor = libdeflate_alloc_decompressor() else { throw IndexError(file: path, message: "out of memory") }
        defer { libdeflate_free_decompressor(decompressor) }
        var buffer: [UInt8] = []
        let s = try db.prepare("SELECT doc_id, bytes, data FROM doc_term_data ORDER BY doc_id")
        while try s.step() {
            let doc = s.int(0), size = Int(s.int(1))
            let damaged = IndexError(file: path, message: "the term counts of document \(doc) are damaged; \(IndexFileCheck.rebuildHint(path))")
            try s.withBytes(2) { data in
                // As sqlar_uncompress: the JSON itself when compressing did not make it smaller.
                if data.count == size { return try Self.parseTermCounts(data, doc: doc, damaged: damaged, body) }
                guard size >= 0 else { throw damaged }
                if buffer.count < size { buffer = [UInt8](repeating: 0, count: max(size, buffer.count * 2)) }
                try buffer.withUnsafeMutableBufferPointer { out in
                    var actual = 0
                    guard let input = data.baseAddress,
                          libdeflate_zlib_decompress(decompressor, input, data.count, out.baseAddress, size, &actual) == LIBDEFLATE_SUCCESS,
                          actual == size else { throw damaged }
                    try Self.parseTermCounts(UnsafeBufferPointer(rebasing: out[..<size]), doc: doc, damaged: damaged, body)
                }
            }
        }
    }

    /// The terms a pass over the documents' counts keeps, by term id: each kept term's place
    /// (0, 1, … in term_id order).
    struct TermIDSlots {
        var slotOfTerm: [Int32]
        var count = 0
        func slot(_ term: Int64) -> Int? {
            guard term >= 0 && term < slotOfTerm.count, case let s = slotOfTerm[Int(term)], s >= 0 else { return nil }
            return Int(s)
        }
    }

    /// The terms of `SELECT t.term_id, t.text, t.kind, t.df, t.cf FROM terms t WHERE condition
    /// ORDER BY t.term_id` that `keep` takes: it sees each row and the slot the term gets if it does.
    func termIDSlots(where condition: String, _ keep: (SQLiteStatement, Int) throws -> Bool) throws -> TermIDSlots {
        let maxTerm = Int(try db.scalarInt("SELECT COALESCE(MAX(term_id), 0) FROM terms") ?? 0)
        guard maxTerm < 1 << 31 else { throw IndexError(file: path, message: "term ids beyond 2^31; \(IndexFileCheck.rebuildHint(path))") }
        var slots = TermIDSlots(slotOfTerm: [Int32](repeating: -1, count: maxTerm + 1))
        let t = try db.prepare("SELECT t.term_id, t.text, t.kind, t.df, t.cf FROM terms t WHERE \(condition) ORDER BY t.term_id")
        while try t.step() {
            let id = Int(t.int(0))
            guard id >= 0 && id <= maxTerm, try keep(t, slots.count) else { continue }
            slots.slotOfTerm[id] = Int32(slots.count)
            slots.count += 1
        }
        return slots
    }

    /// `{"id":count,…}` with decimal ids and counts, nothing else (no spaces: the writer's form).
    static func parseTermCounts(_ json: UnsafeBufferPointer<UInt8>, doc: Int64, damaged: IndexError,
                                _ body: (Int64, Int64, Int64) throws -> Void) throws {
        let n = json.count
        var i = 0
        @inline(__always) func expect(_ byte: UInt8) throws {
            guard i < n, json[i] == byte else { throw damaged }
            i += 1
        }
        @inline(__always) func number() throws -> Int64 {
            var value: Int64 = 0
            let start = i
            while i < n, case let d = json[i] &- 0x30, d < 10 {
                guard i - start < 18 else { throw damaged }
                value = value * 10 + Int64(d)
                i += 1
            }
            guard i > start else { throw damaged }
            return value
        }
        try expect(UInt8(ascii: "{"))
        if i < n && json[i] == UInt8(ascii: "}") { i += 1 } else {
            while true {
                try expect(UInt8(ascii: "\""))
                let term = try number()
                try expect(UInt8(ascii: "\""))
                try expect(UInt8(ascii: ":"))
                let count = try number()
                try body(doc, term, count)
                guard i < n else { throw damaged }
                if json[i] == UInt8(ascii: "}") { i += 1; break }
                try expect(UInt8(ascii: ","))
            }
        }
        guard i == n else { throw damaged }
    }
}
