// Static types of the checker: scalars with units, entities, row sets, tables and lists.
import PMOBase
import Portfolio

/// The type the checker gives an expression. `any` is used where a type cannot be known statically
/// (the `none` literal, parameters of recursive functions); values of type `any` are checked at run time.
public indirect enum VType: Hashable, Sendable, CustomStringConvertible {
    case any
    case bool, int, real, percent, hours, date, duration, period, string
    case money(String)
    case enumeration(EnumType)
    case entity(EntityKind)
    case rows(EntityKind)
    case list(VType)
    /// A computed table. `entity` is set when each row is still an entity with computed columns
    /// added (after `extend`): later stages and a `let` keep every field and relationship.
    case table([TableColumn], entity: EntityKind? = nil)
    case record

    public var description: String {
        switch self {
        case .any: return "any value"
        case .bool: return "bool"
        case .int: return "integer"
        case .real: return "number"
        case .percent: return "percentage"
        case .hours: return "hours"
        case .date: return "date"
        case .duration: return "duration"
        case .period: return "period"
        case .string: return "text"
        case .money(let c): return "money (\(c))"
        case .enumeration(let e): return e.name
        case .entity(let k): return k.singular
        case .rows(let k): return "set of \(k.setName)"
        case .list(let t): return "list of \(t)"
        case .table(_, let k?): return "set of \(k.setName) with computed columns"
        case .table: return "table"
        case .record: return "record"
        }
    }

    /// Integer, number or percentage: values that compare and combine as plain numbers.
    var isNumeric: Bool {
        switch self { case .int, .real, .percent: return true; default: return false }
    }

    /// The element type when this type is a collection that aggregates can iterate.
    var elementType: VType? {
        switch self {
        case .rows(let k): return .entity(k)
        case .list(let t): return t
        case .table: return .record
        case .any: return .any
        default: return nil
        }
    }

    /// How a result column of this type is shown.
    var columnKind: ColumnKind {
        switch self {
        case .int, .real: return .number
        case .money: return .money
        case .percent: return .percent
        case .hours: return .hours
        case .date: return .date
        case .duration: return .duration
        case .period: return .period
        case .bool: return .bool
        case .enumeration(let e): return e == EnumType.rag ? .rag : .enumeration
        case .list, .rows: return .list
        default: return .text
        }
    }

    /// The type of a stored field.
    static func of(_ t: FieldType, currency: String) -> VType {
        switch t {
        case .id, .string: return .string
        case .int: return .int
        case .real: return .real
        case .bool: return .bool
        case .money: return .money(currency)
        case .percent: return .percent
        case .hours: return .hours
        case .date: return .date
        case .duration: return .duration
        case .enumeration(let e): return .enumeration(e)
        case .reference(let k): return .entity(k)
        case .stringList: return .list(.string)
        }
    }

    /// The type of a computed field.
    static func of(_ t: ComputedType, currency: String) -> VType {
        switch t {
        case .money: return .money(currency)
        case .real: return .real
        case .percent: return .percent
        case .hours: return .hours
        case .int: return .int
        case .bool: return .bool
        case .date: return .date
        case .duration: return .duration
        case .enumeration(let e): return .enumeration(e)
        case .entity(let k): return .entity(k)
        case .rows(let k): return .rows(k)
        }
    }
}

/// A named, typed column of a computed table.
public struct TableColumn: Hashable, Sendable {
    public var name: String
    public var type: VType
}

/// The shape of rows flowing through a pipeline: entity rows (optionally with extra columns),
/// or table rows; `showEntity` says whether output includes the entity's default columns.
struct RowShape {
    var kind: EntityKind?
    var columns: [TableColumn]
    var showEntity: Bool
    /// After `group by`: each key's printed expression (and column name) → its column index. Inside
    /// the grouped `select`/`aggregate` only these and aggregates may be read (grammar.md, "grouping").
    var groupKeys: [String: Int] = [:]

    static func entity(_ k: EntityKind) -> RowShape { RowShape(kind: k, columns: [], showEntity: true) }

    func columnIndex(_ name: String) -> Int? { columns.lastIndex { $0.name == name } }

    /// Whether the rows are plain entities (no computed columns): the pipeline's value is then a row set.
    var isPlainEntity: Bool { kind != nil && columns.isEmpty && showEntity }
}
