// Computed fields at an as-of date: earned value, statuses, actual cost, counts, milestones and risks.
import PMOBase

/// Earned value figures of a project (from its latest status report) or of a roll-up (from sums).
/// A figure is nil when an input is missing or its formula divides by zero.
public struct EVMFigures: Sendable, Equatable {
    public var bac, pv, ev, ac, cv, sv, eac, etc, vac: Fixed?
    public var cpi, spi, tcpi: Double?
    /// The status report the figures come from (nil for a roll-up or when there is none).
    public var statusReport: Int32?

    public init(bac: Fixed? = nil, pv: Fixed? = nil, ev: Fixed? = nil, ac: Fixed? = nil, cv: Fixed? = nil,
                sv: Fixed? = nil, eac: Fixed? = nil, etc: Fixed? = nil, vac: Fixed? = nil, cpi: Double? = nil,
                spi: Double? = nil, tcpi: Double? = nil, statusReport: Int32? = nil) {
        self.bac = bac; self.pv = pv; self.ev = ev; self.ac = ac; self.cv = cv; self.sv = sv
        self.eac = eac; self.etc = etc; self.vac = vac; self.cpi = cpi; self.spi = spi; self.tcpi = tcpi
        self.statusReport = statusReport
    }

    /// The derived figures from the four inputs: cv = ev − ac, sv = ev − pv, cpi = ev / ac, spi = ev / pv,
    /// eac = bac / cpi (computed exactly as bac · ac / ev), etc = eac − ac, vac = bac − eac,
    /// tcpi = (bac − ev) / (bac − ac). A zero denominator or an overflow gives nil.
    public static func derive(bac: Fixed?, pv: Fixed?, ev: Fixed?, ac: Fixed?) -> EVMFigures {
        var f = EVMFigures(bac: bac, pv: pv, ev: ev, ac: ac)
        f.cv = Exact.difference(ev, ac)
        f.sv = Exact.difference(ev, pv)
        f.cpi = Exact.ratio(ev, ac)
        f.spi = Exact.ratio(ev, pv)
        if let b = bac, let e = ev, let a = ac, e.units != 0, a.units != 0 {
            f.eac = Exact.mulDiv(b.units, a.units, e.units).map(Fixed.init(units:))
        }
        f.etc = Exact.difference(f.eac, ac)
        f.vac = Exact.difference(bac, f.eac)
        if let num = Exact.difference(bac, ev), let den = Exact.difference(bac, ac), den.units != 0 {
            f.tcpi = Double(num.units) / Double(den.units)
        }
        return f
    }
}

/// Exact integer helpers for the metrics.
enum Exact {
    static func difference(_ a: Fixed?, _ b: Fixed?) -> Fixed? {
        guard let a, let b else { return nil }
        return a.subtracting(b)
    }

    /// a / b as a real, nil when either is missing or b is zero.
    static func ratio(_ a: Fixed?, _ b: Fixed?) -> Double? {
        guard let a, let b, b.units != 0 else { return nil }
        return Double(a.units) / Double(b.units)
    }

    /// a · b / c with a 128-bit intermediate, rounded half to even; nil for c = 0 or a result beyond Int64.
    static func mulDiv(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64? {
        if c == 0 { return nil }
        let p = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let d = c.magnitude
        guard p.high < d else { return nil }
        let (q, r) = d.dividingFullWidth(p)
        var mag = q
        if r > d - r || (r == d - r && q & 1 == 1) {
            let (m, o) = mag.addingReportingOverflow(1)
            if o { return nil }
            mag = m
        }
        let negative = ((a < 0) != (b < 0)) != (c < 0)
        if negative {
            if mag > UInt64(Int64.max) + 1 { return nil }
            return mag == UInt64(Int64.max) + 1 ? Int64.min : -Int64(mag)
        }
        return mag > UInt64(Int64.max) ? nil : Int64(mag)
    }
}

/// A checked running sum that skips none values and stays nil once it overflows.
struct FixedSum {
    var units: Int64 = 0
    var any = false
    var overflow = false

    mutating func add(_ v: Fixed?) {
        guard let v, !overflow else { return }
        let (s, o) = units.addingReportingOverflow(v.units)
        if o { overflow = true } else { units = s; any = true }
    }

    var value: Fixed? { any && !overflow ? Fixed(units: units) : nil }
}

/// Column positions in the catalogue, looked up once.
enum Slot {
    static func of(_ k: EntityKind, _ name: String) -> Int {
        guard let i = Catalog.schemas[k.rawValue].fieldIndex(name) else { preconditionFailure("no field \(k.setName).\(name)") }
        return i
    }

    static func rel(_ k: EntityKind, _ name: String) -> Int {
        guard let i = Catalog.schemas[k.rawValue].toMany.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("no relationship \(k.setName).\(name)")
        }
        return i
    }

    static let projectBAC = of(.project, "bac"), projectStatus = of(.project, "status")
    static let reportAsOf = of(.statusReport, "as_of"), reportOverall = of(.statusReport, "overall")
    static let reportPV = of(.statusReport, "pv"), reportEV = of(.statusReport, "ev"), reportAC = of(.statusReport, "ac")
    static let timesheetWeek = of(.timesheet, "week"), timesheetCost = of(.timesheet, "cost")
    static let riskState = of(.risk, "state"), riskProbability = of(.risk, "probability")
    static let riskImpact = of(.risk, "impact"), riskCostImpact = of(.risk, "cost_impact")
    static let issueState = of(.issue, "state")
    static let milestoneDue = of(.milestone, "due"), milestoneBaseline = of(.milestone, "baseline_due")
    static let milestoneForecast = of(.milestone, "forecast"), milestoneCompleted = of(.milestone, "completed")
    static let projectRisks = rel(.project, "risks"), projectIssues = rel(.project, "issues")
    static let projectMilestones = rel(.project, "milestones")
    static let riskClosed = EnumType.riskState.code(of: "closed") ?? 255
    static let issueResolved = EnumType.issueState.code(of: "resolved") ?? 255
    static let issueClosed = EnumType.issueState.code(of: "closed") ?? 255
}

extension PortfolioStore {
    @inline(__always) func column(_ k: EntityKind, _ slot: Int) -> Column { tables[k.rawValue].columns[slot] }

    @inline(__always) func valid(_ k: EntityKind, _ row: Int32) -> Bool { row >= 0 && Int(row) < tables[k.rawValue].count }

    /// A `Fixed` cell (money, percent, hours), nil when none.
    @inline(__always) func fixed(_ c: Column, _ row: Int) -> Fixed? { c.nulls.isNone(row) ? nil : Fixed(units: c.ints[row]) }

    /// A date cell as `Day.raw`, nil when none.
    @inline(__always) func date(_ c: Column, _ row: Int) -> Int32? { c.nulls.isNone(row) ? nil : c.codes[row] }

    /// The latest status report of `project` dated on or before `asOf` (a binary search in the project's slice).
    public func latestStatusReport(project: Int32, asOf: Day) -> Int32? {
        let s = statusByProject.slice(project)
        if s.isEmpty { return nil }
        let dates = column(.statusReport, Slot.reportAsOf).codes
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if dates[Int(s[mid])] <= asOf.raw { lo = mid + 1 } else { hi = mid }
        }
        return lo == s.startIndex ? nil : s[lo - 1]
    }

    /// Earned value of a project: pv, ev and ac from its latest report (none without one), bac from its row.
    public func evm(project: Int32, asOf: Day) -> EVMFigures {
        guard valid(.project, project) else { return EVMFigures() }
        let bac = fixed(column(.project, Slot.projectBAC), Int(project))
        guard let r = latestStatusReport(project: project, asOf: asOf) else {
            return EVMFigures.derive(bac: bac, pv: nil, ev: nil, ac: nil)
        }
        let i = Int(r)
        var f = EVMFigures.derive(bac: bac, pv: fixed(column(.statusReport, Slot.reportPV), i),
                                  ev: fixed(column(.statusReport, Slot.reportEV), i),
                                  ac: fixed(column(.statusReport, Slot.reportAC), i))
        f.statusReport = r
        return f
    }

    /// Earned value of a group of projects: Σ bac, Σ pv, Σ ev, Σ ac (none values skipped; a sum with no
    /// value is none), then the ratios from the sums (cpi = Σ EV / Σ AC).
    public func evmRollup<C: Collection>(projects: C, asOf: Day) -> EVMFigures where C.Element == Int32 {
        var bac = FixedSum(), pv = FixedSum(), ev = FixedSum(), ac = FixedSum()
        for p in projects {
            let f = evm(project: p, asOf: asOf)
            bac.add(f.bac); pv.add(f.pv); ev.add(f.ev); ac.add(f.ac)
        }
        return EVMFigures.derive(bac: bac.value, pv: pv.value, ev: ev.value, ac: ac.value)
    }

    /// The reported RAG (a `EnumType.rag` code): the overall of the latest report on or before `asOf`,
    /// else (no report, or one without an overall) the `status` imported on the project row, else nil.
    public func projectStatus(project: Int32, asOf: Day) -> UInt8? {
        guard valid(.project, project) else { return nil }
        if let r = latestStatusReport(project: project, asOf: asOf) {
            let v = column(.statusReport, Slot.reportOverall).smalls[Int(r)]
            if v != Column.noneSmall { return v }
        }
        let v = column(.project, Slot.projectStatus).smalls[Int(project)]
        return v == Column.noneSmall ? nil : v
    }

    /// The RAG band of an index under `thresholds`: 0 green, 1 amber, 2 red.
    public func band(_ index: Double) -> UInt8 {
        index >= thresholds.green ? 0 : index >= thresholds.amber ? 1 : 2
    }

    /// The worse of the CPI band and the SPI band; one of them none → the other's band; both none → nil.
    public func computedStatus(project: Int32, asOf: Day) -> UInt8? {
        let f = evm(project: project, asOf: asOf)
        switch (f.cpi.map(band), f.spi.map(band)) {
        case let (c?, s?): return max(c, s)
        case let (c?, nil): return c
        case let (nil, s?): return s
        case (nil, nil): return nil
        }
    }

    /// Σ cost of the project's timesheet rows with `week <= asOf` (none costs count as 0; a sum beyond the
    /// range of `Fixed` saturates).
    public func actualCost(project: Int32, asOf: Day) -> Fixed {
        let s = timesheetsByProject.slice(project)
        if s.isEmpty { return .zero }
        let weeks = column(.timesheet, Slot.timesheetWeek).codes
        let costCol = column(.timesheet, Slot.timesheetCost)
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if weeks[Int(s[mid])] <= asOf.raw { lo = mid + 1 } else { hi = mid }
        }
        let costs = costCol.ints, none = costCol.nulls
        let checkNone = none.anySet
        var sum: Int64 = 0
        for r in s[s.startIndex..<lo] {
            let i = Int(r)
            if checkNone && none.isNone(i) { continue }
            let (v, o) = sum.addingReportingOverflow(costs[i])
            if o { return Fixed(units: costs[i] > 0 ? .max : .min) }
            sum = v
        }
        return Fixed(units: sum)
    }

    /// Days from the latest report's as_of to `asOf`, nil without a report.
    public func statusAge(project: Int32, asOf: Day) -> Int? {
        guard let r = latestStatusReport(project: project, asOf: asOf) else { return nil }
        return Int(asOf.raw) - Int(column(.statusReport, Slot.reportAsOf).codes[Int(r)])
    }

    /// Risks of the project not closed (a risk without a state counts as open).
    public func openRisks(project: Int32) -> Int {
        guard valid(.project, project) else { return 0 }
        let states = column(.risk, Slot.riskState).smalls
        var n = 0
        for r in related(.project, relationship: Slot.projectRisks, row: project) where states[Int(r)] != Slot.riskClosed { n += 1 }
        return n
    }

    /// Issues of the project neither resolved nor closed (an issue without a state counts as open).
    public func openIssues(project: Int32) -> Int {
        guard valid(.project, project) else { return 0 }
        let states = column(.issue, Slot.issueState).smalls
        var n = 0
        for r in related(.project, relationship: Slot.projectIssues, row: project) {
            let s = states[Int(r)]
            if s != Slot.issueResolved && s != Slot.issueClosed { n += 1 }
        }
        return n
    }

    /// Milestones of the project that are overdue at `asOf`.
    public func overdueMilestones(project: Int32, asOf: Day) -> Int {
        guard valid(.project, project) else { return 0 }
        let due = column(.milestone, Slot.milestoneDue), done = column(.milestone, Slot.milestoneCompleted)
        let dueDays = due.codes, dueNone = due.nulls, doneDays = done.codes, doneNone = done.nulls
        var n = 0
        for m in related(.project, relationship: Slot.projectMilestones, row: project) {
            let i = Int(m)
            if !dueNone.isNone(i) && dueDays[i] < asOf.raw && (doneNone.isNone(i) || doneDays[i] > asOf.raw) { n += 1 }
        }
        return n
    }

    /// Due before `asOf` and not completed on or before `asOf` (a completion dated after `asOf` had not
    /// happened yet); nil when `due` is none.
    public func milestoneOverdue(_ row: Int32, asOf: Day) -> Bool? {
        guard valid(.milestone, row), let due = date(column(.milestone, Slot.milestoneDue), Int(row)) else { return nil }
        if let done = date(column(.milestone, Slot.milestoneCompleted), Int(row)), done <= asOf.raw { return false }
        return due < asOf.raw
    }

    /// The indexes i of `rows` whose milestone is overdue at `asOf` (as `milestoneOverdue`), ascending:
    /// one pass over the due and completed columns for a whole selection.
    public func overdueIndexes(_ rows: [Int32], asOf: Day) -> [Int] {
        let dueCol = column(.milestone, Slot.milestoneDue), doneCol = column(.milestone, Slot.milestoneCompleted)
        let due = dueCol.codes, done = doneCol.codes, count = table(.milestone).count
        let dueNulls = dueCol.nulls, doneNulls = doneCol.nulls
        var keep: [Int] = []
        for (i, r) in rows.enumerated() where r >= 0 && Int(r) < count {
            let m = Int(r)
            guard !dueNulls.isNone(m), due[m] < asOf.raw else { continue }
            if !doneNulls.isNone(m) && done[m] <= asOf.raw { continue }
            keep.append(i)
        }
        return keep
    }

    /// Days from `baseline_due` to the completed date, else the forecast, else the due date; nil when
    /// the baseline or all three are none.
    public func milestoneSlip(_ row: Int32) -> Int? {
        guard valid(.milestone, row), let base = date(column(.milestone, Slot.milestoneBaseline), Int(row)) else { return nil }
        let i = Int(row)
        guard let actual = date(column(.milestone, Slot.milestoneCompleted), i)
                ?? date(column(.milestone, Slot.milestoneForecast), i)
                ?? date(column(.milestone, Slot.milestoneDue), i) else { return nil }
        return Int(actual) - Int(base)
    }

    /// Likelihood level 1-5 from the probability: ≤ 10% → 1, ≤ 30% → 2, ≤ 50% → 3, ≤ 70% → 4, else 5.
    public func riskLevel(_ row: Int32) -> Int? {
        guard valid(.risk, row), let p = fixed(column(.risk, Slot.riskProbability), Int(row)) else { return nil }
        switch p.units {
        case ...1_000: return 1
        case ...3_000: return 2
        case ...5_000: return 3
        case ...7_000: return 4
        default: return 5
        }
    }

    /// level × impact, nil when either is none.
    public func riskScore(_ row: Int32) -> Int? {
        guard let level = riskLevel(row) else { return nil }
        let c = column(.risk, Slot.riskImpact)
        guard !c.nulls.isNone(Int(row)), let impact = Int(exactly: c.ints[Int(row)]) else { return nil }
        let (v, o) = level.multipliedReportingOverflow(by: impact)
        return o ? nil : v
    }

    /// probability × cost_impact, nil when either is none (or on overflow).
    public func riskExposure(_ row: Int32) -> Fixed? {
        guard valid(.risk, row), let p = fixed(column(.risk, Slot.riskProbability), Int(row)),
              let cost = fixed(column(.risk, Slot.riskCostImpact), Int(row)) else { return nil }
        return p.multiplied(by: cost)
    }
}
