// The small fixed portfolio the engine and CSV fuzzers work on, held as CSV text (no files needed).
import PMOBase
import Portfolio

public enum FuzzFixture {
    /// The as-of date of every fuzzed run.
    public static let asOf = Day(year: 2026, month: 11, day: 20)!

    /// One CSV text per entity set: every set has a few rows, so every field reader and metric runs.
    public static let files: [(EntityKind, String)] = [
        (.person, "id,name,email,department\nP-1,Ada Lovelace,ada@example.com,Finance\nP-2,Grace Hopper,grace@example.com,IT\n"),
        (.portfolio, "id,name,owner,currency,budget_cap\nPF-1,Enterprise,P-1,USD,50000000\n"),
        (.program, "id,name,portfolio,manager,sponsor,state\nPRG-1,ERP,PF-1,P-1,P-2,active\nPRG-2,Commerce,PF-1,P-2,,active\n"),
        (.project, """
        id,name,code,program,portfolio,manager,sponsor,state,phase,status,priority,start,finish,baseline_finish,bac,contingency,business_case,tags
        PRJ-1,Apollo,AP,PRG-1,PF-1,P-1,,active,execution,red,80,2026-01-05,2026-12-15,2026-11-30,2000000,100000,approved,erp;finance
        PRJ-2,Borealis,BO,PRG-1,PF-1,P-1,P-2,active,execution,green,50,2026-03-02,2027-03-31,2027-03-31,800000,,approved,
        PRJ-3,Cygnus,CY,PRG-2,PF-1,P-2,P-1,active,planning,amber,30,2026-06-01,2026-10-30,2026-10-30,5500000,,submitted,commerce
        PRJ-4,Draco,DR,PRG-2,PF-1,P-2,,proposed,initiation,,10,,,,,,,

        """),
        (.milestone, """
        id,project,name,due,baseline_due,forecast,completed,key,acceptance
        MS-1,PRJ-1,Design,2026-03-01,2026-03-01,,2026-03-10,true,accepted
        MS-2,PRJ-1,Build,2026-09-01,2026-08-15,2026-12-01,,true,pending
        MS-3,PRJ-1,Test,2026-10-15,2026-10-01,,,false,pending
        MS-4,PRJ-2,Kickoff,2026-12-01,2026-12-01,,,true,pending

        """),
        (.resource, "id,name,role,department,capacity,rate,active\nRES-1,Kim,Developer,IT,40,100,true\nRES-2,Lee,Analyst,Finance,40,80,true\nRES-3,Max,Tester,IT,0,60,true\n"),
        (.allocation, """
        resource,project,start,finish,percent,state
        RES-1,PRJ-1,2026-01-01,2026-12-31,0.6,approved
        RES-1,PRJ-2,2026-01-01,2026-12-31,0.5,approved
        RES-2,PRJ-1,2026-01-01,2026-12-31,10%,approved
        RES-2,PRJ-2,2026-01-01,2026-12-31,20%,approved
        RES-2,PRJ-3,2026-01-01,2026-12-31,70%,approved

        """),
        (.timesheet, """
        resource,project,week,hours,cost
        RES-1,PRJ-1,2026-11-02,24,2400
        RES-1,PRJ-2,2026-11-02,20,2000
        RES-2,PRJ-1,2026-11-09,4,320
        RES-1,PRJ-1,2026-11-09,24,2400

        """),
        (.risk, "id,project,title,probability,impact,cost_impact,state,owner,review_due\nRSK-1,PRJ-1,Vendor late,0.6,4,200000,open,,2026-12-01\nRSK-2,PRJ-2,Scope creep,0.2,2,50000,open,P-1,2026-12-01\n"),
        (.issue, "id,project,title,severity,state,owner,opened,due,resolved\nISS-1,PRJ-3,Budget hold,high,open,P-1,2026-10-01,2026-11-01,\nISS-2,PRJ-1,Old bug,low,closed,P-2,2026-05-01,2026-06-01,2026-05-20\n"),
        (.statusReport, """
        project,as_of,overall,schedule,cost,scope,pv,ev,ac,percent_complete,summary
        PRJ-1,2026-10-30,amber,amber,green,green,900000,800000,850000,0.40,ok
        PRJ-1,2026-11-13,red,red,amber,green,1000000,850000,1000000,0.43,slipping
        PRJ-2,2026-11-13,green,green,green,green,200000,210000,0,0.26,fine
        PRJ-3,2026-11-13,amber,amber,amber,green,0,0,10000,0,starting

        """),
    ]

    /// `settings.csv` of the fixture.
    public static let settingsCSV = "key,value\ncurrency,USD\nstatus_date,2026-11-20\n"

    public static let settings = PortfolioLoader.Settings(currency: "USD", statusDate: asOf)

    /// The fixture loaded into a store (once per process).
    public static let store: PortfolioStore = {
        let sources = files.map { CSVSource(kind: $0.0, name: $0.0.setName + ".csv", bytes: Array($0.1.utf8)) }
        do {
            return try PortfolioLoader.load(sources: sources, settings: settings)
        } catch {
            FuzzFailure.fail("the fixed fuzz portfolio does not load: \(error)")
        }
    }()
}
