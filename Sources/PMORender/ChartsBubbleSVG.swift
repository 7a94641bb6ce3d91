// The CPI/SPI bubble chart as SVG: one bubble per project (area = BAC, colour = RAG status), labelled
// with the project's name where the name fits without touching another label, a bubble's centre or
// the quadrant captions, else with its id, else not at all (every bubble keeps a tooltip, and a line
// under the plot says how many are unlabelled).
import PMORuntime

extension SVGChart {
    /// The width of `s` in px at font size `size`, estimated from character classes of a sans-serif
    /// face (generous, so that estimated boxes that do not overlap do not overlap when drawn).
    static func textWidth(_ s: String, size: Double) -> Double {
        var em = 0.0
        for ch in s {
            if ch == " " { em += 0.3 }
            else if "il.,:;|!'()[]".contains(ch) { em += 0.32 }
            else if "mwMW@%".contains(ch) { em += 0.9 }
            else if ch.isUppercase { em += 0.72 }
            else if ch.isNumber { em += 0.58 }
            else if ch.isASCII { em += 0.58 }
            else { em += 1.0 }
        }
        return em * size
    }

    /// A name shortened with `…` to at most `max` characters.
    static func shortName(_ s: String, max: Int = 24) -> String {
        guard s.count > max else { return s }
        var cut = String(s.prefix(max - 1))
        while cut.last == " " { cut.removeLast() }
        return cut + "…"
    }

    func bubbles(_ items: [ChartBubble]) -> String {
        let width = 720.0, height = 500.0
        let left = 64.0, right = 24.0, top = 20.0, bottom = 72.0
        let plotW = width - left - right, plotH = height - top - bottom
        var xs = items.map(\.spi) + [1.0], ys = items.map(\.cpi) + [1.0]
        xs = xs.filter(\.isFinite); ys = ys.filter(\.isFinite)
        func range(_ v: [Double]) -> (Double, Double) {
            let lo = v.min() ?? 0.8, hi = v.max() ?? 1.2
            let pad = max(0.05, (hi - lo) * 0.12)
            return (max(0, lo - pad), hi + pad)
        }
        let (x0, x1) = range(xs), (y0, y1) = range(ys)
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * plotW }
        func py(_ v: Double) -> Double { top + plotH - (v - y0) / (y1 - y0) * plotH }
        var out = open(width, height, label: "\(chart.title): \(items.count) projects")
        // Grid and axes.
        for t in SVGChart.ticks(x0, x1, count: 6) {
            out += SVGChart.line(px(t), top, px(t), top + plotH)
            out += SVGChart.text(px(t), top + plotH + 16, SVGChart.format2(t), anchor: "middle", fill: SVGChart.muted)
        }
        for t in SVGChart.ticks(y0, y1, count: 6) {
            out += SVGChart.line(left, py(t), left + plotW, py(t))
            out += SVGChart.text(left - 6, py(t) + 4, SVGChart.format2(t), anchor: "end", fill: SVGChart.muted)
        }
        out += SVGChart.rect(left, top, plotW, plotH, fill: "none", stroke: SVGChart.muted)
        // On plan and on budget at 1.0.
        out += SVGChart.line(px(1), top, px(1), top + plotH, stroke: SVGChart.muted, width: 1.2, dash: "5 4")
        out += SVGChart.line(left, py(1), left + plotW, py(1), stroke: SVGChart.muted, width: 1.2, dash: "5 4")
        typealias Box = (x0: Double, y0: Double, x1: Double, y1: Double)
        var placed: [Box] = []
        let italic = " font-style=\"italic\""
        let ahead = "ahead of schedule, under budget", behind = "behind schedule, over budget"
        out += SVGChart.text(left + plotW - 6, top + 14, ahead, anchor: "end", fill: SVGChart.muted, extra: italic)
        placed.append((left + plotW - 6 - SVGChart.textWidth(ahead, size: 12), top + 2, left + plotW - 6, top + 17))
        out += SVGChart.text(left + 6, top + plotH - 8, behind, fill: SVGChart.muted, extra: italic)
        placed.append((left + 6, top + plotH - 20, left + 6 + SVGChart.textWidth(behind, size: 12), top + plotH - 5))
        out += SVGChart.text(left + plotW / 2, top + plotH + 36, "SPI (schedule performance)", anchor: "middle", weight: "600")
        out += "<text transform=\"translate(16 \(SVGChart.n(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" font-weight=\"600\" fill=\"\(SVGChart.ink)\">CPI (cost performance)</text>\n"
        // Bubbles, largest first so small ones stay visible on top.
        let maxSize = items.map { Double(max(0, $0.size.units)) }.max() ?? 0
        let sorted = items.sorted { $0.size.units != $1.size.units ? $0.size.units > $1.size.units : $0.label < $1.label }
        func radius(_ b: ChartBubble) -> Double {
            let share = maxSize > 0 ? Double(max(0, b.size.units)) / maxSize : 0
            return 4 + 24 * share.squareRoot()
        }
        for b in sorted {
            let r = radius(b)
            let color = SVGChart.ragColor(b.status)
            let tip = "\(b.label) \(b.name): CPI \(SVGChart.format2(b.cpi)), SPI \(SVGChart.format2(b.spi)), BAC \(money(b.size.units))"
            out += "<circle cx=\"\(SVGChart.n(px(b.spi)))\" cy=\"\(SVGChart.n(py(b.cpi)))\" r=\"\(SVGChart.n(r))\" fill=\"\(color)\" fill-opacity=\"0.55\" stroke=\"\(color)\" stroke-width=\"1.5\"><title>\(SVGChart.esc(tip))</title></circle>\n"
        }
        // No label covers a bubble's centre (a small box around each).
        for b in sorted { placed.append((px(b.spi) - 2.5, py(b.cpi) - 2.5, px(b.spi) + 2.5, py(b.cpi) + 2.5)) }
        // Labels, largest projects first: the name where it fits, else the id; never overlapping.
        let size = 10.0, h = 12.0
        var unlabelled = 0
        let circles = sorted.map { (x: px($0.spi), y: py($0.cpi), r: radius($0)) }
        /// Whether a box covers part of a bubble other than `own`.
        func coversBubble(_ box: Box, except own: Int) -> Bool {
            circles.indices.contains { i in
                guard i != own else { return false }
                let c = circles[i]
                let nx = min(max(c.x, box.x0), box.x1), ny = min(max(c.y, box.y0), box.y1)
                return (nx - c.x) * (nx - c.x) + (ny - c.y) * (ny - c.y) < c.r * c.r
            }
        }
        for (index, b) in sorted.enumerated() {
            let r = radius(b), cx = px(b.spi), cy = py(b.cpi)
            var texts: [String] = []
            if !b.name.isEmpty { texts.append(SVGChart.shortName(b.name)) }
            if !b.label.isEmpty && !texts.contains(b.label) { texts.append(b.label) }
            // The name clear of other bubbles, then over them, then the id likewise.
            var tries: [(String, Bool)] = []
            for t in texts { tries.append((t, true)); tries.append((t, false)) }
            var done = false
            for (text, clear) in tries where !done {
                let w = SVGChart.textWidth(text, size: size)
                // Right, left, above, below, then the four diagonals.
                let d = r * 0.72
                let candidates: [(Double, Double)] = [
                    (cx + r + 3, cy + 3.5), (cx - r - 3 - w, cy + 3.5), (cx - w / 2, cy - r - 4), (cx - w / 2, cy + r + 11),
                    (cx + d + 2, cy - d - 2), (cx + d + 2, cy + d + 10), (cx - d - 2 - w, cy - d - 2), (cx - d - 2 - w, cy + d + 10),
                ]
                for (x, y) in candidates {
                    let box: Box = (x - 1, y - h + 2.5, x + w + 1, y + 3)
                    guard box.x0 >= left + 1, box.x1 <= left + plotW - 1, box.y0 >= top + 1, box.y1 <= top + plotH - 1 else { continue }
                    if placed.contains(where: { $0.x0 < box.x1 && box.x0 < $0.x1 && $0.y0 < box.y1 && box.y0 < $0.y1 }) { continue }
                    if clear && coversBubble(box, except: index) { continue }
                    placed.append(box)
                    out += SVGChart.text(x, y, text, size: size, fill: SVGChart.ink, extra: " class=\"label\"")
                    done = true
                    break
                }
            }
            if !done { unlabelled += 1 }
        }
        // Legend: what the size and colour mean, and how many bubbles could not be labelled.
        let ly = height - 12
        var x = left
        for (name, color) in [("green", SVGChart.green), ("amber", SVGChart.amber), ("red", SVGChart.red), ("no status", SVGChart.grey)] {
            out += "<circle cx=\"\(SVGChart.n(x + 5))\" cy=\"\(SVGChart.n(ly - 4))\" r=\"5\" fill=\"\(color)\" fill-opacity=\"0.55\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
            out += SVGChart.text(x + 14, ly, name, size: 11, fill: SVGChart.muted)
            x += 22 + SVGChart.textWidth(name, size: 11)
        }
        var caption = "bubble area = BAC (largest \(money(Int64(maxSize))))"
        if unlabelled > 0 { caption += "; \(unlabelled) too crowded to label: hover for names" }
        out += SVGChart.text(x + 8, ly, caption, size: 11, fill: SVGChart.muted)
        if items.isEmpty { out += SVGChart.text(left + plotW / 2, top + plotH / 2, "no project has both CPI and SPI", anchor: "middle", fill: SVGChart.muted) }
        return out + "</svg>"
    }
}
