// Changes to a portfolio as values: a checked plan of rows and fields with their old and new values
// (what `update`, `insert` and `delete` produce in the language and what an import's differences
// are), and the journal's entries. Hosts apply a plan to a workspace in one transaction and journal
// it; nothing here writes anything.
import PMOBase

/// One stored value of a field, as a change carries it.
public enum CellValue: Hashable, Sendable {
    case none
    /// id, string, enumeration case name, or a list joined by `;`.
    case text(String)
    /// int, duration (days), bool (0/1), money, percent and hours (`Fixed.units`).
    case int(Int64)
    case real(Double)
    case date(Day)
    /// A reference: the related entity's id.
    case reference(String)

    public var isNone: Bool { self == .none }

    /// The value of `row` in a column of `store` (references as the related entity's id).
    public static func of(_ c: Column, _ row: Int, _ store: PortfolioStore) -> CellValue {
        if c.isNone(row) { return .none }
        switch c.field.type {
        case .id, .string: return c.string(row).map(CellValue.text) ?? .none
        case .int, .money, .percent, .hours, .duration: return .int(c.ints[row])
        case .real: return .real(c.reals[row])
        case .bool: return .int(Int64(c.smalls[row]))
        case .date: return .date(Day(raw: c.codes[row]))
        case .enumeration(let e):
            let i = Int(c.smalls[row])
            return i < e.cases.count ? .text(e.cases[i]) : .none
        case .reference(let target):
            let r = Int(c.codes[row])
            guard r >= 0, r < store.table(target).count, let id = store.table(target).column("id")?.string(r) else { return .none }
            return .reference(id)
        case .stringList: return .text(c.lists[row].map { c.pool[$0] }.joined(separator: ";"))
        }
    }

    /// The value as a CSV cell of the import format (nil for none): what the journal's `old` and
    /// `new` hold. Money `1500000.5`, percent `0.85`, duration `14d`, bool `true`, dates ISO.
    public func text(_ type: FieldType) -> String? {
        switch self {
        case .none: return nil
        case .text(let s), .reference(let s): return s
        case .real(let x): return String(x)
        case .date(let d): return d.description
        case .int(let n):
            switch type {
            case .money, .percent, .hours:
                var w = CSVWriter()
                w.fixed(n)
                return String(decoding: w.take(), as: UTF8.self)
            case .duration: return String(n) + "d"
            case .bool: return n != 0 ? "true" : "false"
            default: return String(n)
            }
        }
    }

    /// Reads a journal text back as a value of `type` (nil when it is not one).
    public static func parse(_ text: String?, _ type: FieldType) -> CellValue? {
        guard let text else { return CellValue.none }
        switch type {
        case .id, .string, .stringList: return .text(text)
        case .enumeration(let e): return e.cases.contains(text) ? .text(text) : nil
        case .reference: return .reference(text)
        case .int: return Int64(text).map(CellValue.int)
        case .money, .percent, .hours: return Fixed(parsing: Substring(text)).map { .int($0.units) }
        case .duration: return text.hasSuffix("d") ? Int64(text.dropLast()).map(CellValue.int) : Int64(text).map(CellValue.int)
        case .bool: return text == "true" ? .int(1) : text == "false" ? .int(0) : nil
        case .real: return Double(text).map(CellValue.real)
        case .date: return Day(iso: Substring(text)).map(CellValue.date)
        }
    }
}

/// One field's change in a planned row.
public struct FieldChange: Hashable, Sendable {
    public var field: String
    public var old: CellValue
    public var new: CellValue
    public init(field: String, old: CellValue, new: CellValue) { self.field = field; self.old = old; self.new = new }
}

/// A row a plan changes: its key (the id, or the natural key's fields) and its field changes.
public struct PlannedRow: Sendable {
    /// The entity as the journal names it (`PRJ-0042`; `RES-001,PRJ-0001,2026-01-05` for a timesheet).
    public var entity: String
    /// The key fields and their values (`id`, or a set's natural key).
    public var key: [FieldChange]
    /// Update: the fields that change (old differs from new); insert: every field given (old none);
    /// delete: every field (new none).
    public var changes: [FieldChange]
    public init(entity: String, key: [FieldChange], changes: [FieldChange]) {
        self.entity = entity; self.key = key; self.changes = changes
    }
}

/// A checked change of one entity set, ready to apply and journal.
public struct ChangePlan: Sendable {
    public enum Action: String, Sendable { case update, insert, delete }
    public var kind: EntityKind
    public var action: Action
    public var rows: [PlannedRow]
    public var reason: String
    public var effective: Day
    /// Where the change comes from: `prompt`, `script FILE`, `import FILE`.
    public var source: String

    public init(kind: EntityKind, action: Action, rows: [PlannedRow], reason: String, effective: Day, source: String) {
        self.kind = kind; self.action = action; self.rows = rows; self.reason = reason
        self.effective = effective; self.source = source
    }

    /// `update projects: 2 rows (status)`, for messages and confirmations.
    public var summary: String {
        var fields: [String] = []
        for r in rows { for c in r.changes where !fields.contains(c.field) { fields.append(c.field) } }
        let n = rows.count == 1 ? "1 row" : "\(rows.count) rows"
        let what = action == .update && !fields.isEmpty ? " (" + fields.joined(separator: ", ") + ")" : ""
        return "\(action.rawValue) \(kind.setName): \(n)\(what)"
    }

    /// The journal's name for an entity of `kind` with the given key values.
    public static func entityName(_ kind: EntityKind, _ key: [FieldChange]) -> String {
        let schema = Catalog.schemas[kind.rawValue]
        let texts = key.map { k in schema.fieldIndex(k.field).flatMap { k.old.text(schema.fields[$0].type) } ?? "" }
        if texts.count == 1 { return texts[0] }
        var w = CSVWriter()
        for t in texts { w.text(t) }
        return String(decoding: w.take(), as: UTF8.self)
    }
}

/// One entry of the journal: a field of an entity changed (`field` is `*` for a row inserted, whose
/// `new` is the whole row as a CSV record, or deleted, whose `old` is).
public struct JournalEntry: Hashable, Sendable {
    public var seq: Int64
    public var batch: Int64
    public var set: String
    public var entity: String
    public var field: String
    public var old: String?
    public var new: String?
    public var effective: Day
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var recorded: String
    public var by: String
    public var source: String
    public var reason: String

    public init(seq: Int64, batch: Int64, set: String, entity: String, field: String, old: String?, new: String?,
                effective: Day, recorded: String, by: String, source: String, reason: String) {
        self.seq = seq; self.batch = batch; self.set = set; self.entity = entity; self.field = field
        self.old = old; self.new = new; self.effective = effective; self.recorded = recorded
        self.by = by; self.source = source; self.reason = reason
    }

    /// The field name of row entries (inserted or deleted rows).
    public static let rowField = "*"
}
