// Issue 14: timesheets and allocations accept several lines per natural key; a file is
// authoritative for each key it contains (model.md); the same file twice changes nothing; partial
// updates keep the columns a file does not have; the summary counts new, changed, unchanged, removed.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct RepeatedLinesTests {
    /// The workspace's timesheet lines of one resource and project, as `week hours task` texts, sorted.
    static func lines(_ ws: Workspace, _ resource: String, _ project: String) throws -> [String] {
        let store = try ws.loadStore(cache: .never)
        let t = store.table(.timesheet)
        guard let r = store.find(.resource, key: resource), let p = store.find(.project, key: project),
              let res = t.column("resource"), let prj = t.column("project"), let week = t.column("week"),
              let hours = t.column("hours"), let task = t.column("task") else { return [] }
        return (0..<t.count).filter { res.codes[$0] == r && prj.codes[$0] == p }.map { i in
            "\(Day(raw: week.codes[i])) \(Fixed(units: hours.ints[i])) \(task.string(i) ?? "-")"
        }.sorted()
    }

    @Test func aTimesheetWithALinePerTaskImportsAndAgainChangesNothing() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let before = try ws.counts()[.timesheet] ?? 0
        let file = try dir.write("timesheets.csv", """
            resource,project,week,hours,cost,task
            RES-001,PRJ-0002,2027-01-04,6,600,Design
            RES-001,PRJ-0002,2027-01-04,4,400,Build
            RES-001,PRJ-0002,2027-01-11,8,800,Build

            """)
        let s = try ws.importFiles(ImportRequest(paths: [file]))
        #expect(s.inserted[.timesheet] == 3 && s.changedRows == 3)
        #expect(try ws.counts()[.timesheet] == before + 3)
        #expect(try Self.lines(ws, "RES-001", "PRJ-0002").suffix(3) == ["2027-01-04 4 Build", "2027-01-04 6 Design", "2027-01-11 8 Build"])
        let again = try ws.importFiles(ImportRequest(paths: [file]))
        #expect(again.changedRows == 0, "\(again.description)")
        #expect(again.description == "timesheets: 3 unchanged")
        #expect(try ws.counts()[.timesheet] == before + 3)
    }

    @Test func aFileIsAuthoritativeForEachKeyItContains() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let first = try dir.write("a/timesheets.csv", """
            resource,project,week,hours,task
            RES-001,PRJ-0002,2027-01-04,6,Design
            RES-001,PRJ-0002,2027-01-04,4,Build
            RES-001,PRJ-0002,2027-01-04,2,Test
            RES-001,PRJ-0002,2027-01-11,8,Build

            """)
        try ws.importFiles(ImportRequest(paths: [first]))
        let demoLines = try Self.lines(ws, "RES-001", "PRJ-0001")
        let before = try ws.counts()[.timesheet] ?? 0
        // The week of 2027-01-04 is restated with two lines (one the same, one changed); 2027-01-11 is not mentioned.
        let second = try dir.write("b/timesheets.csv", """
            resource,project,week,hours,task
            RES-001,PRJ-0002,2027-01-04,4,Build
            RES-001,PRJ-0002,2027-01-04,7,Design

            """)
        let s = try ws.importFiles(ImportRequest(paths: [second]))
        #expect(s.unchanged[.timesheet] == 1 && s.changed[.timesheet] == 1 && s.removed[.timesheet] == 1 && (s.inserted[.timesheet] ?? 0) == 0,
                "\(s.description)")
        #expect(s.description == "timesheets: 1 changed, 1 unchanged, 1 removed")
        #expect(try ws.counts()[.timesheet] == before - 1)
        let now = try Self.lines(ws, "RES-001", "PRJ-0002")
        #expect(now.filter { $0.hasPrefix("2027-") } == ["2027-01-04 4 Build", "2027-01-04 7 Design", "2027-01-11 8 Build"])
        #expect(try Self.lines(ws, "RES-001", "PRJ-0001") == demoLines)
        // The row-by-row diff is a value (for the journal).
        let diff = try #require(s.diffs[.timesheet])
        #expect(diff.changed.count == 1 && diff.removed.count == 1 && diff.unchanged == 1 && diff.new.isEmpty)
    }

    @Test func twoAllocationsOfOnePersonToOneProjectOverTheSameDates() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let before = try ws.counts()[.allocation] ?? 0
        let file = try dir.write("allocations.csv", """
            resource,project,start,finish,percent,state
            RES-002,PRJ-0005,2027-01-01,2027-06-30,50%,approved
            RES-002,PRJ-0005,2027-01-01,2027-06-30,30%,requested

            """)
        let s = try ws.importFiles(ImportRequest(paths: [file]))
        #expect(s.inserted[.allocation] == 2)
        #expect(try ws.counts()[.allocation] == before + 2)
        #expect(try ws.importFiles(ImportRequest(paths: [file])).changedRows == 0)
    }

    @Test func statusReportsStayUniquePerProjectAndDate() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let counts = try ws.counts()
        let file = try dir.write("status_reports.csv", """
            project,as_of,overall
            PRJ-0001,2027-01-08,green
            PRJ-0001,2027-01-08,red

            """)
        let e = try #require(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [file])) })
        #expect(e.location?.line == 3)
        #expect(e.message.contains("duplicate status_report") && e.message.contains("also on line 2"))
        #expect(try ws.counts() == counts)
    }

    @Test func aFileWithTheIdAndSomeColumnsUpdatesThoseAndKeepsTheRest() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let store = try ws.loadStore(cache: .never)
        let p = Int(try #require(store.find(.project, key: "PRJ-0002")))
        let name = store.table(.project).column("name")?.string(p)
        let file = try dir.write("projects.csv", "id,bac\nPRJ-0001,12500000\nPRJ-0002,\(Fixed(units: store.table(.project).column("bac")?.ints[p] ?? 0))\n")
        let s = try ws.importFiles(ImportRequest(paths: [file]))
        #expect(s.description == "projects: 1 changed, 1 unchanged", "\(s.description)")
        let after = try ws.loadStore(cache: .never)
        let q = Int(try #require(after.find(.project, key: "PRJ-0001")))
        #expect(after.table(.project).column("bac")?.ints[q] == 125_000_000_000)
        #expect(after.table(.project).column("name")?.string(q) == store.table(.project).column("name")?.string(q))
        #expect(after.table(.project).column("name")?.string(p) == name)
        // A new id in such a file cannot be created: it names the line.
        let counts = try ws.counts()
        let bad = try dir.write("more/projects.csv", "id,bac\nPRJ-0001,1\nPRJ-9999,5\n")
        let e = try #require(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [bad])) })
        #expect(e.location?.line == 3)
        #expect(e.message == "project 'PRJ-9999' is not in the workspace, and a new project needs name: the file has no such column")
        #expect(try ws.counts() == counts)
        // A partial milestones file (required project and name kept) with quoted line breaks.
        let ms = try dir.write("milestones.csv", "id,forecast\nMS-0001,\"2027-02-01\"\n")
        #expect(try ws.importFiles(ImportRequest(paths: [ms])).changed[.milestone] == 1)
    }
}
