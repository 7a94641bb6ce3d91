// Terminal tables: box drawing, aligned columns, wide-character aware widths, truncation to a width.
import PMORuntime
import Portfolio

/// Lays out a `ResultTable` for a terminal.
///
///     ┌─────────┬────────┬───────────────┐
///     │ id      │ status │           bac │
///     ├─────────┼────────┼───────────────┤
///     │ PRJ-001 │ red    │ $1,500,000.00 │
///     └─────────┴────────┴───────────────┘
///     (1 row)
struct TerminalTable {
    var color: Bool
    /// The most columns a line may take (the terminal's width), or nil for no limit.
    var width: Int?
    var entityLabel: ((EntityKind, Int32) -> String)?

    /// Narrowest a column is shrunk to before giving up on fitting the width.
    static let minimumColumn = 3

    func render(_ t: ResultTable) -> String {
        let n = t.columns.count
        let footer = "(\(t.rows.count) \(t.rows.count == 1 ? "row" : "rows"))\n"
        if n == 0 { return footer }
        let header = t.columns.map { ValueFormatter.sanitized($0.name) }
        let cells: [[String]] = t.rows.map { row in
            (0..<n).map { i in
                let v = i < row.count ? row[i] : .none
                return ValueFormatter.sanitized(ValueFormatter.display(v, entityLabel: entityLabel))
            }
        }
        var widths = header.map { DisplayWidth.of($0) }
        for row in cells {
            for i in 0..<n { widths[i] = max(widths[i], DisplayWidth.of(row[i])) }
        }
        if let limit = width { widths = fit(widths, columns: t.columns, into: limit) }
        let right = t.columns.map { ValueFormatter.isNumeric($0.kind) }

        var out = ""
        out += rule("┌", "┬", "┐", widths)
        out += line(header, widths, right, values: nil)
        out += rule("├", "┼", "┤", widths)
        for (r, row) in cells.enumerated() {
            out += line(row, widths, right, values: color ? t.rows[r] : nil)
        }
        out += rule("└", "┴", "┘", widths)
        out += footer
        return out
    }

    /// Shrinks columns until the table fits `limit` columns: the widest free-text column first (down
    /// to five columns), then the widest of the other non-numeric columns (dates, codes), and numbers
    /// only as a last resort; no column goes below three.
    func fit(_ natural: [Int], columns: [ResultColumn], into limit: Int) -> [Int] {
        var w = natural
        // Borders and padding: "│ " before each column and " │" after the last.
        var total = w.reduce(0, +) + 3 * w.count + 1
        let passes: [(eligible: (ColumnKind) -> Bool, floor: Int)] = [
            ({ $0 == .text || $0 == .list }, 5),
            ({ !ValueFormatter.isNumeric($0) }, TerminalTable.minimumColumn),
            ({ _ in true }, TerminalTable.minimumColumn),
        ]
        for pass in passes {
            while total > limit {
                var best = -1
                for i in w.indices where w[i] > pass.floor && pass.eligible(columns[i].kind) {
                    // Widest first; on a tie, the one that was longest (prose rather than codes).
                    if best < 0 || w[i] > w[best] || (w[i] == w[best] && natural[i] > natural[best]) { best = i }
                }
                if best < 0 { break }
                w[best] -= 1
                total -= 1
            }
        }
        return w
    }

    func rule(_ left: String, _ mid: String, _ right: String, _ widths: [Int]) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right + "\n"
    }

    func line(_ texts: [String], _ widths: [Int], _ right: [Bool], values: [Value]?) -> String {
        var parts: [String] = []
        for i in texts.indices {
            let cut = DisplayWidth.truncate(texts[i], to: widths[i])
            var cell = DisplayWidth.pad(cut, to: widths[i], leftAlign: !right[i])
            if let values, i < values.count, let code = ValueFormatter.ansiColor(values[i]) {
                // Colour only the text, not the padding, so the layout is unchanged.
                let gap = String(repeating: " ", count: max(0, widths[i] - DisplayWidth.of(cut)))
                cell = right[i] ? gap + code + cut + "\u{1B}[0m" : code + cut + "\u{1B}[0m" + gap
            }
            parts.append(cell)
        }
        return "│ " + parts.joined(separator: " │ ") + " │\n"
    }
}
