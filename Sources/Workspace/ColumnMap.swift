// The `--map` file: how an export's columns and values become pmo's fields. Two forms:
//   - a CSV with the header `from,to` (column renames only), and
//   - a map file of lines (examples/maps/jira-issues.map):
//         Issue key -> id                          rename a column
//         ignore: Issue id, Reporter                drop columns (`ignore: *`: every column not a field)
//         severity: Highest=critical, High=high     map a field's values ("In Progress"=in_progress)
//         people: owner                             the column names people by id, e-mail or name
//         date-format: DD/MMM/YY h:mm a             the dialect (the command line's options win)
//         delimiter: ;      decimal-comma: yes
//     `#` starts a comment line.
import Portfolio

public struct ColumnMap: Sendable, Equatable {
    /// Input column name → field name.
    public var renames: [String: String]
    /// Input columns (by input or field name) that are not imported.
    public var ignored: Set<String> = []
    /// `ignore: *`: every column that is not a field of the set is dropped.
    public var ignoreOthers = false
    /// Field (or input column) name → input value → value.
    public var values: [String: [String: String]] = [:]
    /// Fields whose cells may name a person or resource by e-mail or name instead of id.
    public var people: Set<String> = []
    /// The dialect the map file gives (the command line's options override it).
    public var dialect = CSVDialect()

    public init(_ renames: [String: String] = [:]) { self.renames = renames }

    /// The directives of the line form; any other `NAME:` maps the values of field NAME.
    static let directives = ["ignore", "people", "date-format", "delimiter", "decimal-comma"]

    /// Only renames: the header is rewritten and the data lines are read as they are.
    var renamesOnly: Bool { ignored.isEmpty && !ignoreOthers && values.isEmpty && people.isEmpty }

    public static func load(path: String) throws(WorkspaceError) -> ColumnMap {
        let bytes = try InputFiles.text(path, encoding: nil)
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let first = lines.first { l in let t = l.trimmingSpaces; return !t.isEmpty && !t.hasPrefix("#") }
        if let first, first.filter({ $0 != " " && $0 != "\t" && $0 != "\r" }) == "from,to" { return try loadCSV(path: path) }
        var map = ColumnMap()
        var problems: [LoadError] = []
        var renameLines: [String: Int] = [:]
        func fail(_ line: Int, _ col: Int, _ m: String) { problems.append(LoadError(file: path, line: line, column: col, message: m)) }
        for (n, raw) in lines.enumerated() {
            let lineNo = n + 1
            let line = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : String(raw)
            let t = line.trimmingSpaces
            if t.isEmpty || t.hasPrefix("#") { continue }
            let indent = line.count - line.drop(while: { $0 == " " || $0 == "\t" }).count + 1
            if let arrow = t.range(of: "->") {
                let from = String(t[..<arrow.lowerBound]).trimmingSpaces, to = String(t[arrow.upperBound...]).trimmingSpaces
                if from.isEmpty || to.isEmpty { fail(lineNo, indent, "a rename is written 'Column -> field', as in 'Issue key -> id'"); continue }
                if let l = renameLines[from] { fail(lineNo, indent, "column '\(from)' is mapped twice (also on line \(l))"); continue }
                map.renames[from] = to
                renameLines[from] = lineNo
                continue
            }
            guard let colon = t.firstIndex(of: ":") else {
                fail(lineNo, indent, "expected 'Column -> field', 'ignore: ...', 'people: ...', 'FIELD: Value=value, ...' or a dialect line (date-format:, delimiter:, decimal-comma:)")
                continue
            }
            let key = String(t[..<colon]).trimmingSpaces
            let rest = String(t[t.index(after: colon)...]).trimmingSpaces
            let restColumn = indent + t.distance(from: t.startIndex, to: t.index(after: colon)) + 1
            switch key {
            case "ignore":
                for item in splitItems(rest) {
                    if item == "*" { map.ignoreOthers = true } else { map.ignored.insert(item) }
                }
            case "people":
                for item in splitItems(rest) { map.people.insert(item) }
            case "date-format":
                switch DateFormat.parse(rest) {
                case .success(let f): map.dialect.dateFormat = f
                case .failure(let e): fail(lineNo, restColumn, e.message)
                }
            case "delimiter":
                if let d = CSVDialect.separator(named: rest) { map.dialect.separator = d } else {
                    fail(lineNo, restColumn, "unknown delimiter '\(rest)' (expected one character such as ; or |, or tab)")
                }
            case "decimal-comma":
                switch rest.lowercased() {
                case "yes", "true": map.dialect.decimalComma = true
                case "no", "false": map.dialect.decimalComma = false
                default: fail(lineNo, restColumn, "decimal-comma is yes or no, not '\(rest)'")
                }
            default:
                let fields = Set(EntityKind.allCases.flatMap { Catalog.schema($0).fields.map(\.name) })
                if !fields.contains(key) && map.renames[key] == nil {
                    fail(lineNo, indent, "'\(key)' is neither a field nor a directive (\(directives.joined(separator: ", ")))"
                         + NameHint.hint(key, directives + fields.sorted()))
                    continue
                }
                var values: [String: String] = map.values[key] ?? [:]
                for item in splitItems(rest) {
                    guard let eq = item.firstIndex(of: "=") else {
                        fail(lineNo, restColumn, "a value mapping is written Value=value, as in Highest=critical (found '\(item)')")
                        continue
                    }
                    let from = unquote(String(item[..<eq]).trimmingSpaces), to = unquote(String(item[item.index(after: eq)...]).trimmingSpaces)
                    if values[from] != nil { fail(lineNo, restColumn, "value '\(from)' of \(key) is mapped twice") }
                    values[from] = to
                }
                map.values[key] = values
            }
        }
        if !problems.isEmpty { throw WorkspaceError(problems: problems) }
        return map
    }

    /// Comma-separated items; a double-quoted part may hold commas.
    static func splitItems(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        for c in s {
            if c == "\"" { quoted.toggle(); cur.append(c) } else if c == "," && !quoted {
                out.append(cur.trimmingSpaces); cur = ""
            } else { cur.append(c) }
        }
        out.append(cur.trimmingSpaces)
        return out.filter { !$0.isEmpty }.map { $0.contains("=") ? $0 : unquote($0) }
    }

    static func unquote(_ s: String) -> String {
        s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
    }

    /// The `from,to` CSV form.
    static func loadCSV(path: String) throws(WorkspaceError) -> ColumnMap {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            throw WorkspaceError(.missing, "cannot read the column map '\(path)': \(error.message)")
        }
        func fail(_ line: Int, _ col: Int, _ m: String) -> WorkspaceError {
            WorkspaceError(data: LoadError(file: path, line: line, column: col, message: m))
        }
        func next() throws(WorkspaceError) -> Bool {
            do { return try reader.nextRecord() } catch { throw fail(error.line, error.column, error.message) }
        }
        guard try next() else { throw fail(0, 0, "the column map is empty (expected a header from,to)") }
        let header = (0..<reader.cells.count).map { trim(reader.string($0)) }
        guard header == ["from", "to"] else {
            throw fail(reader.recordLine, 1, "the column map's header must be from,to (found \(header.joined(separator: ",")))")
        }
        var out: [String: String] = [:]
        var lines: [String: Int] = [:]
        while try next() {
            guard reader.cells.count == 2 else {
                throw fail(reader.recordLine, 1, "a mapping has two cells, from and to; this row has \(reader.cells.count)")
            }
            let from = trim(reader.string(0)), to = trim(reader.string(1))
            if from.isEmpty || to.isEmpty { throw fail(reader.line(0), reader.column(from.isEmpty ? 0 : 1), "empty column name in the column map") }
            if let l = lines[from] { throw fail(reader.line(0), reader.column(0), "column '\(from)' is mapped twice (also on line \(l))") }
            out[from] = to
            lines[from] = reader.recordLine
        }
        return ColumnMap(out)
    }

    /// The field name for an input column name.
    func name(_ s: String) -> String { renames[s] ?? s }

    /// Whether an input column (named `input`, mapped to `field`) is dropped.
    func ignores(_ input: String, field: String, known: Bool) -> Bool {
        ignored.contains(input) || ignored.contains(field) || (ignoreOthers && !known)
    }

    /// The value map of a column.
    func valueMap(_ input: String, field: String) -> [String: String]? { values[field] ?? values[input] }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
