// Exact fixed-point decimals: money, percentages and hours as 64-bit integers in ten-thousandths.

/// An exact decimal with four fractional digits, stored as an `Int64` count of ten-thousandths.
///
/// Money (`$1.25` = 12_500), percentages as fractions (`85%` = 0.85 = 8_500, so hundredths of a
/// percent are exact) and hours all use it, so sums never drift: 10% + 20% + 70% is exactly 100%.
/// Every operation that can overflow is checked and returns `nil` instead of trapping.
public struct Fixed: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Units per whole: four decimal digits, enough for cents with room for rates and prorating.
    public static let scale: Int64 = 10_000
    public static let zero = Fixed(units: 0)
    public static let one = Fixed(units: scale)

    public var units: Int64

    @inlinable public init(units: Int64) { self.units = units }

    /// A whole number, or `nil` when it does not fit.
    public init?(whole: Int64) {
        let (v, o) = whole.multipliedReportingOverflow(by: Fixed.scale)
        if o { return nil }
        units = v
    }

    /// The nearest fixed value to a double (half away from zero), or `nil` for NaN, infinity or overflow.
    public init?(_ d: Double) {
        guard d.isFinite else { return nil }
        let scaled = (d * Double(Fixed.scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled > -9.2e18 && scaled < 9.2e18 else { return nil }
        units = Int64(scaled)
    }

    /// Parses plain decimal text such as `1234.5`, `-0.25` or `1_000` (no exponent); rounds extra digits half-even.
    public init?(parsing text: Substring) {
        var neg = false
        var i = text.startIndex
        if i < text.endIndex, text[i] == "-" || text[i] == "+" { neg = text[i] == "-"; i = text.index(after: i) }
        var whole: Int64 = 0
        var frac: Int64 = 0
        var fracDigits = 0
        var sawDigit = false
        var inFrac = false
        var roundDigit: Int64 = -1
        var sticky = false
        while i < text.endIndex {
            let c = text[i]
            if c == "_" || c == "," { i = text.index(after: i); continue }
            if c == "." { if inFrac { return nil }; inFrac = true; i = text.index(after: i); continue }
            guard let d = c.wholeNumberValue, c.isASCII else { return nil }
            sawDigit = true
            if inFrac {
                if fracDigits < 4 { frac = frac * 10 + Int64(d); fracDigits += 1 }
                else if roundDigit < 0 { roundDigit = Int64(d) } else if d != 0 { sticky = true }
            } else {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(d))
                if o1 || o2 { return nil }
                whole = a
            }
            i = text.index(after: i)
        }
        if !sawDigit { return nil }
        while fracDigits < 4 { frac *= 10; fracDigits += 1 }
        guard let w = Fixed(whole: whole) else { return nil }
        // Checked: `922337203685477.9999` is past Int64.max ten-thousandths and must be nil, not a trap.
        var (u, o) = w.units.addingReportingOverflow(frac)
        if o || u < 0 { return nil }
        if roundDigit > 5 || (roundDigit == 5 && (sticky || u % 2 == 1)) {
            let (r, o2) = u.addingReportingOverflow(1)
            if o2 { return nil }
            u = r
        }
        units = neg ? -u : u
    }

    public var doubleValue: Double { Double(units) / Double(Fixed.scale) }

    public static func < (a: Fixed, b: Fixed) -> Bool { a.units < b.units }

    public func adding(_ o: Fixed) -> Fixed? {
        let (v, ov) = units.addingReportingOverflow(o.units)
        return ov ? nil : Fixed(units: v)
    }

    public func subtracting(_ o: Fixed) -> Fixed? {
        let (v, ov) = units.subtractingReportingOverflow(o.units)
        return ov ? nil : Fixed(units: v)
    }

    public func negated() -> Fixed? { units == .min ? nil : Fixed(units: -units) }

    /// Exact product rounded half-even to four digits, or `nil` on overflow.
    public func multiplied(by o: Fixed) -> Fixed? {
        Fixed.divideWide(units.multipliedFullWidth(by: o.units), by: Fixed.scale)
    }

    /// Multiplies by a whole number, or `nil` on overflow.
    public func multiplied(byInt n: Int64) -> Fixed? {
        let (v, ov) = units.multipliedReportingOverflow(by: n)
        return ov ? nil : Fixed(units: v)
    }

    /// Quotient rounded half-even, or `nil` for a zero divisor or overflow.
    public func divided(by o: Fixed) -> Fixed? {
        if o.units == 0 { return nil }
        let wide = units.multipliedFullWidth(by: Fixed.scale)
        return Fixed.divideWide(wide, by: o.units)
    }

    /// Divides by a whole number (rounded half-even), or `nil` for zero.
    public func divided(byInt n: Int64) -> Fixed? {
        if n == 0 { return nil }
        let wide = units.multipliedFullWidth(by: 1)
        return Fixed.divideWide(wide, by: n)
    }

    /// Divides a 128-bit signed value by `d`, rounding half to even; `nil` if the result overflows.
    static func divideWide(_ x: (high: Int64, low: UInt64), by d: Int64) -> Fixed? {
        if d == 0 { return nil }
        // Work with magnitudes.
        let negX = x.high < 0
        var hi = UInt64(bitPattern: x.high), lo = x.low
        if negX { // two's complement negate
            lo = ~lo &+ 1
            hi = ~hi &+ (lo == 0 ? 1 : 0)
        }
        let negD = d < 0
        let ud = d.magnitude
        if hi >= ud { return nil }
        let (q, r) = ud.dividingFullWidth((hi, lo))
        var mag = q
        let twice = r.multipliedReportingOverflow(by: 2)
        if twice.overflow || twice.partialValue > ud || (twice.partialValue == ud && mag % 2 == 1) {
            let (m2, o) = mag.addingReportingOverflow(1)
            if o { return nil }
            mag = m2
        }
        let neg = negX != negD
        if neg {
            if mag > UInt64(Int64.max) + 1 { return nil }
            return Fixed(units: mag == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mag))
        }
        if mag > UInt64(Int64.max) { return nil }
        return Fixed(units: Int64(mag))
    }

    /// Plain text with `digits` fractional digits (rounded half-even), no grouping: `1500000.00`.
    public func plain(digits: Int = 2) -> String { format(digits: digits, grouping: false) }

    /// Text with `digits` fractional digits and optional thousands separators: `1,500,000.00`.
    public func format(digits: Int, grouping: Bool) -> String {
        let d = max(0, min(4, digits))
        var p: Int64 = 1
        for _ in 0..<(4 - d) { p *= 10 }
        var mag = units.magnitude
        let neg = units < 0
        if p > 1 {
            let up = UInt64(p)
            let q = mag / up, r = mag % up
            var rounded = q
            if r * 2 > up || (r * 2 == up && q % 2 == 1) { rounded += 1 }
            mag = rounded
        }
        var div: UInt64 = 1
        for _ in 0..<d { div *= 10 }
        let whole = mag / div, frac = mag % div
        var w = String(whole)
        if grouping && w.count > 3 {
            var out = ""
            for (i, ch) in w.enumerated() {
                if i > 0 && (w.count - i) % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            w = out
        }
        var s = (neg && mag != 0 ? "-" : "") + w
        if d > 0 {
            var f = String(frac)
            while f.count < d { f = "0" + f }
            s += "." + f
        }
        return s
    }

    /// The shortest exact text: `1.5`, `12`, `0.0001`.
    public var description: String {
        var s = format(digits: 4, grouping: false)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
