import Foundation
import FuzzSupport
import Tifa

// Corpus reading: the input as a JSON Lines, HTML or plain text file (with metadata from the
// path, chosen fields, strict decoding), read through `CorpusReader` like `tifa index build`
// reads a corpus; and HTML text extraction directly.
@main
enum FuzzCorpus {
    static func main() {
        runFuzzer(optionByte: { selector, body in
            let name = ["2019_四川_doc.jsonl", "2019_四川_doc.html", "2019_四川_doc.txt", "doc.ndjson"][Int(selector & 3)]
            var options = CorpusOptions()
            options.decoding.strict = selector & 4 != 0
            if selector & 8 != 0 { options.metaFromPath = #"(?<year>\d{4})_(?<region>[^_]+)_"# }
            if selector & 16 != 0 { options.metaFields = ["date", "year", "title"] }
            if selector & 32 != 0 { options.textField = "text"; options.idField = "id" }
            let file = scratchFile(name, body)
            do {
                let reader = try CorpusReader(inputs: [file.path], options: options)
                for item in reader {
                    switch item {
                    case .document(let document):
                        precondition(document.byteCount <= body.count, "document larger than its file")
                        if let year = document.year { precondition((0...9999).contains(year), "year \(year)") }
                    case .skipped(let skip):
                        precondition(!skip.reason.isEmpty, "a skip without a reason")
                    }
                }
            } catch {
                preconditionFailure("listing one existing file threw: \(error)")
            }
            if selector & 64 != 0 {
                _ = HTMLText.plainText(fromHTML: String(decoding: body, as: UTF8.self))
            }
        })
    }
}
