import Tifa

/// What the normalizer's chrome and garbled-text steps found, for `tifa normalize --explain`
/// and `--stats`.
struct FindingsReport {
    private struct Key: Hashable, Comparable {
        var file: String, kind: String, rule: String
        static func < (a: Key, b: Key) -> Bool { (a.file, a.kind, a.rule) < (b.file, b.kind, b.rule) }
    }
    private var counts: [Key: (found: Int, removed: Int, characters: Int)] = [:]
    private var files: [String] = []

    mutating func add(_ finding: NormalizationFinding, file: String) {
        if files.last != file { files.append(file) }
        for f in [file, "*"] {
            let key = Key(file: f, kind: finding.kind.rawValue, rule: finding.rule)
            var c = counts[key] ?? (0, 0, 0)
            c.found += 1
            if finding.removed { c.removed += 1; c.characters += finding.sourceRange.count }
            counts[key] = c
        }
    }

    /// TSV with a header: one row per file, kind and rule (files in input order), then the totals.
    func table() -> String {
        var text = "file\tkind\trule\tfound\tremoved\tremoved_characters\n"
        let order = Dictionary(uniqueKeysWithValues: (files + ["*"]).enumerated().map { ($1, $0) })
        for key in counts.keys.sorted(by: { (order[$0.file]!, $0.kind, $0.rule) < (order[$1.file]!, $1.kind, $1.rule) }) {
            let c = counts[key]!
            text += "\(Table.tsvCell(key.file))\t\(key.kind)\t\(key.rule)\t\(c.found)\t\(c.removed)\t\(c.characters)\n"
        }
        return text
    }

    static func row(_ f: NormalizationFinding, file: String, line: Int) -> String {
        "\(Table.tsvCell(file))\t\(line)\t\(f.sourceRange.lowerBound)\t\(f.sourceRange.upperBound)\t\(f.kind.rawValue)\t\(f.rule)\t\(f.removed)\t\(Table.tsvCell(f.text))\n"
    }

    /// The 1-based original line of each finding (findings are in text order).
    static func originalLines(of findings: [NormalizationFinding], in chunk: TextChunk, linesBefore: Int) -> [Int] {
        var lines: [Int] = []
        var line = linesBefore + 1, i = 0
        for f in findings {
            let target = f.sourceRange.lowerBound - chunk.startOffset
            while i < target && i < chunk.scalars.count { if chunk.scalars[i] == "\n" { line += 1 }; i += 1 }
            lines.append(line)
        }
        return lines
    }
}

/// Warns on stderr about each garbled run the normalizer found in a file, with the file, the
/// original line and offsets; one value per file, fed its chunks in order.
struct GarbledTextWarnings {
    private var linesBefore = 0

    mutating func warn(about findings: [NormalizationFinding], in chunk: TextChunk, file: String) {
        for message in messages(about: findings, in: chunk, file: file) { Diagnostics.warning(message) }
    }

    /// The warnings `warn` writes, for a caller that writes them later, in order with its output.
    mutating func messages(about findings: [NormalizationFinding], in chunk: TextChunk, file: String) -> [String] {
        var messages: [String] = []
        let garbled = findings.filter { $0.kind == .garbledText }
        if !garbled.isEmpty {
            for (f, line) in zip(garbled, FindingsReport.originalLines(of: garbled, in: chunk, linesBefore: linesBefore)) {
                messages.append("\(file):\(line): garbled text at offsets \(f.sourceRange.lowerBound)–\(f.sourceRange.upperBound) «\(f.text)»\(f.removed ? ", removed" : " (--drop-garbled removes it)")")
            }
        }
        // Every chunk's lines are counted (a tight loop: `reduce` over the scalars was 0.5 % of
        // `tifa segment`'s time).
        linesBefore += chunk.scalars.withUnsafeBufferPointer { text in
            text.withMemoryRebound(to: UInt32.self) { text in
                var lines = 0
                for v in text { lines &+= v == 0x0A ? 1 : 0 }
                return lines
            }
        }
        return messages
    }
}
