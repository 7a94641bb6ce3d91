// Findings for CI systems: JUnit XML (one test case per rule and entity) and SARIF 2.1.0 (one result
// per finding to act on or waived, located at the rule's declaration and naming the entity); and the
// findings history as text and JSON.
import Foundation
import PMORender
import PMORuntime
import PMOSyntax
import Portfolio
import Workspace

enum FindingsFormats {
    // MARK: - JUnit

    /// One `<testsuite>` per rule and one `<testcase>` per entity it checked: a violation is a
    /// `<failure>`, an evaluation error an `<error>`, a waived finding is `<skipped>` with its waiver,
    /// and an unknown is `<skipped>` (a `<failure>` with --fail-on-unknown).
    static func junit(_ findings: [Finding], rules: [RuleInfo], sources: SourceMap, failOnUnknown: Bool) -> String {
        var byRule: [String: [Finding]] = [:]
        for f in findings { byRule[f.rule, default: []].append(f) }
        var suites: [String] = []
        var total = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for rule in rules {
            let list = (byRule[rule.id] ?? []).sorted { $0.entityID.compare($1.entityID, options: .numeric) == .orderedAscending }
            var cases: [String] = []
            var counts = (failures: 0, errors: 0, skipped: 0)
            let place = location(rule.span, sources)
            for f in list {
                var attrs = "classname=\"\(xml(rule.id))\" name=\"\(xml(f.entityID + (f.entityName == f.entityID ? "" : " " + f.entityName)))\""
                if let p = place { attrs += " file=\"\(xml(p.file))\" line=\"\(p.line)\"" }
                let body = details(f)
                var inner = ""
                if f.isWaived {
                    counts.skipped += 1
                    inner = "<skipped message=\"\(xml(f.detail))\"/>"
                } else {
                    switch f.outcome {
                    case .pass: break
                    case .violation:
                        counts.failures += 1
                        inner = "<failure type=\"\(f.severity.rawValue)\" message=\"\(xml(f.detail))\">\(xml(body))</failure>"
                    case .unknown where failOnUnknown:
                        counts.failures += 1
                        inner = "<failure type=\"unknown\" message=\"\(xml(f.detail))\">\(xml(body))</failure>"
                    case .unknown:
                        counts.skipped += 1
                        inner = "<skipped message=\"\(xml(f.detail))\"/>"
                    case .error:
                        counts.errors += 1
                        inner = "<error type=\"error\" message=\"\(xml(f.detail))\">\(xml(body))</error>"
                    }
                }
                cases.append(inner.isEmpty ? "    <testcase \(attrs)/>" : "    <testcase \(attrs)>\n      \(inner)\n    </testcase>")
            }
            total.tests += list.count; total.failures += counts.failures; total.errors += counts.errors; total.skipped += counts.skipped
            let head = "  <testsuite name=\"\(xml(rule.id))\" tests=\"\(list.count)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\">"
            let props = "    <properties>\n      <property name=\"title\" value=\"\(xml(rule.title))\"/>\n"
                + "      <property name=\"severity\" value=\"\(rule.severity.rawValue)\"/>\n"
                + "      <property name=\"set\" value=\"\(rule.kind.setName)\"/>\n    </properties>"
            suites.append(([head, props] + cases + ["  </testsuite>"]).joined(separator: "\n"))
        }
        let summary = FindingSummary(findings).text
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"pmo check\" tests=\"\(total.tests)\" failures=\"\(total.failures)\" errors=\"\(total.errors)\" skipped=\"\(total.skipped)\">\n"
            + "  <!-- \(xml(summary)) -->\n"
            + suites.map { $0 + "\n" }.joined()
            + "</testsuites>\n"
    }

    /// The lines under a failure: severity, entity, owner, remedy, missing field.
    static func details(_ f: Finding) -> String {
        var lines = ["rule: \(f.rule) (\(f.title))", "severity: \(f.severity.rawValue)", "\(f.kind.singular): \(f.entityID) \(f.entityName)"]
        if let o = f.owner { lines.append("owner: \(o)") }
        if let r = f.remedy { lines.append("remedy: \(r)") }
        if let m = f.missing { lines.append("missing: \(m)") }
        return lines.joined(separator: "\n")
    }

    /// Text escaped for XML attributes and content; characters XML 1.0 cannot hold become U+FFFD.
    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    static func location(_ span: Span, _ sources: SourceMap) -> (file: String, line: Int, column: Int)? {
        guard let f = sources.file(span.file) else { return nil }
        let loc = f.location(of: Int(span.start))
        return (f.name, loc.line, loc.column)
    }

    // MARK: - SARIF

    /// SARIF 2.1.0: the rules as the tool's rule descriptors; each finding to act on or waived as a
    /// result with its rule id, level (critical and high: error, medium: warning, low and info: note),
    /// message, the rule's declaration as the physical location and the entity as a logical location.
    /// Unknown outcomes are results of kind `review`; waived ones carry an accepted suppression.
    static func sarif(_ findings: [Finding], rules: [RuleInfo], sources: SourceMap) -> String {
        let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let descriptors: [[String: Any]] = rules.map { r in
            [
                "id": r.id, "name": r.id,
                "shortDescription": ["text": r.title],
                "defaultConfiguration": ["level": level(r.severity)],
                "properties": ["severity": r.severity.rawValue, "entitySet": r.kind.setName],
            ]
        }
        let results: [[String: Any]] = findings.filter { $0.outcome != .pass }.sorted(by: Finding.ordered).map { f in
            var location: [String: Any] = [
                "logicalLocations": [["name": f.entityID, "fullyQualifiedName": "\(f.kind.setName)/\(f.entityID)", "kind": "object"]],
            ]
            if let loc = self.location(f.ruleSpan, sources) {
                location["physicalLocation"] = [
                    "artifactLocation": ["uri": uri(loc.file)],
                    "region": ["startLine": loc.line, "startColumn": loc.column],
                ]
            }
            var properties: [String: Any] = ["severity": f.severity.rawValue, "status": f.status, "entityName": f.entityName,
                                             "entitySet": f.kind.setName]
            if let o = f.owner { properties["owner"] = o }
            if let r = f.remedy { properties["remedy"] = r }
            if let m = f.missing { properties["missing"] = m }
            var result: [String: Any] = [
                "ruleId": f.rule,
                "level": f.outcome == .error ? "error" : level(f.severity),
                "kind": f.outcome == .unknown ? "review" : "fail",
                "message": ["text": f.entityID + ": " + f.detail],
                "locations": [location],
                "partialFingerprints": ["pmoFinding/v1": f.key],
                "properties": properties,
            ]
            if let i = index[f.rule] { result["ruleIndex"] = i }
            if f.isWaived, let w = f.waiver {
                result["suppressions"] = [["kind": "external", "status": "accepted",
                                           "justification": "waived by \(w.approver) until \(w.until): \(w.reason)"]]
            }
            return result
        }
        let log: [String: Any] = [
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [[
                "tool": ["driver": ["name": "pmo", "version": PMOCommand.configuration.version, "rules": descriptors]],
                "results": results,
                "properties": ["summary": FindingSummary(findings).text],
            ]],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func level(_ s: RuleSeverity) -> String {
        switch s {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// A file name as a relative URI reference (spaces and other unsafe characters percent-encoded).
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

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

    static func jsonString(_ s: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes]) else { return "\"\"" }
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst().dropLast())
    }
}
