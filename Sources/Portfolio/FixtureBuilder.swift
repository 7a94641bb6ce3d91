// Small portfolios for rule tests: records with some fields given, the rest filled with sensible defaults.
import PMOBase

/// One value of a fixture record, already in the unit of its field.
public enum FixtureCell: Sendable, Equatable {
    case none
    /// A string or id; for a reference, the id (else exact name) of the related entity; for an
    /// enumeration, the name of its value (`execution`).
    case text(String)
    case integer(Int64)
    case number(Double)
    /// Money, a percentage or hours as `Fixed` units (ten-thousandths).
    case units(Int64)
    case date(Day)
    /// A duration in days.
    case days(Int64)
    case bool(Bool)
    case list([String])
}

/// The given fields of one fixture entity.
public struct FixtureRecord: Sendable {
    public var kind: EntityKind
    public var cells: [String: FixtureCell]
    public init(kind: EntityKind, cells: [String: FixtureCell]) { self.kind = kind; self.cells = cells }
}

/// A fixture that cannot be built: which record (index in the order given) and field, and why.
public struct FixtureError: Error, Sendable, Equatable {
    public var record: Int?
    public var field: String?
    public var message: String
    public init(record: Int?, field: String?, message: String) { self.record = record; self.field = field; self.message = message }
}

/// Builds a `PortfolioStore` from fixture records. What a record leaves out is filled in:
///
/// - ids are generated (`project-1`, `milestone-1`, ... never clashing with given ids), names are
///   `Project P1`-style (a person's name is its id);
/// - a required reference (a milestone's project, an allocation's resource...) and the usual owners
///   (a project's program, portfolio, manager and sponsor; a program's portfolio, manager and sponsor;
///   a portfolio's owner; a risk's or issue's owner) point at the first entity of that set in the
///   fixture, else at a default one created for it; a reference to an id the fixture does not have
///   creates that entity;
/// - dates sit around the as-of date: a project runs from 90 days before to 90 days after it (its
///   baseline finish is its finish), a milestone is due 30 days after it, a task runs ±30 days, an
///   allocation from 30 days before to 60 days after, an issue opened 14 days before, a timesheet is
///   for the week before, a status report is dated on it;
/// - states are the working ones: projects active in execution, programs active, risks and issues
///   open, changes submitted, allocations approved at 100%, resources active with 40 hours a week,
///   key milestones false, dependencies FS; a gate is named G1;
/// - everything else (status, bac, sponsor given as none, ...) is none;
/// - on a project, `pv`, `ev`, `ac` and `status_date` (as in projects.csv) make a status report dated
///   `status_date`, else the as-of date.
public enum FixtureBuilder {
    /// Project fields that become a status report, as in `projects.csv`.
    public static let projectExtras = ["pv", "ev", "ac", "status_date"]

    /// The fields a record of `kind` may give: the set's stored fields, and the extras on projects.
    public static func fieldNames(_ kind: EntityKind) -> [String] {
        Catalog.schemas[kind.rawValue].fields.map(\.name) + (kind == .project ? projectExtras : [])
    }

    /// Builds the store; `template` lends its fiscal year start and status thresholds.
    public static func build(_ records: [FixtureRecord], asOf: Day, currency: String,
                             template: PortfolioStore? = nil) throws(FixtureError) -> PortfolioStore {
        var b = Builder(asOf: asOf)
        for (i, r) in records.enumerated() { b.rows[r.kind.rawValue].append(Row(cells: r.cells, origin: i)) }
        try b.assignIds()
        try b.addReports()
        for k in EntityKind.allCases.reversed() { try b.complete(k) }
        let tables = try EntityKind.allCases.map { k throws(FixtureError) in try b.table(k) }
        let store = PortfolioStore(tables: tables, currency: currency)
        store.statusDate = asOf
        if let t = template {
            store.fiscalYearStartMonth = t.fiscalYearStartMonth
            store.thresholds = t.thresholds
        }
        return store
    }

    struct Row {
        var cells: [String: FixtureCell]
        /// Index of the record it came from; nil for an entity the builder created.
        var origin: Int?
    }

    struct Builder {
        let asOf: Day
        var rows: [[Row]] = Array(repeating: [], count: EntityKind.allCases.count)
        var generated = 0

        init(asOf: Day) { self.asOf = asOf }

        func fail(_ row: Row, _ field: String?, _ message: String) -> FixtureError {
            FixtureError(record: row.origin, field: field, message: message)
        }

        func day(_ n: Int) -> Day { asOf.adding(days: n) ?? asOf }

        func hasId(_ k: EntityKind) -> Bool { Catalog.schemas[k.rawValue].fieldIndex("id") != nil }

        /// Gives every row of a set with ids an id, checking that given ids are unique.
        mutating func assignIds() throws(FixtureError) {
            for k in EntityKind.allCases where hasId(k) {
                var seen = Set<String>()
                for r in rows[k.rawValue] {
                    guard case .text(let id)? = r.cells["id"] else { continue }
                    if !seen.insert(id).inserted { throw fail(r, "id", "two \(k.setName) have the id \"\(id)\"") }
                }
                for i in rows[k.rawValue].indices {
                    switch rows[k.rawValue][i].cells["id"] {
                    case .text?: continue
                    case .none?, nil:
                        rows[k.rawValue][i].cells["id"] = .text(freshId(k))
                    case let other?:
                        throw fail(rows[k.rawValue][i], "id", "an id is a string, not \(describe(other))")
                    }
                }
            }
        }

        /// An id of set `k` not used by any row.
        mutating func freshId(_ k: EntityKind) -> String {
            var n = 1
            while true {
                let id = "\(k.singular)-\(n)"
                if find(k, id) == nil { return id }
                n += 1
            }
        }

        /// The row of set `k` whose id (else name) is `key`.
        func find(_ k: EntityKind, _ key: String) -> Int? {
            let list = rows[k.rawValue]
            if let i = list.firstIndex(where: { $0.cells["id"] == .text(key) }) { return i }
            return list.firstIndex(where: { $0.cells["name"] == .text(key) })
        }

        /// Appends an entity of set `k` with only an id (its other fields get defaults later).
        mutating func create(_ k: EntityKind, id: String?) -> Int {
            let key = id ?? freshId(k)
            var cells: [String: FixtureCell] = [:]
            if hasId(k) { cells["id"] = .text(key) }
            if k == .person || (id != nil && Catalog.schemas[k.rawValue].fieldIndex("name") != nil) { cells["name"] = .text(key) }
            rows[k.rawValue].append(Row(cells: cells, origin: nil))
            return rows[k.rawValue].count - 1
        }

        /// Moves `pv`, `ev`, `ac` and `status_date` of projects into status reports.
        mutating func addReports() throws(FixtureError) {
            let p = EntityKind.project.rawValue
            for i in rows[p].indices {
                var r = rows[p][i]
                var report: [String: FixtureCell] = [:]
                for name in FixtureBuilder.projectExtras {
                    guard let v = r.cells.removeValue(forKey: name) else { continue }
                    report[name == "status_date" ? "as_of" : name] = v
                }
                rows[p][i] = r
                guard !report.isEmpty, case .text(let id)? = r.cells["id"] else { continue }
                report["project"] = .text(id)
                if report["as_of"] == nil || report["as_of"] == FixtureCell.none { report["as_of"] = .date(asOf) }
                rows[EntityKind.statusReport.rawValue].append(Row(cells: report, origin: r.origin))
            }
        }

        /// References that are filled when a record leaves them out (required ones always are).
        static func defaultedReference(_ k: EntityKind, _ field: String) -> Bool {
            switch (k, field) {
            case (.project, "program"), (.project, "portfolio"), (.project, "manager"), (.project, "sponsor"),
                 (.program, "portfolio"), (.program, "manager"), (.program, "sponsor"), (.portfolio, "owner"),
                 (.risk, "owner"), (.issue, "owner"):
                return true
            default:
                return false
            }
        }

        /// Default values of the plain fields a record leaves out.
        func defaults(_ k: EntityKind, _ cells: [String: FixtureCell]) -> [String: FixtureCell] {
            let id: String = { if case .text(let s)? = cells["id"] { return s }; return "" }()
            let title = k.singular.prefix(1).uppercased() + String(k.singular.dropFirst().map { $0 == "_" ? " " : $0 })
            var d: [String: FixtureCell] = [:]
            switch k {
            case .person: d["name"] = .text(id)
            case .portfolio, .program, .resource, .task, .milestone: d["name"] = .text("\(title) \(id)")
            default: break
            }
            switch k {
            case .program: d["state"] = .text("active")
            case .project:
                d["name"] = .text("\(title) \(id)")
                d["state"] = .text("active")
                d["phase"] = .text("execution")
                d["start"] = .date(day(-90))
                d["finish"] = .date(day(90))
                d["baseline_finish"] = cells["finish"] ?? .date(day(90))
            case .milestone:
                d["due"] = .date(day(30))
                d["baseline_due"] = cells["due"] ?? .date(day(30))
                d["key"] = .bool(false)
            case .task:
                d["start"] = .date(day(-30))
                d["finish"] = .date(day(30))
            case .dependency: d["type"] = .text("FS")
            case .resource:
                d["capacity"] = .units(40 * Fixed.scale)
                d["active"] = .bool(true)
            case .allocation:
                d["start"] = .date(day(-30))
                d["finish"] = .date(day(60))
                d["percent"] = .units(Fixed.scale)
                d["state"] = .text("approved")
            case .timesheet: d["week"] = .date(Day(raw: asOf.mondayOfWeek.raw - 7))
            case .risk: d["state"] = .text("open")
            case .issue:
                d["state"] = .text("open")
                d["opened"] = .date(day(-14))
            case .statusReport: d["as_of"] = .date(asOf)
            case .gate: d["gate"] = .text("G1")
            case .change: d["state"] = .text("submitted")
            case .person, .portfolio, .holiday: break
            }
            return d
        }

        /// Fills defaults and resolves the references of every row of set `k` (sets are completed from
        /// the last to the first, so an entity created for a reference is completed after the rows
        /// that point at it: references always point at an earlier set, or at the same one).
        mutating func complete(_ k: EntityKind) throws(FixtureError) {
            let schema = Catalog.schemas[k.rawValue]
            var i = 0
            while i < rows[k.rawValue].count {
                var cells = rows[k.rawValue][i].cells
                let row = rows[k.rawValue][i]
                for (name, value) in defaults(k, cells) where cells[name] == nil { cells[name] = value }
                for f in schema.fields {
                    guard case .reference(let target) = f.type else { continue }
                    switch cells[f.name] {
                    case .text(let key)?:
                        if find(target, key) == nil {
                            if target == k { throw fail(row, f.name, "no \(target.singular) has the id \"\(key)\"") }
                            _ = create(target, id: key)
                        }
                    case .none?:
                        if f.required { throw fail(row, f.name, "\(f.name) is required on \(k.setName)") }
                    case nil:
                        guard f.required || Builder.defaultedReference(k, f.name), target != k else { continue }
                        let t = rows[target.rawValue].isEmpty ? create(target, id: nil) : 0
                        guard case .text(let key)? = rows[target.rawValue][t].cells["id"] else { continue }
                        cells[f.name] = .text(key)
                    case let other?:
                        throw fail(row, f.name, "\(f.name) refers to a \(target.singular) by its id, a string, not \(describe(other))")
                    }
                }
                for f in schema.fields where f.required && f.type != .id {
                    if cells[f.name] == nil || cells[f.name] == FixtureCell.none {
                        throw fail(row, f.name, "a \(k.singular) needs '\(f.name)'")
                    }
                }
                rows[k.rawValue][i].cells = cells
                i += 1
            }
        }

        /// The column-wise table of set `k`.
        func table(_ k: EntityKind) throws(FixtureError) -> EntityTable {
            let t = EntityTable(kind: k)
            let list = rows[k.rawValue]
            for (fi, f) in t.schema.fields.enumerated() {
                let col = t.columns[fi]
                for (r, row) in list.enumerated() {
                    try put(row.cells[f.name] ?? .none, into: col, row: r, record: row)
                }
            }
            t.count = list.count
            return t
        }

        /// Appends one value to a column, checking that it suits the field's type.
        func put(_ v: FixtureCell, into col: Column, row r: Int, record: Row) throws(FixtureError) {
            let f = col.field
            func wrong(_ want: String) -> FixtureError { fail(record, f.name, "\(f.name) needs \(want), not \(describe(v))") }
            switch f.type {
            case .id, .string:
                switch v {
                case .none: col.codes.append(-1)
                case .text(let s): col.codes.append(col.pool.intern(s))
                default: throw wrong("text")
                }
            case .int, .money, .percent, .hours, .duration:
                let value: Int64?
                switch (f.type, v) {
                case (_, .none): value = nil
                case (.int, .integer(let n)): value = n
                case (.duration, .days(let n)), (.duration, .integer(let n)): value = n
                case (.money, .units(let u)), (.percent, .units(let u)), (.hours, .units(let u)): value = u
                default: throw wrong(FixtureBuilder.unitName(f.type))
                }
                col.ints.append(value ?? 0)
                if value == nil { col.nulls.setNone(r) }
            case .real:
                switch v {
                case .none: col.reals.append(0); col.nulls.setNone(r)
                case .number(let d): col.reals.append(d)
                case .integer(let n): col.reals.append(Double(n))
                default: throw wrong("a number")
                }
            case .date:
                switch v {
                case .none: col.codes.append(0); col.nulls.setNone(r)
                case .date(let d): col.codes.append(d.raw)
                default: throw wrong("a date")
                }
            case .bool:
                switch v {
                case .none: col.smalls.append(Column.noneSmall)
                case .bool(let b): col.smalls.append(b ? 1 : 0)
                default: throw wrong("true or false")
                }
            case .enumeration(let e):
                switch v {
                case .none: col.smalls.append(Column.noneSmall)
                case .text(let s):
                    guard let code = e.code(of: s) else {
                        throw fail(record, f.name, "\(f.name) is one of \(e.cases.joined(separator: ", ")), not '\(s)'")
                    }
                    col.smalls.append(code)
                default: throw wrong("one of \(e.cases.joined(separator: ", "))")
                }
            case .reference(let target):
                switch v {
                case .none: col.codes.append(-1)
                case .text(let key):
                    guard let i = find(target, key), let row = Int32(exactly: i) else {
                        throw fail(record, f.name, "no \(target.singular) has the id \"\(key)\"")
                    }
                    col.codes.append(row)
                default: throw wrong("the id of a \(target.singular)")
                }
            case .stringList:
                switch v {
                case .none: col.lists.append([])
                case .text(let s): col.lists.append(s.split(separator: ";").map { col.pool.intern(String($0)) })
                case .list(let items): col.lists.append(items.map { col.pool.intern($0) })
                default: throw wrong("a list of strings")
                }
            }
        }

        func describe(_ v: FixtureCell) -> String { FixtureBuilder.describe(v) }
    }

    static func unitName(_ t: FieldType) -> String {
        switch t {
        case .int: return "a whole number"
        case .money: return "an amount of money"
        case .percent: return "a percentage"
        case .hours: return "a number of hours"
        case .duration: return "a duration"
        default: return "a value"
        }
    }

    /// How a value is named in messages.
    public static func describe(_ v: FixtureCell) -> String {
        switch v {
        case .none: return "none"
        case .text(let s): return "the text \"\(s)\""
        case .integer(let n): return "the number \(n)"
        case .number(let d): return "the number \(d)"
        case .units: return "an amount"
        case .date(let d): return "the date \(d)"
        case .days(let n): return "a duration of \(n) days"
        case .bool(let b): return b ? "true" : "false"
        case .list: return "a list"
        }
    }
}
