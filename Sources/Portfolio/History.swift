// The portfolio as it stood at the end of a day, from the current portfolio and the journal: rows
// inserted after the day are left out, rows deleted after it come back (from the record their
// delete entry keeps), and every field journalled after it takes the value it had then. By effective
// date: a field's value at the end of D is the `new` of its last entry effective on or before D, else
// the `old` of its first entry effective after D, else its value now.
import PMOBase

/// The journal's entries grouped for lookups by set, entity and field.
public final class JournalIndex: @unchecked Sendable {
    /// Entries in (effective, seq) order.
    public let entries: [JournalEntry]
    /// set → entity → field → indexes into `entries`, in (effective, seq) order.
    private var byKey: [String: [String: [String: [Int]]]] = [:]
    /// The day the journal began, if known.
    public let start: Day?

    public init(_ entries: [JournalEntry], start: Day? = nil) {
        self.entries = entries.sorted { ($0.effective, $0.seq) < ($1.effective, $1.seq) }
        self.start = start
        for (i, e) in self.entries.enumerated() { byKey[e.set, default: [:]][e.entity, default: [:]][e.field, default: []].append(i) }
    }

    /// The entries of one field of one entity (`*` for its row entries), in (effective, seq) order.
    public func entries(_ set: String, _ entity: String, _ field: String) -> [JournalEntry] {
        (byKey[set]?[entity]?[field] ?? []).map { entries[$0] }
    }

    /// Every entry of one entity (all fields and its row entries), in (effective, seq) order.
    public func entries(forEntity set: String, _ entity: String) -> [JournalEntry] {
        (byKey[set]?[entity]?.values.flatMap { $0 } ?? []).sorted().map { entries[$0] }
    }

    /// The entities of a set with an entry effective after `day`.
    public func entitiesChanged(_ set: String, after day: Day) -> [String] {
        guard let m = byKey[set] else { return [] }
        return m.compactMap { entity, fields in
            fields.values.contains { $0.contains { entries[$0].effective > day } } ? entity : nil
        }.sorted()
    }

    /// The value (CSV cell text, nil for none) a field had at the end of `day`, or `.unknown` when the
    /// journal says nothing about it after `day` (its value now holds).
    public enum Held: Equatable { case value(String?), unknown }

    public func value(_ set: String, _ entity: String, _ field: String, at day: Day) -> Held {
        let list = byKey[set]?[entity]?[field] ?? []
        guard let firstAfter = list.firstIndex(where: { entries[$0].effective > day }) else { return .unknown }
        if firstAfter > 0 { return .value(entries[list[firstAfter - 1]].new) }
        return .value(entries[list[firstAfter]].old)
    }

    /// Every set with entries.
    public var sets: [String] { Array(byKey.keys) }
}

public enum History {
    /// The portfolio as it stood at the end of `day`: `store` itself when nothing in the journal is
    /// effective after `day`, else a new store loaded from the rows as they were.
    public static func store(_ store: PortfolioStore, journal: JournalIndex, at day: Day) throws(LoadError) -> PortfolioStore {
        let affected = EntityKind.allCases.map { journal.entitiesChanged($0.setName, after: day) }
        if affected.allSatisfy(\.isEmpty) { return store }
        // Straight from today's columns (HistoryStore.swift); through CSV text only when a journal value
        // is one that builder cannot read.
        if let past = direct(store, journal, affected, at: day) { return past }
        return try throughText(store, journal: journal, at: day)
    }

    /// The same through CSV text and the loader (every set written out and read back): slower, reads
    /// whatever the loader reads. The tests hold the two to the same result.
    public static func throughText(_ store: PortfolioStore, journal: JournalIndex, at day: Day) throws(LoadError) -> PortfolioStore {
        let affected = EntityKind.allCases.map { journal.entitiesChanged($0.setName, after: day) }
        if affected.allSatisfy(\.isEmpty) { return store }
        var sources: [CSVSource] = []
        for k in EntityKind.allCases {
            let t = store.table(k)
            let changed = Set(affected[k.rawValue])
            var w = CSVWriter(capacity: t.count * 48 + 256)
            TableCSV.write(store, k, rows: [], into: &w)
            if changed.isEmpty {
                TableCSV.write(store, k, header: false, into: &w)
                sources.append(CSVSource(kind: k, name: "\(k.setName) as of \(day)", bytes: w.bytes))
                continue
            }
            let keyNames = keyFields(k)
            let keyIdx = keyNames.compactMap { t.schema.fieldIndex($0) }
            let idColumns: [Column?] = t.schema.fields.map { f in
                guard case .reference(let target) = f.type else { return nil }
                return store.table(target).column("id")
            }
            if linesRepeat(k) {
                lines(store, journal, k, changed, keyIdx, idColumns, day, &w)
                sources.append(CSVSource(kind: k, name: "\(k.setName) as of \(day)", bytes: w.bytes))
                continue
            }
            var present = Set<String>()
            for r in 0..<t.count {
                let entity = name(store, k, r, keyIdx)
                guard changed.contains(entity) else {
                    for (i, c) in t.columns.enumerated() { TableCSV.cell(c, r, idColumns[i], &w) }
                    w.endRow()
                    continue
                }
                present.insert(entity)
                guard exists(journal, k, entity, at: day, now: true) else { continue }
                var cells: [String?] = []
                for (i, c) in t.columns.enumerated() {
                    var one = CSVWriter(capacity: 32)
                    TableCSV.cell(c, r, idColumns[i], &one)
                    cells.append(text(of: one))
                }
                row(journal, k, entity, cells, day, &w)
            }
            for entity in affected[k.rawValue] where !present.contains(entity) {
                guard exists(journal, k, entity, at: day, now: false),
                      let record = journal.entries(k.setName, entity, JournalEntry.rowField).last(where: { $0.old != nil || $0.new != nil }),
                      let cells = fields(record.old ?? record.new ?? "", count: t.schema.fields.count) else { continue }
                row(journal, k, entity, cells, day, &w)
            }
            sources.append(CSVSource(kind: k, name: "\(k.setName) as of \(day)", bytes: w.bytes))
        }
        let settings = PortfolioLoader.Settings(currency: store.currency, fiscalYearStart: store.fiscalYearStartMonth,
                                                statusDate: store.statusDate, green: store.thresholds.green,
                                                amber: store.thresholds.amber)
        return try PortfolioLoader.load(sources: sources, settings: settings)
    }

    /// The sets whose lines may repeat a key (timesheets, allocations): an import journals them a key
    /// at a time (a row entry holding the key's lines before and after, one record per line).
    public static func linesRepeat(_ k: EntityKind) -> Bool { k == .timesheet || k == .allocation }

    /// A set whose lines may repeat a key: the lines of each key changed after `day` are worked back
    /// from today's through its entries after `day`, latest first (a row entry restores the lines its
    /// `old` holds, a field entry, made on a key of one line, restores that field).
    static func lines(_ store: PortfolioStore, _ journal: JournalIndex, _ k: EntityKind, _ changed: Set<String>,
                      _ keyIdx: [Int], _ idColumns: [Column?], _ day: Day, _ w: inout CSVWriter) {
        let t = store.table(k)
        let fields = t.schema.fields
        var now: [String: [[String?]]] = [:]
        for r in 0..<t.count {
            let entity = name(store, k, r, keyIdx)
            guard changed.contains(entity) else {
                for (i, c) in t.columns.enumerated() { TableCSV.cell(c, r, idColumns[i], &w) }
                w.endRow()
                continue
            }
            var cells: [String?] = []
            for (i, c) in t.columns.enumerated() {
                var one = CSVWriter(capacity: 32)
                TableCSV.cell(c, r, idColumns[i], &one)
                cells.append(text(of: one))
            }
            now[entity, default: []].append(cells)
        }
        for entity in changed.sorted() {
            var lines = now[entity] ?? []
            for e in journal.entries(forEntity: k.setName, entity).reversed() where e.effective > day {
                if e.field == JournalEntry.rowField {
                    lines = records(e.old, count: fields.count)
                } else if let fi = fields.firstIndex(where: { $0.name == e.field }) {
                    for i in lines.indices { lines[i][fi] = e.old }
                }
            }
            for cells in lines {
                for v in cells { if let v, !v.isEmpty { w.text(v) } else { w.none() } }
                w.endRow()
            }
        }
    }

    /// The lines a row entry of a set whose lines repeat a key holds (none for none).
    static func records(_ text: String?, count: Int) -> [[String?]] {
        guard let text else { return [] }
        let reader = CSVReader(bytes: Array(text.utf8))
        var out: [[String?]] = []
        var cells: [CSVCell] = []
        while (try? reader.nextRecord(into: &cells)) == true {
            guard cells.count == count else { continue }
            out.append(cells.map { let s = reader.string(of: $0); return s.isEmpty ? nil : s })
        }
        return out
    }

    /// Whether an entity existed at the end of `day` (`now`: whether it exists now).
    static func exists(_ journal: JournalIndex, _ k: EntityKind, _ entity: String, at day: Day, now: Bool) -> Bool {
        switch journal.value(k.setName, entity, JournalEntry.rowField, at: day) {
        case .unknown: return now
        case .value(let v): return v != nil
        }
    }

    /// Writes one row: `cells` (now, or from its record) with every journalled field as it was at `day`.
    static func row(_ journal: JournalIndex, _ k: EntityKind, _ entity: String, _ cells: [String?], _ day: Day, _ w: inout CSVWriter) {
        let fields = Catalog.schemas[k.rawValue].fields
        for (i, f) in fields.enumerated() {
            var v = i < cells.count ? cells[i] : nil
            if case .value(let then) = journal.value(k.setName, entity, f.name, at: day) { v = then }
            if let v, !v.isEmpty { w.text(v) } else { w.none() }
        }
        w.endRow()
    }

    static func text(of w: CSVWriter) -> String? {
        let b = w.bytes
        if b.isEmpty { return nil }
        let reader = CSVReader(bytes: b)
        var cells: [CSVCell] = []
        guard (try? reader.nextRecord(into: &cells)) == true, let c = cells.first else { return nil }
        let s = reader.string(of: c)
        return s.isEmpty ? nil : s
    }

    /// The cells of a row entry's record.
    static func fields(_ record: String, count: Int) -> [String?]? {
        let reader = CSVReader(bytes: Array(record.utf8))
        var cells: [CSVCell] = []
        guard (try? reader.nextRecord(into: &cells)) == true, cells.count == count else { return nil }
        return cells.map { let s = reader.string(of: $0); return s.isEmpty ? nil : s }
    }

    /// The journal's name of row `r` of `k` (its id, or its natural key as a CSV record).
    public static func name(_ store: PortfolioStore, _ k: EntityKind, _ r: Int, _ keyIdx: [Int]) -> String {
        let t = store.table(k)
        if keyIdx.count == 1, t.schema.fields[keyIdx[0]].type == .id { return t.column(at: keyIdx[0]).string(r) ?? "" }
        let key = keyIdx.map { i -> FieldChange in
            let v = CellValue.of(t.column(at: i), r, store)
            return FieldChange(field: t.schema.fields[i].name, old: v, new: v)
        }
        return ChangePlan.entityName(k, key)
    }

    /// The fields that name an entity of `k`: its id, or its natural key.
    public static func keyFields(_ k: EntityKind) -> [String] {
        switch k {
        case .dependency: return ["from", "to"]
        case .allocation: return ["resource", "project", "start", "finish"]
        case .timesheet: return ["resource", "project", "week"]
        case .statusReport: return ["project", "as_of"]
        case .gate: return ["project", "gate"]
        case .holiday: return ["date"]
        default: return ["id"]
        }
    }
}
