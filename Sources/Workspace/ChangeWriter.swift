// Applying a change plan (`update`, `insert`, `delete` in the language) to the workspace in one
// transaction, journalled as one batch; and `undo`, which writes a batch's inverse as a new batch.
// Every old value of a plan is compared with the workspace's before anything is written, so a change
// planned on data that another process has changed since is refused instead of overwriting it.
import GRDB
import PMOBase
import Portfolio

extension Workspace {
    /// Applies a checked plan in one transaction and journals it; returns the batch number.
    @discardableResult
    public func apply(_ plan: ChangePlan, stamp: JournalStamp) throws(WorkspaceError) -> Int64 {
        try write { db in
            try DataGeneration.changing(db) {
                let batch = try Journal.newBatch(db, effective: plan.effective, stamp: stamp, source: plan.source, reason: plan.reason)
                let journal = try Journal.Appender(db, batch: batch, effective: plan.effective, stamp: stamp,
                                                   source: plan.source, reason: plan.reason)
                let w = ChangeWriter(db: db, kind: plan.kind)
                for row in plan.rows { try w.apply(plan.action, row, journal) }
                return batch
            }
        }
    }

    /// Reverts a batch by writing its inverse as a new batch (journalled with `undoes`); refuses when
    /// a value the batch wrote has changed since. Returns the new batch and what it reverted.
    public func undo(batch: Int64, stamp: JournalStamp, source: String) throws(WorkspaceError) -> (batch: Int64, summary: String) {
        try write { db in
            try DataGeneration.changing(db) {
                guard let info = try Row.fetchOne(db, sql: "SELECT * FROM journal_batches WHERE batch = ?", arguments: [batch]) else {
                    throw WorkspaceError(.usage, "there is no change \(batch) to undo")
                }
                if try Int64.fetchOne(db, sql: "SELECT batch FROM journal_batches WHERE undoes = ?", arguments: [batch]) != nil {
                    throw WorkspaceError(.usage, "change \(batch) has already been undone")
                }
                let effective = Day(iso: Substring(info["effective"] as String)) ?? Journal.today()
                let reason = "undo of change \(batch): " + (info["reason"] as String)
                let entries = try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE batch = ? ORDER BY seq DESC", arguments: [batch])
                    .map(Journal.entry)
                let newBatch = try Journal.newBatch(db, effective: effective, stamp: stamp, source: source, reason: reason, undoes: batch)
                let journal = try Journal.Appender(db, batch: newBatch, effective: effective, stamp: stamp, source: source, reason: reason)
                var sets: [String] = []
                for e in entries {
                    guard let k = EntityKind(setName: e.set) else { throw WorkspaceError(.corrupt, "the journal names an unknown set '\(e.set)'") }
                    let w = ChangeWriter(db: db, kind: k)
                    try w.apply(try w.inverse(e), try w.key(of: e.entity), journal)
                    if !sets.contains(e.set) { sets.append(e.set) }
                }
                let n = Set(entries.map { $0.set + "\u{1}" + $0.entity }).count
                return (newBatch, "undid change \(batch) (\(n == 1 ? "1 row" : "\(n) rows") of \(sets.joined(separator: ", "))): \(info["reason"] as String)")
            }
        }
    }
}

struct ChangeWriter {
    let db: Database
    let kind: EntityKind
    let schema: EntitySchema
    let table: String

    init(db: Database, kind: EntityKind) {
        self.db = db; self.kind = kind
        schema = Catalog.schemas[kind.rawValue]
        table = WorkspaceSchema.quoted(kind.setName)
    }

    func type(_ field: String) throws -> FieldType {
        guard let i = schema.fieldIndex(field) else { throw WorkspaceError(.usage, "\(kind.setName) have no field '\(field)'") }
        return schema.fields[i].type
    }

    func apply(_ action: ChangePlan.Action, _ row: PlannedRow, _ journal: Journal.Appender) throws {
        try apply((action, row.changes), row.key, journal, entity: row.entity)
    }

    func apply(_ change: (ChangePlan.Action, [FieldChange]), _ key: [FieldChange], _ journal: Journal.Appender, entity: String? = nil) throws {
        let (action, changes) = change
        let name = entity ?? ChangePlan.entityName(kind, key)
        let rid = try find(key)
        switch action {
        case .update:
            guard let rid else { throw WorkspaceError(.usage, "\(kind.singular) '\(name)' is not in the workspace (deleted since?)") }
            for c in changes {
                let t = try type(c.field)
                let now = try current(rid, c.field, t)
                guard now == c.old else {
                    throw WorkspaceError(.usage, "\(c.field) of \(kind.singular) '\(name)' is now \(now.text(t) ?? "none"), "
                                         + "not \(c.old.text(t) ?? "none"): it changed since it was read; nothing was changed")
                }
                try db.execute(sql: "UPDATE \(table) SET \(WorkspaceSchema.quoted(c.field)) = ? WHERE rid = ?",
                               arguments: [try storage(c.new, t), rid])
                try journal.append(set: kind.setName, entity: name, field: c.field, old: c.old.text(t), new: c.new.text(t))
            }
        case .insert:
            if rid != nil { throw WorkspaceError(.usage, "\(kind.singular) '\(name)' already exists") }
            let given = changes.filter { !$0.new.isNone }
            let cols = given.map { WorkspaceSchema.quoted($0.field) }.joined(separator: ", ")
            let args = try given.map { try storage($0.new, type($0.field)) }
            try db.execute(sql: "INSERT INTO \(table) (\(cols)) VALUES (" + given.map { _ in "?" }.joined(separator: ", ") + ")",
                           arguments: StatementArguments(args))
            try journal.append(set: kind.setName, entity: name, field: JournalEntry.rowField, old: nil,
                               new: record(changes.map { ($0.field, $0.new) }))
        case .delete:
            guard let rid else { throw WorkspaceError(.usage, "\(kind.singular) '\(name)' is not in the workspace (deleted since?)") }
            var values: [(String, CellValue)] = []
            for f in schema.fields { values.append((f.name, try current(rid, f.name, f.type))) }
            try db.execute(sql: "DELETE FROM \(table) WHERE rid = ?", arguments: [rid])
            try journal.append(set: kind.setName, entity: name, field: JournalEntry.rowField, old: record(values), new: nil)
        }
    }

    /// The change that reverts a journal entry.
    func inverse(_ e: JournalEntry) throws -> (ChangePlan.Action, [FieldChange]) {
        if e.field == JournalEntry.rowField {
            if let new = e.new, e.old == nil { return (.delete, try fields(of: new).map { FieldChange(field: $0.0, old: $0.1, new: .none) }) }
            if let old = e.old, e.new == nil { return (.insert, try fields(of: old).map { FieldChange(field: $0.0, old: .none, new: $0.1) }) }
            throw WorkspaceError(.corrupt, "a journal row entry of \(e.set) '\(e.entity)' has both an old and a new row")
        }
        let t = try type(e.field)
        guard let old = CellValue.parse(e.old, t), let new = CellValue.parse(e.new, t) else {
            throw WorkspaceError(.corrupt, "the journal holds a value \(e.field) cannot have (\(e.set) '\(e.entity)')")
        }
        return (.update, [FieldChange(field: e.field, old: new, new: old)])
    }

    /// The key fields of the entity a journal entry names.
    func key(of entity: String) throws -> [FieldChange] {
        let names = WorkspaceSchema.naturalKey(kind)
        let texts: [String?]
        if names.count == 1 {
            texts = [entity]
        } else {
            let reader = CSVReader(bytes: Array(entity.utf8))
            var cells: [CSVCell] = []
            guard (try? reader.nextRecord(into: &cells)) == true, cells.count == names.count else {
                throw WorkspaceError(.corrupt, "the journal names a \(kind.singular) '\(entity)' that is not a key")
            }
            texts = cells.map { let s = reader.string(of: $0); return s.isEmpty ? nil : s }
        }
        return try zip(names, texts).map { n, t in
            guard let v = CellValue.parse(t, try type(n)) else { throw WorkspaceError(.corrupt, "the journal names a \(kind.singular) '\(entity)' that is not a key") }
            return FieldChange(field: n, old: v, new: v)
        }
    }

    /// The rid of the row with the key's values, if there is one.
    func find(_ key: [FieldChange]) throws -> Int64? {
        var conds: [String] = []
        var args: [DatabaseValue] = []
        for k in key {
            conds.append("\(WorkspaceSchema.quoted(k.field)) IS ?")
            args.append(try storage(k.old, type(k.field), mustExist: false))
        }
        let rids = try Int64.fetchAll(db, sql: "SELECT rid FROM \(table) WHERE " + conds.joined(separator: " AND ") + " LIMIT 2",
                                      arguments: StatementArguments(args))
        // Timesheets and allocations may hold several lines of one key (a line per task or per day):
        // a change names a line by its key, so it cannot say which one.
        if rids.count > 1 {
            throw WorkspaceError(.usage, "several \(kind.setName) lines have the key '\(ChangePlan.entityName(kind, key))': a change "
                                 + "names one line by its key and cannot say which; import the key's lines instead (the file's lines replace them)")
        }
        return rids.first
    }

    /// The stored value of one field of a row.
    func current(_ rid: Int64, _ field: String, _ t: FieldType) throws -> CellValue {
        let v = try DatabaseValue.fetchOne(db, sql: "SELECT \(WorkspaceSchema.quoted(field)) FROM \(table) WHERE rid = ?", arguments: [rid]) ?? .null
        return try cell(v, t)
    }

    /// A stored value as a cell value (references as the related id).
    func cell(_ v: DatabaseValue, _ t: FieldType) throws -> CellValue {
        switch v.storage {
        case .null: return .none
        case .int64(let n):
            if case .reference(let target) = t {
                guard let id = try String.fetchOne(db, sql: "SELECT id FROM \(WorkspaceSchema.quoted(target.setName)) WHERE rid = ?", arguments: [n]) else {
                    throw WorkspaceError(.corrupt, "a \(kind.singular) refers to a \(target.singular) that is not there")
                }
                return .reference(id)
            }
            if t == .real { return .real(Double(n)) }
            return .int(n)
        case .double(let x): return .real(x)
        case .string(let s):
            if t == .date {
                guard let d = Day(iso: Substring(s)) else { throw WorkspaceError(.corrupt, "a \(kind.singular) holds '\(s)' where a date belongs") }
                return .date(d)
            }
            return .text(s)
        case .blob: throw WorkspaceError(.corrupt, "a \(kind.singular) holds a blob")
        }
    }

    /// A cell value as stored (a reference becomes the related row's rid).
    func storage(_ v: CellValue, _ t: FieldType, mustExist: Bool = true) throws -> DatabaseValue {
        switch v {
        case .none: return .null
        case .text(let s): return s.databaseValue
        case .int(let n): return n.databaseValue
        case .real(let x): return x.databaseValue
        case .date(let d): return d.description.databaseValue
        case .reference(let id):
            guard case .reference(let target) = t else { return id.databaseValue }
            guard let rid = try Int64.fetchOne(db, sql: "SELECT rid FROM \(WorkspaceSchema.quoted(target.setName)) WHERE id = ?", arguments: [id]) else {
                if !mustExist { return .null }
                throw WorkspaceError(.usage, "there is no \(target.singular) '\(id)'")
            }
            return rid.databaseValue
        }
    }

    /// A row as one CSV record of every field in schema order (what a row entry of the journal holds).
    func record(_ values: [(String, CellValue)]) -> String {
        var w = CSVWriter(capacity: 256)
        for f in schema.fields {
            if let v = values.first(where: { $0.0 == f.name })?.1, let text = v.text(f.type) { w.text(text) } else { w.none() }
        }
        return String(decoding: w.take(), as: UTF8.self)
    }

    /// The fields of a row entry's record.
    func fields(of record: String) throws -> [(String, CellValue)] {
        let reader = CSVReader(bytes: Array(record.utf8))
        var cells: [CSVCell] = []
        guard (try? reader.nextRecord(into: &cells)) == true, cells.count == schema.fields.count else {
            throw WorkspaceError(.corrupt, "a journal row entry of \(kind.setName) is not a record of its fields")
        }
        return try zip(schema.fields, cells).map { f, c in
            let s = reader.string(of: c)
            guard let v = CellValue.parse(s.isEmpty ? nil : s, f.type) else {
                throw WorkspaceError(.corrupt, "a journal row entry of \(kind.setName) holds a value \(f.name) cannot have")
            }
            return (f.name, v)
        }
    }
}
