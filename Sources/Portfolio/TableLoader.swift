// Loads one entity set's CSV file into its column-wise table: header mapping, per-type cell parsing
// straight from bytes, id and reference resolution, and precise errors.
import PMOBase

/// How the cells of one column are read.
enum CellKind: UInt8 {
    case id, string, int, real, bool, money, percent, hours, date, duration, stringList, enumeration, reference
    /// A reference into the set being loaded (`tasks.parent`), resolved once every row is read.
    case selfReference
    /// A dependency end: the id of a project or a task.
    case projectOrTask

    init(_ kind: EntityKind, _ f: FieldDef) {
        switch f.type {
        case .id: self = .id
        case .string: self = kind == .dependency && (f.name == "from" || f.name == "to") ? .projectOrTask : .string
        case .int: self = .int
        case .real: self = .real
        case .bool: self = .bool
        case .money: self = .money
        case .percent: self = .percent
        case .hours: self = .hours
        case .date: self = .date
        case .duration: self = .duration
        case .stringList: self = .stringList
        case .enumeration: self = .enumeration
        case .reference(let target): self = target == kind ? .selfReference : .reference
        }
    }
}

/// The growing arrays of one column while its file is read.
struct ColumnBuilder {
    let field: FieldDef
    let kind: CellKind
    let pool: StringPool
    /// The referenced set of a reference column.
    let target: EntityKind
    /// The values of an enumeration column, as bytes.
    let enumCases: [[UInt8]]
    var present = false
    var ints: [Int64] = []
    var reals: [Double] = []
    var codes: [Int32] = []
    var smalls: [UInt8] = []
    var lists: [[Int32]] = []
    var nulls = NullMask()
    /// Cell bytes → pool code, so a repeated string costs a hash lookup, not a String.
    var interned = ByteKeyIndex()
    /// The bytes and value of the last date parsed (dates repeat: timesheet weeks, report dates).
    var lastDateKey: (UInt64, UInt16) = (0, 0)
    var lastDate: Int32 = 0

    init(_ column: Column, _ kind: EntityKind) {
        field = column.field
        self.kind = CellKind(kind, column.field)
        pool = column.pool
        if case .reference(let t) = column.field.type { target = t } else { target = kind }
        if case .enumeration(let e) = column.field.type { enumCases = e.cases.map { Array($0.utf8) } } else { enumCases = [] }
    }

    mutating func reserve(_ n: Int) {
        switch field.type {
        case .int, .money, .percent, .hours, .duration: ints.reserveCapacity(n)
        case .real: reals.reserveCapacity(n)
        case .date, .reference, .string, .id: codes.reserveCapacity(n)
        case .enumeration, .bool: smalls.reserveCapacity(n)
        case .stringList: lists.reserveCapacity(n)
        }
    }

    /// Appends a none value for `row`.
    mutating func appendNone(_ row: Int) {
        switch field.type {
        case .int, .money, .percent, .hours, .duration: ints.append(0); nulls.setNone(row)
        case .real: reals.append(0); nulls.setNone(row)
        case .date: codes.append(0); nulls.setNone(row)
        case .reference, .string, .id: codes.append(-1)
        case .enumeration, .bool: smalls.append(Column.noneSmall)
        case .stringList: lists.append([])
        }
    }

    mutating func intern(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        if let c = interned.find(b) { return c }
        let c = pool.intern(String(decoding: b, as: UTF8.self))
        _ = interned.insert(b, value: c)
        return c
    }

    /// Moves the arrays into the table's column.
    func commit(to c: Column) {
        c.ints = ints; c.reals = reals; c.codes = codes; c.smalls = smalls; c.lists = lists; c.nulls = nulls
    }
}

/// A status report carried by `projects.csv` (`status_date, pv, ev, ac`).
struct ProjectReport {
    var project: Int32
    var asOf: Int32
    var pv: Int64? = nil, ev: Int64? = nil, ac: Int64? = nil
}

/// Reads one entity set's file.
struct TableLoader {
    static let projectExtras = ["status_date", "pv", "ev", "ac"]

    enum Target { case field(Int), extra(Int), skip }

    let kind: EntityKind
    let path: String
    let reader: CSVReader
    var builders: [ColumnBuilder]
    /// Id keys of every set loaded so far (for references), indexed by `EntityKind.rawValue`.
    let ids: [ByteKeyIndex]
    var ownIds = ByteKeyIndex()
    /// The cells of the record being read.
    var cells: [CSVCell] = []
    /// Records read, for polling `LoadCancellation`.
    var polled = 0
    var idLines: [Int32] = []
    var pendingParents: [(row: Int32, key: String, line: Int, column: Int)] = []
    /// Dependency rows whose lag was written in business days (`2bd`): their `lag_unit` is bd.
    var businessLags: [(row: Int32, line: Int, column: Int)] = []
    var reports: [ProjectReport] = []
    /// The `status_date, pv, ev, ac` cells of the project row being read.
    private var extra = ProjectReport(project: 0, asOf: 0)
    private var extraDate = false
    /// When given, a bad cell is recorded here and the load reads on (LoadProblems.swift).
    var problems: LoadProblems?
    /// What the file is called in messages (`issues.csv`, or the input file's name).
    var fileName: String

    init(kind: EntityKind, path: String, reader: CSVReader, table: EntityTable, ids: [ByteKeyIndex],
         problems: LoadProblems? = nil, fileName: String? = nil) {
        self.kind = kind; self.path = path; self.reader = reader; self.ids = ids; self.problems = problems
        self.fileName = fileName ?? kind.setName + ".csv"
        builders = table.columns.map { ColumnBuilder($0, kind) }
    }

    /// Throws `e`, or records it when problems are collected.
    func report(_ e: LoadError) throws(LoadError) {
        guard let problems else { throw e }
        try problems.record(e)
    }

    func error(_ j: Int, _ message: String) -> LoadError {
        LoadError(file: path, line: reader.line(of: cells[j]), column: reader.column(of: cells[j]), message: message)
    }

    /// The text of cell `j` (for messages).
    func text(_ j: Int) -> String { reader.string(of: cells[j]) }

    mutating func next() throws(LoadError) -> Bool {
        if LoadCancellation.poll(&polled) { throw LoadError(file: path, line: 0, column: 0, message: LoadCancellation.message) }
        do { return try reader.nextRecord(into: &cells) } catch { throw LoadError(file: path, line: error.line, column: error.column, message: error.message) }
    }

    /// Reads the whole file into `table`; returns the id index of the set.
    mutating func load(into table: EntityTable) throws(LoadError) -> ByteKeyIndex {
        guard try next() else { return ownIds } // an empty file is an empty set
        let schema = table.schema
        var targets: [Target] = []
        var seen = Set<String>()
        for j in 0..<cells.count {
            let name = String(decoding: CellParser.trimmed(reader.bytes(of: cells[j])), as: UTF8.self)
            if name.isEmpty { try report(error(j, "empty column name in the header of \(fileName)")); targets.append(.skip); continue }
            if !seen.insert(name).inserted { try report(error(j, "column '\(name)' appears twice in the header")); targets.append(.skip); continue }
            if let fi = schema.fieldIndex(name) {
                targets.append(.field(fi)); builders[fi].present = true
            } else if kind == .project, let e = TableLoader.projectExtras.firstIndex(of: name) {
                targets.append(.extra(e))
            } else {
                let known = schema.fields.map(\.name) + (kind == .project ? TableLoader.projectExtras : [])
                var hint = problems != nil ? " (rename it or ignore it with --map)" : ""
                if cells.count == 1, let odd = name.first(where: { ";|\t:^~".contains($0) }) {
                    let shown = odd == "\t" ? "tab" : String(odd)
                    hint = " (the header is one column: are the cells separated by '\(shown)'? pmo import takes --delimiter '\(shown)')"
                }
                try report(error(j, "unknown column '\(name)' in \(fileName)" + Suggest.hint(name, known) + hint))
                targets.append(.skip)
            }
        }
        for f in schema.fields where f.required && !seen.contains(f.name) {
            try report(LoadError(file: path, line: reader.recordLine, column: 1, message: "missing required column '\(f.name)'"))
        }
        let width = targets.count
        let estimate = reader.estimatedRecordCount()
        for i in builders.indices where builders[i].present { builders[i].reserve(estimate) }
        let hasId = schema.fieldIndex("id") != nil
        if hasId { ownIds = ByteKeyIndex(capacity: estimate); idLines.reserveCapacity(estimate) }
        var row: Int32 = 0
        while try next() {
            let n = cells.count
            if n > width {
                try report(error(width, "too many cells: the header has \(width) columns, this row has \(n)"))
                continue
            }
            if n < width {
                try report(LoadError(file: path, line: reader.recordLine, column: cells.last.map { reader.column(after: $0) } ?? 1,
                                     message: "missing cells: the header has \(width) columns, this row has \(n)"))
                continue
            }
            if row == Int32.max { throw error(0, "too many rows in \(kind.setName).csv") }
            if kind == .project { extra = ProjectReport(project: row, asOf: 0); extraDate = false }
            for j in 0..<width {
                let b = CellParser.trimmed(reader.bytes(of: cells[j]))
                switch targets[j] {
                case .field(let fi):
                    do { try parse(b, field: fi, cell: j, row: row) } catch {
                        // Every refusal in parse comes before the cell's value is appended.
                        try report(error)
                        builders[fi].appendNone(Int(row))
                    }
                case .extra(let e):
                    do { try parseExtra(b, e, cell: j) } catch { try report(error) }
                case .skip: break
                }
            }
            if kind == .dependency {
                do { try checkSelfDependency(targets, row: row) } catch { try report(error) }
            }
            if hasId { idLines.append(Int32(truncatingIfNeeded: reader.recordLine)) }
            if extraDate { reports.append(extra) }
            row += 1
        }
        let count = Int(row)
        for i in builders.indices where !builders[i].present {
            builders[i].reserve(count)
            for r in 0..<count { builders[i].appendNone(r) }
        }
        do { try applyBusinessLags(schema) } catch { try report(error) }
        for (i, b) in builders.enumerated() { b.commit(to: table.columns[i]) }
        table.count = count
        do { try resolveParents(table) } catch { try report(error) }
        return ownIds
    }

    /// Resolves `parent` references once every row of the set is known, and rejects cycles
    /// (a task above itself), which would make every walk up the hierarchy endless.
    private func resolveParents(_ table: EntityTable) throws(LoadError) {
        guard !pendingParents.isEmpty, let fi = table.schema.fields.firstIndex(where: { CellKind(kind, $0) == .selfReference })
        else { return }
        let col = table.columns[fi]
        var parents = col.codes
        for p in pendingParents {
            let row: Int32? = Array(p.key.utf8).withUnsafeBufferPointer { ownIds.find($0) }
            guard let r = row else {
                throw LoadError(file: path, line: p.line, column: p.column,
                                message: "unknown \(kind.singular) '\(p.key)' in column \(col.field.name)")
            }
            parents[Int(p.row)] = r
        }
        // 0 = unvisited, 1 = on the current walk, 2 = known to reach a root.
        var state = [UInt8](repeating: 0, count: parents.count)
        for p in pendingParents where state[Int(p.row)] == 0 {
            var trail: [Int] = []
            var r = Int(p.row)
            while r >= 0 && state[r] == 0 { state[r] = 1; trail.append(r); r = Int(parents[r]) }
            if r >= 0 && state[r] == 1 {
                // Rows are pending in row order: find the parent cell of the row that closes the cycle.
                var lo = 0, hi = pendingParents.count
                while lo < hi { let m = (lo + hi) / 2; if Int(pendingParents[m].row) < r { lo = m + 1 } else { hi = m } }
                let cell = lo < pendingParents.count ? pendingParents[lo] : p
                let id = table.column("id")?.string(r) ?? cell.key
                throw LoadError(file: path, line: cell.line, column: cell.column,
                                message: "cycle in column \(col.field.name): \(kind.singular) '\(id)' would be above itself")
            }
            for v in trail { state[v] = 2 }
        }
        col.codes = parents
    }

    /// A dependency from a project or task to itself is refused where it is written.
    private func checkSelfDependency(_ targets: [Target], row: Int32) throws(LoadError) {
        var ends: [(id: String, cell: Int)] = []
        for (j, t) in targets.enumerated() {
            if case .field(let fi) = t, builders[fi].kind == .projectOrTask, let c = builders[fi].codes.last, c >= 0 {
                ends.append((builders[fi].pool[c], j))
            }
        }
        if ends.count == 2, ends[0].id == ends[1].id {
            throw error(ends[1].cell, "'\(text(ends[1].cell))' depends on itself: a dependency needs two different ends")
        }
    }

    /// Sets `lag_unit` to bd on the rows whose lag was written `2bd` (refusing a lag_unit cell that says otherwise).
    private mutating func applyBusinessLags(_ schema: EntitySchema) throws(LoadError) {
        guard !businessLags.isEmpty, let ui = schema.fieldIndex("lag_unit"),
              let bd = builders[ui].enumCases.firstIndex(of: Array("bd".utf8)) else { return }
        for l in businessLags {
            let r = Int(l.row)
            guard r < builders[ui].smalls.count else { continue }
            let old = builders[ui].smalls[r]
            if old != Column.noneSmall && Int(old) != bd {
                throw LoadError(file: path, line: l.line, column: l.column,
                                message: "the lag is in business days (bd) but column lag_unit says '\(String(decoding: builders[ui].enumCases[Int(old)], as: UTF8.self))'")
            }
            builders[ui].smalls[r] = UInt8(bd)
        }
    }

    private mutating func parseExtra(_ b: UnsafeBufferPointer<UInt8>, _ e: Int, cell j: Int) throws(LoadError) {
        if b.isEmpty { return }
        if e == 0 {
            guard let d = CellParser.date(b) else { throw error(j, "invalid date '\(text(j))' in column status_date (expected YYYY-MM-DD)") }
            extra.asOf = d
            extraDate = true
        } else {
            let v = try number(CellParser.scaled(b, digits: 4, dollar: true), j, "amount", column: TableLoader.projectExtras[e])
            if e == 1 { extra.pv = v } else if e == 2 { extra.ev = v } else { extra.ac = v }
        }
    }

    /// The value of a parsed number, or the error for cell `j` (the column named by `column`, else by field `fi`).
    @inline(__always)
    private func number(_ r: NumberParse, _ j: Int, _ what: StaticString, field fi: Int = 0, column: String? = nil) throws(LoadError) -> Int64 {
        if case .value(let v) = r { return v }
        throw numberError(r, j, "\(what)", column ?? builders[fi].field.name)
    }

    private func numberError(_ r: NumberParse, _ j: Int, _ what: String, _ column: String) -> LoadError {
        r == .overflow ? error(j, "\(what) '\(text(j))' out of range in column \(column)")
            : error(j, "invalid \(what) '\(text(j))' in column \(column)"
                    + (text(j).contains(",") ? " (a decimal comma? pmo import reads 1.234,56 with --decimal-comma)" : ""))
    }

    /// A hint for a date written another way (22/11/2026, 22.11.2026, 22/Nov/26).
    static func dateHint(_ t: String) -> String {
        t.contains("/") || t.contains(".") || t.count > 10 ? "; pmo import reads other formats with --date-format, as in DD/MM/YYYY" : ""
    }

    private mutating func parse(_ b: UnsafeBufferPointer<UInt8>, field fi: Int, cell j: Int, row: Int32) throws(LoadError) {
        var name: String { builders[fi].field.name }
        if b.isEmpty {
            if builders[fi].field.required { throw error(j, "missing value for required column '\(name)'") }
            builders[fi].appendNone(Int(row))
            return
        }
        switch builders[fi].kind {
        case .id:
            if let first = ownIds.insert(b, value: row) {
                throw error(j, "duplicate id '\(text(j))' on lines \(idLines[Int(first)]) and \(reader.line(of: cells[j]))")
            }
            builders[fi].codes.append(builders[fi].pool.intern(String(decoding: b, as: UTF8.self)))
        case .string:
            builders[fi].codes.append(builders[fi].intern(b))
        case .projectOrTask:
            guard ids[EntityKind.project.rawValue].find(b) != nil || ids[EntityKind.task.rawValue].find(b) != nil else {
                throw error(j, "unknown project or task '\(text(j))' in column \(name)")
            }
            builders[fi].codes.append(builders[fi].intern(b))
        case .int:
            builders[fi].ints.append(try number(CellParser.integer(b), j, "integer", field: fi))
        case .money:
            builders[fi].ints.append(try number(CellParser.scaled(b, digits: 4, dollar: true), j, "amount", field: fi))
        case .percent:
            // A bare number is a fraction (0.85, or 1.15 for 115%); with a sign it is a percentage (85%).
            // Either way 0 to 1000%: `250` (meant as 250%? 25,000%?) is refused, not guessed.
            let v = try number(CellParser.percent(b), j, "percentage", field: fi)
            if v < 0 || v > 10 * Fixed.scale {
                throw error(j, "percentage '\(text(j))' out of range in column \(name) (write a fraction such as 0.85, or a percentage such as 85%; 0 to 1000%)")
            }
            builders[fi].ints.append(v)
        case .hours:
            let v = try number(CellParser.scaled(b, digits: 4, dollar: false), j, "number of hours", field: fi)
            if v < 0 { throw error(j, "negative hours '\(text(j))' in column \(name)") }
            builders[fi].ints.append(v)
        case .duration:
            if kind == .dependency, b.count >= 3, CellParser.lower(b[b.count - 2]) == 0x62, CellParser.lower(b[b.count - 1]) == 0x64 {
                // `2bd`: business days; the row's lag_unit becomes bd.
                let r = CellParser.integer(UnsafeBufferPointer(rebasing: b[0..<(b.count - 2)]))
                if r == .invalid { throw error(j, "invalid lag '\(text(j))' in column \(name) (expected days such as 2d, 2bd or -1bd)") }
                builders[fi].ints.append(try number(r, j, "lag", field: fi))
                businessLags.append((row, reader.line(of: cells[j]), reader.column(of: cells[j])))
                return
            }
            let r = CellParser.duration(b)
            if r == .invalid { throw error(j, "invalid duration '\(text(j))' in column \(name) (expected days such as 14d, 2w or 14)") }
            builders[fi].ints.append(try number(r, j, "duration", field: fi))
        case .real:
            guard let v = Double(String(decoding: b, as: UTF8.self)), v.isFinite else {
                throw error(j, "invalid number '\(text(j))' in column \(name)")
            }
            builders[fi].reals.append(v)
        case .date:
            let key = CellParser.dateKey(b)
            if let k = key, k == builders[fi].lastDateKey {
                builders[fi].codes.append(builders[fi].lastDate)
                return
            }
            guard let d = CellParser.date(b) else {
                throw error(j, "invalid date '\(text(j))' in column \(name) (expected YYYY-MM-DD" + TableLoader.dateHint(text(j)) + ")")
            }
            builders[fi].codes.append(d)
            if let k = key { builders[fi].lastDateKey = k; builders[fi].lastDate = d }
        case .bool:
            guard let v = CellParser.bool(b) else {
                throw error(j, "invalid boolean '\(text(j))' in column \(name) (expected true, false, yes, no, 1 or 0)")
            }
            builders[fi].smalls.append(v)
        case .enumeration:
            guard let code = CellParser.enumCode(b, cases: builders[fi].enumCases) else {
                let text = String(decoding: b, as: UTF8.self)
                let cases = builders[fi].enumCases.map { String(decoding: $0, as: UTF8.self) }
                let hint = Suggest.closest(to: text, among: cases).map { "; did you mean '\($0)'?" }
                    ?? " (expected one of: " + cases.joined(separator: ", ") + ")"
                throw error(j, "unknown value '\(text)' in column \(name)" + hint)
            }
            builders[fi].smalls.append(code)
        case .reference:
            let target = builders[fi].target
            guard let r = ids[target.rawValue].find(b) else {
                throw error(j, "unknown \(target.singular) '\(text(j))' in column \(name)")
            }
            builders[fi].codes.append(r)
        case .selfReference:
            pendingParents.append((row, String(decoding: b, as: UTF8.self), reader.line(of: cells[j]), reader.column(of: cells[j])))
            builders[fi].codes.append(-1)
        case .stringList:
            var items: [Int32] = []
            var start = 0
            for k in 0...b.count where k == b.count || b[k] == 59 { // ';'
                let item = CellParser.trimmed(UnsafeBufferPointer(rebasing: b[start..<k]))
                if !item.isEmpty { items.append(builders[fi].intern(item)) }
                start = k + 1
            }
            builders[fi].lists.append(items)
        }
    }
}

