// pmo's critical path against MS Project's own figures kept by the MSPDI import, and MSPDI files
// whose links cannot make a schedule.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct ScheduleImportTests {
    /// A workspace with one project starting 2026-01-05 and the cross-check plan imported into it.
    func crossCheckStore(_ dir: TempDir) throws -> PortfolioStore {
        let ws = try Workspace.create(path: dir.file("x.db"))
        let projects = try dir.write("in/projects.csv", "id,name,start\nPRJ-X,Cross-check,2026-01-05\n")
        try ws.importFiles(ImportRequest(paths: [projects]))
        try ws.importFiles(ImportRequest(paths: [Paths.fixtures + "/cpm-cross-check.xml"], project: "PRJ-X"))
        return try ws.loadStore()
    }

    @Test func criticalPathAgreesWithMSProject() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let store = try crossCheckStore(dir)
        let tasks = store.table(.task)
        #expect(tasks.count == 11)
        let s = ProjectSchedules.compute(store, asOf: Day(iso: "2026-01-07")!)
        #expect(s.problems.allSatisfy { $0.isEmpty }, "\(s.problems)")
        func date(_ f: String, _ r: Int) -> Day? { tasks.column(f).flatMap { $0.nulls.isNone(r) ? nil : Day(raw: $0.codes[r]) } }
        func int(_ f: String, _ r: Int) -> Int? { tasks.column(f).flatMap { $0.nulls.isNone(r) ? nil : Int($0.ints[r]) } }
        var compared = 0
        for r in 0..<tasks.count {
            let id = tasks.column("id")?.string(r) ?? "?"
            let t = try #require(s.tasks[r], "\(id) has no schedule")
            #expect(t.earlyStart == date("msp_early_start", r), "\(id) early start")
            #expect(t.earlyFinish == date("msp_early_finish", r), "\(id) early finish")
            #expect(t.lateStart == date("msp_late_start", r), "\(id) late start")
            #expect(t.lateFinish == date("msp_late_finish", r), "\(id) late finish")
            #expect(t.totalFloat == int("msp_total_slack", r), "\(id) total slack")
            #expect(t.freeFloat == int("msp_free_slack", r), "\(id) free slack")
            #expect(t.critical == (tasks.column("msp_critical")?.smalls[r] == 1), "\(id) critical")
            compared += 1
        }
        #expect(compared == 11)
        // Lags keep their units: LagFormat 7 (working days) is bd, 8 (elapsed days) is d.
        let deps = store.table(.dependency)
        var lags: [String] = []
        for r in 0..<deps.count {
            var w = CSVWriter()
            TableCSV.write(store, .dependency, rows: [Int32(r)], header: false, into: &w)
            lags.append(String(decoding: w.bytes.dropLast(), as: UTF8.self))
        }
        #expect(lags.contains("PRJ-X.T1,PRJ-X.T3,FS,2d,bd"), "\(lags)")
        #expect(lags.contains("PRJ-X.T3,PRJ-X.T7,FS,2d,"))
        #expect(lags.contains("PRJ-X.T2,PRJ-X.T8,FS,-1d,bd"))
        #expect(lags.contains("PRJ-X.T2,PRJ-X.T6,SF,3d,bd"))
    }

    @Test(arguments: [
        ("""
         <Project xmlns="http://schemas.microsoft.com/project"><Tasks>
         <Task><UID>1</UID><Name>A</Name><PredecessorLink><PredecessorUID>2</PredecessorUID></PredecessorLink></Task>
         <Task><UID>2</UID><Name>B</Name><PredecessorLink><PredecessorUID>3</PredecessorUID></PredecessorLink></Task>
         <Task><UID>3</UID><Name>C</Name>
         <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type></PredecessorLink></Task>
         </Tasks></Project>
         """, 2, "dependency cycle between tasks: UID 1 → UID 3 → UID 2 → UID 1"),
        ("""
         <Project xmlns="http://schemas.microsoft.com/project"><Tasks>
         <Task><UID>1</UID><Name>A</Name>
         <PredecessorLink><PredecessorUID>1</PredecessorUID></PredecessorLink></Task>
         </Tasks></Project>
         """, 3, "task UID 1 depends on itself"),
    ])
    func linksThatCannotScheduleAreRefusedWithTheirLine(xml: String, line: Int, message: String) throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let path = try dir.write("bad.xml", xml)
        let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [path], project: "PRJ-0001")) }
        #expect(e?.message.hasPrefix(message) == true, "\(String(describing: e?.message))")
        #expect(e?.location?.line == line, "\(String(describing: e?.location))")
    }

    @Test func holidaysImportFromCSVAndMoveTheSchedule() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try Workspace.create(path: dir.file("h.db"))
        let folder = dir.path + "/in"
        _ = try dir.write("in/projects.csv", "id,name,start\nP1,Plan,2026-01-05\n")
        _ = try dir.write("in/tasks.csv", "id,project,name,start,finish\nT1,P1,A,2026-01-05,2026-01-09\nT2,P1,B,2026-01-12,2026-01-13\n")
        _ = try dir.write("in/dependencies.csv", "from,to,type,lag\nT1,T2,FS,1bd\n")
        _ = try dir.write("in/holidays.csv", "date,name\n2026-01-13,Company day\n")
        try ws.importFiles(ImportRequest(paths: [folder]))
        let store = try ws.loadStore()
        #expect(store.table(.holiday).count == 1)
        let s = ProjectSchedules.compute(store, asOf: Day(iso: "2026-01-01")!)
        // Friday + 1bd = Tuesday, a holiday: Wednesday. Its planned Monday and Tuesday hold one working
        // day (Tuesday is the holiday), so it finishes the same Wednesday.
        #expect(s.tasks[1]?.earlyStart.description == "2026-01-14")
        #expect(s.tasks[1]?.earlyFinish.description == "2026-01-14")
        #expect(s.tasks[0]?.earlyFinish.description == "2026-01-09")
        // Re-importing the same holidays changes nothing (the date is the key).
        let again = try ws.importFiles(ImportRequest(paths: [folder]))
        #expect(again.inserted.values.reduce(0, +) == 0)
    }
}
