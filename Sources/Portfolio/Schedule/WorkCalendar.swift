// The business-day calendar of schedules: Monday to Friday, less the `holidays` set.
//
// Dates are mapped to working-day ordinals: `ordinal(d)` is the number of working days strictly
// before `d` (counted from 1970-01-01, so it may be negative). For a working day that is its index;
// a weekend or holiday has the index of the next working day. The same number is also "the end of
// the last working day before d", so start dates snap forward and finish moments snap back, as in
// MS Project. Both directions are closed forms plus a binary search over the holidays, so converting
// a date never walks day by day.
import PMOBase

public struct WorkCalendar: Sendable, Hashable {
    /// Holidays that fall on weekdays (weekend holidays change nothing), sorted, unique.
    public let holidays: [Int32]

    public init(holidays: [Day] = []) {
        self.holidays = Array(Set(holidays.filter(\.isWeekday).map(\.raw))).sorted()
    }

    /// Weekday index: the number of weekdays in [1969-12-29 (a Monday), d).
    @inline(__always) static func weekdaysBefore(_ raw: Int32) -> Int {
        let t = Int(raw) + 3 // days since Monday 1969-12-29
        let w = t >= 0 ? t / 7 : (t - 6) / 7
        return 5 * w + min(t - 7 * w, 5)
    }

    /// The k-th weekday (0 = Monday 1969-12-29) as a raw day.
    @inline(__always) static func weekday(_ k: Int) -> Int {
        let w = k >= 0 ? k / 5 : (k - 4) / 5
        return 7 * w + (k - 5 * w) - 3
    }

    /// Holidays strictly before `raw` (`orEqual`: on or before).
    @inline(__always) func holidaysBefore(_ raw: Int, orEqual: Bool = false) -> Int {
        var lo = 0, hi = holidays.count
        while lo < hi {
            let m = (lo + hi) >> 1
            let h = Int(holidays[m])
            if h < raw || (orEqual && h == raw) { lo = m + 1 } else { hi = m }
        }
        return lo
    }

    public func isWorking(_ d: Day) -> Bool {
        d.isWeekday && !(holidaysBefore(Int(d.raw), orEqual: true) > holidaysBefore(Int(d.raw)))
    }

    /// Working days strictly before `d`.
    public func ordinal(_ d: Day) -> Int { WorkCalendar.weekdaysBefore(d.raw) - holidaysBefore(Int(d.raw)) }

    /// The working day whose ordinal is `o`, or nil outside the supported years.
    public func day(_ o: Int) -> Day? {
        guard abs(o) < 3_000_000 else { return nil }
        var j = 0
        // j grows monotonically to the number of holidays before the answer (see grammar.md).
        for _ in 0...holidays.count {
            let raw = WorkCalendar.weekday(o + j)
            let h = holidaysBefore(raw, orEqual: true)
            if h == j {
                guard let r = Int32(exactly: raw), Day.isInRange(r) else { return nil }
                return Day(raw: r)
            }
            j = h
        }
        return nil
    }

    /// Working days from `a` through `b`, both included (0 when b is before a's first working day).
    public func workingDays(from a: Day, through b: Day) -> Int {
        ordinal(Day(raw: b.raw &+ 1)) - ordinal(a)
    }

    /// The longest run of weekdays that are all holidays, as its first and last day, if any.
    public var longestHolidayRun: (first: Day, last: Day)? {
        guard !holidays.isEmpty else { return nil }
        var best: (Int, Int) = (0, 0), start = 0
        for i in 1...holidays.count {
            let consecutive = i < holidays.count
                && WorkCalendar.weekdaysBefore(holidays[i]) == WorkCalendar.weekdaysBefore(holidays[i - 1]) + 1
            if !consecutive {
                if i - 1 - start > best.1 - best.0 { best = (start, i - 1) }
                start = i
            }
        }
        return (Day(raw: holidays[best.0]), Day(raw: holidays[best.1]))
    }

    /// Why this calendar cannot schedule: holidays that leave no working day for a year or more.
    public var problem: String? {
        guard let run = longestHolidayRun, run.last.raw - run.first.raw >= 360 else { return nil }
        let days = Int(run.last.raw - run.first.raw) + 1
        return "the holidays set leaves no working day from \(run.first) to \(run.last) (\(days) days): "
            + "schedules cannot be computed across it; remove the holidays that are not real days off"
    }
}
