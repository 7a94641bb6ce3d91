// When a cron expression fires: matching local civil days and minutes, and instants in a time zone.
// The expression is read in local civil time; `ScheduleZone` gives the offset from UTC at an instant.
// A local time skipped when clocks go forward fires at the moment of the change; a local time that
// happens twice when clocks go back fires once, the first time.
import PMOBase
import PMOSyntax

extension CronSchedule {
    // MARK: - Matching local civil time

    /// Whether the schedule fires on a local day (month, and day of month / day of week with Vixie's OR).
    public func matchesDay(_ d: Day) -> Bool {
        let c = d.civil
        guard months & (1 << c.month) != 0 else { return false }
        let dom = days & (1 << c.day) != 0
        let dow = weekdays & (1 << (d.weekday % 7)) != 0   // Day.weekday: 1 = Monday ... 7 = Sunday
        if dayIsStar || weekdayIsStar { return dom && dow }
        return dom || dow
    }

    /// The first local minute (minutes since 1970-01-01 00:00 local) at or after `from` that matches.
    public func nextLocal(atOrAfter from: Int64) -> Int64? {
        var day = CronSchedule.floorDiv(from, 1440)
        var minuteOfDay = Int(from - day * 1440)
        for _ in 0..<(366 * 9) {
            if Day.isInRange(Int32(clamping: day)), matchesDay(Day(raw: Int32(clamping: day))) {
                for h in (minuteOfDay / 60)..<24 where hours & (1 << h) != 0 {
                    let firstMinute = h == minuteOfDay / 60 ? minuteOfDay % 60 : 0
                    for m in firstMinute..<60 where minutes & (1 << m) != 0 {
                        return day * 1440 + Int64(h * 60 + m)
                    }
                }
            }
            day += 1
            minuteOfDay = 0
        }
        return nil
    }

    /// The last local minute at or before `from` that matches.
    public func previousLocal(atOrBefore from: Int64) -> Int64? {
        var day = CronSchedule.floorDiv(from, 1440)
        var minuteOfDay = Int(from - day * 1440)
        for _ in 0..<(366 * 9) {
            if Day.isInRange(Int32(clamping: day)), matchesDay(Day(raw: Int32(clamping: day))) {
                for h in stride(from: minuteOfDay / 60, through: 0, by: -1) where hours & (1 << h) != 0 {
                    let lastMinute = h == minuteOfDay / 60 ? minuteOfDay % 60 : 59
                    for m in stride(from: lastMinute, through: 0, by: -1) where minutes & (1 << m) != 0 {
                        return day * 1440 + Int64(h * 60 + m)
                    }
                }
            }
            day -= 1
            minuteOfDay = 1439
        }
        return nil
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    // MARK: - Instants in a time zone

    /// The first firing strictly after `instant` (Unix seconds), as Unix seconds.
    public func nextFire(after instant: Int64, in zone: any ScheduleZone) -> Int64? {
        // Start a little before the local time of `instant`: a local time mapped across a clock change
        // may land after `instant` although it reads earlier.
        var local = CronSchedule.floorDiv(instant + Int64(zone.offset(atUTC: instant)), 60) - 180
        for _ in 0..<100_000 {
            guard let candidate = nextLocal(atOrAfter: local) else { return nil }
            let u = CronSchedule.instant(ofLocalMinute: candidate, in: zone)
            if u > instant { return u }
            local = candidate + 1
        }
        return nil
    }

    /// The last firing at or before `instant`, as Unix seconds.
    public func previousFire(atOrBefore instant: Int64, in zone: any ScheduleZone) -> Int64? {
        var local = CronSchedule.floorDiv(instant + Int64(zone.offset(atUTC: instant)), 60) + 180
        for _ in 0..<100_000 {
            guard let candidate = previousLocal(atOrBefore: local) else { return nil }
            let u = CronSchedule.instant(ofLocalMinute: candidate, in: zone)
            if u <= instant { return u }
            local = candidate - 1
        }
        return nil
    }

    /// The instant a local minute names: the first of two when clocks went back; the moment of the
    /// change when clocks went forward over it.
    public static func instant(ofLocalMinute minute: Int64, in zone: any ScheduleZone) -> Int64 {
        let local = minute * 60
        let before = Int64(zone.offset(atUTC: local - 86_400))
        let after = Int64(zone.offset(atUTC: local + 86_400))
        var valid: [Int64] = []
        for o in [before, after] {
            let u = local - o
            if Int64(zone.offset(atUTC: u)) == o && !valid.contains(u) { valid.append(u) }
        }
        if let first = valid.min() { return first }
        // Skipped: find the change between the two readings, to the second.
        var lo = local - max(before, after), hi = local - min(before, after)
        if lo > hi { swap(&lo, &hi) }
        let startOffset = Int64(zone.offset(atUTC: lo))
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if Int64(zone.offset(atUTC: mid)) == startOffset { lo = mid } else { hi = mid }
        }
        return hi
    }
}

/// A time zone as the scheduler needs it: the offset from UTC, in seconds east, at an instant.
public protocol ScheduleZone {
    func offset(atUTC seconds: Int64) -> Int
}

/// A zone with one fixed offset (UTC is `FixedZone(0)`).
public struct FixedZone: ScheduleZone, Sendable {
    public let seconds: Int
    public init(_ seconds: Int) { self.seconds = seconds }
    public func offset(atUTC _: Int64) -> Int { seconds }
}
