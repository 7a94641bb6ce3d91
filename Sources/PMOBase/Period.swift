// Periods (ISO week, month, quarter, year, fiscal year, date range) and durations.

/// A span of calendar days with a kind that decides how it prints: `2026-W47`, `2026-11`,
/// `2026-Q4`, `2026`, `FY2026` or `2026-10-01..2026-12-31`. `start` and `end` are inclusive.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable { case week, month, quarter, year, fiscalYear, range }

    public var kind: Kind
    public var start: Day
    public var end: Day
    /// The label number for fiscal years (FY2026); unused otherwise.
    public var fiscalYear: Int32

    public init(kind: Kind, start: Day, end: Day, fiscalYear: Int32 = 0) {
        self.kind = kind; self.start = start; self.end = end; self.fiscalYear = fiscalYear
    }

    public static func < (a: Period, b: Period) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }

    public static func month(year: Int, month: Int) -> Period? {
        guard let s = Day(year: year, month: month, day: 1),
              let e = Day(year: year, month: month, day: Day.daysInMonth(year: year, month: month)) else { return nil }
        return Period(kind: .month, start: s, end: e)
    }

    public static func quarter(year: Int, quarter q: Int) -> Period? {
        guard (1...4).contains(q), let s = Day(year: year, month: (q - 1) * 3 + 1, day: 1),
              let e = Period.month(year: year, month: q * 3)?.end else { return nil }
        return Period(kind: .quarter, start: s, end: e)
    }

    public static func year(_ y: Int) -> Period? {
        guard let s = Day(year: y, month: 1, day: 1), let e = Day(year: y, month: 12, day: 31) else { return nil }
        return Period(kind: .year, start: s, end: e)
    }

    /// ISO week `w` of ISO year `y` (weeks start on Monday; week 1 holds the year's first Thursday).
    public static func isoWeek(year y: Int, week w: Int) -> Period? {
        guard let jan4 = Day(year: y, month: 1, day: 4), w >= 1, w <= isoWeeksInYear(y) else { return nil }
        let s = Day(raw: jan4.mondayOfWeek.raw + Int32((w - 1) * 7))
        return Period(kind: .week, start: s, end: Day(raw: s.raw + 6))
    }

    public static func isoWeeksInYear(_ y: Int) -> Int {
        guard let jan1 = Day(year: y, month: 1, day: 1) else { return 52 }
        let wd = jan1.weekday
        return (wd == 4 || (wd == 3 && Day.isLeap(y))) ? 53 : 52
    }

    /// Fiscal year `FYy` for a fiscal year starting in `startMonth`: with January it is the
    /// calendar year; otherwise it ends in the calendar year `y` (FY2026 from October = 2025-10-01..2026-09-30).
    public static func fiscalYear(_ y: Int, startMonth: Int) -> Period? {
        let sm = (1...12).contains(startMonth) ? startMonth : 1
        let sy = sm == 1 ? y : y - 1
        guard let s = Day(year: sy, month: sm, day: 1), let next = s.adding(months: 12) else { return nil }
        return Period(kind: .fiscalYear, start: s, end: Day(raw: next.raw - 1), fiscalYear: Int32(y))
    }

    public static func range(_ a: Day, _ b: Day) -> Period { Period(kind: .range, start: a, end: b) }

    /// The ISO week, month, quarter or year containing a date.
    public static func week(containing d: Day) -> Period {
        let s = d.mondayOfWeek
        return Period(kind: .week, start: s, end: Day(raw: s.raw + 6))
    }

    public static func month(containing d: Day) -> Period {
        let c = d.civil
        return Period.month(year: c.year, month: c.month) ?? range(d, d)
    }

    public static func quarter(containing d: Day) -> Period {
        let c = d.civil
        return Period.quarter(year: c.year, quarter: (c.month - 1) / 3 + 1) ?? range(d, d)
    }

    public static func year(containing d: Day) -> Period {
        Period.year(d.civil.year) ?? range(d, d)
    }

    /// ISO year and week number of the week starting at `start`.
    public var isoYearWeek: (year: Int, week: Int) {
        let thursday = Day(raw: start.mondayOfWeek.raw + 3)
        let y = thursday.civil.year
        let jan4 = Day(year: y, month: 1, day: 4) ?? thursday
        let w = Int(thursday.mondayOfWeek.raw - jan4.mondayOfWeek.raw) / 7 + 1
        return (y, w)
    }

    /// Number of calendar days in the period.
    public var dayCount: Int { Int(end.raw) - Int(start.raw) + 1 }

    public func contains(_ d: Day) -> Bool { d >= start && d <= end }

    /// The periods of `kind` (week, month, quarter) that overlap `[from, to]`, in order; empty when `to < from`.
    public static func list(_ kind: Kind, from: Day, to: Day, limit: Int = 100_000) -> [Period]? {
        if to < from { return [] }
        var out: [Period] = []
        var p: Period
        switch kind {
        case .week: p = week(containing: from)
        case .month: p = month(containing: from)
        case .quarter: p = quarter(containing: from)
        case .year, .fiscalYear: p = year(containing: from)
        case .range: return [range(from, to)]
        }
        while p.start <= to {
            out.append(p)
            if out.count > limit { return nil }
            guard let next = Day(raw: p.end.raw + 1) as Day?, Day.isInRange(next.raw) else { break }
            switch kind {
            case .week: p = week(containing: next)
            case .month: p = month(containing: next)
            case .quarter: p = quarter(containing: next)
            default: p = year(containing: next)
            }
        }
        return out
    }

    public var description: String {
        let c = start.civil
        switch kind {
        case .week:
            let yw = isoYearWeek
            return Day.pad(yw.year, 4) + "-W" + Day.pad(yw.week, 2)
        case .month: return Day.pad(c.year, 4) + "-" + Day.pad(c.month, 2)
        case .quarter: return Day.pad(c.year, 4) + "-Q" + String((c.month - 1) / 3 + 1)
        case .year: return Day.pad(c.year, 4)
        case .fiscalYear: return "FY" + String(fiscalYear)
        case .range: return start.description + ".." + end.description
        }
    }
}

/// A calendar duration: whole months (`3mo`, `1y` = 12 months), days (`30d`, `2w` = 14 days)
/// and business days (`10bd`). Adding to a date applies months, then days, then business days.
public struct Duration: Hashable, Sendable, CustomStringConvertible {
    public var months: Int32
    public var days: Int32
    public var businessDays: Int32

    public init(months: Int32 = 0, days: Int32 = 0, businessDays: Int32 = 0) {
        self.months = months; self.days = days; self.businessDays = businessDays
    }

    /// An approximate length in days for comparing and sorting (a month is 30.436875 days, a business day 1.4).
    public var approximateDays: Double {
        Double(months) * 30.436875 + Double(days) + Double(businessDays) * 1.4
    }

    // Every operation that can overflow is checked and returns `nil` instead of trapping, as `Fixed`'s do:
    // each part is an `Int32`, so `-(65536d * -32768)` (whose days are `Int32.min`) has no negation.

    /// The opposite duration, or `nil` when a part is `Int32.min`.
    public func negated() -> Duration? {
        guard months != .min, days != .min, businessDays != .min else { return nil }
        return Duration(months: -months, days: -days, businessDays: -businessDays)
    }

    /// The part-by-part sum, or `nil` on overflow.
    public func adding(_ o: Duration) -> Duration? {
        let (m, o1) = months.addingReportingOverflow(o.months)
        let (d, o2) = days.addingReportingOverflow(o.days)
        let (b, o3) = businessDays.addingReportingOverflow(o.businessDays)
        return (o1 || o2 || o3) ? nil : Duration(months: m, days: d, businessDays: b)
    }

    /// The part-by-part difference, or `nil` on overflow.
    public func subtracting(_ o: Duration) -> Duration? {
        let (m, o1) = months.subtractingReportingOverflow(o.months)
        let (d, o2) = days.subtractingReportingOverflow(o.days)
        let (b, o3) = businessDays.subtractingReportingOverflow(o.businessDays)
        return (o1 || o2 || o3) ? nil : Duration(months: m, days: d, businessDays: b)
    }

    /// Every part times a whole number, or `nil` on overflow.
    public func multiplied(byInt n: Int64) -> Duration? {
        guard let k = Int32(exactly: n) else { return months == 0 && days == 0 && businessDays == 0 ? self : nil }
        let (m, o1) = months.multipliedReportingOverflow(by: k)
        let (d, o2) = days.multipliedReportingOverflow(by: k)
        let (b, o3) = businessDays.multipliedReportingOverflow(by: k)
        return (o1 || o2 || o3) ? nil : Duration(months: m, days: d, businessDays: b)
    }

    /// The days between two dates (`b - a`); always fits, as dates are days since 1970 in an `Int32`
    /// limited to years 1 to 9999; `nil` for raw values outside that range.
    public static func between(_ a: Day, _ b: Day) -> Duration? {
        let (d, o) = b.raw.subtractingReportingOverflow(a.raw)
        return o ? nil : Duration(days: d)
    }

    /// The date this duration before `d`, or `nil` when it leaves the supported range or cannot be negated.
    public func subtracted(from d: Day) -> Day? { negated()?.added(to: d) }

    /// The date this duration after `d`, or `nil` when it leaves the supported range.
    public func added(to d: Day) -> Day? {
        var r = d
        if months != 0 { guard let x = r.adding(months: Int(months)) else { return nil }; r = x }
        if days != 0 { guard let x = r.adding(days: Int(days)) else { return nil }; r = x }
        if businessDays != 0 { guard let x = r.adding(businessDays: Int(businessDays)) else { return nil }; r = x }
        return r
    }

    /// `30d`, `3mo`, `1y`, `10bd`, or a combination such as `1mo 3d`.
    public var description: String {
        var parts: [String] = []
        if months != 0 {
            if months % 12 == 0 { parts.append("\(months / 12)y") } else { parts.append("\(months)mo") }
        }
        if days != 0 { parts.append("\(days)d") }
        if businessDays != 0 { parts.append("\(businessDays)bd") }
        return parts.isEmpty ? "0d" : parts.joined(separator: " ")
    }
}
