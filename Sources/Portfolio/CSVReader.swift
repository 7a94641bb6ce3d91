// An RFC 4180 CSV reader over bytes: quoted fields, "" escapes, CRLF/LF/CR line ends, a UTF-8 BOM,
// and the line and column of every cell. Cells are byte ranges; a String is made only on request.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A malformed CSV text: an unterminated quoted field or text after a closing quote.
public struct CSVError: Error, Sendable, Equatable {
    public let line: Int
    public let column: Int
    public let message: String
    public init(line: Int, column: Int, message: String) { self.line = line; self.column = column; self.message = message }
}

/// One cell of the current record.
public struct CSVCell: Sendable, Equatable {
    /// Content bytes `start..<end`, in the source (or in the reader's unescape buffer when `unescaped`).
    public var start: Int
    public var end: Int
    /// Offset in the source of the cell's first byte (its opening quote when quoted).
    public var origin: Int
    /// Offset in the source just past the cell (after its closing quote when quoted).
    public var stop: Int
    /// The cell was enclosed in double quotes.
    public var quoted: Bool
    /// The content had `""` escapes and lives in the unescape buffer.
    public var unescaped: Bool

    public var isEmpty: Bool { end == start }
}

/// Reads records one at a time. The reader owns a copy of the bytes; `bytes(_:)` buffers stay
/// valid until the next record is read (or the reader is released). Blank lines between records are skipped. Lines and
/// columns of cells are computed on request (for messages), so reading costs nothing for them.
public final class CSVReader {
    private let base: UnsafeMutablePointer<UInt8>
    /// The byte between cells (`,` by default).
    public let separator: UInt8
    /// Number of bytes in the source.
    public let count: Int
    /// Where the text starts (3 after a byte order mark).
    private let textStart: Int
    /// Everything that changes from record to record, in one property so that reading a record costs
    /// one exclusivity check, not one per field.
    private var state: State
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 64
    private var scratchCount = 0

    /// The largest cell, in bytes: a 200 MB cell took seconds and hundreds of megabytes to load, and
    /// was stored and shown whole; beyond this it is an error at its place, quoting a short prefix.
    public static let maxCellBytes = 1 << 20
    /// The most cells one record may have.
    public static let maxCellsPerRecord = 10_000

    /// The cells of the current record, when read by `nextRecord()`.
    public private(set) var cells: [CSVCell] = []

    private struct State {
        var pos: Int
        var line: Int
        var recordStart: Int
        var recordLine: Int
    }

    /// The 1-based line on which the current record starts.
    public var recordLine: Int { state.recordLine }

    /// A reader over a copy of `bytes`.
    /// `separator` is the byte between cells: `,` unless a dialect says `;`, tab or another.
    public convenience init(bytes: some Sequence<UInt8>, separator: UInt8 = 44) {
        let a = Array(bytes)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(a.count, 1))
        a.withUnsafeBufferPointer { if let src = $0.baseAddress { p.initialize(from: src, count: a.count) } }
        self.init(owning: p, count: a.count, separator: separator)
    }

    public convenience init(text: String) { self.init(bytes: Array(text.utf8)) }

    /// Reads a whole file in `encoding` (`--encoding`; nil: UTF-8, byte-order marks recognised).
    public convenience init(path: String, encoding: InputEncoding?) throws(CSVError) {
        guard let encoding, encoding != .utf8 else { try self.init(path: path); return }
        let raw = try CSVReader.rawBytes(path)
        let text: [UInt8]
        do { text = try TextDecoding.utf8(raw, encoding: encoding) } catch {
            throw CSVError(line: error.line, column: error.column, message: error.message)
        }
        self.init(bytes: text)
    }

    /// A file's bytes as they are.
    static func rawBytes(_ path: String) throws(CSVError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CSVError(line: 0, column: 0, message: "cannot open file: " + CSVReader.errnoText()) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError(line: 0, column: 0, message: "cannot read file: " + CSVReader.errnoText())
            }
            if n == 0 { return out }
            out.append(contentsOf: buf[0..<n])
        }
    }

    /// Reads a whole file. Throws with line 0 when the file cannot be opened or read.
    public convenience init(path: String) throws(CSVError) {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CSVError(line: 0, column: 0, message: "cannot open file: " + CSVReader.errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CSVError(line: 0, column: 0, message: "cannot read file: " + CSVReader.errnoText()) }
        var capacity = max(Int(st.st_size), 0) + 1
        var p = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var n = 0
        while true {
            if n == capacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: p, count: n)
                p.deallocate()
                p = bigger
                capacity *= 2
            }
            let r = read(fd, p + n, capacity - n)
            if r < 0 {
                if errno == EINTR { continue }
                p.deallocate()
                throw CSVError(line: 0, column: 0, message: "cannot read file: " + CSVReader.errnoText())
            }
            if r == 0 { break }
            n += r
        }
        // Text must be UTF-8 (a byte-order mark is skipped); UTF-16 with its byte-order mark is transcoded.
        if n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)) {
            let text: [UInt8]
            do { text = try TextDecoding.utf8(Array(UnsafeBufferPointer(start: p, count: n))) } catch {
                p.deallocate()
                throw CSVError(line: error.line, column: error.column, message: error.message)
            }
            p.deallocate()
            p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(text.count, 1))
            text.withUnsafeBufferPointer { if let src = $0.baseAddress { p.initialize(from: src, count: text.count) } }
            n = text.count
        } else {
            let bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
            do { try TextDecoding.validate(UnsafeBufferPointer(start: p, count: n), from: bom) } catch {
                p.deallocate()
                throw CSVError(line: error.line, column: error.column, message: error.message)
            }
        }
        self.init(owning: p, count: n)
    }

    private init(owning p: UnsafeMutablePointer<UInt8>, count n: Int, separator: UInt8 = 44) {
        self.separator = separator
        base = p
        count = n
        textStart = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
        state = State(pos: textStart, line: 1, recordStart: textStart, recordLine: 0)
        scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
    }

    deinit {
        base.deallocate()
        scratch.deallocate()
    }

    static func errnoText() -> String {
        guard let s = strerror(errno) else { return "error \(errno)" }
        return String(cString: s)
    }

    /// A rough number of records, from the line density of the first megabyte (for reserving capacity).
    public func estimatedRecordCount() -> Int {
        let sample = min(count, 1 << 20)
        if sample == 0 { return 0 }
        var lines = 0
        for i in 0..<sample where base[i] == 10 { lines += 1 }
        if sample == count { return lines + 1 }
        return Int(Double(lines) * Double(count) / Double(sample) * 1.05) + 16
    }

    /// Reads the next record into `cells`; false at the end of the text.
    public func nextRecord() throws(CSVError) -> Bool {
        var out: [CSVCell] = []
        swap(&out, &cells)
        defer { swap(&out, &cells) }
        return try nextRecord(into: &out)
    }

    /// Reads the next record into the caller's `cells` (reused from record to record, so that reading
    /// allocates nothing); false at the end of the text. Positions are then asked with `line(of:)` and
    /// `column(of:)`.
    public func nextRecord(into cells: inout [CSVCell]) throws(CSVError) -> Bool {
        var st = state
        defer { state = st }
        if scratchCount != 0 { scratchCount = 0 }
        var n = 0
        let more = try scan(&st, &cells, &n)
        if cells.count > n { cells.removeLast(cells.count - n) }
        return more
    }

    /// Stores cell number `n` of the record, reusing the array's storage.
    @inline(__always)
    private func put(_ c: CSVCell, _ cells: inout [CSVCell], _ n: inout Int) {
        if n < cells.count { cells[n] = c } else { cells.append(c) }
        n += 1
    }

    /// Offset of the first separator, LF or CR at or after `from` (or `count`), eight bytes at a time.
    @inline(__always)
    private func delimiter(from: Int) -> Int {
        var p = from
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(base)
        while p + 8 <= count {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            let a = w ^ (ones &* UInt64(separator)), b = w ^ (ones &* 10), c = w ^ (ones &* 13)
            let m = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if m != 0 { return p + m.trailingZeroBitCount >> 3 }
            p += 8
        }
        while p < count {
            let ch = base[p]
            if ch == separator || ch == 10 || ch == 13 { return p }
            p += 1
        }
        return p
    }

    /// Consumes one line end at `pos` (CRLF, LF or a lone CR).
    @inline(__always)
    private func newline(_ st: inout State) {
        if base[st.pos] == 13 && st.pos + 1 < count && base[st.pos + 1] == 10 { st.pos += 2 } else { st.pos += 1 }
        st.line += 1
    }

    /// Scans one record into `cells`; false at the end of the text.
    private func scan(_ st: inout State, _ cells: inout [CSVCell], _ n: inout Int) throws(CSVError) -> Bool {
        while st.pos < count && (base[st.pos] == 10 || base[st.pos] == 13) { newline(&st) }
        if st.pos >= count { return false }
        st.recordStart = st.pos
        st.recordLine = st.line
        while true {
            let origin = st.pos
            if base[origin] == 34 { // opening quote
                let cellLine = st.line
                st.pos += 1
                let contentStart = st.pos
                var segment = st.pos
                var escapedFrom = -1
                while true {
                    guard st.pos < count else {
                        throw CSVError(line: cellLine, column: column(at: origin), message: "unterminated quoted field")
                    }
                    if st.pos - contentStart > CSVReader.maxCellBytes { throw tooLarge(origin, line: cellLine, from: contentStart) }
                    let ch = base[st.pos]
                    if ch == 34 {
                        if st.pos + 1 < count && base[st.pos + 1] == 34 {
                            if escapedFrom < 0 { escapedFrom = scratchCount }
                            appendScratch(from: segment, to: st.pos + 1)
                            st.pos += 2
                            segment = st.pos
                            continue
                        }
                        break
                    }
                    if ch == 10 || ch == 13 { newline(&st) } else { st.pos += 1 }
                }
                let contentEnd = st.pos
                if n >= CSVReader.maxCellsPerRecord { throw tooMany(st.recordLine, origin) }
                st.pos += 1 // closing quote
                if escapedFrom >= 0 {
                    appendScratch(from: segment, to: contentEnd)
                    put(CSVCell(start: escapedFrom, end: scratchCount, origin: origin, stop: st.pos,
                                quoted: true, unescaped: true), &cells, &n)
                } else {
                    put(CSVCell(start: contentStart, end: contentEnd, origin: origin, stop: st.pos,
                                quoted: true, unescaped: false), &cells, &n)
                }
                if st.pos >= count { return true }
                let next = base[st.pos]
                if next == separator { st.pos += 1; continue }
                if next == 10 || next == 13 { newline(&st); return true }
                throw CSVError(line: st.line, column: column(at: st.pos),
                               message: "unexpected character after a closing quote (a quote inside a quoted field is written \"\")")
            }
            let p = delimiter(from: origin)
            if p - origin > CSVReader.maxCellBytes { throw tooLarge(origin, line: st.line, from: origin) }
            if n >= CSVReader.maxCellsPerRecord { throw tooMany(st.recordLine, origin) }
            put(CSVCell(start: origin, end: p, origin: origin, stop: p, quoted: false, unescaped: false), &cells, &n)
            st.pos = p
            if p >= count { return true }
            if base[p] == separator {
                st.pos += 1
                if st.pos >= count { // a trailing comma at the very end: one more empty cell
                    put(CSVCell(start: st.pos, end: st.pos, origin: st.pos, stop: st.pos, quoted: false, unescaped: false), &cells, &n)
                    return true
                }
                continue
            }
            newline(&st)
            return true
        }
    }

    private func tooLarge(_ origin: Int, line: Int, from start: Int) -> CSVError {
        let prefix = base + start
        let shown = String(decoding: UnsafeBufferPointer(start: prefix, count: min(40, count - start)), as: UTF8.self)
            .unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : String($0) }.joined()
        return CSVError(line: line, column: column(at: origin),
                        message: "a cell of more than \(CSVReader.maxCellBytes) bytes (it starts '\(shown)...'); a cell may be at most \(CSVReader.maxCellBytes) bytes (1 MB)")
    }

    private func tooMany(_ line: Int, _ origin: Int) -> CSVError {
        CSVError(line: line, column: column(at: origin), message: "a record of more than \(CSVReader.maxCellsPerRecord) cells; a record may have at most \(CSVReader.maxCellsPerRecord)")
    }

    private func appendScratch(from a: Int, to b: Int) {
        let n = b - a
        if scratchCount + n > scratchCapacity {
            var cap = scratchCapacity * 2
            while cap < scratchCount + n { cap *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
            bigger.update(from: scratch, count: scratchCount)
            scratch.deallocate()
            scratch = bigger
            scratchCapacity = cap
        }
        (scratch + scratchCount).update(from: base + a, count: n)
        scratchCount += n
    }

    /// 1-based column (in characters, counting UTF-8 lead bytes) of source offset `offset`.
    private func column(at offset: Int) -> Int {
        var ls = min(offset, count)
        while ls > textStart && base[ls - 1] != 10 && base[ls - 1] != 13 { ls -= 1 }
        var col = 1
        for i in ls..<min(offset, count) where base[i] & 0xC0 != 0x80 { col += 1 }
        return col
    }

    /// The content bytes of cell `i` of `cells` (valid until the next record is read).
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let c = cells[i]
        let p = c.unescaped ? scratch : base
        return UnsafeBufferPointer(start: p + c.start, count: c.end - c.start)
    }

    /// The content bytes of a cell of the current record (valid until the next `nextRecord()`).
    @inline(__always)
    public func bytes(of c: CSVCell) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: (c.unescaped ? scratch : base) + c.start, count: c.end - c.start)
    }

    /// The content of cell `i` of `cells` as a String (invalid UTF-8 is repaired).
    public func string(_ i: Int) -> String { string(of: cells[i]) }

    /// The content of a cell of the current record as a String.
    public func string(of c: CSVCell) -> String { String(decoding: bytes(of: c), as: UTF8.self) }

    /// The 1-based column of cell `i` of `cells`: characters from the start of its line to its first byte, plus one.
    public func column(_ i: Int) -> Int { column(of: cells[i]) }

    /// The 1-based line of cell `i` of `cells`.
    public func line(_ i: Int) -> Int { line(of: cells[i]) }

    /// The 1-based column of a cell of the current record.
    public func column(of c: CSVCell) -> Int { column(at: c.origin) }

    /// The 1-based line of a cell of the current record (a quoted cell may follow line breaks in the same record).
    public func line(of c: CSVCell) -> Int {
        var line = state.recordLine
        var k = state.recordStart
        let end = min(c.origin, count)
        while k < end {
            if base[k] == 10 || (base[k] == 13 && (k + 1 >= count || base[k + 1] != 10)) { line += 1 }
            k += 1
        }
        return line
    }

    /// The column just after a cell (after the last cell of a record: for "missing cell" messages).
    public func column(after c: CSVCell) -> Int { column(at: c.stop) }

    /// The column just after the last cell of `cells`.
    public func columnAfterLastCell() -> Int { cells.last.map { column(after: $0) } ?? 1 }

    /// Every record as arrays of strings (for tests and small files).
    public func readAll() throws(CSVError) -> [[String]] {
        var out: [[String]] = []
        while try nextRecord() { out.append((0..<cells.count).map(string)) }
        return out
    }
}
