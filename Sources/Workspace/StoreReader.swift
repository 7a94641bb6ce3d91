// Loading a workspace into the in-memory model: each table is read in `rid` order with raw SQLite
// statements, straight into the column arrays (references become row numbers through a rid → row
// map, dates are parsed from their ten bytes, enumeration names matched as bytes). Every value is
// checked, so a hand-edited file gives a clear error instead of a wrong answer.
import GRDB
import GRDBSQLite
import PMOBase
import Portfolio

extension Workspace {
    /// The whole portfolio as an in-memory store, with every index built.
    public func loadStore() throws(WorkspaceError) -> PortfolioStore {
        try loadStore(sets: nil)
    }

    /// The portfolio with only `sets` (and every set they refer to) loaded; the other sets are empty.
    public func loadStore(sets: Set<EntityKind>?) throws(WorkspaceError) -> PortfolioStore {
        let wanted = sets.map(WorkspaceModel.closure)
        let path = self.path
        return try read { db in
            var reader = StoreReader(db: db, path: path)
            return try reader.load(wanted)
        }
    }
}

/// Facts about the model that the workspace uses.
enum WorkspaceModel {
    /// The sets a reference field (or a dependency end) of `k` points at.
    static func targets(_ k: EntityKind) -> [EntityKind] {
        var out: [EntityKind] = []
        for f in Catalog.schemas[k.rawValue].fields {
            if case .reference(let t) = f.type, t != k, !out.contains(t) { out.append(t) }
        }
        if k == .dependency { out += [.project, .task] }
        return out
    }

    /// `sets` with every set they refer to, directly or not.
    static func closure(_ sets: Set<EntityKind>) -> Set<EntityKind> {
        var out = sets
        var todo = Array(sets)
        while let k = todo.popLast() {
            for t in targets(k) where out.insert(t).inserted { todo.append(t) }
        }
        return out
    }

    static func hasID(_ k: EntityKind) -> Bool { Catalog.schemas[k.rawValue].fieldIndex("id") != nil }
}

/// Maps the rids of one table to its row numbers (rows are in rid order).
struct RidMap {
    var rids: [Int64] = []
    /// `dense[rid]` = row + 1 (0 = no such rid) when the rids are compact enough; else empty.
    var dense: [Int32] = []

    mutating func finish() {
        guard let maxRid = rids.last, maxRid >= 0, maxRid <= Int64(rids.count) * 2 + 1024 else { return }
        dense = [Int32](repeating: 0, count: Int(maxRid) + 1)
        for (i, r) in rids.enumerated() where r >= 0 { dense[Int(r)] = Int32(i + 1) }
    }

    func row(_ rid: Int64) -> Int32? {
        if !dense.isEmpty {
            guard rid >= 0, rid < Int64(dense.count) else { return nil }
            let v = dense[Int(rid)]
            return v == 0 ? nil : v - 1
        }
        var lo = 0, hi = rids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rids[mid] < rid { lo = mid + 1 } else { hi = mid }
        }
        return lo < rids.count && rids[lo] == rid ? Int32(lo) : nil
    }
}

struct StoreReader {
    let db: Database
    let path: String
    var maps = [RidMap](repeating: RidMap(), count: EntityKind.allCases.count)

    init(db: Database, path: String) { self.db = db; self.path = path }

    mutating func load(_ wanted: Set<EntityKind>?) throws -> PortfolioStore {
        let settings = try SettingsCodec.read(db, path: path)
        let tables = EntityKind.allCases.map { EntityTable(kind: $0) }
        for k in EntityKind.allCases where wanted?.contains(k) ?? true {
            try loadTable(tables[k.rawValue])
        }
        var currency = settings.currency ?? "USD"
        if settings.currency == nil, let c = tables[EntityKind.portfolio.rawValue].column("currency"),
           !c.codes.isEmpty, let s = c.string(0) {
            currency = s
        }
        let store = PortfolioStore(tables: tables, currency: currency)
        SettingsCodec.apply(settings, to: store)
        return store
    }

    func corrupt(_ t: EntityTable, _ row: Int, _ field: String, _ what: String) -> WorkspaceError {
        var place = "row \(row + 1)"
        if let idCol = t.column("id"), row < idCol.codes.count, let id = idCol.string(row) { place = "\(t.kind.singular) '\(id)'" }
        return WorkspaceError(.corrupt, "workspace '\(path)': \(t.kind.setName), \(place), column \(field): \(what)")
    }

    mutating func loadTable(_ t: EntityTable) throws {
        let k = t.kind
        let name = WorkspaceSchema.quoted(k.setName)
        let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name)") ?? 0
        let fields = t.schema.fields
        let sql = "SELECT rid, " + fields.map { WorkspaceSchema.quoted($0.name) }.joined(separator: ", ") + " FROM \(name) ORDER BY rid"
        let statement = try db.makeStatement(sql: sql)
        let st = statement.sqliteStatement
        for (i, f) in fields.enumerated() { reserve(t.columns[i], f.type, n) }
        let enumCases: [[[UInt8]]] = fields.map { f in
            if case .enumeration(let e) = f.type { return e.cases.map { Array($0.utf8) } }
            return []
        }
        var selfRefs: [(row: Int, field: Int, rid: Int64)] = []
        var map = RidMap()
        map.rids.reserveCapacity(n)
        var lastDate: (bytes: UInt64, bytes2: UInt16, raw: Int32) = (0, 0, 0)
        var row = 0
        while true {
            let rc = sqlite3_step(st)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
            map.rids.append(sqlite3_column_int64(st, 0))
            for (i, f) in fields.enumerated() {
                let c = t.columns[i]
                let idx = Int32(i + 1)
                let type = sqlite3_column_type(st, idx)
                if type == SQLITE_NULL {
                    if f.required { throw corrupt(t, row, f.name, "missing value for a required field") }
                    appendNone(c, f.type, row)
                    continue
                }
                switch f.type {
                case .id, .string:
                    guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx) else { throw corrupt(t, row, f.name, "expected text") }
                    let len = Int(sqlite3_column_bytes(st, idx))
                    c.codes.append(c.pool.intern(String(decoding: UnsafeBufferPointer(start: p, count: len), as: UTF8.self)))
                case .int, .money, .percent, .hours, .duration:
                    guard type == SQLITE_INTEGER else { throw corrupt(t, row, f.name, "expected an integer") }
                    c.ints.append(sqlite3_column_int64(st, idx))
                case .real:
                    guard type == SQLITE_FLOAT || type == SQLITE_INTEGER else { throw corrupt(t, row, f.name, "expected a number") }
                    let v = sqlite3_column_double(st, idx)
                    guard v.isFinite else { throw corrupt(t, row, f.name, "not a finite number") }
                    c.reals.append(v)
                case .bool:
                    let v = sqlite3_column_int64(st, idx)
                    guard type == SQLITE_INTEGER, v == 0 || v == 1 else { throw corrupt(t, row, f.name, "expected 0 or 1") }
                    c.smalls.append(UInt8(v))
                case .date:
                    guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx), sqlite3_column_bytes(st, idx) == 10 else {
                        throw corrupt(t, row, f.name, "expected a date as YYYY-MM-DD")
                    }
                    let raw = UnsafeRawPointer(p)
                    let key = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
                    if key.0 == lastDate.bytes && key.1 == lastDate.bytes2 && row > 0 {
                        c.codes.append(lastDate.raw)
                    } else {
                        guard let d = DateBytes.parse(UnsafeBufferPointer(start: p, count: 10)) else {
                            throw corrupt(t, row, f.name, "invalid date '\(String(cString: p))'")
                        }
                        c.codes.append(d)
                        lastDate = (key.0, key.1, d)
                    }
                case .enumeration(let e):
                    guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx) else { throw corrupt(t, row, f.name, "expected text") }
                    let b = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(st, idx)))
                    guard let code = enumCases[i].firstIndex(where: { $0.elementsEqual(b) }) else {
                        throw corrupt(t, row, f.name, "unknown \(e.name) value '\(String(decoding: b, as: UTF8.self))'")
                    }
                    c.smalls.append(UInt8(code))
                case .reference(let target):
                    guard type == SQLITE_INTEGER else { throw corrupt(t, row, f.name, "expected a row reference") }
                    let rid = sqlite3_column_int64(st, idx)
                    if target == k {
                        selfRefs.append((row, i, rid))
                        c.codes.append(-1)
                    } else {
                        guard let r = maps[target.rawValue].row(rid) else {
                            throw corrupt(t, row, f.name, "refers to a missing \(target.singular) (rid \(rid))")
                        }
                        c.codes.append(r)
                    }
                case .stringList:
                    guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx) else { throw corrupt(t, row, f.name, "expected text") }
                    let text = String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(st, idx))), as: UTF8.self)
                    c.lists.append(text.split(separator: ";", omittingEmptySubsequences: true).map { c.pool.intern(String($0)) })
                }
            }
            row += 1
        }
        t.count = row
        map.finish()
        for s in selfRefs {
            guard let r = map.row(s.rid) else { throw corrupt(t, s.row, fields[s.field].name, "refers to a missing \(k.singular) (rid \(s.rid))") }
            t.columns[s.field].codes[s.row] = r
        }
        maps[k.rawValue] = map
    }

    func reserve(_ c: Portfolio.Column, _ type: FieldType, _ n: Int) {
        switch type {
        case .int, .money, .percent, .hours, .duration: c.ints.reserveCapacity(n)
        case .real: c.reals.reserveCapacity(n)
        case .date, .reference, .string, .id: c.codes.reserveCapacity(n)
        case .enumeration, .bool: c.smalls.reserveCapacity(n)
        case .stringList: c.lists.reserveCapacity(n)
        }
    }

    /// Appends none for `row`, as the CSV loader stores it.
    func appendNone(_ c: Portfolio.Column, _ type: FieldType, _ row: Int) {
        switch type {
        case .int, .money, .percent, .hours, .duration: c.ints.append(0); c.nulls.setNone(row)
        case .real: c.reals.append(0); c.nulls.setNone(row)
        case .date: c.codes.append(0); c.nulls.setNone(row)
        case .reference, .string, .id: c.codes.append(-1)
        case .enumeration, .bool: c.smalls.append(Portfolio.Column.noneSmall)
        case .stringList: c.lists.append([])
        }
    }
}

/// ISO dates as bytes, both ways, without Strings.
enum DateBytes {
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        var y = 0, m = 0, d = 0
        for i in 0..<4 { let c = b[i] &- 48; guard c < 10 else { return nil }; y = y * 10 + Int(c) }
        for i in 5..<7 { let c = b[i] &- 48; guard c < 10 else { return nil }; m = m * 10 + Int(c) }
        for i in 8..<10 { let c = b[i] &- 48; guard c < 10 else { return nil }; d = d * 10 + Int(c) }
        return Day(year: y, month: m, day: d)?.raw
    }
}
