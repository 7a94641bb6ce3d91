// Cron expressions: parsing (fields, names, steps, macros), errors with their column, Vixie's
// day-of-month / day-of-week rule, next and previous firings across month ends and daylight saving
// changes, and finding `schedule` lines from tokens. (The `schedule` statement in a script, checked
// when the script is compiled, is PMORuntimeTests' ScheduleStatementTests.)
import Foundation
import Testing
import PMOBase
import PMOSyntax
@testable import PMOCron

/// A Foundation time zone for the scheduler (as the pmo host uses).
struct TZ: ScheduleZone {
    let zone: TimeZone
    init(_ id: String) { zone = TimeZone(identifier: id) ?? TimeZone(secondsFromGMT: 0) ?? TimeZone.current }
    func offset(atUTC seconds: Int64) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))) }
}

/// `2026-11-23T07:00:00Z` ⇄ Unix seconds.
func utc(_ s: String) -> Int64 {
    let f = ISO8601DateFormatter()
    return Int64(f.date(from: s)?.timeIntervalSince1970 ?? -1)
}

func iso(_ t: Int64?) -> String {
    guard let t else { return "none" }
    return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(t)))
}

func bits(_ mask: UInt64) -> [Int] { (0..<64).filter { mask & (1 << UInt64($0)) != 0 } }

@Suite struct ScheduleTests {
    func parse(_ s: String) throws -> CronSchedule { try CronSchedule(parsing: s) }

    @Test func fieldsListsRangesStepsAndNames() throws {
        let a = try parse("0 7 * * MON")
        #expect(bits(a.minutes) == [0])
        #expect(bits(UInt64(a.hours)) == [7])
        #expect(bits(UInt64(a.weekdays)) == [1])
        #expect(a.dayIsStar && !a.weekdayIsStar)
        let b = try parse("*/15 9-17 * * 1-5")
        #expect(bits(b.minutes) == [0, 15, 30, 45])
        #expect(bits(UInt64(b.hours)) == Array(9...17))
        #expect(bits(UInt64(b.weekdays)) == [1, 2, 3, 4, 5])
        #expect(bits(UInt64(try parse("0 0 1,15 * *").days)) == [1, 15])
        #expect(bits(UInt64(try parse("0 12 * jan-mar,Dec *").months)) == [1, 2, 3, 12])
        #expect(bits(try parse("5/20 * * * *").minutes) == [5, 25, 45])
        #expect(bits(UInt64(try parse("0 0 * * 7").weekdays)) == [0])
        #expect(bits(UInt64(try parse("0 0 * * sun,SAT").weekdays)) == [0, 6])
        #expect(bits(UInt64(try parse("0 0 * * 5-7").weekdays)) == [0, 5, 6])
        #expect(bits(UInt64(try parse("0 0-23/6 * * *").hours)) == [0, 6, 12, 18])
        #expect(try parse("  0 7 * * MON  ").text == "0 7 * * MON")
    }

    @Test func macros() throws {
        #expect(try parse("@daily").sameTimes(as: try parse("0 0 * * *")))
        #expect(try parse("@weekly").sameTimes(as: try parse("0 0 * * 0")))
        #expect(try parse("@yearly").sameTimes(as: try parse("0 0 1 1 *")))
        #expect(bits(UInt64(try parse("@weekly").weekdays)) == [0])
        #expect(bits(UInt64(try parse("@monthly").days)) == [1])
        let hourly = try parse("@hourly")
        #expect(bits(hourly.minutes) == [0] && bits(UInt64(hourly.hours)) == Array(0...23))
        #expect(bits(UInt64(try parse("@yearly").months)) == [1])
        #expect(bits(UInt64(try parse("@annually").days)) == [1])
        #expect(bits(UInt64(try parse("@midnight").hours)) == [0])
        #expect(try parse("@DAILY").text == "@DAILY")
    }

    /// Each bad expression, the message and the column (1-based) of the bad part.
    static let errors: [(String, String, Int)] = [
        ("0 7 32 * *", "day of month: 32 is out of range 1-31", 5),
        ("61 * * * *", "minute: 61 is out of range 0-59", 1),
        ("0 24 * * *", "hour: 24 is out of range 0-23", 3),
        ("0 0 * 13 *", "month: 13 is out of range 1-12", 7),
        ("0 0 * * 8", "day of week: 8 is out of range 0-7", 9),
        ("0 7 * * FUN", "day of week: 'FUN' is neither a number in 0-7 nor a name (sun, mon, tue, wed, thu, fri, sat); did you mean 'sun'?", 9),
        ("0 7 * * monday", "day of week: write 'mon' (three letters) instead of 'monday'", 9),
        ("0 7 * foo *", "month: 'foo' is neither a number in 1-12 nor a name (jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec)", 7),
        ("0 x * * *", "hour: 'x' is not a number in 0-23", 3),
        ("0 7 * *", "expected five fields (minute hour day-of-month month day-of-week) but found 4; the day of week is missing", 8),
        ("0 7 * * * *", "expected five fields (minute hour day-of-month month day-of-week) but found 6; '*' is one too many", 11),
        ("*/0 * * * *", "minute: the step after '/' must be a whole number of at least 1, not '0'", 3),
        ("*/x * * * *", "minute: the step after '/' must be a whole number of at least 1, not 'x'", 3),
        ("0 */25 * * *", "hour: step 25 is larger than the field's range 0-23", 5),
        ("5-2 * * * *", "minute: the range 5-2 goes backwards; write the smaller value first", 1),
        ("1,,2 * * * *", "minute: empty item in the list '1,,2'", 3),
        ("0 0 30 2 *", "day of month: no chosen month has day 30, so this schedule never fires", 5),
        ("0 0 - * *", "day of month: '-' is not a number in 1-31", 5),
        ("", "the schedule is empty: expected five fields (minute hour day month weekday) or @daily", 1),
        ("@reboot", "@reboot is not a time: pmo schedules need a time such as @daily or \"0 7 * * MON\"", 1),
        ("@fortnightly", "unknown schedule '@fortnightly': use five fields or one of @yearly, @monthly, @weekly, @daily, @hourly", 1),
    ]

    @Test func errorsNameTheFieldAndColumn() {
        for (text, message, column) in ScheduleTests.errors {
            do {
                _ = try CronSchedule(parsing: text)
                Issue.record("'\(text)' parsed")
            } catch {
                #expect(error.message.hasPrefix(message), "\(text): \(error.message)")
                #expect(error.offset + 1 == column, "\(text): column \(error.offset + 1)")
            }
        }
    }

    @Test func dayOfMonthOrDayOfWeekAsInVixieCron() throws {
        let either = try parse("0 9 1 * MON")
        #expect(either.matchesDay(Day(year: 2026, month: 12, day: 1)!))   // a Tuesday, the 1st
        #expect(either.matchesDay(Day(year: 2026, month: 12, day: 7)!))   // a Monday
        #expect(!either.matchesDay(Day(year: 2026, month: 12, day: 8)!))
        // A day field starting with `*` restricts nothing by itself: then both must hold.
        let both = try parse("0 9 */2 * MON")
        #expect(both.matchesDay(Day(year: 2026, month: 12, day: 7)!))     // Monday the 7th (odd)
        #expect(!both.matchesDay(Day(year: 2026, month: 12, day: 14)!))   // Monday the 14th (even)
        #expect(!both.matchesDay(Day(year: 2026, month: 12, day: 9)!))    // odd, a Wednesday
        let weekdayOnly = try parse("0 9 * * 0")
        #expect(weekdayOnly.matchesDay(Day(year: 2026, month: 11, day: 22)!)) // a Sunday
    }

    @Test func nextFireAcrossMonthEndsAndLeapYears() throws {
        let utcZone = FixedZone(0)
        #expect(iso(try parse("0 0 31 * *").nextFire(after: utc("2026-11-15T00:00:00Z"), in: utcZone)) == "2026-12-31T00:00:00Z")
        #expect(iso(try parse("0 0 29 2 *").nextFire(after: utc("2026-03-01T00:00:00Z"), in: utcZone)) == "2028-02-29T00:00:00Z")
        #expect(iso(try parse("@monthly").nextFire(after: utc("2026-12-31T12:00:00Z"), in: utcZone)) == "2027-01-01T00:00:00Z")
        #expect(iso(try parse("0 7 * * MON").nextFire(after: utc("2026-11-23T07:00:00Z"), in: utcZone)) == "2026-11-30T07:00:00Z")
        #expect(iso(try parse("0 7 * * MON").nextFire(after: utc("2026-11-23T06:59:59Z"), in: utcZone)) == "2026-11-23T07:00:00Z")
        #expect(iso(try parse("59 23 31 12 *").nextFire(after: utc("2026-06-01T00:00:00Z"), in: utcZone)) == "2026-12-31T23:59:00Z")
        #expect(iso(try parse("0 7 * * MON").previousFire(atOrBefore: utc("2026-11-25T12:00:00Z"), in: utcZone)) == "2026-11-23T07:00:00Z")
        #expect(iso(try parse("0 7 * * MON").previousFire(atOrBefore: utc("2026-11-23T07:00:00Z"), in: utcZone)) == "2026-11-23T07:00:00Z")
        #expect(iso(try parse("0 0 1 * *").previousFire(atOrBefore: utc("2026-03-01T00:00:00Z"), in: utcZone)) == "2026-03-01T00:00:00Z")
        #expect(iso(try parse("0 0 1 * *").previousFire(atOrBefore: utc("2026-02-28T23:59:00Z"), in: utcZone)) == "2026-02-01T00:00:00Z")
    }

    @Test func timeZonesAndDaylightSaving() throws {
        let paris = TZ("Europe/Paris"), newYork = TZ("America/New_York")
        // 07:00 in Paris is 06:00Z in winter.
        #expect(iso(try parse("0 7 * * MON").nextFire(after: utc("2026-11-22T00:00:00Z"), in: paris)) == "2026-11-23T06:00:00Z")
        // Spring forward (2027-03-28, 02:00 → 03:00): 02:30 does not exist and fires at the change.
        let half = try parse("30 2 * * *")
        #expect(iso(half.nextFire(after: utc("2027-03-27T12:00:00Z"), in: paris)) == "2027-03-28T01:00:00Z")
        #expect(iso(half.nextFire(after: utc("2027-03-28T01:00:00Z"), in: paris)) == "2027-03-29T00:30:00Z")
        // Fall back (2026-10-25, 03:00 → 02:00): 02:30 happens twice and fires once, the first time.
        #expect(iso(half.nextFire(after: utc("2026-10-24T12:00:00Z"), in: paris)) == "2026-10-25T00:30:00Z")
        #expect(iso(half.nextFire(after: utc("2026-10-25T00:30:00Z"), in: paris)) == "2026-10-26T01:30:00Z")
        #expect(iso(half.previousFire(atOrBefore: utc("2026-10-25T01:45:00Z"), in: paris)) == "2026-10-25T00:30:00Z")
        // New York: 02:30 on 2026-03-08 does not exist; it fires at 03:00 EDT (07:00Z).
        #expect(iso(half.nextFire(after: utc("2026-03-07T12:00:00Z"), in: newYork)) == "2026-03-08T07:00:00Z")
        // A daily schedule keeps its local time across the change.
        let seven = try parse("0 7 * * *")
        #expect(iso(seven.nextFire(after: utc("2026-03-07T13:00:00Z"), in: newYork)) == "2026-03-08T11:00:00Z")
        #expect(iso(seven.nextFire(after: utc("2026-03-06T13:00:00Z"), in: newYork)) == "2026-03-07T12:00:00Z")
    }

    @Test func scannerFindsScheduleLinesFromTokens() {
        let sources = SourceMap()
        let file = sources.add(name: "s.pmo", text: """
        # schedule "1 1 1 1 1" in a comment is not one
        schedule "0 7 * * MON"
        print "schedule \\"2 2 2 2 2\\""
        schedule '@daily'
        schedule "0 7 32 * *"
        report "R" {
          section "S" { count(projects) }
        }

        """)
        let found = ScheduleScanner.scan(file)
        #expect(found.map(\.text) == ["0 7 * * MON", "@daily", "0 7 32 * *"])
        guard found.count == 3, case .failure(let e) = found[2].result else {
            Issue.record("the third schedule should be invalid")
            return
        }
        let span = ScheduleScanner.errorSpan(e, in: found[2].span, file: file)
        #expect(file.text(span) == "32")
        #expect(file.location(of: Int(span.start)).column == 15)
        #expect(ScheduleScanner.hasReport(file))
    }

}

extension CronSchedule {
    /// Fires at the same times (whatever the text).
    func sameTimes(as o: CronSchedule) -> Bool {
        minutes == o.minutes && hours == o.hours && days == o.days && months == o.months && weekdays == o.weekdays
            && dayIsStar == o.dayIsStar && weekdayIsStar == o.weekdayIsStar
    }
}
