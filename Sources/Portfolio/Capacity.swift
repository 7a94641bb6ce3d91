// Resource capacity, allocation and utilization over a period, computed exactly with integers.
//
// With c = weekly capacity (Fixed units, hours × 10⁴), D = working days (Monday-Friday) in the
// period and S = Σ percent.units × working days of overlap over the matching allocations:
//   capacity    = c · D / 5                      hours
//   allocated   = S · c / (5 · 10⁴)              hours
//   utilization = allocated / capacity = S / D   (Fixed units of a fraction)
// Everything is an integer until the single final division, so allocations of 10%, 20% and 70%
// give exactly the capacity and a person at exactly 100% is not over-allocated.
import PMOBase

extension Slot {
    static let resourceCapacity = of(.resource, "capacity")
    static let allocationStart = of(.allocation, "start"), allocationFinish = of(.allocation, "finish")
    static let allocationPercent = of(.allocation, "percent"), allocationState = of(.allocation, "state")
    static let resourceAllocations = rel(.resource, "allocations")
    static let approved = EnumType.allocationState.code(of: "approved") ?? 255
    static let requested = EnumType.allocationState.code(of: "requested") ?? 255
}

extension PortfolioStore {
    /// The resource's weekly capacity, nil when none.
    func weeklyCapacity(_ resource: Int32) -> Fixed? {
        guard valid(.resource, resource) else { return nil }
        return fixed(column(.resource, Slot.resourceCapacity), Int(resource))
    }

    /// S = Σ percent.units × working days of overlap with `period`, over the resource's approved (or
    /// requested) allocations. A none start is unbounded in the past, a none finish unbounded in the
    /// future; allocations without a percent or a state count for nothing. nil on overflow.
    func allocatedPercentDays(resource: Int32, period: Period, approved: Bool) -> Int64? {
        guard valid(.resource, resource) else { return 0 }
        let starts = column(.allocation, Slot.allocationStart), finishes = column(.allocation, Slot.allocationFinish)
        let percents = column(.allocation, Slot.allocationPercent)
        let states = column(.allocation, Slot.allocationState).smalls
        let wanted = approved ? Slot.approved : Slot.requested
        var sum: Int64 = 0
        for a in related(.resource, relationship: Slot.resourceAllocations, row: resource) {
            let i = Int(a)
            guard states[i] == wanted, let p = fixed(percents, i) else { continue }
            guard let s = CapacityMath.adding(p.units, from: date(starts, i) ?? Int32.min,
                                              to: date(finishes, i) ?? Int32.max, in: period, to: sum) else { return nil }
            sum = s
        }
        return sum
    }

    /// Hours available in `period`: weekly capacity × working days in the period / 5; nil when the
    /// capacity is none.
    public func capacity(resource: Int32, period: Period) -> Fixed? {
        CapacityMath.capacity(weeklyCapacity(resource), period)
    }

    /// Hours of approved (or, with `approved: false`, requested) allocations in `period`:
    /// Σ percent × weekly capacity × working days of overlap / 5. nil when the capacity is none.
    public func allocated(resource: Int32, period: Period, approved: Bool) -> Fixed? {
        guard let c = weeklyCapacity(resource) else { return nil }
        return CapacityMath.allocated(c, allocatedPercentDays(resource: resource, period: period, approved: approved))
    }

    /// Approved allocation over capacity in `period`, as a fraction; nil when the capacity is 0 or none.
    public func utilization(resource: Int32, period: Period) -> Fixed? {
        CapacityMath.utilization(weeklyCapacity(resource), period) {
            allocatedPercentDays(resource: resource, period: period, approved: true)
        }
    }

    /// Approved allocation above capacity in `period`. A resource with no capacity (0 or none) is
    /// over-allocated as soon as it has some approved allocation in the period; one with neither is not.
    public func overallocated(resource: Int32, period: Period) -> Bool {
        guard valid(.resource, resource) else { return false }
        return CapacityMath.overallocated(weeklyCapacity(resource), period,
                                          allocatedPercentDays(resource: resource, period: period, approved: true))
    }
}

/// The formulas above on their integer inputs, shared by the store's methods and `CapacityProfile`.
enum CapacityMath {
    /// `sum` + percent units × working days of [from, to] ∩ `period`; nil on overflow.
    @inline(__always)
    static func adding(_ units: Int64, from: Int32, to: Int32, in period: Period, to sum: Int64) -> Int64? {
        let lo = max(period.start.raw, from), hi = min(period.end.raw, to)
        if lo > hi { return sum }
        let days = Int64(Day.workingDays(from: Day(raw: lo), to: Day(raw: hi)))
        let (v, o1) = units.multipliedReportingOverflow(by: days)
        let (s, o2) = sum.addingReportingOverflow(v)
        return o1 || o2 ? nil : s
    }

    static func capacity(_ c: Fixed?, _ period: Period) -> Fixed? {
        guard let c else { return nil }
        let days = Int64(Day.workingDays(from: period.start, to: period.end))
        return Exact.mulDiv(c.units, days, 5).map(Fixed.init(units:))
    }

    /// Hours from S; nil when S overflowed.
    static func allocated(_ c: Fixed, _ s: Int64?) -> Fixed? {
        guard let s else { return nil }
        return Exact.mulDiv(s, c.units, 5 * Fixed.scale).map(Fixed.init(units:))
    }

    /// S / D; S is computed only when the capacity is known and not 0 and the period has working days.
    static func utilization(_ c: Fixed?, _ period: Period, _ s: () -> Int64?) -> Fixed? {
        guard let c, c.units != 0 else { return nil }
        let days = Int64(Day.workingDays(from: period.start, to: period.end))
        guard days > 0, let s = s() else { return nil }
        return Exact.mulDiv(s, 1, days).map(Fixed.init(units:))
    }

    static func overallocated(_ c: Fixed?, _ period: Period, _ s: Int64?) -> Bool {
        // A sum too large for 64 bits exceeds any capacity.
        guard let s else { return true }
        let days = Int64(Day.workingDays(from: period.start, to: period.end))
        guard let c, c.units != 0, days > 0 else { return s > 0 }
        // allocated > capacity  ⇔  S · c > 10⁴ · D · c
        let (full, o) = Fixed.scale.multipliedReportingOverflow(by: days)
        if o { return false }
        return c.units > 0 ? s > full : s < full
    }
}
