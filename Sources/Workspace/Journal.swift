// The journal: every change to every field of every entity, append-only. One row per changed field
// (set, entity, field, old, new), with the effective date, the recorded time, who, from where, why
// and the batch (one statement or one import). A row inserted or deleted is one entry whose field is
// `*` and whose `new` (or `old`) is the whole row as a CSV record, so `as of` can bring it back.
//
// A workspace created before the journal, or a new one, starts it with batch 1 ("the journal
// begins"), effective on the day given when it was opened: rows without an insert entry have
// existed since the journal began, and a field never changed has held its value since then.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GRDB
import PMOBase
import Portfolio

/// Who makes a change, from where and when it is recorded (the reason and effective date are the plan's).
public struct JournalStamp: Sendable {
    public var by: String
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var recorded: String

    public init(by: String, recorded: String) { self.by = by; self.recorded = recorded }

    /// The wall clock's time, in UTC.
    public static func now(by: String) -> JournalStamp { JournalStamp(by: by, recorded: Journal.timestamp(time(nil))) }
}

enum Journal {
    static let startKey = "journal_start"

    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("journal-1") { db in
            try db.execute(sql: """
                CREATE TABLE journal (
                    seq INTEGER PRIMARY KEY, batch INTEGER NOT NULL,
                    "set" TEXT NOT NULL, entity TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT,
                    effective TEXT NOT NULL, recorded TEXT NOT NULL, "by" TEXT NOT NULL,
                    source TEXT NOT NULL, reason TEXT NOT NULL);
                CREATE INDEX journal_entity ON journal("set", entity, field);
                CREATE INDEX journal_batch ON journal(batch);
                CREATE TABLE journal_batches (
                    batch INTEGER PRIMARY KEY, effective TEXT NOT NULL, recorded TEXT NOT NULL, "by" TEXT NOT NULL,
                    source TEXT NOT NULL, reason TEXT NOT NULL, undoes INTEGER REFERENCES journal_batches(batch));
                CREATE TRIGGER journal_append_only_u BEFORE UPDATE ON journal
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                CREATE TRIGGER journal_append_only_d BEFORE DELETE ON journal
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                CREATE TRIGGER journal_batches_append_only_u BEFORE UPDATE ON journal_batches
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                CREATE TRIGGER journal_batches_append_only_d BEFORE DELETE ON journal_batches
                    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                """)
        }
    }

    /// Starts the journal (batch 1, effective on `day`) unless it has started.
    static func begin(_ db: Database, day: Day, stamp: JournalStamp) throws {
        guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [startKey]) == nil else { return }
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: [startKey, day.description])
        try db.execute(sql: "INSERT INTO journal_batches (batch, effective, recorded, \"by\", source, reason) VALUES (1, ?, ?, ?, 'pmo', ?)",
                       arguments: [day.description, stamp.recorded, stamp.by,
                                   "the journal begins: the workspace as it stood is the starting point"])
    }

    /// The day the journal began, if it has.
    static func start(_ db: Database) throws -> Day? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [startKey]).flatMap { Day(iso: Substring($0)) }
    }

    /// Opens a new batch; returns its number.
    static func newBatch(_ db: Database, effective: Day, stamp: JournalStamp, source: String, reason: String, undoes: Int64? = nil) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: "SELECT max(batch) FROM journal_batches") ?? 0
        let batch = last + 1
        try db.execute(sql: "INSERT INTO journal_batches (batch, effective, recorded, \"by\", source, reason, undoes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [batch, effective.description, stamp.recorded, stamp.by, source, reason, undoes])
        return batch
    }

    /// Appends entries to the journal (in order).
    struct Appender {
        let statement: Statement
        let batch: Int64
        let effective: String
        let stamp: JournalStamp
        let source: String
        let reason: String

        init(_ db: Database, batch: Int64, effective: Day, stamp: JournalStamp, source: String, reason: String) throws {
            statement = try db.makeStatement(sql: """
                INSERT INTO journal (batch, "set", entity, field, old, new, effective, recorded, "by", source, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            self.batch = batch; self.effective = effective.description; self.stamp = stamp
            self.source = source; self.reason = reason
        }

        func append(set: String, entity: String, field: String, old: String?, new: String?) throws {
            try statement.execute(arguments: [batch, set, entity, field, old, new, effective, stamp.recorded, stamp.by, source, reason])
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of a time in seconds since 1970.
    static func timestamp(_ t: time_t) -> String {
        var tmv = tm()
        var copy = t
        gmtime_r(&copy, &tmv)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = Int(tmv.tm_year) + 1900
        return "\(y)-\(two(tmv.tm_mon + 1))-\(two(tmv.tm_mday))T\(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec))Z"
    }

    /// Today's date by the wall clock, in UTC (the day a journal begins when none is given).
    static func today() -> Day {
        var tmv = tm()
        var t = time(nil)
        gmtime_r(&t, &tmv)
        return Day(year: Int(tmv.tm_year) + 1900, month: Int(tmv.tm_mon) + 1, day: Int(tmv.tm_mday)) ?? Day(raw: 0)
    }

    static func entry(_ row: Row) -> JournalEntry {
        JournalEntry(seq: row["seq"], batch: row["batch"], set: row["set"], entity: row["entity"], field: row["field"],
                     old: row["old"], new: row["new"],
                     effective: Day(iso: Substring(row["effective"] as String)) ?? Day(raw: 0),
                     recorded: row["recorded"], by: row["by"], source: row["source"], reason: row["reason"])
    }
}

/// What `pmo journal` and the `journal` set select.
public struct JournalFilter: Sendable {
    public var since: Day?
    public var set: String?
    public var by: String?
    public init(since: Day? = nil, set: String? = nil, by: String? = nil) { self.since = since; self.set = set; self.by = by }
}

extension Workspace {
    /// The journal's entries in order (those the filter keeps).
    public func journal(_ filter: JournalFilter = JournalFilter()) throws(WorkspaceError) -> [JournalEntry] {
        try read { db in
            guard try db.tableExists("journal") else { return [] }
            var sql = "SELECT * FROM journal"
            var conds: [String] = []
            var args: [(any DatabaseValueConvertible)?] = []
            if let s = filter.since { conds.append("effective >= ?"); args.append(s.description) }
            if let s = filter.set { conds.append("\"set\" = ?"); args.append(s) }
            if let b = filter.by { conds.append("\"by\" = ?"); args.append(b) }
            if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
            sql += " ORDER BY seq"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Journal.entry)
        }
    }

    /// The latest effective date of the journal's entries (nil when it has none).
    public func latestEffective() throws(WorkspaceError) -> Day? {
        try read { db in
            guard try db.tableExists("journal") else { return nil }
            return try String.fetchOne(db, sql: "SELECT max(effective) FROM journal").flatMap { Day(iso: Substring($0)) }
        }
    }

    /// The day the journal began (nil in a workspace opened read-only before its upgrade).
    public func journalStart() throws(WorkspaceError) -> Day? {
        try read { db in try db.tableExists("journal") ? try Journal.start(db) : nil }
    }
}
