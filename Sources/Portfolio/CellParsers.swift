// Cell parsers that read values straight from CSV bytes, a byte-keyed hash index for id lookups
// and string interning, and a small edit distance for did-you-mean suggestions.
import PMOBase

/// The outcome of parsing a number from a cell.
enum NumberParse: Equatable {
    case value(Int64)
    case invalid
    case overflow
}

/// Parsers over the bytes of one (already trimmed) cell. None of them allocates.
enum CellParser {
    static let space: UInt8 = 32, tab: UInt8 = 9

    /// The cell without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == space || b[lo] == tab) { lo += 1 }
        while hi > lo && (b[hi - 1] == space || b[hi - 1] == tab) { hi -= 1 }
        if lo == 0 && hi == b.count { return b }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

    /// 10^n for the small exponents the parsers use.
    @inline(__always) static func pow10(_ n: Int) -> Int64 {
        switch n {
        case 0: return 1
        case 1: return 10
        case 2: return 100
        case 3: return 1_000
        default: return 10_000
        }
    }

    /// The ten bytes of a would-be date as two words, to reuse the previous cell's parse when they repeat.
    @inline(__always)
    static func dateKey(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt16)? {
        guard b.count == 10, let p = b.baseAddress else { return nil }
        let raw = UnsafeRawPointer(p)
        return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
    }

    /// A decimal number scaled by 10^`digits` (`1500000.50` → 15000005000 with 4 digits), with an optional
    /// sign, an optional `$` when `dollar` is set, and `,` or `_` between digits of the whole part.
    /// Digits beyond `digits` round half to even.
    static func scaled(_ b: UnsafeBufferPointer<UInt8>, digits: Int, dollar: Bool) -> NumberParse {
        var i = 0
        let n = b.count
        var neg = false, signed = false
        if i < n && (b[i] == 45 || b[i] == 43) { neg = b[i] == 45; signed = true; i += 1 }
        if dollar && i < n && b[i] == 36 {
            i += 1
            if !signed && i < n && (b[i] == 45 || b[i] == 43) { neg = b[i] == 45; i += 1 }
        }
        var whole: Int64 = 0
        var sawDigit = false
        while i < n {
            let c = b[i]
            if isDigit(c) {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c &- 48))
                if o1 || o2 { return .overflow }
                whole = a
                sawDigit = true
            } else if (c == 44 || c == 95) && i > 0 && isDigit(b[i - 1]) && i + 1 < n && isDigit(b[i + 1]) {
                // a grouping separator
            } else { break }
            i += 1
        }
        var frac: Int64 = 0
        var fracDigits = 0
        var roundDigit: Int64 = -1
        var sticky = false
        if i < n && b[i] == 46 {
            i += 1
            while i < n && isDigit(b[i]) {
                let d = Int64(b[i] &- 48)
                if fracDigits < digits { frac = frac * 10 + d; fracDigits += 1 }
                else if roundDigit < 0 { roundDigit = d } else if d != 0 { sticky = true }
                sawDigit = true
                i += 1
            }
        }
        if !sawDigit || i != n { return .invalid }
        frac *= pow10(digits - fracDigits)
        let (m, o1) = whole.multipliedReportingOverflow(by: pow10(digits))
        var (u, o2) = m.addingReportingOverflow(frac)
        if o1 || o2 { return .overflow }
        if roundDigit > 5 || (roundDigit == 5 && (sticky || u % 2 == 1)) {
            let (r, o3) = u.addingReportingOverflow(1)
            if o3 { return .overflow }
            u = r
        }
        return .value(neg ? -u : u)
    }

    /// An integer: optional sign and digits only.
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> NumberParse {
        var i = 0
        var neg = false
        if i < b.count && (b[i] == 45 || b[i] == 43) { neg = b[i] == 45; i += 1 }
        if i == b.count { return .invalid }
        var v: Int64 = 0
        while i < b.count {
            let c = b[i]
            guard isDigit(c) else { return .invalid }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = neg ? m.subtractingReportingOverflow(Int64(c &- 48)) : m.addingReportingOverflow(Int64(c &- 48))
            if o1 || o2 { return .overflow }
            v = a
            i += 1
        }
        return .value(v)
    }

    /// A percentage as `Fixed` units: a fraction (`0.85`) or a number with a percent sign (`85%`, `12.5%`).
    static func percent(_ b: UnsafeBufferPointer<UInt8>) -> NumberParse {
        if let last = b.last, last == 37 {
            let body = trimmed(UnsafeBufferPointer(rebasing: b[0..<(b.count - 1)]))
            return scaled(body, digits: 2, dollar: false)
        }
        return scaled(b, digits: 4, dollar: false)
    }

    /// `YYYY-MM-DD` as `Day.raw`, or nil for a malformed or impossible date.
    static func date(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        var y = 0, m = 0, d = 0
        for i in 0..<4 { guard isDigit(b[i]) else { return nil }; y = y * 10 + Int(b[i] &- 48) }
        for i in 5..<7 { guard isDigit(b[i]) else { return nil }; m = m * 10 + Int(b[i] &- 48) }
        for i in 8..<10 { guard isDigit(b[i]) else { return nil }; d = d * 10 + Int(b[i] &- 48) }
        return Day(year: y, month: m, day: d)?.raw
    }

    /// `true/false/yes/no/1/0` in any letter case, as 1 or 0.
    static func bool(_ b: UnsafeBufferPointer<UInt8>) -> UInt8? {
        if equalsIgnoringCase(b, "true") || equalsIgnoringCase(b, "yes") || equalsIgnoringCase(b, "1") { return 1 }
        if equalsIgnoringCase(b, "false") || equalsIgnoringCase(b, "no") || equalsIgnoringCase(b, "0") { return 0 }
        return nil
    }

    /// Whole days: `14d`, `2w` (14 days) or a plain integer of days, optionally signed.
    static func duration(_ b: UnsafeBufferPointer<UInt8>) -> NumberParse {
        guard let last = b.last else { return .invalid }
        var factor: Int64 = 1
        var body = b
        if last == 100 || last == 68 { body = UnsafeBufferPointer(rebasing: b[0..<(b.count - 1)]) } // d, D
        else if last == 119 || last == 87 { factor = 7; body = UnsafeBufferPointer(rebasing: b[0..<(b.count - 1)]) } // w, W
        let parsed = integer(body)
        guard case .value(let v) = parsed else { return parsed }
        let (r, o) = v.multipliedReportingOverflow(by: factor)
        return o ? .overflow : .value(r)
    }

    /// The code of an enumeration value: an exact match, else a match ignoring ASCII letter case.
    static func enumCode(_ b: UnsafeBufferPointer<UInt8>, cases: [[UInt8]]) -> UInt8? {
        for (i, c) in cases.enumerated() where c.count == b.count && c.elementsEqual(b) { return UInt8(i) }
        for (i, c) in cases.enumerated() where c.count == b.count && equalsIgnoringCase(b, c) { return UInt8(i) }
        return nil
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    static func equalsIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        guard b.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<b.count where lower(b[i]) != lower(p[i]) { return false }
        return true
    }

    static func equalsIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ s: [UInt8]) -> Bool {
        guard b.count == s.count else { return false }
        for i in 0..<b.count where lower(b[i]) != lower(s[i]) { return false }
        return true
    }
}

/// An open-addressing hash map from byte strings to `Int32` (ids → rows, string cells → pool codes),
/// so that looking up a cell never builds a String. The first 16 bytes of every key live in its entry,
/// so a lookup of a short key (most ids) touches one slot and one entry and never the key arena.
struct ByteKeyIndex {
    private struct Entry {
        var w0: UInt64
        var w1: UInt64
        var start: Int
        var length: Int32
        var value: Int32
    }

    /// Bytes of keys longer than 16 (from their 17th byte on).
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// 0 = empty, else entry number + 1.
    private var slots: [UInt32]
    private var mask: Int

    init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { entries.count }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xbf58_476d_1ce4_e5b9
        z ^= z >> 31
        z = z &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 29)
    }

    /// The first 16 bytes of the key, zero-padded, as two words.
    @inline(__always)
    private static func prefix(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var w: (UInt64, UInt64) = (0, 0)
        guard let p = b.baseAddress else { return w }
        let n = min(b.count, 16)
        withUnsafeMutableBytes(of: &w) { $0.baseAddress?.copyMemory(from: p, byteCount: n) }
        return w
    }

    @inline(__always)
    private static func hash(_ w: (UInt64, UInt64), _ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = mix(w.0 ^ 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: b.count))
        h = mix(h ^ w.1)
        if b.count > 16 { for i in 16..<b.count { h = (h ^ UInt64(b[i])) &* 0x0000_0100_0000_01B3 } }
        return mix(h)
    }

    /// The slot holding the key, or the empty slot where it would go, and the key's entry if present.
    @inline(__always)
    private func probe(_ b: UnsafeBufferPointer<UInt8>, _ w: (UInt64, UInt64), _ h: UInt64) -> (slot: Int, entry: Int?) {
        var i = Int(truncatingIfNeeded: h) & mask
        let n = Int32(truncatingIfNeeded: b.count)
        return slots.withUnsafeBufferPointer { s in
            entries.withUnsafeBufferPointer { e in
                while true {
                    let v = s[i]
                    if v == 0 { return (i, nil) }
                    let k = Int(v) - 1
                    let en = e[k]
                    if en.w0 == w.0 && en.w1 == w.1 && en.length == n && (n <= 16 || restEquals(en, b)) { return (i, k) }
                    i = (i + 1) & mask
                }
            }
        }
    }

    private func restEquals(_ en: Entry, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            for j in 16..<b.count where a[en.start + j - 16] != b[j] { return false }
            return true
        }
    }

    /// The value stored for the key, if any.
    func find(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        let w = ByteKeyIndex.prefix(b)
        guard let k = probe(b, w, ByteKeyIndex.hash(w, b)).entry else { return nil }
        return entries[k].value
    }

    /// Stores `value` for a new key and returns nil; for a key already present, returns its value unchanged.
    mutating func insert(_ b: UnsafeBufferPointer<UInt8>, value: Int32) -> Int32? {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let w = ByteKeyIndex.prefix(b)
        let h = ByteKeyIndex.hash(w, b)
        let (slot, existing) = probe(b, w, h)
        if let k = existing { return entries[k].value }
        entries.append(Entry(w0: w.0, w1: w.1, start: arena.count, length: Int32(truncatingIfNeeded: b.count), value: value))
        if b.count > 16 { arena.append(contentsOf: UnsafeBufferPointer(rebasing: b[16...])) }
        slots[slot] = UInt32(truncatingIfNeeded: entries.count)
        return nil
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt32](repeating: 0, count: size)
        let m = size - 1
        var key: [UInt8] = []
        for (k, en) in entries.enumerated() {
            key.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: (en.w0, en.w1)) { key.append(contentsOf: $0.prefix(min(Int(en.length), 16))) }
            if en.length > 16 { key.append(contentsOf: arena[en.start..<(en.start + Int(en.length) - 16)]) }
            let h = key.withUnsafeBufferPointer { ByteKeyIndex.hash((en.w0, en.w1), $0) }
            var i = Int(truncatingIfNeeded: h) & m
            while fresh[i] != 0 { i = (i + 1) & m }
            fresh[i] = UInt32(truncatingIfNeeded: k + 1)
        }
        slots = fresh
        mask = m
    }
}

/// Did-you-mean suggestions.
enum Suggest {
    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev2 = [Int](repeating: 0, count: y.count + 1)
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
            }
            swap(&prev2, &prev)
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The closest candidate when it is close enough to be a plausible typo.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let limit = name.count <= 3 ? 1 : max(2, name.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(name, c)
            if d <= limit && d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// `"; did you mean 'x'?"` or an empty string.
    static func hint(_ name: String, _ candidates: [String]) -> String {
        closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
