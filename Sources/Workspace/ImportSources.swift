// What an import reads, turned into CSV texts for the loader: CSV files (with a column mapping),
// and CSV built from JSON or MS Project XML that remembers where each cell came from, so that an
// error names the line and column of the original file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase
import Portfolio

/// A line and column in an input file (1-based).
struct Position: Hashable {
    var line: Int
    var column: Int
}

/// One entity set's incoming rows as a CSV text: `header` names the fields (after mapping) and
/// the data records follow in input order.
struct ImportPart {
    var kind: EntityKind
    /// The input file, for messages.
    var file: String
    var bytes: [UInt8]
    /// For CSV made from another format (or a rewritten header): where each cell came from.
    var origin: PositionMap?
    /// Filled by `scan()`.
    var header: [String] = []
    var records = 0
    var recordLines: [Int] = []
    var ids: [String] = []
    /// The number of lines of the text (an error past them is in a row the workspace already had).
    var lastLine = 0
    /// A CSV file as read (its dialect and map not yet applied: `ImportInput.prepare`).
    var rawCSV = false
    /// The separator of a raw CSV file (`--delimiter`), nil: detected.
    var separator: UInt8?

    init(kind: EntityKind, file: String, bytes: [UInt8], origin: PositionMap? = nil) {
        self.kind = kind; self.file = file; self.bytes = bytes; self.origin = origin
    }

    /// The position in the input file of a position in `bytes`.
    func original(_ p: Position) -> Position { origin?.map(p) ?? p }

    /// Reads the header, counts the records and collects their lines and ids.
    mutating func scan() throws(WorkspaceError) {
        let reader = CSVReader(bytes: bytes)
        var cells: [CSVCell] = []
        func next() throws(WorkspaceError) -> Bool {
            do { return try reader.nextRecord(into: &cells) } catch {
                let p = original(Position(line: error.line, column: error.column))
                throw WorkspaceError(data: LoadError(file: file, line: p.line, column: p.column, message: error.message))
            }
        }
        guard try next() else { return }
        header = cells.map { trim(reader.string(of: $0)) }
        let idIndex = WorkspaceModel.hasID(kind) ? header.firstIndex(of: "id") : nil
        while try next() {
            records += 1
            recordLines.append(reader.recordLine)
            if let i = idIndex { ids.append(i < cells.count ? trim(reader.string(of: cells[i])) : "") }
        }
        var lines = 0
        for b in bytes where b == 10 { lines += 1 }
        if let last = bytes.last, last != 10 { lines += 1 }
        lastLine = lines
    }

    /// The position of data record `i` in the input file.
    func recordPosition(_ i: Int) -> Position {
        original(Position(line: i < recordLines.count ? recordLines[i] : 0, column: 1))
    }
}

func trim(_ s: String) -> String {
    var sub = Substring(s)
    while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
    while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
    return String(sub)
}

/// Positions in a generated CSV text mapped to positions in the file it was made from.
struct PositionMap {
    var cells: [Position: Position] = [:]
    var lines: [Int: Position] = [:]

    func map(_ p: Position) -> Position { cells[p] ?? lines[p.line] ?? p }
}

/// Builds a CSV text cell by cell, remembering where each cell came from.
struct SyntheticCSV {
    var writer = CSVWriter()
    var map = PositionMap()
    private var line = 1
    private var column = 1
    private var first = true

    /// Appends one record; `origins[i]` is where cell i came from, `rowOrigin` where the record did.
    mutating func row(_ cells: [String?], origins: [Position?], rowOrigin: Position) {
        map.lines[line] = rowOrigin
        for (i, c) in cells.enumerated() {
            if i > 0 { column += 1 } // the comma
            let start = Position(line: line, column: column)
            map.cells[start] = (i < origins.count ? origins[i] : nil) ?? rowOrigin
            let before = writer.count
            if let c { writer.text(c) } else { writer.none() }
            // Advance over what was written (a quoted cell may hold line breaks).
            let written = writer.bytes[(before + (i > 0 ? 1 : 0))...]
            for b in written {
                if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            }
        }
        writer.endRow()
        line += 1
        column = 1
    }
}

/// Reading input files.
enum InputFiles {
    /// A file's text as UTF-8 (TextEncoding.swift): bytes that are not text in `encoding` are an error
    /// naming the file, line and column.
    static func text(_ path: String, encoding: InputEncoding?) throws(WorkspaceError) -> [UInt8] {
        let raw = try contents(path)
        do { return try TextDecoding.utf8(raw, encoding: encoding) } catch {
            throw WorkspaceError(data: LoadError(file: path, line: error.line, column: error.column, message: error.message))
        }
    }

    static func contents(_ path: String) throws(WorkspaceError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw WorkspaceError(.missing, "cannot open '\(path)': \(errnoText())") }
        defer { close(fd) }
        var out: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw WorkspaceError(.usage, "'\(path)' is a directory") }
            out.reserveCapacity(Int(st.st_size) + 1)
        }
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WorkspaceError(.missing, "cannot read '\(path)': \(errnoText())")
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// The names in a directory, sorted.
    static func list(_ path: String) throws(WorkspaceError) -> [String] {
        guard let d = opendir(path) else { throw WorkspaceError(.missing, "cannot read directory '\(path)': \(errnoText())") }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func errnoText() -> String {
        guard let s = strerror(errno) else { return "error \(errno)" }
        return String(cString: s)
    }

    /// `dir/name`.
    static func join(_ dir: String, _ name: String) -> String { dir.hasSuffix("/") ? dir + name : dir + "/" + name }

    /// The last path component.
    static func baseName(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p.split(separator: "/").last.map(String.init) ?? String(p)
    }
}

/// CSV files: the set from `--as` or the file name, the header renamed by the column map.
enum CSVImport {
    /// The file as read; `prepare` applies the dialect and the map.
    static func part(path: String, kind: EntityKind, encoding: InputEncoding? = nil) throws(WorkspaceError) -> ImportPart {
        var p = ImportPart(kind: kind, file: path, bytes: try InputFiles.text(path, encoding: encoding))
        p.rawCSV = true
        return p
    }

    /// Applies the dialect and the map to a raw CSV part: only the header is renamed when the file is
    /// plain CSV and the map only renames (the fast path of large exports), else every cell is rewritten.
    static func prepare(_ p: inout ImportPart, map: ColumnMap, dialect: CSVDialect,
                        people: [EntityKind: PeopleDirectory], problems: LoadProblems) throws(WorkspaceError) {
        guard p.rawCSV else { return }
        p.rawCSV = false
        let sep = dialect.separator ?? CSVDialect.detect(p.bytes)
        if DialectCSV.needsRewrite(separator: sep, dialect: dialect, map: map) {
            let (bytes, origin) = try DialectCSV.rewrite(p, separator: sep, map: map, dialect: dialect, people: people, problems: problems)
            p.bytes = bytes; p.origin = origin
        } else if !map.renames.isEmpty {
            (p.bytes, p.origin) = try renameHeader(p.bytes, path: p.file, map: map)
        }
    }

    /// Rewrites the header record with mapped names, keeping every data line where it was.
    static func renameHeader(_ bytes: [UInt8], path: String, map: ColumnMap) throws(WorkspaceError) -> ([UInt8], PositionMap?) {
        let reader = CSVReader(bytes: bytes)
        var cells: [CSVCell] = []
        let found: Bool
        do { found = try reader.nextRecord(into: &cells) } catch {
            throw WorkspaceError(data: LoadError(file: path, line: error.line, column: error.column, message: error.message))
        }
        guard found, let last = cells.last else { return (bytes, nil) }
        let names = cells.map { trim(reader.string(of: $0)) }
        let mapped = names.map(map.name)
        if mapped == names { return (bytes, nil) }
        let headerLine = reader.recordLine
        var s = SyntheticCSV()
        let origins = cells.map { Optional(Position(line: reader.line(of: $0), column: reader.column(of: $0))) }
        s.row(mapped, origins: origins, rowOrigin: Position(line: headerLine, column: 1))
        var text = s.writer.bytes
        text.removeLast() // the header's line end: the original one follows
        // Blank lines before the header stay, so data lines keep their numbers.
        let lead = [UInt8](repeating: 10, count: headerLine - 1)
        var out = lead + text
        out.append(contentsOf: bytes[last.stop...])
        var m = PositionMap()
        for (p, o) in s.map.cells { m.cells[Position(line: p.line + headerLine - 1, column: p.column)] = o }
        return (out, m)
    }
}
