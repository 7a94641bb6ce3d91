// The renderer hosts use: one format, colour on or off, an optional width; tables, values and whole runs.
import PMORuntime
import Portfolio

/// Output formats of `--format`.
public enum Format: String, CaseIterable, Sendable {
    case table, csv, json, jsonl, md, html

    /// The format for a file name's extension (`report.csv`, `out.JSON`, `page.htm`), or nil.
    public init?(fileExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "md", "markdown": self = .md
        case "html", "htm": self = .html
        case "txt": self = .table
        default: return nil
        }
    }
}

/// Renders results in one format. Every string returned ends with a line break (empty output aside).
///
/// - `table`: box-drawn tables for a terminal with a `(N rows)` footer; RAG values coloured when `color` is on;
///   cells cut with `…` to fit `width` when one is given.
/// - `csv`: RFC 4180 with raw values; `json`: stable JSON (see `JSONShape`); `jsonl`: JSON Lines, one
///   object per row (one line per value, text, finding); `md`: GitHub tables; `html`: a standalone page.
public struct Renderer {
    /// The top level of a `--format json` document. It depends on the command, never on the data:
    /// - `result`: the one statement's result itself (`pmo -c`, `pmo query` with one statement): a
    ///   table is an array of row objects, a value its JSON value;
    /// - `results`: an array with one entry per result, in order (scripts, standard input, several statements).
    public enum JSONShape: Sendable { case result, results }
    public var jsonShape: JSONShape = .results
    public var format: Format
    public var color: Bool
    public var width: Int?
    /// Names entities that reach the renderer unconverted (normally their id); see `ValueFormatter.display`.
    public var entityLabel: ((EntityKind, Int32) -> String)?
    /// Tables as records, a field per line (`--expanded`, `.expanded on`, `\x`); terminal tables only.
    public var expanded = false
    /// Long text wraps within its cell instead of being cut (`.wrap on`); terminal tables only.
    public var wrap = false
    /// The header row of terminal tables and CSV (`.headers off` at the prompt leaves it out).
    public var headers = true
    /// Markdown: charts are links to SVG files in this folder (relative to the page; `--assets`)
    /// instead of inline SVG. The host writes the files (`chartFile`, named by `assetName`).
    public var assetsLink: String?
    /// The `<title>` of HTML pages.
    public var title = "pmo report"
    /// A line under a report's title (the host's: as-of date and portfolio).
    public var subtitle: String?

    public init(format: Format, color: Bool, width: Int?) {
        self.format = format
        self.color = color && format == .table
        self.width = width.map { max(10, $0) }
    }

    /// One table in the chosen format (for `html`, a page holding just that table).
    public func render(_ t: ResultTable) -> String {
        switch format {
        case .table:
            var terminal = TerminalTable(color: color, width: width, entityLabel: entityLabel)
            terminal.wrap = wrap
            terminal.headers = headers
            return expanded && !t.columns.isEmpty ? terminal.renderExpanded(t) : terminal.render(t)
        case .csv:
            let csv = CSVWriter(entityLabel: entityLabel).render(t)
            guard !headers, let end = csv.firstIndex(of: "\r\n") else { return csv }
            return String(csv[csv.index(after: end)...])
        case .json: return JSONWriter(entityLabel: entityLabel).render(t)
        case .jsonl: return JSONWriter(entityLabel: entityLabel, compact: true).lines(t)
        case .md: return MarkdownWriter(entityLabel: entityLabel).render(t)
        case .html: return html.page([.table(t)])
        }
    }

    /// One value as a line: its display text (coloured on a terminal; none as the word `none`), its raw
    /// text for CSV, JSON for `json`. A table value renders as a table.
    public func render(_ v: Value) -> String {
        if case .table(let t) = v { return render(t) }
        switch format {
        case .table:
            // A lone none reads better as the word than as a dash.
            if v.isNone { return "none\n" }
            let text = ValueFormatter.sanitized(ValueFormatter.display(v, entityLabel: entityLabel))
            if color, let code = ValueFormatter.ansiColor(v) { return code + text + "\u{1B}[0m\n" }
            return text + "\n"
        case .csv: return CSVWriter.field(ValueFormatter.raw(v, entityLabel: entityLabel)) + "\r\n"
        case .json: return JSONWriter(entityLabel: entityLabel).value(v) + "\n"
        case .jsonl: return JSONWriter(entityLabel: entityLabel, compact: true).value(v) + "\n"
        case .md: return v.isNone ? "none\n" : MarkdownWriter.cell(ValueFormatter.display(v, entityLabel: entityLabel)) + "\n"
        case .html: return html.page([.scalar(v)])
        }
    }

    /// One output as it arrives (tables, values and `print` text; exports are for the host to write).
    /// For `json` a text is a JSON string; for `html` each output is a page, so prefer `document`.
    public func render(_ o: Output) -> String {
        switch o {
        case .table(let t): return render(t)
        case .scalar(let v): return render(v)
        case .text(let s):
            switch format {
            case .json, .jsonl: return JSONWriter.string(s) + "\n"
            case .html: return html.page([o])
            case .md: return MarkdownWriter.paragraph(s)
            case .table, .csv: return s.hasSuffix("\n") ? s : s + "\n"
            }
        case .export: return ""
        case .findings(let f): return render(findings: f)
        case .reportTitle, .section, .chart: return renderReportItem(o)
        }
    }

    /// What goes between two outputs shown one after the other: a blank line around tables (and,
    /// in Markdown, between all blocks so text does not run into a table).
    public func separator(after previous: Output, before next: Output) -> String {
        if case .export = previous { return "" }
        if case .export = next { return "" }
        switch format {
        case .md: return "\n"
        case .table, .csv:
            if case .table = previous { return "\n" }
            if case .table = next { return "\n" }
            if case .findings = previous { return "\n" }
            if case .findings = next { return "\n" }
            if previous.isReportBlock || next.isReportBlock { return "\n" }
            if case .scalar(.table) = previous { return "\n" }
            if case .scalar(.table) = next { return "\n" }
            return ""
        case .json, .jsonl, .html: return ""
        }
    }

    /// A whole run's output: for `html` one standalone page with everything; for `json` the result
    /// or the array of results (see `JSONShape`; with `result`, nothing shown is `[]`); otherwise the
    /// outputs in order, tables set off by blank lines.
    public func document(_ outputs: [Output]) -> String {
        let shown = outputs.filter { if case .export = $0 { return false }; return true }
        if let report = reportDocument(shown) { return report }
        switch format {
        case .html: return html.page(shown)
        case .json:
            let json = JSONWriter(entityLabel: entityLabel)
            let single = jsonShape == .result && shown.count <= 1
            let indent = single ? "" : "  "
            let items: [String] = shown.map { o in
                switch o {
                case .table(let t): return json.table(t, indent: indent)
                case .scalar(let v): return json.value(v)
                case .text(let s): return JSONWriter.string(s)
                case .findings(let f): return Renderer.findingsJSON(f, indent: indent)
                case .chart(let c): return chartJSON(c, indent: indent)
                case .reportTitle(let t): return "{\"report\": \(JSONWriter.string(t))}"
                case .section(let t): return "{\"section\": \(JSONWriter.string(t))}"
                case .export: return ""
                }
            }
            if single { return (items.first ?? "[]") + "\n" }
            if items.isEmpty { return "[]\n" }
            return "[\n" + items.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
        case .table, .csv, .md, .jsonl:
            var out = ""
            var previous: Output?
            for o in shown {
                if let p = previous { out += separator(after: p, before: o) }
                out += render(o)
                previous = o
            }
            return out
        }
    }

    var html: HTMLWriter { HTMLWriter(entityLabel: entityLabel, title: title) }
}
