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
            let lo = max(period.start.raw, date(starts, i) ?? Int32.min)
            let hi = min(period.end.raw, date(finishes, i) ?? Int32.max)
            if lo > hi { continue }
            let days = Int64(Day.workingDays(from: Day(raw: lo), to: Day(raw: hi)))
            let (v, o1) = p.units.multipliedReportingOverflow(by: days)
            let (s, o2) = sum.addingReportingOverflow(v)
            if o1 || o2 { return nil }
            sum = s
        }
        return sum
    }

    /// Hours available in `period`: weekly capacity × working days in the period / 5; nil when the
    /// capacity is none.
    public func capacity(resource: Int32, period: Period) -> Fixed? {
        guard let c = weeklyCapacity(resource) else { return nil }
        let days = Int64(Day.workingDays(from: period.start, to: period.end))
        return Exact.mulDiv(c.units, days, 5).map(Fixed.init(units:))
    }

    /// Hours of approved (or, with `approved: false`, requested) allocations in `period`:
    /// Σ percent × weekly capacity × working days of overlap / 5. nil when the capacity is none.
    public func allocated(resource: Int32, period: Period, approved: Bool) -> Fixed? {
        guard let c = weeklyCapacity(resource),
              let s = allocatedPercentDays(resource: resource, period: period, approved: approved) else { return nil }
        return Exact.mulDiv(s, c.units, 5 * Fixed.scale).map(Fixed.init(units:))
    }

    /// Approved allocation over capacity in `period`, as a fraction; nil when the capacity is 0 or none.
    public func utilization(resource: Int32, period: Period) -> Fixed? {
        guard let c = weeklyCapacity(resource), c.units != 0 else { return nil }
        let days = Int64(Day.workingDays(from: period.start, to: period.end))
        guard days > 0, let s = allocatedPercentDays(resource: resource, period: period, approved: true) else { return nil }
        return Exact.mulDiv(s, 1, days).map(Fixed.init(units:))
    }

    /// Approved allocation above capacity in `period`. A resource with no capacity (0 or none) is
    /// over-allocated as soon as it has some approved allocation in the period; one with neither is not.
    public func overallocated(resource: Int32, period: Period) -> Bool {
        guard valid(.resource, resource) else { return false }
        // A sum too large for 64 bits exceeds any capacity.
        guard let s = allocatedPercentDays(resource: resource, period: period, approved: true) else { return true }
        let days = Int64(Day.workingDays(from: period.start, to: period.end))
        guard let c = weeklyCapacity(resource), c.units != 0, days > 0 else { return s > 0 }
        // allocated > capacity  ⇔  S · c > 10⁴ · D · c
        let (full, o) = Fixed.scale.multipliedReportingOverflow(by: days)
        if o { return false }
        return c.units > 0 ? s > full : s < full
    }
}
