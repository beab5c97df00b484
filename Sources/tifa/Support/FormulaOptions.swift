import ArgumentParser
import Foundation
import Tifa

/// Which lexicons the formula commands use: the shipped one and any `--lexicon FILE`s.
struct LexiconFlags: ParsableArguments {
    @Option(name: .customLong("lexicon"), help: ArgumentHelp("A user lexicon in the shipped format (formula, category, variants, since, meaning; TAB-separated); repeatable; later files win.", valueName: "file"))
    var lexiconFiles: [String] = []

    @Flag(name: .customLong("no-shipped-lexicon"), help: "Use only the --lexicon files, not Dictionaries/policy_formulas.tsv.")
    var noShippedLexicon = false

    /// Sets the lexicons of `options`.
    func apply(to options: inout Analyzer.Options) {
        options.lexicons = lexiconFiles.map(AnalysisPaths.absolute)
        options.shippedLexicon = noShippedLexicon ? .unused : .used
    }

    var analysisOptions: Analyzer.Options {
        var o = Analyzer.Options()
        apply(to: &o)
        return o
    }

    func load() throws -> PolicyLexicon {
        try Analyzer.lexicon(for: analysisOptions)
    }
}

/// Paths of dictionaries and lexicons are stored absolute in analysis options, so that an index
/// records which file it used and a query reloads the same one from any directory.
enum AnalysisPaths {
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// How a corpus is read: files, folders, JSON Lines, stdin.
struct CorpusInputFlags: ParsableArguments {
    @Option(name: .customLong("text-field"), help: "JSON Lines field holding the text.")
    var textField = "content"

    @Option(name: .customLong("id-field"), help: "JSON Lines field holding the document id.")
    var idField = "title"

    @OptionGroup var decoding: DecodingFlags

    /// A comma-separated `--meta` list; nil or empty keeps every scalar field.
    static func fields(_ list: String?) -> [String] {
        list.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
    }

    func reader(_ inputs: [String]) throws -> CorpusReader {
        var options = CorpusOptions()
        options.textField = textField
        options.idField = idField
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
        return skipped
    }

    static func finish(skipped: Int) throws {
        guard skipped > 0 else { return }
        Diagnostics.warning("\(skipped) input\(skipped == 1 ? " was" : "s were") skipped")
        throw ExitCode(skippedExitCode)
    }
}

/// Cells for TSV and CSV output.
enum Table {
    static func tsv(_ fields: [String]) -> String {
        var line = ""
        for (i, field) in fields.enumerated() {
            if i > 0 { line += "\t" }
            line += tsvCell(field)
        }
        line += "\n"
        return line
    }

    /// A TSV cell: tabs and line breaks become spaces. Most cells have none, and are returned
    /// as they are without a pass through Foundation (which costs more than the extraction).
    /// Cells with one keep Foundation's exact behaviour (it leaves a break followed by a
    /// combining mark alone).
    @inline(__always)
    static func tsvCell(_ field: String) -> String {
        guard hasByte(field, { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return field.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func csv(_ fields: [String]) -> String {
        fields.map { f in
            // Quoting needs one of these bytes; the Character test decides when one is there.
            guard hasByte(f, { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return f }
            return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r\n"
    }

    @inline(__always)
    static func hasByte(_ s: String, _ test: (UInt8) -> Bool) -> Bool {
        var s = s
        return s.withUTF8 { $0.contains(where: test) }
    }

    /// Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) into rows, each
    /// with the 1-based line it starts on.
    static func parseCSV(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                fields.append(field); field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r" && i + 1 < chars.count && chars[i + 1] == "\n" { i += 1 }
                fields.append(field); field = ""
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
                fields = []
                line += 1
                rowLine = line
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); rows.append((rowLine, fields)) }
        return rows
    }

    /// Pads columns to the same display width (CJK characters count two) for the terminal.
    static func aligned(_ rows: [[String]]) -> String {
        func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.properties.isIdeographic || ($1.value >= 0x3000 && $1.value <= 0xFFEF)) ? 2 : 1) } }
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], width(cell)) } }
        var out = ""
        for row in rows {
            for (i, cell) in row.enumerated() {
                out += cell
                if i < row.count - 1 { out += String(repeating: " ", count: widths[i] - width(cell) + 2) }
            }
            out += "\n"
        }
        return out
    }
}

extension PolicyCategory: ExpressibleByArgument {}
extension CorpusOptions.StdinFormat: ExpressibleByArgument {}
