// The in-memory portfolio: one column-wise table per entity set plus relationship and id indexes.
// Tables may be filled on first use (from a column cache) and indexes are built on first use, so a
// query pays only for the sets it touches.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase

/// Thresholds for `computed_status` bands: an index ≥ green is green, ≥ amber is amber, else red.
public struct StatusThresholds: Sendable, Hashable {
    public var green: Double
    public var amber: Double
    public init(green: Double = 0.95, amber: Double = 0.90) { self.green = green; self.amber = amber }
}

/// Fills the tables of a store on demand.
public protocol TableProvider: AnyObject, Sendable {
    /// Fills `table` (its `count` and columns). `counts(k)` is the row count of a set `table`'s rows
    /// refer to (already filled). Returns why the source could not be read, leaving the table empty.
    func fill(_ table: EntityTable, counts: (EntityKind) -> Int) -> String?
    /// Why a column filled later could not be read, if one could not.
    var failure: String? { get }
}

/// A loaded portfolio: built by the CSV loader or a workspace, then read-only. A store with a
/// `TableProvider` fills each set the first time it is asked for it (and the sets that set refers
/// to first). Meant for one thread at a time; filling and index building are also locked.
public final class PortfolioStore: @unchecked Sendable {
    private let storage: [EntityTable]
    private var filled: [Bool]
    private let provider: TableProvider?
    private let lock = StoreLock()
    /// ISO code of every money field (the first portfolio's currency, else USD).
    public var currency: String
    /// First month of the fiscal year (1 = January) for `FY2026` periods.
    public var fiscalYearStartMonth: Int = 1
    public var thresholds = StatusThresholds()
    /// The portfolio's data date (`status_date` in settings.csv), if given.
    public var statusDate: Day?
    /// A task is critical when its total float is at or under this many working days (`critical_float` in settings.csv).
    public var criticalFloat: Int = 0
    /// The critical path schedules of the last as-of date asked for (Schedule/ProjectSchedules.swift).
    public let scheduleCache = ScheduleCache()
    /// Why a set or a column could not be filled from the provider (the set is then empty, the
    /// column none); the session reports it.
    public var loadFailure: String? { tableFailure ?? provider?.failure }
    private var tableFailure: String?

    private var adjacencies: [[AdjacencyIndex?]]
    private var ids: [[String: Int32]?]
    private var names: [[String: Int32]?]
    private var byProject: [EntityKind: AdjacencyIndex] = [:]

    /// A store whose tables are all filled already.
    public convenience init(tables: [EntityTable], currency: String) {
        self.init(tables: tables, currency: currency, provider: nil)
    }

    /// A store whose empty `tables` are filled by `provider` on first use (nil: already filled).
    public init(tables: [EntityTable], currency: String, provider: TableProvider?) {
        storage = tables
        self.currency = currency
        self.provider = provider
        filled = Array(repeating: provider == nil, count: tables.count)
        adjacencies = tables.map { t in Array(repeating: nil, count: t.schema.toMany.count) }
        ids = Array(repeating: nil, count: tables.count)
        names = Array(repeating: nil, count: tables.count)
    }

    /// The table of a set, filled.
    public func table(_ k: EntityKind) -> EntityTable {
        if !filled[k.rawValue] { fill(k) }
        return storage[k.rawValue]
    }

    /// Tables by `EntityKind.rawValue`, each filled when subscripted.
    public var tables: Tables { Tables(store: self) }

    public struct Tables {
        let store: PortfolioStore
        public subscript(_ i: Int) -> EntityTable {
            if !store.filled[i], let k = EntityKind(rawValue: i) { store.fill(k) }
            return store.storage[i]
        }
        public var count: Int { store.storage.count }
    }

    /// Whether a set's rows are in memory (sets nobody asked for stay unread with a provider).
    public func isFilled(_ k: EntityKind) -> Bool { filled[k.rawValue] }

    private func fill(_ k: EntityKind) {
        lock.locked {
            var visiting = Set<EntityKind>()
            fillLocked(k, &visiting)
        }
    }

    private func fillLocked(_ k: EntityKind, _ visiting: inout Set<EntityKind>) {
        guard !filled[k.rawValue], visiting.insert(k).inserted, let provider else { return }
        let t = storage[k.rawValue]
        for f in t.schema.fields {
            if case .reference(let target) = f.type, target != k { fillLocked(target, &visiting) }
        }
        if k == .dependency { fillLocked(.project, &visiting); fillLocked(.task, &visiting) }
        if let failure = provider.fill(t, counts: { self.storage[$0.rawValue].count }) {
            t.count = 0
            for c in t.columns {
                c.ints = []; c.reals = []; c.codes = []; c.smalls = []; c.lists = []; c.nulls = NullMask()
            }
            if tableFailure == nil { tableFailure = failure }
        }
        filled[k.rawValue] = true
    }

    /// The index of a to-many relationship (`Catalog.schemas[owner].toMany[i]`), built on first use.
    public func adjacency(_ owner: EntityKind, _ i: Int) -> AdjacencyIndex {
        if let a = adjacencies[owner.rawValue][i] { return a }
        let rel = storage[owner.rawValue].schema.toMany[i]
        let ownerCount = table(owner).count
        let target = table(rel.target)
        return lock.locked {
            if let a = adjacencies[owner.rawValue][i] { return a }
            let a = target.column(rel.via).map { AdjacencyIndex(ownerCount: ownerCount, refs: $0.codes) }
                ?? AdjacencyIndex(offsets: [0], rows: [])
            adjacencies[owner.rawValue][i] = a
            return a
        }
    }

    /// The rows of a to-many relationship for one owner row, in row order.
    public func related(_ owner: EntityKind, relationship i: Int, row: Int32) -> ArraySlice<Int32> {
        adjacency(owner, i).slice(row)
    }

    /// Id → row of a set (empty for sets without ids).
    public func idIndex(_ k: EntityKind) -> [String: Int32] {
        if let m = ids[k.rawValue] { return m }
        let t = table(k)
        return lock.locked {
            if let m = ids[k.rawValue] { return m }
            var m: [String: Int32] = [:]
            if let idCol = t.column("id") {
                m.reserveCapacity(t.count)
                for r in 0..<t.count { if let s = idCol.string(r) { m[s] = Int32(r) } }
            }
            ids[k.rawValue] = m
            return m
        }
    }

    /// Exact name → first row of a set.
    public func nameIndex(_ k: EntityKind) -> [String: Int32] {
        if let m = names[k.rawValue] { return m }
        let t = table(k)
        return lock.locked {
            if let m = names[k.rawValue] { return m }
            var m: [String: Int32] = [:]
            if let nameCol = t.column("name"), k != .timesheet {
                for r in 0..<t.count { if let s = nameCol.string(r), m[s] == nil { m[s] = Int32(r) } }
            }
            names[k.rawValue] = m
            return m
        }
    }

    /// One entity by id, else by exact name.
    public func find(_ k: EntityKind, key: String) -> Int32? {
        idIndex(k)[key] ?? nameIndex(k)[key]
    }

    /// Status report rows sorted by (project, as_of): the reports of project p are
    /// `statusByProject.slice(p)` in date order (binary search for "latest on or before").
    public var statusByProject: AdjacencyIndex { sortedByProject(.statusReport, date: "as_of") }

    /// Timesheet rows of project p, sorted by week.
    public var timesheetsByProject: AdjacencyIndex { sortedByProject(.timesheet, date: "week") }

    private func sortedByProject(_ kind: EntityKind, date: String) -> AdjacencyIndex {
        if let a = byProject[kind] { return a }
        let projects = table(.project).count
        let t = table(kind)
        return lock.locked {
            if let a = byProject[kind] { return a }
            let a = PortfolioStore.sortedIndex(t, ownerCount: projects, owner: "project", date: date)
            byProject[kind] = a
            return a
        }
    }

    /// Rows of `t` grouped by their `owner` reference and sorted by `date` within each owner (stable).
    static func sortedIndex(_ t: EntityTable, ownerCount: Int, owner: String, date: String) -> AdjacencyIndex {
        guard let oc = t.column(owner), let dc = t.column(date) else { return AdjacencyIndex(offsets: [0], rows: []) }
        var idx = AdjacencyIndex(ownerCount: ownerCount, refs: oc.codes)
        let dates = dc.codes
        for p in 0..<(idx.offsets.count - 1) {
            let lo = Int(idx.offsets[p]), hi = Int(idx.offsets[p + 1])
            if hi - lo < 2 { continue }
            var sorted = true
            for i in (lo + 1)..<hi where dates[Int(idx.rows[i - 1])] > dates[Int(idx.rows[i])] { sorted = false; break }
            if !sorted {
                let part = idx.rows[lo..<hi].sorted { (dates[Int($0)], $0) < (dates[Int($1)], $1) }
                idx.rows.replaceSubrange(lo..<hi, with: part)
            }
        }
        return idx
    }
}

/// A mutex (recursive: filling a set fills the sets it refers to, building an index fills its sets).
final class StoreLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() {
        var attr = pthread_mutexattr_t()
        pthread_mutexattr_init(&attr)
        pthread_mutexattr_settype(&attr, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(&mutex, &attr)
        pthread_mutexattr_destroy(&attr)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
