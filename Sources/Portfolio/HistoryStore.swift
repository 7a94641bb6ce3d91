// The portfolio as it stood at the end of a day, built straight from today's columns and the journal
// (no text round trip): sets the journal says nothing about after the day are today's tables, shared;
// a set with entries after the day is rebuilt from today's rows (those that existed then) with the
// fields the journal gives, followed by the rows deleted since (from their records); a set whose
// rows refer to a rebuilt set that lost rows gets its references renumbered. Timesheets and
// allocations are worked back a key at a time (History.lines). A value this builder cannot read
// (`nil` from `direct`) sends the caller to the text path, which reads anything the loader reads.
import PMOBase

extension History {
    /// Where a row of a rebuilt set comes from.
    enum RowSource {
        /// Today's row, with the journal's values of some fields (field index → CSV cell text).
        case now(Int, [Int: String?])
        /// A row deleted since: its record's cells.
        case record([String?])
    }

    /// The store as it stood at the end of `day`, or nil when a journal value cannot be read here.
    static func direct(_ store: PortfolioStore, _ journal: JournalIndex, _ affected: [[String]], at day: Day) -> PortfolioStore? {
        let kinds = EntityKind.allCases
        var plans: [[RowSource]?] = Array(repeating: nil, count: kinds.count)
        // Old row → new row of each rebuilt set (nil: every row keeps its index).
        var renumber: [[Int32]?] = Array(repeating: nil, count: kinds.count)
        for k in kinds where !affected[k.rawValue].isEmpty {
            guard let plan = rows(store, journal, k, Set(affected[k.rawValue]), at: day) else { return nil }
            plans[k.rawValue] = plan
            let n = store.table(k).count
            var map = [Int32](repeating: -1, count: n)
            var kept = 0
            for (i, s) in plan.enumerated() { if case .now(let r, _) = s { map[r] = Int32(i); kept += 1 } }
            if kept != n || plan.prefix(kept).enumerated().contains(where: { i, s in if case .now(let r, _) = s { return r != i }; return true }) {
                renumber[k.rawValue] = map
            }
        }
        // The id → new row index of a rebuilt set, for references in records and journal values.
        var newIDs: [[String: Int32]?] = Array(repeating: nil, count: kinds.count)
        func ids(_ k: EntityKind) -> [String: Int32] {
            if let m = newIDs[k.rawValue] { return m }
            var m: [String: Int32] = [:]
            if let plan = plans[k.rawValue] {
                let idIdx = store.table(k).schema.fieldIndex("id")
                for (i, s) in plan.enumerated() {
                    switch s {
                    case .now(let r, _): if let id = store.table(k).column("id")?.string(r) { m[id] = Int32(i) }
                    case .record(let cells): if let x = idIdx, x < cells.count, let id = cells[x] { m[id] = Int32(i) }
                    }
                }
            } else {
                m = store.idIndex(k)
            }
            newIDs[k.rawValue] = m
            return m
        }
        var tables: [EntityTable] = []
        for k in kinds {
            let t = store.table(k)
            let refsMoved = t.schema.fields.contains { f in
                if case .reference(let target) = f.type { return renumber[target.rawValue] != nil }
                return false
            }
            if plans[k.rawValue] == nil && !refsMoved { tables.append(t); continue }
            let plan = plans[k.rawValue] ?? (0..<t.count).map { RowSource.now($0, [:]) }
            let out = EntityTable(kind: k)
            out.count = plan.count
            for (fi, f) in t.schema.fields.enumerated() {
                guard build(out.column(at: fi), from: t.column(at: fi), f, plan, fi, renumber, ids) else { return nil }
            }
            tables.append(out)
        }
        let past = PortfolioStore(tables: tables, currency: store.currency)
        past.fiscalYearStartMonth = store.fiscalYearStartMonth
        past.thresholds = store.thresholds
        past.statusDate = store.statusDate
        past.criticalFloat = store.criticalFloat
        return past
    }

    /// The rows of a set with entries after `day`: today's that existed then (with the journal's
    /// values), then those deleted since; nil when a record cannot be read.
    static func rows(_ store: PortfolioStore, _ journal: JournalIndex, _ k: EntityKind, _ changed: Set<String>, at day: Day) -> [RowSource]? {
        let t = store.table(k)
        let fields = t.schema.fields
        let keyIdx = keyFields(k).compactMap { t.schema.fieldIndex($0) }
        var out: [RowSource] = []
        out.reserveCapacity(t.count)
        if linesRepeat(k) {
            // A key at a time: its lines then are new rows (records), worked back from today's.
            var now: [String: [[String?]]] = [:]
            for r in 0..<t.count {
                let entity = name(store, k, r, keyIdx)
                guard changed.contains(entity) else { out.append(.now(r, [:])); continue }
                now[entity, default: []].append(cells(store, k, r))
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
                out += lines.map(RowSource.record)
            }
            return out
        }
        var present = Set<String>()
        for r in 0..<t.count {
            let entity = name(store, k, r, keyIdx)
            guard changed.contains(entity) else { out.append(.now(r, [:])); continue }
            present.insert(entity)
            guard exists(journal, k, entity, at: day, now: true) else { continue }
            var then: [Int: String?] = [:]
            for (fi, f) in fields.enumerated() {
                if case .value(let v) = journal.value(k.setName, entity, f.name, at: day) { then[fi] = v }
            }
            out.append(.now(r, then))
        }
        for entity in changed.sorted() where !present.contains(entity) {
            guard exists(journal, k, entity, at: day, now: false) else { continue }
            guard let record = journal.entries(k.setName, entity, JournalEntry.rowField).last(where: { $0.old != nil || $0.new != nil }),
                  var cells = History.fields(record.old ?? record.new ?? "", count: fields.count) else { return nil }
            for (fi, f) in fields.enumerated() {
                if case .value(let v) = journal.value(k.setName, entity, f.name, at: day) { cells[fi] = v }
            }
            out.append(.record(cells))
        }
        return out
    }

    /// Row `r` as CSV cell texts (what a record holds).
    static func cells(_ store: PortfolioStore, _ k: EntityKind, _ r: Int) -> [String?] {
        let t = store.table(k)
        return t.schema.fields.indices.map { fi in CellValue.of(t.column(at: fi), r, store).text(t.schema.fields[fi].type) }
    }

    /// Fills column `out` of a rebuilt table; false when a text cannot be read as the field's type.
    static func build(_ out: Column, from c: Column, _ f: FieldDef, _ plan: [RowSource], _ fi: Int,
                      _ renumber: [[Int32]?], _ ids: (EntityKind) -> [String: Int32]) -> Bool {
        var targetMap: [Int32]?
        var target: EntityKind?
        // Today's strings keep their codes; a string from the journal is added after them.
        switch f.type {
        case .id, .string, .stringList: out.pool.assign(c.pool.strings)
        default: break
        }
        if case .reference(let tk) = f.type { target = tk; targetMap = renumber[tk.rawValue] }
        for (row, s) in plan.enumerated() {
            var text: String??
            var r = -1
            switch s {
            case .now(let rr, let then):
                r = rr
                if let v = then[fi] { text = .some(v) }
            case .record(let cells):
                text = .some(fi < cells.count ? cells[fi] : nil)
            }
            if let text {
                guard let v = CellValue.parse(text, f.type) else { return false }
                guard set(out, row, v, f, target.map(ids)) else { return false }
                continue
            }
            // Today's value, its reference renumbered when the referenced set was rebuilt.
            switch f.type {
            case .int, .money, .percent, .hours, .duration:
                out.ints.append(c.ints[r]); if c.nulls.isNone(r) { out.nulls.setNone(row) }
            case .real:
                out.reals.append(c.reals[r]); if c.nulls.isNone(r) { out.nulls.setNone(row) }
            case .date:
                out.codes.append(c.codes[r]); if c.nulls.isNone(r) { out.nulls.setNone(row) }
            case .bool, .enumeration: out.smalls.append(c.smalls[r])
            case .id, .string: out.codes.append(c.codes[r])
            case .stringList: out.lists.append(c.lists[r])
            case .reference:
                let code = c.codes[r]
                if let m = targetMap { out.codes.append(code >= 0 && Int(code) < m.count ? m[Int(code)] : -1) } else { out.codes.append(code) }
            }
        }
        return true
    }

    /// Appends value `v` as row `row` of `out`.
    static func set(_ out: Column, _ row: Int, _ v: CellValue, _ f: FieldDef, _ ids: [String: Int32]?) -> Bool {
        switch (f.type, v) {
        case (.int, .none), (.money, .none), (.percent, .none), (.hours, .none), (.duration, .none):
            out.ints.append(0); out.nulls.setNone(row)
        case (.real, .none): out.reals.append(0); out.nulls.setNone(row)
        case (.date, .none): out.codes.append(0); out.nulls.setNone(row)
        case (.bool, .none), (.enumeration, .none): out.smalls.append(Column.noneSmall)
        case (.id, .none), (.string, .none), (.reference, .none): out.codes.append(-1)
        case (.stringList, .none): out.lists.append([])
        case (.int, .int(let n)), (.money, .int(let n)), (.percent, .int(let n)), (.hours, .int(let n)), (.duration, .int(let n)):
            out.ints.append(n)
        case (.bool, .int(let n)): out.smalls.append(n != 0 ? 1 : 0)
        case (.real, .real(let x)): out.reals.append(x)
        case (.date, .date(let d)): out.codes.append(d.raw)
        case (.enumeration(let e), .text(let s)):
            guard let i = e.cases.firstIndex(of: s) else { return false }
            out.smalls.append(UInt8(i))
        case (.id, .text(let s)), (.string, .text(let s)): out.codes.append(out.pool.intern(s))
        case (.stringList, .text(let s)): out.lists.append(s.split(separator: ";").map { out.pool.intern(String($0)) })
        case (.reference, .reference(let id)):
            guard let r = ids?[id] else { return false }
            out.codes.append(r)
        default: return false
        }
        return true
    }
}
