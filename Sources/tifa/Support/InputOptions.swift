import Foundation
import ArgumentParser
import Tifa

/// How input bytes are decoded; shared by every command that reads text.
struct DecodingFlags: ParsableArguments {
    @Option(name: .long, help: "Input encoding (utf-8, utf-16le, utf-16be, gb18030, gbk, gb2312, big5); detected when omitted.")
    var encoding: String?

    @Flag(name: .long, help: "Fail on the first invalid byte sequence instead of replacing it with U+FFFD.")
    var strict = false

    var options: DecodingOptions {
        DecodingOptions(encoding: encoding.map(TextEncoding.init(name:)), invalidBytes: strict ? .fail : .replace)
    }
}

/// Which normalization steps run; shared by every command that normalizes.
struct NormalizationFlags: ParsableArguments {
    @Flag(name: .customLong("no-t2s"), help: "Keep traditional characters.")
    var noT2S = false
    @Flag(name: .customLong("no-width"), help: "Keep full-width letters and digits.")
    var noWidth = false
    @Flag(name: .customLong("no-artifacts"), help: "Keep pinyin annotations and zero-width characters.")
    var noArtifacts = false
    @Flag(name: .customLong("no-whitespace"), help: "Keep whitespace as it is.")
    var noWhitespace = false
    @Flag(name: .customLong("keep-chrome"), help: "Keep the furniture of scraped web pages (breadcrumbs, 上一篇/下一篇, share bars, source and copyright lines, footers).")
    var keepChrome = false
    @Flag(name: .customLong("drop-garbled"), help: "Remove runs of garbled text (mojibake, wrong-codec text); they are reported either way.")
    var dropGarbled = false

    var options: Normalizer.Options {
        var steps = Normalizer.Steps.standard
        if noT2S { steps.remove(.traditionalToSimplified) }
        if noWidth { steps.remove(.width) }
        if noArtifacts { steps.remove(.webArtifacts) }
        if noWhitespace { steps.remove(.whitespace) }
        if keepChrome { steps.remove(.webChrome) }
        if dropGarbled { steps.insert(.dropGarbledText) }
        return Normalizer.Options(steps: steps)
    }
}

/// `--files-from FILE|-`: input paths one per line, for corpora too large for a command line
/// (xargs and shell globs split or overflow it). The paths never pass through the argument
/// parser, whose handling of a repeated positional grows with the square of its length.
struct InputListOption: ParsableArguments {
    @Option(name: .customLong("files-from"), help: ArgumentHelp("Also read the input paths from FILE, one per line (- for stdin).", valueName: "FILE"))
    var filesFrom: String?

    /// The positional inputs followed by those of the list.
    func inputs(_ positional: [String]) throws -> [String] {
        guard let filesFrom else { return positional }
        if filesFrom == "-" && positional.contains("-") {
            throw ValidationError("--files-from - reads the list from stdin, so - cannot also be an input")
        }
        let data: Data
        if filesFrom == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do { data = try DataFiles.contents(of: URL(fileURLWithPath: filesFrom)) } catch {
                throw UserError("--files-from \(filesFrom): cannot be read (\(DataFiles.reason(error)))")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UserError("--files-from \(filesFrom): not UTF-8") }
        var paths = positional
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let path = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if !path.isEmpty { paths.append(path) }
        }
        return paths
    }
}

enum InputFiles {
    /// Runs `body` with a decoder for each input — a file, the files of a folder (.txt and .md,
    /// recursively, in sorted order) or - for stdin; stdin when `paths` is empty — and warns
    /// about replaced bytes once each file is done.
    static func forEach(_ paths: [String], decoding: DecodingOptions, _ body: (TextDecoder) throws -> Void) throws {
        try forEachDecoder(paths, decoding: decoding) { decoder in
            try body(decoder)
            warnAboutReplacements(decoder)
        }
    }

    /// `forEach` without the warning about replaced bytes, for a caller that writes it later in
    /// order with its output (`replacementWarning`).
    static func forEachDecoder(_ paths: [String], decoding: DecodingOptions, _ body: (TextDecoder) throws -> Void) throws {
        var options = CorpusOptions()
        options.extensions = ["txt", "md"]
        let files = try CorpusFileList(inputs: paths, options: options)
        for file in files {
            let source: ByteSource = file.kind == .stdin ? FileByteSource(standardInput: ()) : try FileByteSource(path: file.path)
            let name = file.kind == .stdin ? "<stdin>" : file.path
            if file.kind == .html {
                try body(try htmlTextDecoder(source: source, name: name, decoding: decoding))
            } else {
                try body(TextDecoder(source: source, name: name, options: decoding))
            }
        }
        FolderReport.report(files.folderListings, extensions: files.extensions)
    }

    /// A named .html or .htm file is read as the corpus commands read it: its text, without tags,
    /// scripts and styles (`HTMLText`), so offsets are into that text as in an index. The page
    /// is decoded whole first (markup is not streamed); invalid bytes it had are reported then.
    static func htmlTextDecoder(source: ByteSource, name: String, decoding: DecodingOptions) throws -> TextDecoder {
        let page = TextDecoder(source: source, name: name, options: decoding)
        var utf8: [UInt8] = []
        try page.decodeRest(appendingUTF8To: &utf8)
        warnAboutReplacements(page)
        let text = HTMLText.plainText(fromHTML: String(decoding: utf8, as: UTF8.self))
        return TextDecoder(source: MemoryByteSource(Array(text.utf8)), name: name, options: DecodingOptions(encoding: .utf8))
    }

    static func warnAboutReplacements(_ decoder: TextDecoder) {
        if let message = replacementWarning(decoder) { Diagnostics.warning(message) }
    }

    /// The warning about the invalid bytes `decoder` replaced, if any, once it has decoded all.
    static func replacementWarning(_ decoder: TextDecoder) -> String? {
        let r = decoder.report
        guard r.replacements > 0 else { return nil }
        return "\(decoder.name): \(r.replacements) invalid \(r.encoding) byte sequence\(r.replacements == 1 ? "" : "s") replaced with U+FFFD (first at byte offset \(r.firstInvalidByteOffset ?? 0))"
    }
}

/// How a corpus is read: files, folders, JSON Lines, stdin.
struct CorpusInputFlags: ParsableArguments {
    @OptionGroup var records: RecordFieldFlags

    @OptionGroup var decoding: DecodingFlags

    /// A comma-separated `--meta` list; nil or empty keeps every scalar field.
    static func fields(_ list: String?) -> [String] {
        list.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
    }

    func reader(_ inputs: [String]) throws -> CorpusReader {
        var options = CorpusOptions()
        records.apply(to: &options)
        options.decoding = decoding.options
        return try CorpusReader(inputs: inputs, options: options)
    }
}

/// Reads every document of a corpus, warning about the ones skipped; returns how many were.
enum CorpusRun {
    /// Exit status when the job finished but some inputs were skipped.
    static let skippedExitCode: Int32 = 3

    static func forEachDocument(_ reader: CorpusReader, _ body: (Document) throws -> Void) rethrows -> Int {
        var skipped = 0
        var done = 0
        for item in reader {
            switch item {
            case .document(let document):
                try body(document)
                done += 1
                if Diagnostics.stderrIsTerminal && done % 100 == 0 {
                    FileHandle.standardError.write(Data("\r\(done) documents…".utf8))
                }
            case .skipped(let skip):
                Diagnostics.warning("skipped \(skip.description)")
                skipped += 1
            }
        }
        if Diagnostics.stderrIsTerminal && done >= 100 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FolderReport.report(reader.files.folderListings, extensions: reader.files.extensions)
        return skipped
    }

    static func finish(skipped: Int) throws {
        guard skipped > 0 else { return }
        Diagnostics.warning("\(skipped) input\(skipped == 1 ? " was" : "s were") skipped")
        throw ExitCode(skippedExitCode)
    }
}

/// Says what folder inputs held but were not read: a warning for a folder that gave no file
/// to read (a folder of .csv or .docx files would otherwise look like an empty corpus), a note
/// for files left out of one that did. Neither changes the exit status: the files were not
/// asked for by name, and the help says which extensions folders are read for.
enum FolderReport {
    static func report(_ listings: [FolderListing], extensions: Set<String>, quiet: Bool = false) {
        let read = extensions.sorted().map { "." + $0 }.joined(separator: " ")
        for listing in listings {
            let others = listing.unlistedCount
            let files = "\(others) file\(others == 1 ? "" : "s")"
            if listing.readFiles == 0 {
                let held = others > 0 ? "; it holds \(files) of other kinds: \(listing.unlistedSummary())"
                    : listing.filesWithUndecodableNames + listing.foldersWithUndecodableNames == 0 ? "; it holds no file" : ""
                Diagnostics.warning("\(listing.folder): no file to read (folders are read for \(read))" + held)
            } else if others > 0 && !quiet {
                Diagnostics.note("\(listing.folder): \(files) not read: \(listing.unlistedSummary()) (folders are read for \(read))")
            }
            let (badFiles, badFolders) = (listing.filesWithUndecodableNames, listing.foldersWithUndecodableNames)
            if badFiles + badFolders > 0 {
                let what = [badFiles > 0 ? "\(badFiles) file\(badFiles == 1 ? "" : "s")" : nil,
                            badFolders > 0 ? "\(badFolders) folder\(badFolders == 1 ? "" : "s")" : nil].compactMap { $0 }.joined(separator: " and ")
                Diagnostics.warning("\(listing.folder): \(what) not read: \(badFiles + badFolders == 1 ? "its name is" : "their names are") not UTF-8 "
                                    + "(GBK names from a zip archive? `convmv -f gbk -t utf-8 -r --notest \(listing.folder)` renames them)")
            }
        }
    }
}

extension CorpusOptions.StdinFormat: ExpressibleByArgument {}

/// Where JSON Lines records keep their text, id and metadata (`analyze`, `index build`).
struct RecordFieldFlags: ParsableArguments {
    @Option(name: .long, help: "JSON Lines: the field holding the text.")
    var textField = "content"

    @Option(name: .long, help: "JSON Lines: the field holding the document id (default: file:line).")
    var idField = "title"

    @Option(name: .long, help: ArgumentHelp("JSON Lines: fields kept as metadata, comma-separated (default: every scalar field).", valueName: "FIELDS"))
    var meta: String?

    @Flag(name: .customLong("date-from-text"), help: "A document without a year or date of its own gets the publication date written in it (发布时间：2019-05-12, a newspaper's dateline, a date line at the top or the signature date at the end) as its date, and so a year (trend, --by year, discover's years).")
    var dateFromText = false

    func apply(to options: inout CorpusOptions) {
        options.textField = textField
        options.idField = idField
        options.metaFields = CorpusInputFlags.fields(meta)
        options.dateFromText = dateFromText
    }
}

/// The inputs of the commands that read plain text (`normalize`, `segment`): files, folders
/// (.txt and .md, recursively), - for stdin, and `--files-from`.
struct TextInputs: ParsableArguments {
    @Argument(help: "Files or folders (.txt and .md in folders) to read, - for stdin; stdin when none.")
    var files: [String] = []

    @OptionGroup var list: InputListOption

    func paths() throws -> [String] { try list.inputs(files) }
}

/// The options of the commands that analyse text themselves (`segment`, `analyze`, `eval`): how
/// to decode, normalize and segment it.
struct TextAnalysisFlags: ParsableArguments {
    @OptionGroup var segmentation: SegmenterFlags
    @OptionGroup var decoding: DecodingFlags
    @OptionGroup var normalization: NormalizationFlags

    func makeAnalyzer() throws -> Analyzer {
        try segmentation.makeAnalyzer(normalization: normalization.options)
    }
}

/// `--threads N` of the commands that work on all cores (`index build`, `segment`), whose
/// results do not depend on N.
struct ThreadsOption: ParsableArguments {
    @Option(name: .long, help: "Threads that analyse the text (default: one per core the process may use, see taskset); the results do not depend on their number.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The threads asked for, or one per core the process may run on.
    var count: Int { threads ?? usableCores }
}
