// `pmo export SET --to FILE`: one entity set written as CSV or JSON in the import format (so an
// export imports back to the same rows), atomically: a temporary file beside the target, flushed,
// then renamed over it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase
import Portfolio

/// The formats an export writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, json

    /// The format named by a file's extension.
    public init?(path: String) {
        let base = InputFiles.baseName(path)
        guard let dot = base.lastIndex(of: ".") else { return nil }
        self.init(rawValue: base[base.index(after: dot)...].lowercased())
    }
}

extension Workspace {
    /// Writes one entity set to `path` (CSV or JSON by the file's extension unless `format` is given).
    /// Returns the number of rows written.
    @discardableResult
    public func export(set: EntityKind, to path: String, format: ExportFormat? = nil) throws(WorkspaceError) -> Int {
        guard let f = format ?? ExportFormat(path: path) else {
            throw WorkspaceError(.usage, "cannot tell the format of '\(path)': use a .csv or .json file name")
        }
        let store = try loadStore(sets: [set])
        let bytes = EntityExport.bytes(store, set, f)
        try AtomicWrite.replace(path, with: bytes)
        return store.table(set).count
    }
}

/// Entity sets as text.
public enum EntityExport {
    public static func bytes(_ store: PortfolioStore, _ kind: EntityKind, _ format: ExportFormat) -> [UInt8] {
        switch format {
        case .csv:
            var w = CSVWriter(capacity: store.table(kind).count * 48 + 256)
            TableCSV.write(store, kind, into: &w)
            return w.bytes
        case .json:
            return json(store, kind)
        }
    }

    /// An array of row objects: numbers exact (money, hours and percentages as decimals, fractions for
    /// percentages), dates and references (the related id) as strings, lists as arrays, none as null.
    static func json(_ store: PortfolioStore, _ kind: EntityKind) -> [UInt8] {
        let t = store.table(kind)
        let ids: [Portfolio.Column?] = t.columns.map { c in
            guard case .reference(let target) = c.field.type else { return nil }
            return store.table(target).column("id")
        }
        var out: [UInt8] = []
        out.reserveCapacity(t.count * 96 + 16)
        out.append(91)
        var cell = CSVWriter(capacity: 64)
        for r in 0..<t.count {
            out.append(contentsOf: r == 0 ? Array("\n  {".utf8) : Array(",\n  {".utf8))
            for (i, c) in t.columns.enumerated() {
                if i > 0 { out.append(contentsOf: [44, 32]) }
                string(c.field.name, &out)
                out.append(contentsOf: [58, 32])
                if c.isNone(r) { out.append(contentsOf: Array("null".utf8)); continue }
                switch c.field.type {
                case .id, .string: string(c.pool[c.codes[r]], &out)
                case .enumeration(let e): string(e.cases[Int(c.smalls[r])], &out)
                case .bool: out.append(contentsOf: Array((c.smalls[r] == 1 ? "true" : "false").utf8))
                case .int, .duration: out.append(contentsOf: Array(String(c.ints[r]).utf8))
                case .money, .percent, .hours:
                    cell.fixed(c.ints[r])
                    out.append(contentsOf: cell.take())
                case .real: out.append(contentsOf: Array(String(c.reals[r]).utf8))
                case .date:
                    cell.date(c.codes[r])
                    out.append(34); out.append(contentsOf: cell.take()); out.append(34)
                case .reference:
                    if let col = ids[i], let s = col.string(Int(c.codes[r])) { string(s, &out) } else { out.append(contentsOf: Array("null".utf8)) }
                case .stringList:
                    out.append(91)
                    for (j, code) in c.lists[r].enumerated() {
                        if j > 0 { out.append(contentsOf: [44, 32]) }
                        string(c.pool[code], &out)
                    }
                    out.append(93)
                }
            }
            out.append(125)
        }
        out.append(contentsOf: t.count == 0 ? [93, 10] : [10, 93, 10])
        return out
    }

    /// A JSON string literal (`Escape.json`, the one escaper of every JSON pmo writes).
    static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(contentsOf: Array(Escape.json(s).utf8))
    }
}

/// Writes a file so that a reader sees the old file or the whole new one, never a part.
enum AtomicWrite {
    static func replace(_ path: String, with bytes: [UInt8]) throws(WorkspaceError) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty, name != ".", name != ".." else { throw WorkspaceError(.cannotWrite, "cannot write '\(path)': not a file name") }
        if InputFiles.isDirectory(path) { throw WorkspaceError(.cannotWrite, "cannot write '\(path)': it is a directory") }
        var template = Array((dir + "/." + name + ".pmo-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw WorkspaceError(.cannotWrite, "cannot write '\(path)': \(InputFiles.errnoText())") }
        let tmp = template.withUnsafeBufferPointer { buf in
            String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        var written = 0
        var failure: String?
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = InputFiles.errnoText()
                    return
                }
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = InputFiles.errnoText() }
        close(fd)
        if let failure {
            unlink(tmp)
            throw WorkspaceError(.cannotWrite, "cannot write '\(path)': \(failure)")
        }
        guard rename(tmp, path) == 0 else {
            let r = InputFiles.errnoText()
            unlink(tmp)
            throw WorkspaceError(.cannotWrite, "cannot write '\(path)': \(r)")
        }
    }
}
