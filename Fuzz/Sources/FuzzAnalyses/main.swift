import Foundation
import FuzzSupport
import Tifa

// Records of `tifa analyze` read back (`index build --from-analyses`): the input's first line as
// one line of a file of analyses. A line the reader uses must be the record `JSONDecoder` reads
// from it — the reader's fast path (`AnalyzedDocument.readJSON`) may only decline, never answer
// otherwise — and a skipped line must say why.
let file = scratchFile("analyses.jsonl", [])
let reader: CorpusReader = {
    do { return try CorpusReader(inputs: [file.path]) } catch { preconditionFailure("listing one existing file threw: \(error)") }
}()
let listed = Array(reader.files)
let decoder = JSONDecoder()

@main
enum FuzzAnalyses {
    static func main() {
        runFuzzer { data, size in
            guard let data else { return 0 }
            let bytes = UnsafeBufferPointer(start: data, count: size)
            let line = bytes.prefix { $0 != 0x0A }
            _ = scratchFile("analyses.jsonl", ArraySlice(line))
            for item in reader.analyzedDocuments(in: listed[0]) {
                switch item {
                case .analyzed(let record):
                    let decoded = try? decoder.decode(AnalyzedDocument.self, from: Data(line))
                    precondition(decoded == record, "the reader used a line JSONDecoder reads otherwise: \(String(decoding: line, as: UTF8.self))")
                case .skipped(let skip):
                    precondition(!skip.reason.isEmpty, "a skip without a reason")
                }
            }
            return 0
        }
    }
}
