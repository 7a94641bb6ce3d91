// A standalone HTML page: UTF-8, a little embedded CSS, escaped text, no external resources.
import PMOBase
import PMORuntime
import Portfolio

struct HTMLWriter {
    var entityLabel: ((EntityKind, Int32) -> String)?
    var title = "pmo report"

    static let style = """
    body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #1f2328; }
    table { border-collapse: collapse; margin: 1em 0 0.25em 0; }
    th, td { border: 1px solid #d0d7de; padding: 0.3em 0.7em; vertical-align: top; }
    th { background: #f6f8fa; text-align: left; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.none { color: #8c959f; }
    td.num, td.nowrap { white-space: nowrap; }
    .rag-green { color: #1a7f37; font-weight: 600; }
    .rag-amber { color: #9a6700; font-weight: 600; }
    .rag-red { color: #cf222e; font-weight: 600; }
    p.rows { color: #57606a; font-size: 0.9em; margin: 0 0 1.5em 0; }
    p.note { color: #57606a; font-size: 0.9em; margin: -1.2em 0 1.5em 0; }
    pre.text { font-family: inherit; white-space: pre-wrap; margin: 0.5em 0; }
    p.scalar { font-size: 1.2em; margin: 0.5em 0; }
    """

    /// A whole page holding the given outputs in order (exports are left to the host).
    func page(_ outputs: [Output]) -> String {
        var body = ""
        for o in outputs {
            switch o {
            case .table(let t): body += table(t)
            case .scalar(let v): body += "<p class=\"scalar\">\(cellText(v))</p>\n"
            case .text(let s): body += "<pre class=\"text\">\(HTMLWriter.escape(s))</pre>\n"
            case .findings(let f): body += findings(f)
            case .reportTitle, .section, .chart: body += reportItem(o)
            case .export: break
            }
        }
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLWriter.escape(title))</title>
        <style>
        \(HTMLWriter.style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// One `<table>` with its row count below it.
    func table(_ t: ResultTable) -> String {
        var out = "<table>\n<thead>\n<tr>"
        for c in t.columns {
            let cls = ValueFormatter.isNumeric(c.kind) ? " class=\"num\"" : ""
            out += "<th\(cls)>\(HTMLWriter.escape(c.name))</th>"
        }
        out += "</tr>\n</thead>\n<tbody>\n"
        for row in t.rows {
            out += "<tr>"
            for (i, c) in t.columns.enumerated() {
                let v = i < row.count ? row[i] : .none
                var classes: [String] = []
                if ValueFormatter.isNumeric(c.kind) { classes.append("num") }
                if v.isNone { classes.append("none") }
                // Codes such as PRJ-0021, dates and sparklines are never broken across lines.
                if !ValueFormatter.isNumeric(c.kind), case let text = ValueFormatter.display(v, entityLabel: entityLabel),
                   c.kind == .date || TerminalTable.isCode(text) || text.unicodeScalars.first.map({ (0x2581...0x2588).contains($0.value) }) == true {
                    classes.append("nowrap")
                }
                let cls = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                out += "<td\(cls)>\(cellText(v))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += "<p class=\"rows\">\(t.rows.count) \(t.rows.count == 1 ? "row" : "rows")</p>\n"
        for note in t.notes { out += "<p class=\"note\">\(HTMLWriter.escape(note))</p>\n" }
        return out
    }

    /// Escaped display text, wrapped in a span for RAG values.
    func cellText(_ v: Value) -> String {
        let text = HTMLWriter.escape(ValueFormatter.display(v, entityLabel: entityLabel))
        if case .enumeration(let t, let code) = v, t.name == "rag", Int(code) < t.cases.count {
            return "<span class=\"rag-\(t.cases[Int(code)])\">\(text)</span>"
        }
        return text
    }

    /// Text safe in element content and attribute values (`Escape.html`).
    static func escape(_ s: String) -> String { Escape.html(s) }
}
