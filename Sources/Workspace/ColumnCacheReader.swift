// Reading a column cache (ColumnCache.swift). The file is never memory-mapped: its header and each
// column are copied with pread, so a file cut short or rewritten underneath gives short reads and
// wrong checksums, never SIGBUS. The header is checked against the workspace (format, byte order,
// model, identity, file, generation, checksum, every set's place inside the file); a column is read
// when a query first touches it, its checksum verified and its values checked (references, codes,
// dates). A set or a column that fails any check is read from SQLite instead (the `fallback`), so a
// damaged cache costs time, never a wrong answer.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase
import Portfolio

/// A column cache that fills a store's sets on demand.
final class ColumnCacheReader: TableProvider, ColumnFiller, @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let size: Int
    private var regions: [(rows: Int, offset: Int, length: Int)] = []
    /// Reads one set (and the sets it refers to) from the workspace itself, for damage in the cache;
    /// a message when that cannot be done either (the workspace changed meanwhile).
    typealias Fallback = (EntityKind) -> Result<EntityTable, WorkspaceError>
    private let fallback: Fallback?
    private var fallbackTables: [EntityKind: EntityTable] = [:]
    /// What was found wrong in the cache (it was read from SQLite instead), for tests and `--verbose`.
    private(set) var repairs: [String] = []

    /// Opens the cache at `path` when it was written for exactly this workspace (`stamp`) by this
    /// model; nil when there is no such cache (missing, not a regular file, stale, another
    /// workspace or file, another format, or a header that fails its checksum).
    init?(path: String, stamp: CacheStamp, fallback: Fallback? = nil) {
        self.path = path
        self.fallback = fallback
        pthread_mutex_init(&mutex, nil)
        let fd = SafeFiles.openRegular(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= ColumnCacheFormat.directorySize,
              let header = ColumnCacheReader.readExactly(fd, at: 0, count: ColumnCacheFormat.directorySize) else {
            close(fd)
            return nil
        }
        self.fd = fd
        size = Int(st.st_size)
        // (deinit closes the file)
        guard readHeader(header, stamp: stamp) else { return nil }
    }

    deinit {
        close(fd)
        pthread_mutex_destroy(&mutex)
    }

    /// Exactly `count` bytes at `offset`, or nil (a short read: the file was cut short).
    static func readExactly(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
        guard count >= 0, offset >= 0 else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            done += n
        }
        return out
    }

    private func readHeader(_ h: [UInt8], stamp: CacheStamp) -> Bool {
        func load<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            h.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
        }
        let kinds = EntityKind.allCases
        let end = ColumnCacheFormat.directorySize - 8
        guard Array(h[0..<8]) == ColumnCacheFormat.magic,
              load(8, UInt32.self) == ColumnCacheFormat.version,
              load(12, UInt32.self) == ColumnCacheFormat.byteOrderMark,
              load(end, UInt64.self) == XXH64.hash(Array(h[0..<end])),
              load(16, Int64.self) == stamp.generation,
              load(24, UInt64.self) == ColumnCacheFormat.fingerprint,
              load(32, UInt64.self) == stamp.workspace,
              load(40, UInt64.self) == stamp.device,
              load(48, UInt64.self) == stamp.inode,
              load(56, UInt32.self) == UInt32(kinds.count) else { return false }
        for (i, k) in kinds.enumerated() {
            let e = ColumnCacheFormat.headerSize + i * ColumnCacheFormat.entrySize
            let rows = load(e + 8, Int64.self), offset = load(e + 16, UInt64.self), length = load(e + 24, UInt64.self)
            guard load(e, UInt32.self) == UInt32(k.rawValue),
                  load(e + 4, UInt32.self) == UInt32(Catalog.schemas[k.rawValue].fields.count),
                  rows >= 0, rows < Int64(Int32.max), offset >= UInt64(ColumnCacheFormat.directorySize),
                  length <= UInt64(size), offset <= UInt64(size) - length, UInt64(rows) <= length else { return false }
            regions.append((Int(rows), Int(offset), Int(length)))
        }
        return true
    }

    /// Where each column of a set starts, its length and checksum, and the row counts of the sets
    /// its references point at.
    private var columns: [[(start: Int, length: Int, hash: UInt64)]] = Array(repeating: [], count: EntityKind.allCases.count)
    private var targetCounts: [[EntityKind: Int]] = Array(repeating: [:], count: EntityKind.allCases.count)
    private var firstFailure: String?
    private var mutex = pthread_mutex_t()

    var failure: String? { withMutex { firstFailure } }

    func locked(_ body: () -> Void) { withMutex(body) }

    private func withMutex<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }

    private func damaged(_ k: EntityKind, _ field: String?, _ problem: String) -> String {
        "the column cache '\(path)' is damaged (\(k.setName)\(field.map { "." + $0 } ?? ""): \(problem))"
    }

    /// The set read from the workspace itself (once per set).
    private func fromWorkspace(_ k: EntityKind, because problem: String) -> Result<EntityTable, WorkspaceError> {
        if let t = fallbackTables[k] { return .success(t) }
        removeDamagedFile()
        guard let fallback else { return .failure(WorkspaceError(.corrupt, problem + "; delete it and run again: the workspace itself is not affected")) }
        let r = fallback(k)
        if case .success(let t) = r { fallbackTables[k] = t }
        return r
    }

    /// Removes the damaged cache, so that the next run that reads SQLite writes a new one: only when
    /// the file at `path` is still the one read (another run may have replaced it with a good one).
    private func removeDamagedFile() {
        var mine = stat(), there = stat()
        if fstat(fd, &mine) == 0, lstat(path, &there) == 0, mine.st_ino == there.st_ino, mine.st_dev == there.st_dev {
            unlink(path)
        }
    }

    /// Sets the row count and reads where each column is; the columns are copied when first read.
    func fill(_ table: EntityTable, counts: (EntityKind) -> Int) -> String? {
        let k = table.kind
        if let problem = layout(table) {
            repairs.append(damaged(k, nil, problem))
            switch fromWorkspace(k, because: damaged(k, nil, problem)) {
            case .failure(let e): return e.message
            case .success(let source):
                table.count = source.count
                for (i, c) in table.columns.enumerated() { ColumnCacheReader.copy(source.columns[i], into: c) }
                return nil
            }
        }
        var targets: [EntityKind: Int] = [:]
        for f in table.schema.fields {
            if case .reference(let t) = f.type, t != k { targets[t] = counts(t) }
        }
        withMutex { targetCounts[k.rawValue] = targets }
        table.count = regions[k.rawValue].rows
        table.fillLater(self)
        return nil
    }

    /// Reads a set's table of columns; a problem when it does not describe its region.
    private func layout(_ table: EntityTable) -> String? {
        let k = table.kind
        let region = regions[k.rawValue]
        let n = table.schema.fields.count
        guard let bytes = ColumnCacheReader.readExactly(fd, at: region.offset, count: n * ColumnCacheFormat.columnEntrySize) else {
            return "the file is shorter than its directory says"
        }
        var out: [(start: Int, length: Int, hash: UInt64)] = []
        var at = region.offset + n * ColumnCacheFormat.columnEntrySize
        let end = region.offset + region.length
        for i in 0..<n {
            let length = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 16, as: UInt64.self) }
            let hash = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 16 + 8, as: UInt64.self) }
            guard length <= UInt64(end - at) else { return "a column runs past its set" }
            out.append((at, Int(length), hash))
            at += Int(length)
        }
        guard at == end else { return "its columns do not fill its region" }
        withMutex { columns[k.rawValue] = out }
        return nil
    }

    func fill(_ table: EntityTable, column i: Int, into c: Column) {
        let k = table.kind
        let n = table.count
        let place = columns[k.rawValue][i]
        let targets = targetCounts[k.rawValue]
        var problem: String?
        if let bytes = ColumnCacheReader.readExactly(fd, at: place.start, count: place.length) {
            if XXH64.hash(bytes) != place.hash {
                problem = "checksum mismatch"
            } else {
                problem = bytes.withUnsafeBytes { raw -> String? in
                    guard let base = raw.baseAddress else { return "an empty column" }
                    var cursor = Cursor(base: base, position: 0, end: raw.count)
                    return fillColumn(c, rows: n, kind: k, &cursor, { targets[$0] ?? 0 })
                }
            }
        } else {
            problem = "the file was cut short"
        }
        guard let problem else { return }
        let message = damaged(k, c.field.name, problem)
        repairs.append(message)
        switch fromWorkspace(k, because: message) {
        case .success(let source) where source.count == n:
            ColumnCacheReader.copy(source.columns[i], into: c)
        case .success:
            if firstFailure == nil { firstFailure = message + "; the workspace changed while it was read: run again" }
            ColumnCacheReader.fillWithNone(c, rows: n)
        case .failure(let e):
            if firstFailure == nil { firstFailure = e.message }
            ColumnCacheReader.fillWithNone(c, rows: n)
        }
    }

    /// Copies a column read from SQLite.
    static func copy(_ s: Column, into c: Column) {
        c.ints = s.ints; c.reals = s.reals; c.codes = s.codes; c.smalls = s.smalls; c.lists = s.lists
        c.nulls = s.nulls
        c.pool.assign(s.pool.strings)
    }

    /// A column that could not be read holds none in every row, so nothing indexes past its end.
    static func fillWithNone(_ c: Column, rows n: Int) {
        let nulls = NullMask(words: Array(repeating: ~0, count: (n + 63) / 64))
        c.ints = []; c.reals = []; c.codes = []; c.smalls = []; c.lists = []
        switch ColumnCacheFormat.storage(c.field.type) {
        case .ints: c.ints = Array(repeating: 0, count: n)
        case .reals: c.reals = Array(repeating: 0, count: n)
        case .codes: c.codes = Array(repeating: c.field.type == .date ? 0 : -1, count: n)
        case .smalls: c.smalls = Array(repeating: Column.noneSmall, count: n)
        case .lists: c.lists = Array(repeating: [], count: n)
        }
        c.nulls = nulls
        c.pool.assign([])
    }

    private func fillColumn(_ c: Column, rows n: Int, kind: EntityKind, _ cur: inout Cursor,
                            _ counts: (EntityKind) -> Int) -> String? {
        let f = c.field
        switch ColumnCacheFormat.storage(f.type) {
        case .ints:
            guard let a = cur.array(Int64.self), a.count == n else { return "bad array" }
            c.ints = a
        case .reals:
            guard let a = cur.array(Double.self), a.count == n else { return "bad array" }
            guard a.allSatisfy(\.isFinite) else { return "a number that is not finite" }
            c.reals = a
        case .codes:
            guard let a = cur.array(Int32.self), a.count == n else { return "bad array" }
            c.codes = a
        case .smalls:
            guard let a = cur.array(UInt8.self), a.count == n else { return "bad array" }
            let limit: UInt8
            if case .enumeration(let e) = f.type { limit = UInt8(clamping: e.cases.count) } else { limit = 2 }
            guard a.allSatisfy({ $0 < limit || $0 == Column.noneSmall }) else { return "an unknown value" }
            c.smalls = a
        case .lists:
            guard let offsets = cur.array(Int64.self), offsets.count == n + 1, let items = cur.array(Int32.self),
                  offsets.first == 0, offsets.last == Int64(items.count) else { return "bad list" }
            var lists: [[Int32]] = []
            lists.reserveCapacity(n)
            for r in 0..<n {
                // Ascending and inside the items (first and last alone do not bound the ones between).
                guard offsets[r] >= 0, offsets[r] <= offsets[r + 1], offsets[r + 1] <= Int64(items.count) else { return "bad list" }
                lists.append(Array(items[Int(offsets[r])..<Int(offsets[r + 1])]))
            }
            c.lists = lists
        }
        guard let words = cur.array(UInt64.self) else { return "bad none mask" }
        c.nulls = NullMask(words: words)
        guard let offsets = cur.array(Int64.self), let text = cur.array(UInt8.self),
              offsets.first == 0, offsets.last == Int64(text.count) else { return "bad strings" }
        var strings: [String] = []
        strings.reserveCapacity(max(0, offsets.count - 1))
        for i in 0..<max(0, offsets.count - 1) {
            guard offsets[i] >= 0, offsets[i] <= offsets[i + 1], offsets[i + 1] <= Int64(text.count) else { return "bad strings" }
            strings.append(String(decoding: text[Int(offsets[i])..<Int(offsets[i + 1])], as: UTF8.self))
        }
        c.pool.assign(strings)
        return check(c, rows: n, kind: kind, strings: strings.count, counts)
    }

    /// Checks that every value can be used as it is: references inside their set, codes inside their
    /// pool, dates inside the calendar, required fields present.
    private func check(_ c: Column, rows n: Int, kind: EntityKind, strings: Int, _ counts: (EntityKind) -> Int) -> String? {
        let f = c.field
        switch f.type {
        case .reference(let target):
            let limit = Int32(clamping: target == kind ? n : counts(target))
            let lowest: Int32 = f.required ? 0 : -1
            guard c.codes.allSatisfy({ $0 >= lowest && $0 < limit }) else { return "a reference to a missing row" }
        case .id, .string:
            let limit = Int32(clamping: strings)
            let lowest: Int32 = f.required ? 0 : -1
            guard c.codes.allSatisfy({ $0 >= lowest && $0 < limit }) else { return "a string code outside the pool" }
        case .date:
            let lo = Day(year: 1, month: 1, day: 1)?.raw ?? 0, hi = Day(year: 9999, month: 12, day: 31)?.raw ?? 0
            for (r, d) in c.codes.enumerated() where !c.nulls.isNone(r) && (d < lo || d > hi) { return "a date outside the calendar" }
        case .stringList:
            let limit = Int32(clamping: strings)
            guard c.lists.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0 < limit } }) else { return "a string code outside the pool" }
        default:
            break
        }
        if f.required {
            switch f.type {
            case .int, .money, .percent, .hours, .duration, .real, .date:
                if c.nulls.anySet { for r in 0..<n where c.nulls.isNone(r) { return "a missing value in a required field" } }
            case .bool, .enumeration:
                guard !c.smalls.contains(Column.noneSmall) else { return "a missing value in a required field" }
            default:
                break
            }
        }
        return nil
    }
}

/// A bounds-checked position in bytes read from the file.
struct Cursor {
    let base: UnsafeRawPointer
    var position: Int
    let end: Int

    /// Steps over the next array of elements of `stride` bytes, giving its element count; nil when it
    /// runs past the end.
    mutating func skipArray(stride: Int) -> Int? {
        guard position >= 0, end - position >= 8 else { return nil }
        let count = base.loadUnaligned(fromByteOffset: position, as: Int64.self)
        guard count >= 0, count <= Int64((end - position - 8) / stride) else { return nil }
        let bytes = Int(count) * stride
        position += 8 + bytes + (8 - bytes % 8) % 8
        return Int(count)
    }

    /// The next array (an element count, then the elements, padded to 8 bytes), copied out.
    mutating func array<T: BitwiseCopyable>(_: T.Type) -> [T]? {
        guard position >= 0, end - position >= 8 else { return nil }
        let count = base.loadUnaligned(fromByteOffset: position, as: Int64.self)
        let stride = MemoryLayout<T>.stride
        guard count >= 0, count <= Int64((end - position - 8) / stride) else { return nil }
        let n = Int(count), bytes = n * stride
        let start = base + position + 8
        let out = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let dst = buffer.baseAddress { UnsafeMutableRawPointer(dst).copyMemory(from: start, byteCount: bytes) }
            initialized = n
        }
        position += 8 + bytes + (8 - bytes % 8) % 8
        return out
    }
}
