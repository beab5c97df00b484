import ArgumentParser
import Foundation
import Tifa

struct Analyze: ParsableCommand, WritesOutput {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse each document of a corpus: one JSON Lines record per document.",
        discussion: """
        Reads a corpus like `tifa index build` (folders, files, JSON Lines with --text-field/--id-field/--meta, or - for stdin) and writes, for each document in input order, one line:

          {"id", "source", "metadata": {…}, "encoding", "replacements", "bytes", "checksum", "text", "analyzer", "analysis": {"characters", "token_count", "terms": [{"text", "kind", "count"}…], "formulas": [{"formula", "category", "start", "end", "surface", "within": null or {"formula", "start", "end"} of the outermost occurrence it stands in}…], "tokens": [{"text", "kind", "start", "end"}…] (with --tokens), "warnings": […]}}

        Offsets are 0-based code points into "text" (the decoded original), end exclusive. Terms are normalized (simplified, width-folded) and listed in order of first occurrence, formulas (kind formula) last; kinds are word, number, latin and formula. "analyzer" is a fingerprint of the analysis options and of the content of every dictionary: records with equal fingerprints were analysed alike, on any machine. Keys are sorted and the output is the same for the same input and options.

        Streaming (documents are analysed on --threads workers, a few at a time, and written in input order: the output does not depend on the thread count), so it works as a Hadoop-streaming mapper or a Spark `RDD.pipe` stage: `tifa analyze -` reads JSON Lines on stdin. `tifa index build --from-analyses FILE` indexes the output.

        Exit status 3: the job finished but some inputs were skipped (reported on stderr).
        """
    )

    @Argument(help: ArgumentHelp("Folders, files or - (stdin, JSON Lines); stdin when none.", valueName: "CORPUS"))
    var inputs: [String] = []

    @OptionGroup var inputList: InputListOption

    @OptionGroup var records: RecordFieldFlags

    @Option(name: .long, help: "What stdin (-) holds: jsonl (records, the default here) or text (one document).")
    var stdin: CorpusOptions.StdinFormat = .jsonl

    @Flag(name: .long, help: "Also list every counted token with its offsets.")
    var tokens = false

    @Flag(name: .customLong("no-text"), help: "Leave the document text out of the records (index them with `index build --from-analyses --no-texts`: no kwic).")
    var noText = false

    @OptionGroup var threading: ThreadsOption

    @OptionGroup var output: OutputOption
    var outputPath: String? { output.output }

    @OptionGroup var analysis: TextAnalysisFlags

    func run() throws {
        // Documents of many megabytes pass through one at a time: see Index.Build.
        Index.Build.returnLargeBuffersToTheSystem()
        var options = Analyzer.Options()
        options.normalization = analysis.normalization.options
        try analysis.segmentation.apply(to: &options, defaultDomainWords: .whole)
        let analyzer = try Analyzer(options: options)
        let fingerprint = try Analyzer.fingerprint(for: options)
        var corpus = CorpusOptions()
        records.apply(to: &corpus)
        corpus.decoding = analysis.decoding.options
        corpus.stdin = stdin
        let inputs = try inputList.inputs(self.inputs)
        let reader = try CorpusReader(inputs: inputs.isEmpty ? ["-"] : inputs, options: corpus)
        let out = Output.standard
        let detail: Analyzer.Detail = tokens ? .tokens : .counts
        let leavingOpen = !noText
        // Documents are analysed on `--threads` workers and written in input order, so the output
        // does not depend on the thread count. At most four documents a worker, and 64 MB of
        // input, wait to be written: memory stays bounded whatever the corpus.
        let pool = WorkerPool(threads: threading.count == 1 ? 0 : threading.count, name: "analysis")
        let window = 4 * max(1, pool.threads), windowBytes = 64 << 20
        var pending: [(document: Document, line: PendingWork<[UInt8]>)] = []
        var pendingBytes = 0
        func writeFirst() {
            let (document, work) = pending.removeFirst()
            pendingBytes -= document.byteCount
            work.value().withUnsafeBufferPointer { out.write(bytes: $0) }
            if !noText {
                // "text" sorts after every other key, so the record was left open for it: the
                // text is quoted piece by piece into the output, never copied whole.
                Self.writeQuotedContent(document.text, to: out)
                out.write("\"}")
            }
            out.write("\n")
        }
        let skipped = CorpusRun.forEachDocument(reader) { document in
            let line = pool.submit { () -> [UInt8] in
                var analysis = analyzer.analyze(document.text, detail: detail)
                if document.replacements > 0 {
                    analysis.warnings.append("\(document.replacements) invalid byte sequence\(document.replacements == 1 ? "" : "s") replaced with U+FFFD")
                }
                let record = AnalyzedDocument(document: document, analysis: analysis, analyzer: fingerprint, includesText: false)
                // The bytes JSONEncoder.sorted would write (AnalyzedDocument+JSON.swift), without
                // its boxed tree of every term.
                var line: [UInt8] = []
                record.appendJSON(to: &line, leavingOpen: leavingOpen)
                if leavingOpen { line.append(contentsOf: ",\"text\":\"".utf8) }
                return line
            }
            pending.append((document, line))
            pendingBytes += document.byteCount
            while pending.count > window || (pending.count > 1 && pendingBytes > windowBytes) || pending.first?.line.isDone == true {
                writeFirst()
            }
        }
        while !pending.isEmpty { writeFirst() }
        try CorpusRun.finish(skipped: skipped)
    }

    /// `text` escaped as the inside of a JSON string (as `JSON.quote` escapes it), written in
    /// blocks of about 64 KB: bytes straight from the scalars, no String per piece.
    static func writeQuotedContent(_ text: String, to out: Output) {
        var block: [UInt8] = []
        block.reserveCapacity((1 << 16) + 16)
        for scalar in text.unicodeScalars {
            JSON.appendEscaped(scalar, to: &block)
            if block.count >= 1 << 16 {
                block.withUnsafeBufferPointer { out.write(bytes: $0) }
                block.removeAll(keepingCapacity: true)
            }
        }
        block.withUnsafeBufferPointer { out.write(bytes: $0) }
    }
}
