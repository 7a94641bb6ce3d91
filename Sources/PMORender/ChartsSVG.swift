// Charts as inline SVG: self-contained markup (no scripts, no fonts or images to fetch), sized by a
// viewBox so they scale with the page, with a <title> on every mark for a tooltip.
import PMOBase
import PMORuntime

/// Draws charts as SVG.
struct SVGChart {
    static let green = "#2da44e", amber = "#d4a72c", red = "#cf222e", grey = "#8c959f"
    static let ink = "#1f2328", muted = "#57606a", grid = "#d0d7de"
    static let font = "font-family=\"-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\""

    let chart: Chart

    static func ragColor(_ s: String?) -> String {
        switch s {
        case "green": return green
        case "amber": return amber
        case "red": return red
        default: return grey
        }
    }

    /// The `<svg>` element.
    func render() -> String {
        switch chart.payload {
        case .categories(let c): return categories(c)
        case .bubbles(let b): return bubbles(b)
        case .slips(let s): return slips(s)
        case .heatmap(let h): return heatmap(h)
        case .series(let s): return series(s)
        case .bars(let b): return bars(b)
        case .gantt(let g): return gantt(g)
        case .network(let n): return network(n)
        }
    }

    // MARK: - Pieces

    static func esc(_ s: String) -> String { HTMLWriter.escape(s) }

    /// A number for SVG attributes: at most two decimals, no exponent.
    static func n(_ d: Double) -> String {
        guard d.isFinite else { return "0" }
        let r = (d * 100).rounded() / 100
        if r == r.rounded() && abs(r) < 1e12 { return String(Int64(r)) }
        return String(format2(r))
    }

    static func format2(_ d: Double) -> String {
        guard let f = Fixed(d) else { return "0" }
        var s = f.format(digits: 2, grouping: false)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    func open(_ width: Double, _ height: Double, label: String) -> String {
        "<svg class=\"chart chart-\(chart.kind.rawValue)\" viewBox=\"0 0 \(SVGChart.n(width)) \(SVGChart.n(height))\" "
            + "width=\"\(SVGChart.n(width))\" height=\"\(SVGChart.n(height))\" role=\"img\" aria-label=\"\(SVGChart.esc(label))\" "
            + "style=\"max-width:100%;height:auto\" \(SVGChart.font) font-size=\"12\">\n"
            + "<title>\(SVGChart.esc(chart.title))</title>\n"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Double = 12,
                     fill: String = ink, weight: String? = nil, extra: String = "") -> String {
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        return "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(n(size))\" fill=\"\(fill)\"\(w)\(extra)>\(esc(s))</text>\n"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = grid, width: Double = 1,
                     dash: String? = nil) -> String {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(d)/>\n"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil,
                     stroke: String? = nil, rx: Double = 0) -> String {
        let s = stroke.map { " stroke=\"\($0)\"" } ?? ""
        let r = rx > 0 ? " rx=\"\(n(rx))\"" : ""
        let t = title.map { "<title>\(esc($0))</title>" } ?? ""
        return "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\"\(s)\(r)>\(t)</rect>\n"
    }

    /// `$12.3M`, `€450k`, `$900`: money for axis labels.
    func money(_ units: Int64) -> String {
        let symbol = ValueFormatter.currencySymbol(chart.currency)
        let v = Double(units) / 10_000
        let mag = abs(v)
        let body: String
        if mag >= 1e9 { body = SVGChart.format1(v / 1e9) + "B" }
        else if mag >= 1e6 { body = SVGChart.format1(v / 1e6) + "M" }
        else if mag >= 1e3 { body = SVGChart.format1(v / 1e3) + "k" }
        else { body = SVGChart.format1(v) }
        if let symbol { return body.hasPrefix("-") ? "-" + symbol + body.dropFirst() : symbol + body }
        return body + " " + chart.currency
    }

    static func format1(_ d: Double) -> String {
        guard let f = Fixed((d * 10).rounded() / 10) else { return "0" }
        var s = f.format(digits: 1, grouping: true)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// About `count` round tick values covering `lo...hi`.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(max(1, count))
        var mag = 1.0
        while mag * 10 <= raw { mag *= 10 }
        while mag > raw { mag /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-9 && out.count < 50 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    // MARK: - RAG summary

    func categories(_ cats: [ChartCategory]) -> String {
        let width = 720.0, left = 90.0, barW = 600.0, barH = 34.0
        let totalCount = cats.reduce(0) { $0 + $1.count }
        let totalAmount = cats.reduce(Int64(0)) { $0 &+ max(0, $1.amount.units) }
        var out = open(width, 178, label: "\(chart.title): " + cats.map { "\($0.count) \($0.label)" }.joined(separator: ", "))
        func stacked(_ y: Double, _ label: String, _ share: (ChartCategory) -> Double, _ caption: (ChartCategory) -> String) {
            out += SVGChart.text(left - 10, y + barH / 2 + 4, label, anchor: "end", weight: "600")
            var x = left
            for c in cats {
                let w = barW * share(c)
                guard w > 0 else { continue }
                out += SVGChart.rect(x, y, w, barH, fill: SVGChart.ragColor(c.label), title: "\(c.label): \(caption(c))")
                if w > 44 {
                    out += SVGChart.text(x + w / 2, y + barH / 2 + 4, caption(c), anchor: "middle",
                                         fill: c.label == "amber" ? SVGChart.ink : "#ffffff", weight: "600")
                }
                x += w
            }
            if x == left { out += SVGChart.rect(left, y, barW, barH, fill: "#f6f8fa", stroke: SVGChart.grid) }
        }
        stacked(16, "Projects", { totalCount > 0 ? Double($0.count) / Double(totalCount) : 0 }, { "\($0.count)" })
        stacked(62, "BAC", { totalAmount > 0 ? Double(max(0, $0.amount.units)) / Double(totalAmount) : 0 },
                { self.money($0.amount.units) })
        // Legend: one entry per status with its count and BAC.
        var x = left
        for c in cats {
            out += SVGChart.rect(x, 122, 12, 12, fill: SVGChart.ragColor(c.label), rx: 2)
            let caption = "\(c.label) \(c.count) · \(money(c.amount.units))"
            out += SVGChart.text(x + 17, 132, caption)
            x += 22 + Double(caption.count) * 6.6
        }
        out += SVGChart.text(left, 164, "\(totalCount) projects, BAC \(money(totalAmount))", fill: SVGChart.muted)
        return out + "</svg>"
    }

    // MARK: - Milestone slip

    func slips(_ items: [ChartSlip]) -> String {
        let width = 760.0, rowH = 22.0, left = 210.0, right = 70.0, top = 34.0
        let height = top + Double(max(1, items.count)) * rowH + 48
        let plotW = width - left - right
        let days = items.flatMap { [$0.baseline.raw, $0.actual.raw] }
        let lo = Double((days.min() ?? 0) - 7), hi = Double((days.max() ?? 30) + 7)
        func px(_ d: Day) -> Double { left + (Double(d.raw) - lo) / max(1, hi - lo) * plotW }
        var out = open(width, height, label: "\(chart.title): \(items.count) milestones")
        // Month ticks.
        if let first = days.min(), let last = days.max() {
            var m = Period.month(containing: Day(raw: first)).start
            var guardCount = 0
            var lastLabel = -Double.infinity
            while m.raw <= last + 7 && guardCount < 240 {
                if Double(m.raw) >= lo {
                    out += SVGChart.line(px(m), top - 6, px(m), height - 44)
                    // Month labels at least 52 px apart (about every month on a few months' span).
                    if px(m) - lastLabel >= 52 {
                        let c = m.civil
                        out += SVGChart.text(px(m) + 3, top - 10, "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)", size: 10, fill: SVGChart.muted)
                        lastLabel = px(m)
                    }
                }
                guard let next = m.adding(months: 1) else { break }
                m = next
                guardCount += 1
            }
        }
        for (i, s) in items.enumerated() {
            let y = top + Double(i) * rowH + rowH / 2
            let label = s.project.isEmpty ? s.label : "\(s.label) · \(s.project)"
            out += SVGChart.text(left - 8, y + 4, label, anchor: "end", size: 11)
            let color = s.days > 0 ? SVGChart.red : SVGChart.green
            out += SVGChart.line(px(s.baseline), y, px(s.actual), y, stroke: color, width: 3)
            let tip = "\(s.label) \(s.name) (\(s.project)): baseline \(s.baseline), \(s.done ? "completed" : "forecast") \(s.actual), \(s.days >= 0 ? "+" : "")\(s.days) days"
            out += "<circle cx=\"\(SVGChart.n(px(s.baseline)))\" cy=\"\(SVGChart.n(y))\" r=\"4.5\" fill=\"#ffffff\" stroke=\"\(SVGChart.muted)\" stroke-width=\"1.5\"><title>\(SVGChart.esc(tip))</title></circle>\n"
            let fill = s.done ? color : "#ffffff"
            out += "<circle cx=\"\(SVGChart.n(px(s.actual)))\" cy=\"\(SVGChart.n(y))\" r=\"5\" fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"2\"><title>\(SVGChart.esc(tip))</title></circle>\n"
            out += SVGChart.text(width - right + 8, y + 4, "\(s.days >= 0 ? "+" : "")\(s.days) d", size: 11,
                                 fill: s.days > 0 ? SVGChart.red : SVGChart.muted, weight: "600")
        }
        if items.isEmpty { out += SVGChart.text(left, top + 14, "no milestone has a baseline to compare with", fill: SVGChart.muted) }
        // Legend: every mark of the chart, on two lines.
        let ly = height - 28
        func ring(_ x: Double, _ y: Double, fill: String, stroke: String, r: Double = 5) -> String {
            "<circle cx=\"\(SVGChart.n(x))\" cy=\"\(SVGChart.n(y))\" r=\"\(SVGChart.n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(r < 5 ? "1.5" : "2")\"/>\n"
        }
        var x = 16.0
        func entry(_ mark: String, _ text: String, _ y: Double) {
            out += mark
            out += SVGChart.text(x + 10, y, text, size: 11, fill: SVGChart.muted)
            x += 26 + SVGChart.textWidth(text, size: 11)
        }
        entry(ring(x, ly - 4, fill: "#ffffff", stroke: SVGChart.muted, r: 4.5), "grey ring: baseline date", ly)
        entry(ring(x, ly - 4, fill: "#ffffff", stroke: SVGChart.red), "open ring: forecast (not done)", ly)
        entry(ring(x, ly - 4, fill: SVGChart.red, stroke: SVGChart.red), "filled: completed", ly)
        x = 16
        let ly2 = height - 10
        entry(SVGChart.line(x - 6, ly2 - 4, x + 6, ly2 - 4, stroke: SVGChart.red, width: 3), "red: later than baseline", ly2)
        entry(SVGChart.line(x - 6, ly2 - 4, x + 6, ly2 - 4, stroke: SVGChart.green, width: 3), "green: on time or early", ly2)
        out += SVGChart.text(x, ly2, "+N d: days after the baseline", size: 11, fill: SVGChart.muted)
        return out + "</svg>"
    }

    // MARK: - Utilisation heat map

    static func heatColor(_ v: Double?) -> (fill: String, text: String) {
        guard let v else { return ("#f6f8fa", muted) }
        switch v {
        case ..<0.5: return ("#ddf4ff", ink)
        case ..<0.85: return ("#aceebb", ink)
        case ...1.0: return ("#fff1a8", ink)
        case ...1.2: return ("#ffb3ad", ink)
        default: return ("#cf222e", "#ffffff")
        }
    }

    func heatmap(_ h: ChartHeatmap) -> String {
        let cellW = 46.0, cellH = 22.0, left = 220.0, top = 46.0
        let width = max(520, left + Double(h.columns.count) * cellW + 16)
        let height = top + Double(max(1, h.rows.count)) * cellH + 44
        var out = open(width, height, label: "\(chart.title): \(h.rows.count) resources by \(h.columns.count) weeks")
        for (j, c) in h.columns.enumerated() {
            let x = left + Double(j) * cellW + cellW / 2
            let short = c.split(separator: "-").last.map(String.init) ?? c
            out += SVGChart.text(x, top - 8, short, anchor: "middle", size: 10, fill: SVGChart.muted)
            if j == 0 || short == "W01" {
                out += SVGChart.text(x, top - 24, String(c.prefix(4)), anchor: "middle", size: 10, fill: SVGChart.muted)
            }
        }
        for (i, r) in h.rows.enumerated() {
            let y = top + Double(i) * cellH
            let label = r.count > 34 ? String(r.prefix(33)) + "…" : r
            out += SVGChart.text(left - 8, y + cellH / 2 + 4, label, anchor: "end", size: 11)
            for (j, v) in (i < h.cells.count ? h.cells[i] : []).enumerated() {
                let x = left + Double(j) * cellW
                let (fill, ink) = SVGChart.heatColor(v)
                let shown = v.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
                out += SVGChart.rect(x + 1, y + 1, cellW - 2, cellH - 2, fill: fill,
                                     title: "\(r), \(j < h.columns.count ? h.columns[j] : ""): \(v.map { "\(SVGChart.format2($0 * 100))%" } ?? "no capacity")", rx: 2)
                out += SVGChart.text(x + cellW / 2, y + cellH / 2 + 4, shown, anchor: "middle", size: 10, fill: ink)
            }
        }
        if h.rows.isEmpty { out += SVGChart.text(left, top + 14, "no resources", fill: SVGChart.muted) }
        // Legend.
        let bands: [(String, Double?)] = [("under 50%", 0.3), ("50–85%", 0.7), ("85–100%", 0.95), ("100–120%", 1.1), ("over 120%", 1.5), ("no capacity", nil)]
        var x = 16.0
        let ly = height - 18
        for (name, v) in bands {
            out += SVGChart.rect(x, ly - 10, 14, 14, fill: SVGChart.heatColor(v).fill, stroke: SVGChart.grid, rx: 2)
            out += SVGChart.text(x + 19, ly + 1, name, size: 11, fill: SVGChart.muted)
            x += 30 + Double(name.count) * 6.2
        }
        return out + "</svg>"
    }

    // MARK: - Earned value trend

    func series(_ s: ChartSeries) -> String {
        let width = 720.0, height = 340.0, left = 72.0, right = 90.0, top = 20.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = s.lines.flatMap { $0.values.compactMap { $0?.units } }
        let lo = min(0, Double(all.min() ?? 0))
        var hi = max(Double(all.max() ?? 1), 1)
        // The axis ends on a tick at or above the largest value.
        let firstTicks = SVGChart.ticks(lo, hi, count: 5)
        if firstTicks.count >= 2, let lastTick = firstTicks.last, lastTick < hi { hi = lastTick + (firstTicks[1] - firstTicks[0]) }
        let dates = s.dates
        let d0 = Double(dates.first?.raw ?? 0), d1 = Double(dates.last?.raw ?? 1)
        func px(_ d: Day) -> Double { dates.count <= 1 ? left + plotW / 2 : left + (Double(d.raw) - d0) / max(1, d1 - d0) * plotW }
        func py(_ u: Int64) -> Double { top + plotH - (Double(u) - lo) / max(1, hi - lo) * plotH }
        var out = open(width, height, label: "\(chart.title): \(dates.count) status dates")
        for t in SVGChart.ticks(lo, hi, count: 5) {
            out += SVGChart.line(left, py(Int64(t)), left + plotW, py(Int64(t)))
            out += SVGChart.text(left - 6, py(Int64(t)) + 4, money(Int64(t)), anchor: "end", size: 11, fill: SVGChart.muted)
        }
        out += SVGChart.line(left, top + plotH, left + plotW, top + plotH, stroke: SVGChart.muted)
        // Date labels: about six, evenly spaced.
        let every = max(1, dates.count / 6)
        for (i, d) in dates.enumerated() where i % every == 0 || i == dates.count - 1 {
            out += SVGChart.line(px(d), top + plotH, px(d), top + plotH + 4, stroke: SVGChart.muted)
            if i % every == 0 || dates.count <= 6 {
                out += SVGChart.text(px(d), top + plotH + 18, d.description, anchor: "middle", size: 10, fill: SVGChart.muted)
            }
        }
        let colors = ["PV": "#0969da", "EV": SVGChart.green, "AC": "#bc4c00"]
        var endLabels: [(x: Double, y: Double, text: String, color: String)] = []
        for line in s.lines {
            let color = colors[line.name] ?? SVGChart.ink
            var points: [String] = []
            var last: (Double, Double)?
            for (i, v) in line.values.enumerated() where i < dates.count {
                guard let v else { continue }
                let p = (px(dates[i]), py(v.units))
                points.append("\(SVGChart.n(p.0)),\(SVGChart.n(p.1))")
                last = p
            }
            if points.count > 1 {
                out += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n"
            }
            for (i, v) in line.values.enumerated() where i < dates.count {
                guard let v else { continue }
                out += "<circle cx=\"\(SVGChart.n(px(dates[i])))\" cy=\"\(SVGChart.n(py(v.units)))\" r=\"2.5\" fill=\"\(color)\"><title>\(line.name) \(dates[i]): \(SVGChart.esc(money(v.units)))</title></circle>\n"
            }
            if let last, let final = line.values.last ?? nil {
                endLabels.append((last.0 + 8, last.1 + 4, "\(line.name) \(money(final.units))", color))
            }
        }
        // End labels top to bottom, at least 14 px apart.
        endLabels.sort { $0.y < $1.y }
        for i in endLabels.indices.dropFirst() where endLabels[i].y - endLabels[i - 1].y < 14 {
            endLabels[i].y = endLabels[i - 1].y + 14
        }
        for l in endLabels { out += SVGChart.text(l.x, l.y, l.text, size: 11, fill: l.color, weight: "600") }
        if dates.isEmpty { out += SVGChart.text(left + plotW / 2, top + plotH / 2, "no status reports", anchor: "middle", fill: SVGChart.muted) }
        return out + "</svg>"
    }

    // MARK: - Bars

    func bars(_ items: [ChartBar]) -> String {
        let longest = Double(min(40, items.map(\.label.count).max() ?? 4))
        let width = 760.0, rowH = 24.0, left = max(80, min(280, longest * 6.6 + 16)), right = 130.0, top = 10.0
        let height = top + Double(max(1, items.count)) * rowH + 12
        let fits = Int((left - 16) / 6.6)
        let plotW = width - left - right
        let lo = min(0, items.map(\.value).min() ?? 0), hi = max(0, items.map(\.value).max() ?? 1)
        let span = hi - lo > 0 ? hi - lo : 1
        func px(_ v: Double) -> Double { left + (v - lo) / span * plotW }
        var out = open(width, height, label: "\(chart.title): \(items.count) bars")
        out += SVGChart.line(px(0), top, px(0), height - 8, stroke: SVGChart.muted)
        for (i, b) in items.enumerated() {
            let y = top + Double(i) * rowH
            let label = b.label.count > fits ? String(b.label.prefix(max(1, fits - 1))) + "…" : b.label
            out += SVGChart.text(left - 8, y + rowH / 2 + 4, label, anchor: "end")
            let x0 = px(min(0, b.value)), x1 = px(max(0, b.value))
            let fill = b.label == "red" ? SVGChart.red : b.label == "amber" ? SVGChart.amber : b.label == "green" ? SVGChart.green : "#0969da"
            out += SVGChart.rect(x0, y + 4, x1 - x0, rowH - 8, fill: fill, title: "\(b.label): \(b.text)", rx: 2)
            out += SVGChart.text(x1 + 6, y + rowH / 2 + 4, b.text, size: 11, fill: SVGChart.muted)
        }
        if items.isEmpty { out += SVGChart.text(left, top + 14, "no rows", fill: SVGChart.muted) }
        return out + "</svg>"
    }
}
