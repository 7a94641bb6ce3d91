// Charts at a terminal: block-character bars, sparklines, a shaded heat map and a dot plot, fitted to
// the width, coloured (RAG, heat bands) only when colour is on.
import PMOBase
import PMORuntime

struct TextChart {
    let chart: Chart
    let color: Bool
    /// The terminal width (80 when unknown).
    let width: Int

    static let reset = "\u{1B}[0m"

    static func ragCode(_ s: String?) -> String {
        switch s {
        case "green": return "\u{1B}[32m"
        case "amber": return "\u{1B}[33m"
        case "red": return "\u{1B}[31m"
        default: return "\u{1B}[90m"
        }
    }

    func paint(_ s: String, _ code: String) -> String { color ? code + s + TextChart.reset : s }

    /// Left-aligned to `w` display columns (cut with `…` when longer).
    static func pad(_ s: String, _ w: Int) -> String {
        let width = DisplayWidth.of(s)
        if width > w {
            var out = ""
            for ch in s {
                if DisplayWidth.of(out + String(ch)) > w - 1 { break }
                out.append(ch)
            }
            return out + "…" + String(repeating: " ", count: max(0, w - DisplayWidth.of(out) - 1))
        }
        return s + String(repeating: " ", count: w - width)
    }

    static func padLeft(_ s: String, _ w: Int) -> String {
        String(repeating: " ", count: max(0, w - DisplayWidth.of(s))) + s
    }

    /// A bar of `fraction` of `w` cells, in eighths.
    static func bar(_ fraction: Double, _ w: Int) -> String {
        guard fraction.isFinite, fraction > 0, w > 0 else { return "" }
        let eighths = Int((min(1, fraction) * Double(w) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }

    func render() -> String {
        var out = paint(chart.title, "\u{1B}[1m") + "\n"
        if !chart.note.isEmpty { out += paint(chart.note, "\u{1B}[90m") + "\n" }
        switch chart.payload {
        case .categories(let c): out += categories(c)
        case .bubbles(let b): out += bubbles(b)
        case .slips(let s): out += slips(s)
        case .heatmap(let h): out += heatmap(h)
        case .series(let s): out += series(s)
        case .bars(let b): out += bars(b)
        case .gantt(let g): out += gantt(g)
        case .network(let n): out += network(n)
        }
        return out
    }

    func money(_ f: Fixed) -> String { ValueFormatter.money(f, currency: chart.currency) }

    func categories(_ cats: [ChartCategory]) -> String {
        let total = max(1, cats.reduce(0) { $0 + $1.count })
        let amounts = cats.map { money($0.amount) }
        let amountW = amounts.map(DisplayWidth.of).max() ?? 0
        let barW = max(10, min(40, width - 6 - 8 - 14 - amountW - 4))
        var out = ""
        for (i, c) in cats.enumerated() {
            let b = TextChart.bar(Double(c.count) / Double(total), barW)
            out += paint(TextChart.pad(c.label, 6), TextChart.ragCode(c.label)) + " "
            out += paint(TextChart.pad(b, barW), TextChart.ragCode(c.label)) + " "
            out += TextChart.padLeft("\(c.count)", 4) + (c.count == 1 ? " project  " : " projects ")
            out += TextChart.padLeft(amounts[i], amountW) + "\n"
        }
        return out
    }

    func bubbles(_ items: [ChartBubble]) -> String {
        guard !items.isEmpty else { return "no project has both CPI and SPI\n" }
        let cols = max(30, min(72, width - 10)), rows = 15
        let xs = items.map(\.spi) + [1], ys = items.map(\.cpi) + [1]
        let x0 = (xs.min() ?? 0.8) - 0.02, x1 = (xs.max() ?? 1.2) + 0.02
        let y0 = (ys.min() ?? 0.8) - 0.02, y1 = (ys.max() ?? 1.2) + 0.02
        func cx(_ v: Double) -> Int { max(0, min(cols - 1, Int(((v - x0) / (x1 - x0) * Double(cols - 1)).rounded()))) }
        func cy(_ v: Double) -> Int { max(0, min(rows - 1, Int(((y1 - v) / (y1 - y0) * Double(rows - 1)).rounded()))) }
        var grid = Array(repeating: Array(repeating: " ", count: cols), count: rows)
        let oneX = cx(1), oneY = cy(1)
        for r in 0..<rows { grid[r][oneX] = "┊" }
        for c in 0..<cols { grid[oneY][c] = c == oneX ? "┼" : "┈" }
        let maxSize = Double(items.map { max(0, $0.size.units) }.max() ?? 1)
        for b in items.sorted(by: { $0.size.units < $1.size.units }) {
            let big = maxSize > 0 && Double(b.size.units) / maxSize > 0.33
            let mark = big ? "●" : "•"
            grid[cy(b.cpi)][cx(b.spi)] = paint(mark, TextChart.ragCode(b.status))
        }
        var out = ""
        for (r, line) in grid.enumerated() {
            let label: String
            if r == 0 { label = SVGChart.format2(y1) } else if r == oneY { label = "1" } else if r == rows - 1 { label = SVGChart.format2(y0) } else { label = "" }
            out += TextChart.padLeft(label, 5) + " │" + line.joined() + "\n"
        }
        out += String(repeating: " ", count: 6) + "└" + String(repeating: "─", count: cols) + "\n"
        let axis = "SPI " + SVGChart.format2(x0) + " … 1 … " + SVGChart.format2(x1)
        out += String(repeating: " ", count: 7) + axis + "   (CPI up; ● large BAC, • smaller)\n"
        return out
    }

    func slips(_ items: [ChartSlip]) -> String {
        guard !items.isEmpty else { return "no milestone has a baseline to compare with\n" }
        let labels = items.map { $0.project.isEmpty ? $0.label : "\($0.label) \($0.project)" }
        let labelW = min(28, labels.map(DisplayWidth.of).max() ?? 8)
        let maxDays = Double(items.map { abs($0.days) }.max() ?? 1)
        let barW = max(10, min(40, width - labelW - 12))
        var out = ""
        for (i, s) in items.enumerated() {
            let b = TextChart.bar(maxDays > 0 ? Double(abs(s.days)) / maxDays : 0, barW)
            let code = s.days > 0 ? "\u{1B}[31m" : "\u{1B}[32m"
            out += TextChart.pad(labels[i], labelW) + " " + paint(TextChart.pad(b, barW), code) + " "
                + TextChart.padLeft("\(s.days >= 0 ? "+" : "")\(s.days) d", 7) + (s.done ? " done" : "") + "\n"
        }
        return out
    }

    static func shade(_ v: Double?) -> (String, String) {
        guard let v else { return ("··", "\u{1B}[90m") }
        switch v {
        case ..<0.5: return ("░░", "\u{1B}[36m")
        case ..<0.85: return ("▒▒", "\u{1B}[32m")
        case ...1.0: return ("▓▓", "\u{1B}[33m")
        default: return ("██", "\u{1B}[31m")
        }
    }

    func heatmap(_ h: ChartHeatmap) -> String {
        guard !h.rows.isEmpty else { return "no resources\n" }
        let labelW = min(26, h.rows.map(DisplayWidth.of).max() ?? 8)
        let fit = max(1, (width - labelW - 2) / 3)
        let cols = min(h.columns.count, fit)
        var out = String(repeating: " ", count: labelW + 1)
        for j in 0..<cols {
            let short = h.columns[j].split(separator: "-").last.map(String.init) ?? h.columns[j]
            out += TextChart.pad(String(short.suffix(2)), 3)
        }
        out += "  (week)\n"
        for (i, r) in h.rows.enumerated() {
            let cells = i < h.cells.count ? h.cells[i] : []
            let shaded = (0..<cols).map { j -> String in
                let (s, code) = TextChart.shade(j < cells.count ? cells[j] : nil)
                return paint(s, code)
            }
            out += TextChart.pad(r, labelW) + " " + shaded.joined(separator: " ") + "\n"
        }
        out += "░ <50%  ▒ 50-85%  ▓ 85-100%  █ >100%  ·· no capacity"
        if cols < h.columns.count { out += "  (\(h.columns.count - cols) more weeks do not fit)" }
        return out + "\n"
    }

    func series(_ s: ChartSeries) -> String {
        guard !s.dates.isEmpty else { return "no status reports\n" }
        var out = ""
        let maxPoints = max(8, width - 40)
        // One scale for all the lines, so that they compare.
        let all = s.lines.flatMap { $0.values.suffix(maxPoints).compactMap { $0.map { Double($0.units) } } }
        let lo = all.min() ?? 0, hi = all.max() ?? 0
        for line in s.lines {
            let values = line.values.suffix(maxPoints).map { $0.map { Double($0.units) } }
            let first = line.values.compactMap { $0 }.first, last = line.values.compactMap { $0 }.last
            out += TextChart.pad(line.name, 3) + " " + Sparkline.render(Array(values), low: lo, high: hi)
            if let first, let last { out += "  " + money(first) + " → " + money(last) }
            out += "\n"
        }
        if let a = s.dates.first, let b = s.dates.last { out += "    \(a) … \(b)\n" }
        return out
    }

    func bars(_ items: [ChartBar]) -> String {
        guard !items.isEmpty else { return "no rows\n" }
        let labelW = min(28, items.map { DisplayWidth.of($0.label) }.max() ?? 4)
        let textW = items.map { DisplayWidth.of($0.text) }.max() ?? 4
        let barW = max(10, min(50, width - labelW - textW - 3))
        let top = items.map { abs($0.value) }.max() ?? 1
        var out = ""
        for b in items {
            let frac = top > 0 ? abs(b.value) / top : 0
            let code = b.label == "red" || b.label == "amber" || b.label == "green" ? TextChart.ragCode(b.label) : "\u{1B}[34m"
            let bar = (b.value < 0 ? "-" : "") + TextChart.bar(frac, barW)
            out += TextChart.pad(b.label, labelW) + " " + paint(TextChart.pad(bar, barW), code) + " " + TextChart.padLeft(b.text, textW) + "\n"
        }
        return out
    }
}
