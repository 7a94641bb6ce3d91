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

/// Issue 14: checked arithmetic on every PMOBase type over boundary values; nothing traps.
@Suite struct BoundaryTests {
    static let int32s: [Int32] = [0, 1, -1, 2, -2, 32_767, -32_768, 65_536, .max, .min, .max - 1, .min + 1]

    @Test func durationChecksEveryOperation() {
        let parts = Self.int32s
        let durations = parts.flatMap { m in [Duration(months: m), Duration(days: m), Duration(businessDays: m),
                                              Duration(months: m, days: m, businessDays: m)] }
        for a in durations {
            let n = a.negated()
            #expect((n == nil) == (a.months == .min || a.days == .min || a.businessDays == .min))
            if let n { #expect(n.negated() == a) }
            for b in durations {
                let s = a.adding(b), d = a.subtracting(b)
                if let s { #expect(Int64(s.days) == Int64(a.days) + Int64(b.days)) }
                else { #expect([Int64(a.days) + Int64(b.days), Int64(a.months) + Int64(b.months), Int64(a.businessDays) + Int64(b.businessDays)]
                    .contains { Int32(exactly: $0) == nil }) }
                if let d { #expect(Int64(d.days) == Int64(a.days) - Int64(b.days)) }
            }
            for k: Int64 in [0, 1, -1, 2, -32_768, 65_536, Int64(Int32.max), Int64(Int32.min), .max, .min] {
                if let p = a.multiplied(byInt: k) { #expect(Int64(p.days) == Int64(a.days) * k || (a.days == 0 && p.days == 0)) }
            }
            for day in [Day(raw: -719_162), Day(raw: 2_932_896), Day(raw: 0)] {
                _ = a.added(to: day)
                _ = a.subtracted(from: day)
            }
        }
        #expect(Duration(days: .min).negated() == nil)
        #expect(Duration(days: 65_536).multiplied(byInt: -32_768)?.negated() == nil)
        #expect(Duration(days: 0).subtracting(Duration(days: .min)) == nil)
        #expect(Duration(days: 1).multiplied(byInt: 1 << 40) == nil)
        #expect(Duration(days: 0).multiplied(byInt: 1 << 40) == Duration(days: 0))
    }

    @Test func fixedParsingAtTheEdgeOfInt64() {
        #expect(Fixed(parsing: "922337203685477.5807")?.units == .max)
        #expect(Fixed(parsing: "-922337203685477.5807")?.units == -.max)
        #expect(Fixed(parsing: "922337203685477.5808") == nil)
        #expect(Fixed(parsing: "922337203685477.9999") == nil) // trapped before issue 14
        #expect(Fixed(parsing: "922337203685477.58075") == nil)
        #expect(Fixed(parsing: "922337203685477.58065")?.units == Int64.max - 1)
        #expect(Fixed(parsing: "92233720368547758.07") == nil)
    }

    @Test func fixedOperatorsOverBoundaries() {
        let values: [Int64] = [0, 1, -1, 10_000, -10_000, .max, .min, .max - 1, .min + 1, 1 << 32, -(1 << 32)]
        for a in values.map(Fixed.init(units:)) {
            _ = a.negated()
            _ = a.format(digits: 2, grouping: true)
            _ = a.description
            for b in values.map(Fixed.init(units:)) {
                _ = a.adding(b); _ = a.subtracting(b); _ = a.multiplied(by: b); _ = a.divided(by: b)
                _ = a.multiplied(byInt: b.units); _ = a.divided(byInt: b.units)
            }
        }
        #expect(Fixed(units: .min).divided(byInt: -1) == nil)
        #expect(Fixed(units: .min).multiplied(byInt: -1) == nil)
    }

    @Test func daysAndPeriodsAtTheirEdges() {
        let first = Day(raw: -719_162), last = Day(raw: 2_932_896)
        #expect(first.description == "0001-01-01" && last.description == "9999-12-31")
        for d in [first, last, Day(raw: .min), Day(raw: .max), Day(raw: 0)] {
            for n in [0, 1, -1, Int.max, Int.min, Int(Int32.max), Int(Int32.min)] {
                _ = d.adding(days: n); _ = d.adding(months: n); _ = d.adding(businessDays: n)
            }
            _ = d.mondayOfWeek
        }
        #expect(last.adding(days: 1) == nil && first.adding(days: -1) == nil)
        #expect(first.adding(months: Int.min) == nil && last.adding(businessDays: Int.min) == nil)
        #expect(Day(raw: .min).mondayOfWeek.raw == .min)
        #expect(Period.list(.week, from: first, to: Day(raw: first.raw + 20))?.count == 3) // 0001-01-01 is a Monday
        #expect(Period.list(.year, from: Day(raw: last.raw - 400), to: last)?.count == 2)
    }
}
