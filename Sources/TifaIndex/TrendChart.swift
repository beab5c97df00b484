import Foundation

/// Draws trend series as a standalone SVG line chart: groups (years) on x, a value (rate per 10k
/// tokens by default) on y, one coloured line per term, a legend and axis labels. Self-contained
/// (no scripts, no external fonts), so it opens in any browser and embeds in reports.
public struct TrendChart: Sendable {
    public enum Measure: String, Sendable { case rate, count }

    public var title: String?
    public var measure: Measure = .rate
    public var xLabel = "year"
    public var width = 800
    public var height = 450

    public init() {}

    /// Colour-blind-safe palette (Okabe–Ito), repeated when there are more terms.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    public func svg(_ rows: [TrendRow]) -> String {
        // Series in the order terms first appear; x positions in the order groups appear.
        var groups: [String] = []
        var series: [(label: String, points: [String: Double])] = []
        var seriesIndex: [String: Int] = [:]
        for r in rows {
            let g = r.group ?? "unknown"
            if !groups.contains(g) { groups.append(g) }
            let label = r.kind == .formula || r.kind == .word ? r.term : "\(r.term) (\(r.kind.rawValue))"
            let key = "\(r.term)\t\(r.kind.rawValue)"
            if seriesIndex[key] == nil { seriesIndex[key] = series.count; series.append((label, [:])) }
            series[seriesIndex[key]!].points[g] = measure == .rate ? r.per10k : Double(r.count)
        }
        let numericX = groups.allSatisfy { Double($0) != nil }
        let xs: [String: Double]
        if numericX {
            xs = Dictionary(uniqueKeysWithValues: groups.map { ($0, Double($0)!) })
        } else {
            xs = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, Double($0)) })
        }
        let minX = xs.values.min() ?? 0, maxX = xs.values.max() ?? 1
        let maxY = Self.niceCeiling(series.flatMap { $0.points.values }.max() ?? 0)

        let left = 70.0, right = 170.0, top = title == nil ? 20.0 : 45.0, bottom = 55.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        func px(_ x: Double) -> Double { maxX == minX ? left + plotW / 2 : left + (x - minX) / (maxX - minX) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (maxY == 0 ? 0 : y / maxY * plotH) }

        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        if let title { s += "<text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(Self.escape(title))</text>\n" }
        // Y grid and ticks.
        for i in 0...5 {
            let v = maxY * Double(i) / 5, y = py(v)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#e0e0e0\"/>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(v))</text>\n"
        }
        // X ticks: every group when few, else about ten.
        let step = max(1, Int((Double(groups.count) / 10).rounded(.up)))
        for (i, g) in groups.enumerated() where i % step == 0 || i == groups.count - 1 {
            let x = px(xs[g]!)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Self.escape(g))</text>\n"
        }
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(height - 12)\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        let yLabel = measure == .rate ? "occurrences per 10,000 tokens" : "occurrences"
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(yLabel)</text>\n"
        // Lines, points and legend.
        for (i, one) in series.enumerated() {
            let colour = Self.palette[i % Self.palette.count]
            let points = groups.filter { one.points[$0] != nil }.map { "\(f(px(xs[$0]!))),\(f(py(one.points[$0]!)))" }
            s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            for g in groups { if let v = one.points[g] {
                s += "<circle cx=\"\(f(px(xs[g]!)))\" cy=\"\(f(py(v)))\" r=\"3\" fill=\"\(colour)\"><title>\(Self.escape(one.label)) \(Self.escape(g)): \(Self.label(v))</title></circle>\n"
            } }
            let ly = top + 10 + Double(i) * 20
            s += "<line x1=\"\(f(left + plotW + 15))\" y1=\"\(f(ly))\" x2=\"\(f(left + plotW + 40))\" y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(f(left + plotW + 46))\" y=\"\(f(ly + 4))\">\(Self.escape(one.label))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func label(_ v: Double) -> String {
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
