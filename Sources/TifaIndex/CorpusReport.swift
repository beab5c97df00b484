import Foundation
import Tifa

/// What a report page shows.
public struct ReportOptions: Sendable {
    public var title = "Tifa corpus report"
    /// `year` or a metadata field: the periods of the per-period tables and the charts' x axis.
    public var groupBy = "year"
    /// Rows of the overall rankings.
    public var rankingRows = 30
    /// Rows per period in the per-period rankings.
    public var rowsPerPeriod = 5
    /// Formulas drawn in the trend charts.
    public var chartedFormulas = 8
    /// KWIC samples shown for each of the leading formulas.
    public var samplesPerFormula = 3
    /// Words left out of the word rankings.
    public var stopWords: Set<String> = []
    public init() {}
}

/// One self-contained HTML page about an index: corpus summary and provenance, the leading
/// formulas and words overall and by period, trend charts, KWIC samples, and tables that sort
/// when a header is clicked. CSS, JavaScript and SVG are inline: the file opens offline and can
/// be mailed. After its script has run, the page sets `data-ok="1"` on `<html>` when every chart
/// has lines and every table sorts (a browser check reads it), and `data-error` on any script error.
public struct CorpusReport {
    public let options: ReportOptions
    public init(options: ReportOptions = .init()) { self.options = options }

    public func html(_ index: IndexReader) throws -> String {
        let by = options.groupBy
        var page = ""
        let documents = index.documentCount
        let tokens = try index.meta("tokens") ?? "?"

        // Rankings overall.
        var formulaQuery = TopQuery()
        formulaQuery.kinds = [.formula]
        formulaQuery.limit = options.rankingRows
        let formulas = try index.top(formulaQuery)
        var wordQuery = TopQuery()
        wordQuery.kinds = [.word]
        wordQuery.limit = options.rankingRows
        wordQuery.stopWords = options.stopWords
        let words = try index.top(wordQuery)

        // By period.
        var periodFormulas = formulaQuery
        periodFormulas.groupBy = by
        periodFormulas.limit = options.rowsPerPeriod
        var periodWords = wordQuery
        periodWords.groupBy = by
        periodWords.limit = options.rowsPerPeriod
        let formulasByPeriod = try index.top(periodFormulas).filter { $0.group != nil }
        let wordsByPeriod = try index.top(periodWords).filter { $0.group != nil }

        // Trends of the leading formulas.
        var trendQuery = TrendQuery(terms: formulas.prefix(options.chartedFormulas).map(\.term))
        trendQuery.groupBy = by
        trendQuery.kinds = [.formula]
        trendQuery.search = .term
        let trend = try trendQuery.terms.isEmpty ? TrendResult() : index.trend(trendQuery)
        let note = trend.ungroupedDocuments > 0 ? "\(trend.ungroupedDocuments) document\(trend.ungroupedDocuments == 1 ? "" : "s") without a \(by) left out" : nil

        page += "<header><h1>\(e(options.title))</h1>"
        page += "<p class=\"meta\">\(documents) documents · \(e(tokens)) tokens · built \(e(try index.meta("updated_at") ?? "")) · Tifa \(e(try index.meta("tifa_version") ?? ""))</p></header>\n"
        page += "<nav><a href=\"#summary\">Summary</a> <a href=\"#trends\">Trends</a> <a href=\"#formulas\">Formulas</a> <a href=\"#words\">Words</a> <a href=\"#periods\">By \(e(by))</a> <a href=\"#kwic\">In context</a> <a href=\"#provenance\">Provenance</a></nav>\n"

        // Summary.
        let skipped = try index.skipped()
        let periods = Set(trend.rows.compactMap(\.group)).count
        page += "<section id=\"summary\"><h2>Summary</h2><dl class=\"summary\">"
        page += "<dt>documents</dt><dd>\(documents)</dd><dt>tokens</dt><dd>\(e(tokens))</dd>"
        page += "<dt>distinct formulas</dt><dd>\(try index.distinctTerms(.formula))</dd><dt>distinct words</dt><dd>\(try index.distinctTerms(.word))</dd>"
        page += "<dt>\(e(by)) values</dt><dd>\(periods)\(note.map { " (\(e($0)))" } ?? "")</dd><dt>skipped inputs</dt><dd>\(skipped.count)</dd></dl></section>\n"

        // Charts.
        page += "<section id=\"trends\"><h2>Trends of the leading formulas</h2>"
        if trend.rows.isEmpty {
            page += "<p class=\"empty\">No chart: \(trend.queries.isEmpty ? "the index has no formulas" : "no document has a \(e(by)) (build with --meta or --meta-from-path, or choose --by)").</p>"
        } else {
            for measure in [TrendChart.Measure.count, .rate] {
                var chart = TrendChart()
                chart.measure = measure
                chart.xLabel = by
                chart.note = note
                chart.title = measure == .count ? "Occurrences per \(by)" : "Occurrences per 10,000 tokens per \(by)"
                chart.width = 900
                page += "<figure class=\"chart\">\(chart.svg(trend.rows))</figure>"
            }
        }
        page += "</section>\n"

        // Rankings.
        let topColumns = ["rank", "term", "count", "documents", "per 10k", "tf-idf"]
        func topRow(_ r: TopRow) -> [String] { [String(r.rank), r.term, String(r.count), String(r.documents), f(r.per10k), f(r.tfidf)] }
        page += "<section id=\"formulas\"><h2>Leading formulas</h2>\(table(topColumns, formulas.map(topRow)))</section>\n"
        page += "<section id=\"words\"><h2>Leading words</h2><p class=\"hint\">Stop words left out: \(options.stopWords.count).</p>\(table(topColumns, words.map(topRow)))</section>\n"
        let periodColumns = [by] + topColumns
        func periodRow(_ r: TopRow) -> [String] { [r.group ?? ""] + topRow(r) }
        page += "<section id=\"periods\"><h2>By \(e(by))</h2>"
        if formulasByPeriod.isEmpty && wordsByPeriod.isEmpty {
            page += "<p class=\"empty\">No document has a \(e(by)).</p>"
        } else {
            page += "<h3>Formulas</h3>\(table(periodColumns, formulasByPeriod.map(periodRow)))"
            page += "<h3>Words</h3>\(table(periodColumns, wordsByPeriod.map(periodRow)))"
        }
        page += "</section>\n"

        // KWIC samples.
        page += "<section id=\"kwic\"><h2>In context</h2>"
        for formula in formulas.prefix(5) {
            let lines = try index.kwic(formula.term, width: 24, limit: options.samplesPerFormula, kinds: [.formula], search: .term)
            page += "<h3>\(e(formula.term))</h3><table class=\"kwic\"><tbody>"
            for l in lines {
                page += "<tr><td class=\"doc\">\(e(l.name))</td><td class=\"left\">\(e(l.left))</td><td class=\"match\">\(e(l.match))</td><td class=\"right\">\(e(l.right))</td></tr>"
            }
            page += "</tbody></table>"
        }
        page += "</section>\n"

        // Provenance.
        page += "<section id=\"provenance\"><h2>Provenance</h2>\(table(["key", "value"], try index.provenance().map { [$0.key, $0.value] }))</section>\n"
        return Self.document(title: options.title, body: page)
    }

    private func f(_ v: Double) -> String { String(format: "%.2f", v) }
    private func e(_ s: String) -> String { TrendChart.escape(s) }

    /// A sortable table; numeric cells carry their value for sorting.
    private func table(_ columns: [String], _ rows: [[String]]) -> String {
        var s = "<table class=\"sortable\"><thead><tr>"
        for c in columns { s += "<th>\(e(c))</th>" }
        s += "</tr></thead><tbody>"
        for r in rows {
            s += "<tr>"
            for cell in r { s += Double(cell) != nil ? "<td class=\"num\">\(e(cell))</td>" : "<td>\(e(cell))</td>" }
            s += "</tr>"
        }
        return s + "</tbody></table>"
    }

    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-Hans">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(TrendChart.escape(title))</title>
        <style>
        body { font-family: \(TrendChart.fontFamily.replacingOccurrences(of: "'", with: "\"")); margin: 0 auto; max-width: 1000px; padding: 0 1em 3em; color: #222; }
        header h1 { margin-bottom: 0.2em; }
        .meta, .hint, .empty { color: #555; }
        nav { position: sticky; top: 0; background: #fff; padding: 0.5em 0; border-bottom: 1px solid #ddd; }
        nav a { margin-right: 1em; color: #0072B2; text-decoration: none; }
        dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dl.summary dt { color: #555; }
        figure.chart { margin: 1em 0; }
        figure.chart svg { max-width: 100%; height: auto; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
        th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.sortable th { cursor: pointer; user-select: none; background: #f4f4f4; }
        table.sortable th[data-dir=asc]::after { content: " ▲"; }
        table.sortable th[data-dir=desc]::after { content: " ▼"; }
        table.kwic td.left { text-align: right; color: #555; }
        table.kwic td.match { font-weight: bold; color: #D55E00; white-space: nowrap; }
        table.kwic td.right { color: #555; }
        table.kwic td.doc { color: #888; font-size: 0.85em; }
        </style>
        </head>
        <body>
        \(body)
        <script>
        "use strict";
        window.addEventListener("error", function (e) { document.documentElement.dataset.error = String(e.message); });
        function cellValue(row, i) {
          var text = row.cells[i] ? row.cells[i].textContent : "";
          return /^-?[0-9]+(\\.[0-9]+)?$/.test(text) ? parseFloat(text) : text;
        }
        function sortTable(table, i, th) {
          var ascending = th.dataset.dir !== "asc";
          table.querySelectorAll("th").forEach(function (h) { delete h.dataset.dir; });
          th.dataset.dir = ascending ? "asc" : "desc";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellValue(a, i), y = cellValue(b, i);
            var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
            return ascending ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        }
        document.querySelectorAll("table.sortable").forEach(function (table) {
          table.querySelectorAll("th").forEach(function (th, i) {
            th.addEventListener("click", function () { sortTable(table, i, th); });
          });
        });
        (function selfCheck() {
          var charts = document.querySelectorAll("figure.chart");
          var drawn = Array.prototype.every.call(charts, function (f) { return f.querySelectorAll("svg polyline.series").length > 0; });
          // Sorting the first ranking by count ascending must put its smallest count first.
          var sorts = true;
          var table = document.querySelector("#formulas table.sortable") || document.querySelector("table.sortable");
          if (table && table.tBodies[0].rows.length > 1) {
            var th = table.querySelectorAll("th")[2];
            th.click();
            var first = parseFloat(table.tBodies[0].rows[0].cells[2].textContent);
            var all = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return parseFloat(r.cells[2].textContent); });
            sorts = first === Math.min.apply(null, all);
            th.click();
          }
          document.documentElement.dataset.charts = String(charts.length);
          document.documentElement.dataset.tables = String(document.querySelectorAll("table.sortable").length);
          if (drawn && sorts && !document.documentElement.dataset.error) { document.documentElement.dataset.ok = "1"; }
        })();
        </script>
        </body>
        </html>

        """
    }
}

extension IndexReader {
    /// Distinct terms of a kind in the index.
    public func distinctTerms(_ kind: TermKind) throws -> Int {
        Int(try db.scalarInt("SELECT COUNT(*) FROM terms WHERE kind = ?", [.text(kind.rawValue)]) ?? 0)
    }
}
