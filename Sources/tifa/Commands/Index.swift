import ArgumentParser
import Foundation
import Tifa
import TifaIndex

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build and inspect SQLite term-frequency indexes.",
        subcommands: [Build.self, Merge.self, Info.self]
    )

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Index a corpus; a rerun updates what changed.",
            discussion: """
            CORPUS: folders (recursive: .txt .md .html .htm .jsonl), files, JSON Lines files, or - for stdin (also when none is given). Documents are analysed on all the cores the process may use (--threads); results do not depend on the number of threads. The build writes DB.tmp-<pid> and renames it over DB when complete, so an interrupted build leaves the previous index intact.

            Incremental: files whose size and modification time are unchanged are not read; in changed files, documents with an unchanged checksum are kept; documents of files no longer in CORPUS are dropped. Other dictionaries or lexicons (--dict, --lexicon) re-index only the documents whose normalized text holds an added, removed or changed entry; another model, analyzer or option re-indexes all.

            --no-texts stores no document texts (text_data stays empty, meta.texts is `omitted`): a faster build and an index about half the size, with the same counts, statistics, formula occurrences, top, trend and export; kwic and searching a query as text (trend of a non-term, --text, --regex) then refuse. Updating such an index needs --no-texts again (adding texts means reading and analysing everything: --rebuild); --no-texts on an index with texts drops them.

            Tables: meta, resources, files, documents, document_meta, text_data, terms, doc_term_data, formula_occurrences, skipped; views: texts, doc_terms (both decompress with sqlar_uncompress, built into the sqlite3 shell), term_stats, corpus_totals, term_totals, doc_term_counts, term_counts_by_year, formula_counts_by_year.
            """
        )

        @Argument(help: ArgumentHelp("Folders, files or - (stdin).", valueName: "CORPUS"))
        var corpus: [String] = []

        @OptionGroup var inputList: InputListOption

        @Option(name: .long, help: ArgumentHelp("The index file to create or update.", valueName: "FILE"))
        var db: String

        @OptionGroup var records: RecordFieldFlags

        @Option(name: .long, help: ArgumentHelp("Regular expression with named groups matched against each file's relative path; the groups become metadata, e.g. '(?<year>\\d{4})_(?<region>[^_]+)_'.", valueName: "REGEX"))
        var metaFromPath: String?

        @Option(name: .long, help: "Input encoding of files (utf-8, gb18030, big5, …); detected per file when omitted.")
        var encoding: String?

        @Option(name: .long, help: "What stdin (-) holds: text (one document, the default) or jsonl (records).")
        var stdin: CorpusOptions.StdinFormat = .text

        @Flag(name: .customLong("from-analyses"), help: "CORPUS holds `tifa analyze` records (JSON Lines files or -) made with the same analysis options: index them without analysing again.")
        var fromAnalyses = false

        @Flag(name: .long, help: "Start from an empty index instead of updating the existing one.")
        var rebuild = false

        @Flag(name: .long, help: "Fail (leaving the previous index untouched) on the first document that cannot be read or has invalid bytes, instead of skipping or repairing it.")
        var strict = false

        @Flag(name: .customLong("no-texts"), help: "Store no document texts: counts only, faster and about half the size; kwic and text searches refuse such an index.")
        var noTexts = false

        @Flag(name: .long, help: "Count only outermost (leftmost-longest) formula occurrences, not a formula inside a longer one.")
        var outermost = false

        @OptionGroup var threading: ThreadsOption

        @Flag(name: .long, help: "No progress line or summary.")
        var quiet = false

        @OptionGroup var segmentation: SegmenterFlags
        @OptionGroup var normalization: NormalizationFlags

        @Sendable static func showProgress(_ p: IndexProgress) {
            let mb = Double(p.bytes) / 1_048_576
            let rate = p.elapsed > 0 ? mb / p.elapsed : 0
            var line = "\rindexing: \(p.documents) documents, \(String(format: "%.1f", mb)) MB, \(String(format: "%.1f", rate)) MB/s"
            if p.totalBytes > 0 && rate > 0 {
                let remaining = max(0, Double(p.totalBytes - p.bytes) / 1_048_576 / rate)
                line += ", ETA \(Int(remaining.rounded())) s"
            }
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        }

        /// A build streams many multi-megabyte texts and batches through several threads. glibc
        /// raises its mmap threshold after the first such buffer is freed and from then on serves
        /// them from per-thread heaps, which keep the freed memory: the process grew with the
        /// corpus (0.5 GB at 100 MB). A fixed threshold keeps large buffers mapped and unmapped,
        /// so memory stays bounded by the batches in flight, the SQLite cache and the vocabulary.
        ///
        /// A fixed threshold also fixes the trim threshold at 128 KiB: every document's working
        /// arrays, freed at the top of the heap, were given back to the kernel and faulted in
        /// again (zeroed) for the next document. The heap now grows 16 MiB at a time and keeps up
        /// to 32 MiB free at its top: a third fewer page faults in a 10 MB build, the same peak
        /// memory at 100 MB (DESIGN §6).
        static func returnLargeBuffersToTheSystem() {
            #if os(Linux)
            _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 1 << 20)
            _ = glibcMallopt(-1 /* M_TRIM_THRESHOLD */, 32 << 20)
            _ = glibcMallopt(-2 /* M_TOP_PAD */, 16 << 20)
            #endif
        }

        func validate() throws {
            if fromAnalyses && records.dateFromText {
                throw ValidationError("--date-from-text reads a corpus's texts; give it to `tifa analyze`, whose records then carry the date")
            }
        }

        func run() throws {
            Self.returnLargeBuffersToTheSystem()
            var options = IndexBuildOptions()
            records.apply(to: &options.corpus)
            options.corpus.metaFromPath = metaFromPath
            options.corpus.stdin = stdin
            options.source = fromAnalyses ? .analyses : .corpus
            options.corpus.decoding = DecodingOptions(encoding: encoding.map(TextEncoding.init(name:)), invalidBytes: strict ? .fail : .replace)
            options.analysis.normalization = normalization.options
            try segmentation.apply(to: &options.analysis, defaultDomainWords: .whole)
            options.analysis.formulaCoverage = outermost ? .outermost : .nested
            options.mode = rebuild ? .rebuild : .incremental
            options.skipPolicy = strict ? .fail : .report
            options.texts = noTexts ? .omitted : .stored
            options.threads = threading.count

            let showProgress = !quiet && Diagnostics.stderrIsTerminal
            let progress: (@Sendable (IndexProgress) -> Void)? = showProgress ? Self.showProgress : nil

            let report: IndexBuildReport
            do {
                report = try IndexBuilder.build(inputs: inputList.inputs(corpus), database: db, options: options, progress: progress)
            } catch {
                if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                throw error
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if let reason = report.fullRebuildReason, !quiet {
                Diagnostics.warning("\(db): re-indexed everything: \(reason)")
            }
            if let dropped = report.droppedTexts, !quiet {
                Diagnostics.note("\(db): --no-texts: dropped the stored texts of \(dropped) document\(dropped == 1 ? "" : "s")")
            }
            if let change = report.wordListChange, !quiet {
                Diagnostics.note(change.changedEntries == 0
                    ? "\(db): the dictionary and lexicon files changed but none of their entries did: no document re-indexed for them"
                    : "\(db): \(change.changedEntries) dictionary or lexicon entr\(change.changedEntries == 1 ? "y" : "ies") changed: re-indexed the \(change.reanalyzed) unchanged document\(change.reanalyzed == 1 ? "" : "s") that contain one, kept \(report.kept)")
            }
            FolderReport.report(report.folders, extensions: options.corpus.extensions, quiet: quiet)
            for skip in report.skipped.prefix(20) { Diagnostics.warning("skipped \(skip.source): \(skip.reason)") }
            if report.skipped.count > 20 {
                Diagnostics.warning("… and \(report.skipped.count - 20) more skipped documents (see the `skipped` table)")
            }
            if let duplicates = try? IndexReader(path: db).duplicateNames(), let first = duplicates.first {
                let remedy = fromAnalyses
                    ? "the same document analysed twice, or records given --id-field values that repeat"
                    : "choose a unique --id-field (now \(records.idField)) to tell them apart"
                Diagnostics.warning("\(db): \(duplicates.count) document id\(duplicates.count == 1 ? " occurs" : "s occur") more than once (e.g. \"\(first.name)\" ×\(first.count)); \(remedy)")
            }
            if report.documentsWithReplacements > 0 {
                Diagnostics.warning("\(report.documentsWithReplacements) document\(report.documentsWithReplacements == 1 ? "" : "s") had invalid bytes replaced with U+FFFD (documents.replacements; --strict to refuse)")
            }
            if !quiet && Diagnostics.stderrIsTerminal {
                let summary: String
                if report.upToDate {
                    summary = "\(db): up to date (\(report.totalDocuments) documents, \(report.unchangedFiles) files unchanged)"
                } else {
                    let mb = Double(report.bytesRead) / 1_048_576
                    summary = "\(db): \(report.totalDocuments) documents; indexed \(report.indexed), kept \(report.kept + 0), removed \(report.removed), skipped \(report.skipped.count), unchanged files \(report.unchangedFiles); read \(String(format: "%.1f", mb)) MB in \(String(format: "%.1f", report.seconds)) s"
                }
                Diagnostics.write(summary + "\n")
            }
            // Exit 3, as in extract: the index was built, but without some inputs.
            if !report.skipped.isEmpty { throw ExitCode(CorpusRun.skippedExitCode) }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge indexes built separately (shards) into one.",
            discussion: """
            The merged index answers every query like one build over the shards' inputs in the order given: documents are renumbered in shard order and term ids remapped to one vocabulary. The shards must be built with the same options and dictionaries (their fingerprints are compared), and all with texts or all with --no-texts; --no-texts leaves the texts out of the merged index, whatever the shards have. Written to DB.tmp-<pid> and renamed into place, like a build.

            Shards come from `tifa index build` on parts of a corpus (e.g. one per Spark partition, see examples/spark/); `tifa index build --from-analyses` is the other way to combine work done elsewhere.
            """
        )

        @Argument(help: ArgumentHelp("The shard indexes, in corpus order.", valueName: "SHARD"))
        var shards: [String] = []

        @OptionGroup var inputList: InputListOption

        @Option(name: .long, help: ArgumentHelp("The merged index to write (replaced if it exists).", valueName: "FILE"))
        var db: String

        @Flag(name: .customLong("no-texts"), help: "Leave the documents' texts out of the merged index (needed when only some shards have them).")
        var noTexts = false

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            let report = try IndexMerger.merge(shards: inputList.inputs(shards), into: db, texts: noTexts ? .omitted : nil)
            if !quiet && Diagnostics.stderrIsTerminal {
                Diagnostics.write("\(db): merged \(report.shards) shards: \(report.documents) documents, \(report.terms) terms in \(String(format: "%.1f", report.seconds)) s\n")
            }
        }
    }

    struct Info: ParsableCommand, WritesOutput {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show an index's provenance and totals."
        )

        @OptionGroup var database: DatabaseOption
        @OptionGroup var output: TableOutputOptions
        var outputPath: String? { output.destination.output }

        func run() throws {
            let index = try IndexReader(path: database.db)
            var rows: [[Cell]] = try index.provenance().map { [.text($0.key), .text($0.value)] }
            rows.append([.text("skipped"), .text(String(try index.skipped().count))])
            try output.writer(columns: ["key", "value"]).write(rows)
        }
    }
}

#if os(Linux)
/// glibc's `mallopt` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
