// The Gantt chart and the project network as SVG (ChartsSchedule.swift computes them).
import PMOBase
import PMORuntime

extension SVGChart {
    static let blue = "#0969da", critical = "#cf222e", baseline = "#afb8c1"

    /// One row per task (16 px, so a few hundred tasks stay readable), a month grid, baselines as thin
    /// grey bars under the bars, critical tasks in red, milestones as diamonds, summaries as brackets,
    /// and a dashed line at the as-of date.
    func gantt(_ g: ChartGantt) -> String {
        let rowH = 16.0, left = 300.0, right = 20.0, top = 34.0, width = 980.0
        let height = top + Double(max(1, g.rows.count)) * rowH + 34
        let plotW = width - left - right
        let days = g.rows.flatMap { r in [r.start.raw, r.finish.raw] + [r.baselineStart, r.baselineFinish].compactMap { $0?.raw } } + [g.today.raw]
        let lo = Double((days.min() ?? 0) - 3), hi = Double((days.max() ?? 30) + 4)
        func px(_ d: Day) -> Double { left + (Double(d.raw) - lo) / max(1, hi - lo) * plotW }
        func pxEnd(_ d: Day) -> Double { px(Day(raw: d.raw &+ 1)) }
        var out = open(width, height, label: "\(chart.title): \(g.rows.count) tasks")
        if let first = days.min(), let last = days.max() {
            var m = Period.month(containing: Day(raw: first)).start
            var count = 0, lastLabel = -Double.infinity
            while m.raw <= last + 4 && count < 600 {
                if Double(m.raw) >= lo {
                    out += SVGChart.line(px(m), top - 6, px(m), height - 30)
                    if px(m) - lastLabel >= 44 {
                        let c = m.civil
                        out += SVGChart.text(px(m) + 3, top - 10, "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)", size: 10, fill: SVGChart.muted)
                        lastLabel = px(m)
                    }
                }
                guard let next = m.adding(months: 1) else { break }
                m = next
                count += 1
            }
        }
        for (i, r) in g.rows.enumerated() {
            let y = top + Double(i) * rowH
            if i % 2 == 1 { out += SVGChart.rect(0, y, width, rowH, fill: "#f6f8fa") }
            let indent = String(repeating: "  ", count: min(r.level, 6))
            let label = indent + r.label + " " + r.name
            let cut = label.count > 46 ? String(label.prefix(45)) + "…" : label
            out += SVGChart.text(8, y + 12, cut, size: 11, fill: r.critical ? SVGChart.critical : SVGChart.ink, weight: r.summary ? "600" : "400")
            let tip = "\(r.label) \(r.name): \(r.start) to \(r.finish)"
                + (r.baselineFinish.map { ", baseline finish \($0)" } ?? "") + (r.critical ? ", critical" : "")
            if let bs = r.baselineStart, let bf = r.baselineFinish, bf >= bs {
                out += SVGChart.rect(px(bs), y + 11, max(1.5, pxEnd(bf) - px(bs)), 3, fill: SVGChart.baseline, title: "baseline \(bs) to \(bf)")
            }
            let color = r.critical ? SVGChart.critical : SVGChart.blue
            if r.milestone {
                let cx = px(r.start) + (pxEnd(r.start) - px(r.start)) / 2, cy = y + 7
                out += "<path d=\"M\(SVGChart.n(cx)) \(SVGChart.n(cy - 6)) L\(SVGChart.n(cx + 6)) \(SVGChart.n(cy)) L\(SVGChart.n(cx)) \(SVGChart.n(cy + 6)) L\(SVGChart.n(cx - 6)) \(SVGChart.n(cy)) Z\" fill=\"\(color)\"><title>\(SVGChart.esc(tip))</title></path>\n"
            } else if r.summary {
                let x0 = px(r.start), x1 = pxEnd(r.finish)
                out += "<path d=\"M\(SVGChart.n(x0)) \(SVGChart.n(y + 11)) L\(SVGChart.n(x0)) \(SVGChart.n(y + 3)) L\(SVGChart.n(x1)) \(SVGChart.n(y + 3)) L\(SVGChart.n(x1)) \(SVGChart.n(y + 11))\" fill=\"none\" stroke=\"\(r.critical ? SVGChart.critical : SVGChart.ink)\" stroke-width=\"2\"><title>\(SVGChart.esc(tip))</title></path>\n"
            } else {
                let x0 = px(r.start), w = max(2, pxEnd(r.finish) - x0)
                out += SVGChart.rect(x0, y + 2, w, 9, fill: color, title: tip)
                if let p = r.percent, p > 0 {
                    out += SVGChart.rect(x0, y + 5, w * min(1, p), 3, fill: "#ffffff", title: "\(Int((p * 100).rounded()))% complete")
                }
            }
        }
        if g.rows.isEmpty { out += SVGChart.text(left, top + 14, "no task has dates to draw", fill: SVGChart.muted) }
        let tx = px(g.today)
        out += "<line x1=\"\(SVGChart.n(tx))\" y1=\"\(SVGChart.n(top - 4))\" x2=\"\(SVGChart.n(tx))\" y2=\"\(SVGChart.n(height - 30))\" stroke=\"\(SVGChart.amber)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>today \(g.today)</title></line>\n"
        let ly = height - 12
        out += SVGChart.rect(left, ly - 9, 18, 9, fill: SVGChart.blue) + SVGChart.text(left + 24, ly, "task", size: 11, fill: SVGChart.muted)
        out += SVGChart.rect(left + 70, ly - 9, 18, 9, fill: SVGChart.critical) + SVGChart.text(left + 94, ly, "critical", size: 11, fill: SVGChart.muted)
        out += SVGChart.rect(left + 150, ly - 6, 18, 3, fill: SVGChart.baseline) + SVGChart.text(left + 174, ly, "baseline", size: 11, fill: SVGChart.muted)
        out += "<path d=\"M\(SVGChart.n(left + 246)) \(SVGChart.n(ly - 10)) l5 5 l-5 5 l-5 -5 Z\" fill=\"\(SVGChart.blue)\"/>\n"
        out += SVGChart.text(left + 256, ly, "milestone", size: 11, fill: SVGChart.muted)
        out += SVGChart.line(left + 330, ly - 10, left + 330, ly, stroke: SVGChart.amber, width: 1.5)
        out += SVGChart.text(left + 336, ly, "today \(g.today)", size: 11, fill: SVGChart.muted)
        return out + "</svg>"
    }

    /// Projects in columns by layer (what they wait on is to their left), links as arrows; links in a
    /// cycle dashed red; nodes coloured by reported status.
    func network(_ net: ChartNetwork) -> String {
        let colW = 190.0, nodeW = 160.0, nodeH = 34.0, gapY = 14.0, top = 20.0, left = 16.0
        let layers = (net.nodes.map(\.layer).max() ?? 0) + 1
        var slot = [Int](repeating: 0, count: net.nodes.count), perLayer = [Int](repeating: 0, count: layers)
        for (i, n) in net.nodes.enumerated() { slot[i] = perLayer[n.layer]; perLayer[n.layer] += 1 }
        let width = left * 2 + Double(layers) * colW, height = top * 2 + Double(max(1, perLayer.max() ?? 1)) * (nodeH + gapY)
        func pos(_ i: Int) -> (x: Double, y: Double) { (left + Double(net.nodes[i].layer) * colW, top + Double(slot[i]) * (nodeH + gapY)) }
        var out = open(width, height, label: "\(chart.title): \(net.nodes.count) projects, \(net.edges.count) links")
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"\(SVGChart.muted)\"/></marker></defs>\n"
        for e in net.edges {
            let a = pos(e.from), b = pos(e.to)
            let x1 = a.x + nodeW, y1 = a.y + nodeH / 2
            var x2 = b.x, y2 = b.y + nodeH / 2
            if b.x <= a.x { x2 = b.x + nodeW / 2; y2 = b.y + (b.y > a.y ? 0 : nodeH) } // same or earlier column (a cycle)
            let dash = e.cycle ? " stroke-dasharray=\"5 3\"" : ""
            out += "<path d=\"M\(SVGChart.n(x1)) \(SVGChart.n(y1)) C\(SVGChart.n(x1 + 30)) \(SVGChart.n(y1)) \(SVGChart.n(x2 - 30)) \(SVGChart.n(y2)) \(SVGChart.n(x2)) \(SVGChart.n(y2))\" fill=\"none\" stroke=\"\(e.cycle ? SVGChart.red : SVGChart.muted)\" stroke-width=\"1.5\"\(dash) marker-end=\"url(#arrow)\"><title>\(SVGChart.esc("\(net.nodes[e.from].label) → \(net.nodes[e.to].label) (\(e.type))"))</title></path>\n"
        }
        for (i, n) in net.nodes.enumerated() {
            let p = pos(i)
            out += "<rect x=\"\(SVGChart.n(p.x))\" y=\"\(SVGChart.n(p.y))\" width=\"\(SVGChart.n(nodeW))\" height=\"\(SVGChart.n(nodeH))\" rx=\"6\" fill=\"#ffffff\" stroke=\"\(SVGChart.ragColor(n.status))\" stroke-width=\"2\"><title>\(SVGChart.esc("\(n.label) \(n.name)\(n.status.map { " (\($0))" } ?? "")"))</title></rect>\n"
            out += SVGChart.text(p.x + 8, p.y + 14, n.label, size: 11, weight: "600")
            let name = n.name.count > 26 ? String(n.name.prefix(25)) + "…" : n.name
            out += SVGChart.text(p.x + 8, p.y + 27, name, size: 10, fill: SVGChart.muted)
        }
        if net.nodes.isEmpty { out += SVGChart.text(left, top + 14, "no project to draw", fill: SVGChart.muted) }
        return out + "</svg>"
    }
}
