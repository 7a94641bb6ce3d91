// Writing rows of an in-memory store into the workspace, inside the caller's transaction: a whole
// replacement, or a merge where ids (or a set's natural key) say which rows are updated and which
// are new. References are written as the related row's rid, found through its id.
import GRDB
import GRDBSQLite
import PMOBase
import Portfolio

/// What an import did, per entity set: rows new, changed, unchanged (the same values again) and
/// removed (lines of a key a file restates with fewer lines), and each set's row-by-row diff.
public struct ImportSummary: Sendable, Equatable {
    public var inserted: [EntityKind: Int] = [:]
    public var changed: [EntityKind: Int] = [:]
    public var unchanged: [EntityKind: Int] = [:]
    public var removed: [EntityKind: Int] = [:]
    /// Row by row, for the sets whose diff was computed (every set of `pmo import`).
    public var diffs: [EntityKind: SetDiff] = [:]
    public var settingsChanged = false
    /// Waivers read from `waivers.csv` and stored.
    public var waivers = 0

    public init() {}

    /// Rows that are new or changed.
    public var totalRows: Int { inserted.values.reduce(0, +) + changed.values.reduce(0, +) }
    /// Rows added, changed or removed: zero when the import changed no row.
    public var changedRows: Int { totalRows + removed.values.reduce(0, +) }

    mutating func record(_ k: EntityKind, _ d: SetDiff) {
        inserted[k, default: 0] += d.new.count
        changed[k, default: 0] += d.changed.count
        unchanged[k, default: 0] += d.unchanged
        removed[k, default: 0] += d.removed.count
        diffs[k] = d
    }

    /// `projects: 3 new, 1 changed, 40 unchanged; timesheets: 2 removed`.
    public var description: String {
        let parts = EntityKind.allCases.compactMap { k -> String? in
            let i = inserted[k] ?? 0, c = changed[k] ?? 0, u = unchanged[k] ?? 0, r = removed[k] ?? 0
            if i == 0 && c == 0 && u == 0 && r == 0 { return nil }
            var bits: [String] = []
            if i > 0 { bits.append("\(i) new") }
            if c > 0 { bits.append("\(c) changed") }
            if u > 0 { bits.append("\(u) unchanged") }
            if r > 0 { bits.append("\(r) removed") }
            return "\(k.setName): " + bits.joined(separator: ", ")
        }
        let all = parts + (waivers > 0 ? ["waivers: \(waivers)"] : [])
        return all.isEmpty ? "nothing to import" : all.joined(separator: "; ")
    }
}

/// Rows of one set to write: `rows` of the store's table, with the fields `present` (by field index)
/// taken from the input; on an update, fields not present keep their value.
struct RowBatch {
    var kind: EntityKind
    var rows: Range<Int>
    var present: [Bool]
}

extension Workspace {
    /// Writes a whole store into the workspace in one transaction. `replace` first empties every set
    /// (and the settings); otherwise the rows are merged: an id already there is updated, a new one
    /// added (sets without ids use their natural key: a timesheet's resource, project and week...).
    @discardableResult
    public func importStore(_ store: PortfolioStore, replace: Bool) throws(WorkspaceError) -> ImportSummary {
        try write { db in try DataGeneration.changing(db) {
            var w = StoreWriter(db: db, store: store)
            if replace { try w.deleteAll() }
            let batches = EntityKind.allCases.map { k in
                RowBatch(kind: k, rows: 0..<store.table(k).count, present: store.table(k).schema.fields.map { _ in true })
            }
            try w.write(batches)
            try SettingsCodec.write(SettingsCodec.of(store), db)
            w.summary.settingsChanged = true
            return w.summary
        } }
    }
}

let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

struct StoreWriter {
    let db: Database
    let store: PortfolioStore
    var summary = ImportSummary()
    /// rid of every row of a set's table, once known.
    private var ridOfRow = [[Int64]?](repeating: nil, count: EntityKind.allCases.count)
    /// The dates a column last bound, as text.
    private var dateText: [UInt8] = Array(repeating: 48, count: 10)

    init(db: Database, store: PortfolioStore) { self.db = db; self.store = store }

    func fail(_ message: String) -> WorkspaceError { WorkspaceError(.cannotWrite, message) }

    /// Empties every entity set and the settings.
    mutating func deleteAll() throws {
        for k in EntityKind.allCases.reversed() { try db.execute(sql: "DELETE FROM \(WorkspaceSchema.quoted(k.setName))") }
        try db.execute(sql: "DELETE FROM settings")
    }

    /// Writes the batches in set order (referenced sets first). With `existing` (the workspace's rows
    /// as loaded before the import) rows equal to what is there count as unchanged and are not
    /// rewritten, and sets whose lines repeat a key follow the re-import rule (LineSets.swift).
    mutating func write(_ batches: [RowBatch], existing: PortfolioStore? = nil) throws {
        for b in batches.sorted(by: { $0.kind.rawValue < $1.kind.rawValue }) where !b.rows.isEmpty {
            if WorkspaceModel.hasID(b.kind) { try writeByID(b, existing: existing) }
            else if let existing { try replaceLines(b, existing: existing) }
            else if LineSets.repeats(b.kind) { try insertAll(b) }
            else { try upsert(b) }
        }
    }

    /// Inserts every row of the batch (sets whose lines repeat a key, into an emptied workspace).
    mutating func insertAll(_ b: RowBatch) throws {
        let t = store.table(b.kind)
        let fields = t.schema.fields
        let statement = try db.makeStatement(sql: "INSERT INTO \(WorkspaceSchema.quoted(b.kind.setName)) (" + fields.map { WorkspaceSchema.quoted($0.name) }
            .joined(separator: ", ") + ") VALUES (?" + String(repeating: ", ?", count: fields.count - 1) + ")")
        let st = statement.sqliteStatement
        defer { withExtendedLifetime(statement) {} }
        let refs = try referenceRids(t)
        var diff = SetDiff()
        for r in b.rows {
            for fi in fields.indices { bind(st, Int32(fi + 1), t.columns[fi], r, refs[fi]) }
            try step(st)
            diff.new.append(r)
        }
        summary.record(b.kind, diff)
    }

    /// id → rid of the rows already in the workspace, and the next free rid.
    func existingIDs(_ k: EntityKind) throws -> (ids: [String: Int64], next: Int64) {
        var ids: [String: Int64] = [:]
        var maxRid: Int64 = 0
        let statement = try db.makeStatement(sql: "SELECT id, rid FROM \(WorkspaceSchema.quoted(k.setName))")
        let st = statement.sqliteStatement
        while sqlite3_step(st) == SQLITE_ROW {
            guard let p = sqlite3_column_text(st, 0) else { continue }
            let rid = sqlite3_column_int64(st, 1)
            ids[String(cString: p)] = rid
            maxRid = max(maxRid, rid)
        }
        let (next, o) = maxRid.addingReportingOverflow(1)
        if o { throw fail("the workspace has no room for more \(k.setName)") }
        return (ids, next)
    }

    /// The rid of every row of `k`'s table: rows not written by this import must already be in the workspace.
    mutating func rids(_ k: EntityKind) throws -> [Int64] {
        if let r = ridOfRow[k.rawValue] { return r }
        let t = store.table(k)
        guard let idCol = t.column("id") else { throw fail("\(k.setName) cannot be referred to") }
        let (ids, _) = try existingIDs(k)
        var out = [Int64](repeating: 0, count: t.count)
        for r in 0..<t.count {
            guard let id = idCol.string(r), let rid = ids[id] else {
                throw fail("\(k.singular) '\(idCol.string(r) ?? "")' is referred to but is not in the workspace")
            }
            out[r] = rid
        }
        ridOfRow[k.rawValue] = out
        return out
    }

    /// Inserts new ids and updates existing ones whose given fields differ.
    mutating func writeByID(_ b: RowBatch, existing: PortfolioStore?) throws {
        let t = store.table(b.kind)
        guard let idCol = t.column("id") else { return }
        let (ids, next) = try existingIDs(b.kind)
        var nextRid = next
        var out = [Int64](repeating: 0, count: t.count)
        var isNew = [Bool](repeating: false, count: t.count)
        for r in 0..<t.count {
            guard let id = idCol.string(r) else { throw fail("a \(b.kind.singular) has no id") }
            if let rid = ids[id] {
                out[r] = rid
            } else if b.rows.contains(r) {
                out[r] = nextRid
                isNew[r] = true
                nextRid += 1
            } else {
                throw fail("\(b.kind.singular) '\(id)' is referred to but is not in the workspace")
            }
        }
        ridOfRow[b.kind.rawValue] = out
        let fields = t.schema.fields
        let name = WorkspaceSchema.quoted(b.kind.setName)
        let all = Array(fields.indices)
        let insert = try db.makeStatement(sql: "INSERT INTO \(name) (rid, " + all.map { WorkspaceSchema.quoted(fields[$0].name) }.joined(separator: ", ")
                                          + ") VALUES (?" + String(repeating: ", ?", count: all.count) + ")")
        let changed = all.filter { b.present[$0] && fields[$0].name != "id" }
        let update = changed.isEmpty ? nil : try db.makeStatement(sql: "UPDATE \(name) SET "
            + changed.map { WorkspaceSchema.quoted(fields[$0].name) + " = ?" }.joined(separator: ", ") + " WHERE rid = ?")
        let refs = try referenceRids(t)
        // The workspace's row of each id, to tell a changed row from the same values again.
        var cmp: RowComparer?
        var before: [String: Int] = [:]
        if let existing, let old = existing.table(b.kind).column("id") {
            cmp = RowComparer(incoming: store, existing: existing, kind: b.kind)
            before.reserveCapacity(existing.table(b.kind).count)
            for s in 0..<existing.table(b.kind).count { if let id = old.string(s) { before[id] = s } }
        }
        var diff = SetDiff()
        for r in b.rows {
            if isNew[r] {
                let st = insert.sqliteStatement
                sqlite3_bind_int64(st, 1, out[r])
                for (j, fi) in all.enumerated() { bind(st, Int32(j + 2), t.columns[fi], r, refs[fi]) }
                try step(st)
                diff.new.append(r)
                continue
            }
            if let cmp, let id = idCol.string(r), let s = before[id], changed.allSatisfy({ cmp.same($0, r, s) }) {
                diff.unchanged += 1
                continue
            }
            if let update {
                let st = update.sqliteStatement
                for (j, fi) in changed.enumerated() { bind(st, Int32(j + 1), t.columns[fi], r, refs[fi]) }
                sqlite3_bind_int64(st, Int32(changed.count + 1), out[r])
                try step(st)
                diff.changed.append(.init(row: r, rid: out[r]))
            } else {
                diff.unchanged += 1
            }
        }
        summary.record(b.kind, diff)
    }

    /// Inserts rows of a set without ids, updating the row with the same natural key.
    mutating func upsert(_ b: RowBatch) throws {
        let t = store.table(b.kind)
        let fields = t.schema.fields
        let name = WorkspaceSchema.quoted(b.kind.setName)
        let key = Set(WorkspaceSchema.naturalKey(b.kind))
        let changed = fields.indices.filter { b.present[$0] && !key.contains(fields[$0].name) }
        var sql = "INSERT INTO \(name) (" + fields.map { WorkspaceSchema.quoted($0.name) }.joined(separator: ", ")
            + ") VALUES (?" + String(repeating: ", ?", count: fields.count - 1) + ") ON CONFLICT("
            + WorkspaceSchema.conflictTarget(b.kind) + ") DO "
        sql += changed.isEmpty ? "NOTHING"
            : "UPDATE SET " + changed.map { "\(WorkspaceSchema.quoted(fields[$0].name)) = excluded.\(WorkspaceSchema.quoted(fields[$0].name))" }
                .joined(separator: ", ")
        let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name)") ?? 0
        let statement = try db.makeStatement(sql: sql)
        let st = statement.sqliteStatement
        let refs = try referenceRids(t)
        for r in b.rows {
            for fi in fields.indices { bind(st, Int32(fi + 1), t.columns[fi], r, refs[fi]) }
            try step(st)
        }
        let after = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name)") ?? 0
        summary.inserted[b.kind, default: 0] += after - before
        summary.changed[b.kind, default: 0] += b.rows.count - (after - before)
    }

    /// For each field of `t`, the rids of the related set's rows when it is a reference.
    mutating func referenceRids(_ t: EntityTable) throws -> [[Int64]?] {
        var out: [[Int64]?] = []
        for f in t.schema.fields {
            if case .reference(let target) = f.type { out.append(try rids(target)) } else { out.append(nil) }
        }
        return out
    }

    func step(_ st: OpaquePointer) throws {
        let rc = sqlite3_step(st)
        sqlite3_reset(st)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// Binds the value of `c` in row `r` to parameter `i`.
    mutating func bind(_ st: OpaquePointer, _ i: Int32, _ c: Portfolio.Column, _ r: Int, _ rids: [Int64]?) {
        if c.isNone(r) { sqlite3_bind_null(st, i); return }
        switch c.field.type {
        case .id, .string:
            sqlite3_bind_text(st, i, c.pool[c.codes[r]], -1, sqliteTransient)
        case .int, .money, .percent, .hours, .duration:
            sqlite3_bind_int64(st, i, c.ints[r])
        case .real:
            sqlite3_bind_double(st, i, c.reals[r])
        case .bool:
            sqlite3_bind_int64(st, i, Int64(c.smalls[r]))
        case .enumeration(let e):
            sqlite3_bind_text(st, i, e.cases[Int(c.smalls[r])], -1, sqliteTransient)
        case .date:
            let civil = Day(raw: c.codes[r]).civil
            let y = civil.year
            dateText[0] = UInt8(48 + (y / 1000) % 10); dateText[1] = UInt8(48 + (y / 100) % 10)
            dateText[2] = UInt8(48 + (y / 10) % 10); dateText[3] = UInt8(48 + y % 10); dateText[4] = 45
            dateText[5] = UInt8(48 + civil.month / 10); dateText[6] = UInt8(48 + civil.month % 10); dateText[7] = 45
            dateText[8] = UInt8(48 + civil.day / 10); dateText[9] = UInt8(48 + civil.day % 10)
            dateText.withUnsafeBufferPointer { p in
                p.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: 10) { _ = sqlite3_bind_text(st, i, $0, 10, sqliteTransient) }
                }
            }
        case .reference:
            let target = Int(c.codes[r])
            if let rids, target >= 0, target < rids.count { sqlite3_bind_int64(st, i, rids[target]) } else { sqlite3_bind_null(st, i) }
        case .stringList:
            sqlite3_bind_text(st, i, c.lists[r].map { c.pool[$0] }.joined(separator: ";"), -1, sqliteTransient)
        }
    }
}
