import Foundation

/// Draws trend series as a standalone SVG line chart: groups on x, a count or a rate per 10k
/// tokens on y, one line per term, a legend, axis labels and a note of what was left out.
/// Self-contained (no scripts, no external fonts), so it opens in any browser and embeds in reports.
///
/// The x axis is honest about time: when every group is a number (years, congresses) positions are
/// proportional to the value, so 1954 → 1960 → 1981 are spaced as they happened and a gap shows
/// as a gap; tick labels are thinned so they never overlap. Other groups (titles, regions) are
/// categories with slanted, shortened labels, the full text as a tooltip. Rows without a group
/// (documents without the field) are never drawn: a point joined to its neighbours would invent a
/// change; `note` says how many were left out.
public struct TrendChart: Sendable {
    public enum Measure: String, Sendable { case rate, count }

    public var title: String?
    public var measure: Measure = .count
    public var xLabel = "year"
    /// A line under the chart, e.g. "3 documents without a year are left out".
    public var note: String?
    public var width = 800
    public var height = 450

    public init() {}

    /// CJK fonts first, so labels are not boxes where a CJK font exists under any of its names.
    static let fontFamily = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','PingFang SC','Microsoft YaHei',sans-serif"

    /// Colour-blind-safe colours, all distinct: Okabe–Ito without its yellow (too pale on white),
    /// then Paul Tol's muted scheme for the colours Okabe–Ito lacks. Past twelve series the
    /// colours repeat with a dashed line and another marker, so every series stays distinguishable.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                          "#882255", "#117733", "#332288", "#999933", "#AA4499"]
    static let dashes = ["", "6 3", "2 2", "8 3 2 3"]

    /// Colour, dash pattern and marker of series `i`.
    static func style(_ i: Int) -> (colour: String, dash: String, marker: Int) {
        (palette[i % palette.count], dashes[(i / palette.count) % dashes.count], (i / palette.count) % 3)
    }

    public func svg(_ rows: [TrendRow]) -> String {
        // Series in the order terms first appear; groups in the order they appear (the reader
        // sorts them). Rows without a group are not drawn.
        var groups: [String] = []
        var seenGroups = Set<String>()
        var series: [(label: String, points: [String: Double])] = []
        var seriesIndex: [String: Int] = [:]
        for r in rows {
            let key = "\(r.term)\t\(r.kindName)"
            if seriesIndex[key] == nil {
                seriesIndex[key] = series.count
                series.append((r.kind == .formula || r.kind == .word ? r.term : "\(r.term) (\(r.kindName))", [:]))
            }
            guard let g = r.group else { continue }
            if seenGroups.insert(g).inserted { groups.append(g) }
            series[seriesIndex[key]!].points[g] = measure == .rate ? r.per10k : Double(r.count)
        }
        let numericX = !groups.isEmpty && groups.allSatisfy { Double($0) != nil }
        let xs: [String: Double] = numericX
            ? Dictionary(uniqueKeysWithValues: groups.map { ($0, Double($0)!) })
            : Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, Double($0)) })
        let minX = xs.values.min() ?? 0, maxX = xs.values.max() ?? 1
        let maxY = Self.niceCeiling(series.flatMap { $0.points.values }.max() ?? 0)

        // Layout: the legend on the right grows the chart when there are many series; slanted
        // category labels need room below the axis.
        let legendLabels = series.map { Self.shorten($0.label, to: 18) }
        let categoryLabels = groups.map { Self.shorten($0, to: 14) }
        let slantRoom = numericX ? 0.0 : Double(categoryLabels.map(Self.textWidth).max() ?? 0) * 0.71
        let left = 70.0, right = 190.0, top = title == nil ? 20.0 : 45.0
        let bottom = 50.0 + slantRoom + (note == nil ? 0 : 18)
        let height = max(Double(self.height), top + Double(series.count) * 18 + 20 + bottom)
        let plotW = Double(width) - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { maxX == minX ? left + plotW / 2 : left + (x - minX) / (maxX - minX) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (maxY == 0 ? 0 : y / maxY * plotH) }
        let axisY = top + plotH

        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(Int(height))\" viewBox=\"0 0 \(width) \(Int(height))\" font-family=\"\(Self.fontFamily)\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        if let title { s += "<text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(Self.escape(Self.shorten(title, to: 60)))</text>\n" }
        for i in 0...5 {
            let v = maxY * Double(i) / 5, y = py(v)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(v))</text>\n"
        }
        if numericX {
            for v in Self.numericTicks(min: minX, max: maxX, pixels: plotW) {
                let x = px(v)
                s += "<line x1=\"\(f(x))\" y1=\"\(f(axisY))\" x2=\"\(f(x))\" y2=\"\(f(axisY + 5))\" stroke=\"#333\"/>\n"
                s += "<text x=\"\(f(x))\" y=\"\(f(axisY + 18))\" text-anchor=\"middle\">\(Self.label(v))</text>\n"
            }
        } else {
            // Slanted labels need about one line height of horizontal room each.
            let room = groups.count > 1 ? plotW / Double(groups.count - 1) : plotW
            let step = max(1, Int((16 / room).rounded(.up)))
            for (i, g) in groups.enumerated() where i % step == 0 {
                let x = px(xs[g]!)
                s += "<line x1=\"\(f(x))\" y1=\"\(f(axisY))\" x2=\"\(f(x))\" y2=\"\(f(axisY + 5))\" stroke=\"#333\"/>\n"
                s += "<text transform=\"translate(\(f(x + 4)) \(f(axisY + 12))) rotate(-45)\" text-anchor=\"end\"><title>\(Self.escape(g))</title>\(Self.escape(categoryLabels[i]))</text>\n"
            }
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(axisY))\" x2=\"\(f(left + plotW))\" y2=\"\(f(axisY))\" stroke=\"#333\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(axisY))\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(axisY + 36 + slantRoom))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        if let note {
            s += "<text class=\"note\" x=\"\(f(left))\" y=\"\(f(height - 8))\" fill=\"#555\">\(Self.escape(note))</text>\n"
        }
        let yLabel = measure == .rate ? "occurrences per 10,000 tokens" : "occurrences"
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(yLabel)</text>\n"
        for (i, one) in series.enumerated() {
            let (colour, dash, marker) = Self.style(i)
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            let points = groups.filter { one.points[$0] != nil }.map { "\(f(px(xs[$0]!))),\(f(py(one.points[$0]!)))" }
            s += "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashAttribute) points=\"\(points.joined(separator: " "))\"/>\n"
            for g in groups { if let v = one.points[g] {
                s += Self.marker(marker, x: px(xs[g]!), y: py(v), colour: colour, tooltip: "\(one.label) \(g): \(Self.label(v))")
            } }
            let ly = top + 10 + Double(i) * 18
            s += "<line x1=\"\(f(left + plotW + 15))\" y1=\"\(f(ly))\" x2=\"\(f(left + plotW + 40))\" y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashAttribute)/>\n"
            s += Self.marker(marker, x: left + plotW + 27.5, y: ly, colour: colour, tooltip: one.label)
            s += "<text x=\"\(f(left + plotW + 46))\" y=\"\(f(ly + 4))\"><title>\(Self.escape(one.label))</title>\(Self.escape(legendLabels[i]))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    private func f(_ v: Double) -> String { Self.f(v) }
    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A circle, square or diamond with a tooltip.
    static func marker(_ kind: Int, x: Double, y: Double, colour: String, tooltip: String) -> String {
        let t = "<title>\(escape(tooltip))</title>"
        switch kind {
        case 1: return "<rect x=\"\(f(x - 3))\" y=\"\(f(y - 3))\" width=\"6\" height=\"6\" fill=\"\(colour)\">\(t)</rect>\n"
        case 2: return "<path d=\"M\(f(x)) \(f(y - 4))L\(f(x + 4)) \(f(y))L\(f(x)) \(f(y + 4))L\(f(x - 4)) \(f(y))Z\" fill=\"\(colour)\">\(t)</path>\n"
        default: return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(colour)\">\(t)</circle>\n"
        }
    }

    /// Round tick values between `min` and `max` (a step of 1, 2 or 5 times a power of ten, never
    /// below 1 when the values are whole) spaced so that labels of the widest value never touch.
    static func numericTicks(min: Double, max: Double, pixels: Double) -> [Double] {
        guard max > min else { return [min] }
        let whole = min == min.rounded() && max == max.rounded()
        let labelWidth = Double(Swift.max(textWidth(label(min)), textWidth(label(max)))) + 12
        let maxTicks = Swift.max(1, Int(pixels / labelWidth))
        var step = (max - min) / Double(maxTicks)
        let p = pow(10, floor(log10(step)))
        step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= step } ?? 10 * p
        if whole { step = Swift.max(1, step.rounded()) }
        var ticks: [Double] = []
        var v = (min / step).rounded(.up) * step
        while v <= max + step * 1e-9 { ticks.append(v); v += step }
        return ticks
    }

    /// Approximate width in pixels at 12 px: CJK characters are square, others about half.
    static func textWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 12 : 7) }
    }

    /// At most `count` characters, an ellipsis marking a cut.
    static func shorten(_ s: String, to count: Int) -> String {
        s.count <= count ? s : String(s.prefix(count - 1)) + "…"
    }

    /// A value as a label: whole numbers without decimals.
    public static func label(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: v < 1 ? "%.3g" : "%.2f", v)
    }

    /// 1, 2 or 5 times a power of ten at or above `v`.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
