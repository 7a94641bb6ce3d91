// Sets of lines without an id (timesheets, allocations): several lines may share a natural key (a
// line per task or per day), and a re-import follows model.md's rule: a file is authoritative for
// each natural key it contains, the workspace's lines for that key become exactly the file's lines,
// keys the file does not mention are untouched, and the same file twice changes nothing.
//
// How: the incoming rows and the workspace's rows (both already in memory) are hashed by key and
// sorted, so millions of lines cost two sorts of integers. Within a key, an incoming line equal to a
// workspace line is unchanged; the remaining lines are paired in order as changed (updated in place,
// keeping their rid); extra incoming lines are new and extra workspace lines are removed.
import GRDB
import GRDBSQLite
import PMOBase
import Portfolio

/// What an import does to one set, row by row, computed before anything is written (inside the
/// import's transaction): the value a journal records. Rows are the import's row numbers.
public struct SetDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        /// The incoming row.
        public var row: Int
        /// The workspace row it replaces (its rid: its old values are still readable when the diff is made).
        public var rid: Int64
    }
    public var new: [Int] = []
    public var changed: [Change] = []
    public var unchanged = 0
    /// Workspace rows (rids) deleted: a key the file restates with fewer lines.
    public var removed: [Int64] = []

    public init() {}
}

enum LineSets {
    /// The sets whose lines may repeat a natural key.
    static func repeats(_ k: EntityKind) -> Bool { k == .timesheet || k == .allocation }

    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("lines-1") { db in
            // Timesheets lose UNIQUE (resource, project, week) and gain `task`; allocations lose their
            // unique key. Both keep an index on the key, which re-imports look lines up by.
            try db.execute(sql: """
                CREATE TABLE timesheets_lines (
                    rid INTEGER PRIMARY KEY, resource INTEGER NOT NULL REFERENCES resources(rid),
                    project INTEGER NOT NULL REFERENCES projects(rid), week TEXT NOT NULL, hours INTEGER, cost INTEGER,
                    task TEXT);
                INSERT INTO timesheets_lines (rid, resource, project, week, hours, cost)
                    SELECT rid, resource, project, week, hours, cost FROM timesheets;
                DROP TABLE timesheets;
                ALTER TABLE timesheets_lines RENAME TO timesheets;
                CREATE INDEX timesheets_key ON timesheets(resource, project, week);
                DROP INDEX allocations_key;
                CREATE INDEX allocations_key ON allocations(resource, project, ifnull(start, ''), ifnull(finish, ''));
                """)
            // The table was rebuilt: its data-generation triggers went with the old one.
            if try DataGeneration.read(db) != nil {
                try DataGeneration.dropTriggers(db)
                try DataGeneration.createTriggers(db)
            }
        }
    }
}

/// Compares rows of the import's store with rows of the workspace's store field by field:
/// references through the referenced rows' ids, everything else by value.
struct RowComparer {
    let incoming: EntityTable
    let existing: EntityTable
    /// For each field: incoming referenced row → existing referenced row (-1: not in the workspace).
    let refMaps: [[Int32]?]

    init(incoming: PortfolioStore, existing: PortfolioStore, kind: EntityKind) {
        self.incoming = incoming.table(kind)
        self.existing = existing.table(kind)
        var maps: [[Int32]?] = []
        for f in incoming.table(kind).schema.fields {
            guard case .reference(let target) = f.type else { maps.append(nil); continue }
            let a = incoming.table(target), b = existing.table(target)
            var index: [String: Int32] = [:]
            if let idB = b.column("id") { for r in 0..<b.count { if let id = idB.string(r) { index[id] = Int32(r) } } }
            var map = [Int32](repeating: -1, count: a.count)
            if let idA = a.column("id") { for r in 0..<a.count { if let id = idA.string(r) { map[r] = index[id] ?? -1 } } }
            maps.append(map)
        }
        refMaps = maps
    }

    /// Whether field `fi` of incoming row `r` equals that of existing row `s`.
    func same(_ fi: Int, _ r: Int, _ s: Int) -> Bool {
        let a = incoming.columns[fi], b = existing.columns[fi]
        let na = a.isNone(r), nb = b.isNone(s)
        if na || nb { return na == nb }
        switch a.field.type {
        case .int, .money, .percent, .hours, .duration: return a.ints[r] == b.ints[s]
        case .real: return a.reals[r] == b.reals[s]
        case .bool, .enumeration: return a.smalls[r] == b.smalls[s]
        case .date: return a.codes[r] == b.codes[s]
        case .id, .string: return a.pool[a.codes[r]] == b.pool[b.codes[s]]
        case .stringList: return a.lists[r].map { a.pool[$0] } == b.lists[s].map { b.pool[$0] }
        case .reference:
            let t = Int(a.codes[r])
            guard let map = refMaps[fi], t >= 0, t < map.count else { return false }
            return map[t] == b.codes[s]
        }
    }

    /// A key value of incoming row `r` comparable with `existingKey` (a referenced row missing from
    /// the workspace gets a value no workspace row has).
    func incomingKey(_ fi: Int, _ r: Int) -> Int64 {
        let c = incoming.columns[fi]
        switch c.field.type {
        case .reference:
            let t = Int(c.codes[r])
            guard let map = refMaps[fi], t >= 0, t < map.count else { return Int64.min + 1 }
            return map[t] >= 0 ? Int64(map[t]) : (1 << 40) + Int64(t)
        case .id, .string: return RowComparer.textKey(c, r)
        default: return NaturalKeys.reader(c)(r)
        }
    }

    func existingKey(_ fi: Int, _ s: Int) -> Int64 {
        let c = existing.columns[fi]
        switch c.field.type {
        case .reference: return Int64(c.codes[s])
        case .id, .string: return RowComparer.textKey(c, s)
        default: return NaturalKeys.reader(c)(s)
        }
    }

    /// A string cell as a 64-bit FNV-1a hash of its text (pool codes differ between stores); only a
    /// hash: keys are compared by value (`same`) before lines are matched.
    static func textKey(_ c: Portfolio.Column, _ r: Int) -> Int64 {
        guard c.codes[r] >= 0 else { return .min }
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in c.pool[c.codes[r]].utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return Int64(bitPattern: h)
    }
}

extension StoreWriter {
    /// Applies the re-import rule to a set whose lines may repeat a key: computes the diff, then
    /// updates changed lines in place, deletes removed ones and inserts new ones.
    mutating func replaceLines(_ b: RowBatch, existing: PortfolioStore) throws {
        let diff = try lineDiff(b, existing: existing)
        let t = store.table(b.kind)
        let fields = t.schema.fields
        let name = WorkspaceSchema.quoted(b.kind.setName)
        let refs = try referenceRids(t)
        let columns = fields.map { WorkspaceSchema.quoted($0.name) }
        if !diff.changed.isEmpty {
            let changedFields = fields.indices.filter { b.present[$0] }
            let statement = try db.makeStatement(sql: "UPDATE \(name) SET " + changedFields.map { columns[$0] + " = ?" }.joined(separator: ", ")
                                              + " WHERE rid = ?")
            let st = statement.sqliteStatement
            defer { withExtendedLifetime(statement) {} }
            for c in diff.changed {
                for (j, fi) in changedFields.enumerated() { bind(st, Int32(j + 1), t.columns[fi], c.row, refs[fi]) }
                sqlite3_bind_int64(st, Int32(changedFields.count + 1), c.rid)
                try step(st)
            }
        }
        if !diff.removed.isEmpty {
            let statement = try db.makeStatement(sql: "DELETE FROM \(name) WHERE rid = ?")
            let st = statement.sqliteStatement
            defer { withExtendedLifetime(statement) {} }
            for rid in diff.removed { sqlite3_bind_int64(st, 1, rid); try step(st) }
        }
        if !diff.new.isEmpty {
            let statement = try db.makeStatement(sql: "INSERT INTO \(name) (" + columns.joined(separator: ", ") + ") VALUES (?"
                                              + String(repeating: ", ?", count: fields.count - 1) + ")")
            let st = statement.sqliteStatement
            defer { withExtendedLifetime(statement) {} }
            for r in diff.new {
                for fi in fields.indices { bind(st, Int32(fi + 1), t.columns[fi], r, refs[fi]) }
                try step(st)
            }
        }
        summary.record(b.kind, diff)
    }

    /// The diff of the batch's rows against the workspace's lines of the same keys.
    func lineDiff(_ b: RowBatch, existing: PortfolioStore) throws -> SetDiff {
        let cmp = RowComparer(incoming: store, existing: existing, kind: b.kind)
        let fields = store.table(b.kind).schema.fields
        let keyFields = WorkspaceSchema.naturalKey(b.kind).compactMap { n in fields.firstIndex { $0.name == n } }
        // Fields the file gives: a line equal on them is unchanged (a missing column keeps its value).
        let compared = fields.indices.filter { b.present[$0] && !keyFields.contains($0) }
        func hash(_ values: [Int64]) -> UInt64 {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15
            for v in values { h = NaturalKeys.mix(h ^ UInt64(bitPattern: v)) }
            return h
        }
        let m = cmp.existing.count
        var mine = [(hash: UInt64, row: Int32)](), theirs = [(hash: UInt64, row: Int32)]()
        mine.reserveCapacity(b.rows.count)
        for r in b.rows { mine.append((hash(keyFields.map { cmp.incomingKey($0, r) }), Int32(r))) }
        var wanted = Set<UInt64>()
        wanted.reserveCapacity(mine.count)
        for p in mine { wanted.insert(p.hash) }
        for s in 0..<m {
            let h = hash(keyFields.map { cmp.existingKey($0, s) })
            if wanted.contains(h) { theirs.append((h, Int32(s))) }
        }
        mine.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
        theirs.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
        let rids = theirs.isEmpty ? [] : try existingRids(b.kind, count: m)
        var diff = SetDiff()
        var i = 0, j = 0
        while i < mine.count {
            var i2 = i + 1
            while i2 < mine.count && mine[i2].hash == mine[i].hash { i2 += 1 }
            while j < theirs.count && theirs[j].hash < mine[i].hash { j += 1 }
            var j2 = j
            while j2 < theirs.count && theirs[j2].hash == mine[i].hash { j2 += 1 }
            // One hash may hold several keys (a collision): split by the key's values.
            var files = (i..<i2).map { Int(mine[$0].row) }
            var lines = (j..<j2).map { Int(theirs[$0].row) }
            while let first = files.first {
                // Incoming rows share a pool per column, so equal codes are equal values.
                let sameKey: (Int) -> Bool = { r in
                    keyFields.allSatisfy { fi in
                        let c = cmp.incoming.columns[fi]
                        return NaturalKeys.reader(c)(r) == NaturalKeys.reader(c)(first)
                    }
                }
                let group = files.filter(sameKey)
                files.removeAll(where: sameKey)
                let theirsGroup = lines.filter { s in keyFields.allSatisfy { cmp.same($0, first, s) } }
                lines.removeAll { theirsGroup.contains($0) }
                match(group, theirsGroup, compared, cmp, rids, &diff)
            }
            i = i2
            j = j2
        }
        diff.new.sort()
        return diff
    }

    /// Pairs the file's lines of one key with the workspace's: equal ones first, then in order.
    func match(_ files: [Int], _ lines: [Int], _ compared: [Int], _ cmp: RowComparer, _ rids: [Int64], _ diff: inout SetDiff) {
        var used = [Bool](repeating: false, count: lines.count)
        var rest: [Int] = []
        for r in files {
            if let k = lines.indices.first(where: { q in !used[q] && compared.allSatisfy { fi in cmp.same(fi, r, lines[q]) } }) {
                used[k] = true
                diff.unchanged += 1
            } else {
                rest.append(r)
            }
        }
        var left = lines.indices.filter { !used[$0] }.map { rids[lines[$0]] }
        for r in rest {
            if left.isEmpty { diff.new.append(r) } else { diff.changed.append(.init(row: r, rid: left.removeFirst())) }
        }
        diff.removed += left
    }

    /// The rid of each row of the workspace's table, in row (rid) order.
    func existingRids(_ k: EntityKind, count: Int) throws -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(count)
        let statement = try db.makeStatement(sql: "SELECT rid FROM \(WorkspaceSchema.quoted(k.setName)) ORDER BY rid")
        let st = statement.sqliteStatement
        defer { withExtendedLifetime(statement) {} }
        while sqlite3_step(st) == SQLITE_ROW { out.append(sqlite3_column_int64(st, 0)) }
        guard out.count == count else { throw fail("\(k.setName) changed while it was imported") }
        return out
    }
}
