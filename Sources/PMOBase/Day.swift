// Calendar dates as day numbers: conversions, weekdays, month arithmetic and ISO formatting.

/// A calendar date without a time zone, stored as days since 1970-01-01 (proleptic Gregorian).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }

    /// The date for a year, month (1-12) and day (1-31), or `nil` when it does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysInMonth(year: year, month: month) else { return nil }
        raw = Int32(Day.daysFromCivil(year, month, day))
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso text: Substring) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { let c = b[i]; guard c >= 48 && c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: Day, b: Day) -> Bool { a.raw < b.raw }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a civil date (H. Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Year, month and day of this date.
    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(raw) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// ISO weekday: Monday = 1 ... Sunday = 7.
    public var weekday: Int {
        let w = (Int(raw) + 3) % 7 // 1970-01-01 was a Thursday (ISO 4)
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekday: Bool { weekday <= 5 }

    public func adding(days n: Int) -> Day? {
        let (v, o) = Int(raw).addingReportingOverflow(n)
        guard !o, let r = Int32(exactly: v), Day.isInRange(r) else { return nil }
        return Day(raw: r)
    }

    /// The same day `n` months on, clamped to the last day of the target month.
    public func adding(months n: Int) -> Day? {
        guard n > -200_000, n < 200_000 else { return nil } // 9,999 years are under 120,000 months
        let c = civil
        let total = c.year * 12 + (c.month - 1) + n
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        guard (1...9999).contains(y) else { return nil }
        return Day(year: y, month: m, day: min(c.day, Day.daysInMonth(year: y, month: m)))
    }

    /// Moves by `n` business days (Monday to Friday), skipping weekends.
    public func adding(businessDays n: Int) -> Day? {
        guard n > -1_000_000, n < 1_000_000 else { return nil } // not abs(n): abs(Int.min) traps
        var d = self
        var left = abs(n)
        let step = n >= 0 ? 1 : -1
        // Whole weeks first.
        let weeks = left / 5
        guard let jumped = d.adding(days: weeks * 7 * step) else { return nil }
        d = jumped
        left -= weeks * 5
        while left > 0 {
            guard let nd = d.adding(days: step) else { return nil }
            d = nd
            if d.isWeekday { left -= 1 }
        }
        return d
    }

    /// Dates the tool accepts: years 1 to 9999.
    public static func isInRange(_ r: Int32) -> Bool { r >= -719_162 && r <= 2_932_896 }

    /// The Monday of the ISO week containing this date.
    /// (Clamped at Int32.min, which is far outside the supported range, rather than trapping.)
    public var mondayOfWeek: Day { Day(raw: Int32(clamping: Int(raw) - (weekday - 1))) }

    /// Number of Monday-to-Friday days in `[from, to]` (inclusive); 0 when `to < from`.
    public static func workingDays(from: Day, to: Day) -> Int {
        if to < from { return 0 }
        let total = Int(to.raw) - Int(from.raw) + 1
        let weeks = total / 7
        var count = weeks * 5
        var wd = from.weekday
        for _ in 0..<(total - weeks * 7) {
            if wd <= 5 { count += 1 }
            wd = wd == 7 ? 1 : wd + 1
        }
        return count
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = civil
        return Day.pad(c.year, 4) + "-" + Day.pad(c.month, 2) + "-" + Day.pad(c.day, 2)
    }

    static func pad(_ v: Int, _ w: Int) -> String {
        var s = String(v)
        while s.count < w { s = "0" + s }
        return s
    }
}
