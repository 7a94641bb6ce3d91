// A pmo workspace: one SQLite file holding a portfolio, opened through GRDB. Creating, opening
// (checking that the file is a workspace of a version this build knows, migrating older ones),
// settings and row counts. Loading, importing and exporting are in the other files of the module.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GRDB
import GRDBSQLite
import PMOBase
import Portfolio

/// Why a workspace operation failed. `location` is set for bad input data (`file:line:col`).
public struct WorkspaceError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The workspace file (or an input file) does not exist or cannot be read.
        case missing
        /// `create` found a file already there.
        case exists
        /// The file is not a pmo workspace (another SQLite database, or not a database at all).
        case notWorkspace
        /// The file was written by a newer pmo, or needs a migration that a read-only open cannot do.
        case incompatible
        /// The workspace holds a value that the model cannot hold (a hand-edited file).
        case corrupt
        /// Input data is malformed: `location` says where.
        case badData
        /// The request itself is wrong (an unknown set, `--as` with a directory...).
        case usage
        /// The workspace or an output could not be written (read-only file, full disk...).
        case cannotWrite
        /// Another process holds the workspace's write lock beyond the busy timeout.
        case busy
        /// The host stopped the work (`LoadCancellation`: a signal, a timeout).
        case cancelled
    }

    public let kind: Kind
    public let message: String
    /// The place in an input file, for `badData`.
    public let location: LoadError?
    /// Every problem found, when an import reports them all (`location` is the first).
    public private(set) var problems: [LoadError] = []

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message; location = nil }

    public init(data: LoadError) { kind = .badData; message = data.message; location = data; problems = [data] }

    /// Several problems at once (at least one), in the order given.
    public init(problems: [LoadError]) {
        let first = problems.first ?? LoadError(file: "", line: 0, column: 0, message: "unknown problem")
        kind = .badData; message = first.message; location = first; self.problems = problems.isEmpty ? [first] : problems
    }

    /// `file:line:col: error: message` for bad data (one line per problem), else the message.
    public var description: String {
        problems.count > 1 ? problems.map(\.description).joined(separator: "\n") : location?.description ?? message
    }
}

/// An open workspace file. Every write is one transaction: it happens whole or not at all.
public final class Workspace: @unchecked Sendable {
    public let path: String
    public let readOnly: Bool
    let queue: DatabaseQueue
    /// Read from a copy in memory upgraded from an older workspace (no column cache is read or written).
    let upgradedCopy: Bool
    /// Seconds a write waits for another process's lock before failing with `busy`.
    public static let busyTimeout: Double = 10

    private init(path: String, readOnly: Bool, queue: DatabaseQueue, upgradedCopy: Bool = false) {
        self.path = path; self.readOnly = readOnly; self.queue = queue; self.upgradedCopy = upgradedCopy
    }

    /// Creates a new, empty workspace at `path`; refuses to overwrite anything already there.
    /// The journal begins on `journalDay` (today by the wall clock, in UTC, when nil).
    public static func create(path: String, journalDay: Day? = nil) throws(WorkspaceError) -> Workspace {
        if exists(path) { throw WorkspaceError(.exists, "'\(path)' already exists; pmo will not overwrite it") }
        try refuseLeftovers(path)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false))
            try queue.writeWithoutTransaction { db in
                // Larger pages: fewer writes and a shallower tree for tables of millions of rows.
                try db.execute(sql: "PRAGMA page_size = 16384")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "PRAGMA application_id = \(WorkspaceSchema.applicationID)")
                    return .commit
                }
            }
            try WorkspaceSchema.migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('format', ?), ('schema_version', ?), ('created_by', ?)",
                               arguments: [WorkspaceSchema.format, String(WorkspaceSchema.version), "pmo"])
                try db.execute(sql: "PRAGMA user_version = \(WorkspaceSchema.version)")
                try WorkspaceIdentity.ensure(db)
                try Journal.begin(db, day: journalDay ?? Journal.today(), stamp: .now(by: "pmo"))
            }
        } catch {
            removeFiles(path)
            throw map(error, path: path, writing: true)
        }
        return Workspace(path: path, readOnly: false, queue: queue)
    }

    /// Creates a workspace at `path`, optionally filled by an import, so that the file appears whole
    /// or not at all: it is built under a temporary name beside `path`, then linked into place
    /// (never over an existing file). Returns the row counts of the new workspace.
    public static func initialize(path: String, importing request: ImportRequest?, journalDay: Day? = nil,
                                  journalling: ImportJournalling? = nil) throws(WorkspaceError) -> [EntityKind: Int] {
        if exists(path) { throw WorkspaceError(.exists, "'\(path)' already exists; pmo will not overwrite it") }
        try refuseLeftovers(path)
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // An unpredictable name: nothing planted beforehand (a link) can be where it is created.
        let tmp = dir + "/." + name + ".pmo-init-" + SafeFiles.randomSuffix()
        try refuseLeftovers(tmp)
        do throws(WorkspaceError) {
            let ws = try create(path: tmp, journalDay: journalDay)
            if let request { try ws.importFiles(request, journalling: journalling) }
            let counts = try ws.counts()
            try ws.close()
            if link(tmp, path) != 0 {
                let e = errno
                if e == EEXIST { throw WorkspaceError(.exists, "'\(path)' already exists; pmo will not overwrite it") }
                // A file system without hard links: rename, having checked that nothing is there.
                if exists(path) || rename(tmp, path) != 0 {
                    throw WorkspaceError(.cannotWrite, "cannot create '\(path)': \(InputFiles.errnoText())")
                }
            }
            removeFiles(tmp)
            return counts
        } catch {
            removeFiles(tmp)
            throw error
        }
    }

    /// Closes the file (also done when the workspace is released).
    public func close() throws(WorkspaceError) {
        do { try queue.close() } catch { throw Workspace.map(error, path: path, writing: true) }
    }

    /// Opens an existing workspace. Read-only never changes the file (a workspace written by an older
    /// pmo is upgraded in a copy in memory); read-write migrates a workspace written by an older pmo. A file that is not a workspace, or is from a newer pmo, is refused.
    /// A workspace from before the journal starts it on `journalDay` (today by the wall clock, in
    /// UTC, when nil): its current state is the starting point.
    public static func open(path: String, readOnly: Bool, journalDay: Day? = nil) throws(WorkspaceError) -> Workspace {
        guard exists(path) else { throw WorkspaceError(.missing, "workspace '\(path)' does not exist") }
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            let what = (st.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
            let hint = (st.st_mode & S_IFMT) == S_IFDIR ? " (a folder of CSV files is read with --data)" : ""
            throw WorkspaceError(.notWorkspace, "'\(path)' is \(what), not a pmo workspace file\(hint)")
        }
        guard access(path, R_OK) == 0 else { throw WorkspaceError(.missing, "workspace '\(path)' is not readable") }
        if !readOnly && access(path, W_OK) != 0 {
            throw WorkspaceError(.cannotWrite, "workspace '\(path)' is read-only")
        }
        do {
            let access = readOnly ? ReadOnlyOpen.choose(path) : .readWrite(path)
            let queue = try DatabaseQueue(path: access.name, configuration: configuration(readOnly: access.sqliteReadOnly))
            let needsMigration = try queue.read { db throws -> Bool in
                let app = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard app == WorkspaceSchema.applicationID, try db.tableExists("meta") else {
                    throw WorkspaceError(.notWorkspace, "'\(path)' is not a pmo workspace")
                }
                // The version the file says it has: a newer one is refused before anything is read or written.
                let recorded = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap { Int($0) } ?? 0
                let user = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let newest = max(recorded, user)
                if newest > WorkspaceSchema.version {
                    throw WorkspaceError(.incompatible,
                        "workspace '\(path)' has schema version \(newest), written by a newer pmo; this pmo reads schema version \(WorkspaceSchema.version): use a newer pmo")
                }
                if try WorkspaceSchema.migrator.hasBeenSuperseded(db) {
                    let known = Set(WorkspaceSchema.migrator.migrations)
                    let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                        .filter { !known.contains($0) }.prefix(3).map { "'\(String($0.prefix(40)))'" }
                    throw WorkspaceError(.incompatible,
                        "workspace '\(path)' was written by a newer pmo (it holds the schema changes \(unknown.joined(separator: ", ")), "
                        + "which this pmo does not know); this pmo reads schema version \(WorkspaceSchema.version): use a newer pmo")
                }
                return try !WorkspaceSchema.migrator.hasCompletedMigrations(db)
            }
            if needsMigration {
                if readOnly {
                    // Read-only never changes the file: the older workspace is upgraded in a copy in memory.
                    let copy = try ReadOnlyOpen.upgradedCopy(of: queue, path: path, journalDay: journalDay)
                    try queue.close()
                    return Workspace(path: path, readOnly: true, queue: copy, upgradedCopy: true)
                }
                try WorkspaceSchema.migrator.migrate(queue)
                try queue.write { db in
                    try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                                   arguments: [String(WorkspaceSchema.version)])
                    try db.execute(sql: "PRAGMA user_version = \(WorkspaceSchema.version)")
                    try Journal.begin(db, day: journalDay ?? Journal.today(), stamp: .now(by: "pmo"))
                }
            }
            if !readOnly {
                try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
                if try queue.read({ try WorkspaceIdentity.needsUpdate($0) }) { try queue.write { try WorkspaceIdentity.ensure($0) } }
            }
            return Workspace(path: path, readOnly: readOnly, queue: queue)
        } catch {
            throw map(error, path: path, writing: false)
        }
    }

    static func configuration(readOnly: Bool) -> Configuration {
        var c = Configuration()
        c.readonly = readOnly
        c.busyMode = .timeout(busyTimeout)
        c.foreignKeysEnabled = true
        c.label = "pmo-workspace"
        c.prepareDatabase { db in
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            // A large import changes hundreds of megabytes in one transaction: keep its pages in memory.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -524288")
            // Reading through a memory map spares a copy of every page into the cache (loading is a full scan).
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
        }
        return c
    }

    /// The schema version recorded in the file.
    public func schemaVersion() throws(WorkspaceError) -> Int {
        try read { db in Int(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'") ?? "") ?? 0 }
    }

    /// The number of rows of every entity set.
    public func counts() throws(WorkspaceError) -> [EntityKind: Int] {
        try read { db in
            var out: [EntityKind: Int] = [:]
            for k in EntityKind.allCases {
                out[k] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(WorkspaceSchema.quoted(k.setName))") ?? 0
            }
            return out
        }
    }

    /// The workspace's settings (`settings.csv`'s keys); nil where not set.
    public func settings() throws(WorkspaceError) -> PortfolioLoader.Settings {
        try read { db in try SettingsCodec.read(db, path: path) }
    }

    // MARK: - Running database work with errors mapped

    func read<T>(_ body: (Database) throws -> T) throws(WorkspaceError) -> T {
        do { return try queue.read(body) } catch { throw Workspace.map(error, path: path, writing: false) }
    }

    /// Runs `body` in one immediate transaction with foreign keys checked at commit (`commit: false`:
    /// rolled back, for a dry run).
    func write<T>(commit: Bool = true, _ body: (Database) throws -> T) throws(WorkspaceError) -> T {
        if readOnly { throw WorkspaceError(.cannotWrite, "workspace '\(path)' is open read-only") }
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                    result = try body(db)
                    return commit ? .commit : .rollback
                }
                guard let r = result else { throw WorkspaceError(.cannotWrite, "the write to '\(path)' did not complete") }
                return r
            }
        } catch {
            throw Workspace.map(error, path: path, writing: true)
        }
    }

    /// Turns a GRDB or SQLite error into a workspace error.
    static func map(_ error: any Error, path: String, writing: Bool) -> WorkspaceError {
        if let e = error as? WorkspaceError { return e }
        guard let d = error as? DatabaseError else { return WorkspaceError(writing ? .cannotWrite : .missing, "\(path): \(error)") }
        let reason = d.message ?? "\(d.resultCode)"
        switch d.resultCode.primaryResultCode {
        case .SQLITE_NOTADB: return WorkspaceError(.notWorkspace, "'\(path)' is not a pmo workspace (not an SQLite database)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return WorkspaceError(.busy, "workspace '\(path)' is locked by another process (waited \(Int(busyTimeout)) s)")
        case .SQLITE_CORRUPT: return WorkspaceError(.corrupt, "workspace '\(path)' is damaged: \(reason)")
        case .SQLITE_READONLY, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_PERM:
            return WorkspaceError(.cannotWrite, "cannot write workspace '\(path)': \(reason)")
        case .SQLITE_CANTOPEN:
            return WorkspaceError(writing ? .cannotWrite : .missing, "cannot open workspace '\(path)': \(reason)")
        case .SQLITE_CONSTRAINT:
            return WorkspaceError(.corrupt, "workspace '\(path)': a write broke a constraint: \(reason)")
        default:
            return WorkspaceError(writing ? .cannotWrite : .corrupt, "workspace '\(path)': \(reason)")
        }
    }

    /// A WAL or shared-memory file beside a missing workspace was left by a killed write or a
    /// deleted workspace: a new workspace created there would take its pages as its own.
    static func refuseLeftovers(_ path: String) throws(WorkspaceError) {
        let found = ["-wal", "-shm", "-journal"].map { path + $0 }.filter { lstatExists($0) }
        guard !found.isEmpty else { return }
        throw WorkspaceError(.exists,
            "\(found.map { "'\($0)'" }.joined(separator: " and ")) \(found.count == 1 ? "is" : "are") left beside '\(path)', which does not exist "
            + "(a killed import, or a workspace deleted without them?); pmo will not create a workspace that would adopt them: "
            + "if the workspace was deleted on purpose, delete \(found.count == 1 ? "it" : "them") too; else restore the workspace file first")
    }

    static func lstatExists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Removes a workspace file and its WAL companions (after a failed create).
    static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}

/// Reading and writing the `settings` table.
enum SettingsCodec {
    static func read(_ db: Database, path: String) throws -> PortfolioLoader.Settings {
        var s = PortfolioLoader.Settings()
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings") {
            let key: String = row[0], value: String = row[1]
            func bad() -> WorkspaceError {
                WorkspaceError(.corrupt, "workspace '\(path)': invalid value '\(value)' for setting \(key)")
            }
            switch key {
            case "currency": s.currency = value
            case "fiscal_year_start":
                guard let m = Int(value), (1...12).contains(m) else { throw bad() }
                s.fiscalYearStart = m
            case "status_date":
                guard let d = Day(iso: Substring(value)) else { throw bad() }
                s.statusDate = d
            case "critical_float":
                guard let c = Int(value), (0...10_000).contains(c) else { throw bad() }
                s.criticalFloat = c
            case "green_threshold", "amber_threshold":
                guard let x = Double(value), x.isFinite, x > 0 else { throw bad() }
                if key == "green_threshold" { s.green = x } else { s.amber = x }
            default:
                throw WorkspaceError(.corrupt, "workspace '\(path)': unknown setting '\(key)'")
            }
        }
        return s
    }

    /// The settings of a store, as the workspace keeps them.
    static func of(_ store: PortfolioStore) -> PortfolioLoader.Settings {
        PortfolioLoader.Settings(currency: store.currency, fiscalYearStart: store.fiscalYearStartMonth,
                                 statusDate: store.statusDate, green: store.thresholds.green, amber: store.thresholds.amber,
                                 criticalFloat: store.criticalFloat == 0 ? nil : store.criticalFloat)
    }

    /// Writes the given settings (those that are nil are left as they are).
    static func write(_ s: PortfolioLoader.Settings, _ db: Database) throws {
        var pairs: [(String, String)] = []
        if let c = s.currency { pairs.append(("currency", c)) }
        if let m = s.fiscalYearStart { pairs.append(("fiscal_year_start", String(m))) }
        if let d = s.statusDate { pairs.append(("status_date", d.description)) }
        if let g = s.green { pairs.append(("green_threshold", String(g))) }
        if let a = s.amber { pairs.append(("amber_threshold", String(a))) }
        if let c = s.criticalFloat { pairs.append(("critical_float", String(c))) }
        for (k, v) in pairs {
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [k, v])
        }
    }

    /// Applies settings to a freshly built store, as the CSV loader does.
    static func apply(_ s: PortfolioLoader.Settings, to store: PortfolioStore) {
        if let m = s.fiscalYearStart { store.fiscalYearStartMonth = m }
        if let g = s.green { store.thresholds.green = g }
        if let a = s.amber { store.thresholds.amber = a }
        if let c = s.criticalFloat { store.criticalFloat = c }
        store.statusDate = s.statusDate
    }
}
