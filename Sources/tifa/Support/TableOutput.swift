import ArgumentParser
import Foundation
import Tifa

/// Output format of the commands that print a result table.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case text, tsv, csv, jsonl, json

    /// `table` was the name of `text` before the formats were unified; still accepted.
    init?(argument: String) {
        self.init(rawValue: argument == "table" ? "text" : argument)
    }

    static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Output format of the commands that write text or one record per line or token
/// (`normalize`, `segment`).
enum TextFormat: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl
}

/// A value in a result table: numbers stay numbers and lists stay lists in JSON.
enum Cell {
    case text(String?)
    case int(Int)
    case number(Double)
    /// Several values: an array in JSON, joined with `|` in CSV, TSV and text (as variants are in
    /// a lexicon file).
    case list([String])

    /// A number, or null (empty in CSV and TSV) when there is none.
    static func numberOrNull(_ d: Double?) -> Cell { d.map(Cell.number) ?? .text(nil) }
    static func intOrNull(_ i: Int?) -> Cell { i.map(Cell.int) ?? .text(nil) }

    var plain: String {
        switch self {
        case .text(let s): return s ?? ""
        case .int(let i): return String(i)
        case .number(let d): return String(format: "%.4f", d)
        case .list(let l): return l.joined(separator: "|")
        }
    }

    var json: String {
        switch self {
        case .text(let s): return s.map(JSON.quote) ?? "null"
        case .int(let i): return String(i)
        case .number(let d): return d.isFinite ? String(format: "%.6g", d) : "null"
        case .list(let l): return "[" + l.map(JSON.quote).joined(separator: ",") + "]"
        }
    }
}

/// Writes rows as an aligned table (for people), CSV/TSV with a header (for R, pandas, DuckDB),
/// JSON Lines (one object per row) or a JSON array. Rows are written as they are added, so a long
/// result streams; aligned text waits for `finish` (column widths need every row).
final class TableWriter {
    let format: TableFormat
    let columns: [String]
    private let out: Output
    private var rowCount = 0
    private var textRows: [[Cell]] = []

    /// Writes the header (CSV, TSV) or the opening bracket (JSON).
    init(format: TableFormat, columns: [String], out: Output = .standard) {
        self.format = format
        self.columns = columns
        self.out = out
        switch format {
        case .csv: out.write(Table.csv(columns))
        case .tsv: out.write(Table.tsv(columns))
        case .json: out.write("[")
        case .jsonl, .text: break
        }
    }

    func add(_ row: [Cell]) {
        switch format {
        case .csv: out.write(Table.csv(row.map(\.plain)))
        case .tsv: out.write(Table.tsv(row.map(\.plain)))
        case .jsonl: out.write(object(row) + "\n")
        case .json: out.write((rowCount == 0 ? "\n" : ",\n") + object(row))
        case .text: textRows.append(row)
        }
        rowCount += 1
    }

    /// Ends the table: the closing bracket (JSON), the aligned rows (text).
    func finish() {
        switch format {
        case .json: out.write(rowCount == 0 ? "]\n" : "\n]\n")
        case .text: writeAligned()
        case .csv, .tsv, .jsonl: break
        }
    }

    func write(_ rows: [[Cell]]) {
        rows.forEach(add)
        finish()
    }

    /// Columns padded to one display width; numbers right-aligned, with two decimals.
    private func writeAligned() {
        let rows = textRows
        guard !rows.isEmpty else { return }
        let texts = rows.map { $0.map { c -> String in
            if case .number(let d) = c { return String(format: "%.2f", d) }
            return c.plain
        } }
        var widths = columns.map(Table.displayWidth)
        for r in texts { for (i, t) in r.enumerated() { widths[i] = max(widths[i], Table.displayWidth(t)) } }
        let numeric = columns.indices.map { i in rows.allSatisfy { switch $0[i] { case .int, .number: true; case .text, .list: false } } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, t in
                let pad = String(repeating: " ", count: widths[i] - Table.displayWidth(t))
                return numeric[i] ? pad + t : (i == cells.count - 1 ? t : t + pad)
            }.joined(separator: "  ") + "\n"
        }
        out.write(line(columns))
        for r in texts { out.write(line(r)) }
    }

    private func object(_ row: [Cell]) -> String {
        "{" + zip(columns, row).map { "\(JSON.quote($0)):\($1.json)" }.joined(separator: ",") + "}"
    }
}

/// Lines of TSV and CSV (one dialect for every command: see README, "CSV and TSV") and aligned
/// text for the terminal.
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

    /// A CSV line: RFC 4180 quoting (a field with a comma, quote or line break is quoted, quotes
    /// doubled), ended with LF like every other line Tifa writes (RFC 4180 says CRLF; pandas, R,
    /// csvkit, DuckDB and spreadsheets read both).
    static func csv(_ fields: [String]) -> String {
        fields.map { f in
            // Quoting needs one of these bytes; the Character test decides when one is there.
            guard hasByte(f, { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return f }
            return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\n"
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
        let width = displayWidth
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

    /// Terminal columns: East Asian wide and full-width characters take two.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, c in
            let v = c.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}

/// `--db` for every query command.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index (an SQLite file written by `tifa index build`).", valueName: "FILE"))
    var db: String
}
