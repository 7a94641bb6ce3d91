// Exact decimals, calendar dates, periods and durations.
import Testing
@testable import PMOBase

@Suite struct FixedTests {
    @Test(arguments: [("1.5", 15_000), ("-0.25", -2_500), ("1_000", 10_000_000), ("0.00005", 0), ("0.00015", 2), ("12.34567", 123_457)])
    func parsing(_ c: (String, Int64)) { #expect(Fixed(parsing: Substring(c.0))?.units == c.1) }

    @Test func rejectsBadText() {
        #expect(Fixed(parsing: "1.2.3") == nil)
        #expect(Fixed(parsing: "abc") == nil)
        #expect(Fixed(parsing: "99999999999999999999") == nil)
    }

    @Test func exactArithmetic() {
        let a = Fixed(parsing: "0.1")!, b = Fixed(parsing: "0.2")!, c = Fixed(parsing: "0.7")!
        #expect(a.adding(b)?.adding(c) == .one)
        #expect(Fixed(parsing: "2.5")!.multiplied(by: Fixed(parsing: "0.15")!) == Fixed(parsing: "0.375"))
        #expect(Fixed.one.divided(by: Fixed(whole: 3)!)?.units == 3_333)
        #expect(Fixed.one.divided(by: .zero) == nil)
        #expect(Fixed(units: .max).adding(.one) == nil)
        #expect(Fixed(units: .max).multiplied(by: Fixed(whole: 2)!) == nil)
        #expect(Fixed(units: .min).negated() == nil)
    }

    @Test func formatting() {
        #expect(Fixed(whole: 1_500_000)!.format(digits: 2, grouping: true) == "1,500,000.00")
        #expect(Fixed(parsing: "-1234.565")!.format(digits: 2, grouping: true) == "-1,234.56")
        #expect(Fixed(parsing: "1234.575")!.format(digits: 2, grouping: false) == "1234.58")
        #expect(Fixed(parsing: "0.125")!.description == "0.125")
    }
}

@Suite struct DayTests {
    @Test func civilRoundTrip() {
        for raw in stride(from: Int32(-719_162), through: 2_932_896, by: 9_973) {
            let d = Day(raw: raw)
            let c = d.civil
            #expect(Day(year: c.year, month: c.month, day: c.day) == d)
        }
    }

    @Test func calendar() {
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(iso: "2026-11-22")?.weekday == 7)
        #expect(Day(iso: "2026-11-23")?.weekday == 1)
        #expect(Day(iso: "2026-01-31")?.adding(months: 1)?.description == "2026-02-28")
        #expect(Day(iso: "2026-11-20")?.adding(businessDays: 1)?.description == "2026-11-23")
        #expect(Day(iso: "2026-11-20")?.adding(businessDays: 10)?.description == "2026-12-04")
        #expect(Day(iso: "2026-11-23")?.adding(businessDays: -1)?.description == "2026-11-20")
        #expect(Day.workingDays(from: Day(iso: "2026-12-01")!, to: Day(iso: "2026-12-31")!) == 23)
        #expect(Day(iso: "9999-12-31")?.adding(days: 1) == nil)
        #expect(Day(iso: "2026-13-01") == nil)
    }
}

@Suite struct PeriodTests {
    @Test func labelsAndBounds() {
        #expect(Period.quarter(year: 2026, quarter: 4)?.end.description == "2026-12-31")
        #expect(Period.isoWeek(year: 2026, week: 47)?.start.description == "2026-11-16")
        #expect(Period.isoWeek(year: 2026, week: 53)?.description == "2026-W53")
        #expect(Period.isoWeek(year: 2025, week: 53) == nil)
        #expect(Period.isoWeek(year: 2021, week: 1)?.start.description == "2021-01-04")
        #expect(Period.week(containing: Day(iso: "2027-01-01")!).description == "2026-W53")
        #expect(Period.fiscalYear(2026, startMonth: 10)?.start.description == "2025-10-01")
        #expect(Period.fiscalYear(2026, startMonth: 10)?.end.description == "2026-09-30")
        #expect(Period.fiscalYear(2026, startMonth: 1)?.description == "FY2026")
        #expect(Period.month(year: 2026, month: 2)?.dayCount == 28)
    }

    @Test func lists() {
        let q4 = Period.quarter(year: 2026, quarter: 4)!
        #expect(Period.list(.week, from: q4.start, to: q4.end)?.count == 14)
        #expect(Period.list(.month, from: q4.start, to: q4.end)?.map(\.description) == ["2026-10", "2026-11", "2026-12"])
        #expect(Period.list(.month, from: q4.end, to: q4.start) == [])
    }

    @Test func durations() {
        let d = Day(iso: "2026-01-31")!
        #expect(Duration(months: 1).added(to: d)?.description == "2026-02-28")
        #expect(Duration(days: 30).description == "30d")
        #expect(Duration(months: 12).description == "1y")
        #expect(Duration(days: 14).approximateDays == 14)
    }
}
