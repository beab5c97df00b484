import Foundation
import FuzzSupport
import Tifa

// Dictionary and lexicon parsing: the input as a user dictionary (jieba format), a policy lexicon
// (then matched), a discovery stop list, or single lines of each format. The first byte chooses
// which.
let normalizer = loadOrDie("the normalizer") { try Normalizer() }
let sample = normalizer.normalize("坚持“两不愁、三保障”，实施乡村振兴战略，落实十四五规划。")

@main
enum FuzzDictionaries {
    static func main() {
        _ = sample
        runFuzzer(optionByte: { selector, body in
            switch selector % 4 {
            case 0:
                // A user dictionary, read as `Segmenter` reads one. (Compiling it into a lexicon
                // costs 30 ms a run, most of it the shipped data; FuzzSegment compiles a fixed one.)
                do {
                    try SegmentationDictionaries.forEachJiebaEntry(in: scratchFile("user.txt", body)) { entry in
                        precondition(!entry.word.isEmpty, "an empty word")
                    }
                } catch is DataFileError {}
                catch { preconditionFailure("user dictionary: undocumented error \(error)") }
            case 1:
                do {
                    let lexicon = try PolicyLexicon(files: [scratchFile("lexicon.tsv", body)])
                    let matcher = FormulaMatcher(lexicon: lexicon, normalizer: normalizer)
                    for m in matcher.matches(in: sample) {
                        precondition(lexicon.entry(formula: m.formula) != nil, "a match of no entry")
                    }
                } catch is DataFileError {}
                catch { preconditionFailure("lexicon: undocumented error \(error)") }
            case 2:
                do { _ = try DiscoveryStoplist(file: scratchFile("stoplist.txt", body)) } catch is DataFileError {}
                catch { preconditionFailure("stop list: undocumented error \(error)") }
            default:
                for line in String(decoding: body, as: UTF8.self).split(separator: "\n") {
                    _ = try? SegmentationDictionaries.parseJiebaLine(line)
                    _ = try? PolicyLexicon.parse(line)
                }
            }
        })
    }
}
