// Findings history: for each script, every finding that needed action with the dates it was first
// and last seen and the date it was resolved, so a check can say what is new, what persists and what
// was resolved since its last run (`pmo check --new-only`). And the waivers stored in the workspace
// (`pmo waive`), which every `pmo check` on it applies.
//
// Dates are the as-of dates of the runs (`YYYY-MM-DD`), so a history is as deterministic as the
// runs themselves. A finding is identified by its key (rule, entity set and entity id): the same
// rule failing again for the same entity after it was resolved counts as new again.
import GRDB

/// One finding to record (plain values: this module knows nothing of rules).
public struct FindingRecord: Sendable, Equatable {
    /// Identifies the finding across runs: `rule|set|entity`.
    public var key: String
    public var rule: String
    public var entitySet: String
    public var entity: String
    public var severity: String
    /// `violation`, `unknown` or `error`.
    public var status: String
    public var message: String

    public init(key: String, rule: String, entitySet: String, entity: String, severity: String, status: String, message: String) {
        self.key = key; self.rule = rule; self.entitySet = entitySet; self.entity = entity
        self.severity = severity; self.status = status; self.message = message
    }
}

/// A finding as the history remembers it.
public struct FindingHistoryEntry: Sendable, Equatable {
    public var record: FindingRecord
    public var firstSeen: String
    public var lastSeen: String
    /// The as-of date of the run that no longer found it; nil while it is open.
    public var resolved: String?
}

/// What one run changed in a script's history.
public struct FindingsDelta: Sendable, Equatable {
    /// Keys of findings seen for the first time (or again after being resolved).
    public var new: [String] = []
    /// Keys of findings that were open before and still are.
    public var persisting: [String] = []
    /// Findings open before that this run no longer found.
    public var resolved: [FindingHistoryEntry] = []
    /// Whether the script had been checked before (with no earlier run, everything is new).
    public var hadEarlierRun = false

    public init() {}

    public var counts: FindingCounts { FindingCounts(new: new.count, persisting: persisting.count, resolved: resolved.count) }
}

enum FindingsHistorySchema {
    /// Registers the history's and the stored waivers' migrations after the workspace's own (additive tables).
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("findings-1") { db in try db.execute(sql: version1) }
        m.registerMigration("waivers-1") { db in try db.execute(sql: StoredWaiverSchema.version1) }
    }

    static let version1 = """
    CREATE TABLE findings (
        script TEXT NOT NULL,
        key TEXT NOT NULL,
        rule TEXT NOT NULL,
        entity_set TEXT NOT NULL,
        entity TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        resolved TEXT,
        PRIMARY KEY (script, key)) WITHOUT ROWID;
    CREATE TABLE findings_runs (
        script TEXT PRIMARY KEY NOT NULL,
        last_run TEXT NOT NULL) WITHOUT ROWID;
    """
}

extension Workspace {
    /// Records the findings of one check of `script` at as-of date `date` (all findings that need
    /// action; waived ones and passes are left out) and returns what changed since the last check.
    public func recordFindings(script: String, date: String, findings: [FindingRecord]) throws(WorkspaceError) -> FindingsDelta {
        try write { db in
            var delta = FindingsDelta()
            delta.hadEarlierRun = try String.fetchOne(db, sql: "SELECT last_run FROM findings_runs WHERE script = ?",
                                                      arguments: [script]) != nil
            var open: [String: FindingHistoryEntry] = [:]
            var closed: Set<String> = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM findings WHERE script = ?", arguments: [script]) {
                let entry = Workspace.entry(row)
                if entry.resolved == nil { open[entry.record.key] = entry } else { closed.insert(entry.record.key) }
            }
            var seen = Set<String>()
            for f in findings where seen.insert(f.key).inserted {
                if open[f.key] != nil {
                    delta.persisting.append(f.key)
                    try db.execute(sql: """
                        UPDATE findings SET last_seen = ?, severity = ?, status = ?, message = ?, rule = ?, entity_set = ?, entity = ?
                        WHERE script = ? AND key = ?
                        """, arguments: [date, f.severity, f.status, f.message, f.rule, f.entitySet, f.entity, script, f.key])
                } else {
                    delta.new.append(f.key)
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO findings (script, key, rule, entity_set, entity, severity, status, message,
                            first_seen, last_seen, resolved)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                        """, arguments: [script, f.key, f.rule, f.entitySet, f.entity, f.severity, f.status, f.message, date, date])
                }
            }
            for (key, var entry) in open.sorted(by: { $0.key < $1.key }) where !seen.contains(key) {
                entry.resolved = date
                delta.resolved.append(entry)
                try db.execute(sql: "UPDATE findings SET resolved = ? WHERE script = ? AND key = ?", arguments: [date, script, key])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO findings_runs (script, last_run) VALUES (?, ?)", arguments: [script, date])
            return delta
        }
    }

    /// The history of one script (open findings first, then resolved ones), or of every script.
    public func findingsHistory(script: String?) throws(WorkspaceError) -> [FindingHistoryEntry] {
        try read { db in
            let sql = "SELECT * FROM findings" + (script == nil ? "" : " WHERE script = ?")
                + " ORDER BY resolved IS NOT NULL, script, key"
            let args: StatementArguments = script.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: sql, arguments: args).map(Workspace.entry)
        }
    }

    static func entry(_ row: Row) -> FindingHistoryEntry {
        let record = FindingRecord(key: row["key"] ?? "", rule: row["rule"] ?? "", entitySet: row["entity_set"] ?? "",
                                   entity: row["entity"] ?? "", severity: row["severity"] ?? "", status: row["status"] ?? "",
                                   message: row["message"] ?? "")
        return FindingHistoryEntry(record: record, firstSeen: row["first_seen"] ?? "", lastSeen: row["last_seen"] ?? "",
                                   resolved: row["resolved"])
    }
}

// MARK: - Stored waivers

/// A waiver kept in the workspace (`pmo waive`), applied by every `pmo check` on it.
public struct StoredWaiver: Sendable, Equatable {
    public var rule: String
    /// The entity set's name (`projects`).
    public var entitySet: String
    public var entity: String
    /// The last day it applies (`YYYY-MM-DD`).
    public var until: String
    public var approver: String
    public var reason: String

    public init(rule: String, entitySet: String, entity: String, until: String, approver: String, reason: String) {
        self.rule = rule; self.entitySet = entitySet; self.entity = entity
        self.until = until; self.approver = approver; self.reason = reason
    }
}

enum StoredWaiverSchema {
    static let version1 = """
    CREATE TABLE waivers (
        rule TEXT NOT NULL,
        entity_set TEXT NOT NULL,
        entity TEXT NOT NULL,
        until TEXT NOT NULL,
        approver TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (rule, entity_set, entity)) WITHOUT ROWID;
    """
}

extension Workspace {
    /// Adds a waiver. One already stored for the same rule and entity is an error, unless `replace`
    /// says to replace it deliberately (never silently).
    public func saveWaiver(_ w: StoredWaiver, replace: Bool = false) throws(WorkspaceError) {
        try write { db in
            if !replace, let old = try Row.fetchOne(db, sql: "SELECT until, approver, reason FROM waivers WHERE rule = ? AND entity_set = ? AND entity = ?",
                                                    arguments: [w.rule, w.entitySet, w.entity]) {
                let until: String = old["until"] ?? "", by: String = old["approver"] ?? "", why: String = old["reason"] ?? ""
                throw WorkspaceError(.usage, "\(w.rule) is already waived for \(w.entitySet) \(w.entity) until \(until) by \(by) "
                                     + "because \(why); pass --replace to replace that waiver")
            }
            try db.execute(sql: """
                INSERT OR REPLACE INTO waivers (rule, entity_set, entity, until, approver, reason) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [w.rule, w.entitySet, w.entity, w.until, w.approver, w.reason])
        }
    }

    /// The rule ids `pmo check` has reported findings of in this workspace, and those of stored waivers.
    public func rulesSeen() throws(WorkspaceError) -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM findings UNION SELECT DISTINCT rule FROM waivers"))
        }
    }

    /// Removes the waiver of a rule and entity; false when there was none.
    public func removeWaiver(rule: String, entitySet: String, entity: String) throws(WorkspaceError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM waivers WHERE rule = ? AND entity_set = ? AND entity = ?",
                           arguments: [rule, entitySet, entity])
            return db.changesCount > 0
        }
    }

    /// Every stored waiver, by rule, set and entity.
    public func storedWaivers() throws(WorkspaceError) -> [StoredWaiver] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM waivers ORDER BY rule, entity_set, entity").map { row in
                StoredWaiver(rule: row["rule"] ?? "", entitySet: row["entity_set"] ?? "", entity: row["entity"] ?? "",
                             until: row["until"] ?? "", approver: row["approver"] ?? "", reason: row["reason"] ?? "")
            }
        }
    }
}
