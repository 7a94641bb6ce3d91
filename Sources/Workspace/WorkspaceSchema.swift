// The workspace's SQLite schema, version by version. Each version is a GRDB migration whose SQL is
// written out here and never changes once released: a new field of the model is a new migration.
//
// Storage conventions (version 1):
// - one table per entity set, named after it (`projects`, `status_reports`), one column per field;
// - `rid INTEGER PRIMARY KEY` orders the rows; an entity's `id` is `TEXT NOT NULL UNIQUE`;
// - a reference is the `rid` of the related row (`INTEGER REFERENCES projects(rid)`), so a workspace
//   loads without looking up a single id string; foreign keys are enforced;
// - money, percentages and hours are INTEGER ten-thousandths (`Fixed.units`: $1.50 = 15000,
//   85% = 8500, 7.5 h = 75000); durations are INTEGER days; booleans 0 or 1;
// - dates are ISO TEXT `YYYY-MM-DD` (readable, sortable, and what SQLite's date functions take);
// - enumerations are their TEXT names (`execution`, `amber`), so a new case needs no renumbering;
// - lists (`tags`) are TEXT with items separated by `;`, as in CSV; none is NULL everywhere;
// - sets without an id have a natural key (below) that makes re-importing the same rows an update;
// - `settings` holds `settings.csv`'s keys; `meta` says what the file is and its schema version.
import GRDB
import Portfolio

enum WorkspaceSchema {
    /// `PRAGMA application_id` of a pmo workspace: "PMOW".
    static let applicationID: Int32 = 0x504D_4F57
    /// The schema version this build writes and reads.
    static let version = 1
    /// `meta.format`.
    static let format = "pmo-workspace"

    /// The natural key of each set without an id: re-importing a row with the same key updates it.
    static func naturalKey(_ k: EntityKind) -> [String] {
        switch k {
        case .dependency: return ["from", "to"]
        case .allocation: return ["resource", "project", "start", "finish"]
        case .timesheet: return ["resource", "project", "week"]
        case .statusReport: return ["project", "as_of"]
        case .gate: return ["project", "gate"]
        case .holiday: return ["date"]
        default: return ["id"]
        }
    }

    /// The migrator: every schema version in order.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1", migrate: { db in try db.execute(sql: version1) })
        RunLedgerSchema.register(&m)
        FindingsHistorySchema.register(&m)
        // Before the generation triggers, which cover every set's table (holidays included); an older
        // workspace that has them already gets the holidays table's triggers here.
        m.registerMigration("schedule-1", migrate: { db in
            try db.execute(sql: schedule1)
            if try DataGeneration.read(db) != nil { try DataGeneration.createTriggers(db) }
        })
        DataGeneration.register(&m)
        Journal.register(&m)
        LineSets.register(&m)
        return m
    }

    static let version1 = """
    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE people (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, email TEXT, department TEXT);
    CREATE TABLE portfolios (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        owner INTEGER REFERENCES people(rid), currency TEXT, budget_cap INTEGER);
    CREATE TABLE programs (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        portfolio INTEGER REFERENCES portfolios(rid), manager INTEGER REFERENCES people(rid),
        sponsor INTEGER REFERENCES people(rid), state TEXT);
    CREATE TABLE projects (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, code TEXT,
        program INTEGER REFERENCES programs(rid), portfolio INTEGER REFERENCES portfolios(rid),
        manager INTEGER REFERENCES people(rid), sponsor INTEGER REFERENCES people(rid),
        state TEXT, phase TEXT, status TEXT, priority INTEGER, start TEXT, finish TEXT, baseline_finish TEXT,
        bac INTEGER, contingency INTEGER, business_case TEXT, tags TEXT);
    CREATE TABLE milestones (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, project INTEGER NOT NULL REFERENCES projects(rid),
        name TEXT NOT NULL, due TEXT, baseline_due TEXT, forecast TEXT, completed TEXT, key INTEGER, acceptance TEXT);
    CREATE TABLE tasks (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, project INTEGER NOT NULL REFERENCES projects(rid),
        parent INTEGER REFERENCES tasks(rid), name TEXT NOT NULL, start TEXT, finish TEXT,
        baseline_start TEXT, baseline_finish TEXT, percent_complete INTEGER, work INTEGER, cost INTEGER);
    CREATE INDEX tasks_parent ON tasks(parent);
    CREATE TABLE dependencies (
        rid INTEGER PRIMARY KEY, "from" TEXT NOT NULL, "to" TEXT NOT NULL, type TEXT, lag INTEGER,
        UNIQUE ("from", "to"));
    CREATE TABLE resources (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT, department TEXT,
        capacity INTEGER, rate INTEGER, active INTEGER);
    CREATE TABLE allocations (
        rid INTEGER PRIMARY KEY, resource INTEGER NOT NULL REFERENCES resources(rid),
        project INTEGER NOT NULL REFERENCES projects(rid), start TEXT, finish TEXT, percent INTEGER, state TEXT);
    CREATE UNIQUE INDEX allocations_key ON allocations(resource, project, ifnull(start, ''), ifnull(finish, ''));
    CREATE TABLE timesheets (
        rid INTEGER PRIMARY KEY, resource INTEGER NOT NULL REFERENCES resources(rid),
        project INTEGER NOT NULL REFERENCES projects(rid), week TEXT NOT NULL, hours INTEGER, cost INTEGER,
        UNIQUE (resource, project, week));
    CREATE TABLE risks (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, project INTEGER NOT NULL REFERENCES projects(rid),
        title TEXT, probability INTEGER, impact INTEGER, cost_impact INTEGER, state TEXT,
        owner INTEGER REFERENCES people(rid), review_due TEXT);
    CREATE TABLE issues (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, project INTEGER NOT NULL REFERENCES projects(rid),
        title TEXT, severity TEXT, state TEXT, owner INTEGER REFERENCES people(rid),
        opened TEXT, due TEXT, resolved TEXT);
    CREATE TABLE status_reports (
        rid INTEGER PRIMARY KEY, project INTEGER NOT NULL REFERENCES projects(rid), as_of TEXT NOT NULL,
        overall TEXT, schedule TEXT, cost TEXT, scope TEXT, pv INTEGER, ev INTEGER, ac INTEGER,
        percent_complete INTEGER, summary TEXT, UNIQUE (project, as_of));
    CREATE TABLE gates (
        rid INTEGER PRIMARY KEY, project INTEGER NOT NULL REFERENCES projects(rid), gate TEXT NOT NULL,
        planned TEXT, held TEXT, decision TEXT, UNIQUE (project, gate));
    CREATE TABLE changes (
        rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, project INTEGER NOT NULL REFERENCES projects(rid),
        title TEXT, cost_impact INTEGER, schedule_impact INTEGER, state TEXT);
    """

    /// Version 2 of the model (issue 18): the holidays set, the unit of a dependency's lag and MS Project's
    /// own schedule figures on tasks.
    static let schedule1 = """
    CREATE TABLE holidays (rid INTEGER PRIMARY KEY, date TEXT NOT NULL UNIQUE, name TEXT);
    ALTER TABLE dependencies ADD COLUMN lag_unit TEXT;
    ALTER TABLE tasks ADD COLUMN msp_early_start TEXT;
    ALTER TABLE tasks ADD COLUMN msp_early_finish TEXT;
    ALTER TABLE tasks ADD COLUMN msp_late_start TEXT;
    ALTER TABLE tasks ADD COLUMN msp_late_finish TEXT;
    ALTER TABLE tasks ADD COLUMN msp_total_slack INTEGER;
    ALTER TABLE tasks ADD COLUMN msp_free_slack INTEGER;
    ALTER TABLE tasks ADD COLUMN msp_critical INTEGER;
    """

    /// The conflict target of an upsert into a set without an id (matches its unique index).
    static func conflictTarget(_ k: EntityKind) -> String {
        if k == .allocation { return "resource, project, ifnull(start, ''), ifnull(finish, '')" }
        return naturalKey(k).map(quoted).joined(separator: ", ")
    }

    /// An SQL identifier in double quotes (`from` and `to` are keywords).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
