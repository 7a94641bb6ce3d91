// The journal: its beginning (a new workspace, and one from before the journal, on the day given),
// append-only, changes and undo in one transaction each, imports recording their differences once,
// and the portfolio as of a day rebuilt from three weekly snapshots, field by field.
import Foundation
import GRDB
import Testing
import PMOBase
import Portfolio
@testable import Workspace

@Suite struct JournalTests {
    static func d(_ s: String) -> Day { Day(iso: Substring(s))! }
    static let stamp = JournalStamp(by: "tester", recorded: "2026-12-07T10:00:00Z")

    @Test func aNewWorkspaceBeginsItsJournalOnTheDayGiven() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try Workspace.create(path: dir.file("a.db"), journalDay: Self.d("2026-11-02"))
        #expect(try ws.journalStart() == Self.d("2026-11-02"))
        #expect(try ws.journal().isEmpty)
        let batch = try ws.read { db in try Row.fetchOne(db, sql: "SELECT batch, effective FROM journal_batches") }
        #expect(batch?[0] as Int64? == 1)
        #expect(batch?[1] as String? == "2026-11-02")
    }

    @Test func aWorkspaceFromBeforeTheJournalStartsItWhenOpenedForWriting() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.file("old.db")
        // A workspace of the migrations before the journal, holding the demo portfolio.
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(WorkspaceSchema.applicationID)")
            }
            try WorkspaceSchema.migrator.migrate(queue, upTo: "generation-1")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('format', 'pmo-workspace'), ('schema_version', '1')")
            }
            try queue.close()
        }
        // Read-only, it is upgraded in a copy in memory (WorkspaceFileFaultTests), the file left as it is.
        #expect(try Workspace.open(path: path, readOnly: true).upgradedCopy)
        let ws = try Workspace.open(path: path, readOnly: false, journalDay: Self.d("2026-10-05"))
        #expect(try ws.journalStart() == Self.d("2026-10-05"))
        try ws.importFiles(ImportRequest(paths: [Paths.demo]), journalling: ImportJournalling(effective: nil, stamp: Self.stamp))
        #expect(try ws.journal().isEmpty)  // the first rows of each set are the starting point
        // Opening again does not begin it again.
        try ws.close()
        let again = try Workspace.open(path: path, readOnly: false, journalDay: Self.d("2027-01-01"))
        #expect(try again.journalStart() == Self.d("2026-10-05"))
    }

    @Test func theJournalIsAppendOnly() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let plan = ChangePlan(kind: .project, action: .update, rows: [
            PlannedRow(entity: "PRJ-0001", key: [FieldChange(field: "id", old: .text("PRJ-0001"), new: .text("PRJ-0001"))],
                       changes: [FieldChange(field: "priority", old: try current(ws, "PRJ-0001", "priority"), new: .int(99))]),
        ], reason: "test", effective: Self.d("2026-11-20"), source: "test")
        try ws.apply(plan, stamp: Self.stamp)
        #expect(try ws.journal().count == 1)
        for sql in ["UPDATE journal SET reason = 'x'", "DELETE FROM journal", "DELETE FROM journal_batches"] {
            #expect(failure { () throws(WorkspaceError) in try ws.write { db in try db.execute(sql: sql) } } != nil)
        }
        #expect(try ws.journal().count == 1)
    }

    @Test func aChangeAndItsUndoAreJournalledAndAStaleChangeIsRefused() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let old = try current(ws, "PRJ-0002", "status")
        func plan(_ from: CellValue, _ to: CellValue) -> ChangePlan {
            ChangePlan(kind: .project, action: .update, rows: [
                PlannedRow(entity: "PRJ-0002", key: [FieldChange(field: "id", old: .text("PRJ-0002"), new: .text("PRJ-0002"))],
                           changes: [FieldChange(field: "status", old: from, new: to)]),
            ], reason: "steering committee", effective: Self.d("2026-11-20"), source: "prompt")
        }
        let batch = try ws.apply(plan(old, .text("red")), stamp: Self.stamp)
        #expect(try current(ws, "PRJ-0002", "status") == .text("red"))
        // Planned on a value that is no longer there: refused, nothing written.
        let before = try ws.journal()
        #expect(failure { () throws(WorkspaceError) in try ws.apply(plan(old, .text("green")), stamp: Self.stamp) }?.message
            .contains("changed since it was read") == true)
        #expect(try ws.journal() == before)
        let undone = try ws.undo(batch: batch, stamp: Self.stamp, source: "prompt")
        #expect(undone.summary.hasPrefix("undid change \(batch)"))
        #expect(try current(ws, "PRJ-0002", "status") == old)
        let j = try ws.journal()
        #expect(j.count == 2)
        #expect(j[1].old == "red" && j[1].new == old.text(.enumeration(.rag)) && j[1].reason == "undo of change \(batch): steering committee")
        #expect(failure { () throws(WorkspaceError) in try ws.undo(batch: batch, stamp: Self.stamp, source: "prompt") }?.message
            .contains("already been undone") == true)
    }

    @Test func insertAndDeleteAreRowEntriesThatUndoRestores() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let row = try ws.loadStore(sets: nil)
        let before = snapshot(row)
        let risk = row.idIndex(.risk)["RSK-0007"].map(Int.init)!
        let t = row.table(.risk)
        let changes = t.schema.fields.indices.map { FieldChange(field: t.schema.fields[$0].name, old: CellValue.of(t.column(at: $0), risk, row), new: .none) }
        let del = ChangePlan(kind: .risk, action: .delete, rows: [
            PlannedRow(entity: "RSK-0007", key: [FieldChange(field: "id", old: .text("RSK-0007"), new: .text("RSK-0007"))], changes: changes),
        ], reason: "duplicate", effective: Self.d("2026-11-20"), source: "prompt")
        let batch = try ws.apply(del, stamp: Self.stamp)
        #expect(try ws.loadStore(sets: nil).idIndex(.risk)["RSK-0007"] == nil)
        // As of the day before, the risk is back (built from today's columns, as through text).
        let now = try ws.loadStore(sets: nil)
        let index = JournalIndex(try ws.journal(), start: try ws.journalStart())
        let then = try History.store(now, journal: index, at: Self.d("2026-11-19"))
        #expect(snapshot(then).map(sortedLines) == before.map(sortedLines))
        #expect(snapshot(then) == snapshot(try History.throughText(now, journal: index, at: Self.d("2026-11-19"))))
        let entry = try ws.journal().last
        #expect(entry?.field == "*" && entry?.new == nil && entry?.old?.hasPrefix("RSK-0007,PRJ-0003,") == true)
        _ = try ws.undo(batch: batch, stamp: Self.stamp, source: "prompt")
        // The row comes back (as the set's last row).
        #expect(snapshot(try ws.loadStore(sets: nil)).map(sortedLines) == before.map(sortedLines))
    }

    @Test func reimportingTheSameFilesRecordsNothing() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let ws = try demoWorkspace(dir)
        let how = ImportJournalling(effective: Self.d("2026-11-27"), stamp: Self.stamp)
        try ws.importFiles(ImportRequest(paths: [Paths.demo]), journalling: how)
        #expect(try ws.journal().isEmpty)
        let batches = try ws.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal_batches") }
        #expect(batches == 1)
    }

    /// Three weekly exports loaded in order with their effective dates: the portfolio as of each
    /// week is that week's export, set by set and field by field.
    @Test func threeWeeklySnapshotsComeBackAsOfEachWeek() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let weeks = ["2026-11-06", "2026-11-13", "2026-11-20"]
        let people = "id,name\nP-1,Ann\nP-2,Bo\n"
        let projects = [
            "id,name,manager,status,bac,finish\nPRJ-1,ERP,P-1,green,1000000,2027-03-31\nPRJ-2,CRM,P-2,amber,400000,2026-12-18\n",
            "id,name,manager,status,bac,finish\nPRJ-1,ERP,P-1,amber,1000000,2027-04-30\nPRJ-2,CRM,P-1,amber,450000,2026-12-18\nPRJ-3,BI,P-2,green,90000,2027-06-30\n",
            "id,name,manager,status,bac,finish\nPRJ-1,ERP,P-1,red,1100000,2027-04-30\nPRJ-2,CRM,P-1,green,450000,2026-12-18\nPRJ-3,BI,P-2,green,95000,2027-06-30\n",
        ]
        let milestones = [
            "id,project,name,due,forecast\nMS-1,PRJ-1,Design,2026-12-01,2026-12-01\n",
            "id,project,name,due,forecast\nMS-1,PRJ-1,Design,2026-12-01,2026-12-15\nMS-2,PRJ-3,Kick-off,2026-11-30,2026-11-30\n",
            "id,project,name,due,forecast\nMS-1,PRJ-1,Design,2026-12-01,2027-01-10\nMS-2,PRJ-3,Kick-off,2026-11-30,2026-11-30\n",
        ]
        let ws = try Workspace.create(path: dir.file("w.db"), journalDay: Self.d(weeks[0]))
        var expected: [[String]] = []
        for i in 0..<3 {
            try dir.write("w\(i)/people.csv", people)
            try dir.write("w\(i)/projects.csv", projects[i])
            try dir.write("w\(i)/milestones.csv", milestones[i])
            try ws.importFiles(ImportRequest(paths: [dir.file("w\(i)")]),
                               journalling: ImportJournalling(effective: Self.d(weeks[i]), stamp: Self.stamp))
            expected.append(snapshot(try PortfolioLoader.load(directory: dir.file("w\(i)"))))
        }
        let now = try ws.loadStore(sets: nil)
        let index = JournalIndex(try ws.journal(), start: try ws.journalStart())
        for (i, w) in weeks.enumerated() {
            let past = try History.store(now, journal: index, at: Self.d(w))
            #expect(snapshot(past).dropLast() == expected[i].dropLast(), "as of \(w)")
            #expect(snapshot(try History.throughText(now, journal: index, at: Self.d(w))) == snapshot(past), "as of \(w), through text")
            // Any day of that week shows the same.
            let later = try History.store(now, journal: index, at: Self.d(w).adding(days: 3)!)
            #expect(snapshot(later).dropLast() == expected[i].dropLast(), "as of \(w) + 3 days")
        }
        // Before the journal began: the first export (its rows are the starting point).
        #expect(snapshot(try History.store(now, journal: index, at: Self.d("2026-10-01"))).dropLast() == expected[0].dropLast())
        // The journal, field by field.
        let j = try ws.journal().map { "\($0.effective) \($0.set) \($0.entity) \($0.field) \($0.old ?? "-") -> \($0.new ?? "-")" }
        #expect(j == [
            "2026-11-13 milestones MS-1 forecast 2026-12-01 -> 2026-12-15",
            "2026-11-13 milestones MS-2 * - -> MS-2,PRJ-3,Kick-off,2026-11-30,,2026-11-30,,,",
            "2026-11-13 projects PRJ-1 status green -> amber",
            "2026-11-13 projects PRJ-1 finish 2027-03-31 -> 2027-04-30",
            "2026-11-13 projects PRJ-2 manager P-2 -> P-1",
            "2026-11-13 projects PRJ-2 bac 400000 -> 450000",
            "2026-11-13 projects PRJ-3 * - -> PRJ-3,BI,,,,P-2,,,,green,,,2027-06-30,,90000,,,",
            "2026-11-20 milestones MS-1 forecast 2026-12-15 -> 2027-01-10",
            "2026-11-20 projects PRJ-1 status amber -> red",
            "2026-11-20 projects PRJ-1 bac 1000000 -> 1100000",
            "2026-11-20 projects PRJ-2 status amber -> green",
            "2026-11-20 projects PRJ-3 bac 90000 -> 95000",
        ])
    }

    func sortedLines(_ s: String) -> [Substring] { s.split(separator: "\n").sorted() }

    /// The stored value of one field of a project.
    func current(_ ws: Workspace, _ id: String, _ field: String) throws -> CellValue {
        let store = try ws.loadStore(sets: nil)
        guard let r = store.idIndex(.project)[id], let c = store.table(.project).column(field) else { return .none }
        return CellValue.of(c, Int(r), store)
    }
}
