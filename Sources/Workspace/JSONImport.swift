// JSON imports: an object whose keys are entity set names and whose values are arrays of row
// objects, or (with `--as SET`) a bare array of row objects. Each array becomes a CSV text whose
// cells remember their line and column in the JSON file. Strings and numbers are taken as they
// are written (numbers keep every digit: money stays exact), true/false as booleans, null as none,
// and an array of strings as a list (`tags`).
import Portfolio

/// A parsed JSON value with the position where it starts.
struct JSONNode {
    indirect enum Value {
        case object([(key: String, keyAt: Position, value: JSONNode)])
        case array([JSONNode])
        case string(String)
        /// A number exactly as written.
        case number(String)
        case bool(Bool)
        case null
    }
    var value: Value
    var at: Position

    var kindName: String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// A strict JSON parser (RFC 8259) over bytes that tracks lines and columns.
struct JSONParser {
    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0
    var depth = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes; self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3; lineStart = 3 }
    }

    /// Where the column count was last taken, so that finding a column costs the bytes since then.
    var colOffset = 0
    var colValue = 1

    /// The current position (columns count characters).
    var here: Position {
        mutating get {
            if colOffset < lineStart || colOffset > i { colOffset = lineStart; colValue = 1 }
            while colOffset < i && colOffset < bytes.count {
                if bytes[colOffset] & 0xC0 != 0x80 { colValue += 1 }
                colOffset += 1
            }
            return Position(line: line, column: colValue)
        }
    }

    mutating func fail(_ m: String, at p: Position? = nil) -> WorkspaceError {
        let p = p ?? here
        return WorkspaceError(data: LoadError(file: file, line: p.line, column: p.column, message: m))
    }

    mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            if c == 10 { line += 1; i += 1; lineStart = i } else if c == 32 || c == 9 || c == 13 { i += 1 } else { break }
        }
    }

    mutating func document() throws(WorkspaceError) -> JSONNode {
        skipSpace()
        let v = try value()
        skipSpace()
        if i < bytes.count { throw fail("unexpected text after the JSON value") }
        return v
    }

    mutating func value() throws(WorkspaceError) -> JSONNode {
        skipSpace()
        let at = here
        guard i < bytes.count else { throw fail("unexpected end of the JSON text") }
        switch bytes[i] {
        case 123: // {
            depth += 1
            if depth > 200 { throw fail("JSON nested too deeply") }
            i += 1
            var members: [(key: String, keyAt: Position, value: JSONNode)] = []
            skipSpace()
            if i < bytes.count && bytes[i] == 125 { i += 1; depth -= 1; return JSONNode(value: .object(members), at: at) }
            while true {
                skipSpace()
                let keyAt = here
                guard i < bytes.count, bytes[i] == 34 else { throw fail("expected a quoted member name") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == 58 else { throw fail("expected ':' after the member name") }
                i += 1
                members.append((key, keyAt, try value()))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of the JSON text (an object is not closed)") }
                if bytes[i] == 44 { i += 1; continue }
                if bytes[i] == 125 { i += 1; break }
                throw fail("expected ',' or '}' in an object")
            }
            depth -= 1
            return JSONNode(value: .object(members), at: at)
        case 91: // [
            depth += 1
            if depth > 200 { throw fail("JSON nested too deeply") }
            i += 1
            var items: [JSONNode] = []
            skipSpace()
            if i < bytes.count && bytes[i] == 93 { i += 1; depth -= 1; return JSONNode(value: .array(items), at: at) }
            while true {
                items.append(try value())
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of the JSON text (an array is not closed)") }
                if bytes[i] == 44 { i += 1; continue }
                if bytes[i] == 93 { i += 1; break }
                throw fail("expected ',' or ']' in an array")
            }
            depth -= 1
            return JSONNode(value: .array(items), at: at)
        case 34:
            return JSONNode(value: .string(try string()), at: at)
        case 116, 102, 110: // true false null
            for (word, v) in [("true", JSONNode.Value.bool(true)), ("false", .bool(false)), ("null", .null)] {
                let w = Array(word.utf8)
                if i + w.count <= bytes.count && Array(bytes[i..<(i + w.count)]) == w {
                    i += w.count
                    return JSONNode(value: v, at: at)
                }
            }
            throw fail("invalid JSON value")
        default:
            return JSONNode(value: .number(try number()), at: at)
        }
    }

    mutating func number() throws(WorkspaceError) -> String {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
            return i - s
        }
        if i < bytes.count && bytes[i] == 45 { i += 1 }
        let intStart = i
        let n = digits()
        if n == 0 { throw fail("invalid JSON value") }
        if n > 1 && bytes[intStart] == 48 { throw fail("invalid number: a leading zero") }
        if i < bytes.count && bytes[i] == 46 {
            i += 1
            if digits() == 0 { throw fail("invalid number: digits must follow '.'") }
        }
        if i < bytes.count && (bytes[i] == 101 || bytes[i] == 69) {
            i += 1
            if i < bytes.count && (bytes[i] == 43 || bytes[i] == 45) { i += 1 }
            if digits() == 0 { throw fail("invalid number: digits must follow the exponent") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func string() throws(WorkspaceError) -> String {
        let opening = i
        i += 1 // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            // A value becomes a CSV cell: bounded as one, before a huge string is built (issue 19).
            if out.count > CSVReader.maxCellBytes {
                let shown = String(decoding: out.prefix(40), as: UTF8.self)
                    .unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : String($0) }.joined()
                i = opening
                throw fail("a string of more than \(CSVReader.maxCellBytes) bytes (it starts '\(shown)...'); "
                           + "a value may be at most \(CSVReader.maxCellBytes) bytes (1 MB)")
            }
            let c = bytes[i]
            if c == 34 { i += 1; break }
            if c < 32 { throw fail("a control character in a string (write \\n, \\t...)") }
            if c != 92 { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw fail("unterminated string") }
            let e = bytes[i]
            i += 1
            switch e {
            case 34: out.append(34)
            case 92: out.append(92)
            case 47: out.append(47)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                var u = try hex4()
                if u >= 0xD800 && u < 0xDC00 {
                    guard i + 1 < bytes.count, bytes[i] == 92, bytes[i + 1] == 117 else { throw fail("unpaired surrogate in a \\u escape") }
                    i += 2
                    let lo = try hex4()
                    guard lo >= 0xDC00 && lo < 0xE000 else { throw fail("unpaired surrogate in a \\u escape") }
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                } else if u >= 0xDC00 && u < 0xE000 {
                    throw fail("unpaired surrogate in a \\u escape")
                }
                guard let scalar = Unicode.Scalar(u) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw fail("invalid escape '\\\(String(UnicodeScalar(e)))' in a string")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws(WorkspaceError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 97...102: d = UInt32(c - 87)
            case 65...70: d = UInt32(c - 55)
            default: throw fail("invalid \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}

/// Turns a JSON file into one part per entity set.
enum JSONImport {
    static func parts(path: String, as kind: EntityKind?, map: ColumnMap, encoding: InputEncoding? = nil) throws(WorkspaceError) -> [ImportPart] {
        var parser = JSONParser(bytes: try InputFiles.text(path, encoding: encoding), file: path)
        let doc = try parser.document()
        func fail(_ m: String, _ p: Position) -> WorkspaceError {
            WorkspaceError(data: LoadError(file: path, line: p.line, column: p.column, message: m))
        }
        switch doc.value {
        case .array(let rows):
            guard let kind else {
                throw fail("a JSON array of rows needs --as SET to say which entity set it holds", doc.at)
            }
            return [try part(kind, rows, path: path, map: map)]
        case .object(let members):
            if kind != nil { throw fail("--as is for a JSON array of rows; this file is an object keyed by set names", doc.at) }
            var out: [ImportPart] = []
            let names = EntityKind.allCases.map(\.setName)
            for m in members {
                guard let k = EntityKind(setName: m.key) else {
                    throw fail("unknown entity set '\(m.key)'" + NameHint.hint(m.key, names), m.keyAt)
                }
                if out.contains(where: { $0.kind == k }) { throw fail("entity set '\(m.key)' appears twice", m.keyAt) }
                guard case .array(let rows) = m.value.value else {
                    throw fail("'\(m.key)' must be an array of rows, not \(m.value.kindName)", m.value.at)
                }
                out.append(try part(k, rows, path: path, map: map))
            }
            return out
        default:
            throw fail("expected an object keyed by entity set names, or an array of rows with --as", doc.at)
        }
    }

    /// One set's rows as CSV: the header is every member name in order of first appearance.
    static func part(_ kind: EntityKind, _ rows: [JSONNode], path: String, map: ColumnMap) throws(WorkspaceError) -> ImportPart {
        func fail(_ m: String, _ p: Position) -> WorkspaceError {
            WorkspaceError(data: LoadError(file: path, line: p.line, column: p.column, message: m))
        }
        var columns: [String] = []
        var columnAt: [Position] = []
        var index: [String: Int] = [:]
        for r in rows {
            guard case .object(let members) = r.value else {
                throw fail("a row of \(kind.setName) must be an object, not \(r.kindName)", r.at)
            }
            for m in members where index[map.name(m.key)] == nil {
                index[map.name(m.key)] = columns.count
                columns.append(map.name(m.key))
                columnAt.append(m.keyAt)
            }
        }
        var csv = SyntheticCSV()
        csv.row(columns, origins: columnAt, rowOrigin: rows.first?.at ?? Position(line: 1, column: 1))
        for r in rows {
            guard case .object(let members) = r.value else { continue }
            var cells = [String?](repeating: nil, count: columns.count)
            var origins = [Position?](repeating: nil, count: columns.count)
            var seen = Set<Int>()
            for m in members {
                guard let c = index[map.name(m.key)] else { continue }
                if !seen.insert(c).inserted { throw fail("member '\(m.key)' appears twice in this row", m.keyAt) }
                origins[c] = m.value.at
                switch m.value.value {
                case .string(let s): cells[c] = s
                case .number(let n): cells[c] = n
                case .bool(let b): cells[c] = b ? "true" : "false"
                case .null: cells[c] = nil
                case .array(let items):
                    var list: [String] = []
                    for item in items {
                        guard case .string(let s) = item.value else {
                            throw fail("a list in '\(m.key)' holds strings, not \(item.kindName)", item.at)
                        }
                        if s.contains(";") { throw fail("a list item cannot contain ';'", item.at) }
                        list.append(s)
                    }
                    cells[c] = list.joined(separator: ";")
                case .object:
                    throw fail("'\(m.key)' must be a value, not an object", m.value.at)
                }
            }
            csv.row(cells, origins: origins, rowOrigin: r.at)
        }
        return ImportPart(kind: kind, file: path, bytes: csv.writer.bytes, origin: csv.map)
    }
}
