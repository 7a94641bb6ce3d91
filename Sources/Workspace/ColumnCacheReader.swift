// Reading a column cache (ColumnCache.swift): the file is memory-mapped and checked against the
// workspace (format, byte order, generation, model, every set's place inside the file); a set's
// columns are copied out and checked value by value (references, codes, dates) only when a query
// first touches the set.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PMOBase
import Portfolio

/// A mapped column cache that fills a store's sets on demand.
final class ColumnCacheReader: TableProvider, ColumnFiller, @unchecked Sendable {
    let path: String
    private let base: UnsafeRawPointer
    private let size: Int
    private var regions: [(rows: Int, offset: Int, length: Int)] = []

    /// Opens the cache at `path` when it holds data `generation` of this model; nil when there is no
    /// such cache (missing, stale, another format, or malformed).
    init?(path: String, generation: Int64) {
        self.path = path
        pthread_mutex_init(&mutex, nil)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= ColumnCacheFormat.headerSize else { return nil }
        size = Int(st.st_size)
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(m)
        guard readHeader(generation: generation) else {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
            return nil
        }
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), size)
        pthread_mutex_destroy(&mutex)
    }

    private func load<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T { base.loadUnaligned(fromByteOffset: at, as: T.self) }

    private func readHeader(generation: Int64) -> Bool {
        let kinds = EntityKind.allCases
        let headerEnd = ColumnCacheFormat.headerSize + kinds.count * ColumnCacheFormat.entrySize
        guard size >= headerEnd,
              ColumnCacheFormat.magic.enumerated().allSatisfy({ load($0.offset, UInt8.self) == $0.element }),
              load(8, UInt32.self) == ColumnCacheFormat.version,
              load(12, UInt32.self) == ColumnCacheFormat.byteOrderMark,
              load(16, Int64.self) == generation,
              load(24, UInt64.self) == ColumnCacheFormat.fingerprint,
              load(32, UInt32.self) == UInt32(kinds.count) else { return false }
        for (i, k) in kinds.enumerated() {
            let e = ColumnCacheFormat.headerSize + i * ColumnCacheFormat.entrySize
            let rows = load(e + 8, Int64.self), offset = load(e + 16, UInt64.self), length = load(e + 24, UInt64.self)
            guard load(e, UInt32.self) == UInt32(k.rawValue),
                  load(e + 4, UInt32.self) == UInt32(Catalog.schemas[k.rawValue].fields.count),
                  rows >= 0, rows < Int64(Int32.max), offset >= UInt64(headerEnd), offset % 8 == 0,
                  length <= UInt64(size), offset <= UInt64(size) - length else { return false }
            regions.append((Int(rows), Int(offset), Int(length)))
        }
        return true
    }

    /// Where each column of a set starts, and the row counts of the sets its references point at.
    private var columnStarts: [[Int]] = Array(repeating: [], count: EntityKind.allCases.count)
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
        "the column cache '\(path)' is damaged (\(k.setName)\(field.map { "." + $0 } ?? ""): \(problem)); "
            + "delete it and run again: the workspace itself is not affected"
    }

    /// Sets the row count and finds where each column starts; the columns are copied when first read.
    func fill(_ table: EntityTable, counts: (EntityKind) -> Int) -> String? {
        let k = table.kind
        let region = regions[k.rawValue]
        var cursor = Cursor(base: base, position: region.offset, end: region.offset + region.length)
        var starts: [Int] = []
        for f in table.schema.fields {
            starts.append(cursor.position)
            for (j, stride) in ColumnCacheFormat.strides(f.type).enumerated() {
                guard let count = cursor.skipArray(stride: stride) else { return damaged(k, f.name, "an array runs past its set") }
                // A column's values (a list's item offsets) say how many rows there are: the row count
                // is then bounded by the bytes the file really holds.
                let wanted = ColumnCacheFormat.storage(f.type) == .lists ? region.rows + 1 : region.rows
                if j == 0 && count != wanted { return damaged(k, f.name, "\(count) values for \(region.rows) rows") }
            }
        }
        var targets: [EntityKind: Int] = [:]
        for f in table.schema.fields {
            if case .reference(let t) = f.type, t != k { targets[t] = counts(t) }
        }
        withMutex {
            columnStarts[k.rawValue] = starts
            targetCounts[k.rawValue] = targets
        }
        table.count = region.rows
        table.fillLater(self)
        return nil
    }

    func fill(_ table: EntityTable, column i: Int, into c: Column) {
        let k = table.kind
        let n = table.count
        var cursor = Cursor(base: base, position: columnStarts[k.rawValue][i], end: regions[k.rawValue].offset + regions[k.rawValue].length)
        let targets = targetCounts[k.rawValue]
        if let problem = fillColumn(c, rows: n, kind: k, &cursor, { targets[$0] ?? 0 }) {
            if firstFailure == nil { firstFailure = damaged(k, c.field.name, problem) }
            ColumnCacheReader.fillWithNone(c, rows: n)
        }
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

/// A bounds-checked position in the mapped file.
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
