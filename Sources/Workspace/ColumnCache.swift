// The column cache: a derived file beside a workspace (`portfolio.db-columns`) holding every set's
// columns as the in-memory store keeps them, so that a command starts by mapping the file and
// copying only the columns of the sets it touches, instead of reading every row through SQLite.
//
// The workspace stays the only source of truth. The cache is stamped with the workspace's data
// generation (bumped by every import, and by triggers on any other change to the data, such as an
// edit with the sqlite3 tool); a cache of another generation, model or byte order is ignored and
// rebuilt. It is written to a temporary file, synced, then renamed into place, so a reader sees a
// whole cache or none. Deleting it is always safe.
//
// Layout (native byte order, little-endian machines; every array starts on an 8-byte boundary):
//   header    magic "PMOCOL01", u32 format, u32 byte-order mark, i64 generation, u64 model
//             fingerprint, u32 set count, u32 0, then per set: u32 kind, u32 field count,
//             i64 rows, u64 offset, u64 length
//   per set   per field: the column's array (count, then the elements), its none mask's words,
//             its strings (count, byte offsets, bytes) and, for lists, item offsets and codes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Portfolio

enum ColumnCacheFormat {
    static let magic: [UInt8] = Array("PMOCOL01".utf8)
    static let version: UInt32 = 1
    static let byteOrderMark: UInt32 = 0x0102_0304
    static let headerSize = 8 + 4 + 4 + 8 + 8 + 4 + 4
    static let entrySize = 4 + 4 + 8 + 8 + 8

    /// The cache file of a workspace.
    static func path(of workspace: String) -> String { workspace + "-columns" }

    /// A hash of the model (every set's fields and their types): a cache written by a pmo with
    /// another model is not read.
    static let fingerprint: UInt64 = {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in EntityKind.allCases {
            for f in Catalog.schemas[k.rawValue].fields {
                for b in "\(k.setName).\(f.name):\(f.type);".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            }
        }
        return h
    }()

    /// Which array of a `Column` holds a field's values.
    enum Storage { case ints, reals, codes, smalls, lists }

    /// The element sizes of a column's arrays, in the order they are written: its values (lists:
    /// item offsets and items), its none mask's words, its strings' byte offsets and bytes.
    static func strides(_ t: FieldType) -> [Int] {
        let tail = [8, 8, 1]
        switch storage(t) {
        case .ints, .reals: return [8] + tail
        case .codes: return [4] + tail
        case .smalls: return [1] + tail
        case .lists: return [8, 4] + tail
        }
    }

    static func storage(_ t: FieldType) -> Storage {
        switch t {
        case .int, .money, .percent, .hours, .duration: return .ints
        case .real: return .reals
        case .date, .reference, .id, .string: return .codes
        case .bool, .enumeration: return .smalls
        case .stringList: return .lists
        }
    }
}

/// Writes a store's columns as a column cache.
struct ColumnCacheWriter {
    private let fd: Int32
    private var position = 0
    private var buffer: [UInt8] = []

    /// Writes `store` (every set filled) for data `generation` to `path`, atomically. Throws a
    /// message when the file cannot be written; nothing is left behind then.
    static func save(_ store: PortfolioStore, generation: Int64, to path: String) throws(WorkspaceError) {
        let tmp = path + ".tmp-" + String(getpid())
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WorkspaceError(.cannotWrite, "cannot write '\(tmp)': \(InputFiles.errnoText())") }
        var w = ColumnCacheWriter(fd: fd)
        do throws(WorkspaceError) {
            try w.writeAll(store, generation: generation)
            guard fsync(fd) == 0 else { throw WorkspaceError(.cannotWrite, "cannot write '\(tmp)': \(InputFiles.errnoText())") }
            close(fd)
            guard rename(tmp, path) == 0 else {
                throw WorkspaceError(.cannotWrite, "cannot write '\(path)': \(InputFiles.errnoText())")
            }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
    }

    private init(fd: Int32) { self.fd = fd }

    private mutating func writeAll(_ store: PortfolioStore, generation: Int64) throws(WorkspaceError) {
        let kinds = EntityKind.allCases
        let directorySize = ColumnCacheFormat.headerSize + kinds.count * ColumnCacheFormat.entrySize
        // The header is written last, over these zeros, once the offsets are known.
        bytes([UInt8](repeating: 0, count: directorySize))
        align()
        var entries: [(kind: UInt32, fields: UInt32, rows: Int64, offset: UInt64, length: UInt64)] = []
        for k in kinds {
            let t = store.table(k)
            let start = position
            for c in t.columns { try column(c, rows: t.count) }
            try flush()
            entries.append((UInt32(k.rawValue), UInt32(t.columns.count), Int64(t.count), UInt64(start), UInt64(position - start)))
        }
        try flush()
        var header: [UInt8] = ColumnCacheFormat.magic
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v) { header.append(contentsOf: $0) } }
        put(ColumnCacheFormat.version); put(ColumnCacheFormat.byteOrderMark); put(generation)
        put(ColumnCacheFormat.fingerprint); put(UInt32(kinds.count)); put(UInt32(0))
        for e in entries { put(e.kind); put(e.fields); put(e.rows); put(e.offset); put(e.length) }
        let written = header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == header.count else { throw failed() }
    }

    private mutating func column(_ c: Column, rows: Int) throws(WorkspaceError) {
        switch ColumnCacheFormat.storage(c.field.type) {
        case .ints: try array(c.ints)
        case .reals: try array(c.reals)
        case .codes: try array(c.codes)
        case .smalls: try array(c.smalls)
        case .lists:
            var offsets: [Int64] = [0]
            var items: [Int32] = []
            for l in c.lists { items += l; offsets.append(Int64(items.count)) }
            try array(offsets)
            try array(items)
        }
        try array(c.nulls.words)
        var offsets: [Int64] = [0]
        var text: [UInt8] = []
        for s in c.pool.strings { text += s.utf8; offsets.append(Int64(text.count)) }
        try array(offsets)
        try array(text)
    }

    /// An array: its element count, then its bytes, padded to 8.
    private mutating func array<T: BitwiseCopyable>(_ a: [T]) throws(WorkspaceError) {
        withUnsafeBytes(of: Int64(a.count)) { buffer.append(contentsOf: $0) }
        position += 8
        let size = a.count * MemoryLayout<T>.stride
        if size < 1 << 16 {
            a.withUnsafeBytes { buffer.append(contentsOf: $0) }
            position += size
        } else {
            try flush()
            var ok = true
            a.withUnsafeBytes { raw in ok = ColumnCacheWriter.writeFully(fd, raw) }
            guard ok else { throw failed() }
            position += size
        }
        align()
    }

    private mutating func bytes(_ b: [UInt8]) { buffer += b; position += b.count }

    private mutating func align() {
        let pad = (8 - position % 8) % 8
        if pad > 0 { bytes([UInt8](repeating: 0, count: pad)) }
    }

    private mutating func flush() throws(WorkspaceError) {
        if buffer.isEmpty { return }
        let ok = buffer.withUnsafeBytes { ColumnCacheWriter.writeFully(fd, $0) }
        guard ok else { throw failed() }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeFully(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
        guard var p = raw.baseAddress else { return true }
        var left = raw.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            p += n
            left -= n
        }
        return true
    }

    private func failed() -> WorkspaceError {
        WorkspaceError(.cannotWrite, "cannot write the column cache: \(InputFiles.errnoText())")
    }
}
