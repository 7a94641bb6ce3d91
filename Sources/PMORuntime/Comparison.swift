// Ordering and equality of values, and three-valued logic (none is unknown).
import PMOBase

enum Comparison {
    /// -1, 0 or 1 for comparable values; `nil` when either is none or the two cannot be compared.
    static func order(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.none, _), (_, .none): return nil
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.money(let x, let c), .money(let y, let d)): return c == d ? cmp(x.units, y.units) : nil
        case (.money(let x, _), .int(let y)): return cmpD(x.doubleValue, Double(y), exactLeft: x, rightInt: y)
        case (.int(let x), .money(let y, _)): return cmpD(y.doubleValue, Double(x), exactLeft: y, rightInt: x).map { -$0 }
        case (.money(let x, _), .real(let y)): return cmpD(x.doubleValue, y)
        case (.real(let x), .money(let y, _)): return cmpD(x, y.doubleValue)
        case (.hours(let x), .hours(let y)): return cmp(x.units, y.units)
        case (.hours(let x), _): return b.number.flatMap { cmpD(x.doubleValue, $0) }
        case (_, .hours(let y)): return a.number.flatMap { cmpD($0, y.doubleValue) }
        case (.percent(let x), .percent(let y)): return cmp(x.units, y.units)
        case (.date(let x), .date(let y)): return cmp(Int64(x.raw), Int64(y.raw))
        case (.period(let x), .period(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.duration(let x), .duration(let y)):
            if x == y { return 0 }
            return cmpD(x.approximateDays, y.approximateDays)
        case (.string(let x), .string(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.enumeration(let e, let x), .enumeration(let f, let y)): return e == f ? cmp(Int64(x), Int64(y)) : nil
        case (.enumeration(let e, let x), .string(let s)):
            guard let y = e.code(of: s) else { return nil }
            return cmp(Int64(x), Int64(y))
        case (.string, .enumeration): return order(b, a).map { -$0 }
        case (.entity(let k, let x), .entity(let l, let y)): return k == l ? cmp(Int64(x), Int64(y)) : nil
        case (.list(let x), .list(let y)):
            for (u, v) in zip(x, y) { guard let o = order(u, v) else { return nil }; if o != 0 { return o } }
            return cmp(Int64(x.count), Int64(y.count))
        default:
            if let x = a.number, let y = b.number { return cmpD(x, y) }
            return nil
        }
    }

    static func cmp(_ x: Int64, _ y: Int64) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    static func cmpD(_ x: Double, _ y: Double, exactLeft: Fixed? = nil, rightInt: Int64? = nil) -> Int? {
        if let f = exactLeft, let i = rightInt, let fi = Fixed(whole: i) { return cmp(f.units, fi.units) }
        if x.isNaN || y.isNaN { return nil }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    /// Equality for `=`: `nil` (unknown) when either side is none.
    static func equal(_ a: Value, _ b: Value) -> Bool? {
        if a.isNone || b.isNone { return nil }
        if let o = order(a, b) { return o == 0 }
        return a == b
    }

    /// Sort comparison: none sorts last in both directions; equal keys keep their order (the caller sorts stably).
    static func sortLess(_ a: [Value], _ b: [Value], descending: [Bool]) -> Bool {
        for i in 0..<a.count {
            let x = a[i], y = b[i]
            if x.isNone && y.isNone { continue }
            if x.isNone { return false }
            if y.isNone { return true }
            let o = order(x, y) ?? Comparison.fallback(x, y)
            if o == 0 { continue }
            return descending[i] ? o > 0 : o < 0
        }
        return false
    }

    /// A deterministic order for values of different types (sorting mixed columns never traps).
    static func fallback(_ a: Value, _ b: Value) -> Int {
        let x = a.typeName, y = b.typeName
        return x == y ? 0 : (x < y ? -1 : 1)
    }
}

/// Three-valued logic: `.bool` or `.none` (unknown).
enum Logic {
    static func truth(_ v: Value) -> Bool? {
        switch v {
        case .bool(let b): return b
        default: return nil
        }
    }

    static func value(_ b: Bool?) -> Value { b.map { .bool($0) } ?? .none }
}
