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
    /// Long text wraps within its cell (`.wrap on`) instead of being cut with `…`.
    var wrap = false
    /// The header row (`.headers off` leaves it out).
    var headers = true

    /// Narrowest a column is shrunk to before giving up on fitting the width.
    static let minimumColumn = 3

    func render(_ t: ResultTable) -> String {
        let n = t.columns.count
        let footer = "(\(t.rows.count) \(t.rows.count == 1 ? "row" : "rows"))\n" + t.notes.map { ValueFormatter.sanitized($0) + "\n" }.joined()
        if n == 0 { return footer }
        let header = t.columns.map { ValueFormatter.sanitized($0.name) }
        var cells: [[String]] = t.rows.map { row in
            (0..<n).map { i in
                let v = i < row.count ? row[i] : .none
                return ValueFormatter.sanitized(ValueFormatter.display(v, entityLabel: entityLabel))
            }
        }
        var widths = TerminalTable.widths(header, cells)
        if let limit = width {
            // Money shortens ($12.0M) before any text is cut, widest column first.
            var total = widths.reduce(0, +) + 3 * n + 1
            let money = (0..<n).filter { t.columns[$0].kind == .money }.sorted { widths[$0] > widths[$1] }
            for i in money where total > limit {
                for r in cells.indices {
                    let v = i < t.rows[r].count ? t.rows[r][i] : .none
                    if case .money(let f, let c) = v { cells[r][i] = ValueFormatter.shortMoney(f, currency: c) }
                }
                let w = max(DisplayWidth.of(header[i]), cells.map { DisplayWidth.of($0[i]) }.max() ?? 0)
                total -= widths[i] - w
                widths[i] = w
            }
            let ids = (0..<n).map { i in TerminalTable.isIdentifier(t.columns[i], cells.map { $0[i] }) }
            widths = fit(widths, columns: t.columns, identifiers: ids, into: limit)
        }
        let right = t.columns.map { ValueFormatter.isNumeric($0.kind) }

        var out = ""
        out += rule("┌", "┬", "┐", widths)
        if headers {
            out += line(header, widths, right, values: nil)
            out += rule("├", "┼", "┤", widths)
        }
        for (r, row) in cells.enumerated() {
            if wrap, width != nil, row.indices.contains(where: { DisplayWidth.of(row[$0]) > widths[$0] }) {
                // Each cell's lines side by side; the row is as tall as its tallest cell.
                let pieces = row.indices.map { TerminalTable.wrap(row[$0], widths[$0]) }
                let height = pieces.map { $0.count }.max() ?? 1
                for k in 0..<height {
                    out += line(pieces.map { k < $0.count ? $0[k] : "" }, widths, right, values: k == 0 && color ? t.rows[r] : nil)
                }
                continue
            }
            out += line(row, widths, right, values: color ? t.rows[r] : nil)
        }
        out += rule("└", "┴", "┘", widths)
        out += footer
        return out
    }

    /// Each column's natural width: its widest cell or its header.
    static func widths(_ header: [String], _ cells: [[String]]) -> [Int] {
        var widths = header.map { DisplayWidth.of($0) }
        for row in cells {
            for i in widths.indices where i < row.count { widths[i] = max(widths[i], DisplayWidth.of(row[i])) }
        }
        return widths
    }

    /// Whether a column holds identifiers: named `id`, `project_id`, `project.id`, or every cell a
    /// code such as `PRJ-0021` or `RES-007` (letters, a dash, digits). Cut only as a last resort.
    static func isIdentifier(_ c: ResultColumn, _ cells: [String]) -> Bool {
        let n = c.name.lowercased()
        if n == "id" || n.hasSuffix("_id") || n.hasSuffix(".id") { return true }
        guard c.kind == .text, !cells.isEmpty else { return false }
        // Sparklines (`trend`) are cut only as a last resort too: a cut line shows no trend.
        return cells.allSatisfy { cell in
            cell == ValueFormatter.noneMark || isCode(cell) || isSparkline(cell)
        }
    }

    /// `▃▄▆█ 0.82`: a sparkline of `trend`.
    static func isSparkline(_ s: String) -> Bool {
        s.unicodeScalars.first.map { (0x2581...0x2588).contains($0.value) } ?? false
    }

    /// `PRJ-0021`, `MS-0089`, `CX-MOB`: upper-case letters, then dash-separated groups of letters or digits.
    static func isCode(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 4, s.count <= 16, let head = parts.first, !head.isEmpty,
              head.allSatisfy({ $0.isASCII && $0.isUppercase }) else { return false }
        return parts.dropFirst().allSatisfy { p in !p.isEmpty && p.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) } }
    }

    /// Whether a column holds names a reader recognises rows by (`name`, `owner`, `manager.name`).
    static func isName(_ c: ResultColumn) -> Bool {
        let n = c.name.lowercased()
        return n == "name" || n.hasSuffix("name") || n.hasSuffix("_name") || n.hasSuffix(".name")
    }

    /// Shrinks columns until the table fits `limit` columns: the widest free-text column first (down
    /// to five columns), then names (down to twelve), then the other non-numeric columns (dates,
    /// codes), numbers, and identifiers only as a last resort; no column goes below three.
    /// (Money has been shortened to `$12.0M` before this.)
    func fit(_ natural: [Int], columns: [ResultColumn], identifiers: [Bool], into limit: Int) -> [Int] {
        var w = natural
        // Borders and padding: "│ " before each column and " │" after the last.
        var total = w.reduce(0, +) + 3 * w.count + 1
        // Free text first (widest first), then names down to twelve columns and then eight, then
        // dates and values such as RAG, then names and numbers down to five, identifiers last.
        let passes: [(eligible: (Int) -> Bool, floor: (Int) -> Int)] = [
            ({ (columns[$0].kind == .text || columns[$0].kind == .list) && !identifiers[$0] && !TerminalTable.isName(columns[$0]) },
             { _ in 5 }),
            ({ TerminalTable.isName(columns[$0]) && !identifiers[$0] }, { _ in 12 }),
            ({ TerminalTable.isName(columns[$0]) && !identifiers[$0] }, { _ in 8 }),
            ({ !ValueFormatter.isNumeric(columns[$0].kind) && !identifiers[$0] && !TerminalTable.isName(columns[$0]) },
             { _ in TerminalTable.minimumColumn }),
            ({ !identifiers[$0] }, { _ in 5 }),
            ({ _ in true }, { _ in TerminalTable.minimumColumn }),
        ]
        for pass in passes {
            while total > limit {
                var best = -1
                for i in w.indices where w[i] > pass.floor(i) && pass.eligible(i) {
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

    /// The expanded record view (psql's `\x`): one block per row, a field per line, for rows too wide
    /// for the screen. Long values wrap at the width, when there is one.
    ///
    ///     -[ 1 ]--------------------------
    ///     id     │ PRJ-0001
    ///     name   │ SAP S/4HANA Finance Rollout
    func renderExpanded(_ t: ResultTable) -> String {
        let footer = "(\(t.rows.count) \(t.rows.count == 1 ? "row" : "rows"))\n" + t.notes.map { ValueFormatter.sanitized($0) + "\n" }.joined()
        let names = t.columns.map { ValueFormatter.sanitized($0.name) }
        let keyWidth = names.map { DisplayWidth.of($0) }.max() ?? 0
        let valueWidth = width.map { max(10, $0 - keyWidth - 3) }
        var out = ""
        for (r, row) in t.rows.enumerated() {
            let title = "-[ \(r + 1) ]"
            out += title + String(repeating: "-", count: max(3, min(width ?? 40, 40) - DisplayWidth.of(title))) + "\n"
            for (i, name) in names.enumerated() {
                let v = i < row.count ? row[i] : .none
                var text = ValueFormatter.sanitized(ValueFormatter.display(v, entityLabel: entityLabel))
                if color, let code = ValueFormatter.ansiColor(v) { text = code + text + "\u{1B}[0m" }
                let pieces = valueWidth.map { TerminalTable.wrap(text, $0) } ?? [text]
                for (k, piece) in pieces.enumerated() {
                    let key = k == 0 ? DisplayWidth.pad(name, to: keyWidth, leftAlign: true) : String(repeating: " ", count: keyWidth)
                    out += key + " │ " + piece + "\n"
                }
            }
        }
        return out + footer
    }

    /// Text cut into lines of at most `width` columns, at spaces where it can.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard DisplayWidth.of(text) > width, !text.contains("\u{1B}") else { return [text] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var w = String(word)
            var ww = DisplayWidth.of(w)
            if lineWidth > 0 && lineWidth + 1 + ww <= width {
                line += " " + w
                lineWidth += 1 + ww
                continue
            }
            if lineWidth > 0 { lines.append(line) }
            // A word longer than the line is cut into pieces.
            while ww > width {
                var piece = ""
                var pw = 0
                for ch in w {
                    let cw = DisplayWidth.of(ch)
                    if pw + cw > width { break }
                    piece.append(ch)
                    pw += cw
                }
                if piece.isEmpty { break }
                lines.append(piece)
                w = String(w.dropFirst(piece.count))
                ww = DisplayWidth.of(w)
            }
            line = w
            lineWidth = ww
        }
        lines.append(line)
        return lines
    }
}
