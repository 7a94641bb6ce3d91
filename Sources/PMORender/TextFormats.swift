// CSV (RFC 4180) and GitHub Markdown tables.
import PMOBase
import PMORuntime
import Portfolio

/// RFC 4180 CSV: a header row, `\r\n` line ends, fields quoted when they hold a comma, a quote or a
/// line break (quotes doubled), raw values (`1500000.00`, `0.85`, none empty).
struct CSVWriter {
    var entityLabel: ((EntityKind, Int32) -> String)?

    func render(_ t: ResultTable) -> String {
        var out = record(t.columns.map(\.name))
        for row in t.rows {
            out += record(t.columns.indices.map { i in
                ValueFormatter.raw(i < row.count ? row[i] : .none, entityLabel: entityLabel)
            })
        }
        return out
    }

    func record(_ fields: [String]) -> String {
        fields.map(CSVWriter.field).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when needed (`Escape.csv`).
    static func field(_ s: String) -> String { Escape.csv(s) }
}

/// A GitHub-flavoured Markdown table: header, an alignment row (`---:` for numbers), `|` escaped.
struct MarkdownWriter {
    var entityLabel: ((EntityKind, Int32) -> String)?

    func render(_ t: ResultTable) -> String {
        if t.columns.isEmpty { return "(\(t.rows.count) \(t.rows.count == 1 ? "row" : "rows"))\n" }
        var out = "| " + t.columns.map { MarkdownWriter.cell($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + t.columns.map { ValueFormatter.isNumeric($0.kind) ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
        for row in t.rows {
            let cells = t.columns.indices.map { i in
                MarkdownWriter.cell(ValueFormatter.display(i < row.count ? row[i] : .none, entityLabel: entityLabel))
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        for note in t.notes { out += "\n_" + MarkdownWriter.heading(note) + "_\n" }
        return out
    }

    /// Cell text: `|` and `\` escaped, line breaks as `<br>`, other control characters replaced,
    /// `<` and `&` escaped so cell text never becomes HTML, empty cells kept visible.
    static func cell(_ s: String) -> String {
        var out = ""
        var pendingCR = false
        for u in s.unicodeScalars {
            if pendingCR && u != "\n" { out += "<br>" }
            pendingCR = false
            switch u {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "<": out += "&lt;"
            case "&": out += "&amp;"
            case "\r": pendingCR = true
            case "\n": out += "<br>"
            case "\t": out += " "
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        if pendingCR { out += "<br>" }
        return out
    }

    /// A line of text outside a table, as a paragraph of its own.
    static func paragraph(_ s: String) -> String { s.hasSuffix("\n") ? s : s + "\n" }
}
