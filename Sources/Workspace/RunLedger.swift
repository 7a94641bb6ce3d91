// The run ledger: one row per run of a saved script (by `pmo run`, `pmo check` or `pmo due`), written
// as "running" before the script starts and finished when it ends, so a run that was killed half-way
// is still on record and is marked failed by the next run that finds its process gone.
//
// Times are ISO 8601 UTC text (`2026-11-23T07:00:02Z`), which sorts in time order; the host supplies
// them (this module reads no clock). `scheduled_for` is the schedule slot a `pmo due` run was for.
import GRDB

/// One row of the ledger.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    /// The script's absolute path (several, separated by spaces, for scripts run together).
    public var script: String
    public var scheduledFor: String?
    /// The as-of date the run evaluated at (`YYYY-MM-DD`), once known.
    public var asOf: String?
    public var started: String
    public var durationMs: Int64?
    public var status: RunStatus
    public var exitCode: Int?
    public var counts: FindingCounts
    public var host: String
    public var pid: Int32
    /// What identifies the process beyond its pid (its start time on Linux), so a reused pid is not
    /// taken for the run.
    public var processTag: String?
    /// The first line of the error that ended the run, if any.
    public var message: String?

    public init(id: Int64, script: String, scheduledFor: String?, asOf: String?, started: String, durationMs: Int64?,
                status: RunStatus, exitCode: Int?, counts: FindingCounts, host: String, pid: Int32,
                processTag: String?, message: String?) {
        self.id = id; self.script = script; self.scheduledFor = scheduledFor; self.asOf = asOf
        self.started = started; self.durationMs = durationMs; self.status = status; self.exitCode = exitCode
        self.counts = counts; self.host = host; self.pid = pid; self.processTag = processTag; self.message = message
    }
}

/// How a run ended.
public enum RunStatus: String, Sendable, CaseIterable {
    /// Started and not finished (still going, or killed: see `markAbandoned`).
    case running
    /// Exit 0.
    case ok
    /// Exit 1: findings at or above `--fail-on`.
    case findings
    /// Any other failure (65, 66, 70, 74...).
    case failed
    /// Stopped by `--timeout` (exit 70).
    case timedOut = "timed out"
    /// Stopped by a signal (exit 130).
    case interrupted
    /// Found unfinished, its process gone: killed, or the machine stopped.
    case killed
    /// Did not run: another run of the script held the lock (exit 75).
    case locked
}

/// Findings of a `check` run compared with the run before: new, persisting, resolved.
public struct FindingCounts: Sendable, Equatable {
    public var new: Int
    public var persisting: Int
    public var resolved: Int
    public init(new: Int = 0, persisting: Int = 0, resolved: Int = 0) {
        self.new = new; self.persisting = persisting; self.resolved = resolved
    }
}

enum RunLedgerSchema {
    /// Registers the ledger's migrations after the workspace's own (an additive table; no existing
    /// table changes).
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("runs-1") { db in try db.execute(sql: version1) }
    }

    static let version1 = """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        script TEXT NOT NULL,
        scheduled_for TEXT,
        as_of TEXT,
        started TEXT NOT NULL,
        duration_ms INTEGER,
        status TEXT NOT NULL,
        exit_code INTEGER,
        findings_new INTEGER NOT NULL DEFAULT 0,
        findings_persisting INTEGER NOT NULL DEFAULT 0,
        findings_resolved INTEGER NOT NULL DEFAULT 0,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        process_tag TEXT,
        message TEXT);
    CREATE INDEX runs_script ON runs(script, id);
    CREATE INDEX runs_started ON runs(started);
    """
}

extension Workspace {
    /// Records the start of a run and returns its row id.
    public func beginRun(script: String, scheduledFor: String?, asOf: String?, started: String, host: String,
                         pid: Int32, processTag: String?) throws(WorkspaceError) -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO runs (script, scheduled_for, as_of, started, status, host, pid, process_tag)
                VALUES (?, ?, ?, ?, 'running', ?, ?, ?)
                """, arguments: [script, scheduledFor, asOf, started, host, Int64(pid), processTag])
            return db.lastInsertedRowID
        }
    }

    /// Records how a run ended.
    public func finishRun(id: Int64, asOf: String?, durationMs: Int64, status: RunStatus, exitCode: Int,
                          counts: FindingCounts, message: String?) throws(WorkspaceError) {
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET as_of = coalesce(?, as_of), duration_ms = ?, status = ?, exit_code = ?,
                    findings_new = ?, findings_persisting = ?, findings_resolved = ?, message = ?
                WHERE id = ?
                """, arguments: [asOf, durationMs, status.rawValue, exitCode, counts.new, counts.persisting,
                                 counts.resolved, message.map(RunLedgerLimits.bounded), id])
        }
    }

    /// Records a run that did not start because another held the lock.
    public func recordLockedRun(script: String, scheduledFor: String?, started: String, host: String, pid: Int32,
                                message: String) throws(WorkspaceError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO runs (script, scheduled_for, started, duration_ms, status, exit_code, host, pid, message)
                VALUES (?, ?, ?, 0, 'locked', 75, ?, ?, ?)
                """, arguments: [script, scheduledFor, started, host, Int64(pid), RunLedgerLimits.bounded(message)])
        }
    }

    /// Marks as killed every unfinished run on `host` whose process is gone (`isAlive(pid, tag)` false);
    /// returns them. Runs of other hosts are left alone: their processes cannot be asked.
    @discardableResult
    public func markAbandonedRuns(host: String, isAlive: (Int32, String?) -> Bool) throws(WorkspaceError) -> [RunRecord] {
        let open = try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE status = 'running' AND host = ? ORDER BY id", arguments: [host])
                .map(RunLedgerSchema.record)
        }
        let dead = open.filter { !isAlive($0.pid, $0.processTag) }
        if dead.isEmpty { return [] }
        try write { db in
            for r in dead {
                try db.execute(sql: """
                    UPDATE runs SET status = 'killed',
                        message = 'the run ended without finishing (killed, or the machine stopped); found by a later run'
                    WHERE id = ? AND status = 'running'
                    """, arguments: [r.id])
            }
        }
        return dead.map { var r = $0; r.status = .killed; return r }
    }

    /// Runs, oldest first: of one script (exact path) when given, started at or after `since` (ISO text).
    public func runs(script: String? = nil, since: String? = nil) throws(WorkspaceError) -> [RunRecord] {
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let script { conditions.append("script = ?"); args.append(script) }
        if let since { conditions.append("started >= ?"); args.append(since) }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let arguments = StatementArguments(args)
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs\(whereClause) ORDER BY id", arguments: arguments)
                .map(RunLedgerSchema.record)
        }
    }

    /// The latest run of a script that got past its lock (running or finished), if any.
    public func lastRun(script: String) throws(WorkspaceError) -> RunRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE script = ? AND status != 'locked' ORDER BY id DESC LIMIT 1",
                             arguments: [script]).map(RunLedgerSchema.record)
        }
    }
}

extension RunLedgerSchema {
    static func record(_ row: Row) -> RunRecord {
        let statusText: String = row["status"] ?? "failed"
        let pid: Int64 = row["pid"] ?? 0
        return RunRecord(
            id: row["id"] ?? 0, script: row["script"] ?? "", scheduledFor: row["scheduled_for"], asOf: row["as_of"],
            started: row["started"] ?? "", durationMs: row["duration_ms"], status: RunStatus(rawValue: statusText) ?? .failed,
            exitCode: row["exit_code"],
            counts: FindingCounts(new: row["findings_new"] ?? 0, persisting: row["findings_persisting"] ?? 0,
                                  resolved: row["findings_resolved"] ?? 0),
            host: row["host"] ?? "", pid: Int32(truncatingIfNeeded: pid), processTag: row["process_tag"],
            message: row["message"])
    }
}

/// The ledger keeps a run's message short, whatever ended the run (a 200 MB token quoted in an
/// error message once grew a workspace from 17 MB to 227 MB).
public enum RunLedgerLimits {
    /// The longest message stored, in bytes.
    public static let messageBytes = 2000

    /// At most `messageBytes` bytes of `message` (cut at a character), marked when cut.
    public static func bounded(_ message: String) -> String {
        guard message.utf8.count > messageBytes else { return message }
        var out = ""
        var used = 0
        for ch in message {
            let n = ch.utf8.count
            if used + n > messageBytes - 40 { break }
            out.append(ch)
            used += n
        }
        return out + "... (\(message.utf8.count - used) more bytes)"
    }
}
