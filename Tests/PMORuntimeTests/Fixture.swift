// A small fixed portfolio written as CSV files, and helpers to run pmo text against it.
import Foundation
import PMOBase
import PMOSyntax
import Portfolio
@testable import PMORuntime

enum Fixture {
    static let files: [String: String] = [
        "settings.csv": "key,value\ncurrency,USD\nstatus_date,2026-11-20\n",
        "people.csv": "id,name,email,department\nP-1,Ada Lovelace,ada@example.com,Finance\nP-2,Grace Hopper,grace@example.com,IT\n",
        "portfolios.csv": "id,name,owner,currency,budget_cap\nPF-1,Enterprise,P-1,USD,50000000\n",
        "programs.csv": "id,name,portfolio,manager,sponsor,state\nPRG-1,ERP,PF-1,P-1,P-2,active\nPRG-2,Commerce,PF-1,P-2,,active\n",
        "projects.csv": """
        id,name,code,program,portfolio,manager,sponsor,state,phase,status,priority,start,finish,baseline_finish,bac,contingency,business_case,tags
        PRJ-1,Apollo,AP,PRG-1,PF-1,P-1,,active,execution,red,80,2026-01-05,2026-12-15,2026-11-30,2000000,100000,approved,erp;finance
        PRJ-2,Borealis,BO,PRG-1,PF-1,P-1,P-2,active,execution,green,50,2026-03-02,2027-03-31,2027-03-31,800000,,approved,
        PRJ-3,Cygnus,CY,PRG-2,PF-1,P-2,P-1,active,planning,amber,30,2026-06-01,2026-10-30,2026-10-30,5500000,,submitted,commerce
        PRJ-4,Draco,DR,PRG-2,PF-1,P-2,,proposed,initiation,,10,,,,,,,
        """ + "\n",
        "milestones.csv": """
        id,project,name,due,baseline_due,forecast,completed,key,acceptance
        MS-1,PRJ-1,Design,2026-03-01,2026-03-01,,2026-03-10,true,accepted
        MS-2,PRJ-1,Build,2026-09-01,2026-08-15,2026-12-01,,true,pending
        MS-3,PRJ-1,Test,2026-10-15,2026-10-01,,,false,pending
        MS-4,PRJ-2,Kickoff,2026-12-01,2026-12-01,,,true,pending
        """ + "\n",
        "resources.csv": "id,name,role,department,capacity,rate,active\nRES-1,Kim,Developer,IT,40,100,true\nRES-2,Lee,Analyst,Finance,40,80,true\nRES-3,Max,Tester,IT,0,60,true\n",
        "allocations.csv": """
        resource,project,start,finish,percent,state
        RES-1,PRJ-1,2026-01-01,2026-12-31,0.6,approved
        RES-1,PRJ-2,2026-01-01,2026-12-31,0.5,approved
        RES-2,PRJ-1,2026-01-01,2026-12-31,10%,approved
        RES-2,PRJ-2,2026-01-01,2026-12-31,20%,approved
        RES-2,PRJ-3,2026-01-01,2026-12-31,70%,approved
        """ + "\n",
        "timesheets.csv": """
        resource,project,week,hours,cost
        RES-1,PRJ-1,2026-11-02,24,2400
        RES-1,PRJ-2,2026-11-02,20,2000
        RES-2,PRJ-1,2026-11-09,4,320
        RES-1,PRJ-1,2026-11-09,24,2400
        """ + "\n",
        "risks.csv": "id,project,title,probability,impact,cost_impact,state,owner,review_due\nRSK-1,PRJ-1,Vendor late,0.6,4,200000,open,,2026-12-01\nRSK-2,PRJ-2,Scope creep,0.2,2,50000,open,P-1,2026-12-01\n",
        "issues.csv": "id,project,title,severity,state,owner,opened,due,resolved\nISS-1,PRJ-3,Budget hold,high,open,P-1,2026-10-01,2026-11-01,\nISS-2,PRJ-1,Old bug,low,closed,P-2,2026-05-01,2026-06-01,2026-05-20\n",
        "status_reports.csv": """
        project,as_of,overall,schedule,cost,scope,pv,ev,ac,percent_complete,summary
        PRJ-1,2026-10-30,amber,amber,green,green,900000,800000,850000,0.40,ok
        PRJ-1,2026-11-13,red,red,amber,green,1000000,850000,1000000,0.43,slipping
        PRJ-2,2026-11-13,green,green,green,green,200000,210000,0,0.26,fine
        PRJ-3,2026-11-13,amber,amber,amber,green,0,0,10000,0,starting
        """ + "\n",
    ]

    /// Writes the fixture to a new temporary directory and loads it.
    static func store() throws -> PortfolioStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmo-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try PortfolioLoader.load(directory: dir.path)
    }

    static let shared: PortfolioStore = { (try? store()) ?? PortfolioStore(tables: EntityKind.allCases.map { EntityTable(kind: $0) }, currency: "USD") }()

    struct Run {
        var outputs: [Output] = []
        var diagnostics: [Diagnostic] = []
        var runtimeError: RuntimeError?
        var rendered: String = ""
    }

    /// Checks and runs `text` in a fresh session at 2026-11-20.
    static func run(_ text: String, session: Session? = nil, fileName: String = "test.pmo") -> Run {
        let sources = session?.sources ?? SourceMap()
        let s = session ?? Session(store: shared, sources: sources, options: EngineOptions(asOf: Day(year: 2026, month: 11, day: 20) ?? Day(raw: 0)), readFile: { _ in nil })
        let file = sources.add(name: fileName, text: text)
        var r = Run()
        let (compiled, diags) = s.compile(file)
        r.diagnostics = diags
        r.rendered = DiagnosticRenderer(sources: sources).render(diags)
        guard let compiled else { return r }
        do { try s.run(compiled) { r.outputs.append($0) } } catch { r.runtimeError = error }
        return r
    }

    /// The single scalar a query produces, as display text.
    static func scalar(_ text: String) -> String {
        let r = run(text)
        if !r.diagnostics.isEmpty { return "ERROR: " + r.rendered }
        if let e = r.runtimeError { return "RUNTIME: " + e.message }
        guard case .scalar(let v)? = r.outputs.last else { return "NOT SCALAR: \(r.outputs)" }
        return Display.text(v, store: shared)
    }

    /// The first column of the table a query produces.
    static func column(_ text: String, _ index: Int = 0) -> [String] {
        let r = run(text)
        guard case .table(let t)? = r.outputs.last else { return ["ERROR: " + r.rendered + (r.runtimeError?.message ?? "")] }
        return t.rows.map { Display.text($0[index], store: shared) }
    }
}
