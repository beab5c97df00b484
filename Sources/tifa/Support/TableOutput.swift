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

/// A value in a result table: numbers stay numbers in JSON Lines.
enum Cell {
    case text(String?)
    case int(Int)
    case number(Double)

    var plain: String {
        switch self {
        case .text(let s): return s ?? ""
        case .int(let i): return String(i)
        case .number(let d): return String(format: "%.4f", d)
        }
    }

    var json: String {
        switch self {
        case .text(let s): return s.map(JSON.quote) ?? "null"
        case .int(let i): return String(i)
        case .number(let d): return d.isFinite ? String(format: "%.6g", d) : "null"
        }
    }
}

/// Writes rows as an aligned table (for people), CSV/TSV with a header (for R, pandas, DuckDB) or
/// JSON Lines (one object per row).
struct TableWriter {
    let format: TableFormat
    let columns: [String]

    func write(_ rows: [[Cell]], to out: Output = .standard) {
        switch format {
        case .csv:
            out.write(columns.map(Self.csv).joined(separator: ",") + "\n")
            for r in rows { out.write(r.map { Self.csv($0.plain) }.joined(separator: ",") + "\n") }
        case .tsv:
            out.write(columns.joined(separator: "\t") + "\n")
            for r in rows { out.write(r.map { Self.tsv($0.plain) }.joined(separator: "\t") + "\n") }
        case .jsonl:
            for r in rows { out.write(object(r) + "\n") }
        case .json:
            out.write("[")
            for (i, r) in rows.enumerated() { out.write((i == 0 ? "\n" : ",\n") + object(r)) }
            out.write(rows.isEmpty ? "]\n" : "\n]\n")
        case .text:
            guard !rows.isEmpty else { return }
            let texts = rows.map { $0.map { c -> String in
                if case .number(let d) = c { return String(format: "%.2f", d) }
                return c.plain
            } }
            var widths = columns.map(Self.displayWidth)
            for r in texts { for (i, t) in r.enumerated() { widths[i] = max(widths[i], Self.displayWidth(t)) } }
            let numeric = columns.indices.map { i in rows.allSatisfy { if case .text = $0[i] { return false }; return true } }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, t in
                    let pad = String(repeating: " ", count: widths[i] - Self.displayWidth(t))
                    return numeric[i] ? pad + t : (i == cells.count - 1 ? t : t + pad)
                }.joined(separator: "  ") + "\n"
            }
            out.write(line(columns))
            for r in texts { out.write(line(r)) }
        }
    }

    private func object(_ row: [Cell]) -> String {
        "{" + zip(columns, row).map { "\(JSON.quote($0)):\($1.json)" }.joined(separator: ",") + "}"
    }

    static func csv(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// TSV has no quoting: tabs and line breaks inside a value become spaces.
    static func tsv(_ s: String) -> String {
        String(s.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
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
