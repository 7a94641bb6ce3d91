// Column-wise storage: typed arrays per field, a none mask, and interned strings.
import PMOBase

/// Dictionary encoding for a string column: each distinct string once, rows hold `Int32` codes.
public final class StringPool: @unchecked Sendable {
    public private(set) var strings: [String] = []
    private var index: [String: Int32] = [:]
    /// Whether `index` holds every string (a pool read from a column cache builds it on first lookup).
    private var indexed = true

    public init() {}

    /// A pool of the given strings in code order; the lookup index is built on first use.
    public init(strings: [String]) {
        self.strings = strings
        indexed = strings.isEmpty
    }

    /// Replaces the pool's strings (code order); the lookup index is built on first use.
    public func assign(_ strings: [String]) {
        self.strings = strings
        index = [:]
        indexed = strings.isEmpty
    }

    private func buildIndex() {
        index.reserveCapacity(strings.count)
        for (i, s) in strings.enumerated() where index[s] == nil { index[s] = Int32(i) }
        indexed = true
    }

    /// The code of `s`, adding it when new.
    public func intern(_ s: String) -> Int32 {
        if !indexed { buildIndex() }
        if let c = index[s] { return c }
        let c = Int32(strings.count)
        strings.append(s)
        index[s] = c
        return c
    }

    /// The code of `s` if it occurs in the column, without adding it.
    public func code(of s: String) -> Int32? {
        if !indexed { buildIndex() }
        return index[s]
    }

    @inlinable public subscript(code: Int32) -> String { strings[Int(code)] }
    public var count: Int { strings.count }
}

/// One bit per row; a set bit means the value is none.
public struct NullMask: Sendable {
    public private(set) var words: [UInt64] = []
    public private(set) var anySet = false

    public init() {}

    public init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    /// A mask from its words (bit `r & 63` of word `r >> 6` set = row r is none).
    public init(words: [UInt64]) {
        self.words = words
        anySet = words.contains { $0 != 0 }
    }

    @inlinable public func isNone(_ row: Int) -> Bool {
        let w = row >> 6
        return w < words.count && (words[w] >> UInt64(row & 63)) & 1 == 1
    }

    public mutating func setNone(_ row: Int) {
        let w = row >> 6
        while words.count <= w { words.append(0) }
        words[w] |= 1 << UInt64(row & 63)
        anySet = true
    }
}

/// The values of one field for every row of an entity table. Exactly one array is used, by field type:
/// - `ints`: int, money, percent, hours (`Fixed.units`), duration (days)
/// - `reals`: real
/// - `codes`: date (`Day.raw`), reference (row index, -1 = none), string and id (pool code, -1 = none)
/// - `smalls`: enumeration code and bool (0/1); `Column.noneSmall` = none
/// - `lists`: string lists (pool codes)
/// `nulls` marks none for `ints`, `reals` and dates.
public final class Column: @unchecked Sendable {
    public static let noneSmall: UInt8 = 255
    public let field: FieldDef
    public var ints: [Int64] = []
    public var reals: [Double] = []
    public var codes: [Int32] = []
    public var smalls: [UInt8] = []
    public var lists: [[Int32]] = []
    public var nulls = NullMask()
    public let pool = StringPool()

    public init(field: FieldDef) { self.field = field }

    /// Whether the value in `row` is none, whatever the field type.
    public func isNone(_ row: Int) -> Bool {
        switch field.type {
        case .int, .money, .percent, .hours, .duration, .real, .date: return nulls.isNone(row)
        case .reference, .string, .id: return codes[row] < 0
        case .enumeration, .bool: return smalls[row] == Column.noneSmall
        case .stringList: return false
        }
    }

    /// The string in `row` of a string or id column, or nil.
    public func string(_ row: Int) -> String? {
        let c = codes[row]
        return c < 0 ? nil : pool[c]
    }
}

/// One entity set stored column-wise; `columns[i]` holds `schema.fields[i]`.
public final class EntityTable: @unchecked Sendable {
    public let kind: EntityKind
    public let schema: EntitySchema
    public var count: Int = 0
    private let storage: [Column]
    /// Fills columns on first use (a column cache); nil once every column is in memory.
    private var filler: ColumnFiller?
    private var filled: [Bool] = []

    public init(kind: EntityKind) {
        self.kind = kind
        schema = Catalog.schemas[kind.rawValue]
        storage = schema.fields.map { Column(field: $0) }
    }

    /// The columns in field order, each filled when first read.
    public var columns: ColumnList { ColumnList(table: self) }

    public func column(_ name: String) -> Column? { schema.fieldIndex(name).map { column(at: $0) } }

    @inline(__always) public func column(at i: Int) -> Column {
        if filler != nil { fill(i) }
        return storage[i]
    }

    /// From now on each column is filled by `filler` the first time it is read.
    public func fillLater(_ filler: ColumnFiller) {
        filled = Array(repeating: false, count: storage.count)
        self.filler = filler
    }

    /// Whether column `i` is in memory.
    public func isFilled(_ i: Int) -> Bool { filler == nil || filled[i] }

    private func fill(_ i: Int) {
        guard let f = filler else { return }
        f.locked {
            guard filler != nil, !filled[i] else { return }
            f.fill(self, column: i, into: storage[i])
            filled[i] = true
            if !filled.contains(false) { filler = nil }
        }
    }
}

/// Fills one column of a table the first time it is read.
public protocol ColumnFiller: AnyObject, Sendable {
    /// Runs `body` under the filler's lock (filling is serialised).
    func locked(_ body: () -> Void)
    /// Fills `column`, the `i`th of `table` (whose `count` is set): with its values, or, when they
    /// cannot be read, with none in every row (the failure is reported by the store's `loadFailure`).
    func fill(_ table: EntityTable, column i: Int, into column: Column)
}

/// A table's columns in field order; reading one fills it.
public struct ColumnList: RandomAccessCollection, Sendable {
    let table: EntityTable
    public var startIndex: Int { 0 }
    public var endIndex: Int { table.schema.fields.count }
    public subscript(_ i: Int) -> Column { table.column(at: i) }
}

/// Compressed adjacency for one to-many relationship: the rows of the target set that point at
/// owner row `r` are `rows[offsets[r] ..< offsets[r + 1]]`, in row order.
public struct AdjacencyIndex: Sendable {
    public var offsets: [Int32]
    public var rows: [Int32]

    public init(offsets: [Int32], rows: [Int32]) { self.offsets = offsets; self.rows = rows }

    /// Builds the index from a reference column (`refs[i]` = owner row of target row i, -1 = none).
    public init(ownerCount: Int, refs: [Int32]) {
        var counts = [Int32](repeating: 0, count: ownerCount + 1)
        for r in refs where r >= 0 && Int(r) < ownerCount { counts[Int(r) + 1] += 1 }
        for i in 0..<ownerCount { counts[i + 1] += counts[i] }
        var fill = counts
        var rows = [Int32](repeating: 0, count: Int(counts[ownerCount]))
        for (i, r) in refs.enumerated() where r >= 0 && Int(r) < ownerCount {
            rows[Int(fill[Int(r)])] = Int32(i)
            fill[Int(r)] += 1
        }
        offsets = counts
        self.rows = rows
    }

    @inlinable public func slice(_ owner: Int32) -> ArraySlice<Int32> {
        let o = Int(owner)
        guard o >= 0, o + 1 < offsets.count else { return [] }
        return rows[Int(offsets[o])..<Int(offsets[o + 1])]
    }
}
