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
