// The portfolio loaded into an in-memory SQLite database, column for column, with the exact integer
// representation pmo uses (money, percent and hours in 1/10000 units, dates as day numbers, enumerated
// values as their codes, references as row numbers), so that answers compare exactly.
import GRDB
import PMOBase
import Portfolio

struct SQLMirror {
    let db: DatabaseQueue

    /// The entity sets the fuzzer queries, and their tables' names in SQL.
    static let kinds: [EntityKind] = [.program, .project, .milestone, .task, .allocation, .risk, .issue, .person, .resource]

    static func table(_ k: EntityKind) -> String { "t_" + k.setName }

    init(_ store: PortfolioStore) throws {
        db = try DatabaseQueue()
        try db.write { db in
            for k in SQLMirror.kinds {
                let t = store.table(k)
                let fields = t.schema.fields.filter { $0.type != .stringList && $0.type != .real }
                let cols = ["_row INTEGER PRIMARY KEY"] + fields.map { "\"\($0.name)\"" }
                try db.execute(sql: "CREATE TABLE \(SQLMirror.table(k)) (\(cols.joined(separator: ", ")))")
                let placeholders = Array(repeating: "?", count: fields.count + 1).joined(separator: ", ")
                let insert = try db.makeStatement(sql: "INSERT INTO \(SQLMirror.table(k)) VALUES (\(placeholders))")
                let columns = fields.map { f in t.columns[t.schema.fieldIndex(f.name) ?? 0] }
                for r in 0..<t.count {
                    var values: [DatabaseValueConvertible?] = [Int64(r)]
                    for c in columns { values.append(SQLMirror.cell(c, r)) }
                    try insert.execute(arguments: StatementArguments(values))
                }
            }
        }
    }

    static func cell(_ c: Portfolio.Column, _ r: Int) -> DatabaseValueConvertible? {
        switch c.field.type {
        case .id, .string: return c.string(r)
        case .int, .money, .percent, .hours, .duration: return c.nulls.isNone(r) ? nil : c.ints[r]
        case .date: return c.nulls.isNone(r) ? nil : Int64(c.codes[r])
        case .bool, .enumeration: return c.smalls[r] == Portfolio.Column.noneSmall ? nil : Int64(c.smalls[r])
        case .reference: return c.codes[r] < 0 ? nil : Int64(c.codes[r])
        case .real: return c.nulls.isNone(r) ? nil : c.reals[r]
        case .stringList: return nil
        }
    }

    /// The rows of a query, each cell in canonical text (`NULL` for none).
    func rows(_ sql: String) throws -> [[String]] {
        try db.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                (0..<row.count).map { i -> String in
                    let v: DatabaseValue = row[i]
                    switch v.storage {
                    case .null: return "NULL"
                    case .int64(let n): return String(n)
                    case .double(let d): return String(d)
                    case .string(let s): return s
                    case .blob: return "BLOB"
                    }
                }
            }
        }
    }
}
