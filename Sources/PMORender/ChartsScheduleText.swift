// The Gantt chart and the project network at a terminal (the compact Gantt of `.gantt` at the prompt).
import PMOBase
import PMORuntime

extension TextChart {
    /// One line per task: its id and name, then its bar on a time axis fitted to the width (`█` a task,
    /// red when critical, `◆` a milestone, `▔` a summary, `·` the baseline where the bar is not, `│` today).
    func gantt(_ g: ChartGantt) -> String {
        guard !g.rows.isEmpty else { return "no task has dates to draw\n" }
        let labels = g.rows.map { String(repeating: " ", count: min($0.level, 4)) + $0.label + " " + $0.name }
        let labelW = min(34, max(12, labels.map(DisplayWidth.of).max() ?? 12))
        let cols = max(20, width - labelW - 3)
        let days = g.rows.flatMap { r in [r.start.raw, r.finish.raw] + [r.baselineStart, r.baselineFinish].compactMap { $0?.raw } } + [g.today.raw]
        let lo = Int(days.min() ?? 0), hi = Int(days.max() ?? 1) + 1
        let span = max(1, hi - lo)
        func col(_ d: Day) -> Int { max(0, min(cols - 1, (Int(d.raw) - lo) * cols / span)) }
        let todayCol = col(g.today)
        var out = TextChart.pad("", labelW) + " " + axis(lo: lo, hi: hi, cols: cols) + "\n"
        for (i, r) in g.rows.enumerated() {
            var cells = [String](repeating: " ", count: cols)
            if let bs = r.baselineStart, let bf = r.baselineFinish, bf >= bs { for c in col(bs)...col(bf) { cells[c] = "·" } }
            if todayCol < cols { cells[todayCol] = "│" }
            let a = col(r.start), b = max(a, col(r.finish))
            let mark = r.milestone ? "◆" : (r.summary ? "▔" : "█")
            for c in a...b { cells[c] = r.milestone ? (c == a ? mark : cells[c]) : mark }
            var line = ""
            for (c, s) in cells.enumerated() {
                let inBar = c >= a && c <= b && (s == mark)
                line += inBar ? paint(s, r.critical ? "\u{1B}[31m" : "\u{1B}[34m") : (s == "│" ? paint(s, "\u{1B}[33m") : s)
            }
            let label = r.critical ? paint(TextChart.pad(labels[i], labelW), "\u{1B}[31m") : TextChart.pad(labels[i], labelW)
            out += label + " " + line + (r.critical ? " !" : "") + "\n"
        }
        out += paint("█ task  " + (color ? "" : "! ") + "critical in red  ◆ milestone  ▔ summary  · baseline  │ today \(g.today)", "\u{1B}[90m") + "\n"
        return out
    }

    /// Month starts along the axis (`2026-11` where it fits).
    func axis(lo: Int, hi: Int, cols: Int) -> String {
        var cells = [Character](repeating: " ", count: cols)
        var m = Period.month(containing: Day(raw: Int32(clamping: lo))).start
        var guardCount = 0
        while Int(m.raw) < hi && guardCount < 600 {
            if Int(m.raw) >= lo {
                let c = (Int(m.raw) - lo) * cols / max(1, hi - lo)
                let civil = m.civil
                let text = Array("\(civil.year)-\(civil.month < 10 ? "0" : "")\(civil.month)")
                if c + text.count <= cols && (c == 0 || cells[c - 1] == " ") && cells[c..<(c + text.count)].allSatisfy({ $0 == " " }) {
                    for (k, ch) in text.enumerated() { cells[c + k] = ch }
                }
            }
            guard let next = m.adding(months: 1) else { break }
            m = next
            guardCount += 1
        }
        return String(cells)
    }

    /// The links, one per line, grouped by layer: `PRJ-0001 → PRJ-0006 (FS)`.
    func network(_ net: ChartNetwork) -> String {
        guard !net.edges.isEmpty else { return net.nodes.isEmpty ? "no project to draw\n" : "no links between these projects\n" }
        var out = ""
        for e in net.edges.sorted(by: { (net.nodes[$0.from].layer, $0.from, $0.to) < (net.nodes[$1.from].layer, $1.from, $1.to) }) {
            let a = net.nodes[e.from], b = net.nodes[e.to]
            let text = "\(a.label) → \(b.label) (\(e.type))" + (e.cycle ? "  cycle" : "") + "   \(a.name) → \(b.name)"
            out += (e.cycle ? paint(text, "\u{1B}[31m") : text) + "\n"
        }
        return out
    }
}
