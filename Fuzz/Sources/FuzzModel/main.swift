import Foundation
import FuzzSupport
import Tifa

// Segmentation model files (`tifa segment --model FILE`): the input is a model file whose last 8
// bytes are replaced by the checksum of the rest, so that mutations reach the sections behind it
// (header, schema, symbol rows, pair tables, kept words) instead of stopping at the checksum.
// A file loads or is a `DataFileError`; a loaded one has sorted, unique, non-empty kept words.
// Seed: `Fuzz/Data/tiny_model.bin` (see Fuzz/README.md).

@main
enum FuzzModel {
    static func main() {
        runFuzzer(optionByte: { _, body in
            var file = Array(body)
            if file.count >= 24 {
                let sum = file.withUnsafeBytes { SegmentationModel.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(file.count - 8)])) }
                for k in 0..<8 { file[file.count - 8 + k] = UInt8(truncatingIfNeeded: sum >> (8 * k)) }
            }
            do {
                let model = try SegmentationModel(contentsOf: scratchFile("model.bin", file[...]))
                let kept = model.keptWords
                for (i, word) in kept.enumerated() {
                    precondition(!word.isEmpty && (i == 0 || kept[i - 1] < word), "kept words not sorted, unique, non-empty")
                }
            } catch is DataFileError {}
            catch { preconditionFailure("model file: undocumented error \(error)") }
        })
    }
}
