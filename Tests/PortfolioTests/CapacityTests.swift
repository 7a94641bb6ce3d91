// Capacity, allocation and utilization over periods, computed exactly.
import Testing
import PMOBase
import Portfolio

@Suite struct CapacityTests {
    static let files = Fixture.with([
        "resources.csv": """
            id,name,capacity
            R1,Exact,40
            R2,Over,40
            R3,No hours,0
            R4,Idle,0
            R5,Unknown,
            R6,Part,37.5
            R7,Elsewhere,40

            """,
        "allocations.csv": """
            resource,project,start,finish,percent,state
            R1,PRJ-1,2026-06-01,2026-06-30,10%,approved
            R1,PRJ-1,2026-06-01,2026-06-30,0.2,approved
            R1,PRJ-1,2026-06-01,2026-06-30,70%,approved
            R1,PRJ-1,2026-06-01,2026-06-30,50%,requested
            R2,PRJ-1,2026-06-01,2026-06-30,10%,approved
            R2,PRJ-1,2026-06-01,2026-06-30,20%,approved
            R2,PRJ-1,2026-06-01,2026-06-30,70%,approved
            R2,PRJ-1,2026-06-30,2026-06-30,0.01%,approved
            R3,PRJ-1,2026-06-01,2026-06-30,10%,approved
            R5,PRJ-1,2026-06-01,2026-06-30,20%,approved
            R6,PRJ-1,,,100%,approved
            R6,PRJ-1,2026-06-15,,50%,approved
            R7,PRJ-1,2026-01-01,2026-05-31,100%,approved
            R7,PRJ-1,2026-06-01,2026-06-30,50%,
            R7,PRJ-1,2026-06-01,2026-06-30,,approved
            R7,PRJ-1,2026-06-12,2026-06-03,80%,approved

            """,
    ])

    let s: PortfolioStore
    let june = Period.month(year: 2026, month: 6)! // 22 working days
    init() throws { s = try Fixture.load(CapacityTests.files) }

    @Test func capacityIsProratedByWorkingDays() {
        #expect(s.capacity(resource: 0, period: june) == money("176"))
        #expect(s.capacity(resource: 5, period: june) == money("165"))
        #expect(s.capacity(resource: 0, period: Period.isoWeek(year: 2026, week: 23)!) == money("40"))
        #expect(s.capacity(resource: 5, period: .range(day("2026-06-01"), day("2026-06-03"))) == money("22.5"))
        #expect(s.capacity(resource: 4, period: june) == nil)
        #expect(s.capacity(resource: 2, period: june) == .zero)
    }

    @Test func tenTwentySeventyIsExactlyFull() {
        #expect(s.allocated(resource: 0, period: june, approved: true) == s.capacity(resource: 0, period: june))
        #expect(s.utilization(resource: 0, period: june) == .one)
        #expect(!s.overallocated(resource: 0, period: june))
        #expect(s.allocated(resource: 0, period: june, approved: false) == money("88"))
        #expect(s.overallocated(resource: 1, period: june)) // 100.01% on one day
        #expect(s.utilization(resource: 1, period: june) == Fixed(units: 10_000)) // 1/22 of 0.01% rounds away
        #expect(!s.overallocated(resource: 1, period: Period.isoWeek(year: 2026, week: 23)!))
    }

    @Test func thirdsOfAnOddCapacity() throws {
        let t = try Fixture.load(Fixture.with([
            "resources.csv": "id,name,capacity\nR1,Odd,37.5\n",
            "allocations.csv": "resource,project,percent,state\nR1,PRJ-1,33.33%,approved\nR1,PRJ-1,33.33%,approved\nR1,PRJ-1,33.34%,approved\n",
        ]))
        let p = Period.range(day("2026-06-01"), day("2026-06-03"))
        #expect(t.allocated(resource: 0, period: p, approved: true) == money("22.5"))
        #expect(t.utilization(resource: 0, period: p) == .one)
        #expect(!t.overallocated(resource: 0, period: p))
    }

    @Test func zeroOrUnknownCapacity() {
        #expect(s.utilization(resource: 2, period: june) == nil)
        #expect(s.allocated(resource: 2, period: june, approved: true) == .zero)
        #expect(s.overallocated(resource: 2, period: june)) // no capacity, some allocation
        #expect(!s.overallocated(resource: 3, period: june)) // neither
        #expect(s.utilization(resource: 3, period: june) == nil)
        #expect(s.allocated(resource: 4, period: june, approved: true) == nil)
        #expect(s.utilization(resource: 4, period: june) == nil)
        #expect(s.overallocated(resource: 4, period: june))
    }

    @Test func openEndedAndPartialAllocations() {
        // 100% with no start or finish, plus 50% from 2026-06-15 (12 working days of June).
        #expect(s.allocated(resource: 5, period: june, approved: true) == money("210"))
        #expect(s.utilization(resource: 5, period: june) == Fixed(units: 12_727))
        #expect(s.overallocated(resource: 5, period: june))
        #expect(!s.overallocated(resource: 5, period: .range(day("2026-06-01"), day("2026-06-12"))))
    }

    @Test func allocationsThatDoNotCount() {
        // Before the period, without a state, without a percent, or with finish before start.
        #expect(s.allocated(resource: 6, period: june, approved: true) == .zero)
        #expect(s.allocated(resource: 6, period: june, approved: false) == .zero)
        #expect(s.utilization(resource: 6, period: june) == .zero)
        #expect(!s.overallocated(resource: 6, period: june))
    }

    @Test func weekendPeriod() {
        let weekend = Period.range(day("2026-06-06"), day("2026-06-07"))
        #expect(s.capacity(resource: 0, period: weekend) == .zero)
        #expect(s.utilization(resource: 0, period: weekend) == nil)
        #expect(!s.overallocated(resource: 0, period: weekend))
    }

    /// Every period shape over the fixture: single days (weekdays and weekends), windows of 3 and 9 days
    /// around the allocations' edges, ISO weeks, months, a quarter and a year.
    static func periods() -> [Period] {
        var out: [Period] = []
        let first = day("2025-12-20"), last = day("2026-07-10")
        var d = first
        while d <= last {
            out.append(.range(d, d))
            out.append(.range(d, Day(raw: d.raw + 2)))
            out.append(.range(d, Day(raw: d.raw + 8)))
            d = Day(raw: d.raw + 1)
        }
        for w in 1...53 { if let p = Period.isoWeek(year: 2026, week: w) { out.append(p) } }
        for m in 1...12 { if let p = Period.month(year: 2026, month: m) { out.append(p) } }
        if let q = Period.quarter(year: 2026, quarter: 2) { out.append(q) }
        if let y = Period.year(2026) { out.append(y) }
        out.append(.range(day("2026-06-12"), day("2026-06-03"))) // empty: end before start
        return out
    }

    /// The differences between the profile and the direct computation, as text (empty when none).
    static func mismatches(_ store: PortfolioStore, resources: ClosedRange<Int32>) -> [String] {
        let prof = CapacityProfile(store: store)
        var bad: [String] = []
        for r in resources {
            for p in periods() {
                let direct = [store.capacity(resource: r, period: p), store.allocated(resource: r, period: p, approved: true),
                              store.allocated(resource: r, period: p, approved: false), store.utilization(resource: r, period: p)]
                let fast = [prof.capacity(resource: r, period: p), prof.allocated(resource: r, period: p, approved: true),
                            prof.allocated(resource: r, period: p, approved: false), prof.utilization(resource: r, period: p)]
                if direct != fast || store.overallocated(resource: r, period: p) != prof.overallocated(resource: r, period: p) {
                    bad.append("resource \(r), \(p): \(direct) vs \(fast)")
                }
            }
        }
        return bad
    }

    @Test func profileGivesTheDirectNumbers() {
        // Rows -1 and 7 are not resources; the others cover none and zero capacity, requested and
        // approved, open-ended, overlapping, stateless, percentless and inverted allocations.
        #expect(CapacityTests.mismatches(s, resources: -1...7) == [])
        #expect(CapacityProfile(store: s).resourceCount == 7)
    }

    @Test func profileAgreesOnLargeSumsAndLongPeriods() throws {
        // Percentages are capped at 1000% by the loader; open-ended ones over a century still sum exactly.
        let big = "R1,PRJ-1,,,1000%,approved\n"
        let t = try Fixture.load(Fixture.with([
            "resources.csv": "id,name,capacity\nR1,Busy,0.0001\nR2,Unknown,\n",
            "allocations.csv": "resource,project,start,finish,percent,state\n" + String(repeating: big, count: 5)
                + "R2,PRJ-1,1990-01-01,,1000%,requested\n",
        ]))
        let century = Period.range(day("2000-01-01"), day("2099-12-31"))
        let prof = CapacityProfile(store: t)
        for r: Int32 in 0...1 {
            #expect(prof.allocated(resource: r, period: century, approved: true) == t.allocated(resource: r, period: century, approved: true))
            #expect(prof.allocated(resource: r, period: century, approved: false) == t.allocated(resource: r, period: century, approved: false))
            #expect(prof.utilization(resource: r, period: century) == t.utilization(resource: r, period: century))
            #expect(prof.overallocated(resource: r, period: century) == t.overallocated(resource: r, period: century))
        }
        #expect(prof.utilization(resource: 0, period: century) == Fixed(units: 500_000))
        #expect(CapacityTests.mismatches(t, resources: 0...1) == [])
    }
}

