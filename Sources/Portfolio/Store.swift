// The in-memory portfolio: one column-wise table per entity set plus relationship and id indexes.
import PMOBase

/// Thresholds for `computed_status` bands: an index ≥ green is green, ≥ amber is amber, else red.
public struct StatusThresholds: Sendable, Hashable {
    public var green: Double
    public var amber: Double
    public init(green: Double = 0.95, amber: Double = 0.90) { self.green = green; self.amber = amber }
}

/// A loaded portfolio. Built once (by the CSV loader or a workspace), then read-only.
public final class PortfolioStore: @unchecked Sendable {
    /// Tables indexed by `EntityKind.rawValue`.
    public let tables: [EntityTable]
    /// ISO code of every money field (the first portfolio's currency, else USD).
    public var currency: String
    /// First month of the fiscal year (1 = January) for `FY2026` periods.
    public var fiscalYearStartMonth: Int = 1
    public var thresholds = StatusThresholds()
    /// The portfolio's data date (`status_date` in settings.csv), if given.
    public var statusDate: Day?
    /// `adjacency[kind.rawValue][i]` indexes `Catalog.schemas[kind].toMany[i]`.
    public internal(set) var adjacency: [[AdjacencyIndex]]
    /// Id → row per entity set (sets without ids have empty maps).
    public internal(set) var idIndex: [[String: Int32]]
    /// Exact name → first row per entity set.
    public internal(set) var nameIndex: [[String: Int32]]
    /// Status report rows sorted by (project, as_of): the reports of project p are
    /// `statusByProject.slice(p)` in date order (binary search for "latest on or before").
    public internal(set) var statusByProject: AdjacencyIndex
    /// Timesheet rows of project p, sorted by week.
    public internal(set) var timesheetsByProject: AdjacencyIndex

    public init(tables: [EntityTable], currency: String) {
        self.tables = tables
        self.currency = currency
        adjacency = Array(repeating: [], count: EntityKind.allCases.count)
        idIndex = Array(repeating: [:], count: EntityKind.allCases.count)
        nameIndex = Array(repeating: [:], count: EntityKind.allCases.count)
        statusByProject = AdjacencyIndex(offsets: [0], rows: [])
        timesheetsByProject = AdjacencyIndex(offsets: [0], rows: [])
        buildIndexes()
    }

    @inlinable public func table(_ k: EntityKind) -> EntityTable { tables[k.rawValue] }

    /// The rows of a to-many relationship for one owner row, in row order.
    public func related(_ owner: EntityKind, relationship i: Int, row: Int32) -> ArraySlice<Int32> {
        adjacency[owner.rawValue][i].slice(row)
    }

    /// One entity by id, else by exact name.
    public func find(_ k: EntityKind, key: String) -> Int32? {
        idIndex[k.rawValue][key] ?? nameIndex[k.rawValue][key]
    }

    /// Builds relationship, id and name indexes and the date-sorted status report and timesheet orders.
    func buildIndexes() {
        for k in EntityKind.allCases {
            let t = table(k)
            adjacency[k.rawValue] = t.schema.toMany.map { rel in
                let target = table(rel.target)
                guard let col = target.column(rel.via) else { return AdjacencyIndex(offsets: [0], rows: []) }
                return AdjacencyIndex(ownerCount: t.count, refs: col.codes)
            }
            if let idCol = t.column("id") {
                var m: [String: Int32] = [:]
                m.reserveCapacity(t.count)
                for r in 0..<t.count { if let s = idCol.string(r) { m[s] = Int32(r) } }
                idIndex[k.rawValue] = m
            }
            if let nameCol = t.column("name"), k != .timesheet {
                var m: [String: Int32] = [:]
                for r in 0..<t.count { if let s = nameCol.string(r), m[s] == nil { m[s] = Int32(r) } }
                nameIndex[k.rawValue] = m
            }
        }
        statusByProject = sortedIndex(.statusReport, owner: "project", date: "as_of")
        timesheetsByProject = sortedIndex(.timesheet, owner: "project", date: "week")
    }

    /// Rows of `kind` grouped by their `owner` reference and sorted by `date` within each owner (stable).
    func sortedIndex(_ kind: EntityKind, owner: String, date: String) -> AdjacencyIndex {
        let t = table(kind)
        guard let oc = t.column(owner), let dc = t.column(date) else { return AdjacencyIndex(offsets: [0], rows: []) }
        var idx = AdjacencyIndex(ownerCount: table(.project).count, refs: oc.codes)
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
