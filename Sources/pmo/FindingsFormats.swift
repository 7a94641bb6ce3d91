// The findings history of `pmo check` (Workspace's FindingsDelta) as text and JSON. JUnit and SARIF
// are PMORender's (`FindingsCI.swift`).
import PMOBase
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio
import Workspace

enum FindingsFormats {
    // MARK: - History

    /// `since the last run: 2 new, 10 persisting, 1 resolved`, then the resolved findings.
    static func historyText(_ h: FindingsDelta, newOnly: Bool, markdown: Bool) -> String {
        guard h.hadEarlierRun else { return (markdown ? "\n" : "") + "first recorded run: every finding is new\n" }
        var text = (markdown ? "\n" : "") + "since the last run: \(h.new.count) new, \(h.persisting.count) persisting, \(h.resolved.count) resolved\n"
        if !newOnly {
            for r in h.resolved {
                let line = "resolved: \(r.record.rule) \(r.record.entity) (first seen \(r.firstSeen)): \(r.record.message)"
                text += markdown ? "- " + line + "\n" : line + "\n"
            }
        }
        return text
    }

    /// `{"first_run": false, "new": [...], "persisting": [...], "resolved": [{...}]}`.
    static func historyJSON(_ h: FindingsDelta) -> String {
        func strings(_ keys: [String]) -> String { "[" + keys.map { jsonString($0) }.joined(separator: ", ") + "]" }
        let resolved = h.resolved.map { r in
            "{\"rule\": \(jsonString(r.record.rule)), \"set\": \(jsonString(r.record.entitySet)), \"entity\": \(jsonString(r.record.entity)), "
                + "\"first_seen\": \(jsonString(r.firstSeen)), \"last_seen\": \(jsonString(r.lastSeen)), \"resolved\": \(jsonString(r.resolved ?? "")), "
                + "\"message\": \(jsonString(r.record.message))}"
        }
        return "{\"first_run\": \(!h.hadEarlierRun), \"new\": \(strings(h.new)), \"persisting\": \(strings(h.persisting)), "
            + "\"resolved\": [" + resolved.joined(separator: ", ") + "]}"
    }

    static func jsonString(_ s: String) -> String { Escape.json(s) }
}
