// Reports and charts in every format. A report is a title (`.reportTitle`), sections (`.section`) and
// the outputs of their statements: a terminal gets underlined headings and text charts; Markdown
// `#`/`##` headings with charts as inline SVG; HTML a standalone page with a table of contents,
// one <section> per section and charts as inline SVG figures (nothing fetched from the network);
// JSON one object per report with its sections; JSON Lines one line per heading, row and chart; CSV only the tables (and charts' figures).
import PMORuntime

extension Output {
    /// A report heading or a chart: set off by blank lines in text formats.
    var isReportBlock: Bool {
        switch self {
        case .reportTitle, .section, .chart: return true
        default: return false
        }
    }
}

extension Renderer {
    /// One report heading or chart as it arrives (`render(_ o:)` sends those here).
    func renderReportItem(_ o: Output) -> String {
        switch (o, format) {
        case (.reportTitle(let t), .table):
            let bold = color ? "\u{1B}[1m" + t + "\u{1B}[0m" : t
            var out = bold + "\n" + String(repeating: "═", count: max(3, DisplayWidth.of(t))) + "\n"
            if let s = subtitle { out += s + "\n" }
            return out
        case (.section(let t), .table):
            let bold = color ? "\u{1B}[1m" + t + "\u{1B}[0m" : t
            return bold + "\n" + String(repeating: "─", count: max(3, DisplayWidth.of(t))) + "\n"
        case (.reportTitle(let t), .md):
            return "# " + MarkdownWriter.heading(t) + "\n" + (subtitle.map { "\n_" + MarkdownWriter.heading($0) + "_\n" } ?? "")
        case (.section(let t), .md): return "## " + MarkdownWriter.heading(t) + "\n"
        case (.reportTitle, .csv), (.section, .csv): return ""
        case (.reportTitle(let t), .json): return "{\"report\": \(JSONWriter.string(t))}\n"
        case (.section(let t), .json): return "{\"section\": \(JSONWriter.string(t))}\n"
        case (.chart(let c), .table): return TextChart(chart: c, color: color, width: width ?? 80).render()
        case (.chart(let c), .csv): return CSVWriter(entityLabel: entityLabel).render(c.data)
        case (.chart(let c), .json): return chartJSON(c, indent: "") + "\n"
        case (.reportTitle(let t), .jsonl): return "{\"report\": \(JSONWriter.string(t))}\n"
        case (.section(let t), .jsonl): return "{\"section\": \(JSONWriter.string(t))}\n"
        case (.chart(let c), .jsonl):
            return "{\"chart\": \(JSONWriter.string(c.kind.rawValue)), \"title\": \(JSONWriter.string(c.title)), \"note\": \(JSONWriter.string(c.note)), \"data\": "
                + JSONWriter(entityLabel: entityLabel, compact: true).table(c.data, indent: "") + "}\n"
        case (.chart(let c), .md):
            var out = "**" + MarkdownWriter.heading(c.title) + "**"
            if !c.note.isEmpty { out += " — " + MarkdownWriter.heading(c.note) }
            guard let folder = assetsLink else { return out + "\n\n" + SVGChart(chart: c).render() + "\n" }
            // An image file beside the page (GitHub and GitLab strip inline SVG from Markdown).
            let link = (folder.isEmpty || folder == "." ? "" : folder + "/") + Renderer.assetName(c)
            return out + "\n\n![" + MarkdownWriter.heading(c.title) + "](" + Renderer.linkEscaped(link) + ")\n"
        case (_, .html): return html.page([o])
        default: return ""
        }
    }

    /// A chart as a standalone SVG file (for `--assets`).
    public static func chartFile(_ c: Chart) -> String {
        // A file (unlike inline SVG in HTML) must declare the SVG namespace.
        let svg = SVGChart(chart: c).render()
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" " + svg.dropFirst(5) + "\n"
    }

    /// The file name of a chart's SVG: its kind and a digest of its content (FNV-1a, 64 bits), so the
    /// same chart always has the same name and two charts never share one.
    public static func assetName(_ c: Chart) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in chartFile(c).utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return "chart-\(c.kind.rawValue)-" + String(repeating: "0", count: 16 - hex.count) + hex + ".svg"
    }

    /// A relative link for Markdown: spaces and brackets percent-encoded.
    static func linkEscaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A chart as JSON: its kind, title, note and figures.
    func chartJSON(_ c: Chart, indent: String) -> String {
        let data = JSONWriter(entityLabel: entityLabel).table(c.data, indent: indent + "  ")
        return "{\"chart\": \(JSONWriter.string(c.kind.rawValue)), \"title\": \(JSONWriter.string(c.title)), "
            + "\"note\": \(JSONWriter.string(c.note)), \"data\": \(data)}"
    }

    /// The whole document when the outputs hold a report and the format is a document (HTML, JSON);
    /// nil otherwise (the outputs are rendered one after the other).
    func reportDocument(_ outputs: [Output]) -> String? {
        guard outputs.contains(where: { if case .reportTitle = $0 { return true }; return false }) else { return nil }
        switch format {
        case .html: return html.reportPage(outputs, subtitle: subtitle)
        case .json: return reportJSON(outputs)
        default: return nil
        }
    }

    /// `{"report": T, "subtitle": S, "outputs": [...], "sections": [{"section": N, "outputs": [...]}]}`,
    /// one object per report (an array when there are several, or outputs outside any report).
    func reportJSON(_ outputs: [Output]) -> String {
        let json = JSONWriter(entityLabel: entityLabel)
        func item(_ o: Output, _ indent: String) -> String? {
            switch o {
            case .table(let t): return json.table(t, indent: indent)
            case .scalar(let v): return json.value(v)
            case .text(let s): return JSONWriter.string(s)
            case .chart(let c): return chartJSON(c, indent: indent)
            case .findings(let f): return Renderer.findingsJSON(f, indent: indent)
            case .export, .reportTitle, .section: return nil
            }
        }
        struct Section { var title: String; var items: [String] = [] }
        struct Report { var title: String; var lead: [String] = []; var sections: [Section] = [] }
        var loose: [String] = []
        var reports: [Report] = []
        for o in outputs {
            switch o {
            case .reportTitle(let t): reports.append(Report(title: t))
            case .section(let t):
                if reports.isEmpty { reports.append(Report(title: "")) }
                reports[reports.count - 1].sections.append(Section(title: t))
            default:
                guard let text = item(o, "        ") else { continue }
                if reports.isEmpty { loose.append(text); continue }
                let r = reports.count - 1
                if reports[r].sections.isEmpty { reports[r].lead.append(text) } else {
                    reports[r].sections[reports[r].sections.count - 1].items.append(text)
                }
            }
        }
        func list(_ items: [String], _ indent: String) -> String {
            items.isEmpty ? "[]" : "[\n" + items.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n" + indent + "]"
        }
        let objects: [String] = reports.map { r in
            var s = "{\"report\": \(JSONWriter.string(r.title))"
            if let sub = subtitle { s += ", \"subtitle\": \(JSONWriter.string(sub))" }
            if !r.lead.isEmpty { s += ", \"outputs\": " + list(r.lead, "    ") }
            s += ", \"sections\": [\n" + r.sections.map { sec in
                "    {\"section\": \(JSONWriter.string(sec.title)), \"outputs\": " + list(sec.items, "      ") + "}"
            }.joined(separator: ",\n") + "\n  ]}"
            return s
        }
        let all = loose + objects
        if all.count == 1 { return all[0] + "\n" }
        return "[\n" + all.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
    }
}

extension MarkdownWriter {
    /// Heading text on one line, with Markdown's special characters escaped.
    static func heading(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\n", "\r": out.append(" ")
            case "\\", "*", "_", "`", "[", "]", "<", ">", "#", "|": out.append("\\"); out.append(ch)
            default: out.append(ch)
            }
        }
        return out
    }
}

extension HTMLWriter {
    static let reportStyle = """
    header.report { border-bottom: 3px solid #1f2328; margin-bottom: 1em; }
    header.report h1 { margin: 0 0 0.2em 0; font-size: 2em; }
    header.report p.subtitle { color: #57606a; margin: 0 0 0.8em 0; }
    nav.toc { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.6em 1.2em; margin: 1em 0 2em 0; display: inline-block; }
    nav.toc ol { margin: 0.3em 0; padding-left: 1.4em; }
    nav.toc a { color: #0969da; text-decoration: none; }
    section.report-section { margin: 0 0 2.5em 0; }
    section.report-section h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
    figure.chart { margin: 1em 0 2em 0; }
    figure.chart figcaption { margin: 0 0 0.5em 0; }
    figure.chart figcaption span.note { color: #57606a; font-size: 0.9em; }
    figure.chart svg { display: block; }
    @media print { section.report-section { break-inside: avoid-page; } nav.toc { display: none; } }
    """

    /// A chart as a figure with its title and note above the SVG.
    func figure(_ c: Chart) -> String {
        var out = "<figure class=\"chart\">\n<figcaption><strong>\(HTMLWriter.escape(c.title))</strong>"
        if !c.note.isEmpty { out += " <span class=\"note\">— \(HTMLWriter.escape(c.note))</span>" }
        return out + "</figcaption>\n" + SVGChart(chart: c).render() + "\n</figure>\n"
    }

    /// Report headings and charts inside a plain page.
    func reportItem(_ o: Output) -> String {
        switch o {
        case .reportTitle(let t): return "<h1>\(HTMLWriter.escape(t))</h1>\n"
        case .section(let t): return "<h2>\(HTMLWriter.escape(t))</h2>\n"
        case .chart(let c): return figure(c)
        default: return ""
        }
    }

    /// A standalone report page: the title and subtitle, a table of contents when there are several
    /// sections, then each section with its tables, text and charts.
    func reportPage(_ outputs: [Output], subtitle: String?) -> String {
        var pageTitle = title
        var body = ""
        var sectionCount = 0
        var inSection = false
        var headerOpen = false
        var toc: [(String, String)] = []
        var tocAt: Int?
        func closeSection() { if inSection { body += "</section>\n"; inSection = false } }
        for o in outputs {
            switch o {
            case .reportTitle(let t):
                closeSection()
                if pageTitle == "pmo report" { pageTitle = t }
                body += "<header class=\"report\">\n<h1>\(HTMLWriter.escape(t))</h1>\n"
                if let subtitle { body += "<p class=\"subtitle\">\(HTMLWriter.escape(subtitle))</p>\n" }
                body += "</header>\n"
                if tocAt == nil { tocAt = body.utf8.count }
                headerOpen = true
            case .section(let t):
                closeSection()
                sectionCount += 1
                let id = "section-\(sectionCount)"
                toc.append((id, t))
                body += "<section class=\"report-section\" id=\"\(id)\">\n<h2>\(HTMLWriter.escape(t))</h2>\n"
                inSection = true
            case .chart(let c): body += figure(c)
            case .table(let t): body += table(t)
            case .scalar(let v): body += "<p class=\"scalar\">\(cellText(v))</p>\n"
            case .text(let s): body += "<pre class=\"text\">\(HTMLWriter.escape(s))</pre>\n"
            case .findings(let f): body += findings(f)
            case .export: break
            }
        }
        closeSection()
        var nav = ""
        if headerOpen && toc.count >= 2 {
            nav = "<nav class=\"toc\"><strong>Contents</strong>\n<ol>\n"
                + toc.map { "<li><a href=\"#\($0.0)\">\(HTMLWriter.escape($0.1))</a></li>\n" }.joined() + "</ol>\n</nav>\n"
        }
        if let at = tocAt, !nav.isEmpty {
            let bytes = Array(body.utf8)
            body = String(decoding: bytes[..<at], as: UTF8.self) + nav + String(decoding: bytes[at...], as: UTF8.self)
        }
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLWriter.escape(pageTitle))</title>
        <style>
        \(HTMLWriter.style)
        \(HTMLWriter.reportStyle)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
