// Earned value, statuses, actual cost, counts, milestones and risks at an as-of date.
import Testing
import PMOBase
import Portfolio

@Suite struct MetricsTests {
    static let files: [String: String] = [
        "projects.csv": """
            id,name,bac,status
            PRJ-1,Worked example,1000000,green
            PRJ-2,No actuals,1000000,
            PRJ-3,No plan,500,
            PRJ-4,Nothing earned,800,
            PRJ-5,Budget spent,1000,
            PRJ-6,No report,,red
            PRJ-7,Thirds,100,

            """,
        "status_reports.csv": """
            project,as_of,overall,pv,ev,ac
            PRJ-1,2026-03-02,amber,400000,300000,360000
            PRJ-1,2026-01-05,green,100000,100000,90000
            PRJ-1,2026-02-02,,200000,190000,200000
            PRJ-2,2026-03-02,green,100,50,0
            PRJ-3,2026-03-02,,0,20,10
            PRJ-4,2026-03-02,,100,0,50
            PRJ-5,2026-03-02,,900,800,1000
            PRJ-7,2026-03-02,,3,3,1

            """,
        "resources.csv": "id,name,capacity\nR1,Ada,40\n",
        "timesheets.csv": """
            resource,project,week,hours,cost
            R1,PRJ-1,2026-01-26,10,1000
            R1,PRJ-1,2026-01-05,1,100
            R1,PRJ-1,2026-01-19,2,
            R1,PRJ-1,2026-01-12,2.5,250.5

            """,
        "risks.csv": """
            id,project,probability,impact,cost_impact,state
            K1,PRJ-1,10%,5,,open
            K2,PRJ-1,0.1001,1,,mitigating
            K3,PRJ-1,0.30,2,,closed
            K4,PRJ-1,50%,3,200000,
            K5,PRJ-1,70%,,,open
            K6,PRJ-2,0.7001,5,1000,open
            K7,PRJ-2,,4,1000,closed

            """,
        "issues.csv": "id,project,state\nI1,PRJ-1,open\nI2,PRJ-1,in_progress\nI3,PRJ-1,resolved\nI4,PRJ-1,closed\nI5,PRJ-1,\n",
        "milestones.csv": """
            id,project,name,due,baseline_due,forecast,completed
            M1,PRJ-1,Design,2026-01-31,2026-01-15,,
            M2,PRJ-1,Build,2026-01-31,2026-01-31,,2026-01-30
            M3,PRJ-1,Test,2026-01-31,2026-01-31,2026-04-05,2026-04-10
            M4,PRJ-1,Pilot,,,,
            M5,PRJ-1,Launch,2026-03-31,2026-03-01,2026-03-20,

            """,
    ]

    let s: PortfolioStore
    init() throws { s = try Fixture.load(MetricsTests.files) }

    @Test func workedExample() {
        let f = s.evm(project: 0, asOf: day("2026-03-31"))
        #expect(f.statusReport == 0)
        #expect(f.bac == money("1000000") && f.pv == money("400000") && f.ev == money("300000") && f.ac == money("360000"))
        #expect(f.cv == money("-60000"))
        #expect(f.sv == money("-100000"))
        #expect(f.cpi == 300_000.0 / 360_000.0)
        #expect(f.spi == 0.75)
        #expect(f.eac == money("1200000"))
        #expect(f.etc == money("840000"))
        #expect(f.vac == money("-200000"))
        #expect(f.tcpi == 700_000.0 / 640_000.0)
    }

    @Test func latestReportOnOrBeforeAsOf() {
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-03-02")) == 0)
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-03-01")) == 2)
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-02-02")) == 2)
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-01-05")) == 1)
        #expect(s.latestStatusReport(project: 0, asOf: day("2026-01-04")) == nil)
        #expect(s.latestStatusReport(project: 5, asOf: day("2026-12-31")) == nil)
        #expect(s.statusAge(project: 0, asOf: day("2026-03-31")) == 29)
        #expect(s.statusAge(project: 5, asOf: day("2026-03-31")) == nil)
        let early = s.evm(project: 0, asOf: day("2025-12-31"))
        #expect(early == EVMFigures(bac: money("1000000")))
    }

    @Test func undefinedRatios() {
        let asOf = day("2026-03-31")
        let noActuals = s.evm(project: 1, asOf: asOf) // AC = 0
        #expect(noActuals.cpi == nil && noActuals.eac == nil && noActuals.etc == nil && noActuals.vac == nil)
        #expect(noActuals.cv == money("50") && noActuals.spi == 0.5)
        #expect(noActuals.tcpi == 999_950.0 / 1_000_000.0)
        let noPlan = s.evm(project: 2, asOf: asOf) // PV = 0
        #expect(noPlan.spi == nil && noPlan.sv == money("20") && noPlan.cpi == 2)
        #expect(noPlan.eac == money("250"))
        let nothingEarned = s.evm(project: 3, asOf: asOf) // EV = 0, AC > 0
        #expect(nothingEarned.cpi == 0 && nothingEarned.spi == 0)
        #expect(nothingEarned.eac == nil && nothingEarned.etc == nil && nothingEarned.vac == nil)
        let spent = s.evm(project: 4, asOf: asOf) // BAC = AC
        #expect(spent.tcpi == nil && spent.cpi == 0.8 && spent.eac == money("1250"))
        let noBudget = s.evm(project: 5, asOf: asOf) // no report, no bac
        #expect(noBudget == EVMFigures())
        let thirds = s.evm(project: 6, asOf: asOf) // eac = 100 · 1 / 3, exact to four digits
        #expect(thirds.eac == Fixed(units: 333_333) && thirds.vac == Fixed(units: 666_667))
    }

    @Test func derivedFromInputs() {
        let f = EVMFigures.derive(bac: money("10"), pv: nil, ev: money("0"), ac: money("0"))
        #expect(f.cpi == nil && f.eac == nil && f.tcpi == 1 && f.sv == nil && f.cv == money("0"))
        let overflow = EVMFigures.derive(bac: nil, pv: Fixed(units: .min), ev: Fixed(units: .max), ac: nil)
        #expect(overflow.sv == nil)
    }

    @Test func rollupSumsThenDivides() throws {
        let r = try Fixture.load([
            "projects.csv": "id,name,bac\nA,A,1000\nB,B,9000\nC,C,500\nD,D,\n",
            "status_reports.csv": "project,as_of,pv,ev,ac\nA,2026-01-05,200,100,200\nB,2026-01-05,800,900,800\nD,2026-01-05,,,\n",
        ])
        let asOf = day("2026-02-01")
        let f = r.evmRollup(projects: [0, 1, 2, 3] as [Int32], asOf: asOf)
        #expect(f.bac == money("10500") && f.pv == money("1000") && f.ev == money("1000") && f.ac == money("1000"))
        #expect(f.cpi == 1 && f.spi == 1) // the mean of the project CPIs would be 0.8125
        #expect(f.eac == money("10500") && f.etc == money("9500") && f.vac == money("0") && f.tcpi == 1)
        #expect(f.statusReport == nil)
        #expect(r.evmRollup(projects: [Int32](), asOf: asOf) == EVMFigures())
        let onlyUnreported = r.evmRollup(projects: [2, 3] as [Int32], asOf: asOf)
        #expect(onlyUnreported == EVMFigures(bac: money("500")))
    }

    @Test func reportedStatus() {
        #expect(s.projectStatus(project: 0, asOf: day("2026-03-31")) == 1) // amber from the report
        #expect(s.projectStatus(project: 0, asOf: day("2026-02-15")) == 0) // report without overall: imported green
        #expect(s.projectStatus(project: 0, asOf: day("2025-12-01")) == 0) // no report yet
        #expect(s.projectStatus(project: 5, asOf: day("2026-03-31")) == 2)
        #expect(s.projectStatus(project: 2, asOf: day("2026-03-31")) == nil)
    }

    @Test func computedStatusBands() throws {
        #expect(s.computedStatus(project: 0, asOf: day("2026-03-31")) == 2) // cpi 0.83, spi 0.75
        #expect(s.computedStatus(project: 0, asOf: day("2026-02-15")) == 0) // cpi 0.95, spi 0.95
        #expect(s.computedStatus(project: 2, asOf: day("2026-03-31")) == 0) // spi none, cpi 2
        #expect(s.computedStatus(project: 1, asOf: day("2026-03-31")) == 2) // cpi none, spi 0.5
        #expect(s.computedStatus(project: 5, asOf: day("2026-03-31")) == nil)
        let strict = try Fixture.load(MetricsTests.files.merging(["settings.csv": "key,value\ngreen_threshold,0.96\n"]) { $1 })
        #expect(strict.computedStatus(project: 0, asOf: day("2026-02-15")) == 1)
    }

    @Test func actualCostFromTimesheets() {
        #expect(s.actualCost(project: 0, asOf: day("2026-01-04")) == .zero)
        #expect(s.actualCost(project: 0, asOf: day("2026-01-11")) == money("100"))
        #expect(s.actualCost(project: 0, asOf: day("2026-01-12")) == money("350.5"))
        #expect(s.actualCost(project: 0, asOf: day("2026-12-31")) == money("1350.5"))
        #expect(s.actualCost(project: 1, asOf: day("2026-12-31")) == .zero)
    }

    @Test func counts() {
        #expect(s.openRisks(project: 0) == 4) // two open, one mitigating, one without a state
        #expect(s.openRisks(project: 1) == 1)
        #expect(s.openIssues(project: 0) == 3) // open, in_progress and an issue without a state
        #expect(s.openIssues(project: 1) == 0)
        #expect(s.overdueMilestones(project: 0, asOf: day("2026-03-31")) == 2)
        #expect(s.overdueMilestones(project: 0, asOf: day("2026-04-30")) == 2)
        #expect(s.overdueMilestones(project: 0, asOf: day("2026-01-31")) == 0)
    }

    @Test func milestones() {
        let asOf = day("2026-03-31")
        #expect(s.milestoneOverdue(0, asOf: asOf) == true)
        #expect(s.milestoneOverdue(1, asOf: asOf) == false) // completed in time
        #expect(s.milestoneOverdue(2, asOf: asOf) == true) // completed only after the as-of date
        #expect(s.milestoneOverdue(2, asOf: day("2026-04-10")) == false)
        #expect(s.milestoneOverdue(3, asOf: asOf) == nil) // no due date
        #expect(s.milestoneOverdue(4, asOf: asOf) == false) // due on the as-of date
        #expect(s.milestoneOverdue(4, asOf: day("2026-04-01")) == true)
        #expect(s.milestoneSlip(0) == 16)
        #expect(s.milestoneSlip(1) == -1)
        #expect(s.milestoneSlip(2) == 69) // completed wins over forecast
        #expect(s.milestoneSlip(3) == nil)
        #expect(s.milestoneSlip(4) == 19) // forecast wins over due
    }

    @Test func risks() {
        #expect((0..<7).map { s.riskLevel(Int32($0)) } == [1, 2, 2, 3, 4, 5, nil])
        #expect((0..<7).map { s.riskScore(Int32($0)) } == [5, 2, 4, 9, nil, 25, nil])
        #expect(s.riskExposure(3) == money("100000"))
        #expect(s.riskExposure(5) == money("700.1"))
        #expect(s.riskExposure(0) == nil && s.riskExposure(6) == nil)
    }
}
