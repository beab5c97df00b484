import ArgumentParser
import Tifa

struct Normalize: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Decode and normalize text to simplified UTF-8.",
        discussion: """
        Reads FILEs (or stdin; from folders .txt and .md files) in any supported encoding and writes normalized UTF-8. A named .html or .htm file is read as its text, without tags, scripts and styles, as the corpus commands read it (offsets are into that text).

        Scraped web pages lose their furniture (menus, breadcrumbs, 上一篇/下一篇, share, print, QR-code and correction bars, source, editor and date lines, the metadata table of government information pages (索引号, 发文字号 …), related links, copyright and disclaimer blocks, footers; Dictionaries/web_chrome.tsv; --keep-chrome keeps it). Runs of garbled text (mojibake, wrong-codec text) are reported on stderr with file, line and offsets, and removed with --drop-garbled. --explain writes, instead of the text, one TSV row per line or run found (file, line, start, end, kind, rule, removed, text); --stats writes counts per file, kind and rule, with totals.

        --format jsonl writes one object per input line: {"file", "line" (1-based), "start", "end" (original code point offsets, 0-based, end exclusive), "text", "map"}; "map" lists runs [text offset, original offset, length] in which consecutive characters of "text" come from consecutive original characters, so any character maps back to the original.
        """
    )

    @OptionGroup var inputs: TextInputs

    @Option(help: "Output format: text or jsonl.")
    var format: TextFormat = .text

    @Flag(help: "Instead of the text, write what the chrome and garbled-text steps found and why, as TSV: file, line (1-based, in the original), start, end (original offsets), kind, rule, removed, text.")
    var explain = false

    @Flag(help: "Instead of the text, write counts of what was found per file, kind and rule, as TSV with totals (file *).")
    var stats = false

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var decoding: DecodingFlags
    @OptionGroup var normalization: NormalizationFlags

    func run() throws {
        let normalizer = try Normalizer(options: normalization.options)
        let out = Output.standard
        // A file whose last line has no line break is ended before the next file is written,
        // so the two lines are not joined.
        var previousLineOpen = false
        var report = FindingsReport()
        if explain { out.write("file\tline\tstart\tend\tkind\trule\tremoved\ttext\n") }
        try InputFiles.forEach(try inputs.paths(), decoding: decoding.options) { decoder in
            var lineNumber = 1
            var firstOfFile = true
            var linesBefore = 0
            var garbledWarnings = GarbledTextWarnings()
            while let chunk = try decoder.nextChunk() {
                let text = normalizer.normalize(chunk)
                let lines = FindingsReport.originalLines(of: text.findings, in: chunk, linesBefore: linesBefore)
                linesBefore += chunk.scalars.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
                garbledWarnings.warn(about: text.findings, in: chunk, file: decoder.name)
                for (finding, line) in zip(text.findings, lines) {
                    report.add(finding, file: decoder.name)
                    if explain { out.write(FindingsReport.row(finding, file: decoder.name, line: line)) }
                }
                if explain || stats { continue }
                switch format {
                case .text:
                    guard let last = text.scalars.last else { continue }
                    if firstOfFile && previousLineOpen { out.write("\n") }
                    firstOfFile = false
                    out.write(scalars: text.scalars[...])
                    previousLineOpen = last != "\n"
                case .jsonl:
                    var start = 0
                    for (i, s) in text.scalars.enumerated() where s == "\n" || i == text.count - 1 {
                        let end = s == "\n" ? i : i + 1
                        out.write(Self.jsonLine(file: decoder.name, line: lineNumber, text: text, range: start..<end))
                        if s == "\n" { lineNumber += 1 }
                        start = i + 1
                    }
                }
            }
        }
        if stats { out.write(report.table()) }
    }

    static func jsonLine(file: String, line: Int, text: NormalizedText, range: Range<Int>) -> String {
        var runs: [String] = []
        var i = range.lowerBound
        while i < range.upperBound {
            var j = i + 1
            while j < range.upperBound && text.sourceOffsets[j] == text.sourceOffsets[j - 1] + 1 { j += 1 }
            runs.append("[\(i - range.lowerBound),\(text.sourceOffsets[i]),\(j - i)]")
            i = j
        }
        let source = text.sourceRange(range)
        return "{\"file\":\(JSON.quote(file)),\"line\":\(line),\"start\":\(source.lowerBound),\"end\":\(source.upperBound),\"text\":\(JSON.quote(text.text(range))),\"map\":[\(runs.joined(separator: ","))]}\n"
    }
}
