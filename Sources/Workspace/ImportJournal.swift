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
    /// Journals the differences of `batches` (rows of `merged`) from `base`; returns the batch, or nil
    /// when nothing differs.
    @discardableResult
    static func record(_ db: Database, base: PortfolioStore, merged: PortfolioStore, batches: [RowBatch],
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
            let bt = base.table(k), mt = merged.table(k)
            let schema = mt.schema
            let keyNames = WorkspaceSchema.naturalKey(k)
            let keyIdx = keyNames.compactMap { schema.fieldIndex($0) }
            // Rows imported into a set that was empty are its starting point, not changes: a
            // workspace's first import records nothing (so `as of` an earlier day still shows them).
            if bt.count == 0 { continue }
            let index = keyIndex(base, k, keyIdx)
            for r in b.rows {
                let entity = name(merged, k, r, keyIdx)
                guard let br = index[entity] else {
                    var w = CSVWriter(capacity: 256)
                    TableCSV.write(merged, k, rows: [Int32(r)], header: false, into: &w)
                    var text = String(decoding: w.take(), as: UTF8.self)
                    if text.hasSuffix("\n") { text.removeLast() }
                    try journal().append(set: k.setName, entity: entity, field: JournalEntry.rowField, old: nil, new: text)
                    continue
                }
                for fi in schema.fields.indices where b.present[fi] && !keyIdx.contains(fi) {
                    let mc = mt.column(at: fi), bc = bt.column(at: fi)
                    if same(bc, Int(br), base, mc, r, merged) { continue }
                    let t = schema.fields[fi].type
                    try journal().append(set: k.setName, entity: entity, field: schema.fields[fi].name,
                                         old: CellValue.of(bc, Int(br), base).text(t), new: CellValue.of(mc, r, merged).text(t))
                }
            }
        }
        return appender?.batch
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
