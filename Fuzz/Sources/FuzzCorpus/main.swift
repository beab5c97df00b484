import Foundation
import FuzzSupport
import Tifa

// Corpus reading: the input as a JSON Lines, HTML or plain text file (with metadata from the
// path, chosen fields, strict decoding, dates from the text), read through `CorpusReader` like
// `tifa index build` reads a corpus; and HTML text extraction and publication dates directly.
//
// A reader is made once for each of the 64 choices of the option byte and then reads each input
// anew, as `tifa index build` lists a corpus once and reads its files: listing the one file and
// compiling the path pattern depend on the options only, and made per input they cost a third
// of the run.
let names = ["2019_四川_doc.jsonl", "2019_四川_doc.html", "2019_四川_doc.txt", "doc.ndjson"]
var readers: [CorpusReader?] = Array(repeating: nil, count: 64)

func reader(_ choice: UInt8, file: URL) -> CorpusReader {
    if let reader = readers[Int(choice)] { return reader }
    var options = CorpusOptions()
    options.decoding.invalidBytes = choice & 4 != 0 ? .fail : .replace
    if choice & 8 != 0 { options.metaFromPath = #"(?<year>\d{4})_(?<region>[^_]+)_"#; options.dateFromText = true }
    if choice & 16 != 0 { options.metaFields = ["date", "year", "title"] }
    if choice & 32 != 0 { options.textField = "text"; options.idField = "id" }
    do {
        let reader = try CorpusReader(inputs: [file.path], options: options)
        readers[Int(choice)] = reader
        return reader
    } catch {
        preconditionFailure("listing one existing file threw: \(error)")
    }
}

@main
enum FuzzCorpus {
    static func main() {
        runFuzzer(optionByte: { selector, body in
            let file = scratchFile(names[Int(selector & 3)], body)
            for item in reader(selector & 63, file: file) {
                switch item {
                case .document(let document):
                    // A record of a JSON Lines file in GB18030, Big5 or UTF-16 is measured in UTF-8.
                    let measuredInUTF8 = ["jsonl", "ndjson"].contains(file.pathExtension) && document.encoding != .utf8
                    precondition(document.byteCount <= (measuredInUTF8 ? 3 * body.count : body.count), "document larger than its file")
                    if let year = document.year { precondition((0...9999).contains(year), "year \(year)") }
                case .skipped(let skip):
                    precondition(!skip.reason.isEmpty, "a skip without a reason")
                }
            }
            if selector & 64 != 0 {
                _ = HTMLText.plainText(fromHTML: String(decoding: body, as: UTF8.self))
            }
            if selector & 128 != 0, let date = PublicationDate.find(in: String(decoding: body, as: UTF8.self)) {
                precondition((1900...2099).contains(date.year) && (1...12).contains(date.month) && (1...31).contains(date.day), "date \(date)")
            }
        })
    }
}
