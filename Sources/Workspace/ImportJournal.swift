// Journalling an import: the incoming rows are compared with the workspace's rows of the same key
// (id, or a set's natural key) before anything is written; a new key is a row entry, a field whose
// value differs is a field entry, equal values record nothing. One import is one batch, created only
// when something differs, so re-importing the same file records nothing. Rows imported into a set
// that was empty are the set's starting point and record nothing either.
import GRDB
import PMOBase
import Portfolio

/// How an import is journalled: effective when (nil: the portfolio's status date after the import,
/// else today by the wall clock, UTC), by whom, and why.
public struct ImportJournalling: Sendable {
    public var effective: Day?
    public var stamp: JournalStamp
    public var reason: String
    public init(effective: Day?, stamp: JournalStamp, reason: String = "import") {
        self.effective = effective; self.stamp = stamp; self.reason = reason
    }
}

enum ImportJournal {
    /// The rid of each of the workspace's rows of the non-id sets an import writes (in row order, so
    /// ascending), read before the import writes: a `SetDiff` names the rows it changes and removes
    /// by rid.
    static func ridsBefore(_ db: Database, base: PortfolioStore, batches: [RowBatch]) throws -> [EntityKind: [Int64]] {
        var out: [EntityKind: [Int64]] = [:]
        for b in batches where !b.rows.isEmpty && !WorkspaceModel.hasID(b.kind) && base.table(b.kind).count > 0 {
            var rids: [Int64] = []
            rids.reserveCapacity(base.table(b.kind).count)
            let statement = try db.makeStatement(sql: "SELECT rid FROM \(WorkspaceSchema.quoted(b.kind.setName)) ORDER BY rid")
            let cursor = try Int64.fetchCursor(statement)
            while let rid = try cursor.next() { rids.append(rid) }
            guard rids.count == base.table(b.kind).count else {
                throw WorkspaceError(.cannotWrite, "\(b.kind.setName) changed while they were imported")
            }
            out[b.kind] = rids
        }
        return out
    }

    /// Journals the import's differences from `base`: each set's `SetDiff` as the writer computed it
    /// (`diffs`), so the journal records exactly what was written. A new key is a row entry, a changed
    /// row one entry per field that differs. Sets whose lines may repeat a key (timesheets,
    /// allocations) are journalled a key at a time: one row entry whose `old` is the key's lines
    /// before and `new` its lines after (records in sorted order, one per line; none when there are
    /// none), since their lines have no identity of their own. Returns the batch, or nil when nothing
    /// differs.
    @discardableResult
    static func record(_ db: Database, base: PortfolioStore, merged: PortfolioStore, batches: [RowBatch],
                       diffs: [EntityKind: SetDiff], ridsBefore: [EntityKind: [Int64]],
                       source: String, how: ImportJournalling) throws -> Int64? {
        var appender: Journal.Appender?
        let effective = how.effective ?? merged.statusDate ?? Journal.today()
        func journal() throws -> Journal.Appender {
            if let a = appender { return a }
            let batch = try Journal.newBatch(db, effective: effective, stamp: how.stamp, source: source, reason: how.reason)
            let a = try Journal.Appender(db, batch: batch, effective: effective, stamp: how.stamp, source: source, reason: how.reason)
            appender = a
            return a
        }
        for b in batches where !b.rows.isEmpty {
            let k = b.kind
            // Rows imported into a set that was empty are its starting point, not changes: a
            // workspace's first import records nothing (so `as of` an earlier day still shows them).
            guard base.table(k).count > 0, let diff = diffs[k] else { continue }
            let keyIdx = WorkspaceSchema.naturalKey(k).compactMap { merged.table(k).schema.fieldIndex($0) }
            let rids = ridsBefore[k] ?? []
            /// The workspace's row (before the import) of a rid the diff names.
            func baseRow(_ rid: Int64) throws -> Int {
                var lo = 0, hi = rids.count
                while lo < hi { let m = (lo + hi) / 2; if rids[m] < rid { lo = m + 1 } else { hi = m } }
                guard lo < rids.count, rids[lo] == rid else {
                    throw WorkspaceError(.cannotWrite, "\(k.setName) changed while they were imported")
                }
                return lo
            }
            if LineSets.repeats(k) {
                try lines(k, b, diff, keyIdx, base, merged, baseRow, journal)
                continue
            }
            let ids = WorkspaceModel.hasID(k) ? base.idIndex(k) : [:]
            let schema = merged.table(k).schema
            let bt = base.table(k), mt = merged.table(k)
            // In the file's order: each new row, and each changed row's fields.
            let changedRows = Dictionary(diff.changed.map { ($0.row, $0.rid) }, uniquingKeysWith: { a, _ in a })
            for r in (diff.new + diff.changed.map(\.row)).sorted() {
                let entity = name(merged, k, r, keyIdx)
                guard let rid = changedRows[r] else {
                    try journal().append(set: k.setName, entity: entity, field: JournalEntry.rowField, old: nil, new: record(merged, k, r))
                    continue
                }
                let br: Int
                if WorkspaceModel.hasID(k) {
                    guard let row = ids[entity] else { throw WorkspaceError(.cannotWrite, "\(k.singular) '\(entity)' changed while it was imported") }
                    br = Int(row)
                } else {
                    br = try baseRow(rid)
                }
                for fi in schema.fields.indices where b.present[fi] && !keyIdx.contains(fi) {
                    let mc = mt.column(at: fi), bc = bt.column(at: fi)
                    if same(bc, br, base, mc, r, merged) { continue }
                    let t = schema.fields[fi].type
                    try journal().append(set: k.setName, entity: entity, field: schema.fields[fi].name,
                                         old: CellValue.of(bc, br, base).text(t), new: CellValue.of(mc, r, merged).text(t))
                }
            }
            for rid in diff.removed {
                let br = try baseRow(rid)
                try journal().append(set: k.setName, entity: name(base, k, br, keyIdx), field: JournalEntry.rowField,
                                     old: record(base, k, br), new: nil)
            }
        }
        return appender?.batch
    }

    /// A set whose lines may repeat a key: for each key the diff touches, one row entry with the key's
    /// lines before and after.
    static func lines(_ k: EntityKind, _ b: RowBatch, _ diff: SetDiff, _ keyIdx: [Int], _ base: PortfolioStore,
                      _ merged: PortfolioStore, _ baseRow: (Int64) throws -> Int, _ journal: () throws -> Journal.Appender) throws {
        // The key of every line the diff touches (hashed as the writer's line diff hashes them, so the
        // workspace's lines are scanned once), and what replaces each changed or removed line.
        let cmp = RowComparer(incoming: merged, existing: base, kind: k)
        func hash(_ values: [Int64]) -> UInt64 {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15
            for v in values { h = NaturalKeys.mix(h ^ UInt64(bitPattern: v)) }
            return h
        }
        var hashes = Set<UInt64>()
        var touched: [String: (before: [String], after: [String])] = [:]
        var replaced: [Int: String?] = [:]   // workspace row → its line after (nil: removed)
        for r in diff.new {
            hashes.insert(hash(keyIdx.map { cmp.incomingKey($0, r) }))
            touched[name(merged, k, r, keyIdx), default: ([], [])].after.append(record(merged, k, r))
        }
        for c in diff.changed {
            let br = try baseRow(c.rid)
            hashes.insert(hash(keyIdx.map { cmp.existingKey($0, br) }))
            replaced[br] = .some(record(merged, k, c.row, keep: b.present, from: (base, br)))
        }
        for rid in diff.removed {
            let br = try baseRow(rid)
            hashes.insert(hash(keyIdx.map { cmp.existingKey($0, br) }))
            replaced[br] = .some(nil)
        }
        if hashes.isEmpty { return }
        // The workspace's lines of each touched key, before and after.
        for br in 0..<base.table(k).count where hashes.contains(hash(keyIdx.map { cmp.existingKey($0, br) })) {
            let key = name(base, k, br, keyIdx)
            let line = record(base, k, br)
            touched[key, default: ([], [])].before.append(line)
            if let now = replaced[br] {
                if let now { touched[key, default: ([], [])].after.append(now) }
            } else {
                touched[key, default: ([], [])].after.append(line)
            }
        }
        for key in touched.keys.sorted() {
            guard let t = touched[key] else { continue }
            let before = t.before.sorted(), after = t.after.sorted()
            if before == after { continue }
            try journal().append(set: k.setName, entity: key, field: JournalEntry.rowField,
                                 old: before.isEmpty ? nil : before.joined(separator: "\n"),
                                 new: after.isEmpty ? nil : after.joined(separator: "\n"))
        }
    }

    /// Row `r` of `k` as one CSV record of every field (what a row entry holds); with `keep`, the
    /// fields not given (false) come from row `from` of the workspace's store.
    static func record(_ store: PortfolioStore, _ k: EntityKind, _ r: Int, keep: [Bool]? = nil,
                       from: (PortfolioStore, Int)? = nil) -> String {
        let t = store.table(k)
        var w = CSVWriter(capacity: 256)
        for (fi, f) in t.schema.fields.enumerated() {
            let v: CellValue
            if let keep, let from, fi < keep.count, !keep[fi] {
                v = CellValue.of(from.0.table(k).column(at: fi), from.1, from.0)
            } else {
                v = CellValue.of(t.column(at: fi), r, store)
            }
            if let text = v.text(f.type) { w.text(text) } else { w.none() }
        }
        return String(decoding: w.take(), as: UTF8.self)
    }

    /// The journal's name of row `r` of `k`.
    static func name(_ store: PortfolioStore, _ k: EntityKind, _ r: Int, _ keyIdx: [Int]) -> String {
        let t = store.table(k)
        if keyIdx.count == 1, t.schema.fields[keyIdx[0]].type == .id { return t.column(at: keyIdx[0]).string(r) ?? "" }
        let key = keyIdx.map { i -> FieldChange in
            let v = CellValue.of(t.column(at: i), r, store)
            return FieldChange(field: t.schema.fields[i].name, old: v, new: v)
        }
        return ChangePlan.entityName(k, key)
    }

    /// Entity name → row of the workspace's rows of `k`.
    static func keyIndex(_ store: PortfolioStore, _ k: EntityKind, _ keyIdx: [Int]) -> [String: Int32] {
        if keyIdx.count == 1, store.table(k).schema.fields[keyIdx[0]].type == .id { return store.idIndex(k) }
        var m: [String: Int32] = [:]
        let n = store.table(k).count
        m.reserveCapacity(n)
        for r in 0..<n { m[name(store, k, r, keyIdx)] = Int32(r) }
        return m
    }

    /// Whether two cells of the same field hold the same value (references compared by id).
    static func same(_ a: Portfolio.Column, _ ar: Int, _ aStore: PortfolioStore, _ b: Portfolio.Column, _ br: Int, _ bStore: PortfolioStore) -> Bool {
        let an = a.isNone(ar), bn = b.isNone(br)
        if an || bn { return an == bn }
        switch a.field.type {
        case .int, .money, .percent, .hours, .duration: return a.ints[ar] == b.ints[br]
        case .real: return a.reals[ar] == b.reals[br]
        case .bool, .enumeration: return a.smalls[ar] == b.smalls[br]
        case .date: return a.codes[ar] == b.codes[br]
        case .id, .string: return a.pool[a.codes[ar]] == b.pool[b.codes[br]]
        case .stringList: return a.lists[ar].map { a.pool[$0] } == b.lists[br].map { b.pool[$0] }
        case .reference(let target):
            let ai = aStore.table(target).column("id")?.string(Int(a.codes[ar]))
            let bi = bStore.table(target).column("id")?.string(Int(b.codes[br]))
            return ai == bi
        }
    }
}
