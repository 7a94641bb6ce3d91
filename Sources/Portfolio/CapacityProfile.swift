// Every resource's capacity and counting allocations, read from the columns once, so that capacity
// questions over many periods (every week of a year for every resource) cost a short loop each.
import PMOBase

/// The inputs of Capacity.swift's formulas for all resources: weekly capacity, and each resource's
/// allocations that can count (a state of approved or requested and a percent) as flat arrays, in the
/// order of the resource's allocations, with none dates widened to unbounded. Answers are exactly those
/// of the `PortfolioStore` methods of the same names (same integer sums in the same order, same overflow).
public struct CapacityProfile: Sendable {
    /// Weekly capacity units per resource row; meaningless where `capacityKnown` is false.
    let capacityUnits: [Int64]
    let capacityKnown: [Bool]
    /// The entries of resource r are `offsets[r] ..< offsets[r + 1]`.
    let offsets: [Int]
    let starts: [Int32], finishes: [Int32], percents: [Int64]
    let isApproved: [Bool]

    public var resourceCount: Int { capacityUnits.count }

    public init(store: PortfolioStore) {
        let resources = store.table(.resource), allocations = store.table(.allocation)
        let cap = resources.columns[Slot.resourceCapacity]
        var units = [Int64](repeating: 0, count: resources.count), known = [Bool](repeating: false, count: resources.count)
        for r in 0..<resources.count where !cap.nulls.isNone(r) {
            units[r] = cap.ints[r]; known[r] = true
        }
        let startCol = allocations.columns[Slot.allocationStart], finishCol = allocations.columns[Slot.allocationFinish]
        let percentCol = allocations.columns[Slot.allocationPercent]
        let states = allocations.columns[Slot.allocationState].smalls
        let startCodes = startCol.codes, finishCodes = finishCol.codes, percentInts = percentCol.ints
        var offsets = [0]
        offsets.reserveCapacity(resources.count + 1)
        var starts: [Int32] = [], finishes: [Int32] = [], percents: [Int64] = [], approved: [Bool] = []
        let byResource = store.adjacency(.resource, Slot.resourceAllocations)
        for r in 0..<resources.count {
            for a in byResource.slice(Int32(r)) {
                let i = Int(a)
                let state = states[i]
                guard state == Slot.approved || state == Slot.requested, !percentCol.nulls.isNone(i) else { continue }
                starts.append(startCol.nulls.isNone(i) ? Int32.min : startCodes[i])
                finishes.append(finishCol.nulls.isNone(i) ? Int32.max : finishCodes[i])
                percents.append(percentInts[i])
                approved.append(state == Slot.approved)
            }
            offsets.append(starts.count)
        }
        capacityUnits = units; capacityKnown = known
        self.offsets = offsets; self.starts = starts; self.finishes = finishes; self.percents = percents
        isApproved = approved
    }

    @inline(__always) func valid(_ r: Int32) -> Bool { r >= 0 && Int(r) < capacityUnits.count }

    @inline(__always) func weeklyCapacity(_ r: Int32) -> Fixed? {
        guard valid(r), capacityKnown[Int(r)] else { return nil }
        return Fixed(units: capacityUnits[Int(r)])
    }

    /// S of Capacity.swift for one resource and period; nil on overflow.
    func percentDays(_ r: Int32, _ period: Period, approved: Bool) -> Int64? {
        guard valid(r) else { return 0 }
        var sum: Int64 = 0
        for e in offsets[Int(r)]..<offsets[Int(r) + 1] where isApproved[e] == approved {
            guard let s = CapacityMath.adding(percents[e], from: starts[e], to: finishes[e], in: period, to: sum) else { return nil }
            sum = s
        }
        return sum
    }

    /// As `PortfolioStore.capacity(resource:period:)`.
    public func capacity(resource: Int32, period: Period) -> Fixed? {
        CapacityMath.capacity(weeklyCapacity(resource), period)
    }

    /// As `PortfolioStore.allocated(resource:period:approved:)`.
    public func allocated(resource: Int32, period: Period, approved: Bool) -> Fixed? {
        guard let c = weeklyCapacity(resource) else { return nil }
        return CapacityMath.allocated(c, percentDays(resource, period, approved: approved))
    }

    /// As `PortfolioStore.utilization(resource:period:)`.
    public func utilization(resource: Int32, period: Period) -> Fixed? {
        CapacityMath.utilization(weeklyCapacity(resource), period) { percentDays(resource, period, approved: true) }
    }

    /// As `PortfolioStore.overallocated(resource:period:)`.
    public func overallocated(resource: Int32, period: Period) -> Bool {
        guard valid(resource) else { return false }
        return CapacityMath.overallocated(weeklyCapacity(resource), period, percentDays(resource, period, approved: true))
    }
}
