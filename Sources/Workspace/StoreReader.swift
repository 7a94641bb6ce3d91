// Loading a workspace into the in-memory model: each table is read in `rid` order with raw SQLite
// statements, straight into the column arrays (references become row numbers through a rid → row
// map, dates are parsed from their ten bytes, enumeration names matched as bytes). Every value is
// checked, so a hand-edited file gives a clear error instead of a wrong answer.
import GRDB
import GRDBSQLite
import PMOBase
import Portfolio

/// When loading a workspace uses its column cache (ColumnCache.swift).
public enum ColumnCachePolicy: Sendable {
    /// Read the cache when it is current; write one after reading a large workspace (at least
    /// `ColumnCachePolicy.minimumRows` rows) from SQLite, when the folder is writable.
    case auto
    /// Read the cache when it is current; write one after any read from SQLite.
    case always
    /// Read from SQLite only.
    case never

    public static let minimumRows = 50_000
}

extension Workspace {
    /// The whole portfolio as an in-memory store. With a current column cache the sets are filled
    /// from it as queries first touch them; otherwise every set is read from SQLite now.
    public func loadStore(cache: ColumnCachePolicy = .auto) throws(WorkspaceError) -> PortfolioStore {
        let path = self.path
        let cachePath = ColumnCacheFormat.path(of: path)
        if cache != .never {
            let cached: PortfolioStore?? = try read { db -> PortfolioStore?? in
                guard let stamp = try cacheStamp(db) else { return .some(nil) }
                let settings = try SettingsCodec.read(db, path: path)
                guard let reader = ColumnCacheReader(path: cachePath, stamp: stamp, fallback: { [self] k in
                    self.readSet(k, stamp: stamp)
                }) else { return nil }
                let tables = EntityKind.allCases.map { EntityTable(kind: $0) }
                let store = PortfolioStore(tables: tables, currency: settings.currency ?? "USD", provider: reader)
                if settings.currency == nil, let c = store.table(.portfolio).column("currency"), let s = c.codes.isEmpty ? nil : c.string(0) {
                    store.currency = s
                }
                SettingsCodec.apply(settings, to: store)
                return .some(store)
            }
            switch cached {
            case .some(.some(let store)): return store
            case .some(.none): return try loadStore(sets: nil)  // a workspace without a generation: no cache
            case .none: break
            }
        }
        var stamp: CacheStamp?
        let store = try read { db -> PortfolioStore in
            stamp = try cacheStamp(db)
            var reader = StoreReader(db: db, path: path)
            return try reader.load(nil)
        }
        if cache != .never, let stamp {
            let rows = EntityKind.allCases.reduce(0) { $0 + store.table($1).count }
            if cache == .always || rows >= ColumnCachePolicy.minimumRows {
                // A cache that cannot be written (a read-only folder, a full disk) only costs speed.
                try? ColumnCacheWriter.save(store, stamp: stamp, to: cachePath)
            }
        }
        return store
    }

    /// What a column cache of this workspace must be stamped with, read in the transaction `db` is
    /// in; nil for a workspace that does not count its generations (or whose file cannot be found).
    func cacheStamp(_ db: Database) throws -> CacheStamp? {
        guard !upgradedCopy, let generation = try DataGeneration.read(db), let file = WorkspaceIdentity.file(path) else { return nil }
        return CacheStamp(generation: generation, workspace: try WorkspaceIdentity.read(db), device: file.device, inode: file.inode)
    }

    /// One set (with the sets it refers to) read from SQLite for a damaged cache, provided the
    /// workspace still holds the data the cache was stamped with.
    func readSet(_ k: EntityKind, stamp: CacheStamp) -> Result<EntityTable, WorkspaceError> {
        let path = self.path
        do throws(WorkspaceError) {
            return .success(try read { db -> EntityTable in
                guard try cacheStamp(db) == stamp else {
                    throw WorkspaceError(.corrupt, "the column cache of '\(path)' is damaged and the workspace changed while it was read; run again")
                }
                var reader = StoreReader(db: db, path: path)
                return try reader.load(WorkspaceModel.closure([k])).table(k)
            })
        } catch {
            return .failure(error)
        }
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

    func corrupt(_ t: EntityTable, _ row: Int, _ field: String, _ what: String, id: String? = nil) -> WorkspaceError {
        var place = "row \(row + 1)"
        if let id { place = "\(t.kind.singular) '\(id)'" }
        else if let idCol = t.column("id"), row < idCol.codes.count, let id = idCol.string(row) { place = "\(t.kind.singular) '\(id)'" }
        return WorkspaceError(.corrupt, "workspace '\(path)': \(t.kind.setName), \(place), column \(field): \(what)")
    }

    /// How a column's cells are read (decided once per column, not per cell).
    enum Reader: UInt8 { case text, integer, real, bool, date, enumeration, reference, selfReference, list }

    /// A column's values while its table is read: local arrays, moved into the column at the end.
    struct Buffer {
        var ints: [Int64] = []
        var reals: [Double] = []
        var codes: [Int32] = []
        var smalls: [UInt8] = []
        var lists: [[Int32]] = []
        var nulls = NullMask()
    }

    mutating func loadTable(_ t: EntityTable) throws {
        let k = t.kind
        let name = WorkspaceSchema.quoted(k.setName)
        // The largest rid is the row count when rows were never deleted, and costs one page read
        // where count(*) would scan the table: it only sizes the arrays.
        let n = min(try Int.fetchOne(db, sql: "SELECT max(rid) FROM \(name)") ?? 0, 1 << 28)
        let fields = t.schema.fields
        let sql = "SELECT rid, " + fields.map { WorkspaceSchema.quoted($0.name) }.joined(separator: ", ") + " FROM \(name) ORDER BY rid"
        let statement = try db.makeStatement(sql: sql)
        let st = statement.sqliteStatement
        var readers: [Reader] = []
        var enumCases: [[[UInt8]]] = []
        var targets: [RidMap?] = []
        var buffers = [Buffer](repeating: Buffer(), count: fields.count)
        for (i, f) in fields.enumerated() {
            enumCases.append([])
            targets.append(nil)
            switch f.type {
            case .id, .string: readers.append(.text); buffers[i].codes.reserveCapacity(n)
            case .int, .money, .percent, .hours, .duration: readers.append(.integer); buffers[i].ints.reserveCapacity(n)
            case .real: readers.append(.real); buffers[i].reals.reserveCapacity(n)
            case .bool: readers.append(.bool); buffers[i].smalls.reserveCapacity(n)
            case .date: readers.append(.date); buffers[i].codes.reserveCapacity(n)
            case .enumeration(let e):
                readers.append(.enumeration); buffers[i].smalls.reserveCapacity(n)
                enumCases[i] = e.cases.map { Array($0.utf8) }
            case .reference(let target):
                readers.append(target == k ? .selfReference : .reference); buffers[i].codes.reserveCapacity(n)
                if target != k { targets[i] = maps[target.rawValue] }
            case .stringList: readers.append(.list); buffers[i].lists.reserveCapacity(n)
            }
        }
        let columns = t.columns
        let required = fields.map(\.required)
        var selfRefs: [(row: Int, field: Int, rid: Int64)] = []
        var map = RidMap()
        map.rids.reserveCapacity(n)
        var lastDate: (bytes: UInt64, bytes2: UInt16, raw: Int32) = (0, 0, 0)
        var row = 0
        // Pool codes of the strings seen last in each column (names, departments and roles repeat).
        var lastText = [(bytes: [UInt8], code: Int32)](repeating: ([], -1), count: fields.count)
        let idField = t.schema.fieldIndex("id")
        try buffers.withUnsafeMutableBufferPointer { b throws in
            /// A bad value in column `i` of the current row, named by the row's id when it has been read.
            func corrupt(_ t: EntityTable, _ row: Int, _ field: String, _ what: String) -> WorkspaceError {
                var id: String?
                if let f = idField, row < b[f].codes.count, b[f].codes[row] >= 0 { id = columns[f].pool[b[f].codes[row]] }
                return self.corrupt(t, row, field, what, id: id)
            }
            var polled = 0
            while true {
                if LoadCancellation.poll(&polled) {
                    throw WorkspaceError(.cancelled, "\(LoadCancellation.message): '\(path)'")
                }
                let rc = sqlite3_step(st)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                map.rids.append(sqlite3_column_int64(st, 0))
                for i in 0..<readers.count {
                    let idx = Int32(i + 1)
                    let type = sqlite3_column_type(st, idx)
                    if type == SQLITE_NULL {
                        if required[i] { throw corrupt(t, row, fields[i].name, "missing value for a required field") }
                        switch readers[i] {
                        case .integer: b[i].ints.append(0); b[i].nulls.setNone(row)
                        case .real: b[i].reals.append(0); b[i].nulls.setNone(row)
                        case .date: b[i].codes.append(0); b[i].nulls.setNone(row)
                        case .text, .reference, .selfReference: b[i].codes.append(-1)
                        case .bool, .enumeration: b[i].smalls.append(Portfolio.Column.noneSmall)
                        case .list: b[i].lists.append([])
                        }
                        continue
                    }
                    switch readers[i] {
                    case .integer:
                        guard type == SQLITE_INTEGER else { throw corrupt(t, row, fields[i].name, "expected an integer") }
                        b[i].ints.append(sqlite3_column_int64(st, idx))
                    case .reference:
                        guard type == SQLITE_INTEGER else { throw corrupt(t, row, fields[i].name, "expected a row reference") }
                        let rid = sqlite3_column_int64(st, idx)
                        guard let r = targets[i]?.row(rid) else {
                            throw corrupt(t, row, fields[i].name, "refers to a missing row (rid \(rid))")
                        }
                        b[i].codes.append(r)
                    case .selfReference:
                        guard type == SQLITE_INTEGER else { throw corrupt(t, row, fields[i].name, "expected a row reference") }
                        selfRefs.append((row, i, sqlite3_column_int64(st, idx)))
                        b[i].codes.append(-1)
                    case .date:
                        guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx), sqlite3_column_bytes(st, idx) == 10 else {
                            throw corrupt(t, row, fields[i].name, "expected a date as YYYY-MM-DD")
                        }
                        let raw = UnsafeRawPointer(p)
                        let key = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
                        if key.0 == lastDate.bytes && key.1 == lastDate.bytes2 && row > 0 {
                            b[i].codes.append(lastDate.raw)
                        } else {
                            guard let d = DateBytes.parse(UnsafeBufferPointer(start: p, count: 10)) else {
                                throw corrupt(t, row, fields[i].name, "invalid date '\(String(cString: p))'")
                            }
                            b[i].codes.append(d)
                            lastDate = (key.0, key.1, d)
                        }
                    case .text:
                        guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx) else { throw corrupt(t, row, fields[i].name, "expected text") }
                        let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(st, idx)))
                        if lastText[i].code >= 0 && lastText[i].bytes.elementsEqual(bytes) {
                            b[i].codes.append(lastText[i].code)
                        } else {
                            let code = columns[i].pool.intern(String(decoding: bytes, as: UTF8.self))
                            b[i].codes.append(code)
                            lastText[i] = (Array(bytes), code)
                        }
                    case .real:
                        guard type == SQLITE_FLOAT || type == SQLITE_INTEGER else { throw corrupt(t, row, fields[i].name, "expected a number") }
                        let v = sqlite3_column_double(st, idx)
                        guard v.isFinite else { throw corrupt(t, row, fields[i].name, "not a finite number") }
                        b[i].reals.append(v)
                    case .bool:
                        let v = sqlite3_column_int64(st, idx)
                        guard type == SQLITE_INTEGER, v == 0 || v == 1 else { throw corrupt(t, row, fields[i].name, "expected 0 or 1") }
                        b[i].smalls.append(UInt8(v))
                    case .enumeration:
                        guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx) else { throw corrupt(t, row, fields[i].name, "expected text") }
                        let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(st, idx)))
                        guard let code = enumCases[i].firstIndex(where: { $0.elementsEqual(bytes) }) else {
                            throw corrupt(t, row, fields[i].name, "unknown \(fields[i].type.enumName) value '\(String(decoding: bytes, as: UTF8.self))'")
                        }
                        b[i].smalls.append(UInt8(code))
                    case .list:
                        guard type == SQLITE_TEXT, let p = sqlite3_column_text(st, idx) else { throw corrupt(t, row, fields[i].name, "expected text") }
                        let text = String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(st, idx))), as: UTF8.self)
                        let pool = columns[i].pool
                        b[i].lists.append(text.split(separator: ";", omittingEmptySubsequences: true).map { pool.intern(String($0)) })
                    }
                }
                row += 1
            }
        }
        for (i, c) in columns.enumerated() {
            c.ints = buffers[i].ints; c.reals = buffers[i].reals; c.codes = buffers[i].codes
            c.smalls = buffers[i].smalls; c.lists = buffers[i].lists; c.nulls = buffers[i].nulls
        }
        t.count = row
        map.finish()
        for s in selfRefs {
            guard let r = map.row(s.rid) else { throw corrupt(t, s.row, fields[s.field].name, "refers to a missing \(k.singular) (rid \(s.rid))") }
            t.columns[s.field].codes[s.row] = r
        }
        maps[k.rawValue] = map
    }
}

extension FieldType {
    /// The name of an enumeration type (for messages).
    var enumName: String {
        if case .enumeration(let e) = self { return e.name }
        return "value"
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
