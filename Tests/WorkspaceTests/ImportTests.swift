// Importing CSV, JSON and MS Project XML: merging by id, all-or-nothing failures with file:line:col,
// column maps, and exports that import back.
import Foundation
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct ImportTests {
    @Test func aBadRowLeavesTheWorkspaceExactlyAsItWas() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        try demoWorkspace(dir).close()
        let fileBefore = bytes(dir.file("demo.db"))
        let ws = try Workspace.open(path: dir.file("demo.db"), readOnly: false)
        let before = snapshot(try ws.loadStore())
        let counts = try ws.counts()
        try dir.write("in/projects.csv", "id,name,bac\nPRJ-0100,New platform,250000\nPRJ-0001,Renamed,1\n")
        try dir.write("in/milestones.csv", """
            id,project,name,due
            MS-9001,PRJ-0100,Kick-off,2026-12-01
            MS-9002,PRJ-0100,Design sign-off,2026-02-30

            """)
        let e = try #require(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [dir.file("in")])) })
        #expect(e.kind == .badData)
        #expect(e.description == dir.file("in/milestones.csv") + ":3:34: error: invalid date '2026-02-30' in column due (expected YYYY-MM-DD)")
        #expect(try ws.counts() == counts)
        #expect(snapshot(try ws.loadStore()) == before)
        try ws.close()
        let unchanged = bytes(dir.file("demo.db")) == fileBefore
        #expect(unchanged, "the workspace file changed")
    }

    @Test func rowsAreMergedByIdAndReimportingChangesNothing() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let counts = try ws.counts()
        // A file with a few columns updates only those; a new id is added.
        let file = try dir.write("projects.csv", "id,name,bac\nPRJ-0001,SAP Finance (renamed),12500000.50\nPRJ-0100,New platform,250000\n")
        let s = try ws.importFiles(ImportRequest(paths: [file]))
        #expect(s.inserted[.project] == 1 && s.changed[.project] == 1)
        var store = try ws.loadStore()
        let t = store.table(.project)
        let p1 = Int(try #require(store.find(.project, key: "PRJ-0001")))
        #expect(t.column("name")?.string(p1) == "SAP Finance (renamed)")
        #expect(t.column("bac")?.ints[p1] == 125_000_005_000)
        #expect(t.column("sponsor").map { store.table(.person).column("id")?.string(Int($0.codes[p1])) } == "P-001")
        #expect(t.column("phase")?.smalls[p1] == EnumType.phase.code(of: "execution"))
        let p100 = Int(try #require(store.find(.project, key: "PRJ-0100")))
        #expect(t.column("phase")?.isNone(p100) == true)
        #expect(try ws.counts()[.project] == (counts[.project] ?? 0) + 1)
        let snap = snapshot(store)
        let again = try ws.importFiles(ImportRequest(paths: [file]))
        #expect(again.inserted.values.reduce(0, +) == 0)
        #expect(again.changedRows == 0 && again.unchanged[.project] == 2)
        #expect(again.description == "projects: 2 unchanged")
        store = try ws.loadStore()
        #expect(snapshot(store) == snap)
        // The demo folder again: only PRJ-0001's name and bac change back; every other row is unchanged.
        let demoAgain = try ws.importFiles(ImportRequest(paths: [Paths.demo]))
        #expect(demoAgain.inserted.values.reduce(0, +) == 0)
        #expect(demoAgain.changed.values.reduce(0, +) == 1 && demoAgain.changed[.project] == 1)
        #expect(demoAgain.removed.values.reduce(0, +) == 0)
        #expect(try ws.importFiles(ImportRequest(paths: [Paths.demo])).changedRows == 0)
        #expect(try ws.counts()[.timesheet] == counts[.timesheet])
    }

    @Test func referencesResolveAgainstTheWorkspace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let ok = try dir.write("milestones.csv", "id,project,name,due\nMS-9001,PRJ-0002,Data migration dress rehearsal,2027-01-15\n")
        try ws.importFiles(ImportRequest(paths: [ok]))
        let store = try ws.loadStore()
        let m = Int(try #require(store.find(.milestone, key: "MS-9001")))
        let project = try #require(store.table(.milestone).column("project")).codes[m]
        #expect(store.table(.project).column("id")?.string(Int(project)) == "PRJ-0002")
        let bad = try dir.write("b/milestones.csv", "id,project,name\nMS-9002,PRJ-9999,Ghost\n")
        let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [bad])) }
        #expect(e?.description == bad + ":2:9: error: unknown project 'PRJ-9999' in column project")
        // A task whose parent is already in the workspace, and a parent cycle through existing tasks.
        let tasks = try dir.write("t/tasks.csv", "id,project,parent,name\nTSK-90001,PRJ-0001,TSK-00001,New subtask\n")
        try ws.importFiles(ImportRequest(paths: [tasks]))
        let cycle = try dir.write("c/tasks.csv", "id,project,parent,name\nTSK-00001,PRJ-0001,TSK-90001,Design\n")
        let c = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [cycle])) }
        #expect(c?.kind == .badData)
        #expect(c?.description.contains("cycle") == true)
    }

    @Test func duplicateNaturalKeysAreRefused() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let counts = try ws.counts()
        // Gates stay unique per (project, gate) (timesheets and allocations may repeat: RepeatedLinesTests).
        let file = try dir.write("gates.csv", """
            project,gate,planned
            PRJ-0001,G7,2026-11-16
            PRJ-0002,G7,2026-11-16
            PRJ-0001,G7,2026-12-01

            """)
        let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [file])) }
        #expect(e?.description == file + ":4:1: error: duplicate gate: project, gate = PRJ-0001,G7 is also on line 2")
        #expect(try ws.counts() == counts)
    }

    @Test func duplicateKeysWithNoneValuesAndManyRows() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        // Allocations may repeat their key (resource, project, start, finish), none values included.
        let file = try dir.write("allocations.csv", """
            resource,project,start,finish,percent,state
            RES-001,PRJ-0001,,2026-12-31,50%,approved
            RES-001,PRJ-0001,2026-01-05,2026-12-31,20%,approved
            RES-001,PRJ-0001,,2026-12-31,30%,requested

            """)
        #expect(try ws.importFiles(ImportRequest(paths: [file])).inserted[.allocation] == 3)
        #expect(try ws.importFiles(ImportRequest(paths: [file])).changedRows == 0)
        // Thousands of distinct keys import; the first repeated one among them is the one reported.
        var rows = ["project,as_of,overall"]
        for w in 0..<60 {
            for p in 1...30 { rows.append("PRJ-\(String(format: "%04d", p)),\(Day(raw: 20_458 + Int32(w) * 7)),green") }
        }
        let many = try dir.write("status_reports.csv", rows.joined(separator: "\n") + "\n")
        #expect(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [many])) } == nil)
        rows.append(rows[500])
        rows.append(rows[10])
        let twice = try dir.write("status_reports.csv", rows.joined(separator: "\n") + "\n")
        let d = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [twice])) }
        #expect(d?.location?.line == rows.count - 1)
        #expect(d?.message.hasSuffix("is also on line 501") == true)
    }

    @Test func columnMapsRenameTheHeader() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let map = try ColumnMap.load(path: try dir.write("map.csv", "from,to\nIssue key,id\nSummary,title\nPriority,severity\nStatus,state\nProject,project\n"))
        let jira = try dir.write("jira.csv", """
            Issue key,Summary,Priority,Status,Project
            ISS-9001,Login fails for SSO users,high,open,PRJ-0003
            ISS-9002,"Report totals off by one, again",critical,in_progress,PRJ-0003

            """)
        let s = try ws.importFiles(ImportRequest(paths: [jira], asSet: .issue, map: map))
        #expect(s.inserted[.issue] == 2)
        let store = try ws.loadStore()
        let i = Int(try #require(store.find(.issue, key: "ISS-9002")))
        #expect(store.table(.issue).column("title")?.string(i) == "Report totals off by one, again")
        // An error in a data row keeps its place in the original file.
        let bad = try dir.write("jira2.csv", "Issue key,Summary,Priority,Status,Project\nISS-9003,Broken,urgent,open,PRJ-0003\n")
        let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [bad], asSet: .issue, map: map)) }
        #expect(e?.location?.line == 2)
        #expect(e?.location?.column == 17)
        #expect(e?.message.contains("unknown value 'urgent' in column severity") == true)
        // A malformed map names its own line.
        let m2 = try dir.write("map2.csv", "from,to\nA,b\nA,c\n")
        #expect(failure { () throws(WorkspaceError) in try ColumnMap.load(path: m2) }?.location?.line == 3)
    }

    @Test func jsonImportsWithPositions() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let doc = try dir.write("more.json", """
            {
              "projects": [
                {"id": "PRJ-0200", "name": "Warehouse robotics", "bac": 1750000.25, "tags": ["automation", "strategic"],
                 "start": "2027-01-04", "sponsor": null}
              ],
              "risks": [
                {"id": "RSK-9001", "project": "PRJ-0200", "probability": 0.4, "impact": 4, "state": "open"}
              ]
            }
            """)
        let s = try ws.importFiles(ImportRequest(paths: [doc]))
        #expect(s.inserted[.project] == 1 && s.inserted[.risk] == 1)
        let store = try ws.loadStore()
        let p = Int(try #require(store.find(.project, key: "PRJ-0200")))
        let t = store.table(.project)
        #expect(t.column("bac")?.ints[p] == 17_500_002_500)
        #expect(t.column("tags").map { c in c.lists[p].map { c.pool[$0] } } == ["automation", "strategic"])
        let rows = try dir.write("rows.json", "[\n  {\"id\": \"RSK-9002\", \"project\": \"PRJ-0200\",\n   \"impact\": \"six\"}\n]\n")
        let e = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [rows], asSet: .risk)) }
        #expect(e?.description == rows + ":3:14: error: invalid integer 'six' in column impact")
        let broken = try dir.write("broken.json", "{\"projects\": [\n  {\"id\": \"X\",}\n]}\n")
        let b = failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [broken])) }
        #expect(b?.location?.line == 2)
        #expect(b?.location?.column == 14)
        let unknown = try dir.write("u.json", "{\"projcts\": []}")
        #expect(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [unknown])) }?.message
                == "unknown entity set 'projcts'; did you mean 'projects'?")
        #expect(failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [rows])) }?.message.contains("--as") == true)
    }

    @Test func exportsImportBack() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let store = try ws.loadStore()
        let fresh = try Workspace.create(path: dir.file("fresh.db"))
        // Every set, as CSV for some and JSON for others, into an empty workspace: the same portfolio.
        var paths: [String] = []
        for k in EntityKind.allCases {
            let file = dir.file("out/\(k.setName).\(k.rawValue % 2 == 0 ? "csv" : "json")")
            try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
            let n = try ws.export(set: k, to: file)
            #expect(n == store.table(k).count)
            paths.append(file)
        }
        // One set at a time, each after the sets it refers to.
        for (k, p) in zip(EntityKind.allCases, paths) {
            try fresh.importFiles(ImportRequest(paths: [p], asSet: p.hasSuffix(".json") ? k : nil))
        }
        try fresh.importFiles(ImportRequest(paths: [Paths.demo + "/settings.csv"]))
        #expect(snapshot(try fresh.loadStore()) == snapshot(store))
        #expect(failure { () throws(WorkspaceError) in try ws.export(set: .project, to: dir.file("p.txt")) }?.kind == .usage)
    }

    @Test func msProjectFilesBecomeTasksMilestonesAndAllocations() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let xml = Paths.fixtures + "/erp-cutover.xml"
        let s = try ws.importFiles(ImportRequest(paths: [xml], project: "PRJ-0001"))
        #expect(s.inserted[.task] == 5)
        #expect(s.inserted[.milestone] == 1)
        #expect(s.inserted[.dependency] == 4)
        #expect(s.inserted[.resource] == 2)
        #expect(s.inserted[.allocation] == 2)
        let store = try ws.loadStore()
        func text(_ k: EntityKind, _ id: String, _ field: String) throws -> String? {
            let r = Int(try #require(store.find(k, key: id)))
            var w = CSVWriter()
            TableCSV.write(store, k, fields: [field], rows: [Int32(r)], header: false, into: &w)
            let s = String(decoding: w.bytes.dropLast(), as: UTF8.self)
            return s.isEmpty ? nil : s
        }
        #expect(try text(.task, "PRJ-0001.T2", "parent") == "PRJ-0001.T1")
        #expect(try text(.task, "PRJ-0001.T1", "parent") == nil)
        #expect(try text(.task, "PRJ-0001.T2", "name") == "Mock load 3 & reconciliation")
        #expect(try text(.task, "PRJ-0001.T2", "work") == "224.5")
        #expect(try text(.task, "PRJ-0001.T2", "cost") == "39200")
        #expect(try text(.task, "PRJ-0001.T2", "percent_complete") == "1")
        #expect(try text(.task, "PRJ-0001.T2", "baseline_finish") == "2026-09-11")
        #expect(try text(.task, "PRJ-0001.T1", "percent_complete") == "0.6")
        #expect(try text(.milestone, "PRJ-0001.M4", "due") == "2026-10-12")
        #expect(try text(.milestone, "PRJ-0001.M4", "baseline_due") == "2026-10-05")
        #expect(try text(.milestone, "PRJ-0001.M4", "completed") == nil)
        #expect(try text(.resource, "PRJ-0001.R2", "capacity") == "20")
        #expect(try text(.resource, "PRJ-0001.R2", "rate") == "150")
        #expect(try text(.resource, "PRJ-0001.R1", "department") == "ERP Centre of Excellence")
        // Links: a working day of lag (4800 tenths of a minute = 480 minutes), an elapsed -2 days, SS without lag.
        let deps = store.table(.dependency)
        var links: [String] = []
        for r in 0..<deps.count {
            var w = CSVWriter()
            TableCSV.write(store, .dependency, rows: [Int32(r)], header: false, into: &w)
            links.append(String(decoding: w.bytes.dropLast(), as: UTF8.self))
        }
        // A working-day lag keeps its unit (lag_unit bd); an elapsed one is in calendar days (lag_unit empty: d).
        #expect(links.contains("PRJ-0001.T2,PRJ-0001.T3,FS,1d,bd"), "\(links)")
        #expect(links.contains("PRJ-0001.T3,PRJ-0001.T4,FS,0d,"))
        #expect(links.contains("PRJ-0001.T1,PRJ-0001.T4,FF,-2d,"))
        #expect(links.contains("PRJ-0001.T4,PRJ-0001.T5,SS,0d,"))
        // Two proposed quarter-time assignments with the same dates make one requested half-time allocation.
        let alloc = store.table(.allocation)
        var allocations: [String] = []
        for r in 0..<alloc.count {
            var w = CSVWriter()
            TableCSV.write(store, .allocation, rows: [Int32(r)], header: false, into: &w)
            allocations.append(String(decoding: w.bytes.dropLast(), as: UTF8.self))
        }
        #expect(allocations.contains("PRJ-0001.R2,PRJ-0001,2026-09-21,2026-10-09,0.5,requested"))
        #expect(allocations.contains("PRJ-0001.R1,PRJ-0001,2026-09-01,2026-09-18,1,approved"))
        // The same file again changes nothing.
        let again = try ws.importFiles(ImportRequest(paths: [xml], project: "PRJ-0001"))
        #expect(again.inserted.values.reduce(0, +) == 0)
    }

    @Test func badMsProjectFilesAreRefusedWithTheirPlace() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let counts = try ws.counts()
        func attempt(_ name: String, _ text: String, project: String? = "PRJ-0001") throws -> WorkspaceError? {
            let path = try dir.write(name, text)
            return failure { () throws(WorkspaceError) in try ws.importFiles(ImportRequest(paths: [path], project: project)) }
        }
        let notMSPDI = try attempt("a.xml", "<?xml version=\"1.0\"?>\n<html><body/></html>\n")
        #expect(notMSPDI?.location?.line == 2)
        #expect(notMSPDI?.message.contains("not a Microsoft Project XML (MSPDI) file") == true)
        let broken = try attempt("b.xml", "<Project>\n  <Tasks>\n    <Task><UID>1</UID></Tsk>\n")
        #expect(broken?.location?.line == 3)
        #expect(broken?.message.contains("</Tsk> does not close <Task>") == true)
        let ghost = try attempt("c.xml", """
            <Project><Tasks>
              <Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>
                <PredecessorLink><PredecessorUID>7</PredecessorUID></PredecessorLink></Task>
            </Tasks></Project>
            """)
        #expect(ghost?.location?.line == 3)
        #expect(ghost?.message == "unknown predecessor task UID 7")
        let badDate = try attempt("d.xml", "<Project><Tasks>\n<Task><UID>1</UID><Name>A</Name><Start>2026-02-30T08:00:00</Start></Task>\n</Tasks></Project>")
        #expect(badDate?.location?.line == 2)
        let unknownProject = try attempt("e.xml", "<Project><Tasks><Task><UID>1</UID><Name>A</Name></Task></Tasks></Project>", project: "PRJ-4040")
        #expect(unknownProject?.message == "unknown project 'PRJ-4040' in column project")
        let noProject = try attempt("f.xml", "<Project/>", project: nil)
        #expect(noProject?.kind == .usage)
        #expect(try ws.counts() == counts)
    }
}
