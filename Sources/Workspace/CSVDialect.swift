// CSV dialects and mappings: an export from a European Excel (`;`, `22/11/2026`, `1.234,56`) or
// from Jira (dozens of columns, `Highest`, `In Progress`, `22/Nov/26 10:15 AM`, people by name)
// is rewritten into the plain CSV the loader reads, cell by cell, remembering where each cell came
// from so that every later error names the line and column of the original file. Every problem is
// recorded (LoadProblems), not only the first.
import PMOBase
import Portfolio

/// How a CSV file is written: `--delimiter`, `--date-format`, `--decimal-comma` (or the map file's).
public struct CSVDialect: Sendable, Equatable {
    /// The byte between cells; nil: detected from the header (`,`, `;` or tab).
    public var separator: UInt8?
    public var dateFormat: DateFormat?
    /// Numbers are written `1.234,56`: a comma before the decimals, points between thousands.
    public var decimalComma = false

    public init(separator: UInt8? = nil, dateFormat: DateFormat? = nil, decimalComma: Bool = false) {
        self.separator = separator; self.dateFormat = dateFormat; self.decimalComma = decimalComma
    }

    /// `;`, `|`, `,`, `tab` or `\t`: the separator byte, or nil.
    public static func separator(named s: String) -> UInt8? {
        if s == "tab" || s == "\\t" || s == "\t" { return 9 }
        let b = Array(s.utf8)
        guard b.count == 1, b[0] != 34, b[0] != 10, b[0] != 13, b[0] < 128 else { return nil }
        return b[0]
    }

    /// This dialect's settings, completed by `base` where this one says nothing.
    public func over(_ base: CSVDialect) -> CSVDialect {
        CSVDialect(separator: separator ?? base.separator, dateFormat: dateFormat ?? base.dateFormat,
                   decimalComma: decimalComma || base.decimalComma)
    }

    /// The separator the header line uses: the most frequent of `,`, `;` and tab outside quotes (`,` on a tie or none).
    static func detect(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [44: 0, 59: 0, 9: 0]
        var quoted = false
        var started = false
        for b in bytes {
            if b == 10 || b == 13 { if started && !quoted { break } else { continue } }
            started = true
            if b == 34 { quoted.toggle() } else if !quoted, counts[b] != nil { counts[b, default: 0] += 1 }
        }
        let comma = counts[44] ?? 0, semi = counts[59] ?? 0, tab = counts[9] ?? 0
        if semi > comma && semi >= tab { return 59 }
        if tab > comma && tab > semi { return 9 }
        return 44
    }

    static func name(_ b: UInt8) -> String { b == 9 ? "tab" : String(UnicodeScalar(b)) }
}

/// People and resources by id, e-mail and name (`people:` in the map file).
struct PeopleDirectory {
    var ids = Set<String>()
    var byEmail: [String: [String]] = [:]
    var byName: [String: [String]] = [:]

    static func key(_ s: String) -> String { s.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }

    mutating func add(id: String, name: String?, email: String?) {
        ids.insert(id)
        if let e = email, !e.isEmpty { byEmail[PeopleDirectory.key(e), default: []].append(id) }
        if let n = name, !n.isEmpty { byName[PeopleDirectory.key(n), default: []].append(id) }
    }

    /// The id a cell names, or why it names none.
    func resolve(_ s: String, _ what: String) -> Result<String, DialectProblem> {
        if ids.contains(s) { return .success(s) }
        let k = PeopleDirectory.key(s)
        let found = (s.contains("@") ? byEmail[k] : byName[k]) ?? []
        let unique = Array(Set(found)).sorted()
        if unique.count == 1 { return .success(unique[0]) }
        if unique.count > 1 {
            return .failure(DialectProblem(message: "'\(s)' names \(unique.count) \(what)s (\(unique.joined(separator: ", "))): write the id"))
        }
        let names = byName.keys.sorted()
        return .failure(DialectProblem(message: "unknown \(what) '\(s)': not the id, e-mail or name of a \(what)" + NameHint.hint(k, names)))
    }

    /// The people and resources of the workspace and of the files being imported.
    static func load(store: PortfolioStore?, parts: [ImportPart]) -> [EntityKind: PeopleDirectory] {
        var out: [EntityKind: PeopleDirectory] = [:]
        for k in [EntityKind.person, .resource] {
            var d = PeopleDirectory()
            if let t = store?.table(k), let id = t.column("id") {
                let name = t.column("name"), email = t.column("email")
                for r in 0..<t.count {
                    if let i = id.string(r) { d.add(id: i, name: name?.string(r), email: email?.string(r)) }
                }
            }
            for p in parts where p.kind == k {
                let reader = CSVReader(bytes: p.bytes, separator: p.separator ?? CSVDialect.detect(p.bytes))
                guard (try? reader.nextRecord()) == true else { continue }
                let header = (0..<reader.cells.count).map { trim(reader.string($0)) }
                guard let ii = header.firstIndex(of: "id") else { continue }
                let ni = header.firstIndex(of: "name"), ei = header.firstIndex(of: "email")
                while (try? reader.nextRecord()) == true {
                    let n = reader.cells.count
                    guard ii < n else { continue }
                    d.add(id: trim(reader.string(ii)), name: ni.flatMap { $0 < n ? trim(reader.string($0)) : nil },
                          email: ei.flatMap { $0 < n ? trim(reader.string($0)) : nil })
                }
            }
            out[k] = d
        }
        return out
    }
}

struct DialectProblem: Error { var message: String }

/// Rewrites a CSV file of some dialect, with a map, into the loader's plain CSV.
enum DialectCSV {
    static let projectExtras: [String: FieldType] = ["status_date": .date, "pv": .money, "ev": .money, "ac": .money]

    /// What becomes of one input column.
    struct Plan {
        var input: String
        var field: String
        var type: FieldType?
        var values: [String: String]?
        var lowerValues: [String: String] = [:]
        var people: EntityKind?
    }

    /// Whether a file needs rewriting (else it is read as it is, only its header renamed).
    static func needsRewrite(separator: UInt8, dialect: CSVDialect, map: ColumnMap) -> Bool {
        separator != 44 || dialect.dateFormat != nil || dialect.decimalComma || !map.renamesOnly
    }

    static func rewrite(_ part: ImportPart, separator sep: UInt8, map: ColumnMap, dialect: CSVDialect,
                        people: [EntityKind: PeopleDirectory], problems: LoadProblems) throws(WorkspaceError) -> ([UInt8], PositionMap) {
        let file = part.file, kind = part.kind
        let reader = CSVReader(bytes: part.bytes, separator: sep)
        var cells: [CSVCell] = []
        func next() throws(WorkspaceError) -> Bool {
            do { return try reader.nextRecord(into: &cells) } catch {
                throw WorkspaceError(data: LoadError(file: file, line: error.line, column: error.column, message: error.message))
            }
        }
        func problem(_ c: CSVCell, _ m: String) {
            problems.add(LoadError(file: file, line: reader.line(of: c), column: reader.column(of: c), message: m))
        }
        var out = SyntheticCSV()
        guard try next() else { return ([], out.map) }
        let schema = Catalog.schema(kind)
        var types: [String: FieldType] = [:]
        for f in schema.fields { types[f.name] = f.type }
        if kind == .project { for (k, v) in projectExtras { types[k] = v } }
        var keep: [Int] = []
        var plans: [Plan] = []
        for (j, c) in cells.enumerated() {
            let input = trim(reader.string(of: c))
            let field = map.name(input)
            if map.ignores(input, field: field, known: types[field] != nil) { continue }
            var plan = Plan(input: input, field: field, type: types[field], values: map.valueMap(input, field: field))
            if let v = plan.values { for (k, x) in v { plan.lowerValues[k.lowercased()] = x } }
            if map.people.contains(field) || map.people.contains(input) {
                if case .reference(let t)? = plan.type, t == .person || t == .resource { plan.people = t } else {
                    problem(c, "people: names column '\(input)', which is not a reference to people or resources")
                }
            }
            keep.append(j)
            plans.append(plan)
        }
        if cells.count == 1, types[plans.first?.field ?? ""] == nil {
            let text = reader.string(of: cells[0])
            if let odd = text.first(where: { "|:^~".contains($0) }) {
                problem(cells[0], "the header is one column '\(text)': are the cells separated by '\(odd)'? pass --delimiter '\(odd)'")
            }
        }
        out.row(plans.map(\.field), origins: keep.map { Position(line: reader.line(of: cells[$0]), column: reader.column(of: cells[$0])) },
                rowOrigin: Position(line: reader.recordLine, column: 1))
        let width = cells.count
        while try next() {
            let rowOrigin = Position(line: reader.recordLine, column: 1)
            if cells.count != width {
                let at = cells.count > width ? cells[width] : cells[cells.count - 1]
                problems.add(LoadError(file: file, line: cells.count > width ? reader.line(of: at) : reader.recordLine,
                                       column: cells.count > width ? reader.column(of: at) : reader.column(after: at),
                                       message: (cells.count > width ? "too many cells" : "missing cells")
                                        + ": the header has \(width) columns, this row has \(cells.count)"
                                        + (sep != 44 ? " (cells separated by '\(CSVDialect.name(sep))')" : "")))
                continue
            }
            var values: [String?] = []
            var origins: [Position?] = []
            values.reserveCapacity(keep.count)
            for (n, j) in keep.enumerated() {
                let c = cells[j]
                origins.append(Position(line: reader.line(of: c), column: reader.column(of: c)))
                var s = trim(reader.string(of: c))
                if s.isEmpty { values.append(s); continue }
                let plan = plans[n]
                if let v = plan.values { s = v[s] ?? plan.lowerValues[s.lowercased()] ?? s }
                if let who = plan.people, let dir = people[who] {
                    switch dir.resolve(s, who.singular) {
                    case .success(let id): s = id
                    case .failure(let p): problem(c, p.message + " in column \(plan.field)")
                    }
                }
                switch plan.type {
                case .date?:
                    if let f = dialect.dateFormat, Day(iso: Substring(s)) == nil {
                        if let d = f.day(s) { s = d.description } else {
                            problem(c, "invalid date '\(s)' in column \(plan.field) (expected \(f.text), as in \(f.example))")
                        }
                    }
                case .money?, .percent?, .hours?, .real?, .int?:
                    if dialect.decimalComma {
                        if let x = decimalComma(s) { s = x } else {
                            problem(c, "invalid number '\(s)' in column \(plan.field) with --decimal-comma (write 1.234,56: a comma before the decimals, points between thousands)")
                        }
                    }
                default: break
                }
                values.append(s)
            }
            out.row(values, origins: origins, rowOrigin: rowOrigin)
        }
        return (out.writer.bytes, out.map)
    }

    /// `1.234.567,89` → `1234567.89`, `12,5%` → `12.5%`; nil when a point is not a thousands separator.
    static func decimalComma(_ s: String) -> String? {
        let b = Array(s.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" })
        var out = String.UnicodeScalarView()
        var commas = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == "." {
                // Exactly three digits follow, then no digit; a digit comes before.
                guard i > 0, ("0"..."9").contains(b[i - 1]), i + 3 < b.count + 1 else { return nil }
                var n = 0
                while i + 1 + n < b.count, ("0"..."9").contains(b[i + 1 + n]) { n += 1 }
                guard n == 3, commas == 0 else { return nil }
            } else if c == "," {
                commas += 1
                guard commas == 1 else { return nil }
                out.append(".")
            } else {
                out.append(c)
            }
            i += 1
        }
        return String(out)
    }
}
