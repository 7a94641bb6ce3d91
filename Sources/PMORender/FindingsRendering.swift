// Findings of `check` in every format: the table of what to act on, then the summary line.
import PMORuntime
import Portfolio

extension Renderer {
    /// Findings as text: for `table` and `md` the findings table (violations, unknowns, errors and
    /// waived findings; passes are only counted) followed by the summary line; for `csv` the table
    /// alone; for `json` an object with `summary` and `findings`; for `html` a page with both.
    public func render(findings: [Finding]) -> String {
        let summary = FindingSummary(findings)
        let table = Finding.table(findings)
        switch format {
        case .table:
            if table.rows.isEmpty { return summary.text + "\n" }
            return render(table) + summary.text + "\n"
        case .csv: return render(table)
        case .md:
            if table.rows.isEmpty { return MarkdownWriter.paragraph(summary.text) }
            return render(table) + "\n" + MarkdownWriter.paragraph(summary.text)
        case .json: return Renderer.findingsJSON(findings, indent: "") + "\n"
        case .jsonl: return findings.filter { $0.outcome != .pass }.sorted(by: Finding.ordered).map { Renderer.findingJSON($0) + "\n" }.joined()
        case .html: return html.page([.findings(findings)])
        }
    }

    /// `{"summary": {...}, "findings": [...]}`: every finding that is not a pass, in report order;
    /// `extra` members (name and JSON text) follow.
    public static func findingsJSON(_ findings: [Finding], indent: String, extra: [(String, String)] = []) -> String {
        let s = FindingSummary(findings)
        let bySeverity = s.severityCounts.map { "\(JSONWriter.string($0.severity)): \($0.count)" }.joined(separator: ", ")
        let summary = "{\"violations\": \(s.violations), \"by_severity\": {\(bySeverity)}, \"unknown\": \(s.unknown), "
            + "\"passed\": \(s.passed), \"waived\": \(s.waived), \"errors\": \(s.errors), \"text\": \(JSONWriter.string(s.text))}"
        let items = findings.filter { $0.outcome != .pass }.sorted(by: Finding.ordered).map { f in
            indent + "    " + findingJSON(f)
        }
        let list = items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n" + indent + "  ]"
        let more = extra.map { ",\n" + indent + "  " + JSONWriter.string($0.0) + ": " + $0.1 }.joined()
        return "{\n" + indent + "  \"summary\": " + summary + ",\n" + indent + "  \"findings\": " + list + more + "\n" + indent + "}"
    }

    /// One finding as a JSON object on one line.
    public static func findingJSON(_ f: Finding) -> String {
        func opt(_ s: String?) -> String { s.map { JSONWriter.string($0) } ?? "null" }
        var members = [
            "\"rule\": \(JSONWriter.string(f.rule))", "\"title\": \(JSONWriter.string(f.title))",
            "\"severity\": \(JSONWriter.string(f.severity.rawValue))", "\"set\": \(JSONWriter.string(f.kind.setName))",
            "\"entity\": \(JSONWriter.string(f.entityID))", "\"name\": \(JSONWriter.string(f.entityName))",
            "\"status\": \(JSONWriter.string(f.status))", "\"message\": \(JSONWriter.string(f.message))",
            "\"owner\": \(opt(f.owner))", "\"remedy\": \(opt(f.remedy))", "\"missing\": \(opt(f.missing))",
        ]
        if let w = f.waiver {
            members.append("\"waiver\": {\"approver\": \(JSONWriter.string(w.approver)), \"until\": \"\(w.until)\", "
                           + "\"reason\": \(JSONWriter.string(w.reason)), \"expired\": \(f.waiverExpired)}")
        } else {
            members.append("\"waiver\": null")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }
}

extension HTMLWriter {
    /// The findings table and the summary line.
    func findings(_ f: [Finding]) -> String {
        let t = Finding.table(f)
        let summary = "<p class=\"rows\">\(HTMLWriter.escape(FindingSummary(f).text))</p>\n"
        return t.rows.isEmpty ? summary : table(t) + summary
    }
}
