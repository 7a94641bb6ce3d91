// The wall clock and time zone of schedules: `TZ` through Foundation's TimeZone, used only to read
// cron expressions in local time (evaluation stays on --as-of or the data's status date).
import Foundation
import PMOSyntax

/// A Foundation time zone as the scheduler sees it.
public struct FoundationZone: ScheduleZone {
    public let zone: TimeZone
    public func offset(atUTC seconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

public enum ScheduleClock {
    /// The zone schedules are read in: `$TZ` (as in `TZ=Europe/Paris` or `TZ=:Europe/Paris`), else the
    /// system's. An unknown `TZ` is reported and UTC used, as the C library does.
    public static func zone(environment: [String: String]) -> (zone: FoundationZone, name: String, problem: String?) {
        if var tz = environment["TZ"], !tz.isEmpty {
            if tz.hasPrefix(":") { tz.removeFirst() }
            if let z = TimeZone(identifier: tz) ?? TimeZone(abbreviation: tz) { return (FoundationZone(zone: z), tz, nil) }
            if tz.hasPrefix("/"), let z = zoneFromPath(tz) { return (FoundationZone(zone: z), tz, nil) }
            return (FoundationZone(zone: TimeZone(secondsFromGMT: 0) ?? TimeZone.current), "UTC",
                    "unknown time zone TZ=\(tz); reading schedules in UTC")
        }
        return (FoundationZone(zone: TimeZone.current), TimeZone.current.identifier, nil)
    }

    /// `/usr/share/zoneinfo/Europe/Paris` → Europe/Paris.
    public static func zoneFromPath(_ path: String) -> TimeZone? {
        guard let r = path.range(of: "zoneinfo/") else { return nil }
        return TimeZone(identifier: String(path[r.upperBound...]))
    }

    /// Now, in Unix seconds.
    public static var now: Int64 { Int64(Date().timeIntervalSince1970.rounded(.down)) }

    /// Parses `--now`: `2026-11-23T07:05` or `2026-11-23 07:05` (local time in `zone`), or the same
    /// with a trailing `Z` (UTC).
    public static func parse(_ text: String, zone: any ScheduleZone) -> Int64? {
        let t = text.replacingOccurrences(of: " ", with: "T")
        if t.hasSuffix("Z") { return CivilTime.parseISO(t) }
        guard let asIfUTC = CivilTime.parseISO(t) else { return nil }
        let minute = CronSchedule.floorDiv(asIfUTC, 60)
        return CronSchedule.instant(ofLocalMinute: minute, in: zone) + (asIfUTC - minute * 60)
    }

    /// `2026-11-23 07:00` in the zone.
    public static func local(_ instant: Int64, zone: any ScheduleZone) -> String {
        let iso = CivilTime.iso(unixSeconds: instant + Int64(zone.offset(atUTC: instant)))
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
