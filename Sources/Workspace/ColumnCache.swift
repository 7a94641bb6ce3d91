// The column cache: a derived file beside a workspace (`portfolio.db-columns`) holding every set's
// columns as the in-memory store keeps them, so that a command starts by reading the file's header
// and copying only the columns of the sets it touches, instead of reading every row through SQLite.
//
// The workspace stays the only source of truth. The cache is stamped with the workspace's random
// identity (in `meta`), the workspace file's device and inode, and its data generation (a random
// number replaced by every import, and by triggers on any other change to the data); its header
// and every column carry an XXH64 checksum, verified when first read. A cache whose stamp, model,
// byte order or header checksum differs is ignored and rebuilt; a column whose checksum or
// contents are wrong is read from SQLite instead (ColumnCacheReader.swift). It is written to a
// temporary file with an unpredictable name (created exclusively, never through a symbolic link,
// locked while it is written so that leftovers of killed runs can be told apart and removed),
// synced, then renamed into place, so a reader sees a whole cache or none. Deleting it is always safe.
//
// Layout (native byte order, little-endian machines; every array starts on an 8-byte boundary):
//   header    magic "PMOCOL02", u32 format, u32 byte-order mark, i64 generation, u64 model
//             fingerprint, u64 workspace identity, u64 device, u64 inode, u32 set count, u32 0,
//             then per set: u32 kind, u32 field count, i64 rows, u64 offset, u64 length;
//             then the XXH64 of all of the above
//   per set   per field: u64 length, u64 XXH64 of the column's bytes; then the columns in order
//   column    its array (count, then the elements), its none mask's words, its strings (count,
//             byte offsets, bytes) and, for lists, item offsets and codes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Portfolio

enum ColumnCacheFormat {
    static let magic: [UInt8] = Array("PMOCOL02".utf8)
    static let version: UInt32 = 2
    static let byteOrderMark: UInt32 = 0x0102_0304
    static let headerSize = 8 + 4 + 4 + 8 + 8 + 8 + 8 + 8 + 4 + 4
    static let entrySize = 4 + 4 + 8 + 8 + 8
    /// The header, the directory and the directory's checksum.
    static var directorySize: Int { headerSize + EntityKind.allCases.count * entrySize + 8 }
    /// Per field of a set: its column's length and checksum.
    static let columnEntrySize = 16

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

    /// Writes `store` (every set filled) stamped with `stamp` to `path`, atomically. Throws a message
    /// when the file cannot be written; nothing is left behind then.
    static func save(_ store: PortfolioStore, stamp: CacheStamp, to path: String) throws(WorkspaceError) {
        TemporaryFiles.removeStale(beside: path)
        let (fd, tmp) = try TemporaryFiles.create(beside: path)
        var w = ColumnCacheWriter(fd: fd)
        do throws(WorkspaceError) {
            try w.writeAll(store, stamp: stamp)
            guard fsync(fd) == 0 else { throw WorkspaceError(.cannotWrite, "cannot write '\(tmp)': \(InputFiles.errnoText())") }
            guard rename(tmp, path) == 0 else {
                throw WorkspaceError(.cannotWrite, "cannot write '\(path)': \(InputFiles.errnoText())")
            }
            close(fd)
        } catch {
            unlink(tmp)
            close(fd)
            throw error
        }
    }

    private init(fd: Int32) { self.fd = fd }

    private mutating func writeAll(_ store: PortfolioStore, stamp: CacheStamp) throws(WorkspaceError) {
        let kinds = EntityKind.allCases
        // The header is written last, over these zeros, once the offsets are known.
        position = ColumnCacheFormat.directorySize
        position += (8 - position % 8) % 8
        var entries: [(kind: UInt32, fields: UInt32, rows: Int64, offset: UInt64, length: UInt64)] = []
        for k in kinds {
            let t = store.table(k)
            let start = position
            var table: [UInt8] = []
            position += t.columns.count * ColumnCacheFormat.columnEntrySize
            for c in t.columns {
                if LoadCancellation.now { throw WorkspaceError(.cancelled, LoadCancellation.message) }
                let bytes = ColumnCacheWriter.bytes(of: c)
                guard pwriteFully(bytes, at: position) else { throw failed() }
                position += bytes.count
                ColumnCacheWriter.put(UInt64(bytes.count), into: &table)
                ColumnCacheWriter.put(XXH64.hash(bytes), into: &table)
            }
            guard pwriteFully(table, at: start) else { throw failed() }
            entries.append((UInt32(k.rawValue), UInt32(t.columns.count), Int64(t.count), UInt64(start), UInt64(position - start)))
        }
        var header: [UInt8] = ColumnCacheFormat.magic
        func put<T: FixedWidthInteger>(_ v: T) { ColumnCacheWriter.put(v, into: &header) }
        put(ColumnCacheFormat.version); put(ColumnCacheFormat.byteOrderMark); put(stamp.generation)
        put(ColumnCacheFormat.fingerprint); put(stamp.workspace); put(stamp.device); put(stamp.inode)
        put(UInt32(kinds.count)); put(UInt32(0))
        for e in entries { put(e.kind); put(e.fields); put(e.rows); put(e.offset); put(e.length) }
        put(XXH64.hash(header))
        guard pwriteFully(header, at: 0) else { throw failed() }
    }

    static func put<T: FixedWidthInteger>(_ v: T, into out: inout [UInt8]) {
        withUnsafeBytes(of: v) { out.append(contentsOf: $0) }
    }

    /// A column's bytes: its arrays in the order `ColumnCacheFormat.strides` gives.
    static func bytes(of c: Column) -> [UInt8] {
        var out: [UInt8] = []
        switch ColumnCacheFormat.storage(c.field.type) {
        case .ints: array(c.ints, &out)
        case .reals: array(c.reals, &out)
        case .codes: array(c.codes, &out)
        case .smalls: array(c.smalls, &out)
        case .lists:
            var offsets: [Int64] = [0]
            var items: [Int32] = []
            for l in c.lists { items += l; offsets.append(Int64(items.count)) }
            array(offsets, &out)
            array(items, &out)
        }
        array(c.nulls.words, &out)
        var offsets: [Int64] = [0]
        var text: [UInt8] = []
        for s in c.pool.strings { text += s.utf8; offsets.append(Int64(text.count)) }
        array(offsets, &out)
        array(text, &out)
        return out
    }

    /// An array: its element count, then its bytes, padded to 8.
    private static func array<T: BitwiseCopyable>(_ a: [T], _ out: inout [UInt8]) {
        put(Int64(a.count), into: &out)
        a.withUnsafeBytes { out.append(contentsOf: $0) }
        let pad = (8 - out.count % 8) % 8
        if pad > 0 { out.append(contentsOf: repeatElement(0, count: pad)) }
    }

    private func pwriteFully(_ bytes: [UInt8], at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                pwrite(fd, raw.baseAddress.map { $0 + done }, raw.count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    private func failed() -> WorkspaceError {
        WorkspaceError(.cannotWrite, "cannot write the column cache: \(InputFiles.errnoText())")
    }
}
