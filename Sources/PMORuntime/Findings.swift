// Findings: the outcome of one rule for one entity, waivers, the summary line and the findings table.
import PMOBase
import PMOSyntax
import Portfolio

/// What a rule gives for one entity. Missing data is never a pass: it is `unknown`.
public enum RuleOutcome: String, Sendable, Hashable, CaseIterable {
    /// The condition is true.
    case pass
    /// The condition is false.
    case violation
    /// The condition needed a value that is none.
    case unknown
    /// Evaluating the condition failed for this entity (an overflow, a bad value...).
    case error
}

/// An approved exemption of one entity from one rule, until a date (inclusive).
public struct Waiver: Hashable, Sendable {
    public var rule: String
    public var kind: EntityKind
    public var entityID: String
    public var until: Day
    public var approver: String
    public var reason: String
    /// Where the waiver was declared (`.unknown` for one stored in a workspace).
    public var span: Span

    public init(rule: String, kind: EntityKind, entityID: String, until: Day, approver: String, reason: String, span: Span = .unknown) {
        self.rule = rule; self.kind = kind; self.entityID = entityID; self.until = until
        self.approver = approver; self.reason = reason; self.span = span
    }
}

/// The outcome of one rule for one entity, with everything a report needs.
public struct Finding: Hashable, Sendable {
    public var rule: String
    public var title: String
    public var severity: RuleSeverity
    public var kind: EntityKind
    public var entityID: String
    public var entityName: String
    public var outcome: RuleOutcome
    /// The rule's message for a violation (interpolated for this entity); for an unknown, what was
    /// missing; for an error, the error.
    public var message: String
    public var owner: String?
    public var remedy: String?
    /// For an unknown outcome: the expression that was none, as written (`sponsor`, `latest_status`).
    public var missing: String?
    /// The waiver naming this rule and entity, if any (it may have expired: see `waiverExpired`).
    public var waiver: Waiver?
    public var waiverExpired: Bool
    /// Where the rule is declared (SARIF's physical location).
    public var ruleSpan: Span

    public init(rule: String, title: String, severity: RuleSeverity, kind: EntityKind, entityID: String, entityName: String,
                outcome: RuleOutcome, message: String, owner: String? = nil, remedy: String? = nil, missing: String? = nil,
                waiver: Waiver? = nil, waiverExpired: Bool = false, ruleSpan: Span = .unknown) {
        self.rule = rule; self.title = title; self.severity = severity; self.kind = kind; self.entityID = entityID
        self.entityName = entityName; self.outcome = outcome; self.message = message; self.owner = owner
        self.remedy = remedy; self.missing = missing; self.waiver = waiver; self.waiverExpired = waiverExpired
        self.ruleSpan = ruleSpan
    }

    /// A violation or unknown covered by a waiver that has not expired. (Errors are never waived.)
    public var isWaived: Bool {
        waiver != nil && !waiverExpired && (outcome == .violation || outcome == .unknown)
    }

    /// Something to act on: a violation, unknown or error that no active waiver covers.
    public var needsAction: Bool { outcome != .pass && !isWaived }

    /// `violation`, `unknown`, `error`, `waived` or `pass`.
    public var status: String { isWaived ? "waived" : outcome.rawValue }

    /// Identifies the finding across runs: rule, entity set and entity id.
    public var key: String { "\(rule)|\(kind.setName)|\(entityID)" }

    /// The message with the waiver said in words: `... (waived by CFO until 2026-12-31: reason)` or
    /// `... (waiver expired on 2026-10-31)`.
    public var detail: String {
        guard let w = waiver, outcome != .pass else { return message }
        if waiverExpired { return message + " (waiver expired on \(w.until))" }
        if outcome == .error { return message }
        return message + " (waived by \(w.approver) until \(w.until): \(w.reason))"
    }

    /// Severity (most severe first), then rule id, then entity id.
    public static func ordered(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        return a.entityID.naturalLess(b.entityID)
    }
}

extension String {
    /// Compares ids so that `PRJ-2` comes before `PRJ-10` (digit runs by value), without Foundation.
    public func naturalLess(_ o: String) -> Bool {
        var a = Substring(self), b = Substring(o)
        while let x = a.first, let y = b.first {
            if x.isASCII && x.isNumber && y.isASCII && y.isNumber {
                let da = a.prefix { $0.isASCII && $0.isNumber }, db = b.prefix { $0.isASCII && $0.isNumber }
                let na = da.drop { $0 == "0" }, nb = db.drop { $0 == "0" }
                if na.count != nb.count { return na.count < nb.count }
                if na != nb { return na < nb }
                a = a.dropFirst(da.count); b = b.dropFirst(db.count)
                continue
            }
            if x != y { return x < y }
            a = a.dropFirst(); b = b.dropFirst()
        }
        return a.isEmpty && !b.isEmpty
    }
}

/// The counts of a check: violations (not waived) by severity, unknowns, passes, waived, errors.
public struct FindingSummary: Sendable, Equatable {
    public var violations = 0
    public var bySeverity: [RuleSeverity: Int] = [:]
    public var unknown = 0
    public var passed = 0
    public var waived = 0
    public var errors = 0

    public init(_ findings: [Finding]) {
        for f in findings {
            if f.isWaived { waived += 1; continue }
            switch f.outcome {
            case .pass: passed += 1
            case .violation:
                violations += 1
                bySeverity[f.severity, default: 0] += 1
            case .unknown: unknown += 1
            case .error: errors += 1
            }
        }
    }

    /// Violations (not waived) per severity, most severe first, every severity listed.
    public var severityCounts: [(severity: String, count: Int)] {
        RuleSeverity.allCases.reversed().map { ($0.rawValue, bySeverity[$0] ?? 0) }
    }

    /// `12 violations (2 critical, 5 high, 5 medium), 3 unknown, 140 passed, 1 waived` (and `, 1 error`).
    public var text: String {
        var s = violations == 1 ? "1 violation" : "\(violations) violations"
        let parts = RuleSeverity.allCases.reversed().compactMap { sev -> String? in
            guard let n = bySeverity[sev], n > 0 else { return nil }
            return "\(n) \(sev.rawValue)"
        }
        if !parts.isEmpty { s += " (" + parts.joined(separator: ", ") + ")" }
        s += ", \(unknown) unknown, \(passed) passed, \(waived) waived"
        if errors > 0 { s += errors == 1 ? ", 1 error" : ", \(errors) errors" }
        return s
    }
}

extension Finding {
    /// The severity enumeration of the findings table (`severity` columns are coloured by severity).
    public static let severityType = EnumType("severity", RuleSeverity.allCases.map(\.rawValue))

    /// The table of the findings to act on or waived (passes are only counted), in report order:
    /// severity, rule, entity, name, status, message, owner.
    public static func table(_ findings: [Finding]) -> ResultTable {
        let columns = [
            ResultColumn(name: "severity", kind: .enumeration), ResultColumn(name: "rule", kind: .text),
            ResultColumn(name: "entity", kind: .text), ResultColumn(name: "name", kind: .text),
            ResultColumn(name: "status", kind: .text), ResultColumn(name: "message", kind: .text),
            ResultColumn(name: "owner", kind: .text),
        ]
        let shown = findings.filter { $0.outcome != .pass }.sorted(by: Finding.ordered)
        let rows: [[Value]] = shown.map { f in
            [.enumeration(severityType, UInt8(f.severity.rank)), .string(f.rule), .string(f.entityID), .string(f.entityName),
             .string(f.status), .string(f.detail), f.owner.map { .string($0) } ?? .none]
        }
        return ResultTable(columns: columns, rows: rows)
    }
}
