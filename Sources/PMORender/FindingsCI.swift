// Findings for CI systems: JUnit XML (one test case per rule and entity) and SARIF 2.1.0 (one result
// per finding to act on or waived, located at the rule's declaration and naming the entity), written
// with pmo's one set of escapes (`Escape.xml`) and its one JSON writer (`JSONValue`).
import PMOBase
import PMORuntime
import PMOSyntax
import Portfolio

public enum FindingsCI {
    // MARK: - JUnit

    /// One `<testsuite>` per rule and one `<testcase>` per entity it checked: a violation is a
    /// `<failure>`, an evaluation error an `<error>`, a waived finding is `<skipped>` with its waiver,
    /// and an unknown is `<skipped>` (a `<failure>` with --fail-on-unknown).
    public static func junit(_ findings: [Finding], rules: [RuleInfo], sources: SourceMap, failOnUnknown: Bool) -> String {
        var byRule: [String: [Finding]] = [:]
        for f in findings { byRule[f.rule, default: []].append(f) }
        var suites: [String] = []
        var total = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for rule in rules {
            let list = (byRule[rule.id] ?? []).sorted { $0.entityID.naturalLess($1.entityID) }
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

    static func xml(_ s: String) -> String { Escape.xml(s) }

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
    public static func sarif(_ findings: [Finding], rules: [RuleInfo], sources: SourceMap, version: String) -> String {
        let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let descriptors: [JSONValue] = rules.map { r in
            .object([
                ("id", .string(r.id)), ("name", .string(r.id)),
                ("shortDescription", .object([("text", .string(r.title))])),
                ("defaultConfiguration", .object([("level", .string(level(r.severity)))])),
                ("properties", .object([("severity", .string(r.severity.rawValue)), ("entitySet", .string(r.kind.setName))])),
            ])
        }
        let results: [JSONValue] = findings.filter { $0.outcome != .pass }.sorted(by: Finding.ordered).map { f in
            var location: [(String, JSONValue)] = []
            if let loc = self.location(f.ruleSpan, sources) {
                location.append(("physicalLocation", .object([
                    ("artifactLocation", .object([("uri", .string(uri(loc.file)))])),
                    ("region", .object([("startLine", .int(loc.line)), ("startColumn", .int(loc.column))])),
                ])))
            }
            location.append(("logicalLocations", .array([.object([
                ("name", .string(f.entityID)), ("fullyQualifiedName", .string("\(f.kind.setName)/\(f.entityID)")), ("kind", .string("object")),
            ])])))
            var properties: [(String, JSONValue)] = [("severity", .string(f.severity.rawValue)), ("status", .string(f.status)),
                                                     ("entitySet", .string(f.kind.setName)), ("entityName", .string(f.entityName))]
            if let o = f.owner { properties.append(("owner", .string(o))) }
            if let r = f.remedy { properties.append(("remedy", .string(r))) }
            if let m = f.missing { properties.append(("missing", .string(m))) }
            var result: [(String, JSONValue)] = [("ruleId", .string(f.rule))]
            if let i = index[f.rule] { result.append(("ruleIndex", .int(i))) }
            result += [
                ("level", .string(f.outcome == .error ? "error" : level(f.severity))),
                ("kind", .string(f.outcome == .unknown ? "review" : "fail")),
                ("message", .object([("text", .string(f.entityID + ": " + f.detail))])),
                ("locations", .array([.object(location)])),
                ("partialFingerprints", .object([("pmoFinding/v1", .string(f.key))])),
            ]
            if f.isWaived, let w = f.waiver {
                result.append(("suppressions", .array([.object([
                    ("kind", .string("external")), ("status", .string("accepted")),
                    ("justification", .string("waived by \(w.approver) until \(w.until): \(w.reason)")),
                ])])))
            }
            result.append(("properties", .object(properties)))
            return .object(result)
        }
        let log: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([("name", .string("pmo")), ("version", .string(version)), ("rules", .array(descriptors))]))])),
                ("results", .array(results)),
                ("properties", .object([("summary", .string(FindingSummary(findings).text))])),
            ])])),
        ])
        return log.pretty
    }

    static func level(_ s: RuleSeverity) -> String {
        switch s {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// A file name as a URI reference: relative as given, absolute as `file://`; bytes outside
    /// RFC 3986's unreserved characters, sub-delimiters, `/`, `:` and `@` percent-encoded (UTF-8).
    static func uri(_ path: String) -> String {
        let keep = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in path.utf8 {
            if keep.contains(b) { out.append(b) } else { out += [37, hex[Int(b >> 4)], hex[Int(b & 15)]] }
        }
        let encoded = String(decoding: out, as: UTF8.self)
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
