// Writing CSV in the import format, byte by byte: the generator's files, `pmo export`, and the rows
// an import re-reads. What it writes, the loader reads back to the same values.
import PMOBase

/// An RFC 4180 CSV text built in a byte buffer (LF line ends; cells quoted only when they must be).
public struct CSVWriter {
    public private(set) var bytes: [UInt8] = []
    private var atLineStart = true
    /// The last date written and its ten bytes (dates repeat: weeks, report dates).
    private var lastDay: Int32 = .min
    private var lastDayBytes: (UInt64, UInt16) = (0, 0)

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }

    /// Hands the bytes over and starts again at the beginning of a record (for writing a large file
    /// in chunks between records, or single cells).
    public mutating func take() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.capacity)
        swap(&out, &bytes)
        atLineStart = true
        return out
    }

    @inline(__always) private mutating func separate() {
        if atLineStart { atLineStart = false } else { bytes.append(44) }
    }

    /// Ends the record.
    public mutating func endRow() {
        bytes.append(10)
        atLineStart = true
    }

    /// An empty cell (none).
    public mutating func none() { separate() }

    /// A text cell, quoted when it holds a comma, a quote, a line break or leading or trailing blanks.
    public mutating func text(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { appendEscaped($0) }
    }

    /// A text cell from bytes.
    public mutating func text(bytes b: UnsafeBufferPointer<UInt8>) {
        separate()
        appendEscaped(b)
    }

    /// A cell whose text is known to need no quoting (an enumeration name, a number...).
    public mutating func raw(_ s: StaticString) {
        separate()
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A cell of bytes known to need no quoting (an id the caller made, a number...).
    public mutating func raw(bytes b: [UInt8]) {
        separate()
        bytes.append(contentsOf: b)
    }

    private mutating func appendEscaped(_ b: UnsafeBufferPointer<UInt8>) {
        var needs = false
        if let f = b.first, let l = b.last, f == 32 || f == 9 || l == 32 || l == 9 { needs = true }
        if !needs { for c in b where c == 44 || c == 34 || c == 10 || c == 13 { needs = true; break } }
        if !needs { bytes.append(contentsOf: b); return }
        bytes.append(34)
        for c in b {
            if c == 34 { bytes.append(34) }
            bytes.append(c)
        }
        bytes.append(34)
    }

    /// An integer cell.
    public mutating func int(_ v: Int64) {
        separate()
        appendInt(v)
    }

    private mutating func appendInt(_ v: Int64) {
        if v < 0 { bytes.append(45) }
        var m = v.magnitude
        if m == 0 { bytes.append(48); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: enough for 20 digits
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while m > 0 { buf[n] = UInt8(48 + m % 10); m /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }

    /// An exact decimal from `Fixed` units, with no trailing zeros: `1500000`, `4902.5`, `0.85`.
    public mutating func fixed(_ units: Int64) {
        separate()
        if units < 0 { bytes.append(45) }
        let m = units.magnitude
        let whole = m / 10_000
        var frac = m % 10_000
        appendInt(Int64(whole))
        if frac == 0 { return }
        bytes.append(46)
        var div: UInt64 = 1000
        while frac > 0 {
            bytes.append(UInt8(48 + frac / div))
            frac %= div
            div /= 10
        }
    }

    /// Whole days as a duration: `14d`.
    public mutating func days(_ n: Int64) {
        int(n)
        bytes.append(100)
    }

    /// A date as `YYYY-MM-DD`.
    public mutating func date(_ raw: Int32) {
        separate()
        if raw == lastDay {
            withUnsafeBytes(of: lastDayBytes.0) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: lastDayBytes.1) { bytes.append(contentsOf: $0) }
            return
        }
        let c = Day(raw: raw).civil
        let start = bytes.count
        let y = c.year
        bytes.append(UInt8(48 + (y / 1000) % 10)); bytes.append(UInt8(48 + (y / 100) % 10))
        bytes.append(UInt8(48 + (y / 10) % 10)); bytes.append(UInt8(48 + y % 10))
        bytes.append(45)
        bytes.append(UInt8(48 + c.month / 10)); bytes.append(UInt8(48 + c.month % 10))
        bytes.append(45)
        bytes.append(UInt8(48 + c.day / 10)); bytes.append(UInt8(48 + c.day % 10))
        lastDay = raw
        bytes.withUnsafeBytes { b in
            lastDayBytes = (b.loadUnaligned(fromByteOffset: start, as: UInt64.self),
                            b.loadUnaligned(fromByteOffset: start + 8, as: UInt16.self))
        }
    }

    /// `true` or `false`.
    public mutating func bool(_ v: Bool) { v ? raw("true") : raw("false") }
}

/// Writes the rows of an entity set as CSV in the import format (references as the related ids).
public enum TableCSV {
    /// The header and the given rows (all rows when nil), with the fields named (all when nil).
    public static func write(_ store: PortfolioStore, _ kind: EntityKind, fields: [String]? = nil,
                             rows: [Int32]? = nil, header: Bool = true, into w: inout CSVWriter) {
        let t = store.table(kind)
        let columns: [Column?] = (fields ?? t.schema.fields.map(\.name)).map { t.column($0) }
        if header {
            for (i, c) in columns.enumerated() { w.text(c?.field.name ?? fields?[i] ?? "") }
            w.endRow()
        }
        let idColumns: [Column?] = columns.map { c in
            guard let c, case .reference(let target) = c.field.type else { return nil }
            return store.table(target).column("id")
        }
        func row(_ r: Int) {
            for (i, c) in columns.enumerated() {
                guard let c else { w.none(); continue }
                cell(c, r, idColumns[i], &w)
            }
            w.endRow()
        }
        if let rows { for r in rows { row(Int(r)) } } else { for r in 0..<t.count { row(r) } }
    }

    /// One cell; `ids` is the related set's id column for a reference.
    @inline(__always)
    static func cell(_ c: Column, _ r: Int, _ ids: Column?, _ w: inout CSVWriter) {
        if c.isNone(r) { w.none(); return }
        switch c.field.type {
        case .id, .string: w.text(c.pool[c.codes[r]])
        case .int: w.int(c.ints[r])
        case .money, .percent, .hours: w.fixed(c.ints[r])
        case .duration: w.days(c.ints[r])
        case .real: w.text(String(c.reals[r]))
        case .bool: w.bool(c.smalls[r] == 1)
        case .date: w.date(c.codes[r])
        case .enumeration(let e): w.text(e.cases[Int(c.smalls[r])])
        case .reference:
            if let ids, let s = ids.string(Int(c.codes[r])) { w.text(s) } else { w.none() }
        case .stringList: w.text(c.lists[r].map { c.pool[$0] }.joined(separator: ";"))
        }
    }
}
